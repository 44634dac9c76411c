/* fuzz_mlflow_eval: clients/mlflow_parse_eval.h on arbitrary input: the eval_results_table.json
 * summary (pandas orient="split") and the loggedArtifacts tag lookup of the table's path. */
#include <stdlib.h>
#include <string.h>

#include "clients/mlflow_parse_eval.h"
#include "support.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct err e;
	struct mlflow_eval_table *t = mlflow_eval_table_new();
	mlflow_parse_eval_table((const char *)data, size, t, &e);
	mlflow_eval_table_free(&t);

	char *tag = fuzz_strndup(data, size), path[64];
	memset(path, 'x', sizeof path);
	if (mlflow_eval_table_path(tag, path, sizeof path) == 0)
		FUZZ_CHECK(memchr(path, '\0', sizeof path) != NULL);
	free(tag);
	return 0;
}
