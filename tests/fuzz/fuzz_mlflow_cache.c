/* fuzz_mlflow_cache: the cache restores of clients/mlflow_cache.h and the page manifest of
 * clients/mlflow_req.h on arbitrary cached bodies (a cache file can be old, corrupt or edited).
 * Input: one byte of control, then bodies separated by NUL bytes. The control byte picks the
 * restore (experiments, runs, models, versions; bits 0-1), whether body 0 is the manifest as
 * cached (bit 2) or a well-formed manifest for the right query is made for it (bits 3-5: pages),
 * so that the fuzzer reaches the page parsers. Pages p<n> are body n+1; each model/NAME lookup
 * takes the next body after the pages. A manifest made by mlflow_req_manifest must match its own
 * query with the same page count. */
#include <stdlib.h>
#include <string.h>

#include "clients/mlflow_cache.h"
#include "clients/mlflow_req.h"
#include "support.h"

#define MAX_BODIES 16

struct cached {
	const char *body[MAX_BODIES];
	size_t len[MAX_BODIES], n;
	int raw_manifest;
	size_t pages, next_model;
	const char *query; /* what the restore looks for */
};

static int give(const struct cached *c, size_t i, char **body, size_t *len)
{
	if (i >= c->n)
		return 1;
	*body = fuzz_strndup((const uint8_t *)c->body[i], c->len[i]);
	*len = c->len[i];
	return 0;
}

static int get(void *ud, const char *key, char **body, size_t *len, int64_t *fetched_ms)
{
	struct cached *c = ud;
	const char *p = strrchr(key, '/');
	if (fetched_ms)
		*fetched_ms = 1718000000000LL;
	if (strncmp(key, "model/", 6) == 0)
		return give(c, c->pages + 1 + c->next_model++, body, len);
	if (p && p[1] == 'p' && p[2] >= '0' && p[2] <= '9')
		return give(c, 1 + strtoul(p + 2, NULL, 10), body, len);
	if (c->raw_manifest)
		return give(c, 0, body, len);
	*body = mlflow_req_manifest(c->pages, c->query);
	FUZZ_CHECK(*body != NULL);
	*len = strlen(*body);
	size_t pages = 0;
	FUZZ_CHECK(mlflow_req_manifest_match(*body, *len, c->query, &pages) == 0);
	FUZZ_CHECK(pages == c->pages);
	return 0;
}

static const char *const exp_ids[] = {"1", "12"};
static const struct mlflow_runs_query runs_q = {.experiment_ids = exp_ids, .nexperiments = 2};
static const struct mlflow_experiments_query exp_q = {0};

static void restore(struct cached *c, int kind)
{
	struct err e;
	int64_t when = 0;
	char *query = kind == 0   ? mlflow_req_experiments_body(&exp_q, NULL)
	              : kind == 1 ? mlflow_req_runs_body(&runs_q, NULL)
	              : kind == 2 ? mlflow_req_models_query(NULL)
	                          : mlflow_req_versions_query("churn");
	FUZZ_CHECK(query != NULL);
	c->query = query;
	if (kind == 0) {
		struct mlflow_experiments *l = NULL;
		if (mlflow_restore_experiments(get, c, &exp_q, &l, &when, &e) == 0)
			mlflow_experiments_free(&l);
	} else if (kind == 1) {
		struct runstore *s = runstore_new();
		mlflow_restore_runs(get, c, &runs_q, s, &when, &e);
		runstore_free(&s);
	} else if (kind == 2) {
		struct mlflow_models *l = NULL;
		if (mlflow_restore_models(get, c, NULL, &l, &when, &e) == 0)
			mlflow_models_free(&l);
	} else {
		struct mlflow_versions *l = NULL;
		if (mlflow_restore_versions(get, c, "churn", &l, &when, &e) == 0)
			mlflow_versions_free(&l);
	}
	free(query);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	if (size < 1)
		return 0;
	struct cached c = {.raw_manifest = data[0] >> 2 & 1, .pages = data[0] >> 3 & 7};
	c.n = fuzz_split(data + 1, size - 1, c.body, c.len, MAX_BODIES);

	size_t pages = 0;
	char *q = fuzz_strndup((const uint8_t *)c.body[c.n - 1], c.len[c.n - 1]);
	mlflow_req_manifest_match(c.body[0], c.len[0], q, &pages);
	mlflow_req_manifest_match(c.body[0], c.len[0], NULL, &pages);
	free(q);

	restore(&c, data[0] & 3);
	return 0;
}
