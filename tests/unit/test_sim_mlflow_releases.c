/* test_sim_mlflow_releases: mltop-sim imitating MLflow releases where they differ
 * (--mlflow-version): /version, metric history paging (whole before 3.4; 3.4–3.13 answer a
 * missing max_results with no point and a token back to the start; 3.14 the whole history),
 * get-history-bulk-interval only since 2.11 (an HTML 404 before); --static-prefix moving /health,
 * /version, /get-artifact and the ajax copies but not /api/2.0; no aliases before 2.3 (the alias
 * calls an HTML 404, stage transitions the only way to promote); and the page_token fault. */
#include "tests/unit/test_sim_mlflow.h"

static struct sim rel;

static void start(const char *version, const char *prefix)
{
	const char *args[8] = {"--seed", "7"};
	int n = 2;

	if (version) {
		args[n++] = "--mlflow-version";
		args[n++] = version;
	}
	if (prefix) {
		args[n++] = "--static-prefix";
		args[n++] = prefix;
	}
	args[n] = NULL;
	assert_int_equal(sim_start(&rel, args), 0);
}

static int stop(void **state)
{
	(void)state;
	sim_stop(&rel);
	return 0;
}

static char *text(const char *path, long status)
{
	struct resp r;

	http(&rel, "GET", path, NULL, NULL, &r);
	assert_int_equal(r.rc, CURLE_OK);
	assert_int_equal(r.status, status);
	return r.body;
}

/* A finished run of experiment 1 and its number of steps of auc. */
static char *a_run(int *steps)
{
	char *body = search_body("1", "attributes.status = 'FINISHED'", NULL, 1, NULL);
	cJSON *j = call(&rel, "POST", "/api/2.0/mlflow/runs/search", body, 200);
	cJSON *r = cJSON_GetArrayItem(item(j, "runs"), 0);
	char *id = strdup(str(item(r, "info"), "run_id"));

	*steps = last_step(r, "auc") + 1;
	free(body);
	cJSON_Delete(j);
	return id;
}

/* get-history of a run: how many points, and the token ("" when none). */
static int history(const char *run, const char *extra, char *token, size_t n)
{
	char path[256];
	cJSON *j;
	int points;

	snprintf(path, sizeof path,
	         "/api/2.0/mlflow/metrics/get-history?run_id=%s&metric_key=auc%s", run, extra);
	j = call(&rel, "GET", path, NULL, 200);
	points = cJSON_GetArraySize(item(j, "metrics"));
	snprintf(token, n, "%s", str(j, "next_page_token") ? str(j, "next_page_token") : "");
	cJSON_Delete(j);
	return points;
}

static void test_default_release(void **state)
{
	char *v;

	(void)state;
	start(NULL, NULL);
	v = text("/version", 200);
	assert_string_equal(v, "3.5.0");
	free(v);
}

static void test_history_3_5(void **state)
{
	char tok[128], extra[160];
	int steps;

	(void)state;
	start("3.5", NULL);
	char *run = a_run(&steps);
	assert_int_equal(history(run, "", tok, sizeof tok), 0);
	assert_string_equal(tok, "eyJvZmZzZXQiOiAwfQ=="); /* {"offset": 0} */
	snprintf(extra, sizeof extra, "&page_token=%s", tok);
	assert_int_equal(history(run, extra, tok, sizeof tok), 0);
	assert_string_equal(tok, "eyJvZmZzZXQiOiAwfQ=="); /* and again, forever */
	assert_int_equal(history(run, "&max_results=25000", tok, sizeof tok), steps);
	assert_string_equal(tok, "");
	assert_int_equal(history(run, "&max_results=2", tok, sizeof tok), 2);
	assert_true(tok[0] != '\0');
	free(run);
}

