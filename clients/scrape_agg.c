#include "clients/scrape_agg.h"

#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "clients/err.h"
#include "clients/scrape_math.h"

/* KIND_ERRORS: a counter of failed requests only (Triton, MLServer), counted as requests and as
 * errors. */
enum scrape_kind { KIND_NONE, KIND_REQ, KIND_ERRORS, KIND_BUCKET, KIND_COUNT, KIND_DRIFT };

struct scrape_ser {
	struct scrape_ser *next; /* hash chain */
	uint64_t hash;
	char *key;
	enum scrape_kind kind;
	int err;   /* a requests series of a 5xx code */
	double le; /* a bucket's bound */
	size_t row;
	char *model, *version;
	struct prom_spark pts; /* its samples in the window (and a few older), oldest first */
};

enum {
	NAME_REQ,
	NAME_ERRORS,
	NAME_BUCKET,
	NAME_COUNT,
	NAME_DRIFT,
	NAME_MODEL,
	NAME_VERSION,
	NAME_CODE,
	NNAMES
};

struct scrape_agg {
	char *names[NNAMES];
	int64_t window_ms, spark_ms;
	size_t
	    spark_max; /* points a sparkline keeps: its window in stretches of PROM_SPARK_STEP_MS */
	struct scrape_ser **buckets;
	size_t nbuckets;
	struct scrape_ser **series;
	size_t n, cap;
	unsigned keep; /* the figures whose sparklines are kept whole (scrape_agg_keep) */
	/* the rows of the history when every series' row was last set, and whether series came
	 * since: the rows only move when rows come or go */
	size_t indexed_n;
	int added;
	int src;    /* the source being fed */
	int64_t ts; /* its scrape time */
	int nomem;
	struct prom_table hist;
	char key[EXPO_LINE_MAX + 64];
};

static char *scrape_agg_name(const char *given, const char *def, const char *suffix)
{
	const char *base = given && *given ? given : def;
	size_t a = strlen(base), b = strlen(suffix);
	char *s = malloc(a + b + 1);
	if (s) {
		memcpy(s, base, a);
		memcpy(s + a, suffix, b + 1);
	}
	return s;
}

struct scrape_agg *scrape_agg_new(const struct scrape_metrics *m, int64_t window_ms,
                                  int64_t spark_ms)
{
	struct scrape_agg *a = calloc(1, sizeof *a);
	if (!a)
		return NULL;
	const char *lat = m->latency && *m->latency ? m->latency : "model_request_duration_seconds";
	a->names[NAME_REQ] = scrape_agg_name(m->requests, "model_requests_total", "");
	a->names[NAME_ERRORS] = scrape_agg_name(m->errors, "", "");
	a->names[NAME_BUCKET] = scrape_agg_name(lat, "", "_bucket");
	a->names[NAME_COUNT] = scrape_agg_name(lat, "", "_count");
	a->names[NAME_DRIFT] = scrape_agg_name(m->drift, "model_feature_drift_score", "");
	a->names[NAME_MODEL] = scrape_agg_name(m->model_label, "model", "");
	a->names[NAME_VERSION] = scrape_agg_name(m->version_label, "version", "");
	a->names[NAME_CODE] = scrape_agg_name(m->code_label, "code", "");
	a->keep = (1u << PROM_NFIG) - 1;
	a->indexed_n = SIZE_MAX;
	a->window_ms = window_ms > 0 ? window_ms : SCRAPE_WINDOW_MS;
	a->spark_ms = spark_ms > 0 ? spark_ms : SCRAPE_SPARK_MS;
	a->spark_max = (size_t)(a->spark_ms / PROM_SPARK_STEP_MS) + 2;
	a->spark_max = a->spark_max < PROM_SPARK_MAX ? a->spark_max : PROM_SPARK_MAX;
	a->nbuckets = 1024;
	a->buckets = calloc(a->nbuckets, sizeof *a->buckets);
	int ok = a->buckets != NULL;
	for (int i = 0; i < NNAMES; i++)
		ok = ok && a->names[i];
	if (!ok)
		scrape_agg_free(&a);
	return a;
}

static void scrape_ser_free(struct scrape_ser *s)
{
	free(s->key);
	free(s->model);
	free(s->version);
	free(s->pts.pts);
	free(s);
}

void scrape_agg_free(struct scrape_agg **pa)
{
	struct scrape_agg *a = *pa;
	if (!a)
		return;
	for (size_t i = 0; i < a->n; i++)
		scrape_ser_free(a->series[i]);
	for (int i = 0; i < NNAMES; i++)
		free(a->names[i]);
	free(a->series);
	free(a->buckets);
	prom_table_fini(&a->hist);
	free(a);
	*pa = NULL;
}

