/*
** calibrate.h: weights from history (`drg calibrate`).
**
** Every historical case with a cost is grouped with the grouping spec; per
** DRG, cases may be trimmed (outside multiples of the group's raw mean, or
** outside percentiles of its costs), then the group's mean cost is the
** year-weighted mean of the cases kept (weights such as 1:2:7 over three
** discharge years).  Groups with fewer kept cases than the minimum get no
** weight.  The overall mean is the year-weighted mean over the kept cases of
** the weighted groups, and RW = group mean / overall mean, rounded half up
** to 4 decimals.  The result is a payment spec (XML) ready to compile: the
** base rate is the overall mean unless given, with the national default
** routing.  Integer fen throughout, so a rerun writes the same bytes.
*/
#ifndef DRG_CALIBRATE_H
#define DRG_CALIBRATE_H

#include <stdio.h>

#include "drg/drg.h"

#define CALIB_MAX_YEARS 16

typedef struct calib_opts {
	const char *id;              /* id of the payment spec written */
	int64_t base_rate;           /* fen, or DRG_NONE: the overall mean */
	int trim;                    /* 0 none, 1 multiples of the raw mean, 2 percentiles */
	int64_t trim_lo, trim_hi;    /* x 10^4: multiples (0.2, 3) or quantiles (0.05, 0.95) */
	int nyears;                  /* 0: every case weighs 1 */
	int year[CALIB_MAX_YEARS];
	int64_t year_weight[CALIB_MAX_YEARS];
	long min_cases;              /* groups with fewer kept cases get no weight */
} calib_opts;

typedef struct calib_stats {
	long records, unreadable, not_grouped, no_cost, other_year, trimmed, kept;
	long groups, weighted_groups;
} calib_stats;

/* Reads the case CSV on fd (name: for messages), writes the payment spec to
** out.  0; 1 when the input has no usable header or no case could be used;
** 2 on read errors or out of memory (reported on stderr). */
int calibrate_run(const drg_spec *spec, int fd, const char *name, const calib_opts *o,
		  FILE *out, calib_stats *st);

#endif
