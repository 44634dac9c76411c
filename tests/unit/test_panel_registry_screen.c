/* The Registry panel as a person sees it, headless at 120x40: the registered models of
 * ./mltop-sim --seed 7 (started here on a free port with its clock frozen, killed at the end),
 * Enter on churn-classifier for its versions with their source runs and key metric, Enter on a
 * version for its run in the Experiments panel, Esc back; / filter, sort and marks. Then against
 * the test server: cache first ("cached 3m ago") and, when MLflow fails, the error line with the
 * cached data still shown. Goldens in tests/golden/registry_*.txt (UPDATE_GOLDEN=1 rewrites). */
#include "tests/unit/test_sim_mlflow.h"

#include "clients/cache.h"
#include "clients/config.h"
#include "clients/http.h"
#include "clients/sched.h"
#include "panels/registry.h"
#include "tests/unit/panelh.h"
#include "tests/unit/screen.h"
#include "tests/unit/testsrv.h"

#define START_MS 1760000000000LL
#define COLS     120
#define ROWS     40

static void harness_start(struct panelh *h, const char *url, struct cache *cache)
{
	panelh_init(h, cache, COLS, ROWS);
	snprintf(h->url, sizeof h->url, "%s", url);
	h->ctx.src[SRC_MLFLOW].url = h->url;
	sched_source_configure(h->sched, SRC_MLFLOW, 1);
	panelh_create(h, &registry_ops, NULL);
	assert_int_equal(h->p.ops->polls(&h->p), 1u << SRC_MLFLOW);
}

static void test_sim_models_and_versions(void **state)
{
	(void)state;
	char url[64], *dump;
	snprintf(url, sizeof url, "http://127.0.0.1:%d", main_sim.port);
	struct err e = {0};
	struct cache *c = cache_open(":memory:", &e);
	assert_non_null(c);
	struct panelh h;
	harness_start(&h, url, c);
	h.p.ops->schedule(&h.p, h.sched);
	assert_true(h.p.ops->busy(&h.p));
	panelh_settle(&h);
	assert_true(h.changed > 0);

	dump = panelh_draw(&h);
	assert_int_equal(screen_golden("registry_models_120x40", dump), 0);
	assert_non_null(strstr(dump, "champion→3 challenger→5"));
	free(dump);
	char status[64];
	h.p.ops->status(&h.p, status, sizeof status);
	assert_string_equal(status, "row 1 of 3");
	assert_string_equal(panelh_hint(&h, "Enter"), "open versions");

	/* / filter, sort and a mark do what the table does, and nothing else. */
	assert_int_equal(h.p.ops->filter(&h.p, "fraud|search", &e), 0);
	h.p.ops->status(&h.p, status, sizeof status);
	assert_string_equal(status, "2 of 3 match · row 1 of 2");
	assert_true(h.p.ops->filter(&h.p, "(", &e) < 0); /* the old filter stays */
	h.p.ops->status(&h.p, status, sizeof status);
	assert_string_equal(status, "2 of 3 match · row 1 of 2");
	assert_int_equal(h.p.ops->filter(&h.p, "", &e), 0);
	assert_int_equal(panelh_key(&h, 'S'), PANEL_HANDLED); /* name, reversed */
	dump = panelh_draw(&h);
	assert_true(strstr(dump, "search-ranking") < strstr(dump, "churn-classifier"));
	free(dump);
	assert_int_equal(panelh_key(&h, 'S'), PANEL_HANDLED);
	assert_int_equal(panelh_key(&h, ' '), PANEL_HANDLED);
	assert_int_equal(panelh_key(&h, 'g'), PANEL_HANDLED); /* back up to churn-classifier */

	/* Enter: the versions of churn-classifier, their runs fetched by id. */
	assert_int_equal(panelh_key(&h, '\n'), PANEL_HANDLED);
	assert_true(h.p.ops->busy(&h.p));
	panelh_settle(&h);
	dump = panelh_draw(&h);
	assert_int_equal(screen_golden("registry_versions_120x40", dump), 0);
	assert_non_null(
	    strstr(dump, "churn-classifier · champion v3 · challenger v5 · 5 versions · \""));
	assert_non_null(strstr(dump, " auc "));
	free(dump);
	assert_string_equal(panelh_hint(&h, "Esc"), "back");
	assert_string_equal(panelh_hint(&h, "Enter"), "open run");

	/* Enter on the newest version opens its run in the Experiments panel. */
	char *run = sim_version_run("churn-classifier", "5");
	char want[256];
	snprintf(want, sizeof want, "experiments run=%s from=registry", run);
	assert_int_equal(panelh_key(&h, '\n'), PANEL_HANDLED);
	assert_string_equal(h.opened, want);
	free(run);

	/* Esc: back to the models (cursor still on churn-classifier); Esc again: the shell's. */
	assert_int_equal(panelh_key(&h, 27), PANEL_HANDLED);
	dump = panelh_draw(&h);
	assert_non_null(strstr(dump, "Registry › 3 registered models"));
	free(dump);
	assert_int_equal(panelh_key(&h, 27), PANEL_BACK);
	assert_int_equal(panelh_key(&h, '\n'), PANEL_HANDLED); /* the same model again */
	dump = panelh_draw(&h);
	assert_non_null(strstr(dump, "churn-classifier · champion v3"));
	free(dump);

	/* Opened from another panel with a focus: that model, that version. */
	h.p.ops->focus(&h.p, "model=fraud-detector version=2");
	panelh_settle(&h);
	assert_int_equal(panelh_key(&h, '\n'), PANEL_HANDLED);
	run = sim_version_run("fraud-detector", "2");
	snprintf(want, sizeof want, "experiments run=%s from=registry", run);
	assert_string_equal(h.opened, want);
	free(run);
	panelh_stop(&h);
	cache_close(&c);
}

