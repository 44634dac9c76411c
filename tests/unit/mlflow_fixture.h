/* mlflow_fixture: reads a file of tests/fixtures/mlflow/ for the MLflow client tests. */
#ifndef MLTOP_MLFLOW_FIXTURE_H
#define MLTOP_MLFLOW_FIXTURE_H

#include <stddef.h>

/* The whole file, NUL-terminated, malloc'd (caller frees); *len may be NULL. Fails the test when
 * the file cannot be read. Files are looked up under $MLTOP_FIXTURES, else tests/fixtures/mlflow.
 */
char *mlflow_fixture(const char *name, size_t *len);

#endif
