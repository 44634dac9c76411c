/* The asynchronous MLflow client against the test server: paging (an empty last page, a token
 * that loops), the request bodies and queries it sends, history with the bulk-interval call and
 * its fallback on 404, registry aliases from get, errors as one line, the cache hook and the
 * restore through the same parsers, cancelling from a callback. */
#include <math.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include <cmocka.h>

#include "clients/http.h"
#include "clients/json.h"
#include "clients/mlflow.h"
#include "clients/mlflow_cache.h"
#include "tests/unit/kvmap.h"
#include "clients/mlflow_op.h"
#include "clients/mlflow_write.h"
#include "mlflow_fixture.h"
#include "tests/unit/mlflowfx.h"
#include "tests/unit/testsrv.h"

#define API  "/api/2.0/mlflow/"
#define RUN1 "5f2c0e6e3b9a4d1f9a7c2b8e1d4f6a90"
#define RUN2 "a7d1c3e5f7091b2d4f6a8c0e2b4d6f81"

struct fx {
	struct testsrv *srv;
	struct http *h;
	struct mlflow *m;
	struct kvmap cache; /* the bodies the client filed, by key */
	/* what the callback saw */
	int progress, finals;
	size_t counts[16];
	struct mlflow_event last;
	char errmsg[ERR_MSG_MAX];
	char notice[256];
	struct mlflow_experiments *experiments;
	struct mlflow_history *history;
	struct mlflow_models *models;
	struct mlflow_eval_table *eval;
	struct mlflow_versions *versions;
	/* hooks for a test */
	const char *next_body;               /* served after the first progress event … */
	const char *next_method, *next_path; /* … here (NULL: POST runs/search) */
	int cancel_on_progress;
};

static int64_t mono_ms(void)
{
	struct timespec ts;
	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (int64_t)ts.tv_sec * 1000 + ts.tv_nsec / 1000000;
}

static int64_t fixed_ms(void)
{
	return 1700000000000LL;
}

static void kv_put(void *ud, const char *key, const char *body, size_t len, int64_t fetched_ms)
{
	assert_int_equal(fetched_ms, fixed_ms()); /* the client's clock, not the wall clock */
	kvmap_put(ud, key, body, len, fetched_ms);
}

static int setup(void **state)
{
	struct fx *f = calloc(1, sizeof *f);
	static const struct http_auth auth = {.bearer_token = "t0k"};
	struct mlflow_config cfg = {
	    .auth = &auth,
	    .now_ms = fixed_ms,
	    .put = kv_put,
	    .put_ud = &f->cache,
	};
	mlflowfx_start(&f->srv, &f->h, &f->m, cfg, "/"); /* the trailing '/' is dropped */
	*state = f;
	return 0;
}

static int teardown(void **state)
{
	struct fx *f = *state;
	mlflowfx_stop(&f->srv, &f->h, &f->m);
	kvmap_free(&f->cache);
	mlflow_experiments_free(&f->experiments);
	mlflow_history_free(&f->history);
	mlflow_models_free(&f->models);
	mlflow_eval_table_free(&f->eval);
	mlflow_versions_free(&f->versions);
	free(f);
	return 0;
}

static void on_event(void *ud, struct mlflow_event *ev)
{
	struct fx *f = ud;
	if (!ev->done) {
		if (f->progress < 16)
			f->counts[f->progress] = ev->count;
		f->progress++;
		assert_null(ev->experiments); /* never a partial result */
		if (f->next_body)
			testsrv_add(f->srv, f->next_method ? f->next_method : "POST",
			            f->next_path ? f->next_path : API "runs/search", 200,
			            "application/json", f->next_body);
		if (f->cancel_on_progress)
			mlflow_cancel(f->m, ev->op);
		return;
	}
	f->finals++;
	f->last = *ev;
	snprintf(f->errmsg, sizeof f->errmsg, "%s", ev->err ? ev->err->msg : "");
	snprintf(f->notice, sizeof f->notice, "%s", ev->notice ? ev->notice : "");
	/* take the results */
	f->experiments = ev->experiments;
	ev->experiments = NULL;
	f->history = ev->history;
	ev->history = NULL;
	f->models = ev->models;
	ev->models = NULL;
	f->eval = ev->eval;
	ev->eval = NULL;
	mlflow_versions_free(&f->versions);
	f->versions = ev->versions;
	ev->versions = NULL;
}

