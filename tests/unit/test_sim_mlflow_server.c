/* test_sim_mlflow_server: mltop-sim's plumbing: faults carried out by the server, the same
 * seed giving the same world, --scale 100000, bad usage. */
#include "tests/unit/test_sim_mlflow.h"

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

/* Request bodies are capped at 8 MiB: a larger one gets 413, and the server keeps serving. */
static void test_body_cap(void **state)
{
	size_t n = 9u << 20;
	char *big = malloc(n + 1);
	struct resp r;

	(void)state;
	assert_non_null(big);
	memset(big, ' ', n);
	big[0] = '{';
	big[n - 1] = '}';
	big[n] = '\0';
	http(&main_sim, "POST", "/api/2.0/mlflow/runs/search", "application/json", big, &r);
	assert_int_equal(r.rc, CURLE_OK);
	assert_int_equal(r.status, 413);
	resp_free(&r);
	free(big);
	cJSON_Delete(post("/api/2.0/mlflow/runs/search",
	                  "{\"experiment_ids\": [\"1\"], \"max_results\": 1}"));
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
	char *token = token_for(1);
	assert_string_equal(str(j, "next_page_token"), token);
	free(token);
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

/* --experiments N: N more experiments without runs, an hour apart. */
static void test_experiments_flag(void **state)
{
	const char *args[] = {"--seed", "7", "--experiments", "2500", NULL};
	struct sim s;
	cJSON *j;

	(void)state;
	assert_int_equal(sim_start(&s, args), 0);
	j = call(&s, "POST", "/api/2.0/mlflow/experiments/search",
	         "{\"max_results\": 3000, \"order_by\": [\"last_update_time DESC\"]}", 200);
	assert_int_equal(cJSON_GetArraySize(item(j, "experiments")), 4 + 2500);
	/* after the three with runs, before Default (200 days old) */
	assert_string_equal(str(cJSON_GetArrayItem(item(j, "experiments"), 3), "name"),
	                    "bulk-0000000");
	assert_string_equal(str(cJSON_GetArrayItem(item(j, "experiments"), 2503), "name"),
	                    "Default");
	cJSON_Delete(j);
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
	expect_usage_error("--experiments", "-5");
	expect_usage_error("--mlflow-version", "1.30");
	expect_usage_error("--mlflow-version", "3");
	expect_usage_error("--mlflow-version", "3.5.");
	expect_usage_error("--static-prefix", "p");
	expect_usage_error("--static-prefix", "/p/");
	expect_usage_error("--kserve-ready-s", "-1");
	expect_usage_error("--kserve-ready-s", "soon");
	expect_usage_error("--kserve-raw", "");
}

int main(void)
{
	const struct CMUnitTest tests[] = {
	    cmocka_unit_test(test_faults),           cmocka_unit_test(test_body_cap),
	    cmocka_unit_test(test_determinism),      cmocka_unit_test(test_scale),
	    cmocka_unit_test(test_experiments_flag), cmocka_unit_test(test_usage),
	};

	return sim_run_group("test_sim_mlflow_server", tests, sizeof(tests) / sizeof(tests[0]));
}
