/* test_scrape: the scrape client on two test servers (two model servers): both fetched each
 * poll, figures only from the second scrape on, replicas summed, a failed target or bad lines
 * said in the notice, every target down an error; the figures' points and rows filed in a real
 * cache (metric-samples table) and read back by a new client, as after a restart. */
#include <math.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include <cmocka.h>

#include "clients/cache.h"
#include "clients/http.h"
#include "clients/scrape.h"
#include "testsrv.h"

static int64_t now_ms = 1704074400000LL;

static int64_t fake_now(void)
{
	return now_ms;
}

struct fx {
	struct testsrv *a, *b;
	struct http *h;
	struct cache *cache;
	struct cache_scope scope;
	char server[2048];
	int events, rc;
	size_t scrapes, rejected, failed;
	char notice[1024], err[1024];
	struct prom_table t;
};

static int setup(void **state)
{
	struct fx *f = calloc(1, sizeof *f);
	f->a = testsrv_start();
	f->b = testsrv_start();
	f->h = http_new(NULL);
	f->cache = cache_open(":memory:", NULL);
	*state = f;
	return f->a && f->b && f->h && f->cache ? 0 : -1;
}

static int teardown(void **state)
{
	struct fx *f = *state;
	testsrv_stop(&f->a);
	testsrv_stop(&f->b);
	http_free(&f->h);
	cache_close(&f->cache);
	prom_table_fini(&f->t);
	free(f);
	return 0;
}

static void on_event(void *ud, struct scrape_event *ev)
{
	struct fx *f = ud;
	f->events++;
	f->rc = ev->rc;
	f->scrapes = ev->scrapes;
	f->rejected = ev->rejected;
	f->failed = ev->failed;
	snprintf(f->notice, sizeof f->notice, "%s", ev->notice ? ev->notice : "");
	snprintf(f->err, sizeof f->err, "%s", ev->rc < 0 && ev->err ? ev->err->msg : "");
	if (ev->table) {
		prom_table_fini(&f->t);
		f->t = *ev->table;
		free(ev->table);
		ev->table = NULL;
	}
}

static void sample(void *ud, const char *series, int64_t ts, double v)
{
	struct fx *f = ud;
	assert_int_equal(cache_sample_put(f->cache, &f->scope, series, ts, v, NULL), 0);
}

static void put(void *ud, const char *key, const char *body, size_t len, int64_t at)
{
	struct fx *f = ud;
	assert_int_equal(cache_put(f->cache, &f->scope, key, body, len, at, NULL), 0);
}

static int get(void *ud, const char *key, char **body, size_t *len, int64_t *at)
{
	struct fx *f = ud;
	return cache_get(f->cache, &f->scope, key, body, len, at, NULL);
}

static int range(void *ud, const char *series, int64_t from, int64_t to,
                 int (*fn)(void *, int64_t, double), void *fn_ud)
{
	struct fx *f = ud;
	return cache_sample_range(f->cache, &f->scope, series, from, to, fn, fn_ud, NULL);
}

/* The body of a model server that has served n requests per version (5 % errors on v5). */
static void serve(struct testsrv *srv, double n, const char *extra)
{
	char b[2048];
	snprintf(
	    b, sizeof b,
	    "# TYPE model_requests_total counter\n"
	    "model_requests_total{model=\"churn\",version=\"v3\",code=\"200\"} %g\n"
	    "model_requests_total{model=\"churn\",version=\"v5\",code=\"200\"} %g\n"
	    "model_requests_total{model=\"churn\",version=\"v5\",code=\"500\"} %g\n"
	    "# TYPE model_request_duration_seconds histogram\n"
	    "model_request_duration_seconds_bucket{model=\"churn\",version=\"v3\",le=\"0.1\"} %g\n"
	    "model_request_duration_seconds_bucket{model=\"churn\",version=\"v3\",le=\"+Inf\"} %g\n"
	    "%s",
	    n, n * 0.95, n * 0.05, n, n, extra);
	testsrv_add(srv, "GET", "/metrics", 200, "text/plain; version=0.0.4", b);
}

/* A client of both servers; history: the figures filed whole (0: every one). */
static struct scrape *client(struct fx *f, unsigned history)
{
	char ua[256], ub[256];
	const char *urls[] = {testsrv_url_for(f->a, "/metrics", ua, sizeof ua),
	                      testsrv_url_for(f->b, "/metrics", ub, sizeof ub)};
	assert_int_equal(scrape_server_id(urls, 2, f->server, sizeof f->server), 0);
	f->scope = (struct cache_scope){.ctx = "default", .server = f->server, .source = "scrape"};
	struct scrape_config sc = {.urls = urls,
	                           .n_urls = 2,
	                           .now_ms = fake_now,
	                           .window_ms = 60000,
	                           .history = history,
	                           .sample = sample,
	                           .put = put,
	                           .ud = f};
	struct scrape *s = scrape_new(f->h, &sc, NULL);
	assert_non_null(s);
	return s;
}

