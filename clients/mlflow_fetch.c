#include "clients/mlflow_fetch.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "clients/json.h"
#include "clients/mlflow_parse_eval.h"
#include "clients/mlflow_parse.h"
#include "clients/mlflow_req.h"

#define API            "/api/2.0/mlflow/"
#define DEFAULT_POINTS 1000
/* get-history page size, as the Python client sends it. The parameter must be sent: servers of
 * 3.4 to 3.13 read a missing one as 0 and answer no point with a token back to the start. */
#define HISTORY_PAGE 25000

/* ---- metric history ---- */

int mlflow_fetch_history_init(struct op *o, const char *const *run_ids, size_t n,
                              const char *metric_key, int max_points)
{
	o->names = calloc(n, sizeof *o->names);
	if (!o->names)
		return -1;
	for (size_t i = 0; i < n; i++)
		if (run_ids[i] && !(o->names[o->nnames++] = strdup(run_ids[i])))
			return -1;
	o->metric_key = strdup(metric_key);
	o->max_points = max_points <= 0                       ? DEFAULT_POINTS
	                : max_points > MLFLOW_BULK_POINTS_MAX ? MLFLOW_BULK_POINTS_MAX
	                                                      : max_points;
	o->res.history = mlflow_history_new(metric_key);
	o->fallback = o->m->no_bulk_interval;
	return o->metric_key && o->res.history && o->nnames ? 0 : -1;
}

static size_t chunk_end(const struct op *o)
{
	size_t end = o->next_name + MLFLOW_BULK_RUNS;
	return end < o->nnames ? end : o->nnames;
}

/* "run_ids=a&run_ids=b&…&metric_key=k&max_results=n" (bulk) or
 * "run_id=a&metric_key=k&max_results=25000" (one run). */
static char *history_query(const struct op *o)
{
	size_t end = o->fallback ? o->next_name + 1 : chunk_end(o), n = 64;
	char *key = http_escape(o->metric_key), *q = NULL;
	char **ids = calloc(end - o->next_name, sizeof *ids);
	if (!key || !ids)
		goto out;
	for (size_t i = o->next_name; i < end; i++) {
		if (!(ids[i - o->next_name] = http_escape(o->names[i])))
			goto out;
		n += strlen(ids[i - o->next_name]) + sizeof "run_ids=&";
	}
	n += strlen(key) + 32;
	if (!(q = malloc(n)))
		goto out;
	*q = '\0';
	for (size_t i = 0; i < end - o->next_name; i++)
		strcat(strcat(strcat(q, o->fallback ? "run_id=" : "run_ids="), ids[i]), "&");
	strcat(strcat(q, "metric_key="), key);
	snprintf(q + strlen(q), n - strlen(q), "&max_results=%d",
	         o->fallback ? HISTORY_PAGE : o->max_points);
out:
	for (size_t i = 0; ids && i < end - o->next_name; i++)
		free(ids[i]);
	free(ids);
	free(key);
	return q;
}

static int history_request(struct op *o, struct err *e)
{
	if (o->next_name >= o->nnames)
		return OP_DONE;
	char *q = history_query(o);
	if (!q)
		return err_set(e, ERR_NOMEM, "MLflow: out of memory");
	int rc = op_send(o, "GET",
	                 o->fallback ? API "metrics/get-history"
	                             : API "metrics/get-history-bulk-interval",
	                 q, NULL, e);
	free(q);
	return rc;
}

/* A 404 from a server that lacks the route, not a 404 about a run. */
static int route_missing(const struct http_resp *r)
{
	if (r->status != 404)
		return 0;
	cJSON *o = json_parse_object(r->body, r->len, "error", NULL);
	const char *code = json_str(o, "error_code");
	int missing = !code || strcmp(code, "RESOURCE_DOES_NOT_EXIST") != 0;
	cJSON_Delete(o);
	return missing;
}

static size_t points(const struct mlflow_history *h)
{
	size_t n = 0;
	for (size_t i = 0; i < h->n; i++)
		n += h->series[i].n;
	return n;
}

static int history_parsed(struct op *o, int last)
{
	o->res.pages++;
	o->res.count = points(o->res.history);
	if (!last)
		return OP_MORE;
	mlflow_history_sort(o->res.history);
	o->res.history->sampled = !o->fallback;
	return OP_DONE;
}

/* Files the complete series of run_id under "history/<run>/<metric>" (an empty one when the
 * answer had no point of it), sorted and at most max_points long. */
