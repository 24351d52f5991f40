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

/* drg_mum() from 32-bit halves, for compilers without a 128-bit type (and
** the test that both agree): the same value, four multiplies. */
static inline uint64_t drg_mum_halves(uint64_t a, uint64_t b)
{
	uint64_t al = (uint32_t)a, ah = a >> 32, bl = (uint32_t)b, bh = b >> 32;
	uint64_t ll = al * bl, lh = al * bh, hl = ah * bl, hh = ah * bh;
	uint64_t mid = (ll >> 32) + (uint32_t)lh + (uint32_t)hl;
	uint64_t lo = mid << 32 | (uint32_t)ll, hi = hh + (lh >> 32) + (hl >> 32) + (mid >> 32);
	return lo ^ hi;
}

/* The 128-bit product of a and b, its two halves xor-ed: every bit of the
** result depends on every bit of both (wyhash's "mum"). */
static inline uint64_t drg_mum(uint64_t a, uint64_t b)
{
#ifdef __SIZEOF_INT128__
	unsigned __int128 p = (unsigned __int128)a * b;
	return (uint64_t)p ^ (uint64_t)(p >> 64);
#else
	return drg_mum_halves(a, b);
#endif
}

/* 32-bit hash of n bytes; the same function the image's code tables use.
** Inline: a case's code lookups call it several times per case. */
static inline uint32_t drg_hash(const char *s, size_t n)
{
	/* Codes are 5-16 bytes: their first and last eight bytes (overlapping
	** fixed-size loads, no byte loop) go into one folded 128-bit product; a
	** longer text first folds eight bytes per product into h.  The value
	** depends on the byte order, like everything in an image. */
	const char *end = s + n;
	uint64_t h = 0x9e3779b97f4a7c15ull ^ n, a, b = 0;
	uint32_t x, y;
	for (; end - s > 16; s += 8) {
		memcpy(&a, s, 8);
		h = drg_mum(h ^ a, 0xff51afd7ed558ccdull);
	}
	size_t k = (size_t)(end - s);
	if (k > 8) {
		memcpy(&a, s, 8), memcpy(&b, end - 8, 8);
	} else if (k >= 4) {
		memcpy(&x, s, 4), memcpy(&y, end - 4, 4);
		a = x | (uint64_t)y << 32;
	} else {
		a = k ? (uint64_t)(unsigned char)s[0] | (uint64_t)(unsigned char)s[k / 2] << 8 |
			(uint64_t)(unsigned char)s[k - 1] << 16 : 0;
	}
	return (uint32_t)drg_mum(a ^ 0xc4ceb9fe1a85ec53ull, b ^ h);
}

#endif
