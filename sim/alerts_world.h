/* alerts_world.h: the alerts the simulated world raises about itself (see alerts.h for the rules
 * and labels), evaluated on the serving world's alerting window at every integration step. */
#ifndef MLTOP_SIM_ALERTS_WORLD_H
#define MLTOP_SIM_ALERTS_WORLD_H

#include <stdint.h>

/* Raises, refreshes and resolves the world's own alerts at world time t. */
void alerts_world_eval(int64_t t);

#endif
