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

static int imax(int a, int b)
{
	return a > b ? a : b;
}

static int imin(int a, int b)
{
	return a < b ? a : b;
}

/* The widest metric cell of run i: value, delta and star. */
static int metric_cell_width(const struct compare_tables *t, size_t i)
{
	char v[32], d[32];
	size_t k;
	int w = 0;

	for (k = 0; k < t->nm; k++) {
		if (!t->m[k].have[i])
			continue;
		compare_fmt_value(v, sizeof(v), t->m[k].v[i]);
		compare_fmt_delta(d, sizeof(d), t->m[k].v[i]);
		w = imax(w, (int)strlen(v) + 1 + (int)strlen(d) + 2);
	}
	return w;
}

static int column_need(const struct compare_tables *t, size_t i)
{
	int w = imax(text_width(t->name[i]), metric_cell_width(t, i));
	size_t k;

	for (k = 0; k < t->npview; k++) {
		const char *v = t->p[t->pview[k]].val[i];
		if (v)
			w = imax(w, text_width(v));
	}
	return w;
}

void compare_cols_layout(struct compare_cols *c, const struct compare_tables *t, int width,
                         size_t cursor)
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
		need = imax(need, column_need(t, i));
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
			put(v, win, y + line, col_x(v, k), v->cols.colw, val ? val : missing,
			    val ? r : ROLE_MUTED);
		}
	}
}

static enum role verdict_role(enum compare_verdict vd)
{
	return vd == COMPARE_BETTER ? ROLE_OK : vd == COMPARE_WORSE ? ROLE_CRIT : ROLE_MUTED;
}

/* One metric cell: "0.934 +0.022 ★". The delta is left out when the cell is too narrow. */
static void metric_cell(const struct compare_view *v, WINDOW *win, int y, int x,
                        const struct compare_mrow *m, size_t i)
{
	char val[32], dl[32];
	size_t b = v->baseline;
	int best = m->best >= 0 && m->have[i] && m->v[i] == m->v[m->best];
	int w = v->cols.colw, used, dw = 0;
	enum compare_verdict vd = COMPARE_NONE;
	double d = 0;

	if (!m->have[i]) {
		put(v, win, y, x, w, v->utf8 ? "—" : "-", ROLE_MUTED);
		return;
	}
	compare_fmt_value(val, sizeof(val), m->v[i]);
	if (i != b && b < v->t->nruns && m->have[b])
		vd = compare_delta(m->v[i], m->v[b], m->dir, &d);
	if (vd != COMPARE_NONE)
		dw = (int)strlen(compare_fmt_delta(dl, sizeof(dl), d)) + 1;
	if ((int)strlen(val) + dw + (best ? 2 : 0) > w)
		dw = 0;
	used = put(v, win, y, x, w, val,
	           best                ? ROLE_ACCENT
	           : isfinite(m->v[i]) ? ROLE_NORMAL
	                               : ROLE_MUTED);
	if (dw)
		used += 1 + put(v, win, y, x + used + 1, w - used - 1, dl, verdict_role(vd));
	if (best && used + 2 <= w)
		put(v, win, y, x + used + 1, 1, v->utf8 ? "★" : "*", ROLE_ACCENT);
}

void compare_view_metrics(const struct compare_view *v, WINDOW *win, int y, int h, size_t top,
                          long cursor, int charted)
{
	const struct compare_tables *t = v->t;
	int line;
	size_t k;

	h = clamp_rows(win, y, h);
	if (h <= 0)
		return;
	heading(v, win, y, "METRIC");
	if (t->nm == 0 && h > 1)
		put(v, win, y + 1, v->cols.x0, getmaxx(win), "no metrics logged in these runs",
		    ROLE_MUTED);
	for (line = 1; line < h && top + (size_t)(line - 1) < t->nm; line++) {
		size_t row = top + (size_t)(line - 1);
		const struct compare_mrow *m = &t->m[row];
		const char *arrow = m->dir < 0 ? (v->utf8 ? "↓" : "v") : (v->utf8 ? "↑" : "^");
		key_cell(v, win, y + line, m->label, arrow, (long)row == cursor,
		         (int)row == charted ? ROLE_ACCENT : ROLE_NORMAL);
		for (k = 0; k < v->cols.nvis; k++)
			metric_cell(v, win, y + line, col_x(v, k), m, v->cols.first + k);
	}
}
