/* alerts: the Alerts panel. */
#ifndef MLTOP_ALERTS_H
#define MLTOP_ALERTS_H

#include "panels/panel.h"

extern const struct panel_ops alerts_ops;

struct alerts_view;

/* The active alerts as the panel has them (for the write dialog), or NULL. */
const struct alerts_view *alerts_view_of(const struct panel *p);

#endif
