#include "panels/samples_group.h"

#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "panels/notice.h"
#include "tui/widgets/text.h"

#define GROUP_DISTINCT_MIN 6 /* fewer distinct numbers than this: grouped by value */
#define GROUP_RANGES       4
#define GROUP_BAR          20

/* The value of a field of x ("model", "version", "prediction", "label", "error", "score" or an
 * input field) into buf, or NULL when x has no such field. */
static const char *samples_group_value(const struct sample *x, const char *field, char *buf,
                                       size_t n)
{
	if (x->bad)
		return NULL;
	if (strcmp(field, "model") == 0)
		return x->model;
	if (strcmp(field, "version") == 0)
		return x->version;
	if (strcmp(field, "prediction") == 0)
		return x->prediction;
	if (strcmp(field, "label") == 0)
		return x->label;
	if (strcmp(field, "error") == 0)
		return x->error;
	if (strcmp(field, "score") == 0) {
		if (!x->has_score || isnan(x->score))
			return NULL;
		snprintf(buf, n, "%.6g", x->score);
		return buf;
	}
	return kvlist_get(&x->features, field);
}

static int group_number(const char *s, double *v)
{
	char *end;
	if (!s || !*s)
		return 0;
	*v = strtod(s, &end);
	return *end == '\0' && isfinite(*v);
}

/* ---- which versions: the two with the most samples ---- */

struct group_count {
	const char *key;
	size_t count[2];
	size_t total;
};

static int group_cmp_key(const void *a, const void *b)
{
	return strcmp(((const struct group_count *)a)->key, ((const struct group_count *)b)->key);
}

static int group_cmp_total(const void *a, const void *b)
{
	const struct group_count *x = a, *y = b;
	if (x->total != y->total)
		return x->total < y->total ? 1 : -1;
	return strcmp(y->key, x->key); /* the later name first: v5 before v3 */
}

/* Sorts the n keys of c, merges equal ones (counts added), then orders by total. */
static size_t group_merge(struct group_count *c, size_t n)
{
	size_t m = 0;
	qsort(c, n, sizeof *c, group_cmp_key);
	for (size_t i = 0; i < n; i++) {
		if (m && strcmp(c[m - 1].key, c[i].key) == 0) {
			c[m - 1].count[0] += c[i].count[0];
			c[m - 1].count[1] += c[i].count[1];
			c[m - 1].total += c[i].total;
		} else {
			c[m++] = c[i];
		}
	}
	qsort(c, m, sizeof *c, group_cmp_total);
	return m;
}

/* 1 when every sample (bad lines aside) is of the same model: only then are its versions put
 * side by side. */
static int group_one_model(const struct sample *const *v, size_t n)
{
	const char *model = NULL;
	for (size_t i = 0; i < n; i++) {
		if (v[i]->bad)
			continue;
		if (model && strcmp(model, v[i]->model) != 0)
			return 0;
		model = v[i]->model;
	}
	return 1;
}

static int group_versions(struct samples_group *g, const struct sample *const *v, size_t n,
                          const char *raw[2])
{
	struct group_count *c = calloc(n ? n : 1, sizeof *c);
	size_t k = 0;
	if (!c)
		return -1;
	for (size_t i = 0; i < n; i++)
		if (!v[i]->bad)
			c[k++] = (struct group_count){v[i]->version, {0, 0}, 1};
	size_t m = group_merge(c, k);
	g->split = m >= 2 && group_one_model(v, n);
	for (int j = 0; j < 2 && g->split; j++) {
		raw[j] = c[j].key;
		text_sanitize(c[j].key, strlen(c[j].key), g->version[j], sizeof g->version[j]);
	}
	free(c);
	return 0;
}

/* The column of a sample: 0 or 1 when split (-1: a third version), else 0. */
static int group_col(const struct samples_group *g, const struct sample *x, const char *raw[2])
{
	if (!g->split)
		return 0;
	return strcmp(x->version, raw[0]) == 0 ? 0 : strcmp(x->version, raw[1]) == 0 ? 1 : -1;
}

/* ---- numbers: a few ranges of a round width ---- */

static double group_step(double lo, double hi)
{
	double raw = (hi - lo) / GROUP_RANGES, mag = pow(10, floor(log10(raw)));
	double f = raw / mag;
	return (f <= 1 ? 1 : f <= 2 ? 2 : f <= 2.5 ? 2.5 : f <= 5 ? 5 : 10) * mag;
}

static void group_range_label(char *out, size_t n, double a, double b)
{
	char x[32], y[32];
	snprintf(x, sizeof x, "%.6g", a);
	snprintf(y, sizeof y, "%.6g", b);
	snprintf(out, n, "%s–%s", x, y);
}

struct group_scan {
	double lo, hi;
	size_t numbers, present, distinct_seen;
	double seen[GROUP_DISTINCT_MIN];
};

static void group_scan_one(struct group_scan *s, double d)
{
	s->lo = s->numbers ? fmin(s->lo, d) : d;
	s->hi = s->numbers ? fmax(s->hi, d) : d;
	s->numbers++;
	for (size_t k = 0; k < s->distinct_seen; k++)
		if (s->seen[k] == d)
			return;
	if (s->distinct_seen < GROUP_DISTINCT_MIN)
		s->seen[s->distinct_seen++] = d;
}

