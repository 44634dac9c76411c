/* cache_file: the cache's file on disk: its directory, and a corrupt file moved aside. */
#ifndef MLTOP_CACHE_FILE_H
#define MLTOP_CACHE_FILE_H

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

#endif
