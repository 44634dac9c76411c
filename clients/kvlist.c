#include "clients/kvlist.h"

#include <stdlib.h>
#include <string.h>

#include "clients/arena.h"
#include "clients/json.h"

/* Members of an object or elements of an array. */
static size_t children(const cJSON *j)
{
	size_t n = 0;
	for (const cJSON *c = j->child; c; c = c->next)
		n++;
	return n;
}

const char *kvlist_get(const struct kvlist *l, const char *name)
{
	for (size_t i = 0; l && i < l->n; i++)
		if (strcmp(l->v[i].name, name) == 0)
			return l->v[i].value;
	return NULL;
}

int strlist_has(const struct strlist *l, const char *s)
{
	for (size_t i = 0; l && i < l->n; i++)
		if (strcmp(l->v[i], s) == 0)
			return 1;
	return 0;
}

int kvlist_from_json(struct arena *a, const struct cJSON *obj, struct kvlist *out, size_t *skipped)
{
	const cJSON *it;
	size_t n = cJSON_IsObject(obj) ? children(obj) : 0;
	memset(out, 0, sizeof *out);
	if (!n)
		return 0;
	if (!(out->v = arena_calloc(a, n, sizeof *out->v)))
		return -1;
	cJSON_ArrayForEach(it, obj)
	{
		if (!cJSON_IsString(it) || !it->string) {
			if (skipped)
				(*skipped)++;
			continue;
		}
		struct kv *kv = &out->v[out->n];
		if (!(kv->name = arena_strdup(a, it->string)) ||
		    !(kv->value = arena_strdup(a, it->valuestring)))
			return -1;
		out->n++;
	}
	return 0;
}

int strlist_from_json(struct arena *a, const struct cJSON *arr, struct strlist *out,
                      size_t *skipped)
{
	const cJSON *it;
	size_t n = cJSON_IsArray(arr) ? children(arr) : 0;
	memset(out, 0, sizeof *out);
	if (!n)
		return 0;
	if (!(out->v = arena_calloc(a, n, sizeof *out->v)))
		return -1;
	cJSON_ArrayForEach(it, arr)
	{
		if (!cJSON_IsString(it)) {
			if (skipped)
				(*skipped)++;
			continue;
		}
		if (!(out->v[out->n] = arena_strdup(a, it->valuestring)))
			return -1;
		out->n++;
	}
	return 0;
}

void *kvlist_grow(void *v, size_t n, size_t add, size_t size)
{
	if (!add)
		return v;
	if (add > ((size_t)-1 / size) - n)
		return NULL;
	void *p = realloc(v, (n + add) * size);
	if (p)
		memset((char *)p + n * size, 0, add * size);
	return p;
}

/* Reads the objects among the n items from first on into slots of size bytes from out. */
static int objects_read(char *out, size_t *count, size_t *skipped, size_t size, const cJSON *first,
                        size_t n, kvlist_read_fn read, void *ctx)
{
	for (const cJSON *it = first; it && n; it = it->next, n--) {
		if (!cJSON_IsObject(it)) {
			(*skipped)++;
			continue;
		}
		if (read(ctx, it, out + *count * size))
			return -1;
		(*count)++;
	}
	return 0;
}

int kvlist_objects(void **v, size_t *count, size_t *skipped, size_t size, const struct cJSON *first,
                   size_t n, kvlist_read_fn read, void *ctx)
{
	char *grown = kvlist_grow(*v, *count, n, size);
	if (!grown && n)
		return -1;
	*v = grown;
	return objects_read(grown, count, skipped, size, first, n, read, ctx);
}

int kvlist_objects_in(struct arena *a, void **v, size_t *count, size_t *skipped, size_t size,
                      const struct cJSON *arr, kvlist_read_fn read, void *ctx)
{
	size_t n = cJSON_IsArray(arr) ? children(arr) : 0;
	*v = NULL;
	*count = 0;
	if (!n)
		return 0;
	if (!(*v = arena_calloc(a, n, size)))
		return -1;
	return objects_read(*v, count, skipped, size, arr->child, n, read, ctx);
}

void *kvlist_list_new(size_t size)
{
	struct arena **l = calloc(1, size);
	if (l && !(*l = arena_new(0))) {
		free(l);
		l = NULL;
	}
	return l;
}

void kvlist_list_free(void *list, void *items)
{
	if (!list)
		return;
	arena_free((struct arena **)list);
	free(items);
	free(list);
}
