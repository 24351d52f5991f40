/*
** pay.h: the compiled payment spec (struct drg_pay), shared by its compiler
** (pay_xml.c), the router (pay.c) and the period summary (summary.c).
**
** Everything a case needs is resolved at compile time into plain numbers:
** one pay_group per result of the grouping image (indexed like it, so a case
** finds its weight by the result index the grouper produced, with no lookup),
** base rates by fund type and hospital level, tiers, triggers.  Money is in
** fen, weights, multiples and coefficients in 10^-4, as in drg_price.  The
** object is built once and never written again.
*/
#ifndef DRG_PAY_H
#define DRG_PAY_H

#include "arena.h"
#include "drg/drg.h"
#include "fixed.h"

#define PAY_UNSET (-1)

enum pay_method { PM_RATE, PM_POINTS };

/* How a route (or a group) is paid. */
enum pay_how {
	PAY_STANDARD,  /* the payment standard */
	PAY_FFS,       /* by item: the cost basis */
	PAY_PRORATE,   /* standard x min(1, ratio) (short/incomplete) or x ratio (low cost) */
	PAY_PER_DIEM,  /* per-diem rate x length of stay */
	PAY_ADDON,     /* standard + standard x (ratio - multiple) */
	PAY_REVIEW,    /* nothing until reviewed (separate review flag set) */
	PAY_WEIGHT,    /* QY: the spec's QY weight */
	PAY_HOW_COUNT
};

extern const char *const pay_how_names[PAY_HOW_COUNT];

/* Reason bits of drg_price.reasons.  ORDER pay_reason_names */
enum pay_reason {
	R_INVALID_CASE, R_FUND_NOT_COVERED, R_OUT_OF_PERIOD, R_BAD_AMOUNT, R_LONG_STAY,
	R_SHORT_STAY, R_UNGROUPABLE, R_NO_WEIGHT, R_QY, R_ABOVE_TIER, R_ABOVE_EXTREME,
	R_BELOW_LOW, R_INCOMPLETE_DISCHARGE, R_NO_COST, R_EXEMPT_COST, R_DEFAULT_LEVEL,
	R_DEFAULT_FUND, R_GROUP_FFS, R_GROUP_PER_DIEM, R_COUNT
};

/* Separate-review reason bits of drg_price.review.  ORDER review_names */
enum review_reason { V_LONG_STAY, V_HIGH_COST, V_NEW_TECH, V_ICU_VENT, V_COMPLEX,
	V_UNGROUPABLE, V_QY, V_COUNT };

extern const char *const review_names[V_COUNT];

typedef struct pay_group {
	int64_t rw;                /* PAY_UNSET: the group has no weight */
	int64_t mean_cost;         /* fen (given, or rw x overall mean), or PAY_UNSET */
	int64_t per_diem;          /* fen, or PAY_UNSET (the spec's global rate) */
	int64_t high_mult, low_mult;   /* overrides, or PAY_UNSET */
	int how;                   /* PAY_STANDARD, PAY_FFS or PAY_PER_DIEM */
} pay_group;

/* A high-cost tier: by hospital level (level 1..3), or by RW band
** rw_above < RW <= rw_max (either end PAY_UNSET: open). */
typedef struct pay_tier {
	int level;                 /* 0: an RW band */
	int64_t rw_above, rw_max, mult;
} pay_tier;

/* A separate-review trigger: every condition set (not PAY_UNSET) must hold. */
typedef struct pay_trigger {
	int reason;                /* enum review_reason */
	int64_t los_ge, ratio_ge, exempt_ge, icu_ge, vent_ge, dx_ge;
} pay_trigger;

typedef struct pay_hospital {
	const char *id;
	size_t len;
	int64_t coef;
} pay_hospital;

struct drg_pay {
	arena a;                   /* owns everything below */
	const drg_spec *spec;
	const char *id, *grouping, *title, *region;
	char hash_hex[65];
	int method;                /* enum pay_method */
	enum rounding rounding;
	int64_t valid_from, valid_to;          /* YYYYMMDD, PAY_UNSET: open */
	unsigned funds;                        /* bit per enum drg_fund covered */
	int64_t base_rate[DRG_FUND_COUNT][4];  /* fen per RW, by level 1..3 */
	int64_t point_value;                   /* points: yuan x 10^4 per point */
	int64_t per_diem;                      /* fen per day, or PAY_UNSET */
	int64_t level_coef[4];                 /* by level 1..3 */
	const pay_hospital *hospitals;         /* sorted by id (bytes) */
	size_t nhospitals;
	struct {
		int mean_cost;                 /* reference: 0 the standard, 1 the group mean */
		int ge;                        /* compare: 0 gt, 1 ge */
		int how;                       /* PAY_FFS or PAY_ADDON */
		int64_t extreme;               /* multiple, or PAY_UNSET */
		const pay_tier *tiers;
		size_t ntiers;
	} high;
	struct {
		int64_t mult;                  /* PAY_UNSET: no low-cost route */
		int le;                        /* compare: 0 lt, 1 le */
		int how;                       /* PAY_FFS or PAY_PRORATE */
	} low;
	int64_t long_min, short_max;           /* days, or PAY_UNSET */
	int long_how, short_how;
	unsigned incomplete;                   /* bit per discharge code digit */
	int exempt_paid;                       /* exempt costs are paid on top */
	int ungroupable_how, qy_how;
	int64_t qy_rw;
	const pay_trigger *triggers;
	size_t ntriggers;
	int64_t outlier_cap, review_quota;     /* shares x 10^4, or PAY_UNSET */
	const pay_group *groups;               /* by result index of the grouping image */
	size_t ngroups;
};

/* The payment coefficient of a case's hospital (by id when the spec lists
** it, else by level). */
int64_t pay_hospital_coef(const drg_pay *pay, drg_text hospital, int level);

#endif
