#include "panels/serving_canary.h"

#include <math.h>
#include <stdio.h>
#include <string.h>

#include "panels/notice.h"
#include "tui/widgets/text.h"

static struct canary_side side_of(const struct serving_line *l, double window_s)
{
	double n = l->value[PROM_FIG_RPS] * window_s;
	return (struct canary_side){
	    .requests = n,
	    .errors = n * l->value[PROM_FIG_ERROR_RATIO],
	    .p95_s = l->value[PROM_FIG_P95],
	};
}

int serving_canary_judge(const struct serving_dep *d, double window_s, struct canary_result *r)
{
	const struct serving_line *c = serving_canary_line(d), *s = serving_stable_line(d);
	if (!c || !s)
		return -1;
	struct canary_side cs = side_of(c, window_s), ss = side_of(s, window_s);
	struct canary_rule rule = {.p95_tol = d->p95_tol};
	canary_judge(&cs, &ss, &rule, r);
	return 0;
}

static void fig(char *buf, size_t n, double x, const char *unit, double scale, int dec)
{
	if (isnan(x))
		snprintf(buf, n, "–");
	else
		snprintf(buf, n, "%.*f%s", dec, x * scale, unit);
}

static enum role verdict_role(enum canary_verdict v)
{
	return v == CANARY_WORSE ? ROLE_CRIT : v == CANARY_BETTER ? ROLE_OK : ROLE_MUTED;
}

/* Columns of 15 cells: "–" is one cell of three bytes. */
static int pad(const char *s)
{
	int cells = 0;
	for (; *s; s++)
		cells += ((unsigned char)*s & 0xc0) != 0x80;
	return cells < 15 ? 15 - cells : 0;
}

static void row(WINDOW *w, int y, const struct theme *t, const char *name, const char *a,
                const char *b, enum role r, const char *why)
{
	char line[512];
	snprintf(line, sizeof line, "  %-9s %s%*s %s%*s %s", name, a, pad(a), "", b, pad(b), "",
	         why);
	notice_line(w, y, 0, t, r, line);
}

static int figures(WINDOW *w, int y, const struct theme *t, const struct serving_line *c,
                   const struct serving_line *s)
{
	static const struct {
		const char *name;
		int f;
		const char *unit;
		double scale;
		int dec;
	} f[] = {{"rps", PROM_FIG_RPS, "", 1, 1},
	         {"p50", PROM_FIG_P50, " ms", 1000, 0},
	         {"p99", PROM_FIG_P99, " ms", 1000, 0},
	         {"drift", PROM_FIG_DRIFT, "", 1, 2}};
	for (size_t i = 0; i < sizeof f / sizeof f[0]; i++) {
		char a[64], b[64];
		fig(a, sizeof a, c->value[f[i].f], f[i].unit, f[i].scale, f[i].dec);
		fig(b, sizeof b, s->value[f[i].f], f[i].unit, f[i].scale, f[i].dec);
		row(w, y++, t, f[i].name, a, b, ROLE_NORMAL, "");
	}
	return y;
}

static int judged(WINDOW *w, int y, const struct theme *t, const struct serving_line *c,
                  const struct serving_line *s, const struct canary_result *r, double window_s)
{
	char a[64], b[64], why[256];
	struct canary_side cs = side_of(c, window_s), ss = side_of(s, window_s);
	fig(a, sizeof a, cs.requests, "", 1, 0);
	fig(b, sizeof b, ss.requests, "", 1, 0);
	snprintf(why, sizeof why, "at least %.0f each side", r->rule.min_requests);
	row(w, y++, t, "requests", a, b, ROLE_NORMAL, why);
	snprintf(a, sizeof a, "%.2f %% (%.0f)", r->err_canary * 100, cs.errors);
	snprintf(b, sizeof b, "%.2f %% (%.0f)", r->err_stable * 100, ss.errors);
	char pv[32];
	if (r->p < 0.001)
		snprintf(pv, sizeof pv, "p < 0.001");
	else
		snprintf(pv, sizeof pv, "p = %.3f", r->p);
	snprintf(why, sizeof why, "%s: z = %.2f, %s (two-proportion, |z| > %.2f)",
	         canary_verdict_name(r->errors), r->z, pv, r->rule.z_crit);
	row(w, y++, t, "errors", isnan(r->err_canary) ? "–" : a, isnan(r->err_stable) ? "–" : b,
	    verdict_role(r->errors), why);
	fig(a, sizeof a, c->value[PROM_FIG_P95], " ms", 1000, 0);
	fig(b, sizeof b, s->value[PROM_FIG_P95], " ms", 1000, 0);
	snprintf(why, sizeof why, "%s: ratio %.2f (tolerance %.2f)",
	         canary_verdict_name(r->latency), r->p95_ratio, r->rule.p95_tol);
	row(w, y++, t, "p95", a, b, verdict_role(r->latency), why);
	return figures(w, y, t, c, s);
}

