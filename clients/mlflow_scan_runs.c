#include "clients/mlflow_scan_runs.h"

#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "clients/arena.h"
#include "clients/jscan.h"
#include "clients/json.h"

/* The body is read in two passes. The scan checks all of it and keeps what each run holds as
 * slices of the body (struct jstr); only then does the commit intern keys, copy strings into the
 * store's arena and put the runs, in the order the cJSON parser does, so that a body refused
 * halfway leaves no trace in the store. */

enum { DS_NAME, DS_DIGEST, DS_SOURCE_TYPE, DS_SOURCE, DS_SCHEMA, DS_PROFILE, DS_FIELDS };
enum section { SEC_INFO = 1, SEC_DATA, SEC_INPUTS };

struct s_metric {
	struct jstr key;
	double value;
	int64_t timestamp, step;
};

struct s_kv {
	struct jstr key, value;
};

struct s_dataset {
	struct jstr f[DS_FIELDS];
	struct jstr context;
	int has_context;
};

struct span {
	size_t at, n;
};

struct s_run {
	struct jstr id, name, experiment_id, user, artifact_uri;
	int64_t start_time, end_time;
	uint8_t status, deleted, user_first;
	uint8_t sections[3], nsections;
	struct span metrics, params, tags, datasets;
};

struct vec {
	void *v;
	size_t n, cap;
};

struct scan {
	struct jscan j;
	struct vec runs, metrics, kvs, datasets; /* of s_run, s_metric, s_kv, s_dataset */
	struct jstr token;
	int declined; /* read, but not as the cJSON parser would: the body goes to it */
};

/* ---- the scan ---- */

/* A new zeroed element of size bytes at the end of v; NULL when out of memory. */
static void *vec_push(struct vec *v, size_t size)
{
	if (v->n == v->cap) {
		size_t cap = v->cap ? v->cap * 2 : 64;
		void *nv = realloc(v->v, cap * size);
		if (!nv)
			return NULL;
		v->v = nv;
		v->cap = cap;
	}
	void *at = (char *)v->v + v->n++ * size;
	memset(at, 0, size);
	return at;
}

static int decline(struct scan *sc)
{
	sc->declined = 1;
	return -1;
}

struct name {
	const char *s;
	size_t n;
};
#define NAME(s)                                                                                    \
	{                                                                                          \
		s, sizeof s - 1                                                                    \
	}

/* The index of key in names, or -1. A name met twice in one object declines: cJSON's lookups
 * take the first, its loops the last. */
static int field(struct scan *sc, const struct jstr *key, const struct name *names, int n,
                 unsigned *seen)
{
	for (int i = 0; i < n; i++) {
		if (key->n != names[i].n || key->p[0] != names[i].s[0] ||
		    memcmp(key->p, names[i].s, key->n) != 0)
			continue;
		if (*seen & 1u << i)
			return decline(sc) - 1;
		*seen |= 1u << i;
		return i;
	}
	return -1;
}

/* A number in a string ("NaN", "12"), read by clients/json.h as the cJSON parser reads it. */
static int string_number(struct scan *sc, const struct jstr *s, double *d, int64_t *i)
{
	char buf[64];
	if (s->n >= sizeof buf)
		return decline(sc);
	memcpy(buf, s->p, s->n);
	buf[s->n] = '\0';
	cJSON item = {.type = cJSON_String, .valuestring = buf};
	return d ? json_item_double(&item, d) : json_item_i64(&item, i);
}

/* A metric value: a number, a numeric string, else NaN. */
static int read_value(struct scan *sc, double *d)
{
	struct jstr s;
	int c = jscan_peek(&sc->j);
	if (c == '-' || (c >= '0' && c <= '9'))
		return jscan_number(&sc->j, d);
	if (jscan_str(&sc->j, &s) < 0)
		return -1;
	if (!s.p || string_number(sc, &s, d, NULL) != 0)
		*d = NAN;
	return sc->declined ? -1 : 0;
}

