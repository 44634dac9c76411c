#include "panels/alerts_data.h"

#include <ctype.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static const char *label(const struct am_alert *a, const char *name)
{
	const char *v = kvlist_get(&a->labels, name);
	return v ? v : "";
}

static int sev_of(const char *s)
{
	if (!strcmp(s, "critical") || !strcmp(s, "crit") || !strcmp(s, "page"))
		return ALERTS_SEV_CRIT;
	if (!strcmp(s, "warning") || !strcmp(s, "warn"))
		return ALERTS_SEV_WARN;
	if (!strcmp(s, "info"))
		return ALERTS_SEV_INFO;
	return ALERTS_SEV_OTHER;
}

/* The alert's value as written (annotation first, then label), or "". */
static const char *raw_value(const struct am_alert *a)
{
	const char *v = kvlist_get(&a->annotations, "value");
	if (!v || !*v)
		v = kvlist_get(&a->labels, "value");
	return v ? v : "";
}

/* Whether s is a number and nothing else (its value into *out). */
static int numeric(const char *s, double *out)
{
	char *end;
	if (!*s)
		return 0;
	double v = strtod(s, &end);
	while (*end == ' ')
		end++;
	if (end == s || *end)
		return 0;
	*out = v;
	return 1;
}

/* "PSI 0.31" for a drift score, "0.7 s" with a unit annotation, else the value as sent. */
static void format_value(const struct am_alert *a, char *out, size_t n)
{
	const char *v = raw_value(a), *m = label(a, "drift_metric");
	const char *unit = kvlist_get(&a->annotations, "unit");
	double x;
	if (!unit || !*unit)
		unit = label(a, "unit");
	if (!numeric(v, &x)) {
		snprintf(out, n, "%s", v);
		return;
	}
	if (*m) {
		char up[16];
		size_t i = 0;
		for (; m[i] && i + 1 < sizeof up; i++)
			up[i] = (char)toupper((unsigned char)m[i]);
		up[i] = '\0';
		snprintf(out, n, "%s %s", up, v);
	} else {
		snprintf(out, n, "%s%s%s", v, *unit ? " " : "", unit);
	}
}

static void row_fill(struct alerts_row *r, const struct am_alert *a, const struct am_silences *sl)
{
	memset(r, 0, sizeof *r);
	r->a = a;
	r->severity = label(a, "severity");
	r->sev = sev_of(r->severity);
	r->name = label(a, "alertname");
	r->model = label(a, "model");
	r->version = label(a, "version");
	r->feature = label(a, "feature");
	format_value(a, r->value, sizeof r->value);
	r->silenced = a->silenced_by.n > 0;
	r->inhibited = a->inhibited_by.n > 0;
	for (size_t i = 0; sl && i < a->silenced_by.n && !r->sil; i++)
		r->sil = am_silences_find(sl, a->silenced_by.v[i]);
}

static int row_cmp(const void *x, const void *y)
{
	const struct alerts_row *a = x, *b = y;
	int c = strcmp(a->model, b->model);
	if (!c)
		c = strcmp(a->version, b->version);
	if (!c)
		c = a->sev - b->sev;
	if (!c)
		c = strcmp(a->name, b->name);
	if (!c)
		c = strcmp(a->feature, b->feature);
	if (!c)
		c = strcmp(a->a->fingerprint, b->a->fingerprint);
	return c;
}

static void mark_groups(struct alerts_view *v)
{
	for (size_t i = 0; i < v->n; i++)
		v->rows[i].group_start = i == 0 || strcmp(v->rows[i].model, v->rows[i - 1].model);
}

int alerts_data_build(struct alerts_view *v, const struct am_alerts *al,
                      const struct am_silences *sl)
{
	alerts_data_free(v);
	if (!al || !al->n)
		return 0;
	v->rows = calloc(al->n, sizeof *v->rows);
	if (!v->rows)
		return ERR_NOMEM;
	for (size_t i = 0; i < al->n; i++)
		row_fill(&v->rows[v->n++], &al->v[i], sl);
	qsort(v->rows, v->n, sizeof *v->rows, row_cmp);
	mark_groups(v);
	return 0;
}

void alerts_data_free(struct alerts_view *v)
{
	free(v->rows);
	v->rows = NULL;
	v->n = 0;
}

