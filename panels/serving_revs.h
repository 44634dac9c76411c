/* serving_revs: what the Serving panel learns of KServe revisions from one refresh to the next:
 * the storageUri each revision was rolled out as. A revision never changes its model, so the
 * first answer that says which one stays: learned when the InferenceService's created revision is
 * also its ready one and serves, under the storageUri its spec names then. It then names the
 * version of the old revision while a canary starts or after a rollback, and keeps a status
 * that has not caught up with a new spec from giving the old revision the new model. Bounded:
 * the oldest are forgotten first. */
#ifndef MLTOP_SERVING_REVS_H
#define MLTOP_SERVING_REVS_H

#include <stddef.h>

#define SERVING_REVS_MAX 512

struct serving_rev {
	char isvc[128]; /* its uid: revision names start again when it is made again */
	char revision[128];
	char storage_uri[512];
};

struct serving_revs {
	struct serving_rev *v;
	size_t n, cap;
	size_t hint; /* where the last lookup found its revision */
};

void serving_revs_fini(struct serving_revs *r);
/* Keeps what revision of isvc (its uid, else its name) was rolled out as, unless it is known
 * already. 0 or ERR_NOMEM. */
int serving_revs_learn(struct serving_revs *r, const char *isvc, const char *revision,
                       const char *storage_uri);
/* The storageUri revision of isvc was rolled out as; NULL when not known (r may be NULL). */
const char *serving_revs_uri(struct serving_revs *r, const char *isvc, const char *revision);

#endif
