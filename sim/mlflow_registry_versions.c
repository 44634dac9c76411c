/* mltop-sim: model versions — search, get, aliases and stage transitions. */
#include "sim/mlflow_registry_versions.h"

#include <ctype.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "sim/clock.h"
#include "sim/mlflow_filter.h"
#include "sim/mlflow_registry.h"
#include "sim/mlflow_sort.h"

#define VERSIONS_MAX_RESULTS 200000

static const struct mlflow_filter_rule versions_rules[] = {
    {MLFLOW_ATTR, "name", 0, 1},
    {MLFLOW_ATTR, "version_number", 1, 0},
    {MLFLOW_ATTR, "run_id", 0, 1},
    {MLFLOW_ATTR, "source_path", 0, 1},
    {MLFLOW_ATTR, "creation_timestamp", 1, 0},
    {MLFLOW_ATTR, "last_updated_timestamp", 1, 0},
    {MLFLOW_TAG, NULL, 0, 0},
};
#define VERSIONS_NRULES ((int)(sizeof(versions_rules) / sizeof(versions_rules[0])))

static void versions_answer(const struct mlflow_registry_model *m, int k, struct sim_resp *resp)
{
	cJSON *out = cJSON_CreateObject();

	cJSON_AddItemToObject(out, "model_version", mlflow_registry_version_json(m, k, 1));
	sim_resp_json(resp, 200, out);
}

void mlflow_registry_versions_get(const struct mlflow_args *a, struct sim_resp *resp)
{
	struct mlflow_registry_model *m;
	int k = mlflow_registry_version_arg(a, &m, resp);

	if (k >= 0)
		versions_answer(m, k, resp);
}

void mlflow_registry_versions_download_uri(const struct mlflow_args *a, struct sim_resp *resp)
{
	struct mlflow_registry_model *m;
	int k = mlflow_registry_version_arg(a, &m, resp);
	cJSON *out;

	if (k < 0)
		return;
	out = cJSON_CreateObject();
	cJSON_AddStringToObject(out, "artifact_uri", m->v[k].source);
	sim_resp_json(resp, 200, out);
}

static int versions_match(const struct mlflow_registry_model *m, int k,
                          const struct mlflow_filter *f)
{
	const struct mlflow_registry_version *v = &m->v[k];
	int i, j, ok;

	for (i = 0; i < f->n; i++) {
		const struct mlflow_clause *c = &f->c[i];
		const char *key = c->key;

		if (c->entity == MLFLOW_TAG) {
			const char *val = NULL;

			for (j = 0; j < v->ntags; j++)
				if (strcmp(v->tags[j].key, key) == 0)
					val = v->tags[j].value;
			ok = mlflow_filter_match_str(c, val);
		} else if (strcmp(key, "name") == 0) {
			ok = mlflow_filter_match_str(c, m->name);
		} else if (strcmp(key, "run_id") == 0) {
			ok = mlflow_filter_match_str(c, v->run ? v->run->run_id : NULL);
		} else if (strcmp(key, "source_path") == 0) {
			ok = mlflow_filter_match_str(c, v->source);
		} else if (strcmp(key, "version_number") == 0) {
			ok = mlflow_filter_match_num(c, v->version);
		} else {
			ok = mlflow_filter_match_num(
			    c,
			    (double)(strcmp(key, "creation_timestamp") ? v->updated : v->created));
		}
		if (!ok)
			return 0;
	}
	return 1;
}

static void versions_keys(struct mlflow_sort *s, struct mlflow_sort_row *row,
                          const struct mlflow_query *q, const struct mlflow_registry_model *m,
                          int k)
{
	const struct mlflow_registry_version *v = &m->v[k];
	int i;

	for (i = 0; i < q->norder; i++) {
		const char *key = q->order[i].key;

		if (strcmp(key, "name") == 0)
			mlflow_sort_str(s, row, i, m->name, 0);
		else if (strcmp(key, "version_number") == 0)
			mlflow_sort_num(row, i, v->version);
		else if (strcmp(key, "creation_timestamp") == 0)
			mlflow_sort_num(row, i, (double)v->created);
		else if (strcmp(key, "last_updated_timestamp") == 0)
			mlflow_sort_num(row, i, (double)v->updated);
	}
	mlflow_sort_str(s, row, q->norder, m->name, 0);
	mlflow_sort_num(row, q->norder + 1, v->version);
}

