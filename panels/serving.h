/* serving: the Serving panel. */
#ifndef MLTOP_SERVING_H
#define MLTOP_SERVING_H

#include "panels/panel.h"

extern const struct panel_ops serving_ops;

struct action_data;

/* What the write dialog shows of the Serving panel: its deployments, rate window and the
 * registry's versions (the other members of out are left alone). */
void serving_action_data(const struct panel *p, struct action_data *out);

/* Polls KServe, the metrics and the registry again now (after a write). */
void serving_refresh(struct panel *p);

#endif
