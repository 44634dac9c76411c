#include "panels/exp_list.h"

#include "clients/jsonw.h"

#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "clients/mlflow_merge.h"
#include "tui/widgets/text.h"

enum { C_NAME, C_ID, C_RUNS, C_UPDATED, C_LIFECYCLE, C_DESCRIPTION };

static const struct exp_count *count_of(const struct exp_list *l, const char *id)
{
	for (size_t i = 0; id && i < l->ncounts; i++)
		if (strcmp(l->counts[i].id, id) == 0)
			return &l->counts[i];
	return NULL;
}

static const struct mlflow_experiment *at(const struct exp_list *l, size_t row)
{
	return l->exps && row < l->exps->n ? &l->exps->items[row] : NULL;
}

static const char *clean(const char *v, char *buf, size_t n)
{
	return v && *v ? text_sanitize(v, strlen(v), buf, n) : NULL;
}

static const char *cell(void *ctx, size_t row, int col, char *buf, size_t n)
{
	const struct exp_list *l = ctx;
	const struct mlflow_experiment *x = at(l, row);
	if (!x)
		return NULL;
	switch (col) {
	case C_NAME:
		return clean(x->name, buf, n);
	case C_ID:
		return clean(x->id, buf, n);
	case C_RUNS: {
		const struct exp_count *c = count_of(l, x->id);
		return c ? text_thousands(buf, n, (long long)c->runs) : NULL;
	}
	case C_UPDATED: {
		int64_t ms = x->last_update_time > 0 ? x->last_update_time : x->creation_time;
		if (ms <= 0)
			return NULL;
		time_t t = (time_t)(ms / 1000);
		struct tm tm;
		strftime(buf, n, "%Y-%m-%d %H:%M", localtime_r(&t, &tm));
		return buf;
	}
	case C_LIFECYCLE:
		return clean(x->lifecycle_stage, buf, n);
	default:
		return clean(x->description, buf, n);
	}
}

static double num(void *ctx, size_t row, int col)
{
	const struct exp_list *l = ctx;
	const struct mlflow_experiment *x = at(l, row);
	if (!x)
		return NAN;
	if (col == C_RUNS) {
		const struct exp_count *c = count_of(l, x->id);
		return c ? (double)c->runs : NAN;
	}
	if (col == C_ID) {
		char *end;
		double d = x->id ? strtod(x->id, &end) : NAN;
		return x->id && *end == '\0' && end != x->id ? d : NAN;
	}
	int64_t ms = x->last_update_time > 0 ? x->last_update_time : x->creation_time;
	return ms > 0 ? (double)ms : NAN;
}

static enum role role(void *ctx, size_t row)
{
	const struct mlflow_experiment *x = at(ctx, row);
	return x && x->lifecycle_stage && strcmp(x->lifecycle_stage, "deleted") == 0 ? ROLE_MUTED
	                                                                             : ROLE_NORMAL;
}

static const struct table_col cols[] = {
    {"NAME", 12, 28, TEXT_LEFT, TABLE_SORT_TEXT},
    {"ID", 4, 20, TEXT_RIGHT, TABLE_SORT_NUM},
    {"RUNS", 6, 9, TEXT_RIGHT, TABLE_SORT_NUM},
    {"LAST UPDATE", 16, 16, TEXT_LEFT, TABLE_SORT_NUM},
    {"LIFECYCLE", 9, 9, TEXT_LEFT, TABLE_SORT_TEXT},
    {"DESCRIPTION", 11, 0, TEXT_LEFT, TABLE_SORT_TEXT},
};

int exp_list_init(struct exp_list *l, int utf8, struct err *e)
{
	memset(l, 0, sizeof *l);
	struct table_source src = {.ctx = l, .cell = cell, .num = num, .role = role};
	struct table *t = table_new(cols, sizeof cols / sizeof cols[0], &src);
	if (!t)
		return err_set(e, ERR_NOMEM, "out of memory");
	table_set_ascii(t, !utf8);
	table_set_sort(t, 3, true);       /* LAST UPDATE, the newest first */
	table_set_hide_empty(t, 2, true); /* RUNS: known once an experiment has been opened */
	listview_init(&l->lv, t);
	return 0;
}

void exp_list_fini(struct exp_list *l)
{
	listview_fini(&l->lv);
	mlflow_experiments_free(&l->exps);
	free(l->counts);
	l->counts = NULL;
	l->ncounts = 0;
}

const struct mlflow_experiment *exp_list_current(const struct exp_list *l)
{
	size_t row;
	return table_cursor(l->lv.table, &row) ? at(l, row) : NULL;
}

int exp_list_select(struct exp_list *l, const char *id)
{
	for (size_t i = 0; l->exps && id && i < l->exps->n; i++)
		if (l->exps->items[i].id && strcmp(l->exps->items[i].id, id) == 0)
			return table_select_row(l->lv.table, i);
	return 0;
}

void exp_list_set(struct exp_list *l, struct mlflow_experiments *exps)
{
	char keep[64] = "";
	const struct mlflow_experiment *cur = exp_list_current(l);
	if (cur && cur->id)
		snprintf(keep, sizeof keep, "%s", cur->id);
	mlflow_experiments_free(&l->exps);
	l->exps = exps;
	table_set_rows(l->lv.table, exps ? exps->n : 0);
	table_recalc(l->lv.table);
	if (keep[0])
		exp_list_select(l, keep);
}

int exp_list_merge(struct exp_list *l, const struct mlflow_experiments *page, size_t page_size,
                   int *overflow)
{
	char keep[64] = "";
	const struct mlflow_experiment *cur = exp_list_current(l);
	if (!l->exps || !page)
		return 0;
	if (cur && cur->id)
		snprintf(keep, sizeof keep, "%s", cur->id);
	int n = mlflow_experiments_merge(l->exps, page, page_size, overflow);
	if (n <= 0)
		return n;
	table_set_rows(l->lv.table, l->exps->n);
	table_recalc(l->lv.table);
	if (keep[0])
		exp_list_select(l, keep);
	return n;
}

void exp_list_set_count(struct exp_list *l, const char *id, size_t runs)
{
	struct exp_count *c = (struct exp_count *)count_of(l, id);
	if (!c && id) {
		struct exp_count *more = realloc(l->counts, (l->ncounts + 1) * sizeof *more);
		if (!more)
			return;
		l->counts = more;
		c = &l->counts[l->ncounts++];
		snprintf(c->id, sizeof c->id, "%s", id);
	}
	if (c)
		c->runs = runs;
}

void exp_list_json(const struct exp_list *l, struct jsonw *w)
{
	size_t row;
	jsonw_arr_begin(w, "rows");
	for (size_t i = 0; l->exps && table_row_at(l->lv.table, i, &row); i++) {
		const struct mlflow_experiment *x = at(l, row);
		const struct exp_count *c = x ? count_of(l, x->id) : NULL;
		if (!x)
			continue;
		jsonw_obj_begin(w, NULL);
		jsonw_str(w, "id", x->id);
		jsonw_str(w, "name", x->name);
		jsonw_str(w, "lifecycle", x->lifecycle_stage);
		jsonw_time(w, "created", x->creation_time);
		jsonw_time(w, "updated", x->last_update_time);
		jsonw_str(w, "description", x->description);
		if (c)
			jsonw_int(w, "runs", (long long)c->runs);
		else
			jsonw_null(w, "runs");
		jsonw_obj_end(w);
	}
	jsonw_arr_end(w);
}
