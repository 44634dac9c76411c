/* fuzz_mlflow_parse: the MLflow decoders of clients/mlflow_parse.h (experiments, metric history
 * one run and bulk, artifact listings, /version) on arbitrary bodies. Besides the sanitizers'
 * verdict: a body is either refused or parsed, and a next-page token is only set on success. */
#include <stdlib.h>

#include "clients/mlflow_parse.h"
#include "support.h"

static void check_token(int rc, char **next)
{
	FUZZ_CHECK(rc == 0 || rc == ERR_PARSE || rc == ERR_NOMEM);
	FUZZ_CHECK(rc == 0 || *next == NULL);
	FUZZ_CHECK(*next == NULL || **next != '\0');
	free(*next);
	*next = NULL;
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	const char *body = (const char *)data;
	struct err e;
	char *next = NULL;

	struct mlflow_experiments *xl = mlflow_experiments_new();
	check_token(mlflow_parse_experiments(body, size, xl, &next, &e), &next);
	mlflow_parse_experiments(body, size, xl, NULL, &e); /* experiments/get */
	mlflow_experiments_free(&xl);

	struct mlflow_history *h = mlflow_history_new("loss");
	check_token(mlflow_parse_history(body, size, h, "run1", &next, &e), &next);
	check_token(mlflow_parse_history(body, size, h, NULL, &next, &e), &next);
	mlflow_history_sort(h);
	mlflow_history_free(&h);

	struct mlflow_artifacts *al = mlflow_artifacts_new();
	check_token(mlflow_parse_artifacts(body, size, al, &next, &e), &next);
	mlflow_artifacts_free(&al);

	struct mlflow_server_version v;
	mlflow_parse_server_version(body, size, &v, &e);
	return 0;
}