/* ---- cache first, then MLflow down ---- */

#define API "/api/2.0/mlflow/"

static void serve_registry(struct testsrv *srv)
{
	testsrv_add(srv, "GET", API "registered-models/search", 200, "application/json",
	            "{\"registered_models\": [{\"name\": \"churn\", \"last_updated_timestamp\": "
	            "1759990000000, \"description\": \"weekly\\nchurn model\"}]}");
	testsrv_add(srv, "GET", API "registered-models/get", 200, "application/json",
	            "{\"registered_model\": {\"name\": \"churn\", \"last_updated_timestamp\": "
	            "1759990000000, \"description\": \"weekly\\nchurn model\", \"aliases\": "
	            "[{\"alias\": \"champion\", \"version\": \"1\"}]}}");
	testsrv_add(
	    srv, "GET", API "model-versions/search", 200, "application/json",
	    "{\"model_versions\": [{\"name\": \"churn\", \"version\": \"2\", \"status\": "
	    "\"PENDING_REGISTRATION\", \"current_stage\": \"None\", \"run_id\": \"r2\", "
	    "\"creation_timestamp\": 1759996400000},"
	    "{\"name\": \"churn\", \"version\": \"1\", \"status\": \"READY\", "
	    "\"current_stage\": \"Production\", \"run_id\": \"r1\", \"creation_timestamp\": "
	    "1759900000000, \"description\": \"first \\u001b[31mone\"}]}");
	testsrv_add(srv, "POST", API "experiments/search", 200, "application/json",
	            "{\"experiments\": [{\"experiment_id\": \"4\", \"name\": \"churn\"}]}");
	testsrv_add(srv, "POST", API "runs/search", 200, "application/json",
	            "{\"runs\": [{\"info\": {\"run_id\": \"r1\", \"run_name\": \"calm-yak\"}, "
	            "\"data\": {\"metrics\": [{\"key\": \"f1\", \"value\": 0.81}]}}, "
	            "{\"info\": {\"run_id\": \"r2\", \"run_name\": \"brave-fox\"}, \"data\": "
	            "{\"metrics\": [{\"key\": \"f1\", \"value\": 0.85}, {\"key\": \"rmse\", "
	            "\"value\": 3}]}}]}");
}

