/* The Serving panel against ./mltop-sim --seed 7 (started here on a free port with its clock
 * frozen, stopped at the end), through the panel's own clients: KServe, a scrape of /metrics and
 * the MLflow registry. A canary of churn-classifier v5 at 10 % (a PATCH as an operator's
 * kubectl would send), three scrapes a minute apart of world time, then: the split 90|10 with the
 * revisions, each version's rates, the registry versions and aliases joined, the SLO marks of
 * [model.churn-classifier] and the badge, Enter for the canary verdict, Esc back, m for Registry,
 * f for Samples; and with KServe failing, its error line while the rows already shown stay.
 * Then a simulator of its own, as KServe reconciles: a canary not ready yet, a failed canary, raw
 * deployment mode. */
#include "tests/unit/test_sim_ops.h"

#include "clients/cache.h"
#include "clients/config.h"
#include "clients/http.h"
#include "clients/jsonw.h"
#include "clients/sched.h"
#include "panels/serving.h"
#include "tests/unit/panelh.h"
#include "tests/unit/screen.h"

#define START_MS 1760000000000LL
#define COLS     120
#define ROWS     40
#define WIDE     200 /* the revisions column whole */

static const char ini[] = "[model.churn-classifier]\nslo_p99_ms = 150\nslo_error_pct = 1\n";

static void harness_start(struct panelh *h, struct cache *cache, int cols)
{
	char url[64], scrape[80];
	snprintf(url, sizeof url, "http://127.0.0.1:%d", main_sim.port);
	snprintf(scrape, sizeof scrape, "%s/metrics", url);
	const char *argv[] = {"--mlflow", url,           "--kserve", url, "--scrape",
	                      scrape,     "--namespace", "models",   NULL};
	panelh_init(h, cache, cols, ROWS);
	panelh_config(h, ini, argv);
	panelh_create(h, &serving_ops, NULL);
	assert_int_equal(h->p.ops->polls(&h->p),
	                 (1u << SRC_SCRAPE) | (1u << SRC_KSERVE) | (1u << SRC_MLFLOW));
	h->p.ops->schedule(&h->p, h->sched);
}

/* A poll round at world time + s: the simulator's clock and ours move together. */
static void round_at(struct panelh *h, int s)
{
	advance_s(s);
	panelh_clock_ms += (int64_t)s * 1000;
	sched_refresh(h->sched, -1);
	panelh_pump(h, 1500);
}

static int count_sample(void *ud, int64_t ts_ms, double v)
{
	(void)ts_ms, (void)v;
	++*(int *)ud;
	return 0;
}

/* The points a session filed at ago_ms before the panel's clock. */
static int points_at(struct cache *c, int64_t ago_ms)
{
	const struct cache_scope sc = {"earlier", "http://m:9090/metrics", "scrape"};
	int n = 0;
	int64_t t = panelh_clock_ms - ago_ms;
	cache_sample_range(c, &sc, "p99/x", t, t, count_sample, &n, NULL);
	return n;
}

