/* test_mlflow_client_sim: the MLflow client against ./mltop-sim imitating real releases
 * (--mlflow-version) at the edges where real servers differ from the documents: get-history
 * needs max_results on 3.4–3.13, get-history-bulk-interval is missing before 2.11 and gives no
 * point for an unknown run, version searches carry no alias (the run's versions take them from
 * the registered model, the models search has them), an unknown alias is a 400, archiving with an
 * inactive stage a 500, the static prefix moves /version and /get-artifact, the last runs page
 * can be {}; and the bounds of a load against a server whose page tokens never end. */
#include "tests/unit/test_sim_mlflow.h"

#include "clients/config.h"
#include "clients/http.h"
#include "clients/mlflow.h"
#include "clients/mlflow_registry_ops.h"
#include "clients/mlflow_op.h"
#include "clients/mlflow_write.h"
#include "clients/probe.h"
#include "clients/sched.h"

struct fx {
	struct sim sim;
	struct http *h;
	struct mlflow *m;
	int finals;
	struct mlflow_event last;
	char err[ERR_MSG_MAX];
	char notice[256];
	struct mlflow_history *history;
	struct mlflow_models *models;
	struct mlflow_versions *versions;
	struct mlflow_experiments *experiments;
};

static struct fx fx;

/* Starts the simulator with args (NULL-terminated, --seed 7 added) and a client on it. */
static void fx_start(const char *const *args, const struct mlflow_config *extra)
{
	const char *all[12] = {"--seed", "7"};
	char url[64];
	size_t n = 2;

	for (size_t i = 0; args && args[i] && n < 11; i++)
		all[n++] = args[i];
	all[n] = NULL;
	assert_int_equal(sim_start(&fx.sim, all), 0);
	fx.h = http_new(NULL);
	assert_non_null(fx.h);
	snprintf(url, sizeof url, "http://127.0.0.1:%d", fx.sim.port);
	struct mlflow_config cfg = extra ? *extra : (struct mlflow_config){0};
	cfg.base_url = url;
	fx.m = mlflow_new(fx.h, &cfg, NULL);
	assert_non_null(fx.m);
}

static int fx_stop(void **state)
{
	(void)state;
	mlflow_free(&fx.m);
	http_free(&fx.h);
	sim_stop(&fx.sim);
	mlflow_history_free(&fx.history);
	mlflow_models_free(&fx.models);
	mlflow_versions_free(&fx.versions);
	mlflow_experiments_free(&fx.experiments);
	memset(&fx, 0, sizeof fx);
	return 0;
}

static void on_event(void *ud, struct mlflow_event *ev)
{
	(void)ud;
	if (!ev->done)
		return;
	fx.finals++;
	fx.last = *ev;
	snprintf(fx.err, sizeof fx.err, "%s", ev->err ? ev->err->msg : "");
	snprintf(fx.notice, sizeof fx.notice, "%s", ev->notice ? ev->notice : "");
#define TAKE(field, free_fn)                                                                       \
	do {                                                                                       \
		free_fn(&fx.field);                                                                \
		fx.field = ev->field;                                                              \
		ev->field = NULL;                                                                  \
	} while (0)
	TAKE(history, mlflow_history_free);
	TAKE(models, mlflow_models_free);
	TAKE(versions, mlflow_versions_free);
	TAKE(experiments, mlflow_experiments_free);
#undef TAKE
}

/* Drives the client until the next final event; a load that never ends fails the test. */
static void drive(long op)
{
	int want = fx.finals + 1;
	int64_t deadline = now_ms() + 20000;

	assert_true(op > 0);
	while (fx.finals < want && now_ms() < deadline) {
		http_perform(fx.h);
		if (fx.finals < want)
			http_wait(fx.h, -1, 50, NULL);
	}
	assert_int_equal(fx.finals, want);
}

/* The first finished run of experiment 1 and its last step of auc. */
static char *a_run(int *last)
{
	char *body = search_body("1", "attributes.status = 'FINISHED'", NULL, 1, NULL);
	cJSON *j = call(&fx.sim, "POST", "/api/2.0/mlflow/runs/search", body, 200);
	cJSON *r = cJSON_GetArrayItem(item(j, "runs"), 0);
	char *id = strdup(str(item(r, "info"), "run_id"));

	*last = last_step(r, "auc");
	free(body);
	cJSON_Delete(j);
	return id;
}

static void set_fault(const char *json)
{
	cJSON_Delete(call(&fx.sim, "POST", "/-/sim/faults", json, 200));
}

/* ---- metric history by release ---- */

