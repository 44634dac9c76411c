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

#endif
