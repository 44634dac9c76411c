/* fuzz_mlflow_runs: clients/mlflow_parse_runs.h mlflow_parse_runs, the hot runs/search and runs/get
 * decoder, on arbitrary bodies: each body is parsed twice into one store (the second pass takes
 * the update path of runs already there), then every run in the store is read back. */
#include <stdlib.h>
#include <string.h>

#include "clients/mlflow_parse_runs.h"
#include "support.h"

/* Reads every stored run through the store's accessors. */
static void walk(const struct runstore *s)
{
	size_t n = runstore_count(s);
	for (size_t i = 0; i < n; i++) {
		const struct mlflow_run *r = runstore_at(s, i);
		FUZZ_CHECK(r != NULL);
		FUZZ_CHECK(!r->id || runstore_find(s, r->id) == r);
		const char *strs[] = {runstore_git_commit(r), runstore_source_name(r),
		                      runstore_parent_run(r)};
		for (size_t j = 0; j < sizeof strs / sizeof strs[0]; j++)
			FUZZ_CHECK(!strs[j] || strlen(strs[j]) < ((size_t)1 << 30));
	}
	FUZZ_CHECK(runstore_at(s, n) == NULL);
	for (int kind = 0; kind < 3; kind++) {
		const uint32_t *ids = NULL;
		size_t nk = runstore_keys(s, kind, &ids);
		for (size_t k = 0; k < nk; k++)
			FUZZ_CHECK(runstore_key_name(s, ids[k]) != NULL);
	}
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	const char *body = (const char *)data;
	struct runstore *s = runstore_new();
	struct err e;
	char *next = NULL;
	size_t nruns = 0;
	int rc = mlflow_parse_runs(body, size, s, &nruns, &next, &e);
	FUZZ_CHECK(rc == 0 || next == NULL);
	FUZZ_CHECK(nruns <= size);
	free(next);
	next = NULL;
	rc = mlflow_parse_runs(body, size, s, &nruns, &next, &e);
	free(next);
	mlflow_parse_runs(body, size, s, &nruns, NULL, &e); /* runs/get */
	walk(s);
	runstore_free(&s);
	FUZZ_CHECK(s == NULL);
	return 0;
}