static void history_of(const char *version, int force_fallback)
{
	const char *args[] = {"--mlflow-version", version, NULL};
	int last;

	fx_start(args, NULL);
	char *id = a_run(&last);
	const char *ids[] = {id};
	fx.m->no_bulk_interval = force_fallback;
	drive(mlflow_history(fx.m, ids, 1, "auc", 0, on_event, NULL, NULL));
	assert_int_equal(fx.last.rc, 0);
	assert_string_equal(fx.notice, "");
	const struct mlflow_series *s = mlflow_history_find(fx.history, id);
	assert_non_null(s);
	assert_int_equal(s->n, last + 1); /* every step: fewer than the points asked for */
	assert_int_equal(s->points[last].step, last);
	free(id);
}

/* 3.4–3.13 answer a get-history without max_results with no point and a token back to the
 * start: the client sends max_results and gets the whole series. */
static void test_history_get_history_sends_max_results(void **state)
{
	history_of("3.5", 1);
	assert_false(fx.history->sampled);
	fx_stop(state);
	history_of("3.14", 1);
	fx_stop(state);
}

/* Before 2.11 there is no get-history-bulk-interval (an HTML 404): one get-history per run. */
static void test_history_before_bulk_interval(void **state)
{
	history_of("2.9", 0);
	assert_false(fx.history->sampled);
	assert_true(fx.m->no_bulk_interval);
	fx_stop(state);
	history_of("3.5", 0);
	assert_true(fx.history->sampled);
	assert_false(fx.m->no_bulk_interval);
}

/* An unknown run in get-history-bulk-interval has no point, and is no error. */
static void test_history_unknown_run_in_bulk(void **state)
{
	int last;

	(void)state;
	fx_start(NULL, NULL);
	char *id = a_run(&last);
	const char *ids[] = {"0123456789abcdef0123456789abcdef", id};
	drive(mlflow_history(fx.m, ids, 2, "auc", 0, on_event, NULL, NULL));
	assert_int_equal(fx.last.rc, 0);
	assert_int_equal(mlflow_history_find(fx.history, id)->n, last + 1);
	const struct mlflow_series *none = mlflow_history_find(fx.history, ids[0]);
	assert_true(!none || none->n == 0);
	free(id);
}

/* ---- aliases ---- */

/* The run of churn-classifier's champion, from the registry. */
static char *champion_run(char *version, size_t n)
{
	cJSON *j = call(&fx.sim, "GET",
	                "/api/2.0/mlflow/registered-models/alias?name=churn-classifier&"
	                "alias=champion",
	                NULL, 200);
	char *id = strdup(str(item(j, "model_version"), "run_id"));

	snprintf(version, n, "%s", str(item(j, "model_version"), "version"));
	cJSON_Delete(j);
	return id;
}

static void run_versions_have_aliases(const char *release)
{
	const char *args[] = {"--mlflow-version", release, NULL};
	char version[16];
	int found = 0;

	fx_start(args, NULL);
	char *run = champion_run(version, sizeof version);
	drive(mlflow_versions_by_run(fx.m, run, on_event, NULL, NULL));
	assert_int_equal(fx.last.rc, 0);
	for (size_t i = 0; i < fx.versions->n; i++) {
		const struct mlflow_model_version *v = &fx.versions->items[i];
		if (strcmp(v->name, "churn-classifier") != 0 || strcmp(v->version, version) != 0)
			continue;
		found = 1;
		assert_int_equal(v->naliases, 1);
		assert_string_equal(v->aliases[0], "champion");
	}
	assert_true(found);
	free(run);
}

/* model-versions/search has no alias on SQL stores: a run's versions take them from the model. */
static void test_run_versions_take_aliases_from_the_model(void **state)
{
	run_versions_have_aliases("3.5");
	fx_stop(state);
	run_versions_have_aliases("2.9");
}

/* registered-models/search carries the aliases: no registered-models/get follows (a get would
 * fail here). */
static void test_models_search_aliases_are_used(void **state)
{
	(void)state;
	fx_start(NULL, NULL);
	set_fault("{\"prefix\": \"/api/2.0/mlflow/registered-models/get\", \"kind\": \"status\", "
	          "\"status\": 500, \"body\": \"no\"}");
	drive(mlflow_models(fx.m, NULL, on_event, NULL, NULL));
	assert_int_equal(fx.last.rc, 0);
	const struct mlflow_registered_model *m = mlflow_models_find(fx.models, "churn-classifier");
	assert_non_null(m);
	assert_true(m->have_aliases);
	assert_non_null(mlflow_model_alias(m, "champion"));
}

