/* test_samples: failed samples as JSON Lines (fields, feature values, bad lines kept and
 * counted, NaN, huge lines, the bounded ring), a file followed as it grows, is rotated and
 * truncated (every line once and in order, a partial line waiting for its newline), the failing
 * rows of an eval table under the operator's rule, and the HTTP source polling the test server
 * for what is new. */
#include <math.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <cmocka.h>

#include "clients/http.h"
#include "clients/samples.h"
#include "clients/samples_eval.h"
#include "clients/samples_follow.h"
#include "clients/samples_parse.h"
#include "tests/unit/opsfx.h"
#include "tests/unit/testsrv.h"

static const char sim_line[] =
    "{\"id\":\"churn-classifier-00000001\",\"time\":\"2026-11-29T04:00:48.205Z\",\"model\":"
    "\"churn-classifier\",\"version\":\"v5\",\"input\":{\"tenure\":3,\"plan\":\"basic\"},"
    "\"prediction\":\"churn\",\"label\":\"stay\",\"score\":0.913,\"error\":null}";

static void test_parse_fields(void **state)
{
	struct samples *s = samples_new(0);
	(void)state;
	assert_int_equal(samples_add_line(s, sim_line, strlen(sim_line)), 1);
	const struct sample *x = samples_newest(s);
	assert_int_equal(x->seq, 1);
	assert_int_equal(x->bad, 0);
	assert_int_equal(x->time_ms, 1795924848205LL);
	assert_string_equal(x->time, "2026-11-29T04:00:48.205Z");
	assert_string_equal(x->model, "churn-classifier");
	assert_string_equal(x->version, "v5");
	assert_string_equal(x->prediction, "churn");
	assert_string_equal(x->label, "stay");
	assert_string_equal(x->error, "");
	assert_true(x->has_score);
	assert_true(fabs(x->score - 0.913) < 1e-9);
	assert_int_equal(x->features.n, 2);
	assert_string_equal(kvlist_get(&x->features, "tenure"), "3");
	assert_string_equal(kvlist_get(&x->features, "plan"), "basic");
	assert_int_equal(x->raw_len, strlen(sim_line));
	assert_memory_equal(x->raw, sim_line, x->raw_len);
	/* an errored prediction without an input object: the other members are the features */
	const char *err = "{\"time\":1764388848.5,\"model\":\"m\",\"prediction\":null,\"score\":"
	                  "\"NaN\",\"error\":\"503 Service Unavailable\",\"age\":41,\"tags\":[1,2],"
	                  "\"label\":true}\r";
	assert_int_equal(samples_add_line(s, err, strlen(err)), 1);
	x = samples_newest(s);
	assert_int_equal(x->time_ms, 1764388848500LL);
	assert_string_equal(x->prediction, "");
	assert_string_equal(x->label, "true");
	assert_string_equal(x->error, "503 Service Unavailable");
	assert_true(isnan(x->score));
	assert_int_equal(x->features.n, 2);
	assert_string_equal(kvlist_get(&x->features, "age"), "41");
	assert_string_equal(kvlist_get(&x->features, "tags"), "[1,2]");
	assert_int_equal(x->raw[x->raw_len - 1], '}');
	samples_free(&s);
	assert_null(s);
}

/* Feature values that are not strings read as compact JSON writes them: whole numbers as
 * integers, other numbers in the fewest digits (15, else 17) that read back the same. */
static void test_feature_numbers(void **state)
{
	(void)state;
	static const char *const want[][2] = {
	    {"a", "894"},
	    {"b", "16.92"},
	    {"c", "true"},
	    {"d", "[1,{\"x\":2}]"},
	    {"e", "1e+300"},
	    {"f", "-0.5"},
	    {"g", "1.2345678901234567e+19"},
	    {"h", "0.1"},
	    {"i", "-0"},
	    {"j", "1e+15"},
	    {"k", "123456789012345"},
	    {"l", "null"},
	    {"m", "3.0000000000000004"},
	    {"n", "false"},
	    {"q", "0.0001"},
	    {"r", "123.456789"},
	    {"s", "1e-05"},
	    {"t", "-1234.5"},
	    {"u", "999999999.5"},
	    {"v", "0.30000000000000004"},
	    {"w", "1.5e-07"},
	    {"o", "-42"},
	    {"p", "0"},
	};
	const char *line =
	    "{\"input\":{\"a\":894,\"b\":16.92,\"c\":true,\"d\":[1,{\"x\":2}],"
	    "\"e\":1e300,\"f\":-0.5,\"g\":12345678901234567890,\"h\":0.1,\"i\":-0,"
	    "\"j\":1e15,\"k\":123456789012345,\"l\":1e999,"
	    "\"m\":3.0000000000000004,\"n\":false,\"q\":0.0001,\"r\":123.456789,\"s\":0.00001,"
	    "\"t\":-1234.50,\"u\":999999999.5,\"v\":0.30000000000000004,\"w\":1.5e-7,\"o\":-42.0,"
	    "\"p\":0}}";
	struct samples *s = samples_new(4);
	assert_non_null(s);
	assert_int_equal(samples_add_line(s, line, strlen(line)), 1);
	const struct sample *x = samples_newest(s);
	assert_int_equal(x->features.n, sizeof want / sizeof want[0]);
	for (size_t i = 0; i < sizeof want / sizeof want[0]; i++)
		assert_string_equal(kvlist_get(&x->features, want[i][0]), want[i][1]);
	samples_free(&s);
}

