#include "clients/rollout_run.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "clients/cli.h"
#include "clients/clock.h"
#include "clients/config.h"
#include "clients/hook.h"
#include "clients/kserve.h"
#include "clients/mlflow.h"
#include "clients/mlflow_write.h"
#include "clients/rollout_audit.h"
#include "clients/rollout_reads.h"
#include "clients/rollout_step.h"

#define ANSWER_MAX 4096 /* of a backend's answer kept in a step (and its audit row) */

enum stage { S_IDLE, S_READING, S_PLANNED, S_CHECKING, S_WRITING, S_PARTIAL, S_DONE };
enum purpose { P_PLAN, P_CHECK, P_UNDO, P_ABORT };

struct rollout {
	struct rollout_env env;
	rollout_event_fn fn;
	void *ud;
	enum stage stage;
	enum purpose purpose;
	enum rollout_action action;
	char *model, *version;
	int percent;
	struct rollout_reads rd;
	struct rollout_plan *plan; /* read and confirmed */
	struct rollout_plan *undo; /* the plan of an undo, or of an abort, when one runs */
	/* an abort planned over a half-done action: the undo it replaces (NULL: the action itself
	 * was half-done), put back if the abort is cancelled */
	int aborting, held_ran;
	struct rollout_plan *held;
	struct rollout_plan *run; /* plan or undo */
	size_t next;              /* the step running or to run */
	char *reason;
	long op;           /* the write or the read of a step in flight, 0: none */
	struct hook *hook; /* the hook step running */
	int64_t ready_at;  /* a READY step: the next read (0: none due) */
	int64_t ready_until;
	struct err err;
};

static const char *registry_name(const struct rollout *r)
{
	const struct rollout_settings *s = r->env.settings;
	return s && s->model && s->model->registered ? s->model->registered : r->model;
}

static const char *isvc_name(const struct rollout *r)
{
	const struct rollout_settings *s = r->env.settings;
	return s && s->model && s->model->deployment ? s->model->deployment : r->model;
}

static void emit(struct rollout *r, enum rollout_phase ph, const char *changed, const struct err *e)
{
	struct rollout_event ev = {ph, r->run ? r->run : r->plan, r->next, changed, e};
	if (r->fn)
		r->fn(r->ud, &ev);
}

static struct rollout_who who_of(const struct rollout *r)
{
	return (struct rollout_who){r->env.user, r->env.host, r->env.context, r->reason};
}

static const char *audit_action(const struct rollout *r)
{
	if (r->run && r->run == r->undo)
		return r->undo->action == ROLLOUT_ABORT ? "abort" : "undo";
	return rollout_action_name(r->run->action);
}

/* ---- reading ---- */

static void reads_done(void *ud);

static int reads_start(struct rollout *r, enum purpose why, struct err *e)
{
	r->purpose = why;
	return rollout_reads_start(&r->rd, isvc_name(r), registry_name(r), e);
}

static void reads_fini(struct rollout *r)
{
	rollout_reads_fini(&r->rd);
}

/* ---- the steps ---- */

static void step_start(struct rollout *r);

static void step_end(struct rollout *r, int ok, long status, const char *answer)
{
	struct rollout_step *s = &r->run->steps[r->next];
	struct err e = {0};
	r->op = 0;
	s->state = ok ? ROLLOUT_DONE : ROLLOUT_FAILED;
	s->http_status = status;
	free(s->answer);
	int cut = s->backend == ROLLOUT_HOOK ? HOOK_OUTPUT_MAX + 256 : ANSWER_MAX;
	s->answer = cli_fmt("%.*s", cut, answer ? answer : "");
	struct rollout_who w = who_of(r);
	rollout_audit_step(r->env.cache, &w, audit_action(r), r->run, s, "after",
	                   ok ? "ok" : "failed", NULL);
	emit(r, ROLLOUT_STEPPED, NULL, NULL);
	if (ok) {
		r->next++;
		step_start(r);
		return;
	}
	for (size_t i = r->next + 1; i < r->run->n; i++)
		if (r->run->steps[i].state == ROLLOUT_PENDING)
			r->run->steps[i].state = ROLLOUT_SKIPPED;
	r->stage = S_PARTIAL;
	err_set(&e, ERR_STATE, "stopped at step %zu of %zu (%s): %s", r->next + 1, r->run->n,
	        s->summary, s->answer);
	r->err = e;
	emit(r, ROLLOUT_PARTIAL, NULL, &r->err);
}

