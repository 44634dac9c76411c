/* test_http_wait: when a server makes mltop wait. Retry-After on 429 and 503 (seconds and
 * HTTP-date, capped) reaches the caller, the error line and the scheduler (through the health
 * probe, on a fake clock); and a timeout on a kept-alive connection that was reused says that
 * the server did not answer, not that the connect timed out. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include <cmocka.h>
#include <curl/curl.h>

#include "clients/config.h"
#include "clients/http.h"
#include "clients/httperr.h"
#include "clients/probe.h"
#include "clients/sched.h"
#include "tests/unit/testsrv.h"

struct answer {
	int calls;
	long status;
	int curl_code;
	int64_t retry_after_ms;
	char error[256];
	struct err e;
};

static int64_t fake_now = 5000000;

static int64_t fake_clock(void)
{
	return fake_now;
}

static int64_t real_ms(void)
{
	struct timespec ts;
	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (int64_t)ts.tv_sec * 1000 + ts.tv_nsec / 1000000;
}

static void on_answer(void *ud, const struct http_resp *r)
{
	struct answer *a = ud;
	a->calls++;
	a->status = r->status;
	a->curl_code = r->curl_code;
	a->retry_after_ms = r->retry_after_ms;
	snprintf(a->error, sizeof a->error, "%s", r->error);
	httperr_set(&a->e, "MLflow", r);
}

/* Drives h until cond(arg) holds, for at most 10 s. */
static void drive(struct http *h, int (*cond)(const void *), const void *arg)
{
	int64_t deadline = real_ms() + 10000;
	while (!cond(arg) && real_ms() < deadline) {
		http_perform(h);
		if (!cond(arg))
			http_wait(h, -1, 20, NULL);
	}
	assert_true(cond(arg));
}

static int answered(const void *arg)
{
	return ((const struct answer *)arg)->calls > 0;
}

static void get(struct testsrv_fx *f, const char *path, long connect_ms, long timeout_ms,
                struct answer *a)
{
	struct http_req req = {.url = testsrv_url_for(f->srv, path, f->url, sizeof f->url),
	                       .connect_timeout_ms = connect_ms,
	                       .timeout_ms = timeout_ms};
	memset(a, 0, sizeof *a);
	assert_true(http_start(f->h, &req, on_answer, a, NULL) > 0);
	drive(f->h, answered, a);
}

static void route_retry(struct testsrv_fx *f, const char *path, unsigned status, const char *value)
{
	char hdr[128];
	snprintf(hdr, sizeof hdr, "Retry-After: %s\n", value);
	struct testsrv_route r = {.path = path,
	                          .status = status,
	                          .content_type = "text/plain",
	                          .body = "slow down\n",
	                          .headers = hdr};
	assert_int_equal(testsrv_route(f->srv, &r), 0);
}

static void test_retry_after_forms(void **state)
{
	struct testsrv_fx *f = *state;
	struct answer a;
	char date[64];
	time_t at = time(NULL) + 120;
	struct tm tm;
	strftime(date, sizeof date, "%a, %d %b %Y %H:%M:%S GMT", gmtime_r(&at, &tm));
	route_retry(f, "/seconds", 429, "120");
	route_retry(f, "/date", 503, date);
	route_retry(f, "/huge", 429, "86400");
	route_retry(f, "/garbage", 429, "soon");
	route_retry(f, "/past", 503, "Wed, 21 Oct 2015 07:28:00 GMT");
	route_retry(f, "/ok", 200, "120");
	get(f, "/seconds", 0, 0, &a);
	assert_int_equal(a.status, 429);
	assert_int_equal(a.retry_after_ms, 120000);
	assert_int_equal(a.e.retry_after_ms, 120000); /* httperr_set hands it on */
	assert_string_equal(a.e.msg, "MLflow 429 Too Many Requests: slow down");
	get(f, "/date", 0, 0, &a);
	assert_in_range(a.retry_after_ms, 115000, 120000);
	get(f, "/huge", 0, 0, &a);
	assert_int_equal(a.retry_after_ms, HTTP_RETRY_AFTER_MAX_MS);
	get(f, "/garbage", 0, 0, &a);
	assert_int_equal(a.retry_after_ms, 0);
	get(f, "/past", 0, 0, &a);
	assert_int_equal(a.retry_after_ms, 0);
	get(f, "/ok", 0, 0, &a); /* only 429 and 503 ask to wait */
	assert_int_equal(a.status, 200);
	assert_int_equal(a.retry_after_ms, 0);
}

static int probe_settled(const void *arg)
{
	const struct sched *s = arg;
	return sched_source(s, SRC_PROMETHEUS)->health != HEALTH_PENDING;
}

/* The health probe meets a 429 with Retry-After: 120: the next probe is due in 120 s (on the
 * scheduler's fake clock), not after the 1 s backoff, and the status says why. */
static void test_retry_after_reaches_scheduler(void **state)
{
	struct testsrv_fx *f = *state;
	route_retry(f, "/-/ready", 429, "120");
	struct context ctx = {.name = "t"};
	ctx.src[SRC_PROMETHEUS].url = (char *)testsrv_url(f->srv);
	struct sched *s = sched_new(fake_clock, fake_clock, 1);
	assert_non_null(s);
	struct probe *p = probe_new(f->h, s, &ctx, 0, 1000);
	assert_non_null(p);
	assert_int_equal(sched_run_due(s), 1);
	drive(f->h, probe_settled, s);
	const struct source_status *st = sched_source(s, SRC_PROMETHEUS);
	assert_int_equal(st->health, HEALTH_DOWN);
	assert_int_equal(sched_next_due_in(s), 120000);
	assert_int_equal(sched_source_wait_in(s, SRC_PROMETHEUS), 120000);
	assert_string_equal(st->last_error,
	                    "prometheus: HTTP 429 (the server asked to wait 120 s)");
	probe_free(&p);
	sched_free(&s);
}

/* The first request opens a connection that curl keeps; the second reuses it and the server
 * accepts it but never answers in time. */
static void test_timeout_on_reused_connection(void **state)
{
	struct testsrv_fx *f = *state;
	struct answer a;
	testsrv_add(f->srv, "GET", "/first", 200, "application/json", "{}");
	struct testsrv_route r = {.path = "/stall", .body = "{}", .delay_ms = 3000};
	assert_int_equal(testsrv_route(f->srv, &r), 0);
	get(f, "/first", 200, 500, &a);
	assert_int_equal(a.status, 200);
	get(f, "/stall", 200, 500, &a);
	assert_int_equal(a.curl_code, CURLE_OPERATION_TIMEDOUT);
	char want[128];
	snprintf(want, sizeof want, "no answer within 500 ms (127.0.0.1:%u)",
	         (unsigned)testsrv_port(f->srv));
	assert_string_equal(a.error, want);
	/* a new connection that answers nothing says the same */
	http_free(&f->h);
	f->h = http_new(NULL);
	get(f, "/stall", 200, 1000, &a);
	snprintf(want, sizeof want, "no answer within 1 s (127.0.0.1:%u)",
	         (unsigned)testsrv_port(f->srv));
	assert_string_equal(a.error, want);
}

#define T(fn) cmocka_unit_test_setup_teardown(fn, testsrv_fx_setup, testsrv_fx_teardown)

int main(void)
{
	const struct CMUnitTest tests[] = {
	    T(test_retry_after_forms),
	    T(test_retry_after_reaches_scheduler),
	    T(test_timeout_on_reused_connection),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
