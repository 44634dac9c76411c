#include "panels/samples_data.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "clients/cache.h"
#include "clients/config.h"
#include "clients/samples_eval.h"
#include "clients/samples_follow.h"
#include "panels/mlsrc.h"

#define FEATURE_SCAN 1000 /* the newest samples the input field columns are chosen from */

/* The cache scope of the samples URL (nothing is cached for a file). */
static int data_scope(const struct panel_env *env, char *server, size_t cap,
                      struct cache_scope *out)
{
	const char *url = env->ctx->samples;
	if (!url || strncmp(url, "http", 4) != 0)
		return -1;
	return mlsrc_scope_of(env, url, "samples", server, cap, out);
}

static void data_put(void *ud, const char *key, const char *body, size_t len, int64_t fetched_ms)
{
	const struct panel_env *env = ud;
	char server[CACHE_SERVER_MAX];
	struct cache_scope sc;
	struct err e;
	if (data_scope(env, server, sizeof server, &sc) == 0)
		cache_put(env->cache, &sc, key, body, len, fetched_ms, &e);
}

static void data_restore(struct samples_data *d)
{
	char server[CACHE_SERVER_MAX], *body = NULL;
	struct cache_scope sc;
	size_t len = 0;
	int64_t when = 0;
	struct err e;
	if (data_scope(d->env, server, sizeof server, &sc) < 0 ||
	    cache_get(d->env->cache, &sc, SAMPLES_CACHE_KEY, &body, &len, &when, &e) != 0)
		return;
	if (samples_src_restore(d->src, body, len) > 0) {
		d->cached = 1;
		d->data_ms = when;
		d->stale = 1;
	}
	free(body);
}

void samples_data_init(struct samples_data *d, const struct panel_env *env)
{
	memset(d, 0, sizeof *d);
	d->env = env;
	d->job = -1;
	d->stale = 1;
	if (!env->ctx->samples)
		return;
	struct samples_config cfg = {
	    .target = env->ctx->samples,
	    .auth = &env->ctx->src[SRC_SAMPLES].auth,
	    .now_ms = env->now_ms,
	    .put = data_put,
	    .put_ud = (void *)env,
	};
	struct err e = {0};
	d->src = samples_src_new(env->http, &cfg, &e);
	if (!d->src)
		snprintf(d->err, sizeof d->err, "%s", e.msg);
	else
		data_restore(d);
}

static void data_eval_stop(struct samples_data *d)
{
	mlflow_free(&d->ml); /* cancels what is in flight, with no event */
	samples_free(&d->eval);
	d->eval_op = 0;
	d->eval_err[0] = '\0';
	d->eval_loaded = 0;
}

void samples_data_fini(struct samples_data *d)
{
	if (d->job >= 0)
		sched_remove(d->env->sched, d->job);
	data_eval_stop(d);
	samples_src_free(&d->src);
	free(d->rows);
	memset(d, 0, sizeof *d);
	d->job = -1;
}

static void data_on_poll(void *ud, struct samples_event *ev)
{
	struct samples_data *d = ud;
	const struct err *e = ev->rc < 0 ? ev->err : NULL;
	d->answered = 1;
	if (!sched_done_retry(d->env->sched, d->job, d->gen, ev->rc == 0, ev->latency_ms,
	                      e ? e->msg : "", e ? e->retry_after_ms : 0))
		return;
	const struct samples_follow *fo = samples_src_follow(d->src);
	if (e) {
		snprintf(d->err, sizeof d->err, "%s", e->msg);
	} else if (fo && samples_follow_gone(fo)) {
		snprintf(d->err, sizeof d->err,
		         "%s: removed: waiting for the file (showing what was read)",
		         samples_follow_path(fo));
	} else {
		d->err[0] = '\0';
		d->data_ms = d->env->now_ms();
		d->cached = 0;
	}
	if (ev->added > 0 || e) /* a failed poll may have read the rest of a removed file */
		d->stale = 1;
	if (ev->more)
		sched_refresh(d->env->sched, d->job);
	if (d->env->changed)
		d->env->changed(d->env->app);
}

static int data_start(void *ctx, int id, uint64_t gen)
{
	struct samples_data *d = ctx;
	struct err e = {0};
	d->job = id;
	d->gen = gen;
	if (samples_src_poll(d->src, data_on_poll, d, &e) < 0) {
		d->answered = 1;
		snprintf(d->err, sizeof d->err, "%s", e.msg);
		return e.code ? e.code : ERR_STATE;
	}
	return 0;
}

void samples_data_schedule(struct samples_data *d, struct sched *s)
{
	if (!d->src || d->job >= 0)
		return;
	int64_t every = d->env->ctx->refresh_ms > 0 ? d->env->ctx->refresh_ms : 2000;
	struct sched_job j = {
	    .source = SRC_SAMPLES,
	    .name = "samples",
	    .interval_ms = samples_src_is_file(d->src) && every > 1000 ? 1000 : every,
	    .start = data_start,
	    .ctx = d,
	};
	d->job = sched_add(s, &j);
}

