/* cache: SQLite (WAL) storage of last known data, metric samples and the audit log. */
#include "clients/cache.h"

#include "clients/clock.h"

#include "clients/cache_audit.h"
#include "clients/cache_chain.h"
#include "clients/cache_file.h"
#include "clients/cache_schema.h"

#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <math.h>
#include <stdarg.h>
#include <sqlite3.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

#define CACHE_BUSY_MS 3000
/* SQLite's page cache per connection, in KiB (its default: 2,000). What a session keeps touching
 * is the newest pages of the samples and of the answers; a big answer is written and read once.
 * At the default, the cache filled in a session's first minutes, growing mltop by 1.5 MiB. */
#define CACHE_PAGES_KIB 512
#define CACHE_OPEN_RW   (SQLITE_OPEN_READWRITE | SQLITE_OPEN_CREATE)
/* Files up to this size get a full quick_check at open (a few ms); larger ones would delay the
 * first frame, and are checked by use (SQLITE_CORRUPT at any time rebuilds them). */
#define CACHE_CHECK_MAX (8 << 20)

enum cache_stmt {
	ST_PUT,
	ST_TOUCH,
	ST_GET,
	ST_DEL_PREFIX,
	ST_AUDIT_ADD,
	ST_AUDIT_LAST,
	ST_AUDIT_ALL,
	ST_AUDIT_CTX,
	ST_SAMPLE_PUT,
	ST_SAMPLE_RANGE,
	ST_SAMPLE_PRUNE,
	ST_EVICT,
	ST_COUNT
};

#define CACHE_SCOPE_WHERE "ctx = ?1 AND server = ?2 AND source = ?3"

#define CACHE_AUDIT_SELECT "SELECT " CACHE_CHAIN_COLUMNS " FROM audit "

static const char *const cache_sql[ST_COUNT] = {
    [ST_PUT] = "INSERT OR REPLACE INTO kv(ctx, server, source, key, payload, fetched_ms) "
               "VALUES (?1, ?2, ?3, ?4, ?5, ?6)",
    [ST_TOUCH] = "UPDATE kv SET fetched_ms = ?5 WHERE " CACHE_SCOPE_WHERE " AND key = ?4",
    [ST_GET] = "SELECT payload, fetched_ms FROM kv WHERE " CACHE_SCOPE_WHERE " AND key = ?4",
    [ST_DEL_PREFIX] = "DELETE FROM kv WHERE " CACHE_SCOPE_WHERE " AND key >= ?4 AND "
                      "substr(CAST(key AS BLOB), 1, length(CAST(?4 AS BLOB))) = CAST(?4 AS BLOB)",
    [ST_AUDIT_ADD] = "INSERT INTO audit(" CACHE_CHAIN_COLUMNS ") VALUES (" CACHE_CHAIN_PARAMS ")",
    /* The row the next one links to, and the next id: past every id ever given (AUTOINCREMENT
     * never gives one twice), so that a removed row leaves a gap the verification sees. */
    [ST_AUDIT_LAST] = "SELECT (SELECT hash FROM audit ORDER BY id DESC LIMIT 1), max(coalesce("
                      "(SELECT seq FROM sqlite_sequence WHERE name = 'audit'), 0), coalesce("
                      "(SELECT max(id) FROM audit), 0)) + 1",
    [ST_AUDIT_ALL] = CACHE_AUDIT_SELECT "ORDER BY ts_ms DESC, id DESC LIMIT ?1",
    [ST_AUDIT_CTX] = CACHE_AUDIT_SELECT "WHERE context = ?2 ORDER BY ts_ms DESC, id DESC LIMIT ?1",
    [ST_SAMPLE_PUT] = "INSERT OR REPLACE INTO samples(ctx, server, source, series, ts_ms, value) "
                      "VALUES (?1, ?2, ?3, ?4, ?5, ?6)",
    [ST_SAMPLE_RANGE] = "SELECT ts_ms, value FROM samples WHERE " CACHE_SCOPE_WHERE
                        " AND series = ?4 AND ts_ms BETWEEN ?5 AND ?6 ORDER BY ts_ms",
    [ST_SAMPLE_PRUNE] = "DELETE FROM samples WHERE ts_ms < ?1",
    /* The oldest answers that add up to ?1 bytes (the one that passes it included). */
    [ST_EVICT] = "DELETE FROM kv WHERE (ctx, server, source, key) IN (SELECT ctx, server, "
                 "source, key FROM (SELECT ctx, server, source, key, sum(length(payload)) OVER "
                 "(ORDER BY fetched_ms, ctx, server, source, key ROWS UNBOUNDED PRECEDING) - "
                 "length(payload) AS before FROM kv) WHERE before < ?1)",
};

