/* table: virtual rows, stable sort, filter view, marks, cursor, keys, and a const draw. */
#include "tui/widgets/table.h"

#include "tui/widgets/cell.h"

#include <math.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

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
	int natural_col; /* the column whose order the data order is (-1: none), shown as sorted */
	bool natural_rev;
	bool reverse, sort_dirty, filter_dirty, ascii;
	size_t cur, top;
	int h, w, hcol, frozen;
	char *hay; /* joined cells when the source has no haystack */
	size_t haycap;
	char bufa[CELL_BUF], bufb[CELL_BUF];
};

static bool bit_get(const uint8_t *map, size_t i)
{
	return (map[i >> 3] >> (i & 7)) & 1;
}

static void bit_set(uint8_t *map, size_t i, bool on)
{
	if (on)
		map[i >> 3] |= (uint8_t)(1u << (i & 7));
	else
		map[i >> 3] &= (uint8_t) ~(1u << (i & 7));
}

static enum text_ellipsis ellipsis(const struct table *t)
{
	return t->ascii ? TEXT_ELLIPSIS_TILDE : TEXT_ELLIPSIS_UTF8;
}

static bool filtering(const struct table *t)
{
	return t->filter && !filter_all(t->filter);
}

static void free_titles(struct table_col *cols, int n)
{
	for (int i = 0; i < n; i++)
		free((char *)cols[i].title);
}

int table_set_cols(struct table *t, const struct table_col *cols, int ncols)
{
	struct table_col copy[TABLE_MAX_COLS];
	int i;

	if (ncols < 1 || ncols > TABLE_MAX_COLS)
		return -1;
	for (i = 0; i < ncols; i++) {
		copy[i] = cols[i];
		copy[i].title = strdup(cols[i].title ? cols[i].title : "");
		if (!copy[i].title) {
			free_titles(copy, i);
			return -1;
		}
	}
	free_titles(t->cols, t->ncols);
	memcpy(t->cols, copy, sizeof(copy[0]) * (size_t)ncols);
	t->ncols = ncols;
	if (t->sort_col >= ncols)
		t->sort_col = -1;
	if (t->natural_col >= ncols)
		t->natural_col = -1;
	t->hcol = 0;
	t->sort_dirty = true;
	return 0;
}

struct table *table_new(const struct table_col *cols, int ncols, const struct table_source *src)
{
	struct table *t = calloc(1, sizeof(*t));

	if (!t)
		return NULL;
	t->src = *src;
	t->sort_col = -1;
	t->natural_col = -1;
	if (table_set_cols(t, cols, ncols) < 0) {
		free(t);
		return NULL;
	}
	return t;
}

void table_free(struct table **pt)
{
	struct table *t;

	if (!pt || !*pt)
		return;
	t = *pt;
	free_titles(t->cols, t->ncols);
	free(t->order);
	free(t->view);
	free(t->tmp);
	free(t->keys);
	free(t->marks);
	free(t->hits);
	free(t->hay);
	free(t);
	*pt = NULL;
}

static int grow(void **p, size_t size)
{
	void *q = realloc(*p, size ? size : 1);

	if (!q)
		return -1;
	*p = q;
	return 0;
}

static int reserve(struct table *t, size_t n)
{
	size_t cap = t->cap ? t->cap : 64, oldbytes = (t->cap + 7) / 8, bytes;

	if (n <= t->cap)
		return 0;
	while (cap < n)
		cap *= 2;
	if (cap > UINT32_MAX)
		cap = UINT32_MAX;
	bytes = (cap + 7) / 8;
	if (grow((void **)&t->order, cap * sizeof(uint32_t)) < 0 ||
	    grow((void **)&t->view, cap * sizeof(uint32_t)) < 0 ||
	    grow((void **)&t->tmp, cap * sizeof(uint32_t)) < 0 ||
	    grow((void **)&t->keys, cap * sizeof(double)) < 0 || grow((void **)&t->hits, bytes) < 0)
		return -1;
	if (grow((void **)&t->marks, bytes) < 0)
		return -1;
	memset(t->marks + oldbytes, 0, bytes - oldbytes);
	t->cap = cap;
	return 0;
}

