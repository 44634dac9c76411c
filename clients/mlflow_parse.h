/* mlflow_parse: pure parsers of MLflow response bodies (docs/wire-formats.md) into the structs of
 * clients/mlflow_types.h: experiments, metric history, artifacts, /version. Runs are parsed by
 * clients/mlflow_parse_runs.h, the registry by clients/mlflow_parse_registry.h, eval tables by
 * clients/mlflow_parse_eval.h. No I/O; the cJSON tree is freed before returning.
 *
 * Every field is optional. A body that is not JSON, is truncated, or whose top level or list
 * member has the wrong type ("runs" an object, the body an array) fails with ERR_PARSE and a
 * one-line message; a wrong type deeper down (a string for a number) counts as absent. Page
 * parsers append to the list they are given and set *next_token to a malloc'd copy of a non-empty
 * next_page_token, or NULL on the last page. */
#ifndef MLTOP_MLFLOW_PARSE_H
#define MLTOP_MLFLOW_PARSE_H

#include <stddef.h>

#include "clients/err.h"
#include "clients/mlflow_types.h"

/* experiments/search; experiments/get {"experiment": …} with next_token NULL. */
int mlflow_parse_experiments(const char *body, size_t len, struct mlflow_experiments *l,
                             char **next_token, struct err *e);

/* metrics/get-history (run_id given, points carry none) or get-history-bulk-interval (run_id
 * NULL, grouped by each point's run_id). Appends points; mlflow_history_sort orders every
 * series by (step, timestamp) once all pages are in. */
int mlflow_parse_history(const char *body, size_t len, struct mlflow_history *h, const char *run_id,
                         char **next_token, struct err *e);
void mlflow_history_sort(struct mlflow_history *h);

/* artifacts/list and the artifact proxy's listing. */
int mlflow_parse_artifacts(const char *body, size_t len, struct mlflow_artifacts *l,
                           char **next_token, struct err *e);

/* GET /version: plain text "3.4.0". */
int mlflow_parse_server_version(const char *body, size_t len, struct mlflow_server_version *v,
                                struct err *e);

#endif