/* ---- registry errors as the server says them ---- */

static void test_alias_and_transition_errors(void **state)
{
	(void)state;
	fx_start(NULL, NULL);
	drive(mlflow_get_alias(fx.m, "churn-classifier", "nope", on_event, NULL, NULL));
	assert_true(fx.last.rc < 0);
	assert_int_equal(fx.last.http_status, 400);
	assert_string_equal(fx.err, "MLflow 400 INVALID_PARAMETER_VALUE: Registered model alias "
	                            "nope not found.");
	drive(mlflow_transition_stage(fx.m, "fraud-detector", "3", "Archived", 1, on_event, NULL,
	                              NULL));
	assert_true(fx.last.rc < 0);
	assert_int_equal(fx.last.http_status, 500);
	assert_string_equal(fx.err,
	                    "MLflow 500 INTERNAL_ERROR: Model version transition cannot archive "
	                    "existing model versions because 'Archived' is not an Active stage. "
	                    "Valid stages are ['Staging', 'Production']");
}

/* ---- the static prefix ---- */

static int64_t wall_ms(void)
{
	return now_ms();
}

/* The health probe of MLflow with the context's static prefix (NULL: none): its health. */
static enum source_health probe_health(const char *prefix)
{
	char url[64];
	struct context ctx = {.mlflow_static_prefix = (char *)prefix};
	struct sched *s = sched_new(NULL, wall_ms, 1);
	int64_t deadline = now_ms() + 10000;

	snprintf(url, sizeof url, "http://127.0.0.1:%d", fx.sim.port);
	ctx.src[SRC_MLFLOW].url = url;
	sched_source_configure(s, SRC_MLFLOW, 1);
	struct probe *p = probe_new(fx.h, s, &ctx, 0, 60000);
	while (sched_source(s, SRC_MLFLOW)->health == HEALTH_PENDING && now_ms() < deadline) {
		sched_run_due(s);
		http_wait(fx.h, -1, 20, NULL);
		http_perform(fx.h);
	}
	enum source_health h = sched_source(s, SRC_MLFLOW)->health;
	probe_free(&p);
	sched_free(&s);
	return h;
}

static void test_static_prefix(void **state)
{
	const char *args[] = {"--static-prefix", "/p", NULL};
	struct mlflow_config cfg = {.static_prefix = "p/"};
	struct resp r;

	(void)state;
	fx_start(args, &cfg);
	drive(mlflow_server_version(fx.m, on_event, NULL, NULL));
	assert_int_equal(fx.last.rc, 0);
	assert_string_equal(fx.last.version.text, "3.5.0");
	http(&fx.sim, "GET", "/p/health", NULL, NULL, &r);
	assert_int_equal(r.status, 200);
	resp_free(&r);
	http(&fx.sim, "GET", "/health", NULL, NULL, &r);
	assert_int_equal(r.status, 404);
	resp_free(&r);
	assert_int_equal(probe_health("/p"), HEALTH_OK);
	assert_int_equal(probe_health(NULL), HEALTH_DOWN);
	mlflow_free(&fx.m); /* a client that does not know the prefix finds no /version */
	char url[64];
	snprintf(url, sizeof url, "http://127.0.0.1:%d", fx.sim.port);
	fx.m = mlflow_new(fx.h, &(struct mlflow_config){.base_url = url}, NULL);
	drive(mlflow_server_version(fx.m, on_event, NULL, NULL));
	assert_true(fx.last.version.old);
	drive(mlflow_experiments(fx.m, NULL, on_event, NULL, NULL)); /* /api/2.0 stays */
	assert_int_equal(fx.last.rc, 0);
	assert_true(fx.experiments->n > 0);
}

/* ---- paging ---- */

static size_t load_runs(int max_results, size_t *pages)
{
	const char *ids[] = {"1"};
	struct mlflow_runs_query q = {.experiment_ids = ids, .nexperiments = 1};
	struct runstore *rs = runstore_new();

	q.max_results = max_results;
	drive(mlflow_runs(fx.m, &q, rs, on_event, NULL, NULL));
	assert_int_equal(fx.last.rc, 0);
	size_t n = runstore_count(rs);
	*pages = fx.last.pages;
	runstore_free(&rs);
	return n;
}

/* A full last page carries a token; the page after it is {} and ends the load cleanly. */
static void test_runs_empty_last_page(void **state)
{
	size_t pages, n;

	(void)state;
	fx_start(NULL, NULL);
	n = load_runs(0, &pages);
	assert_int_equal(n, 90); /* experiment 1 (churn-weekly) holds 90 runs at --seed 7 */
	assert_int_equal(load_runs(90, &pages), 90);
	assert_int_equal(pages, 2);
	assert_string_equal(fx.notice, "");
}

