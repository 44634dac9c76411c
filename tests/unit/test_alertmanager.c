/* test_alertmanager: the Alertmanager v2 decoders on fixed bodies (real answers of 0.25, the
 * wrong shapes, {}, truncated, huge, NaN), the one-line error of each error-body form, the
 * requests the client builds (filters, flags, silence bodies), RFC 3339 times, and the client
 * against the local test server (auth headers, what is filed in the cache). */
#include <math.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>

#include "clients/alertmanager.h"
#include "clients/alertmanager_parse.h"
#include "clients/http.h"
#include "clients/rfc3339.h"
#include "tests/unit/opsfx.h"
#include "tests/unit/testsrv.h"

/* A real GET /api/v2/alerts of 0.25: a warning inhibited by a critical one. */
static const char real_alerts[] =
    "[{\"annotations\":{\"summary\":\"a \\u003e b\"},\"endsAt\":\"2030-01-01T00:00:00.000Z\","
    "\"fingerprint\":\"43565d40ac0d867d\",\"receivers\":[{\"name\":\"null\"}],"
    "\"startsAt\":\"2026-11-29T04:00:48.000Z\",\"status\":{\"inhibitedBy\":[\"cbff1d59139dd84c\"],"
    "\"silencedBy\":[],\"state\":\"suppressed\"},\"updatedAt\":\"2026-12-02T02:42:51.441Z\","
    "\"generatorURL\":\"http://127.0.0.1:39190/graph?g0.expr=x\","
    "\"labels\":{\"alertname\":\"ModelHighErrorRate\",\"model\":\"fraud\",\"severity\":"
    "\"warning\",\"version\":\"v2\"}},"
    "{\"annotations\":{},\"endsAt\":\"2030-01-01T00:00:00.000Z\",\"fingerprint\":"
    "\"cbff1d59139dd84c\",\"receivers\":[{\"name\":\"null\"}],\"startsAt\":"
    "\"2030-01-01T00:00:00.000Z\",\"status\":{\"inhibitedBy\":[],\"silencedBy\":[],\"state\":"
    "\"active\"},\"updatedAt\":\"2026-12-02T02:42:51.441Z\",\"labels\":{\"alertname\":"
    "\"ModelHighErrorRate\",\"model\":\"fraud\",\"severity\":\"critical\",\"version\":\"v2\"}}]\n";

static const char real_silences[] =
    "[{\"id\":\"c1b4832b-1542-4e20-9a44-f67b55a93d28\",\"status\":{\"state\":\"active\"},"
    "\"updatedAt\":\"2026-12-02T02:42:59.241Z\",\"comment\":\"test\",\"createdBy\":\"me@h\","
    "\"endsAt\":\"2026-12-02T05:00:00.000Z\",\"matchers\":[{\"isEqual\":true,\"isRegex\":false,"
    "\"name\":\"model\",\"value\":\"fraud\"},{\"isRegex\":true,\"name\":\"version\",\"value\":"
    "\"v.*\"}],\"startsAt\":\"2026-12-02T02:42:59.241Z\"}]\n";

static void test_rfc3339(void **state)
{
	int64_t ms;
	char buf[RFC3339_MAX];
	(void)state;
	assert_int_equal(rfc3339_parse("2030-01-01T00:00:00.000Z", &ms), 0);
	assert_int_equal(ms, 1893456000000LL);
	assert_int_equal(rfc3339_parse("2026-12-02T02:42:51.441Z", &ms), 0);
	assert_string_equal(rfc3339_format(ms, buf, sizeof buf), "2026-12-02T02:42:51.441Z");
	assert_int_equal(rfc3339_parse("2030-01-01T02:00:00.123456789+02:00", &ms), 0);
	assert_int_equal(ms, 1893456000123LL);
	assert_int_equal(rfc3339_parse("2030-01-01t00:00:00z", &ms), 0);
	assert_int_equal(rfc3339_parse("1969-12-31T23:59:59Z", &ms), 0);
	assert_int_equal(ms, -1000);
	const char *bad[] = {"",
	                     "NaN",
	                     "2030-1-01T00:00:00Z",
	                     "2030-01-01T00:00:00",
	                     "2030-01-01T00:00:00Zjunk",
	                     "2030-01-01T00:00:00.Z",
	                     "2030-13-01T00:00:00Z",
	                     "2030-01-01T00:00:00+2:00",
	                     "2030-01-01T25:00:00Z",
	                     NULL};
	for (int i = 0; bad[i]; i++)
		assert_int_equal(rfc3339_parse(bad[i], &ms), -1);
	assert_int_equal(rfc3339_parse(NULL, &ms), -1);
	assert_string_equal(rfc3339_format(-1, buf, sizeof buf), "1969-12-31T23:59:59.999Z");
}