void scrape_agg_keep(struct scrape_agg *a, unsigned figs)
{
	a->keep = figs;
}

struct prom_table *scrape_agg_history(struct scrape_agg *a)
{
	return &a->hist;
}

size_t scrape_agg_series(const struct scrape_agg *a)
{
	return a->n;
}

size_t scrape_agg_room(const struct scrape_agg *a)
{
	size_t room = 0;
	for (size_t i = 0; i < a->n; i++)
		room += a->series[i]->pts.cap;
	for (size_t i = 0; i < a->hist.n; i++)
		for (int f = 0; f < PROM_NFIG; f++)
			room += a->hist.rows[i].spark[f].cap;
	return room;
}

int scrape_agg_spark_push(const struct scrape_agg *a, struct prom_spark *sp, int64_t ts_ms,
                          double v)
{
	return prom_spark_merge(sp, ts_ms, v, PROM_SPARK_STEP_MS, a->spark_max);
}

/* ---- series ------------------------------------------------------------------------------ */

/* Eight bytes a step (one a step was a twentieth of the feed); kept in memory only. */
static uint64_t scrape_hash(const char *s, size_t n)
{
	uint64_t h = 1469598103934665603ULL ^ n, w;
	size_t i = 0;
	for (; i + 8 <= n; i += 8) {
		memcpy(&w, s + i, 8);
		h = (h ^ w) * 0x9e3779b97f4a7c15ULL;
		h ^= h >> 32;
	}
	for (; i < n; i++)
		h = (h ^ (unsigned char)s[i]) * 1099511628211ULL;
	return h ^ (h >> 29);
}

/* Appends s and a 0x1f separator to the key at *at; 0, or -1 when it does not fit. */
static int scrape_key_add(struct scrape_agg *a, size_t *at, const char *s)
{
	size_t n = strlen(s);
	if (*at + n + 1 >= sizeof a->key)
		return -1;
	memcpy(a->key + *at, s, n);
	a->key[*at + n] = '\x1f';
	*at += n + 1;
	return 0;
}

/* The identity of a sample: its source, name and labels sorted by name. Its length, or 0. */
static size_t scrape_key(struct scrape_agg *a, const struct expo_sample *s)
{
	size_t order[EXPO_LABELS_MAX], at = 0;
	for (size_t i = 0; i < s->nlabels; i++) {
		size_t j = i;
		for (; j > 0 && strcmp(s->labels[order[j - 1]].name, s->labels[i].name) > 0; j--)
			order[j] = order[j - 1];
		order[j] = i;
	}
	/* the source's number (snprintf was a tenth of the feed at 20,000 samples a scrape) */
	char digits[24];
	size_t nd = 0;
	for (unsigned v = (unsigned)a->src; nd == 0 || v; v /= 10)
		digits[nd++] = (char)('0' + v % 10);
	while (nd)
		a->key[at++] = digits[--nd];
	a->key[at++] = '\x1f';
	if (scrape_key_add(a, &at, s->name) < 0)
		return 0;
	for (size_t i = 0; i < s->nlabels; i++)
		if (scrape_key_add(a, &at, s->labels[order[i]].name) < 0 ||
		    scrape_key_add(a, &at, s->labels[order[i]].value) < 0)
			return 0;
	return at;
}

static struct scrape_ser *scrape_lookup(struct scrape_agg *a, size_t len, uint64_t h)
{
	for (struct scrape_ser *s = a->buckets[h & (a->nbuckets - 1)]; s; s = s->next)
		if (s->hash == h && memcmp(s->key, a->key, len) == 0 && s->key[len] == '\0')
			return s;
	return NULL;
}

static void scrape_rehash(struct scrape_agg *a)
{
	size_t nb = a->nbuckets;
	while (nb < a->n)
		nb *= 2;
	struct scrape_ser **b = calloc(nb, sizeof *b);
	if (b) {
		free(a->buckets);
		a->buckets = b;
		a->nbuckets = nb;
	}
	memset(a->buckets, 0, a->nbuckets * sizeof *a->buckets);
	for (size_t i = 0; i < a->n; i++) {
		struct scrape_ser *s = a->series[i];
		size_t k = s->hash & (a->nbuckets - 1);
		s->next = a->buckets[k];
		a->buckets[k] = s;
	}
}

