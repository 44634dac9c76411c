/* bench_serving URL: one keystroke on the Serving panel with the deployments of a simulator
 * (mltop-sim --deployments 500), in-process: the panel's key, recalc and draw into a 120x40
 * curses screen on /dev/null, median over 200 moves (j) and over filter keystrokes (a pattern one
 * character longer each time). The panel polls the simulator's KServe and /metrics twice first,
 * so that every row has its figures. */
#define _GNU_SOURCE
#include <curses.h>
#include <locale.h>
#include <string.h>
#include <unistd.h>

#include "bench/bench.h"
#include "clients/config.h"
#include "clients/http.h"
#include "clients/sched.h"
#include "panels/serving.h"

#define KEYS 200

static void nop(void *app)
{
	(void)app;
}

static void nop_open(void *app, const char *panel, const char *arg)
{
	(void)app, (void)panel, (void)arg;
}

static void nop_msg(void *app, const char *msg)
{
	(void)app, (void)msg;
}

static int64_t wall_ms(void)
{
	return bench_now_ns() / 1000000;
}

static void pump(struct sched *s, struct http *h, const struct panel *p, int64_t min_ms)
{
	int64_t end = wall_ms() + min_ms, deadline = wall_ms() + 60000;
	while ((wall_ms() < end || p->ops->busy(p)) && wall_ms() < deadline) {
		int ready = 0;
		sched_run_due(s);
		http_wait(h, -1, 10, &ready);
		http_perform(h);
	}
}

static double one_key(struct panel *p, int key)
{
	int64_t t0 = bench_now_ns();
	p->ops->key(p, key);
	p->ops->recalc(p);
	werase(stdscr);
	p->ops->draw(p, stdscr, NULL);
	return (double)(bench_now_ns() - t0) / 1e6;
}

static double one_filter(struct panel *p, const char *pattern)
{
	struct err e = {0};
	int64_t t0 = bench_now_ns();
	p->ops->filter(p, pattern, &e);
	p->ops->recalc(p);
	werase(stdscr);
	p->ops->draw(p, stdscr, NULL);
	return (double)(bench_now_ns() - t0) / 1e6;
}

static void measure(struct panel *p)
{
	static double v[KEYS];
	static const char pat[] = "bench-0[0-4]9";
	char buf[sizeof pat];
	for (int i = 0; i < KEYS; i++)
		v[i] = one_key(p, 'j');
	bench_line("serving_key_move_500", bench_median(v, KEYS), "ms", "budget", 16, "ms");
	size_t n = 0;
	for (int r = 0; r < 20; r++)
		for (size_t k = 1; k <= strlen(pat) && n < KEYS; k++) {
			snprintf(buf, k + 1, "%s", pat);
			v[n++] = one_filter(p, buf);
		}
	bench_line("serving_key_filter_500", bench_median(v, n), "ms", "budget", 16, "ms");
}

int main(int argc, char **argv)
{
	if (argc < 2) {
		fprintf(stderr, "usage: bench_serving SIM_URL\n");
		return 2;
	}
	char scrape[256];
	snprintf(scrape, sizeof scrape, "%s/metrics", argv[1]);
	char *args[] = {"mltop", "--kserve",    argv[1],  "--scrape",
	                scrape,  "--namespace", "models", NULL};
	struct config_args a;
	struct err e = {0};
	setlocale(LC_ALL, "C.UTF-8");
	if (config_args_parse(&a, 7, args, &e) < 0)
		return 1;
	struct config *cfg = config_load(&a, "/nonexistent", &e);
	config_args_fini(&a);
	struct context *ctx = cfg ? config_context_resolve(cfg, NULL, &e) : NULL;
	struct sched *s = sched_new(NULL, NULL, 1);
	struct http *h = http_new(NULL);
	if (!ctx || !s || !h) {
		fprintf(stderr, "bench_serving: %s\n", e.msg);
		return 1;
	}
	struct panel_env env = {.sched = s,
	                        .http = h,
	                        .cfg = cfg,
	                        .ctx = ctx,
	                        .now_ms = wall_ms,
	                        .utf8 = 1,
	                        .rows = 39,
	                        .cols = 120,
	                        .changed = nop,
	                        .open = nop_open,
	                        .notify = nop_msg};
	struct panel p = {.ops = &serving_ops, .env = &env};
	if (p.ops->create(&p, &e) < 0)
		return 1;
	p.ops->schedule(&p, s);
	pump(s, h, &p, 0);
	sched_refresh(s, -1);
	pump(s, h, &p, 1500);                  /* a second scrape: rates */
	FILE *term = fopen("/dev/null", "r+"); /* the screen's output and input */
	setenv("TERM", "xterm-256color", 1);
	SCREEN *scr = term ? newterm("xterm-256color", term, term) : NULL;
	if (!scr)
		return 1;
	resize_term(39, 120);
	char status[128];
	p.ops->recalc(&p);
	p.ops->status(&p, status, sizeof status);
	printf("# serving_key_500: the panel shows %s (lines of the deployments' versions)\n",
	       status);
	measure(&p);
	endwin();
	delscreen(scr);
	fclose(term);
	p.ops->destroy(&p);
	http_free(&h);
	sched_free(&s);
	config_context_free(&ctx);
	config_free(&cfg);
	return 0;
}
