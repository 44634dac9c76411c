/* Tests of clients/cache: key/value, batches, schema migration, corruption, read-only files,
 * two writers on one file, kill -9 during writes, the audit log and metric samples (the server
 * in the key and the cap: test_cache_scope.c). */
#define _GNU_SOURCE
#include <fcntl.h>
#include <ftw.h>
#include <limits.h>
#include <math.h>
#include <poll.h>
#include <pwd.h>
#include <setjmp.h>
#include <signal.h>
#include <sqlite3.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#include <cmocka.h>

#include "clients/cache.h"
#include "clients/cache_audit.h"
#include "tests/unit/cachedir.h"

static int64_t mono_ms(void)
{
	struct timespec ts;
	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (int64_t)ts.tv_sec * 1000 + ts.tv_nsec / 1000000;
}

static void test_put_get_overwrite_absent(void **state)
{
	struct err e = {0};
	char *p = NULL;
	size_t len = 0;
	int64_t at = 0;
	(void)state;
	struct cache *c = cache_open(":memory:", &e);
	assert_non_null(c);
	assert_null(cache_notice(c));
	assert_int_equal(cache_schema_version(c), CACHE_SCHEMA_VERSION);
	assert_int_equal(cache_get(c, AT("ctx", "mlflow"), "exp/1", &p, &len, &at, &e), 1);
	assert_null(p);
	assert_int_equal(cache_put(c, AT("ctx", "mlflow"), "exp/1", "{\"a\":1}", 7, 1000, &e), 0);
	assert_int_equal(cache_get(c, AT("ctx", "mlflow"), "exp/1", &p, &len, &at, &e), 0);
	assert_int_equal(len, 7);
	assert_string_equal(p, "{\"a\":1}");
	assert_int_equal(at, 1000);
	free(p);
	/* overwrite; the same key in another context or source is another entry */
	assert_int_equal(cache_put(c, AT("ctx", "mlflow"), "exp/1", "{}", 2, 2000, &e), 0);
	assert_int_equal(cache_put(c, AT("other", "mlflow"), "exp/1", "X", 1, 3000, &e), 0);
	assert_int_equal(cache_put(c, AT("ctx", "prometheus"), "exp/1", "Y", 1, 3000, &e), 0);
	assert_int_equal(cache_get(c, AT("ctx", "mlflow"), "exp/1", &p, NULL, &at, &e), 0);
	assert_string_equal(p, "{}");
	assert_int_equal(at, 2000);
	free(p);
	/* binary payloads with NUL bytes come back whole, NUL-terminated after len */
	assert_int_equal(cache_put(c, AT("ctx", "mlflow"), "bin", "a\0b", 3, 1, &e), 0);
	assert_int_equal(cache_get(c, AT("ctx", "mlflow"), "bin", &p, &len, NULL, &e), 0);
	assert_int_equal(len, 3);
	assert_memory_equal(p, "a\0b", 4);
	free(p);
	/* empty payload */
	assert_int_equal(cache_put(c, AT("ctx", "mlflow"), "empty", NULL, 0, 1, &e), 0);
	assert_int_equal(cachedir_get_str(c, "empty", ""), 0);
	cache_close(&c);
	assert_null(c);
}

/* A touch sets the time of an answer and leaves its payload; an absent key stays absent. */
static void test_touch(void **state)
{
	struct cache *c = cache_open(":memory:", NULL);
	struct {
		char *p;
		size_t len;
		int64_t at;
	} got = {0};
	(void)state;
	assert_int_equal(cache_touch(c, AT("ctx", "kserve"), "list", 5000, NULL), 1);
	assert_int_equal(cache_get(c, AT("ctx", "kserve"), "list", &got.p, NULL, NULL, NULL), 1);
	assert_int_equal(cache_put(c, AT("ctx", "kserve"), "list", "{\"a\":1}", 7, 1000, NULL), 0);
	assert_int_equal(cache_touch(c, AT("ctx", "kserve"), "list", 5000, NULL), 0);
	assert_int_equal(cache_touch(c, AT("other", "kserve"), "list", 6000, NULL), 1);
	assert_int_equal(cache_get(c, AT("ctx", "kserve"), "list", &got.p, &got.len, &got.at, NULL),
	                 0);
	assert_int_equal(got.len, 7);
	assert_string_equal(got.p, "{\"a\":1}");
	assert_int_equal(got.at, 5000);
	free(got.p);
	assert_int_equal(cache_touch(c, AT("ctx", "kserve"), NULL, 1, NULL), ERR_ARG);
	cache_close(&c);
}

