#include "panels/mlsrc.h"

#include <stdio.h>

#include "clients/config.h"
#include "clients/samples_eval.h"

int mlsrc_scope_of(const struct panel_env *env, const char *url, const char *source, char *server,
                   size_t cap, struct cache_scope *out)
{
	if (!env->cache || !url)
		return -1;
	if (env->ctx->demo)
		snprintf(server, cap, "%s", CONFIG_DEMO_SERVER);
	else if (cache_server_id(url, server, cap, NULL) < 0)
		return -1;
	*out = (struct cache_scope){.ctx = env->ctx->name, .server = server, .source = source};
	return 0;
}

int mlsrc_scope(const struct panel_env *env, const char *source, char *server, size_t cap,
                struct cache_scope *out)
{
	if (!env->cache) /* before env->ctx: a panel without a cache may have no context */
		return -1;
	return mlsrc_scope_of(env, env->ctx->src[SRC_MLFLOW].url, source, server, cap, out);
}

static void put(void *ud, const char *key, const char *body, size_t len, int64_t fetched_ms)
{
	const struct panel_env *env = ud;
	char server[CACHE_SERVER_MAX];
	struct cache_scope sc;
	struct err e;
	/* A failed write (disk full) is told by the cache's notice; reading goes on. */
	if (mlsrc_scope(env, "mlflow", server, sizeof server, &sc) == 0)
		cache_put(env->cache, &sc, key, body, len, fetched_ms, &e);
}

int mlsrc_get(void *ud, const char *key, char **body, size_t *len, int64_t *fetched_ms)
{
	const struct panel_env *env = ud;
	char server[CACHE_SERVER_MAX];
	struct cache_scope sc;
	struct err e;
	if (mlsrc_scope(env, "mlflow", server, sizeof server, &sc) < 0)
		return 1;
	return cache_get(env->cache, &sc, key, body, len, fetched_ms, &e);
}

struct mlflow *mlsrc_client(const struct panel_env *env, struct err *e)
{
	const struct config_source *src = &env->ctx->src[SRC_MLFLOW];
	if (!src->url) {
		err_set(e, ERR_CONFIG, "MLflow is not configured");
		return NULL;
	}
	struct mlflow_config cfg = {
	    .base_url = src->url,
	    .auth = &src->auth,
	    .static_prefix = env->ctx->mlflow_static_prefix,
	    .now_ms = env->now_ms,
	    .put = put,
	    .put_ud = (void *)env,
	};
	struct mlflow *m = mlflow_new(env->http, &cfg, e);
	if (m && mlsrc_eval_rule(m, env->ctx->eval_failure, e) < 0)
		mlflow_free(&m);
	return m;
}

int mlsrc_eval_rule(struct mlflow *m, const char *text, struct err *e)
{
	struct samples_rule r;
	if (!text)
		return 0;
	if (samples_rule_parse(text, &r, e) < 0)
		return ERR_CONFIG;
	return mlflow_set_eval_rule(m, &r.spec, e);
}

int mlsrc_done(const struct panel_env *env, int job, uint64_t gen, const struct mlflow_event *ev)
{
	const struct err *e = ev->rc < 0 ? ev->err : NULL;
	return sched_done_retry(env->sched, job, gen, ev->rc == 0, ev->latency_ms, e ? e->msg : "",
	                        e ? e->retry_after_ms : 0);
}
