/*
** image.h: the compiled spec image, one contiguous block of 32-bit words.
**
** IMAGE LAYOUT
**
**   img_header | section 0 | section 1 | ... | section SEC_COUNT-1
**
** The header starts with the magic "DRGSPEC\n", the format version
** (IMG_FORMAT), a byte-order mark (0x01020304 as written by the host: an image
** is only loaded by a host of the same byte order), the total size, the
** SHA-256 of the spec's source files, a few scalars and the section table: for
** each section its byte offset (8-aligned) and its element count.  Nothing in
** the image is a pointer: every reference is an index into a section or a byte
** offset into SEC_STR, so the block can be written to a file as it is and
** mapped back without any fix-up.  img_validate() checks every index and
** offset once at load time, so the evaluator can trust them.
**
** Codes.  Diagnosis (dx) and procedure (px) codes are interned to dense ids,
** 0..n-1 in byte order of the code text.  SEC_*_CODE/NAME give the text of each
** id; SEC_*_HASH is an open-addressing table (power-of-two slots holding id+1,
** 0 empty, linear probing, drg_hash()) used to look codes up when a case is
** read.  Each slot also holds the code's first IMG_SLOT_KEY bytes, so a lookup
** usually touches one slot and never the string table (codes of up to 11
** bytes are compared whole in the slot).  A code the spec does not know gets IMG_NONE and matches nothing.
** Symbols are the few texts that rules compare other fields with (sex,
** department and discharge codes); they are interned the same way.
**
** Sets and maps.  A code set is a sorted run of ids in SEC_SETDATA (membership
** by binary search); symbol sets use the same sections.  A code map (MCC/CC
** exclusion tables, trauma sites) is a dense u16 per code of its kind in
** SEC_MAPDATA, 0 meaning "not in the map".
**
** Membership.  For grouping, the sets a case's codes belong to are found once
** per case rather than searched per op: SEC_DX_MEMB (one u32 per dx id, plus
** one) gives where each id's run of set indexes starts in SEC_MEMB (ascending
** set indexes of the dx sets holding it); SEC_PX_MEMB the same for procedures.
** The evaluator turns a case's codes into per-role bitsets over the sets
** (principal, secondary, any), and a set op is then one bit test.  When the
** header names a main_px_invalid set, a principal procedure in it marks no
** set at all (the slot stays, empty: CHS-DRG 2.0's "null slot"), so every
** procedure op and OP_MAIN_PX_GIVEN see it as absent.
**
** Conditions are programs of fixed-size ops (img_op, ops.def) in SEC_OP,
** evaluated like classic BPF: each op tests one thing and continues at
** op+jt when true, op+jf when false (both forward); OP_RET ends the program
** with its k (1 true, 0 false).  A condition is referenced by the index of its
** first op; IMG_NONE stands for "always true".
**
** Rules.  Validation checks (each with its result; the header's any_check
** is the <any> of all their conditions, so that a case that passes them all
** costs one program), MDCs with their ordered
** steps (try an ADRG rule, or a QY check) and the result of an MDC that was
** entered but yields nothing (or none: pass on), ADRG rules with their QY check
** and their ordered DRG splits, and the results
** (status, mdc, adrg, drg, name) that splits and fallbacks return are tables of
** u32 records.  Every rule records its source file (index into SEC_FILE) and
** line, so a trace can say which line of the spec decided.
*/
#ifndef DRG_IMAGE_H
#define DRG_IMAGE_H

#include <stddef.h>
#include <stdint.h>
#include <string.h>

#include "hash.h"

#define IMG_MAGIC "DRGSPEC\n"
#define IMG_FORMAT 8u
#define IMG_ENDIAN 0x01020304u
#define IMG_NONE 0xFFFFFFFFu

