/*
** drg.h: the public API of the DRG grouping engine.
**
** Life cycle (PCRE2's compile/match split, SQLite's prepare/step):
**
**   drg_spec_compile()   XML spec -> immutable compiled image (drg_spec)
**   drg_spec_load()      or: a compiled image file, mapped read-only
**   drg_scratch_new()    one per thread: the only mutable state of grouping
**   drg_case_*()         fill a case from text fields (codes are looked up here)
**   drg_group()          group one case: no allocation, no string compare, no regex
**   drg_spec_free()      after every scratch made from it is freed
**
** A drg_spec is never modified after it is made, so any number of threads may
** group with it at once, each with its own drg_scratch.  Strings returned by the
** API are borrowed from the spec (or the scratch, where stated) and live as long
** as it does.  Functions that can fail return an int: 0 (DRG_OK) or a negative
** DRG_E* code; out-parameters come first.  No third-party type appears here.
*/
#ifndef DRG_DRG_H
#define DRG_DRG_H

#include <stddef.h>
#include <stdint.h>

#ifdef __cplusplus
extern "C" {
#endif

#if defined(__GNUC__)
#define DRG_EXTERN __attribute__((visibility("default")))
#else
#define DRG_EXTERN
#endif

#define DRG_VERSION_STRING "0.1.0"

/* Error codes. */
#define DRG_OK 0
#define DRG_ENOMEM (-1)   /* out of memory */
#define DRG_EINVAL (-2)   /* bad argument */
#define DRG_ESPEC (-3)    /* the spec has errors (reported through the diag callback) */
#define DRG_EIO (-4)      /* a file could not be read or written */
#define DRG_EIMAGE (-5)   /* not a compiled image, or a corrupt or foreign one */
#define DRG_ERANGE (-6)   /* a case exceeds a fixed limit (too many codes) */
#define DRG_EFORMAT (-7)  /* an image of another format version: compile the spec again */

/* Returns a static English text for an error code. */
DRG_EXTERN const char *drg_strerror(int err);

/* ---------------------------------------------------------------- specs */

typedef struct drg_spec drg_spec;

/* One compiler diagnostic.  line and column are 1-based, 0 when unknown. */
typedef struct drg_diag {
	int severity;          /* DRG_DIAG_ERROR or DRG_DIAG_WARNING */
	const char *file;      /* spec file the diagnostic is about, or "" */
	long line, column;
	const char *message;   /* without position or severity prefix */
} drg_diag;

#define DRG_DIAG_ERROR 1
#define DRG_DIAG_WARNING 2

/* Receives each diagnostic as it is found; the strings live until it returns. */
typedef void (*drg_diag_fn)(const drg_diag *d, void *payload);

/* Formats d as `file:line:col: error: message` (like snprintf). */
DRG_EXTERN size_t drg_diag_format(char *buf, size_t size, const drg_diag *d);

/* Compiles the spec in the XML file at path (imports and the `extends` chain
** are resolved relative to that file).  On success *out owns the image.  All
** errors and warnings go to diag (may be NULL); returns DRG_ESPEC if there was
** any error, and then *out is NULL. */
DRG_EXTERN int drg_spec_compile(drg_spec **out, const char *path,
				drg_diag_fn diag, void *payload);

/* Loads a compiled image written by drg_spec_save(), by mapping the file.  The
** image is validated (magic, format version, byte order, bounds of every
** section and offset) before use; DRG_EIMAGE if it does not pass. */
DRG_EXTERN int drg_spec_load(drg_spec **out, const char *path);

/* Writes the compiled image to path (atomically: a temporary file renamed). */
DRG_EXTERN int drg_spec_save(const drg_spec *spec, const char *path);

/* NULL is a no-op. */
DRG_EXTERN void drg_spec_free(drg_spec *spec);

/* The spec id (e.g. "chs-drg-1.1"), borrowed. */
DRG_EXTERN const char *drg_spec_id(const drg_spec *spec);

/* The SHA-256 of the spec source files, as 64 lowercase hex digits, borrowed. */
DRG_EXTERN const char *drg_spec_hash(const drg_spec *spec);

/* Size in bytes of the compiled image. */
DRG_EXTERN size_t drg_spec_image_size(const drg_spec *spec);

/* ---------------------------------------------------------------- cases */

/* A text field: pointer and length, need not be NUL-terminated. */
typedef struct drg_text {
	const char *ptr;
	size_t len;
} drg_text;

/* Case fields, in the canonical CSV's names (see docs/case-format.md). */
enum drg_field {
	DRG_F_SEX,
	DRG_F_AGE,            /* years */
	DRG_F_AGE_DAYS,
	DRG_F_BIRTH_WEIGHT,   /* grams */
	DRG_F_DEPT,
	DRG_F_LOS,            /* length of stay, days */
	DRG_F_DISCHARGE,      /* discharge mode code */
	DRG_F_ICU_HOURS,
	DRG_F_TOTAL_COST,     /* yuan, up to 2 decimals (kept in fen) */
	DRG_F_EXEMPT_COST,    /* yuan paid outside the group (除外支付), in total_cost */
	DRG_F_FUND_TYPE,      /* "employee" or "resident" (enum drg_fund) */
	DRG_F_HOSPITAL_LEVEL, /* 1, 2 or 3 (tertiary) */
	DRG_F_HOSPITAL_ID,    /* any text: the key of period summaries */
	DRG_F_DISCHARGE_DATE, /* YYYY-MM-DD (kept as the number YYYYMMDD) */
	DRG_F_VENT_HOURS,     /* hours of mechanical ventilation */
	DRG_F_COUNT
};

/* Fund types (values of DRG_F_FUND_TYPE). */
enum drg_fund { DRG_FUND_EMPLOYEE, DRG_FUND_RESIDENT, DRG_FUND_COUNT };

/* The largest number of diagnoses (and of procedures) a case may carry. */
#define DRG_MAX_CODES 64

typedef struct drg_case drg_case;

/* A case lives in the scratch: drg_scratch_case() returns it emptied. */

/* Sets a field from its text; an empty text means "missing".  A number that
** does not parse is remembered as malformed (the case is then invalid). */
DRG_EXTERN void drg_case_set(drg_case *c, enum drg_field f, drg_text value);

/* Sets the diagnoses (principal first) or procedures (principal first) from a
** '|'-joined text.  Returns DRG_ERANGE when there are more than
** DRG_MAX_CODES codes (the case is then invalid). */
DRG_EXTERN int drg_case_set_dx(drg_case *c, drg_text joined);
DRG_EXTERN int drg_case_set_px(drg_case *c, drg_text joined);

/* ---------------------------------------------------------------- crosswalks */

/* A code crosswalk: hospital clinical codes (国临版) mapped to the insurance
** codes (医保版) of one grouping spec before grouping (docs/case-format.md).
** Immutable once loaded; any number of scratches may share it. */
typedef struct drg_xwalk drg_xwalk;

/* Flags for drg_xwalk_load(). */
#define DRG_XWALK_KEEP_UNMAPPED 1u   /* a code not in the table stays as given
					(default: the case is invalid) */

/* Loads the diagnosis and/or procedure tables (`from<TAB>to` text files; either
** path may be NULL, not both) against spec, which must outlive the crosswalk.
** Errors go to diag as file:line:col; DRG_ESPEC if there was any. */
DRG_EXTERN int drg_xwalk_load(drg_xwalk **out, const drg_spec *spec, const char *dx_path,
			      const char *px_path, unsigned flags, drg_diag_fn diag,
			      void *payload);

/* NULL is a no-op. */
DRG_EXTERN void drg_xwalk_free(drg_xwalk *x);

/* Number of entries of the diagnosis (px 0) or procedure (px 1) table. */
DRG_EXTERN size_t drg_xwalk_size(const drg_xwalk *x, int px);

/* ---------------------------------------------------------------- grouping */

typedef struct drg_scratch drg_scratch;

/* Makes the per-thread state for grouping with spec (which must outlive it). */
DRG_EXTERN int drg_scratch_new(drg_scratch **out, const drg_spec *spec);
DRG_EXTERN void drg_scratch_free(drg_scratch *s);

/* Empties and returns the scratch's case, ready to be filled. */
DRG_EXTERN drg_case *drg_scratch_case(drg_scratch *s);

/* Makes the codes of the cases filled from now on go through crosswalk x
** (NULL: none).  x must have been loaded for the scratch's spec: DRG_EINVAL
** otherwise. */
DRG_EXTERN int drg_scratch_set_xwalk(drg_scratch *s, const drg_xwalk *x);

enum drg_status {
	DRG_STATUS_OK,          /* grouped */
	DRG_STATUS_QY,          /* ambiguous: OR procedure unrelated to the principal dx */
	DRG_STATUS_UNGROUPABLE, /* no MDC/ADRG/DRG rule matched */
	DRG_STATUS_INVALID      /* failed validation */
};

/* The grouping result; strings are borrowed from the spec. */
typedef struct drg_result {
	enum drg_status status;
	const char *mdc, *adrg, *drg;
	const char *name;        /* name of the DRG, "" if the spec has none */
	const char *reason;      /* invalid: which check failed (spec message), else "" */
} drg_result;

/* Flags for drg_group(). */
#define DRG_TRACE 1u   /* record every step in the scratch (see drg_explain()) */

/* Groups the scratch's case.  Returns DRG_OK, or DRG_EINVAL for bad arguments. */
DRG_EXTERN int drg_group(drg_result *out, const drg_spec *spec, drg_scratch *s,
			 unsigned flags);

/* Writes a readable explanation of the last drg_group() call made with
** DRG_TRACE into buf (NUL-terminated, truncated to size).  Returns the length
** the full text needs, excluding the NUL (like snprintf). */
DRG_EXTERN size_t drg_explain(char *buf, size_t size, const drg_spec *spec,
			      const drg_scratch *s);

/* Status names as in the CSV output: "ok", "qy", "ungroupable", "invalid". */
DRG_EXTERN const char *drg_status_name(enum drg_status st);

/* ---------------------------------------------------------------- payment */

/* A compiled payment spec (docs/payment-format.md): weights, base rates and
** the routing of special cases for the groups of one grouping spec.  Like a
** drg_spec it is immutable and may be shared by any number of threads. */
typedef struct drg_pay drg_pay;

/* Compiles the payment spec in the XML file at path (its `extends` chain is
** resolved relative to it) against the grouping spec it names, which must be
** spec.  Errors and warnings go to diag, positioned; DRG_ESPEC if any error. */
DRG_EXTERN int drg_pay_compile(drg_pay **out, const char *path, const drg_spec *spec,
			       drg_diag_fn diag, void *payload);

/* Reads only the id of the grouping spec that the payment spec at path (or
** the spec it extends) names, into buf (NUL-terminated, truncated to size). */
DRG_EXTERN int drg_pay_grouping(char *buf, size_t size, const char *path,
				drg_diag_fn diag, void *payload);

/* NULL is a no-op.  Free before the grouping spec it was compiled against. */
DRG_EXTERN void drg_pay_free(drg_pay *pay);

/* The payment spec id and its SHA-256 (hex), borrowed. */
DRG_EXTERN const char *drg_pay_id(const drg_pay *pay);
DRG_EXTERN const char *drg_pay_hash(const drg_pay *pay);

/* Payment routes, in the order of docs/payment-format.md. */
enum drg_route {
	DRG_ROUTE_NORMAL, DRG_ROUTE_HIGH_COST, DRG_ROUTE_EXTREME_COST, DRG_ROUTE_LOW_COST,
	DRG_ROUTE_LONG_STAY, DRG_ROUTE_SHORT_STAY, DRG_ROUTE_INCOMPLETE, DRG_ROUTE_UNGROUPABLE,
	DRG_ROUTE_QY, DRG_ROUTE_INVALID, DRG_ROUTE_COUNT
};

/* A value that was not computed (no weight, no cost, ...). */
#define DRG_NONE INT64_MIN

/* The price of one case.  Money in fen, weights and ratios x 10^4, points in
** milli-points (RW 1.0000 = 100 points = 100000). */
typedef struct drg_price {
	enum drg_route route;
	int64_t weight;      /* RW of the group */
	int64_t points;      /* RW x 100 x hospital coefficient */
	int64_t standard;    /* payment standard of the group for this case */
	int64_t cost;        /* cost basis: total_cost - exempt_cost */
	int64_t ratio;       /* cost / reference (standard or group mean cost) */
	int64_t payment;     /* what the route pays, exempt costs included when paid */
	uint32_t reasons;    /* bit per reason code (drg_pay_reason_name) */
	uint32_t review;     /* bit per separate-review reason (drg_review_reason_name) */
} drg_price;

/* Prices the case last grouped with s (drg_group), under pay, which must have
** been compiled against the spec of s.  With DRG_TRACE, each routing decision
** is recorded with the numbers compared (drg_price_explain).  DRG_EINVAL for
** bad arguments or when s has grouped nothing. */
DRG_EXTERN int drg_price_case(drg_price *out, const drg_pay *pay, drg_scratch *s, unsigned flags);

/* Writes the trace of the last traced drg_price_case() on s (like drg_explain). */
DRG_EXTERN size_t drg_price_explain(char *buf, size_t size, const drg_scratch *s);

/* "normal", "high_cost", ... ; reason and review-reason codes by bit number
** (NULL past the last). */
DRG_EXTERN const char *drg_route_name(enum drg_route route);
DRG_EXTERN const char *drg_pay_reason_name(int bit);
DRG_EXTERN const char *drg_review_reason_name(int bit);

#ifdef __cplusplus
}
#endif
#endif
