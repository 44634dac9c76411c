/* mltop-sim: the model registry: state, JSON shapes, lookups and writes. */
#include "sim/mlflow_registry.h"

#include "sim/mlflow.h"

#include <ctype.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "sim/mlflow_filter.h"
#include "sim/mlflow_sort.h"
#include "sim/mlflow_world.h"

struct mlflow_registry_model mlflow_registry_models[MLFLOW_REGISTRY_MODELS];
int mlflow_registry_nmodels;

static const struct {
	const char *name, *description, *owner;
	int nversions, champion, challenger;
	const char *stages[MLFLOW_REGISTRY_MAX_VERSIONS];
} registry_defs[] = {
    {"churn-classifier",
     "Gradient-boosted churn classifier, retrained weekly",
     "retention",
     5,
     3,
     5,
     {"Archived", "Archived", "Production", "None", "None"}},
    {"fraud-detector",
     "Card fraud scorer behind the payments API",
     "risk",
     4,
     2,
     4,
     {"Archived", "Production", "None", "None"}},
    {"search-ranking",
     "Learning-to-rank model for product search",
     "search",
     3,
     1,
     3,
     {"Production", "None", "None"}},
};

/* Version k of n: the best FINISHED run of the k-th slice of the experiment's newer half (people
 * register their best run of the week); any run when a slice has none. */
static const struct mlflow_run *registry_pick_run(const struct mlflow_exp *x, int k, int n)
{
	int half = x->nruns / 2, lo = x->first_run + half + half * k / n;
	int hi = x->first_run + half + half * (k + 1) / n, r;
	const struct mlflow_run *best = NULL;

	for (r = lo; r < hi; r++) {
		const struct mlflow_run *c = &mlflow_world.runs[r];

		if (c->status == MLFLOW_FINISHED &&
		    (!best || mlflow_world_quality(c) > mlflow_world_quality(best)))
			best = c;
	}
	if (!best && x->nruns)
		best = &mlflow_world.runs[lo < x->first_run + x->nruns ? lo : x->first_run];
	return best;
}

static void registry_make_version(struct mlflow_registry_model *m, int k, int n,
                                  const struct mlflow_exp *x, const char *stage)
{
	struct mlflow_registry_version *v = &m->v[k];
	const struct mlflow_run *r = registry_pick_run(x, k, n);
	char digest[16], date[16];

	v->version = k + 1;
	v->run = r;
	snprintf(v->stage, sizeof(v->stage), "%s", stage);
	if (!r)
		return;
	snprintf(v->source, sizeof(v->source), "mlflow-artifacts:/%s/%s/artifacts/model", x->id,
	         r->run_id);
	v->user = mlflow_world_user(r);
	v->created = r->end_time + 20 * 60 * 1000LL + k * 1000LL;
	v->updated = v->created + (strcmp(stage, "None") ? 3 * 3600 * 1000LL : 0);
	mlflow_world_dataset(r, 0, digest, sizeof(digest), date, sizeof(date));
	snprintf(v->description, sizeof(v->description), "Trained on %s data of %s (digest %s)",
	         x->name, date, digest);
	if (strcmp(stage, "Production") == 0)
		mlflow_registry_tag_set(v->tags, &v->ntags, "validation_status", "approved");
	else if (strcmp(stage, "Archived") != 0)
		mlflow_registry_tag_set(v->tags, &v->ntags, "validation_status", "pending");
}

void mlflow_registry_init(void)
{
	int i, k;

	memset(mlflow_registry_models, 0, sizeof(mlflow_registry_models));
	mlflow_registry_nmodels = (int)(sizeof(registry_defs) / sizeof(registry_defs[0]));
	for (i = 0; i < mlflow_registry_nmodels; i++) {
		struct mlflow_registry_model *m = &mlflow_registry_models[i];
		const struct mlflow_exp *x = &mlflow_world.exps[i + 1];

		m->name = registry_defs[i].name;
		snprintf(m->description, sizeof(m->description), "%s",
		         registry_defs[i].description);
		mlflow_registry_tag_set(m->tags, &m->ntags, "owner", registry_defs[i].owner);
		m->nversions = registry_defs[i].nversions;
		for (k = 0; k < m->nversions; k++)
			registry_make_version(m, k, m->nversions, x, registry_defs[i].stages[k]);
		m->created = m->v[0].created - 60 * 1000LL;
		m->updated = m->v[m->nversions - 1].updated;
		if (!mlflow_server_since(2, 3))
			continue; /* aliases arrived in 2.3 */
		mlflow_registry_alias_set(m, "champion", registry_defs[i].champion);
		mlflow_registry_alias_set(m, "challenger", registry_defs[i].challenger);
	}
}

