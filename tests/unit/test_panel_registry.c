/* The Registry panel's logic (panels/registry_data.h): alias summaries, champion detection, the
 * aliases of a version, versions of a model and their counts, the key metric of a model's source
 * runs (configured, else auc / accuracy / f1 / rmse), the run filter, the lineage of a run, the
 * cell text helpers; and mlflow_versions_search (clients/mlflow_registry_ops.h) against the test
 * server: what it sends, paging, filing in the cache and restoring. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include <cmocka.h>
#include <math.h>

#include "clients/http.h"
#include "clients/mlflow.h"
#include "clients/mlflow_parse_registry.h"
#include "clients/mlflow_registry_ops.h"
#include "clients/mlflow_parse_runs.h"
#include "panels/registry_data.h"
#include "panels/registry_versions.h"
#include "tests/unit/testsrv.h"

#define MODEL_JSON(aliases, latest)                                                                \
	"{\"registered_model\": {\"name\": \"churn\", \"description\": \"weekly\","                \
	"\"latest_versions\": [" latest "], \"aliases\": [" aliases "]}}"

static struct mlflow_models *model(const char *json)
{
	struct mlflow_models *l = mlflow_models_new();
	assert_non_null(l);
	struct err e = {0};
	assert_int_equal(mlflow_parse_model(json, strlen(json), l, &e), 0);
	assert_int_equal(l->n, 1);
	return l;
}

static const char versions_json[] =
    "{\"model_versions\": ["
    "{\"name\": \"churn\", \"version\": \"5\", \"run_id\": \"r5\", \"aliases\": [\"challenger\"]},"
    "{\"name\": \"churn\", \"version\": \"4\", \"run_id\": \"r4\"},"
    "{\"name\": \"churn\", \"version\": \"3\", \"run_id\": \"r3\", \"aliases\": [\"old\"]},"
    "{\"name\": \"fraud\", \"version\": \"2\", \"run_id\": \"r3\"},"
    "{\"name\": \"fraud\", \"version\": \"1\", \"run_id\": \"it's\"},"
    "{\"name\": \"gone\", \"version\": \"1\"}"
    "]}";

static struct mlflow_versions *versions(void)
{
	struct mlflow_versions *l = mlflow_versions_new();
	struct err e = {0};
	char *next = NULL;
	assert_int_equal(mlflow_parse_versions(versions_json, strlen(versions_json), l, &next, &e),
	                 0);
	assert_null(next);
	return l;
}

static void test_alias_summary(void **state)
{
	(void)state;
	struct mlflow_models *l =
	    model(MODEL_JSON("{\"alias\": \"champion\", \"version\": \"3\"}, "
	                     "{\"alias\": \"challenger\", \"version\": \"5\"}",
	                     ""));
	char buf[64];
	assert_string_equal(registry_alias_summary(&l->items[0], "→", buf, sizeof buf),
	                    "champion→3 challenger→5");
	assert_string_equal(registry_alias_summary(&l->items[0], "->", buf, sizeof buf),
	                    "champion->3 challenger->5");
	/* A small buffer keeps what fits, NUL-terminated. */
	char small[12];
	assert_string_equal(registry_alias_summary(&l->items[0], "->", small, sizeof small),
	                    "champion->3");
	mlflow_models_free(&l);
	l = model(MODEL_JSON("", ""));
	assert_string_equal(registry_alias_summary(&l->items[0], "→", buf, sizeof buf), "");
	mlflow_models_free(&l);
}

