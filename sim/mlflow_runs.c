/* mltop-sim: the run endpoints: search (filter, order_by, pages) and get. */
#include "sim/mlflow_runs.h"

#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "sim/mlflow_filter.h"
#include "sim/mlflow_sort.h"
#include "sim/rng.h"

#define RUNS_MAX_EXPS 16

static const struct mlflow_filter_rule runs_rules[] = {
    {MLFLOW_METRIC, NULL, 1, 0},       {MLFLOW_PARAM, NULL, 0, 0},
    {MLFLOW_TAG, NULL, 0, 0},          {MLFLOW_ATTR, "run_id", 0, 1},
    {MLFLOW_ATTR, "run_name", 0, 0},   {MLFLOW_ATTR, "status", 0, 0},
    {MLFLOW_ATTR, "user_id", 0, 0},    {MLFLOW_ATTR, "artifact_uri", 0, 0},
    {MLFLOW_ATTR, "start_time", 1, 0}, {MLFLOW_ATTR, "end_time", 1, 0},
    {MLFLOW_DATASET, "name", 0, 1},    {MLFLOW_DATASET, "digest", 0, 1},
    {MLFLOW_DATASET, "context", 0, 1},
};
#define RUNS_NRULES ((int)(sizeof(runs_rules) / sizeof(runs_rules[0])))

/* A run with its derived strings computed at most once. */
struct runs_view {
	const struct mlflow_run *r;
	int have_params, have_tags, nparams, ntags;
	struct mlflow_kv params[MLFLOW_WORLD_MAX_KEYS];
	struct mlflow_kv tags[MLFLOW_WORLD_MAX_TAGS];
	char name[64], uri[128];
};

static void runs_view_init(struct runs_view *v, const struct mlflow_run *r)
{
	v->r = r;
	v->have_params = v->have_tags = 0;
	v->name[0] = v->uri[0] = '\0';
}

static const char *runs_kv_find(const struct mlflow_kv *kv, int n, const char *key)
{
	int i;

	for (i = 0; i < n; i++)
		if (strcmp(kv[i].key, key) == 0)
			return kv[i].value;
	return NULL;
}

static const char *runs_param(struct runs_view *v, const char *key)
{
	if (!v->have_params) {
		v->nparams = mlflow_world_params(v->r, v->params);
		v->have_params = 1;
	}
	return runs_kv_find(v->params, v->nparams, key);
}

static const char *runs_tag(struct runs_view *v, const char *key)
{
	if (!v->have_tags) {
		v->ntags = mlflow_world_tags(v->r, v->tags);
		v->have_tags = 1;
	}
	return runs_kv_find(v->tags, v->ntags, key);
}

static const char *runs_attr(struct runs_view *v, const char *key)
{
	if (strcmp(key, "run_id") == 0)
		return v->r->run_id;
	if (strcmp(key, "status") == 0)
		return mlflow_world_status_name(v->r->status);
	if (strcmp(key, "user_id") == 0)
		return mlflow_world_user(v->r);
	if (strcmp(key, "run_name") == 0) {
		if (!v->name[0])
			mlflow_world_run_name(v->r, v->name, sizeof(v->name));
		return v->name;
	}
	if (strcmp(key, "artifact_uri") == 0) {
		if (!v->uri[0])
			mlflow_world_artifact_uri(v->r, v->uri, sizeof(v->uri));
		return v->uri;
	}
	return NULL;
}

/* start_time / end_time, or NAN when unset. */
static double runs_time(const struct mlflow_run *r, const char *key)
{
	if (strcmp(key, "start_time") == 0)
		return (double)r->start_time;
	if (strcmp(key, "end_time") == 0 && r->end_time)
		return (double)r->end_time;
	return NAN;
}

static double runs_latest(const struct mlflow_run *r, const char *key, int *found)
{
	int m = mlflow_world_metric_index(r, key);

	*found = m >= 0;
	return m >= 0 ? mlflow_world_metric(r, m, r->nsteps - 1) : NAN;
}

static void runs_dataset_name(const struct mlflow_run *r, int eval, char *buf, size_t len)
{
	const char *base = mlflow_world.exps[r->exp].dataset;
	size_t n = strlen(base);

	if (eval && n > 6 && strcmp(base + n - 6, "_train") == 0)
		snprintf(buf, len, "%.*s_eval", (int)(n - 6), base);
	else
		snprintf(buf, len, "%s", base);
}