/* Drives the client until the final event (or a deadline: the test then fails). */
static void drive(struct fx *f, int finals)
{
	int64_t deadline = mono_ms() + 10000;
	while (f->finals < finals && mono_ms() < deadline) {
		http_perform(f->h);
		if (f->finals < finals)
			http_wait(f->h, -1, 50, NULL);
	}
	assert_int_equal(f->finals, finals);
}

/* Drives until the server saw n requests and nothing is in flight. */
static void drive_requests(struct fx *f, int n)
{
	int64_t deadline = mono_ms() + 10000;
	while ((testsrv_request_count(f->srv) < n || http_inflight(f->h)) && mono_ms() < deadline) {
		http_perform(f->h);
		http_wait(f->h, -1, 20, NULL);
	}
	assert_int_equal(testsrv_request_count(f->srv), n);
}

static cJSON *request_json(struct fx *f, int back)
{
	struct testsrv_req req;
	assert_int_equal(testsrv_request(f->srv, back, &req), 0);
	assert_string_equal(testsrv_req_header(&req, "Content-Type"), "application/json");
	assert_string_equal(testsrv_req_header(&req, "Authorization"), "Bearer t0k");
	cJSON *o = cJSON_Parse(req.body);
	assert_non_null(o);
	testsrv_req_fini(&req);
	return o;
}

static char *request_uri(struct fx *f, int back)
{
	struct testsrv_req req;
	assert_int_equal(testsrv_request(f->srv, back, &req), 0);
	char *uri = strdup(req.uri);
	testsrv_req_fini(&req);
	return uri;
}

static const char *exps12[] = {"12"};
static const char *order_rmse[] = {"metrics.rmse ASC"};

static struct mlflow_runs_query runs_query(const char *filter)
{
	struct mlflow_runs_query q = {
	    .experiment_ids = exps12,
	    .nexperiments = 1,
	    .filter = filter,
	    .order_by = order_rmse,
	    .norder_by = 1,
	};
	return q;
}

static void test_runs_pages_until_empty_last(void **state)
{
	struct fx *f = *state;
	char *p1 = mlflow_fixture("runs_page1.json", NULL);
	testsrv_add(f->srv, "POST", API "runs/search", 200, "application/json", p1);
	free(p1);
	f->next_body = "{}"; /* a full page brings a token: the last page is empty */
	struct runstore *rs = runstore_new();
	struct mlflow_runs_query q = runs_query("metrics.rmse < 1 and params.model = 'xgb'");
	assert_true(mlflow_runs(f->m, &q, rs, on_event, f, NULL) > 0);
	drive(f, 1);
	assert_int_equal(f->last.rc, 0);
	assert_int_equal(f->last.kind, MLFLOW_RUNS);
	assert_int_equal(f->last.pages, 2);
	assert_int_equal(f->last.count, 2);
	assert_int_equal(f->progress, 1);
	assert_int_equal(f->counts[0], 2);
	assert_ptr_equal(f->last.runs, rs);
	assert_int_equal(runstore_count(rs), 2);
	assert_int_equal(testsrv_request_count(f->srv), 2);
	cJSON *b1 = request_json(f, 1), *b2 = request_json(f, 0);
	/* A small first page (the first screen comes at once), full ones after it. */
	assert_int_equal(json_i64(b1, "max_results", 0), 100);
	assert_int_equal(json_i64(b2, "max_results", 0), 1000);
	assert_null(json_str(b1, "page_token"));
	assert_string_equal(json_str(b2, "page_token"), "eyJvZmZzZXQiOiAyfQ==");
	for (int i = 0; i < 2; i++) { /* everything but the token and the size stays identical */
		cJSON *b = i ? b2 : b1;
		assert_string_equal(json_str(b, "filter"), q.filter);
		assert_string_equal(json_str(b, "run_view_type"), "ACTIVE_ONLY");
		assert_string_equal(
		    cJSON_GetArrayItem(json_arr(b, "experiment_ids"), 0)->valuestring, "12");
		assert_string_equal(cJSON_GetArrayItem(json_arr(b, "order_by"), 0)->valuestring,
		                    "metrics.rmse ASC");
	}
	cJSON_Delete(b1);
	cJSON_Delete(b2);
	/* filed pages and manifest, read back through the same parser */
	struct runstore *back = runstore_new();
	int64_t when = 0;
	assert_int_equal(mlflow_restore_runs(kvmap_get, &f->cache, &q, back, &when, NULL), 0);
	assert_int_equal(when, fixed_ms());
	assert_int_equal(runstore_count(back), 2);
	assert_string_equal(runstore_find(back, RUN2)->name, "brave-fox-7");
	runstore_free(&back);
	back = runstore_new(); /* page by page: the first page alone, then the (empty) last */
	size_t page = 0;
	assert_int_equal(
	    mlflow_restore_runs_step(kvmap_get, &f->cache, &q, back, &page, &when, NULL), 2);
	assert_int_equal(page, 1);
	assert_int_equal(runstore_count(back), 2);
	assert_int_equal(
	    mlflow_restore_runs_step(kvmap_get, &f->cache, &q, back, &page, &when, NULL), 0);
	assert_int_equal(page, 2);
	struct mlflow_runs_query other = runs_query("metrics.rmse < 2");
	assert_int_equal(mlflow_restore_runs(kvmap_get, &f->cache, &other, back, &when, NULL), 1);
	runstore_free(&back);
	runstore_free(&rs);
}

