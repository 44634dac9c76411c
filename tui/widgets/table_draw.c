/* table_draw: the table's layout and drawing (const: drawing changes nothing). */
#include "tui/widgets/table_draw.h"

#include <stdio.h>
#include <string.h>

/* A plain decimal ("-12.375", "7"): digits, one optional point, an optional sign. Returns the
 * digits after the point, -1 for anything else (1e-05, 33m20s), -2 for text with no digit at all
 * (NaN, –, empty), which leaves the column's alignment alone. */
/* What the page shows, per column: the decimals its numbers are aligned on (-1: not a number
 * column) and the width of its widest cell as drawn. */
struct table_fit {
	int frac[TABLE_MAX_COLS];
	int content[TABLE_MAX_COLS];
};

static int decimals(const char *s)
{
	int digits = 0, frac = -1;
	if (!strpbrk(s, "0123456789"))
		return -2;
	if (*s == '-')
		s++;
	for (; *s; s++) {
		if (*s == '.' && frac < 0)
			frac = 0;
		else if (*s >= '0' && *s <= '9')
			frac >= 0 ? frac++ : digits++;
		else
			return -1;
	}
	return digits || frac > 0 ? (frac < 0 ? 0 : frac) : -1;
}

/* The text of a cell as drawn: in a number column whose cells on the page are all plain
 * decimals, each takes the column's precision so that the points line up (0.631 → 0.6310). */
static const char *shown_cell(const struct table *t, const struct table_fit *f, size_t row, int col,
                              char *buf)
{
	const char *s = cell_text(t, row, col, buf);
	int d = f->frac[col];
	if (d <= 0 || decimals(s) < 0 || decimals(s) >= d)
		return s;
	char tmp[CELL_BUF];
	int have = decimals(s);
	snprintf(tmp, sizeof tmp, "%s%s%.*s", s, strchr(s, '.') ? "" : ".", d - have, "000000");
	snprintf(buf, CELL_BUF, "%s", tmp);
	return buf;
}

/* Per column on the page: the decimals to align on, then the widest cell as drawn. */
static void table_fit(const struct table *t, struct table_fit *f)
{
	size_t page = page_of(t->h), top = clamp_top(t->top, t->cur, t->nview, page);
	char buf[CELL_BUF];
	for (int i = 0; i < t->ncols; i++) {
		f->frac[i] =
		    t->cols[i].sort == TABLE_SORT_NUM && t->cols[i].align == TEXT_RIGHT ? 0 : -1;
		f->content[i] = 0;
	}
	for (size_t k = 0; k < page && top + k < t->nview; k++)
		for (int i = 0; i < t->ncols; i++) {
			if (f->frac[i] < 0)
				continue;
			const char *s = cell_text(t, t->view[top + k], i, buf);
			int d = decimals(s);
			f->frac[i] = d == -2          ? f->frac[i]
			             : d < 0          ? -1
			             : d > f->frac[i] ? d
			                              : f->frac[i];
		}
	for (size_t k = 0; k < page && top + k < t->nview; k++)
		for (int i = 0; i < t->ncols; i++) {
			int w = text_width(shown_cell(t, f, t->view[top + k], i, buf));
			f->content[i] = w > f->content[i] ? w : f->content[i];
		}
}

/* Shrinks the widest columns towards their minimum until the row fits in width; the first (the
 * name) keeps its width down to a third of the row. What still does not fit scrolls sideways. */
static void shrink(int *w, const int *min, int n, int width)
{
	int name_min = n > 0 && w[0] > width / 3 ? width / 3 : n > 0 ? w[0] : 0;
	int total = MARK_W - 1;
	for (int i = 0; i < n; i++)
		total += w[i] + (w[i] > 0);
	while (total > width) {
		int best = -1;
		for (int i = 1; i < n; i++)
			if (w[i] > min[i] && (best < 0 || w[i] - min[i] > w[best] - min[best]))
				best = i;
		if (best < 0 && n > 0 && w[0] > min[0] && w[0] > name_min)
			best = 0;
		if (best < 0)
			return;
		w[best]--;
		total--;
	}
}

/* Widths that fit what the page shows: each column as wide as its widest cell (the title and
 * its sort arrow included), within its bounds; a hide_empty column with nothing on the page
 * takes no room. The spare width goes to the flexible columns, else up to the bounds. */
static void layout_fit(const struct table *t, int width, const struct table_fit *fit,
                       struct cell_cols *L)
{
	const struct table_fit f = *fit;
	int min[TABLE_MAX_COLS], want[TABLE_MAX_COLS], max[TABLE_MAX_COLS], map[TABLE_MAX_COLS];
	int n = 0, frozen = 0;
	for (int i = 0; i < t->ncols; i++) {
		const struct table_col *c = &t->cols[i];
		if ((t->hide_empty >> i & 1) && f.content[i] == 0)
			continue;
		int tw = text_width(c->title) + 1, lo = c->min_w > tw ? c->min_w : tw;
		int need = f.content[i] > tw ? f.content[i] : tw;
		min[n] = lo;
		want[n] = c->max_w > 0 && need > c->max_w ? c->max_w : need < lo ? lo : need;
		max[n] = c->max_w;
		frozen += i < t->frozen;
		map[n++] = i;
	}
	shrink(want, min, n, width);
	int has_flex = 0, grow[TABLE_MAX_COLS];
	for (int k = 0; k < n; k++)
		has_flex |= max[k] == 0;
	for (int k = 0; k < n; k++)
		grow[k] = max[k] == 0 ? 0 : has_flex ? want[k] : max[k];
	struct cell_cols C;
	cell_columns(&C, want, grow, n, MARK_W, width, frozen, t->hcol);
	for (int i = 0; i < t->ncols; i++)
		L->x[i] = -1, L->w[i] = 0;
	for (int k = 0; k < n; k++)
		L->x[map[k]] = C.x[k], L->w[map[k]] = C.w[k];
	L->overflow = C.overflow;
	L->more_right = C.more_right;
}

void table_layout(const struct table *t, int width, struct cell_cols *L)
{
	struct table_fit f;
	table_fit(t, &f);
	layout_fit(t, width, &f, L);
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
                     const struct cell_cols *L, const struct table_fit *f, size_t pos,
                     const struct theme *th)
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
		draw_cell(t, win, y, x + L->x[i], L->w[i], shown_cell(t, f, row, i, buf),
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
	struct table_fit f;
	size_t page, top, i;

	if (h <= 0 || w <= 0)
		return;
	table_fit(t, &f);
	page = (size_t)h - 1;
	bool bar = t->nview > page && page >= 2 && w > 10;
	if (bar)
		w--; /* the last column holds the scroll marker */
	layout_fit(t, w, &f, &L);
	draw_header(t, win, y, x, w, &L, th);
	top = clamp_top(t->top, t->cur, t->nview, page);
	for (i = 0; i < page; i++) {
		if (top + i < t->nview)
			draw_row(t, win, y + 1 + (int)i, x, w, &L, &f, top + i, th);
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
