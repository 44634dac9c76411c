#include "clients/mlflow_parse_runs.h"

#include <math.h>
#include <string.h>

#include "clients/arena.h"
#include "clients/json.h"
#include "clients/mlflow_parse_util.h"
#include "clients/mlflow_scan_runs.h"

struct rp {
	struct runstore *s;
	struct pctx p;
};

static int64_t item_i64(const cJSON *c)
{
	int64_t v;
	return json_item_i64(c, &v) == 0 ? v : 0;
}

static const char *item_str(const cJSON *c)
{
	return cJSON_IsString(c) ? c->valuestring : NULL;
}

static void parse_info(struct rp *rp, const cJSON *info, struct mlflow_run *r)
{
	const char *uuid = NULL;
	for (const cJSON *c = info->child; c; c = c->next) {
		const char *k = c->string;
		if (!k)
			continue;
		if (strcmp(k, "run_id") == 0)
			r->id = pctx_dup(&rp->p, item_str(c));
		else if (strcmp(k, "run_uuid") == 0)
			uuid = item_str(c);
		else if (strcmp(k, "run_name") == 0)
			r->name = pctx_dup(&rp->p, item_str(c));
		else if (strcmp(k, "experiment_id") == 0)
			r->experiment_id = runstore_intern_str(rp->s, item_str(c));
		else if (strcmp(k, "user_id") == 0)
			r->user = runstore_intern_str(rp->s, item_str(c));
		else if (strcmp(k, "status") == 0)
			r->status = (uint8_t)runstore_status_parse(item_str(c));
		else if (strcmp(k, "start_time") == 0)
			r->start_time = item_i64(c);
		else if (strcmp(k, "end_time") == 0)
			r->end_time = item_i64(c);
		else if (strcmp(k, "artifact_uri") == 0)
			r->artifact_uri = pctx_dup(&rp->p, item_str(c));
		else if (strcmp(k, "lifecycle_stage") == 0)
			r->deleted = item_str(c) && strcmp(item_str(c), "deleted") == 0;
	}
	if (!r->id && uuid)
		r->id = pctx_dup(&rp->p, uuid);
}

static int parse_metric(struct rp *rp, const cJSON *o, struct mlflow_metric *m)
{
	const char *key = NULL;
	for (const cJSON *c = o->child; c; c = c->next) {
		const char *k = c->string;
		switch (k ? k[0] : 0) { /* the first letter decides, strcmp confirms */
		case 'k':
			if (strcmp(k, "key") == 0)
				key = item_str(c);
			break;
		case 'v':
			if (strcmp(k, "value") == 0 && json_item_double(c, &m->value))
				m->value = NAN; /* present but not a number */
			break;
		case 't':
			if (strcmp(k, "timestamp") == 0)
				m->timestamp = item_i64(c);
			break;
		case 's':
			if (strcmp(k, "step") == 0)
				m->step = item_i64(c);
			break;
		}
	}
	if (!key)
		return -1;
	m->key = runstore_intern(rp->s, key, strlen(key), RUNSTORE_METRIC);
	if (m->key == RUNSTORE_NO_KEY)
		rp->p.oom = 1;
	return m->key == RUNSTORE_NO_KEY ? -1 : 0;
}

static void parse_metrics(struct rp *rp, const cJSON *arr, struct mlflow_run *r)
{
	size_t n = json_count(arr);
	if (!n)
		return;
	r->metrics = arena_alloc(runstore_arena(rp->s), n * sizeof *r->metrics);
	r->nmetrics = 0; /* a run's second "data" fills its own list, from the start */
	if (!r->metrics) {
		rp->p.oom = 1;
		return;
	}
	const cJSON *it;
	cJSON_ArrayForEach(it, arr)
	{
		struct mlflow_metric *m = &r->metrics[r->nmetrics];
		*m = (struct mlflow_metric){0};
		if (cJSON_IsObject(it) && parse_metric(rp, it, m) == 0)
			r->nmetrics++;
	}
}

/* Values that repeat from run to run are interned rather than copied. */
static const char *kv_value(struct rp *rp, uint32_t key, const char *v)
{
	if (!v)
		return "";
	if (mlflow_scan_runs_interned(key))
		return runstore_intern_str(rp->s, v);
	return pctx_dup(&rp->p, v);
}

/* {"key": …, "value": …} in one pass over the pair's members. */
static void kv_pair(const cJSON *o, const char **key, const char **value)
{
	for (const cJSON *c = cJSON_IsObject(o) ? o->child : NULL; c; c = c->next) {
		const char *k = c->string;
		if (k && k[0] == 'k' && strcmp(k, "key") == 0)
			*key = item_str(c);
		else if (k && k[0] == 'v' && strcmp(k, "value") == 0)
			*value = item_str(c);
	}
}

