/* test_scrape_math: rate() and histogram_quantile() on worked examples of Prometheus' own
 * rules (range edges, extrapolation, counter resets, the +Inf bucket, monotonicity), then the
 * serving figures per (model, version) from successive scrapes of several sources.
 *
 * With arguments it is the helper of tests/integration/prom_math.sh:
 *   test_scrape_math --prom MATRIX.json END_S WINDOW_S
 * reads the raw samples a real Prometheus scraped (the answer of an instant query of a range
 * selector), turns each scrape time back into a text exposition, feeds them to the scrape
 * aggregator and prints "model version rps error_ratio p50 p95 p99" per row at END_S. */
#include <cjson/cJSON.h>
#include <math.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>

#include "clients/scrape_agg.h"
#include "clients/scrape_math.h"

static int near(double a, double b)
{
	return fabs(a - b) <= 1e-12 * (fabs(b) > 1 ? fabs(b) : 1);
}
#define NEAR(a, b) assert_true(near((a), (b)))

static double rate(const struct prom_pt *p, size_t n, int64_t end_s, int64_t range_s)
{
	double r = NAN;
	assert_int_equal(scrape_math_rate(p, n, end_s * 1000, range_s * 1000, &r), 0);
	return r;
}

static void test_rate(void **state)
{
	(void)state;
	/* a steady 1/s over the whole range: no extrapolation needed */
	struct prom_pt a[] = {{0, 0}, {15000, 15}, {30000, 30}, {45000, 45}, {60000, 60}};
	NEAR(rate(a, 5, 60, 60), 1.0);
	/* a reset (20 -> 5): the 5 counts from 0, and the edges are within 1.1 gaps */
	struct prom_pt b[] = {{10000, 10}, {20000, 20}, {30000, 5}, {40000, 15}};
	NEAR(rate(b, 4, 45, 40), 25.0 * 40 / 30 / 40);
	/* edges further than 1.1 gaps: half a gap on each side */
	struct prom_pt c[] = {{20000, 100}, {30000, 110}, {40000, 120}};
	NEAR(rate(c, 3, 60, 60), 20.0 * 30 / 20 / 60);
	/* never extrapolated below the counter's zero */
	struct prom_pt d[] = {{10000, 1}, {20000, 11}};
	NEAR(rate(d, 2, 20, 20), 10.0 * 11 / 10 / 20);
	/* the range is closed: a sample exactly at its start counts; outside ones do not */
	struct prom_pt e[] = {{0, 5}, {10000, 100}, {20000, 110}, {30000, 130}, {50000, 999}};
	NEAR(rate(e, 5, 30, 20), 30.0 / 20); /* without the sample at 10 s: 2.0 */
	double r;
	assert_int_equal(scrape_math_rate(e, 5, 60000, 5000, &r), -1);  /* one sample in range */
	assert_int_equal(scrape_math_rate(e, 0, 60000, 60000, &r), -1); /* none */
	/* a counter that does not move: 0 */
	struct prom_pt f[] = {{0, 7}, {10000, 7}};
	NEAR(rate(f, 2, 10, 10), 0.0);
}

static double quant(double q, const double *le, const double *count, size_t n)
{
	struct scrape_bucket b[16];
	for (size_t i = 0; i < n; i++)
		b[i] = (struct scrape_bucket){le[i], count[i]};
	return scrape_math_quantile(q, b, n);
}