const char *mlflow_version_source(const char *model, const char *version)
{
	struct mlflow_registry_model *m = mlflow_registry_model(model);
	int v = version ? atoi(version) : 0;

	if (!m || v < 1 || v > m->nversions)
		return NULL;
	return m->v[v - 1].source;
}

struct mlflow_registry_model *mlflow_registry_model(const char *name)
{
	int i;

	for (i = 0; name && i < mlflow_registry_nmodels; i++)
		if (strcmp(mlflow_registry_models[i].name, name) == 0)
			return &mlflow_registry_models[i];
	return NULL;
}

int mlflow_registry_tag_set(struct mlflow_registry_tag *tags, int *n, const char *k, const char *v)
{
	int i;

	for (i = 0; i < *n; i++)
		if (strcmp(tags[i].key, k) == 0)
			break;
	if (i == *n && *n >= MLFLOW_REGISTRY_MAX_TAGS)
		return -1;
	if (i == *n)
		(*n)++;
	snprintf(tags[i].key, sizeof(tags[i].key), "%s", k);
	snprintf(tags[i].value, sizeof(tags[i].value), "%s", v);
	return 0;
}

void mlflow_registry_tag_delete(struct mlflow_registry_tag *tags, int *n, const char *k)
{
	int i;

	for (i = 0; i < *n; i++) {
		if (strcmp(tags[i].key, k) == 0) {
			memmove(&tags[i], &tags[i + 1], (size_t)(*n - i - 1) * sizeof(tags[0]));
			(*n)--;
			return;
		}
	}
}

int mlflow_registry_alias_find(const struct mlflow_registry_model *m, const char *alias)
{
	int i;

	for (i = 0; i < m->naliases; i++)
		if (strcmp(m->aliases[i].alias, alias) == 0)
			break;
	return i;
}

int mlflow_registry_alias_set(struct mlflow_registry_model *m, const char *alias, int version)
{
	int i = mlflow_registry_alias_find(m, alias);

	if (i == m->naliases && m->naliases >= MLFLOW_REGISTRY_MAX_ALIASES)
		return -1;
	if (i == m->naliases)
		m->naliases++;
	snprintf(m->aliases[i].alias, sizeof(m->aliases[i].alias), "%s", alias);
	m->aliases[i].version = version;
	return 0;
}

static void registry_add_tags(cJSON *o, const struct mlflow_registry_tag *tags, int n)
{
	cJSON *arr;
	int i;

	if (n == 0)
		return;
	arr = cJSON_AddArrayToObject(o, "tags");
	for (i = 0; i < n; i++)
		mlflow_req_add_kv(arr, tags[i].key, tags[i].value);
}

cJSON *mlflow_registry_version_json(const struct mlflow_registry_model *m, int k, int aliases)
{
	const struct mlflow_registry_version *v = &m->v[k];
	cJSON *o = cJSON_CreateObject(), *arr = NULL;
	char num[16];
	int i;

	snprintf(num, sizeof(num), "%d", v->version);
	cJSON_AddStringToObject(o, "name", m->name);
	cJSON_AddStringToObject(o, "version", num);
	cJSON_AddNumberToObject(o, "creation_timestamp", (double)v->created);
	cJSON_AddNumberToObject(o, "last_updated_timestamp", (double)v->updated);
	if (v->user)
		cJSON_AddStringToObject(o, "user_id", v->user);
	cJSON_AddStringToObject(o, "current_stage", v->stage);
	if (v->description[0])
		cJSON_AddStringToObject(o, "description", v->description);
	if (v->source[0])
		cJSON_AddStringToObject(o, "source", v->source);
	if (v->run)
		cJSON_AddStringToObject(o, "run_id", v->run->run_id);
	cJSON_AddStringToObject(o, "status", "READY");
	registry_add_tags(o, v->tags, v->ntags);
	for (i = 0; aliases && i < m->naliases; i++) {
		if (m->aliases[i].version != v->version)
			continue;
		if (!arr)
			arr = cJSON_AddArrayToObject(o, "aliases");
		cJSON_AddItemToArray(arr, cJSON_CreateString(m->aliases[i].alias));
	}
	return o;
}

