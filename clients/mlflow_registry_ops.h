/* mlflow_registry_ops: registry reads across models, for the Registry panel and the lineage of a
 * run (which versions a run produced): model-versions/search with no name, every page,
 * and its restore from the cache. Events and ownership as in clients/mlflow.h. */
#ifndef MLTOP_MLFLOW_REGISTRY_OPS_H
#define MLTOP_MLFLOW_REGISTRY_OPS_H

#include <stdint.h>

#include "clients/err.h"
#include "clients/mlflow.h"
#include "clients/mlflow_cache.h"
#include "clients/model.h"

/* The cache key of the unfiltered load (pages "model-versions/p<n>", then the manifest). */
#define MLFLOW_ALL_VERSIONS_KEY "model-versions"

/* model-versions/search over every registered model, ordered by name then version (newest
 * first), every page; the final event has ev->versions (kind MLFLOW_VERSIONS). filter may be
 * NULL (every version: the load is filed under MLFLOW_ALL_VERSIONS_KEY) or a registry filter
 * such as "run_id IN ('a','b')" (not filed, as each filter would need its own key). */
long mlflow_versions_search(struct mlflow *m, const char *filter, mlflow_event_fn fn, void *ud,
                            struct err *e);

/* Restores the unfiltered load filed by mlflow_versions_search: 0 (restored, *fetched_ms set),
 * 1 when nothing is cached, < 0 on error (as in clients/mlflow_cache.h). */
int mlflow_restore_all_versions(mlflow_get_fn get, void *ud, struct mlflow_versions **out,
                                int64_t *fetched_ms, struct err *e);

#endif