/* After the data shrank: rows that no longer exist leave the view, keeping the cursor's row. */
static void drop_stale(struct table *t)
{
	size_t i, k = 0, cur = 0;

	for (i = 0; i < t->nview; i++) {
		if (t->view[i] >= t->nrows)
			continue;
		if (i <= t->cur)
			cur = k;
		t->view[k++] = t->view[i];
	}
	t->nview = k;
	t->cur = cur;
	t->top = t->top < t->cur ? t->top : t->cur;
}

int table_set_rows(struct table *t, size_t n)
{
	size_t i;

	if (n > UINT32_MAX || reserve(t, n) < 0)
		return -1;
	for (i = n; i < t->nrows; i++) {
		if (bit_get(t->marks, i)) {
			bit_set(t->marks, i, false);
			t->nmarked--;
		}
	}
	t->nrows = n;
	drop_stale(t);
	t->sort_dirty = true;
	return 0;
}

void table_set_filter(struct table *t, const struct filter *f, enum table_filter_mode mode)
{
	t->filter = f;
	t->mode = mode;
	t->filter_dirty = true;
}

void table_set_sort(struct table *t, int col, bool reverse)
{
	t->sort_col = col >= 0 && col < t->ncols ? col : -1;
	t->reverse = reverse;
	t->sort_dirty = true;
}

void table_set_natural(struct table *t, int col, bool reverse)
{
	t->natural_col = col >= 0 && col < t->ncols ? col : -1;
	t->natural_rev = reverse;
}

int table_sort_col(const struct table *t)
{
	return t->sort_col >= 0 ? t->sort_col : t->natural_col;
}

bool table_sort_reverse(const struct table *t)
{
	if (t->sort_col < 0)
		return t->natural_rev;
	return t->reverse;
}

void table_set_frozen(struct table *t, int n)
{
	t->frozen = n < 0 ? 0 : n;
}

void table_set_ascii(struct table *t, bool ascii)
{
	t->ascii = ascii;
}

/* ---- sorting ---- */

static const char *cell_text(const struct table *t, size_t row, int col, char *buf)
{
	const char *s = t->src.cell(t->src.ctx, row, col, buf, CELL_BUF);

	return s ? s : "";
}

static int cmp_rows(struct table *t, uint32_t a, uint32_t b)
{
	int r;

	if (t->cols[t->sort_col].sort == TABLE_SORT_NUM) {
		double ka = t->keys[a], kb = t->keys[b];
		if (isnan(ka) || isnan(kb))
			return isnan(ka) - isnan(kb); /* missing last, either direction */
		r = (ka > kb) - (ka < kb);
	} else {
		const char *sa = cell_text(t, a, t->sort_col, t->bufa);
		const char *sb = cell_text(t, b, t->sort_col, t->bufb);
		if (!*sa || !*sb)
			return (!*sa) - (!*sb); /* empty last, either direction */
		r = text_casecmp(sa, sb);
	}
	return t->reverse ? -r : r;
}

/* Stable merge sort of a[0..n) with tmp as scratch. */
static void msort(struct table *t, uint32_t *a, uint32_t *tmp, size_t n)
{
	size_t h, i, j, k;

	if (n <= 12) {
		for (i = 1; i < n; i++) {
			uint32_t v = a[i];
			for (j = i; j > 0 && cmp_rows(t, v, a[j - 1]) < 0; j--)
				a[j] = a[j - 1];
			a[j] = v;
		}
		return;
	}
	h = n / 2;
	msort(t, a, tmp, h);
	msort(t, a + h, tmp, n - h);
	if (cmp_rows(t, a[h - 1], a[h]) <= 0)
		return;
	memcpy(tmp, a, h * sizeof(*a));
	for (i = 0, j = h, k = 0; i < h && j < n;)
		a[k++] = cmp_rows(t, a[j], tmp[i]) < 0 ? a[j++] : tmp[i++];
	while (i < h)
		a[k++] = tmp[i++];
}

