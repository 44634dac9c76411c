/* test_panel_experiments_crash: paths through the Experiments panel that once crashed mltop,
 * against ./mltop-sim --seed 7 (and a test server for what the simulator does not serve):
 * experiments opened one after another with marks and loads in flight, a registry version's run
 * looked up in another experiment and Esc back, Esc and a second focus while a lookup is in
 * flight, a start without MLflow after a session that left an experiment open, and an experiment
 * name far longer than any buffer, remembered whole (and forgotten when the server no longer
 * lists it). */
#include "tests/unit/exp_group.h"

#include "panels/mlsrc.h"
#include "tests/unit/testsrv.h"

static struct experiments *st(struct fx *f)
{
	return fx_state(f);
}

/* Opens experiment id from the list (Esc back to it first when runs are shown). */
static void open_exp(struct fx *f, const char *id)
{
	if (st(f)->level == EXP_RUNS)
		fx_key(f, 27);
	assert_int_equal(st(f)->level, EXP_LIST);
	assert_true(exp_list_select(&st(f)->list, id));
	fx_key(f, '\n');
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
	fx_open_churn(&f);
	fx_key(&f, 'j');
	fx_key(&f, ' ');
	open_exp(&f, "3");
	fx_pump(&f);
	assert_true(runstore_count(st(&f)->store) > 0);
	assert_int_equal(runs_view_marked(&st(&f)->runs, m, 8), 0);
	assert_string_equal(runs_view_current(&st(&f)->runs)->experiment_id, "3");
	/* Left while its load is in flight, then back. */
	fx_key(&f, 'G');
	open_exp(&f, "2");
	sched_run_due(f.sched);
	assert_true(st(&f)->op_runs > 0);
	open_exp(&f, "1");
	fx_pump(&f);
	assert_string_equal(runs_view_current(&st(&f)->runs)->experiment_id, "1");
	fx_stop(&f);
}

/* A registry version's run in another experiment than the open one: its detail, then Esc opens
 * the run's experiment with the cursor on it. */
static void test_lookup_from_another_experiment(void **state)
{
	struct fx f;
	char *run = sim_version_run("fraud-detector", "2"), arg[128];
	(void)state;
	snprintf(arg, sizeof arg, "run=%s", run);
	fx_start(&f, url, NULL);
	fx_open_churn(&f);
	fx_key(&f, 'j');
	f.p.ops->focus(&f.p, arg);
	fx_pump(&f);
	assert_true(st(&f)->detail_lookup);
	assert_string_equal(run_detail_run_id(st(&f)->detail), run);
	fx_key(&f, 27);
	assert_int_equal(st(&f)->level, EXP_RUNS);
	assert_string_equal(st(&f)->exp_id, "2");
	assert_null(st(&f)->lookup);
	fx_pump(&f);
	assert_string_equal(runs_view_current(&st(&f)->runs)->id, run);
	/* And on to another experiment from the list. */
	open_exp(&f, "1");
	fx_pump(&f);
	assert_true(runstore_count(st(&f)->store) > 0);
	fx_stop(&f);
	free(run);
}

/* Esc while a lookup is in flight stops it: nothing is left writing into a freed store, and the
 * runs shown before are there. A focus on a loaded run while another's lookup is in flight shows
 * that run, and the lookup's answer does not replace it. */
static void test_lookups_in_flight(void **state)
{
	struct fx f;
	char *far = sim_version_run("fraud-detector", "2"),
	     *near = sim_version_run("churn-classifier", "3");
	char arg[128];
	(void)state;
	snprintf(arg, sizeof arg, "run=%s", far);
	fx_start(&f, url, NULL);
	fx_open_churn(&f);
	assert_int_equal(runstore_count(st(&f)->store), 90); /* churn-weekly at --seed 7 */
	f.p.ops->focus(&f.p, arg);
	assert_true(st(&f)->op_lookup > 0);
	fx_key(&f, 27);
	assert_int_equal(st(&f)->op_lookup, 0);
	fx_pump(&f);
	assert_int_equal(st(&f)->level, EXP_RUNS);
	assert_string_equal(st(&f)->exp_id, "1");
	assert_int_equal(runstore_count(st(&f)->store), 90);
	assert_string_equal(run_detail_run_id(st(&f)->detail), "");
	f.p.ops->focus(&f.p, arg);
	assert_true(st(&f)->op_lookup > 0);
	snprintf(arg, sizeof arg, "run=%s", near);
	f.p.ops->focus(&f.p, arg);
	fx_pump(&f);
	assert_string_equal(run_detail_run_id(st(&f)->detail), near);
	assert_false(st(&f)->detail_lookup);
	fx_key(&f, 27);
	assert_int_equal(st(&f)->level, EXP_RUNS);
	fx_stop(&f);
	free(far);
	free(near);
}

