#include "clients/rollout.h"

#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "clients/cli.h"
#include "clients/config.h"
#include "clients/kserve_parse.h"
#include "clients/mlflow_types.h"
#include "clients/rollout_step.h"

/* What the backends show, before or after a plan: the InferenceService's model and canary
 * percent, and the registry's champion and challenger (aliases, or the Production and Staging
 * versions on servers with stages only). Strings borrowed. */
struct look {
	const char *uri;
	long pct; /* canaryTrafficPercent, -1: absent */
	const char *champion, *challenger;
};

/* What one plan is built from. */
struct ctx {
	enum rollout_action action;
	const struct rollout_state *st;
	const struct rollout_settings *cfg;
	const char *model, *isvc;
	struct err *e;
};

static const char *const action_names[] = {"canary", "step", "promote", "rollback", "abort"};

const char *rollout_action_name(enum rollout_action a)
{
	return (unsigned)a < 5 ? action_names[a] : "?";
}

const char *rollout_backend_name(enum rollout_backend b)
{
	return b == ROLLOUT_KSERVE ? "KServe" : b == ROLLOUT_MLFLOW ? "MLflow" : "hook";
}

static int same(const char *a, const char *b)
{
	return (!a && !b) || (a && b && strcmp(a, b) == 0);
}

static const struct mlflow_model_version *version_find(const struct mlflow_versions *l,
                                                       const char *v)
{
	for (size_t i = 0; l && v && i < l->n; i++)
		if (l->items[i].version && strcmp(l->items[i].version, v) == 0)
			return &l->items[i];
	return NULL;
}

static const char *source_of(const struct rollout_state *st, const char *v)
{
	const struct mlflow_model_version *mv = version_find(st->versions, v);
	return mv && mv->source && *mv->source ? mv->source : NULL;
}

/* The newest version in stage, or NULL. */
static const char *newest_in(const struct mlflow_versions *l, const char *stage)
{
	const char *best = NULL;
	for (size_t i = 0; l && i < l->n; i++) {
		const struct mlflow_model_version *v = &l->items[i];
		if (v->current_stage && strcmp(v->current_stage, stage) == 0 && v->version &&
		    (!best || atoll(v->version) > atoll(best)))
			best = v->version;
	}
	return best;
}

static void look_read(const struct rollout_state *st, struct look *l)
{
	memset(l, 0, sizeof *l);
	l->pct = -1;
	if (st->isvc) {
		l->uri =
		    st->isvc->storage_uri && *st->isvc->storage_uri ? st->isvc->storage_uri : NULL;
		l->pct = (long)st->isvc->canary_percent;
	}
	if (st->registry_aliases) {
		l->champion = st->model ? mlflow_model_alias(st->model, "champion") : NULL;
		l->challenger = st->model ? mlflow_model_alias(st->model, "challenger") : NULL;
	} else {
		l->champion = newest_in(st->versions, "Production");
		l->challenger = newest_in(st->versions, "Staging");
	}
}

const char *rollout_champion(const struct rollout_state *st)
{
	struct look l;
	look_read(st, &l);
	return l.champion;
}

/* The version a running canary serves and its percent (-1 unknown: registry only), or NULL. */
static const char *running_canary(const struct rollout_state *st, const struct look *l, long *pct)
{
	*pct = -1;
	if (st->isvc) {
		if (l->pct < 0 || l->pct >= 100)
			return NULL;
		for (size_t i = 0; st->versions && i < st->versions->n; i++) {
			const struct mlflow_model_version *v = &st->versions->items[i];
			if (same(v->source, l->uri) && !same(v->version, l->champion)) {
				*pct = l->pct;
				return v->version;
			}
		}
		return NULL;
	}
	return l->challenger;
}

static void expect_fini(struct rollout_expect *x)
{
	free(x->resource_version);
	free(x->meta);
	free(x->storage_uri);
	free(x->champion);
	free(x->challenger);
	memset(x, 0, sizeof *x);
}

