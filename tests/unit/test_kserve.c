/* test_kserve: the InferenceService decoders on fixed bodies (a tagged canary as the KServe docs
 * show it, a list with the older framework-key form, a canary that is not ready, a raw
 * deployment, wrong types, {}, truncated, huge), Kubernetes Status errors, and the client
 * against the local test server: the bearer token file is read again when it changes. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <cmocka.h>

#include "clients/cli.h"
#include "clients/config.h"
#include "clients/http.h"
#include "clients/kserve.h"
#include "clients/kserve_parse.h"
#include "clients/kserve_token.h"
#include "tests/unit/opsfx.h"
#include "tests/unit/testsrv.h"

#define FIX "tests/fixtures/kserve/"

static char *slurp(const char *path, size_t *len)
{
	char *b = NULL;
	assert_int_equal(cli_read_file(path, 1 << 20, &b, len, NULL, NULL), 0);
	return b;
}

static void test_parse_canary(void **state)
{
	size_t len;
	char *body = slurp(FIX "canary_tagged.json", &len);
	struct kserve_isvcs *l = kserve_isvcs_new();
	struct err e;
	(void)state;
	assert_int_equal(kserve_parse(body, len, l, &e), 0);
	assert_int_equal(l->n, 1);
	const struct kserve_isvc *s = &l->v[0];
	assert_string_equal(s->name, "sklearn-iris");
	assert_string_equal(s->ns, "models");
	assert_string_equal(s->uid, ""); /* absent */
	assert_string_equal(s->resource_version, "48213");
	assert_int_equal(s->generation, 3);
	assert_int_equal(s->observed_generation, 2);
	assert_string_equal(kvlist_get(&s->annotations, "serving.kserve.io/enable-tag-routing"),
	                    "true");
	assert_string_equal(s->framework, "model");
	assert_string_equal(s->model_format, "sklearn");
	assert_string_equal(s->model_format_version, "1");
	assert_string_equal(s->storage_uri, "gs://kfserving-examples/models/sklearn/1.0/model-2");
	assert_string_equal(s->runtime, "kserve-sklearnserver");
	assert_int_equal(s->canary_percent, 10);
	assert_string_equal(s->deployment_mode, "");
	assert_string_equal(s->latest_ready, "sklearn-iris-predictor-default-00003");
	assert_string_equal(s->latest_rolledout, "sklearn-iris-predictor-default-00001");
	assert_string_equal(s->previous_rolledout, "");
	assert_int_equal(s->ntraffic, 2);
	/* picked by latestRevision and tag, not by position: the docs list prev first */
	const struct kserve_traffic *latest = kserve_traffic_latest(s),
	                            *prev = kserve_traffic_prev(s);
	assert_int_equal(latest->percent, 10);
	assert_string_equal(latest->revision_name, "sklearn-iris-predictor-default-00003");
	assert_string_equal(latest->tag, "latest");
	assert_int_equal(prev->percent, 90);
	assert_string_equal(prev->tag, "prev");
	assert_int_equal(s->nconditions, 3);
	assert_string_equal(kserve_condition(s, "Ready")->status, "True");
	assert_int_equal(kserve_condition(s, "Ready")->last_transition_ms, 1795924848000LL);
	assert_null(kserve_condition(s, "IngressMissing"));
	assert_string_equal(s->transition_status, "UpToDate");
	assert_string_equal(s->url, "http://sklearn-iris.models.example.com");
	kserve_isvcs_free(&l);
	free(body);
}

