/* Helpers shared by the mltop-sim ops tests (test_sim_ops*.c), on top of the simulator test
 * helpers of test_sim_mlflow.h (child process, HTTP through libcurl, cJSON accessors): text
 * bodies, exposition lines, KServe patches, world time. Every function is static inline. */
#ifndef MLTOP_TEST_SIM_OPS_H
#define MLTOP_TEST_SIM_OPS_H

#include "tests/unit/test_sim_mlflow.h"

#define ISVC_PATH   "/apis/serving.kserve.io/v1beta1/namespaces/models/inferenceservices"
#define MERGE_PATCH "application/merge-patch+json"

/* GET path, expecting status and a Content-Type starting with ctype; the body (malloc'd). */
static inline char *fetch_text(const char *path, long status, const char *ctype)
{
	struct resp r;

	http(&main_sim, "GET", path, NULL, NULL, &r);
	if (r.rc != CURLE_OK || r.status != status)
		fprintf(stderr, "GET %s -> %ld %s\n", path, r.status, r.body);
	assert_int_equal(r.rc, CURLE_OK);
	assert_int_equal(r.status, status);
	assert_int_equal(strncmp(r.ctype, ctype, strlen(ctype)), 0);
	return r.body;
}

/* The value of one exposition series ("name{labels}"), or NAN when absent. */
static inline double series_value(const char *text, const char *series)
{
	size_t n = strlen(series);
	const char *p = text;

	while ((p = strstr(p, series)) != NULL) {
		if ((p == text || p[-1] == '\n') && p[n] == ' ')
			return strtod(p + n + 1, NULL);
		p += n;
	}
	return NAN;
}

static inline double metric_now(const char *series)
{
	char *text = fetch_text("/metrics", 200, "text/plain; version=0.0.4");
	double v = series_value(text, series);

	free(text);
	return v;
}

/* Moves the world clock forward (the next request integrates the skipped time). */
static inline void advance_s(int seconds)
{
	char body[64];

	snprintf(body, sizeof(body), "{\"seconds\": %d}", seconds);
	cJSON_Delete(post("/-/sim/advance", body));
}

/* PATCH an InferenceService with a Content-Type; returns the JSON body (a Status on errors). */
static inline cJSON *isvc_patch(const char *name, const char *ctype, const char *body, long status)
{
	char path[256];
	struct resp r;
	cJSON *j;

	snprintf(path, sizeof(path), ISVC_PATH "/%s", name);
	http(&main_sim, "PATCH", path, ctype, body, &r);
	if (r.status != status)
		fprintf(stderr, "PATCH %s %s -> %ld %s\n", path, body, r.status, r.body);
	assert_int_equal(r.status, status);
	assert_non_null(strstr(r.ctype, "application/json"));
	j = cJSON_Parse(r.body);
	assert_non_null(j);
	resp_free(&r);
	return j;
}

static inline cJSON *isvc_get(const char *name)
{
	char path[256];

	snprintf(path, sizeof(path), ISVC_PATH "/%s", name);
	return get(path);
}

static inline cJSON *predictor_status(const cJSON *isvc)
{
	return item(item(item(isvc, "status"), "components"), "predictor");
}

/* The percent of the traffic entry with latestRevision == latest, or -1 when there is none. */
static inline int traffic_percent(const cJSON *isvc, int latest)
{
	const cJSON *t;

	cJSON_ArrayForEach(t, item(predictor_status(isvc), "traffic"))
	{
		if (cJSON_IsTrue(item(t, "latestRevision")) == latest)
			return item(t, "percent")->valueint;
	}
	return -1;
}

/* The registry's source of a model version (malloc'd): what a canary's storageUri names. */
static inline char *version_source(const char *model, const char *version)
{
	return sim_version_field(model, version, "source");
}

/* The traffic entry with latestRevision == latest, or NULL. */
static inline const cJSON *traffic_entry(const cJSON *isvc, int latest)
{
	const cJSON *t;

	cJSON_ArrayForEach(t, item(predictor_status(isvc), "traffic"))
	{
		if (cJSON_IsTrue(item(t, "latestRevision")) == latest)
			return t;
	}
	return NULL;
}