static void test_champion(void **state)
{
	(void)state;
	/* The alias wins over the stage. */
	struct mlflow_models *l =
	    model(MODEL_JSON("{\"alias\": \"champion\", \"version\": \"3\"}",
	                     "{\"version\": \"4\", \"current_stage\": \"Production\"}"));
	assert_string_equal(registry_champion(&l->items[0]), "3");
	mlflow_models_free(&l);
	/* No alias: the newest version in Production, compared as numbers ("10" > "9"). */
	l = model(MODEL_JSON("{\"alias\": \"challenger\", \"version\": \"5\"}",
	                     "{\"version\": \"9\", \"current_stage\": \"Production\"},"
	                     "{\"version\": \"10\", \"current_stage\": \"Production\"},"
	                     "{\"version\": \"11\", \"current_stage\": \"Staging\"}"));
	assert_string_equal(registry_champion(&l->items[0]), "10");
	mlflow_models_free(&l);
	/* Neither: none. */
	l = model(MODEL_JSON("", "{\"version\": \"2\", \"current_stage\": \"None\"}"));
	assert_null(registry_champion(&l->items[0]));
	mlflow_models_free(&l);
	assert_null(registry_champion(NULL));
}

static void test_version_aliases(void **state)
{
	(void)state;
	struct mlflow_models *l = model(MODEL_JSON(
	    "{\"alias\": \"champion\", \"version\": \"3\"}, {\"alias\": \"stable\", \"version\": "
	    "\"3\"}, {\"alias\": \"challenger\", \"version\": \"5\"}",
	    ""));
	struct mlflow_versions *v = versions();
	char buf[64];
	/* The model's aliases are authoritative: version 3's own "old" is not shown. */
	assert_string_equal(registry_version_aliases(&l->items[0], &v->items[2], buf, sizeof buf),
	                    "champion, stable");
	assert_string_equal(registry_version_aliases(&l->items[0], &v->items[1], buf, sizeof buf),
	                    "");
	assert_true(registry_version_has_alias(&l->items[0], &v->items[0], "challenger"));
	assert_false(registry_version_has_alias(&l->items[0], &v->items[2], "old"));
	/* Without the model, the version's own list. */
	assert_string_equal(registry_version_aliases(NULL, &v->items[2], buf, sizeof buf), "old");
	assert_true(registry_version_has_alias(NULL, &v->items[0], "challenger"));
	mlflow_versions_free(&v);
	mlflow_models_free(&l);
}

static void test_versions_of_and_counts(void **state)
{
	(void)state;
	struct mlflow_versions *v = versions();
	const struct mlflow_model_version **of = NULL;
	assert_int_equal(registry_versions_of(v, "churn", &of), 3);
	assert_string_equal(of[0]->version, "5");
	assert_string_equal(of[2]->version, "3");
	free(of);
	assert_int_equal(registry_versions_of(v, "nothing", &of), 0);
	assert_null(of);
	assert_int_equal(registry_versions_of(NULL, "churn", &of), 0);

	const char search[] = "{\"registered_models\": [{\"name\": \"zeta\"}, {\"name\": "
	                      "\"fraud\"}, {\"name\": \"churn\"}]}";
	struct mlflow_models *m = mlflow_models_new();
	struct err e = {0};
	char *next = NULL;
	assert_int_equal(mlflow_parse_models(search, strlen(search), m, &next, &e), 0);
	size_t counts[3] = {9, 9, 9};
	assert_int_equal(registry_version_counts(m, v, counts), 0);
	assert_int_equal(counts[0], 0); /* zeta */
	assert_int_equal(counts[1], 2); /* fraud */
	assert_int_equal(counts[2], 3); /* churn; "gone" has no model: counted nowhere */
	mlflow_models_free(&m);
	mlflow_versions_free(&v);
}

/* A run store from runs/search JSON: run id -> metric keys with value 0.5. */
static struct runstore *runs_with(const char *json)
{
	struct runstore *s = runstore_new();
	size_t n = 0;
	char *next = NULL;
	struct err e = {0};
	assert_int_equal(mlflow_parse_runs(json, strlen(json), s, &n, &next, &e), 0);
	free(next);
	return s;
}

#define RUN(id, metrics)                                                                           \
	"{\"info\": {\"run_id\": \"" id "\", \"run_name\": \"n-" id                                \
	"\"}, \"data\": {\"metrics\": [" metrics "]}}"
#define MET(k) "{\"key\": \"" k "\", \"value\": 0.5}"

