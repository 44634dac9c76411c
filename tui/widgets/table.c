/* table: virtual rows, stable sort, filter view, marks, cursor, keys, and a const draw. */
#include "tui/widgets/table.h"

#include "tui/widgets/cell.h"
#include "tui/widgets/table_draw.h"

#include <math.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static void bit_set(uint8_t *map, size_t i, bool on)
{
	if (on)
		map[i >> 3] |= (uint8_t)(1u << (i & 7));
	else
		map[i >> 3] &= (uint8_t) ~(1u << (i & 7));
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

void table_set_hide_empty(struct table *t, int col, bool on)
{
	if (col < 0 || col >= TABLE_MAX_COLS)
		return;
	if (on)
		t->hide_empty |= UINT64_C(1) << col;
	else
		t->hide_empty &= ~(UINT64_C(1) << col);
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

	table_layout(t, t->w, &L);
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
		if ((keymap[i].act == K_NEXT || keymap[i].act == K_PREV) && !filtering(t))
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

char *table_match_position(const struct table *t, char *buf, size_t bufsz)
{
	char a[32], b[32];
	size_t i = 0;

	if (!filtering(t) || !t->nmatch || !t->nview || !bit_get(t->hits, t->view[t->cur])) {
		snprintf(buf, bufsz, "no match");
		return buf;
	}
	for (size_t pos = 0; pos <= t->cur; pos++)
		i += bit_get(t->hits, t->view[pos]);
	snprintf(buf, bufsz, "match %s of %s", text_thousands(a, sizeof(a), (long long)i),
	         text_thousands(b, sizeof(b), (long long)t->nmatch));
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