static void test_parse_real_alerts(void **state)
{
	struct am_alerts *l = am_alerts_new();
	struct err e;
	(void)state;
	assert_int_equal(alertmanager_parse_alerts(real_alerts, strlen(real_alerts), l, &e), 0);
	assert_int_equal(l->n, 2);
	const struct am_alert *a = &l->v[0];
	assert_string_equal(kvlist_get(&a->labels, "model"), "fraud");
	assert_string_equal(kvlist_get(&a->labels, "severity"), "warning");
	assert_string_equal(kvlist_get(&a->annotations, "summary"), "a > b");
	assert_int_equal(a->state, AM_STATE_SUPPRESSED);
	assert_int_equal(a->inhibited_by.n, 1);
	assert_true(strlist_has(&a->inhibited_by, "cbff1d59139dd84c"));
	assert_int_equal(a->silenced_by.n, 0);
	assert_string_equal(a->fingerprint, "43565d40ac0d867d");
	assert_string_equal(a->generator_url, "http://127.0.0.1:39190/graph?g0.expr=x");
	assert_int_equal(a->ends_ms, 1893456000000LL);
	assert_int_equal(a->updated_ms, 1796179371441LL);
	assert_int_equal(l->v[1].state, AM_STATE_ACTIVE);
	assert_string_equal(l->v[1].generator_url, "");
	assert_int_equal(l->skipped, 0);
	/* a second body appends */
	assert_int_equal(alertmanager_parse_alerts(real_alerts, strlen(real_alerts), l, &e), 0);
	assert_int_equal(l->n, 4);
	am_alerts_free(&l);
	assert_null(l);
}

static void test_parse_alerts_wrong_shapes(void **state)
{
	struct err e;
	(void)state;
	const char *fail[] = {"{}", "", "[{\"labels\":", "\"x\"", "nul", "[1,", NULL};
	for (int i = 0; fail[i]; i++) {
		struct am_alerts *l = am_alerts_new();
		assert_int_equal(alertmanager_parse_alerts(fail[i], strlen(fail[i]), l, &e),
		                 ERR_PARSE);
		assert_int_equal(l->n, 0);
		assert_true(strlen(e.msg) > 0);
		am_alerts_free(&l);
	}
	const char *odd = "[1,\"x\",null,{},{\"labels\":{\"a\":1,\"b\":\"c\"},"
	                  "\"startsAt\":\"NaN\",\"endsAt\":12,\"fingerprint\":7,\"annotations\":[],"
	                  "\"status\":{\"silencedBy\":[\"s1\",2],\"state\":\"weird\"}}]";
	struct am_alerts *l = am_alerts_new();
	assert_int_equal(alertmanager_parse_alerts(odd, strlen(odd), l, &e), 0);
	assert_int_equal(l->n, 2);
	assert_int_equal(l->skipped, 5); /* 3 non-objects, label a, silencedBy 2 */
	assert_int_equal(l->v[0].labels.n, 0);
	assert_string_equal(l->v[0].fingerprint, "");
	assert_string_equal(l->v[1].fingerprint, "");
	assert_string_equal(kvlist_get(&l->v[1].labels, "b"), "c");
	assert_null(kvlist_get(&l->v[1].labels, "a"));
	assert_int_equal(l->v[1].starts_ms, 0);
	assert_int_equal(l->v[1].ends_ms, 0);
	assert_int_equal(l->v[1].state, AM_STATE_UNKNOWN);
	assert_string_equal(l->v[1].state_text, "weird");
	assert_int_equal(l->v[1].silenced_by.n, 1);
	am_alerts_free(&l);
}

