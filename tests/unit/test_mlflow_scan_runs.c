/* test_mlflow_scan_runs: the scanner of runs bodies (clients/mlflow_scan_runs.h) against the cJSON
 * parser it stands in for. Every body goes three ways, each into its own store: the cJSON parser
 * alone, mlflow_parse_runs (the scanner, the cJSON parser for what it declines) and the scanner
 * alone; the stores must end up the same field for field (tests/unit/runs_same.h), with the same
 * return code, run count, page token and error text; a body the scanner declines must leave its
 * store untouched. The bodies: the simulator's pages (and their truncations), the MLflow
 * fixtures, and written edge cases (escapes, surrogate pairs, numbers, missing fields, wrong
 * types, unknown members at any depth, member orders, members given twice, unusual JSON). */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>

#include "clients/mlflow_parse_runs.h"
#include "clients/mlflow_scan_runs.h"
#include "mlflow_fixture.h"
#include "runs_same.h"
#include "tests/unit/test_sim_mlflow.h"

enum expect { ANY, READ, DECLINE };

struct trio {
	struct runstore *ref, *fast, *raw; /* cJSON alone, mlflow_parse_runs, the scanner alone */
};

static void trio_new(struct trio *t)
{
	t->ref = runstore_new();
	t->fast = runstore_new();
	t->raw = runstore_new();
	assert_true(t->ref && t->fast && t->raw);
}

static void trio_free(struct trio *t)
{
	runstore_free(&t->ref);
	runstore_free(&t->fast);
	runstore_free(&t->raw);
}

static void stores_same(const struct runstore *a, const struct runstore *b, const char *what)
{
	char why[512];
	if (!runs_same(a, b, why, sizeof why))
		fail_msg("%s: %s", what, why);
}

static void tokens_same(const char *a, const char *b, const char *what)
{
	if (!((!a && !b) || (a && b && strcmp(a, b) == 0)))
		fail_msg("%s: page tokens differ: %s / %s", what, a ? a : "(none)",
		         b ? b : "(none)");
}

/* One body three ways (a runs/search page when search, else a runs/get body); what names it in a
 * failure. Returns the scanner's own answer. */
static int check(struct trio *t, const char *body, size_t len, int search, enum expect ex,
                 const char *what)
{
	size_t n[3] = {91, 92, 93};
	char *tok[3] = {NULL, NULL, NULL};
	struct err e[3] = {{0}, {0}, {0}};
	int scanned = mlflow_scan_runs(body, len, t->raw, &n[2], search ? &tok[2] : NULL, &e[2]);
	int rc2 = scanned;
	if (scanned == MLFLOW_SCAN_DECLINED) {
		stores_same(t->ref, t->raw, what); /* untouched */
		rc2 = mlflow_parse_runs_cjson(body, len, t->raw, &n[2], search ? &tok[2] : NULL,
		                              &e[2]);
	}
	if (ex != ANY && (scanned == MLFLOW_SCAN_DECLINED) != (ex == DECLINE))
		fail_msg("%s: the scanner %s it", what, ex == DECLINE ? "read" : "declined");
	int rc0 = mlflow_parse_runs_cjson(body, len, t->ref, &n[0], search ? &tok[0] : NULL, &e[0]);
	int rc1 = mlflow_parse_runs(body, len, t->fast, &n[1], search ? &tok[1] : NULL, &e[1]);
	if (rc0 != rc1 || rc0 != rc2 || n[0] != n[1] || n[0] != n[2])
		fail_msg("%s: rc %d %d %d, runs %zu %zu %zu", what, rc0, rc1, rc2, n[0], n[1],
		         n[2]);
	tokens_same(tok[0], tok[1], what);
	tokens_same(tok[0], tok[2], what);
	if (rc0 && (strcmp(e[0].msg, e[1].msg) != 0 || strcmp(e[0].msg, e[2].msg) != 0))
		fail_msg("%s: errors differ: %s / %s / %s", what, e[0].msg, e[1].msg, e[2].msg);
	stores_same(t->ref, t->fast, what);
	stores_same(t->ref, t->raw, what);
	for (int i = 0; i < 3; i++)
		free(tok[i]);
	return scanned;
}

static void check_str(struct trio *t, const char *body, int search, enum expect ex)
{
	check(t, body, strlen(body), search, ex, body);
}

