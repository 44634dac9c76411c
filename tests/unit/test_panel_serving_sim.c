/* The Serving panel against ./mltop-sim --seed 7 (started here on a free port with its clock
 * frozen, stopped at the end), through the panel's own clients: KServe, a scrape of /metrics and
 * the MLflow registry. A canary of churn-classifier v5 at 10 % (a PATCH as an operator's
 * kubectl would send), three scrapes a minute apart of world time, then: the split 90|10 with the
 * revisions, each version's rates, the registry versions and aliases joined, the SLO marks of
 * [model.churn-classifier] and the badge, Enter for the canary verdict, Esc back, m for Registry,
 * f for Samples; and with KServe failing, its error line while the rows already shown stay. */
#include "tests/unit/test_sim_ops.h"

#include "clients/cache.h"
#include "clients/config.h"
#include "clients/http.h"
#include "clients/jsonw.h"
#include "clients/sched.h"
#include "panels/serving.h"
#include "tests/unit/screen.h"

#define START_MS 1760000000000LL
#define COLS     120
#define ROWS     40

static int64_t clock_ms = START_MS;

static int64_t fake_now(void)
{
	return clock_ms;
}

struct harness {
	struct sched *sched;
	struct http *http;
	struct config *cfg;
	struct context *ctx;
	struct panel_env env;
	struct panel p;
	char opened[512];
};

static void on_changed(void *app)
{
	(void)app;
}

static void on_open(void *app, const char *panel, const char *arg)
{
	struct harness *h = app;
	snprintf(h->opened, sizeof h->opened, "%s %s", panel, arg ? arg : "");
}

static void on_notify(void *app, const char *msg)
{
	(void)app;
	(void)msg;
}

static const char ini[] = "[model.churn-classifier]\nslo_p99_ms = 150\nslo_error_pct = 1\n";

static void harness_start(struct harness *h, struct cache *cache)
{
	char url[64], scrape[80], file[] = "/tmp/mltop-serving-XXXXXX";
	memset(h, 0, sizeof *h);
	snprintf(url, sizeof url, "http://127.0.0.1:%d", main_sim.port);
	snprintf(scrape, sizeof scrape, "%s/metrics", url);
	int fd = mkstemp(file);
	assert_true(fd >= 0);
	assert_int_equal(write(fd, ini, sizeof ini - 1), (ssize_t)(sizeof ini - 1));
	close(fd);
	char *argv[] = {"mltop", "-c",       file,   "--mlflow",    url,      "--kserve",
	                url,     "--scrape", scrape, "--namespace", "models", NULL};
	struct config_args a;
	struct err e = {0};
	assert_int_equal(config_args_parse(&a, 11, argv, &e), 0);
	h->cfg = config_load(&a, "/nonexistent", &e);
	config_args_fini(&a);
	unlink(file);
	assert_non_null(h->cfg);
	h->ctx = config_context_resolve(h->cfg, NULL, &e);
	assert_non_null(h->ctx);
	h->sched = sched_new(fake_now, fake_now, 7);
	h->http = http_new(NULL);
	h->env = (struct panel_env){
	    .sched = h->sched,
	    .http = h->http,
	    .cache = cache,
	    .cfg = h->cfg,
	    .ctx = h->ctx,
	    .now_ms = fake_now,
	    .utf8 = 1,
	    .rows = ROWS,
	    .cols = COLS,
	    .app = h,
	    .changed = on_changed,
	    .open = on_open,
	    .notify = on_notify,
	};
	h->p = (struct panel){.ops = &serving_ops, .env = &h->env, .dirty = 1};
	assert_int_equal(h->p.ops->create(&h->p, &e), 0);
	assert_int_equal(h->p.ops->polls(&h->p),
	                 (1u << SRC_SCRAPE) | (1u << SRC_KSERVE) | (1u << SRC_MLFLOW));
	h->p.ops->schedule(&h->p, h->sched);
}

static void harness_stop(struct harness *h)
{
	h->p.ops->destroy(&h->p);
	sched_free(&h->sched);
	http_free(&h->http);
	config_context_free(&h->ctx);
	config_free(&h->cfg);
}

static void pump(struct harness *h, int ms)
{
	int64_t deadline = now_ms() + ms;
	while (now_ms() < deadline) {
		int ready = 0;
		sched_run_due(h->sched);
		http_wait(h->http, -1, 10, &ready);
		http_perform(h->http);
	}
}

/* The help of key k in the panel's current hints (footer and ?), NULL when absent. */
static const char *hint(const struct harness *h, const char *k)
{
	for (const struct keyhint *x = h->p.ops->hints(&h->p); x->key; x++)
		if (strcmp(x->key, k) == 0)
			return x->help;
	return NULL;
}

