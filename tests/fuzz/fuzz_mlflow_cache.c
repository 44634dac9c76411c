/* fuzz_mlflow_cache: the cache restores of clients/mlflow_cache.h, the page manifest and the
 * filed metric history of clients/mlflow_req.h on arbitrary cached bodies (a cache file can be
 * old, corrupt or edited). Input: one byte of control, then bodies separated by NUL bytes. The
 * control byte picks the restore (bits 0-2 modulo 5: experiments, runs, models, versions,
 * history), whether body 0 is the manifest as cached (bit 3) or a well-formed manifest for the
 * right query is made for it (bits 4-6: pages), so that the fuzzer reaches the page parsers.
 * Pages p<n> are body n+1; each model/NAME and history/RUN/METRIC lookup takes the next body
 * after the pages. A manifest made by mlflow_req_manifest must match its own query with the same
 * page count, and a restored history series filed again by mlflow_req_history_body must read
 * back the same. */
#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "clients/mlflow_cache.h"
#include "clients/mlflow_parse.h"
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
	if (strncmp(key, "model/", 6) == 0 || strncmp(key, "history/", 8) == 0)
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

/* The series filed again (whole, then cut to 3 points) reads back the same points. */
static void refile(const struct mlflow_series *s)
{
	for (size_t max = 0; max <= 3; max += 3) {
		size_t len = 0, keep = max && s->n > max ? max : s->n;
		char *body = mlflow_req_history_body(s, 0, max, &len), *next = NULL;
		FUZZ_CHECK(body != NULL && len == strlen(body));
		FUZZ_CHECK(mlflow_req_history_sampled(body, len) == (keep < s->n));
		struct mlflow_history *h = mlflow_history_new("loss");
		FUZZ_CHECK(mlflow_parse_history(body, len, h, "r", &next, NULL) == 0);
		const struct mlflow_series *b = mlflow_history_find(h, "r");
		FUZZ_CHECK(keep == 0 || (b && b->n == keep));
		for (size_t i = 0; b && keep == s->n && i < keep; i++) {
			const struct mlflow_point *x = &s->points[i], *y = &b->points[i];
			FUZZ_CHECK(x->step == y->step && x->timestamp == y->timestamp);
			FUZZ_CHECK(x->value == y->value || (isnan(x->value) && isnan(y->value)));
		}
		mlflow_history_free(&h);
		free(body);
		free(next);
	}
}

static void restore_history(struct cached *c)
{
	static const char *const runs[] = {"r1", "r2", "r1", NULL};
	struct mlflow_history *h = NULL;
	int rc = mlflow_restore_history(get, c, runs, 4, "loss", &h, NULL, NULL);
	if (rc != 0 && rc != MLFLOW_RESTORE_SOME)
		return;
	FUZZ_CHECK(h != NULL && h->n <= 2);
	for (size_t i = 0; i < h->n; i++)
		refile(&h->series[i]);
	mlflow_history_free(&h);
}

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
	} else if (kind == 3) {
		struct mlflow_versions *l = NULL;
		if (mlflow_restore_versions(get, c, "churn", &l, &when, &e) == 0)
			mlflow_versions_free(&l);
	} else {
		restore_history(c);
	}
	free(query);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	if (size < 1)
		return 0;
	struct cached c = {.raw_manifest = data[0] >> 3 & 1, .pages = data[0] >> 4 & 7};
	c.n = fuzz_split(data + 1, size - 1, c.body, c.len, MAX_BODIES);

	size_t pages = 0;
	char *q = fuzz_strndup((const uint8_t *)c.body[c.n - 1], c.len[c.n - 1]);
	mlflow_req_manifest_match(c.body[0], c.len[0], q, &pages);
	mlflow_req_manifest_match(c.body[0], c.len[0], NULL, &pages);
	free(q);

	restore(&c, (data[0] & 7) % 5);
	return 0;
}
