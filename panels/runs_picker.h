/* runs_picker: the column picker of the runs table (`o`): every metric and param key a run store
 * has seen, with a check box each; Space toggles, Enter applies, Esc drops the change. */
#ifndef MLTOP_RUNS_PICKER_H
#define MLTOP_RUNS_PICKER_H

#include <stdbool.h>
#include <stddef.h>

#include "clients/runstore.h"
#include "panels/panel.h"

#define RUNS_KEY_LEN 128

struct runs_key {
	int kind; /* RUNSTORE_METRIC or RUNSTORE_PARAM */
	char name[RUNS_KEY_LEN];
};

struct runs_picker {
	int active;
	int applied;            /* set when Enter closed it */
	struct runs_key *items; /* malloc'd: metrics, then params, each by name */
	bool *on;
	size_t n, cursor, top;
	int rows; /* the list's height as last drawn at (from the panel's recalc) */
};

/* Opens on the store's keys, with cur (the current columns) checked. Returns 0 or ERR_NOMEM. */
int runs_picker_open(struct runs_picker *p, const struct runstore *s, const struct runs_key *cur,
                     size_t ncur);
void runs_picker_close(struct runs_picker *p);
/* A key: PANEL_BACK when the picker closed (p->applied says whether Enter applied it). */
enum panel_rc runs_picker_key(struct runs_picker *p, int key);
/* The checked keys (up to max) in the picker's order. */
size_t runs_picker_result(const struct runs_picker *p, struct runs_key *out, size_t max);
void runs_picker_draw(const struct runs_picker *p, WINDOW *w, const struct theme *t);

#endif
