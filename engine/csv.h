/*
** csv.h: a streaming RFC 4180 CSV reader for case files.
**
** Reads a FILE in 64 KiB blocks and returns one record at a time: fields are
** drg_text views into a record buffer owned by the reader, valid until the next
** call.  Quoted fields may hold commas, doubled quotes and line breaks; CRLF
** and LF line ends are both accepted.  A record that breaks the format (text
** after a closing quote, an unterminated quote at the end of the input) is
** still returned, with `error` set, so the caller can report it and go on: a
** batch never loses a record.
*/
#ifndef DRG_CSV_H
#define DRG_CSV_H

#include <stdio.h>

#include "drg/drg.h"

typedef struct csv_reader {
	FILE *f;
	char *buf;            /* input block */
	size_t len, pos;
	int eof;
	char *rec;            /* unquoted field bytes of the current record */
	size_t rlen, rcap;
	size_t *starts;       /* field start offsets in rec, then one past the end */
	size_t nf, fcap;
	drg_text *fields;     /* views of the current record's fields */
	long record;          /* number of records returned so far (header included) */
	long line;            /* line on which the current record starts */
	long next_line;
	const char *error;    /* format problem of the current record, or NULL */
} csv_reader;

/* 0, or DRG_ENOMEM. */
int csv_open(csv_reader *r, FILE *f);
void csv_close(csv_reader *r);

/* Reads the next record: 1, 0 at the end of input, DRG_ENOMEM or DRG_EIO. */
int csv_next(csv_reader *r);

#endif