static void test_quantile(void **state)
{
	(void)state;
	const double inf = HUGE_VAL;
	/* the fixture shapes of the reference: p95 0.25 and 0.5, p50 interpolated */
	const double le[] = {.005, .01, .025, .05, .1, .25, .5, 1, 2.5, inf};
	const double v1[] = {.1, .3, .6, .8, .9, .95, .99, 1, 1, 1};
	const double v2[] = {0, .1, .3, .5, .7, .85, .95, .99, 1, 1};
	NEAR(quant(.95, le, v1, 10), .25);
	NEAR(quant(.95, le, v2, 10), .5);
	NEAR(quant(.5, le, v1, 10), .01 + .015 * (.2 / .3));
	/* buckets in any order */
	const double le_r[] = {inf, 1, .5}, c_r[] = {10, 9, 5};
	NEAR(quant(.5, le_r, c_r, 3), .5);
	/* a rank in the +Inf bucket: the highest finite bound */
	const double le2[] = {1, inf}, c2[] = {5, 10};
	NEAR(quant(.9, le2, c2, 2), 1);
	/* the lowest bucket starts at 0 ... */
	const double le3[] = {2, inf}, c3[] = {10, 10};
	NEAR(quant(.5, le3, c3, 2), 1);
	/* ... unless its bound is <= 0 */
	const double le4[] = {-1, inf}, c4[] = {5, 10};
	NEAR(quant(.2, le4, c4, 2), -1);
	/* a count below the one before is raised to it */
	const double le5[] = {1, 2, inf}, c5[] = {10, 8, 10};
	NEAR(quant(.5, le5, c5, 3), .5);
	/* buckets of the same bound are summed */
	const double le6[] = {1, 1, inf}, c6[] = {3, 2, 10};
	NEAR(quant(.5, le6, c6, 3), 1);
	/* no +Inf bucket, one bucket, no observation, q NaN: NaN; q outside [0, 1]: +-Inf */
	const double le7[] = {1, 2}, c7[] = {1, 2};
	assert_true(isnan(quant(.5, le7, c7, 2)));
	assert_true(isnan(quant(.5, le2 + 1, c2 + 1, 1)));
	const double c8[] = {0, 0};
	assert_true(isnan(quant(.5, le2, c8, 2)));
	assert_true(isnan(quant(NAN, le2, c2, 2)));
	assert_true(isinf(quant(-1, le2, c2, 2)) && quant(-1, le2, c2, 2) < 0);
	assert_true(isinf(quant(2, le2, c2, 2)) && quant(2, le2, c2, 2) > 0);
}

/* One scrape body of the simulator's shape for one version at a request count n. */
static char *body_of(const char *model, const char *version, double ok, double bad, double lat)
{
	static char b[4096];
	snprintf(
	    b, sizeof b,
	    "# TYPE model_requests_total counter\n"
	    "model_requests_total{model=\"%s\",version=\"%s\",code=\"200\"} %g\n"
	    "model_requests_total{model=\"%s\",version=\"%s\",code=\"503\"} %g\n"
	    "# TYPE model_request_duration_seconds histogram\n"
	    "model_request_duration_seconds_bucket{model=\"%s\",version=\"%s\",le=\"0.1\"} %g\n"
	    "model_request_duration_seconds_bucket{model=\"%s\",version=\"%s\",le=\"0.5\"} %g\n"
	    "model_request_duration_seconds_bucket{model=\"%s\",version=\"%s\",le=\"+Inf\"} %g\n"
	    "model_feature_drift_score{model=\"%s\",version=\"%s\",feature=\"f\"} 0.3\n",
	    model, version, ok, model, version, bad, model, version, lat * 0.5, model, version,
	    lat * 0.9, model, version, lat, model, version);
	return b;
}

static void feed(struct scrape_agg *a, int src, const char *body, int64_t ts_s)
{
	struct expo_stats st;
	assert_int_equal(scrape_agg_feed(a, src, body, strlen(body), ts_s * 1000, &st), 0);
	assert_int_equal(st.rejected, 0);
}

