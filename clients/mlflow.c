#include "clients/mlflow.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "clients/mlflow_fetch.h"
#include "clients/mlflow_op.h"
#include "clients/mlflow_parse.h"
#include "clients/mlflow_parse_registry.h"
#include "clients/mlflow_req.h"
#include "clients/mlflow_parse_runs.h"

#define API "/api/2.0/mlflow/"

/* "/prefix" with one leading and no trailing '/', or "". */
static int static_prefix_set(struct mlflow *m, const char *p)
{
	while (p && *p == '/')
		p++;
	size_t n = p ? strlen(p) : 0;
	while (n && p[n - 1] == '/')
		n--;
	m->static_prefix = malloc(n + 2);
	if (!m->static_prefix)
		return -1;
	m->static_prefix[0] = '\0';
	if (n)
		snprintf(m->static_prefix, n + 2, "/%.*s", (int)n, p);
	return 0;
}

struct mlflow *mlflow_new(struct http *http, const struct mlflow_config *cfg, struct err *e)
{
	const char *url = cfg ? cfg->base_url : NULL;
	if (!http || !url ||
	    (strncasecmp(url, "http://", 7) != 0 && strncasecmp(url, "https://", 8) != 0)) {
		err_set(e, ERR_CONFIG,
		        "MLflow: the tracking URI must start with http:// or https://");
		return NULL;
	}
	struct mlflow *m = calloc(1, sizeof *m);
	if (!m || !(m->base = strdup(url))) {
		free(m);
		err_set(e, ERR_NOMEM, "MLflow: out of memory");
		return NULL;
	}
	size_t n = strlen(m->base);
	while (n > 8 && m->base[n - 1] == '/')
		m->base[--n] = '\0';
	if (static_prefix_set(m, cfg->static_prefix)) {
		mlflow_free(&m);
		err_set(e, ERR_NOMEM, "MLflow: out of memory");
		return NULL;
	}
	m->http = http;
	m->auth = cfg->auth;
	m->now_ms = cfg->now_ms;
	m->timeout_ms = cfg->timeout_ms;
	m->max_body = cfg->max_body;
	m->put = cfg->put;
	m->put_ud = cfg->put_ud;
	m->max_pages = cfg->max_pages ? cfg->max_pages : MLFLOW_MAX_PAGES;
	m->max_items = cfg->max_items;
	return m;
}

void mlflow_free(struct mlflow **pm)
{
	if (!pm || !*pm)
		return;
	while ((*pm)->ops)
		op_destroy((*pm)->ops);
	mlflow_set_eval_rule(*pm, NULL, NULL);
	free((*pm)->base);
	free((*pm)->static_prefix);
	free(*pm);
	*pm = NULL;
}

void mlflow_cancel(struct mlflow *m, long op)
{
	for (struct op *o = m ? m->ops : NULL; o; o = o->next) {
		if (o->id == op) {
			if (o->in_callback)
				o->cancelled = 1;
			else
				op_destroy(o);
			return;
		}
	}
}

int mlflow_busy(const struct mlflow *m)
{
	int n = 0;
	for (const struct op *o = m->ops; o; o = o->next)
		n += !o->cancelled;
	return n;
}

/* ---- experiments and runs: POST searches ---- */

static int post_request(struct op *o, struct err *e)
{
	const char *path =
	    o->cls->kind == MLFLOW_RUNS ? API "runs/search" : API "experiments/search";
	return op_send(o, "POST", path, NULL, o->query, e);
}

static int experiments_parse(struct op *o, const char *body, size_t len, char **next, struct err *e)
{
	int rc = mlflow_parse_experiments(body, len, o->res.experiments, next, e);
	o->res.count = o->res.experiments->n;
	if (rc == 0 && o->first_page && *next) { /* a refresh: the rest is not wanted */
		free(*next);
		*next = NULL;
	}
	return rc;
}

static int runs_parse(struct op *o, const char *body, size_t len, char **next, struct err *e)
{
	size_t n = 0;
	int rc = mlflow_parse_runs(body, len, o->res.runs, &n, next, e);
	o->res.count += n;
	return rc;
}

static const struct op_class experiments_class = {
    MLFLOW_EXPERIMENTS, "experiments/search", post_request, op_paged_answer, experiments_parse,
};
static const struct op_class runs_class = {
    MLFLOW_RUNS, "runs/search", post_request, op_paged_answer, runs_parse,
};

static int check_fn(mlflow_event_fn fn, struct err *e)
{
	return fn ? 0 : err_set(e, ERR_ARG, "MLflow: no callback");
}

/* Every call ends the same way: set up, then send the first request. */
static long start_or_drop(struct op *o, int setup_ok, struct err *e)
{
	if (!setup_ok) {
		op_destroy(o);
		return err_set(e, ERR_NOMEM, "MLflow: out of memory");
	}
	return op_start(o, e);
}

