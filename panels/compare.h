/* compare: the Compare view of the Experiments tab (`c` on the runs view) for 2–8 marked runs: a
 * params table (diff-only toggle), a metrics table (last value, best per metric, delta against a
 * baseline run) and the curves of one metric for every run. */
#ifndef MLTOP_COMPARE_H
#define MLTOP_COMPARE_H

#include <curses.h>
#include <stddef.h>

#include "clients/err.h"
#include "clients/mlflow.h"
#include "clients/runstore.h"
#include "panels/compare_tables.h"
#include "panels/panel.h"
#include "themes/theme.h"

#define COMPARE_MIN_RUNS 2 /* and at most COMPARE_MAX_RUNS (compare_tables.h) */

/* The client is borrowed: free the view (it cancels its history fetch) before the client. */
struct compare;
struct compare *compare_new(const struct panel_env *env,
                            struct mlflow *client); /* client borrowed */
void compare_free(struct compare **c);
/* The runs to compare (2–8, borrowed from the store, valid until the next compare_set or
   compare_free; the caller calls compare_set again after the store is refreshed). Returns <0 with e
   for a bad count. */
int compare_set(struct compare *c, const struct runstore *store,
                const struct mlflow_run *const *runs, size_t n, struct err *e);
void compare_recalc(struct compare *c);
void compare_draw(const struct compare *c, WINDOW *w, const struct theme *t);
enum panel_rc compare_key(struct compare *c,
                          int key); /* PANEL_BACK on Esc: the caller closes the view */
const struct keyhint *compare_hints(const struct compare *c);
void compare_status(const struct compare *c, char *buf, size_t n);

#endif