void rollout_plan_free(struct rollout_plan **pp)
{
	if (!pp || !*pp)
		return;
	struct rollout_plan *p = *pp;
	for (size_t i = 0; i < p->n; i++)
		rollout_step_fini(&p->steps[i]);
	free(p->steps);
	rollout_plan_free(&p->inverse);
	expect_fini(&p->expect);
	free(p->model);
	free(p->from_version);
	free(p->to_version);
	free(p->resource_version);
	free(p->isvc_name);
	free(p->ns);
	free(p);
	*pp = NULL;
}

static char *dup_or_null(const char *s)
{
	return s ? strdup(s) : NULL;
}

static int dup_ok(const char *src, const char *copy)
{
	return !src || copy;
}

static struct rollout_plan *plan_alloc(const struct ctx *c, enum rollout_action a, const char *from,
                                       const char *to, int pct)
{
	struct rollout_plan *p = calloc(1, sizeof *p);
	if (!p)
		return NULL;
	p->action = a;
	p->percent = pct;
	p->registry_aliases = c->st->registry_aliases;
	p->model = strdup(c->model);
	p->from_version = dup_or_null(from);
	p->to_version = dup_or_null(to);
	const struct kserve_isvc *s = c->st->isvc;
	if (s) {
		p->isvc_name = strdup(c->isvc);
		p->ns = strdup(s->ns && *s->ns ? s->ns : "default");
	}
	if (!p->model || !dup_ok(from, p->from_version) || !dup_ok(to, p->to_version) ||
	    (s && (!p->isvc_name || !p->ns)))
		rollout_plan_free(&p);
	return p;
}

static char *pct_text(long pct, char *buf, size_t n)
{
	if (pct < 0)
		snprintf(buf, n, "absent");
	else
		snprintf(buf, n, "%ld", pct);
	return buf;
}

/* What the plan check compares: the spec's generation and the fields the plan changes (the
 * resourceVersion alone also moves with the controller's status writes, which refuse nothing). */
static char *kserve_expect(const struct rollout_plan *p, const struct look *a)
{
	char b[24];
	return cli_fmt(
	    "generation %lld (resourceVersion %s), storageUri %s, canaryTrafficPercent %s",
	    (long long)p->expect.generation, p->resource_version ? p->resource_version : "?",
	    a->uri ? a->uri : "none", pct_text(a->pct, b, sizeof b));
}

static char *registry_expect(const struct rollout_plan *p, const struct look *a)
{
	const char *c = p->registry_aliases ? "champion" : "Production";
	const char *n = p->registry_aliases ? "challenger" : "Staging";
	return cli_fmt("%s %s%s, %s %s%s", c, a->champion ? "v" : "",
	               a->champion ? a->champion : "none", n, a->challenger ? "v" : "",
	               a->challenger ? a->challenger : "none");
}

/* The KServe patches that take the InferenceService from a to b. A new model at a canary
 * percent: storageUri and the percent in one patch. A new model at 100 %: first storageUri
 * with the percent pinned at 0 (the old revision keeps the traffic while the new one starts),
 * then, once the new revision is ready and named by the latest traffic entry, the percent
 * removed. The same model: the percent alone. */
static int kserve_steps(struct rollout_plan *p, const struct ctx *c, const struct look *a,
                        const struct look *b, int first_rv)
{
	const char *fw = c->st->isvc->framework;
	char *x = kserve_expect(p, a), *sum = NULL;
	int rc = x ? 0 : ERR_NOMEM;
	if (rc == 0 && !same(a->uri, b->uri) && b->pct >= 0 && b->pct < 100) {
		sum = cli_fmt("canary %ld %% → %s", b->pct, b->uri);
		rc = sum ? rollout_step_kserve(p, fw, (int)b->pct, b->uri, first_rv, sum, x)
		         : ERR_NOMEM;
	} else if (rc == 0 && !same(a->uri, b->uri)) {
		sum = cli_fmt("%s at 0 %% (the serving revision keeps the traffic)", b->uri);
		rc = sum ? rollout_step_kserve(p, fw, 0, b->uri, first_rv, sum, x) : ERR_NOMEM;
		if (rc == 0)
			rc = rollout_step_kserve(p, fw, ROLLOUT_PCT_NULL, NULL, ROLLOUT_RV_READY,
			                         "100 % to it once ready", "");
	} else if (rc == 0 && a->pct != b->pct) {
		char was[24];
		pct_text(a->pct, was, sizeof was);
		sum = b->pct < 0
		          ? strdup("100 % to the latest revision")
		          : cli_fmt("canary %s%s → %ld %%", was, a->pct < 0 ? "" : " %", b->pct);
		rc = sum ? rollout_step_kserve(p, fw, b->pct < 0 ? ROLLOUT_PCT_NULL : (int)b->pct,
		                               NULL, first_rv, sum, x)
		         : ERR_NOMEM;
	}
	free(sum);
	free(x);
	return rc;
}

