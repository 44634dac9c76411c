/* test_expo: the text exposition parser on /metrics bodies of the common serving stacks
 * (tests/fixtures/expo: mltop-sim, KServe, Triton, Seldon v2, BentoML, MLServer, TorchServe),
 * on escapes and special values, and on hostile input rejected line by line. */
#include <math.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>

#include "clients/expo.h"

#define MAXS 64

/* What a parse handed to the callback, copied. */
struct seen {
	size_t n;
	char name[MAXS][128], family[MAXS][128], labels[MAXS][256];
	enum expo_type type[MAXS];
	enum expo_part part[MAXS];
	double value[MAXS];
	int has_ts[MAXS];
	int64_t ts[MAXS];
	int stop_after; /* 0: never */
};

static int on_sample(void *ud, const struct expo_sample *s)
{
	struct seen *w = ud;
	if (w->n < MAXS) {
		size_t i = w->n;
		snprintf(w->name[i], sizeof w->name[i], "%s", s->name);
		snprintf(w->family[i], sizeof w->family[i], "%s", s->family);
		w->labels[i][0] = '\0';
		for (size_t k = 0; k < s->nlabels; k++) {
			size_t at = strlen(w->labels[i]);
			snprintf(w->labels[i] + at, sizeof w->labels[i] - at, "%s%s=%s",
			         k ? "," : "", s->labels[k].name, s->labels[k].value);
		}
		w->type[i] = s->type;
		w->part[i] = s->part;
		w->value[i] = s->value;
		w->has_ts[i] = s->has_ts;
		w->ts[i] = s->ts_ms;
	}
	w->n++;
	return w->stop_after && w->n >= (size_t)w->stop_after;
}

static char *fixture(const char *name, size_t *len)
{
	char path[256];
	snprintf(path, sizeof path, "tests/fixtures/expo/%s", name);
	FILE *f = fopen(path, "rb");
	assert_non_null(f);
	char *buf = malloc(1 << 16);
	assert_non_null(buf);
	*len = fread(buf, 1, (1 << 16) - 1, f);
	buf[*len] = '\0';
	fclose(f);
	return buf;
}

static struct expo_stats parse_fixture(const char *name, struct seen *w)
{
	size_t len;
	char *body = fixture(name, &len);
	struct expo_stats st;
	memset(w, 0, sizeof *w);
	assert_int_equal(expo_parse(body, len, on_sample, w, &st), 0);
	free(body);
	return st;
}

static struct expo_stats parse_text(const char *text, struct seen *w)
{
	struct expo_stats st;
	memset(w, 0, sizeof *w);
	assert_int_equal(expo_parse(text, strlen(text), on_sample, w, &st), 0);
	return st;
}

static void test_sim(void **state)
{
	(void)state;
	struct seen w;
	struct expo_stats st = parse_fixture("sim.txt", &w);
	assert_int_equal(st.rejected, 0);
	assert_int_equal(st.samples, 19);
	assert_int_equal(w.n, 19);
	assert_string_equal(w.name[0], "model_requests_total");
	assert_int_equal(w.type[0], EXPO_COUNTER);
	assert_string_equal(w.labels[1], "model=churn-classifier,version=v3,code=500");
	assert_true(w.value[1] == 10);
	assert_string_equal(w.name[4], "model_request_duration_seconds_bucket");
	assert_string_equal(w.family[4], "model_request_duration_seconds");
	assert_int_equal(w.type[4], EXPO_HISTOGRAM);
	assert_int_equal(w.part[4], EXPO_BUCKET);
	assert_string_equal(w.labels[13], "model=churn-classifier,version=v3,le=+Inf");
	assert_int_equal(w.part[14], EXPO_SUM);
	assert_true(w.value[14] == 31.25);
	assert_int_equal(w.part[15], EXPO_COUNT);
	assert_int_equal(w.type[16], EXPO_GAUGE);
	assert_true(isnan(w.value[18]));
	assert_false(w.has_ts[0]);
}