struct cache {
	sqlite3 *db;
	char *path;
	int in_tx;
	int memory;    /* on the in-memory fallback (or ":memory:") */
	int64_t limit; /* bytes; 0: none */
	sqlite3_stmt *st[ST_COUNT];
	char notice[512];
};

/* snprintf that says whether it all fit (and keeps -Wformat-truncation for real mistakes). */
__attribute__((format(printf, 3, 4))) static int cache_fmt(char *buf, size_t cap, const char *fmt,
                                                           ...)
{
	va_list ap;
	va_start(ap, fmt);
	int n = vsnprintf(buf, cap, fmt, ap);
	va_end(ap);
	return n >= 0 && (size_t)n < cap;
}

static int cache_is_corrupt(int rc)
{
	return (rc & 0xff) == SQLITE_CORRUPT || (rc & 0xff) == SQLITE_NOTADB;
}

static void cache_recover(struct cache *c);

/* An operation failed: the caller gets an error, and for a write the operator a notice (reads go
 * on). Call it after the statement was reset: a corrupt file is rebuilt here, which finalizes
 * every statement. */
static int cache_fail(struct cache *c, int rc, int write, struct err *e)
{
	const char *what = write ? "write" : "read";
	if (cache_is_corrupt(rc)) {
		cache_recover(c);
		return err_set(e, ERR_IO, "cache was corrupt: rebuilt, this %s is lost", what);
	}
	const char *why = cache_file_reason(rc, c->db);
	if (write)
		cache_fmt(c->notice, sizeof c->notice, "cache write failed: %s (reading goes on)",
		          why);
	return err_set(e, ERR_IO, "cache %s failed: %s", what, why);
}

static sqlite3_stmt *cache_stmt(struct cache *c, enum cache_stmt id, int *rc)
{
	if (!c->st[id]) {
		*rc = sqlite3_prepare_v3(c->db, cache_sql[id], -1, SQLITE_PREPARE_PERSISTENT,
		                         &c->st[id], NULL);
		if (*rc != SQLITE_OK)
			return NULL;
	}
	*rc = SQLITE_OK;
	return c->st[id];
}

static void cache_finalize_all(struct cache *c)
{
	for (int i = 0; i < ST_COUNT; i++) {
		sqlite3_finalize(c->st[i]);
		c->st[i] = NULL;
	}
}

static int cache_user_version(sqlite3 *db)
{
	return cache_schema_int(db, "PRAGMA user_version");
}

/* 1: the file is sound, 0: corrupt (or not a database), < 0: could not tell (an SQLite code).
 * Reading the schema catches what is not a database; full adds PRAGMA quick_check. */
static int cache_check(sqlite3 *db, int full)
{
	sqlite3_stmt *st = NULL;
	const char *sql = full ? "PRAGMA quick_check(1)" : "SELECT 'ok' FROM sqlite_master LIMIT 1";
	int rc = sqlite3_prepare_v2(db, sql, -1, &st, NULL);
	int ok = -1;
	if (rc == SQLITE_OK) {
		rc = sqlite3_step(st);
		if (rc == SQLITE_ROW || (rc == SQLITE_DONE && !full)) {
			const unsigned char *r =
			    rc == SQLITE_ROW ? sqlite3_column_text(st, 0) : NULL;
			ok = !r || strcmp((const char *)r, "ok") == 0;
			rc = SQLITE_OK;
		}
	}
	sqlite3_finalize(st);
	if (cache_is_corrupt(rc))
		return 0;
	return rc == SQLITE_OK ? ok : -rc;
}

