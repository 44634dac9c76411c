/* test_sched: intervals, in-flight dedupe, backoff with jitter, Retry-After, refresh, restart,
 * health, all on fake clocks (a monotonic one, and a wall clock that may be stepped). */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>

#include "clients/sched.h"

static int64_t fake_now;  /* the monotonic clock */
static int64_t wall_step; /* the wall clock is fake_now + wall_step */

static int64_t fake_clock(void)
{
	return fake_now;
}

static int64_t fake_wall(void)
{
	return fake_now + wall_step;
}

struct probe {
	int starts;
	int id;
	uint64_t gen;
	int rc; /* what start returns */
};

static int probe_start(void *ctx, int id, uint64_t gen)
{
	struct probe *p = ctx;
	p->starts++;
	p->id = id;
	p->gen = gen;
	return p->rc;
}

static struct sched *new_sched(uint32_t seed)
{
	fake_now = 1000000;
	wall_step = 0;
	struct sched *s = sched_new(fake_clock, fake_wall, seed);
	assert_non_null(s);
	return s;
}

static int add(struct sched *s, enum source_id src, int64_t interval, struct probe *p)
{
	struct sched_job j = {.source = src,
	                      .name = "test/job",
	                      .interval_ms = interval,
	                      .start = probe_start,
	                      .ctx = p};
	int id = sched_add(s, &j);
	assert_true(id >= 0);
	return id;
}

static void test_interval(void **state)
{
	(void)state;
	struct sched *s = new_sched(1);
	struct probe p = {0};
	int id = add(s, SRC_MLFLOW, 2000, &p);
	assert_int_equal(sched_next_due_in(s), 0); /* due at once */
	assert_int_equal(sched_run_due(s), 1);
	assert_int_equal(p.id, id);
	assert_int_equal(sched_done(s, id, p.gen, 1, 10, NULL), 1);
	assert_int_equal(sched_next_due_in(s), 2000);
	fake_now += 1999;
	assert_int_equal(sched_run_due(s), 0);
	assert_int_equal(sched_next_due_in(s), 1);
	fake_now += 1;
	assert_int_equal(sched_run_due(s), 1);
	assert_int_equal(p.starts, 2);

	sched_done(s, id, p.gen, 1, 10, NULL);
	sched_set_interval(s, id, 500);
	assert_int_equal(sched_job_due_in(s, id), 500);
	sched_free(&s);
	assert_null(s);
}

static void test_in_flight_not_started_twice(void **state)
{
	(void)state;
	struct sched *s = new_sched(1);
	struct probe p = {0};
	int id = add(s, SRC_PROMETHEUS, 1000, &p);
	assert_int_equal(sched_run_due(s), 1);
	for (int i = 0; i < 5; i++) {
		fake_now += 10000;
		assert_int_equal(sched_run_due(s), 0);
	}
	assert_int_equal(p.starts, 1);
	assert_int_equal(sched_in_flight(s, id), 1);
	assert_int_equal(sched_next_due_in(s), -1); /* nothing to start while it is in flight */
	assert_int_equal(sched_done(s, id, p.gen, 1, 10, NULL), 1);
	assert_int_equal(sched_in_flight(s, id), 0);
	assert_int_equal(sched_done(s, id, p.gen, 1, 10, NULL), 0); /* reported twice: stale */
	sched_free(&s);
}

/* Fails the job n times in a row, storing each wait. */
static void fail_n(struct sched *s, int id, struct probe *p, int n, int64_t *waits)
{
	for (int i = 0; i < n; i++) {
		fake_now += sched_job_due_in(s, id);
		assert_int_equal(sched_run_due(s), 1);
		assert_int_equal(
		    sched_done(s, id, p->gen, 0, 5, "HTTP 502 from mlflow: bad gateway"), 1);
		waits[i] = sched_job_due_in(s, id);
	}
}

