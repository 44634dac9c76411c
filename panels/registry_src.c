#include "panels/registry_src.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "clients/config.h"
#include "clients/mlflow_registry_ops.h"
#include "panels/mlsrc.h"
#include "panels/registry_data.h"

/* ---- the end of a fetch ---- */

/* Reports a final event to the scheduler and records it in ps: 1 when it brought data to use, 0
 * for a current error (recorded), -1 for a stale answer (dropped). */
static int state_done(const struct panel_env *env, struct registry_part_state *ps,
                      const struct mlflow_event *ev)
{
	ps->op = 0;
	if (!mlsrc_done(env, ps->job, ps->gen, ev))
		return -1;
	ps->answered = 1;
	if (ev->rc < 0) {
		snprintf(ps->error, sizeof ps->error, "%s",
		         ev->err ? ev->err->msg : "MLflow: request failed");
		return 0;
	}
	ps->error[0] = '\0';
	snprintf(ps->notice, sizeof ps->notice, "%s", ev->notice ? ev->notice : "");
	ps->cached = 0;
	ps->fetched_ms = env->now_ms();
	return 1;
}

/* A fetch that could not even start: told to the scheduler and kept as the part's error. */
static void state_failed(const struct panel_env *env, struct registry_part_state *ps,
                         const struct err *e)
{
	ps->op = 0;
	ps->answered = 1;
	snprintf(ps->error, sizeof ps->error, "%s", e->msg[0] ? e->msg : "MLflow: cannot start");
	sched_done(env->sched, ps->job, ps->gen, 0, 0, ps->error);
}

static int part_done(struct registry_src *s, enum registry_part p, const struct mlflow_event *ev)
{
	return state_done(s->env, &s->part[p], ev);
}

static int part_failed(struct registry_src *s, enum registry_part p, const struct err *e)
{
	state_failed(s->env, &s->part[p], e);
	s->changed(s->ud);
	return 0;
}

/* ---- models and versions: one poll for every panel of the same shell ---- */

/* The registered models and versions of one shell's MLflow, polled once a refresh whatever the
 * number of panels that show them (Registry and Serving): each panel's registry_src mirrors
 * the lists and their states, which the feed owns. */
#define FEED_SUBS 8
struct registry_feed {
	const struct panel_env *env;
	struct mlflow *client;
	struct mlflow_models *models;
	struct mlflow_versions *versions;
	struct registry_part_state part[2]; /* REG_MODELS, REG_VERSIONS */
	struct registry_src *subs[FEED_SUBS];
	size_t nsubs;
	struct registry_feed *next;
};

static struct registry_feed *feeds; /* one per panel_env: the panels of one shell */

/* After new versions: when the open model's run ids changed, fetch its runs again. */
static void registry_src_runs_update(struct registry_src *s);

/* Every panel on the feed sees its new lists and states; the old lists are freed after. */
static void feed_publish(struct registry_feed *f, int versions_changed)
{
	for (size_t i = 0; i < f->nsubs; i++) {
		struct registry_src *s = f->subs[i];
		s->models = f->models;
		s->versions = f->versions;
		s->part[REG_MODELS] = f->part[REG_MODELS];
		s->part[REG_VERSIONS] = f->part[REG_VERSIONS];
		if (versions_changed)
			registry_src_runs_update(s);
		s->changed(s->ud);
	}
}

/* A fetch of the feed started (op > 0), or could not (its error goes to every panel). */
static int feed_started(struct registry_feed *f, enum registry_part p, long op, const struct err *e)
{
	if (op < 0) {
		state_failed(f->env, &f->part[p], e);
		feed_publish(f, 0);
	} else {
		f->part[p].op = op;
	}
	return 0;
}

static void on_models(void *ud, struct mlflow_event *ev)
{
	struct registry_feed *f = ud;
	if (!ev->done)
		return;
	int rc = state_done(f->env, &f->part[REG_MODELS], ev);
	struct mlflow_models *old = NULL;
	if (rc == 1) {
		old = f->models; /* the views still point into it until changed() has run */
		f->models = ev->models;
		ev->models = NULL;
	}
	if (rc >= 0)
		feed_publish(f, 0);
	mlflow_models_free(&old);
}

