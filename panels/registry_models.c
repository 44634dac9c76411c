#include "panels/registry_models.h"

#include "clients/jsonw.h"

#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "panels/registry_data.h"

enum { C_NAME, C_VERSIONS, C_ALIASES, C_CHAMPION, C_UPDATED, C_DESCRIPTION, C_COUNT };

static const struct table_col cols[C_COUNT] = {
    {"MODEL", 8, 24, TEXT_LEFT, TABLE_SORT_TEXT},
    {"VERSIONS", 8, 8, TEXT_RIGHT, TABLE_SORT_NUM},
    {"ALIASES", 7, 26, TEXT_LEFT, TABLE_SORT_TEXT},
    {"CHAMPION", 8, 8, TEXT_LEFT, TABLE_SORT_NUM},
    {"UPDATED", 8, 9, TEXT_RIGHT, TABLE_SORT_NUM},
    {"DESCRIPTION", 11, 0, TEXT_LEFT, TABLE_SORT_TEXT},
};

static const char *models_cell(void *ctx, size_t row, int col, char *buf, size_t n)
{
	const struct registry_models *v = ctx;
	const struct mlflow_registered_model *m = &v->models->items[row];
	char raw[1024];
	switch (col) {
	case C_NAME:
		return registry_clean(m->name, buf, n);
	case C_VERSIONS:
		snprintf(buf, n, "%zu", v->counts ? v->counts[row] : 0);
		return buf;
	case C_ALIASES:
		registry_alias_summary(m, v->ascii ? "->" : "→", raw, sizeof raw);
		return raw[0] ? registry_clean(raw, buf, n) : NULL;
	case C_CHAMPION: {
		const char *c = registry_champion(m);
		if (!c)
			return NULL;
		snprintf(raw, sizeof raw, "v%s", c);
		return registry_clean(raw, buf, n);
	}
	case C_UPDATED:
		return registry_age(m->last_updated_timestamp, v->now_ms, buf, n);
	default:
		return registry_clean(m->description, buf, n);
	}
}

static double models_num(void *ctx, size_t row, int col)
{
	const struct registry_models *v = ctx;
	const struct mlflow_registered_model *m = &v->models->items[row];
	switch (col) {
	case C_VERSIONS:
		return v->counts ? (double)v->counts[row] : NAN;
	case C_CHAMPION: {
		const char *c = registry_champion(m);
		return c ? strtod(c, NULL) : NAN;
	}
	default:
		return m->last_updated_timestamp ? (double)m->last_updated_timestamp : NAN;
	}
}

static enum role models_role(void *ctx, size_t row)
{
	const struct registry_models *v = ctx;
	return v->counts && v->counts[row] == 0 ? ROLE_MUTED : ROLE_NORMAL;
}

int registry_models_init(struct registry_models *v, int ascii, struct err *e)
{
	memset(v, 0, sizeof *v);
	struct table_source src = {
	    .ctx = v, .cell = models_cell, .num = models_num, .role = models_role};
	struct table *t = table_new(cols, C_COUNT, &src);
	if (!t)
		return err_set(e, ERR_NOMEM, "out of memory");
	table_set_ascii(t, ascii);
	table_set_sort(t, C_NAME, false);
	listview_init(&v->lv, t);
	v->ascii = ascii;
	return 0;
}

void registry_models_fini(struct registry_models *v)
{
	listview_fini(&v->lv);
	free(v->counts);
	v->counts = NULL;
}

void registry_models_set(struct registry_models *v, const struct mlflow_models *models,
                         const struct mlflow_versions *all)
{
	const struct mlflow_registered_model *cur = registry_models_cursor(v);
	char name[512] = "";
	if (cur && cur->name)
		snprintf(name, sizeof name, "%s", cur->name);
	free(v->counts);
	v->counts = NULL;
	v->models = models;
	size_t n = models ? models->n : 0;
	if (n && all && (v->counts = malloc(n * sizeof *v->counts)) &&
	    registry_version_counts(models, all, v->counts) < 0) {
		free(v->counts);
		v->counts = NULL;
	}
	table_set_rows(v->lv.table, n);
	table_recalc(v->lv.table);
	if (name[0])
		registry_models_select(v, name);
}

const struct mlflow_registered_model *registry_models_cursor(const struct registry_models *v)
{
	size_t row;
	if (!v->models || !table_cursor(v->lv.table, &row) || row >= v->models->n)
		return NULL;
	return &v->models->items[row];
}

int registry_models_select(struct registry_models *v, const char *name)
{
	for (size_t i = 0; v->models && name && i < v->models->n; i++)
		if (v->models->items[i].name && strcmp(v->models->items[i].name, name) == 0)
			return table_select_row(v->lv.table, i);
	return 0;
}

void registry_models_json(const struct registry_models *v, struct jsonw *w)
{
	size_t row;
	jsonw_arr_begin(w, "rows");
	for (size_t i = 0; v->models && table_row_at(v->lv.table, i, &row); i++) {
		const struct mlflow_registered_model *m = &v->models->items[row];
		jsonw_obj_begin(w, NULL);
		jsonw_str(w, "name", m->name);
		jsonw_int(w, "versions", v->counts ? (long long)v->counts[row] : 0);
		jsonw_obj_begin(w, "aliases");
		for (size_t k = 0; k < m->naliases; k++)
			if (m->aliases[k].alias)
				jsonw_str(w, m->aliases[k].alias, m->aliases[k].version);
		jsonw_obj_end(w);
		jsonw_str(w, "champion", registry_champion(m));
		jsonw_time(w, "created", m->creation_timestamp);
		jsonw_time(w, "updated", m->last_updated_timestamp);
		jsonw_str(w, "description", m->description);
		jsonw_obj_end(w);
	}
	jsonw_arr_end(w);
}
