/* rollout_audit: the audit rows of a rollout (clients/cache.h), one before and one after every
 * step, and one for a plan refused because the state changed; and what the audit log knows of
 * past promotions (the champion before the current one, for rolling a promotion back). */
#ifndef MLTOP_ROLLOUT_AUDIT_H
#define MLTOP_ROLLOUT_AUDIT_H

#include <stddef.h>

#include "clients/err.h"
#include "clients/rollout.h"

struct cache;

/* Who writes, for every row; borrowed. */
struct rollout_who {
	const char *user, *host, *context;
	const char *reason; /* the override reason, or NULL */
};

/* The request of a step as one line: "PATCH /apis/…/churn {json}", or a hook's argv with each
 * word quoted when it holds a blank or a quote. malloc'd; NULL when out of memory. */
char *rollout_audit_request(const struct rollout_step *s);

/* A row for step s of p (action: "canary", …, or "undo"); phase "before" (result NULL) or
 * "after" (result "ok" / "failed", the step's status and answer). No cache: 0, nothing kept. */
int rollout_audit_step(struct cache *c, const struct rollout_who *w, const char *action,
                       const struct rollout_plan *p, const struct rollout_step *s,
                       const char *phase, const char *result, struct err *e);

/* A row without a step: result "refused" (what changed in detail), "partial", … */
int rollout_audit_note(struct cache *c, const struct rollout_who *w, const char *action,
                       const struct rollout_plan *p, const char *result, const char *detail,
                       struct err *e);

/* The champion before the current one of model in context, from the last promotion the audit
 * log shows as done ("after" rows with result "ok" of action promote, or step ending at 100 %):
 * its from_version, when its to_version is current (NULL: any). malloc'd, or NULL. */
char *rollout_audit_prev_champion(struct cache *c, const char *context, const char *model,
                                  const char *current);

#endif