static void on_patch(void *ud, struct kserve_event *ev)
{
	struct rollout *r = ud;
	char buf[ERR_MSG_MAX + 64];
	char pct[24] = "absent"; /* a negative percent: the field is not in the spec */
	if (ev->rc == 0 && ev->isvcs && ev->isvcs->n && ev->isvcs->v[0].canary_percent >= 0)
		snprintf(pct, sizeof pct, "%lld", (long long)ev->isvcs->v[0].canary_percent);
	if (ev->rc == 0 && ev->isvcs && ev->isvcs->n)
		snprintf(buf, sizeof buf, "%ld: resourceVersion %s, canaryTrafficPercent %s",
		         ev->http_status, ev->isvcs->v[0].resource_version, pct);
	else
		snprintf(buf, sizeof buf, "%s", ev->err ? ev->err->msg : "no answer");
	step_end(r, ev->rc == 0, ev->http_status, buf);
}

static void send_patch(struct rollout *r, struct rollout_step *s)
{
	struct err e = {0};
	long op = kserve_patch(r->env.kserve, r->run->isvc_name, s->body, s->content_type, on_patch,
	                       r, &e);
	if (op < 0)
		step_end(r, 0, 0, e.msg);
	else
		r->op = op;
}

/* The new revision is ready and the latestRevision entry names it. */
static int isvc_ready(const struct kserve_isvc *s)
{
	const struct kserve_traffic *t = kserve_traffic_latest(s);
	return s->latest_created && *s->latest_created &&
	       strcmp(s->latest_created, s->latest_ready ? s->latest_ready : "") == 0 && t &&
	       t->revision_name && strcmp(t->revision_name, s->latest_created) == 0;
}

static void on_fresh(void *ud, struct kserve_event *ev)
{
	struct rollout *r = ud;
	struct rollout_step *s = &r->run->steps[r->next];
	r->op = 0;
	const struct kserve_isvc *k =
	    ev->rc == 0 && ev->isvcs && ev->isvcs->n ? ev->isvcs->v : NULL;
	if (!k) {
		step_end(r, 0, ev->http_status, ev->err ? ev->err->msg : "no InferenceService");
		return;
	}
	if (s->rv_from == ROLLOUT_RV_READY && !isvc_ready(k)) {
		long poll = r->env.ready_poll_ms > 0 ? r->env.ready_poll_ms : 1000;
		r->ready_at = clock_mono_ms() + poll;
		return;
	}
	if (rollout_step_rebase(s, k->resource_version) < 0) {
		step_end(r, 0, 0, "out of memory");
		return;
	}
	send_patch(r, s);
}

static void fresh_read(struct rollout *r)
{
	struct err e = {0};
	long op = kserve_get(r->env.kserve, r->run->isvc_name, on_fresh, r, &e);
	if (op < 0)
		step_end(r, 0, 0, e.msg);
	else
		r->op = op;
}

static void on_registry(void *ud, struct mlflow_event *ev)
{
	struct rollout *r = ud;
	if (!ev->done)
		return;
	char buf[ERR_MSG_MAX + 16];
	if (ev->rc == 0)
		snprintf(buf, sizeof buf, "%ld OK", ev->http_status);
	else
		snprintf(buf, sizeof buf, "%s", ev->err ? ev->err->msg : "failed");
	step_end(r, ev->rc == 0, ev->http_status, buf);
}

