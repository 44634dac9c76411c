#include "clients/mlflow_cache.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "clients/arena.h"
#include "clients/mlflow_parse.h"
#include "clients/mlflow_parse_registry.h"
#include "clients/mlflow_req.h"
#include "clients/mlflow_parse_runs.h"

/* Reads the manifest under key and checks it was filed for query: 0 with *pages and *when set,
 * 1 when there is none for this query, < 0 on error. */
static int manifest_read(mlflow_get_fn get, void *ud, const char *key, const char *query,
                         size_t *pages, int64_t *when)
{
	char *body = NULL;
	size_t len = 0;
	int rc = get(ud, key, &body, &len, when);
	if (rc == 0)
		rc = mlflow_req_manifest_match(body, len, query, pages);
	free(body);
	return rc;
}

typedef int (*mlflow_page_fn)(void *target, const char *body, size_t len, struct err *e);

/* Feeds pages [first, end) filed under key to parse. */
static int pages_read(mlflow_get_fn get, void *ud, const char *key, size_t first, size_t end,
                      mlflow_page_fn parse, void *target, struct err *e)
{
	int rc = 0;
	for (size_t i = first; rc == 0 && i < end; i++) {
		char *k = mlflow_req_page_key(key, i), *body = NULL;
		size_t len = 0;
		if (!k)
			return err_set(e, ERR_NOMEM, "MLflow cache: out of memory");
		rc = get(ud, k, &body, &len, NULL);
		free(k);
		if (rc == 0)
			rc = parse(target, body, len, e);
		free(body);
	}
	return rc;
}

/* The building block of the restores below, for loads filed the same way (pages "<key>/p<n>"
 * and a manifest under key, see clients/mlflow_req.h): checks the manifest was filed for query
 * and feeds every page to parse, which fills target. */
static int mlflow_restore_pages(mlflow_get_fn get, void *ud, const char *key, const char *query,
                                mlflow_page_fn parse, void *target, int64_t *fetched_ms,
                                struct err *e)
{
	size_t pages = 0;
	int64_t when = 0;
	int rc = manifest_read(get, ud, key, query, &pages, &when);
	if (rc == 0)
		rc = pages_read(get, ud, key, 0, pages, parse, target, e);
	if (rc == 0 && fetched_ms)
		*fetched_ms = when;
	return rc;
}

static int experiments_page(void *t, const char *body, size_t len, struct err *e)
{
	char *next = NULL;
	int rc = mlflow_parse_experiments(body, len, t, &next, e);
	free(next);
	return rc;
}

int mlflow_restore_experiments(mlflow_get_fn get, void *ud,
                               const struct mlflow_experiments_query *q,
                               struct mlflow_experiments **out, int64_t *fetched_ms, struct err *e)
{
	static const struct mlflow_experiments_query none = {0};
	char *query = mlflow_req_experiments_body(q ? q : &none, NULL);
	struct mlflow_experiments *l = mlflow_experiments_new();
	int rc = query && l ? mlflow_restore_pages(get, ud, "experiments", query, experiments_page,
	                                           l, fetched_ms, e)
	                    : err_set(e, ERR_NOMEM, "MLflow cache: out of memory");
	free(query);
	if (rc == 0)
		*out = l;
	else
		mlflow_experiments_free(&l);
	return rc;
}

static int runs_page(void *t, const char *body, size_t len, struct err *e)
{
	char *next = NULL;
	size_t n;
	int rc = mlflow_parse_runs(body, len, t, &n, &next, e);
	free(next);
	return rc;
}

int mlflow_restore_runs_step(mlflow_get_fn get, void *ud, const struct mlflow_runs_query *q,
                             struct runstore *store, size_t *page, int64_t *fetched_ms,
                             struct err *e)
{
	char *query = mlflow_req_runs_body(q, NULL), *key = mlflow_req_runs_key(q);
	size_t pages = 0;
	int64_t when = 0;
	int rc = query && key ? manifest_read(get, ud, key, query, &pages, &when)
	                      : err_set(e, ERR_NOMEM, "MLflow cache: out of memory");
	if (rc == 0 && *page < pages)
		rc = pages_read(get, ud, key, *page, *page + 1, runs_page, store, e);
	free(query);
	free(key);
	if (rc != 0)
		return rc;
	if (fetched_ms)
		*fetched_ms = when;
	if (*page < pages)
		(*page)++;
	return *page < pages ? 2 : 0;
}

int mlflow_restore_runs(mlflow_get_fn get, void *ud, const struct mlflow_runs_query *q,
                        struct runstore *store, int64_t *fetched_ms, struct err *e)
{
	size_t page = 0;
	int rc;
	while ((rc = mlflow_restore_runs_step(get, ud, q, store, &page, fetched_ms, e)) == 2)
		;
	return rc;
}

static int models_page(void *t, const char *body, size_t len, struct err *e)
{
	char *next = NULL;
	int rc = mlflow_parse_models(body, len, t, &next, e);
	free(next);
	return rc;
}

