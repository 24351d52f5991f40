/*
** compiler.h: state shared by the two halves of the spec compiler.
**
** codes.c resolves the code tables of the model (dictionaries, code sets with
** their bases, prefixes and PCRE2 patterns, code maps) and interns every code
** to its dense id; compile.c emits conditions and rules.  Both append to the
** image's sections (growable byte buffers) held here; compile.c finally lays
** the sections out after the header in one block.
*/
#ifndef DRG_COMPILER_H
#define DRG_COMPILER_H

#include "image.h"
#include "model.h"

typedef struct secbuf {
	unsigned char *p;
	size_t n, cap;
} secbuf;

/* The codes of one kind (dx or px): the dictionary plus every code a used
** set or map names, sorted by byte order; ids are indexes into codes[]. */
typedef struct universe {
	strmap names;            /* dictionary: code -> name (const char *) */
	strmap ids;              /* code -> id + 1 (as uintptr_t) */
	const char **codes;
	size_t n;
	const char **dict;       /* dictionary codes, sorted (prefix/pattern universe) */
	size_t ndict;
} universe;

typedef struct compiler {
	spec_model *m;
	diag_sink *d;
	int oom;
	secbuf sec[SEC_COUNT];
	strmap strs;             /* string -> offset + 1 */
	universe uni[2];         /* KIND_DX, KIND_PX */
	strmap symsets;          /* symbol set (its sorted ids as text) -> index + 1 */
	strmap maps;             /* codemap id -> index + 1 */
	strmap syms;             /* symbol text -> id + 1 */
	ptrvec symv;             /* symbol texts by id */
	strmap results;          /* "status\tcode" -> index + 1 */
	strmap names;            /* DRG code -> name */
	ptrvec set_users;        /* per resolved set: who uses it (for warnings) */
} compiler;

/* A code set after resolution: its codes (arena strings) and image index. */
typedef struct m_resolved {
	m_codeset *def;
	ptrvec codes;            /* const char *, distinct */
	uint32_t index;          /* SEC_SET index, assigned by codes_emit() */
	const char *first_user;  /* rule that first referenced it (for warnings) */
	int state;               /* 0 new, 1 resolving, 2 done */
} m_resolved;

/* Appends n bytes to section s; returns the element-less byte offset. */
size_t buf_add(compiler *c, enum img_sec s, const void *p, size_t n);

/* Interns a string into SEC_STR, returning its offset. */
uint32_t str_add(compiler *c, const char *s);

/* codes.c: resolves the dictionaries named by the settings, every code set
** and code map the rules use (found by walking the model), interns all codes
** and writes SEC_{DX,PX}_{CODE,NAME,HASH}, SEC_SET(DATA), SEC_MAP(DATA) and
** SEC_LABEL.  Reports problems; 0 when none was an error. */
int codes_build(compiler *c);

/* After codes_build: the set index of codeset id (kind checked), or IMG_NONE
** after reporting at attribute attrname of the element at pos. */
uint32_t codes_set(compiler *c, const char *id, enum code_kind kind, srcpos pos,
		   const char *attrname);

/* codes_set() without reporting: IMG_NONE when id is unknown, of the other
** kind or unresolved. */
uint32_t codes_find_set(compiler *c, const char *id, enum code_kind kind);

/* After codes_build: the map index of codemap id, or IMG_NONE after reporting. */
uint32_t codes_map(compiler *c, const char *id, srcpos pos, const char *attrname);

/* The symbol set index for the texts in values (interning new symbols). */
uint32_t codes_symbol_set(compiler *c, const ptrvec *values);

/* Writes SEC_SYM and SEC_SYM_HASH (after every symbol set was made). */
void codes_emit_symbols(compiler *c);

/* Writes an open-addressing hash table of n texts into section s. */
void codes_emit_hash(compiler *c, enum img_sec s, const char *const *texts, size_t n);

void codes_free(compiler *c);

#endif
