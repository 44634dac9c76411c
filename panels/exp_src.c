#include "panels/exp_src.h"

#include "clients/clock.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "clients/mlflow_cache.h"
#include "clients/mlflow_registry_ops.h"
#include "panels/mlsrc.h"

#define RESTORE_BUDGET_MS 0   /* one page at open: the first frame comes first */
#define LOAD_SHARE        10  /* a refresh of the runs waits at least 10x its last load time */
#define CHANGES_PAGE      100 /* a refresh of the experiments asks for the last changed, this many */
/* A merge keeps the old copy of a changed experiment in the list's arena: after this many, the
 * whole list is loaded again (which also catches what a refresh cannot see). */
#define MERGED_MAX 10000

static const char *const exps_order[] = {"last_update_time DESC"};

static struct mlflow_experiments_query exps_query(void)
{
	return (struct mlflow_experiments_query){.order_by = exps_order, .norder_by = 1};
}

/* The first page of every experiment, deleted ones too (so that a deletion shows), newest first. */
static struct mlflow_experiments_query changes_query(void)
{
	return (struct mlflow_experiments_query){.order_by = exps_order,
	                                         .norder_by = 1,
	                                         .view = MLFLOW_VIEW_ALL,
	                                         .max_results = CHANGES_PAGE,
	                                         .first_page_only = 1};
}

static void changed(const struct experiments *s)
{
	s->env->changed(s->env->app);
}

static void age_ok(struct exp_age *a, int64_t ms, int cached)
{
	a->ms = ms;
	a->cached = cached;
	a->loaded |= !cached;
	if (!cached)
		a->err[0] = a->note[0] = '\0';
}

/* A load that ended well, maybe cut short (a cap, a page token sent again): the client says. */
static void age_done(struct exp_age *a, int64_t ms, const struct mlflow_event *ev)
{
	age_ok(a, ms, 0);
	snprintf(a->note, sizeof a->note, "%s", ev->notice ? ev->notice : "");
}

static void age_err(struct exp_age *a, const struct mlflow_event *ev)
{
	a->loaded = 1;
	snprintf(a->err, sizeof a->err, "%s", ev->err ? ev->err->msg : "MLflow: failed");
}

/* ---- lookup of one run by id ---- */

/* Stops the lookup in flight and frees its store; the detail must not show a run of it. */
static void lookup_stop(struct experiments *s)
{
	if (s->op_lookup > 0 && s->client)
		mlflow_cancel(s->client, s->op_lookup);
	s->op_lookup = 0;
	s->want_run[0] = s->lookup_err[0] = '\0';
	runstore_free(&s->lookup);
}

/* Closes the run detail: it borrows the shown store or the looked-up one. */
static void detail_close(struct experiments *s)
{
	run_detail_close(s->detail);
	s->detail_lookup = 0;
}

static void on_lookup(void *ud, struct mlflow_event *ev)
{
	struct experiments *s = ud;
	if (!ev->done || ev->op != s->op_lookup)
		return;
	s->op_lookup = 0;
	const struct mlflow_run *r = ev->rc == 0 ? runstore_find(s->lookup, s->want_run) : NULL;
	if (ev->rc < 0)
		snprintf(s->lookup_err, sizeof s->lookup_err, "%s",
		         ev->err ? ev->err->msg : "failed");
	else if (!r)
		snprintf(s->lookup_err, sizeof s->lookup_err,
		         "run %s: no such run in any experiment", s->want_run);
	if (r && s->level == EXP_DETAIL) {
		run_detail_open(s->detail, s->lookup, r);
		s->detail_lookup = 1;
		s->want_run[0] = '\0';
	}
	changed(s);
}

static void start_lookup(struct experiments *s)
{
	const struct mlflow_experiments *x = s->list.exps;
	if (!s->client || !s->want_run[0] || s->op_lookup > 0 || !x || !x->n)
		return;
	const char **ids = calloc(x->n, sizeof *ids);
	char *filter = mlflow_run_id_filter(s->want_run);
	size_t n = 0;
	for (size_t i = 0; ids && i < x->n; i++)
		if (x->items[i].id)
			ids[n++] = x->items[i].id;
	runstore_free(&s->lookup);
	s->lookup = runstore_new();
	struct err e = {0};
	struct mlflow_runs_query q = {
	    .experiment_ids = ids, .nexperiments = n, .filter = filter, .view = MLFLOW_VIEW_ALL};
	long op = ids && filter && s->lookup
	              ? mlflow_runs(s->client, &q, s->lookup, on_lookup, s, &e)
	              : err_set(&e, ERR_NOMEM, "out of memory");
	if (op < 0)
		snprintf(s->lookup_err, sizeof s->lookup_err, "%s", e.msg);
	s->op_lookup = op > 0 ? op : 0;
	free(ids);
	free(filter);
}

