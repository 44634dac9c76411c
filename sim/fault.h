/* fault.h: injected faults per path prefix, and the /-/sim/ control endpoints. */
#ifndef MLTOP_SIM_FAULT_H
#define MLTOP_SIM_FAULT_H

#include "sim/sim.h"

#define FAULT_MAX 32

/* Forget every fault. */
void fault_clear(void);
/* Add (or replace, for the same prefix) one fault. Returns 0, or -1 when the table is full. */
int fault_add(const struct sim_fault *f);
/* FAULT_PAGE_TOKEN: gives a JSON object answered 200 a next_page_token that leads back to the
 * first page: the same token every time, or (endless) a new one every time. */
void fault_page_token(const struct sim_fault *f, struct sim_resp *resp);
/* Answers the /-/sim/ control paths (faults, advance, time). 1 when the path was its own. */
int fault_route(const struct sim_req *req, struct sim_resp *resp);

#endif
