/* chart: line charts as a grid of code points (braille, blocks or ASCII), and sparklines. */
#include "tui/widgets/chart.h"

#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "tui/widgets/cell.h"
#include "tui/widgets/text.h"

#define MAX_TICKS 8
#define LABEL_MAX 24
#define MARK_GAP  24 /* columns between two letters of a series, at most */

/* The glyph of series k in ASCII mode, and its letter in the others. */
static const char ascii_glyphs[CHART_MAX_SERIES] = {'*', '+', 'o', 'x', '#', '@', '%', '&'};

static uint32_t series_letter(int k)
{
	return (uint32_t)('a' + k % CHART_MAX_SERIES);
}

/* What the series leave in one plot cell. */
struct dots {
	uint8_t bits;  /* braille dots */
	uint8_t top;   /* block mode: the highest eighth reached, 1..8; 0 none */
	int8_t series; /* the last series drawn here, -1 none */
};

/* The plot as the series leave it. */
struct canvas {
	struct dots *d; /* pw x ph cells */
	int *at;        /* ns x pw: the plot row series k reached last in column c, -1: none */
};

/* Geometry and scales of one render. */
struct frame {
	const struct chart_opts *o;
	int lw;          /* width of the y labels */
	int px, py;      /* top left cell of the plot area */
	int pw, ph;      /* plot area in cells */
	int sx, sy;      /* dots per cell */
	double xlo, xhi; /* x range */
	double ylo, yhi; /* y range, log10 when log_y */
	double ystep;
	int nyt;
	double yt[MAX_TICKS];
	char ylab[MAX_TICKS][LABEL_MAX];
};

static bool ascii_mode(const struct frame *f)
{
	return f->o->mode == CHART_ASCII;
}

static void gset(struct chart_grid *g, int r, int c, uint32_t cp, enum role role)
{
	if (r < 0 || r >= g->h || c < 0 || c >= g->w)
		return;
	g->cp[r * g->w + c] = cp;
	g->role[r * g->w + c] = (unsigned char)role;
}

/* Writes UTF-8 s from (r, c) in at most maxw columns; returns the columns used. */
static int gput(struct chart_grid *g, int r, int c, const char *s, int maxw, enum role role)
{
	size_t i = 0, len = strlen(s);
	int used = 0, cw;
	uint32_t cp;

	while (i < len) {
		i += text_decode(s + i, len - i, &cp);
		cw = text_cpwidth(cp);
		if (cw == 0)
			continue; /* combining marks are dropped: a grid cell holds one code point
			           */
		if (used + cw > maxw || c + used + cw > g->w)
			break;
		if (g->ascii && cp >= 0x80)
			cp = '?'; /* one a column, below too */
		gset(g, r, c + used, cp == TEXT_INVALID ? TEXT_REPLACEMENT : cp, role);
		if (cw == 2)
			gset(g, r, c + used + 1, g->ascii ? '?' : CHART_CONT, role);
		used += cw;
	}
	return used;
}

static double yval(const struct frame *f, double y)
{
	return f->o->log_y ? log10(y) : y;
}

static bool point_ok(const struct chart_opts *o, double x, double y)
{
	return isfinite(x) && isfinite(y) && (!o->log_y || y > 0);
}

static double xval(const struct chart_series *s, size_t i)
{
	return s->x ? s->x[i] : (double)i;
}

/* The data bounds over all series; false when there is no point to draw. */
static bool bounds(struct frame *f, const struct chart_series *s, int ns)
{
	bool any = false;

	for (int k = 0; k < ns; k++) {
		for (size_t i = 0; i < s[k].n; i++) {
			double x = xval(&s[k], i), y = s[k].y[i];
			if (!point_ok(f->o, x, y))
				continue;
			y = yval(f, y);
			if (!any) {
				f->xlo = f->xhi = x;
				f->ylo = f->yhi = y;
				any = true;
			}
			f->xlo = fmin(f->xlo, x);
			f->xhi = fmax(f->xhi, x);
			f->ylo = fmin(f->ylo, y);
			f->yhi = fmax(f->yhi, y);
		}
	}
	if (!any) {
		f->xlo = f->ylo = 0;
		f->xhi = f->yhi = 1;
	}
	return any;
}

/* How many ticks a step gives over [lo, hi]; with extend, *span is the range widened to
 * multiples of the step. */
