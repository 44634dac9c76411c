/* mltop-sim: the experiment endpoints. */
#include "sim/mlflow_experiments.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "sim/mlflow_filter.h"
#include "sim/mlflow_sort.h"
#include "sim/mlflow_world.h"

#define EXP_MAX_RESULTS 50000

static const struct mlflow_filter_rule exp_rules[] = {
    {MLFLOW_ATTR, "name", 0, 0},
    {MLFLOW_ATTR, "experiment_id", 0, 0},
    {MLFLOW_ATTR, "creation_time", 1, 0},
    {MLFLOW_ATTR, "last_update_time", 1, 0},
    {MLFLOW_TAG, NULL, 0, 0},
};
#define EXP_NRULES ((int)(sizeof(exp_rules) / sizeof(exp_rules[0])))

static cJSON *exp_json(const struct mlflow_exp *x)
{
	cJSON *o = cJSON_CreateObject(), *tags;
	char loc[64];

	snprintf(loc, sizeof(loc), "mlflow-artifacts:/%s", x->id);
	cJSON_AddStringToObject(o, "experiment_id", x->id);
	cJSON_AddStringToObject(o, "name", x->name);
	cJSON_AddStringToObject(o, "artifact_location", loc);
	cJSON_AddStringToObject(o, "lifecycle_stage", x->deleted ? "deleted" : "active");
	cJSON_AddNumberToObject(o, "last_update_time", (double)x->last_update_time);
	cJSON_AddNumberToObject(o, "creation_time", (double)x->creation_time);
	if (x->team || x->description) {
		tags = cJSON_AddArrayToObject(o, "tags");
		if (x->team)
			mlflow_req_add_kv(tags, "team", x->team);
		if (x->description)
			mlflow_req_add_kv(tags, "mlflow.note.content", x->description);
	}
	return o;
}

static const char *exp_tag(const struct mlflow_exp *x, const char *key)
{
	if (strcmp(key, "team") == 0)
		return x->team;
	if (strcmp(key, "mlflow.note.content") == 0)
		return x->description;
	return NULL;
}

static int exp_match(const struct mlflow_exp *x, const struct mlflow_filter *f)
{
	int i;

	for (i = 0; i < f->n; i++) {
		const struct mlflow_clause *c = &f->c[i];
		int ok;

		if (c->entity == MLFLOW_TAG)
			ok = mlflow_filter_match_str(c, exp_tag(x, c->key));
		else if (strcmp(c->key, "name") == 0)
			ok = mlflow_filter_match_str(c, x->name);
		else if (strcmp(c->key, "experiment_id") == 0)
			ok = mlflow_filter_match_str(c, x->id);
		else if (strcmp(c->key, "creation_time") == 0)
			ok = mlflow_filter_match_num(c, (double)x->creation_time);
		else
			ok = mlflow_filter_match_num(c, (double)x->last_update_time);
		if (!ok)
			return 0;
	}
	return 1;
}

static void exp_sort_keys(struct mlflow_sort *s, struct mlflow_sort_row *row,
                          const struct mlflow_query *q, const struct mlflow_exp *x)
{
	int k;

	for (k = 0; k < q->norder; k++) {
		const char *key = q->order[k].key;

		if (q->order[k].entity == MLFLOW_TAG)
			mlflow_sort_str(s, row, k, exp_tag(x, key), 0);
		else if (strcmp(key, "name") == 0)
			mlflow_sort_str(s, row, k, x->name, 0);
		else if (strcmp(key, "creation_time") == 0)
			mlflow_sort_num(row, k, (double)x->creation_time);
		else if (strcmp(key, "last_update_time") == 0)
			mlflow_sort_num(row, k, (double)x->last_update_time);
		else
			mlflow_sort_num(row, k, (double)mlflow_world_exp_index(x));
	}
	/* The implicit tie-break: experiment_id DESC. */
	mlflow_sort_num(row, q->norder, (double)mlflow_world_exp_index(x));
}

static int exp_view_ok(const char *view, const struct mlflow_exp *x)
{
	if (view && strcmp(view, "ALL") == 0)
		return 1;
	if (view && strcmp(view, "DELETED_ONLY") == 0)
		return x->deleted;
	return !x->deleted;
}

static cJSON *exp_item(void *ud, long i)
{
	const struct mlflow_sort *s = ud;

	return exp_json(&mlflow_world.exps[s->rows[i].index]);
}

static const struct mlflow_query_spec exp_spec = {
    exp_rules, EXP_NRULES, 0, EXP_MAX_RESULTS,
    "Invalid value %s for parameter 'max_results' supplied. It must be at most 50000"};

void mlflow_experiments_search(const struct mlflow_args *a, struct sim_resp *resp)
{
	struct mlflow_query q;
	struct mlflow_sort s;
	cJSON *out;
	int e, k;

	if (mlflow_req_query(a, &exp_spec, &q, resp) != 0)
		return;
	mlflow_sort_init(&s);
	for (k = 0; k < q.norder; k++)
		mlflow_sort_key(&s, q.order[k].desc);
	mlflow_sort_key(&s, 1);
	for (e = 0; e < mlflow_world.nexps; e++) {
		const struct mlflow_exp *x = &mlflow_world.exps[e];
		struct mlflow_sort_row *row;

		if (!exp_view_ok(mlflow_req_str(a, "view_type"), x) || !exp_match(x, &q.filter))
			continue;
		row = mlflow_sort_add(&s, e);
		if (row)
			exp_sort_keys(&s, row, &q, x);
	}
	mlflow_sort_run(&s);
	out = cJSON_CreateObject();
	mlflow_req_page(out, "experiments", s.n, q.offset, q.max, exp_item, &s);
	mlflow_sort_fini(&s);
	sim_resp_json(resp, 200, out);
}

static void exp_answer(const struct mlflow_exp *x, struct sim_resp *resp)
{
	cJSON *out = cJSON_CreateObject();

	cJSON_AddItemToObject(out, "experiment", exp_json(x));
	sim_resp_json(resp, 200, out);
}

void mlflow_experiments_get(const struct mlflow_args *a, struct sim_resp *resp)
{
	const char *id = mlflow_req_need(a, "experiment_id", resp);
	const struct mlflow_exp *x;

	if (!id)
		return;
	x = mlflow_world_exp_by_id(id);
	if (!x)
		mlflow_req_not_found(resp, "No Experiment with id=%s exists", id);
	else
		exp_answer(x, resp);
}

void mlflow_experiments_get_by_name(const struct mlflow_args *a, struct sim_resp *resp)
{
	const char *name = mlflow_req_need(a, "experiment_name", resp);
	const struct mlflow_exp *x;

	if (!name)
		return;
	x = mlflow_world_exp_by_name(name);
	if (!x)
		mlflow_req_not_found(resp, "Could not find experiment with name '%s'", name);
	else
		exp_answer(x, resp);
}