void exp_src_focus_run(struct experiments *s, const char *run_id)
{
	const struct mlflow_run *r = s->store ? runstore_find(s->store, run_id) : NULL;
	s->level = EXP_DETAIL;
	detail_close(s);
	lookup_stop(s); /* an earlier lookup's answer must not replace this run */
	if (r) {
		run_detail_open(s->detail, s->store, r);
		return;
	}
	snprintf(s->want_run, sizeof s->want_run, "%s", run_id);
	start_lookup(s); /* or when the experiments list comes */
}

/* ---- experiments ---- */

static void on_exps(void *ud, struct mlflow_event *ev)
{
	struct experiments *s = ud;
	if (!ev->done || ev->op != s->op_exps)
		return;
	s->op_exps = 0;
	if (!mlsrc_done(s->env, s->job_exps, s->gen_exps, ev))
		return;
	if (ev->rc < 0) {
		age_err(&s->exps, ev);
	} else {
		exp_list_set(&s->list, ev->experiments);
		ev->experiments = NULL;
		age_done(&s->exps, s->env->now_ms(), ev);
		s->exps_whole = 1;
		s->merged = 0;
		start_lookup(s);
	}
	changed(s);
}

/* A refresh: what changed is merged. Without a whole list yet (the load at start failed), or
 * when more changed than the page holds, the whole list is loaded again instead. */
static void on_changes(void *ud, struct mlflow_event *ev)
{
	struct experiments *s = ud;
	if (!ev->done || ev->op != s->op_changes)
		return;
	s->op_changes = 0;
	if (!mlsrc_done(s->env, s->job_changes, s->gen_changes, ev) || s->op_exps > 0)
		return;
	int overflow = 0, n = 0;
	if (ev->rc < 0)
		age_err(&s->exps, ev);
	else if (s->exps_whole)
		n = exp_list_merge(&s->list, ev->experiments, CHANGES_PAGE, &overflow);
	s->merged += n > 0 ? (size_t)n : 0;
	if (ev->rc == 0 && (!s->exps_whole || overflow || n < 0 || s->merged > MERGED_MAX)) {
		sched_refresh(s->env->sched, s->job_exps);
		return;
	}
	if (ev->rc == 0) {
		s->exps.ms = s->env->now_ms();
		s->exps.cached = 0;
		s->exps.err[0] = '\0';
	}
	changed(s);
}

static int exps_request(struct experiments *s, int changes, uint64_t gen)
{
	long *op_slot = changes ? &s->op_changes : &s->op_exps;
	*(changes ? &s->gen_changes : &s->gen_exps) = gen;
	if (*op_slot > 0)
		mlflow_cancel(s->client, *op_slot);
	struct mlflow_experiments_query q = changes ? changes_query() : exps_query();
	struct err e = {0};
	long op = mlflow_experiments(s->client, &q, changes ? on_changes : on_exps, s, &e);
	*op_slot = op > 0 ? op : 0;
	if (op < 0)
		snprintf(s->exps.err, sizeof s->exps.err, "%s", e.msg);
	return op < 0 ? (int)op : 0;
}

static int exps_start(void *ctx, int id, uint64_t gen)
{
	(void)id;
	return exps_request(ctx, 0, gen);
}

static int changes_start(void *ctx, int id, uint64_t gen)
{
	(void)id;
	return exps_request(ctx, 1, gen);
}

/* ---- runs ---- */

static struct mlflow_runs_query runs_query(const struct experiments *s, const char **ids,
                                           const char *filter)
{
	ids[0] = s->exp_id;
	return (struct mlflow_runs_query){
	    .experiment_ids = ids, .nexperiments = 1, .filter = filter[0] ? filter : NULL};
}