static void test_parse_alerts_huge(void **state)
{
	struct err e;
	size_t n = 20000, cap = n * 120 + 16, at = 1;
	char *body = malloc(cap);
	(void)state;
	assert_non_null(body);
	body[0] = '[';
	for (size_t i = 0; i < n; i++)
		at += (size_t)snprintf(
		    body + at, cap - at,
		    "%s{\"labels\":{\"alertname\":\"A%zu\"},\"fingerprint\":\"%zx\"}", i ? "," : "",
		    i, i);
	body[at++] = ']';
	struct am_alerts *l = am_alerts_new();
	assert_int_equal(alertmanager_parse_alerts(body, at, l, &e), 0);
	assert_int_equal(l->n, n);
	assert_string_equal(kvlist_get(&l->v[n - 1].labels, "alertname"), "A19999");
	am_alerts_free(&l);
	/* deep nesting is refused, not a stack overflow */
	memset(body, '[', 100000);
	l = am_alerts_new();
	assert_int_equal(alertmanager_parse_alerts(body, 100000, l, &e), ERR_PARSE);
	am_alerts_free(&l);
	free(body);
}

static void test_parse_silences(void **state)
{
	struct err e;
	char id[64];
	(void)state;
	struct am_silences *l = am_silences_new();
	assert_int_equal(alertmanager_parse_silences(real_silences, strlen(real_silences), l, &e),
	                 0);
	assert_int_equal(l->n, 1);
	const struct am_silence *s = &l->v[0];
	assert_string_equal(s->id, "c1b4832b-1542-4e20-9a44-f67b55a93d28");
	assert_int_equal(s->state, AM_SILENCE_ACTIVE);
	assert_string_equal(s->created_by, "me@h");
	assert_string_equal(s->comment, "test");
	assert_int_equal(s->nmatchers, 2);
	assert_string_equal(s->matchers[0].name, "model");
	assert_int_equal(s->matchers[0].is_equal, 1);
	assert_int_equal(s->matchers[1].is_regex, 1);
	assert_int_equal(s->matchers[1].is_equal, 1); /* absent: true */
	assert_ptr_equal(am_silences_find(l, "c1b4832b-1542-4e20-9a44-f67b55a93d28"), s);
	assert_null(am_silences_find(l, "other"));
	assert_null(am_silences_find(NULL, "x"));
	/* GET /api/v2/silence/{id}: one object */
	const char *one = "{\"id\":\"x\",\"status\":{\"state\":\"expired\"},\"matchers\":7}";
	assert_int_equal(alertmanager_parse_silences(one, strlen(one), l, &e), 0);
	assert_int_equal(l->n, 2);
	assert_int_equal(l->v[1].state, AM_SILENCE_EXPIRED);
	assert_int_equal(l->v[1].nmatchers, 0);
	assert_int_equal(alertmanager_parse_silences("12", 2, l, &e), ERR_PARSE);
	assert_int_equal(alertmanager_parse_silences("[{\"id\":", 7, l, &e), ERR_PARSE);
	assert_int_equal(alertmanager_parse_silences("[{}, 3]", 7, l, &e), 0);
	assert_int_equal(l->n, 3);
	assert_int_equal(l->skipped, 1);
	am_silences_free(&l);

	const char *ok = "{\"silenceID\":\"c7b8dc1c-141c-4295-b7a5-46e8e7492692\"}";
	assert_int_equal(alertmanager_parse_silence_id(ok, strlen(ok), id, sizeof id, &e), 0);
	assert_string_equal(id, "c7b8dc1c-141c-4295-b7a5-46e8e7492692");
	assert_int_equal(alertmanager_parse_silence_id("{}", 2, id, sizeof id, &e), ERR_PARSE);
	assert_string_equal(id, "");
	assert_int_equal(alertmanager_parse_silence_id("{\"silenceID\":5}", 15, id, sizeof id, &e),
	                 ERR_PARSE);
	assert_int_equal(alertmanager_parse_silence_id(ok, strlen(ok), id, 5, &e), 0);
	assert_string_equal(id, "c7b8");
}