static struct scrape_ser *scrape_add(struct scrape_agg *a, size_t len, uint64_t h,
                                     const char *model, const char *version)
{
	if (a->n == a->cap) {
		size_t cap = a->cap ? a->cap * 2 : 256;
		struct scrape_ser **v = realloc(a->series, cap * sizeof *v);
		if (!v)
			return NULL;
		a->series = v;
		a->cap = cap;
	}
	struct scrape_ser *s = calloc(1, sizeof *s);
	if (!s)
		return NULL;
	s->hash = h;
	s->key = malloc(len + 1);
	s->model = strdup(model);
	s->version = strdup(version ? version : "");
	if (!s->key || !s->model || !s->version) {
		scrape_ser_free(s);
		return NULL;
	}
	memcpy(s->key, a->key, len);
	s->key[len] = '\0';
	a->series[a->n++] = s;
	a->added = 1;
	size_t k = h & (a->nbuckets - 1);
	s->next = a->buckets[k];
	a->buckets[k] = s;
	if (a->n > a->nbuckets * 2)
		scrape_rehash(a);
	return s;
}

/* ---- feeding ------------------------------------------------------------------------------ */

static enum scrape_kind scrape_kind_of(const struct scrape_agg *a, const char *name)
{
	if (strcmp(name, a->names[NAME_REQ]) == 0)
		return KIND_REQ;
	if (strcmp(name, a->names[NAME_ERRORS]) == 0)
		return KIND_ERRORS;
	if (strcmp(name, a->names[NAME_BUCKET]) == 0)
		return KIND_BUCKET;
	if (strcmp(name, a->names[NAME_COUNT]) == 0)
		return KIND_COUNT;
	return strcmp(name, a->names[NAME_DRIFT]) == 0 ? KIND_DRIFT : KIND_NONE;
}

static int scrape_is_5xx(const char *code)
{
	return code && code[0] == '5' && code[1] && code[2] && !code[3];
}

static struct scrape_ser *scrape_new_series(struct scrape_agg *a, const struct expo_sample *x,
                                            enum scrape_kind kind, size_t len, uint64_t h)
{
	const char *model = expo_label(x, a->names[NAME_MODEL]);
	const char *le = expo_label(x, "le");
	double bound = 0;
	if (!model || a->n >= SCRAPE_SERIES_MAX)
		return NULL;
	if (kind == KIND_BUCKET && (!le || expo_float(le, &bound) < 0 || isnan(bound)))
		return NULL; /* a bucket without a readable bound is left out, as Prometheus does */
	struct scrape_ser *s = scrape_add(a, len, h, model, expo_label(x, a->names[NAME_VERSION]));
	if (!s) {
		a->nomem = 1;
		return NULL;
	}
	s->kind = kind == KIND_ERRORS ? KIND_REQ : kind;
	s->le = bound;
	s->err = kind == KIND_ERRORS ||
	         (kind == KIND_REQ && scrape_is_5xx(expo_label(x, a->names[NAME_CODE])));
	return s;
}

/* Room for a counter's samples over a whole window, as the samples so far are spaced, plus a
 * tenth: the room is sized once the spacing is known, rather than doubled as the window fills. */
static int scrape_reserve(const struct scrape_agg *a, struct prom_spark *p)
{
	double want = (double)p->n + 16;
	if (p->n >= 2 && p->pts[p->n - 1].ts_ms > p->pts[0].ts_ms) {
		double gap =
		    (double)(p->pts[p->n - 1].ts_ms - p->pts[0].ts_ms) / (double)(p->n - 1);
		double whole = (double)a->window_ms / gap * 1.1 + 4;
		want = whole > want ? whole : want;
	}
	want = want < SCRAPE_POINTS_MAX ? want : SCRAPE_POINTS_MAX;
	return prom_spark_reserve(p, (size_t)want);
}

static int scrape_on_sample(void *ud, const struct expo_sample *x)
{
	struct scrape_agg *a = ud;
	enum scrape_kind kind = scrape_kind_of(a, x->name);
	if (kind == KIND_NONE)
		return 0;
	size_t len = scrape_key(a, x);
	if (!len)
		return 0;
	uint64_t h = scrape_hash(a->key, len);
	struct scrape_ser *s = scrape_lookup(a, len, h);
	if (!s && !(s = scrape_new_series(a, x, kind, len, h)))
		return a->nomem;
	/* a repeated time replaces the sample, an older one is dropped; of a gauge only the last is
	 * used */
	size_t max = s->kind == KIND_DRIFT ? 1 : SCRAPE_POINTS_MAX;
	if ((s->pts.n == s->pts.cap && max > 1 && scrape_reserve(a, &s->pts) < 0) ||
	    prom_spark_push(&s->pts, x->has_ts ? x->ts_ms : a->ts, x->value, max) < 0)
		a->nomem = 1;
	return a->nomem;
}

