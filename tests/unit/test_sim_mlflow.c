/* test_sim_mlflow: mltop-sim's MLflow tracking endpoints against docs/wire-formats.md, MLflow:
 * experiments, runs (shapes, string IDs, omitted empty fields, "NaN", filters, order, paging),
 * metric histories, the RUNNING run, artifacts and eval tables, MLflow errors. */
#include "tests/unit/test_sim_mlflow.h"

/* ---- experiments ---- */

static void test_version_and_not_found(void **state)
{
	struct resp r;
	cJSON *j;

	(void)state;
	http(&main_sim, "GET", "/version", NULL, NULL, &r);
	assert_int_equal(r.status, 200);
	assert_true(r.len > 0 && r.body[0] >= '2' && r.body[0] <= '9');
	resp_free(&r);
	j = call(&main_sim, "GET", "/api/2.0/mlflow/no/such/endpoint", NULL, 404);
	assert_string_equal(str(j, "error_code"), "ENDPOINT_NOT_FOUND");
	cJSON_Delete(j);
	http(&main_sim, "GET", "/no/such/path", NULL, NULL, &r);
	assert_int_equal(r.status, 404);
	assert_null(strstr(r.ctype, "json"));
	resp_free(&r);
	/* registered-models/search is GET only: 405, not JSON. */
	http(&main_sim, "POST", "/api/2.0/mlflow/registered-models/search", "application/json",
	     "{}", &r);
	assert_int_equal(r.status, 405);
	resp_free(&r);
}

static void test_experiments_search(void **state)
{
	const char *names[] = {"Default", "churn-weekly", "fraud-detection", "search-ranking"};
	cJSON *j, *e;
	char *token = NULL;
	int n = 0, i, found = 0;

	(void)state;
	expect_error(&main_sim, "POST", "/api/2.0/mlflow/experiments/search", "{}", 400,
	             "INVALID_PARAMETER_VALUE");
	expect_error(&main_sim, "GET", "/api/2.0/mlflow/experiments/search", NULL, 400,
	             "INVALID_PARAMETER_VALUE");
	j = get("/api/2.0/mlflow/experiments/search?max_results=1000");
	assert_null(item(j, "next_page_token"));
	cJSON_ArrayForEach(e, item(j, "experiments"))
	{
		assert_true(cJSON_IsString(item(e, "experiment_id")));
		assert_true(cJSON_IsNumber(item(e, "creation_time")));
		assert_string_equal(str(e, "lifecycle_stage"), "active");
		for (i = 0; i < 4; i++)
			found += strcmp(str(e, "name"), names[i]) == 0;
		if (strcmp(str(e, "experiment_id"), "0") == 0)
			assert_null(item(e, "tags")); /* empty arrays are omitted */
		n++;
	}
	assert_int_equal(n, 4);
	assert_int_equal(found, 4);
	cJSON_Delete(j);
	/* Pages of one, until the token is absent. */
	n = 0;
	do {
		char body[256];
		const char *next;

		snprintf(body, sizeof(body), "{\"max_results\": 1%s%s%s}",
		         token ? ", \"page_token\": \"" : "", token ? token : "",
		         token ? "\"" : "");
		j = post("/api/2.0/mlflow/experiments/search", body);
		n += cJSON_GetArraySize(item(j, "experiments"));
		next = str(j, "next_page_token");
		free(token);
		token = next ? strdup(next) : NULL;
		cJSON_Delete(j);
	} while (token && n < 100);
	assert_int_equal(n, 4);
	j = post(
	    "/api/2.0/mlflow/experiments/search",
	    "{\"max_results\": 10, \"view_type\": \"ALL\", \"filter\": \"name LIKE 'churn%'\"}");
	assert_int_equal(cJSON_GetArraySize(item(j, "experiments")), 2);
	cJSON_Delete(j);
	j = post("/api/2.0/mlflow/experiments/search",
	         "{\"max_results\": 10, \"order_by\": [\"name ASC\"]}");
	assert_string_equal(str(cJSON_GetArrayItem(item(j, "experiments"), 0), "name"), "Default");
	assert_string_equal(str(cJSON_GetArrayItem(item(j, "experiments"), 3), "name"),
	                    "search-ranking");
	cJSON_Delete(j);
}

