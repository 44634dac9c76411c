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
#include "clients/rollout_step.h"

#define ANSWER_MAX 4096 /* of a backend's answer kept in a step (and its audit row) */

enum stage { S_IDLE, S_READING, S_PLANNED, S_CHECKING, S_WRITING, S_PARTIAL, S_DONE };
enum purpose { P_PLAN, P_CHECK, P_UNDO };

/* What one read of the backends brought. */
struct reads {
	int pending;
	long op_isvc, op_model, op_versions, op_server, op_alias;
	long alias_status; /* of the probe of the champion alias: 200, 400 (no such alias), 404 */
	struct kserve_isvcs *isvcs;
	struct mlflow_models *models;
	struct mlflow_versions *versions;
	struct mlflow_server_version server;
	int have_server;
	struct err err; /* the first failure */
};

struct rollout {
	struct rollout_env env;
	rollout_event_fn fn;
	void *ud;
	enum stage stage;
	enum purpose purpose;
	enum rollout_action action;
	char *model, *version;
	int percent;
	struct reads rd;
	struct rollout_plan *plan; /* read and confirmed */
	struct rollout_plan *undo; /* the plan of an undo, when one runs */
	struct rollout_plan *run;  /* plan or undo */
	size_t next;               /* the step running or to run */
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
	return r->run && r->run == r->undo ? "undo" : rollout_action_name(r->run->action);
}

/* ---- reading ---- */

static void reads_fini(struct rollout *r)
{
	if (r->env.kserve && r->rd.op_isvc > 0)
		kserve_cancel(r->env.kserve, r->rd.op_isvc);
	if (r->env.mlflow) {
		long ops[] = {r->rd.op_model, r->rd.op_versions, r->rd.op_server, r->rd.op_alias};
		for (size_t i = 0; i < 4; i++)
			if (ops[i] > 0)
				mlflow_cancel(r->env.mlflow, ops[i]);
	}
	kserve_isvcs_free(&r->rd.isvcs);
	mlflow_models_free(&r->rd.models);
	mlflow_versions_free(&r->rd.versions);
	memset(&r->rd, 0, sizeof r->rd);
}

static void read_failed(struct rollout *r, const char *what, const struct err *e)
{
	if (!r->rd.err.code)
		err_set(&r->rd.err, e && e->code ? e->code : ERR_HTTP, "%s: %s", what,
		        e ? e->msg : "failed");
}

static void reads_done(struct rollout *r);

static void on_isvc(void *ud, struct kserve_event *ev)
{
	struct rollout *r = ud;
	r->rd.op_isvc = 0;
	if (ev->rc < 0)
		read_failed(r, "reading the InferenceService", ev->err);
	else {
		r->rd.isvcs = ev->isvcs;
		ev->isvcs = NULL;
	}
	if (--r->rd.pending == 0)
		reads_done(r);
}

static void on_mlflow(void *ud, struct mlflow_event *ev)
{
	struct rollout *r = ud;
	if (!ev->done)
		return;
	if (ev->op == r->rd.op_alias) {
		r->rd.op_alias = 0;
		r->rd.alias_status = ev->http_status;
	} else if (ev->op == r->rd.op_server) {
		r->rd.op_server = 0;
		r->rd.have_server = ev->rc == 0;
		r->rd.server = ev->version;
	} else if (ev->op == r->rd.op_model) {
		r->rd.op_model = 0;
		if (ev->rc < 0)
			read_failed(r, "reading the registered model", ev->err);
		r->rd.models = ev->models;
		ev->models = NULL;
	} else {
		r->rd.op_versions = 0;
		if (ev->rc < 0)
			read_failed(r, "reading the model's versions", ev->err);
		r->rd.versions = ev->versions;
		ev->versions = NULL;
	}
	if (--r->rd.pending == 0)
		reads_done(r);
}

/* Starts the reads of KServe and the registry; 0 or < 0 with e. */
static int reads_start(struct rollout *r, enum purpose why, struct err *e)
{
	reads_fini(r);
	r->purpose = why;
	r->rd.pending = 1; /* held until every read is started */
	long op = 0;
	if (r->env.kserve && (op = kserve_get(r->env.kserve, isvc_name(r), on_isvc, r, e)) > 0) {
		r->rd.op_isvc = op;
		r->rd.pending++;
	}
	struct mlflow *m = r->env.mlflow;
	if (op >= 0 && m && (op = mlflow_get_model(m, registry_name(r), on_mlflow, r, e)) > 0) {
		r->rd.op_model = op;
		r->rd.pending++;
	}
	if (op >= 0 && m && (op = mlflow_versions(m, registry_name(r), on_mlflow, r, e)) > 0) {
		r->rd.op_versions = op;
		r->rd.pending++;
	}
	if (op >= 0 && m && (op = mlflow_server_version(m, on_mlflow, r, e)) > 0) {
		r->rd.op_server = op;
		r->rd.pending++;
	}
	if (op >= 0 && m &&
	    (op = mlflow_get_alias(m, registry_name(r), "champion", on_mlflow, r, e)) > 0) {
		r->rd.op_alias = op;
		r->rd.pending++;
	}
	r->rd.pending--;
	if (op < 0) {
		reads_fini(r);
		return (int)op;
	}
	return 0;
}

