/* test_sim_ops: mltop-sim's /metrics exposition, failed samples, and the /-/sim/ control API
 * with each injected fault carried out on the ops endpoints. */
#include "tests/unit/test_sim_ops.h"

static const char *const families[][2] = {
    {"model_requests_total", "counter"},       {"model_request_duration_seconds", "histogram"},
    {"model_feature_drift_score", "gauge"},    {"model_feature_drift_pvalue", "gauge"},
    {"model_feature_drift_detected", "gauge"}, {"model_dataset_drift_share", "gauge"},
    {"model_prediction_drift_score", "gauge"}, {"model_drift_last_run_timestamp_seconds", "gauge"},
};

/* ---- /metrics ---- */

/* Every sample line is name{labels} value, with a family declared above it. */
static void check_lines(const char *text)
{
	const char *line = text;
	int samples = 0;

	while (*line) {
		const char *end = strchr(line, '\n');
		char name[128];
		double v;
		char *num_end;

		assert_non_null(end);
		if (line[0] != '#') {
			const char *brace = strchr(line, '{'), *close = strchr(line, '}');
			assert_true(brace && close && brace < end && close < end &&
			            close[1] == ' ');
			snprintf(name, sizeof(name), "%.*s", (int)(brace - line), line);
			v = strtod(close + 2, &num_end);
			assert_ptr_equal(num_end, end);
			assert_false(isnan(v));
			assert_true(v >= 0);
			samples++;
		}
		line = end + 1;
	}
	assert_true(samples > 50);
}

static void test_metrics_format(void **state)
{
	char *text = fetch_text("/metrics", 200, "text/plain; version=0.0.4"), want[256];
	const char *b3 = "model_request_duration_seconds_bucket{model=\"churn-classifier\","
	                 "version=\"v3\",le=\"%s\"}";
	const char *les[] = {"0.005", "0.01", "0.025", "0.05", "0.1",
	                     "0.25",  "0.5",  "1",     "2.5",  "+Inf"};
	double prev = 0, v;
	size_t i;

	(void)state;
	for (i = 0; i < sizeof(families) / sizeof(families[0]); i++) {
		snprintf(want, sizeof(want), "\n# TYPE %s %s\n", families[i][0], families[i][1]);
		assert_non_null(strstr(text, want));
		snprintf(want, sizeof(want), "# HELP %s ", families[i][0]);
		assert_non_null(strstr(text, want));
	}
	check_lines(text);
	/* cumulative buckets, +Inf equal to _count */
	for (i = 0; i < sizeof(les) / sizeof(les[0]); i++) {
		snprintf(want, sizeof(want), b3, les[i]);
		v = series_value(text, want);
		assert_false(isnan(v));
		assert_true(v >= prev);
		prev = v;
	}
	assert_true(prev > 1000);
	assert_true(prev == series_value(text, "model_request_duration_seconds_count{model=\""
	                                       "churn-classifier\",version=\"v3\"}"));
	/* every deployment serves; the bad v5 serves nothing before a canary */
	assert_true(series_value(text, "model_requests_total{model=\"fraud-detector\",version="
	                               "\"v2\",code=\"200\"}") > 1000);
	assert_true(series_value(text, "model_requests_total{model=\"search-ranking\",version="
	                               "\"v1\",code=\"200\"}") > 1000);
	assert_null(strstr(text, "version=\"v5\""));
	/* the drift gauges: psi for every feature, ks (with its p-value) for numeric ones */
	v = series_value(text,
	                 "model_feature_drift_score{model=\"churn-classifier\",version=\"v3\","
	                 "feature=\"tenure_days\",method=\"psi\"}");
	assert_true(v > 0 && v < 0.1);
	assert_false(
	    isnan(series_value(text, "model_feature_drift_score{model=\"churn-classifier\","
	                             "version=\"v3\",feature=\"region\",method=\"psi\"}")));
	assert_true(
	    isnan(series_value(text, "model_feature_drift_pvalue{model=\"churn-classifier\","
	                             "version=\"v3\",feature=\"region\",method=\"ks\"}")));
	v = series_value(text,
	                 "model_feature_drift_pvalue{model=\"churn-classifier\",version=\"v3\","
	                 "feature=\"tenure_days\",method=\"ks\"}");
	assert_true(v > 0 && v <= 1);
	assert_true(series_value(text, "model_dataset_drift_share{model=\"churn-classifier\","
	                               "version=\"v3\"}") == 0);
	assert_false(isnan(series_value(text, "model_drift_last_run_timestamp_seconds{model=\""
	                                      "fraud-detector\",version=\"v2\"}")));
	free(text);
}