/* The views that borrow the shown store follow it to the new one. */
static void rebind(struct experiments *s, struct runstore *old)
{
	runs_view_set_store(&s->runs, s->store, s->env->cfg);
	if (s->level == EXP_DETAIL && !s->detail_lookup)
		run_detail_rebind(s->detail, s->store);
	if (s->level == EXP_COMPARE) {
		const struct mlflow_run *runs[COMPARE_MAX_RUNS];
		size_t n = 0;
		for (size_t i = 0; i < s->ncmp; i++)
			if ((runs[n] = runstore_find(s->store, s->cmp_ids[i])))
				n++;
		if (compare_set(s->cmp, s->store, runs, n, NULL) < 0) {
			s->level = EXP_RUNS;
			s->env->notify(s->env->app,
			               "compare closed: its runs are gone after a refresh");
		}
	}
	if (old != s->store)
		runstore_free(&old);
}

static void swap_in(struct experiments *s)
{
	s->restoring = 0; /* the live runs replace the cached ones */
	struct runstore *old = s->store;
	s->store = s->loading;
	s->loading = NULL;
	rebind(s, old);
}

static void drop_loading(struct experiments *s)
{
	if (s->loading != s->store)
		runstore_free(&s->loading);
	s->loading = NULL;
}

static void runs_progress(struct experiments *s, const struct mlflow_event *ev)
{
	s->progress = ev->count;
	if (s->store != s->loading && s->store && runstore_count(s->store) == 0 && !s->restoring) {
		/* Nothing shown yet: show this load's runs as they come. */
		struct runstore *old = s->store;
		s->store = s->loading;
		rebind(s, old);
	} else if (s->store == s->loading) {
		runs_view_set_store(&s->runs, s->store, s->env->cfg);
	}
}

/* The server refused the new filter: the old runs and filter stay, its message is shown. */
static void filter_refused(struct experiments *s, const struct mlflow_event *ev)
{
	snprintf(s->filter_err, sizeof s->filter_err, "filter refused: %s",
	         ev->err ? ev->err->msg : "MLflow error");
	s->env->notify(s->env->app, s->filter_err);
	snprintf(s->refused, sizeof s->refused, "%s", s->pending);
	snprintf(s->pending, sizeof s->pending, "%s", s->filter);
}

static void on_runs(void *ud, struct mlflow_event *ev)
{
	struct experiments *s = ud;
	if (ev->op != s->op_runs)
		return;
	if (!ev->done) {
		runs_progress(s, ev);
		changed(s);
		return;
	}
	s->op_runs = 0;
	int new_filter = strcmp(s->pending, s->filter) != 0;
	/* A filter the server refuses (400) says nothing about the server's health. */
	int current =
	    new_filter && ev->http_status == 400
	        ? sched_done(s->env->sched, s->job_runs, s->gen_runs, 1, ev->latency_ms, "")
	        : mlsrc_done(s->env, s->job_runs, s->gen_runs, ev);
	if (!current || ev->rc < 0) {
		drop_loading(s);
		if (current && new_filter)
			filter_refused(s, ev);
		else if (current)
			age_err(&s->rs, ev);
		changed(s);
		return;
	}
	snprintf(s->filter, sizeof s->filter, "%s", s->pending);
	if (s->loading != s->store)
		swap_in(s);
	else
		runs_view_set_store(&s->runs, s->store, s->env->cfg);
	s->loading = NULL;
	s->loud = 0;
	age_done(&s->rs, s->env->now_ms(), ev);
	/* A large experiment is not reloaded back to back: the load keeps to a tenth of the time.
	 */
	int64_t every = s->env->ctx->refresh_ms, took = clock_mono_ms() - s->load_started;
	sched_set_interval(s->env->sched, s->job_runs,
	                   took * LOAD_SHARE > every ? took * LOAD_SHARE : every);
	exp_list_set_count(&s->list, s->exp_id, runstore_count(s->store));
	changed(s);
}

