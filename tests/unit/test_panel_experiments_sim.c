/* test_panel_experiments_sim: the Experiments panel against ./mltop-sim --seed 7 (clock frozen at
 * a fixed time, so that screens are reproducible): experiments list → runs table → run detail as
 * golden screens, the server filter (a good one narrows the runs; a refused one shows MLflow's
 * message and keeps the runs), compare of the marked runs (and the one-line refusal for a bad
 * count), focus on a run by id from another experiment (the Registry's way in) with its lineage,
 * and the cache: a second start against a dead server draws the list and the runs from it. */
#include "tests/unit/test_sim_mlflow.h"

#include "clients/cache.h"
#include "clients/config.h"
#include "clients/http.h"
#include "clients/mlflow_lookup.h"
#include "clients/sched.h"
#include "panels/exp_load.h"
#include "panels/experiments.h"
#include "tests/unit/screen.h"
#include "tests/unit/testsrv.h"

#define FIXED_MS   1790000000000LL /* the simulator's world clock and ours */
#define FIXED_TEXT "1790000000000"
#define ROWS       37 /* the body of a 120x40 screen */
#define COLS       120

static int64_t fixed_now(void)
{
	return FIXED_MS;
}

struct fx {
	struct http *http;
	struct sched *sched;
	struct config *cfg;
	struct context *ctx;
	struct cache *cache;
	struct panel_env env;
	struct panel p;
	char note[512];
	int notes;
};

static void on_changed(void *app)
{
	struct fx *f = app;
	f->p.dirty = 1;
}

static void on_notify(void *app, const char *msg)
{
	struct fx *f = app;
	snprintf(f->note, sizeof f->note, "%s", msg);
	f->notes++;
}

static void on_open(void *app, const char *panel, const char *arg)
{
	(void)app;
	(void)panel;
	(void)arg;
}

/* url NULL: no MLflow on the command line. */
static void fx_start(struct fx *f, const char *url, struct cache *cache)
{
	struct config_args a;
	struct err e = {0};
	char *argv[] = {"mltop",    "-c",        "tests/fixtures/panels/experiments/mltop.ini",
	                "--mlflow", (char *)url, NULL};
	memset(f, 0, sizeof *f);
	assert_int_equal(config_args_parse(&a, url ? 5 : 3, argv, &e), 0);
	f->cfg = config_load(&a, "/nonexistent", &e);
	config_args_fini(&a);
	assert_non_null(f->cfg);
	f->ctx = config_context_resolve(f->cfg, NULL, &e);
	assert_non_null(f->ctx);
	f->http = http_new(&e);
	f->sched = sched_new(fixed_now, 1);
	assert_non_null(f->http);
	assert_non_null(f->sched);
	f->cache = cache;
	f->env = (struct panel_env){.sched = f->sched,
	                            .http = f->http,
	                            .cache = cache,
	                            .cfg = f->cfg,
	                            .ctx = f->ctx,
	                            .now_ms = fixed_now,
	                            .utf8 = 1,
	                            .rows = ROWS,
	                            .cols = COLS,
	                            .app = f,
	                            .changed = on_changed,
	                            .open = on_open,
	                            .notify = on_notify};
	f->p = (struct panel){.ops = &experiments_ops, .env = &f->env, .dirty = 1};
	assert_int_equal(f->p.ops->create(&f->p, &e), 0);
	f->p.ops->schedule(&f->p, f->sched);
}

static void fx_stop(struct fx *f)
{
	f->p.ops->destroy(&f->p);
	sched_free(&f->sched);
	http_free(&f->http);
	config_context_free(&f->ctx);
	config_free(&f->cfg);
}

static struct experiments *st(struct fx *f)
{
	return f->p.state;
}

static int idle(struct fx *f)
{
	return !f->p.ops->busy(&f->p) && st(f)->op_runs == 0 && st(f)->op_lookup == 0 &&
	       !st(f)->restoring;
}

/* Runs the loop (polls, transfers, recalc) until the panel is idle, within a deadline. */
static void pump(struct fx *f)
{
	int64_t end = now_ms() + 20000;
	do {
		assert_true(now_ms() < end);
		sched_run_due(f->sched);
		int ready;
		http_wait(f->http, -1, 20, &ready);
		http_perform(f->http);
		f->p.ops->recalc(&f->p);
	} while (!idle(f));
	f->p.ops->recalc(&f->p);
}

