/* test_prom: the Prometheus answers decoded (vector, matrix, scalar, string, "NaN"/"+Inf"/"-Inf",
 * warnings, error bodies, a 503 while starting, wrong shapes), the requests built (GET, POST for
 * a long query, range parameters), answers turned into figures per (model, version), and the
 * client against a test server: a fixed number of queries per refresh, partial failures, the
 * cache round trip. */
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
#include "clients/prom.h"
#include "clients/prom_decode.h"
#include "clients/prom_req.h"
#include "testsrv.h"

#define VEC                                                                                        \
	"{\"status\":\"success\",\"data\":{\"resultType\":\"vector\",\"result\":["                 \
	"{\"metric\":{\"model\":\"churn\",\"version\":\"v3\"},\"value\":[1704074400,\"10\"]},"     \
	"{\"metric\":{\"model\":\"churn\",\"version\":\"v5\"},\"value\":[1704074400.5,\"NaN\"]},"  \
	"{\"metric\":{\"model\":\"fraud\"},\"value\":[1704074400,\"+Inf\"]},"                      \
	"{\"metric\":{\"version\":\"v9\"},\"value\":[1704074400,\"-Inf\"]}]}}"

#define MAT                                                                                        \
	"{\"status\":\"success\",\"warnings\":[\"remote read partial\"],\"data\":{\"resultType\":" \
	"\"matrix\",\"result\":["                                                                  \
	"{\"metric\":{\"model\":\"churn\",\"version\":\"v3\",\"feature\":\"a\"},"                  \
	"\"values\":[[1704074400,\"0.1\"],[1704074430,\"0.4\"]]},"                                 \
	"{\"metric\":{\"model\":\"churn\",\"version\":\"v3\",\"feature\":\"b\"},"                  \
	"\"values\":[[1704074400,\"0.3\"],[1704074460,\"0.2\"]]}]}}"

static int decode(long status, const char *ct, const char *body, struct prom_result *r,
                  struct err *e)
{
	return prom_decode(status, ct, body, strlen(body), r, e);
}

static void test_decode_vector(void **state)
{
	(void)state;
	struct prom_result r;
	struct err e = {0};
	assert_int_equal(decode(200, "application/json", VEC, &r, &e), 0);
	assert_int_equal(r.type, PROM_VECTOR);
	assert_int_equal(r.n, 4);
	assert_string_equal(prom_series_label(&r.series[0], "version"), "v3");
	assert_true(r.series[0].samples[0].v == 10);
	assert_true(r.series[1].samples[0].t == 1704074400.5);
	assert_true(isnan(r.series[1].samples[0].v));
	assert_true(isinf(r.series[2].samples[0].v) && r.series[2].samples[0].v > 0);
	assert_null(prom_series_label(&r.series[2], "version"));
	assert_true(isinf(r.series[3].samples[0].v) && r.series[3].samples[0].v < 0);
	assert_int_equal(r.nwarnings, 0);
	prom_result_fini(&r);

	assert_int_equal(decode(200, NULL, MAT, &r, &e), 0);
	assert_int_equal(r.type, PROM_MATRIX);
	assert_int_equal(r.n, 2);
	assert_int_equal(r.series[1].n, 2);
	assert_true(r.series[1].samples[1].t == 1704074460);
	assert_int_equal(r.nwarnings, 1);
	assert_string_equal(r.warnings[0], "remote read partial");
	prom_result_fini(&r);

	const char *empty =
	    "{\"status\":\"success\",\"data\":{\"resultType\":\"vector\",\"result\":[]}}";
	assert_int_equal(decode(200, NULL, empty, &r, &e), 0);
	assert_int_equal(r.n, 0);
	prom_result_fini(&r);
}

static void test_decode_scalar_string(void **state)
{
	(void)state;
	struct prom_result r;
	assert_int_equal(
	    decode(200, NULL,
	           "{\"status\":\"success\",\"data\":{\"resultType\":\"scalar\",\"result\":"
	           "[1704074400,\"+Inf\"]}}",
	           &r, NULL),
	    0);
	assert_int_equal(r.type, PROM_SCALAR);
	assert_true(isinf(r.scalar.v));
	prom_result_fini(&r);
	assert_int_equal(decode(200, NULL,
	                        "{\"status\":\"success\",\"data\":{\"resultType\":\"string\","
	                        "\"result\":[1704074400,\"hello\"]}}",
	                        &r, NULL),
	                 0);
	assert_string_equal(r.string, "hello");
	prom_result_fini(&r);
}