static void test_bad_lines(void **state)
{
	struct samples *s = samples_new(0);
	const char text[] = "not json\n\n   \n{\"model\":\"a\"}\n[1,2]\n{\"model\":\"trunc\n"
	                    "{}\n{\"model\":\"last, no newline\"}";
	(void)state;
	assert_int_equal(samples_add_text(s, text, strlen(text)), 6);
	assert_int_equal(samples_count(s), 6);
	assert_int_equal(samples_bad(s), 3);
	assert_int_equal(samples_at(s, 0)->bad, 1);
	assert_string_equal(samples_at(s, 0)->raw, "not json");
	assert_string_equal(samples_at(s, 0)->model, "");
	assert_true(isnan(samples_at(s, 0)->score));
	assert_string_equal(samples_at(s, 1)->model, "a");
	assert_int_equal(samples_at(s, 2)->bad, 1);
	assert_int_equal(samples_at(s, 3)->bad, 1);
	assert_int_equal(samples_at(s, 4)->bad, 0);
	assert_int_equal(samples_at(s, 4)->features.n, 0);
	assert_string_equal(samples_at(s, 5)->model, "last, no newline");
	assert_null(samples_at(s, 6));
	/* a line over the limit is cut and kept as bad */
	char *huge = malloc(SAMPLES_LINE_MAX + 100);
	memset(huge, 'x', SAMPLES_LINE_MAX + 100);
	huge[0] = '{';
	assert_int_equal(samples_add_line(s, huge, SAMPLES_LINE_MAX + 100), 1);
	assert_int_equal(samples_newest(s)->bad, 1);
	assert_int_equal(samples_newest(s)->raw_len, SAMPLES_LINE_MAX);
	free(huge);
	samples_free(&s);
}

static void test_ring_cap(void **state)
{
	struct samples *s = samples_new(3);
	char line[64];
	(void)state;
	for (int i = 0; i < 10; i++) {
		snprintf(line, sizeof line, "{\"model\":\"m%d\"}", i);
		assert_int_equal(samples_add_line(s, line, strlen(line)), 1);
	}
	assert_int_equal(samples_count(s), 3);
	assert_int_equal(samples_dropped(s), 7);
	assert_int_equal(samples_total(s), 10);
	assert_string_equal(samples_at(s, 0)->model, "m7");
	assert_string_equal(samples_newest(s)->model, "m9");
	assert_int_equal(samples_newest(s)->seq, 10);
	samples_clear(s);
	assert_int_equal(samples_count(s), 0);
	assert_int_equal(samples_bytes(s), 0);
	assert_int_equal(samples_total(s), 10);
	samples_free(&s);
	/* the byte cap: big lines push the old ones out, whatever the count */
	s = samples_new(1000);
	samples_set_max_bytes(s, 256 * 1024);
	char *big = malloc(20000);
	memset(big, 'x', 20000);
	memcpy(big, "{\"pad\":\"", 8);
	memcpy(big + 19998, "\"}", 2);
	for (int i = 0; i < 20; i++)
		assert_int_equal(samples_add_line(s, big, 20000), 1);
	assert_true(samples_bytes(s) <= 256 * 1024);
	assert_true(samples_count(s) >= 1 && samples_count(s) < 20);
	assert_int_equal(samples_dropped(s) + samples_count(s), 20);
	assert_int_equal(samples_newest(s)->seq, 20);
	free(big);
	samples_free(&s);
}

/* ---- following a file ---- */

static char dir[] = "/tmp/mltop-follow.XXXXXX";
static char path[128], old[128];