static void test_split_rates_canary(void **state)
{
	(void)state;
	canary_churn_v5(10);
	struct err e = {0};
	struct cache *c = cache_open(":memory:", &e);
	assert_non_null(c);
	/* an earlier session's points: two hours old (past the sparklines' 30 min), one minute */
	const struct cache_scope sc = {"earlier", "http://m:9090/metrics", "scrape"};
	assert_int_equal(cache_sample_put(c, &sc, "p99/x", panelh_clock_ms - 7200000, 1, &e), 0);
	assert_int_equal(cache_sample_put(c, &sc, "p99/x", panelh_clock_ms - 60000, 1, &e), 0);
	struct panelh h;
	harness_start(&h, c, COLS);
	char *dump = panelh_draw(&h); /* nothing cached, nothing answered yet */
	assert_non_null(strstr(dump, "No deployment yet: waiting for KServe and the metrics."));
	assert_non_null(strstr(dump, "waiting for the sources"));
	free(dump);
	panelh_pump(&h, 1500);
	assert_true(h.p.ops->busy(&h.p)); /* one scrape: no rate yet, a snapshot waits */
	round_at(&h, 60);
	assert_false(h.p.ops->busy(&h.p));
	round_at(&h, 60); /* v5's series appeared with its first requests: a second rate */
	/* the first flush pruned the points older than the window, and only those */
	assert_int_equal(points_at(c, 7200000 + 120000), 0);
	assert_int_equal(points_at(c, 60000 + 120000), 1);
	dump = panelh_draw(&h);
	assert_non_null(strstr(dump, "Serving › 3 deployments"));
	assert_non_null(strstr(dump, "90|10"));
	assert_non_null(strstr(dump, "v5 challenger"));
	assert_non_null(strstr(dump, "v3 champion"));
	assert_non_null(strstr(dump, "▲")); /* v5's errors break churn-classifier's 1 % */
	assert_null(strstr(dump, " 0.0 ")); /* missing is "–", rates are there */
	free(dump);
	assert_int_equal(h.p.ops->badge(&h.p), 1);
	char status[96];
	h.p.ops->status(&h.p, status, sizeof status);
	assert_string_equal(status, "3 deployments · row 1 of 4");
	assert_int_equal(h.p.ops->key(&h.p, 'j'), PANEL_HANDLED); /* to v5, the canary's line */
	h.p.ops->recalc(&h.p);
	h.p.ops->status(&h.p, status, sizeof status);
	assert_string_equal(status, "3 deployments · row 2 of 4");

	struct jsonw *w = jsonw_new();
	jsonw_obj_begin(w, NULL);
	h.p.ops->json(&h.p, w);
	jsonw_obj_end(w);
	const char *js = jsonw_text(w, NULL);
	assert_non_null(strstr(js, "\"canary\":true"));
	assert_non_null(strstr(js, "\"percent\":10"));
	assert_non_null(strstr(js, "\"registry_version\":\"5\""));
	jsonw_free(&w);

	assert_string_equal(panelh_hint(&h, "Enter"), "canary view");
	assert_string_equal(panelh_hint(&h, "m"), "model in Registry");
	assert_int_equal(h.p.ops->key(&h.p, '\n'), PANEL_HANDLED);
	assert_string_equal(panelh_hint(&h, "Esc"), "back");
	assert_null(panelh_hint(&h, "Enter"));
	dump = panelh_draw(&h);
	assert_non_null(strstr(dump, "canary v5 (10 %) vs stable v3 (90 %)"));
	assert_non_null(strstr(dump, "verdict: "));
	assert_non_null(strstr(dump, "z = "));
	free(dump);
	assert_int_equal(h.p.ops->key(&h.p, 'f'), PANEL_HANDLED);
	assert_string_equal(h.opened, "samples model=churn-classifier version=v5");
	assert_int_equal(h.p.ops->key(&h.p, 27), PANEL_HANDLED);
	dump = panelh_draw(&h);
	assert_non_null(strstr(dump, "DEPLOYMENT"));
	free(dump);
	assert_int_equal(h.p.ops->key(&h.p, 'm'), PANEL_HANDLED);
	assert_string_equal(h.opened, "registry model=churn-classifier");
	assert_int_equal(h.p.ops->key(&h.p, 27), PANEL_BACK);

	/* After a write the panel polls at once (serving_refresh), not at its next round: the new
	 * split shows with no time passing. */
	canary_churn_v5(25);
	panelh_pump(&h, 300);
	dump = panelh_draw(&h);
	assert_non_null(strstr(dump, "90|10"));
	free(dump);
	serving_refresh(&h.p);
	panelh_pump(&h, 1000);
	dump = panelh_draw(&h);
	assert_non_null(strstr(dump, "75|25"));
	free(dump);
	canary_churn_v5(10); /* back as it was, for what follows */
	serving_refresh(&h.p);
	panelh_pump(&h, 1000);

	/* KServe down: its error, the rows stay, marked stale */
	cJSON_Delete(post("/-/sim/faults", "{\"prefix\": \"/apis/\", \"kind\": \"status\", "
	                                   "\"status\": 503, \"body\": \"upstream down\"}"));
	round_at(&h, 10);
	dump = panelh_draw(&h);
	assert_non_null(strstr(dump, "kserve down: KServe 503"));
	assert_non_null(strstr(dump, "stale: data from"));
	assert_non_null(strstr(dump, "90|10"));
	free(dump);
	/* back with the very list it gave before the outage (not parsed again): the error goes,
	 * the rows stay */
	cJSON_Delete(call(&main_sim, "DELETE", "/-/sim/faults", NULL, 200));
	round_at(&h, 10);
	dump = panelh_draw(&h);
	assert_null(strstr(dump, "kserve down"));
	assert_null(strstr(dump, "stale: data from"));
	assert_non_null(strstr(dump, "90|10"));
	free(dump);
	panelh_stop(&h);

	/* A new start with every source failing: the cache's rows at once, said to be cached */
	cJSON_Delete(post("/-/sim/faults", "{\"prefix\": \"/\", \"kind\": \"status\", "
	                                   "\"status\": 503, \"body\": \"down\"}"));
	panelh_clock_ms += 120000;
	harness_start(&h, c, COLS);
	dump = panelh_draw(&h);
	assert_non_null(strstr(dump, "cached 2m ago"));
	assert_non_null(strstr(dump, "90|10"));
	assert_non_null(strstr(dump, "v5 challenger"));
	free(dump);
	panelh_pump(&h, 1000);
	dump = panelh_draw(&h);
	assert_non_null(strstr(dump, "stale: data from"));
	assert_non_null(strstr(dump, "90|10"));
	/* both down: both said, in the one line (one of them alone hides the other's outage) */
	assert_non_null(strstr(dump, "scrape down: target 1 of 1: scrape 503"));
	assert_non_null(strstr(dump, " · kserve down: KServe 503"));
	free(dump);
	panelh_stop(&h);
	cache_close(&c);
	cJSON_Delete(call(&main_sim, "DELETE", "/-/sim/faults", NULL, 200));
}

