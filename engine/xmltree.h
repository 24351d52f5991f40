/*
** xmltree.h: a validated XML file as plain data, for the readers of the
** smaller spec kinds (payment specs, pay_xml.c).
**
** spec_xml.c, the only file that includes libxml2, implements it with the
** parser settings, schema validation and positioned diagnostics of grouping
** specs; the reader then walks elements, attributes and text with no libxml2
** type in sight.  Everything lives in the caller's arena.
*/
#ifndef DRG_XMLTREE_H
#define DRG_XMLTREE_H

#include "arena.h"
#include "diag.h"

typedef struct xattr {
	const char *name, *value;
} xattr;

typedef struct xnode {
	const char *tag;            /* element name */
	srcpos pos;                 /* its line (the column is found when reported) */
	const xattr *attr;
	size_t nattr;
	const char *text;           /* text of a leaf element, "" otherwise */
	struct xnode *child, *next; /* element children, in document order */
} xnode;

/* Reads the XML file at path, checks it against the RELAX NG schema rng
** (rng_len bytes; schema_name names it in messages) and gives its root
** element.  The file is appended to files (for positions and hashing).
** Reports every problem to d; 0, or -1 after reporting. */
int xml_tree_load(xnode **root, arena *a, ptrvec *files, const char *path, const char *rng,
		  unsigned rng_len, const char *schema_name, diag_sink *d);

/* The path of rel + ext in the directory of the file from (an `extends` or
** `import` target), in the arena; NULL out of memory. */
const char *xml_sibling(arena *a, const char *from, const char *rel, const char *ext);

/* The value of attribute name of n, or NULL. */
const char *xnode_attr(const xnode *n, const char *name);

#endif
