/* test_sim_ops_kserve: mltop-sim's KServe InferenceServices against docs/wire-formats.md, KServe:
 * list and object shapes, Kubernetes Status errors (403, 404, 405, 409, 415, 422), and the canary
 * semantics (P %, step, 0 rolls back, null promotes) with the traffic following the split. The
 * controller's timeline (readiness, failures, the two-step rollback, raw mode) is in
 * test_sim_kserve_ctl.c. */
#include "tests/unit/test_sim_ops.h"

#define WEBHOOK_DENIED                                                                             \
	"admission webhook \"inferenceservice.kserve-webhook-server.validator\" denied the "       \
	"request: "

static const char *const models[][2] = {
    {"churn-classifier", "3"}, {"fraud-detector", "2"}, {"search-ranking", "1"}};

static void check_status_error(const cJSON *j, int code, const char *reason)
{
	assert_string_equal(str(j, "kind"), "Status");
	assert_string_equal(str(j, "apiVersion"), "v1");
	assert_true(cJSON_IsObject(item(j, "metadata")));
	assert_string_equal(str(j, "status"), "Failure");
	assert_string_equal(str(j, "reason"), reason);
	assert_non_null(str(j, "message"));
	assert_int_equal(item(j, "code")->valueint, code);
}

static void check_isvc(const cJSON *o, const char *name, const char *version)
{
	const cJSON *meta = item(o, "metadata"), *spec = item(item(o, "spec"), "predictor");
	const cJSON *st = item(o, "status"), *pred = predictor_status(o), *c, *t;
	char *src = version_source(name, version), rev[128];
	int ready = 0;

	assert_string_equal(str(o, "apiVersion"), "serving.kserve.io/v1beta1");
	assert_string_equal(str(o, "kind"), "InferenceService");
	assert_string_equal(str(meta, "name"), name);
	assert_string_equal(str(meta, "namespace"), "models");
	assert_true(cJSON_IsString(item(meta, "resourceVersion")));
	assert_true(cJSON_IsNumber(item(meta, "generation")));
	assert_int_equal(strlen(str(meta, "uid")), 36);
	assert_string_equal(str(item(spec, "model"), "storageUri"), src);
	assert_null(item(spec, "canaryTrafficPercent"));
	assert_non_null(strstr(str(st, "url"), name));
	assert_int_equal(item(st, "observedGeneration")->valueint,
	                 item(meta, "generation")->valueint);
	cJSON_ArrayForEach(c, item(st, "conditions"))
	{
		assert_string_equal(str(c, "status"), "True");
		assert_non_null(str(c, "lastTransitionTime"));
		ready += strcmp(str(c, "type"), "Ready") == 0;
	}
	assert_int_equal(ready, 1);
	snprintf(rev, sizeof(rev), "%s-predictor-00001", name);
	assert_string_equal(str(pred, "latestReadyRevision"), rev);
	assert_string_equal(str(pred, "latestRolledoutRevision"), rev);
	assert_int_equal(cJSON_GetArraySize(item(pred, "traffic")), 1);
	t = cJSON_GetArrayItem(item(pred, "traffic"), 0);
	assert_true(cJSON_IsTrue(item(t, "latestRevision")));
	assert_int_equal(item(t, "percent")->valueint, 100);
	assert_string_equal(str(t, "revisionName"), rev);
	free(src);
}

static void test_list_and_get(void **state)
{
	cJSON *j, *o;
	size_t i;

	(void)state;
	j = get(ISVC_PATH);
	assert_string_equal(str(j, "kind"), "InferenceServiceList");
	assert_string_equal(str(j, "apiVersion"), "serving.kserve.io/v1beta1");
	assert_true(cJSON_IsString(item(item(j, "metadata"), "resourceVersion")));
	assert_int_equal(cJSON_GetArraySize(item(j, "items")), 3);
	for (i = 0; i < 3; i++)
		check_isvc(cJSON_GetArrayItem(item(j, "items"), (int)i), models[i][0],
		           models[i][1]);
	cJSON_Delete(j);
	for (i = 0; i < 3; i++) {
		o = isvc_get(models[i][0]);
		check_isvc(o, models[i][0], models[i][1]);
		cJSON_Delete(o);
	}
	j = get("/apis/serving.kserve.io/v1beta1/namespaces/default/inferenceservices");
	assert_int_equal(cJSON_GetArraySize(item(j, "items")), 0);
	cJSON_Delete(j);
	j = get("/apis/serving.kserve.io/v1beta1/inferenceservices");
	assert_int_equal(cJSON_GetArraySize(item(j, "items")), 3);
	cJSON_Delete(j);
	j = get(ISVC_PATH "?labelSelector=app%3Dfraud-detector");
	assert_int_equal(cJSON_GetArraySize(item(j, "items")), 1);
	cJSON_Delete(j);
	j = get(ISVC_PATH "?labelSelector=app!%3Dfraud-detector,team%3Dml-platform");
	assert_int_equal(cJSON_GetArraySize(item(j, "items")), 2);
	cJSON_Delete(j);
}

