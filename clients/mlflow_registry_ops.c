#include "clients/mlflow_registry_ops.h"

#include <stdlib.h>
#include <string.h>

#include "clients/mlflow_op.h"
#include "clients/mlflow_parse_registry.h"
#include "clients/mlflow_req.h"

#define API           "/api/2.0/mlflow/"
#define VERSIONS_PATH "/api/2.0/mlflow/model-versions/search"

/* The query of a search: the same for the fetch and for the restore of the manifest. */
static char *search_query(const char *filter)
{
	const char *pairs[] = {"filter",      filter && *filter ? filter : NULL,
	                       "max_results", "1000",
	                       "order_by",    "name ASC",
	                       "order_by",    "version_number DESC",
	                       NULL};
	return mlflow_req_query(pairs);
}

static int search_request(struct op *o, struct err *e)
{
	return op_send(o, "GET", VERSIONS_PATH, o->query, NULL, e);
}

static int search_parse(struct op *o, const char *body, size_t len, char **next, struct err *e)
{
	int rc = mlflow_parse_versions(body, len, o->res.versions, next, e);
	o->res.count = o->res.versions->n;
	return rc;
}

static const struct op_class search_class = {
    MLFLOW_VERSIONS, "model-versions/search", search_request, op_paged_answer, search_parse,
};

long mlflow_versions_search(struct mlflow *m, const char *filter, mlflow_event_fn fn, void *ud,
                            struct err *e)
{
	if (!m || !fn)
		return err_set(e, ERR_ARG, "MLflow: no client or no callback");
	struct op *o = op_new(m, &search_class, fn, ud);
	if (!o)
		return err_set(e, ERR_NOMEM, "MLflow: out of memory");
	o->query = search_query(filter);
	o->res.versions = mlflow_versions_new();
	int filed = !filter || !*filter;
	if (filed)
		o->key = strdup(MLFLOW_ALL_VERSIONS_KEY);
	if (!o->query || !o->res.versions || (filed && !o->key)) {
		op_destroy(o);
		return err_set(e, ERR_NOMEM, "MLflow: out of memory");
	}
	return op_start(o, e);
}

/* Reads filed page i into l. */
static int restore_page(mlflow_get_fn get, void *ud, size_t i, struct mlflow_versions *l,
                        struct err *e)
{
	char *k = mlflow_req_page_key(MLFLOW_ALL_VERSIONS_KEY, i), *body = NULL, *next = NULL;
	size_t len = 0;
	if (!k)
		return err_set(e, ERR_NOMEM, "MLflow cache: out of memory");
	int rc = get(ud, k, &body, &len, NULL);
	free(k);
	if (rc == 0)
		rc = mlflow_parse_versions(body, len, l, &next, e);
	free(body);
	free(next);
	return rc;
}

int mlflow_restore_all_versions(mlflow_get_fn get, void *ud, struct mlflow_versions **out,
                                int64_t *fetched_ms, struct err *e)
{
	char *query = search_query(NULL), *man = NULL;
	struct mlflow_versions *l = mlflow_versions_new();
	size_t len = 0, pages = 0;
	int64_t when = 0;
	int rc;
	if (!query || !l) {
		rc = err_set(e, ERR_NOMEM, "MLflow cache: out of memory");
		goto out;
	}
	rc = get(ud, MLFLOW_ALL_VERSIONS_KEY, &man, &len, &when);
	if (rc == 0)
		rc = mlflow_req_manifest_match(man, len, query, &pages);
	for (size_t i = 0; rc == 0 && i < pages; i++)
		rc = restore_page(get, ud, i, l, e);
out:
	free(query);
	free(man);
	if (rc == 0) {
		*out = l;
		if (fetched_ms)
			*fetched_ms = when;
	} else {
		mlflow_versions_free(&l);
	}
	return rc;
}

/* ---- the versions a run produced ---- */

static int by_run_request(struct op *o, struct err *e)
{
	if (o->phase == 1)
		return op_send_model_get(o, e);
	return op_send(o, "GET", API "model-versions/search", o->query, NULL, e);
}

static int by_run_parse(struct op *o, const char *body, size_t len, char **next, struct err *e)
{
	int rc = mlflow_parse_versions(body, len, o->res.versions, next, e);
	o->res.count = o->res.versions->n;
	return rc;
}

static int has_name(const struct op *o, const char *name)
{
	for (size_t i = 0; i < o->nnames; i++)
		if (strcmp(o->names[i], name) == 0)
			return 1;
	return 0;
}

/* The versions are in: their aliases come from their registered models (the search leaves them
 * out on SQL stores), one registered-models/get per model. */
static int by_run_searched(struct op *o, struct err *e)
{
	const struct mlflow_versions *l = o->res.versions;
	o->phase = 1;
	o->res.models = mlflow_models_new();
	if (!o->res.models)
		return err_set(e, ERR_NOMEM, "MLflow: out of memory");
	for (size_t i = 0; i < l->n; i++) {
		const char *name = l->items[i].name;
		if (name && !has_name(o, name) && op_names_add(o, l->n, name))
			return err_set(e, ERR_NOMEM, "MLflow: out of memory");
	}
	o->parallel = OP_PARALLEL;
	return o->nnames ? OP_MORE : OP_DONE;
}

static int by_run_answer(struct op *o, const struct http_resp *r, struct err *e)
{
	if (o->phase == 0) {
		int rc = op_paged_answer(o, r, e);
		return rc == OP_DONE ? by_run_searched(o, e) : rc;
	}
	int rc = op_model_answer(o, r, e);
	if (rc < 0)
		return rc;
	const struct mlflow_registered_model *m =
	    rc == 0 ? mlflow_models_find(o->res.models, o->names[o->tag]) : NULL;
	if (m && mlflow_versions_set_aliases(o->res.versions, m))
		return err_set(e, ERR_NOMEM, "MLflow: out of memory");
	return op_names_left(o);
}

static const struct op_class by_run_class = {
    MLFLOW_VERSIONS, "model-versions/search", by_run_request, by_run_answer, by_run_parse,
};

long mlflow_versions_by_run(struct mlflow *m, const char *run_id, mlflow_event_fn fn, void *ud,
                            struct err *e)
{
	if (!fn)
		return err_set(e, ERR_ARG, "MLflow: no callback");
	if (!run_id || !*run_id)
		return err_set(e, ERR_ARG, "MLflow model-versions/search: no run id");
	char *filter = mlflow_req_filter_eq("run_id", run_id);
	if (!filter)
		return err_set(e, ERR_CONFIG, "MLflow: the run id cannot be quoted");
	const char *pairs[] = {
	    "filter", filter, "max_results", "1000", "order_by", "version_number DESC", NULL};
	struct op *o = op_new(m, &by_run_class, fn, ud);
	if (!o) {
		free(filter);
		return err_set(e, ERR_NOMEM, "MLflow: out of memory");
	}
	o->query = mlflow_req_query(pairs);
	free(filter);
	o->res.versions = mlflow_versions_new();
	if (!o->query || !o->res.versions) {
		op_destroy(o);
		return err_set(e, ERR_NOMEM, "MLflow: out of memory");
	}
	return op_start(o, e);
}

char *mlflow_run_id_filter(const char *run_id)
{
	return run_id ? mlflow_req_filter_eq("attributes.run_id", run_id) : NULL;
}