enum img_sec { /* ORDER SEC */
	SEC_STR,        /* char: NUL-terminated UTF-8 strings */
	SEC_DX_CODE,    /* u32 per dx id: string offset of the code */
	SEC_DX_NAME,    /* u32 per dx id: string offset of the name */
	SEC_DX_HASH,    /* img_slot: dx id + 1 (or 0) and the code's first bytes */
	SEC_PX_CODE,
	SEC_PX_NAME,
	SEC_PX_HASH,
	SEC_SYM,        /* u32 per symbol id: string offset */
	SEC_SYM_HASH,
	SEC_SET,        /* img_set */
	SEC_SETDATA,    /* u32 ids, sorted within each set */
	SEC_MAP,        /* img_map */
	SEC_MAPDATA,    /* u16 values */
	SEC_LABEL,      /* u32 string offsets (code map value labels) */
	SEC_OP,         /* img_op */
	SEC_CHECK,      /* img_check */
	SEC_MDC,        /* img_mdc, in evaluation order */
	SEC_STEP,       /* img_step */
	SEC_ADRG,       /* img_adrg */
	SEC_SPLIT,      /* img_split */
	SEC_RESULT,     /* img_result */
	SEC_FILE,       /* u32 string offsets: spec file paths */
	SEC_DX_MEMB,    /* u32 per dx id + 1: start of its run in SEC_MEMB */
	SEC_PX_MEMB,    /* u32 per px id + 1 */
	SEC_MEMB,       /* u32 set indexes, ascending within each run */
	SEC_COUNT
};

typedef struct img_section {
	uint32_t off;       /* byte offset from the image start, 8-aligned */
	uint32_t count;     /* elements */
} img_section;

#define IMG_F_EMPTY_DX_IS_CODE 1u   /* an empty dx text is one unknown code */

typedef struct img_header {
	char magic[8];
	uint32_t format;
	uint32_t endian;
	uint32_t size;              /* bytes, header included */
	uint32_t flags;             /* IMG_F_* */
	uint8_t hash[32];           /* SHA-256 of the spec source files */
	uint32_t spec_id;           /* string offset */
	uint32_t mcc_map, cc_map, cce_map;   /* map indexes, or IMG_NONE */
	uint32_t ungroupable;       /* result index */
	uint32_t invalid;           /* result index */
	uint32_t retry_min_px;      /* 0: no retry */
	uint32_t main_px_invalid;   /* px set: a principal procedure in it is emptied, or IMG_NONE */
	uint32_t any_check;         /* op index: does some check fail?  IMG_NONE when there are none */
	img_section sec[SEC_COUNT];
} img_header;

/* A slot of a code hash table: the id + 1 (0: empty) and the first bytes of
** the code, zero-padded, so that a probe usually reads one cache line. */
#define IMG_SLOT_KEY 12
typedef struct img_slot {
	uint32_t id1;
	char key[IMG_SLOT_KEY];
} img_slot;

typedef struct img_set {
	uint32_t off;               /* index into SEC_SETDATA */
	uint32_t n;
	uint32_t name;              /* string: the codeset id ("" for symbol sets) */
} img_set;

enum img_map_kind { MAP_DX, MAP_PX };

typedef struct img_map {
	uint32_t kind;              /* MAP_DX or MAP_PX */
	uint32_t off;               /* index into SEC_MAPDATA: one u16 per code */
	uint32_t nlabels;
	uint32_t labels;            /* index into SEC_LABEL: label of value v at v-1 */
} img_map;

/* One instruction of a condition program (see ops.def for the opcodes). */
typedef struct img_op {
	uint8_t code;       /* OP_* */
	uint8_t a;          /* field, or 0/1 for dx/px */
	uint16_t b;         /* comparison, or a second map */
	uint32_t k;         /* set or map index, or an immediate */
	uint16_t jt, jf;    /* forward jumps (in ops) when true / false */
} img_op;

enum img_op_code {
#define OP(name, doc) OP_##name,
#include "ops.def"
#undef OP
	OP__COUNT
};

/* The positions a set op looks at: the per-case membership bitsets, one per
** role (see "Membership" above). */
enum img_role { ROLE_MAIN_DX, ROLE_SEC_DX, ROLE_ANY_DX, ROLE_MAIN_PX, ROLE_SEC_PX, ROLE_ANY_PX,
		ROLE_COUNT };

/* The roles as the spec names them (main-dx, secondary-dx, ...).  ORDER ROLE */
extern const char *const img_role_names[ROLE_COUNT];

