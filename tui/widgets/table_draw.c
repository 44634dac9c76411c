/* table_draw: the table's layout and drawing (const: drawing changes nothing). */
#include "tui/widgets/table_draw.h"

#include <stdio.h>
#include <string.h>

void table_layout(const struct table *t, int width, struct cell_cols *L)
{
	int min[TABLE_MAX_COLS], max[TABLE_MAX_COLS], i, tw;

	for (i = 0; i < t->ncols; i++) {
		tw = text_width(t->cols[i].title) + 1; /* room for the sort arrow */
		min[i] = t->cols[i].min_w > tw ? t->cols[i].min_w : tw;
		max[i] = t->cols[i].max_w;
	}
	cell_columns(L, min, max, t->ncols, MARK_W, width, t->frozen, t->hcol);
}

/* A cell of the table, with the filter's matches highlighted. */
static void draw_cell(const struct table *t, WINDOW *win, int y, int x, int width, const char *s,
                      enum text_align align, attr_t base, attr_t match, const struct filter *f)
{
	struct filter_span sp[MAX_SPANS];
	int n = f ? filter_spans(f, s, strlen(s), sp, MAX_SPANS) : 0;

	cell_draw(win, y, x, width, s, align, ellipsis(t), base, match, sp, n);
}

static void draw_header(const struct table *t, WINDOW *win, int y, int x, int w,
                        const struct cell_cols *L, const struct theme *th)
{
	attr_t a = theme_attr(th, ROLE_COLHEAD);
	char buf[CELL_BUF];
	const char *arrow;

	cell_fill(win, y, x, w, a);
	for (int i = 0; i < t->ncols; i++) {
		if (L->x[i] < 0)
			continue;
		arrow = "";
		if (i == table_sort_col(t)) {
			bool rev = table_sort_reverse(t);
			arrow =
			    t->ascii ? (rev ? "v" : "^") : (rev ? "\xE2\x96\xBC" : "\xE2\x96\xB2");
		}
		snprintf(buf, sizeof(buf), "%s%s", t->cols[i].title, arrow);
		draw_cell(t, win, y, x + L->x[i], L->w[i], buf, t->cols[i].align, a, a, NULL);
	}
}

static void draw_row(const struct table *t, WINDOW *win, int y, int x, int w,
                     const struct cell_cols *L, size_t pos, const struct theme *th)
{
	char buf[CELL_BUF];
	uint32_t row = t->view[pos];
	bool marked = bit_get(t->marks, row), on = filtering(t);
	bool hit = on && t->mode == TABLE_FILTER_HIGHLIGHT && bit_get(t->hits, row);
	enum role role = t->src.role ? t->src.role(t->src.ctx, row) : ROLE_NORMAL;
	attr_t base, match = theme_attr(th, ROLE_MATCH);

	if (pos == t->cur)
		role = ROLE_SELECTED;
	else if (marked)
		role = ROLE_MARKED;
	base = theme_attr(th, role);
	cell_fill(win, y, x, w, base);
	wmove(win, y, x);
	if (marked)
		cell_put(win, t->ascii ? "*" : "\xE2\x97\x8F", t->ascii ? 1 : 3, base);
	else if (hit)
		cell_put(win, t->ascii ? ">" : "\xE2\x80\xBA", t->ascii ? 1 : 3, match);
	for (int i = 0; i < t->ncols; i++) {
		if (L->x[i] < 0)
			continue;
		draw_cell(t, win, y, x + L->x[i], L->w[i], cell_text(t, row, i, buf),
		          t->cols[i].align, base, match, on ? t->filter : NULL);
	}
}

/* The scroll marker: a column beside the rows, with a thumb where the page is in the view (at
 * least one line, at the bottom only when the last row shows). */
static void draw_scrollbar(const struct table *t, WINDOW *win, int y, int x, size_t page,
                           size_t top, const struct theme *th)
{
	size_t len = page * page / t->nview, pos = top * page / t->nview;
	if (len < 1)
		len = 1;
	if (top + page >= t->nview)
		pos = page - len;
	else if (pos + len >= page)
		pos = page - len - 1;
	attr_t track = theme_attr(th, ROLE_BORDER), thumb = theme_attr(th, ROLE_ACCENT);
	for (size_t i = 0; i < page; i++) {
		bool on = i >= pos && i < pos + len;
		wattrset(win, (int)(on ? thumb : track));
		if (t->ascii)
			mvwaddstr(win, y + 1 + (int)i, x, on ? "#" : "|");
		else
			mvwaddstr(win, y + 1 + (int)i, x, on ? "\xE2\x94\x83" : "\xE2\x94\x82");
	}
	wattrset(win, (int)theme_attr(th, ROLE_COLHEAD));
	mvwaddstr(win, y, x, " ");
}

void table_draw(const struct table *t, WINDOW *win, int y, int x, int h, int w,
                const struct theme *th)
{
	struct cell_cols L;
	size_t page, top, i;

	if (h <= 0 || w <= 0)
		return;
	page = (size_t)h - 1;
	bool bar = t->nview > page && page >= 2 && w > 10;
	if (bar)
		w--; /* the last column holds the scroll marker */
	table_layout(t, w, &L);
	draw_header(t, win, y, x, w, &L, th);
	top = clamp_top(t->top, t->cur, t->nview, page);
	for (i = 0; i < page; i++) {
		if (top + i < t->nview)
			draw_row(t, win, y + 1 + (int)i, x, w, &L, top + i, th);
		else
			cell_fill(win, y + 1 + (int)i, x, w, theme_attr(th, ROLE_NORMAL));
	}
	if (bar)
		draw_scrollbar(t, win, y, x + w, page, top, th);
	if (!t->nview && t->nrows && page > 0 && w > MARK_W) {
		attr_t muted = theme_attr(th, ROLE_MUTED);
		draw_cell(t, win, y + 1, x + MARK_W, w - MARK_W, "no match", TEXT_LEFT, muted,
		          muted, NULL);
	}
	wattrset(win, (int)theme_attr(th, ROLE_NORMAL));
}
