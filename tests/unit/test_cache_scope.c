/* Tests of clients/cache: answers filed under the server they came from, and the size cap —
 * the oldest answers dropped past it, the audit log kept — told apart from a full disk. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mount.h>
#include <sys/stat.h>
#include <unistd.h>

#include <cmocka.h>

#include "clients/cache.h"
#include "clients/cache_audit.h"
#include "tests/unit/cachedir.h"

static int sample_count(void *ud, int64_t ts_ms, double value)
{
	(void)ud;
	(void)ts_ms;
	(void)value;
	return 0;
}

/* The same context, source and key from two servers are two answers; a scope without a server
 * is refused, never filed under none. */
static void test_server_in_key(void **state)
{
	struct err e = {0};
	char *p = NULL;
	(void)state;
	struct cache *c = cache_open(":memory:", &e);
	const struct cache_scope a = {"prod", "https://mlflow.example.com", "mlflow"};
	const struct cache_scope b = {"prod", "https://mlflow.example.com/other", "mlflow"};
	const struct cache_scope none = {"prod", "", "mlflow"}, null = {"prod", NULL, "mlflow"};
	assert_int_equal(cache_put(c, &a, "experiments", "A", 1, 1, &e), 0);
	assert_int_equal(cache_get(c, &b, "experiments", &p, NULL, NULL, &e), 1);
	assert_null(p);
	assert_int_equal(cache_put(c, &b, "experiments", "B", 1, 2, &e), 0);
	assert_int_equal(cache_get(c, &a, "experiments", &p, NULL, NULL, &e), 0);
	assert_string_equal(p, "A");
	free(p);
	assert_int_equal(cache_put(c, &none, "experiments", "N", 1, 3, &e), ERR_ARG);
	assert_int_equal(cache_put(c, &null, "experiments", "N", 1, 3, &e), ERR_ARG);
	assert_int_equal(cache_get(c, &none, "experiments", &p, NULL, NULL, &e), ERR_ARG);
	assert_int_equal(cache_sample_put(c, &none, "rps", 1, 1.0, &e), ERR_ARG);
	/* deleting under one server leaves the other's */
	assert_int_equal(cache_delete_prefix(c, &a, "", &e), 0);
	assert_int_equal(cache_get(c, &a, "experiments", &p, NULL, NULL, &e), 1);
	assert_int_equal(cache_get(c, &b, "experiments", &p, NULL, NULL, &e), 0);
	assert_string_equal(p, "B");
	free(p);
	/* samples too */
	assert_int_equal(cache_sample_put(c, &a, "rps", 1000, 1.0, &e), 0);
	assert_int_equal(cache_sample_range(c, &b, "rps", 0, 9999, sample_count, NULL, &e), 0);
	assert_int_equal(cache_sample_range(c, &a, "rps", 0, 9999, sample_count, NULL, &e), 1);
	cache_close(&c);
}

static int64_t file_pages(struct cache *c)
{
	return cachedir_sql(cache_path(c),
	                    "SELECT page_count * page_size FROM pragma_page_count, "
	                    "pragma_page_size",
	                    1);
}

/* Past the cap, the oldest answers go (by fetch time) and the write goes in; the audit log is
 * never dropped, and the notice says the cap was hit. */