static void test_history_3_14(void **state)
{
	char tok[128];
	int steps;

	(void)state;
	start("3.14.1", NULL);
	char *run = a_run(&steps);
	assert_int_equal(history(run, "", tok, sizeof tok), steps);
	assert_string_equal(tok, "");
	assert_int_equal(history(run, "&max_results=2", tok, sizeof tok), 2);
	free(run);
}

static void test_history_2_9(void **state)
{
	char tok[128], path[256], *v;
	int steps;
	struct resp r;

	(void)state;
	start("2.9", NULL);
	v = text("/version", 200);
	assert_string_equal(v, "2.9.0");
	free(v);
	char *run = a_run(&steps);
	assert_int_equal(history(run, "", tok, sizeof tok), steps);
	assert_int_equal(history(run, "&max_results=2", tok, sizeof tok), steps); /* not paged */
	assert_string_equal(tok, "");
	snprintf(path, sizeof path,
	         "/api/2.0/mlflow/metrics/get-history-bulk-interval?run_ids=%s&metric_key=auc",
	         run);
	http(&rel, "GET", path, NULL, NULL, &r);
	assert_int_equal(r.status, 404);
	assert_non_null(strstr(r.ctype, "text/html"));
	resp_free(&r);
	free(run);
}

/* 2.2 has no alias RPCs: Flask's HTML 404, no aliases anywhere; stages still move, and
 * archive_existing_versions archives the version that held the stage. */
static void test_aliases_before_2_3(void **state)
{
	const char *alias = "/api/2.0/mlflow/registered-models/alias";
	const char *methods[] = {"POST", "DELETE", "GET"};
	cJSON *j, *v;
	struct resp r;

	(void)state;
	start("2.2", NULL);
	for (size_t i = 0; i < sizeof(methods) / sizeof(methods[0]); i++) {
		http(&rel, methods[i], alias, i < 2 ? "application/json" : NULL,
		     i < 2 ? "{\"name\":\"churn-classifier\",\"alias\":\"champion\","
		             "\"version\":\"5\"}"
		           : NULL,
		     &r);
		assert_int_equal(r.status, 404);
		assert_non_null(strstr(r.ctype, "text/html"));
		resp_free(&r);
	}
	j = call(&rel, "GET", "/api/2.0/mlflow/registered-models/get?name=churn-classifier", NULL,
	         200);
	assert_null(item(item(j, "registered_model"), "aliases"));
	cJSON_Delete(j);
	j = call(&rel, "POST", "/api/2.0/mlflow/model-versions/transition-stage",
	         "{\"name\":\"churn-classifier\",\"version\":\"5\",\"stage\":\"production\","
	         "\"archive_existing_versions\":true}",
	         200);
	assert_string_equal(str(item(j, "model_version"), "current_stage"), "Production");
	assert_null(item(item(j, "model_version"), "aliases"));
	cJSON_Delete(j);
	j = call(&rel, "GET", "/-/sim/state", NULL, 200);
	v = cJSON_GetArrayItem(item(j, "registered_models"), 0);
	assert_string_equal(str(v, "name"), "churn-classifier");
	assert_int_equal(cJSON_GetArraySize(item(v, "aliases")), 0);
	cJSON_ArrayForEach(v, item(v, "versions"))
	{
		if (strcmp(str(v, "version"), "5") == 0)
			assert_string_equal(str(v, "current_stage"), "Production");
		else
			assert_string_not_equal(str(v, "current_stage"), "Production");
	}
	cJSON_Delete(j);
	/* 2.3 has them */
	sim_stop(&rel);
	start("2.3", NULL);
	cJSON_Delete(
	    call(&rel, "POST", alias,
	         "{\"name\":\"churn-classifier\",\"alias\":\"champion\",\"version\":\"5\"}", 200));
}