static int runs_match_dataset(const struct mlflow_run *r, const struct mlflow_clause *c)
{
	char name[64], digest[16], date[16];
	int eval;

	for (eval = 0; eval < 2; eval++) {
		const char *v = name;

		runs_dataset_name(r, eval, name, sizeof(name));
		if (strcmp(c->key, "digest") == 0) {
			mlflow_world_dataset(r, eval, digest, sizeof(digest), date, sizeof(date));
			v = digest;
		} else if (strcmp(c->key, "context") == 0) {
			v = eval ? "evaluation" : "training";
		}
		if (mlflow_filter_match_str(c, v))
			return 1;
	}
	return 0;
}

static int runs_match(struct runs_view *v, const struct mlflow_filter *f)
{
	int i, found;

	for (i = 0; i < f->n; i++) {
		const struct mlflow_clause *c = &f->c[i];
		double x;
		int ok = 0;

		switch (c->entity) {
		case MLFLOW_METRIC:
			x = runs_latest(v->r, c->key, &found);
			ok = found && mlflow_filter_match_num(c, x);
			break;
		case MLFLOW_PARAM:
			ok = mlflow_filter_match_str(c, runs_param(v, c->key));
			break;
		case MLFLOW_TAG:
			ok = mlflow_filter_match_str(c, runs_tag(v, c->key));
			break;
		case MLFLOW_DATASET:
			ok = runs_match_dataset(v->r, c);
			break;
		case MLFLOW_ATTR:
			x = runs_time(v->r, c->key);
			if (strcmp(c->key, "start_time") == 0 || strcmp(c->key, "end_time") == 0)
				ok = !isnan(x) && mlflow_filter_match_num(c, x);
			else
				ok = mlflow_filter_match_str(c, runs_attr(v, c->key));
			break;
		}
		if (!ok)
			return 0;
	}
	return 1;
}

struct runs_query {
	int nexps;
	int exps[RUNS_MAX_EXPS];
	struct mlflow_query q;
};

static void runs_exp_one(void *ud, const char *id)
{
	struct runs_query *q = ud;
	const struct mlflow_exp *x = mlflow_world_exp_by_id(id);
	int i, e;

	if (!x || q->nexps >= RUNS_MAX_EXPS)
		return;
	e = mlflow_world_exp_index(x);
	for (i = 0; i < q->nexps; i++)
		if (q->exps[i] == e)
			return;
	q->exps[q->nexps++] = e;
}

static void runs_sort_keys(struct mlflow_sort *s, struct mlflow_sort_row *row,
                           const struct runs_query *q, struct runs_view *v)
{
	int k, found;
	double x;

	for (k = 0; k < q->q.norder; k++) {
		const struct mlflow_order *o = &q->q.order[k];

		switch (o->entity) {
		case MLFLOW_METRIC:
			x = runs_latest(v->r, o->key, &found);
			if (found)
				mlflow_sort_num(row, k, x);
			break;
		case MLFLOW_PARAM:
			mlflow_sort_str(s, row, k, runs_param(v, o->key), 1);
			break;
		case MLFLOW_TAG:
			mlflow_sort_str(s, row, k, runs_tag(v, o->key), 1);
			break;
		default:
			x = runs_time(v->r, o->key);
			if (!isnan(x))
				mlflow_sort_num(row, k, x);
			else if (strcmp(o->key, "run_id") == 0 || strcmp(o->key, "status") == 0 ||
			         strcmp(o->key, "user_id") == 0)
				mlflow_sort_str(s, row, k, runs_attr(v, o->key), 0);
			else
				mlflow_sort_str(s, row, k, runs_attr(v, o->key), 1);
			break;
		}
	}
	/* The implicit tie-breaks: start_time DESC, then run_id. */
	mlflow_sort_num(row, q->q.norder, (double)v->r->start_time);
	mlflow_sort_str(s, row, q->q.norder + 1, v->r->run_id, 0);
}

struct runs_buf {
	char *p;
	size_t len, cap;
	int oom;
};

static void runs_buf_add(struct runs_buf *b, const char *s)
{
	size_t n = strlen(s);

	if (b->oom)
		return;
	if (b->len + n + 1 > b->cap) {
		size_t cap = (b->len + n + 1) * 2;
		char *p = realloc(b->p, cap);

		if (!p) {
			b->oom = 1;
			return;
		}
		b->p = p;
		b->cap = cap;
	}
	memcpy(b->p + b->len, s, n + 1);
	b->len += n;
}

/* The page as text, run by run, so that a page of 50000 runs never exists as one cJSON tree. */
static void runs_page(const struct mlflow_sort *s, long offset, long long max,
                      struct sim_resp *resp)
{
	struct runs_buf b = {NULL, 0, 0, 0};
	long i, n = 0;