static void test_parse_groups(void **state)
{
	/* the shape of a real 0.25 answer: the route's group_by labels, the receiver, the alerts */
	char body[4096];
	struct err e;
	(void)state;
	snprintf(body, sizeof body,
	         "[{\"labels\":{\"alertname\":\"ModelHighErrorRate\",\"model\":\"fraud\"},"
	         "\"receiver\":{\"name\":\"null\"},\"alerts\":%.*s},7,{\"alerts\":[1]}]",
	         (int)strlen(real_alerts) - 1, real_alerts);
	struct am_groups *g = am_groups_new();
	assert_int_equal(alertmanager_parse_groups(body, strlen(body), g, &e), 0);
	assert_int_equal(g->n, 2);
	assert_int_equal(g->skipped, 2);
	assert_string_equal(g->v[0].receiver, "null");
	assert_string_equal(kvlist_get(&g->v[0].labels, "model"), "fraud");
	assert_int_equal(g->v[0].nalerts, 2);
	assert_int_equal(g->v[0].alerts[0].state, AM_STATE_SUPPRESSED);
	assert_string_equal(g->v[1].receiver, "");
	assert_int_equal(g->v[1].nalerts, 0);
	assert_int_equal(alertmanager_parse_groups("{}", 2, g, &e), ERR_PARSE);
	am_groups_free(&g);
	char *k = alertmanager_groups_key(NULL);
	assert_string_equal(k, "/api/v2/alerts/groups");
	free(k);
}

/* The line of an error answer. */
static const char *line_of(long status, const char *ctype, const char *body)
{
	static struct err e;
	struct http_resp r = opsfx_resp(status, ctype, body);
	assert_true(alertmanager_error(&e, &r) < 0);
	return e.msg;
}

static void test_error_lines(void **state)
{
	(void)state;
	/* form 1: a bare JSON string */
	assert_string_equal(line_of(500, "application/json", "\"silence not found\"\n"),
	                    "Alertmanager 500 Internal Server Error: silence not found");
	assert_string_equal(
	    line_of(400, "application/json", "\"bad matcher format: {a=\\\"b\\\"}\""),
	    "Alertmanager 400 Bad Request: bad matcher format: {a=\"b\"}");
	/* form 2: {code, message} */
	assert_string_equal(line_of(422, "application/json",
	                            "{\"code\":601,\"message\":\"silenceID in path must be of type "
	                            "uuid: \\\"abc\\\"\"}"),
	                    "Alertmanager 422 Unprocessable Entity: silenceID in path must be of "
	                    "type uuid: \"abc\"");
	/* form 3: nothing */
	assert_string_equal(line_of(404, NULL, NULL), "Alertmanager 404 Not Found");
	/* a proxy in front */
	assert_string_equal(line_of(502, "text/html", "<html><body><h1>502 Bad Gateway</h1>nginx"),
	                    "Alertmanager 502 Bad Gateway: nginx");
	/* a bare string with a control character is one line still */
	assert_string_equal(line_of(500, "application/json", "\"a\\nb\\u001b[31m\""),
	                    "Alertmanager 500 Internal Server Error: a b [31m");
	struct http_resp r = opsfx_resp(0, NULL, NULL);
	struct err e;
	snprintf(r.error, sizeof r.error, "connection refused");
	assert_int_equal(alertmanager_error(&e, &r), ERR_NET);
	assert_string_equal(e.msg, "Alertmanager: connection refused");
}

