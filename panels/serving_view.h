/* serving_view: the list of the Serving panel. One line per version of each deployment, the
 * deployment's name and split bar on its first line, and a line under a deployment that is not
 * Ready (or Ready Unknown) or has no metrics saying why. Deployments keep their versions together:
 * a hidden table of deployments takes the sort (s, S, < >) and the / filter, and the table shown
 * lists the lines of its deployments in that order, with the same columns and the sort arrow. A
 * deployment in raw deployment mode has a line saying canaries are not supported there. */
#ifndef MLTOP_SERVING_VIEW_H
#define MLTOP_SERVING_VIEW_H

#include <stddef.h>
#include <stdint.h>

#include "panels/listview.h"
#include "panels/serving_data.h"

struct jsonw;

enum { SERVING_ROW_STATE = -1, SERVING_ROW_RAW = -2 };

struct serving_row {
	size_t dep;
	int line; /* index in the deployment's lines, or SERVING_ROW_STATE (not Ready, Ready
	             Unknown, no metrics), SERVING_ROW_RAW (raw deployment: no canary) */
};

struct serving_view {
	struct listview lv;  /* the deployments: sort and filter */
	struct table *lines; /* the table shown */
	const struct serving_deps *deps;
	struct serving_row *rows;
	size_t n, cap;
	int ascii;
	int metrics; /* a metrics source is configured */
	char **hay;  /* the filter's text per deployment */
	size_t nhay;
};

int serving_view_init(struct serving_view *v, int ascii, struct err *e);
void serving_view_fini(struct serving_view *v);
/* New data (deps borrowed until the next call): the rows follow, the cursor goes to the
 * deployment name (the one it was on, taken before deps changed; NULL: none). */
void serving_view_set(struct serving_view *v, const struct serving_deps *deps, const char *name);
/* The order or the filter changed: the lines follow the deployments' view. */
void serving_view_relayout(struct serving_view *v);
/* The deployment under the cursor, NULL when none. */
const struct serving_dep *serving_view_cursor(const struct serving_view *v);
/* Puts the cursor on the deployment named; 1 when it is shown. */
int serving_view_select(struct serving_view *v, const char *name);
enum panel_rc serving_view_key(struct serving_view *v, int key);
void serving_view_draw(const struct serving_view *v, WINDOW *w, int top, const struct theme *t);
void serving_view_json(const struct serving_view *v, struct jsonw *w);

#endif