/* A run object as a runs/search page and as a runs/get body, each into fresh stores and into
 * stores that already hold the fixture page's runs and keys. */
static void check_run(const char *run, enum expect ex)
{
	size_t plen;
	char *page = mlflow_fixture("runs_page1.json", &plen);
	size_t cap = strlen(run) + 64;
	char *search = malloc(cap), *get = malloc(cap);
	assert_true(search && get);
	snprintf(search, cap, "{\"runs\":[%s],\"next_page_token\":\"tok\"}", run);
	snprintf(get, cap, "{\"run\":%s}", run);
	for (int loaded = 0; loaded < 2; loaded++) {
		struct trio t;
		trio_new(&t);
		if (loaded)
			check(&t, page, plen, 1, READ, "the fixture page");
		check_str(&t, search, 1, ex);
		check_str(&t, get, 0, ex);
		trio_free(&t);
	}
	free(search);
	free(get);
	free(page);
}

static void test_fixtures(void **state)
{
	(void)state;
	static const char *const names[] = {"runs_page1.json",       "runs_page2.json",
	                                    "runs_page_empty.json",  "run_get.json",
	                                    "run_get_nul.json",      "runs_truncated.json",
	                                    "runs_wrong_inner.json", "runs_wrong_type.json",
	                                    "top_array.json",        "empty.json",
	                                    "error_400.json",        "error_404.json",
	                                    "error_401.txt",         "error_502.html",
	                                    "history_bulk.json",     "experiments_page1.json",
	                                    "models_search.json"};
	struct trio t;
	trio_new(&t);
	for (size_t i = 0; i < sizeof names / sizeof names[0]; i++) {
		size_t len;
		char *body = mlflow_fixture(names[i], &len);
		check(&t, body, len, 1, ANY, names[i]);
		check(&t, body, len, 0, ANY, names[i]);
		free(body);
	}
	trio_free(&t);
}

/* The simulator's pages of three experiments, 100 runs a page, into one set of stores; runs/get
 * of a run of each page; and the first page cut short at 60 places. */
static void test_sim_pages(void **state)
{
	(void)state;
	static const char *const args[] = {"--seed",       "7", "--scale", "600",
	                                   "--time-scale", "0", NULL};
	struct sim s;
	struct trio t;
	char *first = NULL;
	size_t first_len = 0, pages = 0;
	assert_int_equal(sim_start(&s, args), 0);
	trio_new(&t);
	for (int x = 1; x <= 3; x++) {
		char token[256] = "";
		do {
			char body[512], what[64];
			struct resp r;
			snprintf(body, sizeof body,
			         "{\"experiment_ids\":[\"%d\"],\"max_results\":100%s%s%s}", x,
			         token[0] ? ",\"page_token\":\"" : "", token, token[0] ? "\"" : "");
			http(&s, "POST", "/api/2.0/mlflow/runs/search", "application/json", body,
			     &r);
			assert_int_equal(r.status, 200);
			snprintf(what, sizeof what, "experiment %d page %zu", x, pages++);
			char *next = NULL;
			size_t n = 0;
			assert_int_equal(check(&t, r.body, r.len, 1, READ, what), 0);
			struct runstore *tmp = runstore_new();
			assert_int_equal(mlflow_parse_runs(r.body, r.len, tmp, &n, &next, NULL), 0);
			snprintf(token, sizeof token, "%s", next ? next : "");
			if (n) {
				char path[256];
				struct resp g;
				snprintf(path, sizeof path, "/api/2.0/mlflow/runs/get?run_id=%s",
				         runstore_at(tmp, n / 2)->id);
				http(&s, "GET", path, NULL, NULL, &g);
				assert_int_equal(check(&t, g.body, g.len, 0, READ, path), 0);
				resp_free(&g);
			}
			free(next);
			runstore_free(&tmp);
			if (!first) {
				first = r.body;
				first_len = r.len;
			} else {
				resp_free(&r);
			}
		} while (token[0]);
	}
	assert_true(runstore_count(t.ref) == 600 && pages >= 6);
	for (size_t cut = 1; cut < 60; cut++) {
		char what[64];
		snprintf(what, sizeof what, "the first page cut at %zu/60", cut);
		check(&t, first, first_len * cut / 60, 1, ANY, what);
	}
	free(first);
	trio_free(&t);
	sim_stop(&s);
}

