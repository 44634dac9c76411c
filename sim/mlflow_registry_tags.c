/* mltop-sim: tags and descriptions of registered models and model versions. */
#include "sim/mlflow_registry_tags.h"

#include <stdio.h>
#include <string.h>

#include "sim/clock.h"
#include "sim/mlflow_registry.h"

/* The tag list named by the request (a model's, or a version's when version_too), with the
 * timestamp to bump; NULL after writing a 400/404. */
struct tags_target {
	struct mlflow_registry_model *m;
	int k; /* version index, or -1 */
	struct mlflow_registry_tag *tags;
	int *n;
};

static int tags_target(const struct mlflow_args *a, int version_too, struct tags_target *t,
                       struct sim_resp *resp)
{
	if (version_too) {
		t->k = mlflow_registry_version_arg(a, &t->m, resp);
		if (t->k < 0)
			return -1;
		t->tags = t->m->v[t->k].tags;
		t->n = &t->m->v[t->k].ntags;
		return 0;
	}
	t->m = mlflow_registry_arg(a, resp);
	t->k = -1;
	if (!t->m)
		return -1;
	t->tags = t->m->tags;
	t->n = &t->m->ntags;
	return 0;
}

static void tags_touch(const struct tags_target *t)
{
	int64_t now = sim_now_ms();

	if (t->k >= 0)
		t->m->v[t->k].updated = now;
	t->m->updated = now;
}

static void tags_set(const struct mlflow_args *a, int version_too, struct sim_resp *resp)
{
	struct tags_target t;
	const char *key, *value;

	if (tags_target(a, version_too, &t, resp) != 0 || !(key = mlflow_req_need(a, "key", resp)))
		return;
	value = mlflow_req_str(a, "value");
	if (!value) {
		mlflow_req_need(a, "value", resp);
		return;
	}
	if (strlen(key) > 250 || strlen(value) >= sizeof(t.tags[0].value)) {
		mlflow_req_bad(resp, "Tag '%.250s' is too long for this registry", key);
		return;
	}
	if (mlflow_registry_tag_set(t.tags, t.n, key, value) != 0) {
		mlflow_req_bad(resp, "Too many tags: cannot add '%s'", key);
		return;
	}
	tags_touch(&t);
	sim_resp_json(resp, 200, cJSON_CreateObject());
}

static void tags_delete(const struct mlflow_args *a, int version_too, struct sim_resp *resp)
{
	struct tags_target t;
	const char *key;

	if (tags_target(a, version_too, &t, resp) != 0 || !(key = mlflow_req_need(a, "key", resp)))
		return;
	mlflow_registry_tag_delete(t.tags, t.n, key);
	tags_touch(&t);
	sim_resp_json(resp, 200, cJSON_CreateObject());
}

static void tags_update(const struct mlflow_args *a, int version_too, struct sim_resp *resp)
{
	struct tags_target t;
	const char *desc;
	char *dst;
	cJSON *out;

	if (tags_target(a, version_too, &t, resp) != 0)
		return;
	desc = mlflow_req_str(a, "description");
	dst = t.k >= 0 ? t.m->v[t.k].description : t.m->description;
	if (desc && strlen(desc) >= sizeof(t.m->description)) {
		mlflow_req_bad(resp, "Description is too long for this registry%s", "");
		return;
	}
	if (desc) {
		snprintf(dst, sizeof(t.m->description), "%s", desc);
		tags_touch(&t);
	}
	out = cJSON_CreateObject();
	if (t.k >= 0)
		cJSON_AddItemToObject(out, "model_version",
		                      mlflow_registry_version_json(t.m, t.k, 0));
	else
		cJSON_AddItemToObject(out, "registered_model", mlflow_registry_model_json(t.m));
	sim_resp_json(resp, 200, out);
}

void mlflow_registry_tags_set_model(const struct mlflow_args *a, struct sim_resp *resp)
{
	tags_set(a, 0, resp);
}

void mlflow_registry_tags_delete_model(const struct mlflow_args *a, struct sim_resp *resp)
{
	tags_delete(a, 0, resp);
}

void mlflow_registry_tags_update_model(const struct mlflow_args *a, struct sim_resp *resp)
{
	tags_update(a, 0, resp);
}

void mlflow_registry_tags_set_version(const struct mlflow_args *a, struct sim_resp *resp)
{
	tags_set(a, 1, resp);
}

void mlflow_registry_tags_delete_version(const struct mlflow_args *a, struct sim_resp *resp)
{
	tags_delete(a, 1, resp);
}

void mlflow_registry_tags_update_version(const struct mlflow_args *a, struct sim_resp *resp)
{
	tags_update(a, 1, resp);
}
