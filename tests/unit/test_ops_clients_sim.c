/* test_ops_clients_sim: the Alertmanager, KServe and samples clients against ./mltop-sim: a
 * canary of the bad churn-classifier v5 fires alerts the client decodes, a silence made from an
 * alert's labels mutes it and is expired again, the error bodies come out as one line; the
 * InferenceServices follow the canary; the failed samples come once each across polls. */
#include "tests/unit/test_sim_ops.h"

#include "clients/clock.h"
#include "clients/alertmanager.h"
#include "clients/cache.h"
#include "clients/cache_server.h"
#include "clients/http.h"
#include "clients/kserve.h"
#include "clients/samples.h"
#include "tests/unit/opsfx.h"

struct fx {
	struct http *h;
	char url[64];
	int n, rc;
	char msg[ERR_MSG_MAX];
	char silence_id[64];
	struct am_alerts *alerts;
	struct am_silences *silences;
	struct am_groups *groups;
	struct kserve_isvcs *isvcs;
	struct kserve_status status;
	long added;
};

static struct fx fx;

static int fx_setup(void **state)
{
	(void)state;
	memset(&fx, 0, sizeof fx);
	fx.h = http_new(NULL);
	snprintf(fx.url, sizeof fx.url, "http://127.0.0.1:%d", main_sim.port);
	return fx.h ? 0 : -1;
}

static int fx_teardown(void **state)
{
	(void)state;
	am_alerts_free(&fx.alerts);
	am_silences_free(&fx.silences);
	am_groups_free(&fx.groups);
	kserve_isvcs_free(&fx.isvcs);
	http_free(&fx.h);
	return 0;
}

static void on_am(void *ud, struct alertmanager_event *ev)
{
	(void)ud;
	fx.n++;
	fx.rc = ev->rc;
	snprintf(fx.msg, sizeof fx.msg, "%s", ev->err ? ev->err->msg : "");
	snprintf(fx.silence_id, sizeof fx.silence_id, "%s", ev->silence_id);
	if (ev->alerts) {
		am_alerts_free(&fx.alerts);
		fx.alerts = ev->alerts;
		ev->alerts = NULL;
	}
	if (ev->silences) {
		am_silences_free(&fx.silences);
		fx.silences = ev->silences;
		ev->silences = NULL;
	}
	if (ev->groups) {
		am_groups_free(&fx.groups);
		fx.groups = ev->groups;
		ev->groups = NULL;
	}
}

/* Waits for the answer of the call just started (op > 0). */
static void wait_one(long op)
{
	int want = fx.n + 1;
	assert_true(op > 0);
	assert_int_equal(opsfx_run(fx.h, &fx.n, want, 10000), want);
}

static const struct am_alert *find_alert(const char *alertname, const char *feature)
{
	for (size_t i = 0; fx.alerts && i < fx.alerts->n; i++) {
		const struct am_alert *a = &fx.alerts->v[i];
		const char *f = kvlist_get(&a->labels, "feature");
		if (strcmp(kvlist_get(&a->labels, "alertname"), alertname) == 0 &&
		    (!feature || (f && strcmp(f, feature) == 0)))
			return a;
	}
	return NULL;
}

