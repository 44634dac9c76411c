/* samples.c: the failed samples ring per deployment and GET /samples (JSON Lines). */
#include "sim/samples.h"

#include <cjson/cJSON.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "sim/ops.h"
#include "sim/rng.h"

#define SAMPLES_LIMIT_DEFAULT 100
#define SAMPLES_LIMIT_MAX     1000

struct samples_ring {
	struct samples_rec rec[SAMPLES_RING];
	int head, count;
	uint64_t seq;
};

static struct samples_ring samples_rings[SERVING_MAX_DEPS];

/* The samples of --samples N, oldest first, served as if they were in the rings. */
struct samples_bulk_rec {
	int dep;
	struct samples_rec rec;
};
static struct samples_bulk_rec *samples_bulk_v;
static long samples_bulk_n;

struct samples_query {
	int dep;             /* -1: every deployment */
	const char *version; /* NULL: any */
	const char *feature; /* NULL: any */
	int64_t since_ms;    /* exclusive; INT64_MIN: any */
	long limit;
};

struct samples_hit {
	int dep;
	const struct samples_rec *rec;
};

void samples_init(void)
{
	memset(samples_rings, 0, sizeof(samples_rings));
	free(samples_bulk_v);
	samples_bulk_v = NULL;
	samples_bulk_n = 0;
}

static void samples_bulk_one(struct rng *r, long i, struct samples_bulk_rec *b)
{
	const struct serving_dep *d;

	memset(b, 0, sizeof(*b));
	b->dep = (int)(i % serving_dep_count());
	d = serving_dep_at(b->dep);
	b->rec.seq = (uint64_t)i + 1;
	b->rec.version = (int)rng_range(r, 0, d->n_versions - 1);
	for (int f = 0; f < d->n_features; f++) {
		const struct serving_feature *sf = &d->features[f];
		b->rec.input[f] = sf->kind == FEATURE_CAT ? (double)rng_range(r, 0, sf->n_cats - 1)
		                  : sf->kind == FEATURE_INT
		                      ? (double)rng_range(r, (long)sf->lo, (long)sf->hi)
		                      : round(rng_uniform(r, sf->lo, sf->hi) * 100) / 100;
	}
	b->rec.label_pos = rng_unit(r) < 0.5;
	b->rec.code = rng_unit(r) < 0.1 ? 500 : 200;
	b->rec.predicted_pos = !b->rec.label_pos;
	b->rec.score = rng_uniform(r, 0.03, 0.97);
}

int samples_bulk(long n, uint64_t seed, int64_t end_ms)
{
	struct rng r;

	if (n <= 0 || serving_dep_count() <= 0)
		return 0;
	samples_bulk_v = calloc((size_t)n, sizeof(*samples_bulk_v));
	if (!samples_bulk_v)
		return -1;
	rng_init(&r, rng_hash(seed, 0x73616d70)); /* "samp" */
	for (long i = 0; i < n; i++) {
		samples_bulk_one(&r, i, &samples_bulk_v[i]);
		samples_bulk_v[i].rec.ms =
		    end_ms - 3600000 + (int64_t)((double)i / (double)n * 3600000);
	}
	samples_bulk_n = n;
	return 0;
}

void samples_add(int dep, const struct samples_rec *rec)
{
	struct samples_ring *r;

	if (dep < 0 || dep >= SERVING_MAX_DEPS)
		return;
	r = &samples_rings[dep];
	r->rec[r->head] = *rec;
	r->rec[r->head].seq = ++r->seq;
	r->head = (r->head + 1) % SAMPLES_RING;
	if (r->count < SAMPLES_RING)
		r->count++;
}

int samples_count(int dep)
{
	return dep >= 0 && dep < SERVING_MAX_DEPS ? samples_rings[dep].count : 0;
}

/* Whether the value of feature f is outside its reference range. */
static int samples_unusual(const struct serving_feature *f, double x)
{
	if (f->kind == FEATURE_CAT)
		return (int)x >= f->n_ref_cats;
	return x < f->ref_lo || x > f->ref_hi;
}

static int samples_feature_index(const struct serving_dep *d, const char *name)
{
	for (int f = 0; f < d->n_features; f++)
		if (strcmp(d->features[f].name, name) == 0)
			return f;
	return -1;
}

static int samples_matches(const struct samples_query *q, const struct serving_dep *d,
                           const struct samples_rec *rec)
{
	int f;

	if (q->version && strcmp(d->v[rec->version].name, q->version) != 0)
		return 0;
	if (rec->ms <= q->since_ms)
		return 0;
	if (q->feature) {
		f = samples_feature_index(d, q->feature);
		if (f < 0 || !samples_unusual(&d->features[f], rec->input[f]))
			return 0;
	}
	return 1;
}

static int samples_hit_cmp(const void *a, const void *b)
{
	const struct samples_hit *x = a, *y = b;

	if (x->rec->ms != y->rec->ms)
		return x->rec->ms < y->rec->ms ? -1 : 1;
	if (x->dep != y->dep)
		return x->dep - y->dep;
	return x->rec->seq < y->rec->seq ? -1 : x->rec->seq > y->rec->seq;
}

static cJSON *samples_input_json(const struct serving_dep *d, const struct samples_rec *rec)
{
	cJSON *in = cJSON_CreateObject();

	for (int f = 0; f < d->n_features; f++) {
		const struct serving_feature *sf = &d->features[f];
		if (sf->kind == FEATURE_CAT)
			cJSON_AddStringToObject(in, sf->name, sf->cats[(int)rec->input[f]]);
		else
			cJSON_AddNumberToObject(in, sf->name, rec->input[f]);
	}
	return in;
}