static void start_kserve(struct rollout *r, struct rollout_step *s)
{
	if (!r->env.kserve) {
		step_end(r, 0, 0, "KServe is not configured in this context");
	} else if (s->rv_from == ROLLOUT_RV_PLAN) {
		send_patch(r, s);
	} else {
		long limit = r->env.ready_timeout_ms > 0 ? r->env.ready_timeout_ms : 300000;
		r->ready_until = clock_mono_ms() + limit;
		fresh_read(r);
	}
}

static void start_hook(struct rollout *r, struct rollout_step *s)
{
	struct err e = {0};
	const struct rollout_settings *cfg = r->env.settings;
	long t = cfg && cfg->hook_timeout_ms > 0 ? cfg->hook_timeout_ms : HOOK_TIMEOUT_MS;
	r->hook = hook_start((const char *const *)s->argv, (const char *const *)s->env, t, &e);
	if (!r->hook)
		step_end(r, 0, 0, e.msg);
}

static void step_start(struct rollout *r)
{
	while (r->next < r->run->n && r->run->steps[r->next].state == ROLLOUT_DONE)
		r->next++;
	if (r->next == r->run->n) {
		r->stage = S_DONE;
		emit(r, ROLLOUT_FINISHED, NULL, NULL);
		return;
	}
	struct rollout_step *s = &r->run->steps[r->next];
	struct rollout_who w = who_of(r);
	s->state = ROLLOUT_RUNNING;
	rollout_audit_step(r->env.cache, &w, audit_action(r), r->run, s, "before", NULL, NULL);
	emit(r, ROLLOUT_WRITING, NULL, NULL);
	if (s->backend == ROLLOUT_KSERVE) {
		start_kserve(r, s);
	} else if (s->backend == ROLLOUT_HOOK) {
		start_hook(r, s);
	} else {
		struct err e = {0};
		long op = r->env.mlflow ? mlflow_registry_send(r->env.mlflow, s->method, s->path,
		                                               s->body, on_registry, r, &e)
		                        : err_set(&e, ERR_CONFIG, "no MLflow in this context");
		if (op < 0)
			step_end(r, 0, 0, e.msg);
		else
			r->op = op;
	}
}

static void hook_ended(struct rollout *r)
{
	char line[160];
	size_t len;
	hook_describe(r->hook, line, sizeof line);
	const char *out = hook_output(r->hook, &len);
	char *answer = cli_fmt("%s\n%s", line, out);
	int ok = hook_exit_code(r->hook) == 0 && !hook_timed_out(r->hook);
	r->run->steps[r->next].exit_code = hook_exit_code(r->hook);
	hook_free(&r->hook);
	step_end(r, ok, 0, answer ? answer : line);
	free(answer);
}

/* ---- after the reads ---- */

static void planned(struct rollout *r, const struct rollout_state *st)
{
	struct err e = {0};
	if (r->rd.err.code) {
		r->stage = S_IDLE;
		r->err = r->rd.err;
		emit(r, ROLLOUT_PLANNED, NULL, &r->err);
		return;
	}
	r->plan =
	    rollout_plan_new(r->action, r->model, r->version, r->percent, st, r->env.settings, &e);
	r->stage = r->plan ? S_PLANNED : S_IDLE;
	r->err = e;
	emit(r, ROLLOUT_PLANNED, NULL, r->plan ? NULL : &r->err);
}

static void abort_dropped(struct rollout *r);
static void forget(struct rollout *r);

static void refused(struct rollout *r, const char *what, const struct err *unread)
{
	const struct rollout_plan *p = r->aborting ? r->undo : r->plan;
	struct rollout_who w = who_of(r);
	rollout_audit_note(r->env.cache, &w, rollout_action_name(p->action), p, "refused", what,
	                   NULL);
	r->stage = S_IDLE;
	r->run = NULL;
	if (r->aborting) /* still half-done */
		abort_dropped(r);
	emit(r, ROLLOUT_REFUSED, what, unread);
}

/* The steps that carry the plan's resourceVersion carry the one read again just now instead:
 * the check found the spec and the metadata as planned, so what moved it was the controller's
 * own status; a write by anyone after this read is still refused by the API server (409). */
