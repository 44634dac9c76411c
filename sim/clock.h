/* mltop-sim: the world clock (sim_clock_init, sim_now_ms and sim_clock_advance are in sim.h). */
#ifndef MLTOP_SIM_CLOCK_H
#define MLTOP_SIM_CLOCK_H

#include "sim/sim.h"

/* Like sim_clock_init, but the world starts at start_ms instead of the wall clock's now. */
void sim_clock_init_at(double time_scale, int64_t start_ms);
/* The world time at sim_clock_init. */
int64_t sim_clock_start_ms(void);

#endif