static void test_runs_looping_token_stops(void **state)
{
	struct fx *f = *state;
	char *p1 = mlflow_fixture("runs_page1.json", NULL);
	testsrv_add(f->srv, "POST", API "runs/search", 200, "application/json", p1);
	free(p1);
	struct runstore *rs = runstore_new();
	struct mlflow_runs_query q = runs_query(NULL);
	assert_true(mlflow_runs(f->m, &q, rs, on_event, f, NULL) > 0);
	drive(f, 1);
	/* the load ends with what came, and says why */
	assert_int_equal(f->last.rc, 0);
	assert_string_equal(f->notice,
	                    "showing the first 2 runs: the server repeated a page token (after 2 "
	                    "pages)");
	assert_int_equal(testsrv_request_count(f->srv), 2);
	assert_int_equal(runstore_count(rs), 2);
	cJSON *b = request_json(f, 0);
	assert_null(json_str(b, "filter")); /* none given, none sent */
	cJSON_Delete(b);
	runstore_free(&rs);
}

static void test_errors_are_one_line(void **state)
{
	struct fx *f = *state;
	static const struct {
		unsigned status;
		const char *ct, *body, *expect; /* body: inline, or the name of a fixture */
	} cases[] = {
	    {400, "application/json", "error_400.json",
	     "MLflow 400 INVALID_PARAMETER_VALUE: Invalid value 0 for parameter 'max_results' "
	     "supplied. Hint: send max_results"},
	    {502, "text/html", "error_502.html", "MLflow 502 Bad Gateway: nginx/1.25.3"},
	    {401, "text/plain", "error_401.txt",
	     "MLflow 401 Unauthorized: You are not authenticated."},
	    {200, "text/html; charset=utf-8",
	     "<html><title>Sign in</title><body><form>Sign in with SSO</form></body></html>",
	     "MLflow 200 experiments/search: not JSON (text/html; charset=utf-8): Sign in Sign in "
	     "with SSO"},
	    {200, "application/json", "{\"experiments\": [", "MLflow experiments: invalid JSON"},
	    {200, "application/json", "top_array.json",
	     "MLflow experiments: expected a JSON object"},
	};
	for (int i = 0; i < (int)(sizeof cases / sizeof cases[0]); i++) {
		const char *b = cases[i].body;
		char *body = strpbrk(b, "<{") ? strdup(b) : mlflow_fixture(b, NULL);
		testsrv_add(f->srv, "POST", API "experiments/search", cases[i].status, cases[i].ct,
		            body);
		free(body);
		assert_true(mlflow_experiments(f->m, NULL, on_event, f, NULL) > 0);
		drive(f, i + 1);
		assert_true(f->last.rc < 0);
		assert_null(f->experiments);
		assert_int_equal(f->last.http_status, cases[i].status);
		assert_memory_equal(f->errmsg, cases[i].expect, strlen(cases[i].expect));
	}
	cJSON *b = request_json(f, 0);
	assert_int_equal(json_i64(b, "max_results", 0), 1000); /* always sent */
	assert_string_equal(json_str(b, "view_type"), "ACTIVE_ONLY");
	cJSON_Delete(b);
}

static void test_experiments_and_restore(void **state)
{
	struct fx *f = *state;
	testsrv_add(f->srv, "POST", API "experiments/search", 200, "application/json",
	            "{\"experiments\":[{\"experiment_id\":\"12\",\"name\":\"churn\"}]}");
	assert_true(mlflow_experiments(f->m, NULL, on_event, f, NULL) > 0);
	drive(f, 1);
	assert_int_equal(f->last.rc, 0);
	assert_int_equal(f->experiments->n, 1);
	struct mlflow_experiments *back = NULL;
	assert_int_equal(mlflow_restore_experiments(kvmap_get, &f->cache, NULL, &back, NULL, NULL),
	                 0);
	assert_string_equal(back->items[0].name, "churn");
	mlflow_experiments_free(&back);
	struct mlflow_experiments_query q = {.filter = "name LIKE 'x%'"};
	assert_int_equal(mlflow_restore_experiments(kvmap_get, &f->cache, &q, &back, NULL, NULL),
	                 1);
	assert_null(back);
}