int alerts_data_firing_crit(const struct alerts_view *v)
{
	int n = 0;
	for (size_t i = 0; i < v->n; i++)
		n += v->rows[i].sev == ALERTS_SEV_CRIT && !v->rows[i].silenced &&
		     !v->rows[i].inhibited && v->rows[i].a->state != AM_STATE_UNPROCESSED;
	return n;
}

/* ---- the / filter ---- */

/* Appends s and the separator sep to the growing buffer *buf. 0 or ERR_NOMEM. */
static int hay_add(char **buf, size_t *len, size_t *cap, const char *s, char sep)
{
	size_t l = strlen(s);
	if (*len + l + 2 > *cap) {
		size_t c = (*len + l + 2) * 2;
		char *nb = realloc(*buf, c);
		if (!nb)
			return ERR_NOMEM;
		*buf = nb;
		*cap = c;
	}
	memcpy(*buf + *len, s, l);
	*len += l;
	(*buf)[(*len)++] = sep;
	(*buf)[*len] = '\0';
	return 0;
}

/* What the filter sees of a row: the columns, the summary, then every label as name=value,
 * tab-separated. */
static int row_haystack(const struct alerts_row *r, char **buf, size_t *len, size_t *cap)
{
	const char *cols[] = {r->name, r->model, r->version, r->feature, r->value, r->severity};
	const char *sum = kvlist_get(&r->a->annotations, "summary");
	int rc = 0;
	*len = 0;
	for (size_t i = 0; i < sizeof cols / sizeof cols[0] && !rc; i++)
		rc = hay_add(buf, len, cap, cols[i], '\t');
	if (!rc && sum)
		rc = hay_add(buf, len, cap, sum, '\t');
	for (size_t i = 0; i < r->a->labels.n && !rc; i++) {
		rc = hay_add(buf, len, cap, r->a->labels.v[i].name, '=');
		if (!rc)
			rc = hay_add(buf, len, cap, r->a->labels.v[i].value, '\t');
	}
	return rc;
}

int alerts_data_filter(struct alerts_view *out, const struct alerts_view *all,
                       const struct filter *f)
{
	char *hay = NULL;
	size_t len = 0, cap = 0;
	int rc = 0;
	alerts_data_free(out);
	if (!all->n)
		return 0;
	out->rows = malloc(all->n * sizeof *out->rows);
	if (!out->rows)
		return ERR_NOMEM;
	for (size_t i = 0; i < all->n && !rc; i++) {
		int hit = !f || filter_all(f);
		if (!hit && !(rc = row_haystack(&all->rows[i], &hay, &len, &cap)))
			hit = filter_match(f, hay, len);
		if (hit)
			out->rows[out->n++] = all->rows[i];
	}
	free(hay);
	mark_groups(out);
	return rc;
}

/* ---- drift ---- */

static long find(char **v, size_t n, const char *s)
{
	for (size_t i = 0; i < n; i++)
		if (!strcmp(v[i], s))
			return (long)i;
	return -1;
}

/* Grows the table by a row or a column; the scores move to their new places. */
static int drift_grow(struct alerts_drift *d, size_t nr, size_t nf)
{
	size_t cells = nr * nf;
	double *s = malloc((cells > 0 ? cells : 1) * sizeof *s);
	if (!s)
		return ERR_NOMEM;
	for (size_t i = 0; i < nr * nf; i++)
		s[i] = NAN;
	for (size_t r = 0; r < d->nr; r++)
		for (size_t f = 0; f < d->nf; f++)
			s[r * nf + f] = d->score[r * d->nf + f];
	free(d->score);
	d->score = s;
	return 0;
}

static long drift_index(char ***v, size_t *n, const char *key, struct alerts_drift *d, int row)
{
	long i = find(*v, *n, key);
	if (i >= 0)
		return i;
	char **nv = realloc(*v, (*n + 1) * sizeof **v);
	if (!nv)
		return ERR_NOMEM;
	*v = nv;
	if (!(nv[*n] = strdup(key)))
		return ERR_NOMEM;
	if (drift_grow(d, d->nr + (row ? 1 : 0), d->nf + (row ? 0 : 1)) < 0) {
		free(nv[*n]);
		return ERR_NOMEM;
	}
	return (long)(*n)++;
}

