/* test_canary: the canary rule on fixed counts. The expected z and p-values were computed by
 * hand from the formula in clients/canary.h (pooled ratio, its standard error, erfc). */
#include <math.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>

#include <cmocka.h>

#include "clients/canary.h"

#define NEAR(a, b, tol) assert_true(fabs((a) - (b)) <= (tol))

static void test_z_by_hand(void **state)
{
	(void)state;
	/* 40/1000 vs 10/1000: p = 50/2000 = 0.025, se = sqrt(0.025 * 0.975 * 0.002) = 0.0069821,
	 * z = 0.03 / 0.0069821 = 4.29669, p-value 1.7337e-5 */
	NEAR(canary_z(40, 1000, 10, 1000), 4.296689, 1e-6);
	NEAR(canary_p_two_sided(canary_z(40, 1000, 10, 1000)), 1.73368e-5, 1e-9);
	/* 12/1000 vs 10/1000: z = 0.42877, p = 0.66809 */
	NEAR(canary_z(12, 1000, 10, 1000), 0.428766, 1e-6);
	NEAR(canary_p_two_sided(0.428766), 0.668093, 1e-6);
	/* the other way round changes the sign only */
	NEAR(canary_z(10, 1000, 40, 1000), -4.296689, 1e-6);
	/* no error at all: no variance, no difference */
	assert_true(canary_z(0, 1000, 0, 1000) == 0);
	assert_true(isnan(canary_z(1, 0, 1, 100)));
	assert_true(isnan(canary_z(5, 4, 1, 100)));
}

static void test_worse_errors(void **state)
{
	(void)state;
	struct canary_side c = {1000, 40, 0.100}, s = {1000, 10, 0.100};
	struct canary_result r;
	canary_judge(&c, &s, NULL, &r);
	assert_int_equal(r.errors, CANARY_WORSE);
	assert_int_equal(r.latency, CANARY_SAME);
	assert_int_equal(r.overall, CANARY_WORSE);
	NEAR(r.err_canary, 0.04, 1e-12);
	NEAR(r.err_stable, 0.01, 1e-12);
	NEAR(r.p95_ratio, 1.0, 1e-12);
	NEAR(r.rule.min_requests, CANARY_MIN_REQUESTS, 0);
}

static void test_better_and_same(void **state)
{
	(void)state;
	struct canary_side c = {2000, 5, 0.090}, s = {2000, 30, 0.100};
	struct canary_result r;
	canary_judge(&c, &s, NULL, &r);
	NEAR(r.z, -4.244381, 1e-6);
	assert_int_equal(r.errors, CANARY_BETTER);
	assert_int_equal(r.latency, CANARY_SAME); /* 0.9 is not below 1/1.2 = 0.833 */
	assert_int_equal(r.overall, CANARY_BETTER);
	c = (struct canary_side){1000, 12, 0.110};
	s = (struct canary_side){1000, 10, 0.100};
	canary_judge(&c, &s, NULL, &r);
	assert_int_equal(r.overall, CANARY_SAME);
}

static void test_latency_tolerance(void **state)
{
	(void)state;
	struct canary_side c = {1000, 10, 0.130}, s = {1000, 10, 0.100};
	struct canary_result r;
	canary_judge(&c, &s, NULL, &r); /* 1.3 > 1.2 */
	assert_int_equal(r.latency, CANARY_WORSE);
	assert_int_equal(r.overall, CANARY_WORSE);
	struct canary_rule loose = {0, 0, 1.5};
	canary_judge(&c, &s, &loose, &r); /* 1.3 < 1.5 */
	assert_int_equal(r.latency, CANARY_SAME);
	assert_int_equal(r.overall, CANARY_SAME);
	NEAR(r.rule.p95_tol, 1.5, 0);
}

static void test_not_enough(void **state)
{
	(void)state;
	struct canary_side c = {499, 40, 0.3}, s = {100000, 10, 0.1};
	struct canary_result r;
	canary_judge(&c, &s, NULL, &r);
	assert_int_equal(r.overall, CANARY_NOT_ENOUGH);
	assert_int_equal(r.errors, CANARY_NOT_ENOUGH);
	assert_false(isnan(r.z)); /* the numbers are still shown */
	struct canary_rule few = {100, 0, 0};
	canary_judge(&c, &s, &few, &r);
	assert_int_equal(r.overall, CANARY_WORSE);
	c = (struct canary_side){NAN, NAN, NAN};
	canary_judge(&c, &s, NULL, &r);
	assert_int_equal(r.overall, CANARY_NOT_ENOUGH);
	assert_true(isnan(r.z) && isnan(r.p95_ratio));
	/* enough requests but no latency: the errors decide nothing alone */
	c = (struct canary_side){1000, 10, NAN};
	s = (struct canary_side){1000, 10, 0.1};
	canary_judge(&c, &s, NULL, &r);
	assert_int_equal(r.overall, CANARY_NOT_ENOUGH);
	assert_string_equal(canary_verdict_name(CANARY_NOT_ENOUGH), "not enough traffic yet");
}

int main(void)
{
	const struct CMUnitTest tests[] = {
	    cmocka_unit_test(test_z_by_hand),       cmocka_unit_test(test_worse_errors),
	    cmocka_unit_test(test_better_and_same), cmocka_unit_test(test_latency_tolerance),
	    cmocka_unit_test(test_not_enough),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