static void test_delete_prefix(void **state)
{
	struct err e = {0};
	(void)state;
	struct cache *c = cache_open(":memory:", &e);
	assert_non_null(c);
	const char *keys[] = {"runs/1", "runs/2", "runs/10", "runs",  "run",
	                      "rune/1", "exp/1",  "runs%",   "runs_x"};
	for (size_t i = 0; i < sizeof keys / sizeof keys[0]; i++)
		assert_int_equal(cache_put(c, AT("ctx", "mlflow"), keys[i], "v", 1, 1, &e), 0);
	assert_int_equal(cache_put(c, AT("ctx2", "mlflow"), "runs/1", "v", 1, 1, &e), 0);
	/* LIKE wildcards in the prefix are plain characters */
	assert_int_equal(cache_delete_prefix(c, AT("ctx", "mlflow"), "runs%", &e), 0);
	assert_int_equal(cachedir_get_str(c, "runs%", "v"), 1);
	assert_int_equal(cachedir_get_str(c, "runs_x", "v"), 0);
	assert_int_equal(cache_delete_prefix(c, AT("ctx", "mlflow"), "runs/", &e), 0);
	assert_int_equal(cachedir_get_str(c, "runs/1", "v"), 1);
	assert_int_equal(cachedir_get_str(c, "runs/10", "v"), 1);
	assert_int_equal(cachedir_get_str(c, "runs", "v"), 0);
	assert_int_equal(cachedir_get_str(c, "run", "v"), 0);
	assert_int_equal(cachedir_get_str(c, "rune/1", "v"), 0);
	char *p = NULL;
	assert_int_equal(cache_get(c, AT("ctx2", "mlflow"), "runs/1", &p, NULL, NULL, &e), 0);
	free(p);
	assert_int_equal(cache_delete_prefix(c, AT("ctx", "mlflow"), "", &e), 0);
	assert_int_equal(cachedir_get_str(c, "exp/1", "v"), 1);
	assert_int_equal(cachedir_get_str(c, "runs_x", "v"), 1);
	cache_close(&c);
}

static void test_batch(void **state)
{
	struct err e = {0};
	(void)state;
	struct cache *c = cache_open(":memory:", &e);
	assert_int_equal(cache_begin(c, &e), 0);
	assert_int_equal(cache_begin(c, &e), ERR_STATE);
	assert_int_equal(cachedir_put_many(c, "k", 0, 100, "v", 1, &e), 0);
	assert_int_equal(cache_commit(c, &e), 0);
	assert_int_equal(cache_commit(c, &e), ERR_STATE);
	/* no cache at all is the caller's mistake, not a state */
	assert_int_equal(cache_begin(NULL, &e), ERR_ARG);
	assert_int_equal(cache_commit(NULL, &e), ERR_ARG);
	assert_int_equal(cache_schema_version(NULL), ERR_ARG);
	assert_int_equal(cachedir_get_str(c, "k99", "v"), 0);
	assert_int_equal(cache_begin(c, &e), 0);
	assert_int_equal(cache_put(c, AT("ctx", "mlflow"), "gone", "v", 1, 1, &e), 0);
	cache_rollback(c);
	assert_int_equal(cachedir_get_str(c, "gone", "v"), 1);
	cache_close(&c);
}

static void test_creates_parent_dir(void **state)
{
	char path[512], dir[512];
	struct stat st;
	struct err e = {0};
	(void)state;
	cachedir_path(dir, sizeof dir, "a/b");
	cachedir_path(path, sizeof path, "a/b/cache.db");
	struct cache *c = cache_open(path, &e);
	assert_non_null(c);
	assert_null(cache_notice(c));
	assert_string_equal(cache_path(c), path);
	assert_int_equal(stat(dir, &st), 0);
	assert_int_equal(st.st_mode & 0777, 0700);
	assert_int_equal(stat(path, &st), 0);
	assert_int_equal(st.st_mode & 0777, 0600);
	assert_int_equal(cache_put(c, AT("ctx", "mlflow"), "k", "persisted", 9, 5, &e), 0);
	cache_close(&c);
	c = cache_open(path, &e);
	assert_int_equal(cachedir_get_str(c, "k", "persisted"), 0);
	/* the file is in WAL mode */
	assert_int_equal(
	    cachedir_sql(path, "SELECT journal_mode = 'wal' FROM pragma_journal_mode", 1), 1);
	cache_close(&c);
}