/* An int64 (times, steps): a number or a numeric string, else 0. */
static int read_i64(struct scan *sc, int64_t *v)
{
	struct jstr s;
	double d;
	int c = jscan_peek(&sc->j);
	*v = 0;
	if (c == '-' || (c >= '0' && c <= '9')) {
		if (jscan_number(&sc->j, &d) < 0)
			return -1;
		if (d >= -9.2e18 && d <= 9.2e18)
			*v = (int64_t)d;
		return 0;
	}
	if (jscan_str(&sc->j, &s) < 0)
		return -1;
	if (s.p && s.n && string_number(sc, &s, NULL, v) != 0)
		*v = 0;
	return sc->declined ? -1 : 0;
}

/* Reads one member's value: f is the index of its name in the table given to members(). */
typedef int (*member_fn)(struct scan *sc, int f, void *ud);

/* The members of an object entered: those named in names read by member, the others skipped. */
static int members(struct scan *sc, const struct name *names, int nnames, member_fn member,
                   void *ud)
{
	struct jstr key;
	size_t n = 0;
	unsigned seen = 0;
	int rc;
	while ((rc = jscan_member(&sc->j, &n, &key)) > 0) {
		int f = field(sc, &key, names, nnames, &seen);
		if (f < -1 || (f == -1 ? jscan_skip(&sc->j) : member(sc, f, ud)) < 0)
			return -1;
	}
	return rc;
}

/* 0 when the next value is an object (entered); a value of another kind is skipped: 1, or -1
 * when bad. */
static int enter_object(struct scan *sc)
{
	int rc = jscan_enter(&sc->j, '{');
	if (rc <= 0)
		return rc;
	return jscan_skip(&sc->j) < 0 ? -1 : 1;
}

static const struct name info_names[] = {
    NAME("run_id"),       NAME("run_uuid"),        NAME("run_name"),   NAME("experiment_id"),
    NAME("user_id"),      NAME("status"),          NAME("start_time"), NAME("end_time"),
    NAME("artifact_uri"), NAME("lifecycle_stage"),
};

struct info {
	struct s_run *r;
	struct jstr uuid;
};

static int info_member(struct scan *sc, int f, void *ud)
{
	struct info *in = ud;
	struct s_run *r = in->r;
	struct jstr *strs[] = {&r->id, &in->uuid, &r->name, &r->experiment_id, &r->user};
	struct jstr s;
	if (f == 4)
		r->user_first = !r->experiment_id.p;
	if (f < 5)
		return jscan_str(&sc->j, strs[f]);
	if (f == 6 || f == 7)
		return read_i64(sc, f == 6 ? &r->start_time : &r->end_time);
	if (f == 8)
		return jscan_str(&sc->j, &r->artifact_uri);
	if (jscan_str(&sc->j, &s) < 0)
		return -1;
	if (f == 9)
		r->deleted = jstr_is(&s, "deleted");
	for (int i = RUN_STATUS_RUNNING; f == 5 && s.p && i <= RUN_STATUS_KILLED; i++)
		if (jstr_is(&s, runstore_status_name(i)))
			r->status = (uint8_t)i;
	return 0;
}

static int scan_info(struct scan *sc, struct s_run *r)
{
	struct info in = {.r = r};
	int rc = members(sc, info_names, 10, info_member, &in);
	if (!r->id.p)
		r->id = in.uuid;
	if (!r->experiment_id.p) /* only the order of two interned values matters */
		r->user_first = 0;
	return rc;
}

static const struct name metric_names[] = {NAME("key"), NAME("value"), NAME("timestamp"),
                                           NAME("step")};

static int metric_member(struct scan *sc, int f, void *ud)
{
	struct s_metric *m = ud;
	if (f == 0)
		return jscan_str(&sc->j, &m->key);
	if (f == 1)
		return read_value(sc, &m->value);
	return read_i64(sc, f == 2 ? &m->timestamp : &m->step);
}