static void test_agg(void **state)
{
	(void)state;
	struct scrape_metrics m = {0};
	struct scrape_agg *a = scrape_agg_new(&m, 60000, 0);
	assert_non_null(a);
	struct prom_table t = {0};
	/* source 0 serves churn v3; source 1 a replica of it and fraud v1 */
	for (int i = 0; i <= 4; i++) {
		feed(a, 0, body_of("churn", "v3", 90.0 * i * 15, 10.0 * i * 15, 100.0 * i * 15),
		     i * 15);
		feed(a, 1, body_of("churn", "v3", 100.0 * i * 15, 0, 100.0 * i * 15), i * 15);
		feed(a, 1, body_of("fraud", "v1", 2.0 * i * 15, 0, 2.0 * i * 15), i * 15);
	}
	assert_int_equal(scrape_agg_figures(a, 60000, &t), 0);
	assert_int_equal(t.n, 2);
	const struct prom_row *r = prom_table_find(&t, "churn", "v3");
	assert_non_null(r);
	NEAR(r->value[PROM_FIG_RPS], 200);
	NEAR(r->value[PROM_FIG_ERROR_RATIO], 10.0 / 200);
	NEAR(r->value[PROM_FIG_P50], 0.1);
	NEAR(r->value[PROM_FIG_P95], 0.5); /* rank past 0.9: the +Inf bucket, the highest bound */
	NEAR(r->value[PROM_FIG_DRIFT], 0.3);
	assert_int_equal(r->spark[PROM_FIG_RPS].n, 1);
	r = prom_table_find(&t, "fraud", "v1");
	NEAR(r->value[PROM_FIG_RPS], 2);
	NEAR(r->value[PROM_FIG_ERROR_RATIO], 0);

	/* a restart of source 0 (its counters start again from 0) is a reset, not a drop */
	feed(a, 0, body_of("churn", "v3", 90.0 * 15, 10.0 * 15, 100.0 * 15), 75);
	feed(a, 1, body_of("churn", "v3", 100.0 * 5 * 15, 0, 100.0 * 5 * 15), 75);
	feed(a, 1, body_of("fraud", "v1", 2.0 * 5 * 15, 0, 2.0 * 5 * 15), 75);
	assert_int_equal(scrape_agg_figures(a, 75000, &t), 0);
	r = prom_table_find(&t, "churn", "v3");
	NEAR(r->value[PROM_FIG_RPS], 200);
	assert_int_equal(r->spark[PROM_FIG_RPS].n, 2);

	/* fraud disappears: its rate goes once its samples leave the window, its row stays while
	 * its sparkline has points */
	for (int i = 6; i <= 12; i++)
		feed(a, 0,
		     body_of("churn", "v3", 90.0 * (i - 4) * 15, 10.0 * (i - 4) * 15, 1e3 * i),
		     i * 15);
	assert_int_equal(scrape_agg_figures(a, 180000, &t), 0);
	r = prom_table_find(&t, "fraud", "v1");
	assert_non_null(r);
	assert_true(isnan(r->value[PROM_FIG_RPS]));
	r = prom_table_find(&t, "churn", "v3");
	NEAR(r->value[PROM_FIG_RPS], 100);
	prom_table_fini(&t);
	scrape_agg_free(&a);
}

/* With only p99's sparkline kept whole, the others keep their newest point (the value). */
static void test_agg_keep(void **state)
{
	(void)state;
	struct scrape_metrics m = {0};
	struct scrape_agg *a = scrape_agg_new(&m, 60000, 0);
	struct prom_table t = {0};
	scrape_agg_keep(a, 1u << PROM_FIG_P99);
	for (int i = 0; i <= 3; i++) {
		feed(a, 0, body_of("churn", "v3", 90.0 * i * 15, 10.0 * i * 15, 100.0 * i * 15),
		     i * 15);
		assert_int_equal(scrape_agg_figures(a, i * 15000, &t), 0);
	}
	const struct prom_row *r = prom_table_find(scrape_agg_history(a), "churn", "v3");
	assert_int_equal(r->spark[PROM_FIG_P99].n, 3); /* rates from the second round on */
	assert_int_equal(r->spark[PROM_FIG_RPS].n, 1);
	assert_int_equal(r->spark[PROM_FIG_RPS].pts[0].ts_ms, 45000);
	NEAR(r->spark[PROM_FIG_RPS].pts[0].v, r->value[PROM_FIG_RPS]);
	prom_table_fini(&t);
	scrape_agg_free(&a);
}

/* The samples older than the window that a series still holds count for nothing: the rates of
 * an agg fed every round for 135 s (its counter reset at 60 s; at the end it still holds a sample
 * of 60 s) are those of one fed the window's samples only. */
static void test_agg_stale(void **state)
{
	(void)state;
	struct scrape_metrics m = {0};
	struct scrape_agg *all = scrape_agg_new(&m, 60000, 0), *last = scrape_agg_new(&m, 60000, 0);
	struct prom_table t = {0}, u = {0};
	for (int i = 0; i <= 9; i++) {
		double n = i < 4 ? 1000.0 + 50 * i : 20.0 * (i - 4);
		feed(all, 0, body_of("churn", "v3", n, 0, n), i * 15);
		assert_int_equal(scrape_agg_figures(all, i * 15000, &t), 0);
		if (i >= 5)
			feed(last, 0, body_of("churn", "v3", n, 0, n), i * 15);
	}
	assert_int_equal(scrape_agg_figures(last, 135000, &u), 0);
	NEAR(t.rows[0].value[PROM_FIG_RPS], u.rows[0].value[PROM_FIG_RPS]);
	NEAR(t.rows[0].value[PROM_FIG_P50], u.rows[0].value[PROM_FIG_P50]);
	NEAR(t.rows[0].value[PROM_FIG_RPS], 20.0 / 15);
	prom_table_fini(&t);
	prom_table_fini(&u);
	scrape_agg_free(&all);
	scrape_agg_free(&last);
}

