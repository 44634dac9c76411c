/* Compare view screens: three runs parsed from runs/search JSON, their auc histories served by a
 * local get-history-bulk-interval and fetched by the MLflow client, drawn headless at 120x40
 * (golden: diff only off and on with braille curves, ASCII), then the loading and error states,
 * the keys, small windows and the bad run counts; eight runs at 80x24 (golden: deltas on their own
 * line, digests cut to what differs), at 140 columns and in a low body, x through its three axes,
 * and the footer's status with a long metric name. */
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

#include "clients/http.h"
#include "clients/mlflow.h"
#include "clients/mlflow_parse_runs.h"
#include "panels/compare.h"
#include "tests/unit/screen.h"
#include "tests/unit/test_compare.h"
#include "tests/unit/testsrv.h"
#include "tui/widgets/chart.h"
#include "tui/widgets/text.h"

#define HISTORY_PATH "/api/2.0/mlflow/metrics/get-history-bulk-interval"
#define W            120
#define H            40

struct fx {
	struct testsrv *srv;
	struct http *http;
	struct mlflow *m;
	struct runstore *s;
	const struct mlflow_run *runs[3];
	struct panel_env env;
	struct compare *c;
	int changed;
};

static void on_changed(void *app)
{
	struct fx *f = app;

	f->changed++;
}

static int64_t mono_ms(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (int64_t)ts.tv_sec * 1000 + ts.tv_nsec / 1000000;
}

/* A get-history-bulk-interval body: a saturating curve for each of n runs (ids "<prefix>1"…),
 * every 2 steps to 150, a minute a step from 1718012000000 ms. */
static char *history_body(const char *key, const double *lo, const double *hi, const double *tau,
                          char prefix, int n)
{
	size_t cap = 1 << 17, len = 0;
	char *b = malloc(cap);
	int r, step;

	assert_non_null(b);
	len += (size_t)snprintf(b + len, cap - len, "{\"metrics\":[");
	for (r = 0; r < n; r++) {
		for (step = 0; step <= 150; step += 2) {
			double v = lo[r] + (hi[r] - lo[r]) * (1 - exp(-step / tau[r]));
			len +=
			    (size_t)snprintf(b + len, cap - len,
			                     "%s{\"key\":\"%s\",\"value\":%.5f,\"timestamp\":%lld,"
			                     "\"step\":%d,\"run_id\":\"%c%d\"}",
			                     r || step ? "," : "", key, v,
			                     1718012000000LL + step * 60000LL, step, prefix, r + 1);
			assert_true(len < cap - 256);
		}
	}
	snprintf(b + len, cap - len, "]}");
	return b;
}

static void serve_history(struct fx *f, const char *key)
{
	static const double lo[] = {0.60, 0.58, 0.62}, hi[] = {0.912, 0.934, 0.921},
	                    tau[] = {35, 25, 50};
	char *body = history_body(key, lo, hi, tau, 'r', 3);

	assert_int_equal(testsrv_add(f->srv, "GET", HISTORY_PATH, 200, "application/json", body),
	                 0);
	free(body);
}

static int setup(void **state)
{
	struct fx *f = calloc(1, sizeof(*f));
	struct mlflow_config cfg = {0};
	size_t n = 0;
	char *next = NULL;
	int i;

	assert_non_null(f);
	setenv("TZ", "UTC", 1);
	tzset();
	f->srv = testsrv_start();
	assert_non_null(f->srv);
	f->http = http_new(NULL);
	assert_non_null(f->http);
	cfg.base_url = testsrv_url(f->srv);
	f->m = mlflow_new(f->http, &cfg, NULL);
	assert_non_null(f->m);
	f->s = runstore_new();
	assert_int_equal(
	    mlflow_parse_runs(compare_runs_json, strlen(compare_runs_json), f->s, &n, &next, NULL),
	    0);
	free(next);
	for (i = 0; i < 3; i++) {
		char id[4];
		snprintf(id, sizeof(id), "r%d", i + 1);
		f->runs[i] = runstore_find(f->s, id);
		assert_non_null(f->runs[i]);
	}
	f->env = (struct panel_env){
	    .chart_mode = CHART_BRAILLE,
	    .utf8 = 1,
	    .rows = H,
	    .cols = W,
	    .app = f,
	    .changed = on_changed,
	};
	f->c = compare_new(&f->env, f->m);
	assert_non_null(f->c);
	assert_int_equal(screen_open(W, H), 0);
	*state = f;
	return 0;
}