/* One item of data.metrics: kept when it is an object with a string key. */
static int scan_metric(struct scan *sc)
{
	struct s_metric m = {0};
	int rc = enter_object(sc);
	if (rc != 0)
		return rc < 0 ? -1 : 0;
	if (members(sc, metric_names, 4, metric_member, &m) < 0)
		return -1;
	if (!m.key.p)
		return 0;
	struct s_metric *at = vec_push(&sc->metrics, sizeof *at);
	if (!at)
		return decline(sc);
	*at = m;
	return 0;
}

static const struct name kv_names[] = {NAME("key"), NAME("value")};

static int pair_member(struct scan *sc, int f, void *ud)
{
	return jscan_str(&sc->j, (struct jstr *)ud + f);
}

/* {"key": …, "value": …} into kv[0] and kv[1] (p NULL for what is absent or not a string). */
static int scan_pair(struct scan *sc, struct jstr kv[2])
{
	kv[0] = kv[1] = (struct jstr){0};
	return members(sc, kv_names, 2, pair_member, kv);
}

/* One item of params or tags: kept when it is an object with a string key. */
static int scan_kv(struct scan *sc)
{
	struct jstr kv[2];
	int rc = enter_object(sc);
	if (rc != 0)
		return rc < 0 ? -1 : 0;
	if (scan_pair(sc, kv) < 0)
		return -1;
	if (!kv[0].p)
		return 0;
	struct s_kv *at = vec_push(&sc->kvs, sizeof *at);
	if (!at)
		return decline(sc);
	*at = (struct s_kv){kv[0], kv[1]};
	return 0;
}

/* A list whose items item() reads and keeps in v: the span of v they took. A value of another
 * kind is skipped (an empty span). */
static int scan_list(struct scan *sc, struct vec *v, struct span *sp, int (*item)(struct scan *))
{
	size_t n = 0;
	int rc = jscan_enter(&sc->j, '[');
	sp->at = v->n;
	if (rc != 0)
		return rc < 0 ? -1 : jscan_skip(&sc->j);
	while ((rc = jscan_item(&sc->j, &n)) > 0)
		if (item(sc) < 0)
			return -1;
	sp->n = v->n - sp->at;
	return rc;
}

static const struct name data_names[] = {NAME("metrics"), NAME("params"), NAME("tags")};

static int data_member(struct scan *sc, int f, void *ud)
{
	struct s_run *r = ud;
	if (f == 0)
		return scan_list(sc, &sc->metrics, &r->metrics, scan_metric);
	return scan_list(sc, &sc->kvs, f == 1 ? &r->params : &r->tags, scan_kv);
}

static int scan_data(struct scan *sc, struct s_run *r)
{
	return members(sc, data_names, 3, data_member, r);
}

static const struct name dataset_names[DS_FIELDS] = {
    NAME("name"),   NAME("digest"), NAME("source_type"),
    NAME("source"), NAME("schema"), NAME("profile"),
};

static int dataset_member(struct scan *sc, int f, void *ud)
{
	return jscan_str(&sc->j, &((struct s_dataset *)ud)->f[f]);
}

/* An input's "tags": the value of mlflow.data.context (given twice: declined). */
static int scan_context(struct scan *sc, struct s_dataset *d)
{
	struct jstr kv[2];
	size_t n = 0;
	int rc = jscan_enter(&sc->j, '[');
	if (rc != 0)
		return rc < 0 ? -1 : jscan_skip(&sc->j);
	while ((rc = jscan_item(&sc->j, &n)) > 0) {
		int obj = enter_object(sc);
		if (obj < 0 || (obj == 0 && scan_pair(sc, kv) < 0))
			return -1;
		if (obj || !jstr_is(&kv[0], "mlflow.data.context"))
			continue;
		if (d->has_context)
			return decline(sc);
		d->has_context = 1;
		d->context = kv[1];
	}
	return rc;
}

static const struct name input_names[] = {NAME("dataset"), NAME("tags")};

