/* action_planner: the rollback planner. The previous champions of a model, newest first: from
 * the audit log (every promotion written, when it was made and until the next one), else the
 * registry's versions (when each was registered, its stage and aliases); each with its last known
 * live figures as the Serving panel has them (from the cache at start, then polled). */
#ifndef MLTOP_ACTION_PLANNER_H
#define MLTOP_ACTION_PLANNER_H

#include <stddef.h>
#include <stdint.h>

#include "clients/cache.h"
#include "clients/mlflow_types.h"
#include "panels/panel.h"
#include "panels/serving_data.h"

struct action_champion {
	char version[64];
	int64_t since_ms, until_ms; /* 0: unknown; until 0 with since set: serving now */
	char note[128];             /* "promoted by ops@bastion", "Production · champion" */
	struct serving_line figs;   /* its last known live figures (panels/action_figs.h) */
	int64_t figs_ms;            /* when they were seen; 0: none known */
};

struct action_planner {
	char model[128];
	struct action_champion *v;
	size_t n;
	size_t cur;
	int from_audit; /* 1: the rows come from the audit log */
};

/* Fills pl for model from the audit log of ctx in cache (either may be NULL), else from
 * versions. The current champion is left out. Returns the number of rows or ERR_NOMEM. */
int action_planner_load(struct action_planner *pl, struct cache *cache, const char *ctx,
                        const char *model, const struct mlflow_versions *versions,
                        const char *current);
void action_planner_fini(struct action_planner *pl);

/* Draws the rows in w from line y, at most h lines; the live figures from deps. */
void action_planner_draw(const struct action_planner *pl, WINDOW *w, int y, int h,
                         const struct theme *t, const struct serving_deps *deps, int64_t now_ms);

#endif
