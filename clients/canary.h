/* canary: the verdict on a canary against the stable version it may replace, from counts and
 * latencies over the same window, by a rule the operator can check by hand:
 *
 *  - errors: a two-proportion z-test on the error ratios. With e errors of n requests on each
 *    side, p = (e_c + e_s) / (n_c + n_s), se = sqrt(p (1 - p) (1/n_c + 1/n_s)),
 *    z = (e_c/n_c - e_s/n_s) / se, and the two-sided p-value erfc(|z| / sqrt 2). The canary is
 *    worse when z > z_crit, better when z < -z_crit (z_crit 1.96: 5 %), else no different.
 *  - latency: the ratio of the p95s, canary / stable. Worse above the tolerance (1.2), better
 *    below its inverse, else no different.
 *  - either side under min_requests requests in the window: not enough traffic yet, for both.
 *
 * The overall verdict is worse when a figure is worse, not enough traffic when one lacks it,
 * better when one is better, else no different. No I/O, no state: the Serving panel's canary view
 * shows every number this computes. */
#ifndef MLTOP_CANARY_H
#define MLTOP_CANARY_H

#define CANARY_MIN_REQUESTS 500
#define CANARY_Z_CRIT       1.96
#define CANARY_P95_TOL      1.2

enum canary_verdict {
	CANARY_NOT_ENOUGH, /* not enough traffic yet */
	CANARY_SAME,       /* no significant difference */
	CANARY_BETTER,
	CANARY_WORSE,
};

struct canary_side {
	double requests; /* in the window; NaN when unknown */
	double errors;   /* in the window; NaN when unknown */
	double p95_s;    /* NaN when unknown */
};

struct canary_rule {
	double min_requests; /* <= 0: CANARY_MIN_REQUESTS */
	double z_crit;       /* <= 0: CANARY_Z_CRIT */
	double p95_tol;      /* <= 1: CANARY_P95_TOL */
};

struct canary_result {
	struct canary_rule rule; /* the rule applied, defaults filled in */
	enum canary_verdict errors, latency, overall;
	double err_canary, err_stable; /* error ratios, NaN when unknown */
	double z, p;                   /* NaN when the test could not run */
	double p95_ratio;              /* NaN when unknown */
};

/* Applies the rule (NULL: the defaults) to canary and stable. */
void canary_judge(const struct canary_side *canary, const struct canary_side *stable,
                  const struct canary_rule *rule, struct canary_result *out);

/* The two-proportion z statistic and its two-sided p-value; 0 and 1 when the pooled ratio is 0
 * or 1 (no variance), NaN for counts that are not counts. */
double canary_z(double e_c, double n_c, double e_s, double n_s);
double canary_p_two_sided(double z);

/* "better", "worse", "no difference", "not enough traffic yet". */
const char *canary_verdict_name(enum canary_verdict v);

#endif