static void test_backoff_growth_cap_and_jitter(void **state)
{
	(void)state;
	struct sched *s = new_sched(42);
	struct probe p = {0};
	int id = add(s, SRC_MLFLOW, 100, &p);
	int64_t w[12];
	fail_n(s, id, &p, 12, w);
	int64_t lo = 60000, hi = 0;
	for (int n = 1; n <= 12; n++) {
		int64_t base = n >= 7 ? 60000 : 1000LL << (n - 1);
		assert_in_range(w[n - 1], base * 8 / 10, base * 12 / 10);
		if (n >= 2 && n <= 7)
			assert_true(w[n - 1] > w[n - 2]);
		if (n >= 7) {
			lo = w[n - 1] < lo ? w[n - 1] : lo;
			hi = w[n - 1] > hi ? w[n - 1] : hi;
		}
	}
	assert_true(lo < hi); /* jittered, not a fixed 60 s */
	assert_int_equal(sched_job_errors(s, id), 12);
	assert_int_equal(sched_source(s, SRC_MLFLOW)->errors, 12);

	/* The same seed gives the same waits; another seed other ones. */
	struct sched *same = new_sched(42), *other = new_sched(7);
	int ids = add(same, SRC_MLFLOW, 100, &p), ido = add(other, SRC_MLFLOW, 100, &p);
	int64_t ws[12], wo[12];
	fail_n(same, ids, &p, 12, ws);
	fail_n(other, ido, &p, 12, wo);
	assert_memory_equal(w, ws, sizeof w);
	assert_memory_not_equal(w, wo, sizeof w);
	sched_free(&s);
	sched_free(&same);
	sched_free(&other);
}

static void test_backoff_never_shorter_than_interval(void **state)
{
	(void)state;
	struct sched *s = new_sched(3);
	struct probe p = {0};
	int id = add(s, SRC_MLFLOW, 30000, &p);
	int64_t w[3];
	fail_n(s, id, &p, 3, w);
	assert_int_equal(w[0], 30000);
	assert_int_equal(w[1], 30000);
	assert_int_equal(w[2], 30000);
	sched_free(&s);
}

static void test_success_resets_backoff(void **state)
{
	(void)state;
	struct sched *s = new_sched(5);
	struct probe p = {0};
	int id = add(s, SRC_SCRAPE, 100, &p);
	int64_t w[4];
	fail_n(s, id, &p, 4, w);
	assert_true(w[3] >= 6400);
	fake_now += sched_job_due_in(s, id);
	assert_int_equal(sched_run_due(s), 1);
	assert_int_equal(sched_done(s, id, p.gen, 1, 5, NULL), 1);
	assert_int_equal(sched_job_errors(s, id), 0);
	assert_int_equal(sched_job_due_in(s, id), 100);
	fail_n(s, id, &p, 1, w);
	assert_in_range(w[0], 800, 1200);
	sched_free(&s);
}

static void test_refresh_skips_backoff(void **state)
{
	(void)state;
	struct sched *s = new_sched(9);
	struct probe p = {0}, q = {0};
	int id = add(s, SRC_MLFLOW, 100, &p);
	int64_t w[3];
	fail_n(s, id, &p, 3, w);
	assert_true(sched_job_due_in(s, id) >= 3200);
	sched_refresh(s, id);
	assert_int_equal(sched_next_due_in(s), 0);
	assert_int_equal(sched_run_due(s), 1);

	/* Refreshed while in flight: due again as soon as it ends, not an interval later. */
	sched_refresh(s, id);
	assert_int_equal(sched_run_due(s), 0);
	assert_int_equal(sched_done(s, id, p.gen, 1, 5, NULL), 1);
	assert_int_equal(sched_job_due_in(s, id), 0);
	assert_int_equal(sched_run_due(s), 1);
	assert_int_equal(sched_done(s, id, p.gen, 1, 5, NULL), 1);
	assert_int_equal(sched_job_due_in(s, id), 100);

	/* -1 refreshes every job, including those only run when asked. */
	int on_demand = add(s, SRC_MLFLOW, 0, &q);
	assert_int_equal(sched_run_due(s), 1);
	sched_done(s, on_demand, q.gen, 1, 5, NULL);
	assert_int_equal(sched_job_due_in(s, on_demand), -1);
	sched_refresh(s, -1);
	assert_int_equal(sched_next_due_in(s), 0);
	assert_int_equal(sched_run_due(s), 2);
	sched_free(&s);
}