static void test_escapes(void **state)
{
	(void)state;
	check_run("{\"info\":{\"run_id\":\"e1\",\"run_name\":\"q\\\"b\\\\s\\/l\\b\\f\\n\\r\\tx\"}}",
	          READ);
	check_run("{\"info\":{\"run_id\":\"e2\",\"run_name\":\"caf\\u00e9 \\u20ac \\u00E9\"}}",
	          READ);
	check_run("{\"info\":{\"run_id\":\"e3\",\"run_name\":\"\\ud83d\\ude00 \\uD83D\\uDE00!\"}}",
	          READ);
	check_run("{\"info\":{\"run_id\":\"e\\u0000\",\"run_name\":\"a\\u0000b\\\\u0000\"}}", READ);
	check_run(
	    "{\"info\":{\"run_id\":\"e4\",\"user_id\":\"\\u00fcser\"},\"data\":{\"tags\":"
	    "[{\"key\":\"mlflow.user\",\"value\":\"\\u00fc\"},{\"key\":\"t\\u00e4g\",\"value\":"
	    "\"v\\nw\"}],\"params\":[{\"key\":\"p\",\"value\":\"\\\"quoted\\\"\"}]}}",
	    READ);
	/* lone or broken surrogates, bad escapes: refused by both */
	check_run("{\"info\":{\"run_id\":\"e5\",\"run_name\":\"\\ud800x\"}}", DECLINE);
	check_run("{\"info\":{\"run_id\":\"e6\",\"run_name\":\"\\udc00\"}}", DECLINE);
	check_run("{\"info\":{\"run_id\":\"e7\",\"run_name\":\"\\ud83d\\u0041\"}}", DECLINE);
	check_run("{\"info\":{\"run_id\":\"e8\",\"run_name\":\"\\x41\"}}", DECLINE);
	check_run("{\"info\":{\"run_id\":\"e9\",\"run_name\":\"\\u12G4\"}}", DECLINE);
	/* a raw control byte, an escaped member name: cJSON reads them, the scanner leaves them to
	 * it */
	check_run("{\"info\":{\"run_id\":\"e10\",\"run_name\":\"tab\there\"}}", DECLINE);
	check_run("{\"info\":{\"run\\u005fid\":\"e11\"}}", DECLINE);
}

static void test_numbers(void **state)
{
	(void)state;
	static const char *const values[] = {
	    "0",
	    "-0",
	    "1e308",
	    "-1e308",
	    "1e400",
	    "-1e400",
	    "1E-5",
	    "0.1",
	    "0.7",
	    "2.5e-3",
	    "4.9e-324",
	    "1e-400",
	    "123456789012345678901234567890",
	    "9007199254740993",
	    "0.30000000000000004",
	    "1.7976931348623157e308",
	    "\"NaN\"",
	    "\"Infinity\"",
	    "\"-Infinity\"",
	    "\"1e5\"",
	    "\"\"",
	    "\"abc\"",
	    "\"12\"",
	    "\" 12\"",
	    "\"0x10\"",
	    "true",
	    "null",
	    "{}",
	    "[1,[2]]",
	    "\"1.5\"",
	    "\"9e999\"",
	    "1.00000000000000000000000000000000000000000000000000000000001"};
	for (size_t i = 0; i < sizeof values / sizeof values[0]; i++) {
		char run[512];
		const char *v = values[i];
		snprintf(
		    run, sizeof run,
		    "{\"info\":{\"run_id\":\"n%zu\",\"start_time\":%s,\"end_time\":%s},\"data\":"
		    "{\"metrics\":[{\"key\":\"m\",\"value\":%s,\"timestamp\":%s,\"step\":%s}]}}",
		    i, v, v, v, v, v);
		check_run(run, READ);
	}
	/* not JSON numbers: refused by both */
	static const char *const bad[] = {"01",
	                                  "1.",
	                                  ".5",
	                                  "+1",
	                                  "-",
	                                  "1e",
	                                  "0x10",
	                                  "1.5.3",
	                                  "--1",
	                                  "1e+",
	                                  "Infinity",
	                                  "NaN",
	                                  "1"
	                                  "0000000000000000000000000000000"
	                                  "00000000000000000000000000000000000"};
	for (size_t i = 0; i < sizeof bad / sizeof bad[0]; i++) {
		char run[256];
		snprintf(run, sizeof run,
		         "{\"info\":{\"run_id\":\"b\"},\"data\":{\"metrics\":[{\"key\":\"m\","
		         "\"value\":%s}]}}",
		         bad[i]);
		check_run(run, DECLINE);
	}
}

