/* mlflow_write: single registry calls (docs/wire-formats.md, MLflow: registry), for promote,
 * canary and rollback: read the current state just before writing, then write. Each is one
 * request, never retried here; the final event (kind MLFLOW_REGISTRY_CALL) has rc 0, or rc < 0
 * with the error line and the HTTP status (404 for an unknown model or version; 400
 * INVALID_PARAMETER_VALUE for an alias the server does not have, and 500 for archive_existing
 * with a stage other than Staging or Production, as MLflow answers them). Calls that answer with
 * a model version put it in ev->versions (one item); mlflow_get_model puts the model, with its
 * authoritative aliases, in ev->models (one item). Writes send a JSON body, DELETE included. */
#ifndef MLTOP_MLFLOW_WRITE_H
#define MLTOP_MLFLOW_WRITE_H

#include "clients/mlflow.h"

/* GET registered-models/get: the model with its aliases and latest versions. */
long mlflow_get_model(struct mlflow *m, const char *name, mlflow_event_fn fn, void *ud,
                      struct err *e);
/* GET registered-models/alias: the version an alias points to (in ev->versions). */
long mlflow_get_alias(struct mlflow *m, const char *name, const char *alias, mlflow_event_fn fn,
                      void *ud, struct err *e);
/* POST registered-models/alias: sets or moves the alias. */
long mlflow_set_alias(struct mlflow *m, const char *name, const char *alias, const char *version,
                      mlflow_event_fn fn, void *ud, struct err *e);
/* DELETE registered-models/alias, arguments in the JSON body. */
long mlflow_delete_alias(struct mlflow *m, const char *name, const char *alias, mlflow_event_fn fn,
                         void *ud, struct err *e);
/* POST model-versions/transition-stage (deprecated since 2.9, still served): stage is "None",
 * "Staging", "Production" or "Archived"; the updated version comes back in ev->versions. */
long mlflow_transition_stage(struct mlflow *m, const char *name, const char *version,
                             const char *stage, int archive_existing, mlflow_event_fn fn, void *ud,
                             struct err *e);
/* POST model-versions/set-tag. */
long mlflow_set_version_tag(struct mlflow *m, const char *name, const char *version,
                            const char *key, const char *value, mlflow_event_fn fn, void *ud,
                            struct err *e);

/* One registry write given whole, as a rollout plan shows it: POST or DELETE of
 * registered-models/alias, or POST of model-versions/transition-stage (path from the server's
 * base, "/api/2.0/mlflow/..."), with body sent as given. ERR_ARG for any other request. */
long mlflow_registry_send(struct mlflow *m, const char *method, const char *path, const char *body,
                          mlflow_event_fn fn, void *ud, struct err *e);

#endif