static int models_start(void *ctx, int id, uint64_t gen)
{
	struct registry_feed *f = ctx;
	struct err e = {0};
	f->part[REG_MODELS].job = id;
	f->part[REG_MODELS].gen = gen;
	return feed_started(f, REG_MODELS, mlflow_models(f->client, NULL, on_models, f, &e), &e);
}

static void on_versions(void *ud, struct mlflow_event *ev)
{
	struct registry_feed *f = ud;
	if (!ev->done)
		return;
	int rc = state_done(f->env, &f->part[REG_VERSIONS], ev);
	struct mlflow_versions *old = NULL;
	if (rc == 1) {
		old = f->versions; /* as for the models: freed once the views have moved on */
		f->versions = ev->versions;
		ev->versions = NULL;
	}
	if (rc >= 0)
		feed_publish(f, rc == 1);
	mlflow_versions_free(&old);
}

static int versions_start(void *ctx, int id, uint64_t gen)
{
	struct registry_feed *f = ctx;
	struct err e = {0};
	f->part[REG_VERSIONS].job = id;
	f->part[REG_VERSIONS].gen = gen;
	return feed_started(f, REG_VERSIONS,
	                    mlflow_versions_search(f->client, NULL, on_versions, f, &e), &e);
}

/* ---- source runs of the open model: experiments/search, then runs/search ---- */

static void exp_ids_free(struct registry_src *s)
{
	for (size_t i = 0; i < s->nexp; i++)
		free(s->exp_ids[i]);
	free(s->exp_ids);
	s->exp_ids = NULL;
	s->nexp = 0;
}

static int exp_ids_set(struct registry_src *s, const struct mlflow_experiments *l)
{
	exp_ids_free(s);
	if (!l || !l->n)
		return 0;
	if (!(s->exp_ids = calloc(l->n, sizeof *s->exp_ids)))
		return ERR_NOMEM;
	for (size_t i = 0; i < l->n; i++)
		if (l->items[i].id && !(s->exp_ids[s->nexp++] = strdup(l->items[i].id)))
			return ERR_NOMEM;
	return 0;
}

static struct mlflow_runs_query runs_query(const struct registry_src *s)
{
	return (struct mlflow_runs_query){
	    .experiment_ids = (const char *const *)s->exp_ids,
	    .nexperiments = s->nexp,
	    .filter = s->runs_filter,
	    .view = MLFLOW_VIEW_ALL,
	};
}

static void on_runs(void *ud, struct mlflow_event *ev)
{
	struct registry_src *s = ud;
	if (!ev->done)
		return;
	struct runstore *st = s->loading;
	s->loading = NULL;
	int rc = part_done(s, REG_RUNS, ev);
	if (rc == 1) {
		runstore_free(&s->runs);
		s->runs = st;
	} else {
		runstore_free(&st);
	}
	if (rc >= 0)
		s->changed(s->ud);
}

/* Nothing to search (no experiment, no run): an empty answer, at once. */
static int runs_none(struct registry_src *s)
{
	struct registry_part_state *ps = &s->part[REG_RUNS];
	ps->op = 0;
	if (sched_done(s->env->sched, ps->job, ps->gen, 1, 0, "")) {
		ps->answered = 1;
		ps->error[0] = '\0';
		ps->cached = 0;
		ps->fetched_ms = s->env->now_ms();
		s->changed(s->ud);
	}
	return 0;
}

static void on_experiments(void *ud, struct mlflow_event *ev)
{
	struct registry_src *s = ud;
	if (!ev->done)
		return;
	struct err e = {0};
	if (ev->rc < 0) {
		if (part_done(s, REG_RUNS, ev) >= 0)
			s->changed(s->ud);
		return;
	}
	if (exp_ids_set(s, ev->experiments) < 0) {
		err_set(&e, ERR_NOMEM, "out of memory");
		part_failed(s, REG_RUNS, &e);
		return;
	}
	if (!s->nexp || !s->runs_filter) {
		runs_none(s);
		return;
	}
	struct mlflow_runs_query q = runs_query(s);
	s->loading = runstore_new();
	long op = s->loading ? mlflow_runs(s->client, &q, s->loading, on_runs, s, &e)
	                     : err_set(&e, ERR_NOMEM, "out of memory");
	if (op < 0) {
		runstore_free(&s->loading);
		part_failed(s, REG_RUNS, &e);
		return;
	}
	s->part[REG_RUNS].op = op;
}

