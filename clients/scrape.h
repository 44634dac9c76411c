/* scrape: the serving figures without a Prometheus: mltop scrapes the model servers' /metrics
 * itself (one or more --scrape URLs, one per model server, all on the shared http pool) and
 * computes per (model, version) what the default queries would give (clients/scrape_agg.h):
 * rates over successive scrapes with counter resets, the 5xx error ratio, histogram quantiles.
 *
 * scrape_poll fetches every target once; when the last answer is in, one final event carries
 * the figures (clients/prom_table.h, the same table the Prometheus client gives). Rates need two
 * scrapes in the window: until then the figures are NaN (ev->scrapes says how many rounds came).
 * Each figure computed is handed to sample (when set) as a point of the series
 * scrape_series_name(figure, model, version), for the cache's metric-samples table, and the list
 * of rows to put under SCRAPE_ROWS_KEY; scrape_restore reads both back, so that sparklines
 * survive a restart. They are handed out at the first round and then every flush_ms (at 500
 * deployments a round has 3,000 points: filing them every second was most of mltop's CPU), all
 * the points since the last time at once; scrape_flush hands out what is pending (before
 * scrape_free, at exit). A crash loses at most flush_ms of sparkline, never what was filed.
 *
 * How a Serving panel uses it (when the context has scrape URLs and no Prometheus):
 *	struct scrape_config sc = {.urls = ctx->scrape, .n_urls = ctx->n_scrape, .auth = …,
 *	    .metrics = {.model_label = config_query(cfg, "model_label"), .version_label = …,
 *	                .requests = config_query(cfg, "requests_metric"), .code_label = …,
 *	                .latency = config_query(cfg, "latency_metric"), .drift = …},
 *	    .sample = …cache_sample_put…, .put = …cache_put…};
 *	the cache scope's server: scrape_server_id(ctx->scrape, ctx->n_scrape, buf, sizeof buf)
 *	struct scrape *s = scrape_new(env->http, &sc, &e);
 *	scrape_restore(s, get, range, ud, &table);      at start: sparklines from the cache
 *	job start: scrape_poll(s, on_event, panel, &e); on_event: take ev->table, sched_done_retry.
 * Model and version names come from the servers: sanitize them before drawing. */
#ifndef MLTOP_SCRAPE_H
#define MLTOP_SCRAPE_H

#include <stddef.h>
#include <stdint.h>

#include "clients/err.h"
#include "clients/prom.h"
#include "clients/prom_table.h"
#include "clients/scrape_agg.h"

struct http;
struct http_auth;

/* The cache key of the list of rows (a JSON array of [model, version] pairs). */
#define SCRAPE_ROWS_KEY "scrape/rows"

/* How often the points are handed out by default. */
#define SCRAPE_FLUSH_MS 10000

/* Receives one point of a figure's series (NaN is never handed out). */
typedef void (*scrape_sample_fn)(void *ud, const char *series, int64_t ts_ms, double v);
/* Reads back the points of series with from_ms <= ts <= to_ms, oldest first, through fn
 * (cache_sample_range's shape). Returns the number of points or < 0. */
typedef int (*scrape_range_fn)(void *ud, const char *series, int64_t from_ms, int64_t to_ms,
                               int (*fn)(void *fn_ud, int64_t ts_ms, double v), void *fn_ud);

struct scrape_config {
	const char *const *urls; /* the targets' /metrics URLs */
	size_t n_urls;
	const struct http_auth *auth; /* borrowed; NULL: none */
	int64_t (*now_ms)(void);      /* NULL: the wall clock */
	long timeout_ms;              /* per request; 0: the http default */
	size_t max_body;              /* per response; 0: the http default */
	struct scrape_metrics metrics;
	int64_t window_ms; /* the rate window; 0: SCRAPE_WINDOW_MS */
	int64_t spark_ms;  /* the sparklines' window; 0: SCRAPE_SPARK_MS */
	int64_t flush_ms;  /* how often points go to sample; 0: SCRAPE_FLUSH_MS, < 0: each round */
	/* bit f: the sparkline of figure f is drawn: its every point goes to sample (it comes back
	 * whole after a restart) and the tables handed out carry it. The other figures hand out
	 * only their newest point at each flush (their last value comes back), keep only it, and
	 * their tables have no sparkline (at 500 rows and 720 points a copy of every sparkline each
	 * round took longer than all the rest). 0: every figure. */
	unsigned history;
	scrape_sample_fn sample;
	prom_put_fn put; /* the list of rows, under SCRAPE_ROWS_KEY */
	void *ud;        /* of sample and put */
};

struct scrape_event {
	long op;
	int rc;                /* 0: at least one target answered; < 0: none did */
	const struct err *err; /* rc < 0: the first failure */
	/* rc 0: what went wrong without stopping ("target 2 of 3: Prometheus … ; 14 lines
	 * rejected (line 7: missing '}')"), NULL when nothing did */
	const char *notice;
	long http_status;
	int64_t latency_ms; /* of the slowest target */
	size_t targets, failed;
	size_t rejected; /* lines of the bodies rejected by the parser */
	size_t scrapes;  /* rounds with at least one answer so far (rates need 2) */
	/* rc 0: every row (malloc'd); take it by setting the field to NULL, free it with
	 * prom_table_fini and free */
	struct prom_table *table;
};

typedef void (*scrape_event_fn)(void *ud, struct scrape_event *ev);

struct scrape;

struct scrape *scrape_new(struct http *http, const struct scrape_config *cfg, struct err *e);
void scrape_free(struct scrape **s); /* not from a callback */

/* Fetches every target; a poll in flight is cancelled without an event. Returns its id > 0. */
long scrape_poll(struct scrape *s, scrape_event_fn fn, void *ud, struct err *e);

/* Hands the points computed since they were last handed out to sample, and the rows to put, now
 * (not from a callback of sample or put). */
void scrape_flush(struct scrape *s);

/* The sparklines of the rows filed in the cache, from now - spark_ms on, into the client's
 * history, each figure's value its last point (out->at_ms: when the rows were filed); out (when
 * not NULL) gets a copy. Returns the number of rows or < 0. The cache keeps every point it is
 * given: prune it (cache_sample_prune) to the sparklines' window now and then. */
int scrape_restore(struct scrape *s, prom_get_fn get, scrape_range_fn range, void *ud,
                   struct prom_table *out);

/* The series of a figure of a row: "rps/5:churn/2:v3" (lengths keep any name unambiguous).
 * Caller frees; NULL when out of memory. */
char *scrape_series_name(enum prom_fig f, const char *model, const char *version);
/* The identity of a set of targets for the cache: the sorted server identities joined by ' '.
 * Returns 0, or ERR_CONFIG when a URL is not one or it does not fit. */
int scrape_server_id(const char *const *urls, size_t n, char *out, size_t cap);

#endif
