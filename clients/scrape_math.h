/* scrape_math: Prometheus' rate() and histogram_quantile() on samples mltop scraped itself, so
 * that a model server without a Prometheus shows the same figures a Prometheus would. */
#ifndef MLTOP_SCRAPE_MATH_H
#define MLTOP_SCRAPE_MATH_H

#include <stddef.h>
#include <stdint.h>

#include "clients/prom_table.h"

/* rate(x[range]) evaluated at end_ms over one counter's samples (sorted by time), as Prometheus
 * 2.x computes it: the samples with end_ms - range_ms <= ts <= end_ms; a decrease is a counter
 * reset (the new value counts from 0); the increase is extrapolated to the edges of the range
 * (by at most half the mean gap between samples, and never below a counter's zero), then
 * divided by the range in seconds. Returns 0 with *out set, or -1 when fewer than two samples
 * fall in the range (Prometheus then has no value either). */
int scrape_math_rate(const struct prom_pt *pts, size_t n, int64_t end_ms, int64_t range_ms,
                     double *out);

struct scrape_bucket {
	double le;    /* upper bound, +Inf for the last */
	double count; /* cumulative (a rate or a count) */
};

/* histogram_quantile(q, buckets) as Prometheus computes it: buckets are sorted by le and those
 * of equal le summed, a count lower than the one before is raised to it (monotonicity), the
 * rank q * total is found and interpolated linearly within its bucket; the lowest bucket starts
 * at 0 (or is its bound when that bound is <= 0); a rank in the +Inf bucket gives the highest
 * finite bound. NaN without a +Inf bucket, with fewer than two buckets, with no observation or
 * q NaN; -Inf for q < 0 and +Inf for q > 1. Sorts b in place. */
double scrape_math_quantile(double q, struct scrape_bucket *b, size_t n);

#endif