static const char *samples_error_text(int code)
{
	return code == 503
	           ? "503 Service Unavailable: no healthy upstream"
	           : "500 Internal Server Error: model raised ValueError: input contains NaN";
}

static void samples_line(struct ops_buf *b, int dep, const struct samples_rec *rec)
{
	const struct serving_dep *d = serving_dep_at(dep);
	cJSON *o = cJSON_CreateObject();
	char id[96], when[32], *text;

	snprintf(id, sizeof(id), "%s-%08llu", d->name, (unsigned long long)rec->seq);
	ops_time_fmt(rec->ms, when);
	cJSON_AddStringToObject(o, "id", id);
	cJSON_AddStringToObject(o, "time", when);
	cJSON_AddStringToObject(o, "model", d->name);
	cJSON_AddStringToObject(o, "version", d->v[rec->version].name);
	cJSON_AddItemToObject(o, "input", samples_input_json(d, rec));
	if (rec->code == 200) {
		cJSON_AddStringToObject(o, "prediction",
		                        rec->predicted_pos ? d->pred_pos : d->pred_neg);
		cJSON_AddStringToObject(o, "label", rec->label_pos ? d->pred_pos : d->pred_neg);
		cJSON_AddNumberToObject(o, "score", (double)(long)(rec->score * 1000 + 0.5) / 1000);
		cJSON_AddNullToObject(o, "error");
	} else {
		cJSON_AddNullToObject(o, "prediction");
		cJSON_AddStringToObject(o, "label", rec->label_pos ? d->pred_pos : d->pred_neg);
		cJSON_AddNullToObject(o, "score");
		cJSON_AddStringToObject(o, "error", samples_error_text(rec->code));
	}
	text = cJSON_PrintUnformatted(o);
	cJSON_Delete(o);
	if (!text)
		abort();
	ops_buf_append(b, text, strlen(text));
	ops_buf_append(b, "\n", 1);
	free(text);
}

/* Parses the query; NULL, or the reason it is refused. */
static const char *samples_parse(const struct sim_req *req, struct samples_query *q)
{
	const char *model = sim_query(req, "model"), *since = sim_query(req, "since");
	const char *limit = sim_query(req, "limit");
	char *end;

	q->dep = -1;
	q->version = sim_query(req, "version");
	q->feature = sim_query(req, "feature");
	q->since_ms = INT64_MIN;
	q->limit = SAMPLES_LIMIT_DEFAULT;
	if (model && *model) {
		const struct serving_dep *d = serving_dep_find(model);
		q->dep = d ? (int)(d - serving_dep_at(0)) : -2;
	}
	if (since && *since && ops_time_parse(since, &q->since_ms) < 0)
		return "invalid since: want RFC3339 or Unix seconds\n";
	if (limit && *limit) {
		q->limit = strtol(limit, &end, 10);
		if (*end || q->limit < 1 || q->limit > SAMPLES_LIMIT_MAX)
			return "invalid limit: want 1..1000\n";
	}
	if (q->version && !*q->version)
		q->version = NULL;
	if (q->feature && !*q->feature)
		q->feature = NULL;
	return NULL;
}

static void samples_get(const struct samples_query *q, struct sim_resp *resp)
{
	struct samples_hit *hits =
	    malloc((SERVING_MAX_DEPS * SAMPLES_RING + (size_t)samples_bulk_n) * sizeof(*hits));
	struct ops_buf b = {0};
	size_t n = 0, from;

	if (!hits)
		abort();
	for (long k = 0; k < samples_bulk_n; k++) {
		const struct samples_bulk_rec *x = &samples_bulk_v[k];
		if ((q->dep == -1 || q->dep == x->dep) &&
		    samples_matches(q, serving_dep_at(x->dep), &x->rec))
			hits[n++] = (struct samples_hit){x->dep, &x->rec};
	}

	for (int i = 0; i < serving_dep_count() && i < SERVING_MAX_DEPS; i++) {
		const struct samples_ring *r = &samples_rings[i];
		if (q->dep != -1 && q->dep != i)
			continue;
		for (int k = 0; k < r->count; k++) {
			const struct samples_rec *rec = &r->rec[k];
			if (samples_matches(q, serving_dep_at(i), rec))
				hits[n++] = (struct samples_hit){i, rec};
		}
	}
	qsort(hits, n, sizeof(hits[0]), samples_hit_cmp);
	from = n > (size_t)q->limit ? n - (size_t)q->limit : 0;
	ops_buf_append(&b, "", 0);
	for (size_t k = from; k < n; k++)
		samples_line(&b, hits[k].dep, hits[k].rec);
	free(hits);
	ops_buf_respond(&b, resp, 200, "application/x-ndjson");
}

int samples_route(const struct sim_req *req, struct sim_resp *resp)
{
	struct samples_query q;
	const char *why;

	if (strcmp(req->path, "/samples") != 0)
		return 0;
	if (strcmp(req->method, "GET") != 0) {
		sim_resp_text(resp, 405, "text/plain; charset=utf-8", "method not allowed\n");
		return 1;
	}
	why = samples_parse(req, &q);
	if (why)
		sim_resp_text(resp, 400, "text/plain; charset=utf-8", why);
	else
		samples_get(&q, resp);
	return 1;
}