static void test_static_prefix(void **state)
{
	char *v;
	cJSON *j;

	(void)state;
	start(NULL, "/mlflow");
	free(text("/health", 404));
	free(text("/version", 404));
	v = text("/mlflow/version", 200);
	assert_string_equal(v, "3.5.0");
	free(v);
	v = text("/mlflow/health", 200);
	assert_string_equal(v, "OK");
	free(v);
	free(text("/get-artifact?run_id=x&path=y", 404));
	j = call(&rel, "GET", "/mlflow/get-artifact?run_id=nope&path=y", NULL, 404);
	assert_string_equal(str(j, "error_code"), "RESOURCE_DOES_NOT_EXIST");
	cJSON_Delete(j);
	cJSON_Delete(
	    call(&rel, "GET", "/api/2.0/mlflow/experiments/get?experiment_id=1", NULL, 200));
	cJSON_Delete(call(
	    &rel, "GET", "/mlflow/ajax-api/2.0/mlflow/experiments/get?experiment_id=1", NULL, 200));
	free(text("/mlflow/api/2.0/mlflow/experiments/get?experiment_id=1", 404));
}

/* The page_token fault: the first page again, with the same token or a new one each time. */
static void test_page_token_fault(void **state)
{
	const char *body = "{\"experiment_ids\": [\"1\"], \"max_results\": 3}";
	char first[128];
	cJSON *j;

	(void)state;
	start(NULL, NULL);
	cJSON_Delete(call(&rel, "POST", "/-/sim/faults",
	                  "{\"prefix\": \"/api/2.0/mlflow/runs/search\", \"kind\": \"page_token\"}",
	                  200));
	j = call(&rel, "POST", "/api/2.0/mlflow/runs/search", body, 200);
	assert_int_equal(cJSON_GetArraySize(item(j, "runs")), 3);
	snprintf(first, sizeof first, "%s", str(j, "next_page_token"));
	cJSON_Delete(j);
	j = call(&rel, "POST", "/api/2.0/mlflow/runs/search",
	         "{\"experiment_ids\": [\"1\"], \"max_results\": 3, \"page_token\": "
	         "\"eyJvZmZzZXQiOiAwfQ==\"}",
	         200);
	assert_string_equal(str(j, "next_page_token"), first);
	cJSON_Delete(j);
	cJSON_Delete(call(&rel, "POST", "/-/sim/faults",
	                  "{\"prefix\": \"/api/2.0/mlflow/runs/search\", \"kind\": \"page_token\", "
	                  "\"token\": \"endless\"}",
	                  200));
	j = call(&rel, "POST", "/api/2.0/mlflow/runs/search", body, 200);
	snprintf(first, sizeof first, "%s", str(j, "next_page_token"));
	cJSON_Delete(j);
	j = call(&rel, "POST", "/api/2.0/mlflow/runs/search", body, 200);
	assert_string_not_equal(str(j, "next_page_token"), first);
	assert_int_equal(cJSON_GetArraySize(item(j, "runs")), 3);
	cJSON_Delete(j);
	j = call(&rel, "GET", "/-/sim/faults", NULL, 200);
	assert_string_equal(str(cJSON_GetArrayItem(item(j, "faults"), 0), "token"), "endless");
	cJSON_Delete(j);
	cJSON *bad =
	    call(&rel, "POST", "/-/sim/faults",
	         "{\"prefix\": \"/x\", \"kind\": \"page_token\", \"token\": \"sometimes\"}", 400);
	cJSON_Delete(bad);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
	    cmocka_unit_test_teardown(test_default_release, stop),
	    cmocka_unit_test_teardown(test_history_3_5, stop),
	    cmocka_unit_test_teardown(test_history_3_14, stop),
	    cmocka_unit_test_teardown(test_history_2_9, stop),
	    cmocka_unit_test_teardown(test_aliases_before_2_3, stop),
	    cmocka_unit_test_teardown(test_static_prefix, stop),
	    cmocka_unit_test_teardown(test_page_token_fault, stop),
	};

	return sim_run_with("test_sim_mlflow_releases", tests, sizeof tests / sizeof tests[0], NULL,
	                    NULL);
}
