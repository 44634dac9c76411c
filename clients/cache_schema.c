/* cache_schema: the versions of the cache file's schema, and the migration between them. */
#include "clients/cache_schema.h"

#include "clients/cache.h"
#include "clients/cache_chain.h"
#include "clients/cache_file.h"

/* Version 1: the first schema. Kept as it was so that the migration path is the one real
 * files take. */
static const char cache_schema_v1[] =
    "CREATE TABLE IF NOT EXISTS kv(ctx TEXT NOT NULL, source TEXT NOT NULL, key TEXT NOT NULL,"
    " payload BLOB NOT NULL, fetched_ms INTEGER NOT NULL, PRIMARY KEY (ctx, source, key))"
    " WITHOUT ROWID;"
    "CREATE TABLE IF NOT EXISTS audit(id INTEGER PRIMARY KEY AUTOINCREMENT,"
    " ts_ms INTEGER NOT NULL, user TEXT, context TEXT, action TEXT, model TEXT,"
    " from_version TEXT, to_version TEXT, percent INTEGER, phase TEXT, result TEXT,"
    " detail TEXT);"
    "CREATE TABLE IF NOT EXISTS samples(ctx TEXT NOT NULL, series TEXT NOT NULL,"
    " ts_ms INTEGER NOT NULL, value REAL, PRIMARY KEY (ctx, series, ts_ms)) WITHOUT ROWID;"
    "PRAGMA user_version = 1;";

/* Version 2: the audit log records the host an action came from; the Audit panel lists one
 * context newest first, and pruning samples by age needs an index on time. */
static const char cache_schema_v2[] =
    "ALTER TABLE audit ADD COLUMN host TEXT;"
    "CREATE INDEX IF NOT EXISTS audit_ctx_ts ON audit(context, ts_ms DESC, id DESC);"
    "CREATE INDEX IF NOT EXISTS audit_ts ON audit(ts_ms DESC, id DESC);"
    "CREATE INDEX IF NOT EXISTS samples_ts ON samples(ts_ms);"
    "PRAGMA user_version = 2;";

/* Version 3: every answer and sample is filed under the server it came from, so that one
 * server's data is never shown as another's. The rows of before carry no server: they are
 * dropped, never guessed. */
static const char cache_schema_v3[] =
    "DROP TABLE kv;"
    "CREATE TABLE kv(ctx TEXT NOT NULL, server TEXT NOT NULL, source TEXT NOT NULL,"
    " key TEXT NOT NULL, payload BLOB NOT NULL, fetched_ms INTEGER NOT NULL,"
    " PRIMARY KEY (ctx, server, source, key)) WITHOUT ROWID;"
    "DROP TABLE samples;"
    "CREATE TABLE samples(ctx TEXT NOT NULL, server TEXT NOT NULL, source TEXT NOT NULL,"
    " series TEXT NOT NULL, ts_ms INTEGER NOT NULL, value REAL,"
    " PRIMARY KEY (ctx, server, source, series, ts_ms)) WITHOUT ROWID;"
    "CREATE INDEX samples_ts ON samples(ts_ms);"
    "PRAGMA user_version = 3;";

/* Version 4: the audit log carries the request sent, the status of the answer, the operator's
 * override reason and its hash chain. Its rows cannot be changed once chained nor removed (the
 * triggers stop any write that tries; the chain shows what went around them). The rows of before
 * are chained by the migration, in the order they were appended. */
static const char cache_schema_v4[] =
    "ALTER TABLE audit ADD COLUMN request TEXT;"
    "ALTER TABLE audit ADD COLUMN http_status INTEGER;"
    "ALTER TABLE audit ADD COLUMN reason TEXT;"
    "ALTER TABLE audit ADD COLUMN prev_hash TEXT;"
    "ALTER TABLE audit ADD COLUMN hash TEXT;"
    "CREATE TRIGGER audit_no_update BEFORE UPDATE ON audit WHEN OLD.hash IS NOT NULL"
    " BEGIN SELECT RAISE(ABORT, 'the audit log is append-only'); END;"
    "CREATE TRIGGER audit_no_delete BEFORE DELETE ON audit"
    " BEGIN SELECT RAISE(ABORT, 'the audit log is append-only'); END;"
    "PRAGMA user_version = 4;";

