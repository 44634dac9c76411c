#include "clients/scrape_math.h"

#include <math.h>
#include <stdlib.h>

/* The increase over pts[0..n), a decrease counting as a reset. */
static double scrape_math_increase(const struct prom_pt *p, size_t n)
{
	double inc = p[n - 1].v - p[0].v, last = 0;
	for (size_t i = 0; i < n; i++) {
		if (p[i].v < last)
			inc += last;
		last = p[i].v;
	}
	return inc;
}

int scrape_math_rate(const struct prom_pt *pts, size_t n, int64_t end_ms, int64_t range_ms,
                     double *out)
{
	int64_t start_ms = end_ms - range_ms;
	size_t a = 0, b = n;
	while (a < n && pts[a].ts_ms < start_ms)
		a++;
	while (b > a && pts[b - 1].ts_ms > end_ms)
		b--;
	if (b - a < 2 || range_ms <= 0)
		return -1;
	const struct prom_pt *p = pts + a;
	size_t k = b - a;
	double inc = scrape_math_increase(p, k);
	double to_start = (double)(p[0].ts_ms - start_ms) / 1000;
	double to_end = (double)(end_ms - p[k - 1].ts_ms) / 1000;
	double sampled = (double)(p[k - 1].ts_ms - p[0].ts_ms) / 1000;
	double avg = sampled / (double)(k - 1);
	if (inc > 0 && p[0].v >= 0) {
		double to_zero = sampled * (p[0].v / inc);
		if (to_zero < to_start)
			to_start = to_zero;
	}
	double threshold = avg * 1.1, interval = sampled;
	interval += to_start < threshold ? to_start : avg / 2;
	interval += to_end < threshold ? to_end : avg / 2;
	*out = inc * (interval / sampled) / ((double)range_ms / 1000);
	return 0;
}

static int scrape_math_cmp(const void *x, const void *y)
{
	double a = ((const struct scrape_bucket *)x)->le, b = ((const struct scrape_bucket *)y)->le;
	return a < b ? -1 : a > b;
}

/* Sums buckets of equal bound and raises a count lower than the one before; returns the new
 * number of buckets. */
static size_t scrape_math_tidy(struct scrape_bucket *b, size_t n)
{
	size_t m = 0;
	for (size_t i = 0; i < n; i++) {
		if (m && b[m - 1].le == b[i].le)
			b[m - 1].count += b[i].count;
		else
			b[m++] = b[i];
	}
	double max = -HUGE_VAL;
	for (size_t i = 0; i < m; i++) {
		if (b[i].count > max)
			max = b[i].count;
		else if (b[i].count < max)
			b[i].count = max;
	}
	return m;
}

double scrape_math_quantile(double q, struct scrape_bucket *b, size_t n)
{
	if (isnan(q))
		return NAN;
	if (q < 0)
		return -HUGE_VAL;
	if (q > 1)
		return HUGE_VAL;
	if (!n)
		return NAN;
	qsort(b, n, sizeof *b, scrape_math_cmp);
	if (!isinf(b[n - 1].le) || b[n - 1].le < 0)
		return NAN;
	n = scrape_math_tidy(b, n);
	if (n < 2 || b[n - 1].count == 0)
		return NAN;
	double rank = q * b[n - 1].count;
	size_t i = 0;
	while (i < n - 1 && !(b[i].count >= rank))
		i++;
	if (i == n - 1)
		return b[n - 2].le;
	if (i == 0 && b[0].le <= 0)
		return b[0].le;
	double start = 0, end = b[i].le, count = b[i].count;
	if (i > 0) {
		start = b[i - 1].le;
		count -= b[i - 1].count;
		rank -= b[i - 1].count;
	}
	return start + (end - start) * (rank / count);
}
