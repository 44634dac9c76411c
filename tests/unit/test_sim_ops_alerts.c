/* test_sim_ops_alerts: mltop-sim's Alertmanager v2 subset against docs/wire-formats.md (shapes,
 * fingerprints, filters, inhibition, silences, error bodies) and the world's own alerts: a
 * canary of churn-classifier v5 fires them (and fills the samples with its drift), a rollback
 * resolves them. */
#include "tests/unit/test_sim_ops.h"

/* A request whose answer must be status with an empty body and no Content-Type. */
static void expect_empty(const char *method, const char *path, const char *body, long status)
{
	struct resp r;

	http(&main_sim, method, path, body ? "application/json" : NULL, body, &r);
	if (r.status != status || r.len)
		fprintf(stderr, "%s %s -> %ld '%s'\n", method, path, r.status, r.body);
	assert_int_equal(r.status, status);
	assert_int_equal(r.len, 0);
	assert_string_equal(r.ctype, "");
	resp_free(&r);
}

/* An error whose body is a bare JSON string. */
static void expect_string_error(const char *method, const char *path, const char *body, long status,
                                const char *msg)
{
	cJSON *j = call(&main_sim, method, path, body, status);

	assert_true(cJSON_IsString(j));
	assert_string_equal(j->valuestring, msg);
	cJSON_Delete(j);
}

/* An error whose body is {"code","message"}. */
static void expect_code_error(const char *method, const char *path, const char *body, long status,
                              int code, const char *msg)
{
	cJSON *j = call(&main_sim, method, path, body, status);

	assert_int_equal(item(j, "code")->valueint, code);
	if (msg)
		assert_string_equal(str(j, "message"), msg);
	cJSON_Delete(j);
}

static void check_time(const char *t)
{
	int y, mo, d, h, mi, s, ms;
	char z;

	assert_non_null(t);
	assert_int_equal(strlen(t), 24);
	assert_int_equal(
	    sscanf(t, "%4d-%2d-%2dT%2d:%2d:%2d.%3d%c", &y, &mo, &d, &h, &mi, &s, &ms, &z), 8);
	assert_int_equal(z, 'Z');
}

static int64_t parse_ms(const char *t)
{
	struct tm tm;
	int ms;

	memset(&tm, 0, sizeof(tm));
	sscanf(t, "%4d-%2d-%2dT%2d:%2d:%2d.%3d", &tm.tm_year, &tm.tm_mon, &tm.tm_mday, &tm.tm_hour,
	       &tm.tm_min, &tm.tm_sec, &ms);
	tm.tm_year -= 1900;
	tm.tm_mon -= 1;
	return (int64_t)timegm(&tm) * 1000 + ms;
}

/* ---- alerts ---- */