/* An input's "dataset" (its text fields; a value of another kind leaves them NULL) or "tags". */
static int input_member(struct scan *sc, int f, void *ud)
{
	if (f == 1)
		return scan_context(sc, ud);
	int rc = enter_object(sc);
	if (rc != 0)
		return rc < 0 ? -1 : 0;
	return members(sc, dataset_names, DS_FIELDS, dataset_member, ud);
}

/* One item of a list kept when it is an object: a new element of size in v, its members named in
 * names read by member. */
static int scan_item(struct scan *sc, struct vec *v, size_t size, const struct name *names,
                     int nnames, member_fn member)
{
	int rc = enter_object(sc);
	if (rc != 0)
		return rc < 0 ? -1 : 0;
	void *item = vec_push(v, size);
	if (!item)
		return decline(sc);
	return members(sc, names, nnames, member, item);
}

/* One item of inputs.dataset_inputs. */
static int scan_dataset(struct scan *sc)
{
	return scan_item(sc, &sc->datasets, sizeof(struct s_dataset), input_names, 2, input_member);
}

static const struct name inputs_names[] = {NAME("dataset_inputs")};

static int inputs_member(struct scan *sc, int f, void *ud)
{
	(void)f;
	return scan_list(sc, &sc->datasets, &((struct s_run *)ud)->datasets, scan_dataset);
}

static int scan_inputs(struct scan *sc, struct s_run *r)
{
	int rc = members(sc, inputs_names, 1, inputs_member, r);
	return r->datasets.n > UINT16_MAX ? decline(sc) : rc; /* the cJSON parser caps them */
}

static const struct name run_names[] = {NAME("info"), NAME("data"), NAME("inputs")};

/* A section of a run (info, data, inputs), read when it is an object and noted in the order the
 * sections come: the order the cJSON parser interns in. */
static int run_member(struct scan *sc, int f, void *ud)
{
	static int (*const section[])(struct scan *, struct s_run *) = {scan_info, scan_data,
	                                                                scan_inputs};
	struct s_run *r = ud;
	int rc = enter_object(sc);
	if (rc != 0)
		return rc < 0 ? -1 : 0;
	r->sections[r->nsections++] = (uint8_t)(SEC_INFO + f);
	return section[f](sc, r);
}

/* One item of the runs list. */
static int scan_run(struct scan *sc)
{
	return scan_item(sc, &sc->runs, sizeof(struct s_run), run_names, 3, run_member);
}

/* The list member: runs/search's array "runs" or runs/get's object "run"; null is none. Any
 * other kind is the cJSON parser's error to word. */
static int scan_list_member(struct scan *sc, int search)
{
	size_t n = 0;
	int c = jscan_peek(&sc->j), rc;
	if (c == 'n')
		return jscan_skip(&sc->j);
	if (!search)
		return c == '{' ? scan_run(sc) : decline(sc);
	if (c != '[' || jscan_enter(&sc->j, '[') != 0)
		return decline(sc);
	while ((rc = jscan_item(&sc->j, &n)) > 0)
		if (scan_run(sc) < 0)
			return -1;
	return rc;
}

/* The list, the page token; an error body, or a member given twice, is declined. */
static int top_member(struct scan *sc, int f, void *ud)
{
	if (f == 0)
		return scan_list_member(sc, *(const int *)ud);
	return f == 1 ? jscan_str(&sc->j, &sc->token) : decline(sc);
}

static int scan_top(struct scan *sc, int search)
{
	const struct name names[] = {search ? (struct name)NAME("runs") : (struct name)NAME("run"),
	                             NAME("next_page_token"), NAME("error_code")};
	if (jscan_enter(&sc->j, '{') != 0)
		return decline(sc);
	return members(sc, names, 3, top_member, &search);
}

/* ---- the commit ---- */

struct commit {
	struct runstore *s;
	struct arena *a;
	int oom;
};

