/* mlflow: the asynchronous MLflow REST client (docs/wire-formats.md, MLflow) on clients/http.h.
 *
 * Each call starts an operation and returns its id (> 0) at once; the operation moves one HTTP
 * round trip at a time as http_perform runs (one page per round trip, the parse of a page
 * bounded by its max_results) and reports through one callback:
 *   - progress events (done 0) after each page of a paged load, with a running count;
 *   - exactly one final event (done 1), with rc 0 and the result, or rc < 0 and err's line
 *     ("MLflow 400 INVALID_PARAMETER_VALUE: …", "MLflow 502 Bad Gateway: nginx", …).
 * Results in the final event belong to the callback's caller if it takes them (sets the field to
 * NULL); whatever is left is freed when the callback returns. Runs go into a store the caller
 * owns (ev->runs is that store, borrowed). mlflow_cancel drops an operation without a final
 * event; it may be called from inside a callback. Do not call mlflow_free from a callback.
 *
 * Every successful body of experiments, runs, models and versions is handed to put (when set)
 * with a cache key ("experiments/p0", "runs/12/p3", "models/p0", "model/<name>",
 * "versions/<name>/p0", and after the last page a manifest under the bare key: "experiments",
 * "runs/12", "models", "versions/<name>"); metric histories are filed per run and metric under
 * "history/<run_id>/<metric>" (clients/mlflow_req.h); mlflow_restore_* (clients/mlflow_cache.h)
 * read them back through the same parsers, so that panels draw from the cache at once on start. */
#ifndef MLTOP_MLFLOW_H
#define MLTOP_MLFLOW_H

#include <stddef.h>
#include <stdint.h>

#include "clients/err.h"
#include "clients/mlflow_types.h"
#include "clients/runstore.h"

struct http;
struct http_auth;

/* Receives a successful body and its cache key; body is valid during the call only. */
typedef void (*mlflow_put_fn)(void *ud, const char *key, const char *body, size_t len,
                              int64_t fetched_ms);

struct mlflow_config {
	const char *base_url;         /* MLFLOW_TRACKING_URI: http(s)://host[:port][/prefix] */
	const struct http_auth *auth; /* borrowed: must outlive the client; NULL: none */
	const char
	    *static_prefix;      /* the server's --static-prefix ("/mlflow"): taken by the root
	                          * routes /get-artifact and /version, not by /api/2.0; NULL: none */
	int64_t (*now_ms)(void); /* NULL: the wall clock */
	long timeout_ms;         /* per request; 0: the http default */
	size_t max_body;         /* per response; 0: the http default */
	mlflow_put_fn put;       /* NULL: bodies are not handed out */
	void *put_ud;
	size_t max_pages; /* pages of one paged load; 0: MLFLOW_MAX_PAGES */
	size_t max_items; /* items of one load, every kind; 0: the MLFLOW_MAX_* of each kind */
};

/* The bounds of one load. A server that keeps sending page tokens (a new one each time, or one
 * it sent before) cannot make a load grow without end: the load stops at the first bound it
 * reaches, keeps what it has, and its final event says why (ev->notice). */
#define MLFLOW_MAX_PAGES  10000   /* pages of one paged load */
#define MLFLOW_MAX_RUNS   200000  /* runs of one runs/search load (about 380 MiB) */
#define MLFLOW_MAX_ITEMS  100000  /* experiments, models, versions, artifact files */
#define MLFLOW_MAX_POINTS 2000000 /* metric history points of one history call */

enum mlflow_kind {
	MLFLOW_EXPERIMENTS,
	MLFLOW_RUNS,
	MLFLOW_HISTORY,
	MLFLOW_MODELS,
	MLFLOW_VERSIONS,
	MLFLOW_ARTIFACTS,
	MLFLOW_EVAL_TABLE,
	MLFLOW_SERVER_VERSION,
	MLFLOW_REGISTRY_CALL, /* one call of clients/mlflow_write.h */
};

enum mlflow_view { MLFLOW_VIEW_ACTIVE, MLFLOW_VIEW_DELETED, MLFLOW_VIEW_ALL };

