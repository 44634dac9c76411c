#include "clients/prom_table.h"

#include <math.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "clients/err.h"

static const char *const prom_fig_names[PROM_NFIG] = {"rps", "error_ratio", "p50",
                                                      "p95", "p99",         "drift"};

const char *prom_fig_name(enum prom_fig f)
{
	return (unsigned)f < PROM_NFIG ? prom_fig_names[f] : "";
}

static int prom_table_cmp(const struct prom_row *r, const char *model, const char *version)
{
	int c = strcmp(r->model, model);
	return c ? c : strcmp(r->version, version);
}

/* The index of (model, version) or where it would go; *found says which. */
static size_t prom_table_search(const struct prom_table *t, const char *model, const char *version,
                                int *found)
{
	size_t lo = 0, hi = t->n;
	while (lo < hi) {
		size_t mid = lo + (hi - lo) / 2;
		int c = prom_table_cmp(&t->rows[mid], model, version);
		if (c == 0)
			return *found = 1, mid;
		if (c < 0)
			lo = mid + 1;
		else
			hi = mid;
	}
	return *found = 0, lo;
}

const struct prom_row *prom_table_find(const struct prom_table *t, const char *model,
                                       const char *version)
{
	int found;
	size_t i = prom_table_search(t, model, version ? version : "", &found);
	return found ? &t->rows[i] : NULL;
}

/* The array v (n used, *cap allocated) with room for one more element of size, by doubling up to
 * limit elements (limit > n); NULL when out of memory (v is then untouched). */
static void *prom_table_grow(void *v, size_t n, size_t *cap, size_t size, size_t limit)
{
	if (n < *cap)
		return v;
	size_t c = *cap ? *cap * 2 : 16;
	c = c < limit ? c : limit;
	void *p = realloc(v, c * size);
	if (p)
		*cap = c;
	return p;
}

struct prom_row *prom_table_row(struct prom_table *t, const char *model, const char *version)
{
	int found;
	version = version ? version : "";
	size_t i = prom_table_search(t, model, version, &found);
	if (found)
		return &t->rows[i];
	struct prom_row *rows = prom_table_grow(t->rows, t->n, &t->cap, sizeof *rows, SIZE_MAX);
	if (!rows)
		return NULL;
	t->rows = rows;
	struct prom_row r = {.model = strdup(model), .version = strdup(version)};
	if (!r.model || !r.version) {
		free(r.model);
		free(r.version);
		return NULL;
	}
	for (int f = 0; f < PROM_NFIG; f++)
		r.value[f] = NAN;
	memmove(&t->rows[i + 1], &t->rows[i], (t->n - i) * sizeof *t->rows);
	t->rows[i] = r;
	t->n++;
	return &t->rows[i];
}

/* Room for one more point, the oldest dropped at max points. */
static int prom_spark_room(struct prom_spark *s, size_t max)
{
	if (s->n >= max) {
		size_t drop = s->n - max + 1;
		memmove(s->pts, s->pts + drop, (s->n - drop) * sizeof *s->pts);
		s->n -= drop;
	}
	struct prom_pt *pts = prom_table_grow(s->pts, s->n, &s->cap, sizeof *pts, max);
	if (!pts)
		return ERR_NOMEM;
	s->pts = pts;
	return 0;
}

int prom_spark_push(struct prom_spark *s, int64_t ts_ms, double v, size_t max)
{
	max = max ? max : PROM_SPARK_MAX;
	if (s->n && ts_ms <= s->pts[s->n - 1].ts_ms) {
		if (ts_ms == s->pts[s->n - 1].ts_ms)
			s->pts[s->n - 1].v = v;
		return 0;
	}
	if (prom_spark_room(s, max) < 0)
		return ERR_NOMEM;
	s->pts[s->n++] = (struct prom_pt){ts_ms, v};
	return 0;
}

