/*
** csv.h: an in-memory RFC 4180 tokenizer for case files.
**
** The batch pipeline reads the input in large blocks; csv_split() finds where
** the last complete record of a block ends (a line feed outside quotes) and
** counts the records and lines before it, so blocks can be handed to threads
** with their record and line numbers known.  csv_parse() then cuts one record
** into fields without copying: a field is a view into the block.  A quoted
** field is unescaped in place (a doubled quote becomes one), so the block must
** be writable.  CRLF and LF line ends are both accepted, quoted fields may
** hold commas, quotes and line breaks.  A record that breaks the format (text
** after a closing quote, an unterminated quote at the end of the input, more
** than CSV_MAX_FIELDS fields) is still returned, with `error` set, so the
** caller reports it and goes on: a batch never loses a record.
*/
#ifndef DRG_CSV_H
#define DRG_CSV_H

#include <stddef.h>

#include "drg/drg.h"

#define CSV_MAX_FIELDS 256

typedef struct csv_record {
	drg_text field[CSV_MAX_FIELDS];
	size_t nf;            /* fields (at most CSV_MAX_FIELDS) */
	unsigned lines;       /* line feeds the record spans, its own end included */
	const char *error;    /* format problem, or NULL */
} csv_record;

/* Parses the record starting at p, which ends before end (the input after the
** last record need not end in a line feed).  Returns where the next record
** starts (end when this was the last one). */
char *csv_parse(csv_record *r, char *p, char *end);

/* Length of the complete records at the start of p[0..n): up to and including
** the last line feed that is outside quotes, or n when at_eof (the rest is a
** final record without a line end).  Adds the records and line feeds in that
** span to *records and *lines. */
size_t csv_split(const char *p, size_t n, int at_eof, long *records, long *lines);

#endif
