/* The writes in the whole screen, headless at 100x30, with the fake of clients/rollout_run: a
 * production context (danger = true) framed in red with its banner; a read-only context whose
 * footer and help name no write key and whose keys and commands answer that writes are off;
 * and the flow of keys of a canary typed as a command: the dialog, y, the header saying it is
 * being written, q asking before quitting. Goldens in tests/golden/app_*.txt. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <cmocka.h>

#include "clients/config.h"
#include "panels/action.h"
#include "tests/unit/rollout_fake.h"
#include "tests/unit/screen.h"
#include "tui/app.h"
#include "tui/cmdline.h"
#include "tui/screen.h"

#define COLS 100
#define ROWS 30

static char dir[] = "/tmp/mltop-action-app-XXXXXX";
static char file[64];

static int64_t clock_ms = 1760000000000LL;

static int64_t fake_now(void)
{
	return clock_ms;
}

struct world {
	struct config *cfg;
	struct app app;
	struct screen sc;
};

static void start(struct world *w, const char *context)
{
	memset(w, 0, sizeof *w);
	rollout_fake_reset();
	char *argv[] = {"mltop", "-c", file, "--context", (char *)context, NULL};
	struct config_args a;
	struct err e = {0};
	assert_int_equal(config_args_parse(&a, 5, argv, &e), 0);
	w->cfg = config_load(&a, "/nonexistent", &e);
	config_args_fini(&a);
	assert_non_null(w->cfg);
	assert_int_equal(app_init(&w->app, w->cfg, fake_now, &e), 0);
	w->app.snapshot = 1; /* no clock in the header */
	w->app.message[0] = '\0';
	w->sc.framed = w->app.ctx->danger;
	screen_layout(&w->sc, ROWS, COLS);
	app_resize(&w->app, getmaxy(w->sc.body), getmaxx(w->sc.body));
}

static void stop(struct world *w)
{
	screen_fini(&w->sc);
	app_fini(&w->app);
	config_free(&w->cfg);
}

static char *shot(struct world *w)
{
	app_recalc(&w->app);
	screen_draw(&w->sc, &w->app, 1);
	doupdate();
	char *dump = screen_dump(curscr);
	assert_non_null(dump);
	return dump;
}

static void golden(struct world *w, const char *name)
{
	char *dump = shot(w);
	assert_int_equal(screen_golden(name, dump), 0);
	free(dump);
}

static void key(struct world *w, int ch)
{
	app_key(&w->app, (wint_t)ch, 0);
}

static void to_panel(struct world *w, const char *name)
{
	w->app.current = panels_find(name);
	assert_true(w->app.current >= 0);
}

/* danger = true: a red frame with the banner around the panels. */
static void test_danger_frame(void **state)
{
	(void)state;
	struct world w;
	start(&w, "prod");
	assert_true(w.app.ctx->danger);
	assert_int_equal(getmaxx(w.sc.body), COLS - 2); /* inside the frame */
	to_panel(&w, "registry");
	char *dump = shot(&w);
	assert_non_null(strstr(dump, "PRODUCTION — context prod"));
	free(dump);
	golden(&w, "app_danger_100x30");
	static const int sizes[][2] = {{4, 10}, {6, 12}, {5, 40}, {12, 30}}; /* rows, cols */
	for (size_t i = 0; i < sizeof sizes / sizeof sizes[0]; i++) { /* framed where it fits */
		screen_layout(&w.sc, sizes[i][0], sizes[i][1]);
		assert_non_null(w.sc.body);
		assert_int_equal(w.sc.frame != NULL, sizes[i][0] >= 6 && sizes[i][1] >= 12);
		app_resize(&w.app, getmaxy(w.sc.body), getmaxx(w.sc.body));
		free(shot(&w));
	}
	stop(&w);
}

/* Whether the footer (the last line) names s. */
static int footer_has(const char *dump, const char *s)
{
	const char *end = dump + strlen(dump) - 1, *last = end;
	while (last > dump && last[-1] != '\n')
		last--;
	const char *hit = strstr(last, s);
	return hit && hit < end + 1;
}

/* The footer of Registry names R in a context that writes, and not in a read-only one; nor does
 * the help. */
static void test_readonly_footer_help(void **state)
{
	(void)state;
	struct world w;
	start(&w, "prod");
	to_panel(&w, "registry");
	char *dump = shot(&w);
	assert_true(footer_has(dump, "roll back"));
	free(dump);
	stop(&w);

	start(&w, "ro");
	to_panel(&w, "registry");
	dump = shot(&w);
	assert_false(footer_has(dump, "roll back"));
	free(dump);
	golden(&w, "app_readonly_footer_100x30");
	key(&w, '?');
	dump = shot(&w);
	assert_non_null(strstr(dump, "Keys · Registry"));
	assert_null(strstr(dump, "roll back"));
	assert_null(strstr(dump, "canary"));
	assert_null(strstr(dump, "promote"));
	free(dump);
	golden(&w, "app_readonly_help_100x30");
	stop(&w);
}