static int cache_exec(sqlite3 *db, const char *sql)
{
	return sqlite3_exec(db, sql, NULL, NULL, NULL);
}

static int cache_connect(struct cache *c, const char *path, int flags, struct err *e)
{
	int rc = sqlite3_open_v2(path, &c->db, flags, NULL);
	if (rc != SQLITE_OK) {
		err_set(e, ERR_IO, "cannot open cache %s: %s", c->path,
		        cache_file_reason(rc, c->db));
		sqlite3_close(c->db);
		c->db = NULL;
		return ERR_IO;
	}
	sqlite3_busy_timeout(c->db, CACHE_BUSY_MS);
	sqlite3_extended_result_codes(c->db, 1);
	char sql[64];
	cache_fmt(sql, sizeof sql, "PRAGMA cache_size = -%d", CACHE_PAGES_KIB);
	cache_exec(c->db, sql);
	return 0;
}

/* A WAL file in a directory we cannot write has no -shm to share: nobody can write there, so it
 * is read as immutable. */
static int cache_connect_immutable(struct cache *c, const char *path, struct err *e)
{
	char uri[PATH_MAX * 3 + 32];
	cache_file_immutable_uri(path, uri);
	return cache_connect(c, uri, SQLITE_OPEN_READONLY | SQLITE_OPEN_URI, e);
}

static void cache_disconnect(struct cache *c)
{
	cache_finalize_all(c);
	sqlite3_close(c->db);
	c->db = NULL;
}

/* The cap in force on the connection (again after a rebuild, which opens a new one). */
static int cache_apply_limit(struct cache *c)
{
	if (!c->limit)
		return SQLITE_OK;
	char sql[96];
	int page = cache_schema_int(c->db, "PRAGMA page_size");
	int64_t pages = c->limit / (page > 0 ? page : 4096);
	pages = pages < 1 ? 1 : pages > INT_MAX ? INT_MAX : pages; /* read back as an int */
	cache_fmt(sql, sizeof sql, "PRAGMA max_page_count = %lld", (long long)pages);
	return cache_exec(c->db, sql);
}

/* After connecting to a sound file: WAL, and the schema brought forward. */
static int cache_setup(struct cache *c, const char *path, struct err *e)
{
	if (sqlite3_db_readonly(c->db, "main") == 1) {
		cache_fmt(c->notice, sizeof c->notice,
		          "cache %s is read-only: nothing new is kept (reading goes on)", path);
		return cache_user_version(c->db) == CACHE_SCHEMA_VERSION
		           ? 0
		           : err_set(e, ERR_IO, "cache %s is read-only and of an old schema", path);
	}
	/* WAL is persistent in the file; these fail harmlessly on a read-only one. */
	cache_exec(c->db, "PRAGMA journal_mode=WAL");
	cache_exec(c->db, "PRAGMA synchronous=NORMAL");
	int rc = cache_schema_migrate(c->db, e);
	if (rc == 0)
		cache_apply_limit(c);
	return rc;
}

/* The file at c->path is corrupt: moved aside, a new one made, the operator told. */
static int cache_rebuild(struct cache *c, struct err *e)
{
	char aside[PATH_MAX + 64];
	cache_disconnect(c);
	if (cache_file_move_aside(c->path, aside, sizeof aside, e) < 0)
		return ERR_IO;
	cache_fmt(c->notice, sizeof c->notice, "cache was corrupt: moved aside to %s, rebuilt",
	          aside);
	int rc = cache_connect(c, c->path, CACHE_OPEN_RW, e);
	return rc < 0 ? rc : cache_setup(c, c->path, e);
}

/* Opens c->path; a file that is not a database, or (when small enough to check at once) fails
 * quick_check, is moved aside and rebuilt. Larger files are checked as they are used: see
 * cache_recover. Returns 0, or < 0 when the file cannot be used at all. */
