/*
** summary.h: period summary of priced cases, per hospital and in total
** (`drg group --pay ID --summary FILE`).
**
** Each batch worker adds its cases to its own summary; the summaries are
** merged when the workers finish.  Everything is an integer sum, so the
** result does not depend on how cases were spread over threads.  Written as
** CSV: cases per route, CMI (sum of RW / cases with a weight), total points,
** standard and payment, the share of high-cost cases against the spec's cap,
** separate-review candidates against the quota, and, given a budget, the
** point value (budget / total points) and what each hospital's points are
** worth at it.
*/
#ifndef DRG_SUMMARY_H
#define DRG_SUMMARY_H

#include <stdio.h>

#include "drg/drg.h"

typedef struct summary summary;

int summary_new(summary **out);
void summary_free(summary *s);

/* Counts one priced case of the hospital with that id ("" for none).
** 0, or DRG_ENOMEM (the case is then not counted). */
int summary_add(summary *s, drg_text hospital, const drg_price *p);

/* Adds every count of from into into.  0, or DRG_ENOMEM. */
int summary_merge(summary *into, const summary *from);

/* Writes the CSV (hospitals sorted by id, then the total row).  budget_fen
** is the period's budget in fen, or DRG_NONE.  0, or -1 on a write error. */
int summary_write(FILE *f, const summary *s, const drg_pay *pay, int64_t budget_fen);

#endif
