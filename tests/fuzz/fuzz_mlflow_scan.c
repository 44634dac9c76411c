/* fuzz_mlflow_scan: mltop's two readers of runs bodies held to one result on arbitrary bodies.
 * Each body goes, as a runs/search page and as a runs/get body, into fresh stores and into stores
 * that already hold a page: through the cJSON parser alone, through mlflow_parse_runs (the
 * scanner, the cJSON parser for what it declines) and through the scanner alone (a body it
 * declines must leave its store untouched). Return codes, run counts, page tokens, error texts
 * and the stores, field for field, must agree. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "clients/mlflow_parse_runs.h"
#include "clients/mlflow_scan_runs.h"
#include "support.h"
#include "tests/unit/runs_same.c" /* the comparator of the unit tests, built into this target */

static const char loaded_page[] =
    "{\"runs\":[{\"info\":{\"run_id\":\"r1\",\"experiment_id\":\"1\",\"user_id\":\"ann\"},"
    "\"data\":{\"metrics\":[{\"key\":\"loss\",\"value\":0.5,\"timestamp\":1,\"step\":2}],"
    "\"params\":[{\"key\":\"lr\",\"value\":\"0.1\"}],\"tags\":[{\"key\":\"mlflow.user\","
    "\"value\":\"ann\"}]}}]}";

static struct runstore *store(int loaded)
{
	struct runstore *s = runstore_new();
	size_t n;
	char *next = NULL;
	FUZZ_CHECK(s != NULL);
	if (loaded)
		FUZZ_CHECK(mlflow_parse_runs_cjson(loaded_page, sizeof loaded_page - 1, s, &n,
		                                   &next, NULL) == 0);
	free(next);
	return s;
}

static void same(const struct runstore *a, const struct runstore *b)
{
	char why[512];
	int ok = runs_same(a, b, why, sizeof why);
	if (!ok)
		fprintf(stderr, "fuzz_mlflow_scan: %s\n", why);
	FUZZ_CHECK(ok);
}

static int same_str(const char *a, const char *b)
{
	return (!a && !b) || (a && b && strcmp(a, b) == 0);
}

/* One body three ways into stores that start alike. */
static void three_ways(const char *body, size_t size, int search, int loaded)
{
	struct runstore *s[3] = {store(loaded), store(loaded), store(loaded)};
	size_t n[3] = {0, 0, 0};
	char *tok[3] = {NULL, NULL, NULL};
	struct err e[3] = {{0}, {0}, {0}};
	int rc2 = mlflow_scan_runs(body, size, s[2], &n[2], search ? &tok[2] : NULL, &e[2]);
	if (rc2 == MLFLOW_SCAN_DECLINED) {
		same(s[0], s[2]);
		rc2 = mlflow_parse_runs_cjson(body, size, s[2], &n[2], search ? &tok[2] : NULL,
		                              &e[2]);
	}
	int rc0 = mlflow_parse_runs_cjson(body, size, s[0], &n[0], search ? &tok[0] : NULL, &e[0]);
	int rc1 = mlflow_parse_runs(body, size, s[1], &n[1], search ? &tok[1] : NULL, &e[1]);
	FUZZ_CHECK(rc0 == rc1 && rc0 == rc2);
	FUZZ_CHECK(n[0] == n[1] && n[0] == n[2]);
	FUZZ_CHECK(same_str(tok[0], tok[1]) && same_str(tok[0], tok[2]));
	FUZZ_CHECK(!rc0 || (strcmp(e[0].msg, e[1].msg) == 0 && strcmp(e[0].msg, e[2].msg) == 0));
	same(s[0], s[1]);
	same(s[0], s[2]);
	for (int i = 0; i < 3; i++) {
		free(tok[i]);
		runstore_free(&s[i]);
	}
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	for (int search = 0; search < 2; search++)
		for (int loaded = 0; loaded < 2; loaded++)
			three_ways((const char *)data, size, search, loaded);
	return 0;
}
