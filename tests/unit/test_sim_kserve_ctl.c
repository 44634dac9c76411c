/* test_sim_kserve_ctl: mltop-sim's KServe controller as the real one behaves, on a frozen world
 * clock moved by /-/sim/advance: a canary that is not ready yet (both entries name the rolled-out
 * revision, Ready Unknown), readiness after 3 s bumping resourceVersion (a PATCH with the old one
 * is a 409), a storageUri that names no registry version (200, then RevisionFailed, never any
 * traffic), the two-step rollback after a promotion, nothing rolled back without a previous
 * revision, a label change making a revision, JSON Patch and apply, raw deployment mode, a fault
 * on exactly one step of a rollout, and /-/sim/state against what the servers answer. */
#include "tests/unit/test_sim_ops.h"

#define REV(model, n) model "-predictor-0000" #n
#define CHURN         "churn-classifier"
#define SEARCH        "search-ranking"
#define FRAUD         "fraud-detector"
#define JSON_PATCH    "application/json-patch+json"

/* The newest resourceVersion handed out (the list's). */
static long list_rv(void)
{
	cJSON *j = get(ISVC_PATH);
	long rv = atol(str(item(j, "metadata"), "resourceVersion"));

	cJSON_Delete(j);
	return rv;
}

static long rv_of(const cJSON *isvc)
{
	return atol(str(item(isvc, "metadata"), "resourceVersion"));
}

static const char *pred(const cJSON *isvc, const char *key)
{
	const char *v = str(predictor_status(isvc), key);

	return v ? v : "";
}

/* The latest entry and the prev entry: revision and percent each. */
static void check_traffic(const cJSON *isvc, const char *latest_rev, int latest_pct,
                          const char *prev_rev, int prev_pct)
{
	const cJSON *l = traffic_entry(isvc, 1), *p = traffic_entry(isvc, 0);

	assert_non_null(l);
	assert_string_equal(str(l, "revisionName"), latest_rev);
	assert_int_equal(item(l, "percent")->valueint, latest_pct);
	if (!prev_rev) {
		assert_null(p);
		assert_int_equal(cJSON_GetArraySize(item(predictor_status(isvc), "traffic")), 1);
		return;
	}
	assert_non_null(p);
	assert_string_equal(str(p, "revisionName"), prev_rev);
	assert_int_equal(item(p, "percent")->valueint, prev_pct);
	assert_string_equal(str(p, "tag"), "prev");
	assert_non_null(strstr(str(p, "url"), "http://prev-"));
}

static void check_ready(const cJSON *isvc, const char *want, const char *transition)
{
	const char *types[] = {"Ready", "PredictorReady", "LatestDeploymentReady"};

	for (size_t i = 0; i < sizeof(types) / sizeof(types[0]); i++)
		assert_string_equal(condition_status(isvc, types[i]), want);
	assert_string_equal(str(item(item(isvc, "status"), "modelStatus"), "transitionStatus"),
	                    transition);
}

/* The end state of one InferenceService, from /-/sim/state (the caller frees the whole). */
static const cJSON *state_isvc(cJSON *state, const char *name)
{
	const cJSON *o;

	cJSON_ArrayForEach(o, item(state, "inferenceservices"))
	{
		if (strcmp(str(o, "name"), name) == 0)
			return o;
	}
	fail_msg("%s is not in the state", name);
	return NULL;
}

/* The split of name in /-/sim/state as "v3=90 v5=10". */
static void state_split(const char *name, char *out, size_t cap)
{
	cJSON *s = get("/-/sim/state");
	const cJSON *v;
	size_t n = 0;

	out[0] = '\0';
	cJSON_ArrayForEach(v, item(state_isvc(s, name), "split"))
	{
		n += (size_t)snprintf(out + n, cap - n, "%s%s=%d", n ? " " : "", v->string,
		                      v->valueint);
	}
	cJSON_Delete(s);
}

static void check_split(const char *name, const char *want)
{
	char got[128];

	state_split(name, got, sizeof(got));
	assert_string_equal(got, want);
}

/* A canary's merge patch, carrying resourceVersion rv (none when rv is 0). */
static char *canary_body(const char *model, const char *version, int percent, long rv)
{
	char *src = version_source(model, version), *body = malloc(900), meta[80] = "";

	if (rv)
		snprintf(meta, sizeof(meta), "\"metadata\":{\"resourceVersion\":\"%ld\"},", rv);
	snprintf(body, 900,
	         "{%s\"spec\":{\"predictor\":{\"canaryTrafficPercent\":%d,\"model\":{"
	         "\"storageUri\":\"%s\"}}}}",
	         meta, percent, src);
	free(src);
	return body;
}

