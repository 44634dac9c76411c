/* compare_view: the params and metrics tables of the Compare view, drawn. */
#include "panels/compare_view.h"

#include <math.h>
#include <string.h>

#include "tui/widgets/cell.h"
#include "tui/widgets/text.h"

#define KEYW_MIN         6
#define KEYW_MAX         28
#define COLW_MIN         8
#define COLW_MAX         24
#define MARGIN_MIN_WIDTH 40 /* narrower bodies get no left margin */
#define INLINE_DIGITS    3  /* fewest digits of a value with its delta beside it */
#define OWN_LINE_DIGITS  2  /* fewest digits of a value over its delta */

static int imax(int a, int b)
{
	return a > b ? a : b;
}

static int imin(int a, int b)
{
	return a < b ? a : b;
}

static int is_best(const struct compare_mrow *m, size_t i)
{
	return m->best >= 0 && m->have[i] && m->v[i] == m->v[m->best];
}

/* The delta of run i against the baseline b in row m (COMPARE_NONE: no delta to show). */
static enum compare_verdict row_delta(const struct compare_mrow *m, size_t i, size_t b,
                                      size_t nruns, double *d)
{
	*d = 0;
	if (i == b || b >= nruns || !m->have[i] || !m->have[b])
		return COMPARE_NONE;
	return compare_delta(m->v[i], m->v[b], m->dir, d);
}

/* The widest metric cells of run i at digits: value with its star, delta, and both on a line. */
struct cell_widths {
	int value, delta, both;
};

static struct cell_widths metric_widths(const struct compare_tables *t, size_t i, size_t b,
                                        int digits)
{
	struct cell_widths w = {0, 0, 0};
	char v[32], dl[32];
	size_t k;
	double d;

	for (k = 0; k < t->nm; k++) {
		const struct compare_mrow *m = &t->m[k];
		int vw, dw = 0;
		if (!m->have[i])
			continue;
		vw = (int)strlen(compare_fmt_value(v, sizeof(v), m->v[i], digits)) +
		     (is_best(m, i) ? 2 : 0);
		if (row_delta(m, i, b, t->nruns, &d) != COMPARE_NONE)
			dw = (int)strlen(compare_fmt_delta(dl, sizeof(dl), d, digits - 1));
		w.value = imax(w.value, vw);
		w.delta = imax(w.delta, dw);
		w.both = imax(w.both, vw + (dw ? 1 + dw : 0));
	}
	return w;
}

/* The digits of each run's column: the most that keep each delta beside its value in colw;
 * when a column cannot with INLINE_DIGITS, every metric row takes two lines, and the digits are
 * the most that fit a value (or a delta) in colw. */
static void choose_digits(struct compare_cols *c, const struct compare_tables *t, size_t b)
{
	size_t i;
	int d;

	c->mlines = 1;
	for (i = 0; i < t->nruns && c->mlines == 1; i++) {
		for (d = COMPARE_VALUE_DIGITS;
		     d > INLINE_DIGITS && metric_widths(t, i, b, d).both > c->colw; d--)
			;
		c->digits[i] = (unsigned char)d;
		if (metric_widths(t, i, b, d).both > c->colw)
			c->mlines = 2;
	}
	for (i = 0; i < t->nruns && c->mlines == 2; i++) {
		struct cell_widths w;
		for (d = COMPARE_VALUE_DIGITS; d > OWN_LINE_DIGITS; d--) {
			w = metric_widths(t, i, b, d);
			if (w.value <= c->colw && w.delta <= c->colw)
				break;
		}
		c->digits[i] = (unsigned char)d;
	}
}

static int column_need(const struct compare_tables *t, size_t i, size_t b)
{
	int w = imax(text_width(t->name[i]), metric_widths(t, i, b, COMPARE_VALUE_DIGITS).both);
	size_t k;

	for (k = 0; k < t->npview; k++) {
		const char *v = t->p[t->pview[k]].val[i];
		if (v)
			w = imax(w, text_width(v));
	}
	return w;
}

void compare_cols_layout(struct compare_cols *c, const struct compare_tables *t, int width,
                         size_t cursor, size_t baseline)
{
	int keyw = 6, need = COLW_MIN, avail;
	size_t i;

	for (i = 0; i < t->npview; i++)
		keyw = imax(keyw, text_width(t->p[t->pview[i]].label));
	for (i = 0; i < t->nm; i++)
		keyw = imax(keyw, text_width(t->m[i].label) + 2);
	c->x0 = width >= MARGIN_MIN_WIDTH ? 1 : 0;
	width -= c->x0;
	c->keyw = imax(KEYW_MIN, imin(keyw, imin(KEYW_MAX, width / 3)));
	for (i = 0; i < t->nruns; i++)
		need = imax(need, column_need(t, i, baseline));
	avail = width - c->keyw;
	c->colw = imin(need + 2, COLW_MAX); /* two spaces between runs when there is room */
	if (t->nruns && (int)t->nruns * (c->colw + 1) > avail)
		c->colw = imax(COLW_MIN, avail / (int)t->nruns - 1);
	c->nvis = avail > 0 ? (size_t)(avail / (c->colw + 1)) : 0;
	if (c->nvis == 0)
		c->nvis = 1;
	if (c->nvis > t->nruns)
		c->nvis = t->nruns;
	c->first = cursor >= c->nvis ? cursor - c->nvis + 1 : 0;
	choose_digits(c, t, baseline);
}