static void test_experiments_get(void **state)
{
	cJSON *j;

	(void)state;
	j = get("/api/2.0/mlflow/experiments/get?experiment_id=1");
	assert_string_equal(str(item(j, "experiment"), "name"), "churn-weekly");
	assert_string_equal(str(item(j, "experiment"), "artifact_location"), "mlflow-artifacts:/1");
	cJSON_Delete(j);
	j = get("/api/2.0/mlflow/experiments/get-by-name?experiment_name=fraud-detection");
	assert_string_equal(str(item(j, "experiment"), "experiment_id"), "2");
	cJSON_Delete(j);
	expect_error(&main_sim, "GET", "/api/2.0/mlflow/experiments/get?experiment_id=999", NULL,
	             404, "RESOURCE_DOES_NOT_EXIST");
	expect_error(&main_sim, "GET", "/api/2.0/mlflow/experiments/get-by-name?experiment_name=x",
	             NULL, 404, "RESOURCE_DOES_NOT_EXIST");
	expect_error(&main_sim, "GET", "/api/2.0/mlflow/experiments/get", NULL, 400,
	             "INVALID_PARAMETER_VALUE");
}

/* ---- runs ---- */

static void check_run_shape(const cJSON *run, const char *exp, int *running, int *failed, int *nans)
{
	const cJSON *info = item(run, "info"), *m, *in;
	const char *status = str(info, "status");
	int is_nan;

	assert_int_equal(strlen(str(info, "run_id")), 32);
	assert_string_equal(str(info, "run_uuid"), str(info, "run_id"));
	assert_string_equal(str(info, "experiment_id"), exp);
	assert_true(cJSON_IsNumber(item(info, "start_time")));
	assert_non_null(strstr(str(info, "artifact_uri"), str(info, "run_id")));
	*running += strcmp(status, "RUNNING") == 0;
	*failed += strcmp(status, "FAILED") == 0;
	/* end_time is absent while running, present otherwise */
	assert_int_equal(item(info, "end_time") == NULL, strcmp(status, "RUNNING") == 0);
	cJSON_ArrayForEach(m, item(item(run, "data"), "metrics"))
	{
		metric(run, str(m, "key"), &is_nan);
		*nans += is_nan;
		assert_true(cJSON_IsNumber(item(m, "step")));
	}
	assert_true(cJSON_GetArraySize(item(item(run, "data"), "metrics")) >= 5);
	assert_non_null(kv(item(item(run, "data"), "params"), "model_type"));
	assert_non_null(kv(item(item(run, "data"), "params"), "learning_rate"));
	assert_string_equal(kv(item(item(run, "data"), "tags"), "mlflow.runName"),
	                    str(info, "run_name"));
	assert_non_null(kv(item(item(run, "data"), "tags"), "mlflow.user"));
	assert_int_equal(strlen(kv(item(item(run, "data"), "tags"), "mlflow.source.git.commit")),
	                 40);
	in = cJSON_GetArrayItem(item(item(run, "inputs"), "dataset_inputs"), 0);
	assert_int_equal(strlen(str(item(in, "dataset"), "digest")), 8);
	assert_string_equal(kv(item(in, "tags"), "mlflow.data.context"), "training");
}

static void test_runs_search_shapes(void **state)
{
	const char *exps[] = {"1", "2", "3"};
	int e, running = 0, failed = 0, nans = 0;
	cJSON *runs, *r, *j;

	(void)state;
	for (e = 0; e < 3; e++) {
		int64_t prev = INT64_MAX;

		runs = all_runs(&main_sim, exps[e], NULL, NULL, 33);
		assert_in_range(cJSON_GetArraySize(runs), 40, 150);
		cJSON_ArrayForEach(r, runs)
		{
			int64_t t = (int64_t)item(item(r, "info"), "start_time")->valuedouble;

			check_run_shape(r, exps[e], &running, &failed, &nans);
			assert_true(t <= prev); /* default order: start_time DESC */
			prev = t;
		}
		cJSON_Delete(runs);
	}
	assert_int_equal(running, 1);
	assert_true(failed >= 1);
	assert_true(nans >= 1);
	/* The Default experiment has no runs: an empty result is {} */
	j = post("/api/2.0/mlflow/runs/search", "{\"experiment_ids\": [\"0\"]}");
	assert_null(j->child);
	cJSON_Delete(j);
}

