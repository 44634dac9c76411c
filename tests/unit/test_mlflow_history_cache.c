/* Metric histories through the cache: mlflow_history files each run's series under
 * "history/<run>/<metric>" (a bulk-interval answer split per run, get-history pages joined per run,
 * a long series cut down, nothing for a failed answer), mlflow_restore_history builds the same
 * history back (missing runs absent and reported, a damaged entry as missing), and with the MLflow
 * server stopped the run detail and the compare chart draw min/max and curves from the cache at
 * once, "cached 3m ago", then "stale: data 3m old" with the error once the refresh fails. */
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
#include "clients/config.h"
#include "clients/http.h"
#include "clients/mlflow.h"
#include "clients/mlflow_cache.h"
#include "tests/unit/kvmap.h"
#include "tests/unit/mlflowfx.h"
#include "clients/mlflow_req.h"
#include "clients/mlflow_parse_runs.h"
#include "panels/compare_chart.h"
#include "panels/mlsrc.h"
#include "panels/run_detail.h"
#include "tests/unit/screen.h"
#include "tests/unit/test_compare.h"
#include "tests/unit/testsrv.h"

#define API  "/api/2.0/mlflow/"
#define BULK API "metrics/get-history-bulk-interval"
#define ONE  API "metrics/get-history"
#define T0   1790000000000LL
#define ROWS 37
#define COLS 120

static int64_t clock_ms = T0;

static int64_t fake_now(void)
{
	return clock_ms;
}

static int64_t mono_ms(void)
{
	struct timespec ts;
	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (int64_t)ts.tv_sec * 1000 + ts.tv_nsec / 1000000;
}

/* ---- an in-memory cache for the client ---- */

static int history_keys(const struct kvmap *c)
{
	int n = 0;
	for (int i = 0; i < c->n; i++)
		n += strncmp(c->key[i], "history/", 8) == 0;
	return n;
}

/* ---- the client against a test server ---- */

struct fx {
	struct testsrv *srv;
	struct http *h;
	struct mlflow *m;
	struct kvmap kv;
	int finals;
	int rc;
	struct mlflow_history *live;
};

static int setup(void **state)
{
	struct fx *f = calloc(1, sizeof *f);
	assert_non_null(f);
	clock_ms = T0;
	struct mlflow_config cfg = {.now_ms = fake_now, .put = kvmap_put, .put_ud = &f->kv};
	mlflowfx_start(&f->srv, &f->h, &f->m, cfg, "");
	*state = f;
	return 0;
}

static int teardown(void **state)
{
	struct fx *f = *state;
	mlflowfx_stop(&f->srv, &f->h, &f->m);
	kvmap_free(&f->kv);
	mlflow_history_free(&f->live);
	free(f);
	return 0;
}

static void on_event(void *ud, struct mlflow_event *ev)
{
	struct fx *f = ud;
	if (!ev->done)
		return;
	f->finals++;
	f->rc = ev->rc;
	mlflow_history_free(&f->live);
	f->live = ev->history;
	ev->history = NULL;
}

/* Fetches the history of metric for the runs and drives the client to its final event. */
static void fetch(struct fx *f, const char *const *ids, size_t n, const char *metric, int points)
{
	int want = f->finals + 1;
	assert_true(mlflow_history(f->m, ids, n, metric, points, on_event, f, NULL) > 0);
	int64_t deadline = mono_ms() + 10000;
	while (f->finals < want && mono_ms() < deadline) {
		http_perform(f->h);
		if (f->finals < want)
			http_wait(f->h, -1, 20, NULL);
	}
	assert_int_equal(f->finals, want);
}

/* Point by point, NaN equal to NaN. */
static void assert_same_series(const struct mlflow_series *a, const struct mlflow_series *b)
{
	assert_non_null(a);
	assert_non_null(b);
	assert_string_equal(a->run_id, b->run_id);
	assert_int_equal(a->n, b->n);
	for (size_t i = 0; i < a->n; i++) {
		const struct mlflow_point *x = &a->points[i], *y = &b->points[i];
		assert_int_equal(x->step, y->step);
		assert_int_equal(x->timestamp, y->timestamp);
		if (isnan(x->value))
			assert_true(isnan(y->value));
		else
			assert_true(x->value == y->value);
	}
}

