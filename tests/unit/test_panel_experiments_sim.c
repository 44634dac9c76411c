/* test_panel_experiments_sim: the Experiments panel against ./mltop-sim --seed 7 (clock frozen at
 * a fixed time, so that screens are reproducible): experiments list → runs table → run detail as
 * golden screens, the server filter (a good one narrows the runs; a refused one shows MLflow's
 * message and keeps the runs), compare of the marked runs (and the one-line refusal for a bad
 * count), focus on a run by id from another experiment (the Registry's way in) with its lineage,
 * and the cache: a second start against the same server, down, draws the list and the runs from
 * it; another server (down or not) shows none of them; and, against a test server, the refresh of
 * the list: one page of what changed, merged. */
#include "tests/unit/exp_group.h"

#include "clients/mlflow_registry_ops.h"
#include "tests/unit/testsrv.h"

/* churn-weekly's runs in the simulator's world of --seed 7 (what a runs/search of experiment 1
 * answers there) */
#define SEED7_CHURN_RUNS 90

static void golden(struct fx *f, const char *name)
{
	char *text = fx_dump(f);
	assert_int_equal(screen_golden(name, text), 0);
	free(text);
}

static void test_list_runs_detail(void **state)
{
	struct fx f;
	(void)state;
	fx_start(&f, url, NULL);
	fx_pump(&f);
	golden(&f, "experiments_list_120x40");
	fx_open_churn(&f);
	char buf[128];
	/* churn-weekly holds 90 runs in the simulator's world of --seed 7 (the count a runs/search
	 * of experiment 1 answers) */
	assert_int_equal(runstore_count(fx_state(&f)->store), SEED7_CHURN_RUNS);
	fx_status(&f, buf, sizeof buf);
	assert_string_equal(buf, "row 1 of 90 runs");
	golden(&f, "experiments_runs_120x40");

	/* Sort by auc, descending: the first row has the highest auc of the 90, sunny-hawk-20's
	 * 0.898128 (the next are 0.885534 and 0.883902). */
	struct runs_view *rv = &fx_state(&f)->runs;
	int auc = -1;
	for (size_t i = 0; i < rv->nkeys; i++)
		if (strcmp(rv->keys[i].name, "auc") == 0)
			auc = RUNS_COL_FIXED_HEAD + (int)i;
	assert_true(auc > 0);
	table_set_sort(rv->lv.table, auc, true);
	f.p.ops->recalc(&f.p);
	fx_key(&f, 'g');
	assert_string_equal(runs_view_current(rv)->name, "sunny-hawk-20");
	assert_true(fabs(runs_view_num(rv, runs_view_current(rv), auc) - 0.898128) < 1e-9);

	/* Enter: the detail, with min and max once the histories came. */
	const char *id = runs_view_current(rv)->id;
	fx_key(&f, '\n');
	assert_int_equal(fx_state(&f)->level, EXP_DETAIL);
	assert_string_equal(run_detail_run_id(fx_state(&f)->detail), id);
	fx_pump(&f);
	char *text = fx_dump(&f);
	assert_non_null(strstr(text, "REPRODUCE"));
	assert_non_null(strstr(text, "git commit"));
	assert_null(strstr(text, "…")); /* every history came */
	free(text);
	golden(&f, "experiments_detail_120x40");
	/* Down to the artifacts and the registry versions. */
	fx_key(&f, 'G');
	text = fx_dump(&f);
	assert_non_null(strstr(text, "ARTIFACTS"));
	assert_non_null(strstr(text, "REGISTERED VERSIONS"));
	free(text);
	/* Esc: runs, Esc: experiments, Esc: back out of the panel. */
	fx_key(&f, 27);
	assert_int_equal(fx_state(&f)->level, EXP_RUNS);
	fx_key(&f, 27);
	assert_int_equal(fx_state(&f)->level, EXP_LIST);
	assert_int_equal(f.p.ops->key(&f.p, 27), PANEL_BACK);
	fx_stop(&f);
}