/* A refresh of the experiments: the first page only, whatever token it carries, not filed. */
static void test_experiments_first_page_only(void **state)
{
	struct fx *f = *state;
	testsrv_add(f->srv, "POST", API "experiments/search", 200, "application/json",
	            "{\"experiments\":[{\"experiment_id\":\"12\",\"name\":\"churn\"}],"
	            "\"next_page_token\":\"more\"}");
	struct mlflow_experiments_query q = {
	    .view = MLFLOW_VIEW_ALL, .max_results = 100, .first_page_only = 1};
	assert_true(mlflow_experiments(f->m, &q, on_event, f, NULL) > 0);
	drive(f, 1);
	assert_int_equal(f->last.rc, 0);
	assert_int_equal(f->experiments->n, 1);
	assert_string_equal(f->notice, "");
	assert_int_equal(testsrv_request_count(f->srv), 1);
	cJSON *b = request_json(f, 0);
	assert_int_equal(json_i64(b, "max_results", 0), 100);
	assert_string_equal(json_str(b, "view_type"), "ALL");
	cJSON_Delete(b);
	struct mlflow_experiments *back = NULL;
	assert_int_equal(mlflow_restore_experiments(kvmap_get, &f->cache, NULL, &back, NULL, NULL),
	                 1); /* the cache keeps the last whole list only */
	assert_null(back);
}

static const char *two_runs[] = {RUN1, RUN2};

static void test_history_bulk_interval(void **state)
{
	struct fx *f = *state;
	char *body = mlflow_fixture("history_bulk.json", NULL);
	testsrv_add(f->srv, "GET", API "metrics/get-history-bulk-interval", 200, "application/json",
	            body);
	free(body);
	assert_true(mlflow_history(f->m, two_runs, 2, "loss", 0, on_event, f, NULL) > 0);
	drive(f, 1);
	assert_int_equal(f->last.rc, 0);
	assert_true(f->history->sampled);
	assert_int_equal(f->history->n, 2);
	assert_int_equal(f->last.count, 4);
	assert_int_equal(mlflow_history_find(f->history, RUN1)->points[2].step, 500);
	char *uri = request_uri(f, 0);
	assert_non_null(
	    strstr(uri, "?run_ids=" RUN1 "&run_ids=" RUN2 "&metric_key=loss&max_results=1000"));
	free(uri);
}

static void test_history_falls_back_on_404(void **state)
{
	struct fx *f = *state;
	/* no route for bulk-interval: the test server's 404 text/plain, as an old server */
	testsrv_add(f->srv, "GET", API "metrics/get-history", 200, "application/json",
	            "{\"metrics\":[{\"key\":\"val loss\",\"value\":0.5,\"step\":1},"
	            "{\"key\":\"val loss\",\"value\":\"NaN\",\"step\":0}]}");
	assert_true(mlflow_history(f->m, two_runs, 2, "val loss", 0, on_event, f, NULL) > 0);
	drive(f, 1);
	assert_int_equal(f->last.rc, 0);
	assert_false(f->history->sampled);
	assert_int_equal(f->history->n, 2);
	const struct mlflow_series *s = mlflow_history_find(f->history, RUN2);
	assert_int_equal(s->n, 2);
	assert_int_equal(s->points[0].step, 0);
	assert_true(isnan(s->points[0].value));
	assert_int_equal(testsrv_request_count(f->srv), 3);
	char *uri = request_uri(f, 0);
	/* max_results always: 3.4 to 3.13 read a missing one as 0 (no point, a token back) */
	assert_non_null(
	    strstr(uri, "get-history?run_id=" RUN2 "&metric_key=val%20loss&max_results=25000"));
	free(uri);
	/* the client remembers: the next history goes straight to get-history */
	mlflow_history_free(&f->history);
	assert_true(mlflow_history(f->m, two_runs, 1, "val loss", 0, on_event, f, NULL) > 0);
	drive(f, 2);
	assert_int_equal(testsrv_request_count(f->srv), 4);
}

