/* cache_audit: the audit log read into memory, and the string fields of its rows. */
#ifndef MLTOP_CACHE_AUDIT_H
#define MLTOP_CACHE_AUDIT_H

#include <stddef.h>

#include "clients/cache.h"

/* The string fields of a row, for storing, reading, copying and freeing them together:
 * user, host, context, action, model, from_version, to_version, phase, result, detail. */
#define CACHE_AUDIT_FIELDS 10
const char **cache_audit_field(struct audit_row *r, int i);

/* cache_audit_list into an array the caller owns: every string of every row is copied.
 * Free with cache_audit_rows_free. */
int cache_audit_fetch(struct cache *c, const char *ctx, int limit, struct audit_row **rows,
                      size_t *n, struct err *e);
void cache_audit_rows_free(struct audit_row **rows, size_t n);

#endif
