#include "tests/unit/exp_fixture.h"

#include <stdarg.h>
#include <setjmp.h>
#include <cmocka.h>

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include "tests/unit/screen.h"

static int64_t fixed_now(void)
{
	return FIXED_MS;
}

static int64_t mono_ms(void)
{
	struct timespec ts;
	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (int64_t)ts.tv_sec * 1000 + ts.tv_nsec / 1000000;
}

static void on_changed(void *app)
{
	struct fx *f = app;
	f->p.dirty = 1;
}

static void on_notify(void *app, const char *msg)
{
	struct fx *f = app;
	snprintf(f->note, sizeof f->note, "%s", msg);
	f->notes++;
}

static void on_open(void *app, const char *panel, const char *arg)
{
	struct fx *f = app;
	snprintf(f->opened, sizeof f->opened, "%s%s%s", panel, arg ? " " : "", arg ? arg : "");
}

void fx_start(struct fx *f, const char *url, struct cache *cache)
{
	struct config_args a;
	struct err e = {0};
	char *argv[] = {"mltop",    "-c",        "tests/fixtures/panels/experiments/mltop.ini",
	                "--mlflow", (char *)url, NULL};
	memset(f, 0, sizeof *f);
	assert_int_equal(config_args_parse(&a, url ? 5 : 3, argv, &e), 0);
	f->cfg = config_load(&a, "/nonexistent", &e);
	config_args_fini(&a);
	assert_non_null(f->cfg);
	f->ctx = config_context_resolve(f->cfg, NULL, &e);
	assert_non_null(f->ctx);
	f->http = http_new(&e);
	f->sched = sched_new(fixed_now, fixed_now, 1);
	assert_non_null(f->http);
	assert_non_null(f->sched);
	f->cache = cache;
	f->env = (struct panel_env){.sched = f->sched,
	                            .http = f->http,
	                            .cache = cache,
	                            .cfg = f->cfg,
	                            .ctx = f->ctx,
	                            .now_ms = fixed_now,
	                            .utf8 = 1,
	                            .rows = ROWS,
	                            .cols = COLS,
	                            .app = f,
	                            .changed = on_changed,
	                            .open = on_open,
	                            .notify = on_notify};
	f->p = (struct panel){.ops = &experiments_ops, .env = &f->env, .dirty = 1};
	assert_int_equal(f->p.ops->create(&f->p, &e), 0);
	f->p.ops->schedule(&f->p, f->sched);
}

void fx_stop(struct fx *f)
{
	f->p.ops->destroy(&f->p);
	sched_free(&f->sched);
	http_free(&f->http);
	config_context_free(&f->ctx);
	config_free(&f->cfg);
}

struct experiments *fx_state(struct fx *f)
{
	return f->p.state;
}

static int idle(struct fx *f)
{
	const struct experiments *s = fx_state(f);
	return !f->p.ops->busy(&f->p) && s->op_runs == 0 && s->op_lookup == 0 && !s->restoring;
}

void fx_pump(struct fx *f)
{
	int64_t end = mono_ms() + 20000;
	do {
		assert_true(mono_ms() < end);
		sched_run_due(f->sched);
		int ready;
		http_wait(f->http, -1, 20, &ready);
		http_perform(f->http);
		f->p.ops->recalc(&f->p);
	} while (!idle(f));
	f->p.ops->recalc(&f->p);
}

void fx_key(struct fx *f, int k)
{
	f->p.ops->key(&f->p, k);
	f->p.ops->recalc(&f->p);
}

void fx_type(struct fx *f, const char *s)
{
	while (*s)
		fx_key(f, (unsigned char)*s++);
}

char *fx_dump(struct fx *f)
{
	WINDOW *w = newwin(ROWS, COLS, 0, 0);
	assert_non_null(w);
	f->p.ops->draw(&f->p, w, NULL);
	char *text = screen_dump(w);
	delwin(w);
	return text;
}

void fx_status(struct fx *f, char *buf, size_t n)
{
	f->p.ops->status(&f->p, buf, n);
}

void fx_open_churn(struct fx *f)
{
	fx_pump(f);
	char buf[128];
	fx_status(f, buf, sizeof buf);
	assert_string_equal(buf, "row 1 of 4 experiments");
	assert_true(exp_list_select(&fx_state(f)->list, "1"));
	fx_key(f, '\n');
	assert_int_equal(fx_state(f)->level, EXP_RUNS);
	fx_pump(f);
}

struct cache *fx_cache_fresh(char *path)
{
	struct err e = {0};
	int fd = mkstemp(path);
	assert_true(fd >= 0);
	close(fd);
	unlink(path);
	struct cache *c = cache_open(path, &e);
	assert_non_null(c);
	return c;
}

void fx_cache_gone(struct cache **c, const char *path)
{
	char more[512];
	cache_close(c);
	unlink(path);
	snprintf(more, sizeof more, "%s-wal", path);
	unlink(more);
	snprintf(more, sizeof more, "%s-shm", path);
	unlink(more);
}