/* Why there is no canary to judge, sanitized into buf. */
static void no_canary(const struct serving_dep *d, char *buf, size_t n)
{
	char raw[400] = "one version takes the traffic";
	for (size_t i = 0; i < d->n; i++) {
		const struct serving_line *l = &d->lines[i];
		const char *v = l->version[0] ? l->version : "a version not in the registry";
		if (l->state == SERVING_LINE_STARTING)
			snprintf(raw, sizeof raw, "%s starting (revision %s not ready yet)", v,
			         l->revision);
		else if (l->state == SERVING_LINE_FAILED)
			snprintf(raw, sizeof raw, "%s failed (revision %s), it never got traffic",
			         v, l->revision);
	}
	if (d->raw)
		snprintf(raw, sizeof raw, "raw deployment: canaries not supported");
	text_sanitize(raw, strlen(raw), buf, n);
}

void serving_canary_draw(WINDOW *w, int y, const struct theme *t, const struct serving_dep *d,
                         double window_s, int utf8)
{
	char name[160], line[512], cv[600], sv[80];
	text_sanitize(d->name, strlen(d->name), name, sizeof name);
	const struct serving_line *c = serving_canary_line(d), *s = serving_stable_line(d);
	struct canary_result r;
	if (d->ready != 1 && d->why[0]) {
		snprintf(line, sizeof line, "%s: %s", d->ready == 0 ? "not Ready" : "Ready Unknown",
		         d->why);
		text_sanitize(line, strlen(line), cv, sizeof cv);
		notice_line(w, y + 1, 1, t, d->ready == 0 ? ROLE_CRIT : ROLE_WARN, cv);
	}
	if (serving_canary_judge(d, window_s, &r) < 0) {
		no_canary(d, cv, sizeof cv);
		snprintf(line, sizeof line, "Serving %s %s %s no canary: %s", utf8 ? "›" : ">",
		         name, utf8 ? "›" : ">", s ? cv : "no version known");
		notice_line(w, y, 1, t, ROLE_ACCENT, line);
		return;
	}
	text_sanitize(c->version, strlen(c->version), cv, sizeof cv);
	text_sanitize(s->version, strlen(s->version), sv, sizeof sv);
	snprintf(line, sizeof line,
	         "Serving %s %s %s canary %s (%d %%) vs stable %s (%d %%) %s "
	         "window %.0f s",
	         utf8 ? "›" : ">", name, utf8 ? "›" : ">", cv, c->percent, sv, s->percent,
	         utf8 ? "·" : "-", window_s);
	notice_line(w, y++, 1, t, ROLE_ACCENT, line);
	snprintf(line, sizeof line, "canary %s", cv);
	snprintf(name, sizeof name, "stable %s", sv);
	row(w, ++y, t, "", line, name, ROLE_COLHEAD, "verdict");
	y = judged(w, y + 1, t, c, s, &r, window_s);
	snprintf(line, sizeof line, "verdict: %s", canary_verdict_name(r.overall));
	notice_line(w, ++y, 1, t, verdict_role(r.overall), line);
	notice_line(w, y + 1, 1, t, ROLE_MUTED,
	            "rule: worse if errors are higher (z-test at 5 %) or p95 over the tolerance; "
	            "requests = rps x window");
}
