/* sortpick: the sort column picker of a list (`s`). It lists the sortable columns of a table with
 * the sort in force marked by its arrow; j/k move, Enter or Space sorts by the column under the
 * cursor (the column in force: the other direction), a letter jumps to the next column whose
 * title starts with it, Esc closes. A new column sorts numbers high to low (the best auc first)
 * and text A to Z. The picker keeps no copy of the table: it is handed the table each time. */
#ifndef MLTOP_SORTPICK_H
#define MLTOP_SORTPICK_H

#include <curses.h>
#include <stdbool.h>

#include "themes/theme.h"
#include "tui/widgets/table.h"

struct sortpick {
	bool active;
	int pos; /* the column under the cursor */
};

/* Opens on the sort column in force (else the first sortable one). false: nothing to sort by. */
bool sortpick_open(struct sortpick *sp, const struct table *t);
/* A key while open: always the picker's. Closes on Enter, Space (after sorting) and Esc. */
void sortpick_key(struct sortpick *sp, struct table *t, int key);
/* A box at the top left of the h x w rectangle at (y, x) of win. */
void sortpick_draw(const struct sortpick *sp, const struct table *t, WINDOW *win, int y, int x,
                   int h, int w, const struct theme *th);

#endif
