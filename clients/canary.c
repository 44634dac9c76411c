#include "clients/canary.h"

#include <math.h>
#include <stddef.h>

double canary_z(double e_c, double n_c, double e_s, double n_s)
{
	if (!(n_c > 0) || !(n_s > 0) || !(e_c >= 0) || !(e_s >= 0) || e_c > n_c || e_s > n_s)
		return NAN;
	double p = (e_c + e_s) / (n_c + n_s);
	double se = sqrt(p * (1 - p) * (1 / n_c + 1 / n_s));
	if (!(se > 0))
		return 0;
	return (e_c / n_c - e_s / n_s) / se;
}

double canary_p_two_sided(double z)
{
	return isnan(z) ? NAN : erfc(fabs(z) / sqrt(2.0));
}

const char *canary_verdict_name(enum canary_verdict v)
{
	switch (v) {
	case CANARY_BETTER:
		return "better";
	case CANARY_WORSE:
		return "worse";
	case CANARY_SAME:
		return "no difference";
	default:
		return "not enough traffic yet";
	}
}

static struct canary_rule canary_rule_fill(const struct canary_rule *r)
{
	struct canary_rule out = {CANARY_MIN_REQUESTS, CANARY_Z_CRIT, CANARY_P95_TOL};
	if (r && r->min_requests > 0)
		out.min_requests = r->min_requests;
	if (r && r->z_crit > 0)
		out.z_crit = r->z_crit;
	if (r && r->p95_tol > 1)
		out.p95_tol = r->p95_tol;
	return out;
}

static enum canary_verdict canary_latency(const struct canary_side *c, const struct canary_side *s,
                                          struct canary_result *out)
{
	out->p95_ratio = c->p95_s > 0 && s->p95_s > 0 ? c->p95_s / s->p95_s : NAN;
	if (isnan(out->p95_ratio))
		return CANARY_NOT_ENOUGH;
	if (out->p95_ratio > out->rule.p95_tol)
		return CANARY_WORSE;
	if (out->p95_ratio < 1 / out->rule.p95_tol)
		return CANARY_BETTER;
	return CANARY_SAME;
}

static enum canary_verdict canary_errors(const struct canary_side *c, const struct canary_side *s,
                                         struct canary_result *out)
{
	out->err_canary = c->requests > 0 ? c->errors / c->requests : NAN;
	out->err_stable = s->requests > 0 ? s->errors / s->requests : NAN;
	out->z = canary_z(c->errors, c->requests, s->errors, s->requests);
	out->p = canary_p_two_sided(out->z);
	if (isnan(out->z))
		return CANARY_NOT_ENOUGH;
	if (out->z > out->rule.z_crit)
		return CANARY_WORSE;
	if (out->z < -out->rule.z_crit)
		return CANARY_BETTER;
	return CANARY_SAME;
}

static int canary_enough(const struct canary_side *side, double min)
{
	return side->requests >= min; /* false for NaN */
}

void canary_judge(const struct canary_side *canary, const struct canary_side *stable,
                  const struct canary_rule *rule, struct canary_result *out)
{
	out->rule = canary_rule_fill(rule);
	out->errors = canary_errors(canary, stable, out);
	out->latency = canary_latency(canary, stable, out);
	if (!canary_enough(canary, out->rule.min_requests) ||
	    !canary_enough(stable, out->rule.min_requests)) {
		out->errors = out->latency = out->overall = CANARY_NOT_ENOUGH;
		return;
	}
	if (out->errors == CANARY_WORSE || out->latency == CANARY_WORSE)
		out->overall = CANARY_WORSE;
	else if (out->errors == CANARY_NOT_ENOUGH || out->latency == CANARY_NOT_ENOUGH)
		out->overall = CANARY_NOT_ENOUGH;
	else if (out->errors == CANARY_BETTER || out->latency == CANARY_BETTER)
		out->overall = CANARY_BETTER;
	else
		out->overall = CANARY_SAME;
}
