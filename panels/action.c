#include "panels/action.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "clients/kserve.h"
#include "clients/mlflow.h"
#include "panels/action_figs.h"
#include "panels/action_live.h"
#include "panels/mlsrc.h"
#include "tui/widgets/text.h"

static void say(const struct action_ui *a, const char *fmt, const char *arg)
{
	char msg[512];
	snprintf(msg, sizeof msg, fmt, arg ? arg : "");
	a->env->notify(a->env->app, msg);
}

static void changed(struct action_ui *a)
{
	a->env->changed(a->env->app);
}

void action_data_now(const struct action_ui *a, struct action_data *out)
{
	memset(out, 0, sizeof *out);
	if (a->hooks.data)
		a->hooks.data(a->hooks.ud, out);
}

/* user@host of the configuration (or the login and the host name), sanitized, apart. */
static void who(struct action_ui *a)
{
	const struct config_general *g = a->env->cfg ? config_general(a->env->cfg) : NULL;
	char user[256];
	snprintf(user, sizeof user, "%s", g && g->user && *g->user ? g->user : "mltop");
	const char *host = g && g->host ? g->host : "";
	char *at = strchr(user, '@');
	if (at) {
		*at = '\0';
		host = at + 1;
	}
	text_sanitize(user, strlen(user), a->user, sizeof a->user);
	text_sanitize(host, strlen(host), a->host, sizeof a->host);
}

static void on_event(void *ud, const struct rollout_event *ev);

struct action_ui *action_new(const struct panel_env *env, const struct action_hooks *hooks,
                             struct err *e)
{
	struct action_ui *a = calloc(1, sizeof *a);
	if (!a) {
		err_set(e, ERR_NOMEM, "out of memory");
		return NULL;
	}
	a->env = env;
	if (hooks)
		a->hooks = *hooks;
	who(a);
	struct err ce = {0};
	if (env->ctx->src[SRC_KSERVE].url)
		a->kserve = kserve_for_context(env->http, env->ctx, NULL, NULL, &ce);
	if (env->ctx->src[SRC_MLFLOW].url)
		a->mlflow = mlsrc_client(env, &ce);
	if (rollout_hooks_init(&a->settings, env->ctx, NULL, &ce) < 0)
		snprintf(a->why, sizeof a->why, "%s", ce.msg);
	struct rollout_env renv = {
	    .kserve = a->kserve,
	    .mlflow = a->mlflow,
	    .cache = env->cache,
	    .context = env->ctx->name,
	    .user = a->user,
	    .host = a->host,
	    .settings = &a->settings.s,
	    .readonly = env->ctx->readonly,
	};
	a->r = rollout_new(&renv, on_event, a, &ce);
	if (!a->r)
		snprintf(a->why, sizeof a->why, "%s",
		         ce.msg[0] ? ce.msg : "cannot start the writes");
	return a;
}

void action_free(struct action_ui **ap)
{
	struct action_ui *a = *ap;
	if (!a)
		return;
	rollout_free(&a->r);
	kserve_free(&a->kserve);
	mlflow_free(&a->mlflow);
	action_planner_fini(&a->planner);
	rollout_hooks_fini(&a->settings);
	free(a);
	*ap = NULL;
}

/* ---- events ---- */

static void ask_text(struct action_ui *a, enum action_ask ask)
{
	a->ask = ask;
	prompt_open(&a->input, ' ', "", NULL);
}

static void planned(struct action_ui *a, const struct rollout_event *ev)
{
	if (!ev->plan) {
		a->mode = ACTION_NOPLAN;
		snprintf(a->why, sizeof a->why, "%s",
		         ev->err && ev->err->msg[0] ? ev->err->msg : "the plan cannot be made");
		return;
	}
	a->mode = ACTION_CONFIRM;
	a->reason[0] = '\0';
	a->blocked = -1;
	action_alerts_now(a);
}

/* What is asked follows the alerts as they are now: override and a reason while a critical
 * alert fires for the target (one that starts after the plan was shown too), the usual question
 * once none does (unless the reason was given already). */
void action_alerts_now(struct action_ui *a)
{
	if (a->mode != ACTION_CONFIRM || !a->plan || a->reason[0])
		return;
	struct action_data d;
	action_data_now(a, &d);
	const struct rollout_plan *p = a->plan;
	int blocked = action_live_blocked(d.alerts, action_live_dep(d.deps, p->model), p->model,
	                                  p->to_version);
	if (blocked == a->blocked)
		return;
	if (a->blocked >= 0)
		snprintf(a->msg, sizeof a->msg, "%s",
		         blocked ? "a critical alert fires for the target now"
		                 : "no critical alert fires for the target any more");
	a->blocked = blocked;
	if (blocked) {
		ask_text(a, ASK_OVERRIDE);
	} else if (p->full_traffic) {
		ask_text(a, ASK_NAME);
	} else {
		a->ask = ASK_YES;
		prompt_close(&a->input);
	}
}

