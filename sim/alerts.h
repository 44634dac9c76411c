/* alerts.h: mltop-sim's Alertmanager v2 subset (0.25 shapes; docs/wire-formats.md, Alertmanager):
 *   GET  /api/v2/alerts         filter= (repeatable matchers, regex too), active, silenced,
 *                               inhibited, unprocessed, receiver
 *   POST /api/v2/alerts         inject alerts (200, empty body)
 *   GET  /api/v2/alerts/groups  grouped by alertname and model, receiver "null"
 *   GET  /api/v2/status, GET /api/v2/receivers
 *   and the silences (silences.h).
 * The routing it mimics is the usual one: group_by [alertname, model], receiver "null", and a
 * critical alert inhibits the warning with the same alertname and model.
 *
 * The world raises alerts itself with mltop's labels (alertname, model, version, feature,
 * drift_metric, severity, namespace): ModelFeatureDrift (PSI over 0.2 warning, over 0.25
 * critical), ModelHighErrorRate (5xx ratio over 5 % in the last 5 minutes, critical),
 * ModelHighLatency (p99 over the 150 ms SLO, warning). They resolve when the cause goes away. */
#ifndef MLTOP_SIM_ALERTS_H
#define MLTOP_SIM_ALERTS_H

#include <stdint.h>

#include "sim/sim.h"

#define ALERTS_DRIFT_WARN         0.2
#define ALERTS_DRIFT_CRIT         0.25
#define ALERTS_ERROR_RATIO        0.05
#define ALERTS_MIN_REQUESTS       100
#define ALERTS_RESOLVE_TIMEOUT_MS (5 * 60 * 1000)

/* extra: room for that many more alerts (--alerts N). */
void alerts_init(long extra);
/* Stores an alert (labels and annotations: cJSON objects of strings, copied). The same label set
 * updates the alert it names: a firing one keeps its startsAt. world marks the world's own.
 * 0, or -1 when the table is full of unresolved alerts. */
int alerts_put(const void *labels, const void *annotations, const char *generator_url,
               int64_t starts, int64_t ends, int world, int64_t now);
/* Resolves (endsAt = now) every firing world alert for which keep() says 0. */
void alerts_resolve_world(int64_t now, int (*keep)(const void *labels, void *ud), void *ud);
int alerts_route(const struct sim_req *req, struct sim_resp *resp);

#endif
