/* clock: the two clocks of mltop, in milliseconds. The monotonic one for what must not jump
 * (schedules, timeouts, backoff, how long a load took); the wall one for what a person reads or
 * a server compares ("updated 3m ago", times in the cache and the audit log, times sent). */
#ifndef MLTOP_CLOCK_H
#define MLTOP_CLOCK_H

#include <stdint.h>

int64_t clock_mono_ms(void);
int64_t clock_wall_ms(void);

#endif