static void test_alerts_key(void **state)
{
	(void)state;
	char *k = alertmanager_alerts_key(NULL);
	assert_string_equal(k, "/api/v2/alerts");
	free(k);
	const char *f[] = {"alertname=~\"Model.*Drift\"", "model=\"fraud\""};
	struct am_alerts_query q = {
	    .filters = f, .nfilters = 2, .silenced = AM_FLAG_FALSE, .active = AM_FLAG_TRUE};
	k = alertmanager_alerts_key(&q);
	assert_string_equal(k, "/api/v2/alerts?filter=alertname%3D~%22Model.%2ADrift%22"
	                       "&filter=model%3D%22fraud%22&active=true&silenced=false");
	free(k);
}

static void test_silence_body(void **state)
{
	struct err e;
	struct am_matcher m[] = {{"alertname", "ModelFeatureDrift", 0, 1},
	                         {"model", "fraud|churn", 1, 0}};
	struct am_silence_new s = {
	    m, 2, 1893456000000LL, 1893459600000LL, "me@host", "retraining", NULL};
	(void)state;
	char *b = alertmanager_silence_body(&s, &e);
	assert_string_equal(
	    b,
	    "{\"matchers\":[{\"name\":\"alertname\",\"value\":\"ModelFeatureDrift\",\"isRegex\":"
	    "false,\"isEqual\":true},{\"name\":\"model\",\"value\":\"fraud|churn\",\"isRegex\":"
	    "true,\"isEqual\":false}],\"startsAt\":\"2030-01-01T00:00:00.000Z\",\"endsAt\":"
	    "\"2030-01-01T01:00:00.000Z\",\"createdBy\":\"me@host\",\"comment\":\"retraining\"}");
	free(b);
	struct am_silence_new bad = s;
	bad.ends_ms = bad.starts_ms;
	assert_null(alertmanager_silence_body(&bad, &e));
	assert_string_equal(e.msg, "Alertmanager: a silence must end after it starts");
	bad = s;
	bad.nmatchers = 0;
	assert_null(alertmanager_silence_body(&bad, &e));
	bad = s;
	bad.comment = "";
	assert_null(alertmanager_silence_body(&bad, &e));
	struct kvlist labels = {(struct kv[]){{"alertname", "X"}, {"model", "m"}}, 2};
	struct am_matcher out[4];
	assert_int_equal(alertmanager_matchers_from_labels(&labels, out, 4), 2);
	assert_string_equal(out[1].value, "m");
	assert_int_equal(out[1].is_equal, 1);
	assert_int_equal(out[1].is_regex, 0);
	assert_int_equal(alertmanager_matchers_from_labels(&labels, out, 1), 1);
}

/* ---- the client against the test server ---- */

struct got {
	int n;
	int rc;
	char msg[ERR_MSG_MAX];
	size_t alerts;
	char key[256];
	int puts;
};

static void on_event(void *ud, struct alertmanager_event *ev)
{
	struct got *g = ud;
	g->n++;
	g->rc = ev->rc;
	snprintf(g->msg, sizeof g->msg, "%s", ev->err ? ev->err->msg : "");
	g->alerts = ev->alerts ? ev->alerts->n : 0;
}

static void on_put(void *ud, const char *key, const char *body, size_t len, int64_t fetched_ms)
{
	struct got *g = ud;
	(void)body;
	(void)len;
	(void)fetched_ms;
	g->puts++;
	snprintf(g->key, sizeof g->key, "%s", key);
}

