/* serving.c: the deployments, their versions and the traffic model. */
#include "sim/serving.h"

#include <math.h>
#include <stdio.h>
#include <string.h>

#include "sim/ops.h"
#include "sim/samples.h"

/* Share of the failed requests kept as samples. */
#define SAMPLE_FRACTION 0.05
#define SAMPLE_MAX_STEP 32
/* Share of the 4xx (client errors: not counted as the model's errors). */
#define CLIENT_ERR_RATE 0.002
/* The drift monitor compares only while the version has this much recent traffic. */
#define DRIFT_MIN_REQUESTS 50

const double serving_bucket_le[SERVING_NBUCKETS - 1] = {0.005, 0.01, 0.025, 0.05, 0.1,
                                                        0.25,  0.5,  1,     2.5};
const char *const serving_bucket_le_str[SERVING_NBUCKETS] = {
    "0.005", "0.01", "0.025", "0.05", "0.1", "0.25", "0.5", "1", "2.5", "+Inf"};
const char *const serving_codes[SERVING_NCODES] = {"200", "400", "500", "503"};

#define NUM(n, k, m, s, l, h, dm, ds, rl, rh)                                                      \
	{                                                                                          \
		.name = n, .kind = k, .mean = m, .sd = s, .lo = l, .hi = h, .drift_mean = dm,      \
		.drift_sd = ds, .ref_lo = rl, .ref_hi = rh                                         \
	}
#define CAT(n, nref, ncats, ...)                                                                   \
	{                                                                                          \
		.name = n, .kind = FEATURE_CAT, .cats = {__VA_ARGS__}, .n_cats = ncats,            \
		.n_ref_cats = nref                                                                 \
	}

static const struct serving_feature churn_features[] = {
    NUM("tenure_days", FEATURE_INT, 600, 250, 0, 3650, 2, 1.5, 30, 3650),
    NUM("monthly_spend", FEATURE_FLOAT, 55, 25, 5, 250, 120, 30, 5, 150),
    CAT("region", 4, 5, "eu-west", "us-east", "us-west", "ap-south", "sa-east"),
    CAT("plan", 3, 4, "basic", "standard", "premium", "trial"),
    NUM("support_calls", FEATURE_INT, 1.5, 1.2, 0, 30, 7, 2, 0, 5),
};

static const struct serving_feature fraud_features[] = {
    NUM("amount", FEATURE_FLOAT, 80, 60, 1, 5000, 900, 300, 1, 400),
    CAT("merchant_cat", 5, 6, "grocery", "fuel", "travel", "electronics", "gaming", "crypto"),
    CAT("country", 5, 6, "DE", "US", "FR", "IN", "BR", "NG"),
    NUM("hour", FEATURE_INT, 14, 4, 0, 23, 3, 1.5, 6, 23),
    NUM("card_age_days", FEATURE_INT, 900, 400, 0, 5000, 5, 4, 30, 5000),
};

static const struct serving_feature ranking_features[] = {
    NUM("query_len", FEATURE_INT, 3, 1.5, 1, 40, 14, 4, 1, 8),
    NUM("doc_age_days", FEATURE_INT, 90, 80, 0, 3000, 900, 300, 0, 365),
    NUM("click_rate", FEATURE_FLOAT, 0.08, 0.04, 0, 1, 0.4, 0.1, 0, 0.2),
    NUM("position", FEATURE_INT, 5, 3, 1, 50, 25, 8, 1, 12),
    CAT("lang", 4, 6, "en", "de", "fr", "es", "ja", "ko"),
};

struct serving_seed_version {
	const char *name;
	struct serving_profile prof;
};

struct serving_seed {
	const char *name;
	double rps;
	const struct serving_feature *features;
	const char *pos, *neg;
	struct serving_seed_version versions[2];
	int n_versions;
};

static const struct serving_seed serving_seeds[SERVING_MAX_DEPS] = {
    {"churn-classifier",
     180,
     churn_features,
     "churn",
     "stay",
     {{"v3", {0.030, 0.38, 0.004, 0.06, {0.03, 0.05, 0.02, 0.01, 0.04}, 0.02}},
      {"v5", {0.065, 0.43, 0.07, 0.15, {0.31, 0.08, 0.02, 0.01, 0.22}, 0.19}}},
     2},
    {"fraud-detector",
     240,
     fraud_features,
     "fraud",
     "legit",
     {{"v2", {0.018, 0.35, 0.003, 0.03, {0.04, 0.12, 0.03, 0.02, 0.05}, 0.03}}},
     1},
    {"search-ranking",
     130,
     ranking_features,
     "relevant",
     "irrelevant",
     {{"v1", {0.035, 0.35, 0.006, 0.08, {0.02, 0.06, 0.03, 0.02, 0.01}, 0.02}}},
     1},
};

