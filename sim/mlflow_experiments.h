/* mltop-sim: experiments/search, experiments/get, experiments/get-by-name. */
#ifndef MLTOP_SIM_MLFLOW_EXPERIMENTS_H
#define MLTOP_SIM_MLFLOW_EXPERIMENTS_H

#include "sim/mlflow_req.h"

void mlflow_experiments_search(const struct mlflow_args *a, struct sim_resp *resp);
void mlflow_experiments_get(const struct mlflow_args *a, struct sim_resp *resp);
void mlflow_experiments_get_by_name(const struct mlflow_args *a, struct sim_resp *resp);

#endif