static void test_history_missing_run_is_an_error(void **state)
{
	struct fx *f = *state;
	char *body = mlflow_fixture("error_404.json", NULL);
	testsrv_add(f->srv, "GET", API "metrics/get-history-bulk-interval", 404, "application/json",
	            body);
	free(body);
	assert_true(mlflow_history(f->m, two_runs, 2, "loss", 0, on_event, f, NULL) > 0);
	drive(f, 1);
	assert_int_equal(f->last.rc, ERR_HTTP);
	assert_string_equal(f->errmsg,
	                    "MLflow 404 RESOURCE_DOES_NOT_EXIST: Run with id=deadbeef not found");
	assert_int_equal(testsrv_request_count(f->srv), 1);
}

static void test_history_fallback_follows_page_tokens(void **state)
{
	struct fx *f = *state;
	f->m->no_bulk_interval = 1; /* as after a 404 */
	testsrv_add(f->srv, "GET", API "metrics/get-history", 200, "application/json",
	            "{\"metrics\":[{\"key\":\"loss\",\"value\":2,\"step\":5}],"
	            "\"next_page_token\":\"p/2=\"}");
	f->next_method = "GET";
	f->next_path = API "metrics/get-history";
	f->next_body = "{\"metrics\":[{\"key\":\"loss\",\"value\":1,\"step\":2}]}";
	assert_true(mlflow_history(f->m, two_runs, 1, "loss", 0, on_event, f, NULL) > 0);
	drive(f, 1);
	assert_int_equal(f->last.rc, 0);
	const struct mlflow_series *s = mlflow_history_find(f->history, RUN1);
	assert_int_equal(s->n, 2);
	assert_int_equal(s->points[0].step, 2); /* sorted across pages */
	char *uri = request_uri(f, 0);
	assert_non_null(
	    strstr(uri, "run_id=" RUN1 "&metric_key=loss&max_results=25000&page_token=p%2F2%3D"));
	free(uri);
}

static void test_body_over_cap_and_reset(void **state)
{
	struct fx *f = *state;
	struct mlflow_config cfg = {.base_url = testsrv_url(f->srv), .max_body = 1000};
	struct mlflow *m = mlflow_new(f->h, &cfg, NULL);
	char *body = mlflow_fixture("runs_page1.json", NULL); /* over 1000 bytes */
	testsrv_add(f->srv, "POST", API "runs/search", 200, "application/json", body);
	struct runstore *rs = runstore_new();
	struct mlflow_runs_query q = runs_query(NULL);
	assert_true(mlflow_runs(m, &q, rs, on_event, f, NULL) > 0);
	drive(f, 1);
	assert_int_equal(f->last.rc, ERR_TOO_BIG);
	assert_string_equal(f->errmsg, "MLflow 200: response body over the size cap");
	struct testsrv_route rt = {
	    .method = "POST",
	    .path = API "runs/search",
	    .content_type = "application/json",
	    .body = body,
	    .cut = TESTSRV_RESET,
	    .cut_after = 100,
	};
	testsrv_route(f->srv, &rt);
	assert_true(mlflow_runs(f->m, &q, rs, on_event, f, NULL) > 0);
	drive(f, 2);
	assert_int_equal(f->last.rc, ERR_NET);
	assert_memory_equal(f->errmsg, "MLflow: ", 8);
	assert_int_equal(runstore_count(rs), 0);
	free(body);
	runstore_free(&rs);
	mlflow_free(&m);
}

static void test_models_get_aliases(void **state)
{
	struct fx *f = *state;
	testsrv_add(f->srv, "GET", API "registered-models/search", 200, "application/json",
	            "{\"registered_models\":[{\"name\":\"churn-model\"}]}");
	char *body = mlflow_fixture("model_get.json", NULL);
	testsrv_add(f->srv, "GET", API "registered-models/get", 200, "application/json", body);
	free(body);
	assert_true(mlflow_models(f->m, "name LIKE 'churn%'", on_event, f, NULL) > 0);
	drive(f, 1);
	assert_int_equal(f->last.rc, 0);
	assert_int_equal(f->models->n, 1);
	assert_true(f->models->items[0].have_aliases);
	assert_string_equal(mlflow_model_alias(&f->models->items[0], "champion"), "3");
	char *uri = request_uri(f, 1);
	assert_non_null(strstr(
	    uri,
	    "search?max_results=1000&order_by=name%20ASC&filter=name%20LIKE%20%27churn%25%27"));
	free(uri);
	uri = request_uri(f, 0);
	assert_non_null(strstr(uri, "registered-models/get?name=churn-model"));
	free(uri);
	struct mlflow_models *back = NULL;
	assert_int_equal(
	    mlflow_restore_models(kvmap_get, &f->cache, "name LIKE 'churn%'", &back, NULL, NULL),
	    0);
	assert_string_equal(mlflow_model_alias(&back->items[0], "challenger"), "4");
	mlflow_models_free(&back);
}