static int runs_start(void *ctx, int id, uint64_t gen)
{
	struct experiments *s = ctx;
	(void)id;
	s->gen_runs = gen;
	if (s->op_runs > 0)
		mlflow_cancel(s->client, s->op_runs);
	s->op_runs = 0;
	drop_loading(s);
	s->loading = runstore_new();
	if (!s->loading)
		return ERR_NOMEM;
	s->progress = 0;
	const char *ids[1];
	struct mlflow_runs_query q = runs_query(s, ids, s->pending);
	struct err e = {0};
	long op = mlflow_runs(s->client, &q, s->loading, on_runs, s, &e);
	if (op < 0) {
		drop_loading(s);
		snprintf(s->rs.err, sizeof s->rs.err, "%s", e.msg);
		return (int)op;
	}
	s->op_runs = op;
	s->load_started = clock_mono_ms();
	return 0;
}

/* The restore ended with rc: 0 all cached pages are in, else nothing (usable) was cached. */
static void restore_end(struct experiments *s, int rc, int64_t fetched)
{
	s->restoring = 0;
	if (rc != 0 && runstore_count(s->store)) {
		/* Pages of another query: not these runs. */
		struct runstore *fresh = runstore_new();
		if (fresh) {
			struct runstore *old = s->store;
			s->store = fresh;
			rebind(s, old);
		}
	}
	if (rc == 0) {
		age_ok(&s->rs, fetched, 1);
		exp_list_set_count(&s->list, s->exp_id, runstore_count(s->store));
	}
}

void exp_src_restore(struct experiments *s, int64_t budget_ms)
{
	if (!s->restoring || !s->store)
		return;
	const char *ids[1];
	struct mlflow_runs_query q = runs_query(s, ids, s->filter);
	int64_t fetched = 0, end = clock_mono_ms() + budget_ms;
	int rc;
	do {
		struct err e = {0};
		rc = s->env->cache
		         ? mlflow_restore_runs_step(mlsrc_get, (void *)s->env, &q, s->store,
		                                    &s->restore_page, &fetched, &e)
		         : 1;
	} while (rc == 2 && clock_mono_ms() < end);
	if (rc != 2)
		restore_end(s, rc, fetched);
	else if (s->rs.ms == 0)
		age_ok(&s->rs, fetched, 1);
	runs_view_set_store(&s->runs, s->store, s->env->cfg);
}

/* Lets go of the open experiment's runs: its load stops, the views that borrow its store let
 * go of it, then the stores are freed. */
static void runs_release(struct experiments *s)
{
	if (s->op_runs > 0 && s->client)
		mlflow_cancel(s->client, s->op_runs);
	s->op_runs = 0;
	runs_view_clear(&s->runs);
	drop_loading(s);
	runstore_free(&s->store);
	s->restoring = 0;
}

void exp_src_open(struct experiments *s, const char *id, const char *name)
{
	/* The detail and a lookup belong to the level being left. */
	detail_close(s);
	lookup_stop(s);
	s->level = EXP_RUNS;
	s->reopened = 0;
	snprintf(s->exp_name, sizeof s->exp_name, "%s", name ? name : id);
	if (s->store && strcmp(s->exp_id, id) == 0)
		return;
	runs_release(s);
	snprintf(s->exp_id, sizeof s->exp_id, "%s", id);
	s->filter[0] = s->pending[0] = s->filter_err[0] = '\0';
	memset(&s->rs, 0, sizeof s->rs);
	s->store = runstore_new();
	if (!s->store)
		return;
	s->restoring = 1;
	s->restore_page = 0;
	exp_src_restore(s, RESTORE_BUDGET_MS);
	s->loud = 1;
	if (!s->client)
		return;
	if (s->job_runs < 0) {
		struct sched_job j = {SRC_MLFLOW, "mlflow/runs", s->env->ctx->refresh_ms,
		                      runs_start, s};
		s->job_runs = sched_add(s->env->sched, &j);
	} else {
		sched_restart(s->env->sched, s->job_runs);
	}
}

void exp_src_filter(struct experiments *s, const char *filter)
{
	snprintf(s->pending, sizeof s->pending, "%s", filter);
	s->filter_err[0] = '\0';
	s->loud = 1;
	if (s->op_runs > 0 && s->client)
		mlflow_cancel(s->client, s->op_runs);
	s->op_runs = 0;
	if (s->job_runs >= 0)
		sched_restart(s->env->sched, s->job_runs);
}

