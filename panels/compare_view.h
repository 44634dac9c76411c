/* compare_view: draws the params and metrics tables of the Compare view (compare_tables.h): run
 * names as column headings (the baseline in the accent, the run under the cursor selected),
 * missing values as "—", params that are the same in every run dimmed, per metric its direction
 * arrow, the best value with ★ in the accent and each run's delta against the baseline coloured
 * better / worse. Nothing here changes state: the column layout is computed by the caller. */
#ifndef MLTOP_COMPARE_VIEW_H
#define MLTOP_COMPARE_VIEW_H

#include <curses.h>
#include <stddef.h>

#include "panels/compare_tables.h"
#include "themes/theme.h"

/* Where the columns go: from the left margin x0, the key column, then nvis run columns from run
 * `first`, colw wide each, one space apart. */
struct compare_cols {
	int x0;
	int keyw;
	int colw;
	size_t first, nvis;
};

/* Lays out the columns of t in width columns, keeping run `cursor` visible. */
void compare_cols_layout(struct compare_cols *c, const struct compare_tables *t, int width,
                         size_t cursor);

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
/* The metrics table likewise; charted is the row of the charted metric (-1: none). */
void compare_view_metrics(const struct compare_view *v, WINDOW *win, int y, int h, size_t top,
                          long cursor, int charted);

#endif