static void test_client_auth_and_cache(void **state)
{
	struct testsrv_fx *fx = *state;
	struct got g = {0};
	struct http_auth auth = {.bearer_token = "t0k"};
	struct alertmanager_config cfg = {
	    .base_url = testsrv_url(fx->srv), .auth = &auth, .put = on_put, .put_ud = &g};
	testsrv_add(fx->srv, "GET", "/api/v2/alerts", 200, "application/json", real_alerts);
	struct alertmanager *a = alertmanager_new(fx->h, &cfg, NULL);
	assert_non_null(a);
	assert_true(alertmanager_alerts(a, NULL, on_event, &g, NULL) > 0);
	assert_int_equal(alertmanager_busy(a), 1);
	assert_int_equal(opsfx_run(fx->h, &g.n, 1, 5000), 1);
	assert_int_equal(g.rc, 0);
	assert_int_equal(g.alerts, 2);
	assert_int_equal(g.puts, 1);
	assert_string_equal(g.key, "/api/v2/alerts");
	struct testsrv_req req;
	assert_int_equal(testsrv_request(fx->srv, 0, &req), 0);
	assert_string_equal(testsrv_req_header(&req, "Authorization"), "Bearer t0k");
	testsrv_req_fini(&req);
	/* a body that is not alerts: the error, nothing filed */
	testsrv_add(fx->srv, "GET", "/api/v2/alerts", 200, "application/json", "{}");
	assert_true(alertmanager_alerts(a, NULL, on_event, &g, NULL) > 0);
	assert_int_equal(opsfx_run(fx->h, &g.n, 2, 5000), 2);
	assert_int_equal(g.rc, ERR_PARSE);
	assert_int_equal(g.puts, 1);
	/* an error body */
	testsrv_add(fx->srv, "DELETE", "/api/v2/silence/c7b8dc1c-141c-4295-b7a5-46e8e7492692", 500,
	            "application/json", "\"silence not found\"\n");
	assert_true(alertmanager_silence_expire(a, "c7b8dc1c-141c-4295-b7a5-46e8e7492692", on_event,
	                                        &g, NULL) > 0);
	assert_int_equal(opsfx_run(fx->h, &g.n, 3, 5000), 3);
	assert_int_equal(g.rc, ERR_HTTP);
	assert_string_equal(g.msg, "Alertmanager 500 Internal Server Error: silence not found");
	/* a cancelled call never calls back, and frees what it held */
	long op = alertmanager_silences(a, NULL, 0, on_event, &g, NULL);
	assert_true(op > 0);
	alertmanager_cancel(a, op);
	assert_int_equal(alertmanager_busy(a), 0);
	assert_true(alertmanager_alerts(a, NULL, on_event, &g, NULL) > 0);
	alertmanager_free(&a); /* in flight: no callback */
	assert_int_equal(opsfx_run(fx->h, &g.n, 4, 300), 3);
}

static void test_client_basic_auth(void **state)
{
	struct testsrv_fx *fx = *state;
	struct got g = {0};
	struct http_auth auth = {.username = "alice", .password = "s3cret"};
	struct alertmanager_config cfg = {.base_url = testsrv_url(fx->srv), .auth = &auth};
	testsrv_add(fx->srv, "GET", "/api/v2/silences", 200, "application/json", real_silences);
	struct alertmanager *a = alertmanager_new(fx->h, &cfg, NULL);
	assert_true(alertmanager_silences(a, NULL, 0, on_event, &g, NULL) > 0);
	assert_int_equal(opsfx_run(fx->h, &g.n, 1, 5000), 1);
	assert_int_equal(g.rc, 0);
	struct testsrv_req req;
	assert_int_equal(testsrv_request(fx->srv, 0, &req), 0);
	assert_string_equal(testsrv_req_header(&req, "Authorization"), "Basic YWxpY2U6czNjcmV0");
	testsrv_req_fini(&req);
	alertmanager_free(&a);
	/* read-only: no write leaves */
	struct err e;
	cfg.readonly = 1;
	a = alertmanager_new(fx->h, &cfg, NULL);
	struct am_matcher m = {"a", "b", 0, 1};
	struct am_silence_new s = {&m, 1, 1000, 2000, "me", "why", NULL};
	assert_int_equal(alertmanager_silence_create(a, &s, on_event, &g, &e), ERR_STATE);
	assert_int_equal(alertmanager_silence_expire(a, "x", on_event, &g, &e), ERR_STATE);
	assert_string_equal(e.msg, "Alertmanager: read-only context: silences are not changed");
	assert_int_equal(alertmanager_busy(a), 0);
	alertmanager_free(&a);
	cfg.base_url = "127.0.0.1:9093";
	assert_null(alertmanager_new(fx->h, &cfg, &e));
	assert_int_equal(e.code, ERR_CONFIG);
}

