/* mltop-sim: registry writes besides aliases and stages: tags on registered models and model
 * versions (set-tag, delete-tag) and descriptions (update). */
#ifndef MLTOP_SIM_MLFLOW_REGISTRY_TAGS_H
#define MLTOP_SIM_MLFLOW_REGISTRY_TAGS_H

#include "sim/mlflow_req.h"

void mlflow_registry_tags_set_model(const struct mlflow_args *a, struct sim_resp *resp);
void mlflow_registry_tags_delete_model(const struct mlflow_args *a, struct sim_resp *resp);
void mlflow_registry_tags_update_model(const struct mlflow_args *a, struct sim_resp *resp);
void mlflow_registry_tags_set_version(const struct mlflow_args *a, struct sim_resp *resp);
void mlflow_registry_tags_delete_version(const struct mlflow_args *a, struct sim_resp *resp);
void mlflow_registry_tags_update_version(const struct mlflow_args *a, struct sim_resp *resp);

#endif