/* r1: three points out of order and a value with 17 digits; r2: NaN and ±Infinity; r3: none. */
static const char bulk_body[] =
    "{\"metrics\":["
    "{\"key\":\"auc\",\"value\":0.8,\"timestamp\":1003,\"step\":20,\"run_id\":\"r1\"},"
    "{\"key\":\"auc\",\"value\":0.1234567890123456,\"timestamp\":1001,\"step\":0,"
    "\"run_id\":\"r1\"},"
    "{\"key\":\"auc\",\"value\":\"NaN\",\"timestamp\":2001,\"step\":0,\"run_id\":\"r2\"},"
    "{\"key\":\"auc\",\"value\":0.7,\"timestamp\":1002,\"step\":10,\"run_id\":\"r1\"},"
    "{\"key\":\"auc\",\"value\":\"Infinity\",\"timestamp\":2002,\"step\":1,\"run_id\":\"r2\"},"
    "{\"key\":\"auc\",\"value\":\"-Infinity\",\"timestamp\":2003,\"step\":2,\"run_id\":\"r2\"}"
    "]}";

static const char *const three[] = {"r1", "r2", "r3"};

static void test_bulk_filed_per_run(void **state)
{
	struct fx *f = *state;
	assert_int_equal(testsrv_add(f->srv, "GET", BULK, 200, "application/json", bulk_body), 0);
	fetch(f, three, 3, "auc", 0);
	assert_int_equal(f->rc, 0);
	assert_int_equal(history_keys(&f->kv), 3); /* one entry per run, r3's empty */
	assert_true(kvmap_find(&f->kv, "history/r1/auc") >= 0);
	assert_true(kvmap_find(&f->kv, "history/r2/auc") >= 0);
	int r3 = kvmap_find(&f->kv, "history/r3/auc");
	assert_true(r3 >= 0);
	assert_string_equal(f->kv.val[r3], "{\"sampled\":true,\"metrics\":[]}");
	assert_int_equal(f->kv.when[r3], T0);

	clock_ms = T0 + 180000;
	struct mlflow_history *h = NULL;
	int64_t when = 0;
	assert_int_equal(
	    mlflow_restore_history(kvmap_get, &f->kv, three, 3, "auc", &h, &when, NULL), 0);
	assert_non_null(h);
	assert_int_equal(when, T0);
	assert_string_equal(h->metric_key, "auc");
	assert_true(h->sampled);
	assert_int_equal(h->n, 3);
	for (int i = 0; i < 2; i++)
		assert_same_series(mlflow_history_find(f->live, three[i]),
		                   mlflow_history_find(h, three[i]));
	const struct mlflow_series *s = mlflow_history_find(h, "r1");
	assert_int_equal(s->points[0].step, 0); /* sorted */
	assert_true(s->points[0].value == 0.1234567890123456);
	s = mlflow_history_find(h, "r2");
	assert_true(isinf(s->points[1].value) && s->points[1].value > 0);
	assert_true(isinf(s->points[2].value) && s->points[2].value < 0);
	assert_null(mlflow_history_find(f->live, "r3"));      /* live: no point, no series */
	assert_int_equal(mlflow_history_find(h, "r3")->n, 0); /* cached: known empty */
	mlflow_history_free(&h);
}

