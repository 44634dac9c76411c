/* The Alerts panel against ./mltop-sim --alerts 25 (clock frozen; started here on a free port,
 * killed at the end), headless at 120x40 and 80x24: the alerts grouped by model and version,
 * inhibited ones dimmed, the badge; `x` with a duration and a comment creates a silence (the row
 * then says who silenced it and until when, and the audit log has the row), `X` expires it;
 * Enter opens the Samples panel on the alert's model, version and feature; a read-only context
 * refuses both writes; text with escape sequences is drawn harmlessly; when Alertmanager fails
 * the cached alerts stay with the error and "stale". Goldens in tests/golden/alerts_*.txt. */
#include "tests/unit/test_sim_mlflow.h"

#include "clients/cache.h"
#include "clients/config.h"
#include "clients/http.h"
#include "clients/jsonw.h"
#include "clients/sched.h"
#include "panels/alerts.h"
#include "tests/unit/panelh.h"
#include "tests/unit/screen.h"

#define START_MS 1760000000000LL

static void harness_start(struct panelh *h, struct cache *cache, int readonly, int cols, int rows)
{
	panelh_init(h, cache, cols, rows);
	snprintf(h->url, sizeof h->url, "http://127.0.0.1:%d", main_sim.port);
	h->ctx.src[SRC_ALERTMANAGER].url = h->url;
	h->ctx.readonly = readonly;
	panelh_create(h, &alerts_ops, NULL);
	assert_int_equal(h->p.ops->polls(&h->p), 1u << SRC_ALERTMANAGER);
}

struct audit_seen {
	int silence, expire;
	char detail[1024];
};

static int on_audit(void *ud, const struct audit_row *r)
{
	struct audit_seen *a = ud;
	if (!strcmp(r->action, "silence") && r->result && !strcmp(r->result, "ok")) {
		a->silence++;
		snprintf(a->detail, sizeof a->detail, "%s", r->detail ? r->detail : "");
	}
	if (!strcmp(r->action, "expire") && r->result && !strcmp(r->result, "ok"))
		a->expire++;
	return 0;
}