static void test_key_metric(void **state)
{
	(void)state;
	struct mlflow_versions *v = versions();
	const struct mlflow_model_version **of = NULL;
	long n = registry_versions_of(v, "churn", &of);
	/* f1 on one run and accuracy on another: accuracy comes first in the usual order. */
	struct runstore *rs = runs_with("{\"runs\": [" RUN("r5", MET("f1") "," MET("loss")) "," RUN(
	    "r3", MET("accuracy")) "," RUN("other", MET("auc")) "]}");
	assert_string_equal(registry_key_metric(NULL, "churn", rs, of, (size_t)n), "accuracy");
	runstore_free(&rs);
	/* auc on a run of another model does not count. */
	rs = runs_with("{\"runs\": [" RUN("r4", MET("rmse")) "," RUN("zzz", MET("auc")) "]}");
	assert_string_equal(registry_key_metric(NULL, "churn", rs, of, (size_t)n), "rmse");
	runstore_free(&rs);
	rs = runs_with("{\"runs\": [" RUN("r4", MET("loss")) "]}");
	assert_null(registry_key_metric(NULL, "churn", rs, of, (size_t)n));
	assert_null(registry_key_metric(NULL, "churn", NULL, of, (size_t)n));

	/* The config's metric wins, found by the registered name or by the section name. */
	char dir[] = "/tmp/mltop-registry-XXXXXX", path[256], sa[256];
	assert_non_null(mkdtemp(dir));
	snprintf(path, sizeof path, "%s/config.ini", dir);
	snprintf(sa, sizeof sa, "%s/sa", dir);
	FILE *f = fopen(path, "w");
	assert_non_null(f);
	fputs("[model.churn-short]\nregistered = churn\nmetric = logloss\n\n"
	      "[model.fraud]\nmetric = recall\n",
	      f);
	fclose(f);
	char *argv[] = {"mltop", "-c", path, NULL};
	struct config_args a;
	struct err e = {0};
	assert_int_equal(config_args_parse(&a, 3, argv, &e), 0);
	struct config *cfg = config_load(&a, sa, &e);
	config_args_fini(&a);
	assert_non_null(cfg);
	assert_string_equal(registry_key_metric(cfg, "churn", rs, of, (size_t)n), "logloss");
	assert_string_equal(registry_key_metric(cfg, "fraud", rs, NULL, 0), "recall");
	assert_null(registry_key_metric(cfg, "search", rs, of, (size_t)n));
	config_free(&cfg);
	unlink(path);
	rmdir(dir);
	runstore_free(&rs);
	free(of);
	mlflow_versions_free(&v);
}

static void test_runs_filter(void **state)
{
	(void)state;
	struct mlflow_versions *v = versions();
	const struct mlflow_model_version *all[6];
	for (size_t i = 0; i < 6; i++)
		all[i] = &v->items[i];
	char *f = registry_runs_filter(all, 6);
	/* r3 once; the id with a quote and the version without a run are left out. */
	assert_string_equal(f, "attributes.run_id IN ('r5', 'r4', 'r3')");
	free(f);
	assert_null(registry_runs_filter(all + 4, 2));
	assert_null(registry_runs_filter(all, 0));
	mlflow_versions_free(&v);
}

static void test_lineage(void **state)
{
	(void)state;
	struct mlflow_versions *v = versions();
	const struct mlflow_model_version *out[4];
	assert_int_equal(registry_lineage(v, "r3", out, 4), 2);
	assert_string_equal(out[0]->name, "churn");
	assert_string_equal(out[0]->version, "3");
	assert_string_equal(out[1]->name, "fraud");
	assert_string_equal(out[1]->version, "2");
	/* The count even when out is too small. */
	assert_int_equal(registry_lineage(v, "r3", out, 1), 2);
	assert_int_equal(registry_lineage(v, "none", out, 4), 0);
	assert_int_equal(registry_lineage(NULL, "r3", out, 4), 0);
	mlflow_versions_free(&v);
}

