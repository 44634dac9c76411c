#include "panels/alerts_src.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "clients/cache.h"
#include "clients/config.h"
#include "panels/mlsrc.h"

#define SOURCE       "alertmanager"
#define MAX_MATCHERS 64

/* ---- the cache ---- */

int alerts_src_scope(const struct panel_env *env, enum source_id src, const char *source,
                     char *server, size_t cap, struct cache_scope *out)
{
	const char *url = env->ctx ? env->ctx->src[src].url : NULL;
	return mlsrc_scope_of(env, url, source, server, cap, out);
}

static int scope(const struct panel_env *env, char *server, size_t cap, struct cache_scope *out)
{
	return alerts_src_scope(env, SRC_ALERTMANAGER, SOURCE, server, cap, out);
}

static void put(void *ud, const char *key, const char *body, size_t len, int64_t fetched_ms)
{
	const struct panel_env *env = ud;
	char server[CACHE_SERVER_MAX];
	struct cache_scope sc;
	struct err e;
	if (scope(env, server, sizeof server, &sc) == 0)
		cache_put(env->cache, &sc, key, body, len, fetched_ms, &e);
}

static char *get(const struct panel_env *env, const char *key, size_t *len, int64_t *ms)
{
	char server[CACHE_SERVER_MAX], *body = NULL;
	struct cache_scope sc;
	struct err e;
	if (!key || scope(env, server, sizeof server, &sc) < 0 ||
	    cache_get(env->cache, &sc, key, &body, len, ms, &e) != 0)
		return NULL;
	return body;
}

static const struct am_alerts_query all_alerts = {0};

static void restore(struct alerts_src *s)
{
	size_t len;
	int64_t ms = 0;
	struct err e = {0};
	char *key = alertmanager_alerts_key(&all_alerts);
	char *body = get(s->env, key, &len, &ms);
	free(key);
	struct am_alerts *al = body ? am_alerts_new() : NULL;
	if (al && alertmanager_parse_alerts(body, len, al, &e) == 0) {
		s->alerts = al;
		s->part[ALERTS_PART_ALERTS] = (struct alerts_part_state){-1, 0, 0, 0, 1, ms, ""};
	} else {
		am_alerts_free(&al);
	}
	free(body);
	body = get(s->env, ALERTMANAGER_SILENCES_KEY, &len, &ms);
	struct am_silences *sl = body ? am_silences_new() : NULL;
	if (sl && alertmanager_parse_silences(body, len, sl, &e) == 0) {
		s->silences = sl;
		s->part[ALERTS_PART_SILENCES] = (struct alerts_part_state){-1, 0, 0, 0, 1, ms, ""};
	} else {
		am_silences_free(&sl);
	}
	free(body);
}

/* ---- polls ---- */

/* The end of a poll: 1 data to take, 0 an error (recorded), -1 stale. */
static int part_done(struct alerts_src *s, enum alerts_part p, const struct alertmanager_event *ev)
{
	struct alerts_part_state *ps = &s->part[p];
	const char *msg = ev->rc < 0 && ev->err ? ev->err->msg : "";
	ps->op = 0;
	if (!sched_done_retry(s->env->sched, ps->job, ps->gen, ev->rc == 0, ev->latency_ms, msg,
	                      ev->rc < 0 && ev->err ? ev->err->retry_after_ms : 0))
		return -1;
	ps->answered = 1;
	if (ev->rc < 0) {
		snprintf(ps->error, sizeof ps->error, "%s", *msg ? msg : "Alertmanager: failed");
		return 0;
	}
	ps->error[0] = '\0';
	ps->cached = 0;
	ps->fetched_ms = s->env->now_ms();
	return 1;
}

static void start_failed(struct alerts_src *s, enum alerts_part p, const struct err *e)
{
	struct alerts_part_state *ps = &s->part[p];
	ps->op = 0;
	ps->answered = 1;
	snprintf(ps->error, sizeof ps->error, "%s",
	         e->msg[0] ? e->msg : "Alertmanager: cannot start");
	sched_done(s->env->sched, ps->job, ps->gen, 0, 0, ps->error);
	s->changed(s->ud);
}

static void on_alerts(void *ud, struct alertmanager_event *ev)
{
	struct alerts_src *s = ud;
	int rc = part_done(s, ALERTS_PART_ALERTS, ev);
	struct am_alerts *old = NULL;
	if (rc == 1 && ev->alerts) {
		old = s->alerts;
		s->alerts = ev->alerts;
		ev->alerts = NULL;
	}
	if (rc >= 0)
		s->changed(s->ud); /* the rows stop pointing into old here */
	am_alerts_free(&old);
}

