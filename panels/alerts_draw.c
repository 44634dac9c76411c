#include "panels/alerts_draw.h"

#include <math.h>
#include <stdio.h>
#include <string.h>
#include <time.h>

#include "tui/widgets/cell.h"
#include "tui/widgets/text.h"

/* Column widths of the alerts table at a width: SEV ALERT MODEL VER FEATURE VALUE SINCE, and
 * the rest of the line says who silenced the alert. */
enum { C_SEV, C_NAME, C_MODEL, C_VER, C_FEAT, C_VALUE, C_SINCE, NCOLS };

static const char *const heads[NCOLS] = {"SEV",     "ALERT", "MODEL", "VER",
                                         "FEATURE", "VALUE", "SINCE"};

static void widths(int cols, int *wd)
{
	static const int wide[NCOLS] = {5, 20, 18, 4, 14, 12, 6};
	static const int narrow[NCOLS] = {4, 17, 15, 3, 11, 9, 5};
	memcpy(wd, cols >= 100 ? wide : narrow, sizeof wide);
}

static enum text_ellipsis ell(int utf8)
{
	return utf8 ? TEXT_ELLIPSIS_UTF8 : TEXT_ELLIPSIS_TILDE;
}

/* Draws s sanitized, clipped and padded to width columns at (y, x) in role r; returns the next
 * column (one space after). */
static int cell(WINDOW *w, int y, int x, int width, attr_t at, const char *s, int utf8)
{
	char clean[512], out[1024];
	int maxx = getmaxx(w);
	if (x >= maxx || width <= 0)
		return x;
	if (x + width > maxx)
		width = maxx - x;
	text_sanitize(s, strlen(s), clean, sizeof clean);
	text_pad(out, sizeof out, clean, width, TEXT_LEFT, ell(utf8));
	wattrset(w, at);
	mvwaddstr(w, y, x, out);
	wattrset(w, A_NORMAL);
	return x + width + 1;
}

/* A cell of an alert's row: as cell(), with the matches of the / filter in hl. */
static int row_cell(WINDOW *w, int y, int x, int width, attr_t at, attr_t hl, const char *s,
                    const struct alerts_draw_in *in)
{
	char clean[512];
	struct filter_span sp[16];
	int maxx = getmaxx(w), n = 0;
	if (in->filter) {
		text_sanitize(s, strlen(s), clean, sizeof clean);
		n = filter_spans(in->filter, clean, strlen(clean), sp, 16);
	}
	if (!n || x >= maxx || width <= 0)
		return cell(w, y, x, width, at, s, in->utf8);
	if (x + width > maxx)
		width = maxx - x;
	cell_fill(w, y, x, width, at);
	cell_draw(w, y, x, width, clean, TEXT_LEFT, ell(in->utf8), at, hl, sp, n);
	wattrset(w, A_NORMAL);
	return x + width + 1;
}

static enum role sev_role(int sev)
{
	return sev == ALERTS_SEV_CRIT   ? ROLE_CRIT
	       : sev == ALERTS_SEV_WARN ? ROLE_WARN
	                                : ROLE_NORMAL;
}

static const char *sev_text(const struct alerts_row *r)
{
	static const char *const names[] = {"crit", "warn", "info"};
	return r->sev < ALERTS_SEV_OTHER ? names[r->sev] : r->severity;
}

static void alerts_draw_until(char *out, size_t n, int64_t until_ms, int64_t now_ms)
{
	time_t u = (time_t)(until_ms / 1000), now = (time_t)(now_ms / 1000);
	struct tm tu, tn;
	gmtime_r(&u, &tu);
	gmtime_r(&now, &tn);
	if (tu.tm_yday == tn.tm_yday && tu.tm_year == tn.tm_year)
		strftime(out, n, "%H:%M", &tu);
	else
		strftime(out, n, "%d %b %H:%M", &tu);
}

/* What follows a muted row: "silenced by ops@bastion until 14:00", "inhibited". */
static void muted_text(const struct alerts_row *r, int64_t now, char *out, size_t n)
{
	char until[32];
	if (r->silenced && r->sil) {
		alerts_draw_until(until, sizeof until, r->sil->ends_ms, now);
		snprintf(out, n, "silenced by %s until %s", r->sil->created_by, until);
	} else if (r->silenced) {
		snprintf(out, n, "silenced");
	} else if (r->inhibited) {
		snprintf(out, n, "inhibited");
	} else {
		out[0] = '\0';
	}
}