static double tick_count(double lo, double hi, double step, bool extend, double *span)
{
	double a = extend ? floor(lo / step + 1e-9) : ceil(lo / step - 1e-9);
	double b = extend ? ceil(hi / step - 1e-9) : floor(hi / step + 1e-9);

	*span = (b - a) * step;
	return b - a + 1;
}

/* A step of 1, 2, 2.5 or 5 x 10^k giving at most maxticks ticks over [lo, hi]: the smallest one,
 * or with extend (the range widened to multiples of the step) the one that widens least among
 * those giving at least 3 ticks. */
static double nice_step(double lo, double hi, int maxticks, bool extend)
{
	static const double m[] = {1, 2, 2.5, 5};
	double mag = pow(10, floor(log10((hi - lo) / maxticks))), step, best = 0, bspan = 0, span;
	int i, found = 0;

	for (i = 0; i < 40 && found < 4; i++) {
		step = m[i % 4] * mag * pow(10, i / 4);
		double n = tick_count(lo, hi, step, extend, &span);
		if (n > maxticks)
			continue;
		if (!extend)
			return step;
		if (!found++ || (n >= 3 && span < bspan - step * 1e-9)) {
			best = step;
			bspan = span;
		}
	}
	return found ? best : step;
}

/* A tick label: as many decimals as the step needs, k/M/G for large steps. */
static void fmt_num(char *buf, size_t n, double v, double step)
{
	static const struct {
		double scale;
		const char *suffix;
	} si[] = {{1e9, "G"}, {1e6, "M"}, {1e3, "k"}, {1, ""}};
	size_t k = 0;
	int d;

	while (k < 3 && fabs(step) < si[k].scale)
		k++;
	v /= si[k].scale;
	step /= si[k].scale;
	for (d = 0; d < 6; d++) {
		double t = step * pow(10, d);
		if (fabs(t - round(t)) < 1e-6 * fmax(1, t))
			break;
	}
	if (fabs(v) < fabs(step) * 1e-9)
		v = 0; /* no "-0" */
	snprintf(buf, n, "%.*f%s", d, v, si[k].suffix);
}

/* Ticks on a log scale: whole decades, every k-th one so that at most maxticks show. */
static void log_ticks(struct frame *f, int maxticks)
{
	double lo = floor(f->ylo + 1e-9), hi = ceil(f->yhi - 1e-9), k;

	if (hi <= lo)
		hi = lo + 1;
	k = ceil((hi - lo) / (maxticks - 1));
	hi = lo + k * ceil((hi - lo) / k);
	f->ylo = lo;
	f->yhi = hi;
	f->ystep = k;
	for (f->nyt = 0; f->nyt < MAX_TICKS && lo + f->nyt * k <= hi + 1e-9; f->nyt++) {
		double v = pow(10, lo + f->nyt * k);
		f->yt[f->nyt] = lo + f->nyt * k;
		fmt_num(f->ylab[f->nyt], LABEL_MAX, v, v);
	}
}

/* Picks the y ticks (and so the y range and the label width) for ph plot rows. */
static void y_ticks(struct frame *f, int ph)
{
	int maxticks = (ph + 1) / 2, i;
	double step, lo;

	maxticks = maxticks < 2 ? 2 : maxticks > 5 ? 5 : maxticks;
	if (f->yhi - f->ylo < 1e-12 * fmax(1, fabs(f->ylo))) {
		double d = f->o->log_y ? 0.5 : f->ylo != 0 ? fabs(f->ylo) * 0.1 : 1;
		f->ylo -= d;
		f->yhi += d;
	}
	f->lw = 1;
	if (f->o->log_y) {
		log_ticks(f, maxticks);
	} else {
		step = nice_step(f->ylo, f->yhi, maxticks, true);
		lo = floor(f->ylo / step + 1e-9) * step;
		f->yhi = ceil(f->yhi / step - 1e-9) * step;
		f->ylo = lo;
		f->ystep = step;
		for (f->nyt = 0; f->nyt < MAX_TICKS && lo + f->nyt * step <= f->yhi + step * 1e-9;
		     f->nyt++) {
			f->yt[f->nyt] = lo + f->nyt * step;
			fmt_num(f->ylab[f->nyt], LABEL_MAX, f->yt[f->nyt], step);
		}
	}
	for (i = 0; i < f->nyt; i++) {
		int w = text_width(f->ylab[i]);
		f->lw = w > f->lw ? w : f->lw;
	}
}