long mlflow_experiments(struct mlflow *m, const struct mlflow_experiments_query *q,
                        mlflow_event_fn fn, void *ud, struct err *e)
{
	static const struct mlflow_experiments_query none = {0};
	if (check_fn(fn, e))
		return ERR_ARG;
	struct op *o = op_new(m, &experiments_class, fn, ud);
	if (!o)
		return err_set(e, ERR_NOMEM, "MLflow: out of memory");
	q = q ? q : &none;
	o->query = mlflow_req_experiments_body(q, NULL);
	o->first_page = q->first_page_only;
	o->key = q->first_page_only ? NULL : strdup("experiments");
	o->res.experiments = mlflow_experiments_new();
	return start_or_drop(o, o->query && (o->key || o->first_page) && o->res.experiments, e);
}

long mlflow_runs(struct mlflow *m, const struct mlflow_runs_query *q, struct runstore *store,
                 mlflow_event_fn fn, void *ud, struct err *e)
{
	if (check_fn(fn, e))
		return ERR_ARG;
	if (!q || !q->nexperiments || !store)
		return err_set(e, ERR_ARG, "MLflow runs/search: no experiment or no run store");
	for (size_t i = 0; i < q->nexperiments; i++)
		if (!q->experiment_ids[i])
			return err_set(e, ERR_ARG, "MLflow runs/search: an experiment id is NULL");
	struct op *o = op_new(m, &runs_class, fn, ud);
	if (!o)
		return err_set(e, ERR_NOMEM, "MLflow: out of memory");
	o->query = mlflow_req_runs_body(q, NULL);
	o->next_max = q->max_results > 0 ? 0 : MLFLOW_RUNS_PAGE; /* after a small first page */
	o->key = mlflow_req_runs_key(q);
	o->res.runs = store;
	return start_or_drop(o, o->query && o->key, e);
}

/* ---- registry and artifacts: GET searches ---- */

static int get_request(struct op *o, struct err *e)
{
	const char *path = o->cls->kind == MLFLOW_VERSIONS ? API "model-versions/search"
	                   : o->cls->kind == MLFLOW_MODELS ? API "registered-models/search"
	                                                   : API "artifacts/list";
	return op_send(o, "GET", path, o->query, NULL, e);
}

static int versions_parse(struct op *o, const char *body, size_t len, char **next, struct err *e)
{
	int rc = mlflow_parse_versions(body, len, o->res.versions, next, e);
	o->res.count = o->res.versions->n;
	return rc;
}

static int artifacts_parse(struct op *o, const char *body, size_t len, char **next, struct err *e)
{
	int rc = mlflow_parse_artifacts(body, len, o->res.artifacts, next, e);
	o->res.count = o->res.artifacts->n;
	return rc;
}

static const struct op_class versions_class = {
    MLFLOW_VERSIONS, "model-versions/search", get_request, op_paged_answer, versions_parse,
};
static const struct op_class artifacts_class = {
    MLFLOW_ARTIFACTS, "artifacts/list", get_request, op_paged_answer, artifacts_parse,
};

long mlflow_versions(struct mlflow *m, const char *model_name, mlflow_event_fn fn, void *ud,
                     struct err *e)
{
	if (check_fn(fn, e))
		return ERR_ARG;
	if (!model_name || !*model_name)
		return err_set(e, ERR_ARG, "MLflow model-versions/search: no model name");
	if (strchr(model_name, '\'') && strchr(model_name, '"'))
		return err_set(e, ERR_CONFIG, "MLflow: the model name has both kinds of quote");
	struct op *o = op_new(m, &versions_class, fn, ud);
	if (!o)
		return err_set(e, ERR_NOMEM, "MLflow: out of memory");
	o->query = mlflow_req_versions_query(model_name);
	size_t n = strlen(model_name) + sizeof "versions/";
	if ((o->key = malloc(n)))
		snprintf(o->key, n, "versions/%s", model_name);
	o->res.versions = mlflow_versions_new();
	return start_or_drop(o, o->query && o->key && o->res.versions, e);
}

long mlflow_artifacts(struct mlflow *m, const char *run_id, const char *path, mlflow_event_fn fn,
                      void *ud, struct err *e)
{
	if (check_fn(fn, e))
		return ERR_ARG;
	if (!run_id || !*run_id)
		return err_set(e, ERR_ARG, "MLflow artifacts/list: no run id");
	struct op *o = op_new(m, &artifacts_class, fn, ud);
	if (!o)
		return err_set(e, ERR_NOMEM, "MLflow: out of memory");
	const char *pairs[] = {"run_id", run_id, "path", path && *path ? path : NULL, NULL};
	o->query = mlflow_req_query(pairs);
	o->res.artifacts = mlflow_artifacts_new();
	return start_or_drop(o, o->query && o->res.artifacts, e);
}

/* ---- registered models (search, then, when it has no alias, a get of each) ---- */

static int models_request(struct op *o, struct err *e)
{
	return o->phase == 0 ? get_request(o, e) : op_send_model_get(o, e);
}

