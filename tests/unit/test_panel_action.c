/* The write dialog as a person sees it, headless at 100x40, against the fake of
 * clients/rollout_run (tests/unit/rollout_fake.c): a canary confirmed with y (and cancelled with
 * n), a promotion that needs the model's name typed, a plan blocked by a critical alert until
 * `override` and a reason are typed (the reason goes to rollout_exec), the progress of the steps,
 * a refusal (what changed, nothing written), a failure part-way with retry and undo, the rollback
 * planner from the audit log, a read-only context where no key plans anything, and text from the
 * servers drawn sanitized. Goldens in tests/golden/action_*.txt (UPDATE_GOLDEN=1 rewrites). */
#include <math.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>

#include "clients/cache.h"
#include "clients/config.h"
#include "panels/action.h"
#include "panels/action_draw.h"
#include "panels/action_figs.h"
#include "panels/action_keys.h"
#include "tests/unit/rollout_fake.h"
#include "tests/unit/screen.h"

#define COLS   100
#define ROWS   40
#define NOW_MS 1760000000000LL

#define MODEL "churn-classifier"

static int64_t fake_now(void)
{
	return NOW_MS;
}

struct harness {
	struct context ctx;
	struct panel_env env;
	struct serving_deps deps;
	struct serving_line lines[2];
	struct serving_dep dep;
	struct alerts_view alerts;
	struct alerts_row rows[2];
	int with_alerts, with_canary;
	struct action_ui *a;
	char notified[256];
	int changed;
	int rereads; /* the Serving panel asked to poll again */
	struct rollout_plan *plan;
};

static void on_reread(void *ud)
{
	((struct harness *)ud)->rereads++;
}

static void on_changed(void *app)
{
	((struct harness *)app)->changed++;
}

static void on_notify(void *app, const char *msg)
{
	snprintf(((struct harness *)app)->notified, 256, "%s", msg);
}

static void on_open(void *app, const char *panel, const char *arg)
{
	(void)app, (void)panel, (void)arg;
}

static void line_set(struct serving_line *l, const char *reg, int percent, int canary, double rps,
                     double err)
{
	memset(l, 0, sizeof *l);
	snprintf(l->version, sizeof l->version, "v%s", reg);
	snprintf(l->reg, sizeof l->reg, "%s", reg);
	l->percent = percent;
	l->canary = canary;
	for (int f = 0; f < PROM_NFIG; f++)
		l->value[f] = NAN;
	l->value[PROM_FIG_RPS] = rps;
	l->value[PROM_FIG_ERROR_RATIO] = err;
	l->value[PROM_FIG_P95] = 0.041;
	l->value[PROM_FIG_P99] = 0.080;
	l->metrics = 1;
}

/* Serving: churn serves v6 (and v7 as a canary when with_canary); Alerts: a critical drift
 * alert on v7 when with_alerts. */
static void data_of(void *ud, struct action_data *out)
{
	struct harness *h = ud;
	memset(&h->dep, 0, sizeof h->dep);
	snprintf(h->dep.name, sizeof h->dep.name, "churn");
	snprintf(h->dep.model, sizeof h->dep.model, "churn");
	snprintf(h->dep.registered, sizeof h->dep.registered, MODEL);
	line_set(&h->lines[0], "6", h->with_canary ? 90 : 100, 0, 120.0, 0.004);
	line_set(&h->lines[1], "7", 10, 1, 13.0, 0.061);
	h->dep.lines = h->lines;
	h->dep.n = h->with_canary ? 2 : 1;
	h->deps.v = &h->dep;
	h->deps.n = 1;
	out->deps = &h->deps;
	out->window_s = 300;
	memset(h->rows, 0, sizeof h->rows);
	h->rows[0] = (struct alerts_row){.sev = ALERTS_SEV_CRIT,
	                                 .severity = "critical",
	                                 .name = "FeatureDrift",
	                                 .model = "churn",
	                                 .version = "v7",
	                                 .feature = "tenure"};
	snprintf(h->rows[0].value, sizeof h->rows[0].value, "PSI 0.31");
	h->alerts.rows = h->rows;
	h->alerts.n = h->with_alerts ? 1 : 0;
	out->alerts = &h->alerts;
}