/* Alias moves: champion first, then challenger. */
static int alias_steps(struct rollout_plan *p, const struct look *a, const struct look *b)
{
	char *x = registry_expect(p, a);
	int rc = x ? 0 : ERR_NOMEM;
	if (rc == 0 && !same(a->champion, b->champion))
		rc = rollout_step_alias(p, "champion", b->champion, x);
	if (rc == 0 && !same(a->challenger, b->challenger))
		rc = rollout_step_alias(p, "challenger", b->challenger, x);
	free(x);
	return rc;
}

/* Stage transitions: the new Production version (archiving the others there), the new Staging
 * version, a Staging version that is neither back to None. */
static int stage_steps(struct rollout_plan *p, const struct look *a, const struct look *b)
{
	char *x = registry_expect(p, a);
	int rc = x ? 0 : ERR_NOMEM;
	if (rc == 0 && !same(a->champion, b->champion) && b->champion)
		rc = rollout_step_stage(p, b->champion, "Production", 1, x);
	else if (rc == 0 && !same(a->champion, b->champion))
		rc = rollout_step_stage(p, a->champion, "None", 0, x);
	if (rc == 0 && !same(a->challenger, b->challenger) && b->challenger &&
	    !same(b->challenger, b->champion))
		rc = rollout_step_stage(p, b->challenger, "Staging", 0, x);
	if (rc == 0 && !same(a->challenger, b->challenger) && a->challenger &&
	    !same(a->challenger, b->champion) && !same(a->challenger, b->challenger))
		rc = rollout_step_stage(p, a->challenger, "None", 0, x);
	free(x);
	return rc;
}

static const char *const *hook_of(const struct rollout_settings *cfg, enum rollout_action a)
{
	if (!cfg)
		return NULL;
	if (a == ROLLOUT_CANARY || a == ROLLOUT_STEP)
		return cfg->canary_cmd;
	return a == ROLLOUT_PROMOTE ? cfg->promote_cmd : cfg->rollback_cmd;
}

/* Every step from a to b: KServe, then the registry, then the hook of action. */
static int steps_of(struct rollout_plan *p, const struct ctx *c, const struct look *a,
                    const struct look *b, int first_rv)
{
	int rc = 0;
	if (c->st->isvc)
		rc = kserve_steps(p, c, a, b, first_rv);
	if (rc == 0 && c->st->model)
		rc = p->registry_aliases ? alias_steps(p, a, b) : stage_steps(p, a, b);
	const char *const *hook = hook_of(c->cfg, p->action);
	if (rc == 0 && hook && hook[0])
		rc = rollout_step_hook(p, hook, rollout_action_name(p->action), p->to_version,
		                       p->percent, c->cfg->context);
	return rc;
}

/* The annotations and labels of an InferenceService as one text (the API server writes them in
 * a stable order), so that a change of either between plan and write shows; NULL: no memory. */
static char *meta_text(const struct kserve_isvc *s)
{
	char *buf = NULL;
	size_t len = 0;
	FILE *f = open_memstream(&buf, &len);
	if (!f)
		return NULL;
	for (size_t i = 0; i < s->annotations.n; i++)
		fprintf(f, "a %s=%s\n", s->annotations.v[i].name, s->annotations.v[i].value);
	for (size_t i = 0; i < s->labels.n; i++)
		fprintf(f, "l %s=%s\n", s->labels.v[i].name, s->labels.v[i].value);
	if (fclose(f) != 0) {
		free(buf);
		return NULL;
	}
	return buf;
}

