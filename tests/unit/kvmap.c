#include "tests/unit/kvmap.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

int kvmap_find(const struct kvmap *c, const char *key)
{
	for (int i = 0; i < c->n; i++)
		if (strcmp(c->key[i], key) == 0)
			return i;
	return -1;
}

void kvmap_put(void *ud, const char *key, const char *body, size_t len, int64_t fetched_ms)
{
	struct kvmap *c = ud;
	int i = kvmap_find(c, key);
	if (i < 0) {
		if (c->n >= KVMAP_MAX) {
			fprintf(stderr, "kvmap: more than %d keys\n", KVMAP_MAX);
			abort();
		}
		i = c->n++;
		c->key[i] = strdup(key);
	} else {
		free(c->val[i]);
	}
	c->val[i] = malloc(len + 1);
	if (!c->key[i] || !c->val[i])
		abort();
	memcpy(c->val[i], body, len);
	c->val[i][len] = '\0';
	c->len[i] = len;
	c->when[i] = fetched_ms;
}

int kvmap_get(void *ud, const char *key, char **body, size_t *len, int64_t *fetched_ms)
{
	const struct kvmap *c = ud;
	int i = kvmap_find(c, key);
	if (i < 0)
		return 1;
	*body = strdup(c->val[i]);
	*len = c->len[i];
	if (fetched_ms)
		*fetched_ms = c->when[i];
	return 0;
}

void kvmap_free(struct kvmap *c)
{
	for (int i = 0; i < c->n; i++) {
		free(c->key[i]);
		free(c->val[i]);
	}
	c->n = 0;
}
