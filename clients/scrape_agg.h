/* scrape_agg: the serving figures per (model, version) from successive scrapes of model
 * servers' /metrics, computed as Prometheus would compute the default [queries] over them:
 *   rps          sum by (model, version) (rate(<requests>[window]))
 *   error_ratio  the same over the series whose <code> is 5xx, divided by rps
 *   p50/p95/p99  histogram_quantile(q, sum by (le, model, version)
 * (rate(<latency>_bucket[window]))) drift        max by (model, version) (<drift>) A server without
 * a requests counter (KServe's Python model server) is counted by its latency histogram's _count.
 * Rates need two scrapes in the window; until then a figure is NaN.
 *
 * Each scrape body is fed with the index of its source (one per --scrape URL) and its time;
 * counters are kept per series (name and every label, per source) so that a reset in one series
 * is handled as rate() does, then summed. A counter keeps its samples over the rate window, a
 * gauge its last one. scrape_agg_figures computes the figures at a time and puts them on each
 * row's sparkline, which keeps the highest of each stretch of PROM_SPARK_STEP_MS over the
 * sparkline window (what the p99 column draws: the worst of each of its cells); the history can
 * be seeded from the cache at start. */
#ifndef MLTOP_SCRAPE_AGG_H
#define MLTOP_SCRAPE_AGG_H

#include <stddef.h>
#include <stdint.h>

#include "clients/expo.h"
#include "clients/prom_table.h"

/* Metric and label names; a NULL or "" field takes the default in brackets. */
struct scrape_metrics {
	const char *model_label;   /* [model] */
	const char *version_label; /* [version] */
	const char *requests;      /* counter [model_requests_total] */
	const char *code_label;    /* its HTTP status label [code]; 5xx are errors */
	const char *errors;        /* a counter of failed requests only, added to the requests and
	                            * counted as errors (Triton, MLServer) [none] */
	const char *latency;       /* histogram in seconds [model_request_duration_seconds] */
	const char *drift;         /* gauge [model_feature_drift_score] */
};

#define SCRAPE_WINDOW_MS  300000  /* the default rate window: 5m */
#define SCRAPE_SPARK_MS   1800000 /* the default sparkline window: 30m */
#define SCRAPE_SERIES_MAX 100000  /* series kept at most; more are ignored */
#define SCRAPE_POINTS_MAX 4096    /* samples kept per series */

struct scrape_agg;

/* window_ms: the rate window (0: SCRAPE_WINDOW_MS); spark_ms: how much history the sparklines
 * keep (0: SCRAPE_SPARK_MS). The names are copied. NULL when out of memory. */
struct scrape_agg *scrape_agg_new(const struct scrape_metrics *m, int64_t window_ms,
                                  int64_t spark_ms);
void scrape_agg_free(struct scrape_agg **a);

/* Parses one body of source src scraped at ts_ms (a sample's own timestamp wins, as Prometheus
 * honours it) and keeps the samples it needs. st: what the parse saw (may be NULL). Returns 0 or
 * ERR_NOMEM. */
int scrape_agg_feed(struct scrape_agg *a, int src, const char *body, size_t len, int64_t ts_ms,
                    struct expo_stats *st);
/* Computes every figure at end_ms into the history (each row's value[], and a point on its
 * sparklines), drops series and rows gone for longer than the windows, and copies the history
 * into out (out's old content freed). Returns 0 or ERR_NOMEM. */
int scrape_agg_figures(struct scrape_agg *a, int64_t end_ms, struct prom_table *out);
/* The figures (bit f: figure f) whose sparklines the history keeps whole; the others keep their
 * newest point only (at 500 rows, moving 720 points of six sparklines each round was more work
 * than the round's figures). Every figure by default. */
void scrape_agg_keep(struct scrape_agg *a, unsigned figs);
/* The history, to seed from the cache (prom_table_row, scrape_agg_spark_push) before the first
 * scrape. */
struct prom_table *scrape_agg_history(struct scrape_agg *a);
/* Puts a figure's point on a sparkline of the history: one point per PROM_SPARK_STEP_MS, the
 * highest of its stretch (prom_spark_merge), over the sparkline window. Returns 0 or ERR_NOMEM. */
int scrape_agg_spark_push(const struct scrape_agg *a, struct prom_spark *sp, int64_t ts_ms,
                          double v);
size_t scrape_agg_series(const struct scrape_agg *a); /* series kept now */
/* The points of room held by the series and the sparklines, what their memory grows with. */
size_t scrape_agg_room(const struct scrape_agg *a);

#endif
