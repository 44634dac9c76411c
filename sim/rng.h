/* mltop-sim: a small seeded PRNG (splitmix64) and stateless hashing, so that every part of the
 * simulated world can be derived from (seed, index) on demand. */
#ifndef MLTOP_SIM_RNG_H
#define MLTOP_SIM_RNG_H

#include <stddef.h>
#include <stdint.h>

struct rng {
	uint64_t state;
};

/* A stream seeded from any number of keys mixed by rng_hash. */
void rng_init(struct rng *r, uint64_t seed);
uint64_t rng_next(struct rng *r);
/* Uniform in [0, 1). */
double rng_unit(struct rng *r);
/* Uniform integer in [lo, hi] (inclusive). */
long rng_range(struct rng *r, long lo, long hi);
/* Uniform double in [lo, hi). */
double rng_uniform(struct rng *r, double lo, double hi);
/* Approximately normal (mean 0, sd 1). */
double rng_gauss(struct rng *r);
/* Fills buf with len random bytes. */
void rng_bytes(struct rng *r, void *buf, size_t len);

/* Stateless: a well-mixed 64-bit value from two keys (combine more by nesting). */
uint64_t rng_hash(uint64_t a, uint64_t b);
/* Stateless: the same as a number in [0, 1). */
double rng_hash_unit(uint64_t a, uint64_t b);

#endif