/* A version 1 file as the first mltop wrote it: no audit host column, no indexes. */
static void make_v1(const char *path)
{
	assert_int_equal(
	    cachedir_sql(path,
	                 "CREATE TABLE kv(ctx TEXT NOT NULL, source TEXT NOT NULL, key TEXT NOT "
	                 "NULL, payload BLOB NOT NULL, fetched_ms INTEGER NOT NULL, PRIMARY KEY "
	                 "(ctx, source, key)) WITHOUT ROWID;"
	                 "CREATE TABLE audit(id INTEGER PRIMARY KEY AUTOINCREMENT, ts_ms INTEGER "
	                 "NOT NULL, user TEXT, context TEXT, action TEXT, model TEXT, from_version "
	                 "TEXT, to_version TEXT, percent INTEGER, phase TEXT, result TEXT, detail "
	                 "TEXT);"
	                 "CREATE TABLE samples(ctx TEXT NOT NULL, series TEXT NOT NULL, ts_ms "
	                 "INTEGER NOT NULL, value REAL, PRIMARY KEY (ctx, series, ts_ms)) WITHOUT "
	                 "ROWID;"
	                 "INSERT INTO kv VALUES ('ctx', 'mlflow', 'old', 'kept', 7);"
	                 "INSERT INTO audit(ts_ms, user, context, action, model, percent, phase, "
	                 "result) VALUES (100, 'alice@box', 'prod', 'promote', 'churn', NULL, "
	                 "'after', 'ok');"
	                 "PRAGMA user_version = 1;",
	                 0),
	    SQLITE_OK);
}

static void test_migrate_v1(void **state)
{
	char path[512];
	struct err e = {0};
	(void)state;
	cachedir_path(path, sizeof path, "v1.db");
	make_v1(path);
	struct cache *c = cache_open(path, &e);
	assert_non_null(c);
	assert_null(cache_notice(c));
	assert_int_equal(cache_schema_version(c), CACHE_SCHEMA_VERSION);
	/* an answer filed without its server is nobody's: gone, for every server */
	assert_int_equal(cachedir_get_str(c, "old", "kept"), 1);
	struct audit_row *rows = NULL;
	size_t n = 0;
	assert_int_equal(cache_audit_fetch(c, NULL, 0, &rows, &n, &e), 0);
	assert_int_equal(n, 1);
	assert_string_equal(rows[0].user, "alice@box");
	assert_null(rows[0].host);
	assert_int_equal(rows[0].percent, -1);
	cache_audit_rows_free(&rows, n);
	struct audit_row r = {.ts_ms = 200,
	                      .user = "bob",
	                      .host = "box2",
	                      .context = "prod",
	                      .action = "rollback",
	                      .model = "churn",
	                      .percent = 0,
	                      .phase = "before"};
	assert_true(cache_audit_append(c, &r, &e) > 0);
	assert_int_equal(cache_audit_fetch(c, "prod", 0, &rows, &n, &e), 0);
	assert_int_equal(n, 2);
	assert_string_equal(rows[0].host, "box2");
	assert_int_equal(rows[0].percent, 0);
	cache_audit_rows_free(&rows, n);
	struct cache_audit_report rep; /* the row of before is chained, the new one after it */
	assert_int_equal(cache_audit_verify(c, &rep, &e), 0);
	assert_string_equal(rep.text, "audit chain: 2 rows verified");
	cache_close(&c);

	/* the indexes are there, and a second open migrates nothing */
	assert_int_equal(
	    cachedir_sql(path,
	                 "SELECT count(*) FROM sqlite_master WHERE type = 'index' AND name "
	                 "IN ('audit_ctx_ts', 'samples_ts')",
	                 1),
	    2);
	c = cache_open(path, &e);
	assert_int_equal(cache_schema_version(c), CACHE_SCHEMA_VERSION);
	cache_close(&c);
}

/* A version 2 file (answers keyed by context and source only): after the migration none of its
 * answers or samples is read back as any server's, and the file gives back their room; the audit
 * log is kept whole. */
static void test_migrate_v2_drops_serverless(void **state)
{
	char path[512];
	struct err e = {0};
	(void)state;
	cachedir_path(path, sizeof path, "v2.db");
	make_v1(path);
	assert_int_equal(
	    cachedir_sql(
	        path,
	        "ALTER TABLE audit ADD COLUMN host TEXT;"
	        "INSERT INTO kv VALUES ('ctx', 'mlflow', 'experiments', 'X', 9);"
	        "INSERT INTO samples VALUES ('ctx', 'churn/rps', 1000, 2.5);"
	        "INSERT INTO kv VALUES ('ctx', 'mlflow', 'runs/1/p0', zeroblob(3000000), 9);"
	        "PRAGMA user_version = 2;",
	        0),
	    SQLITE_OK);
	struct stat st;
	assert_int_equal(stat(path, &st), 0);
	assert_true(st.st_size > 3000000);
	struct cache *c = cache_open(path, &e);
	assert_non_null(c);
	assert_int_equal(cache_schema_version(c), CACHE_SCHEMA_VERSION);
	const char *servers[] = {CACHEDIR_SERVER, "http://127.0.0.1:5000", "x"};
	for (size_t i = 0; i < 3; i++) {
		char *p = NULL;
		struct cache_scope sc = {"ctx", servers[i], "mlflow"};
		assert_int_equal(cache_get(c, &sc, "experiments", &p, NULL, NULL, &e), 1);
		assert_null(p);
	}
	assert_int_equal(cachedir_sql(path, "SELECT count(*) FROM kv", 1), 0);
	assert_int_equal(cachedir_sql(path, "SELECT count(*) FROM samples", 1), 0);
	assert_int_equal(cachedir_sql(path, "SELECT count(*) FROM audit", 1), 1);
	cache_close(&c);
	/* the room of what was dropped went back to the disk */
	assert_int_equal(stat(path, &st), 0);
	assert_true(st.st_size < 100000);
}