static int expect_set(struct rollout_plan *p, const struct ctx *c, const struct look *a)
{
	struct rollout_expect *x = &p->expect;
	const struct kserve_isvc *s = c->st->isvc;
	if (s) {
		x->have_isvc = 1;
		x->resource_version = dup_or_null(s->resource_version);
		p->resource_version = dup_or_null(s->resource_version);
		x->generation = s->generation;
		if (!(x->meta = meta_text(s)))
			return ERR_NOMEM;
		x->storage_uri = dup_or_null(a->uri);
		x->canary_percent = a->pct;
		if (!dup_ok(s->resource_version, x->resource_version) ||
		    !dup_ok(s->resource_version, p->resource_version) ||
		    !dup_ok(a->uri, x->storage_uri))
			return ERR_NOMEM;
	}
	x->have_registry = c->st->model != NULL;
	x->champion = dup_or_null(a->champion);
	x->challenger = dup_or_null(a->challenger);
	return dup_ok(a->champion, x->champion) && dup_ok(a->challenger, x->challenger) ? 0
	                                                                                : ERR_NOMEM;
}

/* The action of the plan that takes the backends from cur back to target, after c->action. */
static enum rollout_action inverse_action(const struct ctx *c, const struct look *cur,
                                          const struct look *target)
{
	int canary = c->st->isvc ? target->pct >= 0 && target->pct < 100
	                         : target->challenger && !same(target->challenger, cur->challenger);
	if (canary)
		return ROLLOUT_CANARY;
	return c->action == ROLLOUT_ROLLBACK ? ROLLOUT_PROMOTE : ROLLOUT_ROLLBACK;
}

static int traffic_of(const struct look *l)
{
	return l->pct >= 0 ? (int)l->pct : 100;
}

/* The plan from a to b (and its inverse, from b to a, unless abort). */
/* How a plan from a to b is made: an action's (expecting a, its first patch carrying the
 * resourceVersion read, with its inverse), the inverse of one (sent after it: fresh
 * resourceVersions, expecting nothing), or the way back from what the backends show now
 * (expecting it, no inverse). */
enum move { MOVE_FORWARD, MOVE_INVERSE, MOVE_BACK };

static struct rollout_plan *plan_move(const struct ctx *c, const struct look *a,
                                      const struct look *b, const char *from, const char *to,
                                      enum move how)
{
	enum rollout_action act = how == MOVE_FORWARD ? c->action : inverse_action(c, a, b);
	int pct = traffic_of(b);
	struct rollout_plan *p = plan_alloc(c, act, from, to, pct);
	if (!p)
		goto nomem;
	p->full_traffic = pct >= 100;
	if (how != MOVE_INVERSE && expect_set(p, c, a) < 0)
		goto nomem;
	if (steps_of(p, c, a, b, how == MOVE_INVERSE ? ROLLOUT_RV_FRESH : ROLLOUT_RV_PLAN) < 0)
		goto nomem;
	if (how == MOVE_FORWARD && c->action != ROLLOUT_ABORT &&
	    !(p->inverse = plan_move(c, b, a, to, from, MOVE_INVERSE)))
		goto nomem;
	return p;
nomem:
	rollout_plan_free(&p);
	err_set(c->e, ERR_NOMEM, "rollout: out of memory");
	return NULL;
}

/* The steps of [model.NAME] (or the defaults). */
static void steps_list(const struct rollout_settings *cfg, const int **v, size_t *n)
{
	static const int def[] = {10, 25, 50, 100};
	if (cfg && cfg->model && cfg->model->n_canary_steps) {
		*v = cfg->model->canary_steps;
		*n = cfg->model->n_canary_steps;
	} else {
		*v = def;
		*n = sizeof def / sizeof def[0];
	}
}

