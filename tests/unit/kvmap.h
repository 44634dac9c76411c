/* kvmap: an in-memory stand-in for the cache, for client tests — the bodies filed, by key, with
 * the time they were filed. Its put and get have the shapes of mlflow_put_fn and mlflow_get_fn. */
#ifndef MLTOP_TEST_KVMAP_H
#define MLTOP_TEST_KVMAP_H

#include <stddef.h>
#include <stdint.h>

#define KVMAP_MAX 64

struct kvmap {
	int n;
	char *key[KVMAP_MAX], *val[KVMAP_MAX];
	size_t len[KVMAP_MAX];
	int64_t when[KVMAP_MAX];
};

int kvmap_find(const struct kvmap *c, const char *key); /* index, or -1 */
/* Files body under key (a copy, NUL-terminated); aborts past KVMAP_MAX keys. ud: the map. */
void kvmap_put(void *ud, const char *key, const char *body, size_t len, int64_t fetched_ms);
/* 0 found (*body malloc'd), 1 absent. ud: the map. */
int kvmap_get(void *ud, const char *key, char **body, size_t *len, int64_t *fetched_ms);
void kvmap_free(struct kvmap *c);

#endif