/* Version 5: answers live in a rowid table with a unique index on their key. In a WITHOUT ROWID
 * table the whole row is the b-tree key, and SQLite reads every overflow page of a row (a page of
 * 1,000 runs is about 3 MB) each time a lookup compares its key with it: one get read about ten
 * such rows. Now a lookup walks the small index, then reads the one row it found; fetched_ms
 * comes before the payload, so that reading it does not walk the payload's pages. */
static const char cache_schema_v5[] =
    "CREATE TABLE kv5(ctx TEXT NOT NULL, server TEXT NOT NULL, source TEXT NOT NULL,"
    " key TEXT NOT NULL, fetched_ms INTEGER NOT NULL, payload BLOB NOT NULL);"
    "INSERT INTO kv5(ctx, server, source, key, fetched_ms, payload)"
    " SELECT ctx, server, source, key, fetched_ms, payload FROM kv;"
    "DROP TABLE kv;"
    "ALTER TABLE kv5 RENAME TO kv;"
    "CREATE UNIQUE INDEX kv_key ON kv(ctx, server, source, key);"
    "PRAGMA user_version = 5;";

static const char *const cache_migrations[CACHE_SCHEMA_VERSION] = {
    cache_schema_v1, cache_schema_v2, cache_schema_v3, cache_schema_v4, cache_schema_v5};

int cache_schema_int(sqlite3 *db, const char *sql)
{
	sqlite3_stmt *st = NULL;
	int rc = sqlite3_prepare_v2(db, sql, -1, &st, NULL);
	int v = rc != SQLITE_OK                         ? -rc
	        : (rc = sqlite3_step(st)) == SQLITE_ROW ? sqlite3_column_int(st, 0)
	                                                : -rc;
	sqlite3_finalize(st);
	return v;
}

/* Runs the migrations from version v on, inside the caller's transaction; the rows of the audit
 * log written before the chain are chained on the way to v4. *v ends at the version reached. */
static int cache_schema_steps(sqlite3 *db, int *v)
{
	int rc = SQLITE_OK;
	while (rc == SQLITE_OK && *v >= 0 && *v < CACHE_SCHEMA_VERSION) {
		rc = sqlite3_exec(db, cache_migrations[*v], NULL, NULL, NULL);
		if (rc == SQLITE_OK && ++*v == 4)
			rc = cache_chain_link_old(db);
	}
	return rc;
}

int cache_schema_migrate(sqlite3 *db, struct err *e)
{
	int v = cache_schema_int(db, "PRAGMA user_version");
	if (v < 0)
		return err_set(e, ERR_IO, "cache unreadable: %s", cache_file_reason(-v, db));
	if (v > CACHE_SCHEMA_VERSION)
		return err_set(e, ERR_STATE, "cache schema v%d is newer than this mltop's (v%d)", v,
		               CACHE_SCHEMA_VERSION);
	if (v == CACHE_SCHEMA_VERSION)
		return 0;
	int rc = sqlite3_exec(db, "BEGIN IMMEDIATE", NULL, NULL, NULL);
	if (rc != SQLITE_OK)
		return err_set(e, ERR_IO, "cache migration: %s", cache_file_reason(rc, db));
	int from = v = cache_schema_int(db, "PRAGMA user_version");
	rc = cache_schema_steps(db, &v);
	if (rc == SQLITE_OK)
		rc = sqlite3_exec(db, "COMMIT", NULL, NULL, NULL);
	if (rc != SQLITE_OK) {
		int code = rc;
		sqlite3_exec(db, "ROLLBACK", NULL, NULL, NULL);
		return err_set(e, ERR_IO, "cache migration to v%d failed: %s", v + 1,
		               cache_file_reason(code, db));
	}
	/* The answers dropped on the way to v3, or copied on the way to v5, leave the file larger
	 * than what it holds: that room goes back to the disk, and the cap can hold. */
	if (from > 0 && from < 5)
		sqlite3_exec(db, "VACUUM", NULL, NULL, NULL);
	return 0;
}
