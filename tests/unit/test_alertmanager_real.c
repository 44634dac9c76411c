/* test_alertmanager_real: the Alertmanager client against a real Alertmanager (0.25, the Debian
 * package), started by tests/integration/alertmanager_real.sh on a free loopback port and given
 * here as MLTOP_AM_URL (without it, as in a plain run of the unit tests, it skips). An alert is
 * posted, read back through the client, silenced with the client (amtool must see the silence),
 * found muted, expired with the client (amtool must see it expired); the error bodies of the real
 * server come out as one line. */
#include "tests/unit/test_sim_mlflow.h"

#include "clients/clock.h"
#include "clients/alertmanager.h"
#include "clients/http.h"
#include "tests/unit/opsfx.h"

static const char *am_url;
static struct sim am; /* only its port: the request helper of the simulator tests */
static struct http *h;
static int n, rc;
static char msg[ERR_MSG_MAX], made[64];
static struct am_alerts *alerts;
static struct am_silences *silences;
static struct am_groups *groups;

static void on_am(void *ud, struct alertmanager_event *ev)
{
	(void)ud;
	n++;
	rc = ev->rc;
	snprintf(msg, sizeof msg, "%s", ev->err ? ev->err->msg : "");
	snprintf(made, sizeof made, "%s", ev->silence_id);
	if (ev->alerts) {
		am_alerts_free(&alerts);
		alerts = ev->alerts;
		ev->alerts = NULL;
	}
	if (ev->silences) {
		am_silences_free(&silences);
		silences = ev->silences;
		ev->silences = NULL;
	}
	if (ev->groups) {
		am_groups_free(&groups);
		groups = ev->groups;
		ev->groups = NULL;
	}
}

static void wait_one(long op)
{
	int want = n + 1;
	assert_true(op > 0);
	assert_int_equal(opsfx_run(h, &n, want, 10000), want);
}

/* 1 when `amtool silence query [--expired] -q` lists id. */
static int amtool_lists(const char *id, int expired)
{
	char cmd[512], line[128];
	int found = 0;
	snprintf(cmd, sizeof cmd, "amtool --alertmanager.url=%s silence query %s -q", am_url,
	         expired ? "--expired" : "");
	FILE *p = popen(cmd, "r");
	assert_non_null(p);
	while (fgets(line, sizeof line, p))
		found |= strncmp(line, id, strlen(id)) == 0;
	assert_int_equal(pclose(p), 0);
	return found;
}

static const struct am_alert *the_alert(void)
{
	for (size_t i = 0; alerts && i < alerts->n; i++)
		if (strcmp(kvlist_get(&alerts->v[i].labels, "alertname"), "MltopRealTest") == 0)
			return &alerts->v[i];
	return NULL;
}

static void post_alert(void)
{
	struct resp r;
	const char *body =
	    "[{\"labels\":{\"alertname\":\"MltopRealTest\",\"model\":\"fraud\","
	    "\"version\":\"v2\",\"severity\":\"warning\"},\"annotations\":{\"summary\":"
	    "\"error ratio > 5%\"},\"endsAt\":\"2099-01-01T00:00:00Z\"}]";
	http(&am, "POST", "/api/v2/alerts", "application/json", body, &r);
	assert_int_equal(r.status, 200);
	resp_free(&r);
}

