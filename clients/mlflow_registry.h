/* mlflow_registry: parsers of the model registry bodies (§4): registered models (with their
 * aliases as {alias, version} objects) and model versions (aliases as plain strings).
 * Error conventions as in clients/mlflow_parse.h. */
#ifndef MLTOP_MLFLOW_REGISTRY_H
#define MLTOP_MLFLOW_REGISTRY_H

#include <stddef.h>

#include "clients/err.h"
#include "clients/model.h"

/* registered-models/search (§4.1). */
int mlflow_parse_models(const char *body, size_t len, struct mlflow_models *l, char **next_token,
                        struct err *e);
/* registered-models/get (§4.2): replaces the model of the same name in l (or appends it) and
 * marks its aliases as authoritative (have_aliases). */
int mlflow_parse_model(const char *body, size_t len, struct mlflow_models *l, struct err *e);

/* model-versions/search (§4.4); model-versions/get and the alias GET {"model_version": …} when
 * next_token is NULL. */
int mlflow_parse_versions(const char *body, size_t len, struct mlflow_versions *l,
                          char **next_token, struct err *e);

#endif