/* A version 4 file (answers in a WITHOUT ROWID table, where a lookup read through every large
 * row it compared with): its answers are kept by the move to v5, under their servers, and the
 * answers table is now a rowid table with a unique index on the key. */
static void test_migrate_v4_keeps_answers(void **state)
{
	char path[512];
	struct err e = {0};
	(void)state;
	cachedir_path(path, sizeof path, "v4.db");
	struct cache *c = cache_open(path, &e);
	assert_non_null(c);
	cache_close(&c);
	assert_int_equal(
	    cachedir_sql(
	        path,
	        "DROP INDEX kv_key; DROP TABLE kv;"
	        "CREATE TABLE kv(ctx TEXT NOT NULL, server TEXT NOT NULL, source TEXT NOT NULL,"
	        " key TEXT NOT NULL, payload BLOB NOT NULL, fetched_ms INTEGER NOT NULL,"
	        " PRIMARY KEY (ctx, server, source, key)) WITHOUT ROWID;"
	        "INSERT INTO kv VALUES ('ctx', '" CACHEDIR_SERVER "', 'mlflow', 'k', 'kept', 7);"
	        "INSERT INTO kv VALUES ('ctx', 'http://b.example:5000', 'mlflow', 'k', 'b', 8);"
	        "PRAGMA user_version = 4;",
	        0),
	    SQLITE_OK);
	c = cache_open(path, &e);
	assert_non_null(c);
	assert_null(cache_notice(c));
	assert_int_equal(cache_schema_version(c), CACHE_SCHEMA_VERSION);
	assert_int_equal(cachedir_get_str(c, "k", "kept"), 0);
	int64_t at = 0;
	char *p = NULL;
	assert_int_equal(cache_get(c, AT("ctx", "mlflow"), "k", &p, NULL, &at, &e), 0);
	assert_int_equal(at, 7);
	free(p);
	/* a put still replaces, through the unique index */
	assert_int_equal(cache_put(c, AT("ctx", "mlflow"), "k", "new", 3, 9, &e), 0);
	assert_int_equal(cachedir_get_str(c, "k", "new"), 0);
	cache_close(&c);
	assert_int_equal(cachedir_sql(path, "SELECT count(*) FROM kv", 1), 2);
	assert_int_equal(cachedir_sql(path,
	                              "SELECT count(*) FROM sqlite_master WHERE name = 'kv' AND "
	                              "sql LIKE '%WITHOUT ROWID%'",
	                              1),
	                 0);
}

static void test_newer_schema(void **state)
{
	char path[512];
	struct err e = {0};
	(void)state;
	cachedir_path(path, sizeof path, "future.db");
	assert_int_equal(cachedir_sql(path, "CREATE TABLE x(y); PRAGMA user_version = 99;", 0),
	                 SQLITE_OK);
	struct cache *c = cache_open(path, &e);
	assert_non_null(c); /* in memory, said so; the newer file is left alone */
	assert_non_null(cache_notice(c));
	assert_non_null(strstr(cache_notice(c), "newer"));
	assert_int_equal(cache_put(c, AT("ctx", "mlflow"), "k", "v", 1, 1, &e), 0);
	cache_close(&c);
	assert_int_equal(cachedir_sql(path, "PRAGMA user_version", 1), 99);
}

static void write_random(const char *path, size_t n)
{
	FILE *f = fopen(path, "wb");
	assert_non_null(f);
	srand(42);
	for (size_t i = 0; i < n; i++)
		fputc(rand() & 0xff, f);
	fclose(f);
}

static void test_corrupt_moved_aside(void **state)
{
	char path[512];
	struct err e = {0};
	(void)state;
	cachedir_path(path, sizeof path, "corrupt.db");
	write_random(path, 8192);
	struct cache *c = cache_open(path, &e);
	assert_non_null(c);
	const char *n = cache_notice(c);
	assert_non_null(n);
	assert_non_null(strstr(n, "cache was corrupt: moved aside to "));
	assert_non_null(strstr(n, "corrupt.db.corrupt-"));
	assert_non_null(strstr(n, ", rebuilt"));
	/* the moved file holds the old bytes */
	const char *aside = strstr(n, cachedir_root());
	assert_non_null(aside);
	char moved[512];
	snprintf(moved, sizeof moved, "%.*s", (int)(strstr(aside, ", rebuilt") - aside), aside);
	struct stat st;
	assert_int_equal(stat(moved, &st), 0);
	assert_int_equal(st.st_size, 8192);
	/* the rebuilt cache works and persists */
	assert_int_equal(cache_schema_version(c), CACHE_SCHEMA_VERSION);
	assert_int_equal(cache_put(c, AT("ctx", "mlflow"), "k", "fresh", 5, 1, &e), 0);
	cache_close(&c);
	c = cache_open(path, &e);
	assert_null(cache_notice(c));
	assert_int_equal(cachedir_get_str(c, "k", "fresh"), 0);
	cache_close(&c);
}

