/* bench: what the bench programs share — a clock, medians, and the one line format of
 * bench/results.txt:
 *   name value unit  [peer value unit, ratio r]
 * Every bench/bench_*.c file is its own program (see the Makefile), so this is a header of static
 * inline helpers rather than a .c of its own. Benchmarks report; they never assert. */
#ifndef MLTOP_BENCH_H
#define MLTOP_BENCH_H

#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <time.h>

static inline int64_t bench_now_ns(void)
{
	struct timespec ts;
	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (int64_t)ts.tv_sec * 1000000000 + ts.tv_nsec;
}

static inline int bench_cmp_double(const void *a, const void *b)
{
	double x = *(const double *)a, y = *(const double *)b;
	return (x > y) - (x < y);
}

/* The median of v[0..n) (sorts v); 0 when n is 0. */
static inline double bench_median(double *v, size_t n)
{
	if (!n)
		return 0;
	qsort(v, n, sizeof *v, bench_cmp_double);
	return n % 2 ? v[n / 2] : (v[n / 2 - 1] + v[n / 2]) / 2;
}

/* A value with about four significant digits and no exponent. */
static inline void bench_fmt(char *buf, size_t size, double v)
{
	double a = v < 0 ? -v : v;
	snprintf(buf, size, a >= 1000 ? "%.0f" : a >= 100 ? "%.1f" : a >= 1 ? "%.2f" : "%.4f", v);
}

/* One figure against its peer, on stdout; the ratio is value / peer. */
static inline void bench_line(const char *name, double v, const char *unit, const char *peer,
                              double pv, const char *punit)
{
	char a[32], b[32], r[32];
	bench_fmt(a, sizeof a, v);
	bench_fmt(b, sizeof b, pv);
	if (pv > 0)
		bench_fmt(r, sizeof r, v / pv);
	else
		snprintf(r, sizeof r, "n/a");
	printf("%s %s %s  [%s %s %s, ratio %s]\n", name, a, unit, peer, b, punit, r);
	fflush(stdout);
}

#endif