/* The role a set op (OP_MAIN_DX .. OP_SEC_PX) tests. */
static inline enum img_role img_op_role(unsigned code)
{
	static const unsigned char role[] = {ROLE_MAIN_DX, ROLE_ANY_DX, ROLE_SEC_DX,
					     ROLE_MAIN_PX, ROLE_ANY_PX, ROLE_SEC_PX};
	return (enum img_role)role[code - OP_MAIN_DX];
}

/* A rule's guard: a code role and set its condition cannot hold without (the
** compiler finds it in the condition: a set leaf, or one under <all>), so the
** walk may skip the rule with one bit test.  set IMG_NONE: no guard. */
typedef struct img_guard {
	uint32_t role;              /* enum img_role */
	uint32_t set;
} img_guard;

typedef struct img_check {
	uint32_t id, message;       /* strings */
	uint32_t when;              /* op index: the check FAILS when it holds */
	uint32_t result;            /* result index of a failed check (status invalid) */
	uint32_t file, line;
} img_check;

typedef struct img_mdc {
	uint32_t code, label;       /* strings */
	uint32_t enter;             /* op index */
	img_guard guard;            /* of enter */
	uint32_t step, nstep;       /* SEC_STEP run */
	uint32_t fallback;          /* entered and no step yields: this result, or IMG_NONE to pass on */
	uint32_t file, line;
} img_mdc;

enum img_step_kind { STEP_ADRG, STEP_QY };

typedef struct img_step {
	uint32_t kind;              /* STEP_ADRG or STEP_QY */
	uint32_t arg;               /* STEP_ADRG: adrg index; STEP_QY: op index */
	uint32_t result;            /* STEP_QY: result index */
	uint32_t file, line;
} img_step;

typedef struct img_adrg {
	uint32_t id, code, label;   /* strings */
	uint32_t when;              /* op index */
	img_guard guard;            /* of when */
	uint32_t split, nsplit;     /* SEC_SPLIT run */
	uint32_t fallback;          /* result index when no split fires, or IMG_NONE */
	uint32_t qy;                /* op index: QY when the rule holds and this does, or IMG_NONE */
	uint32_t qy_result;         /* result index of that QY */
	uint32_t file, line;
} img_adrg;

typedef struct img_split {
	uint32_t when;              /* op index, or IMG_NONE: always */
	uint32_t result;            /* result index */
	uint32_t label;             /* string */
	uint32_t file, line;
} img_split;

typedef struct img_result {
	uint32_t status;            /* enum drg_status */
	uint32_t mdc, adrg, drg, name;   /* strings */
} img_result;

/* A loaded or freshly compiled image with its sections resolved. */
typedef struct img {
	const unsigned char *base;
	size_t size;
	const img_header *h;
	const char *str;
	const uint32_t *dx_code, *dx_name;
	const img_slot *dx_hash;
	const uint32_t *px_code, *px_name;
	const img_slot *px_hash;
	const uint32_t *sym;
	const img_slot *sym_hash;
	const img_set *set;
	const uint32_t *setdata;
	const img_map *map;
	const uint16_t *mapdata;
	const uint32_t *label;
	const img_op *op;
	const img_check *check;
	const img_mdc *mdc;
	const img_step *step;
	const img_adrg *adrg;
	const img_split *split;
	const img_result *result;
	const uint32_t *file;
	const uint32_t *dx_memb, *px_memb, *memb;
} img;

/* Size in bytes of one element of each section.  ORDER SEC */
extern const size_t img_sec_elem[SEC_COUNT];

/* Name of each section, for listings.  ORDER SEC */
extern const char *const img_sec_names[SEC_COUNT];

/* Checks the whole block and fills im.  0, or DRG_EIMAGE (DRG_EFORMAT: an
** image of another IMG_FORMAT) with a reason. */
int img_open(img *im, const void *base, size_t size, const char **why);

/* Number of elements of section s. */
#define IMG_COUNT(im, s) ((im)->h->sec[s].count)