static void key(struct fx *f, int k)
{
	f->p.ops->key(&f->p, k);
	f->p.ops->recalc(&f->p);
}

static void type(struct fx *f, const char *s)
{
	while (*s)
		key(f, (unsigned char)*s++);
}

static char *dump(struct fx *f)
{
	WINDOW *w = newwin(ROWS, COLS, 0, 0);
	assert_non_null(w);
	f->p.ops->draw(&f->p, w, NULL);
	char *text = screen_dump(w);
	delwin(w);
	return text;
}

static void golden(struct fx *f, const char *name)
{
	char *text = dump(f);
	assert_int_equal(screen_golden(name, text), 0);
	free(text);
}

static void status(struct fx *f, char *buf, size_t n)
{
	f->p.ops->status(&f->p, buf, n);
}

static char url[64];

/* The list, then the runs of churn-weekly (id 1). */
static void open_churn(struct fx *f)
{
	pump(f);
	char buf[128];
	status(f, buf, sizeof buf);
	assert_string_equal(buf, "experiments 4");
	assert_true(exp_list_select(&st(f)->list, "1"));
	key(f, '\n');
	assert_int_equal(st(f)->level, EXP_RUNS);
	pump(f);
}

static void test_list_runs_detail(void **state)
{
	struct fx f;
	(void)state;
	fx_start(&f, url, NULL);
	pump(&f);
	golden(&f, "experiments_list_120x40");
	open_churn(&f);
	char buf[128];
	size_t n = runstore_count(st(&f)->store);
	assert_true(n > 10);
	status(&f, buf, sizeof buf);
	char want[64];
	snprintf(want, sizeof want, "runs %zu", n);
	assert_string_equal(buf, want);
	golden(&f, "experiments_runs_120x40");

	/* Sort by auc, descending: the first row has the highest auc of the store. */
	struct runs_view *rv = &st(&f)->runs;
	int auc = -1;
	for (size_t i = 0; i < rv->nkeys; i++)
		if (strcmp(rv->keys[i].name, "auc") == 0)
			auc = RUNS_COL_FIXED_HEAD + (int)i;
	assert_true(auc > 0);
	table_set_sort(rv->lv.table, auc, true);
	f.p.ops->recalc(&f.p);
	key(&f, 'g');
	double best = -1;
	for (size_t i = 0; i < n; i++) {
		double v = runs_view_num(rv, runstore_at(st(&f)->store, i), auc);
		if (v == v && v > best)
			best = v;
	}
	assert_true(runs_view_num(rv, runs_view_current(rv), auc) == best);

	/* Enter: the detail, with min and max once the histories came. */
	const char *id = runs_view_current(rv)->id;
	key(&f, '\n');
	assert_int_equal(st(&f)->level, EXP_DETAIL);
	assert_string_equal(run_detail_run_id(st(&f)->detail), id);
	pump(&f);
	char *text = dump(&f);
	assert_non_null(strstr(text, "REPRODUCE"));
	assert_non_null(strstr(text, "git commit"));
	assert_null(strstr(text, "…")); /* every history came */
	free(text);
	golden(&f, "experiments_detail_120x40");
	/* Down to the artifacts and the registry versions. */
	key(&f, 'G');
	text = dump(&f);
	assert_non_null(strstr(text, "ARTIFACTS"));
	assert_non_null(strstr(text, "REGISTERED VERSIONS"));
	free(text);
	/* Esc: runs, Esc: experiments, Esc: back out of the panel. */
	key(&f, 27);
	assert_int_equal(st(&f)->level, EXP_RUNS);
	key(&f, 27);
	assert_int_equal(st(&f)->level, EXP_LIST);
	assert_int_equal(f.p.ops->key(&f.p, 27), PANEL_BACK);
	fx_stop(&f);
}