int scrape_agg_feed(struct scrape_agg *a, int src, const char *body, size_t len, int64_t ts_ms,
                    struct expo_stats *st)
{
	a->src = src;
	a->ts = ts_ms;
	a->nomem = 0;
	int rc = expo_parse(body, len, scrape_on_sample, a, st);
	return rc < 0 || a->nomem ? ERR_NOMEM : 0;
}

/* ---- figures ------------------------------------------------------------------------------ */

/* What one row sums while the figures are computed. */
struct scrape_acc {
	double req, err, count, drift;
	int any, has_req, has_err, has_count, has_drift;
	size_t b0, nb; /* its buckets in the sorted bucket list */
};

struct scrape_brate {
	size_t row;
	struct scrape_bucket b;
};

/* Drops the samples older than the window and the series that have none left. */
/* The samples of s older than from_ms (they are in time order). */
static size_t scrape_stale(const struct prom_spark *s, int64_t from_ms)
{
	size_t lo = 0, hi = s->n;
	while (lo < hi) {
		size_t mid = lo + (hi - lo) / 2;
		if (s->pts[mid].ts_ms < from_ms)
			lo = mid + 1;
		else
			hi = mid;
	}
	return lo;
}

/* A series goes with its last sample in the window. The samples older than the window are left
 * out by the rates, and dropped only once the series' room is full (so that it never grows past
 * one window) or they are a quarter of it: dropping one each round moved every sample of 20,000
 * series each second. */
static void scrape_gc(struct scrape_agg *a, int64_t end_ms)
{
	size_t k = 0;
	for (size_t i = 0; i < a->n; i++) {
		struct scrape_ser *s = a->series[i];
		size_t stale = scrape_stale(&s->pts, end_ms - a->window_ms);
		if (stale == s->pts.n ||
		    (stale && (s->pts.n >= s->pts.cap || stale * 4 >= s->pts.n)))
			prom_spark_trim(&s->pts, end_ms - a->window_ms);
		if (s->pts.n)
			a->series[k++] = s;
		else
			scrape_ser_free(s);
	}
	if (k != a->n) {
		a->n = k;
		scrape_rehash(a);
	}
}

static void scrape_acc_add(struct scrape_acc *acc, const struct scrape_ser *s, double r)
{
	if (s->kind == KIND_REQ) {
		acc->req += r;
		acc->has_req = 1;
		if (s->err) {
			acc->err += r;
			acc->has_err = 1;
		}
	} else if (s->kind == KIND_COUNT) {
		acc->count += r;
		acc->has_count = 1;
	}
}

static int scrape_brate_cmp(const void *x, const void *y)
{
	const struct scrape_brate *a = x, *b = y;
	return a->row < b->row ? -1 : a->row > b->row;
}

static void scrape_drift(struct scrape_acc *acc, const struct scrape_ser *s, int64_t end_ms)
{
	const struct prom_pt *last = &s->pts.pts[s->pts.n - 1];
	if (last->ts_ms > end_ms || isnan(last->v))
		return;
	if (!acc->has_drift || last->v > acc->drift)
		acc->drift = last->v;
	acc->has_drift = 1;
}

/* 1 when two series are of one row. A server lists the series of a version together, so most
 * series are of the row of the series before them: checked first, it saves a search per series
 * (at 500 deployments, 20,000 series a round). */
static int scrape_same_row(const struct scrape_ser *x, const struct scrape_ser *y)
{
	return y && strcmp(x->model, y->model) == 0 && strcmp(x->version, y->version) == 0;
}

/* Adds the row of every series to the history and sets each series' row, unless no series and
 * no row came or went since the last time (at 500 deployments, 20,000 series a round). */
static int scrape_index_rows(struct scrape_agg *a)
{
	if (!a->added && a->indexed_n == a->hist.n)
		return 0;
	const struct scrape_ser *prev = NULL;
	for (size_t i = 0; i < a->n; prev = a->series[i++])
		if (!scrape_same_row(a->series[i], prev) &&
		    !prom_table_row(&a->hist, a->series[i]->model, a->series[i]->version))
			return ERR_NOMEM;
	prev = NULL; /* rows move while they are added: index them after */
	for (size_t i = 0; i < a->n; prev = a->series[i++]) {
		struct scrape_ser *s = a->series[i];
		s->row =
		    scrape_same_row(s, prev)
		        ? prev->row
		        : (size_t)(prom_table_find(&a->hist, s->model, s->version) - a->hist.rows);
	}
	a->indexed_n = a->hist.n;
	a->added = 0;
	return 0;
}