/* Appends lines n0..n1-1 ("{"n":i}") to the file. */
static void lines(int n0, int n1)
{
	char buf[64];
	for (int i = n0; i < n1; i++) {
		snprintf(buf, sizeof buf, "{\"n\":%d}\n", i);
		opsfx_append(path, buf);
	}
}

/* Polls and checks that the samples seen so far are exactly 0..want-1 in order. */
static void expect(struct samples_follow *f, struct samples *s, int want)
{
	struct err e;
	long rc = samples_follow_poll(f, s, &e);
	if (rc < 0)
		fail_msg("poll: %s", e.msg);
	assert_int_equal(samples_count(s), want);
	for (int i = 0; i < want; i++) {
		char v[16];
		snprintf(v, sizeof v, "%d", i);
		assert_string_equal(kvlist_get(&samples_at(s, (size_t)i)->features, "n"), v);
	}
}

static void test_follow(void **state)
{
	struct err e;
	(void)state;
	assert_non_null(mkdtemp(dir));
	snprintf(path, sizeof path, "%s/samples.jsonl", dir);
	snprintf(old, sizeof old, "%s/samples.jsonl.1", dir);
	struct samples *s = samples_new(1000);
	struct samples_follow *f = samples_follow_new(path);
	/* not there yet */
	assert_int_equal(samples_follow_poll(f, s, &e), ERR_IO);
	assert_non_null(strstr(e.msg, "waiting for the file"));
	lines(0, 3);
	expect(f, s, 3);
	expect(f, s, 3); /* nothing new: nothing twice */
	/* a partial line waits for its newline */
	opsfx_append(path, "{\"n\":");
	expect(f, s, 3);
	opsfx_append(path, "3}\n");
	lines(4, 6);
	expect(f, s, 6);
	/* rotation: the old file gets one more line after the rename, then a new file starts */
	assert_int_equal(rename(path, old), 0);
	opsfx_append(old, "{\"n\":6}\n");
	expect(f, s, 7); /* no new file yet: the old one is still read */
	opsfx_append(old, "{\"n\":7}\n");
	lines(8, 10); /* creates the new file */
	expect(f, s, 10);
	assert_int_equal(samples_follow_rotations(f), 1);
	/* truncation: the file shrinks, reading restarts at its start */
	opsfx_write(path, "{\"n\":10}\n");
	expect(f, s, 11);
	assert_int_equal(samples_follow_truncations(f), 1);
	lines(11, 13);
	expect(f, s, 13);
	/* a rotation whose old file ended without a newline keeps that last line */
	opsfx_append(path, "{\"n\":13}");
	expect(f, s, 13);
	assert_int_equal(rename(path, old), 0);
	lines(14, 15);
	expect(f, s, 15);
	assert_int_equal(samples_follow_rotations(f), 2);
	samples_follow_free(&f);
	samples_free(&s);
	unlink(path);
	unlink(old);
	rmdir(dir);
}

static void test_follow_big_and_odd(void **state)
{
	char d[] = "/tmp/mltop-follow2.XXXXXX", p[128];
	struct err e;
	(void)state;
	assert_non_null(mkdtemp(d));
	snprintf(p, sizeof p, "%s/big.jsonl", d);
	/* a file bigger than the backlog is read from its last bytes, from a line start */
	FILE *fp = fopen(p, "w");
	size_t written = 0;
	for (int i = 0; written < SAMPLES_FOLLOW_BACKLOG + 100000; i++)
		written +=
		    (size_t)fprintf(fp, "{\"model\":\"m\",\"n\":%d,\"pad\":\"%080d\"}\n", i, 0);
	fclose(fp);
	struct samples *s = samples_new(1000000);
	struct samples_follow *f = samples_follow_new(p);
	long rc = samples_follow_poll(f, s, &e);
	assert_true(rc > 0);
	assert_int_equal(samples_bad(s), 0); /* no half line at the cut */
	while (samples_follow_more(f))
		assert_true(samples_follow_poll(f, s, &e) >= 0);
	assert_true(samples_count(s) * 110 <= SAMPLES_FOLLOW_BACKLOG + 110);
	samples_follow_free(&f);
	unlink(p);
	/* not a regular file */
	f = samples_follow_new(d);
	assert_int_equal(samples_follow_poll(f, s, &e), ERR_IO);
	assert_non_null(strstr(e.msg, "not a regular file"));
	samples_follow_free(&f);
	samples_free(&s);
	rmdir(d);
}

/* ---- eval tables ---- */