/* ---- readiness ---- */

static void test_canary_not_ready_yet(void **state)
{
	long rv = list_rv();
	cJSON *o = isvc_get(CHURN);
	char *body = canary_body(CHURN, "5", 10, rv_of(o));

	(void)state;
	cJSON_Delete(o);
	/* the answer is the stored object: the controller has not looked at it yet */
	o = isvc_patch(CHURN, MERGE_PATCH, body, 200);
	assert_int_equal(rv_of(o), rv + 1);
	assert_int_equal(item(item(o, "metadata"), "generation")->valueint, 2);
	assert_string_equal(pred(o, "latestCreatedRevision"), REV(CHURN, 1));
	check_traffic(o, REV(CHURN, 1), 100, NULL, 0);
	cJSON_Delete(o);
	/* its first reconcile: R2 made, not ready; both entries name R1 */
	o = isvc_get(CHURN);
	assert_int_equal(rv_of(o), rv + 2);
	assert_string_equal(pred(o, "latestCreatedRevision"), REV(CHURN, 2));
	assert_string_equal(pred(o, "latestReadyRevision"), REV(CHURN, 1));
	assert_string_equal(pred(o, "latestRolledoutRevision"), REV(CHURN, 1));
	assert_string_equal(pred(o, "previousRolledoutRevision"), "");
	check_traffic(o, REV(CHURN, 1), 10, REV(CHURN, 1), 90);
	check_ready(o, "Unknown", "InProgress");
	assert_int_equal(item(item(o, "status"), "observedGeneration")->valueint, 2);
	cJSON_Delete(o);
	check_split(CHURN, "v3=100");
	/* 2 s later nothing has moved */
	advance_s(2);
	o = isvc_get(CHURN);
	assert_int_equal(rv_of(o), rv + 2);
	check_ready(o, "Unknown", "InProgress");
	cJSON_Delete(o);
	free(body);
}

/* After test_canary_not_ready_yet: ready at 3 s, a new resourceVersion, v5 serves 10 %. */
static void test_canary_ready(void **state)
{
	long rv = list_rv();
	char *stale = canary_body(CHURN, "5", 25, rv), *fresh;
	cJSON *o;
	double share;

	(void)state;
	advance_s(1);
	o = isvc_get(CHURN);
	assert_int_equal(rv_of(o), rv + 1);
	assert_string_equal(pred(o, "latestReadyRevision"), REV(CHURN, 2));
	assert_string_equal(pred(o, "latestRolledoutRevision"), REV(CHURN, 1));
	check_traffic(o, REV(CHURN, 2), 10, REV(CHURN, 1), 90);
	check_ready(o, "True", "UpToDate");
	cJSON_Delete(o);
	check_split(CHURN, "v3=90 v5=10");
	share = v5_share_next_minute();
	assert_true(share > 0.07 && share < 0.13);
	/* the controller's write made the version read before it stale */
	o = isvc_patch(CHURN, MERGE_PATCH, stale, 409);
	assert_string_equal(str(o, "reason"), "Conflict");
	assert_string_equal(str(o, "message"),
	                    "Operation cannot be fulfilled on inferenceservices.serving.kserve.io "
	                    "\"churn-classifier\": the object has been modified; please apply your "
	                    "changes to the latest version and try again");
	cJSON_Delete(o);
	fresh = canary_body(CHURN, "5", 25, list_rv());
	cJSON_Delete(isvc_patch(CHURN, MERGE_PATCH, fresh, 200));
	o = isvc_get(CHURN);
	check_traffic(o, REV(CHURN, 2), 25, REV(CHURN, 1), 75);
	cJSON_Delete(o);
	free(stale);
	free(fresh);
}

/* ---- rollback ---- */

