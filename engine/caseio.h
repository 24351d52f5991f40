/*
** caseio.h: grouping a case CSV stream into a result CSV (the work of
** `drg group` and `drg explain`), over the ordered parallel pipeline of
** batch.h.
**
** Input columns are matched by header name (docs/case-format.md); unknown
** columns are ignored and an empty cell is a missing value.  Output starts with
** `id,status,mdc,adrg,drg,name,reason`, one row per input record, in input
** order, whatever the thread count.  With a payment spec, each row goes on
** with `weight,standard,ratio,route,reasons,payment,review,review_reasons`
** (docs/payment-format.md), and the cases can be summed per hospital.  A record that cannot be read (format
** error, wrong number of fields) gets status `error` and a reason naming the
** record, its line and the problem; it never stops the batch.
*/
#ifndef DRG_CASEIO_H
#define DRG_CASEIO_H

#include <stdio.h>

#include "drg/drg.h"
#include "summary.h"

typedef struct batch_stats {
	long records;
	long by_status[4];     /* enum drg_status */
	long errors;           /* records that could not be read */
} batch_stats;

typedef struct caseio_opts {
	int threads;           /* grouping threads (1: all on the calling thread) */
	int explain;           /* write each case's explanation after its row */
	const char *only_id;   /* explain: only the case with this id (NULL: all) */
	size_t block;          /* input bytes per chunk; 0: the default (1 MiB) */
	const drg_pay *pay;    /* price each case (NULL: grouping only) */
	summary *sum;          /* with pay: add every priced case here (or NULL) */
	const drg_xwalk *xw;   /* codes go through this crosswalk (or NULL) */
} caseio_opts;

/* Groups every record read from fd, writing to out; name is the input's name
** for messages.  Returns 0, 1 when the header is unusable, 2 on input/output
** errors or out of memory (reported on stderr). */
int caseio_run(const drg_spec *spec, int fd, FILE *out, const char *name, const caseio_opts *o,
	       batch_stats *st);

/* One summary line: records per status, and unreadable records. */
void print_stats(FILE *f, const batch_stats *st);

#endif
