#include "panels/runs_view.h"

#include <math.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "tui/widgets/text.h"

/* Metrics people look at first, in order, when the config names none. */
static const char *const usual_metrics[] = {
    "auc",    "roc_auc", "f1",  "f1_score", "logloss", "log_loss", "accuracy", "precision",
    "recall", "rmse",    "mae", "r2",       "loss",    "val_loss", NULL,
};
static const char *const usual_params[] = {
    "model_type", "model", "learning_rate", "max_depth", "n_estimators", "feature_set", NULL,
};

enum { DEFAULT_METRICS = 3, DEFAULT_PARAMS = 2 };

static const struct mlflow_run *run_of(const struct runs_view *rv, size_t row)
{
	return rv->store ? runstore_at(rv->store, row) : NULL;
}

static const char *cell_cb(void *ctx, size_t row, int col, char *buf, size_t n)
{
	const struct runs_view *rv = ctx;
	const struct mlflow_run *r = run_of(rv, row);
	return r ? runs_view_cell(rv, r, col, buf, n) : NULL;
}

static double num_cb(void *ctx, size_t row, int col)
{
	const struct runs_view *rv = ctx;
	const struct mlflow_run *r = run_of(rv, row);
	return r ? runs_view_num(rv, r, col) : NAN;
}

static void hay_clear(struct runs_view *rv)
{
	for (size_t i = 0; i < rv->nhay; i++)
		free(rv->hay[i]);
	free(rv->hay);
	rv->hay = NULL;
	rv->nhay = 0;
}

/* The cells of a row joined by tabs, then its id: what / matches. */
static char *hay_build(const struct runs_view *rv, const struct mlflow_run *r)
{
	char buf[512], *out = NULL;
	size_t len = 0;
	FILE *f = open_memstream(&out, &len);
	if (!f)
		return NULL;
	for (int c = 0; c < RUNS_COL_FIXED + (int)rv->nkeys; c++) {
		const char *v = runs_view_cell(rv, r, c, buf, sizeof buf);
		fprintf(f, "%s%s", c ? "\t" : "", v ? v : "");
	}
	fprintf(f, "\t%s", r->id ? r->id : "");
	return fclose(f) == 0 ? out : (free(out), NULL);
}

static const char *hay_cb(void *ctx, size_t row, size_t *len)
{
	struct runs_view *rv = ctx;
	const struct mlflow_run *r = run_of(rv, row);
	if (!r)
		return *len = 0, "";
	if (row >= rv->nhay) {
		size_t n = runstore_count(rv->store);
		char **more = realloc(rv->hay, n * sizeof *more);
		if (!more)
			return NULL;
		memset(more + rv->nhay, 0, (n - rv->nhay) * sizeof *more);
		rv->hay = more;
		rv->nhay = n;
	}
	if (!rv->hay[row] && !(rv->hay[row] = hay_build(rv, r)))
		return NULL;
	*len = strlen(rv->hay[row]);
	return rv->hay[row];
}

static enum role role_cb(void *ctx, size_t row)
{
	const struct mlflow_run *r = run_of(ctx, row);
	if (!r)
		return ROLE_NORMAL;
	switch (r->status) {
	case RUN_STATUS_FAILED:
		return ROLE_CRIT;
	case RUN_STATUS_RUNNING:
		return ROLE_ACCENT;
	case RUN_STATUS_KILLED:
		return ROLE_MUTED;
	default:
		return r->deleted ? ROLE_MUTED : ROLE_NORMAL;
	}
}

/* The columns for the current keys. */
static int apply_cols(struct runs_view *rv)
{
	struct table_col cols[RUNS_COL_FIXED + RUNS_VIEW_MAX_KEYS] = {
	    {"NAME", 13, 24, TEXT_LEFT, TABLE_SORT_TEXT},
	    {"STATUS", 8, 8, TEXT_LEFT, TABLE_SORT_TEXT},
	    {"START", 11, 16, TEXT_LEFT, TABLE_SORT_NUM},
	    {"DUR", 6, 7, TEXT_RIGHT, TABLE_SORT_NUM},
	    {"USER", 6, 10, TEXT_LEFT, TABLE_SORT_TEXT},
	};
	static char titles[RUNS_VIEW_MAX_KEYS][RUNS_KEY_LEN * 2]; /* copied by the table */
	int n = RUNS_COL_FIXED_HEAD;
	for (size_t i = 0; i < rv->nkeys; i++) {
		int metric = rv->keys[i].kind == RUNSTORE_METRIC;
		const char *name = rv->keys[i].name;
		text_sanitize(name, strlen(name), titles[i], sizeof titles[i]);
		int w = text_width(titles[i]), lo = metric ? 7 : 8;
		w = w < lo ? lo : w > 14 ? 14 : w;
		cols[n++] = (struct table_col){titles[i], w, metric ? 10 : 14,
		                               metric ? TEXT_RIGHT : TEXT_LEFT,
		                               metric ? TABLE_SORT_NUM : TABLE_SORT_TEXT};
	}
	cols[n++] = (struct table_col){"COMMIT", 7, 7, TEXT_LEFT, TABLE_SORT_TEXT};
	cols[n++] = (struct table_col){"DATASET", 8, 8, TEXT_LEFT, TABLE_SORT_TEXT};
	hay_clear(rv);
	return table_set_cols(rv->lv.table, cols, n);
}

