/* mltop-sim, MLflow side: starts ./mltop-sim on a free loopback port and checks every MLflow
 * endpoint against shared/specs/mlflow-api.md (shapes, string IDs, omitted empty fields, "NaN",
 * paging, errors), the writes (aliases, stages), the server's fault handling, determinism and
 * --scale. The binary is $MLTOP_SIM or ./mltop-sim. */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <cmocka.h>

#include <cjson/cJSON.h>
#include <curl/curl.h>
#include <errno.h>
#include <math.h>
#include <poll.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/prctl.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#define SIM_START_DEADLINE_MS 30000
#define MAX_CHILDREN          8

struct sim {
	pid_t pid;
	int out; /* read end of the child's stdout */
	int port;
};

struct resp {
	CURLcode rc;
	long status;
	char ctype[128];
	char *body;
	size_t len;
};

static struct sim main_sim;
static pid_t children[MAX_CHILDREN];

static int64_t now_ms(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (int64_t)ts.tv_sec * 1000 + ts.tv_nsec / 1000000;
}

static const char *sim_path(void)
{
	const char *p = getenv("MLTOP_SIM");

	return p && *p ? p : "./mltop-sim";
}

static void kill_children(void)
{
	int i;

	for (i = 0; i < MAX_CHILDREN; i++) {
		if (children[i] > 0) {
			kill(children[i], SIGKILL);
			waitpid(children[i], NULL, 0);
			children[i] = 0;
		}
	}
}

/* Reads the child's first line within the deadline; returns its length or -1. */
static int read_line(int fd, char *buf, size_t cap, int64_t deadline)
{
	size_t n = 0;

	while (n + 1 < cap) {
		struct pollfd p = {fd, POLLIN, 0};
		int64_t left = deadline - now_ms();

		if (left <= 0 || poll(&p, 1, (int)left) <= 0 || read(fd, buf + n, 1) != 1)
			return -1;
		if (buf[n] == '\n')
			break;
		n++;
	}
	buf[n] = '\0';
	return (int)n;
}

/* Starts mltop-sim with the given arguments (NULL-terminated). Returns 0 or -1. */
static int sim_start(struct sim *s, const char *const *args)
{
	const char *argv[16] = {sim_path(), "--port", "0"};
	int fds[2], i, n = 3;
	char line[128];

	for (i = 0; args && args[i] && n < 15; i++)
		argv[n++] = args[i];
	argv[n] = NULL;
	memset(s, 0, sizeof(*s));
	if (pipe(fds) != 0)
		return -1;
	s->pid = fork();
	if (s->pid == 0) {
		prctl(PR_SET_PDEATHSIG, SIGKILL);
		dup2(fds[1], 1);
		close(fds[0]);
		close(fds[1]);
		execv(argv[0], (char *const *)argv);
		_exit(127);
	}
	close(fds[1]);
	s->out = fds[0];
	for (i = 0; i < MAX_CHILDREN && children[i]; i++)
		;
	if (i < MAX_CHILDREN)
		children[i] = s->pid;
	if (s->pid < 0 ||
	    read_line(s->out, line, sizeof(line), now_ms() + SIM_START_DEADLINE_MS) < 0 ||
	    sscanf(line, "listening on http://127.0.0.1:%d", &s->port) != 1) {
		fprintf(stderr, "mltop-sim (%s) did not start: '%s'\n", sim_path(), line);
		return -1;
	}
	return 0;
}

static void sim_stop(struct sim *s)
{
	int i, status;

	if (s->pid <= 0)
		return;
	kill(s->pid, SIGTERM);
	waitpid(s->pid, &status, 0);
	for (i = 0; i < MAX_CHILDREN; i++)
		if (children[i] == s->pid)
			children[i] = 0;
	close(s->out);
	s->pid = 0;
}

static size_t on_body(char *p, size_t size, size_t n, void *ud)
{
	struct resp *r = ud;
	char *b = realloc(r->body, r->len + size * n + 1);

	if (!b)
		return 0;
	memcpy(b + r->len, p, size * n);
	r->body = b;
	r->len += size * n;
	b[r->len] = '\0';
	return size * n;
}