/* Numbers of every form the simulator and MLflow write (%.17g, fixed, short, integers near 2^53
 * and 2^63), from a fixed seed: read by the scanner as strtod reads them for cJSON. */
static void test_numbers_many(void **state)
{
	(void)state;
	static const char *const forms[] = {"%.17g", "%.6f", "%g", "%.3e", "%.0f", "%.15g"};
	size_t cap = 1 << 20, n = 0;
	char *page = malloc(cap);
	uint64_t x = 88172645463325252ULL;
	assert_non_null(page);
	n += (size_t)snprintf(page, cap,
	                      "{\"runs\":[{\"info\":{\"run_id\":\"many\"},\"data\":{"
	                      "\"metrics\":[");
	for (int i = 0; i < 3000; i++) {
		x ^= x << 13, x ^= x >> 7, x ^= x << 17;
		double mag = (double)(x >> 11) / 9007199254740992.0;
		double v = (i % 3 == 0)   ? mag * 1e6
		           : (i % 3 == 1) ? (mag - 0.5) * 1e-3
		                          : (double)(x >> (i % 40)) * (i % 2 ? 1 : -1);
		char num[64];
		snprintf(num, sizeof num, forms[i % 6], v);
		n += (size_t)snprintf(
		    page + n, cap - n,
		    "%s{\"key\":\"m%d\",\"value\":%s,\"timestamp\":%s,\"step\":%s}", i ? "," : "",
		    i % 50, num, num, num);
	}
	snprintf(page + n, cap - n, "]}}]}");
	struct trio t;
	trio_new(&t);
	check(&t, page, strlen(page), 1, READ, "3000 numbers");
	trio_free(&t);
	free(page);
}

static void test_shapes(void **state)
{
	(void)state;
	struct trio t;
	check_run("{}", READ);
	check_run("{\"info\":{}}", READ);
	check_run("{\"info\":{\"run_uuid\":\"u1\",\"status\":\"KILLED\",\"lifecycle_stage\":"
	          "\"deleted\"}}",
	          READ);
	check_run("{\"info\":{\"run_id\":7,\"run_uuid\":\"u2\",\"status\":\"finished\","
	          "\"experiment_id\":3,\"user_id\":null}}",
	          READ);
	check_run(
	    "{\"info\":{\"run_id\":\"s1\"},\"data\":{\"metrics\":[],\"params\":[],\"tags\":[]},"
	    "\"inputs\":{\"dataset_inputs\":[]}}",
	    READ);
	check_run(
	    "{\"info\":{\"run_id\":\"s2\"},\"data\":{\"metrics\":[1,\"x\",null,[],{\"value\":1},"
	    "{\"key\":5},{\"key\":\"ok\"}],\"params\":{\"key\":\"p\"},\"tags\":[{\"value\":\"v\"},"
	    "{\"key\":\"k\"},{\"key\":\"k2\",\"value\":3}]}}",
	    READ);
	check_run("{\"info\":[],\"data\":5,\"inputs\":\"x\"}", READ);
	check_run(
	    "{\"info\":{\"run_id\":\"s3\"},\"inputs\":{\"dataset_inputs\":[7,{},{\"dataset\":"
	    "\"no\"},{\"dataset\":{\"name\":\"d\",\"digest\":1,\"source\":\"{\\\"u\\\": 1}\"},"
	    "\"tags\":[{\"key\":\"mlflow.data.context\",\"value\":5}]},{\"tags\":[1,{\"key\":"
	    "\"mlflow.data.context\",\"value\":\"eval\"},{\"key\":\"other\",\"value\":\"x\"}]}]}}",
	    READ);
	check_run(
	    "{\"info\":{\"run_id\":\"s4\",\"run_name\":\"own\"},\"data\":{\"tags\":[{\"key\":"
	    "\"mlflow.runName\",\"value\":\"tagged\"},{\"key\":\"mlflow.runName\",\"value\":"
	    "\"own\"},{\"key\":\"mlflow.user\",\"value\":\"tu\"},{\"key\":\"mlflow.source.name\","
	    "\"value\":\"x.py\"}],\"params\":[{\"key\":\"mlflow.user\",\"value\":\"pu\"}]}}",
	    READ);
	check_run("{\"info\":{\"run_id\":\"s5\"},\"x\":{\"a\":[[[[{\"b\":[1,2,{\"c\":null}]}]]]],"
	          "\"t\":true,\"f\":false},\"data\":{\"y\":[{}],\"metrics\":[{\"key\":\"m\",\"z\":"
	          "{\"deep\":[[[[[[[[[[1]]]]]]]]]]},\"value\":2}]}}",
	          READ);
	trio_new(&t);
	check_str(&t, "{\"runs\":null,\"next_page_token\":\"\"}", 1, READ);
	check_str(&t, "{\"runs\":[],\"next_page_token\":5}", 1, READ);
	check_str(&t, "{\"run\":null}", 0, READ);
	check_str(&t, "{\"runs\":[{\"info\":{\"run_id\":\"a\"}}],\"next_page_token\":\"t\\u00e9\"}",
	          1, READ);
	check_str(&t, "{\"run\":{\"info\":{\"run_id\":\"b\"}},\"runs\":7}", 0, READ);
	check_str(&t, "{\"runs\":[{\"info\":{\"run_id\":\"a\",\"status\":\"FAILED\"}}]} trailing",
	          1, READ);
	/* lists of the wrong type and error bodies: the cJSON parser's to word */
	check_str(&t, "{\"runs\":{}}", 1, DECLINE);
	check_str(&t, "{\"runs\":\"x\"}", 1, DECLINE);
	check_str(&t, "{\"run\":[]}", 0, DECLINE);
	check_str(&t, "{\"error_code\":\"RESOURCE_DOES_NOT_EXIST\",\"message\":\"no\"}", 1,
	          DECLINE);
	check_str(&t, "[]", 1, DECLINE);
	check_str(&t, "", 1, DECLINE);
	trio_free(&t);
}

