/*
** strmap.h: a string-keyed hash map for the spec compiler (not the hot path).
**
** Open addressing with linear probing; keys are borrowed (they must outlive the
** map, e.g. arena strings).  Used to resolve definition ids and to intern codes
** while compiling; the compiled image carries its own, flat hash tables,
** built with the same drg_hash() (hash.h).
*/
#ifndef DRG_STRMAP_H
#define DRG_STRMAP_H

#include <stddef.h>
#include <stdint.h>

#include "hash.h"

typedef struct strmap_slot {
	const char *key;
	void *value;
} strmap_slot;

typedef struct strmap {
	strmap_slot *slots;
	size_t count, cap;   /* cap is a power of two, or 0 */
} strmap;

void strmap_init(strmap *m);
void strmap_free(strmap *m);

/* The value for key, or NULL. */
void *strmap_get(const strmap *m, const char *key);

/* Sets key to value (replacing).  0, or -1 on out of memory. */
int strmap_put(strmap *m, const char *key, void *value);

#endif