static void test_alertmanager(void **state)
{
	struct alertmanager_config cfg = {.base_url = fx.url};
	struct alertmanager *am = alertmanager_new(fx.h, &cfg, NULL);
	const char *filters[] = {"model=\"churn-classifier\"", "version=\"v5\""};
	struct am_alerts_query q = {.filters = filters, .nfilters = 2};
	(void)state;
	canary_churn_v5(25);
	advance_s(120);
	wait_one(alertmanager_alerts(am, &q, on_am, NULL, NULL));
	assert_int_equal(fx.rc, 0);
	assert_true(fx.alerts->n >= 3);
	const struct am_alert *drift = find_alert("ModelFeatureDrift", "tenure_days");
	assert_non_null(drift);
	assert_int_equal(drift->state, AM_STATE_ACTIVE);
	assert_true(drift->starts_ms > 0);
	assert_string_equal(kvlist_get(&drift->labels, "severity"), "critical");
	const struct am_alert *warn = find_alert("ModelFeatureDrift", "support_calls");
	assert_int_equal(warn->state, AM_STATE_SUPPRESSED);
	assert_true(warn->inhibited_by.n > 0);
	/* the same alerts as the route groups them: by alertname and model */
	wait_one(alertmanager_groups(am, &q, on_am, NULL, NULL));
	assert_int_equal(fx.rc, 0);
	size_t grouped = 0;
	for (size_t i = 0; i < fx.groups->n; i++) {
		assert_string_equal(kvlist_get(&fx.groups->v[i].labels, "model"),
		                    "churn-classifier");
		assert_non_null(kvlist_get(&fx.groups->v[i].labels, "alertname"));
		grouped += fx.groups->v[i].nalerts;
	}
	assert_int_equal(grouped, fx.alerts->n);
	/* x: a silence of the drift alert's labels */
	struct am_matcher m[16];
	size_t nm = alertmanager_matchers_from_labels(&drift->labels, m, 16);
	int64_t now = clock_wall_ms();
	struct am_silence_new s = {m, nm, now, now + 3600000, "tester@host", "retraining", NULL};
	wait_one(alertmanager_silence_create(am, &s, on_am, NULL, NULL));
	assert_int_equal(fx.rc, 0);
	assert_int_equal(strlen(fx.silence_id), 36);
	char id[64];
	snprintf(id, sizeof id, "%s", fx.silence_id);
	wait_one(alertmanager_alerts(am, &q, on_am, NULL, NULL));
	drift = find_alert("ModelFeatureDrift", "tenure_days");
	assert_int_equal(drift->state, AM_STATE_SUPPRESSED);
	assert_true(strlist_has(&drift->silenced_by, id));
	q.silenced = AM_FLAG_FALSE;
	wait_one(alertmanager_alerts(am, &q, on_am, NULL, NULL));
	assert_null(find_alert("ModelFeatureDrift", "tenure_days"));
	wait_one(alertmanager_silences(am, NULL, 0, on_am, NULL, NULL));
	assert_int_equal(fx.rc, 0);
	const struct am_silence *found = am_silences_find(fx.silences, id);
	assert_non_null(found);
	assert_int_equal(found->state, AM_SILENCE_ACTIVE);
	assert_string_equal(found->created_by, "tester@host");
	/* the simulator's drift alert: alertname, model, namespace, severity, version, feature and
	 * drift_metric */
	assert_int_equal(found->nmatchers, 7);
	/* X: expire it */
	wait_one(alertmanager_silence_expire(am, id, on_am, NULL, NULL));
	assert_int_equal(fx.rc, 0);
	wait_one(alertmanager_silences(am, NULL, 0, on_am, NULL, NULL));
	assert_int_equal(am_silences_find(fx.silences, id)->state, AM_SILENCE_EXPIRED);
	alertmanager_free(&am);
	/* roll back, for the tests after this one */
	cJSON_Delete(isvc_patch("churn-classifier", MERGE_PATCH,
	                        "{\"spec\":{\"predictor\":{\"canaryTrafficPercent\":0}}}", 200));
}

/* The three forms of error body come out as one line each. */
static void test_alertmanager_errors(void **state)
{
	struct alertmanager_config cfg = {.base_url = fx.url};
	struct alertmanager *am = alertmanager_new(fx.h, &cfg, NULL);
	(void)state;
	wait_one(alertmanager_silence_expire(am, "c7b8dc1c-141c-4295-b7a5-46e8e7492692", on_am,
	                                     NULL, NULL));
	assert_int_equal(fx.rc, ERR_HTTP);
	assert_string_equal(fx.msg, "Alertmanager 500 Internal Server Error: silence not found");
	wait_one(alertmanager_silence_expire(am, "abc", on_am, NULL, NULL));
	assert_string_equal(fx.msg, "Alertmanager 422 Unprocessable Entity: silenceID in path "
	                            "must be of type uuid: \"abc\"");
	const char *brace[] = {"{a=\"b\"}"};
	struct am_alerts_query bq = {.filters = brace, .nfilters = 1};
	wait_one(alertmanager_alerts(am, &bq, on_am, NULL, NULL));
	assert_string_equal(fx.msg, "Alertmanager 400 Bad Request: bad matcher format: {a=\"b\"}");
	alertmanager_free(&am);
}

