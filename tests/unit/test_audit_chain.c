/* Tests of the audit log's hash chain (clients/cache_chain, cache_audit_verify): a known row's
 * serialisation and hash, an intact log, and an edited, a deleted and a reordered row — each made
 * with SQLite directly on the file, around the triggers that keep mltop itself from doing it —
 * each found and named; the chain across a migration, a batch and two writing processes. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sqlite3.h>
#include <sys/wait.h>
#include <unistd.h>

#include <cmocka.h>

#include "clients/cache.h"
#include "clients/cache_audit.h"
#include "clients/cache_chain.h"
#include "tests/unit/cachedir.h"

#define ZERO64 "0000000000000000000000000000000000000000000000000000000000000000"

/* The known row, its canonical serialisation written out by hand, and the SHA-256 of that text
 * as `sha256sum` gives it. */
static const struct audit_row known = {
    .ts_ms = 1764650000000LL,
    .user = "alice",
    .host = "box",
    .context = "prod",
    .action = "promote",
    .model = "churn",
    .from_version = "6",
    .to_version = "7",
    .percent = 100,
    .phase = "after",
    .result = "ok",
    .detail = "200 OK\n{\"x\":1}",
    .request = "PATCH /apis/x/churn {\"a\":\"b\"}",
    .http_status = 200,
    .reason = NULL,
};
static const char known_text[] = "mltop audit v1\n"
                                 "id 1\n"
                                 "ts_ms 1764650000000\n"
                                 "user 5:alice\n"
                                 "host 3:box\n"
                                 "context 4:prod\n"
                                 "action 7:promote\n"
                                 "model 5:churn\n"
                                 "from_version 1:6\n"
                                 "to_version 1:7\n"
                                 "percent 100\n"
                                 "phase 5:after\n"
                                 "result 2:ok\n"
                                 "detail 14:200 OK\n{\"x\":1}\n"
                                 "request 29:PATCH /apis/x/churn {\"a\":\"b\"}\n"
                                 "http_status 200\n"
                                 "reason -\n"
                                 "prev_hash 64:" ZERO64 "\n";
#define KNOWN_HASH "04b29c2bc200d91fb94d13e9333463219285edc070161353b44a27c238dd2a7f"

static void test_known_row(void **state)
{
	struct err e = {0};
	(void)state;
	struct cache *c = cache_open(":memory:", &e);
	assert_int_equal(cache_audit_append(c, &known, &e), 1);
	struct audit_row *rows = NULL;
	size_t n = 0, len = 0;
	assert_int_equal(cache_audit_fetch(c, NULL, 0, &rows, &n, &e), 0);
	assert_int_equal(n, 1);
	assert_string_equal(rows[0].prev_hash, ZERO64);
	assert_string_equal(rows[0].hash, KNOWN_HASH);
	assert_string_equal(rows[0].request, known.request);
	assert_int_equal(rows[0].http_status, 200);
	assert_null(rows[0].reason);
	char *text = cache_chain_serialise(&rows[0], &len);
	assert_non_null(text);
	assert_string_equal(text, known_text);
	assert_int_equal(len, sizeof known_text - 1);
	free(text);
	/* the second row links to the first */
	struct audit_row next = known;
	next.reason = "drift alert is a false positive";
	assert_int_equal(cache_audit_append(c, &next, &e), 2);
	cache_audit_rows_free(&rows, n);
	assert_int_equal(cache_audit_fetch(c, NULL, 0, &rows, &n, &e), 0);
	cache_audit_sort_appended(rows, n);
	assert_string_equal(rows[1].prev_hash, KNOWN_HASH);
	assert_string_equal(rows[1].reason, "drift alert is a false positive");
	cache_audit_rows_free(&rows, n);
	cache_close(&c);
}

/* NULL and "" are two values, and a newline inside a string cannot pass for a field's end. */
static void test_serialisation_unambiguous(void **state)
{
	(void)state;
	struct audit_row a = known, b = known;
	char ha[65], hb[65];
	a.reason = NULL;
	b.reason = "";
	assert_int_equal(cache_chain_hash(&a, ha), 0);
	assert_int_equal(cache_chain_hash(&b, hb), 0);
	assert_string_not_equal(ha, hb);
	a = known;
	b = known;
	a.model = "churn\naction 7:promote";
	a.action = NULL;
	b.model = "churn";
	assert_int_equal(cache_chain_hash(&a, ha), 0);
	assert_int_equal(cache_chain_hash(&b, hb), 0);
	assert_string_not_equal(ha, hb);
}

/* A log of n rows in a new file name. */
static void make_log(char *path, size_t cap, const char *name, int n)
{
	struct err e = {0};
	cachedir_path(path, cap, name);
	struct cache *c = cache_open(path, &e);
	assert_non_null(c);
	for (int i = 1; i <= n; i++) {
		struct audit_row r = known;
		r.ts_ms = 1000 + i;
		r.percent = i;
		assert_int_equal(cache_audit_append(c, &r, &e), i);
	}
	cache_close(&c);
}