static void test_cap_evicts_oldest(void **state)
{
	char path[512], big[8192];
	struct err e = {0};
	(void)state;
	cachedir_path(path, sizeof path, "cap.db");
	struct cache *c = cache_open(path, &e);
	struct audit_row r = {.action = "promote", .model = "churn", .percent = -1};
	assert_true(cache_audit_append(c, &r, &e) > 0);
	assert_int_equal(cache_set_limit(c, 128 * 1024, &e), 0);
	memset(big, 'y', sizeof big);
	/* 100 answers of 8 KiB, fetched one after the other: far more than the cap */
	assert_int_equal(cachedir_put_many(c, "big", 0, 100, big, sizeof big, &e), 0);
	assert_non_null(cache_notice(c));
	assert_string_equal(cache_notice(c),
	                    "cache reached its cap of 128 KiB: the oldest answers were dropped");
	assert_true(file_pages(c) <= 128 * 1024);
	char latest[sizeof big + 1];
	memcpy(latest, big, sizeof big);
	latest[sizeof big] = '\0';
	assert_int_equal(cachedir_get_str(c, "big99", latest), 0); /* the newest is there */
	assert_int_equal(cachedir_get_str(c, "big0", latest), 1);  /* the oldest went */
	/* the audit log stays whole, and an action is logged at the cap too */
	for (int i = 0; i < 20; i++)
		assert_true(cache_audit_append(c, &r, &e) > 0);
	struct audit_row *rows = NULL;
	size_t n = 0;
	assert_int_equal(cache_audit_fetch(c, NULL, 0, &rows, &n, &e), 0);
	assert_int_equal(n, 21);
	cache_audit_rows_free(&rows, n);
	struct cache_audit_report rep;
	assert_int_equal(cache_audit_verify(c, &rep, &e), 0);
	assert_string_equal(rep.text, "audit chain: 21 rows verified");
	/* the cap holds again after the file was opened anew */
	cache_close(&c);
	c = cache_open(path, &e);
	assert_int_equal(cache_set_limit(c, 128 * 1024, &e), 0);
	assert_int_equal(cachedir_put_many(c, "again", 0, 50, big, sizeof big, &e), 0);
	assert_true(file_pages(c) <= 128 * 1024);
	/* an answer larger than the cap itself is not kept, and that is what is said */
	static char huge[256 * 1024];
	memset(huge, 'z', sizeof huge);
	cache_notice_clear(c);
	assert_int_equal(cache_put(c, AT("ctx", "mlflow"), "huge", huge, sizeof huge, 1000, &e),
	                 ERR_IO);
	assert_string_equal(e.msg, "cache write failed: too big for its cap of 128 KiB");
	assert_string_equal(cache_notice(c),
	                    "cache write failed: too big for its cap of 128 KiB (reading goes on)");
	cache_close(&c);
}

/* A file system that is full (a small tmpfs, as root): the write fails and says so, the cap is
 * not to blame and drops nothing, reading goes on. */
static void test_disk_full(void **state)
{
	char dir[512], path[600], opts[64], big[8192];
	struct err e = {0};
	(void)state;
	cachedir_path(dir, sizeof dir, CACHEDIR_MOUNT);
	assert_int_equal(mkdir(dir, 0700), 0);
	snprintf(opts, sizeof opts, "size=%d", 192 * 1024);
	if (geteuid() != 0 || mount("tmpfs", dir, "tmpfs", 0, opts) < 0) {
		rmdir(dir);
		skip(); /* needs root and a mount: tests/e2e/identity.sh covers it too */
	}
	snprintf(path, sizeof path, "%s/full.db", dir);
	struct cache *c = cache_open(path, &e);
	assert_non_null(c);
	/* a cap far away (past what a page count holds in an int, too) */
	assert_int_equal(cache_set_limit(c, (int64_t)1 << 50, &e), 0);
	assert_int_equal(cache_put(c, AT("ctx", "mlflow"), "k", "before", 6, 1, &e), 0);
	memset(big, 'y', sizeof big);
	int rc = cachedir_put_many(c, "big", 0, 100, big, sizeof big, &e);
	assert_int_equal(rc, ERR_IO);
	assert_non_null(strstr(e.msg, "disk full"));
	assert_string_equal(cache_notice(c), "cache write failed: disk full (reading goes on)");
	assert_int_equal(cachedir_get_str(c, "k", "before"), 0); /* nothing was dropped */
	/* a failed batch says so too */
	cache_notice_clear(c);
	assert_int_equal(cache_begin(c, &e), 0);
	rc = cachedir_put_many(c, "more", 0, 100, big, sizeof big, &e);
	assert_true(rc < 0 || cache_commit(c, &e) < 0); /* in memory until the commit */
	cache_rollback(c);
	assert_non_null(cache_notice(c));
	assert_int_equal(cachedir_get_str(c, "k", "before"), 0);
	cache_close(&c);
	assert_int_equal(umount(dir), 0);
	rmdir(dir);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
	    cmocka_unit_test(test_server_in_key),
	    cmocka_unit_test(test_cap_evicts_oldest),
	    cmocka_unit_test(test_disk_full),
	};
	return cmocka_run_group_tests(tests, cachedir_setup, cachedir_teardown);
}
