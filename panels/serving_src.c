#include "panels/serving_src.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "clients/cache.h"
#include "clients/cache_server.h"
#include "clients/config.h"
#include "clients/prom_req.h"

/* ---- the cache: (context, the source's server, the source's name) ---- */

static int serving_scope(const struct serving_src *s, enum serving_part p, char *server, size_t cap,
                         struct cache_scope *out)
{
	const struct panel_env *env = s->env;
	const struct context *ctx = env->ctx;
	if (!env->cache)
		return -1;
	if (ctx->demo)
		snprintf(server, cap, "%s", CONFIG_DEMO_SERVER);
	else if (p == SV_KSERVE && cache_server_id(ctx->src[SRC_KSERVE].url, server, cap, NULL) < 0)
		return -1;
	else if (p == SV_METRICS && s->prom &&
	         cache_server_id(ctx->src[SRC_PROMETHEUS].url, server, cap, NULL) < 0)
		return -1;
	else if (p == SV_METRICS && !s->prom &&
	         scrape_server_id((const char *const *)ctx->scrape, ctx->n_scrape, server, cap) < 0)
		return -1;
	*out = (struct cache_scope){.ctx = ctx->name, .server = server, .source = s->part_name[p]};
	return 0;
}

static void serving_put(struct serving_src *s, enum serving_part p, const char *key,
                        const char *body, size_t len, int64_t fetched_ms)
{
	char server[CACHE_SERVER_MAX];
	struct cache_scope sc;
	struct err e;
	if (serving_scope(s, p, server, sizeof server, &sc) == 0)
		cache_put(s->env->cache, &sc, key, body, len, fetched_ms, &e);
}

static int serving_get(struct serving_src *s, enum serving_part p, const char *key, char **body,
                       size_t *len, int64_t *fetched_ms)
{
	char server[CACHE_SERVER_MAX];
	struct cache_scope sc;
	struct err e;
	if (serving_scope(s, p, server, sizeof server, &sc) < 0)
		return 1;
	return cache_get(s->env->cache, &sc, key, body, len, fetched_ms, &e);
}

static void metrics_put(void *ud, const char *key, const char *body, size_t len, int64_t t)
{
	serving_put(ud, SV_METRICS, key, body, len, t);
}

static int metrics_get(void *ud, const char *key, char **body, size_t *len, int64_t *t)
{
	return serving_get(ud, SV_METRICS, key, body, len, t);
}

static void kserve_put(void *ud, const char *key, const char *body, size_t len, int64_t t)
{
	serving_put(ud, SV_KSERVE, key, body, len, t);
}

/* The list came again the same: only its time is filed (not a megabyte of the same bytes). */
static int kserve_touch(void *ud, const char *key, int64_t t)
{
	struct serving_src *s = ud;
	char server[CACHE_SERVER_MAX];
	struct cache_scope sc;
	struct err e;
	if (serving_scope(s, SV_KSERVE, server, sizeof server, &sc) < 0)
		return 0;
	return cache_touch(s->env->cache, &sc, key, t, &e);
}

static void scrape_sample(void *ud, const char *series, int64_t ts_ms, double v)
{
	struct serving_src *s = ud;
	struct err e;
	/* one transaction for the points of a flush (one fsync), committed by its event; the
	 * scope worked out once for them */
	if (!s->batch) {
		if (serving_scope(s, SV_METRICS, s->batch_server, sizeof s->batch_server,
		                  &s->batch_scope) < 0)
			return;
		s->batch = cache_begin(s->env->cache, &e) == 0 ? 1 : -1;
	}
	cache_sample_put(s->env->cache, &s->batch_scope, series, ts_ms, v, &e);
}

/* The cache keeps the points of the sparklines' window (and a flush more), no older: pruned at
 * the first flush of a session (what earlier ones left) and every SERVING_PRUNE_MS after. */
#define SERVING_PRUNE_MS (10 * 60 * 1000)