static void test_alert_shape_and_fingerprint(void **state)
{
	const char *spec =
	    "[{\"labels\":{\"alertname\":\"ModelHighErrorRate\",\"model\":\"fraud\","
	    "\"severity\":\"warning\",\"version\":\"v2\"},\"annotations\":{\"summary\":"
	    "\"5xx ratio 5% (warning)\"},\"generatorURL\":\"http://127.0.0.1:39190/"
	    "graph\"}]";
	cJSON *j, *a, *st;

	(void)state;
	expect_empty("POST", "/api/v2/alerts", spec, 200);
	expect_empty("POST", "/api/v2/alerts", spec, 200); /* the same alert again */
	j = alerts_get("?filter=model%3D%22fraud%22");
	assert_int_equal(cJSON_GetArraySize(j), 1);
	a = cJSON_GetArrayItem(j, 0);
	/* the real Alertmanager's fingerprint for these labels */
	assert_string_equal(str(a, "fingerprint"), "43565d40ac0d867d");
	assert_string_equal(str(cJSON_GetArrayItem(item(a, "receivers"), 0), "name"), "null");
	st = item(a, "status");
	assert_string_equal(str(st, "state"), "active");
	assert_int_equal(cJSON_GetArraySize(item(st, "silencedBy")), 0);
	assert_int_equal(cJSON_GetArraySize(item(st, "inhibitedBy")), 0);
	check_time(str(a, "startsAt"));
	check_time(str(a, "endsAt"));
	check_time(str(a, "updatedAt"));
	/* no endsAt: now + resolve_timeout (5m); the second POST kept the first start */
	assert_true(parse_ms(str(a, "endsAt")) - parse_ms(str(a, "startsAt")) >= 300000);
	assert_true(parse_ms(str(a, "endsAt")) - parse_ms(str(a, "startsAt")) < 310000);
	assert_true(parse_ms(str(a, "endsAt")) - parse_ms(str(a, "updatedAt")) == 300000);
	assert_string_equal(str(a, "generatorURL"), "http://127.0.0.1:39190/graph");
	assert_string_equal(str(item(a, "annotations"), "summary"), "5xx ratio 5% (warning)");
	assert_string_equal(str(item(a, "labels"), "version"), "v2");
	cJSON_Delete(j);
	/* empty label values are dropped; no generatorURL, no key */
	expect_empty("POST", "/api/v2/alerts",
	             "[{\"labels\":{\"alertname\":\"Shape\",\"empty\":\"\",\"test\":\"shape\"}}]",
	             200);
	j = alerts_get("?filter=test%3Dshape");
	a = cJSON_GetArrayItem(j, 0);
	assert_null(item(item(a, "labels"), "empty"));
	assert_null(item(a, "generatorURL"));
	cJSON_Delete(j);
	/* an alert that already ended is accepted but not listed */
	expect_empty("POST", "/api/v2/alerts",
	             "[{\"labels\":{\"alertname\":\"Ended\",\"test\":\"ended\"},"
	             "\"startsAt\":\"2020-01-01T00:00:00Z\",\"endsAt\":\"2020-01-01T01:00:00Z\"}]",
	             200);
	j = alerts_get("?filter=test%3Dended");
	assert_int_equal(cJSON_GetArraySize(j), 0);
	cJSON_Delete(j);
}

static void test_post_alert_errors(void **state)
{
	cJSON *j;

	(void)state;
	expect_code_error("POST", "/api/v2/alerts", "{\"labels\":{\"a\":\"b\"}}", 400, 400, NULL);
	expect_code_error("POST", "/api/v2/alerts", "[{\"annotations\":{}}]", 422, 602,
	                  "0.labels in body is required");
	expect_string_error("POST", "/api/v2/alerts", "[{\"labels\":{}}]", 400,
	                    "at least one label pair required");
	expect_string_error("POST", "/api/v2/alerts",
	                    "[{\"labels\":{\"alertname\":\"Backwards\"},\"startsAt\":"
	                    "\"2030-01-01T01:00:00Z\",\"endsAt\":\"2030-01-01T00:00:00Z\"}]",
	                    400, "start time must be before end time");
	/* a mixed batch: the valid alert is stored, the answer is still 400 */
	expect_string_error("POST", "/api/v2/alerts",
	                    "[{\"labels\":{\"alertname\":\"Mixed\",\"test\":\"mixed\"}},"
	                    "{\"labels\":{}}]",
	                    400, "at least one label pair required");
	j = alerts_get("?filter=test%3D%22mixed%22");
	assert_int_equal(cJSON_GetArraySize(j), 1);
	cJSON_Delete(j);
}

/* The names of the alerts a query returns, as "a,b,". */
static void names_of(const char *query, char *out, size_t cap)
{
	cJSON *j = alerts_get(query), *a;

	out[0] = '\0';
	cJSON_ArrayForEach(a, j)
	{
		snprintf(out + strlen(out), cap - strlen(out), "%s,",
		         str(item(a, "labels"), "name"));
	}
	cJSON_Delete(j);
}