static void sort_order(struct table *t)
{
	size_t i;
	int col = t->sort_col;

	for (i = 0; i < t->nrows; i++)
		t->order[i] = (uint32_t)i;
	if (col < 0 || t->cols[col].sort == TABLE_SORT_NONE)
		return;
	if (t->cols[col].sort == TABLE_SORT_NUM) {
		for (i = 0; i < t->nrows; i++)
			t->keys[i] = t->src.num ? t->src.num(t->src.ctx, i, col) : NAN;
	}
	msort(t, t->order, t->tmp, t->nrows);
}

/* ---- filtering ---- */

/* The cells of a row joined by tabs, when the source gives no haystack; NULL when out of memory. */
static const char *joined_cells(struct table *t, size_t row, size_t *len)
{
	size_t n = 0, l;
	int c;

	for (c = 0; c < t->ncols; c++) {
		const char *s = cell_text(t, row, c, t->bufa);
		l = strlen(s);
		if (n + l + 2 > t->haycap) {
			size_t cap = (n + l + 2) * 2;
			if (grow((void **)&t->hay, cap) < 0)
				return NULL;
			t->haycap = cap;
		}
		if (c)
			t->hay[n++] = '\t';
		memcpy(t->hay + n, s, l);
		n += l;
	}
	*len = n;
	return t->hay ? t->hay : "";
}

static int build_view(struct table *t)
{
	bool on = filtering(t), hide = t->mode == TABLE_FILTER_HIDE;
	size_t i, len = 0;
	const char *hay;

	t->nview = 0;
	t->nmatch = 0;
	for (i = 0; i < t->nrows; i++) {
		uint32_t r = t->order[i];
		bool hit = true;

		if (on) {
			hay = t->src.haystack ? t->src.haystack(t->src.ctx, r, &len)
			                      : joined_cells(t, r, &len);
			if (!hay) {
				t->nview = t->nmatch = 0;
				return -1;
			}
			hit = filter_match(t->filter, hay, len);
		}
		bit_set(t->hits, r, hit);
		t->nmatch += hit;
		if (hit || !hide)
			t->view[t->nview++] = r;
	}
	return 0;
}

/* ---- cursor ---- */

static size_t page_of(int h)
{
	return h > 1 ? (size_t)h - 1 : 1;
}

/* The first row shown so that the cursor is visible and no line is wasted at the bottom. */
static size_t clamp_top(size_t top, size_t cur, size_t n, size_t page)
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

static void move_to(struct table *t, size_t pos)
{
	if (!t->nview) {
		t->cur = t->top = 0;
		return;
	}
	t->cur = pos < t->nview ? pos : t->nview - 1;
	t->top = clamp_top(t->top, t->cur, t->nview, page_of(t->h));
}

static void move_by(struct table *t, long delta)
{
	if (delta < 0)
		move_to(t, (size_t)-delta > t->cur ? 0 : t->cur - (size_t)-delta);
	else
		move_to(t, t->cur + (size_t)delta);
}

static bool find_row(const struct table *t, size_t row, size_t *pos)
{
	for (size_t i = 0; i < t->nview; i++) {
		if (t->view[i] == row) {
			*pos = i;
			return true;
		}
	}
	return false;
}

int table_recalc(struct table *t)
{
	size_t keep = 0, off = 0, pos;
	bool had = t->nview > 0 && t->cur < t->nview;
	int rc;

	if (!t->sort_dirty && !t->filter_dirty)
		return 0;
	if (had) {
		keep = t->view[t->cur];
		off = t->cur >= t->top ? t->cur - t->top : 0;
	}
	if (t->sort_dirty)
		sort_order(t);
	t->sort_dirty = false;
	t->filter_dirty = false;
	rc = build_view(t);
	pos = t->cur;
	if (had && keep < t->nrows)
		find_row(t, keep, &pos);
	t->top = pos >= off ? pos - off : 0;
	move_to(t, pos);
	return rc;
}