static int runs_start(void *ctx, int id, uint64_t gen)
{
	struct registry_src *s = ctx;
	struct err e = {0};
	s->part[REG_RUNS].job = id;
	s->part[REG_RUNS].gen = gen;
	if (!s->runs_filter)
		return runs_none(s);
	long op = mlflow_experiments(s->client, NULL, on_experiments, s, &e);
	if (op < 0)
		return part_failed(s, REG_RUNS, &e);
	s->part[REG_RUNS].op = op;
	return 0;
}

/* ---- cache ---- */

static void restore_registry(struct registry_feed *f)
{
	struct err e = {0};
	int64_t ms = 0;
	if (mlflow_restore_models(mlsrc_get, (void *)f->env, NULL, &f->models, &ms, &e) == 0) {
		f->part[REG_MODELS].fetched_ms = ms;
		f->part[REG_MODELS].cached = 1;
	}
	ms = 0;
	if (mlflow_restore_all_versions(mlsrc_get, (void *)f->env, &f->versions, &ms, &e) == 0) {
		f->part[REG_VERSIONS].fetched_ms = ms;
		f->part[REG_VERSIONS].cached = 1;
	}
}

/* The open model's runs as cached by the last fetch of the same query. */
static void restore_runs(struct registry_src *s)
{
	struct err e = {0};
	struct mlflow_experiments *l = NULL;
	if (!s->nexp &&
	    mlflow_restore_experiments(mlsrc_get, (void *)s->env, NULL, &l, NULL, &e) == 0)
		exp_ids_set(s, l);
	mlflow_experiments_free(&l);
	if (!s->nexp || !s->runs_filter)
		return;
	struct mlflow_runs_query q = runs_query(s);
	struct runstore *st = runstore_new();
	int64_t ms = 0;
	if (st && mlflow_restore_runs(mlsrc_get, (void *)s->env, &q, st, &ms, &e) == 0) {
		runstore_free(&s->runs);
		s->runs = st;
		s->part[REG_RUNS].fetched_ms = ms;
		s->part[REG_RUNS].cached = 1;
		return;
	}
	runstore_free(&st);
}

/* ---- the feed's life: made by the first panel of a shell, freed with the last ---- */

static struct registry_feed *feed_new(const struct panel_env *env, struct err *e)
{
	struct registry_feed *f = calloc(1, sizeof *f);
	if (!f) {
		err_set(e, ERR_NOMEM, "out of memory");
		return NULL;
	}
	f->env = env;
	f->part[REG_MODELS].job = f->part[REG_VERSIONS].job = -1;
	if (!(f->client = mlsrc_client(env, e))) {
		free(f);
		return NULL;
	}
	restore_registry(f);
	f->next = feeds;
	feeds = f;
	return f;
}

static int feed_attach(struct registry_src *s, struct err *e)
{
	struct registry_feed *f = feeds;
	while (f && f->env != s->env)
		f = f->next;
	if (!f && !(f = feed_new(s->env, e)))
		return e && e->code ? e->code : ERR_NOMEM;
	if (f->nsubs == FEED_SUBS)
		return err_set(e, ERR_STATE, "MLflow registry: too many panels");
	f->subs[f->nsubs++] = s;
	s->feed = f;
	s->models = f->models;
	s->versions = f->versions;
	s->part[REG_MODELS] = f->part[REG_MODELS];
	s->part[REG_VERSIONS] = f->part[REG_VERSIONS];
	return 0;
}

static void feed_detach(struct registry_src *s)
{
	struct registry_feed *f = s->feed, **at = &feeds;
	size_t i = 0;
	if (!f)
		return;
	while (i < f->nsubs && f->subs[i] != s)
		i++;
	for (; i + 1 < f->nsubs; i++)
		f->subs[i] = f->subs[i + 1];
	f->nsubs--;
	s->feed = NULL;
	s->models = NULL;
	s->versions = NULL;
	if (f->nsubs)
		return;
	while (*at != f)
		at = &(*at)->next;
	*at = f->next;
	for (int p = REG_MODELS; p <= REG_VERSIONS; p++)
		if (f->part[p].job >= 0)
			sched_remove(f->env->sched, f->part[p].job);
	mlflow_free(&f->client); /* cancels what is in flight, with no event */
	mlflow_models_free(&f->models);
	mlflow_versions_free(&f->versions);
	free(f);
}

/* ---- the source ---- */