static void test_filters_and_inhibition(void **state)
{
	char names[256];
	cJSON *j, *a, *crit = NULL, *warn = NULL;

	(void)state;
	expect_empty("POST", "/api/v2/alerts",
	             "[{\"labels\":{\"alertname\":\"ModelFeatureDrift\",\"model\":\"m1\","
	             "\"severity\":\"critical\",\"name\":\"crit\",\"test\":\"filters\"}},"
	             "{\"labels\":{\"alertname\":\"ModelFeatureDrift\",\"model\":\"m1\","
	             "\"severity\":\"warning\",\"name\":\"warn\",\"test\":\"filters\"}},"
	             "{\"labels\":{\"alertname\":\"ModelHighLatency\",\"model\":\"m1\","
	             "\"severity\":\"warning\",\"name\":\"lat\",\"test\":\"filters\"}}]",
	             200);
	j = alerts_get("?filter=test%3D%22filters%22");
	assert_int_equal(cJSON_GetArraySize(j), 3);
	cJSON_ArrayForEach(a, j)
	{
		if (strcmp(str(item(a, "labels"), "name"), "crit") == 0)
			crit = a;
		if (strcmp(str(item(a, "labels"), "name"), "warn") == 0)
			warn = a;
	}
	assert_non_null(crit);
	assert_non_null(warn);
	/* a critical mutes the warning with the same alertname and model, by fingerprint */
	assert_string_equal(str(item(warn, "status"), "state"), "suppressed");
	assert_string_equal(
	    cJSON_GetArrayItem(item(item(warn, "status"), "inhibitedBy"), 0)->valuestring,
	    str(crit, "fingerprint"));
	assert_string_equal(str(item(crit, "status"), "state"), "active");
	/* sorted by fingerprint */
	assert_true(strcmp(str(cJSON_GetArrayItem(j, 0), "fingerprint"),
	                   str(cJSON_GetArrayItem(j, 1), "fingerprint")) < 0);
	cJSON_Delete(j);
	names_of("?filter=test%3Dfilters&filter=alertname%3D~%22Model.*Drift%22", names,
	         sizeof(names));
	assert_true(strlen(names) == 10 && strstr(names, "crit,") && strstr(names, "warn,"));
	names_of("?filter=test%3Dfilters&filter=alertname!~%22Model.*Drift%22", names,
	         sizeof(names));
	assert_string_equal(names, "lat,");
	names_of("?filter=test%3Dfilters&filter=severity!%3D%22warning%22", names, sizeof(names));
	assert_string_equal(names, "crit,");
	names_of("?filter=test%3Dfilters&filter=alertname%3D~%22Drift%22", names, sizeof(names));
	assert_string_equal(names, ""); /* anchored */
	names_of("?filter=test%3Dfilters&inhibited=false", names, sizeof(names));
	assert_int_equal(strlen(names), 9);
	assert_null(strstr(names, "warn"));
	names_of("?filter=test%3Dfilters&active=false", names, sizeof(names));
	assert_string_equal(names, "warn,");
	names_of("?filter=test%3Dfilters&receiver=nul.*", names, sizeof(names));
	assert_int_equal(strlen(names), 14);
	names_of("?filter=test%3Dfilters&receiver=nu", names, sizeof(names));
	assert_string_equal(names, "");
	expect_string_error("GET", "/api/v2/alerts?filter=%7Ba%3D%22b%22%7D", NULL, 400,
	                    "bad matcher format: {a=\"b\"}");
	/* groups: by alertname and model, receiver null */
	j = get("/api/v2/alerts/groups?filter=test%3Dfilters");
	assert_int_equal(cJSON_GetArraySize(j), 2);
	a = cJSON_GetArrayItem(j, 0);
	assert_string_equal(str(item(a, "labels"), "alertname"), "ModelFeatureDrift");
	assert_string_equal(str(item(a, "labels"), "model"), "m1");
	assert_string_equal(str(item(a, "receiver"), "name"), "null");
	assert_int_equal(cJSON_GetArraySize(item(a, "alerts")), 2);
	cJSON_Delete(j);
	j = get("/api/v2/status");
	assert_string_equal(str(item(j, "cluster"), "status"), "disabled");
	assert_string_equal(str(item(j, "versionInfo"), "version"), "0.25.0");
	cJSON_Delete(j);
}

/* ---- silences ---- */

