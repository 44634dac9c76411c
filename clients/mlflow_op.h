/* mlflow_op: the machinery of the MLflow client's operations, shared by clients/mlflow.c (the
 * paged searches) and clients/mlflow_fetch.c (history, eval tables, /version): one operation is a
 * small state machine that sends one request at a time and is told of each answer. */
#ifndef MLTOP_MLFLOW_OP_H
#define MLTOP_MLFLOW_OP_H

#include <stddef.h>
#include <stdint.h>

#include "clients/http.h"
#include "clients/mlflow.h"
#include "clients/mlflow_parse_eval.h"

enum { OP_DONE = 1, OP_MORE = 2 };

struct op;

/* The client (created by mlflow_new in clients/mlflow.c). */
struct mlflow {
	struct http *http;
	char *base;          /* without a trailing '/' */
	char *static_prefix; /* "" or "/prefix" */
	const struct http_auth *auth;
	int64_t (*now_ms)(void);
	long timeout_ms;
	size_t max_body;
	mlflow_put_fn put;
	void *put_ud;
	struct op *ops;
	long next_id;
	int no_bulk_interval; /* the server answered 404 to get-history-bulk-interval */
	size_t max_pages;     /* the bounds of a load (clients/mlflow.h) */
	size_t max_items;     /* 0: per kind */
	/* which eval table rows fail (mlflow_set_eval_rule); column NULL: the automatic rules */
	struct mlflow_eval_rule_spec eval_rule; /* its strings owned */
};

struct op_class {
	int kind;         /* enum mlflow_kind */
	const char *what; /* "runs/search": for messages */
	/* Sends the next request: 0 sent, OP_DONE nothing (more) to send now, < 0 error. It is
	 * called again while the operation has free slots, so with parallel > 1 it must move on. */
	int (*request)(struct op *o, struct err *e);
	/* Takes an answer: OP_MORE (go on sending), OP_DONE (nothing more to send: the operation
	 * ends when no request is in flight), or < 0 (it ends now). */
	int (*answer)(struct op *o, const struct http_resp *r, struct err *e);
	/* Parses one page of a paged load into the results, setting *next and bringing
	 * res.count to the number of items received so far. */
	int (*parse)(struct op *o, const char *body, size_t len, char **next, struct err *e);
};

#define OP_PARALLEL 4 /* requests in flight at most for one operation */

/* One request in flight: the http callback's user data. */
struct op_slot {
	struct op *o;
	long http_id; /* 0: free */
	size_t tag;   /* what it was for (models: the index of the name) */
};

struct op {
	struct mlflow *m;
	struct op *next;
	const struct op_class *cls;
	long id;
	struct op_slot slots[OP_PARALLEL];
	int nflight;  /* slots in use */
	int parallel; /* slots it may use: 1, unless the kind raises it */
	size_t tag;   /* set before op_send; during answer(), the tag of the answer */
	mlflow_event_fn fn;
	void *ud;
	int cancelled;
	int in_callback;
	int empty_pages; /* pages in a row with no item but a next token */
	uint64_t *seen;  /* hashes of the page tokens received, for the loop guard */
	size_t nseen, capseen;
	char *token;      /* the next page token, NULL on the first page */
	char *key;        /* cache key of the load, NULL: not filed */
	char *query;      /* the request without its page token (POST body or query string) */
	int next_max;     /* POST: max_results of the pages after the first (0: as the first) */
	char notice[224]; /* why the load stopped early ("" when it did not) */
	struct mlflow_event res; /* results and counters, handed out in the final event */
	/* state of particular kinds */
	char **names; /* history: run ids; models: names still to get */
	size_t nnames, next_name;
	char *metric_key;
	int max_points;
	int fallback;       /* history: get-history per run */
	int phase;          /* models: 0 search, 1 get each */
	int first_page;     /* experiments: stop after the first page */
	const char *method; /* registry calls: the one request */
	const char *path;
	char *body;
};

/* Creates and links an operation (the results' counters zeroed). NULL when out of memory. */
struct op *op_new(struct mlflow *m, const struct op_class *cls, mlflow_event_fn fn, void *ud);
/* Sends its first request; on failure the operation is destroyed and the error returned. */
long op_start(struct op *o, struct err *e);
/* Sends a request to base URL + path (+ "?" + query) (+ "&page_token=…") in a free slot, with
 * o->tag. */
int op_send(struct op *o, const char *method, const char *path, const char *query, const char *body,
            struct err *e);
/* Unlinks and frees an operation, cancelling its request and freeing the results it holds. */
void op_destroy(struct op *o);

/* Answer helpers. op_http_error fills e from a non-200 answer and returns its code (0 for 200). */
int op_http_error(const struct op *o, const struct http_resp *r, struct err *e);
/* The error for a 200 answer the parser refused (pe): when the body is not JSON at all (an SSO
 * login page, a proxy's notice), its status, content type and visible text. Returns rc. */
int op_parse_error(const struct op *o, const struct http_resp *r, int rc, const struct err *pe,
                   struct err *e);
/* Records a page token: OP_MORE to fetch it, OP_DONE when there is none or when the load must
 * stop (a bound reached, a token sent again, empty pages in a row: o->notice says which), < 0
 * out of memory. items: how many the page held. */
int op_next_page(struct op *o, char *token, size_t items, struct err *e);
/* The usual paged answer: status, parse, file in the cache, next page. */
int op_paged_answer(struct op *o, const struct http_resp *r, struct err *e);
/* Registry reads by model name (o->names, up to o->parallel at a time): op_names_add appends a
 * copy of name to o->names, which holds room for cap names (allocated on the first call; 0, or
 * -1 out of memory); op_send_model_get sends registered-models/get for the next name (tagged
 * with its index; OP_DONE when all are sent); op_model_answer takes its answer into
 * o->res.models (0, 1 for a 404: the model is gone, or < 0 with e); op_names_left is OP_MORE
 * while names remain to send or answers to come, else OP_DONE. */
int op_names_add(struct op *o, size_t cap, const char *name);
int op_send_model_get(struct op *o, struct err *e);
int op_model_answer(struct op *o, const struct http_resp *r, struct err *e);
int op_names_left(const struct op *o);
/* Files a body under key (when the client has a put hook). */
void op_put(struct op *o, const char *key, const char *body, size_t len);

#endif
