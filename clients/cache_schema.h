/* cache_schema: the versions of the cache file's schema (PRAGMA user_version) and the migration
 * of an older file to CACHE_SCHEMA_VERSION. */
#ifndef MLTOP_CACHE_SCHEMA_H
#define MLTOP_CACHE_SCHEMA_H

#include <sqlite3.h>

#include "clients/err.h"

/* One integer read with sql (a PRAGMA), or minus the SQLite error code. */
int cache_schema_int(sqlite3 *db, const char *sql);
/* Brings the schema forward from whatever version the file has, in one write transaction so
 * that two instances opening an old file at once migrate it once. 0, or < 0 with e filled. */
int cache_schema_migrate(sqlite3 *db, struct err *e);

#endif