/* A model that comes between two others moves the rows after it: each series still adds to its
 * own row. */
static void test_agg_row_comes(void **state)
{
	(void)state;
	struct scrape_metrics m = {0};
	struct scrape_agg *a = scrape_agg_new(&m, 60000, 0);
	struct prom_table t = {0};
	for (int i = 0; i <= 3; i++) {
		feed(a, 0, body_of("a", "v1", 1.0 * i * 15, 0, 1.0 * i * 15), i * 15);
		feed(a, 1, body_of("c", "v1", 3.0 * i * 15, 0, 3.0 * i * 15), i * 15);
		if (i >= 2)
			feed(a, 2, body_of("b", "v1", 2.0 * (i - 2) * 15, 0, 2.0 * (i - 2) * 15),
			     i * 15);
		assert_int_equal(scrape_agg_figures(a, i * 15000, &t), 0);
	}
	assert_int_equal(t.n, 3);
	/* 45 s of samples in a 60 s window: 1 and 3 per second count 0.75 and 2.25; b's 15 s, 0.5
	 */
	NEAR(prom_table_find(&t, "a", "v1")->value[PROM_FIG_RPS], 0.75);
	NEAR(prom_table_find(&t, "b", "v1")->value[PROM_FIG_RPS], 0.5);
	NEAR(prom_table_find(&t, "c", "v1")->value[PROM_FIG_RPS], 2.25);
	prom_table_fini(&t);
	scrape_agg_free(&a);
}

/* A KServe model server: no requests counter, labels named otherwise; the histogram's _count
 * gives the rate, the error ratio is unknown (NaN), and a version label may be missing. */
static void test_agg_kserve(void **state)
{
	(void)state;
	struct scrape_metrics m = {.model_label = "model_name",
	                           .version_label = "model_version",
	                           .latency = "request_predict_seconds"};
	struct scrape_agg *a = scrape_agg_new(&m, 30000, 0);
	assert_non_null(a);
	char b[512];
	for (int i = 0; i < 3; i++) {
		snprintf(b, sizeof b,
		         "request_predict_seconds_bucket{le=\"0.01\",model_name=\"iris\"} %d\n"
		         "request_predict_seconds_bucket{le=\"+Inf\",model_name=\"iris\"} %d\n"
		         "request_predict_seconds_count{model_name=\"iris\"} %d\n"
		         "request_predict_seconds_count{other=\"x\"} %d\n",
		         i * 20, i * 30, i * 30, i);
		feed(a, 0, b, i * 10);
	}
	struct prom_table t = {0};
	assert_int_equal(scrape_agg_figures(a, 20000, &t), 0);
	assert_int_equal(t.n, 1);
	assert_string_equal(t.rows[0].version, "");
	NEAR(t.rows[0].value[PROM_FIG_RPS], 60.0 * 20 / 20 / 30);
	assert_true(isnan(t.rows[0].value[PROM_FIG_ERROR_RATIO]));
	NEAR(t.rows[0].value[PROM_FIG_P50], 0.01 * 0.75);
	assert_int_equal(scrape_agg_series(a), 3);
	prom_table_fini(&t);
	scrape_agg_free(&a);
}

/* A refresh of 0.5 s for 20 min: a counter keeps its samples over one rate window, a gauge its
 * last, a sparkline its 30 min in stretches of PROM_SPARK_STEP_MS; the room they hold never passes
 * that, the rate is that of every sample and the p99 sparkline reaches back to the first figure. */