static void test_decode_errors(void **state)
{
	(void)state;
	static const struct {
		long status;
		const char *ct, *body, *msg;
		int code, starting;
	} cases[] = {
	    {400, "application/json",
	     "{\"status\":\"error\",\"errorType\":\"bad_data\",\"error\":\"invalid parameter "
	     "\\\"query\\\": 1:18: parse error: unclosed left parenthesis\"}",
	     "Prometheus 400 bad_data: invalid parameter \"query\": 1:18: parse error: unclosed "
	     "left "
	     "parenthesis",
	     ERR_HTTP, 0},
	    {422, "application/json",
	     "{\"status\":\"error\",\"errorType\":\"execution\",\"error\":\"vector cannot contain "
	     "metrics with the same labelset\"}",
	     "Prometheus 422 execution: vector cannot contain metrics with the same labelset",
	     ERR_HTTP, 0},
	    {503, "application/json",
	     "{\"status\":\"error\",\"errorType\":\"timeout\",\"error\":\"query timed out in "
	     "expression evaluation\"}",
	     "Prometheus 503 timeout: query timed out in expression evaluation", ERR_HTTP, 0},
	    {503, "text/plain; charset=utf-8", "Service Unavailable",
	     "Prometheus 503: starting up, not ready yet", ERR_HTTP, 1},
	    {404, "text/plain", "404 page not found",
	     "Prometheus 404 Not Found: 404 page not found", ERR_HTTP, 0},
	    {200, NULL, "not json", NULL, ERR_PARSE, 0},
	    {200, NULL, "{\"status\":\"success\"}", NULL, ERR_PARSE, 0},
	    {200, NULL,
	     "{\"status\":\"success\",\"data\":{\"resultType\":\"vector\",\"result\":{}}}", NULL,
	     ERR_PARSE, 0},
	    {200, NULL,
	     "{\"status\":\"success\",\"data\":{\"resultType\":\"vector\",\"result\":"
	     "[{\"metric\":{},\"value\":[1,2]}]}}",
	     NULL, ERR_PARSE, 0}, /* a value that is a number, not a string */
	    {200, NULL,
	     "{\"status\":\"success\",\"data\":{\"resultType\":\"matrix\",\"result\":"
	     "[{\"metric\":[],\"values\":[]}]}}",
	     NULL, ERR_PARSE, 0},
	    {200, NULL,
	     "{\"status\":\"success\",\"data\":{\"resultType\":\"bogus\",\"result\":[]}}", NULL,
	     ERR_PARSE, 0},
	    {200, NULL, "[]", NULL, ERR_PARSE, 0},
	    {200, NULL, "{}", NULL, ERR_PARSE, 0},
	};
	for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++) {
		struct prom_result r;
		struct err e = {0};
		int rc = decode(cases[i].status, cases[i].ct, cases[i].body, &r, &e);
		if (rc != cases[i].code || r.starting != cases[i].starting ||
		    (cases[i].msg && strcmp(e.msg, cases[i].msg) != 0))
			fail_msg("case %zu: rc %d starting %d '%s'", i, rc, r.starting, e.msg);
		prom_result_fini(&r);
	}
}

static void test_build(void **state)
{
	(void)state;
	struct prom_http h;
	assert_int_equal(prom_req_build("http://p:9090", "sum(rate(x[5m]))", 0, 0, 0, 0, &h), 0);
	assert_string_equal(h.url, "http://p:9090/api/v1/query?query=sum%28rate%28x%5B5m%5D%29%29");
	assert_null(h.form);
	prom_http_fini(&h);
	assert_int_equal(prom_req_build("http://p/prom", "up", 1, 1704067200, 1704069000.5, 15, &h),
	                 0);
	assert_string_equal(h.url, "http://p/prom/api/v1/query_range?query=up&start=1704067200.000"
	                           "&end=1704069000.500&step=15");
	prom_http_fini(&h);
	/* a long query goes as a POST form */
	char q[4000];
	memset(q, 'a', sizeof q - 1);
	q[sizeof q - 1] = '\0';
	assert_int_equal(prom_req_build("http://p", q, 1, 10, 20, 1, &h), 0);
	assert_string_equal(h.url, "http://p/api/v1/query_range");
	assert_non_null(h.form);
	assert_int_equal(strncmp(h.form, "query=aaaa", 10), 0);
	assert_non_null(strstr(h.form, "&start=10.000&end=20.000&step=1"));
	prom_http_fini(&h);
	assert_string_equal(prom_req_key(0, PROM_FIG_P95), "query/p95");
	assert_string_equal(prom_req_key(1, PROM_FIG_DRIFT), "range/drift");
}

