/* The ages of the header ("kserve ● 0s") are counted at the shell's one-second tick: a redraw
 * for another source's answer between two ticks does not turn a fresh source's 0s into 1s (and
 * back at its next answer), and at the tick after an answer that is late the age moves on. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <cmocka.h>

#include "clients/config.h"
#include "clients/sched.h"
#include "tests/unit/screen.h"
#include "tui/app.h"
#include "tui/screen.h"

#define COLS 100
#define ROWS 20

static char dir[] = "/tmp/mltop-screen-ages-XXXXXX";
static int64_t clock_ms = 1760000000000LL;

static int64_t fake_now(void)
{
	return clock_ms;
}

static int job_id = -1;
static uint64_t job_gen;

static int job_start(void *ctx, int id, uint64_t gen)
{
	(void)ctx;
	job_id = id;
	job_gen = gen;
	return 0;
}

static char *header(struct app *a, struct screen *sc)
{
	screen_draw(sc, a, 1);
	doupdate();
	char *dump = screen_dump(curscr);
	assert_non_null(dump);
	char *nl = strchr(dump, '\n');
	if (nl)
		*nl = '\0';
	return dump;
}

static void test_ages_at_tick(void **state)
{
	(void)state;
	/* a source on a closed port: its badge shows, and no poll runs here */
	char *argv[] = {"mltop", "--kserve", "http://127.0.0.1:9", NULL};
	struct config_args ca;
	struct err e = {0};
	assert_int_equal(config_args_parse(&ca, 3, argv, &e), 0);
	struct config *cfg = config_load(&ca, "/nonexistent", &e);
	config_args_fini(&ca);
	assert_non_null(cfg);
	struct app a;
	struct screen sc;
	memset(&sc, 0, sizeof sc);
	memset(&a, 0, sizeof a);
	assert_int_equal(app_init(&a, cfg, fake_now, &e), 0);
	a.snapshot = 1; /* no clock in the header */
	screen_layout(&sc, ROWS, COLS);
	app_resize(&a, getmaxy(sc.body), getmaxx(sc.body));
	struct sched_job j = {.source = SRC_KSERVE, .name = "test", .start = job_start};
	sched_add(a.sched, &j);
	sched_run_due(a.sched);
	assert_true(job_id >= 0);
	int64_t t0 = clock_ms;
	assert_int_equal(sched_done(a.sched, job_id, job_gen, 1, 10, ""), 1);
	a.env.tick_ms = t0 + 700; /* the tick after the answer */
	clock_ms = t0 + 1100;     /* a redraw between two ticks, 1.1 s after the answer */
	char *h = header(&a, &sc);
	assert_non_null(strstr(h, "● 0s"));
	free(h);
	a.env.tick_ms = clock_ms = t0 + 1700; /* the next tick, no answer since: late */
	h = header(&a, &sc);
	assert_non_null(strstr(h, "● 1s"));
	free(h);
	screen_fini(&sc);
	app_fini(&a);
	config_free(&cfg);
}

static int group_setup(void **state)
{
	(void)state;
	if (!mkdtemp(dir))
		return -1;
	setenv("XDG_CONFIG_HOME", dir, 1);
	setenv("XDG_CACHE_HOME", dir, 1);
	return screen_open(COLS, ROWS);
}

/* What the test leaves in dir: the cache app_init opens under XDG_CACHE_HOME. */
static int group_teardown(void **state)
{
	(void)state;
	static const char *const left[] = {
	    "config.ini",         "mltop/cache.db",         "mltop/cache.db-wal",
	    "mltop/cache.db-shm", "mltop/cache.db-journal", NULL};
	char p[128];
	screen_close();
	for (const char *const *l = left; *l; l++)
		if (snprintf(p, sizeof p, "%s/%s", dir, *l) > 0)
			unlink(p);
	if (snprintf(p, sizeof p, "%s/mltop", dir) > 0)
		rmdir(p);
	return rmdir(dir);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
	    cmocka_unit_test(test_ages_at_tick),
	};
	return cmocka_run_group_tests(tests, group_setup, group_teardown);
}
