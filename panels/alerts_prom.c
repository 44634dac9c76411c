#include "panels/alerts_prom.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "clients/cache_server.h"
#include "clients/config.h"
#include "clients/prom_req.h"
#include "panels/alerts_src.h"

#define SOURCE "prometheus"

static void put(void *ud, const char *key, const char *body, size_t len, int64_t fetched_ms)
{
	const struct panel_env *env = ud;
	char server[CACHE_SERVER_MAX];
	struct cache_scope sc;
	struct err e;
	if (alerts_src_scope(env, SRC_PROMETHEUS, SOURCE, server, sizeof server, &sc) == 0)
		cache_put(env->cache, &sc, key, body, len, fetched_ms, &e);
}

static void restore(struct alerts_prom *s)
{
	char server[CACHE_SERVER_MAX], *body = NULL;
	size_t len;
	int64_t ms = 0;
	struct cache_scope sc;
	struct err e = {0};
	if (alerts_src_scope(s->env, SRC_PROMETHEUS, SOURCE, server, sizeof server, &sc) < 0 ||
	    cache_get(s->env->cache, &sc, PROM_DRIFT_KEY, &body, &len, &ms, &e) != 0)
		return;
	struct prom_drift_list *l = calloc(1, sizeof *l);
	if (l && prom_drift_parse(body, len, config_query(s->env->cfg, "model_label"),
	                          config_query(s->env->cfg, "version_label"), l, &e) == 0) {
		s->cells = l;
		s->cached = 1;
		s->fetched_ms = ms;
	} else {
		prom_drift_list_free(&l);
	}
	free(body);
}

void alerts_prom_init(struct alerts_prom *s, const struct panel_env *env, void (*changed)(void *),
                      void *ud)
{
	memset(s, 0, sizeof *s);
	s->env = env;
	s->changed = changed;
	s->ud = ud;
	s->job = -1;
	const struct config_source *src = env->ctx ? &env->ctx->src[SRC_PROMETHEUS] : NULL;
	char *q[PROM_NFIG] = {NULL};
	if (!src || !src->url || !env->cfg ||
	    prom_req_queries(env->cfg, env->ctx->namespace, q) < 0)
		goto out;
	struct prom_drift_config pc = {
	    .base_url = src->url,
	    .auth = &src->auth,
	    .now_ms = env->now_ms,
	    .query = q[PROM_FIG_DRIFT],
	    .model_label = config_query(env->cfg, "model_label"),
	    .version_label = config_query(env->cfg, "version_label"),
	    .put = put,
	    .put_ud = (void *)env,
	};
	struct err e = {0};
	if (pc.query && *pc.query && (s->client = prom_drift_new(env->http, &pc, &e)))
		restore(s);
	else
		snprintf(s->error, sizeof s->error, "%s", e.msg);
out:
	for (int f = 0; f < PROM_NFIG; f++)
		free(q[f]);
}

void alerts_prom_fini(struct alerts_prom *s)
{
	if (s->client && s->job >= 0)
		sched_remove(s->env->sched, s->job);
	prom_drift_free(&s->client);
	prom_drift_list_free(&s->cells);
}

static void on_drift(void *ud, struct prom_drift_event *ev)
{
	struct alerts_prom *s = ud;
	const char *msg = ev->rc < 0 && ev->err ? ev->err->msg : "";
	if (!sched_done_retry(s->env->sched, s->job, s->gen, ev->rc == 0, ev->latency_ms, msg,
	                      ev->rc < 0 && ev->err ? ev->err->retry_after_ms : 0))
		return;
	s->answered = 1;
	struct prom_drift_list *old = NULL;
	if (ev->rc < 0) {
		snprintf(s->error, sizeof s->error, "%s", *msg ? msg : "Prometheus: failed");
	} else {
		s->error[0] = '\0';
		old = s->cells;
		s->cells = ev->cells;
		ev->cells = NULL;
		s->cached = 0;
		s->fetched_ms = s->env->now_ms();
	}
	s->changed(s->ud);
	prom_drift_list_free(&old);
}

static int drift_start(void *ctx, int id, uint64_t gen)
{
	struct alerts_prom *s = ctx;
	struct err e = {0};
	s->job = id;
	s->gen = gen;
	if (prom_drift_fetch(s->client, on_drift, s, &e) < 0) {
		s->answered = 1;
		snprintf(s->error, sizeof s->error, "%s", e.msg);
		sched_done(s->env->sched, id, gen, 0, 0, s->error);
	}
	return 0;
}

void alerts_prom_schedule(struct alerts_prom *s, struct sched *sched)
{
	if (!s->client)
		return;
	struct sched_job j = {
	    .source = SRC_PROMETHEUS,
	    .name = "prometheus/drift features",
	    .interval_ms = s->env->ctx->refresh_ms,
	    .start = drift_start,
	    .ctx = s,
	};
	s->job = sched_add(sched, &j);
}

int alerts_prom_busy(const struct alerts_prom *s)
{
	return s->client && !s->answered;
}

int alerts_prom_drift(const struct alerts_prom *s, struct alerts_drift *d)
{
	const char *method = NULL;
	for (size_t i = 0; s->cells && i < s->cells->n; i++)
		if (!method || !strcmp(s->cells->v[i].method, "psi"))
			method = s->cells->v[i].method;
	if (!method)
		return 0;
	snprintf(d->metric, sizeof d->metric, "%s", method);
	for (size_t i = 0; i < s->cells->n; i++) {
		const struct prom_drift_cell *c = &s->cells->v[i];
		if (!strcmp(c->method, method) &&
		    alerts_drift_add(d, c->model, c->version, c->feature, c->score) < 0)
			return ERR_NOMEM;
	}
	d->from_prom = 1;
	return alerts_drift_sort(d) < 0 ? ERR_NOMEM : 1;
}