static void test_apply(void **state)
{
	(void)state;
	struct prom_table t = {0};
	struct prom_result r;
	assert_int_equal(decode(200, NULL, VEC, &r, NULL), 0);
	assert_int_equal(prom_req_apply(&t, PROM_FIG_RPS, 0, &r, "model", "version"), 3);
	prom_result_fini(&r);
	assert_int_equal(t.n, 3); /* the series without a model is left out */
	const struct prom_row *row = prom_table_find(&t, "churn", "v3");
	assert_true(row->value[PROM_FIG_RPS] == 10);
	assert_true(isnan(row->value[PROM_FIG_P50]));
	assert_true(isinf(prom_table_find(&t, "fraud", "")->value[PROM_FIG_RPS]));
	/* drift over time: one point per time, the highest feature */
	assert_int_equal(decode(200, NULL, MAT, &r, NULL), 0);
	assert_int_equal(prom_req_apply(&t, PROM_FIG_DRIFT, 1, &r, "model", "version"), 2);
	row = prom_table_find(&t, "churn", "v3");
	const struct prom_spark *sp = &row->spark[PROM_FIG_DRIFT];
	assert_int_equal(sp->n, 3);
	assert_true(sp->pts[0].ts_ms == 1704074400000LL && sp->pts[0].v == 0.3);
	assert_true(sp->pts[1].v == 0.4 && sp->pts[2].v == 0.2);
	/* the instant value of a matrix: the last sample, highest of the features */
	assert_int_equal(prom_req_apply(&t, PROM_FIG_DRIFT, 0, &r, "model", "version"), 2);
	assert_true(prom_table_find(&t, "churn", "v3")->value[PROM_FIG_DRIFT] == 0.4);
	prom_result_fini(&r);
	/* a new answer replaces the figure: rows it no longer names lose it, and go when empty */
	const char *one =
	    "{\"status\":\"success\",\"data\":{\"resultType\":\"vector\",\"result\":"
	    "[{\"metric\":{\"model\":\"churn\",\"version\":\"v3\"},\"value\":[1,\"2\"]}]}}";
	assert_int_equal(decode(200, NULL, one, &r, NULL), 0);
	assert_int_equal(prom_req_apply(&t, PROM_FIG_RPS, 0, &r, "model", "version"), 1);
	prom_result_fini(&r);
	prom_table_prune(&t);
	assert_int_equal(t.n, 1);
	assert_true(t.rows[0].value[PROM_FIG_RPS] == 2);
	prom_table_fini(&t);
}

/* ---- the client on a test server ------------------------------------------------------------ */

struct got {
	int events;
	int rc;
	int starting;
	size_t asked, failed;
	char notice[600];
	struct prom_table table;
};

static void on_event(void *ud, struct prom_event *ev)
{
	struct got *g = ud;
	g->events++;
	g->rc = ev->rc;
	g->starting = ev->starting;
	g->asked = ev->asked;
	g->failed = ev->failed;
	snprintf(g->notice, sizeof g->notice, "%s", ev->notice ? ev->notice : "");
	if (ev->table) {
		prom_table_fini(&g->table);
		g->table = *ev->table;
		free(ev->table);
		ev->table = NULL;
	}
}

/* A tiny cache: the bodies put, by key. */
struct kv {
	char key[12][32];
	char *body[12];
	int n;
};

static void kv_put(void *ud, const char *key, const char *body, size_t len, int64_t at)
{
	struct kv *kv = ud;
	(void)at;
	for (int i = 0; i < kv->n; i++)
		if (strcmp(kv->key[i], key) == 0) {
			free(kv->body[i]);
			kv->body[i] = strndup(body, len);
			return;
		}
	snprintf(kv->key[kv->n], sizeof kv->key[0], "%s", key);
	kv->body[kv->n++] = strndup(body, len);
}

static int kv_get(void *ud, const char *key, char **body, size_t *len, int64_t *at)
{
	struct kv *kv = ud;
	for (int i = 0; i < kv->n; i++)
		if (strcmp(kv->key[i], key) == 0) {
			*body = strdup(kv->body[i]);
			*len = strlen(*body);
			*at = 1000 + i;
			return 0;
		}
	return 1;
}

