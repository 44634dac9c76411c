#include "clients/mlflow_req.h"

#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "clients/http.h"
#include "clients/json.h"

static const char *view_name(int view)
{
	return view == MLFLOW_VIEW_DELETED ? "DELETED_ONLY"
	       : view == MLFLOW_VIEW_ALL   ? "ALL"
	                                   : "ACTIVE_ONLY";
}

static int add_strings(cJSON *o, const char *key, const char *const *v, size_t n)
{
	if (!n)
		return 0;
	cJSON *arr = cJSON_AddArrayToObject(o, key);
	for (size_t i = 0; arr && i < n; i++)
		if (!v[i] || !cJSON_AddItemToArray(arr, cJSON_CreateString(v[i])))
			return -1;
	return arr ? 0 : -1;
}

/* The fields both searches share; filter and token only when non-empty. */
static int add_common(cJSON *o, const char *filter, const char *const *order_by, size_t norder,
                      int max_results, const char *page_token)
{
	if (!cJSON_AddNumberToObject(o, "max_results", max_results))
		return -1;
	if (filter && *filter && !cJSON_AddStringToObject(o, "filter", filter))
		return -1;
	if (add_strings(o, "order_by", order_by, norder))
		return -1;
	if (page_token && *page_token && !cJSON_AddStringToObject(o, "page_token", page_token))
		return -1;
	return 0;
}

static char *print_free(cJSON *o, int ok)
{
	char *s = ok ? cJSON_PrintUnformatted(o) : NULL;
	cJSON_Delete(o);
	return s;
}

char *mlflow_req_experiments_body(const struct mlflow_experiments_query *q, const char *page_token)
{
	cJSON *o = cJSON_CreateObject();
	int max = q->max_results > 0 ? q->max_results : MLFLOW_EXPERIMENTS_PAGE;
	int ok = o && add_common(o, q->filter, q->order_by, q->norder_by, max, page_token) == 0 &&
	         cJSON_AddStringToObject(o, "view_type", view_name(q->view));
	return print_free(o, ok);
}

char *mlflow_req_runs_body(const struct mlflow_runs_query *q, const char *page_token)
{
	cJSON *o = cJSON_CreateObject();
	int first = !page_token || !*page_token;
	int max = q->max_results > 0 ? q->max_results
	          : first            ? MLFLOW_RUNS_FIRST_PAGE
	                             : MLFLOW_RUNS_PAGE;
	if (max > MLFLOW_RUNS_PAGE_MAX)
		max = MLFLOW_RUNS_PAGE_MAX;
	int ok = o && add_strings(o, "experiment_ids", q->experiment_ids, q->nexperiments) == 0 &&
	         add_common(o, q->filter, q->order_by, q->norder_by, max, page_token) == 0 &&
	         cJSON_AddStringToObject(o, "run_view_type", view_name(q->view));
	return print_free(o, ok);
}

char *mlflow_req_filter_eq(const char *field, const char *value)
{
	char quote = strchr(value, '\'') ? '"' : '\'';
	if (quote == '"' && strchr(value, '"'))
		return NULL;
	size_t n = strlen(field) + strlen(value) + 8;
	char *s = malloc(n);
	if (s)
		snprintf(s, n, "%s = %c%s%c", field, quote, value, quote);
	return s;
}

char *mlflow_req_runs_key(const struct mlflow_runs_query *q)
{
	size_t n = sizeof "runs/";
	for (size_t i = 0; i < q->nexperiments; i++)
		n += strlen(q->experiment_ids[i]) + 1;
	char *s = malloc(n);
	if (!s)
		return NULL;
	strcpy(s, "runs/");
	for (size_t i = 0; i < q->nexperiments; i++) {
		if (i)
			strcat(s, ",");
		strcat(s, q->experiment_ids[i]);
	}
	return s;
}

char *mlflow_req_page_key(const char *base, size_t page)
{
	size_t n = strlen(base) + 24;
	char *s = malloc(n);
	if (s)
		snprintf(s, n, "%s/p%zu", base, page);
	return s;
}

char *mlflow_req_manifest(size_t pages, const char *query)
{
	cJSON *o = cJSON_CreateObject();
	int ok = o && cJSON_AddNumberToObject(o, "pages", (double)pages) &&
	         cJSON_AddStringToObject(o, "query", query ? query : "");
	return print_free(o, ok);
}

