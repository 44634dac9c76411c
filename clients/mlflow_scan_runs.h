/* mlflow_scan_runs: the fast path of clients/mlflow_parse_runs.h. It reads a runs/search page or a
 * runs/get body with clients/jscan.h straight into the run store, building no cJSON tree, and
 * fills each struct mlflow_run exactly as the cJSON parser does (the same strings, the same keys
 * interned in the same order, the same NaN for a value that is not a number).
 *
 * It reads the whole body before it changes the store, and declines (MLFLOW_SCAN_DECLINED, the
 * store and *next_token untouched) whatever it does not read exactly as the cJSON parser would:
 * invalid or unusual JSON, a member given twice, a list of the wrong type, an error body. The
 * caller then hands the body to the cJSON parser, which decides and words the errors. */
#ifndef MLTOP_MLFLOW_SCAN_RUNS_H
#define MLTOP_MLFLOW_SCAN_RUNS_H

#include <stddef.h>
#include <stdint.h>

#include "clients/err.h"
#include "clients/runstore.h"

#define MLFLOW_SCAN_DECLINED 1

/* As mlflow_parse_runs, or MLFLOW_SCAN_DECLINED with nothing changed. */
int mlflow_scan_runs(const char *body, size_t len, struct runstore *s, size_t *nruns,
                     char **next_token, struct err *e);

/* What both parsers share. A tag or param value of this key is interned, not copied: */
int mlflow_scan_runs_interned(uint32_t key);
/* info.run_name and info.user_id win; the system tags fill what they lack. */
void mlflow_scan_runs_fill_from_tags(struct mlflow_run *r);
/* A run read: the error of running out of memory while reading it (oom), else the run put into
 * the store and counted in *nruns when it has an id. 0 or < 0. */
int mlflow_scan_runs_put(struct runstore *s, const struct mlflow_run *r, int oom, size_t *nruns,
                         struct err *e);

#endif