static int rebase_plan(struct rollout_plan *p, const struct rollout_state *st)
{
	if (!st->isvc || !st->isvc->resource_version)
		return 0;
	for (size_t i = 0; i < p->n; i++)
		if (p->steps[i].backend == ROLLOUT_KSERVE &&
		    p->steps[i].rv_from == ROLLOUT_RV_PLAN &&
		    p->steps[i].state == ROLLOUT_PENDING &&
		    rollout_step_rebase(&p->steps[i], st->isvc->resource_version) < 0)
			return ERR_NOMEM;
	return 0;
}

static void checked(struct rollout *r, const struct rollout_state *st)
{
	char what[ERR_MSG_MAX];
	if (r->rd.err.code) {
		snprintf(what, sizeof what, "could not read the state again: %s", r->rd.err.msg);
		refused(r, what, &r->rd.err);
	} else if (rollout_plan_check(r->aborting ? r->undo : r->plan, st, what, sizeof what)) {
		refused(r, what, NULL);
	} else if (rebase_plan(r->aborting ? r->undo : r->plan, st) < 0) {
		err_set(&r->err, ERR_NOMEM, "out of memory");
		refused(r, "out of memory", &r->err);
	} else {
		r->stage = S_WRITING;
		r->run = r->aborting ? r->undo : r->plan;
		r->aborting = 0;
		rollout_plan_free(&r->held);
		r->next = 0;
		step_start(r);
	}
}

static int hook_done_in(const struct rollout_plan *p)
{
	for (size_t i = 0; i < p->n; i++)
		if (p->steps[i].backend == ROLLOUT_HOOK && p->steps[i].state == ROLLOUT_DONE)
			return 1;
	return 0;
}

static void undo_ready(struct rollout *r, const struct rollout_state *st)
{
	struct err e = {0};
	if (r->rd.err.code) {
		r->stage = S_PARTIAL;
		err_set(&r->err, r->rd.err.code, "undo: %s", r->rd.err.msg);
		emit(r, ROLLOUT_PARTIAL, NULL, &r->err);
		return;
	}
	rollout_plan_free(&r->undo);
	r->undo = rollout_plan_back(r->plan, st, r->env.settings, hook_done_in(r->plan), &e);
	if (!r->undo) {
		r->stage = S_PARTIAL;
		r->err = e;
		emit(r, ROLLOUT_PARTIAL, NULL, &r->err);
		return;
	}
	r->run = r->undo;
	r->next = 0;
	r->stage = S_WRITING;
	step_start(r);
}

/* The abort of a half-done action is planned (or could not be): shown like any plan. */
static void abort_ready(struct rollout *r, const struct rollout_state *st)
{
	struct err e = r->rd.err;
	struct rollout_plan *back = NULL;
	if (!e.code)
		back = rollout_plan_back(r->plan, st, r->env.settings, hook_done_in(r->plan), &e);
	if (back && back->n == 0) {
		rollout_plan_free(&back);
		forget(r); /* nothing was written, or it is undone already */
		err_set(&r->err, ERR_STATE,
		        "nothing to abort: the backends show what they showed "
		        "before the action");
		emit(r, ROLLOUT_PLANNED, NULL, &r->err);
		return;
	}
	if (!back) {
		abort_dropped(r);
		err_set(&r->err, e.code, "abort: %s", e.msg);
		emit(r, ROLLOUT_PLANNED, NULL, &r->err);
		return;
	}
	back->action = ROLLOUT_ABORT;
	r->undo = back;
	r->run = back;
	r->stage = S_PLANNED;
	emit(r, ROLLOUT_PLANNED, NULL, NULL);
}

static void reads_done(void *ud)
{
	struct rollout *r = ud;
	struct rollout_state st;
	char *prev = NULL;
	rollout_reads_state(&r->rd, r->env.cache, r->env.context, registry_name(r), &st, &prev);
	if (r->purpose == P_PLAN)
		planned(r, &st);
	else if (r->purpose == P_CHECK)
		checked(r, &st);
	else if (r->purpose == P_ABORT)
		abort_ready(r, &st);
	else
		undo_ready(r, &st);
	free(prev);
	if (r->rd.pending == 0)
		reads_fini(r);
}