static struct cache_audit_report verify(const char *path)
{
	struct err e = {0};
	struct cache_audit_report rep;
	struct cache *c = cache_open(path, &e);
	assert_non_null(c);
	assert_null(cache_notice(c));
	assert_int_equal(cache_audit_verify(c, &rep, &e), 0);
	cache_close(&c);
	return rep;
}

static void test_intact(void **state)
{
	char path[512];
	(void)state;
	make_log(path, sizeof path, "intact.db", 5);
	struct cache_audit_report rep = verify(path);
	assert_int_equal(rep.why, CACHE_AUDIT_INTACT);
	assert_int_equal(rep.rows, 5);
	assert_int_equal(rep.checked, 5);
	assert_int_equal(rep.bad_id, 0);
	assert_string_equal(rep.text, "audit chain: 5 rows verified");
	struct cache_audit_report none;
	cache_audit_verify_rows(NULL, 0, &none);
	assert_string_equal(none.text, "audit chain: 0 rows verified");
}

/* mltop's own connection cannot change or remove a chained row: the file refuses. */
static void test_append_only(void **state)
{
	char path[512];
	(void)state;
	make_log(path, sizeof path, "only.db", 2);
	assert_int_equal(cachedir_sql(path, "UPDATE audit SET result = 'failed' WHERE id = 1", 0),
	                 SQLITE_CONSTRAINT);
	assert_int_equal(cachedir_sql(path, "DELETE FROM audit WHERE id = 2", 0),
	                 SQLITE_CONSTRAINT);
	assert_int_equal(verify(path).why, CACHE_AUDIT_INTACT);
}

/* Changes made to a log of 5 rows with SQLite directly, around the triggers: what the
 * verification finds. append: mltop appends a row afterwards. */
static const struct tamper {
	const char *name, *sql;
	int append;
	enum cache_audit_break why;
	int64_t bad_id;
	const char *text;
} tampers[] = {
    {"edited", "DROP TRIGGER audit_no_update; UPDATE audit SET result = 'failed' WHERE id = 3", 0,
     CACHE_AUDIT_EDITED, 3,
     "audit chain broken at row #3: edited (its hash does not match its fields)"},
    {"deleted", "DROP TRIGGER audit_no_delete; DELETE FROM audit WHERE id = 3", 0,
     CACHE_AUDIT_DELETED, 4, "audit chain broken at row #4: deleted (row #3 before it is missing)"},
    /* rows 2 and 3 swap places (their ids): row 2 now links to a row that comes after it */
    {"reordered",
     "DROP TRIGGER audit_no_update; UPDATE audit SET id = 100 WHERE id = 2;"
     "UPDATE audit SET id = 2 WHERE id = 3; UPDATE audit SET id = 3 WHERE id = 100",
     0, CACHE_AUDIT_REORDERED, 2,
     "audit chain broken at row #2: reordered (it links to row #3, appended after it)"},
    /* the newest rows removed, then mltop appends again: the new row links to what is left, but
     * the ids it skips show the removal */
    {"tail", "DROP TRIGGER audit_no_delete; DELETE FROM audit WHERE id >= 4", 1,
     CACHE_AUDIT_DELETED, 6,
     "audit chain broken at row #6: deleted (rows #4 to #5 before it are missing)"},
};

static void test_tampered(void **state)
{
	struct err e = {0};
	(void)state;
	for (size_t i = 0; i < sizeof tampers / sizeof tampers[0]; i++) {
		const struct tamper *t = &tampers[i];
		char path[512], name[64];
		snprintf(name, sizeof name, "%s.db", t->name);
		make_log(path, sizeof path, name, 5);
		assert_int_equal(cachedir_sql(path, t->sql, 0), SQLITE_OK);
		if (t->append) {
			struct cache *c = cache_open(path, &e);
			assert_int_equal(cache_audit_append(c, &known, &e), 6);
			cache_close(&c);
		}
		struct cache_audit_report rep = verify(path);
		assert_int_equal(rep.why, t->why);
		assert_int_equal(rep.bad_id, t->bad_id);
		assert_string_equal(rep.text, t->text);
	}
}

/* A row edited and given a hash that matches its new fields: the next row's link gives it
 * away. */
static void test_edited_and_rehashed(void **state)
{
	char path[512];
	struct err e = {0};
	(void)state;
	make_log(path, sizeof path, "rehashed.db", 3);
	struct cache *c = cache_open(path, &e);
	struct audit_row *rows = NULL;
	size_t n = 0;
	assert_int_equal(cache_audit_fetch(c, NULL, 0, &rows, &n, &e), 0);
	cache_close(&c);
	cache_audit_sort_appended(rows, n);
	const char *was = rows[1].result;
	rows[1].result = "failed";
	char h[65], sql[512];
	assert_int_equal(cache_chain_hash(&rows[1], h), 0);
	rows[1].result = was;
	cache_audit_rows_free(&rows, n);
	snprintf(sql, sizeof sql,
	         "DROP TRIGGER audit_no_update; UPDATE audit SET result = 'failed', hash = '%s' "
	         "WHERE id = 2",
	         h);
	assert_int_equal(cachedir_sql(path, sql, 0), SQLITE_OK);
	struct cache_audit_report rep = verify(path);
	assert_int_equal(rep.why, CACHE_AUDIT_DELETED);
	assert_int_equal(rep.bad_id, 3);
	assert_non_null(strstr(rep.text, "its link to the row before it does not match"));
}