static void batch_end(struct serving_src *s)
{
	struct err e;
	if (s->batch > 0 && cache_commit(s->env->cache, &e) < 0)
		cache_rollback(s->env->cache);
	int64_t now = s->env->now_ms();
	if (s->batch && (!s->pruned_ms || now - s->pruned_ms >= SERVING_PRUNE_MS)) {
		cache_sample_prune(s->env->cache, now - SCRAPE_SPARK_MS - SCRAPE_FLUSH_MS, &e);
		s->pruned_ms = now;
	}
	s->batch = 0;
}

static int scrape_range(void *ud, const char *series, int64_t from_ms, int64_t to_ms,
                        int (*fn)(void *, int64_t, double), void *fn_ud)
{
	struct serving_src *s = ud;
	char server[CACHE_SERVER_MAX];
	struct cache_scope sc;
	struct err e;
	if (serving_scope(s, SV_METRICS, server, sizeof server, &sc) < 0)
		return 0;
	return cache_sample_range(s->env->cache, &sc, series, from_ms, to_ms, fn, fn_ud, &e);
}

/* ---- the end of a fetch ---- */

/* Reports the end of a fetch: 1 data to use, 0 an error (recorded), -1 stale. */
static int part_done(struct serving_src *s, enum serving_part p, int rc, const struct err *err,
                     const char *notice, int64_t latency_ms)
{
	struct registry_part_state *ps = &s->part[p];
	ps->op = 0;
	const char *msg = rc < 0 && err ? err->msg : "";
	if (!sched_done_retry(s->env->sched, ps->job, ps->gen, rc == 0, latency_ms, msg,
	                      rc < 0 && err ? err->retry_after_ms : 0))
		return -1;
	ps->answered = 1;
	if (rc < 0) {
		snprintf(ps->error, sizeof ps->error, "%s", msg[0] ? msg : "request failed");
		return 0;
	}
	ps->error[0] = '\0';
	snprintf(ps->notice, sizeof ps->notice, "%s", notice ? notice : "");
	ps->cached = 0;
	ps->fetched_ms = s->env->now_ms();
	return 1;
}

static int part_failed(struct serving_src *s, enum serving_part p, const struct err *e)
{
	struct registry_part_state *ps = &s->part[p];
	ps->op = 0;
	ps->answered = 1;
	snprintf(ps->error, sizeof ps->error, "%s", e->msg[0] ? e->msg : "cannot start");
	sched_done(s->env->sched, ps->job, ps->gen, 0, 0, ps->error);
	s->changed(s->ud);
	return 0;
}

static void take_table(struct serving_src *s, struct prom_table **t)
{
	prom_table_fini(&s->table);
	s->table = **t;
	free(*t);
	*t = NULL;
}

static void on_prom(void *ud, struct prom_event *ev)
{
	struct serving_src *s = ud;
	const char *notice = ev->starting ? "Prometheus is starting" : ev->notice;
	int rc = part_done(s, SV_METRICS, ev->rc, ev->err, notice, ev->latency_ms);
	if (rc == 1 && ev->table)
		take_table(s, &ev->table);
	if (rc >= 0)
		s->changed(s->ud);
}

static void on_scrape(void *ud, struct scrape_event *ev)
{
	struct serving_src *s = ud;
	batch_end(s);
	int rc = part_done(s, SV_METRICS, ev->rc, ev->err, ev->notice, ev->latency_ms);
	if (rc == 1)
		s->scrapes = ev->scrapes;
	if (rc == 1 && ev->table)
		take_table(s, &ev->table);
	if (rc >= 0)
		s->changed(s->ud);
}

static int metrics_start(void *ctx, int id, uint64_t gen)
{
	struct serving_src *s = ctx;
	struct err e = {0};
	s->part[SV_METRICS].job = id;
	s->part[SV_METRICS].gen = gen;
	long op;
	if (s->prom) {
		op = prom_refresh(s->prom, PROM_INSTANT | PROM_RANGE, on_prom, s, &e);
		s->queries += 2 * PROM_NFIG;
	} else {
		op = scrape_poll(s->scrape, on_scrape, s, &e);
	}
	if (op < 0)
		return part_failed(s, SV_METRICS, &e);
	s->part[SV_METRICS].op = op;
	return 0;
}