static const struct serving_profile serving_default_profile = {
    0.035, 0.40, 0.005, 0.07, {0.03, 0.03, 0.03, 0.03, 0.03}, 0.02};

static struct serving_dep serving_deps[SERVING_MAX_ALL];
static int serving_n;
static int64_t serving_last;

int serving_dep_count(void)
{
	return serving_n;
}

struct serving_dep *serving_dep_at(int i)
{
	return i >= 0 && i < serving_n ? &serving_deps[i] : NULL;
}

struct serving_dep *serving_dep_find(const char *name)
{
	for (int i = 0; i < serving_n; i++)
		if (strcmp(serving_deps[i].name, name) == 0)
			return &serving_deps[i];
	return NULL;
}

int serving_version_find(const struct serving_dep *d, const char *name)
{
	for (int i = 0; i < d->n_versions; i++)
		if (strcmp(d->v[i].name, name) == 0)
			return i;
	return -1;
}

static int serving_version_new(struct serving_dep *d, const char *name,
                               const struct serving_profile *prof)
{
	struct serving_version *v;

	if (d->n_versions == SERVING_MAX_VERSIONS || strlen(name) >= sizeof(v->name))
		return -1;
	v = &d->v[d->n_versions];
	memset(v, 0, sizeof(*v));
	snprintf(v->name, sizeof(v->name), "%s", name);
	v->prof = *prof;
	for (int s = 0; s < SERVING_WINDOW_SLOTS; s++)
		v->win[s].epoch = -1;
	return d->n_versions++;
}

int serving_version_add(struct serving_dep *d, const char *name)
{
	int i = serving_version_find(d, name);

	return i >= 0 ? i : serving_version_new(d, name, &serving_default_profile);
}

void serving_set_split(struct serving_dep *d, const int *percent)
{
	for (int i = 0; i < d->n_versions; i++)
		d->v[i].percent = percent[i];
}

/* One more deployment for benchmarks: churn's features, one version, its own rate. */
static void serving_extra(int i)
{
	struct serving_dep *d = &serving_deps[serving_n++];

	memset(d, 0, sizeof(*d));
	snprintf(d->name, sizeof(d->name), "bench-%04d", i + 1);
	d->base_rps = 20 + (i * 37) % 200;
	d->features = churn_features;
	d->n_features = SERVING_MAX_FEATURES;
	d->pred_pos = "churn";
	d->pred_neg = "stay";
	serving_version_new(d, "v1", &serving_default_profile);
	d->v[0].percent = 100;
}

void serving_init(int64_t now_ms, int extra)
{
	memset(serving_deps, 0, sizeof(serving_deps[0]) * SERVING_MAX_DEPS);
	serving_n = 0;
	for (int i = 0; i < SERVING_MAX_DEPS; i++) {
		const struct serving_seed *s = &serving_seeds[i];
		struct serving_dep *d = &serving_deps[serving_n++];

		snprintf(d->name, sizeof(d->name), "%s", s->name);
		d->base_rps = s->rps;
		d->features = s->features;
		d->n_features = SERVING_MAX_FEATURES;
		d->pred_pos = s->pos;
		d->pred_neg = s->neg;
		for (int j = 0; j < s->n_versions; j++)
			serving_version_new(d, s->versions[j].name, &s->versions[j].prof);
		d->stable = 0;
		d->v[0].percent = 100;
	}
	for (int i = 0; i < extra && i < SERVING_MAX_EXTRA; i++)
		serving_extra(i);
	serving_last = now_ms;
}

int64_t serving_last_ms(void)
{
	return serving_last;
}

/* ---- the alerting window ---- */

static struct serving_slot *serving_slot_for(struct serving_version *v, int64_t t)
{
	int64_t epoch = t / SERVING_SLOT_MS;
	struct serving_slot *s = &v->win[epoch % SERVING_WINDOW_SLOTS];

	if (s->epoch != epoch) {
		memset(s, 0, sizeof(*s));
		s->epoch = epoch;
	}
	return s;
}

/* Sums the last n slots of the window into out (req, err and buckets). */
static void serving_window_sum(const struct serving_version *v, int64_t now_ms, int n,
                               struct serving_slot *out)
{
	int64_t epoch = now_ms / SERVING_SLOT_MS;

	memset(out, 0, sizeof(*out));
	for (int i = 0; i < SERVING_WINDOW_SLOTS; i++) {
		const struct serving_slot *s = &v->win[i];
		if (s->epoch < 0 || s->epoch > epoch || s->epoch <= epoch - n)
			continue;
		out->req += s->req;
		out->err += s->err;
		for (int b = 0; b < SERVING_NBUCKETS; b++)
			out->bucket[b] += s->bucket[b];
	}
}