/* A valid header with garbage in b-tree pages: a small file is caught by quick_check at open, a
 * large one (not checked whole, for a fast start) when a statement meets the damage. */
static void corrupt_pages(const char *name, int keys)
{
	char path[512], big[2000], junk[4096];
	struct err e = {0};
	cachedir_path(path, sizeof path, name);
	struct cache *c = cache_open(path, &e);
	memset(big, 'x', sizeof big);
	assert_int_equal(cache_begin(c, &e), 0);
	assert_int_equal(cachedir_put_many(c, "k", 0, keys, big, sizeof big, &e), 0);
	assert_int_equal(cache_commit(c, &e), 0);
	cache_close(&c);
	int fd = open(path, O_WRONLY);
	memset(junk, 0xA5, sizeof junk);
	for (off_t off = 4096; off < 4096 * 40; off += 4096 * 3)
		assert_int_equal(pwrite(fd, junk, sizeof junk, off), (ssize_t)sizeof junk);
	close(fd);
	c = cache_open(path, &e);
	assert_non_null(c);
	if (keys > 1000) { /* over the size checked at open */
		assert_null(cache_notice(c));
		assert_int_equal(cache_delete_prefix(c, AT("ctx", "mlflow"), "", &e), ERR_IO);
		assert_string_equal(e.msg, "cache was corrupt: rebuilt, this write is lost");
	}
	assert_non_null(cache_notice(c));
	assert_non_null(strstr(cache_notice(c), "cache was corrupt: moved aside to "));
	assert_int_equal(cachedir_get_str(c, "k1", "x"), 1);
	assert_int_equal(cache_put(c, AT("ctx", "mlflow"), "k1", "y", 1, 1, &e), 0);
	assert_int_equal(cachedir_get_str(c, "k1", "y"), 0);
	cache_close(&c);
}

static void test_corrupt_pages(void **state)
{
	(void)state;
	corrupt_pages("pages.db", 200);
	corrupt_pages("large.db", 5000);
}

/* Runs as an unprivileged user (root ignores file modes): returns 0 or the failing step. */
static int readonly_scenario(const char *dir, int lock_dir)
{
	char path[600];
	struct err e = {0};
	char *p = NULL;
	snprintf(path, sizeof path, "%s/ro.db", dir);
	struct cache *c = cache_open(path, &e);
	if (!c || cache_put(c, AT("ctx", "mlflow"), "k", "kept", 4, 1, &e) < 0)
		return 1;
	cache_close(&c);
	if (chmod(path, 0444) < 0 || (lock_dir && chmod(dir, 0555) < 0))
		return 2;
	c = cache_open(path, &e);
	if (!c)
		return 3;
	if (cache_get(c, AT("ctx", "mlflow"), "k", &p, NULL, NULL, &e) != 0 ||
	    strcmp(p, "kept") != 0)
		return 4;
	free(p);
	if (cache_put(c, AT("ctx", "mlflow"), "k2", "new", 3, 1, &e) != ERR_IO)
		return 5;
	if (!strstr(e.msg, "read-only") || !cache_notice(c) ||
	    !strstr(cache_notice(c), "read-only"))
		return 6;
	struct audit_row r = {.action = "promote", .percent = -1};
	if (cache_audit_append(c, &r, &e) >= 0)
		return 7;
	if (cache_get(c, AT("ctx", "mlflow"), "k", &p, NULL, NULL, &e) != 0)
		return 8;
	free(p);
	cache_close(&c);
	return 0;
}

static void run_readonly(int lock_dir)
{
	char dir[512];
	cachedir_path(dir, sizeof dir, lock_dir ? "rodir" : "rofile");
	assert_int_equal(mkdir(dir, 0700), 0);
	if (geteuid() != 0) {
		assert_int_equal(readonly_scenario(dir, lock_dir), 0);
		return;
	}
	struct passwd *pw = getpwnam("nobody");
	assert_non_null(pw);
	assert_int_equal(chmod(cachedir_root(), 0711), 0);
	assert_int_equal(chown(dir, pw->pw_uid, pw->pw_gid), 0);
	pid_t pid = fork();
	assert_true(pid >= 0);
	if (pid == 0) {
		if (setgid(pw->pw_gid) < 0 || setuid(pw->pw_uid) < 0)
			_exit(100);
		_exit(readonly_scenario(dir, lock_dir));
	}
	int status = 0;
	assert_int_equal(waitpid(pid, &status, 0), pid);
	assert_true(WIFEXITED(status));
	assert_int_equal(WEXITSTATUS(status), 0);
	chmod(dir, 0700);
}

