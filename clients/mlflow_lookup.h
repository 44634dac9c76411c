/* mlflow_lookup: lookups the Experiments panel needs beyond the paged searches of clients/mlflow.h,
 * on the same operation machinery (clients/mlflow_op.h) and with the same events:
 *   - the registered model versions a run produced (model-versions/search with the filter
 *     run_id = '<id>'): the lineage of a run into the registry, with each version's
 *     aliases taken from its registered model (registered-models/get), as SQL stores leave
 *     them out of the search. */
#ifndef MLTOP_MLFLOW_LOOKUP_H
#define MLTOP_MLFLOW_LOOKUP_H

#include "clients/err.h"
#include "clients/mlflow.h"

/* model-versions/search filtered by run_id, every page, newest first, then registered-models/get
 * of each model found for the versions' aliases (a model gone meanwhile (404) leaves its
 * versions as the search gave them; another error fails the lookup). The final event is of
 * kind MLFLOW_VERSIONS with ev->versions (take it by setting it to NULL). Nothing is filed in
 * the cache. Returns the operation id (> 0) or a negative code with e. */
long mlflow_lookup_versions_by_run(struct mlflow *m, const char *run_id, mlflow_event_fn fn,
                                   void *ud, struct err *e);

/* The runs/search filter that finds one run by id over any experiments:
 * "attributes.run_id = '<id>'" (malloc'd; NULL when the id holds both kinds of quote or out of
 * memory). */
char *mlflow_lookup_run_filter(const char *run_id);

#endif
