/* registry: the Registry panel. */
#ifndef MLTOP_REGISTRY_H
#define MLTOP_REGISTRY_H

#include "panels/panel.h"

extern const struct panel_ops registry_ops;

#endif
