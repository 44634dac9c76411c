/* table_draw: the drawing half of the table widget (tui/widgets/table.h is its interface), and
 * the table's fields, which table.c (rows, sort, filter, cursor, keys) and table_draw.c (layout
 * and drawing) share. Nothing else includes this header. */
#ifndef MLTOP_TABLE_DRAW_H
#define MLTOP_TABLE_DRAW_H

#include <stdint.h>

#include "tui/widgets/cell.h"
#include "tui/widgets/table.h"

#define CELL_BUF  256
#define MARK_W    1 /* the column at the left that shows marks and highlight hits */
#define MAX_SPANS 16

struct table {
	struct table_col cols[TABLE_MAX_COLS]; /* titles owned */
	int ncols;
	struct table_source src;
	size_t nrows, cap;
	uint32_t *order; /* all rows, sorted */
	uint32_t *view;  /* rows shown, in order */
	uint32_t *tmp;   /* merge sort scratch */
	double *keys;    /* numeric sort keys by row */
	uint8_t *marks;  /* bitmaps by row */
	uint8_t *hits;
	size_t nview, nmatch, nmarked;
	const struct filter *filter;
	enum table_filter_mode mode;
	int sort_col;
	uint64_t hide_empty; /* by column: table_set_hide_empty */
	int natural_col; /* the column whose order the data order is (-1: none), shown as sorted */
	bool natural_rev;
	bool reverse, sort_dirty, filter_dirty, ascii;
	size_t cur, top;
	int h, w, hcol, frozen;
	char *hay; /* joined cells when the source has no haystack */
	size_t haycap;
	char bufa[CELL_BUF], bufb[CELL_BUF];
};

static inline bool bit_get(const uint8_t *map, size_t i)
{
	return (map[i >> 3] >> (i & 7)) & 1;
}

static inline enum text_ellipsis ellipsis(const struct table *t)
{
	return t->ascii ? TEXT_ELLIPSIS_TILDE : TEXT_ELLIPSIS_UTF8;
}

static inline bool filtering(const struct table *t)
{
	return t->filter && !filter_all(t->filter);
}

static inline const char *cell_text(const struct table *t, size_t row, int col, char *buf)
{
	const char *s = t->src.cell(t->src.ctx, row, col, buf, CELL_BUF);

	return s ? s : "";
}

static inline size_t page_of(int h)
{
	return h > 1 ? (size_t)h - 1 : 1;
}

/* The first row shown so that the cursor is visible and no line is wasted at the bottom. */
static inline size_t clamp_top(size_t top, size_t cur, size_t n, size_t page)
{
	if (cur < top)
		top = cur;
	if (cur >= top + page)
		top = cur - page + 1;
	if (n <= page)
		return 0;
	if (top > n - page)
		top = n - page;
	return top;
}

/* The columns' places and widths for a table drawn width columns wide. */
void table_layout(const struct table *t, int width, struct cell_cols *L);

#endif