/* Who changed the object last: the newest managedFields entry that is not a status write. */
static void test_parse_changed_by(void **state)
{
	const char *body =
	    "{\"metadata\":{\"name\":\"churn\",\"resourceVersion\":\"9\",\"managedFields\":["
	    "{\"manager\":\"mltop\",\"operation\":\"Update\",\"time\":\"2026-12-02T05:00:00Z\"},"
	    "{\"manager\":\"kubectl-edit\",\"operation\":\"Update\",\"time\":"
	    "\"2026-12-02T05:10:00Z\"},"
	    "{\"manager\":\"manager\",\"operation\":\"Update\",\"subresource\":\"status\","
	    "\"time\":\"2026-12-02T05:20:00Z\"},7]}}";
	struct kserve_isvcs *l = kserve_isvcs_new();
	(void)state;
	assert_int_equal(kserve_parse(body, strlen(body), l, NULL), 0);
	assert_string_equal(l->v[0].changed_by, "kubectl-edit");
	assert_string_equal(l->v[0].changed_at, "2026-12-02T05:10:00Z");
	kserve_isvcs_free(&l);
	l = kserve_isvcs_new();
	assert_int_equal(kserve_parse("{\"metadata\":{}}", 15, l, NULL), 0);
	assert_string_equal(l->v[0].changed_by, "");
	kserve_isvcs_free(&l);
}

static void test_parse_list(void **state)
{
	size_t len;
	char *body = slurp(FIX "list_old_and_raw.json", &len);
	struct kserve_isvcs *l = kserve_isvcs_new();
	struct err e;
	(void)state;
	assert_int_equal(kserve_parse(body, len, l, &e), 0);
	assert_int_equal(l->n, 2);
	assert_int_equal(l->skipped, 1);
	assert_string_equal(l->resource_version, "99");
	const struct kserve_isvc *old = &l->v[0], *raw = &l->v[1];
	assert_string_equal(old->framework, "sklearn");
	assert_string_equal(old->model_format, "sklearn");
	assert_string_equal(old->storage_uri, "s3://models/old/1");
	assert_int_equal(old->canary_percent, -1);
	/* a canary that is not ready: both entries name the old revision */
	assert_string_equal(old->latest_created, "old-style-predictor-00002");
	assert_string_equal(old->latest_ready, "old-style-predictor-00001");
	assert_string_equal(kserve_traffic_latest(old)->revision_name, "old-style-predictor-00001");
	assert_string_equal(kserve_traffic_latest(old)->tag, "");
	assert_string_equal(kserve_condition(old, "Ready")->reason, "RevisionMissing");
	assert_string_equal(old->transition_status, "BlockedByFailedLoad");
	assert_string_equal(raw->deployment_mode, "RawDeployment");
	assert_string_equal(raw->model_format, "xgboost");
	assert_int_equal(raw->ntraffic, 0);
	assert_null(kserve_traffic_latest(raw));
	assert_null(kserve_traffic_prev(raw));
	assert_int_equal(raw->observed_generation, -1);
	kserve_isvcs_free(&l);
	free(body);
}

static void test_parse_wrong(void **state)
{
	struct err e;
	(void)state;
	const char *fail[] = {"[]",
	                      "",
	                      "{\"items\":[{\"metadata\":",
	                      "{\"items\":5}",
	                      "nope",
	                      "{\"kind\":\"Status\",\"code\":404}",
	                      NULL};
	for (int i = 0; fail[i]; i++) {
		struct kserve_isvcs *l = kserve_isvcs_new();
		assert_int_equal(kserve_parse(fail[i], strlen(fail[i]), l, &e), ERR_PARSE);
		assert_int_equal(l->n, 0);
		kserve_isvcs_free(&l);
	}
	/* {} is one empty InferenceService; wrong types are absent values */
	const char *odd = "{\"metadata\":{\"name\":5,\"generation\":\"x\",\"annotations\":[1]},"
	                  "\"spec\":{\"predictor\":{\"canaryTrafficPercent\":\"NaN\",\"model\":7}},"
	                  "\"status\":{\"components\":{\"predictor\":{\"traffic\":[{\"percent\":"
	                  "\"ten\",\"latestRevision\":\"yes\"},3]}},\"conditions\":{}}}";
	struct kserve_isvcs *l = kserve_isvcs_new();
	assert_int_equal(kserve_parse("{}", 2, l, &e), 0);
	assert_int_equal(kserve_parse(odd, strlen(odd), l, &e), 0);
	assert_int_equal(l->n, 2);
	const struct kserve_isvc *s = &l->v[1];
	assert_string_equal(s->name, "");
	assert_int_equal(s->generation, 0);
	assert_int_equal(s->canary_percent, -1);
	assert_string_equal(s->storage_uri, "");
	assert_int_equal(s->ntraffic, 1);
	assert_int_equal(s->traffic[0].percent, -1);
	assert_int_equal(s->traffic[0].latest_revision, -1);
	assert_int_equal(s->nconditions, 0);
	kserve_isvcs_free(&l);
}