static void test_errors(void **state)
{
	cJSON *j;

	(void)state;
	j = call(&main_sim, "GET", ISVC_PATH "/no-such-model", NULL, 404);
	check_status_error(j, 404, "NotFound");
	assert_string_equal(str(j, "message"),
	                    "inferenceservices.serving.kserve.io \"no-such-model\" not found");
	assert_string_equal(str(item(j, "details"), "name"), "no-such-model");
	assert_string_equal(str(item(j, "details"), "group"), "serving.kserve.io");
	cJSON_Delete(j);
	j = call(&main_sim, "GET",
	         "/apis/serving.kserve.io/v1beta1/namespaces/default/inferenceservices/"
	         "churn-classifier",
	         NULL, 404);
	check_status_error(j, 404, "NotFound");
	cJSON_Delete(j);
	j = call(&main_sim, "DELETE", ISVC_PATH "/churn-classifier", NULL, 405);
	check_status_error(j, 405, "MethodNotAllowed");
	cJSON_Delete(j);
	j = call(&main_sim, "POST", ISVC_PATH, "{}", 405);
	check_status_error(j, 405, "MethodNotAllowed");
	cJSON_Delete(j);
	j = isvc_patch("no-such-model", MERGE_PATCH, "{\"spec\":{}}", 404);
	check_status_error(j, 404, "NotFound");
	cJSON_Delete(j);
}

/* Custom resources take merge patch, JSON Patch and apply: strategic merge patch and anything
 * else is 415 and changes nothing. */
static void test_patch_media_types(void **state)
{
	const char *types[] = {"application/json", "application/strategic-merge-patch+json",
	                       "text/plain", NULL};
	const char *body = "{\"spec\":{\"predictor\":{\"canaryTrafficPercent\":10}}}";
	cJSON *before = isvc_get("fraud-detector"), *after, *j;
	size_t i;

	(void)state;
	for (i = 0; i < sizeof(types) / sizeof(types[0]); i++) {
		j = isvc_patch("fraud-detector", types[i], body, 415);
		check_status_error(j, 415, "UnsupportedMediaType");
		assert_non_null(strstr(str(j, "message"), "application/merge-patch+json"));
		cJSON_Delete(j);
	}
	after = isvc_get("fraud-detector");
	assert_true(cJSON_Compare(before, after, 1));
	cJSON_Delete(after);
	/* a charset parameter is fine; a patch without a new storageUri keeps the revision */
	j = isvc_patch("fraud-detector", "application/merge-patch+json; charset=utf-8",
	               "{\"metadata\":{\"labels\":{\"tier\":\"gold\"}}}", 200);
	assert_string_equal(str(item(item(j, "metadata"), "labels"), "tier"), "gold");
	assert_string_equal(str(item(item(j, "metadata"), "labels"), "app"), "fraud-detector");
	assert_int_equal(item(item(j, "metadata"), "generation")->valueint,
	                 item(item(before, "metadata"), "generation")->valueint);
	assert_true(atol(str(item(j, "metadata"), "resourceVersion")) >
	            atol(str(item(before, "metadata"), "resourceVersion")));
	assert_int_equal(traffic_percent(j, 1), 100);
	cJSON_Delete(j);
	cJSON_Delete(before);
}

/* The CRD schema (a field of the wrong type) is 422; KServe's webhook (a percent outside
 * 0..100) is 403; neither changes anything. */
