/*
** caseio.h: batches of cases in the canonical case CSV -> result CSV.
**
** Input columns are matched by header name (docs/case-format.md); unknown
** columns are ignored and an empty cell is a missing value.  Output starts with
** `id,status,mdc,adrg,drg,name,reason`, one row per input record, in input
** order.  A record that cannot be read (format error, wrong number of fields)
** gets status `error` and a reason naming the record, line and problem; it
** never stops the batch.
*/
#ifndef DRG_CASEIO_H
#define DRG_CASEIO_H

#include <stdio.h>

#include "drg/drg.h"

typedef struct batch_stats {
	long records;
	long by_status[4];     /* enum drg_status */
	long errors;           /* records that could not be read */
} batch_stats;

/* Groups every record of in, writing result rows to out.  name is the input's
** name for messages.  0, 1 when the header is unusable, 2 on I/O errors. */
int group_file(const drg_spec *spec, FILE *in, FILE *out, const char *name, batch_stats *st);

/* Writes the explanation of every record (or only the one with id `id`). */
int explain_file(const drg_spec *spec, FILE *in, FILE *out, const char *name, const char *id,
		 batch_stats *st);

/* One summary line: records per status, and unreadable records. */
void print_stats(FILE *f, const batch_stats *st);

#endif