static struct mlflow_kv *parse_kvs(struct rp *rp, const cJSON *arr, int kind, uint32_t *n)
{
	size_t count = json_count(arr);
	*n = 0;
	struct mlflow_kv *kv =
	    count ? arena_alloc(runstore_arena(rp->s), count * sizeof *kv) : NULL;
	if (!kv) {
		if (count)
			rp->p.oom = 1;
		return NULL;
	}
	const cJSON *it;
	cJSON_ArrayForEach(it, arr)
	{
		const char *k = NULL, *val = NULL;
		kv_pair(it, &k, &val);
		if (!k)
			continue;
		uint32_t id = runstore_intern(rp->s, k, strlen(k), kind);
		const char *v = id == RUNSTORE_NO_KEY ? NULL : kv_value(rp, id, val);
		if (!v) {
			rp->p.oom = 1;
			break;
		}
		kv[*n] = (struct mlflow_kv){.key = id, .value = v};
		(*n)++;
	}
	return kv;
}

static void parse_dataset(struct rp *rp, const cJSON *in, struct mlflow_dataset_input *d)
{
	const cJSON *ds = json_obj(in, "dataset");
	d->name = pctx_str(&rp->p, ds, "name");
	d->digest = pctx_str(&rp->p, ds, "digest");
	d->source_type = pctx_str(&rp->p, ds, "source_type");
	d->source = pctx_str(&rp->p, ds, "source");
	d->schema = pctx_str(&rp->p, ds, "schema");
	d->profile = pctx_str(&rp->p, ds, "profile");
	const cJSON *t;
	cJSON_ArrayForEach(t, json_arr(in, "tags"))
	{
		const char *k = json_str(t, "key");
		if (k && strcmp(k, "mlflow.data.context") == 0)
			d->context = runstore_intern_str(rp->s, json_str(t, "value"));
	}
}

static void parse_inputs(struct rp *rp, const cJSON *inputs, struct mlflow_run *r)
{
	const cJSON *arr = json_arr(inputs, "dataset_inputs");
	size_t n = json_count(arr);
	if (!n)
		return;
	if (n > UINT16_MAX)
		n = UINT16_MAX;
	r->datasets = arena_calloc(runstore_arena(rp->s), n, sizeof *r->datasets);
	r->ndatasets = 0; /* and its second "inputs" */
	if (!r->datasets) {
		rp->p.oom = 1;
		return;
	}
	const cJSON *it;
	cJSON_ArrayForEach(it, arr)
	{
		if (r->ndatasets == n)
			break;
		if (cJSON_IsObject(it))
			parse_dataset(rp, it, &r->datasets[r->ndatasets++]);
	}
}

static void parse_run(struct rp *rp, const cJSON *run, struct mlflow_run *r)
{
	for (const cJSON *c = run->child; c; c = c->next) {
		const char *k = c->string;
		if (!k || !cJSON_IsObject(c))
			continue;
		if (strcmp(k, "info") == 0) {
			parse_info(rp, c, r);
		} else if (strcmp(k, "data") == 0) {
			parse_metrics(rp, json_arr(c, "metrics"), r);
			r->params =
			    parse_kvs(rp, json_arr(c, "params"), RUNSTORE_PARAM, &r->nparams);
			r->tags = parse_kvs(rp, json_arr(c, "tags"), RUNSTORE_TAG, &r->ntags);
		} else if (strcmp(k, "inputs") == 0) {
			parse_inputs(rp, c, r);
		}
	}
	mlflow_scan_runs_fill_from_tags(r);
}

int mlflow_parse_runs_cjson(const char *body, size_t len, struct runstore *s, size_t *nruns,
                            char **next_token, struct err *e)
{
	struct page pg;
	*nruns = 0;
	int rc = page_open(&pg, body, len, next_token ? "runs/search" : "runs/get",
	                   next_token ? "runs" : "run", next_token, e);
	if (rc)
		return rc;
	struct rp rp = {.s = s, .p = {.a = runstore_arena(s)}};
	const cJSON *it;
	cJSON_ArrayForEach(it, pg.list)
	{
		if (!cJSON_IsObject(it))
			continue;
		struct mlflow_run r = {0};
		parse_run(&rp, it, &r);
		if ((rc = mlflow_scan_runs_put(s, &r, rp.p.oom, nruns, e)) != 0)
			break;
	}
	return page_close(&pg, rc, next_token, e);
}

int mlflow_parse_runs(const char *body, size_t len, struct runstore *s, size_t *nruns,
                      char **next_token, struct err *e)
{
	int rc = mlflow_scan_runs(body, len, s, nruns, next_token, e);
	return rc == MLFLOW_SCAN_DECLINED
	           ? mlflow_parse_runs_cjson(body, len, s, nruns, next_token, e)
	           : rc;
}