static void test_readonly(void **state)
{
	(void)state;
	run_readonly(0); /* the file is 0444 */
	run_readonly(1); /* and its directory 0555 */
}

static void test_unusable_path_falls_back(void **state)
{
	char path[512];
	struct err e = {0};
	(void)state;
	cachedir_path(path, sizeof path, "plainfile");
	FILE *f = fopen(path, "w");
	fputs("x", f);
	fclose(f);
	cachedir_path(path, sizeof path,
	              "plainfile/sub/cache.db"); /* a file where a dir should be */
	struct cache *c = cache_open(path, &e);
	assert_non_null(c);
	assert_non_null(cache_notice(c));
	assert_non_null(strstr(cache_notice(c), "nothing is kept after exit"));
	assert_int_equal(cache_put(c, AT("ctx", "mlflow"), "k", "v", 1, 1, &e), 0);
	assert_int_equal(cachedir_get_str(c, "k", "v"), 0);
	cache_close(&c);
}

static void test_two_connections_interleaved(void **state)
{
	char path[512];
	struct err e = {0};
	(void)state;
	cachedir_path(path, sizeof path, "two.db");
	struct cache *a = cache_open(path, &e);
	struct cache *b = cache_open(path, &e);
	assert_non_null(a);
	assert_non_null(b);
	for (int i = 0; i < 50; i++) {
		assert_int_equal(cachedir_put_many(a, "a", i, i + 1, "A", 1, &e), 0);
		assert_int_equal(cachedir_put_many(b, "b", i, i + 1, "B", 1, &e), 0);
		assert_int_equal(cache_sample_put(b, AT("ctx", "prometheus"), "rps", i, i, &e), 0);
		struct audit_row r = {.action = "canary", .percent = i, .context = "ctx"};
		assert_true(cache_audit_append(a, &r, &e) > 0);
	}
	assert_int_equal(cachedir_get_str(a, "b49", "B"), 0);
	assert_int_equal(cachedir_get_str(b, "a49", "A"), 0);
	cache_close(&a);
	cache_close(&b);
}

/* A writer process: n puts of tag0, tag1, … in batches of batch (1: one transaction each);
 * after each commit, the last committed index goes to report_fd when it is >= 0. */
static int writer(const char *path, const char *tag, int n, int batch, int report_fd)
{
	struct err e = {0};
	struct cache *c = cache_open(path, &e);
	if (!c || cache_notice(c))
		return 1;
	for (int i = 0; i < n; i += batch) {
		if (batch > 1 && cache_begin(c, &e) < 0)
			return 2;
		int j = i + batch < n ? i + batch : n;
		if (cachedir_put_many(c, tag, i, j, tag, strlen(tag), &e) < 0)
			return 3;
		if (batch > 1 && cache_commit(c, &e) < 0)
			return 4;
		int last = j - 1;
		if (report_fd >= 0 && write(report_fd, &last, sizeof last) != (ssize_t)sizeof last)
			return 5;
	}
	cache_close(&c);
	return 0;
}

static void test_two_processes(void **state)
{
	char path[512];
	struct err e = {0};
	(void)state;
	cachedir_path(path, sizeof path, "procs.db");
	pid_t pid[2];
	for (int i = 0; i < 2; i++) {
		pid[i] = fork();
		assert_true(pid[i] >= 0);
		if (pid[i] == 0)
			_exit(writer(path, i ? "q" : "p", 400, i ? 20 : 1, -1));
	}
	for (int i = 0; i < 2; i++) {
		int status = 0;
		assert_int_equal(waitpid(pid[i], &status, 0), pid[i]);
		assert_true(WIFEXITED(status));
		assert_int_equal(WEXITSTATUS(status), 0);
	}
	struct cache *c = cache_open(path, &e);
	assert_null(cache_notice(c));
	assert_int_equal(cachedir_get_str(c, "p0", "p"), 0);
	assert_int_equal(cachedir_get_str(c, "p399", "p"), 0);
	assert_int_equal(cachedir_get_str(c, "q0", "q"), 0);
	assert_int_equal(cachedir_get_str(c, "q399", "q"), 0);
	cache_close(&c);
}

