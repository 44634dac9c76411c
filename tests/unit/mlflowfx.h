/* mlflowfx: an MLflow client on a test server for the client tests: the server (testsrv), the
 * HTTP pool and the client, started and stopped together. */
#ifndef MLTOP_TESTS_MLFLOWFX_H
#define MLTOP_TESTS_MLFLOWFX_H

#include "clients/http.h"
#include "clients/mlflow.h"
#include "tests/unit/testsrv.h"

/* Starts the three with cfg, whose base_url becomes the server's URL followed by suffix ("" or
 * "/"). Fails the test when one does not start. */
void mlflowfx_start(struct testsrv **srv, struct http **h, struct mlflow **m,
                    struct mlflow_config cfg, const char *suffix);

/* Stops what mlflowfx_start started (the client first); the pointers become NULL. */
void mlflowfx_stop(struct testsrv **srv, struct http **h, struct mlflow **m);

#endif