static void test_restore_reports_missing(void **state)
{
	struct fx *f = *state;
	assert_int_equal(testsrv_add(f->srv, "GET", BULK, 200, "application/json", bulk_body), 0);
	fetch(f, three, 2, "auc", 0);
	struct mlflow_history *h = NULL;
	const char *const some[] = {"r9", "r1", "r3", "r1"};
	assert_int_equal(mlflow_restore_history(kvmap_get, &f->kv, some, 4, "auc", &h, NULL, NULL),
	                 MLFLOW_RESTORE_SOME);
	assert_non_null(h);
	assert_int_equal(h->n, 1); /* r1 once; r9 and r3 were never filed */
	assert_null(mlflow_history_find(h, "r9"));
	assert_null(mlflow_history_find(h, "r3"));
	assert_int_equal(mlflow_history_find(h, "r1")->n, 3);
	mlflow_history_free(&h);
	/* nothing cached for these runs, or for this metric: 1, and no history */
	const char *const none[] = {"r8", "r9"};
	assert_int_equal(mlflow_restore_history(kvmap_get, &f->kv, none, 2, "auc", &h, NULL, NULL),
	                 1);
	assert_null(h);
	assert_int_equal(
	    mlflow_restore_history(kvmap_get, &f->kv, three, 2, "loss", &h, NULL, NULL), 1);
	assert_null(h);
	/* a damaged entry is as good as none */
	kvmap_put(&f->kv, "history/r2/auc", "{\"metrics\":[{", 13, T0);
	assert_int_equal(mlflow_restore_history(kvmap_get, &f->kv, three, 2, "auc", &h, NULL, NULL),
	                 MLFLOW_RESTORE_SOME);
	assert_non_null(mlflow_history_find(h, "r1"));
	assert_null(mlflow_history_find(h, "r2"));
	mlflow_history_free(&h);
}

/* The oldest entry dates the restore; one full (not sampled) series makes it not sampled. */
static void test_restore_age_and_sampled(void **state)
{
	struct fx *f = *state;
	kvmap_put(&f->kv, "history/a/m",
	          "{\"sampled\":true,\"metrics\":[{\"step\":1,\"value\":1}]}",
	          strlen("{\"sampled\":true,\"metrics\":[{\"step\":1,\"value\":1}]}"), T0 - 5000);
	kvmap_put(&f->kv, "history/b/m",
	          "{\"sampled\":false,\"metrics\":[{\"step\":1,\"value\":2}]}",
	          strlen("{\"sampled\":false,\"metrics\":[{\"step\":1,\"value\":2}]}"), T0 - 9000);
	const char *const ab[] = {"a", "b"};
	struct mlflow_history *h = NULL;
	int64_t when = 0;
	assert_int_equal(mlflow_restore_history(kvmap_get, &f->kv, ab, 1, "m", &h, &when, NULL), 0);
	assert_true(h->sampled);
	assert_int_equal(when, T0 - 5000);
	mlflow_history_free(&h);
	assert_int_equal(mlflow_restore_history(kvmap_get, &f->kv, ab, 2, "m", &h, &when, NULL), 0);
	assert_false(h->sampled);
	assert_int_equal(when, T0 - 9000);
	mlflow_history_free(&h);
}

/* An old server (no bulk route): get-history per run, pages joined, each run filed once whole. */
static void test_fallback_filed_per_run(void **state)
{
	struct fx *f = *state;
	static const char page[] =
	    "{\"metrics\":[{\"key\":\"val/loss\",\"value\":0.5,\"timestamp\":7,\"step\":3},"
	    "{\"key\":\"val/loss\",\"value\":0.9,\"timestamp\":5,\"step\":1}]}";
	assert_int_equal(testsrv_add(f->srv, "GET", ONE, 200, "application/json", page), 0);
	fetch(f, three, 2, "val/loss", 0);
	assert_int_equal(f->rc, 0);
	assert_false(f->live->sampled);
	assert_true(kvmap_find(&f->kv, "history/r1/val/loss") >= 0);
	assert_true(kvmap_find(&f->kv, "history/r2/val/loss") >= 0);
	struct mlflow_history *h = NULL;
	assert_int_equal(
	    mlflow_restore_history(kvmap_get, &f->kv, three, 2, "val/loss", &h, NULL, NULL), 0);
	assert_false(h->sampled);
	for (int i = 0; i < 2; i++)
		assert_same_series(mlflow_history_find(f->live, three[i]),
		                   mlflow_history_find(h, three[i]));
	mlflow_history_free(&h);
}