/* The status condition of that type's status ("True", "Unknown", "False"), or NULL. */
static inline const char *condition_status(const cJSON *isvc, const char *type)
{
	const cJSON *c;

	cJSON_ArrayForEach(c, item(item(isvc, "status"), "conditions"))
	{
		if (strcmp(str(c, "type"), type) == 0)
			return str(c, "status");
	}
	return NULL;
}

/* The InferenceService once the controller is done: its latest revision ready and served by
 * the latest entry, nothing left to reconcile. Moves the world clock a second at a time (at
 * most 30). */
static inline cJSON *isvc_settled(const char *name)
{
	cJSON *o = NULL;

	for (int i = 0; i < 30; i++) {
		const cJSON *pred, *latest;
		cJSON_Delete(o);
		advance_s(1);
		o = isvc_get(name);
		pred = predictor_status(o);
		latest = traffic_entry(o, 1);
		if (strcmp(condition_status(o, "Ready"), "True") == 0 && latest &&
		    strcmp(str(pred, "latestCreatedRevision"), str(latest, "revisionName")) == 0)
			return o;
	}
	fail_msg("%s did not settle", name);
	return o;
}

/* A merge patch (200), then the object as the controller left it at once. */
static inline cJSON *isvc_patch_get(const char *name, const char *body)
{
	cJSON_Delete(isvc_patch(name, MERGE_PATCH, body, 200));
	return isvc_get(name);
}

/* Starts a canary of churn-classifier v5 at percent, and waits until v5 is ready and serves. */
static inline void canary_churn_v5(int percent)
{
	char *src = version_source("churn-classifier", "5"), body[700];

	snprintf(body, sizeof(body),
	         "{\"spec\":{\"predictor\":{\"canaryTrafficPercent\":%d,\"model\":{\"storageUri\":"
	         "\"%s\"}}}}",
	         percent, src);
	cJSON_Delete(isvc_patch("churn-classifier", MERGE_PATCH, body, 200));
	cJSON_Delete(isvc_settled("churn-classifier"));
	free(src);
}

/* Requests served by churn-classifier's version v (every code), now. */
static inline double churn_requests(const char *text, const char *v)
{
	const char *codes[] = {"200", "400", "500", "503"};
	char series[256];
	double sum = 0, x;
	size_t i;

	for (i = 0; i < 4; i++) {
		snprintf(
		    series, sizeof(series),
		    "model_requests_total{model=\"churn-classifier\",version=\"%s\",code=\"%s\"}",
		    v, codes[i]);
		x = series_value(text, series);
		sum += isnan(x) ? 0 : x;
	}
	return sum;
}

/* The share of churn-classifier's requests v5 served over the next minute of world time. */
static inline double v5_share_next_minute(void)
{
	char *a = fetch_text("/metrics", 200, "text/plain"), *b;
	double v3, v5;

	advance_s(60);
	b = fetch_text("/metrics", 200, "text/plain");
	v3 = churn_requests(b, "v3") - churn_requests(a, "v3");
	v5 = churn_requests(b, "v5") - churn_requests(a, "v5");
	free(a);
	free(b);
	assert_true(v3 >= 0 && v5 >= 0 && v3 + v5 > 100 * 60);
	return v5 / (v3 + v5);
}

/* GET /api/v2/alerts with the given query string; the array. */
static inline cJSON *alerts_get(const char *query)
{
	char path[1024];

	snprintf(path, sizeof(path), "/api/v2/alerts%s", query);
	return get(path);
}

/* The alerts of one alertname for churn-classifier v5 (URL-encoded filters). */
static inline int churn_v5_alerts(const char *alertname)
{
	char q[512];
	cJSON *j;
	int n;

	snprintf(q, sizeof(q),
	         "?filter=alertname%%3D%%22%s%%22&filter=model%%3D%%22churn-classifier%%22"
	         "&filter=version%%3D%%22v5%%22",
	         alertname);
	j = alerts_get(q);
	n = cJSON_GetArraySize(j);
	cJSON_Delete(j);
	return n;
}

#endif
