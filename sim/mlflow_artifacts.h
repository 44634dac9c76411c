/* mltop-sim: run artifacts — eval_results_table.json (pandas "split" layout, with failing rows)
 * and a model directory — listed and served through artifacts/list, /get-artifact and the
 * mlflow-artifacts proxy. Contents are derived from the run on demand. */
#ifndef MLTOP_SIM_MLFLOW_ARTIFACTS_H
#define MLTOP_SIM_MLFLOW_ARTIFACTS_H

#include <stddef.h>

#include "sim/mlflow_req.h"
#include "sim/mlflow_world.h"

/* The bytes of a run-relative artifact (malloc'd, *len set), or NULL when there is none. */
char *mlflow_artifacts_content(const struct mlflow_run *r, const char *path, size_t *len,
                               const char **content_type);

void mlflow_artifacts_list(const struct mlflow_args *a, struct sim_resp *resp);
/* GET /get-artifact?run_id=&path= */
void mlflow_artifacts_get(const struct mlflow_args *a, struct sim_resp *resp);
/* GET /api/2.0/mlflow-artifacts/artifacts[/<exp>/<run>/artifacts/<path>]; rest is the part of
 * the path after ".../artifacts" (empty for the listing). */
void mlflow_artifacts_proxy(const struct mlflow_args *a, const char *rest, struct sim_resp *resp);

#endif