/* A silence body: matchers JSON, and start/end offsets from the world's now in seconds. */
static char *silence_body(const char *id, const char *matchers, int from_s, int to_s,
                          const char *comment)
{
	cJSON *t = get("/-/sim/time"), *b = cJSON_CreateObject();
	double now = item(t, "now_ms")->valuedouble;
	char start[32], end[32], *text;
	time_t s;

	cJSON_Delete(t);
	s = (time_t)(now / 1000) + from_s;
	strftime(start, sizeof(start), "%Y-%m-%dT%H:%M:%SZ", gmtime(&s));
	s = (time_t)(now / 1000) + to_s;
	strftime(end, sizeof(end), "%Y-%m-%dT%H:%M:%SZ", gmtime(&s));
	if (id)
		cJSON_AddStringToObject(b, "id", id);
	cJSON_AddItemToObject(b, "matchers", cJSON_Parse(matchers));
	cJSON_AddStringToObject(b, "startsAt", start);
	cJSON_AddStringToObject(b, "endsAt", end);
	cJSON_AddStringToObject(b, "createdBy", "oncall@bastion");
	cJSON_AddStringToObject(b, "comment", comment);
	text = cJSON_PrintUnformatted(b);
	cJSON_Delete(b);
	return text;
}

/* POSTs a silence; its ID (malloc'd). */
static char *silence_post(const char *body)
{
	cJSON *j = post("/api/v2/silences", body);
	char *id = strdup(str(j, "silenceID"));

	cJSON_Delete(j);
	assert_int_equal(strlen(id), 36);
	return id;
}

static cJSON *silence_get(const char *id)
{
	char path[128];

	snprintf(path, sizeof(path), "/api/v2/silence/%s", id);
	return get(path);
}

static const char *silenced_by(const char *query)
{
	static char first[64];
	cJSON *j = alerts_get(query);
	const cJSON *s =
	    cJSON_GetArrayItem(item(item(cJSON_GetArrayItem(j, 0), "status"), "silencedBy"), 0);

	snprintf(first, sizeof(first), "%s", cJSON_IsString(s) ? s->valuestring : "");
	cJSON_Delete(j);
	return first;
}

static void test_silences(void **state)
{
	const char *m = "[{\"name\":\"test\",\"value\":\"silences\",\"isRegex\":false},"
	                "{\"name\":\"alertname\",\"value\":\"Silenced|Other\",\"isRegex\":true}]";
	char *body = silence_body(NULL, m, -60, 3600, "retraining scheduled"), *id, *id2, path[128];
	cJSON *s, *j;
	const cJSON *mm;

	(void)state;
	expect_empty("POST", "/api/v2/alerts",
	             "[{\"labels\":{\"alertname\":\"Silenced\",\"test\":\"silences\"}}]", 200);
	id = silence_post(body);
	free(body);
	s = silence_get(id);
	assert_string_equal(str(s, "id"), id);
	assert_string_equal(str(item(s, "status"), "state"), "active");
	assert_string_equal(str(s, "createdBy"), "oncall@bastion");
	assert_string_equal(str(s, "comment"), "retraining scheduled");
	check_time(str(s, "startsAt")); /* a past start is clamped to now */
	check_time(str(s, "updatedAt"));
	mm = cJSON_GetArrayItem(item(s, "matchers"), 1);
	assert_true(cJSON_IsTrue(item(mm, "isRegex")));
	assert_true(cJSON_IsTrue(item(mm, "isEqual"))); /* defaults to true */
	/* the alert is silenced by it */
	assert_string_equal(silenced_by("?filter=test%3Dsilences"), id);
	j = alerts_get("?filter=test%3Dsilences&silenced=false");
	assert_int_equal(cJSON_GetArraySize(j), 0);
	cJSON_Delete(j);
	/* update in place: same matchers, same start, a new comment -> same ID */
	j = cJSON_CreateObject();
	cJSON_AddStringToObject(j, "id", id);
	cJSON_AddItemToObject(j, "matchers", cJSON_Duplicate(item(s, "matchers"), 1));
	cJSON_AddStringToObject(j, "startsAt", str(s, "startsAt"));
	cJSON_AddStringToObject(j, "endsAt", str(s, "endsAt"));
	cJSON_AddStringToObject(j, "createdBy", "oncall@bastion");
	cJSON_AddStringToObject(j, "comment", "extended");
	body = cJSON_PrintUnformatted(j);
	cJSON_Delete(j);
	id2 = silence_post(body);
	free(body);
	assert_string_equal(id2, id);
	free(id2);
	cJSON_Delete(s);
	s = silence_get(id);
	assert_string_equal(str(s, "comment"), "extended");
	cJSON_Delete(s);
	/* a changed matcher: the old one expires, a new ID */
	body = silence_body(id, "[{\"name\":\"test\",\"value\":\"silences\",\"isRegex\":false}]", 0,
	                    3600, "narrower");
	id2 = silence_post(body);
	free(body);
	assert_string_not_equal(id2, id);
	s = silence_get(id);
	assert_string_equal(str(item(s, "status"), "state"), "expired");
	cJSON_Delete(s);
	assert_string_equal(silenced_by("?filter=test%3Dsilences"), id2);
	/* expire it: 200 with an empty body, listed as expired, the alert is active again */
	snprintf(path, sizeof(path), "/api/v2/silence/%s", id2);
	expect_empty("DELETE", path, NULL, 200);
	expect_empty("DELETE", path, NULL, 200);
	s = silence_get(id2);
	assert_string_equal(str(item(s, "status"), "state"), "expired");
	cJSON_Delete(s);
	assert_string_equal(silenced_by("?filter=test%3Dsilences"), "");
	free(id);
	free(id2);
}