/* Aliases when the model shows one, or when the alias endpoint answers (200, or 400 for an
 * alias the model does not have); not when it is not there (404); else when the server is
 * 2.3.0 or later. */
static int have_aliases(const struct reads *rd, const struct mlflow_registered_model *m)
{
	if ((m && m->naliases) || rd->alias_status == 200 || rd->alias_status == 400)
		return 1;
	if (rd->alias_status == 404)
		return 0;
	if (!rd->have_server || rd->server.old)
		return 0;
	return rd->server.major > 2 || (rd->server.major == 2 && rd->server.minor >= 3);
}

/* The registry's guess at the champion before current: a version still in Production that is
 * not it (aliases moved, stages left), else the one archived last, else the newest below it. */
static const char *registry_prev(const struct mlflow_versions *l, const char *current)
{
	const struct mlflow_model_version *prod = NULL, *arch = NULL, *below = NULL;
	long long cur = current ? atoll(current) : 0;
	for (size_t i = 0; l && i < l->n; i++) {
		const struct mlflow_model_version *v = &l->items[i];
		const char *stage = v->current_stage ? v->current_stage : "";
		if (!v->version || (current && strcmp(v->version, current) == 0))
			continue;
		if (strcmp(stage, "Production") == 0 && !prod)
			prod = v;
		if (strcmp(stage, "Archived") == 0 &&
		    (!arch || v->last_updated_timestamp > arch->last_updated_timestamp))
			arch = v;
		if (atoll(v->version) < cur &&
		    (!below || atoll(v->version) > atoll(below->version)))
			below = v;
	}
	return prod ? prod->version : arch ? arch->version : below ? below->version : NULL;
}

/* The state the reads show; prev is the champion before the current one (malloc'd). */
static void state_of(struct rollout *r, struct rollout_state *st, char **prev)
{
	const struct kserve_isvcs *k = r->rd.isvcs;
	const struct mlflow_registered_model *m =
	    r->rd.models && r->rd.models->n ? &r->rd.models->items[0] : NULL;
	memset(st, 0, sizeof *st);
	st->isvc = k && k->n ? &k->v[0] : NULL;
	st->model = m;
	st->versions = r->rd.versions;
	st->registry_aliases = have_aliases(&r->rd, m);
	const char *cur = rollout_champion(st);
	*prev = rollout_audit_prev_champion(r->env.cache, r->env.context, registry_name(r), cur);
	if (!*prev && registry_prev(r->rd.versions, cur))
		*prev = strdup(registry_prev(r->rd.versions, cur));
	st->prev_champion = *prev;
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
	if (ev->rc == 0 && ev->isvcs && ev->isvcs->n)
		snprintf(buf, sizeof buf, "%ld: resourceVersion %s, canaryTrafficPercent %lld",
		         ev->http_status, ev->isvcs->v[0].resource_version,
		         (long long)ev->isvcs->v[0].canary_percent);
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

static void refused(struct rollout *r, const char *what)
{
	struct rollout_who w = who_of(r);
	rollout_audit_note(r->env.cache, &w, rollout_action_name(r->plan->action), r->plan,
	                   "refused", what, NULL);
	r->stage = S_IDLE;
	r->run = NULL;
	emit(r, ROLLOUT_REFUSED, what, NULL);
}

static void checked(struct rollout *r, const struct rollout_state *st)
{
	char what[ERR_MSG_MAX];
	if (r->rd.err.code) {
		snprintf(what, sizeof what, "could not read the state again: %s", r->rd.err.msg);
		refused(r, what);
	} else if (rollout_plan_check(r->plan, st, what, sizeof what)) {
		refused(r, what);
	} else {
		r->stage = S_WRITING;
		r->run = r->plan;
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

static void reads_done(struct rollout *r)
{
	struct rollout_state st;
	char *prev = NULL;
	state_of(r, &st, &prev);
	if (r->purpose == P_PLAN)
		planned(r, &st);
	else if (r->purpose == P_CHECK)
		checked(r, &st);
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

int rollout_read(struct rollout *r, enum rollout_action action, const char *model,
                 const char *version, int percent, struct err *e)
{
	if (!r || !model || !*model)
		return err_set(e, ERR_ARG, "rollout: no model");
	if (writes_off(r, e) < 0)
		return ERR_STATE;
	if (r->stage == S_READING || r->stage == S_CHECKING || r->stage == S_WRITING)
		return err_set(e, ERR_STATE, "another action is in flight");
	if (r->stage == S_PARTIAL)
		return err_set(e, ERR_STATE, "%s %s stopped part-way: retry or undo it first",
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
	if (r && (r->stage == S_READING || r->stage == S_PLANNED))
		forget(r);
}

int rollout_in_flight(const struct rollout *r)
{
	return r && (r->stage == S_CHECKING || r->stage == S_WRITING || r->stage == S_PARTIAL);
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