static void on_silences(void *ud, struct alertmanager_event *ev)
{
	struct alerts_src *s = ud;
	int rc = part_done(s, ALERTS_PART_SILENCES, ev);
	struct am_silences *old = NULL;
	if (rc == 1 && ev->silences) {
		old = s->silences;
		s->silences = ev->silences;
		ev->silences = NULL;
	}
	if (rc >= 0)
		s->changed(s->ud);
	am_silences_free(&old);
}

static int alerts_start(void *ctx, int id, uint64_t gen)
{
	struct alerts_src *s = ctx;
	struct err e = {0};
	s->part[ALERTS_PART_ALERTS].job = id;
	s->part[ALERTS_PART_ALERTS].gen = gen;
	long op = alertmanager_alerts(s->am, &all_alerts, on_alerts, s, &e);
	if (op < 0)
		start_failed(s, ALERTS_PART_ALERTS, &e);
	else
		s->part[ALERTS_PART_ALERTS].op = op;
	return 0;
}

static int silences_start(void *ctx, int id, uint64_t gen)
{
	struct alerts_src *s = ctx;
	struct err e = {0};
	s->part[ALERTS_PART_SILENCES].job = id;
	s->part[ALERTS_PART_SILENCES].gen = gen;
	long op = alertmanager_silences(s->am, NULL, 0, on_silences, s, &e);
	if (op < 0)
		start_failed(s, ALERTS_PART_SILENCES, &e);
	else
		s->part[ALERTS_PART_SILENCES].op = op;
	return 0;
}

/* ---- the source ---- */

int alerts_src_init(struct alerts_src *s, const struct panel_env *env, void (*changed)(void *),
                    void *ud)
{
	memset(s, 0, sizeof *s);
	s->env = env;
	s->changed = changed;
	s->ud = ud;
	for (int p = 0; p < ALERTS_PARTS; p++)
		s->part[p].job = -1;
	const struct config_source *src = env->ctx ? &env->ctx->src[SRC_ALERTMANAGER] : NULL;
	if (!src || !src->url)
		return 0;
	struct alertmanager_config cfg = {
	    .base_url = src->url,
	    .auth = &src->auth,
	    .now_ms = env->now_ms,
	    .put = put,
	    .put_ud = (void *)env,
	    .readonly = env->ctx->readonly,
	};
	struct err e = {0};
	s->am = alertmanager_new(env->http, &cfg, &e);
	if (!s->am) {
		snprintf(s->client_err, sizeof s->client_err, "%s", e.msg);
		return e.code ? e.code : ERR_NOMEM;
	}
	restore(s);
	return 0;
}

void alerts_src_fini(struct alerts_src *s)
{
	if (s->am)
		for (int p = 0; p < ALERTS_PARTS; p++)
			if (s->part[p].job >= 0)
				sched_remove(s->env->sched, s->part[p].job);
	alertmanager_free(&s->am);
	am_alerts_free(&s->alerts);
	am_silences_free(&s->silences);
}

static int add_job(struct alerts_src *s, struct sched *sched, const char *name,
                   int (*start)(void *, int, uint64_t))
{
	struct sched_job j = {
	    .source = SRC_ALERTMANAGER,
	    .name = name,
	    .interval_ms = s->env->ctx->refresh_ms,
	    .start = start,
	    .ctx = s,
	};
	return sched_add(sched, &j);
}

void alerts_src_schedule(struct alerts_src *s, struct sched *sched)
{
	if (!s->am)
		return;
	s->part[ALERTS_PART_ALERTS].job = add_job(s, sched, "alertmanager/alerts", alerts_start);
	s->part[ALERTS_PART_SILENCES].job =
	    add_job(s, sched, "alertmanager/silences", silences_start);
}

int alerts_src_busy(const struct alerts_src *s)
{
	return s->am && (!s->part[ALERTS_PART_ALERTS].answered ||
	                 !s->part[ALERTS_PART_SILENCES].answered || s->op_write > 0);
}

const char *alerts_src_error(const struct alerts_src *s)
{
	if (s->client_err[0])
		return s->client_err;
	for (int p = 0; p < ALERTS_PARTS; p++)
		if (s->part[p].error[0])
			return s->part[p].error;
	return "";
}

/* ---- writes ---- */

const char *alerts_src_user(const struct alerts_src *s)
{
	const struct config_general *g = s->env->cfg ? config_general(s->env->cfg) : NULL;
	return g && g->user && *g->user ? g->user : "mltop";
}

void alerts_src_matchers_text(const struct am_alert *a, char *out, size_t n)
{
	struct am_matcher m[MAX_MATCHERS];
	size_t k = alertmanager_matchers_from_labels(&a->labels, m, MAX_MATCHERS), used = 0;
	if (n)
		out[0] = '\0';
	for (size_t i = 0; i < k && used < n; i++) {
		int w = snprintf(out + used, n - used, "%s%s=\"%s\"", i ? ", " : "", m[i].name,
		                 m[i].value);
		if (w < 0)
			break;
		used += (size_t)w;
	}
}