int runs_view_init(struct runs_view *rv, int utf8, struct err *e)
{
	memset(rv, 0, sizeof *rv);
	struct table_col one = {"NAME", 8, 0, TEXT_LEFT, TABLE_SORT_TEXT};
	struct table_source src = {
	    .ctx = rv, .cell = cell_cb, .num = num_cb, .role = role_cb, .haystack = hay_cb};
	struct table *t = table_new(&one, 1, &src);
	if (!t)
		return err_set(e, ERR_NOMEM, "out of memory");
	table_set_ascii(t, !utf8);
	table_set_frozen(t, 1);
	listview_init(&rv->lv, t);
	if (apply_cols(rv) < 0) {
		listview_fini(&rv->lv);
		return err_set(e, ERR_NOMEM, "out of memory");
	}
	table_set_natural(t, RUNS_COL_START, true); /* MLflow answers the newest first */
	return 0;
}

void runs_view_fini(struct runs_view *rv)
{
	listview_fini(&rv->lv);
	runs_picker_close(&rv->picker);
	hay_clear(rv);
}

/* ---- default columns ---- */

static int have_key(const struct runs_key *out, size_t n, int kind, const char *name)
{
	for (size_t i = 0; i < n; i++)
		if (out[i].kind == kind && strcmp(out[i].name, name) == 0)
			return 1;
	return 0;
}

/* Adds name as kind when the store has seen it so and it is not there yet. */
static size_t add_key(const struct runstore *s, struct runs_key *out, size_t n, size_t max,
                      int kind, const char *name)
{
	if (n >= max || !name || have_key(out, n, kind, name))
		return n;
	uint32_t id = runstore_key_id(s, name);
	const uint32_t *ids;
	size_t nk = runstore_keys(s, kind, &ids);
	for (size_t i = 0; i < nk && id != RUNSTORE_NO_KEY; i++) {
		if (ids[i] == id) {
			out[n].kind = kind;
			snprintf(out[n].name, sizeof out[n].name, "%s", name);
			return n + 1;
		}
	}
	return n;
}

/* Up to want keys of kind: the preferred ones first, then the first by name. */
static size_t add_kind(const struct runstore *s, struct runs_key *out, size_t n, size_t max,
                       int kind, const char *const *preferred, size_t want)
{
	size_t limit = n + want < max ? n + want : max;
	for (size_t i = 0; preferred[i]; i++)
		n = add_key(s, out, n, limit, kind, preferred[i]);
	const uint32_t *ids;
	size_t nk = runstore_keys(s, kind, &ids);
	for (size_t i = 0; i < nk; i++)
		n = add_key(s, out, n, limit, kind, runstore_key_name(s, ids[i]));
	return n;
}

size_t runs_view_default_keys(const struct runstore *s, const struct config *cfg,
                              struct runs_key *out, size_t max)
{
	size_t n = 0;
	if (!s || !max)
		return 0;
	size_t metric_max = max < DEFAULT_METRICS ? max : DEFAULT_METRICS;
	for (size_t i = 0; cfg && i < config_model_count(cfg); i++)
		n = add_key(s, out, n, metric_max, RUNSTORE_METRIC,
		            config_model_at(cfg, i)->metric);
	n = add_kind(s, out, n, metric_max, RUNSTORE_METRIC, usual_metrics, metric_max - n);
	return add_kind(s, out, n, max, RUNSTORE_PARAM, usual_params, DEFAULT_PARAMS);
}

/* ---- store and keys ---- */

static void resolve_ids(struct runs_view *rv)
{
	for (size_t i = 0; i < rv->nkeys; i++)
		rv->ids[i] =
		    rv->store ? runstore_key_id(rv->store, rv->keys[i].name) : RUNSTORE_NO_KEY;
}