static void test_agg_room(void **state)
{
	(void)state;
	struct scrape_metrics m = {0};
	struct scrape_agg *a = scrape_agg_new(&m, 60000, 0);
	assert_non_null(a);
	struct prom_table t = {0};
	struct expo_stats st;
	const int64_t t0 = 1764500000000; /* on a stretch */
	for (int64_t i = 0; i <= 2400; i++) {
		const char *b = body_of("churn", "v3", 90.0 * i, 10.0 * i, 100.0 * i);
		assert_int_equal(scrape_agg_feed(a, 0, b, strlen(b), t0 + i * 500, &st), 0);
		assert_int_equal(scrape_agg_figures(a, t0 + i * 500, i == 2400 ? &t : NULL), 0);
		/* 5 counters (2 requests, 3 buckets) of 60 s / 0.5 s and a tenth, 1 gauge, 6
		 * sparklines of 30 min / 12.5 s */
		assert_true(scrape_agg_room(a) <=
		            5 * 136 + 1 + 6 * (1800000 / PROM_SPARK_STEP_MS + 2));
	}
	assert_int_equal(scrape_agg_series(a), 6);
	NEAR(t.rows[0].value[PROM_FIG_RPS], 200);
	NEAR(t.rows[0].value[PROM_FIG_ERROR_RATIO], 0.1);
	const struct prom_spark *p99 = &t.rows[0].spark[PROM_FIG_P99];
	assert_int_equal(p99->n, 2400 * 500 / PROM_SPARK_STEP_MS + 1);
	assert_true(p99->pts[0].ts_ms < t0 + PROM_SPARK_STEP_MS);
	assert_int_equal(p99->pts[p99->n - 1].ts_ms, t0 + 2400 * 500);
	prom_table_fini(&t);
	scrape_agg_free(&a);
}

/* Triton counts successes and failures apart: requests = both, errors = failures. BentoML
 * names its status label http_response_code and its model service_name. */
static void test_agg_stacks(void **state)
{
	(void)state;
	struct scrape_metrics tri = {.requests = "nv_inference_request_success",
	                             .errors = "nv_inference_request_failure"};
	struct scrape_metrics bento = {.model_label = "service_name",
	                               .version_label = "service_version",
	                               .requests = "bentoml_service_request_total",
	                               .code_label = "http_response_code"};
	struct scrape_agg *a = scrape_agg_new(&tri, 30000, 0),
	                  *b = scrape_agg_new(&bento, 30000, 0);
	char body[512];
	for (int i = 0; i < 3; i++) {
		snprintf(body, sizeof body,
		         "nv_inference_request_success{model=\"resnet\",version=\"2\"} %d\n"
		         "nv_inference_request_failure{model=\"resnet\",version=\"2\",reason=\"X\"}"
		         " %d\n",
		         i * 90, i * 10);
		feed(a, 0, body, i * 15);
		snprintf(body, sizeof body,
		         "bentoml_service_request_total{http_response_code=\"200\",service_name="
		         "\"iris\","
		         "service_version=\"not available\"} %d\n"
		         "bentoml_service_request_total{http_response_code=\"503\",service_name="
		         "\"iris\","
		         "service_version=\"not available\"} %d\n",
		         i * 75, i * 25);
		feed(b, 0, body, i * 15);
	}
	struct prom_table t = {0};
	assert_int_equal(scrape_agg_figures(a, 30000, &t), 0);
	NEAR(prom_table_find(&t, "resnet", "2")->value[PROM_FIG_RPS], 100.0 / 15);
	NEAR(prom_table_find(&t, "resnet", "2")->value[PROM_FIG_ERROR_RATIO], 0.1);
	assert_int_equal(scrape_agg_figures(b, 30000, &t), 0);
	NEAR(prom_table_find(&t, "iris", "not available")->value[PROM_FIG_ERROR_RATIO], 0.25);
	prom_table_fini(&t);
	scrape_agg_free(&a);
	scrape_agg_free(&b);
}

/* ---- the helper of tests/integration/prom_math.sh ---------------------------------------- */

struct obs {
	int64_t ts;
	size_t series;
	const char *value;
};

static int obs_cmp(const void *x, const void *y)
{
	const struct obs *a = x, *b = y;
	return a->ts < b->ts ? -1 : a->ts > b->ts;
}

static void put_escaped(FILE *f, const char *s)
{
	for (; *s; s++)
		fputs(*s == '\\'   ? "\\\\"
		      : *s == '"'  ? "\\\""
		      : *s == '\n' ? "\\n"
		                   : (char[2]){*s, 0},
		      f);
}

static void put_series(FILE *f, const cJSON *metric, const char *value)
{
	const cJSON *name = cJSON_GetObjectItemCaseSensitive(metric, "__name__"), *l;
	fputs(name->valuestring, f);
	fputc('{', f);
	cJSON_ArrayForEach(l, metric)
	{
		if (strcmp(l->string, "__name__") == 0)
			continue;
		fprintf(f, "%s=\"", l->string);
		put_escaped(f, l->valuestring);
		fputs("\",", f);
	}
	fprintf(f, "} %s\n", value);
}