/* The grid row of a y value (transformed) and the grid column of an x value. */
static int row_of(const struct frame *f, double y)
{
	double t = (y - f->ylo) / (f->yhi - f->ylo);
	long dy = lround(fmin(fmax(t, 0), 1) * (f->ph * f->sy - 1));

	return f->py + (f->ph * f->sy - 1 - (int)dy) / f->sy;
}

static int col_of(const struct frame *f, double x)
{
	double t = (x - f->xlo) / (f->xhi - f->xlo);
	long dx = lround(fmin(fmax(t, 0), 1) * (f->pw * f->sx - 1));

	return f->px + (int)dx / f->sx;
}

static void draw_y_axis(struct chart_grid *g, const struct frame *f)
{
	int ax = f->lw + 1, r, i;

	for (r = f->py; r < f->py + f->ph; r++)
		gset(g, r, ax, ascii_mode(f) ? '|' : 0x2502, ROLE_BORDER);
	for (i = 0; i < f->nyt; i++) {
		r = row_of(f, f->yt[i]);
		gset(g, r, ax, ascii_mode(f) ? '+' : 0x2524, ROLE_BORDER);
		gput(g, r, f->lw - text_width(f->ylab[i]), f->ylab[i], f->lw, ROLE_NORMAL);
	}
}

/* A duration as its two largest units: "45s", "2m30s", "1h", "1h30m", "2d6h". */
static void fmt_elapsed(char *buf, size_t n, double v)
{
	static const struct {
		long secs;
		char unit;
	} u[] = {{86400, 'd'}, {3600, 'h'}, {60, 'm'}, {1, 's'}};
	long s = lround(fabs(v)), hi, lo;
	size_t k = 0;

	while (k < 3 && s < u[k].secs)
		k++;
	hi = s / u[k].secs;
	lo = k < 3 ? s % u[k].secs / u[k + 1].secs : 0;
	if (lo)
		snprintf(buf, n, "%s%ld%c%ld%c", v < 0 ? "-" : "", hi, u[k].unit, lo,
		         u[k + 1].unit);
	else
		snprintf(buf, n, "%s%ld%c", v < 0 && hi ? "-" : "", hi, u[k].unit);
}

static void fmt_x(const struct frame *f, char *buf, size_t n, double v, double step)
{
	time_t t = (time_t)llround(v);
	struct tm tm;

	if (f->o->x_elapsed) {
		fmt_elapsed(buf, n, v);
		return;
	}
	if (!f->o->x_time) {
		fmt_num(buf, n, v, step);
		return;
	}
	localtime_r(&t, &tm);
	strftime(buf, n, step < 60 ? "%H:%M:%S" : step < 86400 ? "%H:%M" : "%m-%d", &tm);
}

/* A step for clock times: the smallest usual interval that gives at most maxticks ticks. */
static double time_step(double lo, double hi, int maxticks)
{
	static const double steps[] = {1,     2,     5,      10,     15,      30,      60,    120,
	                               300,   600,   900,    1800,   3600,    7200,    10800, 21600,
	                               43200, 86400, 172800, 604800, 2592000, 31536000};
	size_t i;

	for (i = 0; i + 1 < sizeof(steps) / sizeof(steps[0]); i++)
		if (floor(hi / steps[i]) - ceil(lo / steps[i]) + 1 <= maxticks)
			break;
	return steps[i];
}