static void test_order_and_twice(void **state)
{
	(void)state;
	/* members in any order: keys interned as the cJSON parser does */
	check_run(
	    "{\"data\":{\"tags\":[{\"key\":\"t1\",\"value\":\"a\"}],\"metrics\":[{\"key\":"
	    "\"m1\",\"value\":1}],\"params\":[{\"key\":\"p1\",\"value\":\"b\"}]},\"inputs\":"
	    "{\"dataset_inputs\":[{\"tags\":[{\"key\":\"mlflow.data.context\",\"value\":\"c1\"}]}]}"
	    ",\"info\":{\"user_id\":\"u1\",\"experiment_id\":\"x1\",\"run_id\":\"o1\"}}",
	    READ);
	check_run(
	    "{\"inputs\":{\"dataset_inputs\":[{\"tags\":[{\"value\":\"c2\",\"key\":"
	    "\"mlflow.data.context\"}]}]},\"info\":{\"experiment_id\":\"x2\",\"user_id\":\"u2\","
	    "\"run_id\":\"o2\"},\"data\":{\"params\":[{\"value\":\"b\",\"key\":\"p2\"}]}}",
	    READ);
	/* a member given twice: cJSON's lookups take the first, its loops the last */
	check_run("{\"info\":{\"run_id\":\"d1\"},\"info\":{\"run_id\":\"d2\"}}", DECLINE);
	check_run("{\"info\":{\"run_id\":\"d3\",\"run_id\":\"d4\"}}", DECLINE);
	check_run(
	    "{\"info\":{\"run_id\":\"d5\"},\"data\":{\"metrics\":5,\"metrics\":[{\"key\":\"m\"}]}}",
	    DECLINE);
	check_run(
	    "{\"info\":{\"run_id\":\"d6\"},\"data\":{\"tags\":[{\"key\":\"a\",\"key\":\"b\"}]}}",
	    DECLINE);
	check_run(
	    "{\"info\":{\"run_id\":\"d7\"},\"inputs\":{\"dataset_inputs\":[{\"tags\":[{\"key\":"
	    "\"mlflow.data.context\",\"value\":\"a\"},{\"key\":\"mlflow.data.context\",\"value\":"
	    "\"b\"}]}]}}",
	    DECLINE);
	struct trio t;
	trio_new(&t);
	check_str(&t, "{\"runs\":[],\"runs\":[{\"info\":{\"run_id\":\"x\"}}]}", 1, DECLINE);
	trio_free(&t);
}