static void test_kill9_keeps_commits(void **state)
{
	char path[512];
	struct err e = {0};
	int fds[2];
	(void)state;
	cachedir_path(path, sizeof path, "kill.db");
	assert_int_equal(pipe(fds), 0);
	pid_t pid = fork();
	assert_true(pid >= 0);
	if (pid == 0) {
		close(fds[0]); /* commits until killed, telling each commit */
		_exit(writer(path, "k", INT_MAX, 5, fds[1]));
	}
	close(fds[1]);
	int last = -1, v;
	int64_t deadline = mono_ms() + 20000;
	while (last < 500 && mono_ms() < deadline) {
		struct pollfd pfd = {.fd = fds[0], .events = POLLIN};
		if (poll(&pfd, 1, 1000) == 1 && read(fds[0], &v, sizeof v) == (ssize_t)sizeof v)
			last = v;
	}
	assert_true(last >= 500);
	assert_int_equal(kill(pid, SIGKILL), 0);
	int status = 0;
	assert_int_equal(waitpid(pid, &status, 0), pid);
	assert_true(WIFSIGNALED(status));
	while (read(fds[0], &v, sizeof v) == (ssize_t)sizeof v)
		last = v;
	close(fds[0]);
	struct cache *c = cache_open(path, &e);
	assert_non_null(c);
	assert_null(cache_notice(c));
	for (int i = 0; i <= last; i++) {
		char k[32];
		snprintf(k, sizeof k, "k%d", i);
		assert_int_equal(cachedir_get_str(c, k, "k"), 0);
	}
	cache_close(&c);
}

struct audit_seen {
	int n;
	int64_t ids[16];
	char actions[16][16];
};

static int audit_cb(void *ud, const struct audit_row *r)
{
	struct audit_seen *s = ud;
	s->ids[s->n] = r->id;
	snprintf(s->actions[s->n], sizeof s->actions[0], "%s", r->action ? r->action : "-");
	return ++s->n >= 3; /* stop after three */
}

static void test_audit(void **state)
{
	struct err e = {0};
	(void)state;
	struct cache *c = cache_open(":memory:", &e);
	struct audit_row r = {.ts_ms = 1000,
	                      .user = "alice@box",
	                      .host = "box",
	                      .context = "prod",
	                      .action = "canary",
	                      .model = "churn",
	                      .from_version = "3",
	                      .to_version = "4",
	                      .percent = 10,
	                      .phase = "before",
	                      .detail = "kserve: plan\nmlflow: plan"};
	int64_t id1 = cache_audit_append(c, &r, &e);
	r.phase = "after";
	r.result = "partial";
	r.detail = "kserve: 200 OK\nmlflow: 503";
	int64_t id2 = cache_audit_append(c, &r, &e); /* same ts: id breaks the tie */
	r.ts_ms = 3000;
	r.action = "rollback";
	r.percent = -1;
	r.context = "staging";
	int64_t id3 = cache_audit_append(c, &r, &e);
	r.ts_ms = 2000;
	r.action = "silence";
	r.context = "prod";
	r.model = NULL;
	int64_t id4 = cache_audit_append(c, &r, &e);
	r.ts_ms = 0; /* now */
	r.action = "promote";
	int64_t id5 = cache_audit_append(c, &r, &e);
	assert_true(id1 > 0 && id2 > id1 && id3 > id2 && id4 > id3 && id5 > id4);

	struct audit_row *rows = NULL;
	size_t n = 0;
	assert_int_equal(cache_audit_fetch(c, NULL, 0, &rows, &n, &e), 0);
	assert_int_equal(n, 5);
	int64_t want[] = {id5, id3, id4, id2, id1};
	for (size_t i = 0; i < n; i++)
		assert_int_equal(rows[i].id, want[i]);
	assert_true(rows[0].ts_ms > 1000000000000LL); /* "now" was filled */
	assert_string_equal(rows[3].result, "partial");
	assert_string_equal(rows[3].detail, "kserve: 200 OK\nmlflow: 503");
	assert_string_equal(rows[3].from_version, "3");
	assert_string_equal(rows[3].to_version, "4");
	assert_string_equal(rows[3].user, "alice@box");
	assert_string_equal(rows[3].host, "box");
	assert_int_equal(rows[3].percent, 10);
	assert_null(rows[4].result);
	assert_int_equal(rows[1].percent, -1);
	assert_null(rows[2].model);
	cache_audit_rows_free(&rows, n);
	assert_null(rows);

	assert_int_equal(cache_audit_fetch(c, "prod", 2, &rows, &n, &e), 0);
	assert_int_equal(n, 2);
	assert_int_equal(rows[0].id, id5);
	assert_int_equal(rows[1].id, id4);
	cache_audit_rows_free(&rows, n);

	assert_int_equal(cache_audit_fetch(c, "nowhere", 0, &rows, &n, &e), 0);
	assert_int_equal(n, 0);
	cache_audit_rows_free(&rows, n);

	struct audit_seen seen = {0};
	assert_int_equal(cache_audit_list(c, "prod", 0, audit_cb, &seen, &e), 3);
	assert_int_equal(seen.n, 3);
	assert_string_equal(seen.actions[0], "promote");
	assert_string_equal(seen.actions[1], "silence");
	assert_string_equal(seen.actions[2], "canary");
	cache_close(&c);
}