/* A server whose tokens never end: the load stops at the page cap, the item cap, or the first
 * token sent again, keeps what it has and says why. */
static void test_endless_page_tokens(void **state)
{
	struct mlflow_config cfg = {.max_pages = 5};
	size_t pages, n;

	(void)state;
	fx_start(NULL, &cfg);
	size_t all = load_runs(50, &pages);
	set_fault("{\"prefix\": \"/api/2.0/mlflow/runs/search\", \"kind\": \"page_token\", "
	          "\"token\": \"endless\"}");
	n = load_runs(50, &pages);
	assert_int_equal(pages, 5);
	assert_int_equal(n, all < 50 ? all : 50); /* the same first page, five times */
	char want[160];
	snprintf(want, sizeof want,
	         "showing the first %zu runs: cap reached (at most 5 pages a load)", n);
	assert_string_equal(fx.notice, want);
	set_fault("{\"prefix\": \"/api/2.0/mlflow/runs/search\", \"kind\": \"page_token\"}");
	n = load_runs(50, &pages);
	assert_int_equal(pages, 2);
	snprintf(want, sizeof want,
	         "showing the first %zu runs: the server repeated a page token (after 2 pages)", n);
	assert_string_equal(fx.notice, want);
	set_fault("{\"prefix\": \"/api/2.0/mlflow/experiments/search\", \"kind\": \"page_token\", "
	          "\"token\": \"endless\"}");
	drive(mlflow_experiments(fx.m, NULL, on_event, NULL, NULL));
	assert_int_equal(fx.last.rc, 0);
	assert_int_equal(fx.last.pages, 5);
	assert_non_null(strstr(fx.notice, " experiments: cap reached (at most 5 pages a load)"));
}

static void test_item_cap(void **state)
{
	struct mlflow_config cfg = {.max_items = 120};
	size_t pages, n;

	(void)state;
	fx_start(NULL, &cfg);
	set_fault("{\"prefix\": \"/api/2.0/mlflow/runs/search\", \"kind\": \"page_token\", "
	          "\"token\": \"endless\"}");
	n = load_runs(0, &pages); /* 100 the first page, up to 1000 the next */
	assert_true(n > 0);
	assert_non_null(strstr(fx.notice, " runs: cap reached (at most 120 a load)"));
	assert_true(fx.last.count >= 120);
	assert_true(pages <= 2);
}

/* get-history with tokens that never end: the history stops at the item cap, with what came. */
static void test_history_endless_tokens(void **state)
{
	struct mlflow_config cfg = {.max_items = 300};
	int last;

	(void)state;
	fx_start(NULL, &cfg);
	char *id = a_run(&last);
	const char *ids[] = {id};
	set_fault("{\"prefix\": \"/api/2.0/mlflow/metrics/get-history\", \"kind\": \"page_token\", "
	          "\"token\": \"endless\"}");
	fx.m->no_bulk_interval = 1;
	drive(mlflow_history(fx.m, ids, 1, "auc", 0, on_event, NULL, NULL));
	assert_int_equal(fx.last.rc, 0);
	assert_true(fx.last.count >= 300);
	assert_non_null(strstr(fx.notice, " metric points: cap reached (at most 300 a load)"));
	assert_true(mlflow_history_find(fx.history, id)->n >= 300);
	free(id);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
	    cmocka_unit_test_teardown(test_history_get_history_sends_max_results, fx_stop),
	    cmocka_unit_test_teardown(test_history_before_bulk_interval, fx_stop),
	    cmocka_unit_test_teardown(test_history_unknown_run_in_bulk, fx_stop),
	    cmocka_unit_test_teardown(test_run_versions_take_aliases_from_the_model, fx_stop),
	    cmocka_unit_test_teardown(test_models_search_aliases_are_used, fx_stop),
	    cmocka_unit_test_teardown(test_alias_and_transition_errors, fx_stop),
	    cmocka_unit_test_teardown(test_static_prefix, fx_stop),
	    cmocka_unit_test_teardown(test_runs_empty_last_page, fx_stop),
	    cmocka_unit_test_teardown(test_endless_page_tokens, fx_stop),
	    cmocka_unit_test_teardown(test_item_cap, fx_stop),
	    cmocka_unit_test_teardown(test_history_endless_tokens, fx_stop),
	};

	return sim_run_with("test_mlflow_client_sim", tests, sizeof tests / sizeof tests[0], NULL,
	                    NULL);
}