static int cache_open_file(struct cache *c, struct err *e)
{
	const char *path = c->path;
	/* The audit log is nobody else's business: a new file is the user's only (SQLite gives
	 * its -wal and -shm the same mode). */
	int fd = open(path, O_RDWR | O_CREAT | O_EXCL | O_CLOEXEC, 0600);
	if (fd >= 0)
		close(fd);
	struct stat st;
	int full = stat(path, &st) == 0 && st.st_size <= CACHE_CHECK_MAX;
	int rc = cache_connect(c, path, CACHE_OPEN_RW, e);
	if (rc < 0)
		return rc;
	int sound = cache_check(c->db, full);
	if (sound < 0 && sqlite3_db_readonly(c->db, "main") == 1) {
		cache_disconnect(c);
		if ((rc = cache_connect_immutable(c, path, e)) < 0)
			return rc;
		sound = cache_check(c->db, full);
	}
	if (sound < 0)
		return err_set(e, ERR_IO, "cannot read cache %s: %s", path,
		               cache_file_reason(-sound, c->db));
	return sound == 0 ? cache_rebuild(c, e) : cache_setup(c, path, e);
}

static int cache_use_memory(struct cache *c, struct err *e)
{
	c->memory = 1;
	if (cache_connect(c, ":memory:", CACHE_OPEN_RW, e) < 0 ||
	    cache_schema_migrate(c->db, e) < 0)
		return ERR_IO;
	cache_apply_limit(c);
	return 0;
}

/* SQLite found corruption in the middle of a session: the same as at open. */
static void cache_recover(struct cache *c)
{
	struct err why = {0};
	if (c->memory || !c->db)
		return;
	c->in_tx = 0;
	if (cache_rebuild(c, &why) == 0)
		return;
	if (c->db)
		cache_disconnect(c);
	cache_fmt(c->notice, sizeof c->notice,
	          "cache was corrupt and could not be rebuilt (%s): nothing is kept after exit",
	          why.msg);
	cache_use_memory(c, NULL);
}

struct cache *cache_open(const char *path, struct err *e)
{
	struct cache *c = calloc(1, sizeof *c);
	if (!c || !path || !(c->path = strdup(path))) {
		free(c);
		err_set(e, path ? ERR_NOMEM : ERR_CONFIG, "cache: %s",
		        path ? "out of memory" : "no path");
		return NULL;
	}
	struct err why = {0};
	if (strcmp(path, ":memory:") != 0) {
		if (cache_file_mkdir_parent(path, &why) == 0 && cache_open_file(c, &why) == 0)
			return c;
		/* The file cannot be used: keep going on a cache in memory, and say so. */
		if (c->db)
			cache_disconnect(c);
		cache_fmt(c->notice, sizeof c->notice, "%s: nothing is kept after exit", why.msg);
	}
	if (cache_use_memory(c, e) < 0)
		cache_close(&c);
	return c;
}

void cache_close(struct cache **cp)
{
	if (!cp || !*cp)
		return;
	struct cache *c = *cp;
	if (c->in_tx)
		cache_exec(c->db, "ROLLBACK");
	cache_finalize_all(c);
	sqlite3_close(c->db);
	free(c->path);
	free(c);
	*cp = NULL;
}

const char *cache_notice(const struct cache *c)
{
	return c && c->notice[0] ? c->notice : NULL;
}

void cache_notice_clear(struct cache *c)
{
	if (c)
		c->notice[0] = '\0';
}

const char *cache_path(const struct cache *c)
{
	return c ? c->path : NULL;
}

int cache_persistent(const struct cache *c)
{
	return c && c->db && !c->memory && sqlite3_db_readonly(c->db, "main") == 0;
}

int cache_schema_version(struct cache *c)
{
	return c ? cache_user_version(c->db) : ERR_ARG;
}