static void on_ks(void *ud, struct kserve_event *ev)
{
	(void)ud;
	fx.n++;
	fx.rc = ev->rc;
	fx.status = ev->status;
	snprintf(fx.msg, sizeof fx.msg, "%s", ev->err ? ev->err->msg : "");
	kserve_isvcs_free(&fx.isvcs);
	fx.isvcs = ev->isvcs;
	ev->isvcs = NULL;
}

static void test_kserve(void **state)
{
	struct kserve_config cfg = {.base_url = fx.url, .ns = "models"};
	struct kserve *k = kserve_new(fx.h, &cfg, NULL);
	(void)state;
	wait_one(kserve_list(k, on_ks, NULL, NULL));
	assert_int_equal(fx.rc, 0);
	assert_true(fx.isvcs->n >= 3);
	assert_true(*fx.isvcs->resource_version);
	canary_churn_v5(10);
	wait_one(kserve_get(k, "churn-classifier", on_ks, NULL, NULL));
	assert_int_equal(fx.rc, 0);
	assert_int_equal(fx.isvcs->n, 1);
	const struct kserve_isvc *s = &fx.isvcs->v[0];
	char *src = version_source("churn-classifier", "5");
	assert_string_equal(s->storage_uri, src);
	free(src);
	assert_string_equal(s->name, "churn-classifier");
	assert_true(*s->resource_version);
	assert_int_equal(s->canary_percent, 10);
	assert_string_equal(s->framework, "model");
	assert_non_null(kserve_traffic_latest(s));
	assert_int_equal(kserve_traffic_latest(s)->percent, 10);
	assert_int_equal(kserve_traffic_prev(s)->percent, 90);
	assert_string_equal(kserve_traffic_prev(s)->revision_name, s->latest_rolledout);
	assert_string_equal(kserve_condition(s, "Ready")->status, "True");
	assert_true(kserve_condition(s, "Ready")->last_transition_ms > 0);
	/* not found: a Status */
	wait_one(kserve_get(k, "no-such-model", on_ks, NULL, NULL));
	assert_int_equal(fx.rc, ERR_HTTP);
	assert_string_equal(fx.status.reason, "NotFound");
	assert_int_equal(fx.status.code, 404);
	assert_string_equal(fx.msg, "KServe 404 NotFound: inferenceservices.serving.kserve.io "
	                            "\"no-such-model\" not found");
	kserve_free(&k);
	cJSON_Delete(isvc_patch("churn-classifier", MERGE_PATCH,
	                        "{\"spec\":{\"predictor\":{\"canaryTrafficPercent\":0}}}", 200));
}

static void on_samples(void *ud, struct samples_event *ev)
{
	(void)ud;
	fx.n++;
	fx.rc = ev->rc;
	fx.added = ev->added;
	snprintf(fx.msg, sizeof fx.msg, "%s", ev->err ? ev->err->msg : "");
}

static void test_samples(void **state)
{
	char url[128];
	(void)state;
	snprintf(url, sizeof url, "%s/samples?model=fraud-detector&limit=1000", fx.url);
	struct samples_config cfg = {.target = url};
	struct samples_src *src = samples_src_new(fx.h, &cfg, NULL);
	wait_one(samples_src_poll(src, on_samples, NULL, NULL));
	assert_int_equal(fx.rc, 0);
	struct samples *s = samples_src_samples(src);
	long first = fx.added;
	assert_true(first > 0);
	assert_int_equal(samples_bad(s), 0);
	const struct sample *x = samples_newest(s);
	assert_string_equal(x->model, "fraud-detector");
	assert_true(x->time_ms > 0);
	assert_true(x->features.n > 0);
	/* nothing new yet: nothing twice */
	wait_one(samples_src_poll(src, on_samples, NULL, NULL));
	assert_int_equal(fx.added, 0);
	advance_s(60);
	wait_one(samples_src_poll(src, on_samples, NULL, NULL));
	assert_true(fx.added > 0);
	for (size_t i = 1; i < samples_count(s); i++) {
		const struct sample *a = samples_at(s, i - 1), *b = samples_at(s, i);
		assert_true(a->time_ms <= b->time_ms);
		assert_false(a->raw_len == b->raw_len && memcmp(a->raw, b->raw, a->raw_len) == 0);
	}
	samples_src_free(&src);
	/* the simulator's refusal comes as one line */
	snprintf(url, sizeof url, "%s/samples?limit=0", fx.url);
	src = samples_src_new(fx.h, &cfg, NULL);
	wait_one(samples_src_poll(src, on_samples, NULL, NULL));
	assert_string_equal(fx.msg, "samples 400 Bad Request: invalid limit: want 1..1000");
	samples_src_free(&src);
}