static void test_parse_huge(void **state)
{
	size_t n = 5000, cap = n * 300 + 64, at;
	char *b = malloc(cap);
	struct err e;
	(void)state;
	at = (size_t)snprintf(b, cap, "{\"kind\":\"InferenceServiceList\",\"items\":[");
	for (size_t i = 0; i < n; i++)
		at +=
		    (size_t)snprintf(b + at, cap - at,
		                     "%s{\"metadata\":{\"name\":\"m%zu\"},\"spec\":{\"predictor\":{"
		                     "\"canaryTrafficPercent\":%zu}}}",
		                     i ? "," : "", i, i % 101);
	at += (size_t)snprintf(b + at, cap - at, "]}");
	struct kserve_isvcs *l = kserve_isvcs_new();
	assert_int_equal(kserve_parse(b, at, l, &e), 0);
	assert_int_equal(l->n, n);
	assert_int_equal(l->v[n - 1].canary_percent, (int64_t)((n - 1) % 101));
	kserve_isvcs_free(&l);
	free(b);
}

static void test_status(void **state)
{
	static const char conflict[] =
	    "{\"kind\":\"Status\",\"apiVersion\":\"v1\",\"metadata\":{},\"status\":\"Failure\","
	    "\"message\":\"Operation cannot be fulfilled on inferenceservices.serving.kserve.io "
	    "\\\"x\\\": the object has been modified; please apply your changes to the latest "
	    "version and try again\",\"reason\":\"Conflict\",\"details\":{\"name\":\"x\"},"
	    "\"code\":409}";
	struct kserve_status st;
	struct err e;
	(void)state;
	assert_int_equal(kserve_parse_status(conflict, strlen(conflict), &st), 0);
	assert_string_equal(st.reason, "Conflict");
	assert_string_equal(st.status, "Failure");
	assert_int_equal(st.code, 409);
	assert_non_null(strstr(st.message, "the object has been modified"));
	assert_int_equal(kserve_parse_status("{}", 2, &st), 1);
	const char *big = "{\"kind\":\"Status\",\"code\":1e300}";
	assert_int_equal(kserve_parse_status(big, strlen(big), &st), 0);
	assert_int_equal(st.code, 0);
	struct http_resp r = opsfx_resp(409, "application/json", conflict);
	assert_int_equal(kserve_error(&e, &r), ERR_HTTP);
	assert_true(strncmp(e.msg,
	                    "KServe 409 Conflict: Operation cannot be fulfilled on "
	                    "inferenceservices.serving.kserve.io \"x\"",
	                    80) == 0);
	r = opsfx_resp(401, "text/plain", "Unauthorized\n");
	kserve_error(&e, &r);
	assert_string_equal(e.msg, "KServe 401 Unauthorized");
}

/* ---- the client and its token file ---- */

struct got {
	int n, rc, unchanged;
	size_t items;
	char msg[ERR_MSG_MAX];
	struct kserve_status st;
};

static void on_event(void *ud, struct kserve_event *ev)
{
	struct got *g = ud;
	g->n++;
	g->rc = ev->rc;
	g->items = ev->isvcs ? ev->isvcs->n : 0;
	g->unchanged = ev->unchanged;
	g->st = ev->status;
	snprintf(g->msg, sizeof g->msg, "%s", ev->err ? ev->err->msg : "");
}

static void last_auth(struct testsrv *srv, const char *want)
{
	struct testsrv_req req;
	assert_int_equal(testsrv_request(srv, 0, &req), 0);
	assert_string_equal(testsrv_req_header(&req, "Authorization"), want);
	testsrv_req_fini(&req);
}