static void test_server_filter(void **state)
{
	struct fx f;
	(void)state;
	fx_start(&f, url, NULL);
	fx_open_churn(&f);
	assert_int_equal(runstore_count(fx_state(&f)->store), SEED7_CHURN_RUNS);
	fx_key(&f, 'f');
	assert_true(fx_state(&f)->prompt.active);
	fx_type(&f, "metrics.auc > 0.85");
	fx_key(&f, '\n');
	assert_false(fx_state(&f)->prompt.active);
	fx_pump(&f);
	const struct runstore *s = fx_state(&f)->store;
	size_t n = runstore_count(s);
	assert_int_equal(n, 31); /* of the 90, those the simulator answers for this filter */
	uint32_t auc = runstore_key_id(s, "auc");
	for (size_t i = 0; i < n; i++)
		assert_true(runstore_metric(runstore_at(s, i), auc)->value > 0.85);
	assert_string_equal(fx_state(&f)->filter, "metrics.auc > 0.85");
	char *text = fx_dump(&f);
	assert_non_null(strstr(text, "filter metrics.auc > 0.85"));
	free(text);

	/* A filter the server refuses: its message, and the runs and the filter stay. */
	fx_key(&f, 'f');
	fx_key(&f, 21); /* Ctrl-U */
	fx_type(&f, "metrics.auc >> 1");
	fx_key(&f, '\n');
	fx_pump(&f);
	assert_non_null(strstr(fx_state(&f)->filter_err, "MLflow 400 INVALID_PARAMETER_VALUE"));
	assert_non_null(strstr(f.note, "MLflow 400 INVALID_PARAMETER_VALUE"));
	assert_int_equal(runstore_count(fx_state(&f)->store), 31);
	assert_string_equal(fx_state(&f)->filter, "metrics.auc > 0.85");
	text = fx_dump(&f);
	assert_non_null(strstr(text, "filter refused: MLflow 400 INVALID_PARAMETER_VALUE"));
	free(text);
	/* The source is not down for it. */
	assert_int_not_equal(sched_source(f.sched, SRC_MLFLOW)->health, HEALTH_DOWN);
	/* f again: the refused text, to mend, not the filter in force. */
	fx_key(&f, 'f');
	assert_string_equal(fx_state(&f)->prompt.buf, "metrics.auc >> 1");
	fx_key(&f, 27);

	/* Esc in the prompt cancels without a load. */
	fx_key(&f, 'f');
	fx_type(&f, "x");
	fx_key(&f, 27);
	assert_false(fx_state(&f)->prompt.active);
	assert_int_equal(fx_state(&f)->op_runs, 0);
	assert_int_equal(fx_state(&f)->level, EXP_RUNS);
	fx_stop(&f);
}

static void test_compare(void **state)
{
	struct fx f;
	(void)state;
	fx_start(&f, url, NULL);
	fx_open_churn(&f);
	fx_key(&f, ' ');
	int before = f.notes;
	fx_key(&f, 'c');
	assert_int_equal(f.notes, before + 1);
	assert_non_null(strstr(f.note, "2 to 8"));
	assert_int_equal(fx_state(&f)->level, EXP_RUNS);
	fx_key(&f, ' ');
	fx_key(&f, ' ');
	fx_key(&f, 'c');
	assert_int_equal(fx_state(&f)->level, EXP_COMPARE);
	assert_int_equal(fx_state(&f)->ncmp, 3);
	char buf[128];
	fx_status(&f, buf, sizeof buf);
	assert_non_null(strstr(buf, "3"));
	/* A refresh into a new store keeps the compare on the same runs. */
	sched_refresh(f.sched, fx_state(&f)->job_runs);
	fx_pump(&f);
	assert_int_equal(fx_state(&f)->level, EXP_COMPARE);
	fx_key(&f, 27);
	assert_int_equal(fx_state(&f)->level, EXP_RUNS);
	const struct mlflow_run *m[8];
	assert_int_equal(runs_view_marked(&fx_state(&f)->runs, m, 8), 3);
	fx_stop(&f);
}

/* The run id of churn-classifier version 3 (a registered version's run). */
static char *version_run(void)
{
	return sim_version_run("churn-classifier", "3");
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
	assert_true(mlflow_versions_by_run(m, run, on_versions, &v, &e) > 0);
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
	assert_true(mlflow_versions_by_run(m, "", on_versions, &v, &e) < 0);
	char *filter = mlflow_run_id_filter("ab'c");
	assert_string_equal(filter, "attributes.run_id = \"ab'c\"");
	free(filter);
	mlflow_free(&m);
	http_free(&h);
	free(run);
}