static const char *copy(struct commit *c, const struct jstr *v)
{
	if (!v->p)
		return NULL;
	const char *p = arena_strndup(c->a, v->p, v->n);
	if (!p)
		c->oom = 1;
	return p;
}

static const char *intern_str(struct commit *c, const struct jstr *v)
{
	if (!v->p)
		return NULL;
	return runstore_key_name(c->s, runstore_intern(c->s, v->p, v->n, RUNSTORE_OTHER));
}

int mlflow_scan_runs_interned(uint32_t key)
{
	return key == RUNSTORE_TAG_USER || key == RUNSTORE_TAG_SOURCE_TYPE ||
	       key == RUNSTORE_TAG_SOURCE_NAME || key == RUNSTORE_TAG_GIT_COMMIT;
}

static void commit_info(struct commit *c, const struct s_run *sr, struct mlflow_run *r)
{
	r->id = copy(c, &sr->id);
	r->name = copy(c, &sr->name);
	if (sr->user_first)
		r->user = intern_str(c, &sr->user);
	r->experiment_id = intern_str(c, &sr->experiment_id);
	if (!sr->user_first)
		r->user = intern_str(c, &sr->user);
	r->status = sr->status;
	r->start_time = sr->start_time;
	r->end_time = sr->end_time;
	r->artifact_uri = copy(c, &sr->artifact_uri);
	r->deleted = sr->deleted;
}

static void commit_metrics(struct commit *c, const struct s_metric *m, size_t n,
                           struct mlflow_run *r)
{
	if (!n)
		return;
	r->metrics = arena_alloc(c->a, n * sizeof *r->metrics);
	if (!r->metrics) {
		c->oom = 1;
		return;
	}
	for (size_t i = 0; i < n; i++) {
		uint32_t key = runstore_intern(c->s, m[i].key.p, m[i].key.n, RUNSTORE_METRIC);
		if (key == RUNSTORE_NO_KEY) {
			c->oom = 1;
			continue;
		}
		r->metrics[r->nmetrics++] = (struct mlflow_metric){.value = m[i].value,
		                                                   .timestamp = m[i].timestamp,
		                                                   .step = m[i].step,
		                                                   .key = key};
	}
}

static struct mlflow_kv *commit_kvs(struct commit *c, const struct s_kv *kv, size_t n, int kind,
                                    uint32_t *count)
{
	*count = 0;
	struct mlflow_kv *out = n ? arena_alloc(c->a, n * sizeof *out) : NULL;
	if (!out) {
		c->oom |= n > 0;
		return NULL;
	}
	for (size_t i = 0; i < n; i++) {
		uint32_t id = runstore_intern(c->s, kv[i].key.p, kv[i].key.n, kind);
		const char *v = id == RUNSTORE_NO_KEY           ? NULL
		                : !kv[i].value.p                ? ""
		                : mlflow_scan_runs_interned(id) ? intern_str(c, &kv[i].value)
		                                                : copy(c, &kv[i].value);
		if (!v) {
			c->oom = 1;
			break;
		}
		out[(*count)++] = (struct mlflow_kv){.key = id, .value = v};
	}
	return out;
}

static void commit_datasets(struct commit *c, const struct s_dataset *d, size_t n,
                            struct mlflow_run *r)
{
	if (!n)
		return;
	r->datasets = arena_calloc(c->a, n, sizeof *r->datasets);
	if (!r->datasets) {
		c->oom = 1;
		return;
	}
	r->ndatasets = (uint16_t)n;
	for (size_t i = 0; i < n; i++) {
		struct mlflow_dataset_input *o = &r->datasets[i];
		o->name = copy(c, &d[i].f[DS_NAME]);
		o->digest = copy(c, &d[i].f[DS_DIGEST]);
		o->source_type = copy(c, &d[i].f[DS_SOURCE_TYPE]);
		o->source = copy(c, &d[i].f[DS_SOURCE]);
		o->schema = copy(c, &d[i].f[DS_SCHEMA]);
		o->profile = copy(c, &d[i].f[DS_PROFILE]);
		if (d[i].has_context)
			o->context = intern_str(c, &d[i].context);
	}
}

