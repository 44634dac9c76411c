/* cache_audit: the audit log read into memory, the string fields of its rows, the verification
 * of its hash chain (clients/cache_chain.h) and a row as JSON. */
#ifndef MLTOP_CACHE_AUDIT_H
#define MLTOP_CACHE_AUDIT_H

#include <stddef.h>
#include <stdint.h>

#include "clients/cache.h"

struct jsonw;

/* The string fields of a row, for storing, reading, copying and freeing them together:
 * user, host, context, action, model, from_version, to_version, phase, result, detail, request,
 * reason. */
#define CACHE_AUDIT_FIELDS 12
const char **cache_audit_field(struct audit_row *r, int i);
const char *cache_audit_value(const struct audit_row *r, int i); /* field i's value */

/* cache_audit_list into an array the caller owns: every string of every row is copied.
 * Free with cache_audit_rows_free. */
int cache_audit_fetch(struct cache *c, const char *ctx, int limit, struct audit_row **rows,
                      size_t *n, struct err *e);
void cache_audit_rows_free(struct audit_row **rows, size_t n);
/* Sorts rows in append order (by id), the oldest first. */
void cache_audit_sort_appended(struct audit_row *rows, size_t n);

/* What the verification of the chain found: the first broken link, in append order. */
enum cache_audit_break {
	CACHE_AUDIT_INTACT,
	CACHE_AUDIT_EDITED,    /* the row's hash does not match its fields */
	CACHE_AUDIT_DELETED,   /* the row it links to is missing (a gap in the ids, or rewritten) */
	CACHE_AUDIT_REORDERED, /* it links to a row that comes after it */
};

struct cache_audit_report {
	size_t rows;    /* rows in the log */
	size_t checked; /* rows verified before the first broken one (all of them when intact) */
	enum cache_audit_break why;
	int64_t bad_id; /* the first broken row; 0 when intact */
	/* one line: "audit chain: 12 rows verified", or "audit chain broken at row #7: edited (its
	 * hash does not match its fields)" */
	char text[256];
};

/* Walks the whole log (every context) in append order and fills rep. 0 (whatever the chain
 * says), or < 0 when the log could not be read. */
int cache_audit_verify(struct cache *c, struct cache_audit_report *rep, struct err *e);
/* The same over rows already read (any order; they are sorted in append order here). */
void cache_audit_verify_rows(struct audit_row *rows, size_t n, struct cache_audit_report *rep);
/* "edited", "deleted", "reordered", "intact". */
const char *cache_audit_break_name(enum cache_audit_break why);

/* One row as a JSON object (inside an array): every field, the time as RFC 3339 and ts_ms. */
void cache_audit_json_row(struct jsonw *w, const struct audit_row *r);

#endif