static int count_runs(const char *exp, const char *filter)
{
	cJSON *runs = all_runs(&main_sim, exp, filter, NULL, 1000);
	int n = cJSON_GetArraySize(runs);

	cJSON_Delete(runs);
	return n;
}

static void test_runs_search_filter(void **state)
{
	cJSON *runs, *r;
	int total, hi, lo, nan_or_missing = 0, is_nan;

	(void)state;
	runs = all_runs(&main_sim, "1", "metrics.auc > 0.85 and params.model_type = 'xgboost'",
	                "metrics.auc DESC", 1000);
	assert_true(cJSON_GetArraySize(runs) > 0);
	{
		double prev = 2;

		cJSON_ArrayForEach(r, runs)
		{
			double auc = metric(r, "auc", &is_nan);

			assert_false(is_nan);
			assert_true(auc > 0.85 && auc <= prev);
			prev = auc;
			assert_string_equal(kv(item(item(r, "data"), "params"), "model_type"),
			                    "xgboost");
		}
	}
	cJSON_Delete(runs);
	runs = all_runs(&main_sim, "1", NULL, NULL, 1000);
	total = cJSON_GetArraySize(runs);
	cJSON_ArrayForEach(r, runs)
	{
		metric(r, "auc", &is_nan);
		nan_or_missing += is_nan;
	}
	cJSON_Delete(runs);
	hi = count_runs("1", "metrics.auc > 0.8");
	lo = count_runs("1", "metrics.auc <= 0.8");
	assert_int_equal(hi + lo + nan_or_missing, total);
	assert_true(count_runs("1", "attributes.status = 'FAILED'") >= 1);
	assert_int_equal(count_runs("1", "attributes.status = 'RUNNING' AND tags.`mlflow.user` "
	                                 "LIKE '%'"),
	                 1);
	assert_true(count_runs("2", "tags.mlflow.runName LIKE '%-%-%'") == count_runs("2", NULL));
	expect_error(&main_sim, "POST", "/api/2.0/mlflow/runs/search",
	             "{\"experiment_ids\": [\"1\"], \"filter\": \"metrics.auc >> 1\"}", 400,
	             "INVALID_PARAMETER_VALUE");
	expect_error(&main_sim, "POST", "/api/2.0/mlflow/runs/search",
	             "{\"experiment_ids\": [\"1\"], \"filter\": \"params.max_depth = 6\"}", 400,
	             "INVALID_PARAMETER_VALUE");
	expect_error(&main_sim, "POST", "/api/2.0/mlflow/runs/search",
	             "{\"experiment_ids\": [\"1\"], \"filter\": \"metrics.auc > 0.5 OR "
	             "metrics.f1 > 0\"}",
	             400, "INVALID_PARAMETER_VALUE");
	expect_error(&main_sim, "POST", "/api/2.0/mlflow/runs/search",
	             "{\"experiment_ids\": [\"1\"], \"max_results\": 50001}", 400,
	             "INVALID_PARAMETER_VALUE");
}

