/*
** arena.c: chunked region allocation (see arena.h).  Chunks grow to at least
** 64 KiB; a request larger than that gets a chunk of its own.
*/
#include "arena.h"

#include <string.h>

#include "alloc.h"

struct arena_chunk {
	arena_chunk *next;
	size_t cap;
	_Alignas(16) unsigned char data[];
};

#define ARENA_CHUNK (64 * 1024)

void arena_init(arena *a) { memset(a, 0, sizeof(*a)); }

void arena_free(arena *a)
{
	arena_chunk *c = a->head;
	while (c) {
		arena_chunk *next = c->next;
		drg_free(c);
		c = next;
	}
	arena_init(a);
}

void *arena_alloc(arena *a, size_t size)
{
	size = (size + 7) & ~(size_t)7;
	if (!a->head || a->cap - a->used < size) {
		size_t cap = size > ARENA_CHUNK ? size : ARENA_CHUNK;
		arena_chunk *c = drg_malloc(sizeof(*c) + cap);
		if (!c)
			return NULL;
		c->cap = cap;
		c->next = a->head;
		a->head = c;
		a->used = 0;
		a->cap = cap;
	}
	void *p = a->head->data + a->used;
	a->used += size;
	memset(p, 0, size);
	return p;
}

char *arena_strndup(arena *a, const char *s, size_t n)
{
	char *d = arena_alloc(a, n + 1);
	if (!d)
		return NULL;
	memcpy(d, s, n);
	d[n] = '\0';
	return d;
}

char *arena_strdup(arena *a, const char *s) { return arena_strndup(a, s, strlen(s)); }

int ptrvec_push(arena *a, ptrvec *pv, void *p)
{
	if (pv->n == pv->cap) {
		size_t cap = pv->cap ? pv->cap * 2 : 8;
		void **v = arena_alloc(a, cap * sizeof(*v));
		if (!v)
			return -1;
		if (pv->n)
			memcpy(v, pv->v, pv->n * sizeof(*v));
		pv->v = v;
		pv->cap = cap;
	}
	pv->v[pv->n++] = p;
	return 0;
}
