/* serving.h: the simulated serving world: one deployment (InferenceService) per registered model,
 * each with versions that have their own latency, error rate and drift, and traffic that follows
 * the split KServe sets. Every counter only grows. */
#ifndef MLTOP_SIM_SERVING_H
#define MLTOP_SIM_SERVING_H

#include <stdint.h>

#define SERVING_NS             "models"
#define SERVING_MAX_DEPS       3    /* the seeded deployments, which have alerts and samples */
#define SERVING_MAX_EXTRA      1000 /* more for benchmarks (--deployments) */
#define SERVING_MAX_ALL        (SERVING_MAX_DEPS + SERVING_MAX_EXTRA)
#define SERVING_MAX_VERSIONS   8
#define SERVING_MAX_FEATURES   5
#define SERVING_MAX_CATS       6
#define SERVING_NBUCKETS       10 /* the last one is +Inf */
#define SERVING_NCODES         4
#define SERVING_WINDOW_SLOTS   30 /* the alerting window: 30 slots of 10 s */
#define SERVING_SLOT_MS        10000
#define SERVING_DRIFT_EVERY_MS 60000
#define SERVING_SLO_P99_S      0.15

extern const double serving_bucket_le[SERVING_NBUCKETS - 1];
extern const char *const serving_bucket_le_str[SERVING_NBUCKETS];
extern const char *const serving_codes[SERVING_NCODES];

enum serving_feature_kind { FEATURE_INT, FEATURE_FLOAT, FEATURE_CAT };

/* One input feature: its reference distribution (normal with mean/sd, clamped to [lo, hi]; or
 * categories) and how it looks when drifted. Values outside [ref_lo, ref_hi] (or categories not in
 * the first n_ref_cats) are "unusual" for /samples?feature=. */
struct serving_feature {
	const char *name;
	enum serving_feature_kind kind;
	double mean, sd, lo, hi;
	double drift_mean, drift_sd;
	double ref_lo, ref_hi;
	const char *cats[SERVING_MAX_CATS];
	int n_cats, n_ref_cats;
};

/* Behaviour of one version, fixed at creation. */
struct serving_profile {
	double lat_median_s, lat_sigma; /* lognormal latency */
	double err_rate;                /* share of 5xx */
	double miss_rate;               /* share of wrong predictions among the 200s */
	double drift[SERVING_MAX_FEATURES];
	double pred_drift;
};

struct serving_slot {
	int64_t epoch; /* now_ms / SERVING_SLOT_MS of the data in it */
	double req, err;
	double bucket[SERVING_NBUCKETS];
};

struct serving_version {
	char name[16]; /* "v5" */
	struct serving_profile prof;
	int percent; /* share of the deployment's traffic, set by KServe */
	/* exported counters */
	uint64_t req[SERVING_NCODES];
	uint64_t bucket[SERVING_NBUCKETS]; /* per bucket, not cumulative */
	double sum_s;
	double carry_bucket[SERVING_NBUCKETS], carry_code[SERVING_NCODES], carry_sample;
	/* the alerting window */
	struct serving_slot win[SERVING_WINDOW_SLOTS];
	/* the drift monitor's last run (has_drift 0 while the version has no recent traffic) */
	int has_drift;
	int64_t drift_run_ms;
	double drift_psi[SERVING_MAX_FEATURES], drift_ks[SERVING_MAX_FEATURES],
	    drift_pvalue[SERVING_MAX_FEATURES], drift_pred;
};

struct serving_dep {
	char name[64];
	double base_rps;
	const struct serving_feature *features;
	int n_features;
	const char *pred_pos, *pred_neg; /* the two classes */
	struct serving_version v[SERVING_MAX_VERSIONS];
	int n_versions;
	int stable; /* the version that serves before any rollout */
};

/* Builds the world (seeded through ops_rng) with its clock at now_ms, and extra more
 * deployments "bench-0001"… of one healthy version each (at most SERVING_MAX_EXTRA). */
void serving_init(int64_t now_ms, int extra);
/* The world time up to which traffic has been integrated. */
int64_t serving_last_ms(void);
/* Integrates one step of traffic, samples and drift runs from serving_last_ms() to t (ops_tick
 * cuts long intervals into bounded steps). */
void serving_advance(int64_t t);

int serving_dep_count(void);
struct serving_dep *serving_dep_at(int i);
struct serving_dep *serving_dep_find(const char *name);
/* The index of version name ("v5") in d, or -1. */
int serving_version_find(const struct serving_dep *d, const char *name);
/* Adds a version (from the registry) with a default, healthy profile; index or -1 when full. */
int serving_version_add(struct serving_dep *d, const char *name);
/* Sets the traffic split: percent[i] for version i (they sum to 100). */
void serving_set_split(struct serving_dep *d, const int *percent);

/* Over the alerting window (the last 5 minutes): requests, 5xx ratio, and the p99 latency in
 * seconds interpolated as histogram_quantile does. Ratio and p99 are NaN without traffic. */
double serving_window_requests(const struct serving_version *v, int64_t now_ms);
double serving_window_error_ratio(const struct serving_version *v, int64_t now_ms);
double serving_window_p99(const struct serving_version *v, int64_t now_ms);

#endif