int cache_set_limit(struct cache *c, int64_t max_bytes, struct err *e)
{
	if (!c || max_bytes <= 0)
		return err_set(e, ERR_ARG, "cache_set_limit: bad argument");
	c->limit = max_bytes;
	int rc = cache_apply_limit(c);
	return rc == SQLITE_OK ? 0 : cache_fail(c, rc, 0, e);
}

/* A write of need bytes failed as full: 1 when that is the cap, 0 when the disk itself is full
 * (the file is far from the cap). */
static int cache_at_cap(struct cache *c, size_t need)
{
	int64_t page = cache_schema_int(c->db, "PRAGMA page_size");
	int64_t room = (int64_t)cache_schema_int(c->db, "PRAGMA max_page_count") -
	               cache_schema_int(c->db, "PRAGMA page_count") +
	               cache_schema_int(c->db, "PRAGMA freelist_count");
	return c->limit && page > 0 && room <= (int64_t)need / page + 16;
}

static const char *cache_cap_text(const struct cache *c, char *buf, size_t n)
{
	int mib = c->limit >= 1 << 20;
	cache_fmt(buf, n, "%lld %s", (long long)(c->limit >> (mib ? 20 : 10)), mib ? "MiB" : "KiB");
	return buf;
}

/* A write of need bytes met the cap: the oldest answers go (at least a tenth of the cap), and
 * the operator is told. Returns 1 when room was made (the write is worth another try). */
static int cache_make_room(struct cache *c, size_t need)
{
	char cap[32];
	if (c->in_tx && sqlite3_get_autocommit(c->db)) {
		c->in_tx = 0; /* SQLite rolled the batch back: a retry would land outside it */
		return 0;
	}
	if (!cache_at_cap(c, need))
		return 0;
	int rc;
	sqlite3_stmt *st = cache_stmt(c, ST_EVICT, &rc);
	if (!st)
		return 0;
	int64_t want = (int64_t)need * 2 > c->limit / 10 ? (int64_t)need * 2 : c->limit / 10;
	sqlite3_bind_int64(st, 1, want);
	rc = sqlite3_step(st);
	sqlite3_reset(st);
	int dropped = rc == SQLITE_DONE ? sqlite3_changes(c->db) : 0;
	if (dropped > 0)
		cache_fmt(c->notice, sizeof c->notice,
		          "cache reached its cap of %s: the oldest answers were dropped",
		          cache_cap_text(c, cap, sizeof cap));
	return dropped > 0;
}

static void cache_bind_text(sqlite3_stmt *st, int i, const char *s)
{
	if (s)
		sqlite3_bind_text(st, i, s, -1, SQLITE_STATIC);
	else
		sqlite3_bind_null(st, i);
}

/* Binds the scope as ?1 ?2 ?3; 0, or ERR_ARG (nothing bound) when a part is missing. */
static int cache_bind_scope(sqlite3_stmt *st, const struct cache_scope *s, const char *what,
                            struct err *e)
{
	if (!s || !s->ctx || !*s->ctx || !s->server || !*s->server || !s->source || !*s->source)
		return err_set(e, ERR_ARG, "%s: no context, server or source", what);
	cache_bind_text(st, 1, s->ctx);
	cache_bind_text(st, 2, s->server);
	cache_bind_text(st, 3, s->source);
	return 0;
}

/* Steps a write of about need bytes to its end (making room under the cap when that is what
 * stops it); resets it whatever happens. */
static int cache_step_write(struct cache *c, sqlite3_stmt *st, size_t need, struct err *e)
{
	int rc = sqlite3_step(st);
	sqlite3_reset(st);
	for (int i = 0; i < 4 && (rc & 0xff) == SQLITE_FULL && cache_make_room(c, need); i++) {
		rc = sqlite3_step(st);
		sqlite3_reset(st);
	}
	sqlite3_clear_bindings(st);
	if (rc == SQLITE_DONE)
		return 0;
	if ((rc & 0xff) == SQLITE_FULL && cache_at_cap(c, need)) { /* nothing (more) to drop */
		char cap[32];
		cache_fmt(c->notice, sizeof c->notice,
		          "cache write failed: too big for its cap of %s (reading goes on)",
		          cache_cap_text(c, cap, sizeof cap));
		return err_set(e, ERR_IO, "cache write failed: too big for its cap of %s", cap);
	}
	return cache_fail(c, rc, 1, e);
}

