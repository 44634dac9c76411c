/* mlflow_req: what the MLflow client sends and what it files bodies under: request bodies of the
 * POST searches, filter strings it builds, cache keys and page manifests. Shared by
 * clients/mlflow.c (fetching) and clients/mlflow_cache.c (restoring). Strings are malloc'd. */
#ifndef MLTOP_MLFLOW_REQ_H
#define MLTOP_MLFLOW_REQ_H

#include <stddef.h>

#include "clients/mlflow.h"

#define MLFLOW_RUNS_PAGE 1000
/* The first page of a runs load is small, so that the first screen of runs comes at once, live
 * or from the cache; the page token is an offset, so the next pages can be full ones. */
#define MLFLOW_RUNS_FIRST_PAGE  100
#define MLFLOW_RUNS_PAGE_MAX    50000
#define MLFLOW_EXPERIMENTS_PAGE 1000
#define MLFLOW_MODELS_PAGE      1000 /* registered-models/search caps at 1000 */
#define MLFLOW_VERSIONS_PAGE    1000 /* ≤ 10000 for Databricks */
#define MLFLOW_BULK_RUNS        100  /* get-history-bulk-interval: runs per request */
#define MLFLOW_BULK_POINTS_MAX  2500

/* JSON bodies; page_token NULL on the first page. NULL when out of memory. */
char *mlflow_req_experiments_body(const struct mlflow_experiments_query *q, const char *page_token);
char *mlflow_req_runs_body(const struct mlflow_runs_query *q, const char *page_token);

/* "name = 'churn'" with the value quoted as the MLflow filter grammar wants ('…', or "…" when the
 * value holds a single quote); NULL when it holds both kinds of quote or out of memory. */
char *mlflow_req_filter_eq(const char *field, const char *value);

/* "a=<escaped x>&b=<escaped y>…" from a NULL-terminated list of name, value pairs (at most 8); a
 * NULL value leaves its pair out. */
char *mlflow_req_query(const char *const *pairs);
/* The query strings of registered-models/search (filter may be NULL) and of
 * model-versions/search for one model (NULL when the name cannot be quoted). */
char *mlflow_req_models_query(const char *filter);
char *mlflow_req_versions_query(const char *model_name);

/* Cache keys: the key of a load ("runs/12,13", "versions/churn") and of its page n. */
char *mlflow_req_runs_key(const struct mlflow_runs_query *q);
char *mlflow_req_page_key(const char *base, size_t page);

/* Metric histories are filed per (run, metric), whatever call fetched them: the key
 * "history/<run_id>/<metric_key>" holds that run's whole series as a get-history body,
 * {"sampled":true,"metrics":[{"step":…,"timestamp":…,"value":…},…]} (values that are not finite
 * as "NaN", "Infinity", "-Infinity"), at most max_points points: a longer series is cut down to
 * max_points evenly spaced ones, its first and last kept, and is then marked sampled. s must be
 * sorted. A run the answer had no point of is filed with an empty list. *len is the body's
 * length. NULL when out of memory. */
char *mlflow_req_history_key(const char *run_id, const char *metric_key);
char *mlflow_req_history_body(const struct mlflow_series *s, int sampled, size_t max_points,
                              size_t *len);
/* 1 when a filed history body says its series is sampled (bulk-interval or cut down). */
int mlflow_req_history_sampled(const char *body, size_t len);

/* The manifest filed under a load's key once all its pages are in: how many pages there are and
 * the query that produced them, so that a restore for another query finds nothing. */
char *mlflow_req_manifest(size_t pages, const char *query);
/* 0 when body is a manifest for query (NULL query: ""), with *pages set; 1 otherwise. */
int mlflow_req_manifest_match(const char *body, size_t len, const char *query, size_t *pages);

#endif