bool table_select_row(struct table *t, size_t row)
{
	size_t pos;

	if (!find_row(t, row, &pos))
		return false;
	move_to(t, pos);
	return true;
}

/* ---- keys ---- */

static void layout(const struct table *t, int width, struct cell_cols *L);

/* The next (dir > 0) or previous sortable column from the current one; wrap around or not. */
static int next_sortable(const struct table *t, int dir, bool wrap)
{
	int c = table_sort_col(t), i;

	for (i = 0; i < t->ncols; i++) {
		c += dir;
		if (c < 0 || c >= t->ncols) {
			if (!wrap)
				return table_sort_col(t);
			c = c < 0 ? t->ncols - 1 : 0;
		}
		if (t->cols[c].sort != TABLE_SORT_NONE)
			return c;
	}
	return t->sort_col;
}

/* A new order shows its top: the cursor goes to the first row. */
static void resort(struct table *t, int col, bool reverse)
{
	if (col == t->sort_col && reverse == t->reverse)
		return;
	table_sort_to(t, col, reverse);
}

void table_sort_to(struct table *t, int col, bool reverse)
{
	table_set_sort(t, col, reverse);
	table_recalc(t);
	t->top = 0;
	move_to(t, 0);
}

int table_ncols(const struct table *t)
{
	return t->ncols;
}

const struct table_col *table_col_at(const struct table *t, int col)
{
	return col >= 0 && col < t->ncols ? &t->cols[col] : NULL;
}

static void jump_hit(struct table *t, int dir)
{
	size_t i, n = t->nview, pos;

	for (i = 1; i <= n; i++) {
		pos = (t->cur + (dir > 0 ? i : n - i)) % n;
		if (bit_get(t->hits, t->view[pos])) {
			move_to(t, pos);
			return;
		}
	}
}

static void hscroll(struct table *t, int dir)
{
	struct cell_cols L;

	layout(t, t->w, &L);
	if (dir > 0 && L.more_right && t->hcol < t->ncols - t->frozen - 1)
		t->hcol++;
	else if (dir < 0 && t->hcol > 0)
		t->hcol--;
}

static void toggle_mark(struct table *t)
{
	uint32_t row;

	if (!t->nview)
		return;
	row = t->view[t->cur];
	table_mark(t, row, !bit_get(t->marks, row));
	move_by(t, 1);
}

/* clang-format off */
enum key_act { K_DOWN, K_UP, K_PGDN, K_PGUP, K_TOP, K_END, K_MARK, K_SORT, K_REV, K_SORTL, K_SORTR,
	       K_LEFT, K_RIGHT, K_NEXT, K_PREV };

static const struct {
	int key;
	enum key_act act;
} keymap[] = {
	{'j', K_DOWN}, {KEY_DOWN, K_DOWN}, {'k', K_UP}, {KEY_UP, K_UP}, {KEY_NPAGE, K_PGDN},
	{KEY_PPAGE, K_PGUP}, {'g', K_TOP}, {KEY_HOME, K_TOP}, {'G', K_END}, {KEY_END, K_END},
	{' ', K_MARK}, {'s', K_SORT}, {'S', K_REV}, {'<', K_SORTL}, {'>', K_SORTR}, {'h', K_LEFT},
	{KEY_LEFT, K_LEFT}, {'l', K_RIGHT}, {KEY_RIGHT, K_RIGHT}, {'n', K_NEXT}, {'N', K_PREV},
};
/* clang-format on */

