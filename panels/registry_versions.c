#include "panels/registry_versions.h"

#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "panels/registry_data.h"

enum { C_VER, C_STATUS, C_STAGE, C_ALIASES, C_RUN, C_METRIC, C_CREATED, C_DESCRIPTION, C_COUNT };

static const struct table_col base_cols[C_COUNT] = {
    {"VER", 3, 6, TEXT_RIGHT, TABLE_SORT_NUM},
    {"STATUS", 6, 10, TEXT_LEFT, TABLE_SORT_TEXT},
    {"STAGE", 5, 10, TEXT_LEFT, TABLE_SORT_TEXT},
    {"ALIASES", 7, 18, TEXT_LEFT, TABLE_SORT_TEXT},
    {"RUN", 8, 18, TEXT_LEFT, TABLE_SORT_TEXT},
    {"METRIC", 6, 12, TEXT_RIGHT, TABLE_SORT_NUM},
    {"CREATED", 7, 8, TEXT_RIGHT, TABLE_SORT_NUM},
    {"DESCRIPTION", 11, 0, TEXT_LEFT, TABLE_SORT_TEXT},
};

static const struct mlflow_run *source_run(const struct registry_versions *v,
                                           const struct mlflow_model_version *mv)
{
	return v->runs && mv->run_id ? runstore_find(v->runs, mv->run_id) : NULL;
}

static const struct mlflow_metric *key_metric(const struct registry_versions *v,
                                              const struct mlflow_model_version *mv)
{
	const struct mlflow_run *r = source_run(v, mv);
	return r && v->metric_key != RUNSTORE_NO_KEY ? runstore_metric(r, v->metric_key) : NULL;
}

/* The run's name, else the start of its id (before the runs came, or a run that is gone). */
static const char *run_cell(const struct registry_versions *v,
                            const struct mlflow_model_version *mv, char *buf, size_t n)
{
	const struct mlflow_run *r = source_run(v, mv);
	if (r && r->name)
		return registry_clean(r->name, buf, n);
	char id[16];
	snprintf(id, sizeof id, "%.8s", mv->run_id ? mv->run_id : "");
	return registry_clean(id, buf, n);
}

static int is(const char *a, const char *b)
{
	return a && strcmp(a, b) == 0;
}

static const char *versions_cell(void *ctx, size_t row, int col, char *buf, size_t n)
{
	const struct registry_versions *v = ctx;
	const struct mlflow_model_version *mv = v->rows[row];
	char raw[512];
	switch (col) {
	case C_VER:
		return registry_clean(mv->version, buf, n);
	case C_STATUS:
		return registry_clean(mv->status, buf, n);
	case C_STAGE: /* MLflow says "None" for no stage: shown as a dash, like any empty value */
		if (!mv->current_stage || !*mv->current_stage || is(mv->current_stage, "None"))
			return v->ascii ? "-" : "\xE2\x80\x93";
		return registry_clean(mv->current_stage, buf, n);
	case C_ALIASES:
		return registry_clean(registry_version_aliases(v->m, mv, raw, sizeof raw), buf, n);
	case C_RUN:
		return run_cell(v, mv, buf, n);
	case C_METRIC: {
		const struct mlflow_metric *m = key_metric(v, mv);
		return m ? registry_metric_format(m->value, buf, n) : NULL;
	}
	case C_CREATED:
		return registry_age(mv->creation_timestamp, v->now_ms, buf, n);
	default:
		return registry_clean(mv->description, buf, n);
	}
}

static double versions_num(void *ctx, size_t row, int col)
{
	const struct registry_versions *v = ctx;
	const struct mlflow_model_version *mv = v->rows[row];
	switch (col) {
	case C_VER:
		return mv->version ? strtod(mv->version, NULL) : NAN;
	case C_METRIC: {
		const struct mlflow_metric *m = key_metric(v, mv);
		return m ? m->value : NAN;
	}
	default:
		return mv->creation_timestamp ? (double)mv->creation_timestamp : NAN;
	}
}

static enum role versions_role(void *ctx, size_t row)
{
	const struct registry_versions *v = ctx;
	const struct mlflow_model_version *mv = v->rows[row];
	if (is(mv->status, "FAILED_REGISTRATION"))
		return ROLE_CRIT;
	if (is(mv->status, "PENDING_REGISTRATION"))
		return ROLE_WARN;
	if (registry_version_has_alias(v->m, mv, "champion"))
		return ROLE_OK;
	if (registry_version_has_alias(v->m, mv, "challenger"))
		return ROLE_CANARY;
	return is(mv->current_stage, "Archived") ? ROLE_MUTED : ROLE_NORMAL;
}