static void harness_start(struct harness *h, int readonly, struct cache *cache)
{
	memset(h, 0, sizeof *h);
	rollout_fake_reset();
	h->ctx.name = "prod";
	h->ctx.readonly = readonly;
	h->env = (struct panel_env){.ctx = &h->ctx,
	                            .cache = cache,
	                            .now_ms = fake_now,
	                            .utf8 = 1,
	                            .rows = ROWS,
	                            .cols = COLS,
	                            .app = h,
	                            .changed = on_changed,
	                            .open = on_open,
	                            .notify = on_notify};
	struct action_hooks hooks = {.data = data_of, .reread = on_reread, .ud = h};
	h->a = action_new(&h->env, &hooks, NULL);
	assert_non_null(h->a);
}

static void harness_stop(struct harness *h)
{
	action_free(&h->a);
	rollout_fake_plan_free(&h->plan);
}

/* The plan the next read makes: act from → to at pct, n steps (the harness frees it). */
static void next_plan(struct harness *h, enum rollout_action act, const char *from, const char *to,
                      int pct, size_t n)
{
	rollout_fake_plan_free(&h->plan);
	h->plan = rollout_fake_plan(act, MODEL, from, to, pct, n);
	rollout_fake_next_plan(h->plan, NULL);
}

/* C on v7: a canary of it at 10 %, planned and shown. */
static void canary_planned(struct harness *h)
{
	next_plan(h, ROLLOUT_CANARY, "6", "7", 10, 2);
	action_canary(h->a, MODEL, "7");
}

static char *draw(struct harness *h)
{
	werase(stdscr);
	action_draw(h->a, stdscr, NULL);
	char *dump = screen_dump(stdscr);
	assert_non_null(dump);
	return dump;
}

static void golden(struct harness *h, const char *name)
{
	char *dump = draw(h);
	assert_int_equal(screen_golden(name, dump), 0);
	free(dump);
}

static void key(struct harness *h, int ch)
{
	action_keys_key(h->a, (wint_t)ch, 0);
}

static void type(struct harness *h, const char *s)
{
	for (; *s; s++)
		key(h, *s);
	key(h, '\n');
}

/* A canary of v7 at 10 %: the steps, their rollback, the figures; y sends it. */
static void test_canary_yes(void **state)
{
	struct harness *h = *state;
	canary_planned(h);
	assert_int_equal(rollout_fake_calls.reads, 1);
	assert_int_equal(rollout_fake_calls.action, ROLLOUT_CANARY);
	assert_string_equal(rollout_fake_calls.version, "7");
	assert_int_equal(rollout_fake_calls.percent, -1);
	assert_true(action_modal(h->a));
	golden(h, "action_canary_100x40");
	int y, x;
	assert_int_equal(action_draw_cursor(h->a, ROWS, COLS, &y, &x), 0); /* y/n: no cursor */
	key(h, 'x'); /* not an answer: the dialog says which keys are */
	assert_int_equal(rollout_fake_calls.execs, 0);
	assert_non_null(strstr(h->a->msg, "y sends it"));
	key(h, 'y');
	assert_int_equal(rollout_fake_calls.execs, 1);
	assert_string_equal(rollout_fake_calls.reason, "");
	assert_int_equal(h->a->mode, ACTION_RUNNING);
	assert_true(action_in_flight(h->a));
}

static void test_canary_cancel(void **state)
{
	struct harness *h = *state;
	canary_planned(h);
	key(h, 'n');
	assert_false(action_modal(h->a));
	assert_int_equal(rollout_fake_calls.execs, 0);
	assert_int_equal(rollout_fake_calls.cancels, 1);
	/* Esc does the same */
	rollout_fake_next_plan(h->plan, NULL);
	action_canary(h->a, MODEL, "7");
	key(h, 27);
	assert_false(action_modal(h->a));
	assert_int_equal(rollout_fake_calls.execs, 0);
}