/* After test_canary_ready (v5 at 25 %): promote, then 0 rolls back in two reconciles. */
static void test_rollback_after_promotion(void **state)
{
	cJSON *o;
	long rv;

	(void)state;
	o = isvc_patch_get(CHURN, "{\"spec\":{\"predictor\":{\"canaryTrafficPercent\":null}}}");
	check_traffic(o, REV(CHURN, 2), 100, NULL, 0);
	assert_string_equal(pred(o, "latestRolledoutRevision"), REV(CHURN, 2));
	assert_string_equal(pred(o, "previousRolledoutRevision"), REV(CHURN, 1));
	cJSON_Delete(o);
	check_split(CHURN, "v5=100");
	/* first reconcile: prev names R2 at 100 %, and rolled out goes back to R1 */
	o = isvc_patch_get(CHURN, "{\"spec\":{\"predictor\":{\"canaryTrafficPercent\":0}}}");
	check_traffic(o, REV(CHURN, 2), 0, REV(CHURN, 2), 100);
	assert_string_equal(pred(o, "latestRolledoutRevision"), REV(CHURN, 1));
	assert_string_equal(pred(o, "previousRolledoutRevision"), REV(CHURN, 1));
	cJSON_Delete(o);
	check_split(CHURN, "v5=100");
	/* the next one, half a second later: prev routes to R1 */
	advance_s(1);
	o = isvc_get(CHURN);
	check_traffic(o, REV(CHURN, 2), 0, REV(CHURN, 1), 100);
	check_ready(o, "True", "UpToDate");
	rv = rv_of(o);
	cJSON_Delete(o);
	check_split(CHURN, "v3=100");
	assert_true(v5_share_next_minute() == 0);
	/* and then it rests */
	o = isvc_get(CHURN);
	assert_int_equal(rv_of(o), rv);
	cJSON_Delete(o);
}

/* A percent on a service never promoted before: nothing to roll back to. */
static void test_no_previous_no_rollback(void **state)
{
	cJSON *o;

	(void)state;
	o = isvc_patch_get(SEARCH, "{\"spec\":{\"predictor\":{\"canaryTrafficPercent\":0}}}");
	check_traffic(o, REV(SEARCH, 1), 0, REV(SEARCH, 1), 100);
	cJSON_Delete(o);
	advance_s(2);
	o = isvc_get(SEARCH);
	check_traffic(o, REV(SEARCH, 1), 0, REV(SEARCH, 1), 100);
	assert_string_equal(pred(o, "latestRolledoutRevision"), REV(SEARCH, 1));
	assert_null(item(predictor_status(o), "previousRolledoutRevision"));
	cJSON_Delete(o);
	check_split(SEARCH, "v1=100");
}

/* ---- a storageUri that names nothing ---- */

static void test_failed_revision(void **state)
{
	cJSON *o;
	const cJSON *c;

	(void)state;
	o = isvc_patch(SEARCH, MERGE_PATCH,
	               "{\"spec\":{\"predictor\":{\"canaryTrafficPercent\":20,\"model\":{"
	               "\"storageUri\":\"s3://nowhere/model\"}}}}",
	               200);
	cJSON_Delete(o);
	o = isvc_get(SEARCH);
	assert_string_equal(pred(o, "latestCreatedRevision"), REV(SEARCH, 2));
	check_traffic(o, REV(SEARCH, 1), 20, REV(SEARCH, 1), 80);
	check_ready(o, "Unknown", "InProgress");
	cJSON_Delete(o);
	advance_s(3);
	o = isvc_get(SEARCH);
	check_ready(o, "False", "BlockedByFailedLoad");
	cJSON_ArrayForEach(c, item(item(o, "status"), "conditions"))
	{
		if (strcmp(str(c, "type"), "Ready") == 0) {
			assert_string_equal(str(c, "reason"), "RevisionFailed");
			assert_non_null(strstr(str(c, "message"), REV(SEARCH, 2)));
		}
	}
	assert_int_equal(
	    item(item(item(item(o, "status"), "modelStatus"), "copies"), "failedCopies")->valueint,
	    1);
	assert_string_equal(pred(o, "latestReadyRevision"), REV(SEARCH, 1));
	check_traffic(o, REV(SEARCH, 1), 20, REV(SEARCH, 1), 80);
	cJSON_Delete(o);
	/* promoting it sends everything to the ready revision: the failed one gets nothing */
	o = isvc_patch_get(SEARCH, "{\"spec\":{\"predictor\":{\"canaryTrafficPercent\":null}}}");
	check_traffic(o, REV(SEARCH, 1), 100, NULL, 0);
	assert_string_equal(pred(o, "latestRolledoutRevision"), REV(SEARCH, 1));
	cJSON_Delete(o);
	check_split(SEARCH, "v1=100");
}

/* ---- revisions from metadata ---- */

/* After test_rollback_after_promotion: a label makes R3 (generation stays, it is metadata). */
static void test_label_makes_a_revision(void **state)
{
	cJSON *o;

	(void)state;
	o = isvc_patch_get(CHURN, "{\"metadata\":{\"labels\":{\"tier\":\"gold\"}}}");
	assert_string_equal(pred(o, "latestCreatedRevision"), REV(CHURN, 3));
	assert_int_equal(item(item(o, "metadata"), "generation")->valueint, 5);
	check_ready(o, "Unknown", "InProgress");
	cJSON_Delete(o);
	o = isvc_settled(CHURN);
	check_traffic(o, REV(CHURN, 3), 0, REV(CHURN, 1), 100);
	cJSON_Delete(o);
}

