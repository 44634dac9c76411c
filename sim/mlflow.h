/* mltop-sim: the MLflow side's router (mlflow_init, mlflow_tick, mlflow_route and
 * mlflow_version_source are declared in sim.h). */
#ifndef MLTOP_SIM_MLFLOW_H
#define MLTOP_SIM_MLFLOW_H

#include "sim/sim.h"

/* The MLflow release imitated when --mlflow-version is not given: a current 3.x. */
#define MLFLOW_SERVER_VERSION "3.5.0"

/* The release the simulator imitates, where releases differ, and the server's --static-prefix,
 * which moves /health, /version, /get-artifact and the /ajax-api copies (not /api/2.0). */
struct mlflow_server {
	int major, minor, patch;
	char version[16]; /* as /version answers it: "3.5.0" */
	char prefix[128]; /* "" or "/p" */
};
extern struct mlflow_server mlflow_server;

/* Parses "3.5" or "2.9.1" (an MLflow 2.x or 3.x release) into s's numbers and version text.
 * Returns 0, or -1 when it is none. */
int mlflow_server_parse(const char *text, struct mlflow_server *s);
/* 1 when the imitated release is major.minor or later. */
int mlflow_server_since(int major, int minor);

/* The endpoint part of /api/2.0/mlflow/<x> or /ajax-api/2.0/mlflow/<x>, or NULL. */
const char *mlflow_route_subpath(const char *path);

#endif