void exp_src_leave_lookup(struct experiments *s)
{
	const struct mlflow_run *r = run_detail_run(s->detail);
	char id[64] = "";
	if (r && r->experiment_id)
		snprintf(id, sizeof id, "%s", r->experiment_id);
	if (r && r->id)
		snprintf(s->select_run, sizeof s->select_run, "%s", r->id);
	detail_close(s);
	lookup_stop(s);
	if (!id[0]) {
		s->level = s->store ? EXP_RUNS : EXP_LIST;
		return;
	}
	const struct mlflow_experiment *x =
	    s->list.exps ? mlflow_experiments_find(s->list.exps, id) : NULL;
	exp_list_select(&s->list, id);
	exp_src_open(s, id, x && x->name ? x->name : id);
}

int exp_src_compare(struct experiments *s, struct err *e)
{
	const struct mlflow_run *runs[COMPARE_MAX_RUNS];
	size_t n = runs_view_marked(&s->runs, runs, COMPARE_MAX_RUNS);
	if (n < COMPARE_MIN_RUNS || n > COMPARE_MAX_RUNS)
		return err_set(e, ERR_STATE,
		               "compare takes %d to %d marked runs, %zu marked (Space marks)",
		               COMPARE_MIN_RUNS, COMPARE_MAX_RUNS, n);
	int rc = compare_set(s->cmp, s->store, runs, n, e);
	if (rc < 0)
		return rc;
	for (size_t i = 0; i < n; i++)
		snprintf(s->cmp_ids[i], sizeof s->cmp_ids[i], "%s", runs[i]->id);
	s->ncmp = n;
	s->level = EXP_COMPARE;
	return 0;
}

/* ---- life ---- */

int exp_src_init(struct experiments *s, const struct panel_env *env, struct err *e)
{
	s->env = env;
	s->job_exps = s->job_changes = s->job_runs = -1;
	if (exp_list_init(&s->list, env->utf8, e) < 0 || runs_view_init(&s->runs, env->utf8, e) < 0)
		return ERR_NOMEM;
	struct err ce = {0};
	if (env->ctx->src[SRC_MLFLOW].url && !(s->client = mlsrc_client(env, &ce)))
		snprintf(s->client_err, sizeof s->client_err, "%s", ce.msg);
	/* The views exist with or without a client (they fetch nothing without one). */
	s->detail = run_detail_new(env, s->client);
	s->cmp = compare_new(env, s->client);
	if (!s->detail || !s->cmp)
		return err_set(e, ERR_NOMEM, "out of memory");
	if (!s->client)
		return 0;
	struct mlflow_experiments_query q = exps_query();
	struct mlflow_experiments *x = NULL;
	int64_t fetched = 0;
	if (env->cache &&
	    mlflow_restore_experiments(mlsrc_get, (void *)env, &q, &x, &fetched, &ce) == 0) {
		exp_list_set(&s->list, x);
		age_ok(&s->exps, fetched, 1);
	}
	return 0;
}

void exp_src_schedule(struct experiments *s, struct sched *sched)
{
	if (!s->client)
		return;
	/* The whole list at start and on r only: 100,000 experiments are too many to fetch on
	 * every refresh, which asks for the last changed instead. */
	struct sched_job j = {SRC_MLFLOW, "mlflow/experiments", 0, exps_start, s};
	s->job_exps = sched_add(sched, &j);
	struct sched_job c = {SRC_MLFLOW, "mlflow/experiments/changes", s->env->ctx->refresh_ms,
	                      changes_start, s};
	s->job_changes = sched_add(sched, &c);
}

void exp_src_fini(struct experiments *s)
{
	/* The client goes first: no event comes after. */
	compare_free(&s->cmp);
	run_detail_free(&s->detail);
	mlflow_free(&s->client);
	if (s->job_exps >= 0)
		sched_remove(s->env->sched, s->job_exps);
	if (s->job_changes >= 0)
		sched_remove(s->env->sched, s->job_changes);
	if (s->job_runs >= 0)
		sched_remove(s->env->sched, s->job_runs);
	exp_list_fini(&s->list);
	runs_view_fini(&s->runs);
	if (s->loading != s->store)
		runstore_free(&s->loading);
	runstore_free(&s->store);
	runstore_free(&s->lookup);
	prompt_history_free(&s->hist);
}