/* One request; ctype NULL sends no Content-Type at all. */
static void http(const struct sim *s, const char *method, const char *path, const char *ctype,
                 const char *body, struct resp *r)
{
	CURL *c = curl_easy_init();
	struct curl_slist *h = NULL;
	char url[4096], hdr[160];
	char *ct = NULL;

	memset(r, 0, sizeof(*r));
	r->body = calloc(1, 1);
	snprintf(url, sizeof(url), "http://127.0.0.1:%d%s", s->port, path);
	curl_easy_setopt(c, CURLOPT_URL, url);
	curl_easy_setopt(c, CURLOPT_CUSTOMREQUEST, method);
	curl_easy_setopt(c, CURLOPT_WRITEFUNCTION, on_body);
	curl_easy_setopt(c, CURLOPT_WRITEDATA, r);
	curl_easy_setopt(c, CURLOPT_TIMEOUT, 30L);
	if (body)
		curl_easy_setopt(c, CURLOPT_POSTFIELDS, body);
	snprintf(hdr, sizeof(hdr), "Content-Type: %s", ctype ? ctype : "");
	if (!ctype)
		hdr[strlen("Content-Type:")] = '\0';
	h = curl_slist_append(h, hdr);
	curl_easy_setopt(c, CURLOPT_HTTPHEADER, h);
	r->rc = curl_easy_perform(c);
	curl_easy_getinfo(c, CURLINFO_RESPONSE_CODE, &r->status);
	curl_easy_getinfo(c, CURLINFO_CONTENT_TYPE, &ct);
	snprintf(r->ctype, sizeof(r->ctype), "%s", ct ? ct : "");
	curl_slist_free_all(h);
	curl_easy_cleanup(c);
}

static void resp_free(struct resp *r)
{
	free(r->body);
	r->body = NULL;
}

/* A request that must answer `status` with a JSON body; returns the parsed body. */
static cJSON *call(const struct sim *s, const char *method, const char *path, const char *body,
                   long status)
{
	struct resp r;
	cJSON *j;

	http(s, method, path, strcmp(method, "GET") ? "application/json" : NULL, body, &r);
	if (r.rc != CURLE_OK || r.status != status)
		fprintf(stderr, "%s %s -> %ld %s\n", method, path, r.status, r.body);
	assert_int_equal(r.rc, CURLE_OK);
	assert_int_equal(r.status, status);
	assert_non_null(strstr(r.ctype, "application/json"));
	j = cJSON_Parse(r.body);
	assert_non_null(j);
	resp_free(&r);
	return j;
}

static cJSON *get(const char *path)
{
	return call(&main_sim, "GET", path, NULL, 200);
}

static cJSON *post(const char *path, const char *body)
{
	return call(&main_sim, "POST", path, body, 200);
}

static const char *str(const cJSON *o, const char *key)
{
	const cJSON *v = cJSON_GetObjectItemCaseSensitive(o, key);

	return cJSON_IsString(v) ? v->valuestring : NULL;
}

static cJSON *item(const cJSON *o, const char *key)
{
	return cJSON_GetObjectItemCaseSensitive(o, key);
}

/* Checks an MLflow error answer: status, JSON body with error_code. */
static void expect_error(const struct sim *s, const char *method, const char *path,
                         const char *body, long status, const char *code)
{
	cJSON *j = call(s, method, path, body, status);

	assert_string_equal(str(j, "error_code"), code);
	assert_non_null(str(j, "message"));
	cJSON_Delete(j);
}

/* The body of a runs/search request. */
static char *search_body(const char *exp, const char *filter, const char *order, int max,
                         const char *token)
{
	cJSON *b = cJSON_CreateObject(), *ids = cJSON_AddArrayToObject(b, "experiment_ids");
	char *text;

	cJSON_AddItemToArray(ids, cJSON_CreateString(exp));
	if (filter)
		cJSON_AddStringToObject(b, "filter", filter);
	if (order)
		cJSON_AddItemToObject(b, "order_by", cJSON_CreateStringArray(&order, 1));
	cJSON_AddNumberToObject(b, "max_results", max);
	if (token)
		cJSON_AddStringToObject(b, "page_token", token);
	text = cJSON_PrintUnformatted(b);
	cJSON_Delete(b);
	return text;
}