static void test_server_filter(void **state)
{
	struct fx f;
	(void)state;
	fx_start(&f, url, NULL);
	open_churn(&f);
	size_t all = runstore_count(st(&f)->store);
	key(&f, 'f');
	assert_true(st(&f)->prompt.active);
	type(&f, "metrics.auc > 0.85");
	key(&f, '\n');
	assert_false(st(&f)->prompt.active);
	pump(&f);
	const struct runstore *s = st(&f)->store;
	size_t n = runstore_count(s);
	assert_true(n > 0 && n < all);
	uint32_t auc = runstore_key_id(s, "auc");
	for (size_t i = 0; i < n; i++)
		assert_true(runstore_metric(runstore_at(s, i), auc)->value > 0.85);
	assert_string_equal(st(&f)->filter, "metrics.auc > 0.85");
	char *text = dump(&f);
	assert_non_null(strstr(text, "filter metrics.auc > 0.85"));
	free(text);

	/* A filter the server refuses: its message, and the runs and the filter stay. */
	key(&f, 'f');
	key(&f, 21); /* Ctrl-U */
	type(&f, "metrics.auc >> 1");
	key(&f, '\n');
	pump(&f);
	assert_non_null(strstr(st(&f)->filter_err, "MLflow 400 INVALID_PARAMETER_VALUE"));
	assert_non_null(strstr(f.note, "MLflow 400 INVALID_PARAMETER_VALUE"));
	assert_int_equal(runstore_count(st(&f)->store), n);
	assert_string_equal(st(&f)->filter, "metrics.auc > 0.85");
	text = dump(&f);
	assert_non_null(strstr(text, "filter refused: MLflow 400 INVALID_PARAMETER_VALUE"));
	free(text);
	/* The source is not down for it. */
	assert_int_not_equal(sched_source(f.sched, SRC_MLFLOW)->health, HEALTH_DOWN);

	/* Esc in the prompt cancels without a load. */
	key(&f, 'f');
	type(&f, "x");
	key(&f, 27);
	assert_false(st(&f)->prompt.active);
	assert_int_equal(st(&f)->op_runs, 0);
	assert_int_equal(st(&f)->level, EXP_RUNS);
	fx_stop(&f);
}

static void test_compare(void **state)
{
	struct fx f;
	(void)state;
	fx_start(&f, url, NULL);
	open_churn(&f);
	key(&f, ' ');
	int before = f.notes;
	key(&f, 'c');
	assert_int_equal(f.notes, before + 1);
	assert_non_null(strstr(f.note, "2 to 8"));
	assert_int_equal(st(&f)->level, EXP_RUNS);
	key(&f, ' ');
	key(&f, ' ');
	key(&f, 'c');
	assert_int_equal(st(&f)->level, EXP_COMPARE);
	assert_int_equal(st(&f)->ncmp, 3);
	char buf[128];
	status(&f, buf, sizeof buf);
	assert_non_null(strstr(buf, "3"));
	/* A refresh into a new store keeps the compare on the same runs. */
	sched_refresh(f.sched, st(&f)->job_runs);
	pump(&f);
	assert_int_equal(st(&f)->level, EXP_COMPARE);
	key(&f, 27);
	assert_int_equal(st(&f)->level, EXP_RUNS);
	const struct mlflow_run *m[8];
	assert_int_equal(runs_view_marked(&st(&f)->runs, m, 8), 3);
	fx_stop(&f);
}

/* The run id of a registered version (churn-classifier's are in churn-weekly, fraud-detector's
 * in fraud-detection). */
static char *model_run(const char *model, const char *version)
{
	char path[256];
	snprintf(path, sizeof path, "/api/2.0/mlflow/model-versions/get?name=%s&version=%s", model,
	         version);
	cJSON *j = get(path);
	char *id = strdup(str(item(j, "model_version"), "run_id"));
	cJSON_Delete(j);
	return id;
}

/* The run id of churn-classifier version 3 (a registered version's run). */
static char *version_run(void)
{
	return model_run("churn-classifier", "3");
}

static void on_versions(void *ud, struct mlflow_event *ev)
{
	if (!ev->done)
		return;
	assert_int_equal(ev->rc, 0);
	*(struct mlflow_versions **)ud = ev->versions;
	ev->versions = NULL;
}