/* A promotion sends all the traffic: y is not enough, the model's name is typed. */
static void test_promote_typed_name(void **state)
{
	struct harness *h = *state;
	next_plan(h, ROLLOUT_PROMOTE, "6", "7", 100, 2);
	action_start(h->a, ROLLOUT_PROMOTE, MODEL, "7", -1);
	assert_int_equal(h->a->ask, ASK_NAME);
	key(h, 'y');
	key(h, '\n');
	assert_int_equal(rollout_fake_calls.execs, 0);
	type(h, "churn");
	assert_int_equal(rollout_fake_calls.execs, 0);
	golden(h, "action_promote_name_100x40");
	int y, x;
	assert_int_equal(action_draw_cursor(h->a, ROWS, COLS, &y, &x), 1); /* asking: shown */
	key(h, 'c');
	key(h, 'h');
	assert_int_equal(action_draw_cursor(h->a, ROWS, COLS, &y, &x), 1);
	char *dump = draw(h);
	free(dump);
	assert_int_equal(mvwinch(stdscr, y, x - 1) & A_CHARTEXT, 'h'); /* right after the text */
	action_keys_key(h->a, KEY_BACKSPACE, 1);
	action_keys_key(h->a, KEY_BACKSPACE, 1);
	type(h, MODEL);
	assert_int_equal(rollout_fake_calls.execs, 1);
}

/* A critical alert firing for the target: override, then a reason, which reaches rollout_exec. */
static void test_blocked_override(void **state)
{
	struct harness *h = *state;
	h->with_alerts = 1;
	canary_planned(h);
	assert_true(h->a->blocked);
	assert_int_equal(h->a->ask, ASK_OVERRIDE);
	golden(h, "action_blocked_100x40");
	key(h, 'y');
	type(h, "");
	assert_int_equal(rollout_fake_calls.execs, 0);
	type(h, "overide");
	assert_int_equal(h->a->ask, ASK_OVERRIDE);
	type(h, "override");
	assert_int_equal(h->a->ask, ASK_REASON);
	type(h, "   ");
	assert_int_equal(h->a->ask, ASK_REASON); /* a reason is required */
	type(h, "drift alert is the known tenure label bug");
	assert_int_equal(h->a->ask, ASK_YES);
	golden(h, "action_blocked_reason_100x40");
	key(h, 'y');
	assert_int_equal(rollout_fake_calls.execs, 1);
	assert_string_equal(rollout_fake_calls.reason, "drift alert is the known tenure label bug");
}

/* The question follows the alerts with no key pressed: the alert resolves while override is
 * asked, and the usual question comes back on the next turn of the loop; it fires again, and
 * override is asked again. */
static void test_blocked_follows_alerts(void **state)
{
	struct harness *h = *state;
	h->with_alerts = 1;
	canary_planned(h);
	assert_int_equal(h->a->ask, ASK_OVERRIDE);
	h->with_alerts = 0;
	action_poll(h->a);
	assert_int_equal(h->a->ask, ASK_YES);
	assert_string_equal(h->a->msg, "no critical alert fires for the target any more");
	h->with_alerts = 1;
	action_poll(h->a);
	assert_int_equal(h->a->ask, ASK_OVERRIDE);
	assert_string_equal(h->a->msg, "a critical alert fires for the target now");
	key(h, 'y');
	assert_int_equal(rollout_fake_calls.execs, 0);
}

static void confirmed_canary(struct harness *h)
{
	canary_planned(h);
	key(h, 'y');
}

/* While it runs: each step's state; Esc hides the dialog and the action goes on. */
static void test_progress(void **state)
{
	struct harness *h = *state;
	confirmed_canary(h);
	h->plan->steps[0].state = ROLLOUT_DONE;
	h->plan->steps[0].http_status = 200;
	h->plan->steps[1].state = ROLLOUT_RUNNING;
	rollout_fake_emit(ROLLOUT_STEPPED, 0, NULL, NULL);
	golden(h, "action_progress_100x40");
	char label[256];
	action_label(h->a, label, sizeof label, 0);
	assert_string_equal(label, "canary " MODEL " v6 → v7 at 10 %");
	action_label(h->a, label, sizeof label, 1);
	assert_string_equal(label, "canary " MODEL " → v7");
	key(h, 27);
	assert_false(action_modal(h->a));
	assert_true(action_in_flight(h->a));
	action_canary(h->a, MODEL, "8"); /* one at a time: the running one shows again */
	assert_int_equal(rollout_fake_calls.reads, 1);
	assert_true(action_modal(h->a));
	key(h, 27);
	h->plan->steps[1].state = ROLLOUT_DONE;
	h->plan->steps[1].http_status = 200;
	rollout_fake_emit(ROLLOUT_FINISHED, 1, NULL, NULL);
	assert_false(action_modal(h->a)); /* hidden and done: said on the message line */
	assert_int_equal(h->rereads, 1);  /* the new split is asked for at once */
	assert_non_null(strstr(h->notified, "done"));
}