static void test_models_gets_run_in_parallel(void **state)
{
	struct fx *f = *state;
	testsrv_add(f->srv, "GET", API "registered-models/search", 200, "application/json",
	            "{\"registered_models\":[{\"name\":\"m0\"},{\"name\":\"m1\"},"
	            "{\"name\":\"m2\"},{\"name\":\"m3\"},{\"name\":\"m4\"},"
	            "{\"name\":\"m5\"}]}");
	struct testsrv_route slow = {
	    .method = "GET",
	    .path = API "registered-models/get",
	    .content_type = "application/json",
	    .body = "{\"registered_model\":{\"name\":\"m9\"}}",
	    .delay_ms = 100,
	};
	testsrv_route(f->srv, &slow);
	assert_true(mlflow_models(f->m, NULL, on_event, f, NULL) > 0);
	int64_t deadline = mono_ms() + 10000;
	while (!f->progress && mono_ms() < deadline) {
		http_perform(f->h);
		http_wait(f->h, -1, 20, NULL);
	}
	assert_int_equal(f->progress, 1);         /* the search is in */
	assert_int_equal(http_inflight(f->h), 4); /* four gets at once, not one after another */
	drive(f, 1);
	assert_int_equal(f->last.rc, 0);
	assert_int_equal(testsrv_request_count(f->srv), 7);
	int seen = 0;
	for (int back = 0; back < 6; back++) {
		char *uri = request_uri(f, back), *at = strstr(uri, "get?name=m");
		assert_non_null(at);
		seen |= 1 << (at[strlen("get?name=m")] - '0');
		free(uri);
	}
	assert_int_equal(seen, 0x3f); /* each model once */
}

static void test_versions_query(void **state)
{
	struct fx *f = *state;
	char *body = mlflow_fixture("versions_search.json", NULL);
	testsrv_add(f->srv, "GET", API "model-versions/search", 200, "application/json", body);
	free(body);
	assert_true(mlflow_versions(f->m, "churn-model", on_event, f, NULL) > 0);
	drive(f, 1);
	assert_int_equal(f->last.rc, 0);
	assert_int_equal(f->last.count, 3);
	char *uri = request_uri(f, 0);
	assert_non_null(strstr(uri, "?filter=name%20%3D%20%27churn-model%27&max_results=1000"
	                            "&order_by=version_number%20DESC"));
	free(uri);
	struct mlflow_versions *back = NULL;
	assert_int_equal(
	    mlflow_restore_versions(kvmap_get, &f->cache, "churn-model", &back, NULL, NULL), 0);
	assert_int_equal(back->n, 3);
	mlflow_versions_free(&back);
	assert_int_equal(mlflow_restore_versions(kvmap_get, &f->cache, "other", &back, NULL, NULL),
	                 1);
}

static void test_server_version_and_old(void **state)
{
	struct fx *f = *state;
	testsrv_add(f->srv, "GET", "/version", 200, "text/plain", "3.4.0");
	assert_true(mlflow_server_version(f->m, on_event, f, NULL) > 0);
	drive(f, 1);
	assert_int_equal(f->last.rc, 0);
	assert_int_equal(f->last.version.major, 3);
	assert_false(f->last.version.old);
	testsrv_reset(f->srv); /* an old server: no /version at all */
	assert_true(mlflow_server_version(f->m, on_event, f, NULL) > 0);
	drive(f, 2);
	assert_int_equal(f->last.rc, 0);
	assert_true(f->last.version.old);
}

static void test_root_routes_take_the_static_prefix(void **state)
{
	struct fx *f = *state;
	struct mlflow_config cfg = {.base_url = testsrv_url(f->srv), .static_prefix = "/ml/"};
	struct mlflow *m = mlflow_new(f->h, &cfg, NULL);
	testsrv_add(f->srv, "GET", "/ml/version", 200, "text/plain", "2.11.1");
	testsrv_add(f->srv, "POST", "/api/2.0/mlflow/experiments/search", 200, "application/json",
	            "{}");
	assert_true(mlflow_server_version(m, on_event, f, NULL) > 0);
	drive(f, 1);
	assert_int_equal(f->last.version.minor, 11);
	assert_true(mlflow_experiments(m, NULL, on_event, f, NULL) > 0); /* /api/2.0: no prefix */
	drive(f, 2);
	assert_int_equal(f->last.rc, 0);
	assert_int_equal(f->experiments->n, 0);
	mlflow_free(&m);
}