static void test_cells(void **state)
{
	(void)state;
	char buf[64];
	assert_string_equal(registry_metric_format(0.93412, buf, sizeof buf), "0.934");
	assert_string_equal(registry_metric_format(12.345, buf, sizeof buf), "12.35");
	assert_string_equal(registry_metric_format(1234567, buf, sizeof buf), "1.23e+06");
	assert_string_equal(registry_metric_format(NAN, buf, sizeof buf), "NaN");
	assert_string_equal(registry_metric_format(-INFINITY, buf, sizeof buf), "-Inf");
	/* One line, and nothing that could drive the terminal. */
	assert_string_equal(registry_clean("two\nlines\tand\x1b[31mred", buf, sizeof buf),
	                    "two lines and\\e[31mred");
	assert_null(registry_clean("", buf, sizeof buf));
	assert_null(registry_clean(NULL, buf, sizeof buf));
	assert_string_equal(registry_age(1000, 1000 + 3 * 86400000LL, buf, sizeof buf), "3d ago");
	assert_null(registry_age(0, 1000, buf, sizeof buf));
}

/* Without a key metric the versions' header says how to set one; with one it says nothing. */
static void test_header_without_metric(void **state)
{
	(void)state;
	struct registry_versions v;
	struct err e;
	char buf[512];
	assert_int_equal(registry_versions_init(&v, 0, &e), 0);
	assert_int_equal(registry_versions_open(&v, "churn"), 0);
	v.n = 2;
	registry_versions_header(&v, buf, sizeof buf);
	assert_string_equal(
	    buf, "churn · 2 versions · no key metric: set metric = NAME in [model.churn]");
	snprintf(v.metric, sizeof v.metric, "auc");
	registry_versions_header(&v, buf, sizeof buf);
	assert_string_equal(buf, "churn · 2 versions");
	v.n = 0;
	registry_versions_fini(&v);
}

/* ---- mlflow_versions_search against the test server ---- */

struct cache_kv {
	char *key[16];
	char *val[16];
	int n;
};

static void kv_put(void *ud, const char *key, const char *body, size_t len, int64_t ms)
{
	struct cache_kv *c = ud;
	(void)ms;
	assert_true(c->n < 16);
	c->key[c->n] = strdup(key);
	c->val[c->n] = strndup(body, len);
	c->n++;
}

static int kv_get(void *ud, const char *key, char **body, size_t *len, int64_t *ms)
{
	struct cache_kv *c = ud;
	for (int i = c->n - 1; i >= 0; i--) {
		if (strcmp(c->key[i], key) == 0) {
			*body = strdup(c->val[i]);
			*len = strlen(c->val[i]);
			if (ms)
				*ms = 42;
			return 0;
		}
	}
	return 1;
}

struct got {
	int progress, finals;
	int rc;
	char err[256];
	struct mlflow_versions *v;
};

static void on_event(void *ud, struct mlflow_event *ev)
{
	struct got *g = ud;
	if (!ev->done) {
		g->progress++; /* page 1 is in; page 2 is sent at the next http_perform */
		return;
	}
	g->finals++;
	g->rc = ev->rc;
	if (ev->rc < 0)
		snprintf(g->err, sizeof g->err, "%s", ev->err->msg);
	g->v = ev->versions;
	ev->versions = NULL;
}

static int64_t mono(void)
{
	struct timespec ts;
	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (int64_t)ts.tv_sec * 1000 + ts.tv_nsec / 1000000;
}

static void run_until(struct http *h, const struct got *g)
{
	int64_t deadline = mono() + 10000;
	while (!g->finals && mono() < deadline) {
		int ready;
		http_wait(h, -1, 50, &ready);
		http_perform(h);
	}
	assert_int_equal(g->finals, 1);
}