/* Every run of one experiment matching filter, page by page until the token is absent. */
static cJSON *all_runs(const struct sim *s, const char *exp, const char *filter, const char *order,
                       int page)
{
	cJSON *all = cJSON_CreateArray();
	char *token = NULL;
	int pages = 0;

	do {
		char *body = search_body(exp, filter, order, page, token);
		cJSON *j = call(s, "POST", "/api/2.0/mlflow/runs/search", body, 200), *r;
		const char *next = str(j, "next_page_token");
		int n = 0;

		cJSON_ArrayForEach(r, item(j, "runs"))
		{
			n++;
			cJSON_AddItemToArray(all, cJSON_Duplicate(r, 1));
		}
		assert_true(n <= page);
		free(token);
		token = next && *next ? strdup(next) : NULL;
		free(body);
		cJSON_Delete(j);
		assert_true(++pages < 10000);
	} while (token);
	return all;
}

static double metric(const cJSON *run, const char *key, int *is_nan)
{
	const cJSON *m;

	*is_nan = 0;
	cJSON_ArrayForEach(m, item(item(run, "data"), "metrics"))
	{
		const cJSON *v = item(m, "value");

		if (strcmp(str(m, "key"), key) != 0)
			continue;
		if (cJSON_IsString(v)) {
			assert_string_equal(v->valuestring, "NaN");
			*is_nan = 1;
			return NAN;
		}
		assert_true(cJSON_IsNumber(v));
		return v->valuedouble;
	}
	fail_msg("no metric %s", key);
	return 0;
}

static const char *kv(const cJSON *arr, const char *key)
{
	const cJSON *t;

	cJSON_ArrayForEach(t, arr)
	{
		if (strcmp(str(t, "key"), key) == 0)
			return str(t, "value");
	}
	return NULL;
}

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