static void test_patch_invalid(void **state)
{
	const char *schema[] = {
	    "{\"spec\":{\"predictor\":{\"canaryTrafficPercent\":\"ten\"}}}",
	    "{\"spec\":{\"predictor\":{\"canaryTrafficPercent\":12.5}}}",
	    "{\"spec\":{\"predictor\":{\"model\":{\"storageUri\":7}}}}",
	    "{\"spec\":{\"predictor\":null}}",
	};
	const char *webhook[] = {
	    "{\"spec\":{\"predictor\":{\"canaryTrafficPercent\":101}}}",
	    "{\"spec\":{\"predictor\":{\"canaryTrafficPercent\":-1}}}",
	};
	cJSON *before = isvc_get("search-ranking"), *after, *j;
	size_t i;

	(void)state;
	for (i = 0; i < sizeof(schema) / sizeof(schema[0]); i++) {
		j = isvc_patch("search-ranking", MERGE_PATCH, schema[i], 422);
		check_status_error(j, 422, "Invalid");
		assert_non_null(strstr(str(j, "message"), "\"search-ranking\" is invalid"));
		assert_non_null(
		    str(cJSON_GetArrayItem(item(item(j, "details"), "causes"), 0), "field"));
		cJSON_Delete(j);
	}
	j = isvc_patch("search-ranking", MERGE_PATCH, schema[0], 422);
	assert_string_equal(str(cJSON_GetArrayItem(item(item(j, "details"), "causes"), 0), "field"),
	                    "spec.predictor.canaryTrafficPercent");
	assert_string_equal(str(j, "message"),
	                    "InferenceService.serving.kserve.io \"search-ranking\" is invalid: "
	                    "spec.predictor.canaryTrafficPercent: Invalid value: \"string\": "
	                    "spec.predictor.canaryTrafficPercent in body must be of type integer: "
	                    "\"string\"");
	cJSON_Delete(j);
	for (i = 0; i < sizeof(webhook) / sizeof(webhook[0]); i++) {
		j = isvc_patch("search-ranking", MERGE_PATCH, webhook[i], 403);
		check_status_error(j, 403, "Forbidden");
		assert_int_equal(strncmp(str(j, "message"), WEBHOOK_DENIED, strlen(WEBHOOK_DENIED)),
		                 0);
		cJSON_Delete(j);
	}
	j = isvc_patch("search-ranking", MERGE_PATCH, "{not json", 400);
	check_status_error(j, 400, "BadRequest");
	cJSON_Delete(j);
	j = isvc_patch("search-ranking", MERGE_PATCH,
	               "{\"metadata\":{\"resourceVersion\":\"1\"},\"spec\":{}}", 409);
	check_status_error(j, 409, "Conflict");
	cJSON_Delete(j);
	after = isvc_get("search-ranking");
	assert_true(cJSON_Compare(before, after, 1));
	cJSON_Delete(after);
	cJSON_Delete(before);
}

/* ---- canary, step, rollback, promote ---- */

static const char *revision(const cJSON *isvc, const char *key)
{
	return str(predictor_status(isvc), key);
}

static long generation(const cJSON *isvc)
{
	return (long)item(item(isvc, "metadata"), "generation")->valuedouble;
}

static long resource_version(const cJSON *isvc)
{
	return atol(str(item(isvc, "metadata"), "resourceVersion"));
}

static void check_tags(const cJSON *isvc)
{
	const cJSON *t;

	cJSON_ArrayForEach(t, item(predictor_status(isvc), "traffic"))
	{
		assert_string_equal(str(t, "tag"),
		                    cJSON_IsTrue(item(t, "latestRevision")) ? "latest" : "prev");
		assert_non_null(strstr(str(t, "url"), str(t, "tag")));
	}
}

static void test_canary_and_step(void **state)
{
	cJSON *o = isvc_get("churn-classifier"), *p;
	long gen = generation(o), rv = resource_version(o);
	double share;

	(void)state;
	cJSON_Delete(o);
	assert_true(v5_share_next_minute() == 0);
	/* canary v5 at 25 %: a new revision takes 25 %, the rolled-out one 75 % */
	canary_churn_v5(25);
	o = isvc_get("churn-classifier");
	assert_int_equal(item(item(item(o, "spec"), "predictor"), "canaryTrafficPercent")->valueint,
	                 25);
	assert_string_equal(revision(o, "latestReadyRevision"), "churn-classifier-predictor-00002");
	assert_string_equal(revision(o, "latestCreatedRevision"),
	                    "churn-classifier-predictor-00002");
	assert_string_equal(revision(o, "latestRolledoutRevision"),
	                    "churn-classifier-predictor-00001");
	assert_int_equal(traffic_percent(o, 1), 25);
	assert_int_equal(traffic_percent(o, 0), 75);
	check_tags(o);
	assert_int_equal(generation(o), gen + 1);
	assert_true(resource_version(o) > rv);
	cJSON_Delete(o);
	share = v5_share_next_minute();
	assert_true(share > 0.22 && share < 0.28);
	/* step to 50 %: same revision, traffic at the next reconcile */
	p = isvc_patch_get("churn-classifier",
	                   "{\"spec\":{\"predictor\":{\"canaryTrafficPercent\":50}}}");
	assert_string_equal(revision(p, "latestReadyRevision"), "churn-classifier-predictor-00002");
	assert_int_equal(traffic_percent(p, 1), 50);
	assert_int_equal(traffic_percent(p, 0), 50);
	assert_int_equal(generation(p), gen + 2);
	cJSON_Delete(p);
	share = v5_share_next_minute();
	assert_true(share > 0.46 && share < 0.54);
}

