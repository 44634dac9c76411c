/* config_env: the MLFLOW_TRACKING_* variables of the environment, read and checked. */
#ifndef MLTOP_CONFIG_ENV_H
#define MLTOP_CONFIG_ENV_H

#include <stddef.h>

#include "clients/config_ini.h"
#include "clients/err.h"

/* Fills env from MLFLOW_TRACKING_URI, _TOKEN, _USERNAME, _PASSWORD, _SERVER_CERT_PATH and
 * _INSECURE_TLS. A URI that is no http(s) URL (a file store, a database, Databricks: the store of
 * other MLflow tools) is ignored with a warning in warning[0..n) saying that mltop needs an HTTP
 * server; a malformed http(s) URI, a boolean that is none ("ture") or TLS both unverified and
 * with a CA file is an error naming the variable (ERR_CONFIG). Returns 0 or < 0. */
int config_env_read(struct config_env *env, char *warning, size_t n, struct err *e);
/* Frees what config_env_read filled, the secrets zeroed first. */
void config_env_fini(struct config_env *env);

#endif