int mlflow_req_manifest_match(const char *body, size_t len, const char *query, size_t *pages)
{
	cJSON *o = json_parse_object(body, len, "manifest", NULL);
	const char *q = json_str(o, "query");
	int64_t n = json_i64(o, "pages", -1);
	int rc = q && strcmp(q, query ? query : "") == 0 && n >= 0 ? 0 : 1;
	if (rc == 0)
		*pages = (size_t)n;
	cJSON_Delete(o);
	return rc;
}

/* "a=<escaped x>&b=<escaped y>…" from NULL-terminated pairs; a NULL value skips its pair. */
char *mlflow_req_query(const char *const *pairs)
{
	size_t n = 1;
	char *esc[16] = {0}, *q = NULL;
	for (int i = 0; i < 16 && pairs[i]; i += 2) {
		if (pairs[i + 1] && !(esc[i] = http_escape(pairs[i + 1])))
			goto out;
		n += esc[i] ? strlen(pairs[i]) + strlen(esc[i]) + 2 : 0;
	}
	if (!(q = malloc(n)))
		goto out;
	*q = '\0';
	for (int i = 0; i < 16 && pairs[i]; i += 2) {
		if (!esc[i])
			continue;
		if (*q)
			strcat(q, "&");
		strcat(strcat(strcat(q, pairs[i]), "="), esc[i]);
	}
out:
	for (int i = 0; i < 16; i++)
		free(esc[i]);
	return q;
}

char *mlflow_req_models_query(const char *filter)
{
	const char *pairs[] = {"max_results", "1000",   "order_by",
	                       "name ASC",    "filter", filter && *filter ? filter : NULL,
	                       NULL};
	return mlflow_req_query(pairs);
}

char *mlflow_req_versions_query(const char *model_name)
{
	char *filter = mlflow_req_filter_eq("name", model_name);
	if (!filter)
		return NULL;
	const char *pairs[] = {
	    "filter", filter, "max_results", "1000", "order_by", "version_number DESC", NULL};
	char *q = mlflow_req_query(pairs);
	free(filter);
	return q;
}

char *mlflow_req_history_key(const char *run_id, const char *metric_key)
{
	size_t n = strlen(run_id) + strlen(metric_key) + sizeof "history//";
	char *s = malloc(n);
	if (s)
		snprintf(s, n, "history/%s/%s", run_id, metric_key);
	return s;
}

#define SAMPLED_HEAD "{\"sampled\":true,"

/* One point as a JSON object; a value that is not finite as the string MLflow uses. */
static int history_point(char *out, size_t n, const struct mlflow_point *p)
{
	char v[32];
	if (isnan(p->value))
		snprintf(v, sizeof v, "\"NaN\"");
	else if (isinf(p->value))
		snprintf(v, sizeof v, "\"%sInfinity\"", p->value < 0 ? "-" : "");
	else
		snprintf(v, sizeof v, "%.17g", p->value);
	return snprintf(out, n, "{\"step\":%lld,\"timestamp\":%lld,\"value\":%s}",
	                (long long)p->step, (long long)p->timestamp, v);
}

/* What snprintf wrote into room bytes: its return clamped to the room, 0 on an error. */
static size_t written(int n, size_t room)
{
	if (n < 0 || room == 0)
		return 0;
	return (size_t)n < room ? (size_t)n : room - 1;
}

/* The k-th of keep evenly spaced indices from the first to the last of n (keep < n). */
static size_t spaced(size_t k, size_t keep, size_t n)
{
	if (keep < 2)
		return n - 1;
	return (size_t)((double)k * (double)(n - 1) / (double)(keep - 1) + 0.5);
}

char *mlflow_req_history_body(const struct mlflow_series *s, int sampled, size_t max_points,
                              size_t *len)
{
	size_t n = s ? s->n : 0, keep = max_points && n > max_points ? max_points : n;
	size_t cap = keep * 128 + 64, at;
	char *b = malloc(cap);
	if (!b)
		return NULL;
	at = written(snprintf(b, cap, "%s\"metrics\":[",
	                      sampled || keep < n ? SAMPLED_HEAD : "{\"sampled\":false,"),
	             cap);
	for (size_t k = 0; k < keep; k++) {
		size_t i = keep < n ? spaced(k, keep, n) : k;
		if (k && at + 1 < cap)
			b[at++] = ',';
		at += written(history_point(b + at, cap - at, &s->points[i]), cap - at);
	}
	at += written(snprintf(b + at, cap - at, "]}"), cap - at);
	*len = at;
	return b;
}

int mlflow_req_history_sampled(const char *body, size_t len)
{
	return len >= sizeof SAMPLED_HEAD - 1 &&
	       memcmp(body, SAMPLED_HEAD, sizeof SAMPLED_HEAD - 1) == 0;
}