static int teardown(void **state)
{
	struct fx *f = *state;

	screen_close();
	compare_free(&f->c);
	assert_null(f->c);
	mlflow_free(&f->m);
	http_free(&f->http);
	testsrv_stop(&f->srv);
	runstore_free(&f->s);
	free(f);
	return 0;
}

/* Drives the client until the view was told of an answer (or the deadline fails the test). */
static void pump(struct fx *f)
{
	int64_t deadline = mono_ms() + 10000;
	int before = f->changed;

	while (f->changed == before && mono_ms() < deadline) {
		http_perform(f->http);
		if (f->changed == before)
			http_wait(f->http, -1, 20, NULL);
	}
	assert_true(f->changed > before);
	compare_recalc(f->c);
}

static void open_view(struct fx *f)
{
	struct err e;

	assert_int_equal(compare_set(f->c, f->s, f->runs, 3, &e), 0);
}

/* Draws the view in a window of the body's size (env rows x cols) at the top left. */
static char *dump(struct fx *f)
{
	WINDOW *win = derwin(stdscr, f->env.rows, f->env.cols, 0, 0);
	char *text;

	assert_non_null(win);
	werase(stdscr);
	compare_draw(f->c, win, NULL);
	text = screen_dump(win);
	delwin(win);
	return text;
}

static void golden(struct fx *f, const char *name)
{
	char *text = dump(f);

	assert_int_equal(screen_golden(name, text), 0);
	free(text);
}

static void expect(struct fx *f, const char *what, int present)
{
	char *text = dump(f);

	if (!strstr(text, what) != !present)
		fail_msg("'%s' should%s be on the screen:\n%s", what, present ? "" : " not", text);
	free(text);
}

/* The column of the first `what` on line y of the screen, from the dump; -1 when absent. */
static int find_on_line(const char *text, int y, const char *what)
{
	const char *line = text, *hit, *end;

	while (y-- > 0 && line)
		line = (line = strchr(line, '\n')) ? line + 1 : NULL;
	assert_non_null(line);
	end = strchr(line, '\n');
	hit = strstr(line, what);
	if (!hit || (end && hit > end))
		return -1;
	return text_nwidth(line, (size_t)(hit - line));
}

/* Colours mean something: the best value and its star in the accent, a better delta ok, a worse
 * one crit, NaN and missing values muted, the baseline's heading in the accent. */
