/* panels: the const table of the six panels, in tab order. */
#ifndef MLTOP_PANELS_H
#define MLTOP_PANELS_H

#include "panels/panel.h"

#define PANELS_COUNT 6

extern const struct panel_ops *const panels_table[PANELS_COUNT];

/* Index of the panel named name ("experiments", "registry", …), or -1. */
int panels_find(const char *name);

#endif
