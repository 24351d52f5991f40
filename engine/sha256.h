/*
** sha256.h: SHA-256 (FIPS 180-4), used to stamp compiled images with the hash
** of the spec sources they were compiled from.
*/
#ifndef DRG_SHA256_H
#define DRG_SHA256_H

#include <stddef.h>
#include <stdint.h>

typedef struct sha256_ctx {
	uint32_t h[8];
	uint64_t len;          /* bytes hashed so far */
	unsigned char block[64];
	size_t nblock;
} sha256_ctx;

void sha256_init(sha256_ctx *c);
void sha256_update(sha256_ctx *c, const void *p, size_t n);
void sha256_final(sha256_ctx *c, unsigned char out[32]);

/* The 64 lowercase hex digits of h, NUL-terminated. */
void sha256_hex(char out[65], const unsigned char h[32]);

#endif
