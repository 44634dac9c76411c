#include "clients/prom_req.h"

#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "clients/config.h"
#include "clients/err.h"
#include "clients/http.h"

int prom_req_build(const char *base, const char *query, int range, double start_s, double end_s,
                   double step_s, struct prom_http *out)
{
	*out = (struct prom_http){0};
	char *esc = http_escape(query);
	if (!esc)
		return ERR_NOMEM;
	char times[128] = "";
	if (range)
		snprintf(times, sizeof times, "&start=%.3f&end=%.3f&step=%g", start_s, end_s,
		         step_s);
	size_t n = strlen(esc) + strlen(times) + 8;
	char *params = malloc(n);
	int post = strlen(esc) > PROM_GET_MAX;
	const char *path = range ? "/api/v1/query_range" : "/api/v1/query";
	size_t un = strlen(base) + strlen(path) + (post ? 0 : n) + 2;
	out->url = params ? malloc(un) : NULL;
	if (!out->url) {
		free(esc);
		free(params);
		return ERR_NOMEM;
	}
	snprintf(params, n, "query=%s%s", esc, times);
	snprintf(out->url, un, "%s%s%s%s", base, path, post ? "" : "?", post ? "" : params);
	free(esc);
	if (post)
		out->form = params;
	else
		free(params);
	return 0;
}

void prom_http_fini(struct prom_http *h)
{
	free(h->url);
	free(h->form);
	*h = (struct prom_http){0};
}

const char *prom_req_key(int range, enum prom_fig f)
{
	static const char *const keys[2][PROM_NFIG] = {
	    {"query/rps", "query/error_ratio", "query/p50", "query/p95", "query/p99",
	     "query/drift"},
	    {"range/rps", "range/error_ratio", "range/p50", "range/p95", "range/p99",
	     "range/drift"},
	};
	return (unsigned)f < PROM_NFIG ? keys[range != 0][f] : "";
}

int prom_req_queries(const struct config *cfg, const char *namespace, char *out[PROM_NFIG])
{
	struct config_query_vars v = {
	    .namespace = namespace,
	    .window = config_query(cfg, "window"),
	    .model_label = config_query(cfg, "model_label"),
	    .version_label = config_query(cfg, "version_label"),
	};
	int rc = 0;
	for (int f = 0; f < PROM_NFIG; f++)
		if (!(out[f] = config_query_fill(config_query(cfg, prom_fig_name(f)), &v)))
			rc = ERR_NOMEM;
	return rc;
}

/* Combines v into a figure that already has one (a second series of the row). */
static double prom_merge(double old, double v)
{
	if (isnan(old))
		return v;
	return isnan(v) || old >= v ? old : v;
}

static int prom_pt_cmp(const void *x, const void *y)
{
	const struct prom_pt *a = x, *b = y;
	return a->ts_ms < b->ts_ms ? -1 : a->ts_ms > b->ts_ms;
}

/* Appends a series' samples to the row's sparkline; sorted and merged afterwards. */
static int prom_req_points(struct prom_table *t, enum prom_fig f, const struct prom_series *s,
                           const char *model, const char *version)
{
	struct prom_row *row = prom_table_row(t, model, version);
	if (!row)
		return ERR_NOMEM;
	struct prom_spark *sp = &row->spark[f];
	size_t need = sp->n + s->n;
	if (need > sp->cap) {
		struct prom_pt *p = realloc(sp->pts, need * sizeof *p);
		if (!p)
			return ERR_NOMEM;
		sp->pts = p;
		sp->cap = need;
	}
	for (size_t i = 0; i < s->n; i++)
		sp->pts[sp->n++] =
		    (struct prom_pt){(int64_t)llround(s->samples[i].t * 1000), s->samples[i].v};
	return 0;
}

static void prom_req_tidy(struct prom_spark *sp)
{
	size_t k = 0;
	if (!sp->n)
		return;
	qsort(sp->pts, sp->n, sizeof *sp->pts, prom_pt_cmp);
	for (size_t i = 0; i < sp->n; i++) {
		if (k && sp->pts[k - 1].ts_ms == sp->pts[i].ts_ms)
			sp->pts[k - 1].v = prom_merge(sp->pts[k - 1].v, sp->pts[i].v);
		else
			sp->pts[k++] = sp->pts[i];
	}
	sp->n = k;
	if (sp->n > PROM_SPARK_MAX) {
		memmove(sp->pts, sp->pts + (sp->n - PROM_SPARK_MAX),
		        PROM_SPARK_MAX * sizeof *sp->pts);
		sp->n = PROM_SPARK_MAX;
	}
}

/* Clears figure f of every row before an answer is put in. */
static void prom_req_clear(struct prom_table *t, enum prom_fig f, int range)
{
	for (size_t i = 0; i < t->n; i++) {
		if (range)
			t->rows[i].spark[f].n = 0;
		else {
			t->rows[i].value[f] = NAN;
			t->rows[i].present &= ~(1u << f);
		}
	}
}

/* Adds the rows the answer names first, so that the rows stay where they are while the values
 * go in. Returns the number of series with a row, or ERR_NOMEM. */
static int prom_req_rows(struct prom_table *t, const struct prom_result *r, const char *ml,
                         const char *vl)
{
	int used = 0;
	for (size_t i = 0; i < r->n; i++) {
		const struct prom_series *s = &r->series[i];
		const char *model = prom_series_label(s, ml);
		if (!model || !s->n)
			continue;
		if (!prom_table_row(t, model, prom_series_label(s, vl)))
			return ERR_NOMEM;
		used++;
	}
	return used;
}

static int prom_req_series(struct prom_table *t, enum prom_fig f, int range,
                           const struct prom_result *r, const char *ml, const char *vl)
{
	int used = prom_req_rows(t, r, ml, vl);
	char *seen = used > 0 ? calloc(t->n, 1) : NULL;
	if (used > 0 && !seen)
		return ERR_NOMEM;
	for (size_t i = 0; used > 0 && i < r->n; i++) {
		const struct prom_series *s = &r->series[i];
		const char *model = prom_series_label(s, ml), *version = prom_series_label(s, vl);
		if (!model || !s->n)
			continue;
		const struct prom_row *row = prom_table_find(t, model, version);
		size_t k = (size_t)(row - t->rows);
		if (range && prom_req_points(t, f, s, model, version) < 0) {
			used = ERR_NOMEM;
		} else if (!range) {
			double v = s->samples[s->n - 1].v;
			t->rows[k].value[f] = seen[k] ? prom_merge(t->rows[k].value[f], v) : v;
			t->rows[k].present |= 1u << f;
			seen[k] = 1;
		}
	}
	free(seen);
	return used;
}

int prom_req_apply(struct prom_table *t, enum prom_fig f, int range, const struct prom_result *r,
                   const char *model_label, const char *version_label)
{
	if ((unsigned)f >= PROM_NFIG)
		return 0;
	prom_req_clear(t, f, range);
	if (r->type != PROM_VECTOR && r->type != PROM_MATRIX)
		return 0;
	int used = prom_req_series(t, f, range, r, model_label, version_label);
	for (size_t i = 0; range && used > 0 && i < t->n; i++)
		prom_req_tidy(&t->rows[i].spark[f]);
	return used;
}
