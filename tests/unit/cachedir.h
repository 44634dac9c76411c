/* cachedir: what the cache tests share — a temporary directory per group (with the tmpfs a test
 * may mount in it undone), SQLite run on a file directly, and answers filed under one server. */
#ifndef MLTOP_TEST_CACHEDIR_H
#define MLTOP_TEST_CACHEDIR_H

#include <stddef.h>

#include "clients/cache.h"

/* The server most tests file under, and a scope of it. */
#define CACHEDIR_SERVER "http://a.example:5000"
#define AT(ctx, source) (&(struct cache_scope){(ctx), CACHEDIR_SERVER, (source)})
/* Where in the directory a test may mount a small file system (undone by the teardown). */
#define CACHEDIR_MOUNT "tiny"

/* cmocka group setup and teardown: a new directory, and everything in it removed. */
int cachedir_setup(void **state);
int cachedir_teardown(void **state);
const char *cachedir_root(void);
/* buf = the directory / name. */
void cachedir_path(char *buf, size_t cap, const char *name);

/* Runs sql on path with SQLite itself: an exec (want_int 0, returns the SQLite code), else one
 * integer read back. */
int cachedir_sql(const char *path, const char *sql, int want_int);

/* 0 when key (of AT("ctx", "mlflow")) is there with the text want, else the cache_get result
 * (99: another text). */
int cachedir_get_str(struct cache *c, const char *key, const char *want);
/* Puts tag<from> … tag<to - 1> with payload v of len bytes, fetched at from … to - 1; 0, or the
 * first failure. */
int cachedir_put_many(struct cache *c, const char *tag, int from, int to, const char *v, size_t len,
                      struct err *e);

#endif
