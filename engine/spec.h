/*
** spec.h: the drg_spec object (a validated image, owned or mapped) and the
** per-thread scratch with its case and trace.  Shared by spec.c, case.c,
** exec.c and explain.c; nothing here is public.
*/
#ifndef DRG_SPEC_H
#define DRG_SPEC_H

#include "compiler.h"
#include "drg/drg.h"
#include "image.h"

struct drg_spec {
	img im;
	void *owned;          /* heap block (compiled here), or NULL */
	size_t mapped;        /* bytes mapped (loaded from a file), or 0 */
	char hash_hex[65];
	uint32_t nwords;      /* 64-bit words per role of a case's set bits: (sets + 63) / 64 */
	uint32_t *guard_bit;  /* exec_plan(): the bit each MDC's guard, then each step's, tests */
	uint32_t *sec_start[2], *sec_memb[2];   /* exec_plan(): dx (0), px (1) membership index
						   of the sets tested as secondary or any */
	uint32_t sym_byte[256];   /* case_plan(): the symbol id of each one-byte text */
};

#define CASE_MAX_TRACE 4096

struct drg_case {
	const drg_spec *spec;
	uint32_t dx[DRG_MAX_CODES], px[DRG_MAX_CODES];   /* code ids, IMG_NONE unknown */
	drg_text dx_text[DRG_MAX_CODES], px_text[DRG_MAX_CODES];
	uint32_t ndx, npx;
	int64_t num[DRG_F_COUNT];        /* numeric fields (total_cost in fen) */
	uint32_t sym[DRG_F_COUNT];       /* symbol fields: symbol id or IMG_NONE */
	drg_text text[DRG_F_COUNT];      /* as given (for messages and explain) */
	const drg_xwalk *xw;             /* crosswalk the codes go through, or NULL */
	uint8_t dx_how[DRG_MAX_CODES], px_how[DRG_MAX_CODES];   /* enum xw_how per code */
	uint32_t nunmapped[2];           /* dx, px codes the crosswalk does not list */
	uint32_t ndropped[2];            /* dx, px codes it dropped (texts below) */
	drg_text dropped[2][DRG_MAX_CODES];
	uint32_t present;                /* bit per field: has a value */
	uint32_t malformed;              /* bit per field: value did not parse */
	int too_many;                    /* more than DRG_MAX_CODES codes given */
};

/* How a case code was read: as given, through the crosswalk, or as given
** because the crosswalk does not list it. */
enum xw_how { XW_DIRECT, XW_MAPPED, XW_UNMAPPED };

/* Does case c have a (well-formed) value for field f? */
static inline int case_has(const drg_case *c, enum drg_field f)
{
	return (c->present >> f & 1) != 0;
}

/* Trace events recorded by drg_group() with DRG_TRACE. */
enum trace_kind {
	EV_FIELD,      /* idx: field that did not parse */
	EV_TOO_MANY,   /* too many codes */
	EV_CHECK,      /* idx: check; ok: 1 passed, 0 failed */
	EV_MDC,        /* idx: mdc; ok: entered */
	EV_ADRG,       /* idx: adrg rule; ok: condition held */
	EV_SPLIT,      /* idx: split; ok: fired */
	EV_FALLBACK,   /* idx: adrg rule; ok: 1 returned its ADRG code, 0 continued */
	EV_QY,         /* idx: step; ok: fired */
	EV_NO_MDC,     /* nothing matched */
	EV_RETRY,      /* aux: the procedure tried alone */
	EV_ADRG_QY,    /* idx: adrg rule; ok: its QY check fired */
	EV_MDC_END,    /* idx: mdc entered that yielded nothing: its own ungroupable result */
	EV_PX_EMPTIED, /* the principal procedure is one the spec empties */
	EV_UNMAPPED    /* codes not in the crosswalk make the case invalid */
};

typedef struct trace_ev {
	uint8_t kind;
	uint8_t ok;
	uint16_t aux;
	uint32_t idx;
} trace_ev;


struct drg_scratch {
	const drg_spec *spec;
	const drg_xwalk *xw;             /* crosswalk for the cases filled (or NULL) */
	uint64_t *bits;                  /* ROLE_COUNT runs of spec->nwords words, then one of ones */
	drg_case c;
	int traced;                      /* last drg_group() recorded a trace */
	uint32_t ntrace;
	int truncated;
	trace_ev trace[CASE_MAX_TRACE];
	drg_result last;
	uint32_t last_result;            /* its result index; IMG_NONE before any */
	int pay_traced;                  /* last drg_price_case() recorded a trace */
	size_t pay_len;
	char pay_trace[2048];            /* drg_price_case() trace text */
	char reason[512];                /* formatted check message */
};

/* exec.c, for drg_explain(): replays condition pc on the scratch's case as it
** was grouped, with the procedure view px_first.. (px_n codes; a retry's
** view), calling fn with every op evaluated and its outcome.  Returns the
** condition's value, or -1 when the spec has more than REPLAY_MAX_WORDS words
** of sets (the case's set bits are rebuilt on the stack). */
#define REPLAY_MAX_WORDS 512
int exec_replay(const drg_scratch *s, uint32_t px_first, uint32_t px_n, uint32_t pc,
		void (*fn)(void *arg, const img_op *o, int holds), void *arg);

/* exec.c: fills spec->nwords, guard_bit and sec_start/sec_memb (allocated,
** freed with the spec, also on failure) from its validated image: for each
** MDC entry and each step, the position in a case's set bits (role * 64 *
** nwords + set) of the bit its guard tests, or of the always-set bit after
** the role runs when it has none (a QY step, an unguarded rule); and for
** each code, the sets holding it that some op or guard tests as a secondary
** or any code, the only ones a secondary code needs to mark.  DRG_OK or
** DRG_ENOMEM. */
int exec_plan(drg_spec *spec);

/* case.c: fills spec->sym_byte from its validated image, so that reading a
** one-byte symbol field ("1", "5": sex, discharge) is a table load, not a
** hash lookup; the same id img_lookup() gives, by construction. */
void case_plan(drg_spec *spec);

/* case.c: drg_case_set() of fields[i] to cells[cols[i]] (empty when cols[i]
** >= ncells) for i < n, on a case that has no field yet (drg_scratch_case):
** the presence bits are gathered as it goes and stored once, replacing
** those of every field. */
void case_fill_fields(drg_case *c, const unsigned char *fields, const size_t *cols, int n,
		      const drg_text *cells, size_t ncells);

/* exec.c: drg_group() on a case that need not be the scratch's own (the
** trace and reason still go to s; explain works only for s's own case).
** The benchmark groups pre-filled cases with it. */
void group_case(drg_result *out, const drg_spec *spec, drg_scratch *s, const drg_case *c,
		unsigned flags);

/* spec.c: SHA-256 over source files (srcfile *), in reading order. */
void hash_sources(const ptrvec *files, uint8_t out[32]);

/* case.c: what a field's text must be, for messages ("a number", "a date
** (YYYY-MM-DD)", ...). */
const char *case_field_expects(enum drg_field f);

/* compile.c: fills the image sections of c from its model and the header
** scalars of h.  0, or -1 after reporting. */
int compile_model(compiler *c, img_header *h);


#endif
