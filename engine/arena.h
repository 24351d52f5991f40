/*
** arena.h: a region allocator for the spec compiler's transient data.
**
** The compiler builds a model of the spec (strings, conditions, code lists) that
** lives exactly as long as one compilation; an arena hands out memory from large
** chunks and frees it all at once, so the model needs no per-object frees.
*/
#ifndef DRG_ARENA_H
#define DRG_ARENA_H

#include <stddef.h>

typedef struct arena_chunk arena_chunk;
typedef struct arena {
	arena_chunk *head;   /* newest chunk first */
	size_t used, cap;    /* of the head chunk */
} arena;

void arena_init(arena *a);
void arena_free(arena *a);

/* size bytes aligned to 8, zeroed; NULL on out of memory. */
void *arena_alloc(arena *a, size_t size);

/* NUL-terminated copy; NULL on out of memory. */
char *arena_strndup(arena *a, const char *s, size_t n);
char *arena_strdup(arena *a, const char *s);

/* A growable array of pointers allocated in the arena (old storage is left). */
typedef struct ptrvec {
	void **v;
	size_t n, cap;
} ptrvec;

int ptrvec_push(arena *a, ptrvec *pv, void *p);   /* 0, or -1 on out of memory */

#endif