static void test_silence_list_and_errors(void **state)
{
	const char *m = "[{\"name\":\"test\",\"value\":\"list\",\"isRegex\":false}]";
	char *body, *pending, *active;
	cJSON *j, *s;
	int n = 0, seen_pending = 0, seen_expired = 0;

	(void)state;
	body = silence_body(NULL, m, 3600, 7200, "later");
	pending = silence_post(body);
	free(body);
	body = silence_body(NULL, m, 0, 600, "now");
	active = silence_post(body);
	free(body);
	s = silence_get(pending);
	assert_string_equal(str(item(s, "status"), "state"), "pending");
	cJSON_Delete(s);
	/* order: active, then pending, then expired */
	j = get("/api/v2/silences");
	cJSON_ArrayForEach(s, j)
	{
		const char *st = str(item(s, "status"), "state");
		if (strcmp(st, "active") == 0)
			assert_false(seen_pending || seen_expired);
		seen_pending |= strcmp(st, "pending") == 0;
		if (strcmp(st, "pending") == 0)
			assert_false(seen_expired);
		seen_expired |= strcmp(st, "expired") == 0;
	}
	assert_true(seen_pending && seen_expired);
	cJSON_Delete(j);
	/* filter matches the silence's own matchers exactly */
	j = get("/api/v2/silences?filter=test%3D%22list%22");
	cJSON_ArrayForEach(s, j) n++;
	assert_int_equal(n, 2);
	cJSON_Delete(j);
	j = get("/api/v2/silences?filter=test%3D~%22list%22");
	assert_int_equal(cJSON_GetArraySize(j), 0);
	cJSON_Delete(j);
	free(pending);
	free(active);
	/* errors, in Alertmanager's three forms */
	expect_code_error(
	    "POST", "/api/v2/silences",
	    "{\"matchers\":[{\"name\":\"a\",\"value\":\"b\",\"isRegex\":false}],"
	    "\"startsAt\":\"2030-01-01T00:00:00Z\",\"endsAt\":\"2030-01-02T00:00:00Z\","
	    "\"createdBy\":\"x\"}",
	    422, 602, "comment in body is required");
	body = silence_body(NULL, "[]", 0, 60, "empty");
	expect_code_error("POST", "/api/v2/silences", body, 422, 612, NULL);
	free(body);
	body = silence_body(NULL, m, 60, 0, "backwards");
	expect_string_error("POST", "/api/v2/silences", body, 400,
	                    "Failed to create silence: start time must be before end time");
	free(body);
	body = silence_body(NULL, "[{\"name\":\"model\",\"value\":\".*\",\"isRegex\":true}]", 0, 60,
	                    "everything");
	expect_string_error(
	    "POST", "/api/v2/silences", body, 400,
	    "silence invalid: at least one matcher must not match the empty string");
	free(body);
	body = silence_body("5b0e7c4e-0000-4000-8000-000000000000", m, 0, 60, "unknown");
	expect_string_error("POST", "/api/v2/silences", body, 404, "silence not found");
	free(body);
	expect_string_error("DELETE", "/api/v2/silence/5b0e7c4e-0000-4000-8000-000000000000", NULL,
	                    500, "silence not found");
	expect_code_error("DELETE", "/api/v2/silence/abc", NULL, 422, 601,
	                  "silenceID in path must be of type uuid: \"abc\"");
	expect_empty("GET", "/api/v2/silence/5b0e7c4e-0000-4000-8000-000000000000", NULL, 404);
}