/* After test_canary_and_step (v5 at 50 %). */
static void test_rollback_promote_revert(void **state)
{
	char *v3 = version_source("churn-classifier", "3"), body[700];
	cJSON *p;

	(void)state;
	/* 0 rolls back: everything to the previous revision */
	p = isvc_patch_get("churn-classifier",
	                   "{\"spec\":{\"predictor\":{\"canaryTrafficPercent\":0}}}");
	assert_int_equal(traffic_percent(p, 1), 0);
	assert_int_equal(traffic_percent(p, 0), 100);
	assert_string_equal(revision(p, "latestRolledoutRevision"),
	                    "churn-classifier-predictor-00001");
	cJSON_Delete(p);
	assert_true(v5_share_next_minute() == 0);
	/* null promotes: one entry, the new revision at 100 %, the old one becomes previous */
	p = isvc_patch_get("churn-classifier",
	                   "{\"spec\":{\"predictor\":{\"canaryTrafficPercent\":null}}}");
	assert_null(item(item(item(p, "spec"), "predictor"), "canaryTrafficPercent"));
	assert_int_equal(cJSON_GetArraySize(item(predictor_status(p), "traffic")), 1);
	assert_int_equal(traffic_percent(p, 1), 100);
	assert_string_equal(revision(p, "latestRolledoutRevision"),
	                    "churn-classifier-predictor-00002");
	assert_string_equal(revision(p, "previousRolledoutRevision"),
	                    "churn-classifier-predictor-00001");
	cJSON_Delete(p);
	assert_true(v5_share_next_minute() == 1);
	/* back to v3 for good: another revision, rolled out once ready */
	snprintf(body, sizeof(body),
	         "{\"spec\":{\"predictor\":{\"model\":{\"storageUri\":\"%s\"}}}}", v3);
	cJSON_Delete(isvc_patch("churn-classifier", MERGE_PATCH, body, 200));
	p = isvc_settled("churn-classifier");
	assert_string_equal(revision(p, "latestRolledoutRevision"),
	                    "churn-classifier-predictor-00003");
	assert_string_equal(revision(p, "previousRolledoutRevision"),
	                    "churn-classifier-predictor-00002");
	assert_int_equal(traffic_percent(p, 1), 100);
	cJSON_Delete(p);
	assert_true(v5_share_next_minute() == 0);
	/* without tag routing the latest entry carries no tag */
	p = isvc_patch_get(
	    "churn-classifier",
	    "{\"metadata\":{\"annotations\":{\"serving.kserve.io/enable-tag-routing\":null}}}");
	assert_null(item(cJSON_GetArrayItem(item(predictor_status(p), "traffic"), 0), "tag"));
	cJSON_Delete(p);
	/* but the prev entry is tagged, with its URL, all the same */
	p = isvc_patch_get("churn-classifier",
	                   "{\"spec\":{\"predictor\":{\"canaryTrafficPercent\":50}}}");
	assert_null(item(traffic_entry(p, 1), "tag"));
	assert_null(item(traffic_entry(p, 1), "url"));
	assert_string_equal(str(traffic_entry(p, 0), "tag"), "prev");
	assert_string_equal(str(traffic_entry(p, 0), "url"),
	                    "http://prev-churn-classifier-predictor.models.example.com");
	cJSON_Delete(p);
	free(v3);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
	    cmocka_unit_test(test_list_and_get),
	    cmocka_unit_test(test_errors),
	    cmocka_unit_test(test_patch_media_types),
	    cmocka_unit_test(test_patch_invalid),
	    cmocka_unit_test(test_canary_and_step),
	    cmocka_unit_test(test_rollback_promote_revert),
	};

	return sim_run_group("sim_ops_kserve", tests, sizeof(tests) / sizeof(tests[0]));
}