/* After a write, whatever its result: what shows the split is read again at once. */
static void ended(struct action_ui *a, enum action_mode mode)
{
	a->mode = mode;
	if (a->hooks.reread)
		a->hooks.reread(a->hooks.ud);
	if (mode != ACTION_DONE)
		a->hidden = 0; /* a refusal or a failure is never left unseen */
	else if (a->hidden) {
		char label[256];
		action_label(a, label, sizeof label, 0);
		say(a, "%s: done", label);
		a->mode = ACTION_CLOSED;
	}
}

static void on_event(void *ud, const struct rollout_event *ev)
{
	struct action_ui *a = ud;
	if (ev->plan)
		a->plan = ev->plan;
	switch (ev->phase) {
	case ROLLOUT_READING:
		a->mode = ACTION_READING;
		break;
	case ROLLOUT_PLANNED:
		planned(a, ev);
		break;
	case ROLLOUT_CHECKING:
	case ROLLOUT_WRITING:
	case ROLLOUT_STEPPED:
		a->mode = ACTION_RUNNING;
		break;
	case ROLLOUT_REFUSED:
		snprintf(a->changed, sizeof a->changed, "%s", ev->changed ? ev->changed : "");
		a->unread = ev->err != NULL;
		ended(a, ACTION_REFUSED);
		break;
	case ROLLOUT_FINISHED:
		ended(a, ACTION_DONE);
		break;
	case ROLLOUT_PARTIAL:
		snprintf(a->why, sizeof a->why, "%s", ev->err ? ev->err->msg : "");
		ended(a, ACTION_PARTIAL);
		break;
	}
	changed(a);
}

/* ---- starting ---- */

static int can_write(struct action_ui *a)
{
	if (a->env->ctx->readonly) {
		say(a, "read-only: writes are off", NULL);
		return 0;
	}
	if (!a->r) {
		say(a, "writes are off: %s", a->why);
		return 0;
	}
	if (a->mode == ACTION_CLOSED)
		return 1;
	if (action_in_flight(a) || a->hidden) {
		a->hidden = 0; /* show what runs */
		say(a, "one action at a time: this one is still running", NULL);
	}
	return 0;
}

static void set_text(char *dst, size_t n, const char *s)
{
	snprintf(dst, n, "%s", s ? s : "");
}

static void reading(struct action_ui *a, enum rollout_action act, const char *model,
                    const char *version)
{
	a->asked = act;
	set_text(a->model, sizeof a->model, model);
	set_text(a->version, sizeof a->version, version);
	a->mode = ACTION_READING;
	a->hidden = a->undoing = a->scroll = 0;
	a->plan = NULL;
	a->msg[0] = a->changed[0] = a->why[0] = '\0';
	/* the hooks and canary steps of [model.NAME], else the context's (checked at load) */
	struct err e = {0};
	rollout_hooks_fini(&a->settings);
	if (rollout_hooks_init(&a->settings, a->env->ctx,
	                       a->env->cfg ? config_model_find(a->env->cfg, model) : NULL, &e) < 0)
		snprintf(a->why, sizeof a->why, "%s", e.msg);
}

static void start(struct action_ui *a, enum rollout_action act, const char *model,
                  const char *version, int percent)
{
	if (!model || !*model) {
		say(a, "no model here to %s", rollout_action_name(act));
		return;
	}
	reading(a, act, model, version);
	struct err e = {0};
	if (rollout_read(a->r, act, model, version, percent, &e) < 0) {
		a->mode = ACTION_CLOSED;
		say(a, "%s", e.msg);
	}
	changed(a);
}

void action_start(struct action_ui *a, enum rollout_action act, const char *model,
                  const char *version, int percent)
{
	if (can_write(a))
		start(a, act, model, version, percent);
}

/* The champion serving model now (its stable line's registry version), or NULL. */
static const char *serving_now(const struct action_data *d, const char *model)
{
	const struct serving_dep *dep = action_live_dep(d->deps, model);
	const struct serving_line *l = dep ? serving_stable_line(dep) : NULL;
	return l && l->reg[0] ? l->reg : l && l->version[0] ? l->version : NULL;
}

void action_rollback(struct action_ui *a, const char *model)
{
	if (!can_write(a))
		return;
	struct action_data d;
	action_data_now(a, &d);
	const struct serving_dep *dep = action_live_dep(d.deps, model);
	if (!model || (dep && serving_canary_line(dep))) {
		start(a, ROLLOUT_ROLLBACK, model, NULL, -1);
		return;
	}
	int n = action_planner_load(&a->planner, a->env->cache, a->env->ctx->name, model,
	                            d.versions, serving_now(&d, model));
	if (n <= 0) { /* nothing known here: the plan finds the previous champion itself */
		start(a, ROLLOUT_ROLLBACK, model, NULL, -1);
		return;
	}
	reading(a, ROLLOUT_ROLLBACK, model, NULL);
	a->mode = ACTION_PLANNER;
	changed(a);
}

/* The newest registry version of model that is not serving now, or NULL. */
static const char *newest_idle(const struct action_data *d, const char *model)
{
	const char *now = serving_now(d, model), *best = NULL;
	for (size_t i = 0; d->versions && i < d->versions->n; i++) {
		const struct mlflow_model_version *v = &d->versions->items[i];
		if (!v->name || strcmp(v->name, model) || !v->version ||
		    action_live_same_version(v->version, now))
			continue;
		if (!best || atol(v->version) > atol(best))
			best = v->version;
	}
	return best;
}