static void test_lookup_versions_by_run(void **state)
{
	(void)state;
	char *run = version_run();
	struct err e = {0};
	struct http *h = http_new(&e);
	struct mlflow_config cfg = {.base_url = url};
	struct mlflow *m = mlflow_new(h, &cfg, &e);
	struct mlflow_versions *v = NULL;
	assert_true(mlflow_lookup_versions_by_run(m, run, on_versions, &v, &e) > 0);
	int64_t end = now_ms() + 20000;
	while (!v && now_ms() < end) {
		int ready;
		http_wait(h, -1, 20, &ready);
		http_perform(h);
	}
	assert_non_null(v);
	assert_true(v->n >= 1);
	int found = 0;
	for (size_t i = 0; i < v->n; i++) {
		assert_string_equal(v->items[i].run_id, run);
		found |= strcmp(v->items[i].name, "churn-classifier") == 0 &&
		         strcmp(v->items[i].version, "3") == 0;
	}
	assert_true(found);
	mlflow_versions_free(&v);
	assert_true(mlflow_lookup_versions_by_run(m, "", on_versions, &v, &e) < 0);
	char *filter = mlflow_lookup_run_filter("ab'c");
	assert_string_equal(filter, "attributes.run_id = \"ab'c\"");
	free(filter);
	mlflow_free(&m);
	http_free(&h);
	free(run);
}

static void test_focus_run(void **state)
{
	struct fx f;
	(void)state;
	char *run = version_run(), arg[128];
	fx_start(&f, url, NULL);
	/* Before the experiments came: the lookup waits for them. */
	snprintf(arg, sizeof arg, "run=%s", run);
	f.p.ops->focus(&f.p, arg);
	assert_int_equal(st(&f)->level, EXP_DETAIL);
	pump(&f);
	assert_string_equal(run_detail_run_id(st(&f)->detail), run);
	assert_true(st(&f)->detail_lookup);
	char *text = dump(&f);
	assert_non_null(strstr(text, run));
	free(text);
	key(&f, 'G');
	text = dump(&f);
	assert_non_null(strstr(text, "churn-classifier"));
	assert_non_null(strstr(text, "v3"));
	free(text);
	/* Esc: the runs of the run's experiment. */
	const char *exp = run_detail_run(st(&f)->detail)->experiment_id;
	char exp_id[64];
	snprintf(exp_id, sizeof exp_id, "%s", exp);
	key(&f, 27);
	assert_int_equal(st(&f)->level, EXP_RUNS);
	assert_string_equal(st(&f)->exp_id, exp_id);
	pump(&f);
	assert_non_null(runstore_find(st(&f)->store, run));
	assert_string_equal(runs_view_current(&st(&f)->runs)->id, run); /* the cursor on it */
	/* A run that is loaded opens at once. */
	f.p.ops->focus(&f.p, arg);
	assert_int_equal(st(&f)->level, EXP_DETAIL);
	assert_false(st(&f)->detail_lookup);
	assert_int_equal(st(&f)->op_lookup, 0);
	pump(&f);
	/* No such run: said so. */
	key(&f, 27);
	f.p.ops->focus(&f.p, "run=00000000000000000000000000000000");
	pump(&f);
	text = dump(&f);
	assert_non_null(strstr(text, "no such run"));
	free(text);
	fx_stop(&f);
	free(run);
}

/* Opens experiment id from the list (Esc back to it first when runs are shown). */
static void open_exp(struct fx *f, const char *id)
{
	if (st(f)->level == EXP_RUNS)
		key(f, 27);
	assert_int_equal(st(f)->level, EXP_LIST);
	assert_true(exp_list_select(&st(f)->list, id));
	key(f, '\n');
	assert_int_equal(st(f)->level, EXP_RUNS);
	assert_string_equal(st(f)->exp_id, id);
}

/* Experiments opened one after another, with the cursor moved and runs marked in the one left,
 * loaded or still loading: the next one opens with its own runs and no marks. */
static void test_open_one_after_another(void **state)
{
	struct fx f;
	const struct mlflow_run *m[8];
	(void)state;
	fx_start(&f, url, NULL);
	open_churn(&f);
	key(&f, 'j');
	key(&f, ' ');
	open_exp(&f, "3");
	pump(&f);
	assert_true(runstore_count(st(&f)->store) > 0);
	assert_int_equal(runs_view_marked(&st(&f)->runs, m, 8), 0);
	assert_string_equal(runs_view_current(&st(&f)->runs)->experiment_id, "3");
	/* Left while its load is in flight, then back. */
	key(&f, 'G');
	open_exp(&f, "2");
	sched_run_due(f.sched);
	assert_true(st(&f)->op_runs > 0);
	open_exp(&f, "1");
	pump(&f);
	assert_string_equal(runs_view_current(&st(&f)->runs)->experiment_id, "1");
	fx_stop(&f);
}

