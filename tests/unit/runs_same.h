/* runs_same: whether two run stores hold the same thing, field for field: the intern table (every
 * key id and its name, the metric, param and tag key lists) and every run (strings by content,
 * metric values bit for bit, so that NaN and -0 count). For the tests and the fuzz target that
 * hold mltop's two runs readers (clients/mlflow_parse_runs.h) to one result. */
#ifndef MLTOP_TEST_RUNS_SAME_H
#define MLTOP_TEST_RUNS_SAME_H

#include <stddef.h>

#include "clients/runstore.h"

/* 1 when a and b are the same; 0 with the first difference described in why. */
int runs_same(const struct runstore *a, const struct runstore *b, char *why, size_t n);

#endif
