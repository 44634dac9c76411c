/* alerts: the Alerts panel. */
#ifndef MLTOP_ALERTS_H
#define MLTOP_ALERTS_H

#include "panels/panel.h"

extern const struct panel_ops alerts_ops;

#endif