/* A registry version's run in another experiment than the open one: its detail, then Esc opens
 * the run's experiment with the cursor on it. */
static void test_lookup_from_another_experiment(void **state)
{
	struct fx f;
	char *run = model_run("fraud-detector", "2"), arg[128];
	(void)state;
	snprintf(arg, sizeof arg, "run=%s", run);
	fx_start(&f, url, NULL);
	open_churn(&f);
	key(&f, 'j');
	f.p.ops->focus(&f.p, arg);
	pump(&f);
	assert_true(st(&f)->detail_lookup);
	assert_string_equal(run_detail_run_id(st(&f)->detail), run);
	key(&f, 27);
	assert_int_equal(st(&f)->level, EXP_RUNS);
	assert_string_equal(st(&f)->exp_id, "2");
	assert_null(st(&f)->lookup);
	pump(&f);
	assert_string_equal(runs_view_current(&st(&f)->runs)->id, run);
	/* And on to another experiment from the list. */
	open_exp(&f, "1");
	pump(&f);
	assert_true(runstore_count(st(&f)->store) > 0);
	fx_stop(&f);
	free(run);
}

/* Esc while the lookup is in flight stops it: nothing is left writing into a freed store, and
 * the runs shown before are there. */
static void test_lookup_esc_in_flight(void **state)
{
	struct fx f;
	char *run = model_run("fraud-detector", "2"), arg[128];
	(void)state;
	snprintf(arg, sizeof arg, "run=%s", run);
	fx_start(&f, url, NULL);
	open_churn(&f);
	size_t n = runstore_count(st(&f)->store);
	f.p.ops->focus(&f.p, arg);
	assert_true(st(&f)->op_lookup > 0);
	key(&f, 27);
	assert_int_equal(st(&f)->op_lookup, 0);
	assert_int_equal(st(&f)->level, EXP_RUNS);
	pump(&f);
	assert_int_equal(st(&f)->level, EXP_RUNS);
	assert_string_equal(st(&f)->exp_id, "1");
	assert_int_equal(runstore_count(st(&f)->store), n);
	assert_string_equal(run_detail_run_id(st(&f)->detail), "");
	fx_stop(&f);
	free(run);
}

/* A second focus on a run that is loaded, while the lookup of the first is in flight: the detail
 * shows the second, and the first's answer does not replace it. */
static void test_focus_over_lookup(void **state)
{
	struct fx f;
	char *far = model_run("fraud-detector", "2"), *near = version_run(), arg[128];
	(void)state;
	fx_start(&f, url, NULL);
	open_churn(&f);
	snprintf(arg, sizeof arg, "run=%s", far);
	f.p.ops->focus(&f.p, arg);
	assert_true(st(&f)->op_lookup > 0);
	snprintf(arg, sizeof arg, "run=%s", near);
	f.p.ops->focus(&f.p, arg);
	pump(&f);
	assert_string_equal(run_detail_run_id(st(&f)->detail), near);
	assert_false(st(&f)->detail_lookup);
	key(&f, 27);
	assert_int_equal(st(&f)->level, EXP_RUNS);
	assert_string_equal(st(&f)->exp_id, "1");
	fx_stop(&f);
	free(far);
	free(near);
}

/* A fresh cache file's path in path (a mkstemp template). */
static struct cache *cache_fresh(char *path)
{
	struct err e = {0};
	int fd = mkstemp(path);
	assert_true(fd >= 0);
	close(fd);
	unlink(path);
	struct cache *c = cache_open(path, &e);
	assert_non_null(c);
	return c;
}

static void cache_gone(struct cache **c, const char *path)
{
	cache_close(c);
	unlink(path);
	char more[512];
	snprintf(more, sizeof more, "%s-wal", path);
	unlink(more);
	snprintf(more, sizeof more, "%s-shm", path);
	unlink(more);
}