static void test_token_reread(void **state)
{
	struct testsrv_fx *fx = *state;
	char dir[] = "/tmp/mltop-kstok.XXXXXX", path[64], moved[64];
	struct got g = {0};
	assert_non_null(mkdtemp(dir));
	snprintf(path, sizeof path, "%s/token", dir);
	snprintf(moved, sizeof moved, "%s/token.new", dir);
	opsfx_write(path, "first-token\n");
	testsrv_add(fx->srv, "GET",
	            "/apis/serving.kserve.io/v1beta1/namespaces/models/inferenceservices", 200,
	            "application/json", "{\"kind\":\"InferenceServiceList\",\"items\":[]}");
	struct kserve_config cfg = {
	    .base_url = testsrv_url(fx->srv), .ns = "models", .token_file = path};
	struct kserve *k = kserve_new(fx->h, &cfg, NULL);
	assert_non_null(k);
	assert_true(kserve_list(k, on_event, &g, NULL) > 0);
	assert_int_equal(opsfx_run(fx->h, &g.n, 1, 5000), 1);
	assert_int_equal(g.rc, 0);
	last_auth(fx->srv, "Bearer first-token");
	/* unchanged: not read again */
	assert_true(kserve_list(k, on_event, &g, NULL) > 0);
	assert_int_equal(opsfx_run(fx->h, &g.n, 2, 5000), 2);
	assert_int_equal(kserve_token_reads_of(k), 1);
	/* rewritten the kubelet's way: a new file renamed over the old one, same size */
	opsfx_write(moved, "second-tokn\n");
	assert_int_equal(rename(moved, path), 0);
	assert_true(kserve_list(k, on_event, &g, NULL) > 0);
	assert_int_equal(opsfx_run(fx->h, &g.n, 3, 5000), 3);
	last_auth(fx->srv, "Bearer second-tokn");
	/* rewritten in place */
	opsfx_write(path, "third-token-longer");
	assert_true(kserve_list(k, on_event, &g, NULL) > 0);
	assert_int_equal(opsfx_run(fx->h, &g.n, 4, 5000), 4);
	last_auth(fx->srv, "Bearer third-token-longer");
	/* gone for a moment: the last token goes on */
	assert_int_equal(unlink(path), 0);
	assert_true(kserve_list(k, on_event, &g, NULL) > 0);
	assert_int_equal(opsfx_run(fx->h, &g.n, 5, 5000), 5);
	last_auth(fx->srv, "Bearer third-token-longer");
	/* a 401 makes the next request read the file again */
	opsfx_write(path, "fourth\n");
	testsrv_add(fx->srv, "GET",
	            "/apis/serving.kserve.io/v1beta1/namespaces/models/inferenceservices/x", 401,
	            "application/json",
	            "{\"kind\":\"Status\",\"status\":\"Failure\",\"message\":\"Unauthorized\","
	            "\"reason\":\"Unauthorized\",\"code\":401}");
	assert_true(kserve_get(k, "x", on_event, &g, NULL) > 0);
	assert_int_equal(opsfx_run(fx->h, &g.n, 6, 5000), 6);
	assert_int_equal(g.rc, ERR_HTTP);
	assert_string_equal(g.msg, "KServe 401 Unauthorized: Unauthorized");
	assert_string_equal(g.st.reason, "Unauthorized");
	assert_int_equal(g.st.code, 401);
	last_auth(fx->srv, "Bearer fourth");
	kserve_free(&k);
	unlink(path);
	rmdir(dir);
}

/* What the client filed: bodies through put, times only through touch. */
struct filed {
	int puts, touches, absent; /* absent: touch answers that the old answer is gone */
	int64_t at;
};

static void filed_put(void *ud, const char *key, const char *body, size_t len, int64_t t)
{
	struct filed *f = ud;
	(void)key, (void)body, (void)len;
	f->puts++;
	f->at = t;
}

static int filed_touch(void *ud, const char *key, int64_t t)
{
	struct filed *f = ud;
	(void)key;
	f->touches++;
	f->at = t;
	return f->absent;
}

#define LIST_PATH "/apis/serving.kserve.io/v1beta1/namespaces/models/inferenceservices"