int compare_cols_metric_rows(const struct compare_cols *c, int h)
{
	return h > 1 ? (h - 1) / (c->mlines > 1 ? c->mlines : 1) : 0;
}

static enum text_ellipsis ell(const struct compare_view *v)
{
	return v->utf8 ? TEXT_ELLIPSIS_UTF8 : TEXT_ELLIPSIS_TILDE;
}

static attr_t attr(const struct compare_view *v, enum role r)
{
	return theme_attr(v->theme, r);
}

static int col_x(const struct compare_view *v, size_t k)
{
	return v->cols.x0 + v->cols.keyw + 1 + (int)k * (v->cols.colw + 1);
}

/* Clipped text at (y, x) in width w, if the window has room. */
static int put(const struct compare_view *v, WINDOW *win, int y, int x, int w, const char *s,
               enum role r)
{
	int maxx = getmaxx(win);

	if (x >= maxx || w <= 0 || y < 0 || y >= getmaxy(win))
		return 0;
	return cell_draw(win, y, x, imin(w, maxx - x), s, TEXT_LEFT, ell(v), attr(v, r), 0, NULL,
	                 0);
}

/* h lines from line y, less those past the bottom of the window (0 when y is outside). */
static int clamp_rows(WINDOW *win, int y, int h)
{
	if (y < 0 || y >= getmaxy(win))
		return 0;
	return imin(h, getmaxy(win) - y);
}

/* The heading line: what the rows are, then each visible run's name. */
static void heading(const struct compare_view *v, WINDOW *win, int y, const char *what)
{
	size_t k;

	put(v, win, y, v->cols.x0, v->cols.keyw, what, ROLE_COLHEAD);
	for (k = 0; k < v->cols.nvis; k++) {
		size_t i = v->cols.first + k;
		enum role r = i == v->runcur     ? ROLE_SELECTED
		              : i == v->baseline ? ROLE_ACCENT
		                                 : ROLE_COLHEAD;
		int x = col_x(v, k);
		if (i == v->runcur)
			cell_fill(win, y, x, imin(v->cols.colw, getmaxx(win) - x), attr(v, r));
		put(v, win, y, x, v->cols.colw, v->t->name[i], r);
	}
}

static void key_cell(const struct compare_view *v, WINDOW *win, int y, const char *label,
                     const char *arrow, int selected, enum role r)
{
	int w = v->cols.keyw - (arrow ? 2 : 0), used;

	if (selected) {
		cell_fill(win, y, v->cols.x0, imin(v->cols.keyw, getmaxx(win) - v->cols.x0),
		          attr(v, ROLE_SELECTED));
		r = ROLE_SELECTED;
	}
	used = put(v, win, y, v->cols.x0, w, label, r);
	if (arrow)
		put(v, win, y, v->cols.x0 + used + 1, 1, arrow, r);
}

/* A dataset value too wide for its cell: the part of its digest that differs from the other
 * runs' ("…9c2e"), after the name when the runs' names differ. */
static const char *dataset_short(const struct compare_view *v, const struct compare_prow *p,
                                 const char *val, char *buf, size_t n)
{
	const char *at = strrchr(val, '@'), *digest = at ? at + 1 : val;
	int namelen = p->same_name || !at ? 0 : (int)(at - val + 1);
	size_t cut = p->shared >= 2 && p->shared < strlen(digest) ? p->shared : 0;

	if (text_width(val) <= v->cols.colw)
		return val;
	snprintf(buf, n, "%.*s%s%s", namelen, val, cut ? (v->utf8 ? "…" : "~") : "", digest + cut);
	return buf;
}

