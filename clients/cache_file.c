#include "clients/cache_file.h"

#include <errno.h>
#include <limits.h>
#include <sqlite3.h>
#include <stdio.h>
#include <string.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

int cache_file_mkdir_parent(const char *path, struct err *e)
{
	char dir[PATH_MAX];
	if (snprintf(dir, sizeof dir, "%s", path) >= (int)sizeof dir)
		return err_set(e, ERR_IO, "cache path too long");
	char *end = strrchr(dir, '/');
	for (char *p = dir + 1; end && p <= end; p++) {
		if (*p != '/')
			continue;
		*p = '\0';
		if (mkdir(dir, 0700) < 0 && errno != EEXIST)
			return err_set(e, ERR_IO, "cannot create %s: %s", dir, strerror(errno));
		*p = '/';
	}
	return 0;
}

int cache_file_move_aside(const char *path, char *aside, size_t cap, struct err *e)
{
	char stamp[32], side[PATH_MAX + 8];
	time_t t = time(NULL);
	struct tm tm;
	gmtime_r(&t, &tm);
	strftime(stamp, sizeof stamp, "%Y%m%dT%H%M%S", &tm);
	for (int n = 0; n < 100; n++) {
		snprintf(aside, cap, n ? "%s.corrupt-%s-%d" : "%s.corrupt-%s", path, stamp, n);
		if (access(aside, F_OK) == 0)
			continue;
		if (rename(path, aside) < 0)
			return err_set(e, ERR_IO, "cannot move the corrupt cache %s aside: %s",
			               path, strerror(errno));
		char wal[PATH_MAX + 8];
		snprintf(wal, sizeof wal, "%s-wal", path);
		snprintf(side, sizeof side, "%s-wal", aside);
		if (access(wal, F_OK) == 0)
			rename(wal, side);
		snprintf(wal, sizeof wal, "%s-shm", path);
		unlink(wal);
		return 0;
	}
	return err_set(e, ERR_IO, "cannot move the corrupt cache %s aside: too many copies", path);
}

void cache_file_immutable_uri(const char *path, char *uri)
{
	char *o = uri;
	o += sprintf(o, "file:");
	for (const unsigned char *p = (const unsigned char *)path;
	     *p && p - (const unsigned char *)path < PATH_MAX; p++)
		o += strchr("%?#", *p) || *p < 0x20 ? sprintf(o, "%%%02X", *p)
		                                    : sprintf(o, "%c", *p);
	sprintf(o, "?immutable=1");
}

const char *cache_file_reason(int rc, sqlite3 *db)
{
	static const struct {
		int code;
		const char *why;
	} reasons[] = {{SQLITE_FULL, "disk full"},
	               {SQLITE_READONLY, "read-only"},
	               {SQLITE_IOERR, "I/O error"},
	               {SQLITE_CANTOPEN, "cannot open"},
	               {SQLITE_BUSY, "busy (another mltop holds it)"},
	               {SQLITE_LOCKED, "busy (another mltop holds it)"},
	               {SQLITE_CORRUPT, "corrupt"},
	               {SQLITE_NOTADB, "corrupt"}};
	for (size_t i = 0; i < sizeof reasons / sizeof reasons[0]; i++)
		if ((rc & 0xff) == reasons[i].code)
			return reasons[i].why;
	return db ? sqlite3_errmsg(db) : sqlite3_errstr(rc);
}