static int refuse(const struct ctx *c, int code, const char *why)
{
	return err_set(c->e, code, "%s %s: %s", rollout_action_name(c->action), c->model, why);
}

/* The version must be the registry's, with a source to serve when KServe is there. */
static int check_version(const struct ctx *c, const char *v)
{
	if (!v || !*v)
		return err_set(c->e, ERR_ARG, "%s %s: which version?",
		               rollout_action_name(c->action), c->model);
	if (c->st->versions && !version_find(c->st->versions, v))
		return err_set(c->e, ERR_ARG, "%s %s: no version %s in the registry",
		               rollout_action_name(c->action), c->model, v);
	if (c->st->isvc && !source_of(c->st, v))
		return err_set(c->e, ERR_STATE, "%s %s: version %s has no source to serve",
		               rollout_action_name(c->action), c->model, v);
	return 0;
}

static int check_canary_mode(const struct ctx *c)
{
	const struct kserve_isvc *s = c->st->isvc;
	if (s && s->deployment_mode && strcmp(s->deployment_mode, "RawDeployment") == 0)
		return refuse(c, ERR_STATE,
		              "KServe runs it in RawDeployment mode, which ignores "
		              "canaryTrafficPercent (a new model would take 100 % at once)");
	return 0;
}

static int check_ready(const struct ctx *c)
{
	const struct kserve_isvc *s = c->st->isvc;
	if (!s || !s->latest_created || !*s->latest_created)
		return 0;
	const struct kserve_traffic *t = kserve_traffic_latest(s);
	if (same(s->latest_created, s->latest_ready) &&
	    (!t || same(t->revision_name, s->latest_created)))
		return 0;
	return err_set(c->e, ERR_STATE,
	               "%s %s: the canary's revision %s is not ready yet (ready: %s); wait or roll "
	               "back",
	               rollout_action_name(c->action), c->model, s->latest_created,
	               s->latest_ready && *s->latest_ready ? s->latest_ready : "none");
}

static struct rollout_plan *plan_canary(const struct ctx *c, const struct look *a, const char *v,
                                        int pct)
{
	const int *st;
	size_t n;
	steps_list(c->cfg, &st, &n);
	if (pct == -1)
		pct = st[0];
	if (pct < 0 || pct > 100) {
		err_set(c->e, ERR_ARG, "canary %s: %d %% is not a percent (0 to 100)", c->model,
		        pct);
		return NULL;
	}
	if (check_version(c, v) < 0 || check_canary_mode(c) < 0)
		return NULL;
	if (same(v, a->champion)) {
		err_set(c->e, ERR_STATE, "canary %s: v%s is the champion already", c->model, v);
		return NULL;
	}
	struct look b = *a;
	b.uri = c->st->isvc ? source_of(c->st, v) : NULL;
	b.pct = pct;
	b.challenger = v;
	return plan_move(c, a, &b, a->champion, v, MOVE_FORWARD);
}

static struct rollout_plan *plan_promote(const struct ctx *c, const struct look *a, const char *v)
{
	long pct;
	const char *canary = running_canary(c->st, a, &pct);
	if (!v)
		v = canary;
	if (!v) {
		refuse(c, ERR_STATE, "no canary running: say which version");
		return NULL;
	}
	if (check_version(c, v) < 0 || (same(v, canary) && check_ready(c) < 0))
		return NULL;
	struct look b = *a;
	b.uri = c->st->isvc ? source_of(c->st, v) : NULL;
	b.pct = -1;
	b.champion = v;
	b.challenger = NULL;
	return plan_move(c, a, &b, a->champion, v, MOVE_FORWARD);
}