/* What a panel does: each client files its good bodies through put into the cache, under the
 * scope of the server they came from; at the next start the panel reads them back through the
 * same decoders. */
struct filed {
	struct cache *c;
	struct cache_scope sc;
	char server[CACHE_SERVER_MAX];
};

static void put_cache(void *ud, const char *key, const char *body, size_t len, int64_t fetched)
{
	struct filed *f = ud;
	assert_int_equal(cache_put(f->c, &f->sc, key, body, len, fetched, NULL), 0);
}

static char *from_cache(struct filed *f, const char *source, const char *key, size_t *len)
{
	char *body = NULL;
	f->sc.source = source;
	assert_int_equal(cache_get(f->c, &f->sc, key, &body, len, NULL, NULL), 0);
	return body;
}

static void test_filed_for_the_next_start(void **state)
{
	struct filed f = {.c = cache_open(":memory:", NULL)};
	size_t len;
	struct err e;
	(void)state;
	assert_int_equal(cache_server_id(fx.url, f.server, sizeof f.server, NULL), 0);
	f.sc = (struct cache_scope){.ctx = "test", .server = f.server, .source = "alertmanager"};
	struct alertmanager_config ac = {.base_url = fx.url, .put = put_cache, .put_ud = &f};
	struct alertmanager *am = alertmanager_new(fx.h, &ac, NULL);
	wait_one(alertmanager_silences(am, NULL, 0, on_am, NULL, NULL));
	size_t live = fx.silences->n;
	alertmanager_free(&am);
	char *body = from_cache(&f, "alertmanager", ALERTMANAGER_SILENCES_KEY, &len);
	struct am_silences *back = am_silences_new();
	assert_int_equal(alertmanager_parse_silences(body, len, back, &e), 0);
	assert_int_equal(back->n, live);
	am_silences_free(&back);
	free(body);

	f.sc.source = "kserve";
	struct kserve_config kc = {
	    .base_url = fx.url, .ns = "models", .put = put_cache, .put_ud = &f};
	struct kserve *k = kserve_new(fx.h, &kc, NULL);
	wait_one(kserve_list(k, on_ks, NULL, NULL));
	kserve_free(&k);
	char *key = kserve_list_key("models");
	body = from_cache(&f, "kserve", key, &len);
	struct kserve_isvcs *isvcs = kserve_isvcs_new();
	assert_int_equal(kserve_parse(body, len, isvcs, &e), 0);
	assert_int_equal(isvcs->n, fx.isvcs->n);
	kserve_isvcs_free(&isvcs);
	free(body);
	free(key);

	char url[128];
	snprintf(url, sizeof url, "%s/samples?limit=50", fx.url);
	f.sc.source = "samples";
	struct samples_config sc = {.target = url, .put = put_cache, .put_ud = &f};
	struct samples_src *src = samples_src_new(fx.h, &sc, NULL);
	wait_one(samples_src_poll(src, on_samples, NULL, NULL));
	size_t n = samples_count(samples_src_samples(src));
	assert_true(n > 0);
	samples_src_free(&src);
	body = from_cache(&f, "samples", SAMPLES_CACHE_KEY, &len);
	src = samples_src_new(fx.h, &sc, NULL);
	assert_int_equal(samples_src_restore(src, body, len), (long)n);
	samples_src_free(&src);
	free(body);
	cache_close(&f.c);
}

#define T(fn) cmocka_unit_test_setup_teardown(fn, fx_setup, fx_teardown)

int main(void)
{
	const struct CMUnitTest tests[] = {
	    T(test_alertmanager), T(test_alertmanager_errors),      T(test_kserve),
	    T(test_samples),      T(test_filed_for_the_next_start),
	};
	return sim_run_group("ops_clients_sim", tests, sizeof(tests) / sizeof(tests[0]));
}
