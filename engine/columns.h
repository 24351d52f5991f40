/*
** columns.h: the columns of the canonical case CSV (docs/case-format.md).
** The header is mapped once: which field of a record holds each column we
** read (matched by name; unknown columns ignored); then a case is filled from
** each record with no search.  Used by the batch (caseio.c) and the benchmark.
*/
#ifndef DRG_COLUMNS_H
#define DRG_COLUMNS_H

#include "csv.h"
#include "drg/drg.h"

enum case_col { COL_ID, COL_DX, COL_PX, COL_FIELD0, NCOLS = COL_FIELD0 + DRG_F_COUNT };

typedef struct case_columns {
	long col[NCOLS];      /* field index of each column, or -1 when absent */
	size_t nheader;       /* fields of the header */
	int nfields;          /* case fields the header has a column for ... */
	unsigned char field[DRG_F_COUNT];   /* ... (enum drg_field), in field order, */
	size_t fcol[DRG_F_COUNT];           /* ... and the column of each */
} case_columns;

/* Maps the header record (a UTF-8 byte order mark before the first name is
** skipped; of repeated names the first counts). */
void columns_map(case_columns *m, const csv_record *header);

/* The text of column col in record r ("" when absent). */
drg_text columns_cell(const case_columns *m, const csv_record *r, enum case_col col);

/* Fills case c (emptied by drg_scratch_case) from record r. */
void columns_fill(const case_columns *m, const csv_record *r, drg_case *c);

#endif