/* Counters only grow, and the traffic is 100 to 300 requests a second per deployment. */
static void test_counters_grow(void **state)
{
	const char *deps[][2] = {
	    {"churn-classifier", "v3"}, {"fraud-detector", "v2"}, {"search-ranking", "v1"}};
	const char *codes[] = {"200", "400", "500", "503"};
	double before[3][4], total;
	char series[256], *text;
	size_t d, c;

	(void)state;
	text = fetch_text("/metrics", 200, "text/plain");
	for (d = 0; d < 3; d++)
		for (c = 0; c < 4; c++) {
			snprintf(series, sizeof(series),
			         "model_requests_total{model=\"%s\",version=\"%s\",code=\"%s\"}",
			         deps[d][0], deps[d][1], codes[c]);
			before[d][c] = series_value(text, series);
			assert_false(isnan(before[d][c]));
		}
	free(text);
	advance_s(60);
	text = fetch_text("/metrics", 200, "text/plain");
	for (d = 0; d < 3; d++) {
		total = 0;
		for (c = 0; c < 4; c++) {
			snprintf(series, sizeof(series),
			         "model_requests_total{model=\"%s\",version=\"%s\",code=\"%s\"}",
			         deps[d][0], deps[d][1], codes[c]);
			assert_true(series_value(text, series) >= before[d][c]);
			total += series_value(text, series) - before[d][c];
		}
		assert_true(total >= 100 * 60 && total <= 300 * 62);
	}
	free(text);
}

/* ---- /samples ---- */

/* Parses a JSON Lines body; checks every line's shape; returns the array of objects. */
static cJSON *parse_lines(char *body)
{
	cJSON *arr = cJSON_CreateArray();
	char *save = NULL, *line;

	for (line = strtok_r(body, "\n", &save); line; line = strtok_r(NULL, "\n", &save)) {
		cJSON *o = cJSON_Parse(line);
		const cJSON *err, *pred;

		assert_non_null(o);
		assert_non_null(str(o, "id"));
		assert_int_equal(strlen(str(o, "time")), 24);
		assert_non_null(str(o, "model"));
		assert_non_null(str(o, "version"));
		assert_true(cJSON_IsObject(item(o, "input")));
		assert_non_null(str(o, "label"));
		err = item(o, "error");
		pred = item(o, "prediction");
		/* errored: no prediction nor score; wrong: a prediction that is not the label */
		if (cJSON_IsString(err)) {
			assert_true(cJSON_IsNull(pred) && cJSON_IsNull(item(o, "score")));
		} else {
			assert_true(cJSON_IsNull(err));
			assert_string_not_equal(pred->valuestring, str(o, "label"));
			assert_true(item(o, "score")->valuedouble >= 0 &&
			            item(o, "score")->valuedouble <= 1);
		}
		cJSON_AddItemToArray(arr, o);
	}
	return arr;
}

static cJSON *samples(const char *query)
{
	char path[512], *body;
	cJSON *arr;

	snprintf(path, sizeof(path), "/samples%s", query);
	body = fetch_text(path, 200, "application/x-ndjson");
	arr = parse_lines(body);
	free(body);
	return arr;
}

