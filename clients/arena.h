/* arena: a bump allocator for data that lives and dies together (one parse result, one run
 * store). Allocations are never freed one by one; arena_free releases every block at once. */
#ifndef MLTOP_ARENA_H
#define MLTOP_ARENA_H

#include <stddef.h>

struct arena;

/* block_size 0: 64 KiB. Returns NULL when out of memory. */
struct arena *arena_new(size_t block_size);
void arena_free(struct arena **a);

/* Aligned to max_align_t; NULL when out of memory. Larger requests get a block of their own. */
void *arena_alloc(struct arena *a, size_t size);
/* Zero-filled n * size bytes, with an overflow check. */
void *arena_calloc(struct arena *a, size_t n, size_t size);
char *arena_strdup(struct arena *a, const char *s);            /* NULL stays NULL */
char *arena_strndup(struct arena *a, const char *s, size_t n); /* copies n bytes, adds NUL */

/* Bytes held in blocks (what the arena costs in memory). */
size_t arena_bytes(const struct arena *a);

#endif
