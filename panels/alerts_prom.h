/* alerts_prom: the drift scores per model version and feature from Prometheus, for the Alerts
 * panel's drift table when Prometheus is configured: one poll of the [queries] drift query
 * (clients/prom_drift.h), filed in the cache and drawn from it at start. */
#ifndef MLTOP_ALERTS_PROM_H
#define MLTOP_ALERTS_PROM_H

#include <stdint.h>

#include "clients/prom_drift.h"
#include "panels/alerts_data.h"
#include "panels/panel.h"

struct alerts_prom {
	const struct panel_env *env;
	struct prom_drift *client; /* NULL: Prometheus not configured (or no configuration) */
	struct prom_drift_list *cells;
	int job;
	uint64_t gen;
	int answered, cached;
	int64_t fetched_ms;
	char error[256];
	void (*changed)(void *ud);
	void *ud;
};

void alerts_prom_init(struct alerts_prom *s, const struct panel_env *env, void (*changed)(void *),
                      void *ud);
void alerts_prom_fini(struct alerts_prom *s);
void alerts_prom_schedule(struct alerts_prom *s, struct sched *sched);
int alerts_prom_busy(const struct alerts_prom *s);
/* Fills d from the scores (one method: psi when there, else the first seen). 1 when there
 * were scores, 0 when none, ERR_NOMEM. */
int alerts_prom_drift(const struct alerts_prom *s, struct alerts_drift *d);

#endif
