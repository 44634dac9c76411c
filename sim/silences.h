/* silences.h: the Alertmanager v2 silences of mltop-sim:
 *   GET    /api/v2/silences[?filter=...]   POST /api/v2/silences (create, or update with "id")
 *   GET    /api/v2/silence/{id}            DELETE /api/v2/silence/{id} (expire)
 * with 0.25's shapes, ordering and error bodies (docs/wire-formats.md, Alertmanager: silences,
 * errors). */
#ifndef MLTOP_SIM_SILENCES_H
#define MLTOP_SIM_SILENCES_H

#include <stdint.h>

#include "sim/sim.h"

void silences_init(void);
/* Calls fn for the id of each active silence whose matchers all accept labels (a cJSON object
 * of strings, passed as void * to keep cJSON out of this header). */
void silences_matching(const void *labels, int64_t now_ms, void (*fn)(void *, const char *),
                       void *ud);
int silences_route(const struct sim_req *req, struct sim_resp *resp);

#endif