static struct rollout_plan *plan_step(const struct ctx *c, const struct look *a)
{
	long pct;
	const char *v = running_canary(c->st, a, &pct);
	if (!v || pct < 0) {
		refuse(c, ERR_STATE,
		       c->st->isvc ? "no canary to step" : "no traffic split without KServe");
		return NULL;
	}
	const int *st;
	size_t n, i = 0;
	steps_list(c->cfg, &st, &n);
	while (i < n && st[i] <= pct)
		i++;
	if (i == n || st[i] >= 100) {
		struct ctx pc = *c;
		pc.action = ROLLOUT_PROMOTE;
		return plan_promote(&pc, a, v);
	}
	if (check_canary_mode(c) < 0)
		return NULL;
	struct look b = *a;
	b.pct = st[i];
	return plan_move(c, a, &b, a->champion, v, MOVE_FORWARD);
}

/* Where a rollback goes: the champion under a running canary, else the version chosen (the
 * rollback planner's), else the champion before the current one. NULL with c->e filled. */
static const char *rollback_target(const struct ctx *c, const struct look *a, const char *canary,
                                   const char *chosen)
{
	if (!canary && c->action == ROLLOUT_ABORT) {
		refuse(c, ERR_STATE, "nothing to abort: no canary running");
		return NULL;
	}
	if (canary && chosen && !same(chosen, a->champion)) {
		err_set(c->e, ERR_STATE,
		        "rollback %s: a canary of v%s is running: roll it back first", c->model,
		        canary);
		return NULL;
	}
	const char *to = canary ? a->champion : chosen ? chosen : c->st->prev_champion;
	if (!to)
		refuse(c, ERR_STATE,
		       canary ? "no champion to go back to"
		              : "nothing to roll back: no previous champion");
	else if (check_version(c, to) < 0)
		return NULL;
	return to;
}

static struct rollout_plan *plan_rollback(const struct ctx *c, const struct look *a,
                                          const char *chosen)
{
	long pct;
	const char *v = running_canary(c->st, a, &pct);
	const char *to = rollback_target(c, a, v, chosen);
	if (!to)
		return NULL;
	struct look b = *a;
	b.uri = c->st->isvc ? source_of(c->st, to) : NULL;
	b.pct = -1;
	b.champion = to;
	b.challenger = v ? NULL : a->challenger;
	return plan_move(c, a, &b, v ? v : a->champion, to, MOVE_FORWARD);
}

struct rollout_plan *rollout_plan_new(enum rollout_action action, const char *model,
                                      const char *version, int percent,
                                      const struct rollout_state *st,
                                      const struct rollout_settings *cfg, struct err *e)
{
	if (!model || !*model || !st || (unsigned)action > ROLLOUT_ABORT) {
		err_set(e, ERR_ARG, "rollout: no model or no state");
		return NULL;
	}
	const struct config_model *m = cfg ? cfg->model : NULL;
	struct ctx c = {action,
	                st,
	                cfg,
	                m && m->registered ? m->registered : model,
	                st->isvc && st->isvc->name && *st->isvc->name ? st->isvc->name
	                : m && m->deployment                          ? m->deployment
	                                                              : model,
	                e};
	struct look a;
	look_read(st, &a);
	struct rollout_plan *p = NULL;
	if (action == ROLLOUT_CANARY)
		p = plan_canary(&c, &a, version, percent);
	else if (action == ROLLOUT_PROMOTE)
		p = plan_promote(&c, &a, version);
	else if (action == ROLLOUT_STEP)
		p = plan_step(&c, &a);
	else
		p = plan_rollback(&c, &a, version);
	if (p && p->n == 0) {
		refuse(&c, ERR_STATE, "nothing to change: the backends already show it");
		rollout_plan_free(&p);
	}
	return p;
}

struct diff {
	char *buf;
	size_t n, len;
	int parts;
};

static void diff_printf(struct diff *d, const char *fmt, ...) __attribute__((format(printf, 2, 3)));

static void diff_printf(struct diff *d, const char *fmt, ...)
{
	if (d->len + 1 >= d->n)
		return;
	va_list ap;
	va_start(ap, fmt);
	int k = vsnprintf(d->buf + d->len, d->n - d->len, fmt, ap);
	va_end(ap);
	d->len += k > 0 ? (size_t)k : 0;
	if (d->len >= d->n)
		d->len = d->n - 1;
}