struct mlflow_event {
	long op;               /* the id the call returned */
	int kind;              /* enum mlflow_kind */
	int done;              /* 1: the final event */
	int rc;                /* final: 0 or a negative code */
	const struct err *err; /* final with rc < 0: the one line to show */
	/* final with rc 0: why the load stopped before the server's last page, keeping what it had
	 * ("showing the first 200,000 runs: cap reached (at most 200,000 a load)"); NULL when the
	 * load is complete */
	const char *notice;
	long http_status;   /* of the last answer, 0 when none came */
	int64_t latency_ms; /* of the last answer */
	size_t count;       /* running count: experiments, runs, models, versions, points, files */
	size_t pages;       /* answers received so far */
	/* Results (final event, rc 0; runs also on progress). Take one by setting it to NULL. */
	struct mlflow_experiments *experiments;
	struct runstore *runs; /* the caller's store: never freed here */
	struct mlflow_history *history;
	struct mlflow_models *models;
	struct mlflow_versions *versions;
	struct mlflow_artifacts *artifacts;
	struct mlflow_eval_table *eval;
	struct mlflow_server_version version;
};

typedef void (*mlflow_event_fn)(void *ud, struct mlflow_event *ev);

struct mlflow_experiments_query {
	const char *filter;          /* NULL: none */
	const char *const *order_by; /* e.g. "last_update_time DESC" */
	size_t norder_by;
	int view;        /* enum mlflow_view */
	int max_results; /* per page; 0: 1000 (always sent: a search without it is refused) */
	/* 1: the first page only, not filed in the cache (a refresh of what changed, merged by
	 * clients/mlflow_merge.h; the cache keeps the last whole list); 0: every page */
	int first_page_only;
};

struct mlflow_runs_query {
	const char *const *experiment_ids; /* at least one */
	size_t nexperiments;
	const char *filter; /* the server filter string, e.g. "metrics.auc > 0.8"; NULL: none */
	const char *const *order_by;
	size_t norder_by;
	int view;        /* enum mlflow_view */
	int max_results; /* per page; 0: 1000; at most 50000 */
};

struct mlflow;

/* http is borrowed (it must outlive the client); the config's strings are copied. */
struct mlflow *mlflow_new(struct http *http, const struct mlflow_config *cfg, struct err *e);
/* Cancels every operation (no final events) and frees the client. */
void mlflow_free(struct mlflow **m);
void mlflow_cancel(struct mlflow *m, long op);
int mlflow_busy(const struct mlflow *m); /* operations in progress */

/* experiments/search, every page. */
long mlflow_experiments(struct mlflow *m, const struct mlflow_experiments_query *q,
                        mlflow_event_fn fn, void *ud, struct err *e);

/* runs/search, every page, into store. A page token seen twice ends the load with what
 * came and a notice. */
long mlflow_runs(struct mlflow *m, const struct mlflow_runs_query *q, struct runstore *store,
                 mlflow_event_fn fn, void *ud, struct err *e);

/* The history of metric_key for n runs: get-history-bulk-interval (≤ 100 runs a request,
 * max_points per run, 0: 1000) and, when the server does not have it (404), get-history per run
 * (docs/wire-formats.md, MLflow: real-server edges). The series are sorted by (step, timestamp);
 * history->sampled says which was used. */
long mlflow_history(struct mlflow *m, const char *const *run_ids, size_t n, const char *metric_key,
                    int max_points, mlflow_event_fn fn, void *ud, struct err *e);

/* registered-models/search, every page. Current servers put each model's aliases in the
 * search answer; when no model of the answer has any (an older server, or really none), each
 * model is then read with registered-models/get for its aliases. filter may be NULL. */
long mlflow_models(struct mlflow *m, const char *filter, mlflow_event_fn fn, void *ud,
                   struct err *e);

/* model-versions/search for one model, newest first, every page. */
long mlflow_versions(struct mlflow *m, const char *model_name, mlflow_event_fn fn, void *ud,
                     struct err *e);

/* artifacts/list of a run directory (path NULL or "": the root), every page. */
long mlflow_artifacts(struct mlflow *m, const char *run_id, const char *path, mlflow_event_fn fn,
                      void *ud, struct err *e);

/* /get-artifact of an eval table (path NULL: "eval_results_table.json"), summarised
 * (docs/wire-formats.md, Eval tables). */
long mlflow_eval_table(struct mlflow *m, const char *run_id, const char *path, mlflow_event_fn fn,
                       void *ud, struct err *e);

struct mlflow_eval_rule_spec; /* clients/mlflow_parse_eval.h */

/* Which rows of the eval tables the client loads from now on fail: rule's column, threshold and
 * other column are copied; NULL puts back the automatic rules. 0 or ERR_NOMEM. */
int mlflow_set_eval_rule(struct mlflow *m, const struct mlflow_eval_rule_spec *rule, struct err *e);

/* GET /version; a 404 is an old server: rc 0 with version.old = 1. */
long mlflow_server_version(struct mlflow *m, mlflow_event_fn fn, void *ud, struct err *e);

#endif
