/* mlflow_parse_runs: the parser of runs/search pages and runs/get bodies into a run store. This is
 * the hot path of a 100,000-run load. The one place that decides how a body is read: first by
 * clients/mlflow_scan_runs.h, straight from the bytes into the store; what that declines (bad or
 * unusual JSON, lists of the wrong type, error bodies) by the cJSON parser here, which words the
 * errors: one pass over each run's members, keys interned, strings copied once into the store's
 * arena, the tree freed before returning. Error conventions as in clients/mlflow_parse.h. */
#ifndef MLTOP_MLFLOW_PARSE_RUNS_H
#define MLTOP_MLFLOW_PARSE_RUNS_H

#include <stddef.h>

#include "clients/err.h"
#include "clients/runstore.h"

/* runs/search: adds the page's runs to s (a run already there is updated) and sets *nruns
 * to how many the page held. runs/get {"run": …} when next_token is NULL. */
int mlflow_parse_runs(const char *body, size_t len, struct runstore *s, size_t *nruns,
                      char **next_token, struct err *e);
/* The cJSON parser alone, for the tests that hold the two readers to the same result. */
int mlflow_parse_runs_cjson(const char *body, size_t len, struct runstore *s, size_t *nruns,
                            char **next_token, struct err *e);

#endif
