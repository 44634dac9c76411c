/* samples: the Samples panel. */
#ifndef MLTOP_SAMPLES_H
#define MLTOP_SAMPLES_H

#include "panels/panel.h"

extern const struct panel_ops samples_ops;

#endif