static void audit(struct alerts_src *s, const char *action, const char *result)
{
	const struct config_general *g = s->env->cfg ? config_general(s->env->cfg) : NULL;
	char user[256];
	const char *host = g ? g->host : NULL;
	/* the log keeps the user and the host apart: "ops@bastion" is ops on bastion */
	snprintf(user, sizeof user, "%s", alerts_src_user(s));
	char *at = strchr(user, '@');
	if (at) {
		*at = '\0';
		host = at + 1;
	}
	struct audit_row row = {
	    .user = user,
	    .host = host,
	    .context = s->env->ctx->name,
	    .action = action,
	    .model = s->write_model[0] ? s->write_model : NULL,
	    .percent = -1,
	    .phase = "after",
	    .result = result,
	    .detail = s->write_detail,
	};
	struct err e;
	if (s->env->cache)
		cache_audit_append(s->env->cache, &row, &e);
}

static void on_write(void *ud, struct alertmanager_event *ev)
{
	struct alerts_src *s = ud;
	const char *action = s->write_kind == ALERTMANAGER_SILENCE_CREATE ? "silence" : "expire";
	char msg[1400];
	s->op_write = 0;
	if (ev->rc == 0 && ev->kind == ALERTMANAGER_SILENCE_CREATE) {
		char d[1024];
		snprintf(d, sizeof d, "silence %s: %s", ev->silence_id, s->write_detail);
		snprintf(s->write_detail, sizeof s->write_detail, "%s", d);
	}
	audit(s, action, ev->rc == 0 ? "ok" : "failed");
	if (ev->rc == 0)
		snprintf(msg, sizeof msg, "%s: %s",
		         ev->kind == ALERTMANAGER_SILENCE_CREATE ? "silenced" : "expired",
		         s->write_detail);
	else
		snprintf(msg, sizeof msg, "%s failed: %s", action, ev->err ? ev->err->msg : "");
	s->env->notify(s->env->app, msg);
	for (int p = 0; p < ALERTS_PARTS; p++)
		if (s->part[p].job >= 0)
			sched_refresh(s->env->sched, s->part[p].job);
	s->changed(s->ud);
}

static int write_allowed(const struct alerts_src *s, struct err *e)
{
	if (!s->am)
		return err_set(e, ERR_CONFIG, "Alertmanager is not configured");
	if (s->env->ctx->readonly)
		return err_set(e, ERR_STATE, "read-only context: silences cannot be changed");
	if (s->op_write > 0)
		return err_set(e, ERR_STATE, "a silence is being changed; wait for it");
	return 0;
}

int alerts_src_silence(struct alerts_src *s, const struct am_alert *a, int64_t dur_ms,
                       const char *comment, struct err *e)
{
	struct am_matcher m[MAX_MATCHERS];
	if (write_allowed(s, e) < 0)
		return e ? e->code : ERR_STATE;
	int64_t now = s->env->now_ms();
	struct am_silence_new n = {
	    .matchers = m,
	    .nmatchers = alertmanager_matchers_from_labels(&a->labels, m, MAX_MATCHERS),
	    .starts_ms = now,
	    .ends_ms = now + dur_ms,
	    .created_by = alerts_src_user(s),
	    .comment = comment,
	};
	const char *model = kvlist_get(&a->labels, "model");
	snprintf(s->write_model, sizeof s->write_model, "%s", model ? model : "");
	alerts_src_matchers_text(a, s->write_detail, sizeof s->write_detail);
	s->write_kind = ALERTMANAGER_SILENCE_CREATE;
	long op = alertmanager_silence_create(s->am, &n, on_write, s, e);
	if (op < 0)
		return (int)op;
	s->op_write = op;
	return 0;
}

int alerts_src_expire(struct alerts_src *s, const char *id, const char *model, struct err *e)
{
	if (write_allowed(s, e) < 0)
		return e ? e->code : ERR_STATE;
	snprintf(s->write_model, sizeof s->write_model, "%s", model ? model : "");
	const struct am_silence *sil = s->silences ? am_silences_find(s->silences, id) : NULL;
	size_t used = (size_t)snprintf(s->write_detail, sizeof s->write_detail, "silence %s", id);
	for (size_t i = 0; sil && i < sil->nmatchers && used < sizeof s->write_detail; i++)
		used += (size_t)snprintf(s->write_detail + used, sizeof s->write_detail - used,
		                         "%s%s%s\"%s\"", i ? ", " : ": ", sil->matchers[i].name,
		                         sil->matchers[i].is_regex ? "=~" : "=",
		                         sil->matchers[i].value);
	s->write_kind = ALERTMANAGER_SILENCE_EXPIRE;
	long op = alertmanager_silence_expire(s->am, id, on_write, s, e);
	if (op < 0)
		return (int)op;
	s->op_write = op;
	return 0;
}