/* One list; then what its event said and what was filed so far. */
static void list_once(struct testsrv_fx *fx, struct kserve *k, struct got *g, const struct filed *f,
                      const int want[4])
{
	int n = g->n;
	assert_true(kserve_list(k, on_event, g, NULL) > 0);
	assert_int_equal(opsfx_run(fx->h, &g->n, n + 1, 5000), n + 1);
	assert_int_equal(g->unchanged, want[0]);
	assert_int_equal(g->items, want[1]);
	assert_int_equal(f->puts, want[2]);
	assert_int_equal(f->touches, want[3]);
}

/* A list byte for byte the last one parsed is neither parsed nor filed again (at 500
 * InferenceServices a megabyte each refresh): the event says unchanged, only its time is filed. A
 * changed list is parsed and filed; a failure in between forgets nothing. Each step: unchanged,
 * items, puts, touches so far. */
static void test_keep_last(void **state)
{
	struct testsrv_fx *fx = *state;
	struct got g = {0};
	struct filed f = {0};
	static const char two[] = "{\"items\":[{\"metadata\":{\"name\":\"a\"}},"
	                          "{\"metadata\":{\"name\":\"b\"}}]}";
	static const char one[] = "{\"items\":[{\"metadata\":{\"name\":\"a\"}}]}";
	struct kserve_config cfg = {
	    .base_url = testsrv_url(fx->srv), .ns = "models", .put = filed_put, .put_ud = &f};
	struct kserve *k = kserve_new(fx->h, &cfg, NULL);
	kserve_keep_last(k, filed_touch);
	testsrv_add(fx->srv, "GET", LIST_PATH, 200, "application/json", two);
	list_once(fx, k, &g, &f, (int[]){0, 2, 1, 0});
	assert_int_equal(g.rc, 0);
	/* the same bytes: no list (the one taken before holds), only the time filed */
	list_once(fx, k, &g, &f, (int[]){1, 0, 1, 1});
	assert_int_equal(g.rc, 0);
	f.absent = 1; /* the cache lost it: filed whole again */
	list_once(fx, k, &g, &f, (int[]){1, 0, 2, 2});
	f.absent = 0;
	testsrv_add(fx->srv, "GET", LIST_PATH, 500, "text/plain", "down");
	list_once(fx, k, &g, &f, (int[]){0, 0, 2, 2});
	assert_true(g.rc < 0);
	testsrv_add(fx->srv, "GET", LIST_PATH, 200, "application/json", two);
	list_once(fx, k, &g, &f, (int[]){1, 0, 2, 3}); /* the last one parsed, a failure between */
	testsrv_add(fx->srv, "GET", LIST_PATH, 200, "application/json", one);
	list_once(fx, k, &g, &f, (int[]){0, 1, 3, 3});
	kserve_free(&k);
	/* without kserve_keep_last every list is parsed and filed */
	k = kserve_new(fx->h, &cfg, NULL);
	list_once(fx, k, &g, &f, (int[]){0, 1, 4, 3});
	list_once(fx, k, &g, &f, (int[]){0, 1, 5, 3});
	kserve_free(&k);
}

static void test_token_file_missing(void **state)
{
	struct testsrv_fx *fx = *state;
	struct got g = {0};
	struct err e;
	struct kserve_config cfg = {
	    .base_url = testsrv_url(fx->srv), .ns = "models", .token_file = "/nonexistent/token"};
	struct kserve *k = kserve_new(fx->h, &cfg, NULL);
	assert_true(kserve_list(k, on_event, &g, &e) < 0);
	assert_string_equal(e.msg, "KServe token: /nonexistent/token: No such file or directory");
	assert_int_equal(testsrv_request_count(fx->srv), 0);
	assert_true(kserve_get(k, "Bad_Name", on_event, &g, &e) < 0);
	kserve_free(&k);
	cfg.ns = "Not A Namespace";
	assert_null(kserve_new(fx->h, &cfg, &e));
	assert_int_equal(e.code, ERR_CONFIG);
}