static void draw_x_axis(struct chart_grid *g, const struct frame *f)
{
	char lab[LABEL_MAX];
	int ar = f->py + f->ph, c, labw, maxticks, next = 0, end = 0;
	double step, off = 0, v;
	time_t t0 = (time_t)f->xlo;
	struct tm tm;

	gset(g, ar, f->lw + 1, ascii_mode(f) ? '+' : 0x2514, ROLE_BORDER);
	for (c = f->px; c < g->w; c++)
		gset(g, ar, c, ascii_mode(f) ? '-' : 0x2500, ROLE_BORDER);
	fmt_x(f, lab, sizeof(lab), f->xhi, (f->xhi - f->xlo) / 4);
	labw = text_width(lab);
	fmt_x(f, lab, sizeof(lab), f->xlo, (f->xhi - f->xlo) / 4);
	labw = text_width(lab) > labw ? text_width(lab) : labw;
	maxticks = f->pw / (labw + 3);
	maxticks = maxticks < 2 ? 2 : maxticks;
	if (f->o->x_time || f->o->x_elapsed) {
		step = time_step(f->xlo, f->xhi, maxticks);
		if (f->o->x_time && localtime_r(&t0, &tm))
			off = (double)tm.tm_gmtoff; /* ticks on local round times */
	} else {
		step = nice_step(f->xlo, f->xhi, maxticks, false);
	}
	for (v = ceil((f->xlo + off) / step - 1e-9) * step - off; v <= f->xhi + step * 1e-9;
	     v += step) {
		c = col_of(f, v);
		gset(g, ar, c, ascii_mode(f) ? '+' : 0x252C, ROLE_BORDER);
		fmt_x(f, lab, sizeof(lab), v, step);
		labw = text_width(lab);
		if (c < next || c + labw > g->w)
			continue;
		end = c + gput(g, ar + 1, c, lab, labw, ROLE_NORMAL);
		next = end + 2;
	}
	if (f->o->x_unit && end > 0 && end + 1 + text_width(f->o->x_unit) <= g->w)
		gput(g, ar + 1, end + 1, f->o->x_unit, g->w, ROLE_MUTED);
}

/* Sets the dot (dx, dy) of the plot, dy counted from the top, for series k. */
static void dot(struct canvas *cv, const struct frame *f, long dx, long dy, int k)
{
	static const uint8_t braille[4][2] = {
	    {0x01, 0x08}, {0x02, 0x10}, {0x04, 0x20}, {0x40, 0x80}};
	struct dots *c;
	int sub;

	if (dx < 0 || dy < 0 || dx >= f->pw * f->sx || dy >= f->ph * f->sy)
		return;
	c = &cv->d[(dy / f->sy) * f->pw + dx / f->sx];
	cv->at[k * f->pw + dx / f->sx] = (int)(dy / f->sy);
	sub = (int)(dy % f->sy);
	if (f->sy == 8) {
		if (8 - sub > c->top)
			c->top = (uint8_t)(8 - sub);
	} else {
		c->bits |= braille[sub][dx % 2];
	}
	c->series = (int8_t)k;
}

/* Bresenham from (x0, y0) to (x1, y1) in dots. */
static void line(struct canvas *cv, const struct frame *f, long x0, long y0, long x1, long y1,
                 int k)
{
	long dx = labs(x1 - x0), dy = -labs(y1 - y0), err = dx + dy, e2;
	int stepx = x0 < x1 ? 1 : -1, stepy = y0 < y1 ? 1 : -1;

	for (;;) {
		dot(cv, f, x0, y0, k);
		if (x0 == x1 && y0 == y1)
			break;
		e2 = 2 * err;
		if (e2 >= dy) {
			err += dy;
			x0 += stepx;
		}
		if (e2 <= dx) {
			err += dx;
			y0 += stepy;
		}
	}
}

static void plot_series(struct canvas *cv, const struct frame *f, const struct chart_series *s,
                        int k)
{
	long W = f->pw * f->sx - 1, H = f->ph * f->sy - 1, px = 0, py = 0;
	size_t i;
	bool have = false;

	for (i = 0; i < s->n; i++) {
		double x = xval(s, i), y = s->y[i];
		long dx, dy;
		if (!point_ok(f->o, x, y))
			continue;
		dx = lround((x - f->xlo) / (f->xhi - f->xlo) * (double)W);
		dy = H - lround((yval(f, y) - f->ylo) / (f->yhi - f->ylo) * (double)H);
		if (have)
			line(cv, f, px, py, dx, dy, k);
		dot(cv, f, dx, dy, k);
		px = dx;
		py = dy;
		have = true;
	}
}

static void dots_to_grid(struct chart_grid *g, const struct frame *f, const struct dots *d)
{
	for (int r = 0; r < f->ph; r++) {
		for (int c = 0; c < f->pw; c++) {
			const struct dots *e = &d[r * f->pw + c];
			uint32_t cp;
			if (e->series < 0)
				continue;
			if (f->o->mode == CHART_BLOCK)
				cp = 0x2580 + e->top;
			else if (f->o->mode == CHART_ASCII)
				cp = (uint32_t)ascii_glyphs[e->series % CHART_MAX_SERIES];
			else
				cp = 0x2800 + e->bits;
			gset(g, f->py + r, f->px + c, cp,
			     (enum role)(ROLE_SERIES1 + e->series % 8));
		}
	}
}

