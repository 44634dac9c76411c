/* Helpers shared by the mltop-sim MLflow tests (test_sim_mlflow*.c): start ./mltop-sim (or
 * $MLTOP_SIM) on a free loopback port as a child that dies with the test, HTTP calls through
 * libcurl, cJSON accessors, and runs/search paging. Every function is static inline: each test
 * binary uses its own subset. */
#ifndef MLTOP_TEST_SIM_MLFLOW_H
#define MLTOP_TEST_SIM_MLFLOW_H

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

static inline int64_t now_ms(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (int64_t)ts.tv_sec * 1000 + ts.tv_nsec / 1000000;
}

static inline const char *sim_path(void)
{
	const char *p = getenv("MLTOP_SIM");

	return p && *p ? p : "./mltop-sim";
}

static inline void kill_children(void)
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
static inline int read_line(int fd, char *buf, size_t cap, int64_t deadline)
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
static inline int sim_start(struct sim *s, const char *const *args)
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

static inline void sim_stop(struct sim *s)
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

static inline size_t on_body(char *p, size_t size, size_t n, void *ud)
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
static inline void http(const struct sim *s, const char *method, const char *path,
                        const char *ctype, const char *body, struct resp *r)
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

static inline void resp_free(struct resp *r)
{
	free(r->body);
	r->body = NULL;
}

/* A request that must answer `status` with a JSON body; returns the parsed body. */
static inline cJSON *call(const struct sim *s, const char *method, const char *path,
                          const char *body, long status)
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

static inline cJSON *get(const char *path)
{
	return call(&main_sim, "GET", path, NULL, 200);
}

static inline cJSON *post(const char *path, const char *body)
{
	return call(&main_sim, "POST", path, body, 200);
}

static inline const char *str(const cJSON *o, const char *key)
{
	const cJSON *v = cJSON_GetObjectItemCaseSensitive(o, key);

	return cJSON_IsString(v) ? v->valuestring : NULL;
}

static inline cJSON *item(const cJSON *o, const char *key)
{
	return cJSON_GetObjectItemCaseSensitive(o, key);
}

/* Checks an MLflow error answer: status, JSON body with error_code. */
static inline void expect_error(const struct sim *s, const char *method, const char *path,
                                const char *body, long status, const char *code)
{
	cJSON *j = call(s, method, path, body, status);

	assert_string_equal(str(j, "error_code"), code);
	assert_non_null(str(j, "message"));
	cJSON_Delete(j);
}

/* The body of a runs/search request. */
static inline char *search_body(const char *exp, const char *filter, const char *order, int max,
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
static inline cJSON *all_runs(const struct sim *s, const char *exp, const char *filter,
                              const char *order, int page)
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

static inline double metric(const cJSON *run, const char *key, int *is_nan)
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

static inline const char *kv(const cJSON *arr, const char *key)
{
	const cJSON *t;

	cJSON_ArrayForEach(t, arr)
	{
		if (strcmp(str(t, "key"), key) == 0)
			return str(t, "value");
	}
	return NULL;
}

/* The first run of a search, duplicated. */
static inline cJSON *first_run(const char *exp, const char *filter)
{
	char *body = search_body(exp, filter, NULL, 1, NULL);
	cJSON *j = post("/api/2.0/mlflow/runs/search", body), *r;

	free(body);
	r = cJSON_Duplicate(cJSON_GetArrayItem(item(j, "runs"), 0), 1);
	cJSON_Delete(j);
	assert_non_null(r);
	return r;
}

static inline int last_step(const cJSON *run, const char *key)
{
	const cJSON *m;

	cJSON_ArrayForEach(m, item(item(run, "data"), "metrics"))
	{
		if (strcmp(str(m, "key"), key) == 0)
			return item(m, "step")->valueint;
	}
	return -1;
}

/* A string field of a registered version (malloc'd), asked of main_sim: "run_id", "source", … */
static inline char *sim_version_field(const char *model, const char *version, const char *field)
{
	char path[256];
	cJSON *j;
	char *v;

	snprintf(path, sizeof(path), "/api/2.0/mlflow/model-versions/get?name=%s&version=%s", model,
	         version);
	j = get(path);
	v = strdup(str(item(j, "model_version"), field));
	cJSON_Delete(j);
	return v;
}

/* The run id of a registered version (malloc'd). */
static inline char *sim_version_run(const char *model, const char *version)
{
	return sim_version_field(model, version, "run_id");
}

/* Starts main_sim (seed 7) with its world clock frozen at start_ms, so that what it serves is the
 * same on every run; its URL into url. Returns 0 or -1. */
static inline int sim_start_frozen(const char *start_ms, char *url, size_t n)
{
	const char *args[] = {"--seed", "7", "--start-ms", start_ms, "--time-scale", "0", NULL};

	if (sim_start(&main_sim, args) < 0)
		return -1;
	snprintf(url, n, "http://127.0.0.1:%d", main_sim.port);
	return 0;
}

static inline int sim_group_setup(void **state)
{
	const char *args[] = {"--seed", "7", NULL};

	(void)state;
	return sim_start(&main_sim, args);
}

static inline int sim_group_teardown(void **state)
{
	(void)state;
	sim_stop(&main_sim);
	return 0;
}

/* A group against main_sim started with args, drawing on a cols x rows test screen
 * (tests/unit/screen.h); the teardown closes both. */
int screen_open(int cols, int rows);
void screen_close(void);
static inline int sim_screen_group_setup(const char *const *args, int cols, int rows)
{
	if (sim_start(&main_sim, args) != 0)
		return -1;
	return screen_open(cols, rows);
}

static inline int sim_screen_group_teardown(void **state)
{
	(void)state;
	screen_close();
	sim_stop(&main_sim);
	return 0;
}

/* Runs a cmocka group with the given group setup and teardown (NULL: none); children are killed
 * on every exit path. */
static inline int sim_run_with(const char *name, const struct CMUnitTest *tests, size_t n,
                               CMFixtureFunction setup, CMFixtureFunction teardown)
{
	int rc;

	signal(SIGPIPE, SIG_IGN);
	curl_global_init(CURL_GLOBAL_DEFAULT);
	atexit(kill_children);
	rc = _cmocka_run_group_tests(name, tests, n, setup, teardown);
	curl_global_cleanup();
	return rc;
}

/* Runs a cmocka group against main_sim. */
static inline int sim_run_group(const char *name, const struct CMUnitTest *tests, size_t n)
{
	return sim_run_with(name, tests, n, sim_group_setup, sim_group_teardown);
}

#endif