/* Sums the rates of every series into its row's accumulator and the bucket list. */
static int scrape_sum(struct scrape_agg *a, int64_t end_ms, struct scrape_acc *acc,
                      struct scrape_brate *br, size_t *nbr)
{
	*nbr = 0;
	if (scrape_index_rows(a) < 0)
		return ERR_NOMEM;
	for (size_t i = 0; i < a->n; i++) {
		struct scrape_ser *s = a->series[i];
		double r;
		acc[s->row].any = 1;
		if (s->kind == KIND_DRIFT) {
			scrape_drift(&acc[s->row], s, end_ms);
			continue;
		}
		if (scrape_math_rate(s->pts.pts, s->pts.n, end_ms, a->window_ms, &r) < 0)
			continue;
		if (s->kind == KIND_BUCKET)
			br[(*nbr)++] = (struct scrape_brate){s->row, {s->le, r}};
		else
			scrape_acc_add(&acc[s->row], s, r);
	}
	qsort(br, *nbr, sizeof *br, scrape_brate_cmp);
	for (size_t i = 0; i < *nbr; i++) {
		struct scrape_acc *c = &acc[br[i].row];
		if (!c->nb)
			c->b0 = i;
		c->nb++;
	}
	return 0;
}

static const double scrape_qs[3] = {0.50, 0.95, 0.99};

static void scrape_row_values(struct prom_row *row, const struct scrape_acc *c,
                              struct scrape_brate *br, struct scrape_bucket *tmp)
{
	double rps = c->has_req ? c->req : c->has_count ? c->count : NAN;
	row->value[PROM_FIG_RPS] = rps;
	row->value[PROM_FIG_ERROR_RATIO] = c->has_req && c->has_err ? c->err / c->req : NAN;
	for (int q = 0; q < 3; q++) {
		for (size_t i = 0; i < c->nb; i++)
			tmp[i] = br[c->b0 + i].b;
		row->value[PROM_FIG_P50 + q] =
		    c->nb ? scrape_math_quantile(scrape_qs[q], tmp, c->nb) : NAN;
	}
	row->value[PROM_FIG_DRIFT] = c->has_drift ? c->drift : NAN;
	row->present = 0;
	for (int f = 0; f < PROM_NFIG; f++)
		if (!isnan(row->value[f]) || (c->any && f == PROM_FIG_RPS))
			row->present |= 1u << f;
}

/* Sets every row's values and sparklines at end_ms; rows with nothing left go. */
static int scrape_rows(struct scrape_agg *a, int64_t end_ms, const struct scrape_acc *acc,
                       struct scrape_brate *br, struct scrape_bucket *tmp)
{
	for (size_t i = 0; i < a->hist.n; i++) {
		struct prom_row *row = &a->hist.rows[i];
		scrape_row_values(row, &acc[i], br, tmp);
		for (int f = 0; f < PROM_NFIG; f++) {
			prom_spark_trim(&row->spark[f], end_ms - a->spark_ms);
			/* a sparkline drawn: one point per stretch; of the others the newest only
			 */
			if (!isnan(row->value[f]) &&
			    (a->keep & 1u << f
			         ? scrape_agg_spark_push(a, &row->spark[f], end_ms, row->value[f])
			         : prom_spark_push(&row->spark[f], end_ms, row->value[f], 1)) < 0)
				return ERR_NOMEM;
		}
	}
	prom_table_prune(&a->hist);
	return 0;
}

int scrape_agg_figures(struct scrape_agg *a, int64_t end_ms, struct prom_table *out)
{
	scrape_gc(a, end_ms);
	size_t nrows = a->hist.n + a->n; /* every series may add a row */
	struct scrape_acc *acc = calloc(nrows + 1, sizeof *acc);
	struct scrape_brate *br = malloc((a->n + 1) * sizeof *br);
	struct scrape_bucket *tmp = malloc((a->n + 1) * sizeof *tmp);
	size_t nbr;
	int rc = ERR_NOMEM;
	if (!acc || !br || !tmp)
		goto out;
	if ((rc = scrape_sum(a, end_ms, acc, br, &nbr)) < 0)
		goto out;
	if ((rc = scrape_rows(a, end_ms, acc, br, tmp)) < 0)
		goto out;
	a->hist.at_ms = end_ms;
	rc = out ? prom_table_copy(out, &a->hist) : 0;
out:
	free(acc);
	free(br);
	free(tmp);
	return rc;
}