void action_canary(struct action_ui *a, const char *model, const char *version)
{
	if (!can_write(a))
		return;
	if (!model || !*model) { /* no deployment under the cursor: start says so */
		start(a, ROLLOUT_CANARY, model, NULL, -1);
		return;
	}
	struct action_data d;
	action_data_now(a, &d);
	const struct serving_dep *dep = action_live_dep(d.deps, model);
	if (dep && serving_canary_line(dep)) {
		start(a, ROLLOUT_STEP, model, NULL, -1);
		return;
	}
	if (!version)
		version = newest_idle(&d, model);
	if (!version) {
		say(a, "no version of %s to canary: C on a version in Registry chooses one", model);
		return;
	}
	start(a, ROLLOUT_CANARY, model, version, -1);
}

/* ---- state ---- */

int action_wrote(const struct action_ui *a)
{
	for (size_t i = 0; a->plan && i < a->plan->n; i++)
		if (a->plan->steps[i].state == ROLLOUT_DONE)
			return 1;
	return 0;
}

int action_modal(const struct action_ui *a)
{
	return a && a->mode != ACTION_CLOSED && !a->hidden;
}

int action_in_flight(const struct action_ui *a)
{
	return a && a->r && rollout_in_flight(a->r);
}

#define FIGS_EVERY_MS 30000

void action_poll(struct action_ui *a)
{
	if (!a)
		return;
	if (a->r)
		rollout_poll(a->r);
	int blocked = a->blocked;
	action_alerts_now(a); /* an alert that resolves or starts changes the question at once */
	if (a->blocked != blocked)
		changed(a);
	int64_t now = a->env->now_ms();
	if (a->env->cache && now - a->figs_ms >= FIGS_EVERY_MS) {
		struct action_data d;
		action_data_now(a, &d);
		action_figs_keep(a->env->cache, a->env->ctx->name, d.deps, now);
		a->figs_ms = now;
	}
}

/* "v7" for a registry version "7", the name as it is otherwise, "–" for none. */
static const char *version_text(const char *v, char *buf, size_t n)
{
	if (!v || !*v)
		return "–";
	snprintf(buf, n, "%s%s", v[0] >= '0' && v[0] <= '9' ? "v" : "", v);
	return buf;
}

void action_label(const struct action_ui *a, char *buf, size_t n, int brief)
{
	const struct rollout_plan *p = a->plan;
	char raw[512], from[80], to[80], pct[16] = "";
	if (!p || (!p->from_version && !p->to_version)) {
		snprintf(raw, sizeof raw, "%s %s", rollout_action_name(p ? p->action : a->asked),
		         p ? p->model : a->model);
	} else if (brief) {
		snprintf(raw, sizeof raw, "%s %s → %s", rollout_action_name(p->action), p->model,
		         version_text(p->to_version, to, sizeof to));
	} else {
		if (p->percent >= 0)
			snprintf(pct, sizeof pct, " at %d %%", p->percent);
		snprintf(raw, sizeof raw, "%s %s %s → %s%s", rollout_action_name(p->action),
		         p->model, version_text(p->from_version, from, sizeof from),
		         version_text(p->to_version, to, sizeof to), pct);
	}
	text_sanitize(raw, strlen(raw), buf, n);
}

void action_close(struct action_ui *a)
{
	if (action_in_flight(a))
		return;
	if (a->mode != ACTION_PARTIAL && a->mode != ACTION_DONE && a->r)
		rollout_cancel(a->r);
	a->mode = ACTION_CLOSED;
	a->hidden = 0;
	a->plan = NULL;
	prompt_close(&a->input);
	action_planner_fini(&a->planner);
	changed(a);
}

void action_exec(struct action_ui *a)
{
	struct err e = {0};
	prompt_close(&a->input);
	a->mode = ACTION_RUNNING; /* events may come before rollout_exec returns */
	a->msg[0] = '\0';
	if (rollout_exec(a->r, a->reason[0] ? a->reason : NULL, &e) < 0) {
		a->mode = ACTION_CONFIRM;
		snprintf(a->msg, sizeof a->msg, "%s", e.msg);
	}
	changed(a);
}

static const struct keyhint write_hints[] = {ACTION_WRITE_HINTS, {NULL, NULL, 0}};

static int is_write_hint(const struct keyhint *h)
{
	for (const struct keyhint *w = write_hints; w->key; w++)
		if (!strcmp(w->key, h->key))
			return 1;
	return 0;
}

const struct keyhint *action_hints_readable(const struct panel_env *env, const struct keyhint *in,
                                            struct keyhint *out, size_t n)
{
	if (!env->ctx->readonly || n == 0)
		return in;
	size_t k = 0;
	for (; in->key && k + 1 < n; in++)
		if (!is_write_hint(in))
			out[k++] = *in;
	out[k] = (struct keyhint){NULL, NULL, 0};
	return out;
}