static void test_colours(void **state)
{
	static const char *const dirs[] = {NULL};
	struct fx *f = *state;
	struct theme t;
	char *text;
	int auc_y = 10, logloss_y = 11, val_y = 12, x;

	assert_int_equal(theme_load(&t, "default", dirs, NULL), 0);
	theme_apply(&t, 256, 0);
	assert_int_not_equal(theme_attr(&t, ROLE_OK), theme_attr(&t, ROLE_CRIT));
	assert_int_not_equal(theme_attr(&t, ROLE_ACCENT), theme_attr(&t, ROLE_NORMAL));
	serve_history(f, "auc");
	open_view(f);
	pump(f);
	compare_key(f->c, KEY_RIGHT); /* the cursor off the baseline's column */
	werase(stdscr);
	compare_draw(f->c, stdscr, &t);
	text = screen_dump(stdscr);
	assert_true((x = find_on_line(text, auc_y, "0.934")) > 0);
	assert_int_equal(screen_attr(stdscr, auc_y, x), theme_attr(&t, ROLE_ACCENT));
	assert_true((x = find_on_line(text, auc_y, "+0.022")) > 0);
	assert_int_equal(screen_attr(stdscr, auc_y, x), theme_attr(&t, ROLE_OK));
	assert_true((x = find_on_line(text, auc_y, "★")) > 0);
	assert_int_equal(screen_attr(stdscr, auc_y, x), theme_attr(&t, ROLE_ACCENT));
	assert_true((x = find_on_line(text, auc_y, "0.912")) > 0);
	assert_int_equal(screen_attr(stdscr, auc_y, x), theme_attr(&t, ROLE_NORMAL));
	assert_true((x = find_on_line(text, logloss_y, "+0.021")) > 0);
	assert_int_equal(screen_attr(stdscr, logloss_y, x), theme_attr(&t, ROLE_CRIT));
	assert_true((x = find_on_line(text, val_y, "NaN")) > 0);
	assert_int_equal(screen_attr(stdscr, val_y, x), theme_attr(&t, ROLE_MUTED));
	assert_true((x = find_on_line(text, val_y, "—")) > 0);
	assert_int_equal(screen_attr(stdscr, val_y, x), theme_attr(&t, ROLE_MUTED));
	assert_true((x = find_on_line(text, 9, "dazzling-owl-12")) > 0);
	assert_int_equal(screen_attr(stdscr, 9, x), theme_attr(&t, ROLE_ACCENT));
	assert_true((x = find_on_line(text, 9, "brave-fox-7")) > 0);
	assert_int_equal(screen_attr(stdscr, 9, x), theme_attr(&t, ROLE_SELECTED));
	free(text);
}

static void test_golden_diff_off(void **state)
{
	struct fx *f = *state;

	serve_history(f, "auc");
	open_view(f);
	pump(f);
	golden(f, "compare_120x40_diff_off");
}

static void test_golden_diff_on(void **state)
{
	struct fx *f = *state;

	serve_history(f, "auc");
	open_view(f);
	pump(f);
	assert_int_equal(compare_key(f->c, 'd'), PANEL_HANDLED);
	golden(f, "compare_120x40_diff_on");
	assert_int_equal(compare_key(f->c, 'd'), PANEL_HANDLED);
	expect(f, "diff only [d] OFF", 1);
	expect(f, "seed", 1);
}

static void test_golden_ascii(void **state)
{
	struct fx *f = *state;

	f->env.utf8 = 0;
	serve_history(f, "auc");
	open_view(f);
	pump(f);
	golden(f, "compare_120x40_ascii");
	assert_string_equal(compare_hints(f->c)[1].key, "Left/Right"); /* no arrows to show */
}

/* The chart as configured (block), and braille asked for on a terminal without UTF-8: ASCII. */
static void test_chart_modes(void **state)
{
	struct fx *f = *state;

	f->env.chart_mode = CHART_BLOCK;
	serve_history(f, "auc");
	open_view(f);
	pump(f);
	expect(f, "█", 1);
	expect(f, "⣀", 0);
	f->env.chart_mode = CHART_BRAILLE;
	f->env.utf8 = 0;
	compare_recalc(f->c);
	expect(f, "⣀", 0);
	expect(f, "* dazzling-owl-12  + brave-fox-7  o quiet-elk-3", 1);
}