/* Someone changed the InferenceService since the plan: what changed, nothing written. */
static void test_refused(void **state)
{
	struct harness *h = *state;
	confirmed_canary(h);
	for (size_t i = 0; i < h->plan->n; i++)
		h->plan->steps[i].state = ROLLOUT_SKIPPED;
	rollout_fake_emit(ROLLOUT_REFUSED, 0,
	                  "InferenceService churn changed since the plan: resourceVersion 4711 → "
	                  "4712, canaryTrafficPercent 0 → 25",
	                  NULL);
	assert_int_equal(h->a->mode, ACTION_REFUSED);
	assert_int_equal(h->rereads, 1); /* what changed shows in Serving too */
	golden(h, "action_refused_100x40");
	key(h, '\n');
	assert_false(action_modal(h->a));
}

/* A failure part-way: which steps happened; r retries the rest, u undoes what was done (when
 * something was). */
static void test_partial_retry_undo(void **state)
{
	struct harness *h = *state;
	confirmed_canary(h);
	h->plan->steps[0].state = ROLLOUT_DONE;
	h->plan->steps[0].http_status = 200;
	h->plan->steps[1].state = ROLLOUT_FAILED;
	h->plan->steps[1].http_status = 503;
	h->plan->steps[1].answer = strdup("upstream unavailable\nretry later");
	rollout_fake_emit(ROLLOUT_PARTIAL, 1, NULL, "MLflow answered 503 at step 2");
	assert_int_equal(h->a->mode, ACTION_PARTIAL);
	golden(h, "action_partial_100x40");
	key(h, 27); /* closes; the steps done stay said in the audit */
	assert_false(action_modal(h->a));
	/* again, and this time r, then u */
	confirmed_canary(h);
	rollout_fake_emit(ROLLOUT_PARTIAL, 1, NULL, "MLflow answered 503 at step 2");
	key(h, 'r');
	assert_int_equal(rollout_fake_calls.retries, 1);
	assert_int_equal(h->a->mode, ACTION_RUNNING);
	rollout_fake_emit(ROLLOUT_PARTIAL, 1, NULL, "MLflow answered 503 at step 2");
	key(h, 'u'); /* nothing written yet: nothing to undo */
	assert_int_equal(rollout_fake_calls.undos, 0);
	assert_int_equal(h->a->mode, ACTION_PARTIAL);
	h->plan->steps[0].state = ROLLOUT_DONE;
	key(h, 'u');
	assert_int_equal(rollout_fake_calls.undos, 1);
	assert_true(h->a->undoing);
}

static void promoted(struct cache *c, int64_t ts, const char *from, const char *to)
{
	struct audit_row r = {.ts_ms = ts,
	                      .user = "ops",
	                      .host = "bastion",
	                      .context = "prod",
	                      .action = "promote",
	                      .model = MODEL,
	                      .from_version = from,
	                      .to_version = to,
	                      .percent = 100,
	                      .phase = "after",
	                      .result = "ok"};
	assert_true(cache_audit_append(c, &r, NULL) > 0);
}

/* R without a running canary: the previous champions from the audit log, Enter plans one. */
static void test_planner(void **state)
{
	(void)state;
	struct err e;
	struct cache *c = cache_open(":memory:", &e);
	assert_non_null(c);
	promoted(c, NOW_MS - 30LL * 86400000, "3", "4");
	promoted(c, NOW_MS - 20LL * 86400000, "4", "5");
	promoted(c, NOW_MS - 6LL * 86400000, "5", "6");
	/* v5's figures, filed while it served a week ago */
	struct serving_line v5;
	line_set(&v5, "5", 100, 0, 200.0, 0.002);
	struct serving_dep dep = {.name = "churn", .registered = MODEL, .lines = &v5, .n = 1};
	struct serving_deps deps = {.v = &dep, .n = 1};
	action_figs_keep(c, "prod", &deps, NOW_MS - 7LL * 86400000);
	struct harness h;
	harness_start(&h, 0, c);
	struct serving_line seen;
	int64_t at = 0;
	assert_int_equal(action_figs_last(c, "prod", MODEL, "v6", &seen, &at), 1);
	action_poll(h.a); /* the loop's tick files what Serving shows */
	assert_int_equal(action_figs_last(c, "prod", MODEL, "v6", &seen, &at), 0);
	assert_true(at == NOW_MS && seen.value[PROM_FIG_RPS] == 120.0 && seen.percent == 100);
	action_rollback(h.a, MODEL);
	assert_int_equal(h.a->mode, ACTION_PLANNER);
	assert_int_equal(rollout_fake_calls.reads, 0);
	assert_int_equal((int)h.a->planner.n, 2); /* v6 serves now */
	golden(&h, "action_planner_100x40");
	action_keys_key(h.a, KEY_DOWN, 1);
	next_plan(&h, ROLLOUT_ROLLBACK, "6", "4", 100, 2);
	key(&h, '\n');
	assert_int_equal(rollout_fake_calls.reads, 1);
	assert_int_equal(rollout_fake_calls.action, ROLLOUT_ROLLBACK);
	assert_string_equal(rollout_fake_calls.version, "4");
	assert_int_equal(h.a->ask, ASK_NAME);
	harness_stop(&h);
	cache_close(&c);
}