static void test_alerts_silence_expire(void **state)
{
	(void)state;
	struct err e = {0};
	struct cache *c = cache_open(":memory:", &e);
	assert_non_null(c);
	struct panelh h;
	harness_start(&h, c, 0, 120, 40);
	h.p.ops->schedule(&h.p, h.sched);
	assert_true(h.p.ops->busy(&h.p));
	panelh_settle(&h);

	char *dump = panelh_draw(&h);
	/* grouped: model, then version, the critical ones first within a version */
	int v1 = panelh_line_of(dump, "bench-model-000    v1"),
	    v2 = panelh_line_of(dump, "bench-model-000    v2");
	int m1 = panelh_line_of(dump, "bench-model-001");
	assert_true(v1 > 0 && v1 < v2 && v2 < m1);
	assert_true(panelh_line_of(dump, " crit  ModelFeatureDrift    bench-model-000    v2") <
	            v2 + 1);
	int inh = panelh_line_of(dump, "feature_01     PSI 0.11");
	assert_true(inh > 0);
	assert_true(screen_attr(stdscr, inh, 10) & A_DIM);     /* inhibited: dimmed */
	assert_false(screen_attr(stdscr, v1 + 1, 10) & A_DIM); /* a firing one is not */
	assert_int_equal(h.p.ops->badge(&h.p), 4);             /* 4 critical, none muted */
	assert_non_null(strstr(dump, "DRIFT PSI"));
	free(dump);
	assert_true(panelh_hint(&h, "x") && panelh_hint(&h, "X"));

	/* Enter: the Samples panel on the alert's model, version and feature */
	panelh_key(&h, 'j');
	panelh_key(&h, '\n');
	assert_string_equal(h.opened,
	                    "samples model=bench-model-000 version=v1 feature=feature_07");

	/* x on the first critical: duration, comment (required), the matchers shown, y */
	panelh_key(&h, 'g');
	panelh_key(&h, 'x');
	panelh_type(&h, "2x");
	h.p.ops->text(&h.p, '\n', 0);
	dump = panelh_draw(&h);
	assert_non_null(strstr(dump, "not a duration"));
	free(dump);
	h.p.ops->text(&h.p, KEY_BACKSPACE, 1);
	panelh_type(&h, "h");
	h.p.ops->text(&h.p, '\n', 0);
	h.p.ops->text(&h.p, '\n', 0); /* an empty comment is refused */
	dump = panelh_draw(&h);
	assert_non_null(strstr(dump, "a comment is required"));
	free(dump);
	panelh_type(&h, "retraining tonight");
	h.p.ops->text(&h.p, '\n', 0);
	dump = panelh_draw(&h);
	assert_non_null(
	    strstr(dump, "Silence alertname=\"ModelFeatureDrift\", model=\"bench-model-000\""));
	assert_non_null(strstr(dump, "for 2h by mltop: retraining tonight"));
	free(dump);
	panelh_key(&h, 'y');
	panelh_wait_screen(&h, "silenced by mltop until 10:53", 1);
	panelh_settle(&h);
	assert_int_equal(h.p.ops->badge(&h.p), 3);
	dump = panelh_draw(&h);
	assert_int_equal(screen_golden("alerts_120x40", dump), 0);
	int sil = panelh_line_of(dump, "silenced by mltop until 10:53");
	assert_true(screen_attr(stdscr, sil, 10) & A_DIM);
	free(dump);

	/* --snapshot --json: the rows with labels, state, who silenced them and until when */
	struct jsonw *jw = jsonw_new();
	jsonw_obj_begin(jw, NULL);
	h.p.ops->json(&h.p, jw);
	jsonw_obj_end(jw);
	const char *js = jsonw_text(jw, NULL);
	assert_non_null(js);
	assert_non_null(strstr(js, "\"firing_critical\":3"));
	assert_non_null(strstr(js, "\"silenced_by_user\":\"mltop\""));
	assert_non_null(strstr(js, "\"silenced_until\":\"2025-10-09T10:53:20.000Z\""));
	assert_non_null(strstr(js, "\"labels\":{\"alertname\":\"ModelFeatureDrift\""));
	assert_non_null(strstr(js, "\"state\":\"suppressed\""));
	assert_non_null(strstr(js, "\"drift\":{\"metric\":\"psi\""));
	jsonw_free(&jw);

	struct audit_seen a = {0};
	assert_true(cache_audit_list(c, "test", 0, on_audit, &a, &e) >= 1);
	assert_int_equal(a.silence, 1);
	assert_non_null(strstr(a.detail, "silence "));
	assert_non_null(strstr(a.detail, "feature=\"feature_00\""));

	/* X: expire it (asked first) */
	panelh_key(&h, 'X');
	dump = panelh_draw(&h);
	assert_non_null(strstr(dump, "Expire silence "));
	free(dump);
	panelh_key(&h, 'y');
	panelh_wait_screen(&h, "silenced by mltop", 0);
	panelh_settle(&h);
	assert_int_equal(h.p.ops->badge(&h.p), 4);
	memset(&a, 0, sizeof a);
	cache_audit_list(c, "test", 0, on_audit, &a, &e);
	assert_int_equal(a.expire, 1);
	panelh_stop(&h);

	/* Alertmanager fails: the cached alerts stay, with the error and "stale" */
	char body[256];
	snprintf(body, sizeof body,
	         "{\"prefix\":\"/api/v2/\",\"kind\":\"status\",\"status\":503,"
	         "\"content_type\":\"text/plain\",\"body\":\"starting\"}");
	cJSON_Delete(post("/-/sim/faults", body));
	harness_start(&h, c, 0, 120, 40);
	dump = panelh_draw(&h);
	assert_non_null(strstr(dump, "cached"));
	assert_non_null(strstr(dump, "bench-model-000"));
	free(dump);
	h.p.ops->schedule(&h.p, h.sched);
	panelh_settle(&h);
	dump = panelh_draw(&h);
	assert_non_null(strstr(dump, "Alertmanager 503"));
	assert_non_null(strstr(dump, "stale"));
	assert_non_null(strstr(dump, "bench-model-000"));
	free(dump);
	panelh_stop(&h);
	struct resp r;
	http(&main_sim, "DELETE", "/-/sim/faults", NULL, NULL, &r);
	resp_free(&r);
	cache_close(&c);
}

