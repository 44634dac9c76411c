/* prom: the asynchronous Prometheus client of the Serving panel, on clients/http.h.
 *
 * One refresh asks each figure (rps, error ratio, p50, p95, p99, drift) once for every deployment
 * at once: each query aggregates by model and version, so the number of queries per refresh is
 * fixed (at most six instant queries and six range queries) whatever the number of deployments.
 * The queries run in parallel on the shared http pool; when the last answer is in, one final
 * event carries the figures per (model, version) (clients/prom_table.h): the current value of
 * each from /api/v1/query, and the recent window from /api/v1/query_range for the sparklines.
 * A figure whose query failed keeps its previous values and is named in the event's notice; the
 * event fails (rc < 0) only when every query failed. A 503 without JSON means Prometheus is
 * starting (ev->starting): show "starting", retry later.
 *
 * Every successful body is handed to put (when set) under "query/<figure>" or
 * "range/<figure>"; prom_restore reads them back through the same decoder, so that a panel draws
 * the last known figures at once on start.
 *
 * How a Serving panel uses it:
 *	char *q[PROM_NFIG]; prom_req_queries(cfg, ctx->namespace, q);      (clients/prom_req.h)
 *	struct prom_config pc = {.base_url = ctx->src[SRC_PROMETHEUS].url, .auth = …, .queries = q,
 *	                         .model_label = config_query(cfg, "model_label"), …, .put = …};
 *	struct prom *p = prom_new(env->http, &pc, &e);     then free q[]: the client copies them
 *	prom_restore(p, get, ud, &table, &fetched_ms);      at start: draw table, say how old
 *	job start:  prom_refresh(p, PROM_INSTANT | PROM_RANGE, on_event, panel, &e);
 *	on_event:   take ev->table (set it to NULL), sched_done_retry(…, ev->rc == 0, …,
 *	            ev->err ? ev->err->retry_after_ms : 0), env->changed.
 * Strings in the table come from the server: sanitize them before drawing. */
#ifndef MLTOP_PROM_H
#define MLTOP_PROM_H

#include <stddef.h>
#include <stdint.h>

#include "clients/err.h"
#include "clients/prom_table.h"

struct http;
struct http_auth;

/* Receives a successful body and its cache key; body is valid during the call only. */
typedef void (*prom_put_fn)(void *ud, const char *key, const char *body, size_t len,
                            int64_t fetched_ms);
/* Reads a body back: 0 found (*body malloc'd, the caller frees), 1 absent, < 0 error. */
typedef int (*prom_get_fn)(void *ud, const char *key, char **body, size_t *len,
                           int64_t *fetched_ms);

#define PROM_RANGE_MS 1800000 /* the default sparkline window: 30 min */
#define PROM_POINTS   120     /* points per sparkline the default step aims at */

struct prom_config {
	const char *base_url;           /* http(s)://host[:port][/prefix], no trailing '/' */
	const struct http_auth *auth;   /* borrowed: must outlive the client; NULL: none */
	int64_t (*now_ms)(void);        /* NULL: the wall clock */
	long timeout_ms;                /* per request; 0: the http default */
	size_t max_body;                /* per response; 0: the http default */
	const char *queries[PROM_NFIG]; /* PromQL per figure (copied); NULL or "": not asked */
	const char *model_label;        /* NULL: "model" */
	const char *version_label;      /* NULL: "version" */
	int64_t range_ms;               /* the sparklines' window; 0: PROM_RANGE_MS */
	int64_t step_ms;                /* 0: range_ms / PROM_POINTS, at least 1 s */
	prom_put_fn put;                /* NULL: bodies are not handed out */
	void *put_ud;
};

enum { PROM_INSTANT = 1, PROM_RANGE = 2 };

struct prom_event {
	long op;               /* the id prom_refresh returned */
	int rc;                /* 0: at least one query answered; < 0: none did */
	const struct err *err; /* rc < 0: the one line to show (the first failure) */
	/* rc 0: the figures that failed or were warned about, one line
	 * ("p99: Prometheus 422 execution: …; 1 more"), NULL when all went well */
	const char *notice;
	int starting;       /* a query met Prometheus starting up (503, not ready) */
	long http_status;   /* of the last failure, else of the last answer; 0 when none came */
	int64_t latency_ms; /* of the slowest answer */
	size_t asked, failed;
	/* rc 0: every figure known now (malloc'd); take it by setting the field to NULL, then free
	 * it with prom_table_fini and free */
	struct prom_table *table;
};

typedef void (*prom_event_fn)(void *ud, struct prom_event *ev);

struct prom;

/* http is borrowed (it must outlive the client); the config's strings are copied. */
struct prom *prom_new(struct http *http, const struct prom_config *cfg, struct err *e);
/* Cancels the refresh in flight (no event) and frees the client. Not from a callback. */
void prom_free(struct prom **p);

/* Starts a refresh of what (PROM_INSTANT, PROM_RANGE or both); a refresh still in flight is
 * cancelled without an event. Returns its id (> 0), or < 0 with e filled. */
long prom_refresh(struct prom *p, int what, prom_event_fn fn, void *ud, struct err *e);

/* The last known figures from the cache: every body get finds goes through the decoder into
 * the client's table, and out (when not NULL) gets a copy; *fetched_ms (when not NULL) the time
 * of the oldest body used, 0 when none. Returns the number of bodies used, or ERR_NOMEM. */
int prom_restore(struct prom *p, prom_get_fn get, void *ud, struct prom_table *out,
                 int64_t *fetched_ms);

#endif
