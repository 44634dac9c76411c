/* samples_view: one failed sample in full, as the Samples panel shows it on Enter: every field
 * of its line pretty-printed (nested objects and arrays indented, two spaces a level), each line
 * sanitized and wrapped at the window's width (the continuation indented under its value), and
 * scrolled with j/k, PgUp/PgDn, g/G. A line that is not JSON is shown as received, marked. */
#ifndef MLTOP_SAMPLES_VIEW_H
#define MLTOP_SAMPLES_VIEW_H

#include <stddef.h>

#include "clients/samples_parse.h"
#include "panels/panel.h"

struct samples_view_line {
	char *text; /* sanitized */
	int indent; /* columns */
	enum role role;
};

struct samples_view {
	struct samples_view_line *lines;
	size_t n, cap, top;
	int width; /* the width the lines were wrapped at */
};

/* Builds the lines of x wrapped at width columns (old lines freed). 0, or -1 out of memory. */
int samples_view_build(struct samples_view *v, const struct sample *x, int width);
void samples_view_clear(struct samples_view *v);
/* The scrolling keys, for a window of rows lines: PANEL_HANDLED or PANEL_IGNORED. */
enum panel_rc samples_view_key(struct samples_view *v, int key, int rows);
void samples_view_draw(const struct samples_view *v, WINDOW *w, int y0, const struct theme *t);

#endif
