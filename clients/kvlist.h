/* kvlist: string maps and string lists decoded from JSON into an arena (labels, annotations,
 * silencedBy, …), shared by the ops decoders. Panels read them without seeing any JSON. */
#ifndef MLTOP_KVLIST_H
#define MLTOP_KVLIST_H

#include <stddef.h>

struct arena;
struct cJSON;

struct kv {
	const char *name;
	const char *value;
};

/* In the order of the JSON object. */
struct kvlist {
	struct kv *v;
	size_t n;
};

struct strlist {
	const char **v;
	size_t n;
};

/* The value of name, or NULL. */
const char *kvlist_get(const struct kvlist *l, const char *name);
/* 1 when s is one of the list's strings. */
int strlist_has(const struct strlist *l, const char *s);

/* The string members of a JSON object (other types are skipped: counted in *skipped when it is
 * not NULL). A missing or non-object obj gives an empty list. 0, or -1 out of memory. */
int kvlist_from_json(struct arena *a, const struct cJSON *obj, struct kvlist *out, size_t *skipped);
/* The string elements of a JSON array, the same way. */
int strlist_from_json(struct arena *a, const struct cJSON *arr, struct strlist *out,
                      size_t *skipped);

/* Grows a malloc'd array of n items of size bytes by add zeroed items (realloc). Returns the
 * array (v itself when add is 0), or NULL when out of memory (v is then left as it was). */
void *kvlist_grow(void *v, size_t n, size_t add, size_t size);

/* The decoded lists (am_alerts, kserve_isvcs, …) are structs whose first member is the
 * struct arena * of their strings, with a malloc'd array of items: list_new gives one of size
 * bytes, zeroed, with its arena (NULL when out of memory); list_free frees the arena, the
 * items and the struct. */
void *kvlist_list_new(size_t size);
void kvlist_list_free(void *list, void *items);

/* Reads the objects among the n items from first on (an array's child, or one object with n 1)
 * into the growing array *v of *count items of size bytes, each with read(ctx, object, slot);
 * items that are not objects are counted in *skipped. 0, or -1 when out of memory (what was
 * read stays, *v is valid). */
typedef int (*kvlist_read_fn)(void *ctx, const struct cJSON *o, void *slot);
int kvlist_objects(void **v, size_t *count, size_t *skipped, size_t size, const struct cJSON *first,
                   size_t n, kvlist_read_fn read, void *ctx);

/* The same into an array allocated in the arena a for the elements of the JSON array arr. */
int kvlist_objects_in(struct arena *a, void **v, size_t *count, size_t *skipped, size_t size,
                      const struct cJSON *arr, kvlist_read_fn read, void *ctx);

#endif