static void test_restart_makes_answer_stale(void **state)
{
	(void)state;
	struct sched *s = new_sched(1);
	struct probe p = {0};
	int id = add(s, SRC_MLFLOW, 5000, &p);
	assert_int_equal(sched_run_due(s), 1);
	uint64_t old = p.gen;
	sched_restart(s, id);
	assert_int_equal(sched_in_flight(s, id), 0);
	assert_int_equal(sched_next_due_in(s), 0);
	assert_int_equal(sched_run_due(s), 1);
	assert_true(p.gen != old);
	assert_int_equal(sched_done(s, id, old, 0, 5, "old answer"), 0); /* stale: dropped */
	assert_int_equal(sched_in_flight(s, id), 1);
	assert_int_equal(sched_source(s, SRC_MLFLOW)->health, HEALTH_PENDING);
	assert_int_equal(sched_done(s, id, p.gen, 1, 5, NULL), 1);
	assert_int_equal(sched_source(s, SRC_MLFLOW)->health, HEALTH_OK);

	/* An answer for a removed job is stale too, even when its id is reused. */
	assert_int_equal(sched_job_due_in(s, id), 5000);
	fake_now += 5000;
	assert_int_equal(sched_run_due(s), 1);
	uint64_t removed_gen = p.gen;
	sched_remove(s, id);
	int id2 = add(s, SRC_MLFLOW, 5000, &p);
	assert_int_equal(id2, id);
	assert_int_equal(sched_run_due(s), 1);
	assert_int_equal(sched_done(s, id, removed_gen, 1, 5, NULL), 0);
	assert_int_equal(sched_done(s, id2, p.gen, 1, 5, NULL), 1);
	sched_free(&s);
}

static void test_health_transitions(void **state)
{
	(void)state;
	struct sched *s = new_sched(1);
	struct probe a = {0}, b = {0};
	assert_int_equal(sched_source(s, SRC_KSERVE)->health, HEALTH_OFF);
	int ja = add(s, SRC_MLFLOW, 1000, &a);
	const struct source_status *st = sched_source(s, SRC_MLFLOW);
	assert_int_equal(st->health, HEALTH_PENDING);
	assert_int_equal(st->last_ok_ms, 0);

	sched_run_due(s);
	sched_done(s, ja, a.gen, 1, 120, NULL);
	assert_int_equal(st->health, HEALTH_OK);
	assert_int_equal(st->last_ok_ms, fake_now);
	assert_int_equal(st->latency_ms, 120);

	fake_now += 1000;
	sched_run_due(s);
	sched_done(s, ja, a.gen, 1, 2500, NULL);
	assert_int_equal(st->health, HEALTH_SLOW);
	sched_set_slow_ms(s, 3000);
	fake_now += 1000;
	sched_run_due(s);
	sched_done(s, ja, a.gen, 1, 2500, NULL);
	assert_int_equal(st->health, HEALTH_OK);

	/* Worst of the jobs' latest outcomes. */
	int jb = add(s, SRC_MLFLOW, 1000, &b);
	assert_int_equal(st->health, HEALTH_OK);
	fake_now += 1000;
	int64_t failed_at = fake_now;
	assert_int_equal(sched_run_due(s), 2);
	sched_done(s, ja, a.gen, 1, 10, NULL);
	sched_done(s, jb, b.gen, 0, 10, "HTTP 502 from mlflow: bad gateway\nsecond line");
	assert_int_equal(st->health, HEALTH_DOWN);
	assert_int_equal(st->errors, 1);
	assert_int_equal(st->last_error_ms, failed_at);
	assert_string_equal(st->last_error, "HTTP 502 from mlflow: bad gateway");
	fake_now += sched_job_due_in(s, jb);
	sched_run_due(s);
	sched_done(s, jb, b.gen, 1, 10, NULL);
	if (sched_in_flight(s, ja)) /* due at about the same time */
		sched_done(s, ja, a.gen, 1, 10, NULL);
	assert_int_equal(st->health, HEALTH_OK);
	assert_int_equal(st->errors, 0);
	assert_int_equal(st->last_error_ms, failed_at); /* kept: when it last failed */

	sched_free(&s);
}

/* A fetch that stalls makes its source slow while it stalls (the header says so before any
 * timeout), and its end decides: down when it failed. */
static void test_stalled_fetch_is_slow(void **state)
{
	(void)state;
	struct sched *s = new_sched(1);
	struct probe a = {0};
	int ja = add(s, SRC_KSERVE, 1000, &a);
	const struct source_status *st = sched_source(s, SRC_KSERVE);
	sched_run_due(s);
	fake_now += 5000;
	sched_run_due(s);
	assert_int_equal(st->health, HEALTH_PENDING); /* a first fetch: pending, however long */
	sched_done(s, ja, a.gen, 1, 10, NULL);
	fake_now += 1000;
	assert_int_equal(sched_run_due(s), 1);
	fake_now += 2000;
	sched_run_due(s);
	assert_int_equal(st->health, HEALTH_OK); /* at the threshold: not yet */
	fake_now += 1;
	sched_run_due(s);
	assert_int_equal(st->health, HEALTH_SLOW);
	fake_now += 13000;
	sched_done(s, ja, a.gen, 0, 15001, "no answer within 15 s");
	assert_int_equal(st->health, HEALTH_DOWN);
	/* a down source stays down while its retry stalls */
	fake_now += sched_job_due_in(s, ja);
	sched_run_due(s);
	fake_now += 5000;
	sched_run_due(s);
	assert_int_equal(st->health, HEALTH_DOWN);
	sched_free(&s);
}