	runs_buf_add(&b, "{");
	for (i = offset; i < s->n && i < offset + max && !b.oom; i++, n++) {
		cJSON *run = mlflow_runs_json(&mlflow_world.runs[s->rows[i].index]);
		char *text = cJSON_PrintUnformatted(run);

		cJSON_Delete(run);
		runs_buf_add(&b, n ? "," : "\"runs\":[");
		if (!text)
			b.oom = 1;
		else
			runs_buf_add(&b, text);
		free(text);
	}
	if (n)
		runs_buf_add(&b, "]");
	/* As the stores do: a full page always carries a token, so the last page may be empty. */
	if (n == max) {
		char *tok = mlflow_req_token(offset + max);

		runs_buf_add(&b, n ? ",\"next_page_token\":\"" : "\"next_page_token\":\"");
		runs_buf_add(&b, tok ? tok : "");
		runs_buf_add(&b, "\"");
		free(tok);
	}
	runs_buf_add(&b, "}");
	if (b.oom) {
		free(b.p);
		sim_resp_mlflow_error(resp, 500, "INTERNAL_ERROR", "out of memory");
		return;
	}
	free(resp->body);
	resp->status = 200;
	resp->content_type = "application/json";
	resp->body = b.p;
	resp->len = b.len;
}

static const struct mlflow_query_spec runs_spec = {
    runs_rules, RUNS_NRULES, 1000, MLFLOW_RUNS_MAX_RESULTS,
    "Invalid value %s for parameter 'max_results' supplied. It must be at most 50000"};

void mlflow_runs_search(const struct mlflow_args *a, struct sim_resp *resp)
{
	const char *view = mlflow_req_str(a, "run_view_type");
	struct runs_query q;
	struct mlflow_sort s;
	struct runs_view v;
	int i, k;

	memset(&q, 0, sizeof(q));
	if (mlflow_req_query(a, &runs_spec, &q.q, resp) != 0)
		return;
	mlflow_req_each(a, "experiment_ids", runs_exp_one, &q);
	if (view && strcmp(view, "DELETED_ONLY") == 0)
		q.nexps = 0; /* every run of this world is active */
	mlflow_sort_init(&s);
	for (k = 0; k < q.q.norder; k++)
		mlflow_sort_key(&s, q.q.order[k].desc);
	mlflow_sort_key(&s, 1);
	mlflow_sort_key(&s, 0);
	for (i = 0; i < q.nexps; i++) {
		const struct mlflow_exp *x = &mlflow_world.exps[q.exps[i]];
		int r;

		for (r = x->first_run; r < x->first_run + x->nruns; r++) {
			struct mlflow_sort_row *row;

			runs_view_init(&v, &mlflow_world.runs[r]);
			if (!runs_match(&v, &q.q.filter))
				continue;
			row = mlflow_sort_add(&s, r);
			if (row)
				runs_sort_keys(&s, row, &q, &v);
		}
	}
	mlflow_sort_run(&s);
	runs_page(&s, q.q.offset, q.q.max, resp);
	mlflow_sort_fini(&s);
}

static const char *runs_schema(const struct mlflow_run *r)
{
	const char *t = mlflow_world.exps[r->exp].table;

	if (t && strcmp(t, "fraud") == 0)
		return "{\"mlflow_colspec\": [{\"type\": \"double\", \"name\": \"amount\"}, "
		       "{\"type\": \"string\", \"name\": \"merchant_category\"}, {\"type\": "
		       "\"string\", \"name\": \"country\"}, {\"type\": \"long\", \"name\": "
		       "\"is_fraud\"}]}";
	if (t && strcmp(t, "ranking") == 0)
		return "{\"mlflow_colspec\": [{\"type\": \"string\", \"name\": \"query\"}, "
		       "{\"type\": \"string\", \"name\": \"doc_id\"}, {\"type\": \"long\", "
		       "\"name\": \"clicked\"}]}";
	return "{\"mlflow_colspec\": [{\"type\": \"long\", \"name\": \"tenure\"}, {\"type\": "
	       "\"double\", \"name\": \"monthly_charges\"}, {\"type\": \"string\", \"name\": "
	       "\"contract\"}, {\"type\": \"long\", \"name\": \"churned\"}]}";
}

static cJSON *runs_dataset_input(const struct mlflow_run *r, int eval)
{
	cJSON *in = cJSON_CreateObject(), *tags = cJSON_AddArrayToObject(in, "tags");
	cJSON *ds = cJSON_AddObjectToObject(in, "dataset");
	char name[64], digest[16], date[16], buf[256];
	long rows = (long)(rng_hash(r->exp, (uint64_t)r->start_time / 604800000) % 40000) + 20000;

	mlflow_req_add_kv(tags, "mlflow.data.context", eval ? "evaluation" : "training");
	runs_dataset_name(r, eval, name, sizeof(name));
	mlflow_world_dataset(r, eval, digest, sizeof(digest), date, sizeof(date));
	cJSON_AddStringToObject(ds, "name", name);
	cJSON_AddStringToObject(ds, "digest", digest);
	cJSON_AddStringToObject(ds, "source_type", "s3");
	snprintf(buf, sizeof(buf), "{\"uri\": \"s3://ml-data/%s/%s/%s.parquet\"}",
	         mlflow_world.exps[r->exp].name, date, eval ? "eval" : "train");
	cJSON_AddStringToObject(ds, "source", buf);
	cJSON_AddStringToObject(ds, "schema", runs_schema(r));
	if (eval)
		rows /= 5;
	snprintf(buf, sizeof(buf), "{\"num_rows\": %ld, \"num_elements\": %ld}", rows, rows * 4);
	cJSON_AddStringToObject(ds, "profile", buf);
	return in;
}