double serving_window_requests(const struct serving_version *v, int64_t now_ms)
{
	struct serving_slot w;

	serving_window_sum(v, now_ms, SERVING_WINDOW_SLOTS, &w);
	return w.req;
}

/* Requests in the current and the previous slot (10 to 20 s): what the drift monitor needs. */
static double serving_recent_requests(const struct serving_version *v, int64_t now_ms)
{
	struct serving_slot w;

	serving_window_sum(v, now_ms, 2, &w);
	return w.req;
}

double serving_window_error_ratio(const struct serving_version *v, int64_t now_ms)
{
	struct serving_slot w;

	serving_window_sum(v, now_ms, SERVING_WINDOW_SLOTS, &w);
	return w.req > 0 ? w.err / w.req : NAN;
}

double serving_window_p99(const struct serving_version *v, int64_t now_ms)
{
	struct serving_slot w;
	double total = 0, rank, cum = 0;

	serving_window_sum(v, now_ms, SERVING_WINDOW_SLOTS, &w);
	for (int b = 0; b < SERVING_NBUCKETS; b++)
		total += w.bucket[b];
	if (total <= 0)
		return NAN;
	rank = 0.99 * total;
	for (int b = 0; b < SERVING_NBUCKETS - 1; b++) {
		double lower = b ? serving_bucket_le[b - 1] : 0;
		if (cum + w.bucket[b] >= rank && w.bucket[b] > 0)
			return lower + (serving_bucket_le[b] - lower) * (rank - cum) / w.bucket[b];
		cum += w.bucket[b];
	}
	return serving_bucket_le[SERVING_NBUCKETS - 2];
}

/* ---- traffic ---- */

/* Adds mean plus noise to *carry and takes out the whole part. */
static uint64_t serving_draw(double mean, double *carry)
{
	double x = mean + sqrt(mean) * rng_gauss(ops_rng()) * 0.5;
	double whole;

	*carry += x > 0 ? x : 0;
	whole = floor(*carry);
	*carry -= whole;
	return (uint64_t)whole;
}

/* Spreads n requests over the latency buckets (largest remainder, carries keep the shares). */
static void serving_spread(struct serving_version *v, uint64_t n, double median, uint64_t *out)
{
	double target[SERVING_NBUCKETS], prev = 0;
	uint64_t given = 0;

	for (int b = 0; b < SERVING_NBUCKETS; b++) {
		double cdf = b < SERVING_NBUCKETS - 1
		                 ? 0.5 * erfc(-(log(serving_bucket_le[b] / median)) /
		                              (v->prof.lat_sigma * M_SQRT2))
		                 : 1.0;
		target[b] = (double)n * (cdf - prev) + v->carry_bucket[b];
		prev = cdf;
		out[b] = target[b] > 0 ? (uint64_t)floor(target[b]) : 0;
		given += out[b];
	}
	while (given < n) {
		int best = 0;
		for (int b = 1; b < SERVING_NBUCKETS; b++)
			if (target[b] - (double)out[b] > target[best] - (double)out[best])
				best = b;
		out[best]++;
		given++;
	}
	while (given > n) {
		int worst = -1;
		for (int b = 0; b < SERVING_NBUCKETS; b++)
			if (out[b] && (worst < 0 || target[b] - (double)out[b] <
			                                target[worst] - (double)out[worst]))
				worst = b;
		out[worst]--;
		given--;
	}
	for (int b = 0; b < SERVING_NBUCKETS; b++)
		v->carry_bucket[b] = target[b] - (double)out[b];
}

static double serving_rps(const struct serving_dep *d, int64_t t)
{
	double phase = (double)(t % 3600000) / 3600000.0 * 2 * M_PI;

	return d->base_rps * (1 + 0.15 * sin(phase + d->base_rps));
}

static void serving_drift_run(struct serving_dep *d, struct serving_version *v, int64_t t)
{
	struct rng *r = ops_rng();

	for (int f = 0; f < d->n_features; f++) {
		double psi = v->prof.drift[f] * (1 + 0.02 * rng_gauss(r));
		double ks = 0.3 * sqrt(psi > 0.001 ? psi : 0.001);
		double p = 2 * exp(-2 * 200 * ks * ks);

		v->drift_psi[f] = psi > 0.001 ? psi : 0.001;
		v->drift_ks[f] = ks;
		v->drift_pvalue[f] = p < 1 ? p : 1;
	}
	v->drift_pred = v->prof.pred_drift * (1 + 0.02 * rng_gauss(r));
	v->has_drift = 1;
	v->drift_run_ms = t;
}

static void serving_step_version(struct serving_dep *d, int di, struct serving_version *v,
                                 double n_mean, int64_t t0, int64_t t);