/* With a canary running, R rolls it back at once (no planner). */
static void test_rollback_canary(void **state)
{
	(void)state;
	struct harness h;
	harness_start(&h, 0, NULL);
	h.with_canary = 1;
	next_plan(&h, ROLLOUT_ROLLBACK, "7", "6", 0, 1);
	action_rollback(h.a, MODEL);
	assert_int_equal(rollout_fake_calls.action, ROLLOUT_ROLLBACK);
	assert_string_equal(rollout_fake_calls.version, "");
	assert_int_equal(h.a->mode, ACTION_CONFIRM);
	harness_stop(&h);
	/* and C steps the running canary */
	harness_start(&h, 0, NULL);
	h.with_canary = 1;
	action_canary(h.a, MODEL, NULL);
	assert_int_equal(rollout_fake_calls.action, ROLLOUT_STEP);
	harness_stop(&h);
	/* A aborts: a plan that names no version is titled by its action and model */
	harness_start(&h, 0, NULL);
	next_plan(&h, ROLLOUT_ABORT, NULL, NULL, -1, 1);
	action_start(h.a, ROLLOUT_ABORT, MODEL, NULL, -1);
	assert_int_equal(rollout_fake_calls.action, ROLLOUT_ABORT);
	char label[256];
	action_label(h.a, label, sizeof label, 1);
	assert_string_equal(label, "abort " MODEL);
	harness_stop(&h);
}

/* No deployment under the cursor (an empty list, a filter that hides every row): each write key
 * says there is no model here, plans nothing and opens no dialog. */
static void test_no_model(void **state)
{
	struct harness *h = *state;
	static const char *const said[] = {"no model here to canary", "no model here to rollback",
	                                   "no model here to abort"};
	for (int i = 0; i < 3; i++) {
		h->notified[0] = '\0';
		if (i == 0)
			action_canary(h->a, NULL, NULL);
		else if (i == 1)
			action_rollback(h->a, NULL);
		else
			action_start(h->a, ROLLOUT_ABORT, NULL, NULL, -1);
		assert_string_equal(h->notified, said[i]);
		assert_false(action_modal(h->a));
	}
	action_canary(h->a, "", NULL);
	assert_string_equal(h->notified, "no model here to canary");
	assert_int_equal(rollout_fake_calls.reads, 0);
}

/* Read-only: nothing is ever planned, and the message line says why. */
static void test_readonly(void **state)
{
	(void)state;
	struct harness h;
	harness_start(&h, 1, NULL);
	assert_int_equal(rollout_fake_calls.readonly, 1);
	action_canary(h.a, MODEL, "7");
	assert_string_equal(h.notified, "read-only: writes are off");
	h.notified[0] = '\0';
	action_rollback(h.a, MODEL);
	assert_string_equal(h.notified, "read-only: writes are off");
	action_start(h.a, ROLLOUT_PROMOTE, MODEL, "7", -1);
	action_start(h.a, ROLLOUT_ABORT, MODEL, NULL, -1);
	assert_int_equal(rollout_fake_calls.reads, 0);
	assert_false(action_modal(h.a));
	harness_stop(&h);
}