/* A run that gives its data or inputs twice keeps the lists of the last, whole: the second list
 * is not written past its end at the index the first one reached. */
static void test_section_twice(void **state)
{
	(void)state;
	static const char body[] =
	    "{\"runs\":[{\"info\":{\"run_id\":\"twice\"},\"data\":{\"metrics\":[{\"key\":\"a\"},"
	    "{\"key\":\"b\"},{\"key\":\"c\"}]},\"inputs\":{\"dataset_inputs\":[{},{},{}]},\"data\":"
	    "{\"metrics\":[{\"key\":\"d\",\"value\":4}]},\"inputs\":{\"dataset_inputs\":[{"
	    "\"dataset\":"
	    "{\"name\":\"ds\"}}]}}]}";
	struct runstore *s = runstore_new();
	size_t n = 0;
	char *next = NULL;
	assert_int_equal(mlflow_parse_runs(body, sizeof body - 1, s, &n, &next, NULL), 0);
	const struct mlflow_run *r = runstore_find(s, "twice");
	assert_non_null(r);
	assert_int_equal(r->nmetrics, 1);
	assert_string_equal(runstore_key_name(s, r->metrics[0].key), "d");
	assert_true(r->metrics[0].value == 4);
	assert_int_equal(r->ndatasets, 1);
	assert_string_equal(r->datasets[0].name, "ds");
	runstore_free(&s);
	check_run("{\"info\":{\"run_id\":\"t2\"},\"data\":{\"metrics\":[{\"key\":\"a\"},{\"key\":"
	          "\"b\"}]},\"data\":{\"metrics\":[{\"key\":\"c\"}]}}",
	          DECLINE);
}

/* JSON that cJSON reads but the scanner leaves to it, and JSON both refuse. */
static void test_unusual_json(void **state)
{
	(void)state;
	struct trio t;
	char *deep = malloc(4096);
	assert_non_null(deep);
	trio_new(&t);
	check_str(&t, "\n { \"runs\" : [ {\t\"info\" :\r\n{ \"run_id\" : \"w\" } } ] }\n", 1, READ);
	check_str(&t, "{\"runs\":[]\f}", 1, DECLINE);
	check_str(&t, "\xef\xbb\xbf{\"runs\":[]}", 1, DECLINE);
	check_str(&t, "{\"runs\":[{\"info\":{\"run_id\":\"z\"}},]}", 1, DECLINE);
	check_str(&t, "{\"runs\":[{\"info\":{\"run_id\":\"z\",}}]}", 1, DECLINE);
	check_str(&t, "{\"runs\":[{\"info\":{\"run_id\":\"z\"}}]", 1, DECLINE);
	check_str(&t, "{\"runs\":[{\"info\":{\"run_id\":\"z\"}} {}]}", 1, DECLINE);
	check_str(&t, "{\"runs\":[],\"x\":nul}", 1, DECLINE);
	check_str(&t, "{\"runs\":[],\"x\":tru}", 1, DECLINE);
	check(&t, "{\"runs\":[]\0}", 12, 1, DECLINE, "a NUL byte");
	for (int depth = 300; depth <= 1100; depth += 800) { /* over the scanner's, then cJSON's */
		size_t n = (size_t)snprintf(deep, 4096, "{\"x\":");
		for (int i = 0; i < depth; i++)
			deep[n++] = '[';
		for (int i = 0; i < depth; i++)
			deep[n++] = ']';
		snprintf(deep + n, 4096 - n, ",\"runs\":[{\"info\":{\"run_id\":\"deep\"}}]}");
		check_str(&t, deep, 1, DECLINE);
	}
	trio_free(&t);
	free(deep);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
	    cmocka_unit_test(test_fixtures),        cmocka_unit_test(test_sim_pages),
	    cmocka_unit_test(test_escapes),         cmocka_unit_test(test_numbers),
	    cmocka_unit_test(test_numbers_many),    cmocka_unit_test(test_shapes),
	    cmocka_unit_test(test_order_and_twice), cmocka_unit_test(test_unusual_json),
	    cmocka_unit_test(test_section_twice),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
