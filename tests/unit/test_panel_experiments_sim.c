/* test_panel_experiments_sim: the Experiments panel against ./mltop-sim --seed 7 (clock frozen at
 * a fixed time, so that screens are reproducible): experiments list → runs table → run detail as
 * golden screens, the server filter (a good one narrows the runs; a refused one shows MLflow's
 * message and keeps the runs), compare of the marked runs (and the one-line refusal for a bad
 * count), focus on a run by id from another experiment (the Registry's way in) with its lineage,
 * and the cache: a second start against the same server, down, draws the list and the runs from
 * it; another server (down or not) shows none of them. */
#include "tests/unit/test_sim_mlflow.h"

#include "clients/cache.h"
#include "clients/config.h"
#include "clients/http.h"
#include "clients/mlflow_lookup.h"
#include "clients/sched.h"
#include "panels/exp_load.h"
#include "panels/experiments.h"
#include "tests/unit/screen.h"

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

static void fx_start(struct fx *f, const char *url, struct cache *cache)
{
	struct config_args a;
	struct err e = {0};
	char *argv[] = {"mltop",    "-c",        "tests/fixtures/panels/experiments/mltop.ini",
	                "--mlflow", (char *)url, NULL};
	memset(f, 0, sizeof *f);
	assert_int_equal(config_args_parse(&a, 5, argv, &e), 0);
	f->cfg = config_load(&a, "/nonexistent", &e);
	config_args_fini(&a);
	assert_non_null(f->cfg);
	f->ctx = config_context_resolve(f->cfg, NULL, &e);
	assert_non_null(f->ctx);
	f->http = http_new(&e);
	f->sched = sched_new(fixed_now, fixed_now, 1);
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
	assert_string_equal(buf, "row 1 of 4 experiments");
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
	snprintf(want, sizeof want, "row 1 of %zu runs", n);
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

/* The run id of churn-classifier version 3 (a registered version's run). */
static char *version_run(void)
{
	cJSON *j = get("/api/2.0/mlflow/model-versions/get?name=churn-classifier&version=3");
	char *id = strdup(str(item(j, "model_version"), "run_id"));
	cJSON_Delete(j);
	return id;
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

static void unlink_cache(const char *path)
{
	char more[256];
	unlink(path);
	snprintf(more, sizeof more, "%s-wal", path);
	unlink(more);
	snprintf(more, sizeof more, "%s-shm", path);
	unlink(more);
}

/* Another server in the same context and cache (the URL changed, a flag for one run, the first
 * server down): none of the first server's data, nor its last open experiment, is shown. */
static void expect_nothing_of(struct fx *f, struct cache *c, const char *other, int down)
{
	fx_start(f, other, c);
	assert_null(st(f)->list.exps);
	assert_false(st(f)->exps.cached);
	assert_int_equal(st(f)->level, EXP_LIST); /* its experiment 1 is not this server's */
	char *text = dump(f);
	assert_non_null(strstr(text, "Not cached for this server · Loading the experiments"));
	assert_null(strstr(text, "churn-weekly"));
	free(text);
	pump(f);
	text = dump(f);
	if (down)
		assert_non_null(
		    strstr(text, "Not cached for this server, and MLflow did not answer."));
	else
		assert_int_equal(st(f)->exps.cached, 0); /* its own list, live */
	free(text);
	fx_stop(f);
}

static void test_cache_first(void **state)
{
	struct fx f;
	struct sim own;
	struct err e = {0};
	char path[] = "/tmp/mltop-exp-cacheXXXXXX", own_url[64], spelled[80];
	const char *args[] = {"--seed", "7", "--start-ms", FIXED_TEXT, "--time-scale", "0", NULL};
	(void)state;
	int fd = mkstemp(path);
	assert_true(fd >= 0);
	close(fd);
	unlink(path);
	struct cache *c = cache_open(path, &e);
	assert_non_null(c);
	assert_int_equal(sim_start(&own, args), 0);
	snprintf(own_url, sizeof own_url, "http://127.0.0.1:%d", own.port);
	fx_start(&f, own_url, c);
	open_churn(&f);
	size_t n = runstore_count(st(&f)->store);
	fx_stop(&f);
	expect_nothing_of(&f, c, url, 0); /* another server that answers */
	sim_stop(&own);
	expect_nothing_of(&f, c, "http://127.0.0.1:1", 1); /* one that does not */

	/* The first server, down (and spelled with a trailing slash): the list and the runs come
	 * from the cache at once. */
	snprintf(spelled, sizeof spelled, "http://127.0.0.1:%d/", own.port);
	fx_start(&f, spelled, c);
	assert_non_null(st(&f)->list.exps);
	assert_int_equal(st(&f)->list.exps->n, 4);
	assert_true(st(&f)->exps.cached);
	/* The experiment open when mltop last ran there opens again by itself. */
	assert_int_equal(st(&f)->level, EXP_RUNS);
	assert_string_equal(st(&f)->exp_id, "1");
	assert_true(runstore_count(st(&f)->store) > 0); /* the first pages at once */
	pump(&f); /* the rest as frames go by; the load fails: the cached runs stay, marked stale
	             with the error */
	assert_int_equal(runstore_count(st(&f)->store), n);
	char *text = dump(&f);
	assert_non_null(strstr(text, "stale"));
	free(text);
	fx_stop(&f);
	cache_close(&c);
	unlink_cache(path);
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

/* A server that sends the same runs page token again: the runs that came are shown, with the
 * client's line under the title, and no endless "loading". */
static void test_repeated_token(void **state)
{
	struct fx f;
	(void)state;
	cJSON_Delete(post("/-/sim/faults", "{\"prefix\": \"/api/2.0/mlflow/runs/search\", "
	                                   "\"kind\": \"page_token\"}"));
	fx_start(&f, url, NULL);
	open_churn(&f);
	assert_true(runstore_count(st(&f)->store) > 10);
	char *text = dump(&f), want[160];
	snprintf(want, sizeof want,
	         "showing the first %zu runs: the server repeated a page token (after 2 pages)",
	         runstore_count(st(&f)->store));
	assert_non_null(strstr(text, want));
	free(text);
	fx_stop(&f);
	cJSON_Delete(call(&main_sim, "DELETE", "/-/sim/faults", NULL, 200));
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
	    cmocka_unit_test(test_list_runs_detail),  cmocka_unit_test(test_server_filter),
	    cmocka_unit_test(test_compare),           cmocka_unit_test(test_lookup_versions_by_run),
	    cmocka_unit_test(test_focus_run),         cmocka_unit_test(test_cache_first),
	    cmocka_unit_test(test_running_run_moves), cmocka_unit_test(test_repeated_token),
	};
	signal(SIGPIPE, SIG_IGN);
	curl_global_init(CURL_GLOBAL_DEFAULT);
	atexit(kill_children);
	int rc = cmocka_run_group_tests(tests, setup, teardown);
	curl_global_cleanup();
	return rc;
}