static int64_t fixed_now(void)
{
	return 1704074400000LL;
}

static void run(struct testsrv_fx *f, struct got *g)
{
	struct timespec ts = {0, 2000000};
	for (int i = 0; i < 5000 && !g->events; i++) {
		http_perform(f->h);
		nanosleep(&ts, NULL);
	}
	assert_int_equal(g->events, 1);
}

static struct prom *client(struct testsrv_fx *f, struct kv *kv)
{
	const char *q[PROM_NFIG] = {
	    "sum by (model, version) (rate(x[5m]))", "e", "p50", "p95", "p99", "drift"};
	struct prom_config pc = {
	    .base_url = testsrv_url(f->srv), .now_ms = fixed_now, .put = kv_put, .put_ud = kv};
	memcpy(pc.queries, q, sizeof q);
	struct err e = {0};
	struct prom *p = prom_new(f->h, &pc, &e);
	assert_non_null(p);
	return p;
}

static void kv_fini(struct kv *kv)
{
	for (int i = 0; i < kv->n; i++)
		free(kv->body[i]);
}

/* A first refresh with every query answering. */
static struct prom *refreshed(struct testsrv_fx *f, struct kv *kv, struct got *g)
{
	struct err e = {0};
	testsrv_add(f->srv, "GET", "/api/v1/query", 200, "application/json", VEC);
	testsrv_add(f->srv, "GET", "/api/v1/query_range", 200, "application/json", MAT);
	struct prom *p = client(f, kv);
	assert_true(prom_refresh(p, PROM_INSTANT | PROM_RANGE, on_event, g, &e) > 0);
	run(f, g);
	return p;
}

static void test_client(void **state)
{
	struct testsrv_fx *f = *state;
	struct kv kv = {0};
	struct got g = {0};
	struct prom *p = refreshed(f, &kv, &g);
	/* six figures, each one instant and one range query, whatever the number of rows */
	assert_int_equal(testsrv_request_count(f->srv), 12);
	assert_int_equal(g.rc, 0);
	assert_int_equal(g.asked, 12);
	assert_int_equal(g.failed, 0);
	/* the warnings, whichever figure answered first */
	assert_non_null(strstr(g.notice, " (range): remote read partial; 5 more"));
	assert_int_equal(g.table.n, 3);
	assert_true(prom_table_find(&g.table, "churn", "v3")->value[PROM_FIG_P99] == 10);
	assert_int_equal(prom_table_find(&g.table, "churn", "v3")->spark[PROM_FIG_RPS].n, 3);
	int ranges = 0;
	for (int back = 0; back < 12; back++) {
		struct testsrv_req req;
		assert_int_equal(testsrv_request(f->srv, back, &req), 0);
		ranges +=
		    strstr(req.uri, "start=1704072600.000&end=1704074400.000&step=15") != NULL;
		testsrv_req_fini(&req);
	}
	assert_int_equal(ranges, 6);
	assert_int_equal(kv.n, 12);

	/* restart: a new client draws from the cache before any request */
	struct prom *q = client(f, &kv);
	struct prom_table t = {0};
	int64_t at = 0;
	assert_int_equal(prom_restore(q, kv_get, &kv, &t, &at), 12);
	assert_true(at == 1000);
	assert_int_equal(t.n, 3);
	assert_true(prom_table_find(&t, "churn", "v3")->value[PROM_FIG_RPS] == 10);
	assert_int_equal(prom_table_find(&t, "churn", "v3")->spark[PROM_FIG_DRIFT].n, 3);
	prom_table_fini(&t);
	prom_free(&q);
	prom_free(&p);
	prom_table_fini(&g.table);
	kv_fini(&kv);
}

static void test_client_failures(void **state)
{
	struct testsrv_fx *f = *state;
	struct kv kv = {0};
	struct got g = {0};
	struct err e = {0};
	struct prom *p = refreshed(f, &kv, &g);
	/* the instant queries fail (422), the range ones answer: the figures keep their values */
	testsrv_add(
	    f->srv, "GET", "/api/v1/query", 422, "application/json",
	    "{\"status\":\"error\",\"errorType\":\"execution\",\"error\":\"many-to-many\"}");
	g.events = 0;
	assert_true(prom_refresh(p, PROM_INSTANT | PROM_RANGE, on_event, &g, &e) > 0);
	run(f, &g);
	assert_int_equal(g.rc, 0);
	assert_int_equal(g.failed, 6);
	assert_non_null(strstr(g.notice, ": Prometheus 422 execution: many-to-many; 11 more"));
	assert_null(strstr(g.notice, "(range)")); /* the first note is a failure, not a warning */
	assert_true(prom_table_find(&g.table, "churn", "v3")->value[PROM_FIG_RPS] == 10);

	/* Prometheus starting: every query 503 with a plain body */
	testsrv_add(f->srv, "GET", "/api/v1/query", 503, "text/plain", "Service Unavailable");
	g.events = 0;
	assert_true(prom_refresh(p, PROM_INSTANT, on_event, &g, &e) > 0);
	run(f, &g);
	assert_int_equal(g.rc, ERR_HTTP);
	assert_true(g.starting);
	assert_int_equal(g.asked, 6);
	prom_free(&p);
	prom_table_fini(&g.table);
	kv_fini(&kv);
}