/* A full history longer than max_points is filed cut down to max_points, first and last kept. */
static void test_long_series_cut(void **state)
{
	struct fx *f = *state;
	size_t cap = 3000 * 64 + 64, len = 0;
	char *body = malloc(cap);
	assert_non_null(body);
	len += (size_t)snprintf(body, cap, "{\"metrics\":[");
	for (int i = 0; i < 3000; i++)
		len += (size_t)snprintf(body + len, cap - len,
		                        "%s{\"value\":%d,\"timestamp\":%d,\"step\":%d}",
		                        i ? "," : "", 2999 - i, 100 + i, i);
	snprintf(body + len, cap - len, "]}");
	assert_int_equal(testsrv_add(f->srv, "GET", ONE, 200, "application/json", body), 0);
	free(body);
	fetch(f, three, 1, "loss", 100);
	assert_int_equal(mlflow_history_find(f->live, "r1")->n, 3000);
	struct mlflow_history *h = NULL;
	assert_int_equal(
	    mlflow_restore_history(kvmap_get, &f->kv, three, 1, "loss", &h, NULL, NULL), 0);
	const struct mlflow_series *s = mlflow_history_find(h, "r1");
	assert_int_equal(s->n, 100);
	assert_int_equal(s->points[0].step, 0);
	assert_int_equal(s->points[99].step, 2999);
	assert_true(s->points[99].value == 0);
	for (size_t i = 1; i < s->n; i++)
		assert_true(s->points[i].step > s->points[i - 1].step);
	assert_true(h->sampled); /* cut down: no longer the whole history */
	mlflow_history_free(&h);
}

static void test_failed_answer_files_nothing(void **state)
{
	struct fx *f = *state;
	assert_int_equal(
	    testsrv_add(f->srv, "GET", BULK, 502, "text/html", "<html>Bad Gateway</html>"), 0);
	fetch(f, three, 3, "auc", 0);
	assert_true(f->rc < 0);
	assert_int_equal(history_keys(&f->kv), 0);
}

static void test_keys_and_bodies(void **state)
{
	(void)state;
	char *k = mlflow_req_history_key("abc", "val/loss");
	assert_string_equal(k, "history/abc/val/loss");
	free(k);
	struct mlflow_point pts[] = {{1, 10, 0.5}, {2, 20, NAN}};
	struct mlflow_series s = {.run_id = "x", .points = pts, .n = 2};
	size_t len = 0;
	char *b = mlflow_req_history_body(&s, 0, 0, &len);
	assert_string_equal(b, "{\"sampled\":false,\"metrics\":[{\"step\":1,\"timestamp\":10,"
	                       "\"value\":0.5},{\"step\":2,\"timestamp\":20,\"value\":\"NaN\"}]}");
	assert_int_equal(len, strlen(b));
	assert_false(mlflow_req_history_sampled(b, len));
	free(b);
	b = mlflow_req_history_body(&s, 0, 1, &len); /* one point kept: the last */
	assert_string_equal(b, "{\"sampled\":true,\"metrics\":[{\"step\":2,\"timestamp\":20,"
	                       "\"value\":\"NaN\"}]}");
	assert_true(mlflow_req_history_sampled(b, len));
	free(b);
}

/* ---- the views, from the cache, with the server stopped ---- */

struct vx {
	struct testsrv *srv;
	struct http *http;
	struct cache *cache;
	struct context ctx;
	char url[128]; /* the server's, kept when it stops: the cache files answers under it */
	struct panel_env env;
	struct mlflow *m;
	struct runstore *store;
	int changed;
};

static void on_changed(void *app)
{
	struct vx *v = app;
	v->changed++;
}

static void chart_changed(void *ud)
{
	on_changed(ud);
}

/* A get-history-bulk-interval body: each run's line through its points, steps 0 to 100. */
static char *curves_body(void)
{
	size_t cap = 1 << 15, len = 0;
	char *b = malloc(cap);
	assert_non_null(b);
	len += (size_t)snprintf(b, cap, "{\"metrics\":[");
	for (int r = 0; r < 3; r++)
		for (int step = 0; step <= 100; step += 5)
			len += (size_t)snprintf(
			    b + len, cap - len,
			    "%s{\"value\":%.3f,\"timestamp\":%lld,\"step\":%d,\"run_id\":\"r%d\"}",
			    r || step ? "," : "", 0.5 + 0.004 * step * (r + 1) / 3.0,
			    (long long)(T0 - 3600000 + step * 1000), step, r + 1);
	snprintf(b + len, cap - len, "]}");
	return b;
}

