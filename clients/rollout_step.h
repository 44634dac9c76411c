/* rollout_step: the requests a plan is made of (clients/rollout.h), one builder per kind: a KServe
 * JSON merge-patch of the InferenceService, an MLflow alias set or delete, a stage transition, a
 * hook's argv and environment. Each appends one step to a plan; the bodies are built here and
 * nowhere else, so that what a plan shows is exactly what is sent. */
#ifndef MLTOP_ROLLOUT_STEP_H
#define MLTOP_ROLLOUT_STEP_H

#include <stddef.h>

#include "clients/rollout.h"

/* canaryTrafficPercent in a patch: a value 0..100, or one of these. */
#define ROLLOUT_PCT_KEEP (-1) /* not in the patch */
#define ROLLOUT_PCT_NULL (-2) /* null: the field removed (100 % to the latest revision) */

/* MLflow paths, relative to the server's base URL. */
#define ROLLOUT_ALIAS_PATH "/api/2.0/mlflow/registered-models/alias"
#define ROLLOUT_STAGE_PATH "/api/2.0/mlflow/model-versions/transition-stage"

/* The merge-patch body: {"metadata":{"resourceVersion":rv},"spec":{"predictor":{
 * "canaryTrafficPercent":pct,"<framework>":{"storageUri":uri}}}}, each part only when given (rv
 * NULL, pct ROLLOUT_PCT_KEEP, uri NULL leave it out; framework NULL or "": "model"). */
char *rollout_step_kserve_body(const char *rv, const char *framework, int pct, const char *uri);

/* Appends a KServe patch of the plan's InferenceService (p->ns, p->isvc_name). rv_from: enum
 * rollout_rv (the plan's resourceVersion is p->resource_version). */
int rollout_step_kserve(struct rollout_plan *p, const char *framework, int pct, const char *uri,
                        int rv_from, const char *summary, const char *expect);
/* Appends POST registered-models/alias (version set) or DELETE (version NULL). */
int rollout_step_alias(struct rollout_plan *p, const char *alias, const char *version,
                       const char *expect);
/* Appends POST model-versions/transition-stage. */
int rollout_step_stage(struct rollout_plan *p, const char *version, const char *stage, int archive,
                       const char *expect);
/* Appends a hook: argv as configured, env MLTOP_ACTION, MLTOP_MODEL, MLTOP_VERSION,
 * MLTOP_PERCENT (empty when percent < 0), MLTOP_CONTEXT. */
int rollout_step_hook(struct rollout_plan *p, const char *const *argv, const char *action,
                      const char *version, int percent, const char *context);

/* Puts rv as the patch's metadata.resourceVersion (replacing any). 0 or ERR_NOMEM / ERR_PARSE. */
int rollout_step_rebase(struct rollout_step *s, const char *rv);

/* Frees what the step owns. */
void rollout_step_fini(struct rollout_step *s);

#endif