cJSON *mlflow_registry_model_json(const struct mlflow_registry_model *m)
{
	static const char *const stages[] = {"None", "Staging", "Production", "Archived"};
	cJSON *o = cJSON_CreateObject(), *arr = NULL;
	char num[16];
	int s, k;

	cJSON_AddStringToObject(o, "name", m->name);
	cJSON_AddNumberToObject(o, "creation_timestamp", (double)m->created);
	cJSON_AddNumberToObject(o, "last_updated_timestamp", (double)m->updated);
	if (m->description[0])
		cJSON_AddStringToObject(o, "description", m->description);
	for (s = 0; s < 4; s++) {
		for (k = m->nversions - 1; k >= 0; k--)
			if (strcmp(m->v[k].stage, stages[s]) == 0)
				break;
		if (k < 0)
			continue;
		if (!arr)
			arr = cJSON_AddArrayToObject(o, "latest_versions");
		cJSON_AddItemToArray(arr, mlflow_registry_version_json(m, k, 0));
	}
	registry_add_tags(o, m->tags, m->ntags);
	arr = m->naliases ? cJSON_AddArrayToObject(o, "aliases") : NULL;
	for (k = 0; k < m->naliases; k++) {
		cJSON *al = cJSON_CreateObject();

		snprintf(num, sizeof(num), "%d", m->aliases[k].version);
		cJSON_AddStringToObject(al, "alias", m->aliases[k].alias);
		cJSON_AddStringToObject(al, "version", num);
		cJSON_AddItemToArray(arr, al);
	}
	return o;
}

struct mlflow_registry_model *mlflow_registry_arg(const struct mlflow_args *a,
                                                  struct sim_resp *resp)
{
	const char *name = mlflow_req_need(a, "name", resp);
	struct mlflow_registry_model *m;

	if (!name)
		return NULL;
	m = mlflow_registry_model(name);
	if (!m)
		mlflow_req_not_found(resp, "Registered Model with name=%s not found", name);
	return m;
}

/* The model and version index named by "name" and "version"; -1 after writing a 400/404. */
int mlflow_registry_version_arg(const struct mlflow_args *a, struct mlflow_registry_model **mp,
                                struct sim_resp *resp)
{
	struct mlflow_registry_model *m = mlflow_registry_arg(a, resp);
	const char *ver;
	char *end, msg[320];
	long v;

	if (!m || !(ver = mlflow_req_need(a, "version", resp)))
		return -1;
	v = strtol(ver, &end, 10);
	if (end == ver || *end) {
		mlflow_req_bad(resp, "Parameter 'version' must be an integer, got '%s'.", ver);
		return -1;
	}
	if (v < 1 || v > m->nversions) {
		snprintf(msg, sizeof(msg), "Model Version (name=%s, version=%s) not found", m->name,
		         ver);
		mlflow_req_not_found(resp, "%s", msg);
		return -1;
	}
	*mp = m;
	return (int)v - 1;
}

void mlflow_registry_get_model(const struct mlflow_args *a, struct sim_resp *resp)
{
	struct mlflow_registry_model *m = mlflow_registry_arg(a, resp);
	cJSON *out;

	if (!m)
		return;
	out = cJSON_CreateObject();
	cJSON_AddItemToObject(out, "registered_model", mlflow_registry_model_json(m));
	sim_resp_json(resp, 200, out);
}

struct registry_stages {
	int n;
	char s[4][16];
};

static void registry_stage_one(void *ud, const char *s)
{
	struct registry_stages *st = ud;

	if (st->n < 4)
		snprintf(st->s[st->n++], sizeof(st->s[0]), "%s", s);
}

