/* audit: the Audit panel. */
#ifndef MLTOP_AUDIT_H
#define MLTOP_AUDIT_H

#include "panels/panel.h"

extern const struct panel_ops audit_ops;

#endif