void compare_view_params(const struct compare_view *v, WINDOW *win, int y, int h, size_t top,
                         long cursor)
{
	const char *missing = v->utf8 ? "—" : "-";
	const struct compare_tables *t = v->t;
	int line;
	size_t k;

	h = clamp_rows(win, y, h);
	if (h <= 0)
		return;
	heading(v, win, y, "PARAM");
	if (t->npview == 0 && h > 1)
		put(v, win, y + 1, v->cols.x0, getmaxx(win),
		    t->np ? "no param differs between these runs (d shows all)"
		          : "no params logged in these runs",
		    ROLE_MUTED);
	for (line = 1; line < h && top + (size_t)(line - 1) < t->npview; line++) {
		size_t row = top + (size_t)(line - 1);
		const struct compare_prow *p = &t->p[t->pview[row]];
		enum role r = p->differs ? ROLE_NORMAL : ROLE_MUTED;
		key_cell(v, win, y + line, p->label, NULL, (long)row == cursor,
		         p->kind == COMPARE_ROW_PARAM ? r : ROLE_MUTED);
		for (k = 0; k < v->cols.nvis; k++) {
			const char *val = p->val[v->cols.first + k];
			char buf[512];
			if (val && p->kind == COMPARE_ROW_DATASET)
				val = dataset_short(v, p, val, buf, sizeof(buf));
			put(v, win, y + line, col_x(v, k), v->cols.colw, val ? val : missing,
			    val ? r : ROLE_MUTED);
		}
	}
}

static enum role verdict_role(enum compare_verdict vd)
{
	return vd == COMPARE_BETTER ? ROLE_OK : vd == COMPARE_WORSE ? ROLE_CRIT : ROLE_MUTED;
}

/* One metric cell: "0.934 +0.022 ★", or "0.934 ★" when the deltas have a line of their own
 * (the layout makes the column wide enough for what it holds). */
static void metric_cell(const struct compare_view *v, WINDOW *win, int y, int x,
                        const struct compare_mrow *m, size_t i)
{
	char val[32], dl[32];
	int digits = v->cols.digits[i], best = is_best(m, i);
	int w = v->cols.colw, used;
	enum compare_verdict vd;
	double d;

	if (!m->have[i]) {
		put(v, win, y, x, w, v->utf8 ? "—" : "-", ROLE_MUTED);
		return;
	}
	compare_fmt_value(val, sizeof(val), m->v[i], digits);
	vd = v->cols.mlines > 1 ? COMPARE_NONE : row_delta(m, i, v->baseline, v->t->nruns, &d);
	used = put(v, win, y, x, w, val,
	           best                ? ROLE_ACCENT
	           : isfinite(m->v[i]) ? ROLE_NORMAL
	                               : ROLE_MUTED);
	if (vd != COMPARE_NONE)
		used += 1 + put(v, win, y, x + used + 1, w - used - 1,
		                compare_fmt_delta(dl, sizeof(dl), d, digits - 1), verdict_role(vd));
	if (best && used + 2 <= w)
		put(v, win, y, x + used + 1, 1, v->utf8 ? "★" : "*", ROLE_ACCENT);
}

/* The second line of a metric row: each run's delta against the baseline, "base" under it. */
static void delta_line(const struct compare_view *v, WINDOW *win, int y,
                       const struct compare_mrow *m, int selected)
{
	char dl[32];
	size_t k;
	double d;

	key_cell(v, win, y, "  vs base", NULL, selected, ROLE_MUTED);
	for (k = 0; k < v->cols.nvis; k++) {
		size_t i = v->cols.first + k;
		enum compare_verdict vd = row_delta(m, i, v->baseline, v->t->nruns, &d);
		if (i == v->baseline)
			put(v, win, y, col_x(v, k), v->cols.colw, "base", ROLE_MUTED);
		else if (vd != COMPARE_NONE)
			put(v, win, y, col_x(v, k), v->cols.colw,
			    compare_fmt_delta(dl, sizeof(dl), d, v->cols.digits[i] - 1),
			    verdict_role(vd));
	}
}

void compare_view_metrics(const struct compare_view *v, WINDOW *win, int y, int h, size_t top,
                          long cursor, int charted)
{
	const struct compare_tables *t = v->t;
	int line, ml = v->cols.mlines > 1 ? 2 : 1;
	size_t k;

	h = clamp_rows(win, y, h);
	if (h <= 0)
		return;
	heading(v, win, y, "METRIC");
	if (t->nm == 0 && h > 1)
		put(v, win, y + 1, v->cols.x0, getmaxx(win), "no metrics logged in these runs",
		    ROLE_MUTED);
	for (line = 1; line + ml - 1 < h && top < t->nm; line += ml, top++) {
		const struct compare_mrow *m = &t->m[top];
		const char *arrow = m->dir < 0 ? (v->utf8 ? "↓" : "v") : (v->utf8 ? "↑" : "^");
		key_cell(v, win, y + line, m->label, arrow, (long)top == cursor,
		         (int)top == charted ? ROLE_ACCENT : ROLE_NORMAL);
		for (k = 0; k < v->cols.nvis; k++)
			metric_cell(v, win, y + line, col_x(v, k), m, v->cols.first + k);
		if (ml > 1)
			delta_line(v, win, y + line + 1, m, (long)top == cursor);
	}
}