/* The last request received for path. */
static int last_request(struct testsrv *srv, const char *path, struct testsrv_req *r)
{
	for (int back = 0; testsrv_request(srv, back, r) == 0; back++) {
		if (strcmp(r->path, path) == 0)
			return 0;
		testsrv_req_fini(r);
	}
	return -1;
}

static void test_cache_first_then_down(void **state)
{
	(void)state;
	struct testsrv *srv = testsrv_start();
	assert_non_null(srv);
	serve_registry(srv);
	struct err e = {0};
	struct cache *c = cache_open(":memory:", &e);
	assert_non_null(c);
	panelh_clock_ms = START_MS;

	/* A first session fills the cache, with a model open (its runs are cached too). */
	struct panelh h;
	harness_start(&h, testsrv_url(srv), c);
	char *dump = panelh_draw(&h);
	assert_non_null(strstr(dump, "Loading the registry from MLflow..."));
	free(dump);
	/* A focus that comes before the data: the version is selected once it is in. */
	h.p.ops->focus(&h.p, "model=churn version=1");
	h.p.ops->schedule(&h.p, h.sched);
	panelh_settle(&h);
	dump = panelh_draw(&h);
	assert_non_null(strstr(dump, "churn · champion v1 · 2 versions · \"weekly\""));
	assert_non_null(strstr(dump, "brave-fox"));
	/* The key metric is the first of auc, accuracy, f1, rmse that a source run has. */
	assert_non_null(strstr(dump, "f1 "));
	assert_non_null(strstr(dump, "0.850"));
	/* Remote text is sanitized: the escape is shown, not sent. */
	assert_non_null(strstr(dump, "first \\e[31mone"));
	free(dump);
	/* The run filter named both runs, over every experiment. */
	struct testsrv_req r;
	assert_int_equal(last_request(srv, API "runs/search", &r), 0);
	assert_non_null(strstr(r.body, "attributes.run_id IN ('r2', 'r1')"));
	assert_non_null(strstr(r.body, "\"experiment_ids\":[\"4\"]"));
	testsrv_req_fini(&r);
	assert_int_equal(panelh_key(&h, '\n'), PANEL_HANDLED);
	assert_string_equal(h.opened, "experiments run=r1 from=registry");
	panelh_stop(&h);

	/* Three minutes later MLflow is down; a new session draws from the cache at once. */
	testsrv_reset(srv);
	testsrv_add(srv, NULL, "/", 502, "text/html",
	            "<html><body><h1>502 Bad Gateway</h1>nginx</body></html>");
	testsrv_route(srv,
	              &(struct testsrv_route){.path = "/",
	                                      .prefix = 1,
	                                      .status = 502,
	                                      .content_type = "text/html",
	                                      .body = "<html><h1>502 Bad Gateway</h1></html>"});
	panelh_clock_ms = START_MS + 3 * 60 * 1000;
	harness_start(&h, testsrv_url(srv), c);
	dump = panelh_draw(&h);
	assert_non_null(strstr(dump, "cached 3m ago"));
	assert_non_null(strstr(dump, "churn "));
	free(dump);
	h.p.ops->schedule(&h.p, h.sched);
	panelh_settle(&h);
	dump = panelh_draw(&h);
	assert_int_equal(screen_golden("registry_stale_120x40", dump), 0);
	assert_non_null(strstr(dump, "mlflow down: MLflow 502"));
	assert_non_null(strstr(dump, "stale: data from 3m ago"));
	assert_non_null(strstr(dump, "weekly churn model")); /* one line */
	free(dump);
	/* The open model's runs come from the cache too, before any answer. */
	assert_int_equal(panelh_key(&h, '\n'), PANEL_HANDLED);
	dump = panelh_draw(&h);
	assert_non_null(strstr(dump, "brave-fox"));
	free(dump);
	panelh_stop(&h);

	/* Another server in the same context and cache: none of the first one's registry. */
	harness_start(&h, "http://127.0.0.1:1", c);
	dump = panelh_draw(&h);
	assert_non_null(
	    strstr(dump, "Not cached for this server · Loading the registry from MLflow..."));
	assert_null(strstr(dump, "churn "));
	free(dump);
	h.p.ops->schedule(&h.p, h.sched);
	panelh_settle(&h);
	dump = panelh_draw(&h);
	assert_non_null(strstr(dump, "Not cached for this server, and MLflow did not answer."));
	assert_null(strstr(dump, "churn "));
	free(dump);
	panelh_stop(&h);
	cache_close(&c);
	testsrv_stop(&srv);
}

