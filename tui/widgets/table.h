/* table: the list widget of every panel. Rows are VIRTUAL: the data stays with the panel and the
 * table asks callbacks for the text of a cell, a numeric sort key, the string the filter runs on
 * and the colour role of a row. The table keeps only arrays of row indexes (the sorted order and
 * the view after the filter), the marks and the cursor, so drawing 100,000 rows costs what 40 do.
 *
 * Life cycle: table_new, then whenever the data changes table_set_rows(n), whenever the filter
 * or the sort changes table_set_filter / table_set_sort, then table_recalc (no curses; sorts only
 * when the data or the sort changed, filters only when something changed), then table_draw (const:
 * drawing changes nothing). table_key handles the list keys and recalcs by itself.
 * A row is named by its index in the panel's data ("row"); a position in the view is "pos". */
#ifndef MLTOP_TABLE_H
#define MLTOP_TABLE_H

#include <curses.h>
#include <stdbool.h>
#include <stddef.h>

#include "themes/theme.h"
#include "tui/widgets/filter.h"
#include "tui/widgets/text.h"

#define TABLE_MAX_COLS 64 /* = CELL_MAX_COLS */

enum table_sort {
	TABLE_SORT_NONE, /* not sortable */
	TABLE_SORT_TEXT, /* by the cell text: ASCII case folded, then bytes; empty cells last */
	TABLE_SORT_NUM,  /* by table_source.num; NaN (missing) last in both directions */
};

struct table_col {
	const char *title; /* copied by the table */
	int min_w;         /* columns; the title and the sort arrow always fit */
	int max_w;         /* 0: flex, shares the width left over; else grows up to max_w */
	enum text_align align;
	enum table_sort sort;
};

/* The panel's data. ctx is passed back to every callback; the table never frees it. */
struct table_source {
	void *ctx;
	/* The text of a cell: sanitized UTF-8 (see text_sanitize) either owned by the panel and
	 * valid until its data changes, or written into buf (bufsz bytes) and returned. NULL means
	 * empty. */
	const char *(*cell)(void *ctx, size_t row, int col, char *buf, size_t bufsz);
	/* Sort key of a TABLE_SORT_NUM column (NaN when missing). Required when such a column
	 * is sorted on. */
	double (*num)(void *ctx, size_t row, int col);
	/* The string the filter runs on, panel-owned, *len bytes. Optional: without it the table
	 * joins the cells with tabs into its own buffer (slower). */
	const char *(*haystack)(void *ctx, size_t row, size_t *len);
	/* The colour role of a row (ROLE_CRIT, ROLE_MUTED, ...). Optional: ROLE_NORMAL. */
	enum role (*role)(void *ctx, size_t row);
};

enum table_filter_mode {
	TABLE_FILTER_HIDE,      /* only matching rows are in the view */
	TABLE_FILTER_HIGHLIGHT, /* every row stays; matches are highlighted and n/N jump to them */
};

struct table;

/* A table over ncols columns (1..TABLE_MAX_COLS, copied) and a source (copied), with no rows.
 * Returns NULL when out of memory or ncols is out of range. Free with table_free. */
struct table *table_new(const struct table_col *cols, int ncols, const struct table_source *src);
void table_free(struct table **t);

/* Replaces the columns (for panels whose columns follow the data). Keeps the sort column when it
 * still exists. Returns 0, or -1 (table unchanged) when out of memory or ncols is out of range. */
int table_set_cols(struct table *t, const struct table_col *cols, int ncols);

/* The data now has n rows (also after a refresh with the same count): re-sorted and re-filtered
 * at the next recalc; marks of rows >= n are dropped. Returns 0, or -1 when out of memory. */
int table_set_rows(struct table *t, size_t n);

/* The filter (borrowed: it must live until replaced; NULL for none) and how it shows. */
void table_set_filter(struct table *t, const struct filter *f, enum table_filter_mode mode);

/* Sort by column col (-1: data order), reversed or not. */
void table_set_sort(struct table *t, int col, bool reverse);
/* The data order is that of column col (the server sorted it): without a sort of its own the
 * table shows col's arrow and sorts nothing. */
void table_set_natural(struct table *t, int col, bool reverse);
/* The sort shown: the sort column, else the natural one (-1: none), and its direction. */
int table_sort_col(const struct table *t);
bool table_sort_reverse(const struct table *t);
/* Sorts by col now (recalc included) and shows the top of the new order. */
void table_sort_to(struct table *t, int col, bool reverse);

/* The columns, for pickers: how many, and one (NULL when out of range). */
int table_ncols(const struct table *t);
const struct table_col *table_col_at(const struct table *t, int col);

/* The size the panel draws the table at (header line included), for paging and scrolling. */
void table_set_size(struct table *t, int h, int w);

/* Column col takes no room while no row of the page has text in it (a figure that only some
 * rows have yet). */
void table_set_hide_empty(struct table *t, int col, bool on);

/* Keep the first n columns in place while scrolling horizontally. */
void table_set_frozen(struct table *t, int n);

/* ASCII mode (a locale without UTF-8): "^"/"v" arrows, "*" marks, "~" ellipsis. */
void table_set_ascii(struct table *t, bool ascii);

/* Recomputes the order and the view as needed; the cursor stays on the same row when that row is
 * still in the view (else at the same position), at the same screen line when possible.
 * Returns 0, or -1 when out of memory (the view is then empty). */
int table_recalc(struct table *t);

/* Handles a list key: j/k/arrows, PgUp/PgDn, g/G/Home/End, Space (mark and move down), s (sort by
 * the next column), S (reverse), < > (sort column left/right), h/l/arrows (scroll sideways), n/N
 * (next/previous match, wrapping, while a filter is set: in hide mode, where every row shown
 * matches, the next/previous row). Returns true when the key was the table's. */
bool table_key(struct table *t, int key);

/* A mouse click at line y of the table as drawn (0 = the header): selects that row. Returns true
 * when a row was selected. */
bool table_click(struct table *t, int y);

/* Draws the table in the h x w rectangle at (y, x) of win: header with the sort arrow, rows from
 * the top, the cursor row in ROLE_SELECTED, marks, filter matches in ROLE_MATCH, rows in their
 * source role, and a scroll marker in the last column when the view is longer than the page.
 * Changes nothing in t. theme may be NULL (monochrome). */
void table_draw(const struct table *t, WINDOW *win, int y, int x, int h, int w,
                const struct theme *theme);

/* Rows in the view, and matching the filter (all rows when there is none). */
size_t table_count(const struct table *t);
size_t table_matches(const struct table *t);

/* The data row at view position pos / under the cursor; false when there is none. */
bool table_row_at(const struct table *t, size_t pos, size_t *row);
bool table_cursor(const struct table *t, size_t *row);

/* Puts the cursor on data row row when it is in the view; returns whether it is. */
bool table_select_row(struct table *t, size_t row);

/* Marks, by data row. */
bool table_marked(const struct table *t, size_t row);
void table_mark(struct table *t, size_t row, bool on);
size_t table_marked_count(const struct table *t);
void table_clear_marks(struct table *t);

/* A footer text: "212 of 1,840 match" with a filter, "1,840 rows" without. Returns buf. */
char *table_status(const struct table *t, char *buf, size_t bufsz);

/* Where the cursor is among the filter's matches: "match 3 of 17" ("no match" without a filter
 * or off a match). Returns buf. */
char *table_match_position(const struct table *t, char *buf, size_t bufsz);

/* Where the cursor is in the view: "row 12 of 3,420" ("no rows"). Returns buf. */
char *table_position(const struct table *t, char *buf, size_t bufsz);

#endif
