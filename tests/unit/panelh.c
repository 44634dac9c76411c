#include "tests/unit/panelh.h"

#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include <cmocka.h>

#include "tests/unit/screen.h"

int64_t panelh_clock_ms = 1760000000000LL;

int64_t panelh_now(void)
{
	return panelh_clock_ms;
}

int64_t panelh_mono_ms(void)
{
	struct timespec ts;
	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (int64_t)ts.tv_sec * 1000 + ts.tv_nsec / 1000000;
}

static void on_changed(void *app)
{
	((struct panelh *)app)->changed++;
}

static void on_open(void *app, const char *panel, const char *arg)
{
	struct panelh *h = app;
	snprintf(h->opened, sizeof h->opened, "%s %s", panel, arg ? arg : "");
}

static void on_notify(void *app, const char *msg)
{
	struct panelh *h = app;
	snprintf(h->notified, sizeof h->notified, "%s", msg);
}

void panelh_init(struct panelh *h, struct cache *cache, int cols, int rows)
{
	memset(h, 0, sizeof *h);
	h->sched = sched_new(panelh_now, panelh_now, 7);
	h->http = http_new(NULL);
	assert_non_null(h->sched);
	assert_non_null(h->http);
	h->ctx.name = "test";
	h->ctx.refresh_ms = 5000;
	h->env = (struct panel_env){
	    .sched = h->sched,
	    .http = h->http,
	    .cache = cache,
	    .ctx = &h->ctx,
	    .now_ms = panelh_now,
	    .utf8 = 1,
	    .rows = rows,
	    .cols = cols,
	    .app = h,
	    .changed = on_changed,
	    .open = on_open,
	    .notify = on_notify,
	};
}

void panelh_config(struct panelh *h, const char *ini, const char *const *argv)
{
	char file[] = "/tmp/mltop-panelh-XXXXXX";
	char *args[32] = {"mltop"};
	int n = 1;
	if (ini) {
		int fd = mkstemp(file);
		assert_true(fd >= 0);
		assert_int_equal(write(fd, ini, strlen(ini)), (ssize_t)strlen(ini));
		close(fd);
		args[n++] = "-c";
		args[n++] = file;
	}
	for (size_t i = 0; argv && argv[i] && n < 31; i++)
		args[n++] = (char *)argv[i];
	args[n] = NULL;
	struct config_args a;
	struct err e = {0};
	assert_int_equal(config_args_parse(&a, n, args, &e), 0);
	h->cfg = config_load(&a, "/nonexistent", &e);
	config_args_fini(&a);
	if (ini)
		unlink(file);
	assert_non_null(h->cfg);
	h->rctx = config_context_resolve(h->cfg, NULL, &e);
	assert_non_null(h->rctx);
	h->env.cfg = h->cfg;
	h->env.ctx = h->rctx;
}

void panelh_create(struct panelh *h, const struct panel_ops *ops, const char *focus)
{
	struct err e = {0};
	h->p = (struct panel){.ops = ops, .env = &h->env, .dirty = 1};
	if (h->p.ops->create(&h->p, &e) != 0)
		fail_msg("%s: create: %s", ops->name, e.msg);
	if (focus)
		h->p.ops->focus(&h->p, focus);
}

void panelh_stop(struct panelh *h)
{
	if (h->p.ops)
		h->p.ops->destroy(&h->p);
	sched_free(&h->sched);
	http_free(&h->http);
	config_context_free(&h->rctx);
	config_free(&h->cfg);
}

void panelh_step(struct panelh *h)
{
	int ready = 0;
	sched_run_due(h->sched);
	http_wait(h->http, -1, 20, &ready);
	http_perform(h->http);
}

void panelh_pump(struct panelh *h, int ms)
{
	int64_t deadline = panelh_mono_ms() + ms;
	while (panelh_mono_ms() < deadline)
		panelh_step(h);
}

void panelh_settle(struct panelh *h)
{
	int64_t deadline = panelh_mono_ms() + 15000;
	do
		panelh_step(h);
	while (h->p.ops->busy(&h->p) && panelh_mono_ms() < deadline);
	assert_false(h->p.ops->busy(&h->p));
}

char *panelh_draw(struct panelh *h)
{
	h->p.ops->recalc(&h->p);
	werase(stdscr);
	h->p.ops->draw(&h->p, stdscr, NULL);
	char *dump = screen_dump(stdscr);
	assert_non_null(dump);
	return dump;
}

void panelh_wait_screen(struct panelh *h, const char *text, int present)
{
	int64_t deadline = panelh_mono_ms() + 15000;
	for (;;) {
		char *d = panelh_draw(h);
		int has = strstr(d, text) != NULL;
		free(d);
		if (has == present)
			return;
		assert_true(panelh_mono_ms() < deadline);
		sched_refresh(h->sched, -1);
		panelh_step(h);
	}
}

enum panel_rc panelh_key(struct panelh *h, int k)
{
	enum panel_rc rc = h->p.ops->key(&h->p, k);
	h->p.ops->recalc(&h->p);
	return rc;
}

void panelh_type(struct panelh *h, const char *s)
{
	for (; *s; s++)
		h->p.ops->text(&h->p, (wint_t)(unsigned char)*s, 0);
}

const char *panelh_hint(const struct panelh *h, const char *k)
{
	for (const struct keyhint *x = h->p.ops->hints(&h->p); x->key; x++)
		if (strcmp(x->key, k) == 0)
			return x->help;
	return NULL;
}

int panelh_line_of(const char *dump, const char *text)
{
	const char *at = strstr(dump, text);
	int y = 0;
	if (!at)
		return -1;
	for (const char *p = dump; p < at; p++)
		y += *p == '\n';
	return y;
}
