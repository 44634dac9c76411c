#define _GNU_SOURCE
#include "tests/unit/cachedir.h"

#include <ftw.h>
#include <setjmp.h>
#include <sqlite3.h>
#include <stdarg.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mount.h>
#include <sys/stat.h>

#include <cmocka.h>

static char tmpdir[256];

static int rm_one(const char *p, const struct stat *sb, int flag, struct FTW *ftw)
{
	(void)sb;
	(void)flag;
	(void)ftw;
	return remove(p);
}

void cachedir_path(char *buf, size_t cap, const char *name)
{
	snprintf(buf, cap, "%s/%s", tmpdir, name);
}

const char *cachedir_root(void)
{
	return tmpdir;
}

int cachedir_setup(void **state)
{
	(void)state;
	snprintf(tmpdir, sizeof tmpdir, "/tmp/mltop-test-cache-XXXXXX");
	return mkdtemp(tmpdir) ? 0 : -1;
}

int cachedir_teardown(void **state)
{
	char tiny[300];
	(void)state;
	cachedir_path(tiny, sizeof tiny, CACHEDIR_MOUNT);
	umount2(tiny, MNT_DETACH); /* when the test that mounted it failed half-way */
	chmod(tmpdir, 0700);
	return nftw(tmpdir, rm_one, 16, FTW_DEPTH | FTW_PHYS);
}

int cachedir_sql(const char *path, const char *sql, int want_int)
{
	sqlite3 *db = NULL;
	sqlite3_stmt *q = NULL;
	int v = -1;
	assert_int_equal(sqlite3_open(path, &db), SQLITE_OK);
	if (!want_int)
		v = sqlite3_exec(db, sql, NULL, NULL, NULL);
	else if (sqlite3_prepare_v2(db, sql, -1, &q, NULL) == SQLITE_OK &&
	         sqlite3_step(q) == SQLITE_ROW)
		v = sqlite3_column_int(q, 0);
	sqlite3_finalize(q);
	sqlite3_close(db);
	return v;
}

int cachedir_get_str(struct cache *c, const char *key, const char *want)
{
	char *p = NULL;
	size_t len = 0;
	int64_t at = 0;
	int rc = cache_get(c, AT("ctx", "mlflow"), key, &p, &len, &at, NULL);
	if (rc == 0 && (strlen(want) != len || strcmp(p, want) != 0))
		rc = 99;
	free(p);
	return rc;
}

int cachedir_put_many(struct cache *c, const char *tag, int from, int to, const char *v, size_t len,
                      struct err *e)
{
	int rc = 0;
	for (int i = from; i < to && rc == 0; i++) {
		char k[32];
		snprintf(k, sizeof k, "%s%d", tag, i);
		rc = cache_put(c, AT("ctx", "mlflow"), k, v, len, i, e);
	}
	return rc;
}