/* A run opened from the Registry: Esc on its detail goes back to the Registry (the versions it
 * came from), not to the runs of its experiment; opened otherwise, Esc stays in Experiments. */
static void test_focus_from_registry(void **state)
{
	struct fx f;
	(void)state;
	char *run = version_run(), arg[160];
	fx_start(&f, url, NULL);
	fx_pump(&f);
	snprintf(arg, sizeof arg, "run=%s from=registry", run);
	f.p.ops->focus(&f.p, arg);
	fx_pump(&f);
	assert_string_equal(run_detail_run_id(fx_state(&f)->detail), run);
	f.opened[0] = '\0';
	fx_key(&f, 27);
	assert_string_equal(f.opened, "registry");
	snprintf(arg, sizeof arg, "run=%s", run);
	f.p.ops->focus(&f.p, arg);
	fx_pump(&f);
	f.opened[0] = '\0';
	fx_key(&f, 27);
	assert_string_equal(f.opened, "");
	assert_int_equal(fx_state(&f)->level, EXP_RUNS);
	free(run);
	fx_stop(&f);
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
	assert_int_equal(fx_state(&f)->level, EXP_DETAIL);
	fx_pump(&f);
	assert_string_equal(run_detail_run_id(fx_state(&f)->detail), run);
	assert_true(fx_state(&f)->detail_lookup);
	char *text = fx_dump(&f);
	assert_non_null(strstr(text, run));
	free(text);
	fx_key(&f, 'G');
	text = fx_dump(&f);
	assert_non_null(strstr(text, "churn-classifier"));
	assert_non_null(strstr(text, "v3"));
	free(text);
	/* Esc: the runs of the run's experiment. */
	const char *exp = run_detail_run(fx_state(&f)->detail)->experiment_id;
	char exp_id[64];
	snprintf(exp_id, sizeof exp_id, "%s", exp);
	fx_key(&f, 27);
	assert_int_equal(fx_state(&f)->level, EXP_RUNS);
	assert_string_equal(fx_state(&f)->exp_id, exp_id);
	fx_pump(&f);
	assert_non_null(runstore_find(fx_state(&f)->store, run));
	assert_string_equal(runs_view_current(&fx_state(&f)->runs)->id, run); /* the cursor on it */
	/* A run that is loaded opens at once. */
	f.p.ops->focus(&f.p, arg);
	assert_int_equal(fx_state(&f)->level, EXP_DETAIL);
	assert_false(fx_state(&f)->detail_lookup);
	assert_int_equal(fx_state(&f)->op_lookup, 0);
	fx_pump(&f);
	/* No such run: said so. */
	fx_key(&f, 27);
	f.p.ops->focus(&f.p, "run=00000000000000000000000000000000");
	fx_pump(&f);
	text = fx_dump(&f);
	assert_non_null(strstr(text, "no such run"));
	free(text);
	fx_stop(&f);
	free(run);
}

/* Another server in the same context and cache (the URL changed, a flag for one run, the first
 * server down): none of the first server's data, nor its last open experiment, is shown. */
static void expect_nothing_of(struct fx *f, struct cache *c, const char *other, int down)
{
	fx_start(f, other, c);
	assert_null(fx_state(f)->list.exps);
	assert_false(fx_state(f)->exps.cached);
	assert_int_equal(fx_state(f)->level, EXP_LIST); /* its experiment 1 is not this server's */
	char *text = fx_dump(f);
	assert_non_null(strstr(text, "Not cached for this server · Loading the experiments"));
	assert_null(strstr(text, "churn-weekly"));
	free(text);
	fx_pump(f);
	text = fx_dump(f);
	if (down)
		assert_non_null(
		    strstr(text, "Not cached for this server, and MLflow did not answer."));
	else
		assert_int_equal(fx_state(f)->exps.cached, 0); /* its own list, live */
	free(text);
	fx_stop(f);
}