/* The statement id of a scoped call, prepared and with its scope bound; NULL with *ret set. */
static sqlite3_stmt *cache_scoped(struct cache *c, enum cache_stmt id, const struct cache_scope *s,
                                  int write, int *ret, struct err *e)
{
	static const char *const names[ST_COUNT] = {[ST_PUT] = "cache_put",
	                                            [ST_TOUCH] = "cache_touch",
	                                            [ST_GET] = "cache_get",
	                                            [ST_DEL_PREFIX] = "cache_delete_prefix",
	                                            [ST_SAMPLE_PUT] = "cache_sample_put",
	                                            [ST_SAMPLE_RANGE] = "cache_sample_range"};
	int rc;
	if (!c) {
		*ret = err_set(e, ERR_ARG, "%s: no cache", names[id]);
		return NULL;
	}
	sqlite3_stmt *st = cache_stmt(c, id, &rc);
	if (!st)
		*ret = cache_fail(c, rc, write, e);
	else if ((*ret = cache_bind_scope(st, s, names[id], e)) < 0)
		st = NULL;
	return st;
}

int cache_put(struct cache *c, const struct cache_scope *s, const char *key, const void *payload,
              size_t len, int64_t fetched_ms, struct err *e)
{
	int ret;
	if (!key || (!payload && len))
		return err_set(e, ERR_ARG, "cache_put: missing argument");
	sqlite3_stmt *st = cache_scoped(c, ST_PUT, s, 1, &ret, e);
	if (!st)
		return ret;
	cache_bind_text(st, 4, key);
	sqlite3_bind_blob64(st, 5, payload ? payload : "", len, SQLITE_STATIC);
	sqlite3_bind_int64(st, 6, fetched_ms);
	return cache_step_write(c, st, len + strlen(key), e);
}

/* A scoped write of one key (or series) with a time: prepared, the scope, key and time bound (?4,
 * ?5); NULL with *ret set. */
static sqlite3_stmt *cache_timed(struct cache *c, enum cache_stmt id, const struct cache_scope *s,
                                 const char *key, int64_t ts_ms, int *ret, struct err *e)
{
	sqlite3_stmt *st = key ? cache_scoped(c, id, s, 1, ret, e) : NULL;
	if (!key)
		*ret = err_set(e, ERR_ARG, "%s: missing argument",
		               id == ST_TOUCH ? "cache_touch" : "cache_sample_put");
	if (st) {
		cache_bind_text(st, 4, key);
		sqlite3_bind_int64(st, 5, ts_ms);
	}
	return st;
}

int cache_touch(struct cache *c, const struct cache_scope *s, const char *key, int64_t fetched_ms,
                struct err *e)
{
	int ret;
	sqlite3_stmt *st = cache_timed(c, ST_TOUCH, s, key, fetched_ms, &ret, e);
	if (!st)
		return ret;
	if ((ret = cache_step_write(c, st, 0, e)) < 0)
		return ret;
	return sqlite3_changes(c->db) ? 0 : 1;
}

int cache_get(struct cache *c, const struct cache_scope *s, const char *key, char **payload,
              size_t *len, int64_t *fetched_ms, struct err *e)
{
	int rc, ret = 1;
	if (!key || !payload)
		return err_set(e, ERR_ARG, "cache_get: missing argument");
	*payload = NULL;
	sqlite3_stmt *st = cache_scoped(c, ST_GET, s, 0, &ret, e);
	if (!st)
		return ret;
	ret = 1;
	cache_bind_text(st, 4, key);
	rc = sqlite3_step(st);
	if (rc == SQLITE_ROW) {
		size_t n = (size_t)sqlite3_column_bytes(st, 0);
		const void *blob = sqlite3_column_blob(st, 0);
		char *p = malloc(n + 1);
		if (!p) {
			ret = err_set(e, ERR_NOMEM, "cache_get: out of memory");
			goto out;
		}
		if (n)
			memcpy(p, blob, n);
		p[n] = '\0';
		*payload = p;
		if (len)
			*len = n;
		if (fetched_ms)
			*fetched_ms = sqlite3_column_int64(st, 1);
		ret = 0;
	}
out:
	sqlite3_reset(st);
	sqlite3_clear_bindings(st);
	return rc == SQLITE_ROW || rc == SQLITE_DONE ? ret : cache_fail(c, rc, 0, e);
}

