#include "panels/serving_revs.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "clients/err.h"
#include "clients/kvlist.h"

void serving_revs_fini(struct serving_revs *r)
{
	free(r->v);
	r->v = NULL;
	r->n = r->cap = 0;
}

/* The search starts where the last one ended: a refresh asks in the order the InferenceServices
 * were learned in, so that at 500 of them a question takes a step or two, not 500. */
const char *serving_revs_uri(struct serving_revs *r, const char *isvc, const char *revision)
{
	for (size_t k = 0; r && revision[0] && k < r->n; k++) {
		size_t i = (r->hint + k) % r->n;
		if (strcmp(r->v[i].revision, revision) == 0 && strcmp(r->v[i].isvc, isvc) == 0) {
			r->hint = i;
			return r->v[i].storage_uri;
		}
	}
	return NULL;
}

int serving_revs_learn(struct serving_revs *r, const char *isvc, const char *revision,
                       const char *storage_uri)
{
	if (!revision[0] || !storage_uri[0] || serving_revs_uri(r, isvc, revision))
		return 0;
	if (r->n == SERVING_REVS_MAX)
		memmove(r->v, r->v + 1, --r->n * sizeof *r->v);
	if (r->n == r->cap) {
		size_t add = r->cap ? r->cap : 16;
		struct serving_rev *v = kvlist_grow(r->v, r->cap, add, sizeof *v);
		if (!v)
			return ERR_NOMEM;
		r->v = v;
		r->cap += add;
	}
	struct serving_rev *e = &r->v[r->n++];
	snprintf(e->isvc, sizeof e->isvc, "%s", isvc);
	snprintf(e->revision, sizeof e->revision, "%s", revision);
	snprintf(e->storage_uri, sizeof e->storage_uri, "%s", storage_uri);
	return 0;
}
