/* ops.c: the ops side of mltop-sim: the serving world and the endpoints that show it (/metrics,
 * KServe, Alertmanager, /samples, /-/sim/ control), plus the small helpers of ops.h. */
#include "sim/ops.h"

#include <cjson/cJSON.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "sim/alerts.h"
#include "sim/alerts_scale.h"
#include "sim/alerts_world.h"
#include "sim/fault.h"
#include "sim/kserve.h"
#include "sim/kserve_ctl.h"
#include "sim/metrics.h"
#include "sim/samples.h"
#include "sim/serving.h"
#include "sim/state.h"

/* How much world history exists when the simulator starts (so windows and rings are full). */
#define OPS_WARMUP_MS (10 * 60 * 1000)
/* The most integration steps per tick: a jump of a day is integrated in 4000 steps. */
#define OPS_MAX_STEPS   4000
#define OPS_MIN_STEP_MS 1000

static struct rng ops_world_rng;

struct rng *ops_rng(void)
{
	return &ops_world_rng;
}

void ops_buf_append(struct ops_buf *b, const char *s, size_t n)
{
	if (b->len + n + 1 > b->cap) {
		size_t cap = b->cap ? b->cap : 4096;
		char *p;
		while (cap < b->len + n + 1)
			cap *= 2;
		p = realloc(b->s, cap);
		if (!p)
			abort();
		b->s = p;
		b->cap = cap;
	}
	memcpy(b->s + b->len, s, n);
	b->len += n;
	b->s[b->len] = '\0';
}

void ops_buf_printf(struct ops_buf *b, const char *fmt, ...)
{
	char small[512], *big;
	va_list ap;
	int n;

	va_start(ap, fmt);
	n = vsnprintf(small, sizeof(small), fmt, ap);
	va_end(ap);
	if (n < 0)
		return;
	if ((size_t)n < sizeof(small)) {
		ops_buf_append(b, small, (size_t)n);
		return;
	}
	big = malloc((size_t)n + 1);
	if (!big)
		abort();
	va_start(ap, fmt);
	vsnprintf(big, (size_t)n + 1, fmt, ap);
	va_end(ap);
	ops_buf_append(b, big, (size_t)n);
	free(big);
}

void ops_buf_respond(struct ops_buf *b, struct sim_resp *resp, int status, const char *ctype)
{
	ops_buf_append(b, "", 0);
	resp->status = status;
	resp->content_type = ctype;
	resp->body = b->s;
	resp->len = b->len;
	b->s = NULL;
	b->len = b->cap = 0;
}

void ops_resp_empty(struct sim_resp *resp, int status)
{
	resp->status = status;
	resp->content_type = NULL;
	resp->body = NULL;
	resp->len = 0;
}

void ops_time_fmt(int64_t ms, char *out)
{
	time_t secs = (time_t)(ms >= 0 ? ms / 1000 : (ms - 999) / 1000);
	struct tm tm;

	gmtime_r(&secs, &tm);
	strftime(out, 24, "%Y-%m-%dT%H:%M:%S", &tm);
	snprintf(out + strlen(out), 8, ".%03dZ", (int)(ms - (int64_t)secs * 1000));
}

void ops_json_time(void *obj, const char *key, int64_t ms)
{
	char t[32];

	ops_time_fmt(ms, t);
	cJSON_AddStringToObject(obj, key, t);
}

void ops_resp_am_error(struct sim_resp *resp, int status, int code, const char *msg)
{
	cJSON *o = cJSON_CreateObject();

	cJSON_AddNumberToObject(o, "code", code);
	cJSON_AddStringToObject(o, "message", msg);
	sim_resp_json(resp, status, o);
}

static int ops_time_parse_zone(const char *p, int64_t *off_ms)
{
	int hh, mm;

	*off_ms = 0;
	if ((*p == 'Z' || *p == 'z') && p[1] == '\0')
		return 0;
	if ((*p == '+' || *p == '-') && sscanf(p + 1, "%2d:%2d", &hh, &mm) == 2 && strlen(p) == 6) {
		*off_ms = ((int64_t)hh * 3600 + mm * 60) * 1000 * (*p == '-' ? -1 : 1);
		return 0;
	}
	return -1;
}

int ops_time_parse(const char *s, int64_t *ms)
{
	struct tm tm;
	int n = 0;
	double frac = 0;
	const char *p;
	char *end;
	int64_t off;

	if (!s || !*s)
		return -1;
	frac = strtod(s, &end);
	if (*end == '\0') {
		if (!(frac >= 0 && frac < 1e12)) /* also refuses NaN */
			return -1;
		*ms = (int64_t)(frac * 1000.0);
		return 0;
	}
	memset(&tm, 0, sizeof(tm));
	if (sscanf(s, "%4d-%2d-%2dT%2d:%2d:%2d%n", &tm.tm_year, &tm.tm_mon, &tm.tm_mday,
	           &tm.tm_hour, &tm.tm_min, &tm.tm_sec, &n) != 6 ||
	    n != 19)
		return -1;
	tm.tm_year -= 1900;
	tm.tm_mon -= 1;
	p = s + n;
	frac = 0;
	if (*p == '.') {
		frac = strtod(p, &end);
		p = end;
	}
	if (ops_time_parse_zone(p, &off) < 0)
		return -1;
	*ms = (int64_t)timegm(&tm) * 1000 + (int64_t)(frac * 1000.0 + 0.5) - off;
	return 0;
}

int ops_init(const struct sim_opts *opts)
{
	int64_t now = sim_now_ms();

	rng_init(&ops_world_rng, rng_hash(opts->seed, 0x6f7073)); /* "ops" */
	fault_clear();
	samples_init();
	serving_init(now - OPS_WARMUP_MS, (int)opts->deployments);
	if (samples_bulk(opts->samples, opts->seed, now - OPS_WARMUP_MS) != 0)
		return -1;
	alerts_init(opts->alerts);
	if (kserve_ctl_init(opts->kserve_ready_ms, opts->kserve_raw) != 0) {
		fprintf(stderr, "mltop-sim: --kserve-raw: no deployment is named '%s'\n",
		        opts->kserve_raw);
		return -1;
	}
	ops_tick(now);
	alerts_scale_raise(opts->alerts, now);
	return 0;
}

void ops_tick(int64_t now_ms)
{
	int64_t t = serving_last_ms();
	int64_t step = (now_ms - t) / OPS_MAX_STEPS + 1;

	if (step < OPS_MIN_STEP_MS)
		step = OPS_MIN_STEP_MS;
	while (t < now_ms) {
		t = now_ms - t > step ? t + step : now_ms;
		kserve_ctl_tick(t);
		serving_advance(t);
		alerts_world_eval(t);
	}
	kserve_ctl_tick(now_ms);
}

int ops_route(const struct sim_req *req, struct sim_resp *resp)
{
	return fault_route(req, resp) || state_route(req, resp) || metrics_route(req, resp) ||
	       kserve_route(req, resp) || alerts_route(req, resp) || samples_route(req, resp);
}