static int group_is_numeric(const struct sample *const *v, size_t n, const char *field,
                            struct group_scan *s)
{
	char buf[64];
	memset(s, 0, sizeof *s);
	for (size_t i = 0; i < n; i++) {
		const char *val = samples_group_value(v[i], field, buf, sizeof buf);
		double d;
		if (!val || !*val)
			continue;
		s->present++;
		if (!group_number(val, &d))
			return 0;
		group_scan_one(s, d);
	}
	return s->numbers > 0 && s->distinct_seen >= GROUP_DISTINCT_MIN && s->hi > s->lo;
}

static void group_numeric(struct samples_group *g, const struct sample *const *v, size_t n,
                          const char *field, const struct group_scan *s, const char *raw[2])
{
	double step = group_step(s->lo, s->hi), start = floor(s->lo / step) * step;
	int nb = (int)floor((s->hi - start) / step) + 1;
	nb = nb > SAMPLES_GROUP_ROWS ? SAMPLES_GROUP_ROWS : nb;
	for (int b = 0; b < nb; b++)
		group_range_label(g->rows[b].label, sizeof g->rows[b].label, start + b * step,
		                  start + (b + 1) * step);
	snprintf(g->rows[nb].label, sizeof g->rows[nb].label, "(absent)");
	char buf[64];
	for (size_t i = 0; i < n; i++) {
		int c = group_col(g, v[i], raw);
		double d;
		if (c < 0 || v[i]->bad)
			continue;
		int b = nb;
		if (group_number(samples_group_value(v[i], field, buf, sizeof buf), &d)) {
			b = (int)floor((d - start) / step);
			b = b < 0 ? 0 : b >= nb ? nb - 1 : b;
		}
		g->rows[b].count[c]++;
		g->total[c]++;
	}
	g->nrows = nb + (g->rows[nb].count[0] + g->rows[nb].count[1] > 0);
}

/* ---- anything else: by value ---- */

static int group_values(struct samples_group *g, const struct sample *const *v, size_t n,
                        const char *field, const char *raw[2])
{
	struct group_count *c = calloc(n ? n : 1, sizeof *c);
	char **own = calloc(n ? n : 1, sizeof *own);
	size_t k = 0, m;
	int rc = -1;
	if (!c || !own)
		goto out;
	for (size_t i = 0; i < n; i++) {
		char buf[64];
		int col = group_col(g, v[i], raw);
		if (col < 0 || v[i]->bad)
			continue;
		const char *val = samples_group_value(v[i], field, buf, sizeof buf);
		if (val == buf && !(val = own[i] = strdup(buf)))
			goto out;
		c[k] = (struct group_count){val ? val : "\x01", {0, 0}, 1};
		c[k++].count[col] = 1;
	}
	m = group_merge(c, k);
	for (size_t i = 0; i < m; i++) {
		int r = i < SAMPLES_GROUP_ROWS ? (int)i : SAMPLES_GROUP_ROWS;
		struct samples_group_row *row = &g->rows[r];
		if (r == SAMPLES_GROUP_ROWS)
			snprintf(row->label, sizeof row->label, "(%zu other values)", m - i);
		else if (strcmp(c[i].key, "\x01") == 0)
			snprintf(row->label, sizeof row->label, "(absent)");
		else
			text_sanitize(c[i].key, strlen(c[i].key), row->label, sizeof row->label);
		row->count[0] += c[i].count[0];
		row->count[1] += c[i].count[1];
		g->total[0] += c[i].count[0];
		g->total[1] += c[i].count[1];
		g->nrows = r + 1;
	}
	rc = 0;
out:
	for (size_t i = 0; own && i < n; i++)
		free(own[i]);
	free(own);
	free(c);
	return rc;
}

int samples_group_build(struct samples_group *g, const struct sample *const *v, size_t n,
                        const char *field)
{
	memset(g, 0, sizeof *g);
	text_sanitize(field, strlen(field), g->field, sizeof g->field);
	const char *raw[2] = {"", ""};
	if (group_versions(g, v, n, raw) < 0)
		return -1;
	struct group_scan s;
	g->numeric = group_is_numeric(v, n, field, &s);
	if (g->numeric) {
		group_numeric(g, v, n, field, &s, raw);
		return 0;
	}
	return group_values(g, v, n, field, raw);
}

/* ---- drawing ---- */

/* The row with the largest share in column c. */
static int group_peak(const struct samples_group *g, int c)
{
	int best = -1;
	for (int r = 0; r < g->nrows; r++)
		if (g->rows[r].count[c] &&
		    (best < 0 || g->rows[r].count[c] > g->rows[best].count[c]))
			best = r;
	return best;
}

