/* test_panel_experiments_refresh: how the Experiments panel keeps a long list fresh. It loads
 * the whole list at start; each refresh then asks only for the experiments changed last (one
 * page, newest first, deleted ones too) and merges them — a rename, a new experiment, a deletion
 * show — and r loads the whole list again. Against a test server that records what it is
 * asked, with a clock the test moves. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>

#include "clients/config.h"
#include "clients/http.h"
#include "clients/sched.h"
#include "panels/exp_load.h"
#include "panels/experiments.h"
#include "tests/unit/testsrv.h"

#define SEARCH "/api/2.0/mlflow/experiments/search"

static int64_t clock_ms = 1790000000000LL;

static int64_t test_now(void)
{
	return clock_ms;
}

struct fx {
	struct testsrv *srv;
	struct http *http;
	struct sched *sched;
	struct config *cfg;
	struct context *ctx;
	struct panel_env env;
	struct panel p;
};

static void on_changed(void *app)
{
	struct fx *f = app;
	f->p.dirty = 1;
}

static void on_notify(void *app, const char *msg)
{
	(void)app;
	(void)msg;
}

static void on_open(void *app, const char *panel, const char *arg)
{
	(void)app;
	(void)panel;
	(void)arg;
}

static void fx_start(struct fx *f)
{
	struct config_args a;
	struct err e = {0};
	memset(f, 0, sizeof *f);
	f->srv = testsrv_start();
	assert_non_null(f->srv);
	char *argv[] = {"mltop", "--mlflow", (char *)testsrv_url(f->srv), "--refresh", "5", NULL};
	assert_int_equal(config_args_parse(&a, 5, argv, &e), 0);
	f->cfg = config_load(&a, "/nonexistent", &e);
	config_args_fini(&a);
	assert_non_null(f->cfg);
	f->ctx = config_context_resolve(f->cfg, NULL, &e);
	assert_non_null(f->ctx);
	f->http = http_new(&e);
	f->sched = sched_new(test_now, test_now, 1);
	f->env = (struct panel_env){.sched = f->sched,
	                            .http = f->http,
	                            .cfg = f->cfg,
	                            .ctx = f->ctx,
	                            .now_ms = test_now,
	                            .utf8 = 1,
	                            .rows = 30,
	                            .cols = 120,
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
	testsrv_stop(&f->srv);
}

static struct experiments *st(struct fx *f)
{
	return f->p.state;
}

/* Runs the loop until the server has seen n requests in all and none is in flight. */
static void pump(struct fx *f, int n)
{
	for (int round = 0; round < 1000; round++) {
		sched_run_due(f->sched);
		int ready;
		http_wait(f->http, -1, 10, &ready);
		http_perform(f->http);
		f->p.ops->recalc(&f->p);
		if (testsrv_request_count(f->srv) >= n && !http_inflight(f->http) &&
		    st(f)->op_exps == 0 && st(f)->op_changes == 0)
			break;
	}
	assert_int_equal(testsrv_request_count(f->srv), n);
}

/* The max_results of the request back from the last (0: the last). */
static int asked(struct fx *f, int back, char *view, size_t n)
{
	struct testsrv_req r;
	assert_int_equal(testsrv_request(f->srv, back, &r), 0);
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
	const struct mlflow_experiments *x = st(f)->list.exps;
	size_t n = 0;
	buf[0] = '\0';
	for (size_t i = 0; x && i < x->n; i++)
		n += (size_t)snprintf(buf + n, sizeof buf - n, "%s%s", i ? "," : "",
		                      x->items[i].name);
	return buf;
}

#define EXP(id, name, t, stage)                                                                    \
	"{\"experiment_id\":\"" id "\",\"name\":\"" name "\",\"last_update_time\":" t              \
	",\"lifecycle_stage\":\"" stage "\"}"

static void test_refresh_asks_for_what_changed(void **state)
{
	struct fx f;
	char view[32];
	(void)state;
	fx_start(&f);
	testsrv_add(f.srv, "POST", SEARCH, 200, "application/json",
	            "{\"experiments\":[" EXP("3", "c", "300", "active") "," EXP(
	                "2", "b", "200", "active") "," EXP("1", "a", "100", "active") "]}");
	/* the start: the whole list (and the first refresh, which waits for it) */
	pump(&f, 2);
	assert_string_equal(names(&f), "c,b,a");
	int full = asked(&f, 0, view, sizeof view) == 1000 ? 0 : 1;
	assert_int_equal(asked(&f, full, view, sizeof view), 1000);
	assert_string_equal(view, "ACTIVE_ONLY");
	/* a refresh: one page of the last changed, deleted ones too, merged */
	testsrv_add(f.srv, "POST", SEARCH, 200, "application/json",
	            "{\"experiments\":[" EXP("4", "d", "500", "active") "," EXP(
	                "2", "b-renamed", "400",
	                "active") "," EXP("3", "c", "350", "deleted") "," EXP("1", "a", "100",
	                                                                      "active") "]}");
	clock_ms += 5000;
	pump(&f, 3);
	assert_int_equal(asked(&f, 0, view, sizeof view), 100);
	assert_string_equal(view, "ALL");
	assert_string_equal(names(&f), "d,b-renamed,a");
	/* the next refresh too: still one page, not the whole list */
	clock_ms += 5000;
	pump(&f, 4);
	assert_int_equal(asked(&f, 0, view, sizeof view), 100);
	assert_string_equal(names(&f), "d,b-renamed,a");
	/* r: the whole list again */
	sched_refresh(f.sched, -1);
	pump(&f, 6);
	int whole =
	    asked(&f, 0, view, sizeof view) == 1000 || asked(&f, 1, view, sizeof view) == 1000;
	assert_true(whole);
	fx_stop(&f);
}

int main(void)
{
	setenv("XDG_CONFIG_HOME", "/nonexistent", 1); /* no config file: the flags only */
	unsetenv("MLFLOW_TRACKING_URI");
	const struct CMUnitTest tests[] = {
	    cmocka_unit_test(test_refresh_asks_for_what_changed),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