static void test_loading_then_error(void **state)
{
	struct fx *f = *state;
	struct testsrv_req req;

	assert_int_equal(testsrv_add(f->srv, "GET", HISTORY_PATH, 502, "text/html",
	                             "<html><body>Bad Gateway</body></html>"),
	                 0);
	open_view(f);
	expect(f, "loading auc history…", 1);
	pump(f);
	expect(f, "loading", 0);
	expect(f, "auc history: MLflow 502", 1);
	/* what was asked: the three runs and the metric */
	assert_int_equal(testsrv_request(f->srv, 0, &req), 0);
	assert_non_null(strstr(req.uri, "metric_key=auc"));
	assert_non_null(strstr(req.uri, "run_ids=r1"));
	assert_non_null(strstr(req.uri, "run_ids=r3"));
	testsrv_req_fini(&req);
	/* the next refresh of the store asks again, and the curves replace the error */
	serve_history(f, "auc");
	open_view(f);
	pump(f);
	expect(f, "auc by step", 1);
	expect(f, "502", 0);
}

static void test_keys(void **state)
{
	struct fx *f = *state;
	struct testsrv_req req;
	char status[64];

	serve_history(f, "auc");
	open_view(f);
	pump(f);
	compare_status(f->c, status, sizeof(status));
	assert_string_equal(status, "3 runs · auc");
	expect(f, "baseline dazzling-owl-12", 1);
	expect(f, "0.934 +0.022 ★", 1);
	/* baseline: the run under the column cursor */
	assert_int_equal(compare_key(f->c, KEY_RIGHT), PANEL_HANDLED);
	assert_int_equal(compare_key(f->c, 'b'), PANEL_HANDLED);
	expect(f, "baseline brave-fox-7", 1);
	expect(f, "0.912 -0.022", 1);
	/* x and log y */
	assert_int_equal(compare_key(f->c, 'x'), PANEL_HANDLED);
	expect(f, "auc by time", 1);
	assert_int_equal(compare_key(f->c, 'l'), PANEL_HANDLED);
	expect(f, "auc by time (log)", 1);
	/* the next metric: its history is fetched, the old curves go */
	testsrv_reset(f->srv);
	serve_history(f, "logloss");
	assert_int_equal(compare_key(f->c, 'm'), PANEL_HANDLED);
	compare_status(f->c, status, sizeof(status));
	assert_string_equal(status, "3 runs · logloss");
	expect(f, "loading logloss history…", 1);
	pump(f);
	expect(f, "logloss by time (log)", 1);
	assert_int_equal(testsrv_request(f->srv, 0, &req), 0);
	assert_non_null(strstr(req.uri, "metric_key=logloss"));
	testsrv_req_fini(&req);
	/* Enter on the auc row (the first metric row, after 7 params rows) charts auc again */
	assert_int_equal(compare_key(f->c, 'G'), PANEL_HANDLED);
	assert_int_equal(compare_key(f->c, 'k'), PANEL_HANDLED);
	assert_int_equal(compare_key(f->c, 'k'), PANEL_HANDLED);
	assert_int_equal(compare_key(f->c, '\n'), PANEL_HANDLED);
	compare_status(f->c, status, sizeof(status));
	assert_string_equal(status, "3 runs · auc");
	assert_int_equal(compare_key(f->c, 'q'), PANEL_IGNORED);
	assert_int_equal(compare_key(f->c, 27), PANEL_BACK);
	assert_non_null(compare_hints(f->c));
	assert_string_equal(compare_hints(f->c)[0].key, "d");
	assert_string_equal(compare_hints(f->c)[1].key, "←/→");
}

/* A refresh of the store with the same runs keeps the baseline and the chart. */
static void test_set_again(void **state)
{
	struct fx *f = *state;
	const struct mlflow_run *two[2];
	struct err e;

	serve_history(f, "auc");
	open_view(f);
	pump(f);
	compare_key(f->c, KEY_RIGHT);
	compare_key(f->c, KEY_RIGHT);
	compare_key(f->c, 'b');
	open_view(f);
	expect(f, "baseline quiet-elk-3", 1);
	expect(f, "auc by step", 1); /* nothing running, nothing fetched again */
	two[0] = f->runs[2];
	two[1] = f->runs[0];
	assert_int_equal(compare_set(f->c, f->s, two, 2, &e), 0);
	expect(f, "compare 2 runs · baseline quiet-elk-3", 1);
	expect(f, "loading auc history…", 1); /* other runs: fetched again */
	pump(f);
	expect(f, "auc by step", 1);
}