static void group_cell(WINDOW *w, int y, int x, int bar, const struct samples_group *g, int r,
                       int c, int utf8, const struct theme *t)
{
	size_t total = g->total[c], k = g->rows[r].count[c];
	double share = total ? (double)k / (double)total : 0;
	int len = (int)lround(share * bar);
	char count[32], cell[256];
	size_t at;
	text_thousands(count, sizeof count, (long long)k);
	at = (size_t)snprintf(cell, sizeof cell, "%3.0f %% %7s ", share * 100, count);
	for (int i = 0; i < len && at + 4 < sizeof cell; i++)
		at += (size_t)snprintf(cell + at, sizeof cell - at, "%s", utf8 ? "█" : "#");
	notice_line(w, y, x, t, r == group_peak(g, c) ? ROLE_CRIT : ROLE_NORMAL, cell);
}

void samples_group_draw(const struct samples_group *g, WINDOW *w, int utf8, const struct theme *t)
{
	int cols = g->split ? 2 : 1, width = getmaxx(w), lw = width / 4 < 28 ? width / 4 : 28;
	int cw = (width - 2 - lw) / cols, bar = cw - 18;
	bar = bar > GROUP_BAR ? GROUP_BAR : bar < 4 ? 4 : bar;
	cw = 18 + bar;
	char title[256], head[128], count[32];
	snprintf(title, sizeof title, "failed samples by %s%s", g->field,
	         g->numeric ? " (ranges)" : "");
	notice_line(w, 0, 1, t, ROLE_ACCENT, title);
	for (int c = 0; c < cols; c++) {
		text_thousands(count, sizeof count, (long long)g->total[c]);
		snprintf(head, sizeof head, "%s%s(%s)", g->split ? g->version[c] : "",
		         g->split ? " " : "all versions ", count);
		notice_line(w, 1, 1 + lw + c * cw, t, ROLE_COLHEAD, head);
	}
	for (int r = 0; r < g->nrows && r + 2 < getmaxy(w); r++) {
		char label[SAMPLES_GROUP_LABEL + 8];
		text_ellipsize(label, sizeof label, g->rows[r].label, lw - 1,
		               utf8 ? TEXT_ELLIPSIS_UTF8 : TEXT_ELLIPSIS_TILDE);
		notice_line(w, r + 2, 1, t, ROLE_NORMAL, label);
		for (int c = 0; c < cols; c++)
			group_cell(w, r + 2, 1 + lw + c * cw, bar, g, r, c, utf8, t);
	}
	if (g->nrows == 0)
		notice_line(w, 2, 1, t, ROLE_MUTED, "no sample carries this field");
}

/* ---- the field picker ---- */

static int pick_has(const struct samples_group_pick *p, const char *name)
{
	for (int i = 0; i < p->n; i++)
		if (strcmp(p->names[i], name) == 0)
			return 1;
	return 0;
}

static void pick_add(struct samples_group_pick *p, const char *name)
{
	if (p->n < SAMPLES_GROUP_FIELDS && strlen(name) < SAMPLES_GROUP_LABEL && !pick_has(p, name))
		snprintf(p->names[p->n++], SAMPLES_GROUP_LABEL, "%s", name);
}

int samples_group_pick_open(struct samples_group_pick *p, const struct sample *const *v, size_t n)
{
	static const char *const fixed[] = {"version", "model", "prediction",
	                                    "label",   "error", "score"};
	memset(p, 0, sizeof *p);
	for (size_t i = 0; i < n && i < 1000; i++) /* the input fields of the first samples */
		for (size_t k = 0; !v[i]->bad && k < v[i]->features.n; k++)
			pick_add(p, v[i]->features.v[k].name);
	for (size_t i = 0; i < sizeof fixed / sizeof fixed[0]; i++)
		pick_add(p, fixed[i]);
	p->active = p->n > 0;
	return p->n;
}

int samples_group_pick_key(struct samples_group_pick *p, int key, const char **field)
{
	switch (panel_key_is_enter(key) ? '\n' : key) {
	case 'j':
	case KEY_DOWN:
		p->cur += p->cur + 1 < p->n;
		return 0;
	case 'k':
	case KEY_UP:
		p->cur -= p->cur > 0;
		return 0;
	case '\n':
		p->active = 0;
		*field = p->names[p->cur];
		return 1;
	case PANEL_KEY_ESC:
	case 'q':
		p->active = 0;
		return -1;
	default:
		return 0;
	}
}

void samples_group_pick_draw(const struct samples_group_pick *p, WINDOW *w, const struct theme *t)
{
	int h = getmaxy(w), top = p->cur >= h - 2 ? p->cur - (h - 3) : 0;
	notice_line(w, 0, 1, t, ROLE_ACCENT,
	            "group the filtered samples by (Enter picks, Esc back)");
	for (int i = top; i < p->n && i - top + 1 < h; i++) {
		char line[SAMPLES_GROUP_LABEL * 4 + 4];
		char clean[SAMPLES_GROUP_LABEL * 4];
		text_sanitize(p->names[i], strlen(p->names[i]), clean, sizeof clean);
		snprintf(line, sizeof line, "%s %s", i == p->cur ? ">" : " ", clean);
		notice_line(w, i - top + 1, 1, t, i == p->cur ? ROLE_SELECTED : ROLE_NORMAL, line);
	}
}