static void test_cache_first(void **state)
{
	struct fx f;
	char path[] = "/tmp/mltop-exp-cacheXXXXXX";
	(void)state;
	struct cache *c = cache_fresh(path);
	fx_start(&f, url, c);
	open_churn(&f);
	size_t n = runstore_count(st(&f)->store);
	fx_stop(&f);

	/* A server that is not there: the list and the runs come from the cache at once. */
	fx_start(&f, "http://127.0.0.1:1", c);
	assert_non_null(st(&f)->list.exps);
	assert_int_equal(st(&f)->list.exps->n, 4);
	assert_true(st(&f)->exps.cached);
	f.p.ops->recalc(&f.p);
	char *text = dump(&f);
	assert_non_null(strstr(text, "cached"));
	free(text);
	/* The experiment open when mltop last ran opens again by itself. */
	assert_int_equal(st(&f)->level, EXP_RUNS);
	assert_string_equal(st(&f)->exp_id, "1");
	assert_true(runstore_count(st(&f)->store) > 0); /* the first pages at once */
	pump(&f); /* the rest as frames go by; the load fails: the cached runs stay, marked stale
	             with the error */
	assert_int_equal(runstore_count(st(&f)->store), n);
	text = dump(&f);
	assert_non_null(strstr(text, "stale"));
	free(text);
	fx_stop(&f);
	cache_gone(&c, path);
}

/* A session left an experiment open; the next start has no MLflow (none configured, or a tracking
 * URI that is no http(s) URL): the panel says so, nothing is reopened. */
static void test_reopen_without_mlflow(void **state)
{
	struct fx f;
	char path[] = "/tmp/mltop-exp-reopenXXXXXX";
	(void)state;
	struct cache *c = cache_fresh(path);
	fx_start(&f, url, c);
	open_churn(&f);
	fx_stop(&f);
	const char *uris[] = {NULL, "databricks"};
	for (size_t i = 0; i < 2; i++) {
		if (uris[i])
			setenv("MLFLOW_TRACKING_URI", uris[i], 1);
		fx_start(&f, NULL, c);
		unsetenv("MLFLOW_TRACKING_URI");
		assert_null(st(&f)->client);
		assert_int_equal(st(&f)->level, EXP_LIST);
		f.p.ops->recalc(&f.p);
		char *text = dump(&f);
		assert_non_null(strstr(text, "needs an MLflow tracking server"));
		free(text);
		assert_int_equal(f.p.ops->key(&f.p, '\n'), PANEL_IGNORED);
		fx_stop(&f);
	}
	/* The cache rows of the experiment gone, or an experiment the server does not have. */
	struct err e = {0};
	assert_int_equal(cache_delete_prefix(c, "default", "mlflow", "", &e), 0);
	fx_start(&f, url, c);
	assert_int_equal(st(&f)->level, EXP_RUNS);
	assert_int_equal(runstore_count(st(&f)->store), 0);
	pump(&f);
	assert_true(runstore_count(st(&f)->store) > 0);
	exp_load_open(st(&f), "999", "gone");
	pump(&f);
	f.p.ops->recalc(&f.p);
	char *text = dump(&f);
	assert_non_null(strstr(text, "Experiments › gone"));
	free(text);
	fx_stop(&f);
	cache_gone(&c, path);
}

/* The simulator's RUNNING run logs a step every 20 s of its world: at 200x, a refresh soon
 * brings a later step, and the table and the open detail show it. */
static void test_running_run_moves(void **state)
{
	struct sim fast;
	struct fx f;
	char fast_url[64];
	const char *args[] = {"--seed", "7", "--time-scale", "200", NULL};
	(void)state;
	assert_int_equal(sim_start(&fast, args), 0);
	snprintf(fast_url, sizeof fast_url, "http://127.0.0.1:%d", fast.port);
	fx_start(&f, fast_url, NULL);
	open_churn(&f);
	const struct runstore *s = st(&f)->store;
	const struct mlflow_run *r = NULL;
	for (size_t i = 0; i < runstore_count(s) && !r; i++)
		if (runstore_at(s, i)->status == RUN_STATUS_RUNNING)
			r = runstore_at(s, i);
	assert_non_null(r);
	char id[64];
	snprintf(id, sizeof id, "%s", r->id);
	int64_t step = runstore_metric(r, runstore_key_id(s, "auc"))->step;
	assert_true(runs_view_select(&st(&f)->runs, id));
	key(&f, '\n');
	pump(&f);
	int64_t end = now_ms() + 20000, now_step = step;
	while (now_step == step) {
		assert_true(now_ms() < end);
		sched_refresh(f.sched, st(&f)->job_runs);
		pump(&f);
		s = st(&f)->store;
		now_step = runstore_metric(runstore_find(s, id), runstore_key_id(s, "auc"))->step;
	}
	assert_true(now_step > step);
	/* The detail follows the new store and shows the new step. */
	assert_ptr_equal(run_detail_run(st(&f)->detail), runstore_find(s, id));
	char *text = dump(&f), want[32];
	snprintf(want, sizeof want, " %lld\n", (long long)now_step);
	assert_non_null(strstr(text, want));
	free(text);
	fx_stop(&f);
	sim_stop(&fast);
}