/* Are the first n (at most IMG_SLOT_KEY) bytes of key and s equal?  Two
** overlapping fixed-size compares (codes are mostly 5-11 bytes) instead of a
** memcmp call per probe. */
static inline int img_head_equal(const char *key, const char *s, size_t n)
{
	uint64_t a, b;
	uint32_t c, d, e, f;
	if (n >= 8) {
		memcpy(&a, key, 8), memcpy(&b, s, 8);
		memcpy(&c, key + n - 4, 4), memcpy(&d, s + n - 4, 4);
		return a == b && c == d;
	}
	if (n >= 4) {
		memcpy(&c, key, 4), memcpy(&d, s, 4);
		memcpy(&e, key + n - 4, 4), memcpy(&f, s + n - 4, 4);
		return c == d && e == f;
	}
	return n == 0 || (key[0] == s[0] && key[n / 2] == s[n / 2] && key[n - 1] == s[n - 1]);
}

/* The slots of hash table hash_sec (SEC_DX_HASH, SEC_PX_HASH or
** SEC_SYM_HASH). */
static inline const img_slot *img_slots(const img *im, enum img_sec hash_sec)
{
	return hash_sec == SEC_DX_HASH ? im->dx_hash : hash_sec == SEC_PX_HASH ? im->px_hash
										: im->sym_hash;
}

/* img_lookup() of a text of IMG_SLOT_KEY bytes or more, which only starts in
** a slot: its tail is compared in the string table.  Out of line (image.c,
** noinline: with LTO, gcc inlined it back, and the usual lookup of a shorter
** code then saved and restored six registers per call: 31M of 1,007M
** instructions on 300k cases). */
uint32_t img_lookup_long(const img *im, enum img_sec hash_sec, const char *s, size_t n);

/* The id of a code or symbol in one of the hash tables, or IMG_NONE.  In
** the header, with drg_hash(), so that the case reader, which calls it per
** code, may have it inlined with its table known: gcc -O3 does, -O2 keeps
** one copy (forcing it inline at -O2 cost 2 % more instructions).  A text
** shorter than IMG_SLOT_KEY is compared whole in the slot (its NUL too). */
static inline uint32_t img_lookup(const img *im, enum img_sec hash_sec, const char *s, size_t n)
{
	if (n >= IMG_SLOT_KEY)
		return img_lookup_long(im, hash_sec, s, n);
	const img_slot *slots = img_slots(im, hash_sec);
	uint32_t mask = im->h->sec[hash_sec].count - 1;
	for (uint32_t i = drg_hash(s, n) & mask;; i = (i + 1) & mask) {
		const img_slot *sl = &slots[i];
		if (!sl->id1)
			return IMG_NONE;
		if (img_head_equal(sl->key, s, n) && sl->key[n] == '\0')
			return sl->id1 - 1;
	}
}

/* Is id in set k?  (binary search over the sorted run) */
static inline int img_in_set(const img *im, uint32_t k, uint32_t id)
{
	const img_set *st = &im->set[k];
	const uint32_t *v = im->setdata + st->off;
	uint32_t lo = 0, hi = st->n;
	while (lo < hi) {
		uint32_t mid = (lo + hi) / 2;
		if (v[mid] < id)
			lo = mid + 1;
		else
			hi = mid;
	}
	return lo < st->n && v[lo] == id;
}

/* Is the first of the npx procedures px one the spec empties (header
** main_px_invalid: CHS-DRG 2.0's null slot)? */
static inline int img_px0_emptied(const img *im, const uint32_t *px, uint32_t npx)
{
	uint32_t k = im->h->main_px_invalid;
	return k != IMG_NONE && npx && img_in_set(im, k, px[0]);
}

/* Value of code id in map k (0: not in the map; unknown ids give 0). */
static inline unsigned img_map_value(const img *im, uint32_t k, uint32_t id)
{
	const img_map *m = &im->map[k];
	uint32_t n = m->kind == MAP_DX ? IMG_COUNT(im, SEC_DX_CODE) : IMG_COUNT(im, SEC_PX_CODE);
	return id < n ? im->mapdata[m->off + id] : 0;
}

#endif