/* ---- the interface ---- */

struct rollout *rollout_new(const struct rollout_env *env, rollout_event_fn fn, void *ud,
                            struct err *e)
{
	if (!env || !fn || (!env->kserve && !env->mlflow)) {
		err_set(e, ERR_ARG, "rollout: no backend or no callback");
		return NULL;
	}
	struct rollout *r = calloc(1, sizeof *r);
	if (!r) {
		err_set(e, ERR_NOMEM, "rollout: out of memory");
		return NULL;
	}
	r->env = *env;
	r->fn = fn;
	r->ud = ud;
	r->rd = (struct rollout_reads){
	    .kserve = env->kserve, .mlflow = env->mlflow, .done = reads_done, .ud = r};
	return r;
}

static void cancel_step(struct rollout *r)
{
	if (r->op > 0 && r->run && r->next < r->run->n) {
		if (r->run->steps[r->next].backend == ROLLOUT_KSERVE)
			kserve_cancel(r->env.kserve, r->op);
		else
			mlflow_cancel(r->env.mlflow, r->op);
	}
	r->op = 0;
	r->ready_at = 0;
	hook_free(&r->hook);
}

static void forget(struct rollout *r)
{
	cancel_step(r);
	reads_fini(r);
	r->run = NULL;
	rollout_plan_free(&r->plan);
	rollout_plan_free(&r->undo);
	rollout_plan_free(&r->held);
	r->aborting = r->held_ran = 0;
	free(r->model);
	free(r->version);
	free(r->reason);
	r->model = r->version = r->reason = NULL;
	r->stage = S_IDLE;
}

void rollout_free(struct rollout **rp)
{
	if (!rp || !*rp)
		return;
	forget(*rp);
	free(*rp);
	*rp = NULL;
}

static int writes_off(const struct rollout *r, struct err *e)
{
	return r->env.readonly ? err_set(e, ERR_STATE, "read-only: writes are off") : 0;
}

/* Back to the half-done action an abort was planned over. */
static void abort_dropped(struct rollout *r)
{
	if (!r->aborting)
		return;
	rollout_plan_free(&r->undo);
	r->undo = r->held;
	r->held = NULL;
	r->run = r->held_ran ? r->undo : r->plan;
	r->aborting = r->held_ran = 0;
	r->stage = S_PARTIAL;
}

/* Plans the abort of the half-done action: the way back from what the backends show now. */
static int abort_read(struct rollout *r, struct err *e)
{
	abort_dropped(r);
	r->held_ran = r->run && r->run == r->undo;
	r->held = r->undo;
	r->undo = NULL;
	r->run = NULL;
	r->aborting = 1;
	r->stage = S_READING;
	int rc = reads_start(r, P_ABORT, e);
	if (rc < 0) {
		abort_dropped(r);
		return rc;
	}
	emit(r, ROLLOUT_READING, NULL, NULL);
	if (r->rd.pending == 0)
		reads_done(r);
	return 0;
}

int rollout_read(struct rollout *r, enum rollout_action action, const char *model,
                 const char *version, int percent, struct err *e)
{
	if (!r || !model || !*model)
		return err_set(e, ERR_ARG, "rollout: no model");
	if (writes_off(r, e) < 0)
		return ERR_STATE;
	if (r->stage == S_READING || r->stage == S_CHECKING || r->stage == S_WRITING)
		return err_set(e, ERR_STATE, "another action is in flight");
	if ((r->stage == S_PARTIAL || r->aborting) && action == ROLLOUT_ABORT)
		return abort_read(r, e);
	if (r->stage == S_PARTIAL || r->aborting)
		return err_set(e, ERR_STATE,
		               "%s %s stopped part-way: retry, undo or abort it first",
		               rollout_action_name(r->plan->action), r->plan->model);
	forget(r);
	r->action = action;
	r->percent = percent;
	r->model = strdup(model);
	r->version = version ? strdup(version) : NULL;
	if (!r->model || (version && !r->version))
		return err_set(e, ERR_NOMEM, "rollout: out of memory");
	r->stage = S_READING;
	int rc = reads_start(r, P_PLAN, e);
	if (rc < 0) {
		r->stage = S_IDLE;
		return rc;
	}
	emit(r, ROLLOUT_READING, NULL, NULL);
	if (r->rd.pending == 0)
		reads_done(r);
	return 0;
}