/* Puts series k's letter on the cell its curve reaches in column c, or in one of the three
 * columns to the left when another letter is there already. Block mode always shows it. */
static void mark_at(struct chart_grid *g, const struct frame *f, const struct canvas *cv, int k,
                    int c)
{
	for (int i = 0; i < 4 && c - i >= 0; i++) {
		int r = cv->at[k * f->pw + c - i], cell;
		if (r < 0)
			continue;
		cell = (f->py + r) * g->w + f->px + c - i;
		if (g->mark[cell])
			continue;
		g->mark[cell] = series_letter(k);
		if (f->o->mode == CHART_BLOCK)
			gset(g, f->py + r, f->px + c - i, series_letter(k),
			     (enum role)(ROLE_SERIES1 + k % 8));
		return;
	}
}

/* The series' letters: at the end of each curve, then every gap columns back from it, staggered
 * so that curves ending in the same column are not marked in the same columns. */
static void place_marks(struct chart_grid *g, const struct frame *f, const struct canvas *cv,
                        int ns)
{
	int gap = f->pw / 3, k, c, last;

	gap = gap < 8 ? 8 : gap > MARK_GAP ? MARK_GAP : gap;
	for (k = 0; k < ns; k++) {
		for (last = f->pw - 1; last >= 0 && cv->at[k * f->pw + last] < 0; last--)
			;
		if (last < 0)
			continue;
		mark_at(g, f, cv, k, last);
		for (c = last - gap - k * gap / ns; c >= 0; c -= gap)
			mark_at(g, f, cv, k, c);
	}
}

/* The columns of a legend entry: its mark, then " name" cut to nmax (nmax < 2: the mark alone). */
static int entry_width(const struct chart_series *s, int nmax)
{
	int nw = s->name ? text_width(s->name) : 0;

	if (nmax < 2 || nw == 0)
		return 1;
	return 2 + (nw < nmax ? nw : nmax);
}

static int legend_width(const struct chart_series *s, int ns, int nmax)
{
	int total = 0;

	for (int k = 0; k < ns; k++)
		total += entry_width(&s[k], nmax) + (k ? 2 : 0);
	return total;
}

/* Title at the left of row 0, "━ name" entries at the right (ASCII: the series' glyph, block:
 * its letter; in braille the mark cell carries the letter), names shortened to fit, or left out
 * when even that does not fit. */
static void legend(struct chart_grid *g, const struct chart_series *s, int ns,
                   const struct chart_opts *o)
{
	int tw = o->title ? gput(g, 0, 0, o->title, g->w, ROLE_ACCENT) : 0;
	int avail = g->w - (tw ? tw + 2 : 0), nmax = g->w, total, k, c;
	char name[128];

	total = legend_width(s, ns, nmax);
	if (total > avail && ns > 0) {
		nmax = (avail - 2 * (ns - 1)) / ns - 2;
		total = legend_width(s, ns, nmax);
	}
	if (total > avail)
		return;
	for (k = 0, c = g->w - total; k < ns; k++) {
		enum role role = (enum role)(ROLE_SERIES1 + k % 8);
		char glyph[2] = {o->mode == CHART_ASCII ? ascii_glyphs[k % CHART_MAX_SERIES]
		                                        : (char)series_letter(k),
		                 '\0'};
		if (o->mode != CHART_ASCII && c >= 0 && c < g->w)
			g->mark[c] = series_letter(k);
		c += gput(g, 0, c, o->mode == CHART_BRAILLE ? "\xE2\x94\x81" : glyph, 1, role);
		if (entry_width(&s[k], nmax) > 1) {
			text_ellipsize(name, sizeof(name), s[k].name, nmax,
			               o->mode == CHART_ASCII ? TEXT_ELLIPSIS_TILDE
			                                      : TEXT_ELLIPSIS_UTF8);
			c += 1 + gput(g, 0, c + 1, name, nmax, role);
		}
		c += 2;
	}
}

