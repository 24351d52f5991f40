/*
** strmap.c: open-addressing string map (see strmap.h).  The map doubles when
** it is more than half full.
*/
#include "strmap.h"

#include <string.h>

#include "alloc.h"

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