/* ---- patch formats ---- */

static void test_json_patch_and_apply(void **state)
{
	char body[300];
	cJSON *o;

	(void)state;
	snprintf(body, sizeof(body),
	         "[{\"op\":\"test\",\"path\":\"/metadata/resourceVersion\",\"value\":\"%ld\"},"
	         "{\"op\":\"replace\",\"path\":\"/spec/predictor/canaryTrafficPercent\","
	         "\"value\":30}]",
	         list_rv() - 1);
	o = isvc_patch(CHURN, JSON_PATCH, body, 422);
	assert_string_equal(str(o, "reason"), "Invalid");
	cJSON_Delete(o);
	cJSON_Delete(isvc_patch(CHURN, JSON_PATCH, "{\"op\":\"add\"}", 400));
	cJSON_Delete(isvc_patch(CHURN, JSON_PATCH, "[{\"op\":\"explode\",\"path\":\"/x\"}]", 422));
	snprintf(body, sizeof(body),
	         "[{\"op\":\"test\",\"path\":\"/metadata/resourceVersion\",\"value\":\"%ld\"},"
	         "{\"op\":\"replace\",\"path\":\"/spec/predictor/canaryTrafficPercent\","
	         "\"value\":30}]",
	         rv_of(o = isvc_get(CHURN)));
	cJSON_Delete(o);
	o = isvc_patch(CHURN, JSON_PATCH, body, 200);
	assert_int_equal(item(item(item(o, "spec"), "predictor"), "canaryTrafficPercent")->valueint,
	                 30);
	cJSON_Delete(o);
	o = isvc_get(CHURN);
	check_traffic(o, REV(CHURN, 3), 30, REV(CHURN, 1), 70);
	cJSON_Delete(o);
	/* an apply configuration in JSON merges */
	cJSON_Delete(isvc_patch(CHURN, "application/apply-patch+yaml",
	                        "{\"spec\":{\"predictor\":{\"canaryTrafficPercent\":40}}}", 200));
	o = isvc_get(CHURN);
	check_traffic(o, REV(CHURN, 3), 40, REV(CHURN, 1), 60);
	cJSON_Delete(o);
}

/* ---- raw deployment mode ---- */

static void test_raw_mode(void **state)
{
	char *body = canary_body(FRAUD, "1", 10, 0);
	const cJSON *st;
	cJSON *o;

	(void)state;
	o = isvc_get(FRAUD);
	st = item(o, "status");
	assert_string_equal(str(st, "deploymentMode"), "RawDeployment");
	assert_string_equal(
	    str(item(item(o, "metadata"), "annotations"), "serving.kserve.io/deploymentMode"),
	    "RawDeployment");
	assert_null(item(predictor_status(o), "traffic"));
	assert_null(item(predictor_status(o), "latestCreatedRevision"));
	assert_string_equal(condition_status(o, "Ready"), "True");
	assert_null(condition_status(o, "LatestDeploymentReady"));
	cJSON_Delete(o);
	/* the percent is ignored: the new model replaces the old once ready, 100 % */
	cJSON_Delete(isvc_patch(FRAUD, MERGE_PATCH, body, 200));
	check_split(FRAUD, "v2=100");
	advance_s(3);
	o = isvc_get(FRAUD);
	assert_null(item(predictor_status(o), "traffic"));
	assert_string_equal(condition_status(o, "Ready"), "True");
	cJSON_Delete(o);
	check_split(FRAUD, "v1=100");
	/* the mode cannot change */
	o = isvc_patch(FRAUD, MERGE_PATCH,
	               "{\"metadata\":{\"annotations\":{\"serving.kserve.io/deploymentMode\":"
	               "\"Serverless\"}}}",
	               403);
	assert_non_null(strstr(str(o, "message"), "denied the request: update rejected: "
	                                          "deploymentMode cannot be changed"));
	cJSON_Delete(o);
	free(body);
}

/* ---- one step of a rollout failing ---- */

/* The KServe write succeeds, the alias write after it fails once: the state shows exactly
 * that, and the retry goes through. */