void serving_advance(int64_t t)
{
	double dt;

	if (t <= serving_last)
		return;
	dt = (double)(t - serving_last) / 1000.0;
	for (int i = 0; i < serving_n; i++) {
		struct serving_dep *d = &serving_deps[i];
		double n = serving_rps(d, t) * dt;

		for (int j = 0; j < d->n_versions; j++)
			serving_step_version(d, i, &d->v[j], n * d->v[j].percent / 100.0,
			                     serving_last, t);
	}
	serving_last = t;
}

/* Probability that a sample's feature f comes from the drifted distribution. */
static double serving_drift_share(double psi)
{
	return psi > 0.15 ? (psi * 2.5 < 0.9 ? psi * 2.5 : 0.9) : psi;
}

static double serving_feature_value(const struct serving_feature *f, double psi, struct rng *r)
{
	int drifted = rng_unit(r) < serving_drift_share(psi);
	double x;

	if (f->kind == FEATURE_CAT) {
		if (drifted && f->n_cats > f->n_ref_cats)
			return (double)rng_range(r, f->n_ref_cats, f->n_cats - 1);
		return (double)rng_range(r, 0, f->n_ref_cats - 1);
	}
	x = drifted ? f->drift_mean + f->drift_sd * rng_gauss(r) : f->mean + f->sd * rng_gauss(r);
	x = x < f->lo ? f->lo : x > f->hi ? f->hi : x;
	return f->kind == FEATURE_INT ? round(x) : round(x * 100) / 100;
}

static void serving_make_samples(struct serving_dep *d, int di, struct serving_version *v,
                                 double failed, double err_share, int64_t t0, int64_t t)
{
	struct rng *r = ops_rng();
	uint64_t k = serving_draw(failed * SAMPLE_FRACTION, &v->carry_sample);

	if (k > SAMPLE_MAX_STEP)
		k = SAMPLE_MAX_STEP;
	for (uint64_t i = 0; i < k; i++) {
		struct samples_rec rec;

		memset(&rec, 0, sizeof(rec));
		rec.ms = t0 + (int64_t)(((double)i + rng_unit(r)) / (double)k * (double)(t - t0));
		rec.version = (int)(v - d->v);
		for (int f = 0; f < d->n_features; f++)
			rec.input[f] = serving_feature_value(&d->features[f], v->prof.drift[f], r);
		rec.label_pos = rng_unit(r) < 0.5;
		if (rng_unit(r) < err_share) {
			rec.code = rng_unit(r) < 0.85 ? 500 : 503;
		} else {
			rec.code = 200;
			rec.predicted_pos = !rec.label_pos;
			rec.score = rec.predicted_pos ? rng_uniform(r, 0.5, 0.97)
			                              : rng_uniform(r, 0.03, 0.5);
		}
		samples_add(di, &rec);
	}
}

static void serving_step_version(struct serving_dep *d, int di, struct serving_version *v,
                                 double n_mean, int64_t t0, int64_t t)
{
	struct rng *r = ops_rng();
	double p[SERVING_NCODES], jitter = exp(0.04 * rng_gauss(r)), median;
	uint64_t got[SERVING_NCODES], n = 0, b[SERVING_NBUCKETS];
	struct serving_slot *slot;

	if (n_mean <= 0 && v->percent == 0)
		goto drift;
	p[2] = v->prof.err_rate * 0.85;
	p[3] = v->prof.err_rate * 0.15;
	p[1] = CLIENT_ERR_RATE;
	p[0] = 1 - p[1] - p[2] - p[3];
	for (int c = 0; c < SERVING_NCODES; c++) {
		got[c] = serving_draw(n_mean * p[c], &v->carry_code[c]);
		v->req[c] += got[c];
		n += got[c];
	}
	median = v->prof.lat_median_s * jitter;
	serving_spread(v, n, median, b);
	slot = serving_slot_for(v, t);
	slot->req += (double)n;
	slot->err += (double)(got[2] + got[3]);
	for (int k = 0; k < SERVING_NBUCKETS; k++) {
		v->bucket[k] += b[k];
		slot->bucket[k] += (double)b[k];
	}
	v->sum_s += (double)n * median * exp(v->prof.lat_sigma * v->prof.lat_sigma / 2);
	if (n) {
		double errs = (double)(got[2] + got[3]);
		double misses = (double)got[0] * v->prof.miss_rate;
		serving_make_samples(d, di, v, errs + misses, errs / (errs + misses + 1e-9), t0, t);
	}
drift:
	if (serving_recent_requests(v, t) < DRIFT_MIN_REQUESTS)
		v->has_drift = 0;
	else if (!v->has_drift || t - v->drift_run_ms >= SERVING_DRIFT_EVERY_MS)
		serving_drift_run(d, v, t);
}
