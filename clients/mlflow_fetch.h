/* mlflow_fetch: the MLflow client's operations that are not paged searches: metric history
 * (get-history-bulk-interval, falling back to get-history per run on 404), the eval table
 * download (/get-artifact) and /version. Started by the calls of clients/mlflow.h. */
#ifndef MLTOP_MLFLOW_FETCH_H
#define MLTOP_MLFLOW_FETCH_H

#include <stddef.h>

#include "clients/mlflow_op.h"

extern const struct op_class mlflow_fetch_history_class;
extern const struct op_class mlflow_fetch_eval_class;
extern const struct op_class mlflow_fetch_version_class;

/* Copies the run ids and the key into o; 0, or -1 when out of memory. */
int mlflow_fetch_history_init(struct op *o, const char *const *run_ids, size_t n,
                              const char *metric_key, int max_points);

#endif