static void test_fault_on_one_step(void **state)
{
	const char *alias = "/api/2.0/mlflow/registered-models/alias";
	cJSON *s, *f;

	(void)state;
	cJSON_Delete(post("/-/sim/faults",
	                  "{\"prefix\":\"/api/2.0/mlflow/registered-models/alias\","
	                  "\"method\":\"POST\",\"times\":1,\"kind\":\"status\",\"status\":503,"
	                  "\"body\":\"{\\\"error_code\\\":\\\"TEMPORARILY_UNAVAILABLE\\\"}\","
	                  "\"content_type\":\"application/json\"}"));
	f = get("/-/sim/faults");
	assert_string_equal(str(cJSON_GetArrayItem(item(f, "faults"), 0), "method"), "POST");
	assert_int_equal(item(cJSON_GetArrayItem(item(f, "faults"), 0), "times")->valueint, 1);
	cJSON_Delete(f);
	cJSON_Delete(isvc_patch(CHURN, MERGE_PATCH,
	                        "{\"spec\":{\"predictor\":{\"canaryTrafficPercent\":null}}}", 200));
	/* a GET of the same path is not the fault's */
	cJSON_Delete(get("/api/2.0/mlflow/registered-models/alias?name=" CHURN "&alias=champion"));
	cJSON_Delete(call(&main_sim, "POST", alias,
	                  "{\"name\":\"" CHURN "\",\"alias\":\"champion\",\"version\":\"5\"}",
	                  503));
	s = get("/-/sim/state");
	assert_string_equal(
	    str(item(cJSON_GetArrayItem(item(s, "registered_models"), 0), "aliases"), "champion"),
	    "3");
	assert_true(cJSON_IsNull(item(state_isvc(s, CHURN), "canaryTrafficPercent")));
	cJSON_Delete(s);
	/* it was for one request: gone, and the retry is answered */
	f = get("/-/sim/faults");
	assert_int_equal(cJSON_GetArraySize(item(f, "faults")), 0);
	cJSON_Delete(f);
	cJSON_Delete(
	    post(alias, "{\"name\":\"" CHURN "\",\"alias\":\"champion\",\"version\":\"5\"}"));
	s = get("/-/sim/state");
	assert_string_equal(
	    str(item(cJSON_GetArrayItem(item(s, "registered_models"), 0), "aliases"), "champion"),
	    "5");
	cJSON_Delete(s);
}

/* ---- the end state ---- */

static void test_state_matches_the_servers(void **state)
{
	cJSON *s = get("/-/sim/state"), *o, *mv;
	const cJSON *st, *m, *v;
	char path[256];

	(void)state;
	assert_true(item(s, "now_ms")->valuedouble > 1760000000000.0);
	assert_int_equal(cJSON_GetArraySize(item(s, "inferenceservices")), 3);
	o = isvc_get(CHURN);
	st = state_isvc(s, CHURN);
	assert_string_equal(str(st, "resourceVersion"),
	                    str(item(o, "metadata"), "resourceVersion"));
	assert_string_equal(str(st, "storageUri"),
	                    str(item(item(item(o, "spec"), "predictor"), "model"), "storageUri"));
	assert_string_equal(str(st, "latestRolledoutRevision"), pred(o, "latestRolledoutRevision"));
	assert_string_equal(str(st, "deploymentMode"), "Serverless");
	assert_string_equal(str(cJSON_GetArrayItem(item(st, "traffic"), 0), "version"), "v5");
	cJSON_Delete(o);
	m = cJSON_GetArrayItem(item(s, "registered_models"), 0);
	cJSON_ArrayForEach(v, item(m, "versions"))
	{
		snprintf(path, sizeof(path),
		         "/api/2.0/mlflow/model-versions/get?name=%s&version=%s", str(m, "name"),
		         str(v, "version"));
		mv = get(path);
		assert_string_equal(str(v, "current_stage"),
		                    str(item(mv, "model_version"), "current_stage"));
		cJSON_Delete(mv);
	}
	cJSON_Delete(s);
	cJSON_Delete(call(&main_sim, "POST", "/-/sim/state", "{}", 405));
}

static int setup(void **state)
{
	const char *args[] = {
	    "--seed",       "7",   "--start-ms", "1760000000000", "--time-scale", "0",
	    "--kserve-raw", FRAUD, NULL};

	(void)state;
	return sim_start(&main_sim, args);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
	    cmocka_unit_test(test_canary_not_ready_yet),
	    cmocka_unit_test(test_canary_ready),
	    cmocka_unit_test(test_rollback_after_promotion),
	    cmocka_unit_test(test_no_previous_no_rollback),
	    cmocka_unit_test(test_failed_revision),
	    cmocka_unit_test(test_label_makes_a_revision),
	    cmocka_unit_test(test_json_patch_and_apply),
	    cmocka_unit_test(test_raw_mode),
	    cmocka_unit_test(test_fault_on_one_step),
	    cmocka_unit_test(test_state_matches_the_servers),
	};

	return sim_run_with("sim_kserve_ctl", tests, sizeof(tests) / sizeof(tests[0]), setup,
	                    sim_group_teardown);
}