struct sample_seen {
	int n;
	int64_t ts[16];
	double v[16];
};

static int sample_cb(void *ud, int64_t ts, double v)
{
	struct sample_seen *s = ud;
	s->ts[s->n] = ts;
	s->v[s->n] = v;
	return ++s->n >= 16;
}

static void test_samples(void **state)
{
	struct err e = {0};
	(void)state;
	struct cache *c = cache_open(":memory:", &e);
	int64_t ts[] = {5000, 1000, 3000, 2000, 4000};
	for (size_t i = 0; i < 5; i++)
		assert_int_equal(cache_sample_put(c, AT("prod", "prometheus"), "churn/v4/rps",
		                                  ts[i], ts[i] / 100.0, &e),
		                 0);
	assert_int_equal(
	    cache_sample_put(c, AT("prod", "prometheus"), "churn/v4/rps", 3000, 99.5, &e), 0);
	assert_int_equal(
	    cache_sample_put(c, AT("prod", "prometheus"), "churn/v4/p99", 3000, NAN, &e), 0);
	assert_int_equal(
	    cache_sample_put(c, AT("staging", "prometheus"), "churn/v4/rps", 3000, 1, &e), 0);

	struct sample_seen s = {0};
	assert_int_equal(cache_sample_range(c, AT("prod", "prometheus"), "churn/v4/rps", 2000, 4000,
	                                    sample_cb, &s, &e),
	                 3);
	assert_int_equal(s.ts[0], 2000);
	assert_int_equal(s.ts[1], 3000);
	assert_int_equal(s.ts[2], 4000);
	assert_true(s.v[0] == 20.0 && s.v[1] == 99.5 && s.v[2] == 40.0);
	memset(&s, 0, sizeof s);
	assert_int_equal(cache_sample_range(c, AT("prod", "prometheus"), "churn/v4/p99", 0, 9999,
	                                    sample_cb, &s, &e),
	                 1);
	assert_true(isnan(s.v[0]));

	assert_int_equal(cache_sample_prune(c, 3000, &e), 2); /* 1000 and 2000 of prod/rps */
	memset(&s, 0, sizeof s);
	assert_int_equal(cache_sample_range(c, AT("prod", "prometheus"), "churn/v4/rps", 0, 9999,
	                                    sample_cb, &s, &e),
	                 3);
	assert_int_equal(s.ts[0], 3000);
	assert_int_equal(cache_sample_prune(c, 10000, &e), 5);
	memset(&s, 0, sizeof s);
	assert_int_equal(cache_sample_range(c, AT("staging", "prometheus"), "churn/v4/rps", 0, 9999,
	                                    sample_cb, &s, &e),
	                 0);
	cache_close(&c);
}

static void test_bad_arguments(void **state)
{
	struct err e = {0};
	char *p = NULL;
	(void)state;
	assert_null(cache_open(NULL, &e));
	assert_int_equal(e.code, ERR_CONFIG);
	struct cache *c = cache_open(":memory:", &e);
	assert_int_equal(cache_put(c, AT(NULL, "s"), "k", "v", 1, 1, &e), ERR_ARG);
	assert_int_equal(cache_get(c, AT("c", "s"), NULL, &p, NULL, NULL, &e), ERR_ARG);
	assert_int_equal(cache_put(NULL, AT("c", "s"), "k", "v", 1, 1, &e), ERR_ARG);
	cache_close(&c);
	cache_close(&c); /* twice is harmless */
	cache_close(NULL);
	assert_null(cache_notice(NULL));
}

int main(void)
{
	const struct CMUnitTest tests[] = {
	    cmocka_unit_test(test_put_get_overwrite_absent),
	    cmocka_unit_test(test_delete_prefix),
	    cmocka_unit_test(test_touch),
	    cmocka_unit_test(test_batch),
	    cmocka_unit_test(test_creates_parent_dir),
	    cmocka_unit_test(test_migrate_v1),
	    cmocka_unit_test(test_migrate_v2_drops_serverless),
	    cmocka_unit_test(test_migrate_v4_keeps_answers),
	    cmocka_unit_test(test_newer_schema),
	    cmocka_unit_test(test_corrupt_moved_aside),
	    cmocka_unit_test(test_corrupt_pages),
	    cmocka_unit_test(test_readonly),
	    cmocka_unit_test(test_unusable_path_falls_back),
	    cmocka_unit_test(test_two_connections_interleaved),
	    cmocka_unit_test(test_two_processes),
	    cmocka_unit_test(test_kill9_keeps_commits),
	    cmocka_unit_test(test_audit),
	    cmocka_unit_test(test_samples),
	    cmocka_unit_test(test_bad_arguments),
	};
	return cmocka_run_group_tests(tests, cachedir_setup, cachedir_teardown);
}
