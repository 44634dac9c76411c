/* Registry and Serving both show the MLflow registry's models and versions: with both panels
 * open on one shell (Serving polling KServe too, which this server does not have), each refresh
 * asks MLflow once for the models and once for the versions, and both panels get the answer (the
 * requests counted by the test server). */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>

#include "panels/registry.h"
#include "panels/serving.h"
#include "tests/unit/panelh.h"
#include "tests/unit/screen.h"
#include "tests/unit/testsrv.h"

#define API "/api/2.0/mlflow/"

static const char models[] =
    "{\"registered_models\":[{\"name\":\"churn\",\"creation_timestamp\":1700000000000,"
    "\"last_updated_timestamp\":1700000000000}]}";
static const char versions[] =
    "{\"model_versions\":[{\"name\":\"churn\",\"version\":\"3\",\"run_id\":\"r3\","
    "\"creation_timestamp\":1700000000000,\"status\":\"READY\"}]}";

/* Requests the server saw whose path ends with suffix. */
static int requests(struct testsrv *srv, const char *suffix)
{
	int n = 0, total = testsrv_request_count(srv);
	for (int back = 0; back < total; back++) {
		struct testsrv_req r;
		assert_int_equal(testsrv_request(srv, back, &r), 0);
		size_t l = strlen(r.path), k = strlen(suffix);
		n += l >= k && strcmp(r.path + l - k, suffix) == 0;
		testsrv_req_fini(&r);
	}
	return n;
}

/* Turns of the loop until both panels have their load and nothing is in flight. */
static void settle_both(struct panelh *h, struct panel *serving)
{
	int64_t deadline = panelh_mono_ms() + 10000;
	do
		panelh_step(h);
	while ((h->p.ops->busy(&h->p) || serving->ops->busy(serving) || http_inflight(h->http)) &&
	       panelh_mono_ms() < deadline);
	assert_false(http_inflight(h->http));
}

static void test_one_poll_for_both(void **state)
{
	(void)state;
	struct testsrv *srv = testsrv_start();
	assert_non_null(srv);
	testsrv_add(srv, "GET", API "registered-models/search", 200, "application/json", models);
	testsrv_add(srv, "GET", API "registered-models/get", 200, "application/json",
	            "{\"registered_model\":{\"name\":\"churn\"}}");
	testsrv_add(srv, "GET", API "model-versions/search", 200, "application/json", versions);
	struct panelh h;
	panelh_init(&h, NULL, 120, 40);
	const char *argv[] = {"--mlflow", testsrv_url(srv), "--kserve", testsrv_url(srv), NULL};
	panelh_config(&h, NULL, argv);
	panelh_create(&h, &registry_ops, NULL);
	h.p.ops->schedule(&h.p, h.sched);
	struct panel serving = {.ops = &serving_ops, .env = &h.env, .dirty = 1};
	struct err e = {0};
	assert_int_equal(serving.ops->create(&serving, &e), 0);
	serving.ops->schedule(&serving, h.sched);

	settle_both(&h, &serving);
	assert_int_equal(requests(srv, "registered-models/search"), 1);
	assert_int_equal(requests(srv, "model-versions/search"), 1);
	char *screen = panelh_draw(&h);
	assert_non_null(strstr(screen, "churn")); /* the Registry panel has the answer */
	free(screen);

	/* the next refresh: again one of each */
	panelh_clock_ms += h.rctx->refresh_ms;
	int64_t deadline = panelh_mono_ms() + 10000;
	while (requests(srv, "model-versions/search") < 2 && panelh_mono_ms() < deadline)
		panelh_step(&h);
	settle_both(&h, &serving);
	assert_int_equal(requests(srv, "registered-models/search"), 2);
	assert_int_equal(requests(srv, "model-versions/search"), 2);

	/* the Serving panel goes: the Registry panel's polls go on */
	serving.ops->destroy(&serving);
	panelh_clock_ms += h.rctx->refresh_ms;
	deadline = panelh_mono_ms() + 10000;
	while (requests(srv, "model-versions/search") < 3 && panelh_mono_ms() < deadline)
		panelh_step(&h);
	assert_int_equal(requests(srv, "model-versions/search"), 3);
	panelh_stop(&h);
	testsrv_stop(&srv);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
	    cmocka_unit_test(test_one_poll_for_both),
	};
	if (screen_open(120, 40) < 0)
		return 1;
	int rc = cmocka_run_group_tests(tests, NULL, NULL);
	screen_close();
	return rc;
}