static void poll_once(struct fx *f, struct scrape *s)
{
	struct timespec ts = {0, 2000000};
	f->events = 0;
	assert_true(scrape_poll(s, on_event, f, NULL) > 0);
	for (int i = 0; i < 5000 && !f->events; i++) {
		http_perform(f->h);
		nanosleep(&ts, NULL);
	}
	assert_int_equal(f->events, 1);
}

static void test_two_targets(void **state)
{
	struct fx *f = *state;
	struct scrape *s = client(f, 0);
	serve(f->a, 1000, "");
	serve(f->b, 3000, "");
	poll_once(f, s);
	assert_int_equal(f->rc, 0);
	assert_int_equal(f->scrapes, 1);
	assert_int_equal(f->t.n, 2); /* rows known, figures not yet: one scrape gives no rate */
	assert_true(isnan(f->t.rows[0].value[PROM_FIG_RPS]));
	assert_string_equal(f->notice, "");

	now_ms += 15000;
	serve(f->a, 1000 + 15 * 10, "");
	serve(f->b, 3000 + 15 * 30, "garbage{ line\n");
	poll_once(f, s);
	assert_int_equal(f->scrapes, 2);
	const struct prom_row *v3 = prom_table_find(&f->t, "churn", "v3");
	const struct prom_row *v5 = prom_table_find(&f->t, "churn", "v5");
	assert_non_null(v3);
	/* 10 + 30 per second, seen over 15 s of a 60 s window: extrapolated by half a gap, as
	 * Prometheus does: (150 + 450) * 22.5 / 15 / 60 */
	assert_true(fabs(v3->value[PROM_FIG_RPS] - 15) < 1e-9);
	assert_true(fabs(v5->value[PROM_FIG_ERROR_RATIO] - 0.05) < 1e-9);
	assert_true(isnan(v3->value[PROM_FIG_ERROR_RATIO])); /* no 5xx series for v3 */
	assert_true(fabs(v3->value[PROM_FIG_P99] - 0.099) < 1e-9);
	assert_int_equal(f->rejected, 1);
	assert_string_equal(f->notice, "1 lines rejected (line 8: missing '=' after a label name)");

	/* one target down: the other's figures, and the notice says which */
	now_ms += 15000;
	testsrv_add(f->b, "GET", "/metrics", 500, "text/html", "<h1>oops</h1>");
	serve(f->a, 1000 + 30 * 10, "");
	poll_once(f, s);
	assert_int_equal(f->rc, 0);
	assert_int_equal(f->failed, 1);
	assert_non_null(strstr(f->notice, "target 2 of 2: scrape 500 Internal Server Error: oops"));
	/* both down: an error */
	testsrv_add(f->a, "GET", "/metrics", 503, "text/plain", "down");
	poll_once(f, s);
	assert_true(f->rc < 0);
	assert_int_equal(f->failed, 2);
	scrape_free(&s);

	/* a restart: the sparklines come back from the cache before any scrape */
	struct scrape *again = client(f, 0);
	struct prom_table t = {0};
	assert_int_equal(scrape_restore(again, get, range, f, &t), 2);
	v3 = prom_table_find(&t, "churn", "v3");
	assert_non_null(v3);
	assert_int_equal(v3->spark[PROM_FIG_RPS].n, 2);
	assert_true(fabs(v3->spark[PROM_FIG_RPS].pts[0].v - 15) < 1e-9);
	assert_true(v3->value[PROM_FIG_RPS] == v3->spark[PROM_FIG_RPS].pts[1].v); /* last known */
	prom_table_fini(&t);
	scrape_free(&again);
}

/* A body of nothing but bytes that are no exposition lines (a proxy's garbage) is a failed
 * scrape, as Prometheus counts one it cannot parse, never a target that lost its series. */
static void test_garbage_is_a_failure(void **state)
{
	struct fx *f = *state;
	struct scrape *s = client(f, 0);
	testsrv_add(f->a, "GET", "/metrics", 200, "text/plain", "\xff\xfe\x80\x81{\x82\n\xc3\x28");
	serve(f->b, 1000, "");
	poll_once(f, s);
	assert_int_equal(f->rc, 0);
	assert_int_equal(f->failed, 1);
	assert_non_null(
	    strstr(f->notice, "target 1 of 2: scrape 200: not the text exposition format (line 1"));
	testsrv_add(f->b, "GET", "/metrics", 200, "text/plain", "\xff\xfe\x80\x81\n");
	poll_once(f, s);
	assert_true(f->rc < 0);
	assert_int_equal(f->failed, 2);
	assert_non_null(strstr(f->err, "scrape 200: not the text exposition format"));
	scrape_free(&s);
}

static int count_point(void *ud, int64_t ts, double v)
{
	(void)ts, (void)v;
	++*(int *)ud;
	return 0;
}

