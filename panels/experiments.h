/* experiments: the Experiments panel. */
#ifndef MLTOP_EXPERIMENTS_H
#define MLTOP_EXPERIMENTS_H

#include "panels/panel.h"

extern const struct panel_ops experiments_ops;

#endif