static const char eval_body[] =
    "{\"columns\":[\"inputs\",\"prediction\",\"label\",\"score\"],\"data\":["
    "[\"a\",\"cat\",\"cat\",0.9],[\"b\",\"dog\",\"cat\",0.4],[\"c\",\"cat\",\"dog\",0.7],"
    "[\"d\",\"dog\",\"dog\",\"NaN\"]]}";

static void test_eval_rules(void **state)
{
	struct samples_rule r;
	struct err e;
	(void)state;
	assert_int_equal(samples_rule_parse(" prediction != label ", &r, &e), 0);
	assert_string_equal(r.other, "prediction");
	assert_string_equal(r.column, "label");
	assert_int_equal(samples_rule_parse("toxicity/v1/score >= 0.5", &r, &e), 0);
	assert_string_equal(r.column, "toxicity/v1/score");
	assert_int_equal(r.spec.rule, EVAL_RULE_SCORE_AT_LEAST);
	assert_true(r.spec.threshold == 0.5);
	assert_int_equal(samples_rule_parse("score < 0.5", &r, &e), 0);
	assert_int_equal(r.spec.rule, EVAL_RULE_SCORE_BELOW);
	const char *bad[] = {"",      "score",   "< 3", "score < x", "score < 1 2",
	                     "a != ", "s < nan", NULL};
	for (int i = 0; bad[i]; i++)
		assert_int_equal(samples_rule_parse(bad[i], &r, &e), ERR_CONFIG);

	struct samples *s = samples_new(0);
	assert_int_equal(samples_rule_parse("prediction != label", &r, &e), 0);
	assert_int_equal(samples_add_eval(s, eval_body, strlen(eval_body), &r, "pets", "3", &e), 2);
	const struct sample *x = samples_at(s, 0);
	assert_string_equal(x->model, "pets");
	assert_string_equal(x->version, "3");
	assert_string_equal(x->prediction, "dog");
	assert_string_equal(x->label, "cat");
	assert_true(fabs(x->score - 0.4) < 1e-9);
	assert_string_equal(kvlist_get(&x->features, "inputs"), "b");
	assert_string_equal(samples_at(s, 1)->prediction, "cat");
	samples_clear(s);
	assert_int_equal(samples_rule_parse("score < 0.8", &r, &e), 0);
	assert_int_equal(samples_add_eval(s, eval_body, strlen(eval_body), &r, NULL, NULL, &e), 2);
	assert_string_equal(samples_at(s, 0)->label, "cat"); /* a label column by its name */
	assert_string_equal(kvlist_get(&samples_at(s, 1)->features, "inputs"), "c");
	/* no such column */
	assert_int_equal(samples_rule_parse("confidence < 0.8", &r, &e), 0);
	assert_int_equal(samples_add_eval(s, eval_body, strlen(eval_body), &r, NULL, NULL, &e),
	                 ERR_PARSE);
	assert_string_equal(e.msg, "eval table: no column 'confidence'");
	/* the automatic rule: no score column it knows, so target != output */
	samples_clear(s);
	assert_int_equal(samples_add_eval(s, eval_body, strlen(eval_body), NULL, "m", "1", &e), 2);
	assert_int_equal(samples_add_eval(s, "[]", 2, NULL, "m", "1", &e), ERR_PARSE);
	samples_free(&s);
}

/* ---- the HTTP source ---- */

struct got {
	int n, rc;
	long added;
	int more;
	char msg[ERR_MSG_MAX];
	int puts;
	size_t put_len;
};

static void on_event(void *ud, struct samples_event *ev)
{
	struct got *g = ud;
	g->n++;
	g->rc = ev->rc;
	g->added = ev->added;
	g->more = ev->more;
	snprintf(g->msg, sizeof g->msg, "%s", ev->err ? ev->err->msg : "");
}

static void on_put(void *ud, const char *key, const char *body, size_t len, int64_t fetched_ms)
{
	struct got *g = ud;
	(void)body;
	(void)fetched_ms;
	assert_string_equal(key, SAMPLES_CACHE_KEY);
	g->puts++;
	g->put_len = len;
}

#define L1 "{\"time\":\"2026-11-29T04:00:00.000Z\",\"model\":\"a\"}\n"
#define L2 "{\"time\":\"2026-11-29T04:00:01.000Z\",\"model\":\"b\"}\n"
#define L3 "{\"time\":\"2026-11-29T04:00:01.000Z\",\"model\":\"c\"}\n"
#define L4 "{\"time\":\"2026-11-29T04:00:02.000Z\",\"model\":\"d\"}\n"