static void draw_row(WINDOW *w, int y, const struct theme *t, const struct alerts_row *r,
                     int selected, const struct alerts_draw_in *in)
{
	int wd[NCOLS], x = 1;
	char since[32], muted[512], ver[80];
	widths(getmaxx(w), wd);
	int mute = r->silenced || r->inhibited;
	attr_t base = theme_attr(t, selected ? ROLE_SELECTED : mute ? ROLE_MUTED : ROLE_NORMAL);
	if (selected && mute)
		base |= theme_attr(t, ROLE_MUTED) & A_DIM; /* the cursor on a muted row stays dim */
	attr_t sev = selected || mute ? base : theme_attr(t, sev_role(r->sev));
	if (selected) {
		wattrset(w, base);
		mvwhline(w, y, 0, ' ', getmaxx(w));
	}
	text_age(since, sizeof since, r->a->starts_ms > 0 ? in->now_ms - r->a->starts_ms : 0);
	snprintf(ver, sizeof ver, "%s", r->version);
	attr_t hl = theme_attr(t, ROLE_MATCH);
	x = cell(w, y, x, wd[C_SEV], sev, sev_text(r), in->utf8);
	x = row_cell(w, y, x, wd[C_NAME], base, hl, r->name, in);
	x = row_cell(w, y, x, wd[C_MODEL], base, hl, r->model, in);
	x = row_cell(w, y, x, wd[C_VER], base, hl, ver, in);
	x = row_cell(w, y, x, wd[C_FEAT], base, hl, r->feature, in);
	x = row_cell(w, y, x, wd[C_VALUE], base, hl, r->value, in);
	x = cell(w, y, x, wd[C_SINCE], base, r->a->starts_ms > 0 ? since : "", in->utf8);
	muted_text(r, in->now_ms, muted, sizeof muted);
	if (muted[0])
		cell(w, y, x + 1, getmaxx(w) - x - 1, base, muted, in->utf8);
}

void alerts_draw_list(WINDOW *w, int y, int h, const struct theme *t,
                      const struct alerts_draw_in *in)
{
	int wd[NCOLS], x = 1;
	if (h <= 0)
		return;
	widths(getmaxx(w), wd);
	for (int c = 0; c < NCOLS; c++)
		x = cell(w, y, x, wd[c], theme_attr(t, ROLE_COLHEAD), heads[c], in->utf8);
	for (size_t i = in->top; i < in->v->n && (int)(i - in->top) < h - 1; i++)
		draw_row(w, y + 1 + (int)(i - in->top), t, &in->v->rows[i], i == in->cur, in);
}

/* ---- drift ---- */

#define DRIFT_LABEL_W 24
#define DRIFT_COL_W   14

int alerts_draw_drift_height(const struct alerts_drift *d, int max)
{
	int h = d->nr ? (int)d->nr + 1 : 0;
	return h > max ? max : h;
}

static void drift_head(WINDOW *w, int y, const struct theme *t, const struct alerts_drift *d,
                       int utf8)
{
	char head[64], up[16];
	size_t i = 0;
	for (; d->metric[i] && i + 1 < sizeof up; i++)
		up[i] = (char)(d->metric[i] >= 'a' && d->metric[i] <= 'z' ? d->metric[i] - 32
		                                                          : d->metric[i]);
	up[i] = '\0';
	snprintf(head, sizeof head, "DRIFT %s%s", up[0] ? up : "SCORE",
	         d->from_prom ? "" : " (alerts)");
	attr_t at = theme_attr(t, ROLE_COLHEAD);
	int x = cell(w, y, 1, DRIFT_LABEL_W, at, head, utf8);
	for (size_t f = 0; f < d->nf; f++)
		x = cell(w, y, x, DRIFT_COL_W, at, d->feat[f], utf8);
}

static void drift_row(WINDOW *w, int y, const struct theme *t, const struct alerts_drift *d,
                      size_t r, int utf8)
{
	char label[512], text[64];
	snprintf(label, sizeof label, "%s", d->rkey[r]);
	char *tab = strchr(label, '\t');
	if (tab)
		*tab = ' ';
	int x = cell(w, y, 1, DRIFT_LABEL_W, theme_attr(t, ROLE_NORMAL), label, utf8);
	for (size_t f = 0; f < d->nf; f++) {
		double v = d->score[r * d->nf + f];
		int heat = alerts_drift_heat(d->metric, v);
		const char *bar = heat == 2   ? (utf8 ? "███" : "###")
		                  : heat == 1 ? (utf8 ? "██" : "##")
		                              : "";
		if (isnan(v))
			snprintf(text, sizeof text, "·");
		else
			snprintf(text, sizeof text, "%.2f %s", v, bar);
		enum role role = heat == 2 ? ROLE_CRIT : heat == 1 ? ROLE_WARN : ROLE_NORMAL;
		x = cell(w, y, x, DRIFT_COL_W, theme_attr(t, isnan(v) ? ROLE_MUTED : role),
		         isnan(v) && !utf8 ? "-" : text, utf8);
	}
}

void alerts_draw_drift(WINDOW *w, int y, int h, const struct theme *t, const struct alerts_drift *d,
                       int utf8)
{
	if (h <= 0 || !d->nr)
		return;
	drift_head(w, y, t, d, utf8);
	for (size_t r = 0; r < d->nr && (int)r < h - 1; r++)
		drift_row(w, y + 1 + (int)r, t, d, r, utf8);
}