static void data_on_eval(void *ud, struct mlflow_event *ev)
{
	struct samples_data *d = ud;
	if (!ev->done || ev->op != d->eval_op)
		return;
	d->eval_op = 0;
	d->eval_loaded = 1;
	if (ev->rc < 0)
		snprintf(d->eval_err, sizeof d->eval_err, "eval table of run %s: %s", d->focus.run,
		         ev->err ? ev->err->msg : "failed");
	else if (ev->eval && samples_add_eval_table(d->eval, ev->eval, d->focus.model,
	                                            d->focus.version) < 0) /* the run's, as named */
		snprintf(d->eval_err, sizeof d->eval_err, "eval table: out of memory");
	d->stale = 1;
	if (d->env->changed)
		d->env->changed(d->env->app);
}

/* The client for the focused run's eval table, under the focused model's eval_failure rule
 * when its [model.NAME] has one (else the context's, which mlsrc_client sets). */
static struct mlflow *data_eval_client(struct samples_data *d, struct err *e)
{
	const struct config_model *m =
	    d->focus.model[0] ? config_model_find(d->env->cfg, d->focus.model) : NULL;
	struct mlflow *ml = mlsrc_client(d->env, e);
	if (ml && m && mlsrc_eval_rule(ml, m->eval_failure, e) < 0)
		mlflow_free(&ml);
	return ml;
}

static void data_eval_start(struct samples_data *d)
{
	struct err e = {0};
	d->eval = samples_new(0);
	d->ml = d->eval ? data_eval_client(d, &e) : NULL;
	if (!d->ml) {
		snprintf(d->eval_err, sizeof d->eval_err, "eval table of run %s: %s", d->focus.run,
		         e.msg[0] ? e.msg : "out of memory");
		d->eval_loaded = 1;
		return;
	}
	long op = mlflow_eval_table(d->ml, d->focus.run, NULL, data_on_eval, d, &e);
	if (op < 0) {
		snprintf(d->eval_err, sizeof d->eval_err, "eval table of run %s: %s", d->focus.run,
		         e.msg);
		d->eval_loaded = 1;
	}
	d->eval_op = op > 0 ? op : 0;
}

void samples_data_focus(struct samples_data *d, const char *arg)
{
	data_eval_stop(d);
	samples_focus_parse(arg, &d->focus);
	if (d->focus.run[0])
		data_eval_start(d);
	d->stale = 1;
}

void samples_data_unfocus(struct samples_data *d)
{
	samples_data_focus(d, "");
}

const struct samples *samples_data_ring(const struct samples_data *d)
{
	if (d->focus.run[0])
		return d->eval;
	return d->src ? samples_src_samples(d->src) : NULL;
}

const char *samples_data_error(const struct samples_data *d)
{
	return d->focus.run[0] ? d->eval_err : d->err;
}

int samples_data_busy(const struct samples_data *d)
{
	if (d->focus.run[0])
		return !d->eval_loaded;
	return d->src && !d->answered;
}

static int data_keep(const struct samples_focus *f, const struct sample *x)
{
	if (f->model[0] && (x->bad || strcmp(x->model, f->model) != 0))
		return 0;
	if (f->version[0] && (x->bad || strcmp(x->version, f->version) != 0))
		return 0;
	return !f->feature[0] || (!x->bad && kvlist_get(&x->features, f->feature) != NULL);
}

/* The input fields that at least half of the newest samples carry, in their order. */
static int data_features(struct samples_data *d)
{
	char names[32][64];
	size_t counts[32] = {0}, seen = 0;
	int n = 0;
	for (size_t i = 0; i < d->nrows && seen < FEATURE_SCAN; i++) {
		const struct sample *x = d->rows[i];
		seen += !x->bad;
		for (size_t k = 0; !x->bad && k < x->features.n; k++) {
			int j = 0;
			while (j < n && strcmp(names[j], x->features.v[k].name) != 0)
				j++;
			if (j == n && n < 32 && strlen(x->features.v[k].name) < 64)
				snprintf(names[n++], 64, "%s", x->features.v[k].name);
			counts[j < 32 ? j : 31] += j < n;
		}
	}
	char old[SAMPLES_DATA_FEATURES][64];
	int nold = d->nfeat;
	memcpy(old, d->feats, sizeof old);
	memset(d->feats, 0, sizeof d->feats);
	d->nfeat = 0;
	for (int j = 0; j < n && d->nfeat < SAMPLES_DATA_FEATURES; j++)
		if (counts[j] * 2 >= seen)
			snprintf(d->feats[d->nfeat++], 64, "%s", names[j]);
	return nold != d->nfeat || memcmp(old, d->feats, sizeof old) != 0;
}

int samples_data_rebuild(struct samples_data *d)
{
	if (!d->stale)
		return 0;
	d->stale = 0;
	const struct samples *r = samples_data_ring(d);
	size_t n = r ? samples_count(r) : 0;
	if (n > d->cap) {
		void *p = realloc(d->rows, n * sizeof *d->rows);
		if (!p)
			return -1;
		d->rows = p;
		d->cap = n;
	}
	d->nrows = 0;
	for (size_t i = n; i-- > 0;) {
		const struct sample *x = samples_at(r, i);
		if (data_keep(&d->focus, x))
			d->rows[d->nrows++] = x;
	}
	return data_features(d) ? 2 : 1;
}