void runs_view_set_keys(struct runs_view *rv, const struct runs_key *keys, size_t n)
{
	if (n > RUNS_VIEW_MAX_KEYS)
		n = RUNS_VIEW_MAX_KEYS;
	memmove(rv->keys, keys, n * sizeof *keys);
	rv->nkeys = n;
	rv->chosen = 1;
	resolve_ids(rv);
	apply_cols(rv);
}

/* Forgets the user's choice (another experiment). */
static void runs_view_reset_keys(struct runs_view *rv)
{
	rv->chosen = 0;
	rv->nkeys = 0;
	apply_cols(rv);
}

/* The data row of run r in the store (a linear scan; for the few marked runs and the cursor). */
static int row_of(const struct runstore *s, const char *id, size_t *row)
{
	const struct mlflow_run *r = s && id ? runstore_find(s, id) : NULL;
	for (size_t i = 0, n = r ? runstore_count(s) : 0; i < n; i++) {
		if (runstore_at(s, i) == r) {
			*row = i;
			return 1;
		}
	}
	return 0;
}

/* Run ids of the marks and the cursor, copied before the old store goes. */
struct kept {
	char (*ids)[64];
	size_t n;
	char cursor[64];
};

static void keep(const struct runs_view *rv, struct kept *k)
{
	memset(k, 0, sizeof *k);
	size_t row, nm = table_marked_count(rv->lv.table);
	if (!rv->store)
		return;
	if (table_cursor(rv->lv.table, &row) && run_of(rv, row))
		snprintf(k->cursor, sizeof k->cursor, "%s", run_of(rv, row)->id);
	k->ids = nm ? calloc(nm, sizeof *k->ids) : NULL;
	for (size_t pos = 0, n = table_count(rv->lv.table); k->ids && pos < n && k->n < nm; pos++)
		if (table_row_at(rv->lv.table, pos, &row) && table_marked(rv->lv.table, row))
			snprintf(k->ids[k->n++], sizeof k->ids[0], "%s", run_of(rv, row)->id);
}

static void restore(struct runs_view *rv, struct kept *k)
{
	size_t row;
	table_clear_marks(rv->lv.table);
	for (size_t i = 0; i < k->n; i++)
		if (row_of(rv->store, k->ids[i], &row))
			table_mark(rv->lv.table, row, true);
	table_recalc(rv->lv.table);
	if (k->cursor[0] && row_of(rv->store, k->cursor, &row))
		table_select_row(rv->lv.table, row);
	free(k->ids);
}

/* The same columns: kind and name of each (the bytes after a name's end are not compared:
 * they were never written). */
static int keys_same(const struct runs_key *a, const struct runs_key *b, size_t n)
{
	for (size_t i = 0; i < n; i++)
		if (a[i].kind != b[i].kind || strcmp(a[i].name, b[i].name) != 0)
			return 0;
	return 1;
}

void runs_view_set_store(struct runs_view *rv, const struct runstore *store,
                         const struct config *cfg)
{
	struct kept k;
	/* Marks and cursor follow the runs into a new store; with none there is nothing to keep. */
	int swapped = store != rv->store, follow = swapped && store;
	if (follow)
		keep(rv, &k);
	if (swapped)
		hay_clear(rv);
	rv->store = store;
	if (!rv->chosen && store) {
		struct runs_key keys[RUNS_VIEW_MAX_KEYS];
		size_t n = runs_view_default_keys(store, cfg, keys, RUNS_VIEW_MAX_KEYS);
		if (n != rv->nkeys || !keys_same(keys, rv->keys, n)) {
			memcpy(rv->keys, keys, n * sizeof *keys);
			rv->nkeys = n;
			apply_cols(rv);
		}
	}
	resolve_ids(rv);
	table_set_rows(rv->lv.table, store ? runstore_count(store) : 0);
	if (follow)
		restore(rv, &k);
	else if (!store)
		table_clear_marks(rv->lv.table);
}

void runs_view_clear(struct runs_view *rv)
{
	runs_view_set_store(rv, NULL, NULL);
	runs_picker_close(&rv->picker);
	runs_view_reset_keys(rv);
}

/* ---- runs ---- */

const struct mlflow_run *runs_view_current(const struct runs_view *rv)
{
	size_t row;
	return table_cursor(rv->lv.table, &row) ? run_of(rv, row) : NULL;
}

bool runs_view_select(struct runs_view *rv, const char *run_id)
{
	size_t row;
	if (!rv->store || !row_of(rv->store, run_id, &row))
		return false;
	table_recalc(rv->lv.table);
	return table_select_row(rv->lv.table, row);
}

