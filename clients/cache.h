/* cache: the local SQLite file (WAL) that keeps the last known data of every source (instant
 * start, offline reading), metric samples for charts, and the audit log of actions.
 *
 * One struct cache is one connection; several processes may open the same file (busy_timeout
 * 3000, WAL, synchronous=NORMAL: a crash loses nothing committed). A corrupt file is moved aside
 * (renamed path.corrupt-YYYYMMDDTHHMMSS) and rebuilt, with a notice: at open when it is not a
 * database or (up to 8 MiB, so that a big cache does not delay the first frame) fails
 * quick_check, and at any later moment SQLite meets damage (that call fails, the next ones work
 * on the new file). A failing write (disk full, read-only) returns an error and sets the notice,
 * and reads keep working. A path that cannot be used at all gives a cache in memory, said so.
 * Nothing here stores a secret: no function takes one. */
#ifndef MLTOP_CACHE_H
#define MLTOP_CACHE_H

#include <stddef.h>
#include <stdint.h>

#include "clients/err.h"

#define CACHE_SCHEMA_VERSION 5

struct cache;

/* Opens (creating it and its parent directory, mode 0700) the cache at path; ":memory:" gives a
 * private in-memory cache. Returns NULL with e filled only when nothing usable could be opened. */
struct cache *cache_open(const char *path, struct err *e);
void cache_close(struct cache **c);

/* One line for the operator about something that went wrong but did not stop mltop, e.g.
 * "cache was corrupt: moved aside to …/cache.db.corrupt-20261129T043000, rebuilt" or
 * "cache write failed: disk full (reading goes on)"; NULL when there is none. */
const char *cache_notice(const struct cache *c);
void cache_notice_clear(struct cache *c);
const char *cache_path(const struct cache *c); /* as given to cache_open */
/* 1 when what is written is kept in the file (and so the audit log); 0 for a cache in memory
 * (the path could not be used) or a read-only file: cache_notice says why. */
int cache_persistent(const struct cache *c);
int cache_schema_version(struct cache *c); /* PRAGMA user_version, or < 0 */
/* Caps the file at max_bytes (rounded down to whole pages, never below what it holds already).
 * A write that would pass the cap drops the oldest answers (by fetch time; never the audit log
 * nor metric samples) and is tried again, and the notice says the cap was hit. */
int cache_set_limit(struct cache *c, int64_t max_bytes, struct err *e);

/* Where an answer comes from. server is the identity of the server that gave it
 * (cache_server_id: a normalised base URL), so that the data of one server is never read back as
 * another's; ctx the context, source the kind of data ("mlflow", "ui"). None may be NULL or
 * empty. */
struct cache_scope {
	const char *ctx;
	const char *server;
	const char *source;
};

/* Last known data, keyed by (context, server, source, key). A put overwrites. */
int cache_put(struct cache *c, const struct cache_scope *s, const char *key, const void *payload,
              size_t len, int64_t fetched_ms, struct err *e);
/* Sets the fetch time of the answer under key, its payload left as it is: an answer fetched again
 * and byte for byte the same. 0 done, 1 absent (nothing written), < 0 error. */
int cache_touch(struct cache *c, const struct cache_scope *s, const char *key, int64_t fetched_ms,
                struct err *e);
/* 0 found (*payload malloc'd and NUL-terminated, caller frees), 1 absent, < 0 error.
 * len and fetched_ms may be NULL. */
int cache_get(struct cache *c, const struct cache_scope *s, const char *key, char **payload,
              size_t *len, int64_t *fetched_ms, struct err *e);
/* Deletes every key of the scope that starts with key_prefix ("" deletes them all). */
int cache_delete_prefix(struct cache *c, const struct cache_scope *s, const char *key_prefix,
                        struct err *e);

/* Batches many writes in one transaction (one fsync). Nesting is not supported: a second
 * begin while one is open fails with ERR_STATE. cache_rollback drops the open batch. */
int cache_begin(struct cache *c, struct err *e);
int cache_commit(struct cache *c, struct err *e);
void cache_rollback(struct cache *c);

/* The audit log: a row before and a row after every action, whatever the result. */
struct audit_row {
	int64_t id;    /* set by the cache; ignored by append */
	int64_t ts_ms; /* 0 in append: now */
	const char *user;
	const char *host;
	const char *context;
	const char *action; /* "canary", "promote", "rollback", "silence", "expire", … */
	const char *model;
	const char *from_version;
	const char *to_version;
	int percent;        /* -1: none */
	const char *phase;  /* "before" / "after" */
	const char *result; /* "ok", "failed", "partial", "refused", or NULL before */
	const char *detail; /* backend answers, one or more lines */
	const char
	    *request; /* the request sent: "PATCH /apis/…/churn {json}", a hook's argv; NULL */
	long http_status;   /* of the answer; 0: none */
	const char *reason; /* the operator's override reason (a firing critical alert), or NULL */
	/* the chain, set by the cache (ignored by append): the SHA-256 (hex) of the previous row
	 * and of this row, so that an edited, deleted or reordered row is detected */
	char prev_hash[65], hash[65];
};

/* NULL strings are stored as NULL and read back as NULL. The row's id, prev_hash and hash are set
 * here, in one transaction with the read of the row before it (inside the caller's batch when one
 * is open), so that the log stays one chain whoever appends (clients/cache_chain.h; verified by
 * cache_audit_verify). Rows are never changed nor removed. Returns the new row id (> 0) or < 0. */
int64_t cache_audit_append(struct cache *c, const struct audit_row *row, struct err *e);

/* Calls fn for each row, newest first (ts_ms, then id, descending), for one context or every
 * context (ctx NULL), at most limit rows (limit <= 0: all). The row and its strings are valid
 * during the call only. fn returns non-zero to stop. Returns the number of rows seen or < 0. */
typedef int (*cache_audit_fn)(void *ud, const struct audit_row *row);
int cache_audit_list(struct cache *c, const char *ctx, int limit, cache_audit_fn fn, void *ud,
                     struct err *e);

/* Metric samples for charts: (scope, series) -> (ts_ms, value). A second put at the same
 * ts_ms overwrites. */
int cache_sample_put(struct cache *c, const struct cache_scope *s, const char *series,
                     int64_t ts_ms, double value, struct err *e);
/* Calls fn for each sample with from_ms <= ts_ms <= to_ms, oldest first. fn returns non-zero to
 * stop. Returns the number of samples seen or < 0. */
typedef int (*cache_sample_fn)(void *ud, int64_t ts_ms, double value);
int cache_sample_range(struct cache *c, const struct cache_scope *s, const char *series,
                       int64_t from_ms, int64_t to_ms, cache_sample_fn fn, void *ud, struct err *e);
/* Deletes every sample (of every context and series) older than older_than_ms. Returns how many
 * were deleted or < 0. */
int cache_sample_prune(struct cache *c, int64_t older_than_ms, struct err *e);

#endif
