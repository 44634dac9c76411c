/* mlflow_registry_ops: registry reads across models, for the Registry panel and the lineage of a
 * run: model-versions/search with no name, every page, and its restore from the cache; the
 * versions one run produced (model-versions/search filtered by run_id, each version's aliases
 * taken from its registered model, as SQL stores leave them out of the search); and the
 * runs/search filter that finds one run by id. Events and ownership as in clients/mlflow.h. */
#ifndef MLTOP_MLFLOW_REGISTRY_OPS_H
#define MLTOP_MLFLOW_REGISTRY_OPS_H

#include <stdint.h>

#include "clients/err.h"
#include "clients/mlflow.h"
#include "clients/mlflow_cache.h"
#include "clients/mlflow_types.h"

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

/* model-versions/search filtered by run_id, every page, newest first, then registered-models/get
 * of each model found for the versions' aliases (a model gone meanwhile (404) leaves its
 * versions as the search gave them; another error fails the lookup). The final event is of
 * kind MLFLOW_VERSIONS with ev->versions (take it by setting it to NULL). Nothing is filed in
 * the cache. Returns the operation id (> 0) or a negative code with e. */
long mlflow_versions_by_run(struct mlflow *m, const char *run_id, mlflow_event_fn fn, void *ud,
                            struct err *e);

/* The runs/search filter that finds one run by id over any experiments:
 * "attributes.run_id = '<id>'" (malloc'd; NULL when the id holds both kinds of quote or out of
 * memory). */
char *mlflow_run_id_filter(const char *run_id);

#endif
