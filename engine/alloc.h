/*
** alloc.h: the engine's one allocator choke point (Redis zmalloc.h).
**
** Every heap allocation of the engine goes through these functions, which are
** implemented over jemalloc in alloc.c, the only file that names it.  Test
** builds (DRG_ALLOC_TESTING) can make the Nth allocation fail to exercise the
** out-of-memory paths (Lua's Memcontrol, libgit2's failalloc).
*/
#ifndef DRG_ALLOC_H
#define DRG_ALLOC_H

#include <stddef.h>

void *drg_malloc(size_t n);                 /* NULL on failure */
void *drg_calloc(size_t count, size_t n);   /* zeroed; NULL on failure or overflow */
void *drg_realloc(void *p, size_t n);       /* like realloc; p kept on failure */
void drg_free(void *p);                     /* NULL is a no-op */
char *drg_strndup(const char *s, size_t n); /* NUL-terminated copy of n bytes */

/* Bytes currently allocated by the process (jemalloc's stats.allocated), or 0. */
size_t drg_mem_allocated(void);

/* Peak resident set size of the process in bytes (from the kernel), or 0. */
size_t drg_mem_peak_rss(void);

#ifdef DRG_ALLOC_TESTING
/* Makes the allocation after `n` more succeed fail (n < 0: never fail).  Per thread. */
void drg_alloc_fail_after(long n);
#endif

#endif