void mlflow_scan_runs_fill_from_tags(struct mlflow_run *r)
{
	for (uint32_t i = 0; i < r->ntags; i++) {
		const struct mlflow_kv *t = &r->tags[i];
		if (t->key == RUNSTORE_TAG_RUN_NAME && (!r->name || strcmp(r->name, t->value) == 0))
			r->name = t->value;
		else if (t->key == RUNSTORE_TAG_USER && !r->user)
			r->user = t->value;
	}
}

int mlflow_scan_runs_put(struct runstore *s, const struct mlflow_run *r, int oom, size_t *nruns,
                         struct err *e)
{
	if (oom)
		return err_set(e, ERR_NOMEM, "runs: out of memory after %zu runs",
		               runstore_count(s));
	int rc = r->id ? runstore_put(s, r, e) : 0;
	if (rc == 0 && r->id)
		(*nruns)++;
	return rc;
}

/* The elements of v that sp names (NULL for none: v may hold nothing at all). */
static const void *span_at(const struct vec *v, size_t size, struct span sp)
{
	return sp.n ? (const char *)v->v + sp.at * size : NULL;
}

static void commit_run(struct commit *c, const struct scan *sc, const struct s_run *sr,
                       struct mlflow_run *r)
{
	for (int i = 0; i < sr->nsections; i++) {
		if (sr->sections[i] == SEC_INFO) {
			commit_info(c, sr, r);
		} else if (sr->sections[i] == SEC_DATA) {
			commit_metrics(c,
			               span_at(&sc->metrics, sizeof(struct s_metric), sr->metrics),
			               sr->metrics.n, r);
			r->params =
			    commit_kvs(c, span_at(&sc->kvs, sizeof(struct s_kv), sr->params),
			               sr->params.n, RUNSTORE_PARAM, &r->nparams);
			r->tags = commit_kvs(c, span_at(&sc->kvs, sizeof(struct s_kv), sr->tags),
			                     sr->tags.n, RUNSTORE_TAG, &r->ntags);
		} else {
			commit_datasets(
			    c, span_at(&sc->datasets, sizeof(struct s_dataset), sr->datasets),
			    sr->datasets.n, r);
		}
	}
	mlflow_scan_runs_fill_from_tags(r);
}

static int commit(const struct scan *sc, struct runstore *s, size_t *nruns, struct err *e)
{
	struct commit c = {.s = s, .a = runstore_arena(s)};
	const struct s_run *runs = sc->runs.v;
	int rc = 0;
	for (size_t i = 0; i < sc->runs.n; i++) {
		struct mlflow_run r = {0};
		commit_run(&c, sc, &runs[i], &r);
		if ((rc = mlflow_scan_runs_put(s, &r, c.oom, nruns, e)) != 0)
			break;
	}
	return rc;
}

int mlflow_scan_runs(const char *body, size_t len, struct runstore *s, size_t *nruns,
                     char **next_token, struct err *e)
{
	struct scan sc = {0};
	jscan_init(&sc.j, body, len);
	int rc = scan_top(&sc, next_token != NULL);
	if (rc < 0 || sc.j.bad || sc.declined) {
		rc = MLFLOW_SCAN_DECLINED;
		goto out;
	}
	*nruns = 0;
	if (next_token)
		*next_token = NULL;
	rc = commit(&sc, s, nruns, e);
	if (rc == 0 && next_token && sc.token.p && sc.token.n &&
	    !(*next_token = strndup(sc.token.p, sc.token.n)))
		rc = err_set(e, ERR_NOMEM, "runs/search: out of memory");
out:
	jscan_free(&sc.j);
	free(sc.runs.v);
	free(sc.metrics.v);
	free(sc.kvs.v);
	free(sc.datasets.v);
	return rc;
}
