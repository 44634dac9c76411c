/* run_detail: one run in full, inside the Experiments tab — a reproducibility card (source, git
 * commit, entry point, user, start, duration, dataset digests, params count, eval table verdict),
 * params, metrics (last, min, max, step: min and max from the history fetched when the detail
 * opens — drawn at once from the histories the client filed in the cache, "min/max cached 3m
 * ago", "stale: data 3m old" when the fetch fails, "…" while there is nothing), tags, dataset
 * inputs, artifacts, and the registered model versions the run produced. The run is borrowed
 * from a run store; the fetches are the detail's own. */
#ifndef MLTOP_RUN_DETAIL_H
#define MLTOP_RUN_DETAIL_H

#include <stddef.h>

#include "clients/mlflow.h"
#include "clients/runstore.h"
#include "panels/panel.h"

struct run_detail;

/* client is borrowed (NULL: nothing is fetched). */
struct run_detail *run_detail_new(const struct panel_env *env, struct mlflow *client);
void run_detail_free(struct run_detail **d);

/* Shows run (borrowed from store) and starts its fetches: metric histories, artifacts (then the
 * eval table when there is one), registry versions. */
void run_detail_open(struct run_detail *d, const struct runstore *store,
                     const struct mlflow_run *run);
/* Stops the fetches and forgets the run. */
void run_detail_close(struct run_detail *d);
/* The store was replaced: find the run again (by id) in the new one; a running run's histories
 * are fetched again, so that min and max move with it. */
void run_detail_rebind(struct run_detail *d, const struct runstore *store);
const char *run_detail_run_id(const struct run_detail *d); /* "" when closed */
const struct mlflow_run *run_detail_run(const struct run_detail *d);

void run_detail_recalc(struct run_detail *d); /* builds the lines; no curses */
void run_detail_draw(const struct run_detail *d, WINDOW *w, const struct theme *t);
/* Scrolling keys and n/N between search matches; PANEL_BACK on Esc. */
enum panel_rc run_detail_key(struct run_detail *d, int key);
/* The / search of the text, as less has it ("" clears); ERR_PARSE with PCRE2's message. */
int run_detail_search(struct run_detail *d, const char *pattern, struct err *e);
const char *run_detail_pattern(const struct run_detail *d); /* "" for none */
const struct keyhint *run_detail_hints(const struct run_detail *d);
void run_detail_status(const struct run_detail *d, char *buf, size_t n);
/* 1 while a fetch of the detail is in flight. */
int run_detail_busy(const struct run_detail *d);

#endif