/* Read-only: the write keys and commands say so, and nothing is planned. */
static void test_readonly_answers(void **state)
{
	(void)state;
	struct world w;
	start(&w, "ro");
	to_panel(&w, "registry");
	const char *lines[] = {"canary churn-classifier 7 10", "promote churn-classifier 7",
	                       "rollback churn-classifier"};
	for (size_t i = 0; i < 3; i++) {
		struct err e = {0};
		assert_true(cmdline_run(&w.app, lines[i], &e) < 0);
		assert_string_equal(e.msg, "read-only: writes are off");
	}
	const char keys[] = "CP+RA";
	for (size_t i = 0; keys[i]; i++) {
		w.app.message[0] = '\0';
		key(&w, keys[i]);
		assert_string_equal(w.app.message, "read-only: writes are off");
	}
	assert_int_equal(rollout_fake_calls.reads, 0);
	assert_int_equal(rollout_fake_calls.execs, 0);
	stop(&w);
}

/* :canary plans, the dialog takes the keys, y sends it; while it runs the header says so and
 * q asks first; once it ended q quits. */
static void test_command_flow(void **state)
{
	(void)state;
	struct world w;
	start(&w, "prod");
	to_panel(&w, "serving");
	char *cands[8];
	int n = cmdline_complete(&w.app, "promote ch", cands, 8); /* the models' names */
	assert_int_equal(n, 1);
	assert_string_equal(cands[0], "promote churn-classifier");
	free(cands[0]);
	struct rollout_plan *plan =
	    rollout_fake_plan(ROLLOUT_CANARY, "churn-classifier", "6", "7", 25, 2);
	rollout_fake_next_plan(plan, NULL);
	struct err e = {0};
	assert_true(cmdline_run(&w.app, "canary churn-classifier 7 x", &e) < 0);
	assert_int_equal(rollout_fake_calls.reads, 0);
	assert_int_equal(cmdline_run(&w.app, "canary churn-classifier 7 25", &e), 0);
	assert_int_equal(rollout_fake_calls.reads, 1);
	assert_int_equal(rollout_fake_calls.percent, 25);
	assert_true(action_modal(w.app.action));
	char *plan_shot = shot(&w); /* the audit names who writes: the configured user@host */
	assert_non_null(strstr(plan_shot, "a row before and after each step, as ops@bastion"));
	assert_true(footer_has(plan_shot, "y send it"));
	assert_false(footer_has(plan_shot, "q quit")); /* q is the dialog's while it is open */
	free(plan_shot);
	key(&w, '2'); /* not a panel switch while the dialog is open */
	assert_int_equal(w.app.current, panels_find("serving"));
	key(&w, 'y');
	assert_int_equal(rollout_fake_calls.execs, 1);
	char *dump = shot(&w);
	assert_non_null(strstr(dump, "WRITING canary churn-classifier → v7"));
	free(dump);
	assert_true(cmdline_run(&w.app, "ctx ro", &e) < 0); /* not in the middle of a write */
	assert_string_equal(w.app.ctx->name, "prod");
	key(&w, 27); /* hidden: it goes on */
	key(&w, 'q');
	assert_false(w.app.quit);
	assert_non_null(strstr(w.app.message, "quit now anyway?"));
	key(&w, 'n');
	assert_false(w.app.quit);
	key(&w, 'q');
	clock_ms += 9000; /* the question has gone: y is no answer to it any more */
	key(&w, 'y');
	assert_false(w.app.quit);
	rollout_fake_emit(ROLLOUT_FINISHED, 1, NULL, NULL);
	key(&w, 'q');
	assert_true(w.app.quit);
	stop(&w);
	rollout_fake_plan_free(&plan);
}

static int group_setup(void **state)
{
	(void)state;
	if (!mkdtemp(dir))
		return -1;
	snprintf(file, sizeof file, "%s/config.ini", dir);
	FILE *f = fopen(file, "w");
	if (!f)
		return -1;
	/* sources on a closed port: the panels have their clients, and no poll runs here */
	fputs("[general]\ncache = cache.db\nuser = ops@bastion\n"
	      "[context.prod]\ndanger = true\nmlflow = http://127.0.0.1:9\n"
	      "kserve = http://127.0.0.1:9\n"
	      "[context.ro]\nreadonly = true\nmlflow = http://127.0.0.1:9\n"
	      "kserve = http://127.0.0.1:9\n"
	      "[model.churn-classifier]\ncanary_steps = 10, 50, 100\n",
	      f);
	fclose(f);
	setenv("XDG_CONFIG_HOME", dir, 1);
	setenv("XDG_CACHE_HOME", dir, 1);
	return screen_open(COLS, ROWS);
}

static int group_teardown(void **state)
{
	(void)state;
	screen_close();
	unlink(file);
	const char *sfx[] = {"", "-wal", "-shm", "-journal"};
	for (size_t i = 0; i < 4; i++) {
		char p[128];
		snprintf(p, sizeof p, "%s/cache.db%s", dir, sfx[i]);
		unlink(p);
	}
	return rmdir(dir);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
	    cmocka_unit_test(test_danger_frame),
	    cmocka_unit_test(test_readonly_footer_help),
	    cmocka_unit_test(test_readonly_answers),
	    cmocka_unit_test(test_command_flow),
	};
	return cmocka_run_group_tests(tests, group_setup, group_teardown);
}