/* The points of a figure of churn/v3 in the cache. */
static int filed(struct fx *f, enum prom_fig fig)
{
	int n = 0;
	char *name = scrape_series_name(fig, "churn", "v3");
	range(f, name, 0, INT64_MAX, count_point, &n);
	free(name);
	return n;
}

static int64_t rows_filed_at(struct fx *f)
{
	char *body = NULL;
	int64_t at = 0;
	assert_int_equal(get(f, SCRAPE_ROWS_KEY, &body, NULL, &at), 0);
	free(body);
	return at;
}

/* Rounds a second apart: the first round's rows are filed at once, then the points every
 * SCRAPE_FLUSH_MS, all of them since the last time for the figure kept whole (p99: one point per
 * stretch of PROM_SPARK_STEP_MS, its highest at its newest time), the newest only for the
 * others; scrape_flush files what is pending; a restart gets both back. The rounds start 4 s
 * before a stretch begins: p99 (from the second round, rates need two) has a point in the stretch
 * before (t0 + 1 s to t0 + 3 s) and one in the next (from t0 + 4 s). */
static void test_flush(void **state)
{
	struct fx *f = *state;
	now_ms = 1704074400000LL + 5 * PROM_SPARK_STEP_MS - 4000;
	int64_t t0 = now_ms;
	struct scrape *s = client(f, 1u << PROM_FIG_P99);
	for (int i = 0; i <= 9; i++, now_ms += 1000) {
		serve(f->a, 1000 + i * 10, "");
		serve(f->b, 3000 + i * 30, "");
		poll_once(f, s);
	}
	assert_false(isnan(f->t.rows[0].value[PROM_FIG_RPS])); /* rates since the second round */
	assert_int_equal(rows_filed_at(f), t0);
	assert_int_equal(filed(f, PROM_FIG_P99), 0);
	assert_int_equal(filed(f, PROM_FIG_RPS), 0);
	serve(f->a, 1100, "");
	serve(f->b, 3300, "");
	poll_once(f, s); /* 10 s after the first: all at once, the two stretches' points */
	assert_int_equal(rows_filed_at(f), t0 + 10000);
	assert_int_equal(filed(f, PROM_FIG_P99), 2);
	assert_int_equal(filed(f, PROM_FIG_RPS), 1);
	now_ms += 1000;
	serve(f->a, 1110, "");
	poll_once(f, s);
	assert_int_equal(filed(f, PROM_FIG_P99), 2);
	scrape_flush(s); /* the second stretch's point again, now at t0 + 11 s */
	scrape_flush(s);
	assert_int_equal(rows_filed_at(f), t0 + 11000);
	assert_int_equal(filed(f, PROM_FIG_P99), 3);
	assert_int_equal(filed(f, PROM_FIG_RPS), 2);
	const struct prom_row *row = prom_table_find(&f->t, "churn", "v3");
	double rps = row->value[PROM_FIG_RPS];
	/* the tables handed out carry the sparkline drawn, not the others */
	assert_int_equal(row->spark[PROM_FIG_P99].n, 2);
	assert_int_equal(row->spark[PROM_FIG_RPS].n, 0);
	scrape_free(&s);

	struct scrape *again = client(f, 1u << PROM_FIG_P99);
	struct prom_table t = {0};
	assert_int_equal(scrape_restore(again, get, range, f, &t), 2);
	const struct prom_row *v3 = prom_table_find(&t, "churn", "v3");
	assert_int_equal(v3->spark[PROM_FIG_P99].n, 2); /* a stretch filed twice is one point */
	assert_true(v3->value[PROM_FIG_RPS] == rps);    /* the last value */
	/* what came back is not filed again (rates need two rounds again) */
	for (int i = 0; i < 2; i++) {
		now_ms += 1000;
		serve(f->a, 1120 + i * 10, "");
		poll_once(f, again);
	}
	scrape_flush(again);
	assert_int_equal(filed(f, PROM_FIG_P99), 4);
	prom_table_fini(&t);
	scrape_free(&again);
}

static void test_names(void **state)
{
	(void)state;
	char *n = scrape_series_name(PROM_FIG_P95, "a/b", "");
	assert_string_equal(n, "p95/3:a/b/0:");
	free(n);
	char id[256];
	const char *urls[] = {"http://B:9000/metrics", "http://a/metrics"};
	assert_int_equal(scrape_server_id(urls, 2, id, sizeof id), 0);
	assert_string_equal(id, "http://a/metrics http://b:9000/metrics");
	assert_true(scrape_server_id(urls, 2, id, 20) < 0);
	const char *bad[] = {"ftp://x"};
	assert_true(scrape_server_id(bad, 1, id, sizeof id) < 0);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
	    cmocka_unit_test_setup_teardown(test_two_targets, setup, teardown),
	    cmocka_unit_test_setup_teardown(test_garbage_is_a_failure, setup, teardown),
	    cmocka_unit_test_setup_teardown(test_flush, setup, teardown),
	    cmocka_unit_test(test_names),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