static cJSON *runs_info(const struct mlflow_run *r)
{
	cJSON *info = cJSON_CreateObject();
	char buf[128];

	cJSON_AddStringToObject(info, "run_id", r->run_id);
	cJSON_AddStringToObject(info, "run_uuid", r->run_id);
	mlflow_world_run_name(r, buf, sizeof(buf));
	cJSON_AddStringToObject(info, "run_name", buf);
	cJSON_AddStringToObject(info, "experiment_id", mlflow_world.exps[r->exp].id);
	cJSON_AddStringToObject(info, "user_id", mlflow_world_user(r));
	cJSON_AddStringToObject(info, "status", mlflow_world_status_name(r->status));
	cJSON_AddNumberToObject(info, "start_time", (double)r->start_time);
	if (r->end_time)
		cJSON_AddNumberToObject(info, "end_time", (double)r->end_time);
	mlflow_world_artifact_uri(r, buf, sizeof(buf));
	cJSON_AddStringToObject(info, "artifact_uri", buf);
	cJSON_AddStringToObject(info, "lifecycle_stage", "active");
	return info;
}

cJSON *mlflow_runs_json(const struct mlflow_run *r)
{
	cJSON *run = cJSON_CreateObject(), *data, *arr, *inputs;
	struct mlflow_kv kv[MLFLOW_WORLD_MAX_KEYS + MLFLOW_WORLD_MAX_TAGS];
	int i, n;

	cJSON_AddItemToObject(run, "info", runs_info(r));
	data = cJSON_AddObjectToObject(run, "data");
	arr = cJSON_AddArrayToObject(data, "metrics");
	for (i = 0; i < mlflow_world.nmetrics; i++) {
		cJSON *m = cJSON_CreateObject();

		cJSON_AddStringToObject(m, "key", mlflow_world.exps[r->exp].metrics[i].key);
		cJSON_AddItemToObject(m, "value",
		                      mlflow_req_double(mlflow_world_metric(r, i, r->nsteps - 1)));
		cJSON_AddNumberToObject(m, "timestamp",
		                        (double)mlflow_world_metric_ts(r, i, r->nsteps - 1));
		cJSON_AddNumberToObject(m, "step", r->nsteps - 1);
		cJSON_AddItemToArray(arr, m);
	}
	n = mlflow_world_params(r, kv);
	arr = cJSON_AddArrayToObject(data, "params");
	for (i = 0; i < n; i++)
		mlflow_req_add_kv(arr, kv[i].key, kv[i].value);
	n = mlflow_world_tags(r, kv);
	arr = cJSON_AddArrayToObject(data, "tags");
	for (i = 0; i < n; i++)
		mlflow_req_add_kv(arr, kv[i].key, kv[i].value);
	inputs = cJSON_AddObjectToObject(run, "inputs");
	arr = cJSON_AddArrayToObject(inputs, "dataset_inputs");
	cJSON_AddItemToArray(arr, runs_dataset_input(r, 0));
	cJSON_AddItemToArray(arr, runs_dataset_input(r, 1));
	return run;
}

const struct mlflow_run *mlflow_runs_arg(const struct mlflow_args *a, struct sim_resp *resp)
{
	const char *id = mlflow_req_str(a, "run_id");
	const struct mlflow_run *r;

	if (!id || !*id)
		id = mlflow_req_str(a, "run_uuid");
	if (!id || !*id) {
		mlflow_req_need(a, "run_id", resp);
		return NULL;
	}
	r = mlflow_world_run(id);
	if (!r)
		mlflow_req_not_found(resp, "Run with id=%s not found", id);
	return r;
}

void mlflow_runs_get(const struct mlflow_args *a, struct sim_resp *resp)
{
	const struct mlflow_run *r = mlflow_runs_arg(a, resp);
	cJSON *out;

	if (!r)
		return;
	out = cJSON_CreateObject();
	cJSON_AddItemToObject(out, "run", mlflow_runs_json(r));
	sim_resp_json(resp, 200, out);
}
