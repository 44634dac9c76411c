/* mltop-sim: the model-version endpoints: search, get, download URI, aliases, stages. */
#ifndef MLTOP_SIM_MLFLOW_REGISTRY_VERSIONS_H
#define MLTOP_SIM_MLFLOW_REGISTRY_VERSIONS_H

#include "sim/mlflow_req.h"

void mlflow_registry_versions_search(const struct mlflow_args *a, struct sim_resp *resp);
void mlflow_registry_versions_get(const struct mlflow_args *a, struct sim_resp *resp);
void mlflow_registry_versions_download_uri(const struct mlflow_args *a, struct sim_resp *resp);
void mlflow_registry_versions_set_alias(const struct mlflow_args *a, struct sim_resp *resp);
void mlflow_registry_versions_delete_alias(const struct mlflow_args *a, struct sim_resp *resp);
void mlflow_registry_versions_get_alias(const struct mlflow_args *a, struct sim_resp *resp);
void mlflow_registry_versions_transition(const struct mlflow_args *a, struct sim_resp *resp);

#endif
