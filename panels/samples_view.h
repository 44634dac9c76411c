/* samples_view: one failed sample in full, as the Samples panel shows it on Enter: every field
 * of its line pretty-printed (nested objects and arrays indented, two spaces a level), each line
 * sanitized and wrapped at the window's width (the continuation indented under its value), and
 * scrolled with j/k, PgUp/PgDn, g/G, searched with / and n/N. A line that is not JSON is shown
 * as received, marked. */
#ifndef MLTOP_SAMPLES_VIEW_H
#define MLTOP_SAMPLES_VIEW_H

#include <stddef.h>

#include "clients/samples_parse.h"
#include "panels/panel.h"
#include "tui/widgets/textview.h"

struct samples_view {
	struct textview tv; /* the lines, their scrolling and the search in them */
	int width;          /* the width the lines were wrapped at */
};

void samples_view_init(struct samples_view *v, int ascii);
void samples_view_fini(struct samples_view *v);
/* Builds the lines of x wrapped at width columns (the old ones go). 0, or -1 out of memory. */
int samples_view_build(struct samples_view *v, const struct sample *x, int width);
/* The scrolling and search keys (textview's), for a window of rows lines. */
enum panel_rc samples_view_key(struct samples_view *v, int key, int rows);
void samples_view_draw(const struct samples_view *v, WINDOW *w, const struct theme *t);

#endif