int cache_delete_prefix(struct cache *c, const struct cache_scope *s, const char *key_prefix,
                        struct err *e)
{
	int ret;
	sqlite3_stmt *st = cache_scoped(c, ST_DEL_PREFIX, s, 1, &ret, e);
	if (!st)
		return ret;
	cache_bind_text(st, 4, key_prefix ? key_prefix : "");
	return cache_step_write(c, st, 0, e);
}

int cache_begin(struct cache *c, struct err *e)
{
	if (!c)
		return err_set(e, ERR_ARG, "cache_begin: no cache");
	if (c->in_tx)
		return err_set(e, ERR_STATE, "cache_begin: a batch is already open");
	int rc = cache_exec(c->db, "BEGIN IMMEDIATE");
	if (rc != SQLITE_OK)
		return cache_fail(c, rc, 1, e);
	c->in_tx = 1;
	return 0;
}

int cache_commit(struct cache *c, struct err *e)
{
	if (!c)
		return err_set(e, ERR_ARG, "cache_commit: no cache");
	if (!c->in_tx)
		return err_set(e, ERR_STATE, "cache_commit: no batch open");
	int rc = cache_exec(c->db, "COMMIT");
	if (rc != SQLITE_OK) {
		cache_exec(c->db, "ROLLBACK");
		c->in_tx = 0;
		return cache_fail(c, rc, 1, e);
	}
	c->in_tx = 0;
	return 0;
}

void cache_rollback(struct cache *c)
{
	if (c && c->in_tx) {
		cache_exec(c->db, "ROLLBACK");
		c->in_tx = 0;
	}
}

/* The id and prev_hash of the row to append, and its hash: inside the append's transaction. */
static int cache_audit_link(struct cache *c, struct audit_row *row, struct err *e)
{
	int rc;
	sqlite3_stmt *st = cache_stmt(c, ST_AUDIT_LAST, &rc);
	if (!st)
		return cache_fail(c, rc, 1, e);
	rc = sqlite3_step(st);
	if (rc == SQLITE_ROW) {
		const unsigned char *h = sqlite3_column_text(st, 0);
		snprintf(row->prev_hash, sizeof row->prev_hash, "%s",
		         h ? (const char *)h : CACHE_CHAIN_ZERO);
		row->id = sqlite3_column_int64(st, 1);
	}
	sqlite3_reset(st);
	if (rc != SQLITE_ROW)
		return cache_fail(c, rc, 1, e);
	if (cache_chain_hash(row, row->hash) < 0)
		return err_set(e, ERR_NOMEM, "cache_audit_append: out of memory");
	return 0;
}

/* Links and inserts row; in the open transaction. */
static int cache_audit_insert(struct cache *c, struct audit_row *row, struct err *e)
{
	row->ts_ms = row->ts_ms ? row->ts_ms : clock_wall_ms(); /* in append order */
	int rc = cache_audit_link(c, row, e);
	if (rc < 0)
		return rc;
	sqlite3_stmt *st = cache_stmt(c, ST_AUDIT_ADD, &rc);
	if (!st)
		return cache_fail(c, rc, 1, e);
	cache_chain_bind(st, row);
	size_t need = 256;
	for (int i = 0; i < CACHE_AUDIT_FIELDS; i++)
		need += cache_audit_value(row, i) ? strlen(cache_audit_value(row, i)) : 0;
	return cache_step_write(c, st, need, e);
}