static void test_alerts_readonly_hostile_small(void **state)
{
	(void)state;
	struct resp r;
	http(&main_sim, "POST", "/api/v2/alerts", "application/json",
	     "[{\"labels\":{\"alertname\":\"Evil\\u001b[31mRed\",\"model\":\"zz-model\","
	     "\"severity\":\"critical\"},\"annotations\":{\"value\":\"\\u202e9.9\"}}]",
	     &r);
	assert_int_equal(r.status, 200);
	resp_free(&r);
	struct panelh h;
	harness_start(&h, NULL, 1, 80, 24);
	h.p.ops->schedule(&h.p, h.sched);
	panelh_settle(&h);
	assert_false(panelh_hint(&h, "x"));
	assert_false(panelh_hint(&h, "X"));
	panelh_key(&h, 'x');
	assert_non_null(strstr(h.notified, "read-only"));
	panelh_key(&h, 'X');
	assert_non_null(strstr(h.notified, "read-only"));
	panelh_key(&h, 'G');
	screen_close();
	assert_int_equal(screen_open(80, 24), 0);
	char *dump = panelh_draw(&h);
	assert_null(strchr(dump, 0x1b));
	assert_non_null(strstr(dump, "Evil\\e[31mRed"));
	assert_null(strstr(dump, "\xe2\x80\xae")); /* no bidi override reaches the terminal */
	assert_int_equal(screen_golden("alerts_80x24", dump), 0);
	free(dump);
	panelh_stop(&h);
	screen_close();
	assert_int_equal(screen_open(120, 40), 0);
}

/* An answer of the wrong shape in parts: what is not an alert is left out and said; values
 * that are not numbers ("NaN", a number for a time) do not crash and show as sent. */
static void test_alerts_wrong_shapes(void **state)
{
	(void)state;
	cJSON_Delete(post("/-/sim/faults",
	                  "{\"prefix\":\"/api/v2/alerts\",\"kind\":\"status\",\"status\":200,"
	                  "\"content_type\":\"application/json\",\"body\":\"[\\\"x\\\",7,"
	                  "{\\\"labels\\\":{\\\"alertname\\\":\\\"Solo\\\",\\\"model\\\":"
	                  "\\\"m\\\",\\\"feature\\\":\\\"f\\\"},\\\"annotations\\\":"
	                  "{\\\"value\\\":\\\"NaN\\\"},\\\"startsAt\\\":5,"
	                  "\\\"status\\\":[]}]\"}"));
	struct panelh h;
	harness_start(&h, NULL, 0, 120, 40);
	h.p.ops->schedule(&h.p, h.sched);
	panelh_settle(&h);
	char *dump = panelh_draw(&h);
	assert_non_null(strstr(dump, "Solo"));
	assert_non_null(strstr(dump, "NaN"));
	assert_non_null(strstr(dump, "2 element(s) of the answer were not alerts"));
	assert_null(strstr(dump, "DRIFT")); /* no number, no drift cell */
	free(dump);
	panelh_stop(&h);
	struct resp r;
	http(&main_sim, "DELETE", "/-/sim/faults", NULL, NULL, &r);
	resp_free(&r);
}

static void test_alerts_unconfigured(void **state)
{
	(void)state;
	struct panelh h;
	harness_start(&h, NULL, 0, 120, 40);
	h.ctx.src[SRC_ALERTMANAGER].url = NULL;
	h.p.ops->destroy(&h.p);
	struct err e = {0};
	assert_int_equal(h.p.ops->create(&h.p, &e), 0);
	assert_int_equal(h.p.ops->polls(&h.p), 0);
	char *dump = panelh_draw(&h);
	assert_non_null(strstr(dump, "--alertmanager URL"));
	free(dump);
	assert_int_equal(h.p.ops->badge(&h.p), 0);
	panelh_stop(&h);
}

static int group_setup(void **state)
{
	const char *args[] = {"--seed",   "7",  "--start-ms", "1760000000000", "--time-scale", "0",
	                      "--alerts", "25", NULL};
	(void)state;
	return sim_screen_group_setup(args, 120, 40);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
	    cmocka_unit_test(test_alerts_silence_expire),
	    cmocka_unit_test(test_alerts_readonly_hostile_small),
	    cmocka_unit_test(test_alerts_wrong_shapes),
	    cmocka_unit_test(test_alerts_unconfigured),
	};
	return sim_run_with("panel_alerts", tests, sizeof tests / sizeof tests[0], group_setup,
	                    sim_screen_group_teardown);
}
