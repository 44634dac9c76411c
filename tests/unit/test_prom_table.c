/* test_prom_table: the sparklines' bounded stores. A sparkline kept by time (prom_spark_merge)
 * holds one point per stretch of the clock, the highest of it at its newest time, is allocated
 * once at its cap and drops its oldest there; the p99 column's cells drawn from it are those
 * drawn from every point. A sparkline kept by count (prom_spark_push) grows by doubling, never
 * past its cap, and prom_spark_reserve sizes it at once. */
#include <math.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>

#include <cmocka.h>

#include "clients/prom_table.h"

/* A value that moves at every point and spikes now and then, as a p99 does. */
static double wobble(int64_t i)
{
	return 0.1 + 0.01 * (double)(i % 7) + (i % 997 == 0 ? 0.5 : 0);
}

static void test_merge_stretches(void **state)
{
	(void)state;
	struct prom_spark s = {0};
	double hi[6] = {0};
	for (int64_t t = 0; t < 60000; t += 500) { /* every 0.5 s for 60 s: 6 stretches of 10 s */
		double v = wobble(t / 500);
		assert_int_equal(prom_spark_merge(&s, t, v, 10000, 100), 0);
		hi[t / 10000] = fmax(hi[t / 10000], v);
	}
	assert_int_equal(s.n, 6);
	for (size_t i = 0; i < 6; i++) {
		assert_int_equal(s.pts[i].ts_ms, (int64_t)i * 10000 + 9500); /* the newest time */
		assert_true(s.pts[i].v == hi[i]);                            /* the highest value */
	}
	/* an older point is dropped; NaN never hides a value; a stretch of NaN alone stays NaN */
	assert_int_equal(prom_spark_merge(&s, 1000, 9, 10000, 100), 0);
	assert_int_equal(s.n, 6);
	assert_true(s.pts[0].v == hi[0]);
	assert_int_equal(prom_spark_merge(&s, 60000, NAN, 10000, 100), 0);
	assert_true(isnan(s.pts[6].v));
	assert_int_equal(prom_spark_merge(&s, 61000, 0.2, 10000, 100), 0);
	assert_int_equal(prom_spark_merge(&s, 62000, NAN, 10000, 100), 0);
	assert_int_equal(s.n, 7);
	assert_true(s.pts[6].v == 0.2);
	assert_int_equal(s.pts[6].ts_ms, 62000);
	free(s.pts);
}

static void test_merge_cap(void **state)
{
	(void)state;
	struct prom_spark s = {0};
	assert_int_equal(prom_spark_merge(&s, 0, 1, 1000, 5), 0);
	const struct prom_pt *first = s.pts;
	assert_int_equal(s.cap, 5); /* allocated at its cap on the first point */
	for (int64_t k = 1; k < 20; k++)
		assert_int_equal(prom_spark_merge(&s, k * 1000, (double)k, 1000, 5), 0);
	assert_int_equal(s.n, 5);
	assert_int_equal(s.cap, 5);
	assert_ptr_equal(s.pts, first);          /* never moved nor grown */
	assert_int_equal(s.pts[0].ts_ms, 15000); /* the oldest went first */
	assert_true(s.pts[4].v == 19);
	free(s.pts);
}

/* The p99 column's cells (see serving_view.c): 16 cells of 112.5 s aligned to the clock, ending
 * at the newest point, each the highest point in it. */
static void cells(const struct prom_spark *s, double *cell)
{
	const int64_t w = 1800000 / 16;
	int64_t last = s->pts[s->n - 1].ts_ms / w;
	for (int i = 0; i < 16; i++)
		cell[i] = NAN;
	for (size_t i = s->n; i-- > 0;) {
		int64_t back = last - s->pts[i].ts_ms / w;
		if (back >= 16)
			break;
		double *c = &cell[15 - back];
		if (isnan(*c) || s->pts[i].v > *c)
			*c = s->pts[i].v;
	}
}

/* A refresh of 0.5 s for 45 min, each point put on a sparkline of every point and on one kept by
 * time over 30 min (as the scrape history keeps it): every refresh draws the same cells. */
static void test_merge_same_cells(void **state)
{
	(void)state;
	struct prom_spark all = {0}, kept = {0};
	size_t max = 1800000 / PROM_SPARK_STEP_MS + 2;
	int64_t t0 = 1764500000123; /* not on a stretch */
	for (int64_t i = 0; i < 5400; i++) {
		int64_t t = t0 + i * 500;
		prom_spark_trim(&all, t - 1800000);
		prom_spark_trim(&kept, t - 1800000);
		assert_int_equal(prom_spark_push(&all, t, wobble(i), 5000), 0);
		assert_int_equal(prom_spark_merge(&kept, t, wobble(i), PROM_SPARK_STEP_MS, max), 0);
		double a[16], b[16];
		cells(&all, a);
		cells(&kept, b);
		for (int c = 0; c < 16; c++)
			assert_true((isnan(a[c]) && isnan(b[c])) || a[c] == b[c]);
		assert_true(kept.n <= max && kept.cap == max);
	}
	assert_int_equal(all.n, 3601);
	assert_true(kept.pts[0].ts_ms >= t0 + 5400 * 500 - 1800000 - 500);
	free(all.pts);
	free(kept.pts);
}

static void test_push_cap(void **state)
{
	(void)state;
	struct prom_spark s = {0};
	for (int64_t t = 1; t <= 100; t++) {
		assert_int_equal(prom_spark_push(&s, t, (double)t, 1), 0);
		assert_int_equal(s.cap, 1); /* a gauge's last sample: room for one, never more */
	}
	assert_true(s.n == 1 && s.pts[0].v == 100);
	free(s.pts);
	s = (struct prom_spark){0};
	for (int64_t t = 1; t <= 100; t++)
		assert_int_equal(prom_spark_push(&s, t, (double)t, 40), 0);
	assert_int_equal(s.n, 40);
	assert_int_equal(s.cap, 40); /* 16, 32, then the cap rather than 64 */
	assert_true(s.pts[0].v == 61);
	assert_int_equal(prom_spark_reserve(&s, 100), 0);
	assert_int_equal(s.cap, 100);
	assert_int_equal(prom_spark_reserve(&s, 10), 0); /* never shrinks what it holds */
	assert_int_equal(s.cap, 100);
	assert_true(s.n == 40 && s.pts[39].v == 100);
	free(s.pts);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
	    cmocka_unit_test(test_merge_stretches),
	    cmocka_unit_test(test_merge_cap),
	    cmocka_unit_test(test_merge_same_cells),
	    cmocka_unit_test(test_push_cap),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
