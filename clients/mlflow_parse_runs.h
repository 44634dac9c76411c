/* mlflow_parse_runs: the parser of runs/search pages and runs/get bodies into a run store. This is
 * the hot path of a 100,000-run load: one pass over each run's members, keys interned, strings
 * copied once into the store's arena, the cJSON tree freed before returning.
 * Error conventions as in clients/mlflow_parse.h. */
#ifndef MLTOP_MLFLOW_PARSE_RUNS_H
#define MLTOP_MLFLOW_PARSE_RUNS_H

#include <stddef.h>

#include "clients/err.h"
#include "clients/runstore.h"

/* runs/search: adds the page's runs to s (a run already there is updated) and sets *nruns
 * to how many the page held. runs/get {"run": …} when next_token is NULL. */
int mlflow_parse_runs(const char *body, size_t len, struct runstore *s, size_t *nruns,
                      char **next_token, struct err *e);

#endif
