/* ops.c: the ops side of mltop-sim: the serving world and the endpoints that show it. */
#include "sim/sim.h"

#include "sim/fault.h"

int ops_init(const struct sim_opts *opts)
{
	(void)opts;
	fault_clear();
	return 0;
}

void ops_tick(int64_t now_ms)
{
	(void)now_ms;
}

int ops_route(const struct sim_req *req, struct sim_resp *resp)
{
	return fault_route(req, resp);
}