/* What the servers say is drawn with its control characters made visible. */
static void test_sanitized(void **state)
{
	struct harness *h = *state;
	h->plan = rollout_fake_plan(ROLLOUT_CANARY, MODEL, "6", "7", 10, 2);
	free(h->plan->steps[0].summary);
	h->plan->steps[0].summary = strdup("evil \x1b]0;owned\x07 \x1b[2J summary");
	rollout_fake_next_plan(h->plan, NULL);
	action_canary(h->a, MODEL, "7");
	char *dump = draw(h);
	assert_null(strchr(dump, '\x1b'));
	assert_null(strchr(dump, '\x07'));
	assert_non_null(strstr(dump, "evil"));
	free(dump);
	key(h, 'y');
	rollout_fake_emit(ROLLOUT_REFUSED, 0, "by \x1b[31mmallory\x1b[0m", NULL);
	dump = draw(h);
	assert_null(strchr(dump, '\x1b'));
	assert_non_null(strstr(dump, "mallory"));
	free(dump);
}

/* The plan cannot be made: why, and nothing to confirm. */
static void test_noplan(void **state)
{
	struct harness *h = *state;
	rollout_fake_next_plan(NULL, "no canary to step: churn has none running");
	action_start(h->a, ROLLOUT_STEP, MODEL, NULL, -1);
	assert_int_equal(h->a->mode, ACTION_NOPLAN);
	char label[256];
	action_label(h->a, label, sizeof label, 0);
	assert_string_equal(label, "step " MODEL);
	char *dump = draw(h);
	assert_non_null(strstr(dump, "no canary to step"));
	free(dump);
	key(h, 'y');
	assert_int_equal(rollout_fake_calls.execs, 0);
	key(h, 27);
	assert_false(action_modal(h->a));
}

/* Every state of the dialog draws in any size of body, down to a single cell. */
static void test_small_sizes(void **state)
{
	static const int sizes[][2] = {{1, 1}, {3, 10}, {5, 20}, {8, 30}, {12, 40}, {24, 80}};
	struct harness *h = *state;
	h->with_alerts = 1;
	canary_planned(h);
	for (int round = 0; round < 3; round++) {
		for (size_t i = 0; i < sizeof sizes / sizeof sizes[0]; i++) {
			WINDOW *w = newwin(sizes[i][0], sizes[i][1], 0, 0);
			assert_non_null(w);
			action_draw(h->a, w, NULL);
			delwin(w);
		}
		if (round == 0) {
			type(h, "override");
			type(h, "a reason");
			key(h, 'y');
		} else {
			rollout_fake_emit(ROLLOUT_PARTIAL, 1, NULL, "step 2 failed");
		}
	}
}

/* Each test starts with a harness of a context that writes, without a cache. */
static int setup(void **state)
{
	static struct harness h;
	harness_start(&h, 0, NULL);
	*state = &h;
	return 0;
}

static int teardown(void **state)
{
	harness_stop(*state);
	return 0;
}

static int group_setup(void **state)
{
	(void)state;
	return screen_open(COLS, ROWS);
}

static int group_teardown(void **state)
{
	(void)state;
	screen_close();
	return 0;
}

int main(void)
{
	const struct CMUnitTest tests[] = {
	    cmocka_unit_test_setup_teardown(test_canary_yes, setup, teardown),
	    cmocka_unit_test_setup_teardown(test_canary_cancel, setup, teardown),
	    cmocka_unit_test_setup_teardown(test_promote_typed_name, setup, teardown),
	    cmocka_unit_test_setup_teardown(test_blocked_override, setup, teardown),
	    cmocka_unit_test_setup_teardown(test_blocked_follows_alerts, setup, teardown),
	    cmocka_unit_test_setup_teardown(test_no_model, setup, teardown),
	    cmocka_unit_test_setup_teardown(test_progress, setup, teardown),
	    cmocka_unit_test_setup_teardown(test_refused, setup, teardown),
	    cmocka_unit_test_setup_teardown(test_partial_retry_undo, setup, teardown),
	    cmocka_unit_test(test_planner),
	    cmocka_unit_test(test_rollback_canary),
	    cmocka_unit_test(test_readonly),
	    cmocka_unit_test_setup_teardown(test_sanitized, setup, teardown),
	    cmocka_unit_test_setup_teardown(test_noplan, setup, teardown),
	    cmocka_unit_test_setup_teardown(test_small_sizes, setup, teardown),
	};
	return cmocka_run_group_tests(tests, group_setup, group_teardown);
}