static void test_cache_first(void **state)
{
	struct fx f;
	struct sim own;
	char path[] = "/tmp/mltop-exp-cacheXXXXXX", own_url[64], spelled[80];
	const char *args[] = {"--seed", "7", "--start-ms", FIXED_TEXT, "--time-scale", "0", NULL};
	(void)state;
	struct cache *c = fx_cache_fresh(path);
	assert_int_equal(sim_start(&own, args), 0);
	snprintf(own_url, sizeof own_url, "http://127.0.0.1:%d", own.port);
	fx_start(&f, own_url, c);
	fx_open_churn(&f);
	assert_int_equal(runstore_count(fx_state(&f)->store), SEED7_CHURN_RUNS);
	fx_stop(&f);
	expect_nothing_of(&f, c, url, 0); /* another server that answers */
	sim_stop(&own);
	expect_nothing_of(&f, c, "http://127.0.0.1:1", 1); /* one that does not */

	/* The first server, down (and spelled with a trailing slash): the list and the runs come
	 * from the cache at once. */
	snprintf(spelled, sizeof spelled, "http://127.0.0.1:%d/", own.port);
	fx_start(&f, spelled, c);
	assert_non_null(fx_state(&f)->list.exps);
	assert_int_equal(fx_state(&f)->list.exps->n, 4);
	assert_true(fx_state(&f)->exps.cached);
	/* The experiment open when mltop last ran there opens again by itself. */
	assert_int_equal(fx_state(&f)->level, EXP_RUNS);
	assert_string_equal(fx_state(&f)->exp_id, "1");
	assert_true(runstore_count(fx_state(&f)->store) > 0); /* the first pages at once */
	fx_pump(&f); /* the rest as frames go by; the load fails: the cached runs stay, marked stale
	             with the error */
	assert_int_equal(runstore_count(fx_state(&f)->store), SEED7_CHURN_RUNS);
	char *text = fx_dump(&f);
	assert_non_null(strstr(text, "stale"));
	free(text);
	fx_stop(&f);
	fx_cache_gone(&c, path);
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
	fx_open_churn(&f);
	const struct runstore *s = fx_state(&f)->store;
	const struct mlflow_run *r = NULL;
	for (size_t i = 0; i < runstore_count(s) && !r; i++)
		if (runstore_at(s, i)->status == RUN_STATUS_RUNNING)
			r = runstore_at(s, i);
	assert_non_null(r);
	char id[64];
	snprintf(id, sizeof id, "%s", r->id);
	int64_t step = runstore_metric(r, runstore_key_id(s, "auc"))->step;
	assert_true(runs_view_select(&fx_state(&f)->runs, id));
	fx_key(&f, '\n');
	fx_pump(&f);
	int64_t end = now_ms() + 20000, now_step = step;
	while (now_step == step) {
		assert_true(now_ms() < end);
		sched_refresh(f.sched, fx_state(&f)->job_runs);
		fx_pump(&f);
		s = fx_state(&f)->store;
		now_step = runstore_metric(runstore_find(s, id), runstore_key_id(s, "auc"))->step;
	}
	assert_true(now_step > step);
	/* The detail follows the new store and shows the new step. */
	assert_ptr_equal(run_detail_run(fx_state(&f)->detail), runstore_find(s, id));
	char *text = fx_dump(&f), want[32];
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
	fx_open_churn(&f);
	/* the two pages held every run; the third asked with the repeated token was not sent */
	assert_int_equal(runstore_count(fx_state(&f)->store), SEED7_CHURN_RUNS);
	char *text = fx_dump(&f);
	assert_non_null(strstr(
	    text, "showing the first 90 runs: the server repeated a page token (after 2 pages)"));
	free(text);
	fx_stop(&f);
	cJSON_Delete(call(&main_sim, "DELETE", "/-/sim/faults", NULL, 200));
}

/* ---- the refresh of a long list, against a test server that records what it is asked ---- */

#define SEARCH "/api/2.0/mlflow/experiments/search"
#define EXP(id, name, t, stage)                                                                    \
	"{\"experiment_id\":\"" id "\",\"name\":\"" name "\",\"last_update_time\":" t              \
	",\"lifecycle_stage\":\"" stage "\"}"