static void test_post_needs_json_content_type(void **state)
{
	struct resp r;
	cJSON *j;

	(void)state;
	http(&main_sim, "POST", "/api/2.0/mlflow/runs/search", NULL, "{\"experiment_ids\":[\"1\"]}",
	     &r);
	assert_int_equal(r.status, 400);
	j = cJSON_Parse(r.body);
	assert_string_equal(str(j, "error_code"), "INVALID_PARAMETER_VALUE");
	cJSON_Delete(j);
	resp_free(&r);
	http(&main_sim, "POST", "/api/2.0/mlflow/runs/search", "application/x-www-form-urlencoded",
	     "{\"experiment_ids\":[\"1\"]}", &r);
	assert_int_equal(r.status, 400);
	resp_free(&r);
	http(&main_sim, "POST", "/api/2.0/mlflow/runs/search", "application/json; charset=utf-8",
	     "{\"experiment_ids\":[\"1\"], \"max_results\": 1}", &r);
	assert_int_equal(r.status, 200);
	resp_free(&r);
}

static void test_runs_get(void **state)
{
	cJSON *r = first_run("2", "attributes.status = 'FINISHED'"), *j;
	char path[256];

	(void)state;
	snprintf(path, sizeof(path), "/api/2.0/mlflow/runs/get?run_id=%s",
	         str(item(r, "info"), "run_id"));
	j = get(path);
	assert_true(cJSON_Compare(item(j, "run"), r, 1));
	cJSON_Delete(j);
	snprintf(path, sizeof(path), "/api/2.0/mlflow/runs/get?run_uuid=%s",
	         str(item(r, "info"), "run_id"));
	j = get(path);
	assert_true(cJSON_Compare(item(j, "run"), r, 1));
	cJSON_Delete(j);
	cJSON_Delete(r);
	expect_error(&main_sim, "GET", "/api/2.0/mlflow/runs/get?run_id=deadbeef", NULL, 404,
	             "RESOURCE_DOES_NOT_EXIST");
	expect_error(&main_sim, "GET", "/api/2.0/mlflow/runs/get", NULL, 400,
	             "INVALID_PARAMETER_VALUE");
}

/* ---- metric history ---- */

static void test_history(void **state)
{
	cJSON *r = first_run("1", "attributes.status = 'FINISHED'"), *full, *m;
	const char *id = str(item(r, "info"), "run_id");
	int last = last_step(r, "auc"), n = 0, step = 0;
	char path[512], *token = NULL;

	(void)state;
	snprintf(path, sizeof(path),
	         "/api/2.0/mlflow/metrics/get-history?run_id=%s&metric_key=auc&max_results=25000",
	         id);
	full = get(path);
	assert_null(item(full, "next_page_token"));
	assert_int_equal(cJSON_GetArraySize(item(full, "metrics")), last + 1);
	cJSON_ArrayForEach(m, item(full, "metrics"))
	{
		assert_int_equal(item(m, "step")->valueint, step++);
		assert_string_equal(str(m, "key"), "auc");
	}
	/* The same in pages of 7. */
	do {
		cJSON *j;
		const char *next;

		snprintf(path, sizeof(path),
		         "/ajax-api/2.0/mlflow/metrics/get-history?run_id=%s&metric_key=auc&"
		         "max_results=7%s%s",
		         id, token ? "&page_token=" : "", token ? token : "");
		j = get(path);
		cJSON_ArrayForEach(m, item(j, "metrics"))
		{
			assert_true(
			    cJSON_Compare(m, cJSON_GetArrayItem(item(full, "metrics"), n), 1));
			n++;
		}
		next = str(j, "next_page_token");
		free(token);
		token = next ? strdup(next) : NULL;
		cJSON_Delete(j);
	} while (token);
	assert_int_equal(n, last + 1);
	cJSON_Delete(full);
	snprintf(path, sizeof(path),
	         "/api/2.0/mlflow/metrics/get-history?run_id=%s&metric_key=no_such_metric", id);
	full = get(path);
	assert_null(full->child);
	cJSON_Delete(full);
	cJSON_Delete(r);
}

