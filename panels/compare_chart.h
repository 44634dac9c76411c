/* compare_chart: the curves of one metric for every compared run, drawn over each other. It
 * fetches the histories with mlflow_history (one operation at a time: a new fetch cancels the
 * previous one, and an answer for anything but the current operation is dropped), keeps the last
 * answer and renders it with tui/widgets/chart.h: step, wall time or the time since each run's
 * start on x, linear or log y, braille, block or ASCII, one stable colour, glyph and letter per
 * run (series i: ROLE_SERIES1 + i, chart.h). Cache first (with
 * compare_chart_cache): a fetch with nothing to show draws the histories the client filed
 * (mlflow_restore_history) at once, "cached 3m ago", until the answer comes; a failed fetch keeps
 * the curves shown, "stale: data 3m old" with the error. */
#ifndef MLTOP_COMPARE_CHART_H
#define MLTOP_COMPARE_CHART_H

#include <curses.h>
#include <stddef.h>
#include <stdint.h>

#include "clients/err.h"
#include "clients/mlflow.h"
#include "clients/mlflow_cache.h"
#include "panels/compare_tables.h"
#include "themes/theme.h"
#include "tui/widgets/chart.h"

/* What x is. */
enum compare_x {
	COMPARE_X_STEP,
	COMPARE_X_TIME,    /* wall time */
	COMPARE_X_ELAPSED, /* the time since each run's start */
	COMPARE_X_COUNT,
};

struct compare_chart {
	struct mlflow *client;     /* borrowed; NULL: no MLflow, no curves */
	void (*changed)(void *ud); /* called when an answer came */
	void *ud;
	long op;                     /* the operation in flight, 0: none */
	char *metric;                /* the metric of the operation in flight or of hist */
	struct mlflow_history *hist; /* the last answer for metric, NULL: none yet */
	char err[ERR_MSG_MAX];       /* the last failure for metric, "" when none */
	mlflow_get_fn get;           /* the cache the client files into; NULL: none */
	void *get_ud;
	int64_t (*now_ms)(void); /* for the age of the curves; NULL: the wall clock */
	int cached;              /* hist came from the cache, no answer since */
	int64_t data_ms;         /* when hist was fetched (0: unknown) */
	int x_mode;              /* enum compare_x */
	int log_y;
	struct chart_grid grid; /* rendered by compare_chart_render */
	int rendered;           /* the grid holds a chart (else the message is shown) */
};

/* Starts with no metric; client may be NULL. changed(ud) is called after each answer. */
void compare_chart_init(struct compare_chart *ch, struct mlflow *client, void (*changed)(void *ud),
                        void *ud);
void compare_chart_fini(struct compare_chart *ch);
/* Restores from the cache through get (mlsrc_get with the panel_env as ud, clients/mlflow_cache.h)
 * before each fetch that has no curves to show; now_ms dates them. */
void compare_chart_cache(struct compare_chart *ch, mlflow_get_fn get, void *ud,
                         int64_t (*now_ms)(void));

/* Fetches the history of metric for the n runs (ids), max_points a run; cancels the operation in
 * flight. With keep the last answer stays shown until the new one comes (a refresh of the same
 * metric), else it is dropped at once. Returns 0 or a negative code with e (the error is also kept
 * for the view). */
int compare_chart_fetch(struct compare_chart *ch, const char *metric, char *const *ids, size_t n,
                        int max_points, int keep, struct err *e);
void compare_chart_cancel(struct compare_chart *ch);

/* The view's chart options. */
struct compare_chart_view {
	int w, h;
	int mode;                 /* enum chart_mode */
	const char *const *names; /* sanitized legend names, one per run */
	char *const *ids;         /* run ids, in the same order */
	const int64_t *start_ms;  /* when each run started (0: at its first point); may be NULL */
	size_t n;
};

/* Renders the last answer into the grid (no curses). Returns 0 or -1 when out of memory. */
int compare_chart_render(struct compare_chart *ch, const struct compare_chart_view *v);

/* Draws the grid, or the state when there is nothing to chart ("loading auc history…", the
 * error line, "no MLflow"), in the h x w rectangle at (y, x) of win. Curves from the cache have
 * a line below them: "cached 3m ago", or "stale: data 3m old · " before the error. */
void compare_chart_draw(const struct compare_chart *ch, WINDOW *win, int y, int x, int h, int w,
                        int utf8, const struct theme *t);

#endif