/* ---- the world's own alerts ---- */

/* The world alert for churn-classifier v5 with that alertname (and feature), duplicated. */
static cJSON *world_alert(const char *alertname, const char *feature)
{
	cJSON *j = alerts_get("?filter=model%3D%22churn-classifier%22&filter=version%3Dv5"), *a,
	      *r = NULL;

	cJSON_ArrayForEach(a, j)
	{
		const cJSON *l = item(a, "labels");
		if (strcmp(str(l, "alertname"), alertname) == 0 &&
		    (!feature || (str(l, "feature") && strcmp(str(l, "feature"), feature) == 0)))
			r = cJSON_Duplicate(a, 1);
	}
	cJSON_Delete(j);
	return r;
}

/* Counts churn-classifier samples of version v since t, and those with tenure_days < 30. */
static void count_samples(const char *v, const char *since, int *n, int *young)
{
	char path[256], *body, *save = NULL, *line;

	snprintf(path, sizeof(path),
	         "/samples?model=churn-classifier&version=%s&limit=1000&since=%s", v, since);
	body = fetch_text(path, 200, "application/x-ndjson");
	*n = *young = 0;
	for (line = strtok_r(body, "\n", &save); line; line = strtok_r(NULL, "\n", &save)) {
		cJSON *o = cJSON_Parse(line);
		(*n)++;
		*young += item(item(o, "input"), "tenure_days")->valuedouble < 30;
		cJSON_Delete(o);
	}
	free(body);
}

static void test_world_alerts_fire_for_a_canary(void **state)
{
	cJSON *a, *t = get("/-/sim/time"), *j;
	char since[32];
	int n3, y3, n5, y5;
	time_t s;

	(void)state;
	s = (time_t)(item(t, "now_ms")->valuedouble / 1000);
	cJSON_Delete(t);
	strftime(since, sizeof(since), "%Y-%m-%dT%H:%M:%SZ", gmtime(&s));
	assert_int_equal(churn_v5_alerts("ModelHighErrorRate"), 0);
	assert_int_equal(churn_v5_alerts("ModelFeatureDrift"), 0);
	canary_churn_v5(25);
	advance_s(120);
	a = world_alert("ModelHighErrorRate", NULL);
	assert_non_null(a);
	assert_string_equal(str(item(a, "labels"), "severity"), "critical");
	assert_string_equal(str(item(a, "labels"), "namespace"), "models");
	assert_non_null(str(item(a, "annotations"), "summary"));
	assert_string_equal(str(item(a, "annotations"), "threshold"), "5 %");
	cJSON_Delete(a);
	a = world_alert("ModelFeatureDrift", "tenure_days");
	assert_non_null(a);
	assert_string_equal(str(item(a, "labels"), "severity"), "critical");
	assert_string_equal(str(item(a, "labels"), "drift_metric"), "psi");
	assert_string_equal(str(item(a, "status"), "state"), "active");
	cJSON_Delete(a);
	/* the warning on support_calls is inhibited by the critical drift of the same model */
	a = world_alert("ModelFeatureDrift", "support_calls");
	assert_non_null(a);
	assert_string_equal(str(item(a, "labels"), "severity"), "warning");
	assert_string_equal(str(item(a, "status"), "state"), "suppressed");
	cJSON_Delete(a);
	a = world_alert("ModelHighLatency", NULL);
	assert_non_null(a);
	assert_string_equal(str(item(a, "labels"), "severity"), "warning");
	cJSON_Delete(a);
	/* the stable version raises nothing */
	j = alerts_get("?filter=model%3D%22churn-classifier%22&filter=version%3Dv3");
	assert_int_equal(cJSON_GetArraySize(j), 0);
	cJSON_Delete(j);
	/* the bad version makes its share of failed samples, and its drift shows in the inputs */
	count_samples("v3", since, &n3, &y3);
	count_samples("v5", since, &n5, &y5);
	assert_true(n5 > 10 && n5 * 2 > n3);
	assert_true(y5 * 2 > n5);
	assert_true(y3 * 5 < n3);
}