/* The registered-models/get bodies filed after the search: absent ones are no error. */
static int restore_model_details(mlflow_get_fn get, void *ud, struct mlflow_models *l,
                                 struct err *e)
{
	size_t n = l->n;
	for (size_t i = 0; i < n; i++) {
		if (!l->items[i].name)
			continue;
		char key[600], *body = NULL;
		size_t len = 0;
		snprintf(key, sizeof key, "model/%s", l->items[i].name);
		int rc = get(ud, key, &body, &len, NULL);
		if (rc == 0)
			rc = mlflow_parse_model(body, len, l, e);
		free(body);
		if (rc < 0)
			return rc;
	}
	return 0;
}

int mlflow_restore_models(mlflow_get_fn get, void *ud, const char *filter,
                          struct mlflow_models **out, int64_t *fetched_ms, struct err *e)
{
	char *query = mlflow_req_models_query(filter);
	struct mlflow_models *l = mlflow_models_new();
	int rc = query && l
	             ? mlflow_restore_pages(get, ud, "models", query, models_page, l, fetched_ms, e)
	             : err_set(e, ERR_NOMEM, "MLflow cache: out of memory");
	free(query);
	if (rc == 0 && !mlflow_models_aliases_searched(l))
		rc = restore_model_details(get, ud, l, e);
	if (rc == 0)
		*out = l;
	else
		mlflow_models_free(&l);
	return rc;
}

static int versions_page(void *t, const char *body, size_t len, struct err *e)
{
	char *next = NULL;
	int rc = mlflow_parse_versions(body, len, t, &next, e);
	free(next);
	return rc;
}

int mlflow_restore_versions(mlflow_get_fn get, void *ud, const char *model_name,
                            struct mlflow_versions **out, int64_t *fetched_ms, struct err *e)
{
	char *query = mlflow_req_versions_query(model_name);
	size_t n = strlen(model_name) + sizeof "versions/";
	char *key = malloc(n);
	struct mlflow_versions *l = mlflow_versions_new();
	int rc = ERR_NOMEM;
	if (query && key && l) {
		snprintf(key, n, "versions/%s", model_name);
		rc = mlflow_restore_pages(get, ud, key, query, versions_page, l, fetched_ms, e);
	} else {
		err_set(e, ERR_NOMEM, "MLflow cache: out of memory");
	}
	free(query);
	free(key);
	if (rc == 0)
		*out = l;
	else
		mlflow_versions_free(&l);
	return rc;
}

/* An empty series for run_id, unless it has one. */
static int series_ensure(struct mlflow_history *h, const char *run_id)
{
	if (mlflow_history_find(h, run_id))
		return 0;
	const char *id = arena_strdup(h->arena, run_id);
	struct mlflow_series *s =
	    id ? mlflow_list_push((void **)&h->series, &h->n, &h->cap, sizeof *s) : NULL;
	if (!s)
		return -1;
	s->run_id = id;
	return 0;
}

/* The filed series of one run into h: 0 restored (its sampled flag and time folded into
 * *sampled and *oldest), 1 absent or damaged, < 0 error. A run given twice is restored once. */
static int series_restore(mlflow_get_fn get, void *ud, struct mlflow_history *h, const char *run_id,
                          int *sampled, int64_t *oldest, struct err *e)
{
	if (mlflow_history_find(h, run_id))
		return 0;
	char *key = mlflow_req_history_key(run_id, h->metric_key), *body = NULL, *next = NULL;
	size_t len = 0;
	int64_t when = 0;
	struct err pe = {0};
	int rc = key ? get(ud, key, &body, &len, &when)
	             : err_set(e, ERR_NOMEM, "MLflow cache: out of memory");
	if (rc == 0) {
		rc = mlflow_parse_history(body, len, h, run_id, &next, &pe);
		if (rc == ERR_PARSE)
			rc = 1; /* nothing was added: as if it were not there */
		else if (rc < 0)
			err_set(e, rc, "%s", pe.msg);
	}
	if (rc == 0 && series_ensure(h, run_id))
		rc = err_set(e, ERR_NOMEM, "MLflow cache: out of memory");
	if (rc == 0) {
		*sampled &= mlflow_req_history_sampled(body, len);
		*oldest = *oldest && *oldest < when ? *oldest : when;
	}
	free(key);
	free(body);
	free(next);
	return rc;
}

int mlflow_restore_history(mlflow_get_fn get, void *ud, const char *const *run_ids, size_t n,
                           const char *metric, struct mlflow_history **out, int64_t *fetched_ms,
                           struct err *e)
{
	struct mlflow_history *h = metric && *metric ? mlflow_history_new(metric) : NULL;
	size_t found = 0;
	int sampled = 1, rc = h ? 0 : err_set(e, ERR_NOMEM, "MLflow cache: out of memory");
	int64_t oldest = 0;
	for (size_t i = 0; rc == 0 && i < n; i++) {
		int r =
		    run_ids[i] ? series_restore(get, ud, h, run_ids[i], &sampled, &oldest, e) : 1;
		if (r < 0)
			rc = r;
		found += r == 0;
	}
	if (rc == 0 && !found)
		rc = 1;
	if (rc != 0) {
		mlflow_history_free(&h);
		return rc;
	}
	mlflow_history_sort(h);
	h->sampled = sampled;
	*out = h;
	if (fetched_ms)
		*fetched_ms = oldest;
	return found == n ? 0 : MLFLOW_RESTORE_SOME;
}
