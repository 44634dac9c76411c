/* runs_view: the runs table of one experiment — name, status, start, duration, user, the chosen
 * metric and param columns, git commit and dataset digest — over a run store (borrowed), and the
 * column picker (`o`) that lists every metric and param key the store has seen. Columns are kept
 * by name, so they survive a refresh into a new store (whose key ids differ). Marks and the cursor
 * follow the runs (by id) across such a swap. No curses outside the draw functions. */
#ifndef MLTOP_RUNS_VIEW_H
#define MLTOP_RUNS_VIEW_H

#include <stdbool.h>
#include <stddef.h>

#include "clients/config.h"
#include "clients/runstore.h"
#include "panels/listview.h"
#include "panels/panel.h"
#include "panels/runs_picker.h"

#define RUNS_VIEW_MAX_KEYS 24

/* Fixed columns, then the chosen keys. */
enum runs_view_col {
	RUNS_COL_NAME,
	RUNS_COL_STATUS,
	RUNS_COL_START,
	RUNS_COL_DURATION,
	RUNS_COL_USER,
	RUNS_COL_FIXED_HEAD, /* the chosen metric and param columns come here */
	RUNS_COL_COMMIT = RUNS_COL_FIXED_HEAD,
	RUNS_COL_DATASET,
	RUNS_COL_FIXED
};

struct runs_view {
	struct listview lv;
	const struct runstore *store; /* borrowed; NULL: no runs yet */
	struct runs_key keys[RUNS_VIEW_MAX_KEYS];
	size_t nkeys;
	uint32_t ids[RUNS_VIEW_MAX_KEYS]; /* the keys' ids in store */
	int chosen;                       /* 1: the user picked the columns */
	int64_t now_ms;                   /* for the duration of running runs */
	struct runs_picker picker;
	/* The / filter's haystack per data row (the cells joined by tabs, and the run id), built
	 * when first asked and kept until the store or the columns change. */
	char **hay;
	size_t nhay;
};

int runs_view_init(struct runs_view *rv, int utf8, struct err *e);
void runs_view_fini(struct runs_view *rv);

/* The sensible default columns for a store: the configured models' key metrics, then the usual
 * ones (auc, f1, logloss, …), else the first metrics by name, up to max_metrics; then a couple of
 * params (model_type, learning_rate, … else the first by name). Returns how many were written. */
size_t runs_view_default_keys(const struct runstore *s, const struct config *cfg,
                              struct runs_key *out, size_t max);

/* Shows store (NULL: none, and no marks). Keeps the marks and the cursor on the same runs (by id)
 * when the store is replaced by another; picks the default columns while the user has not chosen
 * any. Call it before the store it showed is freed. */
void runs_view_set_store(struct runs_view *rv, const struct runstore *store,
                         const struct config *cfg);
/* Lets go of the store and forgets what belonged to its experiment: marks, the column picker and
 * the user's columns. */
void runs_view_clear(struct runs_view *rv);
/* Sets the metric and param columns (the user's choice). */
void runs_view_set_keys(struct runs_view *rv, const struct runs_key *keys, size_t n);

/* The run under the cursor, and the marked runs (up to max, in the view's order). */
const struct mlflow_run *runs_view_current(const struct runs_view *rv);
size_t runs_view_marked(const struct runs_view *rv, const struct mlflow_run **out, size_t max);

/* Puts the cursor on a run (by id); returns whether it is in the view. */
bool runs_view_select(struct runs_view *rv, const char *run_id);

/* The sort key of a column for a run: numbers for start, duration and metrics (NaN when missing
 * or not a number), NaN for text columns. */
double runs_view_num(const struct runs_view *rv, const struct mlflow_run *r, int col);
/* The text of a cell (sanitized) into buf; NULL when empty. */
const char *runs_view_cell(const struct runs_view *rv, const struct mlflow_run *r, int col,
                           char *buf, size_t n);

#endif