static char *json_of(struct panelh *h)
{
	struct jsonw *w = jsonw_new();
	jsonw_obj_begin(w, NULL);
	h->p.ops->json(&h->p, w);
	jsonw_obj_end(w);
	char *js = strdup(jsonw_text(w, NULL));
	jsonw_free(&w);
	assert_non_null(js);
	return js;
}

static void expect(const char *text, const char *want, int present)
{
	if (!strstr(text, want) != !present)
		fail_msg("'%s' %s in\n%s", want, present ? "missing" : "present", text);
}

/* A world of its own where a revision takes 600 s to get ready and fraud-detector runs in raw
 * deployment mode: churn-classifier's canary of v5 starting (the old revision keeps 100 %, v5 at
 * 0 % under its own revision), search-ranking's canary of a model no registry version has, then
 * 600 s on: v5 at 10 % as the canary, search-ranking's canary failed without traffic. */
static void test_new_revision(void **state)
{
	(void)state;
	const char *args[] = {
	    "--time-scale",     "0",   "--start-ms",   "1760000000000",  "--seed", "7",
	    "--kserve-ready-s", "600", "--kserve-raw", "fraud-detector", NULL};
	char *src = version_source("churn-classifier", "5"), body[700];
	sim_stop(&main_sim);
	assert_int_equal(sim_start(&main_sim, args), 0);
	panelh_clock_ms = START_MS;
	screen_close();
	assert_int_equal(screen_open(WIDE, ROWS), 0);
	snprintf(body, sizeof body,
	         "{\"spec\":{\"predictor\":{\"canaryTrafficPercent\":10,\"model\":{\"storageUri\":"
	         "\"%s\"}}}}",
	         src);
	free(src);
	cJSON_Delete(isvc_patch("churn-classifier", MERGE_PATCH, body, 200));
	cJSON_Delete(isvc_patch("search-ranking", MERGE_PATCH,
	                        "{\"spec\":{\"predictor\":{\"canaryTrafficPercent\":20,\"model\":"
	                        "{\"storageUri\":\"s3://models/search/none\"}}}}",
	                        200));
	struct err e = {0};
	struct cache *c = cache_open(":memory:", &e);
	assert_non_null(c);
	struct panelh h;
	harness_start(&h, c, WIDE);
	panelh_pump(&h, 1500);
	round_at(&h, 60);
	round_at(&h, 60);
	char *dump = panelh_draw(&h), *js = json_of(&h);
	expect(dump, "churn-classifier-predictor-00001 100 %", 1);
	expect(dump, "starting: 0 %", 1);
	expect(dump, "churn-classifier-predictor-00002 0 % starting (not ready yet)", 1);
	expect(dump, "v5 challenger", 1);
	expect(dump, "… Ready Unknown new revision not ready yet", 1);
	expect(dump, "Ready is not True", 0);
	expect(dump, "90|10", 0);
	expect(dump, "% canary", 0);
	expect(dump, "raw deployment 100 %", 1);
	expect(dump, "canaries not supported", 1);
	expect(dump, "v2 champion", 1);
	expect(js,
	       "\"version\":\"v5\",\"registry_version\":\"5\",\"aliases\":\"challenger\","
	       "\"revision\":\"churn-classifier-predictor-00002\",\"percent\":0,\"canary\":false,"
	       "\"state\":\"starting\"",
	       1);
	expect(js, "\"not_ready\":\"new revision not ready yet\"", 1);
	expect(js, "\"raw_deployment\":true", 1);
	free(dump);
	free(js);
	assert_int_equal(h.p.ops->key(&h.p, '\n'), PANEL_HANDLED); /* churn-classifier, first */
	dump = panelh_draw(&h);
	expect(dump,
	       "no canary: v5 starting (revision churn-classifier-predictor-00002 not ready yet)",
	       1);
	free(dump);
	assert_int_equal(h.p.ops->key(&h.p, 27), PANEL_HANDLED);

	round_at(&h, 600);
	round_at(&h, 60); /* v5's series appeared with its first requests: a second rate */
	dump = panelh_draw(&h);
	js = json_of(&h);
	expect(dump, "90|10", 1);
	expect(dump, "churn-classifier-predictor-00002 10 % canary", 1);
	expect(dump, "churn-classifier-predictor-00001 90 %", 1);
	expect(dump, "Ready Unknown", 0);
	expect(dump, "failed: no traffic", 1);
	expect(dump, "search-ranking-predictor-00002 0 % failed: never got traffic", 1);
	expect(dump, "search-ranking-predictor-00001 100 %", 1);
	expect(dump, "✗ not Ready", 1);
	expect(dump, "RevisionFailed: Revision", 1);
	expect(js, "could not download the model from s3://models/search/none", 1);
	expect(js, "\"state\":\"failed\"", 1);
	free(dump);
	free(js);
	panelh_stop(&h);
	cache_close(&c);
	screen_close();
	assert_int_equal(screen_open(COLS, ROWS), 0);
}

int main(void)
{
	static const struct CMUnitTest tests[] = {
	    cmocka_unit_test(test_split_rates_canary),
	    cmocka_unit_test(test_new_revision),
	};
	/* the world's clock frozen at START_MS: it moves when a test advances it */
	const char *args[] = {"--time-scale", "0", "--start-ms", "1760000000000",
	                      "--seed",       "7", NULL};
	if (sim_start(&main_sim, args) != 0 || screen_open(COLS, ROWS) != 0)
		return 1;
	int rc = sim_run_with("serving_sim", tests, sizeof tests / sizeof tests[0], NULL, NULL);
	screen_close();
	sim_stop(&main_sim);
	return rc;
}
