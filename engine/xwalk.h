/*
** xwalk.h: the loaded code crosswalk (xwalk.c) as case.c and explain.c read it.
*/
#ifndef DRG_XWALK_H
#define DRG_XWALK_H

#include <stddef.h>
#include <stdint.h>

#include "drg/drg.h"

/* One `from<TAB>to` line. */
typedef struct xw_entry {
	const char *from, *to;     /* into the table's text */
	uint32_t from_len, to_len;
	uint32_t to_id;            /* the spec's id of `to`, IMG_NONE if unknown or dropped */
	uint32_t line;
	int drop;                  /* to is "-": the code is left out */
} xw_entry;

typedef struct xw_table {
	char *text;                /* the file, NUL-terminated */
	xw_entry *ent;
	uint32_t nent;
	uint32_t *slot;            /* entry index + 1, or 0; mask + 1 slots */
	uint32_t mask;
} xw_table;

struct drg_xwalk {
	const drg_spec *spec;
	xw_table tab[2];           /* diagnoses, procedures (nent 0: no table) */
	int keep_unmapped;
};

/* The entry for code text p[0..n) in t, or NULL. */
const xw_entry *xwalk_find(const xw_table *t, const char *p, size_t n);

#endif