static cJSON *versions_item(void *ud, long i)
{
	const struct mlflow_sort *s = ud;
	int idx = s->rows[i].index;

	return mlflow_registry_version_json(
	    &mlflow_registry_models[idx / MLFLOW_REGISTRY_MAX_VERSIONS],
	    idx % MLFLOW_REGISTRY_MAX_VERSIONS, 0);
}

static const struct mlflow_query_spec versions_spec = {
    versions_rules, VERSIONS_NRULES, VERSIONS_MAX_RESULTS, VERSIONS_MAX_RESULTS,
    "Invalid value for max_results. It must be at most 200000, but got value %s"};

void mlflow_registry_versions_search(const struct mlflow_args *a, struct sim_resp *resp)
{
	struct mlflow_query q;
	struct mlflow_sort s;
	cJSON *out;
	int mi, k;

	if (mlflow_req_query(a, &versions_spec, &q, resp) != 0)
		return;
	mlflow_sort_init(&s);
	for (k = 0; k < q.norder; k++)
		mlflow_sort_key(&s, q.order[k].desc);
	mlflow_sort_key(&s, 0); /* tie-breaks: name ASC, then version DESC */
	mlflow_sort_key(&s, 1);
	for (mi = 0; mi < mlflow_registry_nmodels; mi++) {
		const struct mlflow_registry_model *m = &mlflow_registry_models[mi];

		for (k = 0; k < m->nversions; k++) {
			struct mlflow_sort_row *row;

			if (versions_match(m, k, &q.filter) &&
			    (row = mlflow_sort_add(&s, mi * MLFLOW_REGISTRY_MAX_VERSIONS + k)))
				versions_keys(&s, row, &q, m, k);
		}
	}
	mlflow_sort_run(&s);
	out = cJSON_CreateObject();
	mlflow_req_page(out, "model_versions", s.n, q.offset, q.max, versions_item, &s);
	mlflow_sort_fini(&s);
	sim_resp_json(resp, 200, out);
}

/* MLflow's alias rules; returns 0 or -1 after writing a 400. */
static int versions_alias_ok(const char *alias, struct sim_resp *resp)
{
	size_t i, n = strlen(alias);

	if (n > 255) {
		mlflow_req_bad(resp,
		               "Registered model alias name '%.64s...' exceeds the maximum "
		               "length of 255 characters",
		               alias);
		return -1;
	}
	for (i = 0; i < n; i++) {
		if (!isalnum((unsigned char)alias[i]) && alias[i] != '_' && alias[i] != '-') {
			mlflow_req_bad(resp,
			               "Invalid alias name: '%s'. Names may only contain "
			               "alphanumerics, underscores (_), and dashes (-).",
			               alias);
			return -1;
		}
	}
	if (strcasecmp(alias, "latest") == 0) {
		mlflow_req_bad(resp, "'%s' alias name (case insensitive) is reserved.", "latest");
		return -1;
	}
	if ((alias[0] == 'v' || alias[0] == 'V') && n > 1 &&
	    strspn(alias + 1, "0123456789") == n - 1) {
		mlflow_req_bad(resp, "Version alias name '%s' is reserved.", alias);
		return -1;
	}
	return 0;
}

void mlflow_registry_versions_set_alias(const struct mlflow_args *a, struct sim_resp *resp)
{
	struct mlflow_registry_model *m;
	const char *alias = mlflow_req_need(a, "alias", resp);
	int k;

	if (!alias || versions_alias_ok(alias, resp) != 0)
		return;
	k = mlflow_registry_version_arg(a, &m, resp);
	if (k < 0)
		return;
	if (mlflow_registry_alias_set(m, alias, k + 1) != 0) {
		sim_resp_mlflow_error(resp, 400, "RESOURCE_LIMIT_EXCEEDED",
		                      "Too many aliases on this registered model");
		return;
	}
	sim_resp_json(resp, 200, cJSON_CreateObject());
}

void mlflow_registry_versions_delete_alias(const struct mlflow_args *a, struct sim_resp *resp)
{
	struct mlflow_registry_model *m = mlflow_registry_arg(a, resp);
	const char *alias;
	int i;

	if (!m || !(alias = mlflow_req_need(a, "alias", resp)))
		return;
	i = mlflow_registry_alias_find(m, alias);
	if (i < m->naliases) {
		memmove(&m->aliases[i], &m->aliases[i + 1],
		        (size_t)(m->naliases - i - 1) * sizeof(m->aliases[0]));
		m->naliases--;
	}
	sim_resp_json(resp, 200, cJSON_CreateObject());
}