static void do_key(struct table *t, enum key_act act)
{
	long page = (long)page_of(t->h);

	switch (act) {
	case K_DOWN:
	case K_UP:
		move_by(t, act == K_DOWN ? 1 : -1);
		break;
	case K_PGDN:
	case K_PGUP:
		move_by(t, act == K_PGDN ? page : -page);
		break;
	case K_TOP:
	case K_END:
		move_to(t, act == K_TOP || !t->nview ? 0 : t->nview - 1);
		break;
	case K_MARK:
		toggle_mark(t);
		break;
	case K_SORT:
		resort(t, next_sortable(t, 1, true), false);
		break;
	case K_REV:
		if (table_sort_col(t) >= 0)
			resort(t, table_sort_col(t), !table_sort_reverse(t));
		break;
	case K_SORTL:
	case K_SORTR:
		resort(t, next_sortable(t, act == K_SORTR ? 1 : -1, false), table_sort_reverse(t));
		break;
	case K_LEFT:
	case K_RIGHT:
		hscroll(t, act == K_RIGHT ? 1 : -1);
		break;
	case K_NEXT:
	case K_PREV:
		jump_hit(t, act == K_NEXT ? 1 : -1);
		break;
	}
}

bool table_key(struct table *t, int key)
{
	for (size_t i = 0; i < sizeof(keymap) / sizeof(keymap[0]); i++) {
		if (keymap[i].key != key)
			continue;
		if ((keymap[i].act == K_NEXT || keymap[i].act == K_PREV) &&
		    (t->mode != TABLE_FILTER_HIGHLIGHT || !filtering(t)))
			return false;
		do_key(t, keymap[i].act);
		return true;
	}
	return false;
}

bool table_click(struct table *t, int y)
{
	size_t top, pos;

	if (y < 1)
		return false;
	top = clamp_top(t->top, t->cur, t->nview, page_of(t->h));
	pos = top + (size_t)y - 1;
	if (pos >= t->nview || (size_t)y > page_of(t->h))
		return false;
	move_to(t, pos);
	return true;
}

void table_set_size(struct table *t, int h, int w)
{
	t->h = h;
	t->w = w;
	move_to(t, t->cur);
}

/* ---- queries ---- */

size_t table_total(const struct table *t)
{
	return t->nrows;
}

size_t table_count(const struct table *t)
{
	return t->nview;
}

size_t table_matches(const struct table *t)
{
	return filtering(t) ? t->nmatch : t->nrows;
}

bool table_row_at(const struct table *t, size_t pos, size_t *row)
{
	if (pos >= t->nview)
		return false;
	*row = t->view[pos];
	return true;
}

bool table_cursor(const struct table *t, size_t *row)
{
	return table_row_at(t, t->cur, row);
}

bool table_marked(const struct table *t, size_t row)
{
	return row < t->nrows && bit_get(t->marks, row);
}

void table_mark(struct table *t, size_t row, bool on)
{
	if (row >= t->nrows || bit_get(t->marks, row) == on)
		return;
	bit_set(t->marks, row, on);
	if (on)
		t->nmarked++;
	else
		t->nmarked--;
}

size_t table_marked_count(const struct table *t)
{
	return t->nmarked;
}

void table_clear_marks(struct table *t)
{
	if (t->marks)
		memset(t->marks, 0, (t->cap + 7) / 8);
	t->nmarked = 0;
}

char *table_status(const struct table *t, char *buf, size_t bufsz)
{
	char a[32], b[32];

	text_thousands(b, sizeof(b), (long long)t->nrows);
	if (filtering(t))
		snprintf(buf, bufsz, "%s of %s match",
		         text_thousands(a, sizeof(a), (long long)t->nmatch), b);
	else
		snprintf(buf, bufsz, "%s %s", b, t->nrows == 1 ? "row" : "rows");
	return buf;
}

char *table_position(const struct table *t, char *buf, size_t bufsz)
{
	char a[32], b[32];

	if (!t->nview)
		snprintf(buf, bufsz, "no rows");
	else
		snprintf(buf, bufsz, "row %s of %s",
		         text_thousands(a, sizeof(a), (long long)t->cur + 1),
		         text_thousands(b, sizeof(b), (long long)t->nview));
	return buf;
}

/* ---- drawing ---- */

static void layout(const struct table *t, int width, struct cell_cols *L)
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
	layout(t, w, &L);
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