int alerts_drift_add(struct alerts_drift *d, const char *model, const char *version,
                     const char *feature, double score)
{
	char key[512];
	snprintf(key, sizeof key, "%s\t%s", model, version);
	long r = drift_index(&d->rkey, &d->nr, key, d, 1);
	if (r < 0)
		return (int)r;
	long f = drift_index(&d->feat, &d->nf, feature, d, 0);
	if (f < 0)
		return (int)f;
	double *cell = &d->score[(size_t)r * d->nf + (size_t)f];
	if (isnan(*cell) ||
	    alerts_drift_heat(d->metric, score) >= alerts_drift_heat(d->metric, *cell))
		*cell = score;
	return 0;
}

struct drift_col {
	char *name;
	int heat; /* the worst of the column */
	size_t old;
};

static int col_cmp(const void *a, const void *b)
{
	const struct drift_col *x = a, *y = b;
	return x->heat != y->heat ? y->heat - x->heat : strcmp(x->name, y->name);
}

int alerts_drift_sort(struct alerts_drift *d)
{
	size_t cells = d->nr * d->nf;
	struct drift_col *c = malloc((d->nf ? d->nf : 1) * sizeof *c);
	double *s = malloc((cells > 0 ? cells : 1) * sizeof *s);
	if (!c || !s) {
		free(c);
		free(s);
		return ERR_NOMEM;
	}
	for (size_t f = 0; f < d->nf; f++) {
		c[f] = (struct drift_col){d->feat[f], 0, f};
		for (size_t r = 0; r < d->nr; r++) {
			int h = alerts_drift_heat(d->metric, d->score[r * d->nf + f]);
			c[f].heat = h > c[f].heat ? h : c[f].heat;
		}
	}
	qsort(c, d->nf, sizeof *c, col_cmp);
	for (size_t f = 0; f < d->nf; f++) {
		d->feat[f] = c[f].name;
		for (size_t r = 0; r < d->nr; r++)
			s[r * d->nf + f] = d->score[r * d->nf + c[f].old];
	}
	free(d->score);
	d->score = s;
	free(c);
	return 0;
}

int alerts_drift_from_alerts(struct alerts_drift *d, const struct alerts_view *v)
{
	for (size_t i = 0; i < v->n; i++) {
		const struct alerts_row *r = &v->rows[i];
		double x;
		if (!*r->feature || !numeric(raw_value(r->a), &x) || !isfinite(x))
			continue;
		if (!d->metric[0])
			snprintf(d->metric, sizeof d->metric, "%s", label(r->a, "drift_metric"));
		if (alerts_drift_add(d, r->model, r->version, r->feature, x) < 0)
			return ERR_NOMEM;
	}
	return alerts_drift_sort(d);
}

void alerts_drift_free(struct alerts_drift *d)
{
	for (size_t i = 0; i < d->nr; i++)
		free(d->rkey[i]);
	for (size_t i = 0; i < d->nf; i++)
		free(d->feat[i]);
	free(d->rkey);
	free(d->feat);
	free(d->score);
	memset(d, 0, sizeof *d);
}

int alerts_drift_heat(const char *metric, double score)
{
	if (!isfinite(score))
		return 0;
	if (!strcmp(metric, "ks") || !strcmp(metric, "chisquare") || !strcmp(metric, "pvalue"))
		return score < 0.01 ? 2 : score < 0.05 ? 1 : 0;
	if (!strcmp(metric, "psi") || !*metric)
		return score >= 0.25 ? 2 : score >= 0.1 ? 1 : 0;
	return score >= 0.2 ? 2 : score >= 0.1 ? 1 : 0; /* distances */
}

int64_t alerts_parse_duration(const char *s)
{
	int64_t total = 0;
	while (*s == ' ')
		s++;
	if (!*s)
		return 3600 * 1000LL;
	while (*s) {
		char *end;
		double v = strtod(s, &end);
		if (end == s || v < 0 || v > 1e6)
			return -1;
		int64_t unit = *end == 's'   ? 1000
		               : *end == 'm' ? 60000
		               : *end == 'h' ? 3600000
		               : *end == 'd' ? 86400000
		               : *end == 'w' ? 7 * 86400000LL
		                             : 0;
		if (!unit)
			return -1;
		total += (int64_t)(v * (double)unit);
		s = end + 1;
		while (*s == ' ')
			s++;
	}
	return total > 0 ? total : -1;
}
