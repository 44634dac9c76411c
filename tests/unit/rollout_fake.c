#include "tests/unit/rollout_fake.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

struct rollout {
	rollout_event_fn fn;
	void *ud;
	int in_flight;
	const struct rollout_plan *plan;
};

struct rollout_fake_calls rollout_fake_calls;
static struct rollout *last;
static struct rollout_plan *next_plan, *undo_plan;
static char next_error[256];

void rollout_fake_reset(void)
{
	memset(&rollout_fake_calls, 0, sizeof rollout_fake_calls);
	next_plan = undo_plan = NULL;
	next_error[0] = '\0';
}

void rollout_fake_next_plan(struct rollout_plan *p, const char *error)
{
	next_plan = p;
	snprintf(next_error, sizeof next_error, "%s", error ? error : "");
}

void rollout_fake_undo_plan(struct rollout_plan *p)
{
	undo_plan = p;
}

static void emit(struct rollout *r, enum rollout_phase phase, size_t step, const char *changed,
                 const char *err)
{
	struct err e = {0};
	if (err)
		err_set(&e, ERR_STATE, "%s", err);
	struct rollout_event ev = {.phase = phase,
	                           .plan = r->plan,
	                           .step = step,
	                           .changed = changed,
	                           .err = err ? &e : NULL};
	if (phase == ROLLOUT_FINISHED || phase == ROLLOUT_PARTIAL || phase == ROLLOUT_REFUSED)
		r->in_flight = 0;
	r->fn(r->ud, &ev);
}

void rollout_fake_emit(enum rollout_phase phase, size_t step, const char *changed, const char *err)
{
	emit(last, phase, step, changed, err);
}

struct rollout *rollout_new(const struct rollout_env *env, rollout_event_fn fn, void *ud,
                            struct err *e)
{
	struct rollout *r = calloc(1, sizeof *r);
	if (!r) {
		err_set(e, ERR_NOMEM, "out of memory");
		return NULL;
	}
	r->fn = fn;
	r->ud = ud;
	rollout_fake_calls.news++;
	rollout_fake_calls.readonly = env->readonly;
	last = r;
	return r;
}

void rollout_free(struct rollout **r)
{
	if (*r == last)
		last = NULL;
	free(*r);
	*r = NULL;
}

int rollout_read(struct rollout *r, enum rollout_action action, const char *model,
                 const char *version, int percent, struct err *e)
{
	(void)e;
	struct rollout_fake_calls *c = &rollout_fake_calls;
	c->reads++;
	c->action = action;
	snprintf(c->model, sizeof c->model, "%s", model ? model : "");
	snprintf(c->version, sizeof c->version, "%s", version ? version : "");
	c->percent = percent;
	r->plan = next_plan;
	emit(r, ROLLOUT_READING, 0, NULL, NULL);
	emit(r, ROLLOUT_PLANNED, 0, NULL, next_plan ? NULL : next_error);
	return 0;
}

int rollout_exec(struct rollout *r, const char *reason, struct err *e)
{
	if (!r->plan)
		return err_set(e, ERR_STATE, "no plan to run");
	rollout_fake_calls.execs++;
	snprintf(rollout_fake_calls.reason, sizeof rollout_fake_calls.reason, "%s",
	         reason ? reason : "");
	r->in_flight = 1;
	emit(r, ROLLOUT_CHECKING, 0, NULL, NULL);
	return 0;
}

int rollout_retry(struct rollout *r, struct err *e)
{
	(void)e;
	rollout_fake_calls.retries++;
	r->in_flight = 1;
	emit(r, ROLLOUT_CHECKING, 0, NULL, NULL);
	return 0;
}

int rollout_undo(struct rollout *r, struct err *e)
{
	(void)e;
	rollout_fake_calls.undos++;
	r->in_flight = 1;
	if (undo_plan)
		r->plan = undo_plan;
	emit(r, ROLLOUT_CHECKING, 0, NULL, NULL);
	return 0;
}

void rollout_cancel(struct rollout *r)
{
	rollout_fake_calls.cancels++;
	r->plan = NULL;
}

int rollout_in_flight(const struct rollout *r)
{
	return r->in_flight;
}

const struct rollout_plan *rollout_current(const struct rollout *r)
{
	return r->plan;
}

void rollout_poll(struct rollout *r)
{
	(void)r;
}

/* ---- plans ---- */

static char *dup_fmt(const char *fmt, const char *a, const char *b)
{
	char buf[512];
	snprintf(buf, sizeof buf, fmt, a, b);
	return strdup(buf);
}

static void fill_step(struct rollout_step *s, size_t i, const char *model, const char *to,
                      int percent)
{
	char pct[16];
	snprintf(pct, sizeof pct, "%d", percent);
	s->backend = i == 0 ? ROLLOUT_KSERVE : ROLLOUT_MLFLOW;
	if (i == 0) {
		s->summary = dup_fmt("KServe %s: canaryTrafficPercent %s", model, pct);
		s->method = strdup("PATCH");
		s->path = dup_fmt("/apis/serving.kserve.io/v1beta1/namespaces/ml/"
		                  "inferenceservices/%s%s",
		                  model, "");
		s->body = dup_fmt(
		    "{\"metadata\":{\"resourceVersion\":\"4711\"},\"spec\":{\"predictor\":"
		    "{\"canaryTrafficPercent\":%s,\"model\":{\"storageUri\":\"s3://m/%s\"}}}}",
		    pct, to);
		s->expect = strdup("generation 2 (resourceVersion 4711), canaryTrafficPercent 0");
	} else {
		s->summary = dup_fmt("MLflow %s: alias challenger → %s", model, to);
		s->method = strdup("POST");
		s->path = strdup("/api/2.0/mlflow/registered-models/alias");
		s->body = dup_fmt("{\"name\":\"%s\",\"alias\":\"challenger\",\"version\":\"%s\"}",
		                  model, to);
		s->expect = strdup("alias challenger unset");
	}
}

static struct rollout_plan *plan_new(enum rollout_action action, const char *model,
                                     const char *from, const char *to, int percent, size_t n)
{
	struct rollout_plan *p = calloc(1, sizeof *p);
	p->action = action;
	p->model = strdup(model);
	p->from_version = from ? strdup(from) : NULL;
	p->to_version = to ? strdup(to) : NULL;
	p->percent = percent;
	p->full_traffic = percent == 100;
	p->steps = calloc(n ? n : 1, sizeof *p->steps);
	p->n = n;
	for (size_t i = 0; i < n; i++)
		fill_step(&p->steps[i], i, model, to ? to : "", percent);
	return p;
}

struct rollout_plan *rollout_fake_plan(enum rollout_action action, const char *model,
                                       const char *from, const char *to, int percent, size_t n)
{
	struct rollout_plan *p = plan_new(action, model, from, to, percent, n);
	p->inverse = plan_new(ROLLOUT_ROLLBACK, model, to, from, 0, n);
	return p;
}

void rollout_fake_plan_free(struct rollout_plan **pp)
{
	struct rollout_plan *p = *pp;
	if (!p)
		return;
	rollout_fake_plan_free(&p->inverse);
	for (size_t i = 0; i < p->n; i++) {
		struct rollout_step *s = &p->steps[i];
		free(s->summary), free(s->method), free(s->path), free(s->body), free(s->expect);
		free(s->answer);
	}
	free(p->steps);
	free(p->model), free(p->from_version), free(p->to_version);
	free(p);
	*pp = NULL;
}