int registry_src_init(struct registry_src *s, const struct panel_env *env,
                      void (*changed)(void *ud), void *ud, struct err *e)
{
	memset(s, 0, sizeof *s);
	s->env = env;
	s->changed = changed;
	s->ud = ud;
	for (int p = 0; p < REG_PARTS; p++)
		s->part[p].job = -1;
	if (!env->ctx || !env->ctx->src[SRC_MLFLOW].url)
		return 0;
	s->client = mlsrc_client(env, e);
	if (!s->client)
		return e ? e->code : ERR_NOMEM;
	return feed_attach(s, e);
}

static void runs_stop(struct registry_src *s)
{
	struct registry_part_state *ps = &s->part[REG_RUNS];
	if (ps->op && s->client)
		mlflow_cancel(s->client, ps->op);
	runstore_free(&s->loading);
	if (ps->job >= 0)
		sched_remove(s->env->sched, ps->job);
	memset(ps, 0, sizeof *ps);
	ps->job = -1;
}

void registry_src_fini(struct registry_src *s)
{
	if (s->client && s->part[REG_RUNS].job >= 0)
		sched_remove(s->env->sched, s->part[REG_RUNS].job);
	feed_detach(s);
	mlflow_free(&s->client); /* cancels what is in flight, with no event */
	runstore_free(&s->runs);
	runstore_free(&s->loading);
	exp_ids_free(s);
	free(s->model);
	free(s->runs_filter);
	s->model = s->runs_filter = NULL;
}

static int add_job(const struct panel_env *env, struct sched *sched, const char *name,
                   int (*start)(void *, int, uint64_t), void *ctx)
{
	struct sched_job j = {
	    .source = SRC_MLFLOW,
	    .name = name,
	    .interval_ms = env->ctx->refresh_ms,
	    .start = start,
	    .ctx = ctx,
	};
	return sched_add(sched, &j);
}

/* The polls of models and versions are the feed's: added by the first panel only. */
void registry_src_schedule(struct registry_src *s, struct sched *sched)
{
	struct registry_feed *f = s->feed;
	if (!s->client || !f || f->part[REG_MODELS].job >= 0)
		return;
	f->part[REG_MODELS].job = add_job(f->env, sched, "mlflow/registry models", models_start, f);
	f->part[REG_VERSIONS].job =
	    add_job(f->env, sched, "mlflow/registry versions", versions_start, f);
	for (size_t i = 0; i < f->nsubs; i++) {
		f->subs[i]->part[REG_MODELS].job = f->part[REG_MODELS].job;
		f->subs[i]->part[REG_VERSIONS].job = f->part[REG_VERSIONS].job;
	}
}

/* The runs/search filter of the open model's versions, NULL when none has a run. */
static char *model_filter(const struct registry_src *s)
{
	const struct mlflow_model_version **v = NULL;
	long n = s->model ? registry_versions_of(s->versions, s->model, &v) : 0;
	char *f = n > 0 ? registry_runs_filter(v, (size_t)n) : NULL;
	free(v);
	return f;
}

void registry_src_open(struct registry_src *s, const char *model)
{
	if (!s->client || (model && s->model && strcmp(model, s->model) == 0))
		return;
	runs_stop(s);
	free(s->model);
	free(s->runs_filter);
	s->runs_filter = NULL;
	s->model = model ? strdup(model) : NULL;
	if (!s->model)
		return;
	s->runs_filter = model_filter(s);
	restore_runs(s);
	s->part[REG_RUNS].job =
	    add_job(s->env, s->env->sched, "mlflow/registry runs", runs_start, s);
}

static void registry_src_runs_update(struct registry_src *s)
{
	if (!s->model)
		return;
	char *f = model_filter(s);
	int same = (!f && !s->runs_filter) || (f && s->runs_filter && !strcmp(f, s->runs_filter));
	free(s->runs_filter);
	s->runs_filter = f;
	if (!same && s->part[REG_RUNS].job >= 0) {
		s->part[REG_RUNS].answered = 0; /* busy until the runs of these versions come */
		sched_refresh(s->env->sched, s->part[REG_RUNS].job);
	}
}

int registry_src_busy(const struct registry_src *s)
{
	return s->client && (!s->part[REG_MODELS].answered || !s->part[REG_VERSIONS].answered ||
	                     (s->model && !s->part[REG_RUNS].answered));
}