static char *draw(struct harness *h)
{
	h->p.ops->recalc(&h->p);
	werase(stdscr);
	h->p.ops->draw(&h->p, stdscr, NULL);
	char *dump = screen_dump(stdscr);
	assert_non_null(dump);
	return dump;
}

/* A poll round at world time + s: the simulator's clock and ours move together. */
static void round_at(struct harness *h, int s)
{
	advance_s(s);
	clock_ms += (int64_t)s * 1000;
	sched_refresh(h->sched, -1);
	pump(h, 1500);
}

static void test_split_rates_canary(void **state)
{
	(void)state;
	canary_churn_v5(10);
	struct err e = {0};
	struct cache *c = cache_open(":memory:", &e);
	assert_non_null(c);
	struct harness h;
	harness_start(&h, c);
	char *dump = draw(&h); /* nothing cached, nothing answered yet */
	assert_non_null(strstr(dump, "No deployment yet: waiting for KServe and the metrics."));
	assert_non_null(strstr(dump, "waiting for the sources"));
	free(dump);
	pump(&h, 1500);
	assert_true(h.p.ops->busy(&h.p)); /* one scrape: no rate yet, a snapshot waits */
	round_at(&h, 60);
	assert_false(h.p.ops->busy(&h.p));
	round_at(&h, 60); /* v5's series appeared with its first requests: a second rate */
	dump = draw(&h);
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

	assert_string_equal(hint(&h, "Enter"), "canary view");
	assert_string_equal(hint(&h, "m"), "model in Registry");
	assert_int_equal(h.p.ops->key(&h.p, '\n'), PANEL_HANDLED);
	assert_string_equal(hint(&h, "Esc"), "back");
	assert_null(hint(&h, "Enter"));
	dump = draw(&h);
	assert_non_null(strstr(dump, "canary v5 (10 %) vs stable v3 (90 %)"));
	assert_non_null(strstr(dump, "verdict: "));
	assert_non_null(strstr(dump, "z = "));
	free(dump);
	assert_int_equal(h.p.ops->key(&h.p, 'f'), PANEL_HANDLED);
	assert_string_equal(h.opened, "samples model=churn-classifier version=v5");
	assert_int_equal(h.p.ops->key(&h.p, 27), PANEL_HANDLED);
	dump = draw(&h);
	assert_non_null(strstr(dump, "DEPLOYMENT"));
	free(dump);
	assert_int_equal(h.p.ops->key(&h.p, 'm'), PANEL_HANDLED);
	assert_string_equal(h.opened, "registry model=churn-classifier");
	assert_int_equal(h.p.ops->key(&h.p, 27), PANEL_BACK);

	/* After a write the panel polls at once (serving_refresh), not at its next round: the new
	 * split shows with no time passing. */
	canary_churn_v5(25);
	pump(&h, 300);
	dump = draw(&h);
	assert_non_null(strstr(dump, "90|10"));
	free(dump);
	serving_refresh(&h.p);
	pump(&h, 1000);
	dump = draw(&h);
	assert_non_null(strstr(dump, "75|25"));
	free(dump);
	canary_churn_v5(10); /* back as it was, for what follows */
	serving_refresh(&h.p);
	pump(&h, 1000);

	/* KServe down: its error, the rows stay, marked stale */
	cJSON_Delete(post("/-/sim/faults", "{\"prefix\": \"/apis/\", \"kind\": \"status\", "
	                                   "\"status\": 503, \"body\": \"upstream down\"}"));
	round_at(&h, 10);
	dump = draw(&h);
	assert_non_null(strstr(dump, "kserve down: KServe 503"));
	assert_non_null(strstr(dump, "stale: data from"));
	assert_non_null(strstr(dump, "90|10"));
	free(dump);
	harness_stop(&h);

	/* A new start with every source failing: the cache's rows at once, said to be cached */
	cJSON_Delete(post("/-/sim/faults", "{\"prefix\": \"/\", \"kind\": \"status\", "
	                                   "\"status\": 503, \"body\": \"down\"}"));
	clock_ms += 120000;
	harness_start(&h, c);
	dump = draw(&h);
	assert_non_null(strstr(dump, "cached 2m ago"));
	assert_non_null(strstr(dump, "90|10"));
	assert_non_null(strstr(dump, "v5 challenger"));
	free(dump);
	pump(&h, 1000);
	dump = draw(&h);
	assert_non_null(strstr(dump, "stale: data from"));
	assert_non_null(strstr(dump, "90|10"));
	free(dump);
	harness_stop(&h);
	cache_close(&c);
	cJSON_Delete(call(&main_sim, "DELETE", "/-/sim/faults", NULL, 200));
}

int main(void)
{
	static const struct CMUnitTest tests[] = {
	    cmocka_unit_test(test_split_rates_canary),
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