static void test_stacks(void **state)
{
	(void)state;
	struct seen w;
	struct expo_stats st = parse_fixture("kserve.txt", &w);
	assert_int_equal(st.rejected, 0);
	assert_int_equal(w.n, 10);
	assert_string_equal(w.labels[0], "le=0.005,model_name=sklearn-iris");
	assert_true(w.value[9] == 1.70406720012e+09);
	assert_int_equal(w.type[9], EXPO_GAUGE);

	st = parse_fixture("triton.txt", &w);
	assert_int_equal(st.rejected, 0);
	assert_int_equal(w.n, 9);
	assert_string_equal(w.name[0], "nv_inference_request_success");
	assert_int_equal(w.type[0], EXPO_COUNTER);
	assert_int_equal(w.type[4], EXPO_SUMMARY);
	assert_int_equal(w.part[4], EXPO_COUNT);
	assert_int_equal(w.part[6], EXPO_PLAIN); /* a quantile line of the summary */
	assert_string_equal(w.labels[6], "model=densenet_onnx,version=1,quantile=0.5");
	assert_true(w.value[3] == 1.2345e+07);

	st = parse_fixture("seldon.txt", &w);
	assert_int_equal(st.rejected, 0);
	assert_int_equal(w.n, 7);
	assert_int_equal(w.part[3], EXPO_BUCKET);

	st = parse_fixture("bentoml.txt", &w);
	assert_int_equal(st.rejected, 0);
	assert_int_equal(w.n, 7);
	assert_string_equal(w.labels[0],
	                    "endpoint=/classify,http_response_code=200,"
	                    "service_name=iris_classifier,service_version=not available");

	st = parse_fixture("mlserver_torchserve.txt", &w);
	assert_int_equal(st.rejected, 0);
	assert_int_equal(w.n, 8);
	/* TorchServe ends its label sets with a comma */
	assert_string_equal(w.labels[6],
	                    "uuid=e2b7d2f0-3f6c-4b2d-9a7e-0c1d2e3f4a5b,model_name=squeezenet1_1,"
	                    "model_version=default");
	assert_true(w.value[7] == 1990348.6);
}

static void test_escapes_and_values(void **state)
{
	(void)state;
	struct seen w;
	struct expo_stats st = parse_fixture("escapes.txt", &w);
	assert_int_equal(st.rejected, 0);
	assert_int_equal(w.n, 6);
	assert_string_equal(w.labels[0], "path=C:\\DIR\\,quote=say \"hi\",nl=a\nb,other=x\\ty");
	assert_true(w.has_ts[0]);
	assert_true(w.ts[0] == 1704067200000LL);
	assert_int_equal(w.type[0], EXPO_COUNTER);
	assert_string_equal(w.labels[1], "spaced=yes");
	assert_true(isinf(w.value[1]) && w.value[1] > 0);
	assert_true(isinf(w.value[2]) && w.value[2] < 0);
	assert_true(w.ts[2] == -1000);
	assert_true(isnan(w.value[3]));
	assert_int_equal(w.type[4], EXPO_UNTYPED);
	assert_true(w.value[4] == 1.5e-3);
	assert_string_equal(w.labels[5], "");
	assert_true(w.value[5] == 7);
	/* \r\n line ends, no newline at the end */
	st = parse_text("a 1\r\nb{x=\"y\"} 2", &w);
	assert_int_equal(st.rejected, 0);
	assert_int_equal(w.n, 2);
	assert_true(w.value[1] == 2);
}

static void test_floats(void **state)
{
	(void)state;
	static const struct {
		const char *s;
		double v;
	} ok[] = {{"0", 0},
	          {"-0.5", -0.5},
	          {"1e3", 1000},
	          {"1.5E-3", 1.5e-3},
	          {".25", 0.25},
	          {"+7", 7},
	          {"0.1", 0.1},
	          {"123456789012345678", 123456789012345678.0},
	          {"1e-300", 1e-300},
	          {"2.5e+10", 2.5e10},
	          {"0.30000000000000004", 0.30000000000000004}};
	for (size_t i = 0; i < sizeof ok / sizeof ok[0]; i++) {
		double v;
		assert_int_equal(expo_float(ok[i].s, &v), 0);
		assert_true(v == ok[i].v);
	}
	static const char *const bad[] = {"",       "-",  "1x",   "abc", "0x10",
	                                  "nan(1)", "1e", "1..2", "e5"};
	for (size_t i = 0; i < sizeof bad / sizeof bad[0]; i++) {
		double v;
		assert_int_equal(expo_float(bad[i], &v), -1);
	}
	double v;
	assert_int_equal(expo_float("Inf", &v), 0);
	assert_true(isinf(v) && v > 0);
	assert_int_equal(expo_float("-inf", &v), 0);
	assert_true(isinf(v) && v < 0);
}

