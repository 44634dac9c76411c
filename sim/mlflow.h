/* mltop-sim: the MLflow side's router (mlflow_init, mlflow_tick, mlflow_route and
 * mlflow_version_source are declared in sim.h). */
#ifndef MLTOP_SIM_MLFLOW_H
#define MLTOP_SIM_MLFLOW_H

#include "sim/sim.h"

/* The version /version reports. */
#define MLFLOW_SERVER_VERSION "3.4.0"

/* The endpoint part of /api/2.0/mlflow/<x> or /ajax-api/2.0/mlflow/<x>, or NULL. */
const char *mlflow_route_subpath(const char *path);

#endif