static void test_history_bulk_interval(void **state)
{
	cJSON *a = first_run("2", "attributes.status = 'FINISHED'");
	cJSON *b = first_run("3", "attributes.status = 'FINISHED' AND metrics.logloss >= 0");
	char path[512];
	cJSON *j, *m;
	int na = 0, first = -1, lastseen = -1;

	(void)state;
	snprintf(path, sizeof(path),
	         "/ajax-api/2.0/mlflow/metrics/get-history-bulk-interval?run_ids=%s&run_ids=%s&"
	         "metric_key=logloss&max_results=10",
	         str(item(a, "info"), "run_id"), str(item(b, "info"), "run_id"));
	j = get(path);
	cJSON_ArrayForEach(m, item(j, "metrics"))
	{
		if (strcmp(str(m, "run_id"), str(item(a, "info"), "run_id")) != 0)
			continue;
		if (first < 0)
			first = item(m, "step")->valueint;
		lastseen = item(m, "step")->valueint;
		na++;
	}
	assert_in_range(na, 2, 10);
	assert_int_equal(first, 0);
	assert_int_equal(lastseen, last_step(a, "logloss"));
	cJSON_Delete(j);
	snprintf(path, sizeof(path),
	         "/api/2.0/mlflow/metrics/get-history-bulk-interval?run_ids=%s&metric_key=auc&"
	         "start_step=5",
	         str(item(a, "info"), "run_id"));
	expect_error(&main_sim, "GET", path, NULL, 400, "INVALID_PARAMETER_VALUE");
	/* a run the store does not have has no point, and is no error (SQL store) */
	snprintf(path, sizeof(path),
	         "/api/2.0/mlflow/metrics/get-history-bulk-interval?run_ids=deadbeef&run_ids=%s&"
	         "metric_key=auc&max_results=5",
	         str(item(a, "info"), "run_id"));
	j = get(path);
	assert_true(cJSON_GetArraySize(item(j, "metrics")) > 0);
	cJSON_ArrayForEach(m, item(j, "metrics"))
	{
		assert_string_equal(str(m, "run_id"), str(item(a, "info"), "run_id"));
	}
	cJSON_Delete(j);
	j = get("/api/2.0/mlflow/metrics/get-history-bulk-interval?run_ids=deadbeef&"
	        "metric_key=auc");
	assert_null(item(j, "metrics"));
	cJSON_Delete(j);
	cJSON_Delete(a);
	cJSON_Delete(b);
}

static int running_step(const struct sim *s)
{
	char *body = search_body("1", "attributes.status = 'RUNNING'", NULL, 10, NULL);
	cJSON *j = call(s, "POST", "/api/2.0/mlflow/runs/search", body, 200);
	int step;

	assert_int_equal(cJSON_GetArraySize(item(j, "runs")), 1);
	step = last_step(cJSON_GetArrayItem(item(j, "runs"), 0), "auc");
	cJSON_Delete(j);
	free(body);
	return step;
}

static void test_running_run_grows(void **state)
{
	int before, after;
	cJSON *j;

	(void)state;
	before = running_step(&main_sim);
	assert_true(before > 0);
	/* Ten world minutes later the run has logged more steps. */
	j = post("/-/sim/advance", "{\"seconds\": 600}");
	cJSON_Delete(j);
	after = running_step(&main_sim);
	assert_true(after >= before + 25);
}

/* ---- registry ---- */

/* ---- artifacts ---- */

/* Counts rows whose prediction is wrong (target != outputs, or a judge score <= 2). */
static int failing_rows(const cJSON *table)
{
	const cJSON *cols = item(table, "columns"), *row;
	int t = -1, o = -1, sc = -1, i = 0, n = 0;
	const cJSON *c;

	cJSON_ArrayForEach(c, cols)
	{
		if (strcmp(c->valuestring, "target") == 0)
			t = i;
		if (strcmp(c->valuestring, "outputs") == 0)
			o = i;
		if (strcmp(c->valuestring, "relevance/v1/score") == 0)
			sc = i;
		i++;
	}
	assert_true(o >= 0 && (t >= 0 || sc >= 0));
	cJSON_ArrayForEach(row, item(table, "data"))
	{
		assert_int_equal(cJSON_GetArraySize(row), cJSON_GetArraySize(cols));
		if (sc >= 0)
			n += cJSON_GetArrayItem(row, sc)->valuedouble <= 2;
		else
			n += cJSON_GetArrayItem(row, t)->valuedouble !=
			     cJSON_GetArrayItem(row, o)->valuedouble;
	}
	return n;
}