/* An experiment name of len bytes ('a' … 'z' over and over) is remembered whole when it is
 * opened: the cache holds "id<TAB>name" and nothing more. */
static void remember_long_name(size_t len)
{
	struct fx f;
	char path[] = "/tmp/mltop-exp-longXXXXXX";
	struct testsrv *srv = testsrv_start();
	assert_non_null(srv);
	char *name = malloc(len + 1), *body = malloc(len + 256);
	assert_non_null(name);
	assert_non_null(body);
	for (size_t i = 0; i < len; i++)
		name[i] = (char)('a' + i % 26);
	name[len] = '\0';
	snprintf(body, len + 256, "{\"experiments\":[{\"experiment_id\":\"42\",\"name\":\"%s\"}]}",
	         name);
	assert_int_equal(testsrv_add(srv, "POST", "/api/2.0/mlflow/experiments/search", 200,
	                             "application/json", body),
	                 0);
	assert_int_equal(testsrv_add(srv, "POST", "/api/2.0/mlflow/runs/search", 200,
	                             "application/json", "{\"runs\":[]}"),
	                 0);
	struct cache *c = cache_fresh(path);
	fx_start(&f, testsrv_url(srv), c);
	pump(&f);
	assert_true(exp_list_select(&st(&f)->list, "42"));
	key(&f, '\n');
	pump(&f);
	char *v = NULL;
	size_t n = 0;
	struct err e = {0};
	assert_int_equal(cache_get(c, f.ctx->name, "ui", "experiments/open", &v, &n, NULL, &e), 0);
	assert_int_equal(n, 3 + len);
	assert_memory_equal(v, "42\t", 3);
	assert_memory_equal(v + 3, name, len);
	free(v);
	fx_stop(&f);
	/* The next start opens it again, by its id. */
	fx_start(&f, testsrv_url(srv), c);
	assert_int_equal(st(&f)->level, EXP_RUNS);
	assert_string_equal(st(&f)->exp_id, "42");
	fx_stop(&f);
	cache_gone(&c, path);
	testsrv_stop(&srv);
	free(name);
	free(body);
}

static void test_remember_long_names(void **state)
{
	(void)state;
	remember_long_name(600);
	remember_long_name(20 * 1024);
}

static int setup(void **state)
{
	const char *args[] = {"--seed", "7", "--start-ms", FIXED_TEXT, "--time-scale", "0", NULL};
	(void)state;
	if (sim_start(&main_sim, args) < 0)
		return -1;
	snprintf(url, sizeof url, "http://127.0.0.1:%d", main_sim.port);
	return screen_open(COLS, ROWS + 3);
}

static int teardown(void **state)
{
	(void)state;
	screen_close();
	sim_stop(&main_sim);
	return 0;
}

int main(void)
{
	setenv("TZ", "UTC", 1);
	setenv("LC_ALL", "C.UTF-8", 1);
	const struct CMUnitTest tests[] = {
	    cmocka_unit_test(test_list_runs_detail),
	    cmocka_unit_test(test_server_filter),
	    cmocka_unit_test(test_compare),
	    cmocka_unit_test(test_lookup_versions_by_run),
	    cmocka_unit_test(test_focus_run),
	    cmocka_unit_test(test_cache_first),
	    cmocka_unit_test(test_running_run_moves),
	    cmocka_unit_test(test_open_one_after_another),
	    cmocka_unit_test(test_lookup_from_another_experiment),
	    cmocka_unit_test(test_lookup_esc_in_flight),
	    cmocka_unit_test(test_focus_over_lookup),
	    cmocka_unit_test(test_reopen_without_mlflow),
	    cmocka_unit_test(test_remember_long_names),
	};
	signal(SIGPIPE, SIG_IGN);
	curl_global_init(CURL_GLOBAL_DEFAULT);
	atexit(kill_children);
	int rc = cmocka_run_group_tests(tests, setup, teardown);
	curl_global_cleanup();
	return rc;
}