static void test_real(void **state)
{
	struct alertmanager_config cfg = {.base_url = am_url};
	struct alertmanager *a = alertmanager_new(h, &cfg, NULL);
	const char *f[] = {"alertname=\"MltopRealTest\""};
	struct am_alerts_query q = {.filters = f, .nfilters = 1};
	(void)state;
	post_alert();
	wait_one(alertmanager_alerts(a, &q, on_am, NULL, NULL));
	assert_int_equal(rc, 0);
	const struct am_alert *al = the_alert();
	assert_non_null(al);
	assert_int_equal(al->state, AM_STATE_ACTIVE);
	assert_string_equal(kvlist_get(&al->annotations, "summary"), "error ratio > 5%");
	assert_int_equal(strlen(al->fingerprint), 16);
	assert_true(al->updated_ms > 0);
	/* its group: exactly the route's group_by labels, and its receiver */
	wait_one(alertmanager_groups(a, &q, on_am, NULL, NULL));
	assert_int_equal(rc, 0);
	assert_int_equal(groups->n, 1);
	assert_int_equal(groups->v[0].labels.n, 2);
	assert_string_equal(kvlist_get(&groups->v[0].labels, "model"), "fraud");
	assert_string_equal(groups->v[0].receiver, "null");
	assert_int_equal(groups->v[0].nalerts, 1);
	/* a silence of its labels, made with the client */
	struct am_matcher m[8];
	size_t nm = alertmanager_matchers_from_labels(&al->labels, m, 8);
	int64_t now = clock_wall_ms();
	struct am_silence_new s = {m, nm, now, now + 3600000, "tester@host", "mltop test", NULL};
	wait_one(alertmanager_silence_create(a, &s, on_am, NULL, NULL));
	assert_int_equal(rc, 0);
	char id[64];
	snprintf(id, sizeof id, "%s", made);
	assert_int_equal(strlen(id), 36);
	assert_true(amtool_lists(id, 0));
	wait_one(alertmanager_silences(a, NULL, 0, on_am, NULL, NULL));
	const struct am_silence *made_one = am_silences_find(silences, id);
	assert_non_null(made_one);
	assert_int_equal(made_one->state, AM_SILENCE_ACTIVE);
	assert_string_equal(made_one->comment, "mltop test");
	assert_int_equal(made_one->nmatchers, 4); /* alertname, model, version, severity */
	assert_true(made_one->ends_ms - now > 3590000);
	wait_one(alertmanager_alerts(a, &q, on_am, NULL, NULL));
	assert_int_equal(the_alert()->state, AM_STATE_SUPPRESSED);
	assert_true(strlist_has(&the_alert()->silenced_by, id));
	/* expired with the client */
	wait_one(alertmanager_silence_expire(a, id, on_am, NULL, NULL));
	assert_int_equal(rc, 0);
	assert_false(amtool_lists(id, 0));
	assert_true(amtool_lists(id, 1));
	wait_one(alertmanager_alerts(a, &q, on_am, NULL, NULL));
	assert_int_equal(the_alert()->state, AM_STATE_ACTIVE);
	alertmanager_free(&a);
}

/* The error bodies of the real server, one line each. */
static void test_real_errors(void **state)
{
	struct alertmanager_config cfg = {.base_url = am_url};
	struct alertmanager *a = alertmanager_new(h, &cfg, NULL);
	(void)state;
	wait_one(alertmanager_silence_expire(a, "c7b8dc1c-141c-4295-b7a5-46e8e7492692", on_am, NULL,
	                                     NULL));
	assert_string_equal(msg, "Alertmanager 500 Internal Server Error: silence not found");
	wait_one(alertmanager_silence_expire(a, "abc", on_am, NULL, NULL));
	assert_string_equal(msg, "Alertmanager 422 Unprocessable Entity: silenceID in path must be "
	                         "of type uuid: \"abc\"");
	const char *brace[] = {"{a=\"b\"}"};
	struct am_alerts_query bq = {.filters = brace, .nfilters = 1};
	wait_one(alertmanager_alerts(a, &bq, on_am, NULL, NULL));
	assert_string_equal(msg, "Alertmanager 400 Bad Request: bad matcher format: {a=\"b\"}");
	alertmanager_free(&a);
}

int main(void)
{
	const struct CMUnitTest tests[] = {cmocka_unit_test(test_real),
	                                   cmocka_unit_test(test_real_errors)};
	am_url = getenv("MLTOP_AM_URL");
	if (!am_url || sscanf(am_url, "http://127.0.0.1:%d", &am.port) != 1) {
		printf(
		    "test_alertmanager_real: skipped (tests/integration/alertmanager_real.sh runs "
		    "it against a real Alertmanager)\n");
		return 0;
	}
	h = http_new(NULL);
	int failed = sim_run_with("alertmanager_real", tests, 2, NULL, NULL);
	am_alerts_free(&alerts);
	am_silences_free(&silences);
	am_groups_free(&groups);
	http_free(&h);
	return failed;
}