static void views_start(struct vx *v)
{
	memset(v, 0, sizeof *v);
	clock_ms = T0;
	v->srv = testsrv_start();
	assert_non_null(v->srv);
	char *body = curves_body();
	assert_int_equal(testsrv_add(v->srv, "GET", BULK, 200, "application/json", body), 0);
	free(body);
	assert_int_equal(testsrv_add(v->srv, "GET", API "artifacts/list", 200, "application/json",
	                             "{\"root_uri\":\"mlflow-artifacts:/1/r1/artifacts\"}"),
	                 0);
	assert_int_equal(
	    testsrv_add(v->srv, "GET", API "model-versions/search", 200, "application/json", "{}"),
	    0);
	v->http = http_new(NULL);
	v->cache = cache_open(":memory:", NULL);
	assert_non_null(v->http);
	assert_non_null(v->cache);
	v->ctx.name = "test";
	snprintf(v->url, sizeof v->url, "%s", testsrv_url(v->srv));
	v->ctx.src[SRC_MLFLOW].url = v->url;
	v->env = (struct panel_env){
	    .http = v->http,
	    .cache = v->cache,
	    .ctx = &v->ctx,
	    .now_ms = fake_now,
	    .utf8 = 1,
	    .chart_mode = CHART_BRAILLE,
	    .rows = ROWS,
	    .cols = COLS,
	    .app = v,
	    .changed = on_changed,
	};
	v->m = mlsrc_client(&v->env, NULL);
	assert_non_null(v->m);
	v->store = runstore_new();
	size_t n = 0;
	char *next = NULL;
	assert_int_equal(mlflow_parse_runs(compare_runs_json, strlen(compare_runs_json), v->store,
	                                   &n, &next, NULL),
	                 0);
	free(next);
}

static void views_stop(struct vx *v)
{
	mlflow_free(&v->m);
	http_free(&v->http);
	testsrv_stop(&v->srv);
	cache_close(&v->cache);
	runstore_free(&v->store);
}

/* Runs the client until done() holds (or the deadline fails the test). */
static void pump_until(struct vx *v, int (*done)(const void *), const void *what)
{
	int64_t deadline = mono_ms() + 10000;
	while (!done(what)) {
		assert_true(mono_ms() < deadline);
		http_perform(v->http);
		if (!done(what))
			http_wait(v->http, -1, 20, NULL);
	}
}

static int detail_idle(const void *d)
{
	return !run_detail_busy(d);
}

static int chart_idle(const void *ch)
{
	return ((const struct compare_chart *)ch)->op == 0;
}

static char *detail_dump(struct run_detail *d)
{
	run_detail_recalc(d);
	WINDOW *w = newwin(ROWS, COLS, 0, 0);
	assert_non_null(w);
	run_detail_draw(d, w, NULL);
	char *text = screen_dump(w);
	delwin(w);
	return text;
}

static char *chart_dump(struct compare_chart *ch)
{
	static const char *const names[] = {"dazzling-owl-12", "brave-fox-7", "quiet-elk-3"};
	static char *ids[] = {"r1", "r2", "r3"};
	struct compare_chart_view cv = {
	    .w = 100, .h = 16, .mode = CHART_BRAILLE, .names = names, .ids = ids, .n = 3};
	assert_int_equal(compare_chart_render(ch, &cv), 0);
	WINDOW *w = newwin(16, 100, 0, 0);
	assert_non_null(w);
	compare_chart_draw(ch, w, 0, 0, 16, 100, 1, NULL);
	char *text = screen_dump(w);
	delwin(w);
	return text;
}

static void expect(const char *text, const char *what)
{
	if (!strstr(text, what))
		fail_msg("'%s' should be on the screen:\n%s", what, text);
}