/* What the tables do not show is said on the title line, and follows the cursors. */
static void test_range_notes(void **state)
{
	struct fx *f = *state;
	const struct mlflow_run *eight[8];
	int i;

	for (i = 0; i < 8; i++)
		eight[i] = f->runs[i % 3];
	f->env.cols = 100;
	f->env.rows = 16;
	serve_history(f, "auc");
	assert_int_equal(compare_set(f->c, f->s, eight, 8, NULL), 0);
	pump(f);
	/* at the right end; all the runs fit, each metric row takes two lines */
	expect(f, "compare 8 runs · baseline dazzling-owl-12 · diff only [d] OFF ", 1);
	expect(f, " params 1–2 of 7 · metrics 1–2 of 3\n", 1);
	for (i = 0; i < 3; i++)
		compare_key(f->c, 'j');
	expect(f, "params 3–4 of 7", 1);
	/* narrower: fewer words, then the params are left to their table */
	f->env.cols = 80;
	compare_recalc(f->c);
	expect(f, "8 runs · base dazzling-owl-12 · diff OFF ", 1);
	expect(f, " metrics 1–2/3 · runs 1–7/8\n", 1);
	for (i = 0; i < 7; i++)
		compare_key(f->c, KEY_RIGHT);
	expect(f, "runs 2–8/8", 1);
	compare_key(f->c, 'G');
	expect(f, "metrics 2–3/3", 1);
	expect(f, "auc by step", 1); /* the chart keeps its rows */
	f->env.cols = 120;
	f->env.rows = 40;
	compare_recalc(f->c);
	expect(f, "compare 8 runs · baseline dazzling-owl-12 · diff only [d] OFF\n", 1);
}

static int64_t fake_now;

static int64_t fake_ms(void)
{
	return fake_now;
}

/* A running run's curves are asked for again after a refresh interval, not on every refresh of
 * the store, never over a fetch in flight, and the old curves stay while the new ones come. */
static void test_running_refresh(void **state)
{
	static const char running[] = "{\"runs\":[{\"info\":{\"run_id\":\"r2\",\"run_name\":"
	                              "\"brave-fox-7\",\"status\":\"RUNNING\"}}]}";
	struct fx *f = *state;
	char *next = NULL;
	size_t n = 0;
	int before;

	assert_int_equal(mlflow_parse_runs(running, strlen(running), f->s, &n, &next, NULL), 0);
	free(next);
	assert_int_equal(f->runs[1]->status, RUN_STATUS_RUNNING); /* updated in place */
	f->env.now_ms = fake_ms;
	fake_now = 1000000;
	serve_history(f, "auc");
	open_view(f);
	pump(f);
	before = testsrv_request_count(f->srv);
	fake_now += 1000;
	open_view(f);
	assert_int_equal(testsrv_request_count(f->srv), before);
	fake_now += 5000;
	open_view(f);
	open_view(f); /* in flight: not asked twice */
	expect(f, "auc by step", 1);
	expect(f, "loading", 0);
	pump(f);
	assert_int_equal(testsrv_request_count(f->srv), before + 1);
	expect(f, "auc by step", 1);
}

static void test_bad_count(void **state)
{
	struct fx *f = *state;
	const struct mlflow_run *many[9];
	struct err e;
	int i;

	for (i = 0; i < 9; i++)
		many[i] = f->runs[i % 3];
	assert_true(compare_set(f->c, f->s, f->runs, 1, &e) < 0);
	assert_non_null(strstr(e.msg, "2 to 8 runs"));
	assert_true(compare_set(f->c, f->s, many, 9, &e) < 0);
	assert_true(compare_set(f->c, f->s, many, 0, &e) < 0);
}