/* An alias the store does not have, on a model it does not have either, is a 400. */
void mlflow_registry_versions_get_alias(const struct mlflow_args *a, struct sim_resp *resp)
{
	const char *name = mlflow_req_need(a, "name", resp), *alias;
	struct mlflow_registry_model *m;
	int i;

	if (!name || !(alias = mlflow_req_need(a, "alias", resp)))
		return;
	m = mlflow_registry_model(name);
	i = m ? mlflow_registry_alias_find(m, alias) : 0;
	if (m && i < m->naliases) {
		versions_answer(m, m->aliases[i].version - 1, resp);
		return;
	}
	mlflow_req_bad(resp, "Registered model alias %s not found.", alias);
}

static const char *versions_stage(const char *s)
{
	static const char *const stages[] = {"None", "Staging", "Production", "Archived"};
	int i;

	for (i = 0; s && i < 4; i++)
		if (strcasecmp(s, stages[i]) == 0)
			return stages[i];
	return NULL;
}

void mlflow_registry_versions_transition(const struct mlflow_args *a, struct sim_resp *resp)
{
	struct mlflow_registry_model *m;
	const char *raw = mlflow_req_need(a, "stage", resp), *stage;
	int64_t now = sim_now_ms();
	int k, i, archive;
	char msg[256];

	if (!raw)
		return;
	stage = versions_stage(raw);
	if (!stage) {
		mlflow_req_bad(resp,
		               "Invalid Model Version stage: %s. Value must be one of None, "
		               "Staging, Production, Archived.",
		               raw);
		return;
	}
	archive = mlflow_req_bool(a, "archive_existing_versions");
	if (archive && strcmp(stage, "Staging") != 0 && strcmp(stage, "Production") != 0) {
		/* the store refuses it with an exception that carries no error code */
		snprintf(
		    msg, sizeof(msg),
		    "Model version transition cannot archive existing model versions because "
		    "'%.32s' is not an Active stage. Valid stages are ['Staging', 'Production']",
		    raw);
		sim_resp_mlflow_error(resp, 500, "INTERNAL_ERROR", msg);
		return;
	}
	k = mlflow_registry_version_arg(a, &m, resp);
	if (k < 0)
		return;
	if (archive) {
		for (i = 0; i < m->nversions; i++) {
			if (i != k && strcmp(m->v[i].stage, stage) == 0) {
				snprintf(m->v[i].stage, sizeof(m->v[i].stage), "Archived");
				m->v[i].updated = now;
			}
		}
	}
	snprintf(m->v[k].stage, sizeof(m->v[k].stage), "%s", stage);
	m->v[k].updated = now;
	m->updated = now;
	versions_answer(m, k, resp);
}

/* ---- the end state for tests (sim.h) ---- */

static cJSON *versions_state_model(const struct mlflow_registry_model *m)
{
	cJSON *o = cJSON_CreateObject(), *aliases, *versions;
	char num[16];
	int i;

	cJSON_AddStringToObject(o, "name", m->name);
	aliases = cJSON_AddObjectToObject(o, "aliases");
	for (i = 0; i < m->naliases; i++) {
		snprintf(num, sizeof(num), "%d", m->aliases[i].version);
		cJSON_AddStringToObject(aliases, m->aliases[i].alias, num);
	}
	versions = cJSON_AddArrayToObject(o, "versions");
	for (i = 0; i < m->nversions; i++) {
		cJSON *v = cJSON_CreateObject();
		snprintf(num, sizeof(num), "%d", m->v[i].version);
		cJSON_AddStringToObject(v, "version", num);
		cJSON_AddStringToObject(v, "current_stage", m->v[i].stage);
		cJSON_AddItemToArray(versions, v);
	}
	return o;
}

void *mlflow_registry_state(void)
{
	cJSON *arr = cJSON_CreateArray();

	for (int i = 0; i < mlflow_registry_nmodels; i++)
		cJSON_AddItemToArray(arr, versions_state_model(&mlflow_registry_models[i]));
	return arr;
}