/* A session left an experiment open; the next start has no MLflow (none configured, or a tracking
 * URI that is no http(s) URL): the panel says so, nothing is reopened. Then the cached runs of the
 * experiment gone, and an experiment the server does not have. */
static void test_reopen_without_mlflow(void **state)
{
	struct fx f;
	char path[] = "/tmp/mltop-exp-reopenXXXXXX", server[CACHE_SERVER_MAX];
	struct cache_scope sc;
	struct err e = {0};
	(void)state;
	struct cache *c = fx_cache_fresh(path);
	fx_start(&f, url, c);
	fx_open_churn(&f);
	assert_int_equal(mlsrc_scope(&f.env, "mlflow", server, sizeof server, &sc), 0);
	assert_int_equal(cache_delete_prefix(c, &sc, "", &e), 0);
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
		char *text = fx_dump(&f);
		assert_non_null(strstr(text, "needs an MLflow tracking server"));
		free(text);
		assert_int_equal(f.p.ops->key(&f.p, '\n'), PANEL_IGNORED);
		fx_stop(&f);
	}
	fx_start(&f, url, c);
	assert_int_equal(st(&f)->level, EXP_RUNS);
	assert_int_equal(runstore_count(st(&f)->store), 0);
	fx_pump(&f);
	assert_true(runstore_count(st(&f)->store) > 0);
	exp_src_open(st(&f), "999", "gone");
	fx_pump(&f);
	f.p.ops->recalc(&f.p);
	char *text = fx_dump(&f);
	assert_non_null(strstr(text, "Experiments › gone"));
	free(text);
	fx_stop(&f);
	fx_cache_gone(&c, path);
}

/* The experiment-open row of the cache, for the server f talks to. */
static char *open_row(struct fx *f, size_t *n)
{
	char server[CACHE_SERVER_MAX], *v = NULL;
	struct cache_scope sc;
	struct err e = {0};
	assert_int_equal(mlsrc_scope(&f->env, "ui", server, sizeof server, &sc), 0);
	assert_int_equal(cache_get(f->cache, &sc, "experiments/open", &v, n, NULL, &e), 0);
	return v;
}

/* An experiment name of len bytes ('a' … 'z' over and over) is remembered whole when it is
 * opened: the cache holds "id<TAB>name" and nothing more. When the server no longer lists it, the
 * next start goes back to the list and forgets it. */
static void remember_long_name(size_t len)
{
	struct fx f;
	char path[] = "/tmp/mltop-exp-longXXXXXX";
	struct testsrv *srv = testsrv_start();
	char *name = malloc(len + 1), *body = malloc(len + 256);
	assert_non_null(srv);
	assert_non_null(name);
	assert_non_null(body);
	for (size_t i = 0; i < len; i++)
		name[i] = (char)('a' + i % 26);
	name[len] = '\0';
	snprintf(body, len + 256, "{\"experiments\":[{\"experiment_id\":\"42\",\"name\":\"%s\"}]}",
	         name);
	testsrv_add(srv, "POST", "/api/2.0/mlflow/experiments/search", 200, "application/json",
	            body);
	testsrv_add(srv, "POST", "/api/2.0/mlflow/runs/search", 200, "application/json",
	            "{\"runs\":[]}");
	struct cache *c = fx_cache_fresh(path);
	fx_start(&f, testsrv_url(srv), c);
	fx_pump(&f);
	assert_true(exp_list_select(&st(&f)->list, "42"));
	fx_key(&f, '\n');
	fx_pump(&f);
	size_t n = 0;
	char *v = open_row(&f, &n);
	assert_int_equal(n, 3 + len);
	assert_memory_equal(v, "42\t", 3);
	assert_memory_equal(v + 3, name, len);
	free(v);
	fx_stop(&f);
	testsrv_add(srv, "POST", "/api/2.0/mlflow/experiments/search", 200, "application/json",
	            "{\"experiments\":[]}");
	fx_start(&f, testsrv_url(srv), c);
	assert_int_equal(st(&f)->level, EXP_RUNS);
	assert_string_equal(st(&f)->exp_id, "42");
	fx_pump(&f);
	assert_int_equal(st(&f)->level, EXP_LIST);
	assert_string_equal(f.note, "experiment 42 is no longer in MLflow");
	fx_stop(&f);
	fx_start(&f, testsrv_url(srv), c);
	assert_int_equal(st(&f)->level, EXP_LIST);
	fx_stop(&f);
	fx_cache_gone(&c, path);
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

int main(void)
{
	const struct CMUnitTest tests[] = {
	    cmocka_unit_test(test_open_one_after_another),
	    cmocka_unit_test(test_lookup_from_another_experiment),
	    cmocka_unit_test(test_lookups_in_flight),
	    cmocka_unit_test(test_reopen_without_mlflow),
	    cmocka_unit_test(test_remember_long_names),
	};
	return exp_group_run("test_panel_experiments_crash", tests, sizeof tests / sizeof tests[0]);
}
