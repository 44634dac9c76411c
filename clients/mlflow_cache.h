/* mlflow_cache: reads the bodies the MLflow client filed (see clients/mlflow.h) back through the
 * same parsers, so that panels draw from the cache at once on start, before any answer comes.
 * The getter adapts the cache (cache_get with the context, the MLflow server's identity and the
 * source "mlflow": another server's bodies are never read back as this one's):
 *   0 found (*body malloc'd and NUL-terminated, the caller frees), 1 absent, < 0 error.
 * Each restore returns 0 (restored; *fetched_ms is when the load was filed), 1 when nothing is
 * cached for this very query (a store may then hold the pages that were found), or < 0. */
#ifndef MLTOP_MLFLOW_CACHE_H
#define MLTOP_MLFLOW_CACHE_H

#include <stddef.h>
#include <stdint.h>

#include "clients/err.h"
#include "clients/mlflow.h"
#include "clients/mlflow_types.h"
#include "clients/runstore.h"

typedef int (*mlflow_get_fn)(void *ud, const char *key, char **body, size_t *len,
                             int64_t *fetched_ms);

int mlflow_restore_experiments(mlflow_get_fn get, void *ud,
                               const struct mlflow_experiments_query *q,
                               struct mlflow_experiments **out, int64_t *fetched_ms, struct err *e);
int mlflow_restore_runs(mlflow_get_fn get, void *ud, const struct mlflow_runs_query *q,
                        struct runstore *store, int64_t *fetched_ms, struct err *e);
/* The same one page per call, so that the loop draws between pages of a large load: *page starts
 * at 0 and moves on; returns 2 while more pages follow, then 0 (or 1, or < 0, as above). */
int mlflow_restore_runs_step(mlflow_get_fn get, void *ud, const struct mlflow_runs_query *q,
                             struct runstore *store, size_t *page, int64_t *fetched_ms,
                             struct err *e);
/* Models with their aliases: those of the search when it had any, else those of every
 * registered-models/get that was filed (as the live load decides). */
int mlflow_restore_models(mlflow_get_fn get, void *ud, const char *filter,
                          struct mlflow_models **out, int64_t *fetched_ms, struct err *e);
int mlflow_restore_versions(mlflow_get_fn get, void *ud, const char *model_name,
                            struct mlflow_versions **out, int64_t *fetched_ms, struct err *e);

/* The history of metric for n runs, from the series mlflow_history filed per run
 * ("history/<run_id>/<metric>", clients/mlflow_req.h), built as the live call builds it: one
 * series per run, sorted by (step, timestamp), sampled when every series was. A run that was
 * answered without a point of the metric has an empty series; a run missing from the cache has
 * none (mlflow_history_find gives NULL for it). Returns 0 when every run was cached, 1 when none
 * was (*out untouched), MLFLOW_RESTORE_SOME when some were (the missing ones are absent), or < 0;
 * *fetched_ms is when the oldest of the series shown was fetched. A damaged entry counts as
 * missing. */
#define MLFLOW_RESTORE_SOME 2
int mlflow_restore_history(mlflow_get_fn get, void *ud, const char *const *run_ids, size_t n,
                           const char *metric, struct mlflow_history **out, int64_t *fetched_ms,
                           struct err *e);

#endif
