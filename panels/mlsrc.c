#include "panels/mlsrc.h"

#include "clients/cache.h"
#include "clients/config.h"

static void put(void *ud, const char *key, const char *body, size_t len, int64_t fetched_ms)
{
	const struct panel_env *env = ud;
	if (!env->cache)
		return;
	struct err e;
	/* A failed write (disk full) is told once by the cache's notice; reading goes on. */
	cache_put(env->cache, env->ctx->name, "mlflow", key, body, len, fetched_ms, &e);
}

int mlsrc_get(void *ud, const char *key, char **body, size_t *len, int64_t *fetched_ms)
{
	const struct panel_env *env = ud;
	if (!env->cache)
		return 1;
	struct err e;
	return cache_get(env->cache, env->ctx->name, "mlflow", key, body, len, fetched_ms, &e);
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
	return mlflow_new(env->http, &cfg, e);
}

int mlsrc_done(const struct panel_env *env, int job, uint64_t gen, const struct mlflow_event *ev)
{
	const struct err *e = ev->rc < 0 ? ev->err : NULL;
	return sched_done_retry(env->sched, job, gen, ev->rc == 0, ev->latency_ms, e ? e->msg : "",
	                        e ? e->retry_after_ms : 0);
}
