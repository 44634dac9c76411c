/* action_figs: the last known live figures of every version the Serving panel has shown, kept in
 * the cache per context (model, version) so that the rollback planner can show them for a version
 * that no longer serves, across restarts. */
#ifndef MLTOP_ACTION_FIGS_H
#define MLTOP_ACTION_FIGS_H

#include <stdint.h>

#include "clients/cache.h"
#include "panels/serving_data.h"

/* Files the figures of every version of d that the metrics name (cache NULL: nothing). */
void action_figs_keep(struct cache *c, const char *ctx, const struct serving_deps *d,
                      int64_t now_ms);

/* The figures last filed for version of (registered) model into out (its value[] and percent),
 * and when in *at_ms. 0 found, 1 none. */
int action_figs_last(struct cache *c, const char *ctx, const char *model, const char *version,
                     struct serving_line *out, int64_t *at_ms);

#endif
