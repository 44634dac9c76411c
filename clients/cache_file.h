/* cache_file: the cache's file on disk: its directory, a corrupt file moved aside, the URI that
 * reads it as immutable, and why SQLite could not use it, in the operator's words. */
#ifndef MLTOP_CACHE_FILE_H
#define MLTOP_CACHE_FILE_H

#include <sqlite3.h>
#include <stddef.h>

#include "clients/err.h"

/* Creates the directories above path (mode 0700) that do not exist yet. */
int cache_file_mkdir_parent(const char *path, struct err *e);
/* Renames path (and its -wal) to path.corrupt-YYYYMMDDTHHMMSS[-N], written into aside; drops
 * the -shm. */
int cache_file_move_aside(const char *path, char *aside, size_t cap, struct err *e);
/* The SQLite URI that opens path read-only as immutable (nobody can write it); uri has room for
 * PATH_MAX * 3 + 32 bytes. */
void cache_file_immutable_uri(const char *path, char *uri);
/* Why an SQLite call failed with rc: "disk full", "read-only", "corrupt", … or SQLite's own
 * message (of db when it is not NULL). */
const char *cache_file_reason(int rc, sqlite3 *db);

#endif