static int models_parse(struct op *o, const char *body, size_t len, char **next, struct err *e)
{
	int rc = mlflow_parse_models(body, len, o->res.models, next, e);
	o->res.count = o->res.models->n;
	return rc;
}

/* The search is complete: when it carried no alias, remember the names to get one by one. */
static int models_searched(struct op *o, struct err *e)
{
	const struct mlflow_models *l = o->res.models;
	if (mlflow_models_aliases_searched(o->res.models))
		return OP_DONE;
	o->phase = 1;
	for (size_t i = 0; i < l->n; i++)
		if (l->items[i].name && op_names_add(o, l->n, l->items[i].name))
			return err_set(e, ERR_NOMEM, "MLflow: out of memory");
	o->parallel = OP_PARALLEL; /* the gets are independent: a few at a time */
	return o->nnames ? OP_MORE : OP_DONE;
}

static int models_answer(struct op *o, const struct http_resp *r, struct err *e)
{
	if (o->phase == 0) {
		int rc = op_paged_answer(o, r, e);
		return rc == OP_DONE ? models_searched(o, e) : rc;
	}
	const char *name = o->names[o->tag];
	int rc = op_model_answer(o, r, e);
	if (rc < 0)
		return rc;
	if (rc == 0) { /* a 404 keeps what the search said */
		size_t n = strlen(name) + sizeof "model/";
		char *key = malloc(n);
		if (key)
			snprintf(key, n, "model/%s", name);
		op_put(o, key, r->body, r->len);
		free(key);
	}
	return op_names_left(o);
}

static const struct op_class models_class = {
    MLFLOW_MODELS, "registered-models/search", models_request, models_answer, models_parse,
};

long mlflow_models(struct mlflow *m, const char *filter, mlflow_event_fn fn, void *ud,
                   struct err *e)
{
	if (check_fn(fn, e))
		return ERR_ARG;
	struct op *o = op_new(m, &models_class, fn, ud);
	if (!o)
		return err_set(e, ERR_NOMEM, "MLflow: out of memory");
	o->query = mlflow_req_models_query(filter);
	o->key = strdup("models");
	o->res.models = mlflow_models_new();
	return start_or_drop(o, o->query && o->key && o->res.models, e);
}

/* ---- history, eval tables, /version: clients/mlflow_fetch.c ---- */

long mlflow_history(struct mlflow *m, const char *const *run_ids, size_t n, const char *metric_key,
                    int max_points, mlflow_event_fn fn, void *ud, struct err *e)
{
	if (check_fn(fn, e))
		return ERR_ARG;
	if (!n || !run_ids || !metric_key || !*metric_key)
		return err_set(e, ERR_ARG, "MLflow metric history: no run or no metric key");
	struct op *o = op_new(m, &mlflow_fetch_history_class, fn, ud);
	if (!o)
		return err_set(e, ERR_NOMEM, "MLflow: out of memory");
	return start_or_drop(
	    o, mlflow_fetch_history_init(o, run_ids, n, metric_key, max_points) == 0, e);
}

int mlflow_set_eval_rule(struct mlflow *m, const struct mlflow_eval_rule_spec *rule, struct err *e)
{
	struct mlflow_eval_rule_spec *r = &m->eval_rule;
	free((char *)r->column);
	free((char *)r->other);
	memset(r, 0, sizeof *r);
	if (!rule || !rule->column)
		return 0;
	r->column = strdup(rule->column);
	r->other = rule->other ? strdup(rule->other) : NULL;
	r->rule = rule->rule;
	r->threshold = rule->threshold;
	if (r->column && (r->other || !rule->other))
		return 0;
	mlflow_set_eval_rule(m, NULL, NULL);
	return err_set(e, ERR_NOMEM, "MLflow: out of memory");
}

long mlflow_eval_table(struct mlflow *m, const char *run_id, const char *path, mlflow_event_fn fn,
                       void *ud, struct err *e)
{
	if (check_fn(fn, e))
		return ERR_ARG;
	if (!run_id || !*run_id)
		return err_set(e, ERR_ARG, "MLflow get-artifact: no run id");
	struct op *o = op_new(m, &mlflow_fetch_eval_class, fn, ud);
	if (!o)
		return err_set(e, ERR_NOMEM, "MLflow: out of memory");
	const char *pairs[] = {"run_id", run_id, "path",
	                       path && *path ? path : "eval_results_table.json", NULL};
	o->query = mlflow_req_query(pairs);
	o->res.eval = mlflow_eval_table_new();
	return start_or_drop(o, o->query && o->res.eval, e);
}

long mlflow_server_version(struct mlflow *m, mlflow_event_fn fn, void *ud, struct err *e)
{
	if (check_fn(fn, e))
		return ERR_ARG;
	struct op *o = op_new(m, &mlflow_fetch_version_class, fn, ud);
	if (!o)
		return err_set(e, ERR_NOMEM, "MLflow: out of memory");
	return op_start(o, e);
}