static void diff_add(struct diff *d, const char *what, const char *was, const char *now)
{
	if (!same(was, now))
		diff_printf(d, "%s%s %s → %s", d->parts++ ? ", " : "", what, was ? was : "none",
		            now ? now : "none");
}

static void diff_head(struct diff *d, const char *head)
{
	diff_printf(d, "%s%s", d->len ? "; " : "", head);
	d->parts = 0;
}

static void check_isvc(const struct rollout_plan *p, const struct rollout_state *now,
                       const struct look *l, struct diff *d)
{
	const struct rollout_expect *x = &p->expect;
	char head[320], a[24], b[24];
	snprintf(head, sizeof head, "InferenceService %s changed since the plan: ",
	         p->isvc_name ? p->isvc_name : p->model);
	if (!now->isvc) {
		diff_head(d, "");
		diff_add(d, head, "there", "gone");
		return;
	}
	size_t before = d->len;
	diff_head(d, head);
	size_t mark = d->len;
	/* the resourceVersion alone moves with the controller's status writes: what counts is
	 * the spec (its generation and the fields the plan changes) and the metadata */
	char g0[24], g1[24];
	snprintf(g0, sizeof g0, "%lld", (long long)x->generation);
	snprintf(g1, sizeof g1, "%lld", (long long)now->isvc->generation);
	diff_add(d, "generation", g0, g1);
	char *meta = meta_text(now->isvc);
	if (!meta || !same(meta, x->meta))
		diff_printf(d, "%sannotations or labels", d->parts++ ? ", " : "");
	free(meta);
	diff_add(d, "storageUri", x->storage_uri, l->uri);
	diff_add(d, "canaryTrafficPercent", pct_text(x->canary_percent, a, sizeof a),
	         pct_text(l->pct, b, sizeof b));
	if (d->len == mark) { /* unchanged: take the head back */
		d->len = before;
		d->buf[before] = '\0';
	} else if (now->isvc->changed_by && *now->isvc->changed_by) {
		diff_printf(d, " (last changed by %s at %s)", now->isvc->changed_by,
		            now->isvc->changed_at);
	}
}

static void check_registry(const struct rollout_plan *p, const struct look *l, struct diff *d)
{
	int al = p->registry_aliases;
	size_t before = d->len;
	diff_head(d, "");
	size_t mark = d->len;
	diff_add(d, al ? "alias champion" : "Production", p->expect.champion, l->champion);
	diff_add(d, al ? "alias challenger" : "Staging", p->expect.challenger, l->challenger);
	if (d->len == mark) {
		d->len = before;
		d->buf[before] = '\0';
	}
}

int rollout_plan_check(const struct rollout_plan *p, const struct rollout_state *now, char *what,
                       size_t n)
{
	char scratch[8];
	struct diff d = {what && n ? what : scratch, what && n ? n : sizeof scratch, 0, 0};
	d.buf[0] = '\0';
	struct look l;
	look_read(now, &l);
	if (p->expect.have_isvc)
		check_isvc(p, now, &l, &d);
	if (p->expect.have_registry)
		check_registry(p, &l, &d);
	return d.len > 0;
}

struct rollout_plan *rollout_plan_back(const struct rollout_plan *p,
                                       const struct rollout_state *now,
                                       const struct rollout_settings *cfg, int with_hook,
                                       struct err *e)
{
	struct rollout_settings none = {0};
	if (cfg)
		none.context = cfg->context;
	struct rollout_state st = *now;
	if (!p->expect.have_isvc)
		st.isvc = NULL;
	if (!p->expect.have_registry)
		st.model = NULL;
	struct ctx c = {p->action,
	                &st,
	                with_hook ? cfg : &none,
	                p->model,
	                p->isvc_name ? p->isvc_name : p->model,
	                e};
	struct look a, b = {p->expect.storage_uri, p->expect.canary_percent, p->expect.champion,
	                    p->expect.challenger};
	look_read(&st, &a);
	if (!st.isvc) {
		b.uri = NULL;
		b.pct = a.pct;
	}
	return plan_move(&c, &a, &b, p->to_version, p->from_version, MOVE_BACK);
}
