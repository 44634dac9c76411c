#include "clients/mlflow_parse_registry.h"

#include <stdlib.h>
#include <string.h>

#include "clients/arena.h"
#include "clients/json.h"
#include "clients/mlflow_parse_util.h"

/* A model version's aliases: a plain string array. */
static const char **version_aliases(struct pctx *p, const cJSON *arr, size_t *n)
{
	size_t count = json_count(arr);
	*n = 0;
	const char **a = count ? arena_calloc(p->a, count, sizeof *a) : NULL;
	if (!a) {
		p->oom |= count != 0;
		return NULL;
	}
	const cJSON *it;
	cJSON_ArrayForEach(it, arr)
	{
		if (cJSON_IsString(it) && *it->valuestring)
			a[(*n)++] = pctx_dup(p, it->valuestring);
	}
	return a;
}

static void version_fill(struct pctx *p, const cJSON *o, void *item)
{
	struct mlflow_model_version *v = item;
	v->name = pctx_str(p, o, "name");
	v->version = pctx_str(p, o, "version");
	v->user_id = pctx_str(p, o, "user_id");
	v->current_stage = pctx_str(p, o, "current_stage");
	v->description = pctx_str(p, o, "description");
	v->source = pctx_str(p, o, "source");
	v->run_id = pctx_str(p, o, "run_id");
	v->run_link = pctx_str(p, o, "run_link");
	v->status = pctx_str(p, o, "status");
	v->status_message = pctx_str(p, o, "status_message");
	v->creation_timestamp = json_i64(o, "creation_timestamp", 0);
	v->last_updated_timestamp = json_i64(o, "last_updated_timestamp", 0);
	v->tags = pctx_tags(p, json_arr(o, "tags"), &v->ntags);
	v->aliases = version_aliases(p, json_arr(o, "aliases"), &v->naliases);
}

/* A registered model's aliases: [{alias, version}]. */
static struct mlflow_alias *model_aliases(struct pctx *p, const cJSON *arr, size_t *n)
{
	size_t count = json_count(arr);
	*n = 0;
	struct mlflow_alias *a = count ? arena_calloc(p->a, count, sizeof *a) : NULL;
	if (!a) {
		p->oom |= count != 0;
		return NULL;
	}
	const cJSON *it;
	cJSON_ArrayForEach(it, arr)
	{
		const char *alias = json_str(it, "alias"), *version = json_str(it, "version");
		if (!alias || !version)
			continue;
		a[*n].alias = pctx_dup(p, alias);
		a[*n].version = pctx_dup(p, version);
		(*n)++;
	}
	return a;
}

static void model_fill(struct pctx *p, const cJSON *o, struct mlflow_registered_model *m)
{
	m->name = pctx_str(p, o, "name");
	m->description = pctx_str(p, o, "description");
	m->creation_timestamp = json_i64(o, "creation_timestamp", 0);
	m->last_updated_timestamp = json_i64(o, "last_updated_timestamp", 0);
	m->tags = pctx_tags(p, json_arr(o, "tags"), &m->ntags);
	m->aliases = model_aliases(p, json_arr(o, "aliases"), &m->naliases);
	const cJSON *lv = json_arr(o, "latest_versions");
	size_t n = json_count(lv);
	m->latest_versions = n ? arena_calloc(p->a, n, sizeof *m->latest_versions) : NULL;
	if (!m->latest_versions) {
		p->oom |= n != 0;
		return;
	}
	const cJSON *it;
	cJSON_ArrayForEach(it, lv)
	{
		if (cJSON_IsObject(it))
			version_fill(p, it, &m->latest_versions[m->nlatest++]);
	}
}

/* Walks a page of models. A model of the same name already in l is overwritten (a search page
 * shifted by an insert, or registered-models/get refreshing one entry of the search list). */
static int models_page(const char *body, size_t len, struct mlflow_models *l, char **next_token,
                       struct err *e)
{
	struct page pg;
	int rc = page_open(&pg, body, len,
	                   next_token ? "registered-models/search" : "registered-models/get",
	                   next_token ? "registered_models" : "registered_model", next_token, e);
	if (rc)
		return rc;
	struct pctx p = {.a = l->arena};
	const cJSON *it;
	cJSON_ArrayForEach(it, pg.list)
	{
		if (!cJSON_IsObject(it))
			continue;
		const char *name = json_str(it, "name");
		struct mlflow_registered_model *m =
		    (struct mlflow_registered_model *)mlflow_models_find(l, name);
		if (!m)
			m = mlflow_list_push((void **)&l->items, &l->n, &l->cap, sizeof *m);
		if (!m)
			break;
		memset(m, 0, sizeof *m);
		model_fill(&p, it, m);
		m->have_aliases = next_token == NULL;
	}
	if (p.oom || it)
		rc = err_set(e, ERR_NOMEM, "registered models: out of memory");
	return page_close(&pg, rc, next_token, e);
}

int mlflow_parse_models(const char *body, size_t len, struct mlflow_models *l, char **next_token,
                        struct err *e)
{
	char *ignored = NULL;
	int rc = models_page(body, len, l, next_token ? next_token : &ignored, e);
	free(ignored);
	return rc;
}

int mlflow_parse_model(const char *body, size_t len, struct mlflow_models *l, struct err *e)
{
	return models_page(body, len, l, NULL, e);
}

int mlflow_models_aliases_searched(struct mlflow_models *l)
{
	size_t with = 0;
	for (size_t i = 0; i < l->n; i++)
		with += l->items[i].naliases > 0;
	for (size_t i = 0; with && i < l->n; i++)
		l->items[i].have_aliases = 1;
	return with > 0;
}

/* The aliases of m that point to version, copied into a; returns how many. */
static size_t aliases_of(struct arena *a, const struct mlflow_registered_model *m,
                         const char *version, const char **out, int *oom)
{
	size_t n = 0;
	for (size_t k = 0; k < m->naliases; k++) {
		if (!m->aliases[k].version || strcmp(m->aliases[k].version, version) != 0)
			continue;
		if (!(out[n++] = arena_strdup(a, m->aliases[k].alias)))
			*oom = 1;
	}
	return n;
}

int mlflow_versions_set_aliases(struct mlflow_versions *l, const struct mlflow_registered_model *m)
{
	int oom = 0;
	for (size_t i = 0; m->name && i < l->n && !oom; i++) {
		struct mlflow_model_version *v = &l->items[i];
		if (!v->name || !v->version || strcmp(v->name, m->name) != 0)
			continue;
		const char **a =
		    m->naliases ? arena_calloc(l->arena, m->naliases, sizeof *a) : NULL;
		oom |= m->naliases && !a;
		v->aliases = a;
		v->naliases = a ? aliases_of(l->arena, m, v->version, a, &oom) : 0;
	}
	return oom ? -1 : 0;
}

int mlflow_parse_versions(const char *body, size_t len, struct mlflow_versions *l,
                          char **next_token, struct err *e)
{
	struct page pg;
	int rc = page_open(&pg, body, len, next_token ? "model-versions/search" : "model-version",
	                   next_token ? "model_versions" : "model_version", next_token, e);
	if (rc)
		return rc;
	struct pctx p = {.a = l->arena};
	page_push_each(&pg, &p, (void **)&l->items, &l->n, &l->cap, sizeof *l->items, version_fill);
	if (p.oom)
		rc = err_set(e, ERR_NOMEM, "model versions: out of memory");
	return page_close(&pg, rc, next_token, e);
}
