/* compare_view: draws the params and metrics tables of the Compare view (compare_tables.h): run
 * names as column headings (the baseline in the accent, the run under the cursor selected),
 * missing values as "—", params that are the same in every run dimmed, a dataset too long for its
 * cell as the part of its digest that differs ("…9c2e"), per metric its direction arrow, the best
 * value with ★ in the accent and each run's delta against the baseline coloured better / worse.
 * A delta is never left out: a narrow column shows values and deltas with fewer digits, and when
 * that is not enough every metric row takes two lines, the deltas on the second ("vs base").
 * Nothing here changes state: the column layout is computed by the caller. */
#ifndef MLTOP_COMPARE_VIEW_H
#define MLTOP_COMPARE_VIEW_H

#include <curses.h>
#include <stddef.h>

#include "panels/compare_tables.h"
#include "themes/theme.h"

/* Where the columns go: from the left margin x0, the key column, then nvis run columns from run
 * `first`, colw wide each, one space apart; how the metric cells fit in them. */
struct compare_cols {
	int x0;
	int keyw;
	int colw;
	size_t first, nvis;
	int mlines; /* lines of a metric row: 1, or 2 with the deltas on a line of their own */
	unsigned char digits[COMPARE_MAX_RUNS]; /* significant digits of run i's values; its
	                                           deltas have one less */
};

/* Lays out the columns of t in width columns, keeping run `cursor` visible, with the deltas
 * against run `baseline`. */
void compare_cols_layout(struct compare_cols *c, const struct compare_tables *t, int width,
                         size_t cursor, size_t baseline);

/* The metric rows that a metrics table of h lines (its heading included) shows whole. */
int compare_cols_metric_rows(const struct compare_cols *c, int h);

struct compare_view {
	const struct compare_tables *t;
	struct compare_cols cols;
	size_t baseline; /* run index */
	size_t runcur;   /* run index under the column cursor */
	int utf8;        /* else ASCII marks: ^ v * - */
	const struct theme *theme;
};

/* The params table in h lines from line y of win (heading included), rows of t->pview from top;
 * cursor is the pview index of the cursor row, or -1. */
void compare_view_params(const struct compare_view *v, WINDOW *win, int y, int h, size_t top,
                         long cursor);
/* The metrics table likewise (top and cursor count metric rows, each cols.mlines lines); charted
 * is the row of the charted metric (-1: none). */
void compare_view_metrics(const struct compare_view *v, WINDOW *win, int y, int h, size_t top,
                          long cursor, int charted);

#endif