void mlflow_registry_latest_versions(const struct mlflow_args *a, struct sim_resp *resp)
{
	static const char *const stages[] = {"None", "Staging", "Production", "Archived"};
	struct mlflow_registry_model *m = mlflow_registry_arg(a, resp);
	struct registry_stages st = {0};
	cJSON *out, *arr = NULL;
	int s, k, i;

	if (!m)
		return;
	mlflow_req_each(a, "stages", registry_stage_one, &st);
	out = cJSON_CreateObject();
	for (s = 0; s < 4; s++) {
		for (i = 0; i < st.n && strcasecmp(st.s[i], stages[s]) != 0; i++)
			;
		if (st.n && i == st.n)
			continue;
		for (k = m->nversions - 1; k >= 0 && strcmp(m->v[k].stage, stages[s]); k--)
			;
		if (k < 0)
			continue;
		if (!arr)
			arr = cJSON_AddArrayToObject(out, "model_versions");
		cJSON_AddItemToArray(arr, mlflow_registry_version_json(m, k, 0));
	}
	sim_resp_json(resp, 200, out);
}

static const struct mlflow_filter_rule registry_model_rules[] = {
    {MLFLOW_ATTR, "name", 0, 0},      {MLFLOW_ATTR, "creation_timestamp", 1, 0},
    {MLFLOW_ATTR, "timestamp", 1, 0}, {MLFLOW_ATTR, "last_updated_timestamp", 1, 0},
    {MLFLOW_TAG, NULL, 0, 0},
};
#define REGISTRY_NRULES ((int)(sizeof(registry_model_rules) / sizeof(registry_model_rules[0])))

static const char *registry_tag(const struct mlflow_registry_tag *t, int n, const char *k)
{
	int i;

	for (i = 0; i < n; i++)
		if (strcmp(t[i].key, k) == 0)
			return t[i].value;
	return NULL;
}

static double registry_model_time(const struct mlflow_registry_model *m, const char *key)
{
	return (double)(strcmp(key, "last_updated_timestamp") == 0 ? m->updated : m->created);
}

static int registry_model_match(const struct mlflow_registry_model *m,
                                const struct mlflow_filter *f)
{
	int i, ok;

	for (i = 0; i < f->n; i++) {
		const struct mlflow_clause *c = &f->c[i];

		if (c->entity == MLFLOW_TAG)
			ok = mlflow_filter_match_str(c, registry_tag(m->tags, m->ntags, c->key));
		else if (strcmp(c->key, "name") == 0)
			ok = mlflow_filter_match_str(c, m->name);
		else
			ok = mlflow_filter_match_num(c, registry_model_time(m, c->key));
		if (!ok)
			return 0;
	}
	return 1;
}

static cJSON *registry_model_item(void *ud, long i)
{
	const struct mlflow_sort *s = ud;

	return mlflow_registry_model_json(&mlflow_registry_models[s->rows[i].index]);
}

static const struct mlflow_query_spec registry_spec = {
    registry_model_rules, REGISTRY_NRULES, 100, 1000,
    "Invalid value for request parameter max_results. It must be at most 1000, but got "
    "value %s"};

void mlflow_registry_search_models(const struct mlflow_args *a, struct sim_resp *resp)
{
	struct mlflow_query q;
	struct mlflow_sort s;
	cJSON *out;
	int i, k;

	if (mlflow_req_query(a, &registry_spec, &q, resp) != 0)
		return;
	mlflow_sort_init(&s);
	for (k = 0; k <= q.norder; k++)
		mlflow_sort_key(&s, k < q.norder ? q.order[k].desc : 0);
	for (i = 0; i < mlflow_registry_nmodels; i++) {
		const struct mlflow_registry_model *m = &mlflow_registry_models[i];
		struct mlflow_sort_row *row;

		if (!registry_model_match(m, &q.filter) || !(row = mlflow_sort_add(&s, i)))
			continue;
		for (k = 0; k < q.norder; k++) {
			if (strcmp(q.order[k].key, "name") == 0)
				mlflow_sort_str(&s, row, k, m->name, 0);
			else
				mlflow_sort_num(row, k, registry_model_time(m, q.order[k].key));
		}
		mlflow_sort_str(&s, row, q.norder, m->name, 0); /* tie-break: name ASC */
	}
	mlflow_sort_run(&s);
	out = cJSON_CreateObject();
	mlflow_req_page(out, "registered_models", s.n, q.offset, q.max, registry_model_item, &s);
	mlflow_sort_fini(&s);
	sim_resp_json(resp, 200, out);
}