/* A file of schema v3 (the audit log without the chain): the migration chains its rows in the
 * order they were appended, and new rows link after them. */
static void test_migration_chains_old_rows(void **state)
{
	char path[512];
	struct err e = {0};
	(void)state;
	make_log(path, sizeof path, "v3.db", 0);
	assert_int_equal(
	    cachedir_sql(
	        path,
	        "DROP TRIGGER audit_no_update; DROP TRIGGER audit_no_delete;"
	        "CREATE TABLE old AS SELECT id, ts_ms, user, context, action, model, "
	        "from_version, to_version, percent, phase, result, detail, host FROM audit;"
	        "DROP TABLE audit;"
	        "CREATE TABLE audit(id INTEGER PRIMARY KEY AUTOINCREMENT, ts_ms INTEGER NOT "
	        "NULL, user TEXT, context TEXT, action TEXT, model TEXT, from_version TEXT, "
	        "to_version TEXT, percent INTEGER, phase TEXT, result TEXT, detail TEXT, "
	        "host TEXT);"
	        "DROP TABLE old;"
	        "INSERT INTO audit(ts_ms, user, action, percent) VALUES (300, 'a', 'silence', "
	        "NULL), (100, 'b', 'expire', NULL), (200, 'c', 'silence', 5);"
	        "PRAGMA user_version = 3;",
	        0),
	    SQLITE_OK);
	struct cache *c = cache_open(path, &e);
	assert_non_null(c);
	assert_int_equal(cache_schema_version(c), CACHE_SCHEMA_VERSION);
	assert_int_equal(cache_audit_append(c, &known, &e), 4);
	cache_close(&c);
	struct cache_audit_report rep = verify(path);
	assert_string_equal(rep.text, "audit chain: 4 rows verified");
	assert_int_equal(cachedir_sql(path, "SELECT count(*) FROM audit WHERE hash IS NULL", 1), 0);
	assert_int_equal(cachedir_sql(path,
	                              "SELECT count(*) FROM audit a JOIN audit b ON "
	                              "b.id = a.id + 1 AND b.prev_hash = a.hash",
	                              1),
	                 3);
}

/* Rows appended inside a batch of the caller's are chained as well. */
static void test_in_batch(void **state)
{
	struct err e = {0};
	(void)state;
	struct cache *c = cache_open(":memory:", &e);
	assert_int_equal(cache_begin(c, &e), 0);
	assert_int_equal(cache_audit_append(c, &known, &e), 1);
	assert_int_equal(cache_audit_append(c, &known, &e), 2);
	assert_int_equal(cache_commit(c, &e), 0);
	assert_int_equal(cache_audit_append(c, &known, &e), 3);
	struct cache_audit_report rep;
	assert_int_equal(cache_audit_verify(c, &rep, &e), 0);
	assert_string_equal(rep.text, "audit chain: 3 rows verified");
	cache_close(&c);
}

/* Two processes append to one file at once: every row links to the one appended just before
 * it, whichever process wrote that one. */
static void test_two_writers(void **state)
{
	char path[512];
	(void)state;
	make_log(path, sizeof path, "two.db", 0);
	pid_t pid[2];
	for (int p = 0; p < 2; p++) {
		pid[p] = fork();
		assert_true(pid[p] >= 0);
		if (pid[p] == 0) {
			struct err e = {0};
			struct cache *c = cache_open(path, &e);
			struct audit_row r = known;
			r.user = p ? "bob" : "alice";
			for (int i = 0; i < 40; i++)
				if (!c || cache_audit_append(c, &r, &e) < 0)
					_exit(1);
			cache_close(&c);
			_exit(0);
		}
	}
	for (int p = 0; p < 2; p++) {
		int st = 0;
		assert_int_equal(waitpid(pid[p], &st, 0), pid[p]);
		assert_true(WIFEXITED(st) && WEXITSTATUS(st) == 0);
	}
	assert_string_equal(verify(path).text, "audit chain: 80 rows verified");
}

int main(void)
{
	const struct CMUnitTest tests[] = {
	    cmocka_unit_test(test_known_row),
	    cmocka_unit_test(test_serialisation_unambiguous),
	    cmocka_unit_test(test_intact),
	    cmocka_unit_test(test_append_only),
	    cmocka_unit_test(test_tampered),
	    cmocka_unit_test(test_edited_and_rehashed),
	    cmocka_unit_test(test_migration_chains_old_rows),
	    cmocka_unit_test(test_in_batch),
	    cmocka_unit_test(test_two_writers),
	};
	return cmocka_run_group_tests(tests, cachedir_setup, cachedir_teardown);
}