int registry_versions_init(struct registry_versions *v, int ascii, struct err *e)
{
	memset(v, 0, sizeof *v);
	struct table_source src = {
	    .ctx = v, .cell = versions_cell, .num = versions_num, .role = versions_role};
	struct table *t = table_new(base_cols, C_COUNT, &src);
	if (!t)
		return err_set(e, ERR_NOMEM, "out of memory");
	table_set_ascii(t, ascii);
	table_set_sort(t, C_VER, true);
	table_set_hide_empty(t, C_METRIC, true); /* no key metric: the header says how to set one */
	listview_init(&v->lv, t);
	v->ascii = ascii;
	v->metric_key = RUNSTORE_NO_KEY;
	return 0;
}

void registry_versions_fini(struct registry_versions *v)
{
	listview_fini(&v->lv);
	free(v->model);
	free(v->rows);
	v->model = NULL;
	v->rows = NULL;
}

int registry_versions_open(struct registry_versions *v, const char *name)
{
	free(v->model);
	free(v->rows);
	v->rows = NULL;
	v->n = 0;
	v->m = NULL;
	v->model = name ? strdup(name) : NULL;
	table_set_rows(v->lv.table, 0);
	listview_filter(&v->lv, "", NULL);
	table_clear_marks(v->lv.table);
	return name && !v->model ? ERR_NOMEM : 0;
}

/* The metric column is titled with the key metric's name. */
static void set_metric(struct registry_versions *v, const char *metric)
{
	if (strcmp(v->metric, metric ? metric : "") == 0)
		return;
	snprintf(v->metric, sizeof v->metric, "%s", metric ? metric : "");
	struct table_col cols[C_COUNT];
	memcpy(cols, base_cols, sizeof cols);
	char title[64];
	registry_clean(v->metric, title, sizeof title);
	if (v->metric[0])
		cols[C_METRIC].title = title;
	table_set_cols(v->lv.table, cols, C_COUNT);
}

void registry_versions_set(struct registry_versions *v, const struct config *cfg,
                           const struct mlflow_models *models, const struct mlflow_versions *all,
                           const struct runstore *runs)
{
	const struct mlflow_model_version *cur = registry_versions_cursor(v);
	char ver[64] = "";
	if (cur && cur->version)
		snprintf(ver, sizeof ver, "%s", cur->version);
	free(v->rows);
	v->rows = NULL;
	v->n = 0;
	v->runs = runs;
	v->m = v->model && models ? mlflow_models_find(models, v->model) : NULL;
	long n = v->model ? registry_versions_of(all, v->model, &v->rows) : 0;
	v->n = n > 0 ? (size_t)n : 0;
	const char *metric = registry_key_metric(cfg, v->model, runs, v->rows, v->n);
	set_metric(v, metric);
	v->metric_key = runs && metric ? runstore_key_id(runs, metric) : RUNSTORE_NO_KEY;
	table_set_rows(v->lv.table, v->n);
	table_recalc(v->lv.table);
	if (ver[0])
		registry_versions_select(v, ver);
}

const struct mlflow_model_version *registry_versions_cursor(const struct registry_versions *v)
{
	size_t row;
	if (!v->rows || !table_cursor(v->lv.table, &row) || row >= v->n)
		return NULL;
	return v->rows[row];
}

int registry_versions_select(struct registry_versions *v, const char *version)
{
	for (size_t i = 0; version && i < v->n; i++)
		if (is(v->rows[i]->version, version))
			return table_select_row(v->lv.table, i);
	return 0;
}

char *registry_versions_header(const struct registry_versions *v, char *buf, size_t n)
{
	const char *dot = v->ascii ? " - " : " · ";
	int len = snprintf(buf, n, "%s", v->model ? v->model : "");
	const struct mlflow_registered_model *m = v->m;
	for (size_t i = 0; m && i < m->naliases && len >= 0 && (size_t)len < n; i++)
		len += snprintf(buf + len, n - (size_t)len, "%s%s v%s", dot,
		                m->aliases[i].alias ? m->aliases[i].alias : "",
		                m->aliases[i].version ? m->aliases[i].version : "?");
	const char *champ = m && !mlflow_model_alias(m, "champion") ? registry_champion(m) : NULL;
	if (champ && len >= 0 && (size_t)len < n)
		len += snprintf(buf + len, n - (size_t)len, "%sProduction v%s", dot, champ);
	if (len >= 0 && (size_t)len < n)
		len += snprintf(buf + len, n - (size_t)len, "%s%zu version%s", dot, v->n,
		                v->n == 1 ? "" : "s");
	if (!v->metric[0] && v->n && len >= 0 && (size_t)len < n)
		len += snprintf(buf + len, n - (size_t)len,
		                "%sno key metric: set metric = NAME in [model.%s]", dot,
		                v->model ? v->model : "MODEL");
	if (m && m->description && *m->description && len >= 0 && (size_t)len < n) {
		char one[256];
		snprintf(one, sizeof one, "%s", m->description);
		one[strcspn(one, "\r\n")] = '\0';
		snprintf(buf + len, n - (size_t)len, "%s\"%s\"", dot, one);
	}
	return buf;
}