static void test_samples(void **state)
{
	cJSON *all, *some, *s;
	char q[256];
	const char *t;
	int n;

	(void)state;
	all = samples("");
	assert_int_equal(cJSON_GetArraySize(all), 100); /* the default limit */
	cJSON_Delete(all);
	all = samples("?model=churn-classifier&limit=1000");
	n = cJSON_GetArraySize(all);
	assert_true(n > 100);
	cJSON_ArrayForEach(s, all)
	{
		assert_string_equal(str(s, "model"), "churn-classifier");
		assert_string_equal(str(s, "version"), "v3");
		assert_non_null(item(item(s, "input"), "tenure_days"));
		assert_non_null(str(item(s, "input"), "region"));
	}
	/* oldest first; since= is exclusive */
	t = str(cJSON_GetArrayItem(all, n - 3), "time");
	assert_true(strcmp(str(cJSON_GetArrayItem(all, 0), "time"), t) <= 0);
	snprintf(q, sizeof(q), "?model=churn-classifier&since=%s", t);
	some = samples(q);
	/* at least the newer of the last two (times may be equal); more when the live world made
	 * new samples since the first answer: every one of them newer than t */
	assert_true(cJSON_GetArraySize(some) >= 1);
	cJSON_ArrayForEach(s, some) assert_true(strcmp(str(s, "time"), t) > 0);
	cJSON_Delete(some);
	/* limit keeps the newest */
	some = samples("?model=churn-classifier&limit=5");
	assert_int_equal(cJSON_GetArraySize(some), 5);
	assert_string_equal(str(cJSON_GetArrayItem(some, 4), "id"),
	                    str(cJSON_GetArrayItem(all, n - 1), "id"));
	cJSON_Delete(some);
	cJSON_Delete(all);
	some = samples("?model=fraud-detector&version=v2&limit=20");
	assert_int_equal(cJSON_GetArraySize(some), 20);
	cJSON_Delete(some);
	some = samples("?model=fraud-detector&version=v9");
	assert_int_equal(cJSON_GetArraySize(some), 0);
	cJSON_Delete(some);
	some = samples("?model=no-such-model");
	assert_int_equal(cJSON_GetArraySize(some), 0);
	cJSON_Delete(some);
	/* feature=: samples where that feature is outside its reference range (0..5 calls) */
	some = samples("?model=churn-classifier&feature=support_calls&limit=1000");
	assert_true(cJSON_GetArraySize(some) > 0);
	cJSON_ArrayForEach(s, some)
	    assert_true(item(item(s, "input"), "support_calls")->valuedouble > 5);
	cJSON_Delete(some);
	free(fetch_text("/samples?limit=0", 400, "text/plain"));
	free(fetch_text("/samples?limit=abc", 400, "text/plain"));
	free(fetch_text("/samples?since=yesterday", 400, "text/plain"));
}

/* ---- the /-/sim/ control API ---- */

static cJSON *faults_list(void)
{
	cJSON *j = get("/-/sim/faults"), *arr = cJSON_Duplicate(item(j, "faults"), 1);

	cJSON_Delete(j);
	assert_true(cJSON_IsArray(arr));
	return arr;
}

static void add_fault(const char *json)
{
	cJSON_Delete(post("/-/sim/faults", json));
}

static void clear_faults(void)
{
	cJSON_Delete(call(&main_sim, "DELETE", "/-/sim/faults", NULL, 200));
}

static void test_control_faults(void **state)
{
	const char *bad[] = {
	    "not json",
	    "[]",
	    "{\"kind\": \"delay\"}",
	    "{\"prefix\": \"/x\", \"kind\": \"explode\"}",
	    "{\"prefix\": \"/x\", \"kind\": \"status\", \"status\": 99}",
	    "{\"prefix\": \"/x\", \"kind\": \"delay\", \"delay_ms\": -1}",
	    "{\"prefix\": \"/x\", \"kind\": \"oversize\", \"mib\": 0}",
	    "{\"prefix\": \"/x\", \"kind\": \"reset\", \"method\": \"patch\"}",
	    "{\"prefix\": \"/x\", \"kind\": \"reset\", \"times\": 0}",
	};
	cJSON *l, *f;
	size_t i;

	(void)state;
	l = faults_list();
	assert_int_equal(cJSON_GetArraySize(l), 0);
	cJSON_Delete(l);
	add_fault("{\"prefix\": \"/metrics\", \"kind\": \"status\", \"status\": 502, "
	          "\"body\": \"<html>bad gateway</html>\", \"content_type\": \"text/html\"}");
	add_fault("{\"prefix\": \"/samples\", \"kind\": \"delay\", \"delay_ms\": 50}");
	/* the same prefix replaces */
	add_fault("{\"prefix\": \"/samples\", \"kind\": \"oversize\", \"mib\": 3}");
	l = faults_list();
	assert_int_equal(cJSON_GetArraySize(l), 2);
	f = cJSON_GetArrayItem(l, 0);
	assert_string_equal(str(f, "prefix"), "/metrics");
	assert_string_equal(str(f, "kind"), "status");
	assert_int_equal(item(f, "status")->valueint, 502);
	assert_string_equal(str(f, "body"), "<html>bad gateway</html>");
	assert_string_equal(str(f, "content_type"), "text/html");
	f = cJSON_GetArrayItem(l, 1);
	assert_string_equal(str(f, "kind"), "oversize");
	assert_int_equal(item(f, "mib")->valueint, 3);
	cJSON_Delete(l);
	/* delete one by prefix; an unknown prefix is a 404 */
	cJSON_Delete(call(&main_sim, "DELETE", "/-/sim/faults?prefix=/samples", NULL, 200));
	cJSON_Delete(call(&main_sim, "DELETE", "/-/sim/faults?prefix=/nothing", NULL, 404));
	l = faults_list();
	assert_int_equal(cJSON_GetArraySize(l), 1);
	cJSON_Delete(l);
	clear_faults();
	l = faults_list();
	assert_int_equal(cJSON_GetArraySize(l), 0);
	cJSON_Delete(l);
	for (i = 0; i < sizeof(bad) / sizeof(bad[0]); i++) {
		cJSON *e = call(&main_sim, "POST", "/-/sim/faults", bad[i], 400);
		assert_non_null(str(e, "error"));
		cJSON_Delete(e);
	}
	cJSON_Delete(call(&main_sim, "PUT", "/-/sim/faults", "{}", 405));
}

