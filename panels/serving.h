/* serving: the Serving panel. */
#ifndef MLTOP_SERVING_H
#define MLTOP_SERVING_H

#include "panels/panel.h"

extern const struct panel_ops serving_ops;

#endif