/* 500 deployments, two versions each: still one query per figure and kind. */
static void test_client_scale(void **state)
{
	struct testsrv_fx *f = *state;
	struct kv kv = {0};
	struct got g = {0};
	size_t cap = 1000 * 96 + 128, at = 0;
	char *body = malloc(cap);
	at += (size_t)snprintf(body, cap,
	                       "{\"status\":\"success\",\"data\":{\"resultType\":"
	                       "\"vector\",\"result\":[");
	for (int i = 0; i < 1000; i++)
		at += (size_t)snprintf(body + at, cap - at,
		                       "%s{\"metric\":{\"model\":\"m%03d\",\"version\":\"v%d\"},"
		                       "\"value\":[1,\"%d\"]}",
		                       i ? "," : "", i / 2, i % 2, i);
	snprintf(body + at, cap - at, "]}}");
	testsrv_add(f->srv, "GET", "/api/v1/query", 200, "application/json", body);
	free(body);
	struct prom *p = client(f, &kv);
	struct err e = {0};
	assert_true(prom_refresh(p, PROM_INSTANT, on_event, &g, &e) > 0);
	run(f, &g);
	assert_int_equal(testsrv_request_count(f->srv), 6);
	assert_int_equal(g.table.n, 1000);
	assert_true(prom_table_find(&g.table, "m499", "v1")->value[PROM_FIG_P50] == 999);
	prom_free(&p);
	prom_table_fini(&g.table);
	kv_fini(&kv);
}

/* The helper of tests/integration/prom_math.sh: decodes a real answer of Prometheus saved in
 * path as figure p95 (range: as a sparkline) and prints "model|version value points" per row. */
static int decode_file(const char *path, int range)
{
	static char buf[1 << 22];
	FILE *f = fopen(path, "rb");
	size_t len = f ? fread(buf, 1, sizeof buf - 1, f) : 0;
	if (f)
		fclose(f);
	struct prom_result r;
	struct err e = {0};
	struct prom_table t = {0};
	if (prom_decode(200, "application/json", buf, len, &r, &e) < 0)
		return fprintf(stderr, "decode: %s\n", e.msg), 1;
	prom_req_apply(&t, PROM_FIG_P95, range, &r, "model", "version");
	for (size_t i = 0; i < t.n; i++) {
		const struct prom_spark *sp = &t.rows[i].spark[PROM_FIG_P95];
		printf("%s|%s %.17g %zu\n", t.rows[i].model, t.rows[i].version,
		       range ? (sp->n ? sp->pts[sp->n - 1].v : NAN) : t.rows[i].value[PROM_FIG_P95],
		       sp->n);
	}
	prom_table_fini(&t);
	prom_result_fini(&r);
	return 0;
}

int main(int argc, char **argv)
{
	if (argc == 3 &&
	    (strcmp(argv[1], "--decode") == 0 || strcmp(argv[1], "--decode-range") == 0))
		return decode_file(argv[2], argv[1][8] == '-');
	const struct CMUnitTest tests[] = {
	    cmocka_unit_test(test_decode_vector),
	    cmocka_unit_test(test_decode_scalar_string),
	    cmocka_unit_test(test_decode_errors),
	    cmocka_unit_test(test_build),
	    cmocka_unit_test(test_apply),
	    cmocka_unit_test_setup_teardown(test_client, testsrv_fx_setup, testsrv_fx_teardown),
	    cmocka_unit_test_setup_teardown(test_client_failures, testsrv_fx_setup,
	                                    testsrv_fx_teardown),
	    cmocka_unit_test_setup_teardown(test_client_scale, testsrv_fx_setup,
	                                    testsrv_fx_teardown),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