/* After test_world_alerts_fire_for_a_canary (v5 at 25 %). */
static void test_world_alerts_silence_and_resolve(void **state)
{
	char *body, *sid;
	cJSON *a;

	(void)state;
	/* a silence on the drift alerts */
	body = silence_body(
	    NULL,
	    "[{\"name\":\"alertname\",\"value\":\"ModelFeatureDrift\",\"isRegex\":false},"
	    "{\"name\":\"model\",\"value\":\"churn-classifier\",\"isRegex\":false}]",
	    0, 3600, "known drift, retraining");
	sid = silence_post(body);
	free(body);
	a = world_alert("ModelFeatureDrift", "tenure_days");
	assert_string_equal(str(item(a, "status"), "state"), "suppressed");
	assert_string_equal(
	    cJSON_GetArrayItem(item(item(a, "status"), "silencedBy"), 0)->valuestring, sid);
	cJSON_Delete(a);
	a = world_alert("ModelHighErrorRate", NULL);
	assert_int_equal(cJSON_GetArraySize(item(item(a, "status"), "silencedBy")), 0);
	cJSON_Delete(a);
	free(sid);
	/* rollback: once the window has no v5 traffic, every v5 alert is resolved */
	cJSON_Delete(isvc_patch("churn-classifier", MERGE_PATCH,
	                        "{\"spec\":{\"predictor\":{\"canaryTrafficPercent\":0}}}", 200));
	advance_s(30);
	assert_int_equal(churn_v5_alerts("ModelFeatureDrift"), 0);
	advance_s(6 * 60);
	assert_int_equal(churn_v5_alerts("ModelHighErrorRate"), 0);
	assert_int_equal(churn_v5_alerts("ModelHighLatency"), 0);
	assert_int_equal(churn_v5_alerts("ModelFeatureDrift"), 0);
}

/* Go's JSON encoder ends every body with a newline: a bare-string error is 20 bytes, as from
 * Alertmanager 0.25. */
static void test_bodies_end_with_newline(void **state)
{
	struct resp r;

	(void)state;
	http(&main_sim, "DELETE", "/api/v2/silence/c7b8dc1c-141c-4295-b7a5-46e8e7492692", NULL,
	     NULL, &r);
	assert_int_equal(r.status, 500);
	assert_string_equal(r.body, "\"silence not found\"\n");
	resp_free(&r);
	http(&main_sim, "GET", "/api/v2/silences", NULL, NULL, &r);
	assert_int_equal(r.status, 200);
	assert_true(r.len >= 3 && r.body[r.len - 2] == ']' && r.body[r.len - 1] == '\n');
	resp_free(&r);
	http(&main_sim, "GET", "/api/v2/silence/c7b8dc1c-141c-4295-b7a5-46e8e7492692", NULL, NULL,
	     &r);
	assert_int_equal(r.status, 404);
	assert_int_equal(r.len, 0);
	resp_free(&r);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
	    cmocka_unit_test(test_alert_shape_and_fingerprint),
	    cmocka_unit_test(test_bodies_end_with_newline),
	    cmocka_unit_test(test_post_alert_errors),
	    cmocka_unit_test(test_filters_and_inhibition),
	    cmocka_unit_test(test_silences),
	    cmocka_unit_test(test_silence_list_and_errors),
	    cmocka_unit_test(test_world_alerts_fire_for_a_canary),
	    cmocka_unit_test(test_world_alerts_silence_and_resolve),
	};

	return sim_run_group("sim_ops_alerts", tests, sizeof(tests) / sizeof(tests[0]));
}
