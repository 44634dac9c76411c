/* cache_chain: the audit log's hash chain, for the cache's own files. Every row carries the
 * SHA-256 (hex) of its canonical serialisation, which includes prev_hash, the hash of the row
 * appended before it (of the whole log; 64 zeros for the first row), so that a row edited,
 * deleted or moved in the file no longer links.
 *
 * The canonical serialisation: the line "mltop audit v1", then one line per field in this order,
 * "NAME VALUE\n" — integers in decimal (id, ts_ms, percent with -1 for none, http_status), strings
 * as LENGTH:BYTES (the length in bytes, in decimal) or "-" for NULL:
 *   id ts_ms user host context action model from_version to_version percent phase result detail
 *   request http_status reason prev_hash
 * e.g. "user 5:alice\n", "reason -\n". The lengths make it unambiguous: no two rows serialise
 * alike, whatever bytes (newlines included) their strings hold. */
#ifndef MLTOP_CACHE_CHAIN_H
#define MLTOP_CACHE_CHAIN_H

#include <sqlite3.h>
#include <stddef.h>

#include "clients/cache.h"

#define CACHE_CHAIN_ZERO "0000000000000000000000000000000000000000000000000000000000000000"

/* The audit table's columns in the order cache_chain_bind binds them (?1 …) and cache_chain_read
 * reads them (column 0 …). */
#define CACHE_CHAIN_COLUMNS                                                                        \
	"id, ts_ms, user, host, context, action, model, from_version, to_version, percent, "       \
	"phase, result, detail, request, http_status, reason, prev_hash, hash"
#define CACHE_CHAIN_PARAMS                                                                         \
	"?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?11, ?12, ?13, ?14, ?15, ?16, ?17, ?18"

/* The canonical serialisation of r (its id, ts_ms and prev_hash as they are), malloc'd and
 * NUL-terminated, its length in *len; NULL when out of memory. */
char *cache_chain_serialise(const struct audit_row *r, size_t *len);
/* hex = SHA-256 of r's serialisation, 64 lowercase hex digits and a NUL. 0 or ERR_NOMEM. */
int cache_chain_hash(const struct audit_row *r, char hex[65]);

/* Binds every column of r to st; NULL strings as NULL, a negative percent as NULL. */
void cache_chain_bind(sqlite3_stmt *st, const struct audit_row *r);
/* Reads a row selected as CACHE_CHAIN_COLUMNS; the strings point into st (valid until the next
 * step), prev_hash and hash are copied ("" when NULL). */
void cache_chain_read(sqlite3_stmt *st, struct audit_row *r);

/* Chains the rows that have no hash yet (those written before the chain existed), in id order,
 * each after the row before it. Runs inside the caller's transaction. An SQLite code. */
int cache_chain_link_old(sqlite3 *db);

#endif
