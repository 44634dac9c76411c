/* action_live: what the plan dialog and the planner show of the live state beside a plan: the
 * deployment of a registered model in the Serving panel's data, the figures of one of its
 * versions, and the alerts firing for a version. No curses. */
#ifndef MLTOP_ACTION_LIVE_H
#define MLTOP_ACTION_LIVE_H

#include <stddef.h>

#include "panels/alerts_data.h"
#include "panels/serving_data.h"

/* Whether two version names are the same version: "7", "v7" and "V7" are. */
int action_live_same_version(const char *a, const char *b);

/* The deployment serving registered model (or named) model, or NULL. */
const struct serving_dep *action_live_dep(const struct serving_deps *deps, const char *model);

/* The line of version in d (registry version or metrics label), or NULL. */
const struct serving_line *action_live_line(const struct serving_dep *d, const char *version);

/* "10 % · 12.3 rps · err 0.40 % · p95 41 ms · p99 80 ms" of l; "no live figures" for NULL. */
void action_live_figures(const struct serving_line *l, char *buf, size_t n);

/* The alerts of v that fire (not silenced, not inhibited) for version of model (the registered
 * name, the deployment or its metrics' model), up to max into out; how many there are. */
size_t action_live_alerts(const struct alerts_view *v, const struct serving_dep *d,
                          const char *model, const char *version, const struct alerts_row **out,
                          size_t max);

/* Whether one of them is critical. */
int action_live_blocked(const struct alerts_view *v, const struct serving_dep *d, const char *model,
                        const char *version);

#endif