/* Runs the loop until srv has seen n requests in all and none is in flight. */
static void pump_requests(struct fx *f, struct testsrv *srv, int n)
{
	for (int round = 0; round < 1000; round++) {
		sched_run_due(f->sched);
		int ready;
		http_wait(f->http, -1, 10, &ready);
		http_perform(f->http);
		f->p.ops->recalc(&f->p);
		if (testsrv_request_count(srv) >= n && !http_inflight(f->http) &&
		    fx_state(f)->op_exps == 0 && fx_state(f)->op_changes == 0)
			break;
	}
	assert_int_equal(testsrv_request_count(srv), n);
}

/* The max_results and the view_type of the request back from the last (0: the last). */
static int asked(struct testsrv *srv, int back, char *view, size_t n)
{
	struct testsrv_req r;
	assert_int_equal(testsrv_request(srv, back, &r), 0);
	assert_string_equal(r.path, SEARCH);
	const char *m = strstr(r.body, "\"max_results\":");
	const char *v = strstr(r.body, "\"view_type\":\"");
	int max = m ? atoi(m + 14) : -1;
	snprintf(view, n, "%.*s", v ? (int)strcspn(v + 13, "\"") : 0, v ? v + 13 : "");
	testsrv_req_fini(&r);
	return max;
}

static const char *names(struct fx *f)
{
	static char buf[256];
	const struct mlflow_experiments *x = fx_state(f)->list.exps;
	size_t n = 0;
	buf[0] = '\0';
	for (size_t i = 0; x && i < x->n && n < sizeof buf; i++) {
		int w = snprintf(buf + n, sizeof buf - n, "%s%s", i ? "," : "", x->items[i].name);
		n += w > 0 ? (size_t)w : 0;
	}
	return buf;
}

/* The whole list at start; a refresh asks for one page of the last changed (deleted ones too)
 * and merges it: a rename, a new experiment, a deletion; r loads the whole list again. */
static void test_refresh_asks_for_what_changed(void **state)
{
	struct fx f;
	char view[32];
	(void)state;
	struct testsrv *srv = testsrv_start();
	assert_non_null(srv);
	testsrv_add(srv, "POST", SEARCH, 200, "application/json",
	            "{\"experiments\":[" EXP("3", "c", "300", "active") "," EXP(
	                "2", "b", "200", "active") "," EXP("1", "a", "100", "active") "]}");
	fx_start(&f, testsrv_url(srv), NULL);
	pump_requests(&f, srv, 2); /* the whole list, and the first refresh, which waits for it */
	assert_string_equal(names(&f), "c,b,a");
	int whole = asked(srv, 0, view, sizeof view) == 1000 ? 0 : 1;
	assert_int_equal(asked(srv, whole, view, sizeof view), 1000);
	assert_string_equal(view, "ACTIVE_ONLY");
	testsrv_add(srv, "POST", SEARCH, 200, "application/json",
	            "{\"experiments\":[" EXP("4", "d", "500", "active") "," EXP(
	                "2", "b-renamed", "400",
	                "active") "," EXP("3", "c", "350", "deleted") "," EXP("1", "a", "100",
	                                                                      "active") "]}");
	for (int i = 0; i < 2; i++) { /* each refresh: one page, not the whole list */
		sched_refresh(f.sched, fx_state(&f)->job_changes);
		pump_requests(&f, srv, 3 + i);
		assert_int_equal(asked(srv, 0, view, sizeof view), 100);
		assert_string_equal(view, "ALL");
		assert_string_equal(names(&f), "d,b-renamed,a");
	}
	sched_refresh(f.sched, -1); /* r */
	pump_requests(&f, srv, 6);
	assert_true(asked(srv, 0, view, sizeof view) == 1000 ||
	            asked(srv, 1, view, sizeof view) == 1000);
	fx_stop(&f);
	testsrv_stop(&srv);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
	    cmocka_unit_test(test_list_runs_detail),
	    cmocka_unit_test(test_server_filter),
	    cmocka_unit_test(test_compare),
	    cmocka_unit_test(test_lookup_versions_by_run),
	    cmocka_unit_test(test_focus_run),
	    cmocka_unit_test(test_focus_from_registry),
	    cmocka_unit_test(test_cache_first),
	    cmocka_unit_test(test_running_run_moves),
	    cmocka_unit_test(test_repeated_token),
	    cmocka_unit_test(test_refresh_asks_for_what_changed),
	};
	return exp_group_run("test_panel_experiments_sim", tests, sizeof tests / sizeof tests[0]);
}