/* GET path on main_sim: the status only. */
static long status_of(const char *method, const char *path)
{
	struct resp r;
	long st;

	http(&main_sim, method, path, NULL, NULL, &r);
	st = r.status;
	resp_free(&r);
	return st;
}

/* A fault for one method beats one for any at the same prefix; times counts requests down. */
static void test_control_faults_per_method(void **state)
{
	cJSON *l;

	(void)state;
	add_fault("{\"prefix\": \"/metrics\", \"kind\": \"status\", \"status\": 502}");
	add_fault("{\"prefix\": \"/metrics\", \"method\": \"POST\", \"kind\": \"status\", "
	          "\"status\": 418}");
	add_fault("{\"prefix\": \"/samples\", \"method\": \"GET\", \"times\": 2, "
	          "\"kind\": \"status\", \"status\": 503}");
	l = faults_list();
	assert_int_equal(cJSON_GetArraySize(l), 3);
	assert_string_equal(str(cJSON_GetArrayItem(l, 1), "method"), "POST");
	assert_null(item(cJSON_GetArrayItem(l, 0), "method"));
	assert_int_equal(item(cJSON_GetArrayItem(l, 2), "times")->valueint, 2);
	cJSON_Delete(l);
	assert_int_equal(status_of("GET", "/metrics"), 502);
	assert_int_equal(status_of("POST", "/metrics"), 418);
	assert_int_equal(status_of("GET", "/samples?limit=1"), 503);
	l = faults_list();
	assert_int_equal(item(cJSON_GetArrayItem(l, 2), "times")->valueint, 1);
	cJSON_Delete(l);
	assert_int_equal(status_of("GET", "/samples?limit=1"), 503);
	assert_int_equal(status_of("GET", "/samples?limit=1"), 200);
	l = faults_list();
	assert_int_equal(cJSON_GetArraySize(l), 2);
	cJSON_Delete(l);
	/* delete one method's */
	cJSON_Delete(
	    call(&main_sim, "DELETE", "/-/sim/faults?prefix=/metrics&method=POST", NULL, 200));
	assert_int_equal(status_of("POST", "/metrics"), 502);
	cJSON_Delete(
	    call(&main_sim, "DELETE", "/-/sim/faults?prefix=/metrics&method=PUT", NULL, 404));
	clear_faults();
	assert_int_equal(status_of("GET", "/metrics"), 200);
}