/* Without MLflow the panel says what it needs, polls nothing and is never busy. */
static void test_unconfigured(void **state)
{
	(void)state;
	struct panelh h;
	memset(&h, 0, sizeof h);
	h.sched = sched_new(panelh_now, panelh_now, 7);
	h.env = (struct panel_env){.sched = h.sched,
	                           .ctx = &h.ctx,
	                           .now_ms = panelh_now,
	                           .rows = ROWS,
	                           .cols = COLS,
	                           .utf8 = 1};
	h.p = (struct panel){.ops = &registry_ops, .env = &h.env};
	struct err e = {0};
	assert_int_equal(h.p.ops->create(&h.p, &e), 0);
	h.p.ops->schedule(&h.p, h.sched);
	assert_int_equal(h.p.ops->polls(&h.p), 0);
	assert_false(h.p.ops->busy(&h.p));
	assert_int_equal(sched_next_due_in(h.sched), -1);
	assert_int_equal(h.p.ops->key(&h.p, '\n'), PANEL_IGNORED);
	assert_null(h.p.ops->hints(&h.p)[0].key);
	char *dump = panelh_draw(&h);
	assert_non_null(strstr(dump, "Registry needs an MLflow tracking server."));
	free(dump);
	h.p.ops->destroy(&h.p);
	sched_free(&h.sched);
}

/* A server that sends the same page token again: the models that came are shown, and the line
 * under the title says the list stopped there. */
static void test_sim_repeated_token(void **state)
{
	(void)state;
	char url[64];
	snprintf(url, sizeof url, "http://127.0.0.1:%d", main_sim.port);
	cJSON_Delete(post("/-/sim/faults",
	                  "{\"prefix\": \"/api/2.0/mlflow/registered-models/search\", "
	                  "\"kind\": \"page_token\"}"));
	struct panelh h;
	harness_start(&h, url, NULL);
	h.p.ops->schedule(&h.p, h.sched);
	panelh_settle(&h);
	char *dump = panelh_draw(&h);
	assert_non_null(strstr(dump, "showing the first 3 registered models: the server repeated a "
	                             "page token (after 2 pages)"));
	assert_non_null(strstr(dump, "churn-classifier"));
	free(dump);
	panelh_stop(&h);
	cJSON_Delete(call(&main_sim, "DELETE", "/-/sim/faults", NULL, 200));
}

static int group_setup(void **state)
{
	const char *args[] = {"--seed",       "7", "--start-ms", "1760000000000",
	                      "--time-scale", "0", NULL};
	(void)state;
	return sim_screen_group_setup(args, COLS, ROWS);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
	    cmocka_unit_test(test_sim_models_and_versions),
	    cmocka_unit_test(test_cache_first_then_down),
	    cmocka_unit_test(test_unconfigured),
	    cmocka_unit_test(test_sim_repeated_token),
	};
	signal(SIGPIPE, SIG_IGN);
	curl_global_init(CURL_GLOBAL_DEFAULT);
	atexit(kill_children);
	int rc = cmocka_run_group_tests(tests, group_setup, sim_screen_group_teardown);
	curl_global_cleanup();
	return rc;
}