static void on_kserve(void *ud, struct kserve_event *ev)
{
	struct serving_src *s = ud;
	int rc = part_done(s, SV_KSERVE, ev->rc, ev->err, NULL, ev->latency_ms);
	if (rc == 1 && ev->isvcs) {
		kserve_isvcs_free(&s->isvcs);
		s->isvcs = ev->isvcs;
		ev->isvcs = NULL;
	}
	s->same = rc == 1 && ev->unchanged;
	if (rc >= 0)
		s->changed(s->ud);
	s->same = 0;
}

static int kserve_start(void *ctx, int id, uint64_t gen)
{
	struct serving_src *s = ctx;
	struct err e = {0};
	s->part[SV_KSERVE].job = id;
	s->part[SV_KSERVE].gen = gen;
	long op = kserve_list(s->kserve, on_kserve, s, &e);
	if (op < 0)
		return part_failed(s, SV_KSERVE, &e);
	s->part[SV_KSERVE].op = op;
	return 0;
}

/* ---- start: the clients, then what the cache has ---- */

static struct prom *serving_prom_new(struct serving_src *s, struct err *e)
{
	const struct panel_env *env = s->env;
	const struct config_source *src = &env->ctx->src[SRC_PROMETHEUS];
	char *q[PROM_NFIG] = {0};
	if (prom_req_queries(env->cfg, env->ctx->namespace, q) < 0) {
		err_set(e, ERR_NOMEM, "out of memory");
		return NULL;
	}
	struct prom_config pc = {
	    .base_url = src->url,
	    .auth = &src->auth,
	    .now_ms = env->now_ms,
	    .model_label = config_query(env->cfg, "model_label"),
	    .version_label = config_query(env->cfg, "version_label"),
	    .put = metrics_put,
	    .put_ud = s,
	};
	for (int f = 0; f < PROM_NFIG; f++)
		pc.queries[f] = q[f];
	struct prom *p = prom_new(env->http, &pc, e);
	for (int f = 0; f < PROM_NFIG; f++)
		free(q[f]);
	return p;
}

static struct scrape *serving_scrape_new(struct serving_src *s, struct err *e)
{
	const struct panel_env *env = s->env;
	const struct config *cfg = env->cfg;
	struct scrape_config sc = {
	    .urls = (const char *const *)env->ctx->scrape,
	    .n_urls = env->ctx->n_scrape,
	    .auth = &env->ctx->src[SRC_SCRAPE].auth,
	    .now_ms = env->now_ms,
	    .metrics = {.model_label = config_query(cfg, "model_label"),
	                .version_label = config_query(cfg, "version_label"),
	                .requests = config_query(cfg, "requests_metric"),
	                .code_label = config_query(cfg, "code_label"),
	                .errors = config_query(cfg, "errors_metric"),
	                .latency = config_query(cfg, "latency_metric"),
	                .drift = config_query(cfg, "drift_metric")},
	    .history = 1u << PROM_FIG_P99, /* the one sparkline drawn */
	    .sample = scrape_sample,
	    .put = metrics_put,
	    .ud = s,
	};
	return scrape_new(env->http, &sc, e);
}

static void restore_metrics(struct serving_src *s)
{
	int64_t t = 0;
	int n = 0;
	if (s->prom)
		n = prom_restore(s->prom, metrics_get, s, &s->table, &t);
	else if (s->scrape &&
	         (n = scrape_restore(s->scrape, metrics_get, scrape_range, s, &s->table)) > 0)
		t = s->table.at_ms;
	if (n > 0 && t) {
		s->part[SV_METRICS].fetched_ms = t;
		s->part[SV_METRICS].cached = 1;
	}
}

static void restore_kserve(struct serving_src *s)
{
	char *key = kserve_list_key(kserve_namespace(s->kserve)), *body = NULL;
	size_t len = 0;
	int64_t t = 0;
	struct kserve_isvcs *l = NULL;
	if (!key || serving_get(s, SV_KSERVE, key, &body, &len, &t) != 0)
		goto out;
	if (!(l = kserve_isvcs_new()) || kserve_parse(body, len, l, NULL) < 0)
		goto out;
	s->isvcs = l;
	l = NULL;
	s->part[SV_KSERVE].fetched_ms = t;
	s->part[SV_KSERVE].cached = 1;
out:
	kserve_isvcs_free(&l);
	free(body);
	free(key);
}