int64_t cache_audit_append(struct cache *c, const struct audit_row *r, struct err *e)
{
	if (!c || !r)
		return err_set(e, ERR_ARG, "cache_audit_append: missing argument");
	struct audit_row row = *r;
	/* the link to the last row and the row itself in one transaction: no other writer can
	 * append between them */
	int own = !c->in_tx;
	int rc = own ? cache_begin(c, e) : 0;
	if (rc < 0)
		return rc;
	rc = cache_audit_insert(c, &row, e);
	if (own && rc == 0)
		rc = cache_commit(c, e);
	else if (own)
		cache_rollback(c);
	return rc < 0 ? rc : row.id;
}

int cache_audit_list(struct cache *c, const char *ctx, int limit, cache_audit_fn fn, void *ud,
                     struct err *e)
{
	int rc, n = 0;
	if (!c || !fn)
		return err_set(e, ERR_ARG, "cache_audit_list: missing argument");
	sqlite3_stmt *st = cache_stmt(c, ctx ? ST_AUDIT_CTX : ST_AUDIT_ALL, &rc);
	if (!st)
		return cache_fail(c, rc, 0, e);
	sqlite3_bind_int64(st, 1, limit > 0 ? limit : -1);
	if (ctx)
		cache_bind_text(st, 2, ctx);
	while ((rc = sqlite3_step(st)) == SQLITE_ROW) {
		struct audit_row r;
		cache_chain_read(st, &r);
		n++;
		if (fn(ud, &r))
			break;
	}
	sqlite3_reset(st);
	sqlite3_clear_bindings(st);
	return rc == SQLITE_ROW || rc == SQLITE_DONE ? n : cache_fail(c, rc, 0, e);
}

int cache_sample_put(struct cache *c, const struct cache_scope *s, const char *series,
                     int64_t ts_ms, double value, struct err *e)
{
	int ret;
	sqlite3_stmt *st = cache_timed(c, ST_SAMPLE_PUT, s, series, ts_ms, &ret, e);
	if (!st)
		return ret;
	sqlite3_bind_double(st, 6, value); /* NaN is stored as NULL and read back as NaN */
	return cache_step_write(c, st, 64 + strlen(series), e);
}

int cache_sample_range(struct cache *c, const struct cache_scope *s, const char *series,
                       int64_t from_ms, int64_t to_ms, cache_sample_fn fn, void *ud, struct err *e)
{
	int rc, n = 0;
	if (!series || !fn)
		return err_set(e, ERR_ARG, "cache_sample_range: missing argument");
	sqlite3_stmt *st = cache_scoped(c, ST_SAMPLE_RANGE, s, 0, &rc, e);
	if (!st)
		return rc;
	cache_bind_text(st, 4, series);
	sqlite3_bind_int64(st, 5, from_ms);
	sqlite3_bind_int64(st, 6, to_ms);
	while ((rc = sqlite3_step(st)) == SQLITE_ROW) {
		double v = sqlite3_column_type(st, 1) == SQLITE_NULL ? (double)NAN
		                                                     : sqlite3_column_double(st, 1);
		n++;
		if (fn(ud, sqlite3_column_int64(st, 0), v))
			break;
	}
	sqlite3_reset(st);
	sqlite3_clear_bindings(st);
	return rc == SQLITE_ROW || rc == SQLITE_DONE ? n : cache_fail(c, rc, 0, e);
}

int cache_sample_prune(struct cache *c, int64_t older_than_ms, struct err *e)
{
	int rc;
	if (!c)
		return err_set(e, ERR_ARG, "cache_sample_prune: no cache");
	sqlite3_stmt *st = cache_stmt(c, ST_SAMPLE_PRUNE, &rc);
	if (!st)
		return cache_fail(c, rc, 1, e);
	sqlite3_bind_int64(st, 1, older_than_ms);
	rc = cache_step_write(c, st, 0, e);
	return rc < 0 ? rc : sqlite3_changes(c->db);
}