/* 8 runs at 20x8 and smaller, and in a window smaller than the body the layout was made for:
 * nothing is drawn outside the window. Sizes: window w x h, then body cols x rows. */
static void test_small(void **state)
{
	static const int sizes[][4] = {{20, 8, 20, 8},   {12, 3, 12, 3},     {1, 1, 1, 1},
	                               {60, 12, 60, 12}, {116, 37, 116, 37}, {20, 8, 116, 37},
	                               {116, 5, 116, 37}};
	struct fx *f = *state;
	const struct mlflow_run *eight[8];
	size_t k;
	int i, y, x;

	for (i = 0; i < 8; i++)
		eight[i] = f->runs[i % 3];
	serve_history(f, "auc");
	assert_int_equal(compare_set(f->c, f->s, eight, 8, NULL), 0);
	pump(f);
	for (k = 0; k < sizeof(sizes) / sizeof(sizes[0]); k++) {
		int w = sizes[k][0], h = sizes[k][1];
		WINDOW *win = derwin(stdscr, h, w, 2, 3);
		assert_non_null(win);
		werase(stdscr);
		f->env.cols = sizes[k][2];
		f->env.rows = sizes[k][3];
		compare_recalc(f->c);
		compare_key(f->c, 'j');
		compare_key(f->c, KEY_RIGHT);
		compare_draw(f->c, win, NULL);
		for (y = 0; y < H; y++)
			for (x = 0; x < W; x++)
				if ((y < 2 || y >= 2 + h || x < 3 || x >= 3 + w) &&
				    (mvwinch(stdscr, y, x) & A_CHARTEXT) != ' ')
					fail_msg("%dx%d: drawn at %d,%d", w, h, y, x);
		delwin(win);
	}
}

static void test_no_client(void **state)
{
	struct fx *f = *state;
	struct compare *c = compare_new(&f->env, NULL);
	char *text;

	assert_non_null(c);
	assert_int_equal(compare_set(c, f->s, f->runs, 3, NULL), 0);
	werase(stdscr);
	compare_draw(c, stdscr, NULL);
	text = screen_dump(stdscr);
	assert_non_null(strstr(text, "no MLflow tracking server"));
	assert_non_null(strstr(text, "logloss ↓"));
	free(text);
	compare_free(&c);
}

/* The eight runs of compare_runs8_json, parsed into the fixture's store, compared, with their auc
 * curves. */
static void open_eight(struct fx *f, const struct mlflow_run **eight)
{
	static const double lo[] = {0.60, 0.58, 0.62, 0.55, 0.61, 0.57, 0.59, 0.52},
	                    hi[] = {0.8113, 0.8946, 0.8465, 0.8344, 0.8121, 0.885, 0.8288, 0.7702},
	                    tau[] = {35, 25, 50, 30, 45, 20, 40, 60};
	char *body = history_body("auc", lo, hi, tau, 's', 8), *next = NULL;
	size_t n = 0;
	int i;

	assert_int_equal(testsrv_add(f->srv, "GET", HISTORY_PATH, 200, "application/json", body),
	                 0);
	free(body);
	assert_int_equal(mlflow_parse_runs(compare_runs8_json, strlen(compare_runs8_json), f->s, &n,
	                                   &next, NULL),
	                 0);
	free(next);
	for (i = 0; i < 8; i++) {
		char id[4];
		snprintf(id, sizeof(id), "s%d", i + 1);
		eight[i] = runstore_find(f->s, id);
		assert_non_null(eight[i]);
	}
	assert_int_equal(compare_set(f->c, f->s, eight, 8, NULL), 0);
	pump(f);
}

