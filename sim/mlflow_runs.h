/* mltop-sim: runs/search and runs/get, and the Run JSON shape. */
#ifndef MLTOP_SIM_MLFLOW_RUNS_H
#define MLTOP_SIM_MLFLOW_RUNS_H

#include "sim/mlflow_req.h"
#include "sim/mlflow_world.h"

#define MLFLOW_RUNS_MAX_RESULTS 50000

void mlflow_runs_search(const struct mlflow_args *a, struct sim_resp *resp);
void mlflow_runs_get(const struct mlflow_args *a, struct sim_resp *resp);
/* The run named by run_id (or the deprecated run_uuid); NULL after writing a 400/404. */
const struct mlflow_run *mlflow_runs_arg(const struct mlflow_args *a, struct sim_resp *resp);
cJSON *mlflow_runs_json(const struct mlflow_run *r);

#endif