/* Reads every backend again before writing (why: P_CHECK or P_UNDO); back to stage was when the
 * reads cannot start. */
static int recheck(struct rollout *r, enum purpose why, enum stage was, struct err *e)
{
	r->stage = S_CHECKING;
	int rc = reads_start(r, why, e);
	if (rc < 0) {
		r->stage = was;
		return rc;
	}
	emit(r, ROLLOUT_CHECKING, NULL, NULL);
	if (r->rd.pending == 0)
		reads_done(r);
	return 0;
}

int rollout_exec(struct rollout *r, const char *reason, struct err *e)
{
	if (!r || writes_off(r, e) < 0)
		return r ? ERR_STATE : err_set(e, ERR_ARG, "rollout: none");
	if (r->stage != S_PLANNED)
		return err_set(e, ERR_STATE, "no plan to run");
	free(r->reason);
	r->reason = reason && *reason ? strdup(reason) : NULL;
	return recheck(r, P_CHECK, S_PLANNED, e);
}

int rollout_retry(struct rollout *r, struct err *e)
{
	if (!r || writes_off(r, e) < 0)
		return r ? ERR_STATE : err_set(e, ERR_ARG, "rollout: none");
	if (r->stage != S_PARTIAL || !r->run)
		return err_set(e, ERR_STATE, "nothing to retry");
	const struct rollout_step *f = &r->run->steps[r->next];
	if (f->backend == ROLLOUT_KSERVE && f->http_status == 409)
		return err_set(
		    e, ERR_STATE,
		    "the InferenceService changed since it was read (409): not sent again "
		    "blindly; undo what was done and plan again");
	for (size_t i = 0; i < r->run->n; i++)
		if (r->run->steps[i].state != ROLLOUT_DONE)
			r->run->steps[i].state = ROLLOUT_PENDING;
	r->stage = S_WRITING;
	r->next = 0;
	step_start(r);
	return 0;
}

int rollout_undo(struct rollout *r, struct err *e)
{
	if (!r || writes_off(r, e) < 0)
		return r ? ERR_STATE : err_set(e, ERR_ARG, "rollout: none");
	if ((r->stage != S_PARTIAL && r->stage != S_DONE) || !r->plan || r->run != r->plan)
		return err_set(e, ERR_STATE, "nothing to undo");
	return recheck(r, P_UNDO, r->stage, e);
}

void rollout_cancel(struct rollout *r)
{
	if (r && r->aborting && (r->stage == S_READING || r->stage == S_PLANNED)) {
		reads_fini(r);
		abort_dropped(r);
	} else if (r && (r->stage == S_READING || r->stage == S_PLANNED)) {
		forget(r);
	}
}

int rollout_in_flight(const struct rollout *r)
{
	return r && (r->stage == S_CHECKING || r->stage == S_WRITING || r->stage == S_PARTIAL ||
	             r->aborting);
}

const struct rollout_plan *rollout_current(const struct rollout *r)
{
	return !r ? NULL : r->run ? r->run : r->plan;
}

void rollout_poll(struct rollout *r)
{
	if (!r || r->stage != S_WRITING)
		return;
	if (r->hook && !hook_poll(r->hook)) {
		hook_ended(r);
		return;
	}
	int64_t now = clock_mono_ms();
	if (r->ready_at && now >= r->ready_at) {
		r->ready_at = 0;
		if (now > r->ready_until)
			step_end(r, 0, 0, "the new revision did not become ready in time");
		else
			fresh_read(r);
	}
}