static void test_health_configured_off(void **state)
{
	(void)state;
	struct sched *s = new_sched(1);
	struct probe a = {0}, b = {0};
	int ja = add(s, SRC_MLFLOW, 1000, &a);
	add(s, SRC_MLFLOW, 1000, &b);
	const struct source_status *st = sched_source(s, SRC_MLFLOW);
	assert_int_equal(sched_run_due(s), 2);
	sched_done(s, ja, a.gen, 1, 10, NULL);
	assert_int_equal(st->health, HEALTH_OK); /* the other job has not answered yet */

	/* Configured off: OFF, and its jobs are not started. */
	sched_source_configure(s, SRC_MLFLOW, 0);
	assert_int_equal(st->health, HEALTH_OFF);
	fake_now += 100000;
	assert_int_equal(sched_run_due(s), 0);
	assert_int_equal(sched_next_due_in(s), -1);
	sched_source_configure(s, SRC_MLFLOW, 1);
	assert_int_equal(st->health, HEALTH_OK);
	assert_int_equal(sched_run_due(s), 1); /* the other one is still in flight */

	sched_source_configure(s, SRC_SAMPLES, 1);
	assert_int_equal(sched_source(s, SRC_SAMPLES)->health, HEALTH_PENDING);
	sched_free(&s);
}

static void test_start_failure_counts(void **state)
{
	(void)state;
	struct sched *s = new_sched(1);
	struct probe p = {.rc = -5};
	int id = add(s, SRC_ALERTMANAGER, 1000, &p);
	assert_int_equal(sched_run_due(s), 0);
	assert_int_equal(p.starts, 1);
	const struct source_status *st = sched_source(s, SRC_ALERTMANAGER);
	assert_int_equal(st->health, HEALTH_DOWN);
	assert_int_equal(st->errors, 1);
	assert_non_null(strstr(st->last_error, "test/job"));
	assert_int_equal(sched_in_flight(s, id), 0);
	assert_in_range(sched_job_due_in(s, id), 1000, 1200);
	sched_free(&s);
}

static void test_next_due_in(void **state)
{
	(void)state;
	struct sched *s = new_sched(1);
	struct probe a = {0}, b = {0};
	assert_int_equal(sched_next_due_in(s), -1);
	int ja = add(s, SRC_MLFLOW, 3000, &a);
	int jb = add(s, SRC_PROMETHEUS, 700, &b);
	assert_int_equal(sched_next_due_in(s), 0);
	assert_int_equal(sched_run_due(s), 2);
	assert_int_equal(sched_next_due_in(s), -1);
	sched_done(s, ja, a.gen, 1, 1, NULL);
	assert_int_equal(sched_next_due_in(s), 3000);
	fake_now += 100;
	sched_done(s, jb, b.gen, 1, 1, NULL);
	assert_int_equal(sched_next_due_in(s), 700);
	fake_now += 5000;
	assert_int_equal(sched_next_due_in(s), 0); /* overdue is 0, never negative */
	sched_remove(s, ja);
	sched_remove(s, jb);
	assert_int_equal(sched_next_due_in(s), -1);
	sched_free(&s);
}

/* NTP steps the wall clock back an hour: the next poll is still due one interval after the
 * last answer, and the ages of the status follow the wall clock. */
static void test_wall_clock_step_back(void **state)
{
	(void)state;
	struct sched *s = new_sched(1);
	struct probe p = {0};
	int id = add(s, SRC_MLFLOW, 5000, &p);
	const struct source_status *st = sched_source(s, SRC_MLFLOW);
	wall_step = 1700000000000;
	assert_int_equal(sched_run_due(s), 1);
	sched_done(s, id, p.gen, 1, 10, NULL);
	assert_int_equal(st->last_ok_ms, 1700000000000 + fake_now);
	wall_step -= 3600000;
	assert_int_equal(sched_job_due_in(s, id), 5000);
	fake_now += 5000;
	assert_int_equal(sched_run_due(s), 1);
	sched_done(s, id, p.gen, 0, 10, "HTTP 502 from mlflow: bad gateway");
	assert_int_equal(st->last_error_ms, fake_wall());
	int64_t wait = sched_job_due_in(s, id);
	assert_int_equal(wait, 5000); /* the interval: longer than the first backoff */
	wall_step -= 3600000;
	fake_now += wait;
	assert_int_equal(sched_run_due(s), 1);
	sched_done(s, id, p.gen, 1, 10, NULL);
	assert_int_equal(st->last_ok_ms, fake_wall());
	sched_free(&s);
}