static int grid_alloc(struct chart_grid *g, int w, int h)
{
	size_t n = (size_t)w * (size_t)h;

	if (g->w * g->h != (int)n || !g->cp || !g->mark) {
		uint32_t *cp = realloc(g->cp, n * sizeof(*cp)), *mark;
		unsigned char *role;
		if (!cp)
			return -1;
		g->cp = cp;
		mark = realloc(g->mark, n * sizeof(*mark));
		if (!mark)
			return -1;
		g->mark = mark;
		role = realloc(g->role, n);
		if (!role)
			return -1;
		g->role = role;
	}
	g->w = w;
	g->h = h;
	memset(g->cp, 0, n * sizeof(*g->cp));
	memset(g->mark, 0, n * sizeof(*g->mark));
	memset(g->role, ROLE_NORMAL, n);
	return 0;
}

/* Draws the series into the plot area of g. Returns 0 or -1 when out of memory. */
static int plot(struct chart_grid *g, const struct frame *f, const struct chart_series *s, int ns)
{
	struct canvas cv;
	size_t cells = (size_t)f->pw * (size_t)f->ph, i;
	int k, rc = -1;

	cv.d = malloc(sizeof(*cv.d) * cells);
	cv.at = malloc(sizeof(*cv.at) * (size_t)f->pw * (size_t)(ns ? ns : 1));
	if (!cv.d || !cv.at)
		goto out;
	for (i = 0; i < cells; i++)
		cv.d[i] = (struct dots){.series = -1};
	for (i = 0; i < (size_t)f->pw * (size_t)ns; i++)
		cv.at[i] = -1;
	for (k = 0; k < ns; k++)
		plot_series(&cv, f, &s[k], k);
	dots_to_grid(g, f, cv.d);
	if (f->o->mode != CHART_ASCII)
		place_marks(g, f, &cv, ns);
	rc = 0;
out:
	free(cv.d);
	free(cv.at);
	return rc;
}

int chart_render(struct chart_grid *g, int w, int h, const struct chart_series *s, int ns,
                 const struct chart_opts *o)
{
	struct frame f = {.o = o, .py = 1, .sx = 2, .sy = 4};
	bool any;

	if (grid_alloc(g, w > 0 ? w : 1, h > 0 ? h : 1) < 0)
		return -1;
	g->ascii = o->mode == CHART_ASCII;
	ns = ns < 0 ? 0 : ns > CHART_MAX_SERIES ? CHART_MAX_SERIES : ns;
	g->ns = ns;
	if (w < 12 || h < 4)
		return 0;
	any = bounds(&f, s, ns);
	if (f.xhi <= f.xlo) {
		f.xlo -= o->x_time || o->x_elapsed ? 60 : 1;
		f.xhi += o->x_time || o->x_elapsed ? 60 : 1;
	}
	f.ph = h - 3;
	y_ticks(&f, f.ph);
	f.px = f.lw + 2;
	f.pw = w - f.px;
	if (f.pw < 4)
		return 0;
	if (o->mode == CHART_BLOCK) {
		f.sx = 1;
		f.sy = 8;
	}
	legend(g, s, ns, o);
	draw_y_axis(g, &f);
	draw_x_axis(g, &f);
	if (!any) {
		gput(g, f.py + f.ph / 2, f.px + (f.pw - 7) / 2, "no data", f.pw, ROLE_MUTED);
		return 0;
	}
	return plot(g, &f, s, ns);
}

void chart_grid_fini(struct chart_grid *g)
{
	free(g->cp);
	free(g->mark);
	free(g->role);
	g->cp = NULL;
	g->mark = NULL;
	g->role = NULL;
	g->w = g->h = g->ns = 0;
}

/* UTF-8 of a code point into out (4 bytes room); returns the length. */
static size_t utf8(uint32_t cp, char *out)
{
	if (cp < 0x80) {
		out[0] = (char)cp;
		return 1;
	}
	if (cp < 0x800) {
		out[0] = (char)(0xC0 | cp >> 6);
		out[1] = (char)(0x80 | (cp & 0x3F));
		return 2;
	}
	if (cp < 0x10000) {
		out[0] = (char)(0xE0 | cp >> 12);
		out[1] = (char)(0x80 | ((cp >> 6) & 0x3F));
		out[2] = (char)(0x80 | (cp & 0x3F));
		return 3;
	}
	out[0] = (char)(0xF0 | cp >> 18);
	out[1] = (char)(0x80 | ((cp >> 12) & 0x3F));
	out[2] = (char)(0x80 | ((cp >> 6) & 0x3F));
	out[3] = (char)(0x80 | (cp & 0x3F));
	return 4;
}