/* A misbehaving server: the panel gets one line, nothing is filed, the client goes on. */
static void test_client_misbehaving_server(void **state)
{
	struct testsrv_fx *fx = *state;
	struct got g = {0};
	struct alertmanager_config cfg = {.base_url = testsrv_url(fx->srv),
	                                  .max_body = 500,
	                                  .timeout_ms = 1000,
	                                  .put = on_put,
	                                  .put_ud = &g};
	struct alertmanager *a = alertmanager_new(fx->h, &cfg, NULL);
	struct testsrv_route big = {.method = "GET",
	                            .path = "/api/v2/alerts",
	                            .content_type = "application/json",
	                            .body = real_alerts};
	testsrv_route(fx->srv, &big);
	assert_true(alertmanager_alerts(a, NULL, on_event, &g, NULL) > 0);
	assert_int_equal(opsfx_run(fx->h, &g.n, 1, 5000), 1);
	assert_int_equal(g.rc, ERR_TOO_BIG);
	assert_string_equal(g.msg, "Alertmanager 200: response body over the size cap");
	alertmanager_free(&a);
	cfg.max_body = 0;
	a = alertmanager_new(fx->h, &cfg, NULL);
	struct testsrv_route reset = big;
	reset.cut = TESTSRV_RESET;
	reset.cut_after = 10;
	testsrv_route(fx->srv, &reset);
	assert_true(alertmanager_alerts(a, NULL, on_event, &g, NULL) > 0);
	assert_int_equal(opsfx_run(fx->h, &g.n, 2, 5000), 2);
	assert_int_equal(g.rc, ERR_NET);
	assert_true(strncmp(g.msg, "Alertmanager: ", 14) == 0);
	struct testsrv_route stall = big;
	stall.body = "[]";
	stall.delay_ms = 3000;
	testsrv_route(fx->srv, &stall);
	assert_true(alertmanager_alerts(a, NULL, on_event, &g, NULL) > 0);
	assert_int_equal(opsfx_run(fx->h, &g.n, 3, 5000), 3);
	assert_int_equal(g.rc, ERR_NET);
	testsrv_add(fx->srv, "GET", "/api/v2/alerts", 401, "text/plain", "Unauthorized\n");
	assert_true(alertmanager_alerts(a, NULL, on_event, &g, NULL) > 0);
	assert_int_equal(opsfx_run(fx->h, &g.n, 4, 5000), 4);
	assert_string_equal(g.msg, "Alertmanager 401 Unauthorized");
	testsrv_add(fx->srv, "GET", "/api/v2/alerts", 200, "application/json", "[]");
	assert_true(alertmanager_alerts(a, NULL, on_event, &g, NULL) > 0);
	assert_int_equal(opsfx_run(fx->h, &g.n, 5, 5000), 5);
	assert_int_equal(g.rc, 0);
	assert_int_equal(g.puts, 1); /* only the good answer */
	alertmanager_free(&a);
}

#define T(fn) cmocka_unit_test_setup_teardown(fn, testsrv_fx_setup, testsrv_fx_teardown)

int main(void)
{
	const struct CMUnitTest tests[] = {
	    cmocka_unit_test(test_rfc3339),
	    cmocka_unit_test(test_parse_real_alerts),
	    cmocka_unit_test(test_parse_alerts_wrong_shapes),
	    cmocka_unit_test(test_parse_alerts_huge),
	    cmocka_unit_test(test_parse_silences),
	    cmocka_unit_test(test_parse_groups),
	    cmocka_unit_test(test_error_lines),
	    cmocka_unit_test(test_alerts_key),
	    cmocka_unit_test(test_silence_body),
	    T(test_client_auth_and_cache),
	    T(test_client_basic_auth),
	    T(test_client_misbehaving_server),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
