/*
** model.h: the spec model, the compiler's view of a spec after reading its XML.
**
** spec_xml.c fills a spec_model from the XML files (the spec, its imports and
** its `extends` chain); compile.c turns the model into the compiled image.  The
** model has no libxml2 types: every string and node lives in the model's arena.
**
** Named definitions (code sets, code maps, dictionaries, name tables, ADRG
** rules, MDCs) are kept in one map per kind.  Files are read base-first, so a
** definition read later replaces an earlier one with the same id: that is how a
** spec overrides what it inherits.  Singletons (settings, validation, outcomes,
** mdc-order, retry) are likewise replaced by a later occurrence.
*/
#ifndef DRG_MODEL_H
#define DRG_MODEL_H

#include "arena.h"
#include "diag.h"
#include "strmap.h"

/* Condition nodes (the condition language of docs/spec-format.md). */
enum cond_op {
	C_ALL, C_ANY, C_NOT, C_TRUE, C_FALSE,
	C_MAIN_DX, C_ANY_DX, C_SEC_DX,     /* ref: codeset id */
	C_MAIN_PX, C_ANY_PX, C_SEC_PX,
	C_HAS_DX, C_HAS_PX,
	C_HAS_MAIN_PX,                     /* an effective principal procedure */
	C_COUNT,                           /* field: CF_DX/CF_PX; cmp; value */
	C_CMP,                             /* field; cmp; value */
	C_MISSING, C_PRESENT, C_NONZERO,   /* field */
	C_IN,                              /* field (symbol field); values */
	C_HAS_MCC, C_HAS_CC,
	C_SITES                            /* ref: codemap id; value: minimum */
};

/* Comparison operators, in the order of their XML names. */
enum cmp_op { CMP_LT, CMP_LE, CMP_GT, CMP_GE, CMP_EQ, CMP_NE, CMP_COUNT };

/* The spec's names of the comparisons, by enum cmp_op (spec_xml.c). */
extern const char *const cmp_names[CMP_COUNT];

/* Field names as in the canonical CSV and the spec, by enum drg_field (case.c). */
extern const char *const drg_field_names[DRG_F_COUNT];

/* Fund type names as in the case CSV and payment specs, by enum drg_fund (case.c). */
extern const char *const drg_fund_names[DRG_FUND_COUNT];

/* Pseudo fields counted by <count of="dx|px">. */
#define CF_DX 100
#define CF_PX 101

typedef struct cond {
	enum cond_op op;
	srcpos pos;
	const char *ref;       /* codeset or codemap id */
	int field;             /* enum drg_field, CF_DX or CF_PX */
	int cmp;               /* enum cmp_op */
	long value;
	ptrvec values;         /* C_IN: const char * */
	ptrvec kids;           /* C_ALL/C_ANY/C_NOT: cond * */
} cond;

enum code_kind { KIND_DX, KIND_PX };

/* Definition kinds: one map each. */
enum def_kind { D_CODESET, D_CODEMAP, D_DICTIONARY, D_NAMES, D_ADRG, D_MDC, D_KINDS };

/* Header of every named definition. */
typedef struct def_head {
	const char *id;
	srcpos pos;
	int own;               /* defined in the spec's own file (not inherited) */
	struct def_head *prev; /* the definition this one replaced, or NULL */
	void *resolved;        /* compiler's memo (codes.c), NULL until resolved */
	int used;              /* referenced by a reachable rule */
} def_head;

typedef struct m_pattern {
	const char *re;
	srcpos pos;
} m_pattern;

typedef struct m_codeset {
	def_head h;
	enum code_kind kind;
	const char *base;      /* derive from this codeset, or NULL */
	srcpos base_pos;
	ptrvec codes, prefixes, removes;  /* const char * */
	ptrvec patterns;                  /* m_pattern * */
} m_codeset;

typedef struct m_entry {
	const char *code;
	const char *text;      /* dictionary/names: the name */
	long value;            /* codemap: the group value */
} m_entry;

/* Code maps, dictionaries and name tables: keyed entries, derivable by base. */
typedef struct m_table {
	def_head h;
	enum code_kind kind;
	const char *base;
	srcpos base_pos;
	ptrvec entries;        /* m_entry * */
	ptrvec removes;        /* const char * */
	ptrvec labels;         /* codemap: const char * label per value (index value-1), may be NULL */
} m_table;

typedef struct m_split {
	srcpos pos;
	const char *code;
	const char *label;
	cond *when;            /* NULL: always */
} m_split;

typedef struct m_adrg {
	def_head h;
	const char *code;
	const char *label;
	int fallback_adrg;     /* no split fired: 1 return the ADRG code, 0 continue */
	cond *when;
	const char *qy_code;   /* <qy code>: QY result when the rule holds and qy_when does */
	cond *qy_when;
	ptrvec splits;         /* m_split * */
} m_adrg;

typedef struct m_step {
	srcpos pos;
	const char *adrg;      /* <try adrg=...>, or NULL for a QY step */
	const char *qy_code;
	cond *when;
} m_step;

typedef struct m_mdc {
	def_head h;
	const char *label;
	int final;             /* on-no-adrg="ungroupable": entered, it never passes on */
	cond *enter;
	ptrvec steps;          /* m_step * */
} m_mdc;

typedef struct m_outcome {
	int set;
	const char *mdc, *adrg, *drg;
} m_outcome;

typedef struct m_check {
	srcpos pos;
	const char *id;
	const char *message;
	cond *when;
	m_outcome codes;       /* its own result codes (NULL ones: the invalid outcome's) */
} m_check;

typedef struct spec_model {
	arena a;
	const char *id;           /* the spec id */
	srcpos pos;               /* the root <drg-spec> */
	ptrvec files;             /* srcfile *, in reading order (hashed for the image) */
	strmap defs[D_KINDS];     /* id -> def (m_codeset, m_table, m_adrg, m_mdc) */

	struct {
		int set;
		srcpos pos;
		const char *dx_dictionary, *px_dictionary, *mcc, *cc, *cc_exclusion, *drg_names;
		int empty_dx_is_code;   /* an empty dx cell is one unknown code */
		const char *invalid_main_px;   /* px codeset: such a principal slot is emptied */
		int qy_adrg_code;       /* QY results report the QY code as ADRG (else "QY") */
	} settings;

	int have_validation;
	ptrvec checks;            /* m_check * */
	m_outcome ungroupable, invalid;
	srcpos outcomes_pos;

	struct {
		int set;
		long min_procedures;
	} retry;

	ptrvec mdc_order;         /* const char * */
	srcpos mdc_order_pos;
} spec_model;

void spec_model_init(spec_model *m);
void spec_model_free(spec_model *m);

/* Reads the spec at path into m (which must be freshly initialised).  Reports
** every problem to d; returns 0 when no error was reported. */
int spec_xml_load(spec_model *m, const char *path, diag_sink *d);

#endif
