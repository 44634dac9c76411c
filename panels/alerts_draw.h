/* alerts_draw: the Alerts panel's tables as curses lines: the alerts (severity colours, muted
 * rows dimmed with who silenced them and until when, the cursor row) and the drift heat table.
 * Every string from the server is sanitized here before it is drawn. */
#ifndef MLTOP_ALERTS_DRAW_H
#define MLTOP_ALERTS_DRAW_H

#include <curses.h>
#include <stddef.h>
#include <stdint.h>

#include "panels/alerts_data.h"
#include "themes/theme.h"

struct alerts_draw_in {
	const struct alerts_view *v;
	size_t cur, top; /* the cursor row and the first row shown */
	int64_t now_ms;
	int utf8;
	const struct filter *filter; /* the / filter, whose matches are highlighted; or NULL */
};

/* The alerts table from line y, h lines (the column heads included). */
void alerts_draw_list(WINDOW *w, int y, int h, const struct theme *t,
                      const struct alerts_draw_in *in);

/* The lines the drift table takes (0 when empty), at most max. */
int alerts_draw_drift_height(const struct alerts_drift *d, int max);
/* The drift table from line y, h lines. */
void alerts_draw_drift(WINDOW *w, int y, int h, const struct theme *t, const struct alerts_drift *d,
                       int utf8);

#endif