static void test_eval_table_download(void **state)
{
	struct fx *f = *state;
	char *body = mlflow_fixture("eval_results_table.json", NULL);
	testsrv_add(f->srv, "GET", "/get-artifact", 200, "application/octet-stream", body);
	free(body);
	assert_true(mlflow_eval_table(f->m, RUN1, NULL, on_event, f, NULL) > 0);
	drive(f, 1);
	assert_int_equal(f->last.rc, 0);
	assert_int_equal(f->eval->rows, 5);
	assert_int_equal(f->eval->failing, 2);
	char *uri = request_uri(f, 0);
	assert_non_null(strstr(uri, "/get-artifact?run_id=" RUN1 "&path=eval_results_table.json"));
	free(uri);
}

static void test_cancel_from_progress(void **state)
{
	struct fx *f = *state;
	char *p1 = mlflow_fixture("runs_page1.json", NULL);
	testsrv_add(f->srv, "POST", API "runs/search", 200, "application/json", p1);
	free(p1);
	f->cancel_on_progress = 1;
	struct runstore *rs = runstore_new();
	struct mlflow_runs_query q = runs_query(NULL);
	assert_true(mlflow_runs(f->m, &q, rs, on_event, f, NULL) > 0);
	assert_int_equal(mlflow_busy(f->m), 1);
	int64_t deadline = mono_ms() + 10000;
	while (!f->progress && mono_ms() < deadline) {
		http_perform(f->h);
		http_wait(f->h, -1, 20, NULL);
	}
	assert_int_equal(f->progress, 1);
	assert_int_equal(mlflow_busy(f->m), 0);
	assert_int_equal(http_inflight(f->h), 0); /* no second page was asked for */
	drive_requests(f, 1);
	assert_int_equal(f->finals, 0);
	runstore_free(&rs);
}

static void test_registry_calls(void **state)
{
	struct fx *f = *state;
	const char *path = API "registered-models/alias";
	testsrv_add(f->srv, "POST", path, 200, "application/json", "{}");
	testsrv_add(f->srv, "DELETE", path, 200, "application/json", "{}");
	char *body = mlflow_fixture("version_get.json", NULL);
	testsrv_add(f->srv, "GET", path, 200, "application/json", body);
	testsrv_add(f->srv, "POST", API "model-versions/transition-stage", 200, "application/json",
	            body);
	free(body);
	assert_true(mlflow_set_alias(f->m, "churn-model", "challenger", "5", on_event, f, NULL) >
	            0);
	drive(f, 1);
	assert_int_equal(f->last.rc, 0);
	cJSON *b = request_json(f, 0);
	assert_string_equal(json_str(b, "alias"), "challenger");
	assert_string_equal(json_str(b, "version"), "5");
	cJSON_Delete(b);
	assert_true(mlflow_delete_alias(f->m, "churn-model", "challenger", on_event, f, NULL) > 0);
	drive(f, 2);
	assert_int_equal(f->last.rc, 0);
	struct testsrv_req req;
	assert_int_equal(testsrv_request(f->srv, 0, &req), 0);
	assert_string_equal(req.method, "DELETE"); /* arguments in the body */
	assert_string_equal(req.body, "{\"name\":\"churn-model\",\"alias\":\"challenger\"}");
	testsrv_req_fini(&req);
	assert_true(mlflow_get_alias(f->m, "churn-model", "champion", on_event, f, NULL) > 0);
	drive(f, 3);
	assert_int_equal(f->last.rc, 0);
	assert_int_equal(f->versions->n, 1);
	assert_string_equal(f->versions->items[0].version, "3");
	char *uri = request_uri(f, 0);
	assert_non_null(strstr(uri, "alias?name=churn-model&alias=champion"));
	free(uri);
	assert_true(mlflow_transition_stage(f->m, "churn-model", "3", "Production", 1, on_event, f,
	                                    NULL) > 0);
	drive(f, 4);
	assert_int_equal(f->last.rc, 0);
	b = request_json(f, 0);
	assert_true(cJSON_IsTrue(cJSON_GetObjectItem(b, "archive_existing_versions")));
	assert_string_equal(json_str(b, "stage"), "Production");
	cJSON_Delete(b);
}

