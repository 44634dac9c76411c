/* mltop-sim: world time = start + real elapsed time * time_scale + explicit advances.
 * Real elapsed time comes from CLOCK_MONOTONIC so that wall-clock jumps do not move the world. */
#include "sim/clock.h"

#include <stdatomic.h>
#include <time.h>

static int64_t clock_start_ms;
static int64_t clock_mono0_ns;
static double clock_scale = 1.0;
static _Atomic int64_t clock_advanced_ms;

static int64_t clock_read_ns(clockid_t id)
{
	struct timespec ts;

	clock_gettime(id, &ts);
	return (int64_t)ts.tv_sec * 1000000000LL + ts.tv_nsec;
}

void sim_clock_init_at(double time_scale, int64_t start_ms)
{
	clock_scale = time_scale;
	clock_start_ms = start_ms;
	clock_mono0_ns = clock_read_ns(CLOCK_MONOTONIC);
	atomic_store(&clock_advanced_ms, 0);
}

void sim_clock_init(double time_scale)
{
	sim_clock_init_at(time_scale, clock_read_ns(CLOCK_REALTIME) / 1000000);
}

int64_t sim_clock_start_ms(void)
{
	return clock_start_ms;
}

int64_t sim_now_ms(void)
{
	double elapsed_ms = (double)(clock_read_ns(CLOCK_MONOTONIC) - clock_mono0_ns) / 1e6;

	return clock_start_ms + (int64_t)(elapsed_ms * clock_scale) +
	       atomic_load(&clock_advanced_ms);
}

void sim_clock_advance(int64_t ms)
{
	if (ms > 0)
		atomic_fetch_add(&clock_advanced_ms, ms);
}