/* Fails once with the server asking to wait retry_ms; returns the wait the job got. */
static int64_t fail_asked(struct sched *s, int id, struct probe *p, int64_t retry_ms)
{
	fake_now += sched_job_due_in(s, id);
	assert_int_equal(sched_run_due(s), 1);
	assert_int_equal(
	    sched_done_retry(s, id, p->gen, 0, 5, "MLflow 429 Too Many Requests", retry_ms), 1);
	return sched_job_due_in(s, id);
}

static void test_retry_after(void **state)
{
	(void)state;
	struct sched *s = new_sched(3);
	struct probe p = {0};
	int id = add(s, SRC_MLFLOW, 1000, &p);
	const struct source_status *st = sched_source(s, SRC_MLFLOW);
	/* longer than backoff and interval: the server's wait */
	assert_int_equal(fail_asked(s, id, &p, 120000), 120000);
	assert_int_equal(st->retry_after_ms, 120000);
	assert_int_equal(sched_source_wait_in(s, SRC_MLFLOW), 120000);
	assert_string_equal(st->last_error,
	                    "MLflow 429 Too Many Requests (the server asked to wait 120 s)");
	fake_now += 119999;
	assert_int_equal(sched_run_due(s), 0);
	assert_int_equal(sched_source_wait_in(s, SRC_MLFLOW), 1);
	fake_now -= 119999;
	/* an hour is capped at five minutes */
	assert_int_equal(fail_asked(s, id, &p, 3600000), SCHED_RETRY_MAX_MS);
	assert_int_equal(st->retry_after_ms, SCHED_RETRY_MAX_MS);
	/* shorter than the backoff (60 s at the 7th failure in a row): the backoff */
	for (int i = 0; i < 4; i++)
		fail_asked(s, id, &p, 0);
	assert_int_equal(sched_source_wait_in(s, SRC_MLFLOW), 0);
	int64_t w = fail_asked(s, id, &p, 1000);
	assert_in_range(w, 48000, 72000);
	/* an answer clears it */
	fake_now += w;
	assert_int_equal(sched_run_due(s), 1);
	sched_done(s, id, p.gen, 1, 5, NULL);
	assert_int_equal(st->retry_after_ms, 0);
	assert_int_equal(sched_source_wait_in(s, SRC_MLFLOW), 0);
	assert_int_equal(sched_job_due_in(s, id), 1000);
	sched_free(&s);
}

static void test_source_names(void **state)
{
	(void)state;
	assert_string_equal(sched_source_name(SRC_MLFLOW), "mlflow");
	assert_string_equal(sched_source_name(SRC_PROMETHEUS), "prometheus");
	assert_string_equal(sched_source_name(SRC_SCRAPE), "scrape");
	assert_string_equal(sched_source_name(SRC_ALERTMANAGER), "alertmanager");
	assert_string_equal(sched_source_name(SRC_KSERVE), "kserve");
	assert_string_equal(sched_source_name(SRC_SAMPLES), "samples");
}

int main(void)
{
	const struct CMUnitTest tests[] = {
	    cmocka_unit_test(test_interval),
	    cmocka_unit_test(test_in_flight_not_started_twice),
	    cmocka_unit_test(test_backoff_growth_cap_and_jitter),
	    cmocka_unit_test(test_backoff_never_shorter_than_interval),
	    cmocka_unit_test(test_success_resets_backoff),
	    cmocka_unit_test(test_refresh_skips_backoff),
	    cmocka_unit_test(test_restart_makes_answer_stale),
	    cmocka_unit_test(test_health_transitions),
	    cmocka_unit_test(test_stalled_fetch_is_slow),
	    cmocka_unit_test(test_health_configured_off),
	    cmocka_unit_test(test_start_failure_counts),
	    cmocka_unit_test(test_next_due_in),
	    cmocka_unit_test(test_wall_clock_step_back),
	    cmocka_unit_test(test_retry_after),
	    cmocka_unit_test(test_source_names),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
