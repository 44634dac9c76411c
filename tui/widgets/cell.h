/* cell: the drawing primitive of the widgets: one string in a cell of a curses window, clipped
 * by display width with an ellipsis (never splitting a character), aligned, with byte spans in a
 * highlight attribute. Strings must be sanitized UTF-8 (text_sanitize). Nothing is retained. */
#ifndef MLTOP_CELL_H
#define MLTOP_CELL_H

#include <curses.h>
#include <stdbool.h>
#include <stddef.h>

#include "tui/widgets/filter.h"
#include "tui/widgets/text.h"

#define CELL_MAX_COLS 64

/* Where columns land: x relative to the left edge of the row (-1: hidden) and width. */
struct cell_cols {
	int x[CELL_MAX_COLS];
	int w[CELL_MAX_COLS];
	bool overflow;   /* the columns at their minimum do not fit: scrolling applies */
	bool more_right; /* a column is cut or hidden at the right */
};

/* Lays out n (<= CELL_MAX_COLS) columns, one space apart, from x0 in width columns. Each is
 * min[i] wide at least; spare width goes to columns with max[i] > 0 up to max[i] first, then
 * evenly to the flex ones (max[i] == 0). When they do not fit at their minimum, the first
 * frozen columns stay and the next skip ones scroll out; the last one shown may be cut. */
void cell_columns(struct cell_cols *L, const int *min, const int *max, int n, int x0, int width,
                  int frozen, int skip);

/* Writes s[0..n) at the cursor of win in attribute attr (n == 0 writes nothing). */
void cell_put(WINDOW *win, const char *s, size_t n, attr_t attr);

/* Fills w columns from (y, x) with spaces in attr. */
void cell_fill(WINDOW *win, int y, int x, int w, attr_t attr);

/* Draws s in the width columns at (y, x), clipped with ellipsis e and aligned; the parts of s
 * inside spans[0..nspans) (byte ranges in order, as filter_spans gives them) in hl, the rest
 * in base. Columns the text leaves free are not touched. Returns the width drawn.
 * With an ASCII ellipsis (a locale without UTF-8) non-ASCII characters are drawn as '?' (one a
 * column), so nothing the terminal cannot show reaches it. */
int cell_draw(WINDOW *win, int y, int x, int width, const char *s, enum text_align align,
              enum text_ellipsis e, attr_t base, attr_t hl, const struct filter_span *spans,
              int nspans);

#endif