/* Cells c0..c1 of row r as UTF-8, with marks the series' letters where they are set. */
static size_t run_utf8(const struct chart_grid *g, int r, int c0, int c1, bool marks, char *out)
{
	size_t n = 0;

	for (int c = c0; c < c1; c++) {
		uint32_t cp = g->cp[r * g->w + c];
		if (marks && g->mark[r * g->w + c])
			cp = g->mark[r * g->w + c];
		if (cp != CHART_CONT)
			n += utf8(cp ? cp : ' ', out + n);
	}
	return n;
}

char *chart_grid_text(const struct chart_grid *g, bool marks)
{
	char *out = malloc((size_t)g->w * (size_t)g->h * 4 + (size_t)g->h + 1);
	size_t len = 0;

	if (!out)
		return NULL;
	for (int r = 0; r < g->h; r++) {
		len += run_utf8(g, r, 0, g->w, marks, out + len);
		while (len > 0 && out[len - 1] == ' ')
			len--;
		out[len++] = '\n';
	}
	out[len] = '\0';
	return out;
}

bool chart_series_alike(const struct theme *theme, int ns)
{
	ns = ns > CHART_MAX_SERIES ? CHART_MAX_SERIES : ns;
	for (int k = 1; k < ns; k++)
		for (int j = 0; j < k; j++)
			if (theme_attr(theme, (enum role)(ROLE_SERIES1 + j)) ==
			    theme_attr(theme, (enum role)(ROLE_SERIES1 + k)))
				return true;
	return false;
}

void chart_draw(const struct chart_grid *g, WINDOW *win, int y, int x, const struct theme *th)
{
	char buf[4 * 512];
	bool marks = chart_series_alike(th, g->ns);
	int r, c, c1;

	for (r = 0; r < g->h; r++) {
		wmove(win, y + r, x);
		for (c = 0; c < g->w; c = c1) {
			unsigned char role = g->role[r * g->w + c];
			for (c1 = c + 1;
			     c1 < g->w && c1 - c < 512 && g->role[r * g->w + c1] == role; c1++)
				;
			cell_put(win, buf, run_utf8(g, r, c, c1, marks, buf),
			         theme_attr(th, (enum role)role));
		}
	}
	wattrset(win, (int)theme_attr(th, ROLE_NORMAL));
}

size_t chart_sparkline(char *out, size_t outsz, const double *v, size_t n, int width, bool ascii)
{
	size_t start = width > 0 && n > (size_t)width ? n - (size_t)width : 0;
	double lo = INFINITY, hi = -INFINITY;
	for (size_t i = start; i < n; i++) {
		if (isfinite(v[i])) {
			lo = fmin(lo, v[i]);
			hi = fmax(hi, v[i]);
		}
	}
	return chart_sparkline_scaled(out, outsz, v, n, width, lo, hi, ascii);
}

size_t chart_sparkline_scaled(char *out, size_t outsz, const double *v, size_t n, int width,
                              double lo, double hi, bool ascii)
{
	static const char ramp[] = " .:-=+*#";
	size_t start = width > 0 && n > (size_t)width ? n - (size_t)width : 0, i, len = 0;
	char ch[4];
	int lvl;

	if (!outsz)
		return 0;
	for (i = start; i < n && width > 0; i++) {
		if (!isfinite(v[i]))
			lvl = -1;
		else if (hi > lo)
			lvl = (int)fmax(0, fmin(7, lround((v[i] - lo) / (hi - lo) * 7)));
		else
			lvl = v[i] > 0 ? 3 : 0;
		size_t k = ascii ? 1 : 3;
		if (lvl < 0) {
			ch[0] = ' ';
			k = 1;
		} else if (ascii) {
			ch[0] = ramp[lvl];
		} else {
			utf8(0x2581 + (uint32_t)lvl, ch);
		}
		if (len + k >= outsz)
			break;
		memcpy(out + len, ch, k);
		len += k;
	}
	out[len] = '\0';
	return len;
}