size_t runs_view_marked(const struct runs_view *rv, const struct mlflow_run **out, size_t max)
{
	size_t k = 0, row;
	for (size_t pos = 0, n = table_count(rv->lv.table); pos < n; pos++) {
		if (!table_row_at(rv->lv.table, pos, &row) || !table_marked(rv->lv.table, row))
			continue;
		if (k < max)
			out[k] = run_of(rv, row);
		k++;
	}
	return k;
}

static int64_t duration(const struct runs_view *rv, const struct mlflow_run *r)
{
	if (r->start_time <= 0)
		return -1;
	int64_t end = r->end_time > 0                   ? r->end_time
	              : r->status == RUN_STATUS_RUNNING ? rv->now_ms
	                                                : 0;
	return end >= r->start_time ? end - r->start_time : -1;
}

double runs_view_num(const struct runs_view *rv, const struct mlflow_run *r, int col)
{
	if (col == RUNS_COL_START)
		return r->start_time > 0 ? (double)r->start_time : NAN;
	if (col == RUNS_COL_DURATION) {
		int64_t d = duration(rv, r);
		return d >= 0 ? (double)d : NAN;
	}
	size_t k = (size_t)(col - RUNS_COL_FIXED_HEAD);
	if (col < RUNS_COL_FIXED_HEAD || k >= rv->nkeys)
		return NAN;
	if (rv->keys[k].kind == RUNSTORE_METRIC) {
		const struct mlflow_metric *m = runstore_metric(r, rv->ids[k]);
		return m ? m->value : NAN;
	}
	const char *v = runstore_param(r, rv->ids[k]);
	char *end;
	double d = v ? strtod(v, &end) : NAN;
	return v && end != v && *end == '\0' ? d : NAN;
}

/* The dataset of a run to show: the training input, else the first. */
static const struct mlflow_dataset_input *main_dataset(const struct mlflow_run *r)
{
	for (uint16_t i = 0; i < r->ndatasets; i++)
		if (r->datasets[i].context && strcmp(r->datasets[i].context, "training") == 0)
			return &r->datasets[i];
	return r->ndatasets ? &r->datasets[0] : NULL;
}

static const char *clean(const char *v, size_t max, char *buf, size_t n)
{
	if (!v || !*v)
		return NULL;
	size_t len = strlen(v);
	return text_sanitize(v, len < max ? len : max, buf, n);
}

static const char *key_cell(const struct runs_view *rv, const struct mlflow_run *r, size_t k,
                            char *buf, size_t n)
{
	if (rv->keys[k].kind == RUNSTORE_PARAM)
		return clean(runstore_param(r, rv->ids[k]), SIZE_MAX, buf, n);
	const struct mlflow_metric *m = runstore_metric(r, rv->ids[k]);
	if (!m)
		return NULL;
	return text_number(buf, n, m->value, 4);
}

const char *runs_view_cell(const struct runs_view *rv, const struct mlflow_run *r, int col,
                           char *buf, size_t n)
{
	switch (col) {
	case RUNS_COL_NAME:
		return clean(r->name ? r->name : r->id, SIZE_MAX, buf, n);
	case RUNS_COL_STATUS:
		return runstore_status_name(r->status);
	case RUNS_COL_START: {
		if (r->start_time <= 0)
			return NULL;
		time_t t = (time_t)(r->start_time / 1000), now = (time_t)(rv->now_ms / 1000);
		struct tm tm, tn;
		localtime_r(&now, &tn);
		localtime_r(&t, &tm);
		/* This year's runs by day and minute; older ones by date. */
		strftime(buf, n, tm.tm_year == tn.tm_year ? "%m-%d %H:%M" : "%Y-%m-%d", &tm);
		return buf;
	}
	case RUNS_COL_DURATION: {
		int64_t d = duration(rv, r);
		return d >= 0 ? text_duration(buf, n, d) : NULL;
	}
	case RUNS_COL_USER:
		return clean(r->user, SIZE_MAX, buf, n);
	default:
		break;
	}
	size_t k = (size_t)(col - RUNS_COL_FIXED_HEAD);
	if (col >= RUNS_COL_FIXED_HEAD && k < rv->nkeys)
		return key_cell(rv, r, k, buf, n);
	if (k == rv->nkeys)
		return clean(runstore_git_commit(r), 7, buf, n);
	const struct mlflow_dataset_input *d = main_dataset(r);
	return d ? clean(d->digest, 8, buf, n) : NULL;
}
