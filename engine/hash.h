/*
** hash.h: drg_hash(), the one string hash of the project: the compiler's maps
** (strmap) and the image's code tables use it, so it is part of the image
** format.  Inline because reading a case hashes each of its codes.
*/
#ifndef DRG_HASH_H
#define DRG_HASH_H

#include <stddef.h>
#include <stdint.h>
#include <string.h>

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

#endif