static void test_token_unit(void **state)
{
	char path[] = "/tmp/mltop-tok.XXXXXX";
	struct err e;
	(void)state;
	int fd = mkstemp(path);
	assert_true(fd >= 0);
	close(fd);
	struct kserve_token *t = kserve_token_new(path);
	assert_null(kserve_token_get(t, &e)); /* empty */
	assert_non_null(strstr(e.msg, "empty"));
	opsfx_write(path, "  abc \n");
	assert_string_equal(kserve_token_get(t, &e), "abc");
	assert_string_equal(kserve_token_get(t, &e), "abc");
	assert_int_equal(kserve_token_reads(t), 1);
	kserve_token_stale(t);
	assert_string_equal(kserve_token_get(t, &e), "abc");
	assert_int_equal(kserve_token_reads(t), 2);
	kserve_token_free(&t);
	assert_null(t);
	unlink(path);
	t = kserve_token_new("/dev/null");
	assert_null(kserve_token_get(t, &e)); /* not a regular file */
	kserve_token_free(&t);
}

/* In a pod: the service-account files config.c finds give the token (read again as the kubelet
 * rotates it) and the namespace. */
static void test_service_account(void **state)
{
	struct testsrv_fx *fx = *state;
	char dir[] = "/tmp/mltop-sa.XXXXXX", tok[64], ns[64], next[64], url[256];
	struct got g = {0};
	struct err e;
	assert_non_null(mkdtemp(dir));
	snprintf(tok, sizeof tok, "%s/token", dir);
	snprintf(ns, sizeof ns, "%s/namespace", dir);
	snprintf(next, sizeof next, "%s/token.next", dir);
	opsfx_write(tok, "sa-token-1\n");
	opsfx_write(ns, "ml-serving\n");
	snprintf(url, sizeof url, "%s", testsrv_url(fx->srv));
	char *argv[] = {"mltop", "--kserve", url, NULL};
	struct config_args a;
	assert_int_equal(config_args_parse(&a, 3, argv, &e), 0);
	struct config *cfg = config_load(&a, dir, &e);
	config_args_fini(&a);
	assert_non_null(cfg);
	struct context *ctx = config_context_resolve(cfg, NULL, &e);
	assert_non_null(ctx);
	struct kserve *k = kserve_for_context(fx->h, ctx, NULL, NULL, &e);
	assert_non_null(k);
	assert_string_equal(kserve_namespace(k), "ml-serving");
	testsrv_add(fx->srv, "GET",
	            "/apis/serving.kserve.io/v1beta1/namespaces/ml-serving/inferenceservices", 200,
	            "application/json", "{\"items\":[]}");
	assert_true(kserve_list(k, on_event, &g, NULL) > 0);
	assert_int_equal(opsfx_run(fx->h, &g.n, 1, 5000), 1);
	assert_int_equal(g.rc, 0);
	last_auth(fx->srv, "Bearer sa-token-1");
	opsfx_write(next, "sa-token-2\n");
	assert_int_equal(rename(next, tok), 0);
	assert_true(kserve_list(k, on_event, &g, NULL) > 0);
	assert_int_equal(opsfx_run(fx->h, &g.n, 2, 5000), 2);
	last_auth(fx->srv, "Bearer sa-token-2");
	kserve_free(&k);
	config_context_free(&ctx);
	assert_null(kserve_for_context(fx->h, NULL, NULL, NULL, &e));
	config_free(&cfg);
	unlink(tok);
	unlink(ns);
	rmdir(dir);
}

#define T(fn) cmocka_unit_test_setup_teardown(fn, testsrv_fx_setup, testsrv_fx_teardown)

int main(void)
{
	const struct CMUnitTest tests[] = {
	    cmocka_unit_test(test_parse_canary),
	    cmocka_unit_test(test_parse_changed_by),
	    cmocka_unit_test(test_parse_list),
	    cmocka_unit_test(test_parse_wrong),
	    cmocka_unit_test(test_parse_huge),
	    cmocka_unit_test(test_status),
	    cmocka_unit_test(test_token_unit),
	    T(test_token_reread),
	    T(test_service_account),
	    T(test_token_file_missing),
	    T(test_keep_last),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