static void test_registry_call_errors(void **state)
{
	struct fx *f = *state;
	char *body = mlflow_fixture("error_404.json", NULL);
	testsrv_add(f->srv, "GET", API "registered-models/alias", 404, "application/json", body);
	free(body);
	testsrv_add(f->srv, "POST", API "model-versions/set-tag", 200, "text/html", "<p>ok</p>");
	assert_true(mlflow_get_alias(f->m, "churn-model", "nope", on_event, f, NULL) > 0);
	drive(f, 1);
	assert_int_equal(f->last.rc, ERR_HTTP);
	assert_int_equal(f->last.http_status, 404);
	assert_null(f->versions);
	assert_true(mlflow_set_version_tag(f->m, "churn-model", "3", "k", "v", on_event, f, NULL) >
	            0);
	drive(f, 2);
	assert_int_equal(f->last.rc, ERR_PARSE); /* a 200 that is not JSON is no success */
	const char *expect = "MLflow 200 model-versions/set-tag: not JSON (text/html): ok";
	assert_string_equal(f->errmsg, expect);
	assert_int_equal(mlflow_set_alias(f->m, "churn-model", "", "3", on_event, f, NULL),
	                 ERR_ARG);
}

static void test_bad_arguments(void **state)
{
	struct fx *f = *state;
	struct err e = {0};
	struct mlflow_runs_query q = {0};
	struct runstore *rs = runstore_new();
	assert_int_equal(mlflow_runs(f->m, &q, rs, on_event, f, &e), ERR_ARG);
	assert_int_equal(mlflow_versions(f->m, "a'b\"c", on_event, f, &e), ERR_CONFIG);
	assert_int_equal(mlflow_history(f->m, two_runs, 0, "loss", 0, on_event, f, &e), ERR_ARG);
	assert_int_equal(mlflow_experiments(f->m, NULL, NULL, NULL, &e), ERR_ARG);
	assert_int_equal(mlflow_busy(f->m), 0);
	struct mlflow_config cfg = {.base_url = "mlflow:5000"};
	assert_null(mlflow_new(f->h, &cfg, &e));
	assert_int_equal(e.code, ERR_CONFIG);
	struct mlflow_config upper = {.base_url = "HTTP://127.0.0.1:9"}; /* a scheme has no case */
	struct mlflow *m = mlflow_new(f->h, &upper, &e);
	assert_non_null(m);
	mlflow_free(&m);
	runstore_free(&rs);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
	    cmocka_unit_test_setup_teardown(test_runs_pages_until_empty_last, setup, teardown),
	    cmocka_unit_test_setup_teardown(test_runs_looping_token_stops, setup, teardown),
	    cmocka_unit_test_setup_teardown(test_errors_are_one_line, setup, teardown),
	    cmocka_unit_test_setup_teardown(test_experiments_and_restore, setup, teardown),
	    cmocka_unit_test_setup_teardown(test_experiments_first_page_only, setup, teardown),
	    cmocka_unit_test_setup_teardown(test_history_bulk_interval, setup, teardown),
	    cmocka_unit_test_setup_teardown(test_history_falls_back_on_404, setup, teardown),
	    cmocka_unit_test_setup_teardown(test_history_missing_run_is_an_error, setup, teardown),
	    cmocka_unit_test_setup_teardown(test_history_fallback_follows_page_tokens, setup,
	                                    teardown),
	    cmocka_unit_test_setup_teardown(test_body_over_cap_and_reset, setup, teardown),
	    cmocka_unit_test_setup_teardown(test_models_get_aliases, setup, teardown),
	    cmocka_unit_test_setup_teardown(test_models_gets_run_in_parallel, setup, teardown),
	    cmocka_unit_test_setup_teardown(test_versions_query, setup, teardown),
	    cmocka_unit_test_setup_teardown(test_server_version_and_old, setup, teardown),
	    cmocka_unit_test_setup_teardown(test_root_routes_take_the_static_prefix, setup,
	                                    teardown),
	    cmocka_unit_test_setup_teardown(test_eval_table_download, setup, teardown),
	    cmocka_unit_test_setup_teardown(test_cancel_from_progress, setup, teardown),
	    cmocka_unit_test_setup_teardown(test_registry_calls, setup, teardown),
	    cmocka_unit_test_setup_teardown(test_registry_call_errors, setup, teardown),
	    cmocka_unit_test_setup_teardown(test_bad_arguments, setup, teardown),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