static void file_series(struct op *o, const char *run_id)
{
	struct mlflow_history *h = o->res.history;
	struct mlflow_series none = {.run_id = run_id}, *s = &none;
	if (!o->m->put)
		return;
	for (size_t i = 0; s == &none && i < h->n; i++)
		if (strcmp(h->series[i].run_id, run_id) == 0)
			s = &h->series[i];
	struct mlflow_history one = {.series = s, .n = 1};
	mlflow_history_sort(&one);
	size_t len = 0;
	char *key = mlflow_req_history_key(run_id, o->metric_key);
	char *body =
	    key ? mlflow_req_history_body(s, !o->fallback, (size_t)o->max_points, &len) : NULL;
	if (body)
		op_put(o, key, body, len);
	free(key);
	free(body);
}

static int history_bulk_answer(struct op *o, const struct http_resp *r, struct err *e)
{
	if (route_missing(r)) {
		o->m->no_bulk_interval = 1;
		o->fallback = 1;
		o->next_name = 0;
		mlflow_history_free(&o->res.history);
		o->res.history = mlflow_history_new(o->metric_key);
		return o->res.history ? OP_MORE : err_set(e, ERR_NOMEM, "MLflow: out of memory");
	}
	int rc = op_http_error(o, r, e);
	if (rc)
		return rc;
	char *ignored = NULL;
	struct err pe = {0};
	rc = mlflow_parse_history(r->body, r->len, o->res.history, NULL, &ignored, &pe);
	free(ignored); /* the bulk call is not paginated */
	if (rc)
		return op_parse_error(o, r, rc, &pe, e);
	for (size_t i = o->next_name, end = chunk_end(o); i < end; i++)
		file_series(o, o->names[i]); /* one answer holds the whole series of each run */
	o->next_name = chunk_end(o);
	return history_parsed(o, o->next_name >= o->nnames);
}

static int history_answer(struct op *o, const struct http_resp *r, struct err *e)
{
	if (!o->fallback)
		return history_bulk_answer(o, r, e);
	int rc = op_http_error(o, r, e);
	if (rc)
		return rc;
	char *next = NULL;
	struct err pe = {0};
	size_t before = points(o->res.history);
	rc = mlflow_parse_history(r->body, r->len, o->res.history, o->names[o->next_name], &next,
	                          &pe);
	if (rc)
		return op_parse_error(o, r, rc, &pe, e);
	rc = op_next_page(o, next, points(o->res.history) - before, e);
	if (rc != OP_DONE)
		return rc < 0 ? rc : history_parsed(o, 0);
	if (o->notice[0]) { /* stopped early: what came is shown, not filed as the whole series */
		o->next_name = o->nnames;
		return history_parsed(o, 1);
	}
	file_series(o, o->names[o->next_name]);
	o->next_name++; /* this run is complete: its page tokens are forgotten */
	o->nseen = 0;
	o->empty_pages = 0;
	return history_parsed(o, o->next_name >= o->nnames);
}

const struct op_class mlflow_fetch_history_class = {
    MLFLOW_HISTORY, "metric history", history_request, history_answer, NULL,
};

/* ---- eval_results_table.json through /get-artifact ---- */

/* A root route: behind the server's static prefix. */
static int root_send(struct op *o, const char *route, const char *query, struct err *e)
{
	char path[300];
	snprintf(path, sizeof path, "%.250s%s", o->m->static_prefix, route);
	return op_send(o, "GET", path, query, NULL, e);
}

static int eval_request(struct op *o, struct err *e)
{
	return root_send(o, "/get-artifact", o->query, e);
}

static int eval_answer(struct op *o, const struct http_resp *r, struct err *e)
{
	int rc = op_http_error(o, r, e);
	if (rc)
		return rc;
	struct err pe = {0};
	const struct mlflow_eval_rule_spec *rule = o->m->eval_rule.column ? &o->m->eval_rule : NULL;
	if ((rc = mlflow_parse_eval_table_rule(r->body, r->len, o->res.eval, rule, &pe)) != 0)
		return op_parse_error(o, r, rc, &pe, e);
	o->res.pages = 1;
	o->res.count = o->res.eval->rows;
	return OP_DONE;
}

const struct op_class mlflow_fetch_eval_class = {
    MLFLOW_EVAL_TABLE, "get-artifact", eval_request, eval_answer, NULL,
};

/* ---- /version: 404 on servers too old to have it ---- */

static int version_request(struct op *o, struct err *e)
{
	return root_send(o, "/version", NULL, e);
}

static int version_answer(struct op *o, const struct http_resp *r, struct err *e)
{
	o->res.pages = 1;
	if (r->status == 404) {
		memset(&o->res.version, 0, sizeof o->res.version);
		o->res.version.old = 1;
		return OP_DONE;
	}
	int rc = op_http_error(o, r, e);
	if (rc)
		return rc;
	struct err pe = {0};
	if ((rc = mlflow_parse_server_version(r->body, r->len, &o->res.version, &pe)) != 0)
		return op_parse_error(o, r, rc, &pe, e);
	return OP_DONE;
}

const struct op_class mlflow_fetch_version_class = {
    MLFLOW_SERVER_VERSION, "version", version_request, version_answer, NULL,
};