static void serving_reg_changed(void *ud)
{
	struct serving_src *s = ud;
	s->changed(s->ud);
}

int serving_src_init(struct serving_src *s, const struct panel_env *env, void (*changed)(void *ud),
                     void *ud, struct err *e)
{
	memset(s, 0, sizeof *s);
	s->env = env;
	s->changed = changed;
	s->ud = ud;
	for (int p = 0; p < SV_PARTS; p++)
		s->part[p].job = -1;
	s->part_name[SV_KSERVE] = "kserve";
	const struct context *ctx = env->ctx;
	struct err ce = {0};
	if (ctx->src[SRC_PROMETHEUS].url)
		s->prom = serving_prom_new(s, &ce);
	else if (ctx->n_scrape)
		s->scrape = serving_scrape_new(s, &ce);
	s->part_name[SV_METRICS] = s->prom ? "prometheus" : "scrape";
	if (ce.msg[0])
		snprintf(s->part[SV_METRICS].error, sizeof s->part[SV_METRICS].error, "%s", ce.msg);
	if (ctx->src[SRC_KSERVE].url &&
	    !(s->kserve = kserve_for_context(env->http, ctx, kserve_put, s, &ce)))
		snprintf(s->part[SV_KSERVE].error, sizeof s->part[SV_KSERVE].error, "%s", ce.msg);
	if (s->kserve)
		kserve_keep_last(s->kserve, kserve_touch);
	int rc = registry_src_init(&s->reg, env, serving_reg_changed, s, e);
	if (rc < 0)
		return rc;
	if (s->prom || s->scrape)
		restore_metrics(s);
	if (s->kserve)
		restore_kserve(s);
	return 0;
}

void serving_src_fini(struct serving_src *s)
{
	if (s->scrape) /* the points of the last rounds, not yet filed */
		scrape_flush(s->scrape);
	batch_end(s);
	for (int p = 0; p < SV_PARTS; p++)
		if (s->part[p].job >= 0)
			sched_remove(s->env->sched, s->part[p].job);
	prom_free(&s->prom);
	scrape_free(&s->scrape);
	kserve_free(&s->kserve);
	registry_src_fini(&s->reg);
	prom_table_fini(&s->table);
	kserve_isvcs_free(&s->isvcs);
}

static int add_job(struct serving_src *s, struct sched *sched, enum source_id src, const char *name,
                   int (*start)(void *, int, uint64_t))
{
	struct sched_job j = {
	    .source = src,
	    .name = name,
	    .interval_ms = s->env->ctx->refresh_ms,
	    .start = start,
	    .ctx = s,
	};
	return sched_add(sched, &j);
}

void serving_src_schedule(struct serving_src *s, struct sched *sched)
{
	if (s->prom)
		s->part[SV_METRICS].job =
		    add_job(s, sched, SRC_PROMETHEUS, "prometheus/serving", metrics_start);
	else if (s->scrape)
		s->part[SV_METRICS].job =
		    add_job(s, sched, SRC_SCRAPE, "scrape/serving", metrics_start);
	if (s->kserve)
		s->part[SV_KSERVE].job =
		    add_job(s, sched, SRC_KSERVE, "kserve/serving", kserve_start);
	registry_src_schedule(&s->reg, sched);
}

int serving_src_has_metrics(const struct serving_src *s)
{
	return s->prom || s->scrape;
}

int serving_src_busy(const struct serving_src *s)
{
	int rates_wait = !s->prom && s->scrape && s->scrapes < 2 && !s->part[SV_METRICS].error[0];
	return ((s->prom || s->scrape) && !s->part[SV_METRICS].answered) || rates_wait ||
	       (s->kserve && !s->part[SV_KSERVE].answered);
}
