/* fault.h: injected faults per path prefix, and the /-/sim/ control endpoints. */
#ifndef MLTOP_SIM_FAULT_H
#define MLTOP_SIM_FAULT_H

#include "sim/sim.h"

#define FAULT_MAX 32

/* Forget every fault. */
void fault_clear(void);
/* Add (or replace, for the same prefix) one fault. Returns 0, or -1 when the table is full. */
int fault_add(const struct sim_fault *f);
/* Answers the /-/sim/ control paths (faults, advance, time). 1 when the path was its own. */
int fault_route(const struct sim_req *req, struct sim_resp *resp);

#endif