static void check_artifacts(const char *exp, int *failing)
{
	cJSON *r = first_run(exp, "attributes.status = 'FINISHED'"), *j, *f, *table;
	const char *id = str(item(r, "info"), "run_id");
	char path[512];
	long size = -1;
	struct resp resp;

	snprintf(path, sizeof(path), "/api/2.0/mlflow/artifacts/list?run_id=%s", id);
	j = get(path);
	assert_string_equal(str(j, "root_uri"), str(item(r, "info"), "artifact_uri"));
	cJSON_ArrayForEach(f, item(j, "files"))
	{
		if (strcmp(str(f, "path"), "eval_results_table.json") == 0)
			size = (long)item(f, "file_size")->valuedouble;
		if (strcmp(str(f, "path"), "model") == 0) {
			assert_true(cJSON_IsTrue(item(f, "is_dir")));
			assert_null(item(f, "file_size"));
		}
	}
	assert_true(size > 0);
	cJSON_Delete(j);
	snprintf(path, sizeof(path), "/api/2.0/mlflow/artifacts/list?run_id=%s&path=model", id);
	j = get(path);
	assert_string_equal(str(cJSON_GetArrayItem(item(j, "files"), 0), "path"), "model/MLmodel");
	cJSON_Delete(j);
	snprintf(path, sizeof(path), "/get-artifact?run_id=%s&path=eval_results_table.json", id);
	http(&main_sim, "GET", path, NULL, NULL, &resp);
	assert_int_equal(resp.status, 200);
	assert_int_equal((long)resp.len, size);
	table = cJSON_Parse(resp.body);
	assert_non_null(table);
	*failing += failing_rows(table);
	cJSON_Delete(table);
	resp_free(&resp);
	/* The same bytes through the mlflow-artifacts proxy. */
	snprintf(path, sizeof(path),
	         "/api/2.0/mlflow-artifacts/artifacts/%s/%s/artifacts/eval_results_table.json", exp,
	         id);
	http(&main_sim, "GET", path, NULL, NULL, &resp);
	assert_int_equal((long)resp.len, size);
	resp_free(&resp);
	snprintf(path, sizeof(path),
	         "/api/2.0/mlflow-artifacts/artifacts?path=%s/%s/artifacts/model", exp, id);
	j = get(path);
	assert_string_equal(str(cJSON_GetArrayItem(item(j, "files"), 0), "path"), "MLmodel");
	cJSON_Delete(j);
	snprintf(path, sizeof(path), "/api/2.0/mlflow/artifacts/list?run_id=%s&path=../x", id);
	expect_error(&main_sim, "GET", path, NULL, 400, "INVALID_PARAMETER_VALUE");
	cJSON_Delete(r);
}

static void test_artifacts(void **state)
{
	int failing = 0;

	(void)state;
	check_artifacts("1", &failing);
	check_artifacts("2", &failing);
	check_artifacts("3", &failing);
	assert_true(failing > 0);
	expect_error(&main_sim, "GET", "/get-artifact?run_id=nope&path=x", NULL, 404,
	             "RESOURCE_DOES_NOT_EXIST");
}

int main(void)
{
	const struct CMUnitTest tests[] = {
	    cmocka_unit_test(test_version_and_not_found),
	    cmocka_unit_test(test_experiments_search),
	    cmocka_unit_test(test_experiments_get),
	    cmocka_unit_test(test_runs_search_shapes),
	    cmocka_unit_test(test_runs_search_filter),
	    cmocka_unit_test(test_post_needs_json_content_type),
	    cmocka_unit_test(test_runs_get),
	    cmocka_unit_test(test_history),
	    cmocka_unit_test(test_history_bulk_interval),
	    cmocka_unit_test(test_running_run_grows),
	    cmocka_unit_test(test_artifacts),
	};

	return sim_run_group("test_sim_mlflow", tests, sizeof(tests) / sizeof(tests[0]));
}