static void test_control_time(void **state)
{
	cJSON *j = get("/-/sim/time"), *k;
	double t0 = item(j, "now_ms")->valuedouble;

	(void)state;
	cJSON_Delete(j);
	assert_true(t0 > 1.7e12);
	k = post("/-/sim/advance", "{\"seconds\": 3600}");
	assert_true(item(k, "now_ms")->valuedouble >= t0 + 3600e3);
	cJSON_Delete(k);
	k = post("/-/sim/advance", "{\"ms\": 1500}");
	assert_true(item(k, "now_ms")->valuedouble >= t0 + 3601.5e3);
	cJSON_Delete(k);
	j = get("/-/sim/time");
	assert_true(item(j, "now_ms")->valuedouble >= t0 + 3601.5e3);
	cJSON_Delete(j);
	cJSON_Delete(call(&main_sim, "POST", "/-/sim/advance", "{\"seconds\": -5}", 400));
	cJSON_Delete(call(&main_sim, "POST", "/-/sim/advance", "{}", 400));
	cJSON_Delete(call(&main_sim, "GET", "/-/sim/advance", NULL, 405));
	/* the world integrated the hour: the churn counters moved by about an hour of traffic */
	assert_true(metric_now("model_requests_total{model=\"churn-classifier\",version=\"v3\","
	                       "code=\"200\"}") > 100 * 3600);
}

/* Each fault kind, carried out on an ops endpoint; the control API itself is never faulted. */
static void test_faults_on_ops(void **state)
{
	struct resp r;
	int64_t t0;
	size_t i;
	int high = 0;
	cJSON *j;

	(void)state;
	add_fault("{\"prefix\": \"/metrics\", \"kind\": \"delay\", \"delay_ms\": 300}");
	t0 = now_ms();
	free(fetch_text("/metrics", 200, "text/plain"));
	assert_true(now_ms() - t0 >= 300);
	add_fault("{\"prefix\": \"/api/v2/alerts\", \"kind\": \"status\", \"status\": 503, "
	          "\"body\": \"Service Unavailable\", \"content_type\": \"text/plain\"}");
	http(&main_sim, "GET", "/api/v2/alerts", NULL, NULL, &r);
	assert_int_equal(r.status, 503);
	assert_string_equal(r.body, "Service Unavailable");
	resp_free(&r);
	add_fault("{\"prefix\": \"/apis/serving.kserve.io\", \"kind\": \"truncate\"}");
	http(&main_sim, "GET", ISVC_PATH, NULL, NULL, &r);
	assert_int_equal(r.rc, CURLE_PARTIAL_FILE);
	resp_free(&r);
	add_fault("{\"prefix\": \"/samples\", \"kind\": \"reset\"}");
	http(&main_sim, "GET", "/samples", NULL, NULL, &r);
	assert_true(r.rc == CURLE_GOT_NOTHING || r.rc == CURLE_RECV_ERROR);
	resp_free(&r);
	add_fault("{\"prefix\": \"/metrics\", \"kind\": \"garbage\"}");
	http(&main_sim, "GET", "/metrics", NULL, NULL, &r);
	for (i = 0; i < r.len; i++)
		high += (unsigned char)r.body[i] >= 0x80;
	assert_true(r.len > 0 && high == (int)r.len);
	resp_free(&r);
	add_fault("{\"prefix\": \"/apis/serving.kserve.io/v1beta1/namespaces/models\", "
	          "\"kind\": \"oversize\", \"mib\": 1}"); /* longer than the truncate prefix */
	http(&main_sim, "GET", ISVC_PATH, NULL, NULL, &r);
	assert_int_equal(r.rc, CURLE_OK);
	assert_int_equal(r.len, 1u << 20);
	resp_free(&r);
	add_fault("{\"prefix\": \"/\", \"kind\": \"reset\"}");
	j = faults_list();
	assert_int_equal(cJSON_GetArraySize(j), 6);
	cJSON_Delete(j);
	clear_faults();
	j = get("/api/v2/alerts");
	assert_true(cJSON_IsArray(j));
	cJSON_Delete(j);
	free(fetch_text("/samples?limit=1", 200, "application/x-ndjson"));
	j = get(ISVC_PATH);
	assert_string_equal(str(j, "kind"), "InferenceServiceList");
	cJSON_Delete(j);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
	    cmocka_unit_test(test_metrics_format),
	    cmocka_unit_test(test_counters_grow),
	    cmocka_unit_test(test_samples),
	    cmocka_unit_test(test_control_faults),
	    cmocka_unit_test(test_control_time),
	    cmocka_unit_test(test_faults_on_ops),
	    cmocka_unit_test(test_control_faults_per_method),
	};

	return sim_run_group("sim_ops", tests, sizeof(tests) / sizeof(tests[0]));
}