/* Feeds the observations of one scrape time, as one exposition, to the aggregator. */
static void feed_group(struct scrape_agg *a, const cJSON *result, const struct obs *o, size_t n)
{
	char *text = NULL;
	size_t len = 0;
	FILE *f = open_memstream(&text, &len);
	for (size_t i = 0; i < n; i++)
		put_series(f,
		           cJSON_GetObjectItemCaseSensitive(
		               cJSON_GetArrayItem(result, (int)o[i].series), "metric"),
		           o[i].value);
	fclose(f);
	struct expo_stats st;
	if (scrape_agg_feed(a, 0, text, len, o[0].ts, &st) < 0 || st.rejected)
		fprintf(stderr, "prom helper: %zu lines rejected (%s)\n", st.rejected,
		        st.first_error);
	free(text);
}

static size_t collect(const cJSON *result, struct obs **out)
{
	size_t n = 0, cap = 1024;
	struct obs *o = malloc(cap * sizeof *o);
	const cJSON *s, *v;
	size_t k = 0;
	cJSON_ArrayForEach(s, result)
	{
		cJSON_ArrayForEach(v, cJSON_GetObjectItemCaseSensitive(s, "values"))
		{
			if (n == cap) {
				struct obs *grown = realloc(o, (cap *= 2) * sizeof *o);
				if (!grown)
					abort();
				o = grown;
			}
			o[n++] = (struct obs){
			    (int64_t)llround(cJSON_GetArrayItem(v, 0)->valuedouble * 1000), k,
			    cJSON_GetArrayItem(v, 1)->valuestring};
		}
		k++;
	}
	qsort(o, n, sizeof *o, obs_cmp);
	*out = o;
	return n;
}

static int helper(const char *path, double end_s, double window_s)
{
	FILE *f = fopen(path, "rb");
	char *buf = malloc(1 << 24);
	size_t len = f ? fread(buf, 1, (1 << 24) - 1, f) : 0;
	if (f)
		fclose(f);
	buf[len] = '\0';
	cJSON *root = cJSON_Parse(buf);
	const cJSON *result = cJSON_GetObjectItemCaseSensitive(
	    cJSON_GetObjectItemCaseSensitive(root, "data"), "result");
	if (!cJSON_IsArray(result))
		return fprintf(stderr, "prom helper: no data.result in %s\n", path), 2;
	struct obs *o;
	size_t n = collect(result, &o);
	struct scrape_metrics m = {0};
	struct scrape_agg *a = scrape_agg_new(&m, (int64_t)llround(window_s * 1000), 0);
	for (size_t i = 0, j; i < n; i = j) {
		for (j = i; j < n && o[j].ts == o[i].ts; j++)
			;
		feed_group(a, result, o + i, j - i);
	}
	struct prom_table t = {0};
	scrape_agg_figures(a, (int64_t)llround(end_s * 1000), &t);
	for (size_t i = 0; i < t.n; i++) {
		const double *v = t.rows[i].value;
		printf("%s %s %.17g %.17g %.17g %.17g %.17g\n", t.rows[i].model, t.rows[i].version,
		       v[PROM_FIG_RPS], v[PROM_FIG_ERROR_RATIO], v[PROM_FIG_P50], v[PROM_FIG_P95],
		       v[PROM_FIG_P99]);
	}
	prom_table_fini(&t);
	scrape_agg_free(&a);
	free(o);
	cJSON_Delete(root);
	free(buf);
	return 0;
}

int main(int argc, char **argv)
{
	if (argc == 5 && strcmp(argv[1], "--prom") == 0)
		return helper(argv[2], atof(argv[3]), atof(argv[4]));
	const struct CMUnitTest tests[] = {
	    cmocka_unit_test(test_rate),       cmocka_unit_test(test_quantile),
	    cmocka_unit_test(test_agg),        cmocka_unit_test(test_agg_kserve),
	    cmocka_unit_test(test_agg_stacks), cmocka_unit_test(test_agg_room),
	    cmocka_unit_test(test_agg_keep),   cmocka_unit_test(test_agg_row_comes),
	    cmocka_unit_test(test_agg_stale),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
