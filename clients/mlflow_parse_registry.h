/* mlflow_parse_registry: parsers of the model registry bodies (docs/wire-formats.md, MLflow:
 * registry): registered models (with their aliases as {alias, version} objects) and model versions
 * (aliases as plain strings). Error conventions as in clients/mlflow_parse.h. */
#ifndef MLTOP_MLFLOW_PARSE_REGISTRY_H
#define MLTOP_MLFLOW_PARSE_REGISTRY_H

#include <stddef.h>

#include "clients/err.h"
#include "clients/mlflow_types.h"

/* registered-models/search. */
int mlflow_parse_models(const char *body, size_t len, struct mlflow_models *l, char **next_token,
                        struct err *e);
/* registered-models/get: replaces the model of the same name in l (or appends it) and
 * marks its aliases as authoritative (have_aliases). */
int mlflow_parse_model(const char *body, size_t len, struct mlflow_models *l, struct err *e);

/* After a complete registered-models/search: when any model of l has aliases, the server puts
 * aliases in its search answers (current servers do), so every model's aliases are what the
 * search said: they are all marked authoritative (have_aliases) and 1 is returned. 0 when no
 * model has any (registered-models/get tells them). */
int mlflow_models_aliases_searched(struct mlflow_models *l);

/* Gives every version of m in l the aliases the registered model m says point to it (copied into
 * l's arena): model-versions/search leaves them out on SQL stores. 0, or -1 out of memory. */
int mlflow_versions_set_aliases(struct mlflow_versions *l, const struct mlflow_registered_model *m);

/* model-versions/search; model-versions/get and the alias GET {"model_version": …} when
 * next_token is NULL. */
int mlflow_parse_versions(const char *body, size_t len, struct mlflow_versions *l,
                          char **next_token, struct err *e);

#endif