static void test_eight_runs_80x24(void **state)
{
	struct fx *f = *state;
	const struct mlflow_run *eight[8];

	f->env.cols = 80;
	f->env.rows = 21; /* the body of an 80x24 terminal */
	open_eight(f, eight);
	golden(f, "compare_80x24_8runs");
	/* every delta against wise-ant-12, on the line under the values; clever-elk-5's logloss is
	   1.234e-05 above the baseline's, so its column keeps 3 digits (auc 0.8121 shows as 0.812)
	 */
	expect(f,
	       " auc ↑         0.8113   0.8946 ★ 0.8465   0.8344   0.812    0.885    0.8288\n"
	       "   vs base     base     +0.0833  +0.0352  +0.0231  +0.0008  +0.0737  +0.0175\n"
	       " logloss ↓     0.4096   0.3148 ★ 0.3544   0.3931   0.41     0.3261   0.3978\n"
	       "   vs base     base     -0.0948  -0.0552  -0.0165  +1.2e-05 -0.0835  -0.0118\n",
	       1);
	/* the digests 5e0c91aa3f1b, 5e0c91aa77d2 and 5e0c91ab0e44 share 5e0c91a */
	expect(f, " dataset       …a3f1b   …a3f1b   …a3f1b   …a77d2   …a77d2   …a77d2   …b0e44\n",
	       1);
	/* the baseline moves: the deltas follow */
	compare_key(f->c, KEY_RIGHT);
	compare_key(f->c, 'b');
	expect(f, "   vs base     -0.0833  base     -0.0481  -0.0602  -0.0825  -0.0096  -0.0658\n",
	       1);
}

/* Without UTF-8 the cut part of a digest is marked with ~. */
static void test_eight_runs_ascii(void **state)
{
	struct fx *f = *state;
	const struct mlflow_run *eight[8];

	f->env.cols = 80;
	f->env.rows = 21;
	f->env.utf8 = 0;
	open_eight(f, eight);
	expect(f, " dataset       ~a3f1b   ~a3f1b   ~a3f1b   ~a77d2   ~a77d2   ~a77d2   ~b0e44\n",
	       1);
	expect(f, "   vs base     base     +0.0833  +0.0352", 1);
}

/* 140 columns: each delta beside its value, with fewer digits in the columns that need it (3 for
 * values, 2 for deltas, the same in every cell of the column); the baseline's column has no
 * delta and keeps 4. */
static void test_eight_runs_inline_fewer_digits(void **state)
{
	struct fx *f = *state;
	const struct mlflow_run *eight[8];

	screen_close();
	assert_int_equal(screen_open(140, 40), 0);
	f->env.cols = 140;
	f->env.rows = 40;
	open_eight(f, eight);
	expect(f,
	       " auc ↑         0.8113         0.895 +0.083 ★ 0.8465 +0.0352 0.8344 +0.0231 0.812 "
	       "+0.0008",
	       1);
	expect(f,
	       " logloss ↓     0.4096         0.315 -0.095 ★ 0.3544 -0.0552 0.3931 -0.0165 0.41 "
	       "+1.2e-05",
	       1);
	expect(f, "vs base", 0);
	expect(f, " dataset       …a3f1b         …a3f1b         …a3f1b         …a77d2  ", 1);
}

/* x goes step → wall time → time since each run's start → step, and the axis says which. The
 * eight runs started at 09:28:20 UTC, 5 minutes before their first point; the points go on for
 * 150 minutes. */
static void test_x_axes(void **state)
{
	struct fx *f = *state;
	const struct mlflow_run *eight[8];
	char *text;

	open_eight(f, eight);
	expect(f, "auc by step", 1);
	expect(f, "140 step\n", 1);
	assert_int_equal(compare_key(f->c, 'x'), PANEL_HANDLED);
	expect(f, "auc by time ", 1);
	expect(f, " 09:45      10:00 ", 1); /* clock times */
	assert_int_equal(compare_key(f->c, 'x'), PANEL_HANDLED);
	expect(f, "auc by time since start ", 1);
	text = dump(f);
	/* durations from the runs' start, the first point 5 minutes in */
	if (!strstr(
	        text,
	        "\n             15m         30m        45m        1h          1h15m      1h30m"))
		fail_msg("durations since the start expected:\n%s", text);
	free(text);
	expect(f, "10:00", 0);
	assert_int_equal(compare_key(f->c, 'x'), PANEL_HANDLED);
	expect(f, "auc by step", 1);
}