static void test_detail_from_cache_server_down(void **state)
{
	(void)state;
	struct vx v;
	views_start(&v);
	/* mltop was looking at r1: its histories came and were filed */
	struct run_detail *d = run_detail_new(&v.env, v.m);
	run_detail_open(d, v.store, runstore_find(v.store, "r1"));
	pump_until(&v, detail_idle, d);
	char *live = detail_dump(d);
	assert_null(strstr(live, "cached"));
	run_detail_free(&d);

	/* MLflow goes down; mltop starts again 3 minutes later */
	testsrv_stop(&v.srv);
	clock_ms = T0 + 180000;
	d = run_detail_new(&v.env, v.m);
	run_detail_open(d, v.store, runstore_find(v.store, "r1"));
	assert_true(run_detail_busy(d)); /* the refresh is on its way … */
	char *text = detail_dump(d);     /* … and min and max are there at once */
	expect(text, "min/max cached 3m ago");
	assert_int_equal(screen_golden("history_cache_detail_cached_120x37", text), 0);
	free(text);
	pump_until(&v, detail_idle, d);
	text = detail_dump(d);
	expect(text, "min/max stale: data 3m old · history of auc: ");
	expect(text, "0.912          0.5        0.633"); /* auc's min and max stay */
	free(text);
	free(live);
	run_detail_free(&d);
	views_stop(&v);
}

static void test_chart_from_cache_server_down(void **state)
{
	(void)state;
	struct vx v;
	char *ids[] = {"r1", "r2", "r3"};
	views_start(&v);
	struct compare_chart ch;
	compare_chart_init(&ch, v.m, chart_changed, &v);
	compare_chart_cache(&ch, mlsrc_get, &v.env, fake_now);
	assert_int_equal(compare_chart_fetch(&ch, "auc", ids, 3, 1000, 0, NULL), 0);
	char *text = chart_dump(&ch);
	expect(text, "loading auc history…"); /* nothing cached yet */
	free(text);
	pump_until(&v, chart_idle, &ch);
	text = chart_dump(&ch);
	expect(text, "auc by step");
	assert_null(strstr(text, "cached"));
	free(text);
	compare_chart_fini(&ch);

	testsrv_stop(&v.srv);
	clock_ms = T0 + 180000;
	compare_chart_init(&ch, v.m, chart_changed, &v);
	compare_chart_cache(&ch, mlsrc_get, &v.env, fake_now);
	assert_int_equal(compare_chart_fetch(&ch, "auc", ids, 3, 1000, 0, NULL), 0);
	assert_true(ch.op > 0);
	assert_true(ch.cached);
	text = chart_dump(&ch);
	expect(text, "cached 3m ago");
	assert_int_equal(screen_golden("history_cache_chart_cached_100x16", text), 0);
	free(text);
	pump_until(&v, chart_idle, &ch);
	text = chart_dump(&ch);
	expect(text, "auc by step"); /* the curves stay */
	expect(text, "stale: data 3m old · auc history: ");
	free(text);
	/* another metric nobody fetched: nothing to draw from, the error alone */
	assert_int_equal(compare_chart_fetch(&ch, "logloss", ids, 3, 1000, 0, NULL), 0);
	assert_false(ch.cached);
	pump_until(&v, chart_idle, &ch);
	text = chart_dump(&ch);
	assert_null(strstr(text, "stale"));
	expect(text, "logloss history: ");
	free(text);
	compare_chart_fini(&ch);
	views_stop(&v);
}

int main(void)
{
	setenv("TZ", "UTC", 1);
	const struct CMUnitTest tests[] = {
	    cmocka_unit_test_setup_teardown(test_bulk_filed_per_run, setup, teardown),
	    cmocka_unit_test_setup_teardown(test_restore_reports_missing, setup, teardown),
	    cmocka_unit_test_setup_teardown(test_restore_age_and_sampled, setup, teardown),
	    cmocka_unit_test_setup_teardown(test_fallback_filed_per_run, setup, teardown),
	    cmocka_unit_test_setup_teardown(test_long_series_cut, setup, teardown),
	    cmocka_unit_test_setup_teardown(test_failed_answer_files_nothing, setup, teardown),
	    cmocka_unit_test(test_keys_and_bodies),
	    cmocka_unit_test(test_detail_from_cache_server_down),
	    cmocka_unit_test(test_chart_from_cache_server_down),
	};
	if (screen_open(COLS, ROWS + 3) < 0)
		return 1;
	int rc = cmocka_run_group_tests(tests, NULL, NULL);
	screen_close();
	return rc;
}
