/*
** strmap.c: open-addressing string map (see strmap.h) and the engine's string
** hash.  The map doubles when it is more than half full.
*/
#include "strmap.h"

#include <string.h>

#include "alloc.h"

uint32_t drg_hash(const char *s, size_t n)
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

void strmap_init(strmap *m) { memset(m, 0, sizeof(*m)); }

void strmap_free(strmap *m)
{
	drg_free(m->slots);
	strmap_init(m);
}

/* The slot holding key, or the empty slot where it would go. */
static strmap_slot *find(const strmap *m, const char *key)
{
	size_t mask = m->cap - 1;
	size_t i = drg_hash(key, strlen(key)) & mask;
	while (m->slots[i].key && strcmp(m->slots[i].key, key) != 0)
		i = (i + 1) & mask;
	return &m->slots[i];
}

void *strmap_get(const strmap *m, const char *key)
{
	if (!m->cap)
		return NULL;
	strmap_slot *s = find(m, key);
	return s->key ? s->value : NULL;
}

/* Rehashes into a table of cap slots.  0, or -1 on out of memory. */
static int grow(strmap *m, size_t cap)
{
	strmap old = *m;
	m->slots = drg_calloc(cap, sizeof(*m->slots));
	if (!m->slots) {
		*m = old;
		return -1;
	}
	m->cap = cap;
	for (size_t i = 0; i < old.cap; i++)
		if (old.slots[i].key)
			*find(m, old.slots[i].key) = old.slots[i];
	drg_free(old.slots);
	return 0;
}

int strmap_put(strmap *m, const char *key, void *value)
{
	if ((m->count + 1) * 2 > m->cap && grow(m, m->cap ? m->cap * 2 : 16) < 0)
		return -1;
	strmap_slot *s = find(m, key);
	if (!s->key) {
		s->key = key;
		m->count++;
	}
	s->value = value;
	return 0;
}