/* Every bad line is rejected on its own, counted, and the good lines around it are read. */
static void test_hostile_lines(void **state)
{
	(void)state;
	static const char *const bad[] = {
	    "m{a=\"1\" 1",              /* missing brace */
	    "m{a=\"1} 1",               /* unterminated value */
	    "m{a=1} 1",                 /* unquoted value */
	    "m{=\"1\"} 1",              /* no label name */
	    "m{a=\"1\",a=\"2\"} 1",     /* repeated label */
	    "m",                        /* no value */
	    "m 1 2 3",                  /* text after the timestamp */
	    "m abc",                    /* not a number */
	    "m 1 1.5",                  /* timestamp not an integer */
	    "9m 1",                     /* bad name */
	    "m-x 1",                    /* bad character */
	    "m{a\"1\"} 1",              /* no '=' */
	    "m{a=\"1\"}1",              /* no blank before the value */
	    "# TYPE m bogus",           /* unknown type */
	    "# TYPE",                   /* TYPE without a name */
	    "m 1 99999999999999999999", /* timestamp out of range */
	};
	char body[4096] = "good_a 1\n";
	for (size_t i = 0; i < sizeof bad / sizeof bad[0]; i++) {
		strcat(body, bad[i]);
		strcat(body, "\n");
	}
	strcat(body, "good_b 2\n");
	struct seen w;
	struct expo_stats st = parse_text(body, &w);
	assert_int_equal(st.rejected, sizeof bad / sizeof bad[0]);
	assert_int_equal(w.n, 2);
	assert_string_equal(w.name[1], "good_b");
	assert_string_equal(st.first_error, "line 2: missing ',' or '}'");
}

static void test_hostile_bytes(void **state)
{
	(void)state;
	/* a NUL in a line, binary garbage, a line over the cap: each rejected, then a good line */
	size_t big = EXPO_LINE_MAX + 10, len = 0;
	char *body = malloc(big + 256);
	assert_non_null(body);
	memcpy(body + len, "a 1\0b\n", 6);
	len += 6;
	memcpy(body + len, "\x01\xff\xfe{}\x80 9\n", 9);
	len += 9;
	memcpy(body + len, "long{x=\"", 8);
	len += 8;
	memset(body + len, 'y', big);
	len += big;
	memcpy(body + len, "\"} 1\nok 3\n", 10);
	len += 10;
	struct seen w;
	struct expo_stats st;
	memset(&w, 0, sizeof w);
	assert_int_equal(expo_parse(body, len, on_sample, &w, &st), 0);
	assert_int_equal(st.rejected, 3);
	assert_int_equal(w.n, 1);
	assert_string_equal(w.name[0], "ok");
	assert_int_equal(st.lines, 4);
	free(body);
	/* the empty body, only blanks */
	st = parse_text("", &w);
	assert_int_equal(st.lines + st.samples + st.rejected, 0);
	st = parse_text("\n\n   \n\t\n", &w);
	assert_int_equal(st.rejected + st.samples, 0);
}

static void test_stop_and_types(void **state)
{
	(void)state;
	struct seen w;
	memset(&w, 0, sizeof w);
	w.stop_after = 2;
	const char *t = "a 1\nb 2\nc 3\n";
	assert_int_equal(expo_parse(t, strlen(t), on_sample, &w, NULL), 1);
	assert_int_equal(w.n, 2);
	/* a sample only belongs to the family of the TYPE line before it when its name matches */
	parse_text("# TYPE h histogram\nh_bucket{le=\"1\"} 1\nh_total 3\nh 4\n"
	           "# TYPE s summary\ns_bucket 1\ns_sum 2\n",
	           &w);
	assert_int_equal(w.n, 5);
	assert_int_equal(w.part[0], EXPO_BUCKET);
	assert_int_equal(w.type[1], EXPO_UNTYPED);
	assert_string_equal(w.family[1], "h_total");
	assert_int_equal(w.type[2], EXPO_HISTOGRAM);
	assert_int_equal(w.type[3], EXPO_UNTYPED);
	assert_int_equal(w.part[4], EXPO_SUM);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
	    cmocka_unit_test(test_sim),
	    cmocka_unit_test(test_stacks),
	    cmocka_unit_test(test_escapes_and_values),
	    cmocka_unit_test(test_floats),
	    cmocka_unit_test(test_hostile_lines),
	    cmocka_unit_test(test_hostile_bytes),
	    cmocka_unit_test(test_stop_and_types),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