/* The footer's status keeps its length whatever the metric is called, so that the footer has
 * room for its keys. */
static void test_status_long_metric(void **state)
{
	static const char body[] =
	    "{\"runs\":[{\"info\":{\"run_id\":\"a\"},\"data\":{\"metrics\":[{\"key\":"
	    "\"validation/cross_entropy_loss_per_token_smoothed\",\"value\":1,\"timestamp\":1,"
	    "\"step\":1}]}},{\"info\":{\"run_id\":\"b\"}}]}";
	struct fx *f = *state;
	const struct mlflow_run *two[2];
	char *next = NULL, status[128];
	size_t n;

	assert_int_equal(mlflow_parse_runs(body, strlen(body), f->s, &n, &next, NULL), 0);
	free(next);
	two[0] = runstore_find(f->s, "a");
	two[1] = runstore_find(f->s, "b");
	assert_int_equal(compare_set(f->c, f->s, two, 2, NULL), 0);
	compare_status(f->c, status, sizeof(status));
	assert_string_equal(status, "2 runs · validation/cross_entrop…");
	f->env.utf8 = 0;
	compare_status(f->c, status, sizeof(status));
	assert_string_equal(status, "2 runs - validation/cross_entrop~");
}

/* A body just tall enough for the chart still shows a whole metric row, its deltas included. */
static void test_eight_runs_low(void **state)
{
	struct fx *f = *state;
	const struct mlflow_run *eight[8];

	f->env.cols = 80;
	f->env.rows = 13;
	open_eight(f, eight);
	expect(f,
	       " auc ↑         0.8113   0.8946 ★ 0.8465   0.8344   0.812    0.885    0.8288\n"
	       "   vs base     base     +0.0833  +0.0352  +0.0231  +0.0008  +0.0737  +0.0175\n"
	       " auc by step",
	       1);
	expect(f, "metrics 1–1/2", 1);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
	    cmocka_unit_test_setup_teardown(test_golden_diff_off, setup, teardown),
	    cmocka_unit_test_setup_teardown(test_golden_diff_on, setup, teardown),
	    cmocka_unit_test_setup_teardown(test_golden_ascii, setup, teardown),
	    cmocka_unit_test_setup_teardown(test_chart_modes, setup, teardown),
	    cmocka_unit_test_setup_teardown(test_colours, setup, teardown),
	    cmocka_unit_test_setup_teardown(test_loading_then_error, setup, teardown),
	    cmocka_unit_test_setup_teardown(test_keys, setup, teardown),
	    cmocka_unit_test_setup_teardown(test_set_again, setup, teardown),
	    cmocka_unit_test_setup_teardown(test_range_notes, setup, teardown),
	    cmocka_unit_test_setup_teardown(test_running_refresh, setup, teardown),
	    cmocka_unit_test_setup_teardown(test_bad_count, setup, teardown),
	    cmocka_unit_test_setup_teardown(test_small, setup, teardown),
	    cmocka_unit_test_setup_teardown(test_no_client, setup, teardown),
	    cmocka_unit_test_setup_teardown(test_eight_runs_80x24, setup, teardown),
	    cmocka_unit_test_setup_teardown(test_eight_runs_ascii, setup, teardown),
	    cmocka_unit_test_setup_teardown(test_eight_runs_inline_fewer_digits, setup, teardown),
	    cmocka_unit_test_setup_teardown(test_x_axes, setup, teardown),
	    cmocka_unit_test_setup_teardown(test_eight_runs_low, setup, teardown),
	    cmocka_unit_test_setup_teardown(test_status_long_metric, setup, teardown),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