/* The first run of a search, duplicated. */
static cJSON *first_run(const char *exp, const char *filter)
{
	char *body = search_body(exp, filter, NULL, 1, NULL);
	cJSON *j = post("/api/2.0/mlflow/runs/search", body), *r;

	free(body);
	r = cJSON_Duplicate(cJSON_GetArrayItem(item(j, "runs"), 0), 1);
	cJSON_Delete(j);
	assert_non_null(r);
	return r;
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

static int last_step(const cJSON *run, const char *key)
{
	const cJSON *m;

	cJSON_ArrayForEach(m, item(item(run, "data"), "metrics"))
	{
		if (strcmp(str(m, "key"), key) == 0)
			return item(m, "step")->valueint;
	}
	return -1;
}

static void test_history(void **state)
{
	cJSON *r = first_run("1", "attributes.status = 'FINISHED'"), *full, *m;
	const char *id = str(item(r, "info"), "run_id");
	int last = last_step(r, "auc"), n = 0, step = 0;
	char path[512], *token = NULL;

	(void)state;
	snprintf(path, sizeof(path), "/api/2.0/mlflow/metrics/get-history?run_id=%s&metric_key=auc",
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

static const char *alias_version(const cJSON *model, const char *alias)
{
	const cJSON *a;

	cJSON_ArrayForEach(a, item(model, "aliases"))
	{
		if (strcmp(str(a, "alias"), alias) == 0)
			return str(a, "version");
	}
	return NULL;
}

static void test_registry_models(void **state)
{
	const char *names[] = {"churn-classifier", "fraud-detector", "search-ranking"};
	cJSON *j, *m;
	int i = 0;

	(void)state;
	j = get("/api/2.0/mlflow/registered-models/search?max_results=100");
	cJSON_ArrayForEach(m, item(j, "registered_models"))
	{
		assert_string_equal(str(m, "name"), names[i++]);
		assert_non_null(alias_version(m, "champion"));
		assert_true(cJSON_GetArraySize(item(m, "latest_versions")) >= 1);
	}
	assert_int_equal(i, 3);
	cJSON_Delete(j);
	j = get("/api/2.0/mlflow/registered-models/get?name=churn-classifier");
	m = item(j, "registered_model");
	assert_string_equal(alias_version(m, "champion"), "3");
	assert_string_equal(alias_version(m, "challenger"), "5");
	assert_non_null(str(m, "description"));
	cJSON_Delete(j);
	j = get("/api/2.0/mlflow/registered-models/search?filter=name%20LIKE%20'%25fraud%25'");
	assert_int_equal(cJSON_GetArraySize(item(j, "registered_models")), 1);
	cJSON_Delete(j);
	expect_error(&main_sim, "GET", "/api/2.0/mlflow/registered-models/get?name=nope", NULL, 404,
	             "RESOURCE_DOES_NOT_EXIST");
	expect_error(&main_sim, "GET", "/api/2.0/mlflow/registered-models/search?max_results=1001",
	             NULL, 400, "INVALID_PARAMETER_VALUE");
}

static void test_registry_versions(void **state)
{
	cJSON *j, *v, *run;
	char path[256];
	int n = 0;

	(void)state;
	j = get("/api/2.0/mlflow/model-versions/search?filter=name%3D'churn-classifier'&"
	        "max_results=1000");
	cJSON_ArrayForEach(v, item(j, "model_versions"))
	{
		assert_true(cJSON_IsString(item(v, "version")));
		assert_string_equal(str(v, "status"), "READY");
		assert_non_null(str(v, "current_stage"));
		assert_int_equal(strncmp(str(v, "source"), "mlflow-artifacts:/1/", 20), 0);
		assert_non_null(strstr(str(v, "source"), str(v, "run_id")));
		snprintf(path, sizeof(path), "/api/2.0/mlflow/runs/get?run_id=%s",
		         str(v, "run_id"));
		run = get(path);
		cJSON_Delete(run);
		n++;
	}
	assert_int_equal(n, 5);
	cJSON_Delete(j);
	j = get("/api/2.0/mlflow/model-versions/get?name=churn-classifier&version=3");
	v = item(j, "model_version");
	assert_string_equal(str(v, "version"), "3");
	assert_string_equal(cJSON_GetArrayItem(item(v, "aliases"), 0)->valuestring, "champion");
	assert_int_equal(cJSON_GetArraySize(item(v, "aliases")), 1);
	cJSON_Delete(j);
	j = get("/api/2.0/mlflow/model-versions/get?name=churn-classifier&version=1");
	assert_null(item(item(j, "model_version"), "aliases")); /* omitted when empty */
	cJSON_Delete(j);
	expect_error(&main_sim, "GET",
	             "/api/2.0/mlflow/model-versions/get?name=churn-classifier&"
	             "version=x",
	             NULL, 400, "INVALID_PARAMETER_VALUE");
	expect_error(&main_sim, "GET",
	             "/api/2.0/mlflow/model-versions/get?name=churn-classifier&"
	             "version=99",
	             NULL, 404, "RESOURCE_DOES_NOT_EXIST");
}

static void test_alias_writes(void **state)
{
	const char *get_path = "/api/2.0/mlflow/registered-models/alias?name=churn-classifier&"
	                       "alias=canary";
	cJSON *j;

	(void)state;
	j = post("/api/2.0/mlflow/registered-models/alias",
	         "{\"name\": \"churn-classifier\", \"alias\": \"canary\", \"version\": \"4\"}");
	assert_null(j->child); /* {} */
	cJSON_Delete(j);
	j = get(get_path);
	assert_string_equal(str(item(j, "model_version"), "version"), "4");
	cJSON_Delete(j);
	/* Setting it again moves it. */
	cJSON_Delete(post("/api/2.0/mlflow/registered-models/alias",
	                  "{\"name\": \"churn-classifier\", \"alias\": \"canary\", \"version\": "
	                  "\"2\"}"));
	j = get("/api/2.0/mlflow/registered-models/get?name=churn-classifier");
	assert_string_equal(alias_version(item(j, "registered_model"), "canary"), "2");
	cJSON_Delete(j);
	/* DELETE reads its arguments from the JSON body. */
	j = call(&main_sim, "DELETE", "/api/2.0/mlflow/registered-models/alias",
	         "{\"name\": \"churn-classifier\", \"alias\": \"canary\"}", 200);
	cJSON_Delete(j);
	expect_error(&main_sim, "GET", get_path, NULL, 404, "RESOURCE_DOES_NOT_EXIST");
	expect_error(&main_sim, "POST", "/api/2.0/mlflow/registered-models/alias",
	             "{\"name\": \"churn-classifier\", \"alias\": \"Latest\", \"version\": \"4\"}",
	             400, "INVALID_PARAMETER_VALUE");
	expect_error(&main_sim, "POST", "/api/2.0/mlflow/registered-models/alias",
	             "{\"name\": \"churn-classifier\", \"alias\": \"v2\", \"version\": \"4\"}", 400,
	             "INVALID_PARAMETER_VALUE");
	expect_error(&main_sim, "POST", "/api/2.0/mlflow/registered-models/alias",
	             "{\"name\": \"churn-classifier\", \"alias\": \"x\", \"version\": \"42\"}", 404,
	             "RESOURCE_DOES_NOT_EXIST");
}

static const char *stage_of(const char *model, const char *version)
{
	static char stage[32];
	char path[256];
	cJSON *j;

	snprintf(path, sizeof(path), "/api/2.0/mlflow/model-versions/get?name=%s&version=%s", model,
	         version);
	j = get(path);
	snprintf(stage, sizeof(stage), "%s", str(item(j, "model_version"), "current_stage"));
	cJSON_Delete(j);
	return stage;
}

static void test_transition_stage(void **state)
{
	cJSON *j;

	(void)state;
	assert_string_equal(stage_of("fraud-detector", "2"), "Production");
	j = post("/api/2.0/mlflow/model-versions/transition-stage",
	         "{\"name\": \"fraud-detector\", \"version\": \"3\", \"stage\": \"production\", "
	         "\"archive_existing_versions\": true}");
	assert_string_equal(str(item(j, "model_version"), "current_stage"), "Production");
	cJSON_Delete(j);
	assert_string_equal(stage_of("fraud-detector", "3"), "Production");
	assert_string_equal(stage_of("fraud-detector", "2"), "Archived");
	expect_error(&main_sim, "POST", "/api/2.0/mlflow/model-versions/transition-stage",
	             "{\"name\": \"fraud-detector\", \"version\": \"3\", \"stage\": \"Live\", "
	             "\"archive_existing_versions\": false}",
	             400, "INVALID_PARAMETER_VALUE");
}

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

/* ---- faults carried out by the server (injected through the ops side's control API) ---- */

static void set_fault(const char *json)
{
	cJSON_Delete(post("/-/sim/faults", json));
}

static void clear_faults(void)
{
	cJSON_Delete(call(&main_sim, "DELETE", "/-/sim/faults", NULL, 200));
}

static void test_faults(void **state)
{
	const char *path = "/api/2.0/mlflow/experiments/get?experiment_id=1";
	struct resp r;
	int64_t t0;
	size_t i;
	int high = 0;
	cJSON *j;

	(void)state;
	set_fault(
	    "{\"prefix\": \"/api/2.0/mlflow/experiments/get\", \"kind\": \"status\", "
	    "\"status\": 503, \"body\": \"upstream busy\", \"content_type\": \"text/plain\"}");
	http(&main_sim, "GET", path, NULL, NULL, &r);
	assert_int_equal(r.status, 503);
	assert_string_equal(r.body, "upstream busy");
	assert_non_null(strstr(r.ctype, "text/plain"));
	resp_free(&r);
	set_fault("{\"prefix\": \"/api/2.0/mlflow/experiments/get\", \"kind\": \"truncate\"}");
	http(&main_sim, "GET", path, NULL, NULL, &r);
	assert_int_equal(r.rc, CURLE_PARTIAL_FILE);
	resp_free(&r);
	set_fault("{\"prefix\": \"/api/2.0/mlflow/experiments/get\", \"kind\": \"reset\"}");
	http(&main_sim, "GET", path, NULL, NULL, &r);
	assert_true(r.rc == CURLE_GOT_NOTHING || r.rc == CURLE_RECV_ERROR);
	resp_free(&r);
	set_fault("{\"prefix\": \"/api/2.0/mlflow/experiments/get\", \"kind\": \"garbage\"}");
	http(&main_sim, "GET", path, NULL, NULL, &r);
	assert_int_equal(r.status, 200);
	for (i = 0; i < r.len; i++)
		high += (unsigned char)r.body[i] >= 0x80;
	assert_true(r.len > 0 && high == (int)r.len);
	assert_null(cJSON_Parse(r.body));
	resp_free(&r);
	set_fault("{\"prefix\": \"/api/2.0/mlflow/experiments/get\", \"kind\": \"oversize\", "
	          "\"mib\": 2}");
	http(&main_sim, "GET", path, NULL, NULL, &r);
	assert_int_equal(r.len, 2u << 20);
	j = cJSON_Parse(r.body);
	assert_non_null(j);
	cJSON_Delete(j);
	resp_free(&r);
	clear_faults(); /* the longest prefix wins: drop the one above */
	set_fault("{\"prefix\": \"/\", \"kind\": \"delay\", \"delay_ms\": 300}");
	t0 = now_ms();
	j = get(path);
	assert_true(now_ms() - t0 >= 300);
	cJSON_Delete(j);
	clear_faults(); /* the control API itself is never faulted */
	t0 = now_ms();
	cJSON_Delete(get(path));
	assert_true(now_ms() - t0 < 300);
}

/* ---- determinism, scale, command line ---- */

static char *body_of(const struct sim *s, const char *method, const char *path, const char *b)
{
	struct resp r;

	http(s, method, path, b ? "application/json" : NULL, b, &r);
	assert_int_equal(r.status, 200);
	return r.body;
}

static void test_determinism(void **state)
{
	const char *args7[] = {"--seed",       "7", "--start-ms", "1790000000000",
	                       "--time-scale", "0", NULL};
	const char *args8[] = {"--seed",       "8", "--start-ms", "1790000000000",
	                       "--time-scale", "0", NULL};
	const char *exps[] = {"1", "2", "3"};
	struct sim a, b, c;
	int e;

	(void)state;
	assert_int_equal(sim_start(&a, args7), 0);
	assert_int_equal(sim_start(&b, args7), 0);
	assert_int_equal(sim_start(&c, args8), 0);
	for (e = 0; e < 3; e++) {
		char *q = search_body(exps[e], NULL, NULL, 1000, NULL);
		char *ba = body_of(&a, "POST", "/api/2.0/mlflow/runs/search", q);
		char *bb = body_of(&b, "POST", "/api/2.0/mlflow/runs/search", q);
		char *bc = body_of(&c, "POST", "/api/2.0/mlflow/runs/search", q);

		assert_string_equal(ba, bb);
		assert_string_not_equal(ba, bc);
		free(ba);
		free(bb);
		free(bc);
		free(q);
	}
	{
		char *ma = body_of(&a, "GET", "/api/2.0/mlflow/registered-models/search", NULL);
		char *mb = body_of(&b, "GET", "/api/2.0/mlflow/registered-models/search", NULL);

		assert_string_equal(ma, mb);
		free(ma);
		free(mb);
	}
	sim_stop(&a);
	sim_stop(&b);
	sim_stop(&c);
}

static char *token_for(long offset)
{
	static const char b64[] =
	    "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/";
	char json[64], *out = malloc(128);
	size_t n = (size_t)snprintf(json, sizeof(json), "{\"offset\": %ld}", offset), i, o = 0;

	for (i = 0; i < n; i += 3) {
		unsigned v = (unsigned)(unsigned char)json[i] << 16;

		v |= i + 1 < n ? (unsigned)(unsigned char)json[i + 1] << 8 : 0;
		v |= i + 2 < n ? (unsigned char)json[i + 2] : 0;
		out[o++] = b64[(v >> 18) & 63];
		out[o++] = b64[(v >> 12) & 63];
		out[o++] = i + 1 < n ? b64[(v >> 6) & 63] : '=';
		out[o++] = i + 2 < n ? b64[v & 63] : '=';
	}
	out[o] = '\0';
	return out;
}

/* The number of runs on the page at offset (page size 1). */
static int runs_at(const struct sim *s, const char *exp, long offset, cJSON **run)
{
	char *tok = token_for(offset), *q = search_body(exp, NULL, NULL, 1, tok);
	cJSON *j = call(s, "POST", "/api/2.0/mlflow/runs/search", q, 200);
	int n = cJSON_GetArraySize(item(j, "runs"));

	if (run)
		*run = cJSON_Duplicate(cJSON_GetArrayItem(item(j, "runs"), 0), 1);
	cJSON_Delete(j);
	free(q);
	free(tok);
	return n;
}

static void test_scale(void **state)
{
	const char *args[] = {"--seed", "7", "--scale", "100000", NULL};
	const char *exps[] = {"1", "2", "3"};
	const long counts[] = {33334, 33333, 33333};
	struct sim s;
	cJSON *run, *j;
	int e;

	(void)state;
	assert_int_equal(sim_start(&s, args), 0);
	/* Our token format is the stores' one: base64 of {"offset": N}. */
	j = call(&s, "POST", "/api/2.0/mlflow/runs/search",
	         "{\"experiment_ids\": [\"1\"], "
	         "\"max_results\": 1}",
	         200);
	assert_string_equal(str(j, "next_page_token"), token_for(1));
	cJSON_Delete(j);
	for (e = 0; e < 3; e++) {
		assert_int_equal(runs_at(&s, exps[e], counts[e] - 1, &run), 1);
		assert_int_equal(cJSON_GetArraySize(item(item(run, "data"), "metrics")), 10);
		assert_int_equal(cJSON_GetArraySize(item(item(run, "data"), "params")), 10);
		cJSON_Delete(run);
		assert_int_equal(runs_at(&s, exps[e], counts[e], NULL), 0);
	}
	sim_stop(&s);
}

/* Runs mltop-sim with bad arguments: exit status 2 and a message on stderr. */
static void expect_usage_error(const char *a1, const char *a2)
{
	int fds[2], status;
	char buf[256];
	pid_t pid;
	ssize_t n;

	assert_int_equal(pipe(fds), 0);
	pid = fork();
	if (pid == 0) {
		dup2(fds[1], 2);
		close(fds[0]);
		execl(sim_path(), sim_path(), a1, a2, (char *)NULL);
		_exit(127);
	}
	close(fds[1]);
	n = read(fds[0], buf, sizeof(buf) - 1);
	close(fds[0]);
	waitpid(pid, &status, 0);
	assert_true(n > 0);
	assert_true(WIFEXITED(status));
	assert_int_equal(WEXITSTATUS(status), 2);
}

static void test_usage(void **state)
{
	(void)state;
	expect_usage_error("--port", "seventy");
	expect_usage_error("--bogus", "1");
	expect_usage_error("--time-scale", "-1");
}

static int group_setup(void **state)
{
	const char *args[] = {"--seed", "7", NULL};

	(void)state;
	return sim_start(&main_sim, args);
}

static int group_teardown(void **state)
{
	(void)state;
	sim_stop(&main_sim);
	return 0;
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
	    cmocka_unit_test(test_registry_models),
	    cmocka_unit_test(test_registry_versions),
	    cmocka_unit_test(test_alias_writes),
	    cmocka_unit_test(test_transition_stage),
	    cmocka_unit_test(test_artifacts),
	    cmocka_unit_test(test_faults),
	    cmocka_unit_test(test_determinism),
	    cmocka_unit_test(test_scale),
	    cmocka_unit_test(test_usage),
	};
	int rc;

	signal(SIGPIPE, SIG_IGN);
	curl_global_init(CURL_GLOBAL_DEFAULT);
	atexit(kill_children);
	rc = cmocka_run_group_tests(tests, group_setup, group_teardown);
	curl_global_cleanup();
	return rc;
}
