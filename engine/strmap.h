/*
** strmap.h: a string-keyed hash map for the spec compiler (not the hot path).
**
** Open addressing with linear probing; keys are borrowed (they must outlive the
** map, e.g. arena strings).  Used to resolve definition ids and to intern codes
** while compiling; the compiled image carries its own, flat hash tables,
** built with the same drg_hash(), which is inline here because reading a
** case hashes each of its codes (the one part of this header on a hot path).
*/
#ifndef DRG_STRMAP_H
#define DRG_STRMAP_H

#include <stddef.h>
#include <stdint.h>
#include <string.h>

typedef struct strmap_slot {
	const char *key;
	void *value;
} strmap_slot;

typedef struct strmap {
	strmap_slot *slots;
	size_t count, cap;   /* cap is a power of two, or 0 */
} strmap;

/* 32-bit hash of n bytes; the same function the image's code tables use.
** Inline: a case's code lookups call it several times per case. */
static inline uint32_t drg_hash(const char *s, size_t n)
{
	/* Eight bytes per multiply (codes are 5-20 bytes: one to three steps);
	** the last 1-8 bytes by overlapping fixed-size loads (no byte loop), then
	** a final avalanche (murmur3 fmix64).  The value depends on the byte
	** order, like everything in an image. */
	const char *end = s + n;
	uint64_t h = 0x9e3779b97f4a7c15ull ^ n, w;
	uint32_t a, b;
	for (; end - s > 8; s += 8) {
		memcpy(&w, s, 8);
		h = (h ^ w) * 0xff51afd7ed558ccdull;
		h ^= h >> 32;
	}
	size_t k = (size_t)(end - s);
	if (n >= 8) {
		memcpy(&w, end - 8, 8);
	} else if (k >= 4) {
		memcpy(&a, s, 4), memcpy(&b, end - 4, 4);
		w = a | (uint64_t)b << 32;
	} else {
		w = k ? (uint64_t)(unsigned char)s[0] | (uint64_t)(unsigned char)s[k / 2] << 8 |
			(uint64_t)(unsigned char)s[k - 1] << 16 : 0;
	}
	h = (h ^ w) * 0xff51afd7ed558ccdull;
	h ^= h >> 33;
	h *= 0xc4ceb9fe1a85ec53ull;
	h ^= h >> 33;
	return (uint32_t)h;
}

void strmap_init(strmap *m);
void strmap_free(strmap *m);

/* The value for key, or NULL. */
void *strmap_get(const strmap *m, const char *key);

/* Sets key to value (replacing).  0, or -1 on out of memory. */
int strmap_put(strmap *m, const char *key, void *value);

#endif