int prom_spark_merge(struct prom_spark *s, int64_t ts_ms, double v, int64_t step_ms, size_t max)
{
	max = max ? max : PROM_SPARK_MAX;
	step_ms = step_ms > 0 ? step_ms : 1;
	struct prom_pt *last = s->n ? &s->pts[s->n - 1] : NULL;
	if (last && ts_ms < last->ts_ms)
		return 0;
	if (last && ts_ms / step_ms == last->ts_ms / step_ms) {
		last->ts_ms = ts_ms;
		if (isnan(last->v) || v > last->v)
			last->v = v;
		return 0;
	}
	if (!s->cap && !(s->pts = malloc(max * sizeof *s->pts)))
		return ERR_NOMEM;
	s->cap = s->cap ? s->cap : max;
	if (prom_spark_room(s, max) < 0)
		return ERR_NOMEM;
	s->pts[s->n++] = (struct prom_pt){ts_ms, v};
	return 0;
}

int prom_spark_reserve(struct prom_spark *s, size_t cap)
{
	if (cap <= s->cap)
		return 0;
	struct prom_pt *pts = realloc(s->pts, cap * sizeof *pts);
	if (!pts)
		return ERR_NOMEM;
	s->pts = pts;
	s->cap = cap;
	return 0;
}

void prom_spark_trim(struct prom_spark *s, int64_t from_ms)
{
	size_t k = 0;
	while (k < s->n && s->pts[k].ts_ms < from_ms)
		k++;
	if (!k)
		return;
	memmove(s->pts, s->pts + k, (s->n - k) * sizeof *s->pts);
	s->n -= k;
}

static int prom_row_copy(struct prom_row *d, const struct prom_row *s, unsigned figs)
{
	*d = (struct prom_row){.model = strdup(s->model), .version = strdup(s->version)};
	memcpy(d->value, s->value, sizeof d->value);
	d->present = s->present;
	int ok = d->model && d->version;
	for (int f = 0; ok && f < PROM_NFIG; f++) {
		size_t n = figs & 1u << f ? s->spark[f].n : 0;
		if (!n)
			continue;
		if (!(d->spark[f].pts = malloc(n * sizeof *d->spark[f].pts)))
			ok = 0;
		else
			memcpy(d->spark[f].pts, s->spark[f].pts, n * sizeof *d->spark[f].pts);
		d->spark[f].n = d->spark[f].cap = ok ? n : 0;
	}
	return ok ? 0 : ERR_NOMEM;
}

static void prom_row_fini(struct prom_row *r)
{
	free(r->model);
	free(r->version);
	for (int f = 0; f < PROM_NFIG; f++)
		free(r->spark[f].pts);
}

void prom_table_prune(struct prom_table *t)
{
	size_t k = 0;
	for (size_t i = 0; i < t->n; i++) {
		struct prom_row *row = &t->rows[i];
		int keep = row->present != 0;
		for (int f = 0; f < PROM_NFIG; f++)
			keep |= row->spark[f].n != 0;
		if (keep)
			t->rows[k++] = *row;
		else
			prom_row_fini(row);
	}
	t->n = k;
}

void prom_table_fini(struct prom_table *t)
{
	for (size_t i = 0; i < t->n; i++)
		prom_row_fini(&t->rows[i]);
	free(t->rows);
	*t = (struct prom_table){0};
}

int prom_table_copy(struct prom_table *dst, const struct prom_table *src)
{
	return prom_table_copy_figs(dst, src, (1u << PROM_NFIG) - 1);
}

int prom_table_copy_figs(struct prom_table *dst, const struct prom_table *src, unsigned figs)
{
	prom_table_fini(dst);
	if (src->n && !(dst->rows = calloc(src->n, sizeof *dst->rows)))
		return ERR_NOMEM;
	dst->cap = src->n;
	dst->at_ms = src->at_ms;
	for (size_t i = 0; i < src->n; i++) {
		int rc = prom_row_copy(&dst->rows[i], &src->rows[i], figs);
		dst->n++;
		if (rc < 0) {
			prom_table_fini(dst);
			return rc;
		}
	}
	return 0;
}
