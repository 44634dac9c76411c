#include "clients/arena.h"

#include <stdalign.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

struct block {
	struct block *next;
	size_t size; /* usable bytes after the header */
	size_t used;
	alignas(max_align_t) unsigned char data[];
};

struct arena {
	struct block *head; /* the block being filled */
	size_t block_size;
	size_t bytes;
};

#define ALIGN_UP(n) (((n) + alignof(max_align_t) - 1) & ~(alignof(max_align_t) - 1))

struct arena *arena_new(size_t block_size)
{
	struct arena *a = calloc(1, sizeof *a);
	if (!a)
		return NULL;
	a->block_size = block_size ? block_size : 64 * 1024;
	return a;
}

void arena_free(struct arena **pa)
{
	if (!pa || !*pa)
		return;
	struct block *b = (*pa)->head;
	while (b) {
		struct block *next = b->next;
		free(b);
		b = next;
	}
	free(*pa);
	*pa = NULL;
}

static struct block *block_new(size_t size)
{
	struct block *b = malloc(sizeof *b + size);
	if (!b)
		return NULL;
	b->next = NULL;
	b->size = size;
	b->used = 0;
	return b;
}

/* A request over a quarter of a block gets a block of its own, linked behind the head so that
 * the head keeps filling. */
static void *alloc_big(struct arena *a, size_t size)
{
	struct block *b = block_new(size);
	if (!b)
		return NULL;
	b->used = size;
	a->bytes += sizeof *b + size;
	if (a->head) {
		b->next = a->head->next;
		a->head->next = b;
	} else {
		a->head = b;
	}
	return b->data;
}

void *arena_alloc(struct arena *a, size_t size)
{
	if (size == 0)
		size = 1;
	if (size > SIZE_MAX / 2)
		return NULL;
	size = ALIGN_UP(size);
	if (size > a->block_size / 4)
		return alloc_big(a, size);
	struct block *h = a->head;
	size_t off = h ? ALIGN_UP(h->used) : 0;
	if (!h || off > h->size || h->size - off < size) {
		struct block *b = block_new(a->block_size);
		if (!b)
			return NULL;
		a->bytes += sizeof *b + a->block_size;
		b->next = h;
		a->head = b;
		h = b;
		off = 0;
	}
	void *p = h->data + off;
	h->used = off + size;
	return p;
}

void *arena_calloc(struct arena *a, size_t n, size_t size)
{
	if (size && n > SIZE_MAX / size)
		return NULL;
	void *p = arena_alloc(a, n * size);
	if (p)
		memset(p, 0, n * size);
	return p;
}

/* Strings need no alignment: they are packed byte by byte at the end of the head block. */
char *arena_strndup(struct arena *a, const char *s, size_t n)
{
	struct block *h = a->head;
	char *p;
	if (n + 1 <= a->block_size / 4 && h && h->size - h->used >= n + 1) {
		p = (char *)h->data + h->used;
		h->used += n + 1;
	} else {
		p = arena_alloc(a, n + 1);
		if (!p)
			return NULL;
	}
	memcpy(p, s, n);
	p[n] = '\0';
	return p;
}

char *arena_strdup(struct arena *a, const char *s)
{
	return s ? arena_strndup(a, s, strlen(s)) : NULL;
}

size_t arena_bytes(const struct arena *a)
{
	return a->bytes;
}