static void test_http_poll(void **state)
{
	struct testsrv_fx *fx = *state;
	struct got g = {0};
	char url[256];
	struct err e;
	testsrv_url_for(fx->srv, "/samples?model=a", url, sizeof url);
	struct samples_config cfg = {.target = url, .put = on_put, .put_ud = &g};
	struct samples_src *src = samples_src_new(fx->h, &cfg, NULL);
	assert_non_null(src);
	assert_int_equal(samples_src_is_file(src), 0);
	testsrv_add(fx->srv, "GET", "/samples", 200, "application/x-ndjson", L1 L2);
	assert_true(samples_src_poll(src, on_event, &g, NULL) > 0);
	assert_true(samples_src_poll(src, on_event, &g, &e) < 0); /* one at a time */
	assert_int_equal(opsfx_run(fx->h, &g.n, 1, 5000), 1);
	assert_int_equal(g.rc, 0);
	assert_int_equal(g.added, 2);
	assert_int_equal(g.puts, 1);
	assert_int_equal(g.put_len, strlen(L1 L2));
	struct testsrv_req req;
	testsrv_request(fx->srv, 0, &req);
	assert_string_equal(req.uri, "/samples?model=a");
	testsrv_req_fini(&req);
	/* the next poll asks for what is newer (the newest ms again), and a server that sends old
	 * lines again gets them kept once */
	testsrv_add(fx->srv, "GET", "/samples", 200, "application/x-ndjson", L1 L2 L3 L4);
	assert_true(samples_src_poll(src, on_event, &g, NULL) > 0);
	assert_int_equal(opsfx_run(fx->h, &g.n, 2, 5000), 2);
	assert_int_equal(g.added, 2);
	testsrv_request(fx->srv, 0, &req);
	assert_string_equal(req.uri, "/samples?model=a&since=2026-11-29T04%3A00%3A00.999Z");
	testsrv_req_fini(&req);
	struct samples *s = samples_src_samples(src);
	assert_int_equal(samples_count(s), 4);
	assert_string_equal(samples_at(s, 2)->model, "c");
	/* an error answer; nothing filed */
	testsrv_add(fx->srv, "GET", "/samples", 503, "text/plain", "upstream down\n");
	assert_true(samples_src_poll(src, on_event, &g, NULL) > 0);
	assert_int_equal(opsfx_run(fx->h, &g.n, 3, 5000), 3);
	assert_int_equal(g.rc, ERR_HTTP);
	assert_string_equal(g.msg, "samples 503 Service Unavailable: upstream down");
	assert_int_equal(g.puts, 2);
	/* restoring from the cache keeps nothing twice */
	assert_int_equal(samples_src_restore(src, L3 L4, strlen(L3 L4)), 0);
	samples_src_free(&src);
}

static void test_file_source(void **state)
{
	char d[] = "/tmp/mltop-src.XXXXXX", p[128];
	struct got g = {0};
	(void)state;
	assert_non_null(mkdtemp(d));
	snprintf(p, sizeof p, "%s/s.jsonl", d);
	struct samples_config cfg = {.target = p, .cap = 10};
	struct samples_src *src = samples_src_new(NULL, &cfg, NULL);
	assert_int_equal(samples_src_is_file(src), 1);
	assert_int_equal(samples_src_poll(src, on_event, &g, NULL), 0);
	assert_int_equal(g.n, 1);
	assert_int_equal(g.rc, ERR_IO);
	assert_non_null(strstr(g.msg, "samples: "));
	opsfx_write(p, L1 "oops\n");
	assert_int_equal(samples_src_poll(src, on_event, &g, NULL), 0);
	assert_int_equal(g.rc, 0);
	assert_int_equal(g.added, 2);
	assert_int_equal(g.more, 0);
	assert_int_equal(samples_bad(samples_src_samples(src)), 1);
	samples_src_free(&src);
	unlink(p);
	rmdir(d);
}

#define T(fn) cmocka_unit_test_setup_teardown(fn, testsrv_fx_setup, testsrv_fx_teardown)

int main(void)
{
	const struct CMUnitTest tests[] = {
	    cmocka_unit_test(test_parse_fields), cmocka_unit_test(test_feature_numbers),
	    cmocka_unit_test(test_bad_lines),    cmocka_unit_test(test_ring_cap),
	    cmocka_unit_test(test_follow),       cmocka_unit_test(test_follow_big_and_odd),
	    cmocka_unit_test(test_eval_rules),   T(test_http_poll),
	    cmocka_unit_test(test_file_source),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
