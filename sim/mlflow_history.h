/* mltop-sim: metrics/get-history (paged) and metrics/get-history-bulk-interval (sampled). */
#ifndef MLTOP_SIM_MLFLOW_HISTORY_H
#define MLTOP_SIM_MLFLOW_HISTORY_H

#include "sim/mlflow_req.h"

void mlflow_history_get(const struct mlflow_args *a, struct sim_resp *resp);
void mlflow_history_bulk_interval(const struct mlflow_args *a, struct sim_resp *resp);

#endif