static void test_versions_search(void **state)
{
	(void)state;
	struct testsrv *srv = testsrv_start();
	assert_non_null(srv);
	struct http *h = http_new(NULL);
	struct cache_kv c = {0};
	struct mlflow_config cfg = {.base_url = testsrv_url(srv), .put = kv_put, .put_ud = &c};
	struct mlflow *m = mlflow_new(h, &cfg, NULL);
	assert_non_null(m);
	/* Two pages: the second asked with the first one's token. */
	testsrv_add(srv, "GET", "/api/2.0/mlflow/model-versions/search", 200, "application/json",
	            "{\"model_versions\": [{\"name\": \"a\", \"version\": \"1\"}], "
	            "\"next_page_token\": \"p2\"}");
	struct got g = {0};
	assert_true(mlflow_versions_search(m, NULL, on_event, &g, NULL) > 0);
	int64_t deadline = mono() + 10000;
	while (!g.progress && mono() < deadline) {
		int ready;
		http_wait(h, -1, 20, &ready);
		http_perform(h);
	}
	testsrv_add(srv, "GET", "/api/2.0/mlflow/model-versions/search", 200, "application/json",
	            "{\"model_versions\": [{\"name\": \"b\", \"version\": \"7\"}]}");
	run_until(h, &g);
	assert_int_equal(g.rc, 0);
	assert_int_equal(g.v->n, 2);
	assert_string_equal(g.v->items[1].name, "b");
	struct testsrv_req r;
	assert_int_equal(testsrv_request(srv, 1, &r), 0);
	assert_string_equal(r.uri, "/api/2.0/mlflow/model-versions/search?max_results=1000&"
	                           "order_by=name%20ASC&order_by=version_number%20DESC");
	testsrv_req_fini(&r);
	assert_int_equal(testsrv_request(srv, 0, &r), 0);
	assert_non_null(strstr(r.uri, "&page_token=p2"));
	testsrv_req_fini(&r);
	mlflow_versions_free(&g.v);

	/* Filed as two pages and a manifest, and restored through the same parser. */
	assert_int_equal(c.n, 3);
	struct mlflow_versions *back = NULL;
	int64_t ms = 0;
	assert_int_equal(mlflow_restore_all_versions(kv_get, &c, &back, &ms, NULL), 0);
	assert_int_equal(ms, 42);
	assert_int_equal(back->n, 2);
	assert_string_equal(back->items[0].name, "a");
	mlflow_versions_free(&back);

	/* A filter is sent and not filed; an error is one line. */
	testsrv_add(srv, "GET", "/api/2.0/mlflow/model-versions/search", 400, "application/json",
	            "{\"error_code\": \"INVALID_PARAMETER_VALUE\", \"message\": \"bad filter\"}");
	memset(&g, 0, sizeof g);
	assert_true(mlflow_versions_search(m, "run_id IN ('r1')", on_event, &g, NULL) > 0);
	run_until(h, &g);
	assert_true(g.rc < 0);
	assert_non_null(strstr(g.err, "bad filter"));
	assert_int_equal(testsrv_request(srv, 0, &r), 0);
	assert_non_null(strstr(r.uri, "filter=run_id%20IN%20%28%27r1%27%29"));
	testsrv_req_fini(&r);
	assert_int_equal(c.n, 3);

	/* Nothing filed for another store: nothing restored. */
	struct cache_kv empty = {0};
	assert_int_equal(mlflow_restore_all_versions(kv_get, &empty, &back, NULL, NULL), 1);
	assert_null(back);

	mlflow_free(&m);
	http_free(&h);
	testsrv_stop(&srv);
	for (int i = 0; i < c.n; i++) {
		free(c.key[i]);
		free(c.val[i]);
	}
}

int main(void)
{
	const struct CMUnitTest tests[] = {
	    cmocka_unit_test(test_alias_summary),
	    cmocka_unit_test(test_champion),
	    cmocka_unit_test(test_version_aliases),
	    cmocka_unit_test(test_versions_of_and_counts),
	    cmocka_unit_test(test_key_metric),
	    cmocka_unit_test(test_runs_filter),
	    cmocka_unit_test(test_lineage),
	    cmocka_unit_test(test_cells),
	    cmocka_unit_test(test_header_without_metric),
	    cmocka_unit_test(test_versions_search),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
