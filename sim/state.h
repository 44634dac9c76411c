/* state.h: GET /-/sim/state, what the simulated servers hold right now, for tests that compare
 * a client's record (mltop's audit) with the servers' end state:
 *   {"now_ms":T,
 *    "inferenceservices":[{"name","namespace","resourceVersion","generation","deploymentMode",
 *                          "storageUri","canaryTrafficPercent" (null when absent),
 *                          "latestCreatedRevision","latestReadyRevision",
 *                          "latestRolledoutRevision","previousRolledoutRevision",
 *                          "traffic":[{"revisionName","version","percent","latestRevision"}],
 *                          "split":{"v3":90,"v5":10}}...],
 *    "registered_models":[{"name","aliases":{"champion":"3"},
 *                          "versions":[{"version":"3","current_stage":"Production"}...]}...]}
 * Revision names are "" where the status has none; raw deployments have no traffic. */
#ifndef MLTOP_SIM_STATE_H
#define MLTOP_SIM_STATE_H

#include "sim/sim.h"

/* 1 when the request was GET (or another method: 405) /-/sim/state. */
int state_route(const struct sim_req *req, struct sim_resp *resp);

#endif
