/*
** csv.c: the tokenizer of csv.h.  csv_split() takes the fast path of glibc's
** memchr/memrchr when a block holds no quote at all (the common case for case
** files) and a byte loop tracking quote parity otherwise.  csv_parse() walks
** one record: an unquoted field is the span up to the next comma or line
** end; a quoted field is compacted in place while its doubled quotes are
** undone.
*/
#include "csv.h"

#include <string.h>

/* Counts line feeds in p[0..n). */
static long count_lf(const char *p, size_t n)
{
	long k = 0;
	const char *end = p + n;
	while ((p = memchr(p, '\n', (size_t)(end - p))) != NULL) {
		k++;
		p++;
	}
	return k;
}

/* csv_split() over a block with quotes: the same state machine as
** csv_parse() (a quote opens a quoted field only at the start of a field; a
** doubled quote inside one is a quote), so both agree on where records end
** even in malformed input. */
static size_t split_slow(const char *p, size_t n, int at_eof, long *records, long *lines)
{
	enum { START, PLAIN, QUOTED } st = START;
	size_t last = 0;
	long recs = 0, lfs = 0, recs_at = 0, lfs_at = 0;
	for (size_t i = 0; i < n; i++) {
		char c = p[i];
		if (st == QUOTED) {
			if (c == '"' && i + 1 < n && p[i + 1] == '"')
				i++;
			else if (c == '"')
				st = PLAIN;
			else if (c == '\n')
				lfs++;
			continue;
		}
		if (st == START && c == '"') {
			st = QUOTED;
			continue;
		}
		st = c == ',' || c == '\n' ? START : PLAIN;
		if (c == '\n') {
			lfs++, recs++;
			last = i + 1, recs_at = recs, lfs_at = lfs;
		}
	}
	if (at_eof && last < n)
		last = n, recs_at = recs + 1, lfs_at = lfs;
	*records += recs_at, *lines += lfs_at;
	return last;
}

size_t csv_split(const char *p, size_t n, int at_eof, long *records, long *lines)
{
	if (!memchr(p, '"', n)) {
		const char *lf = memrchr(p, '\n', n);
		size_t len = lf ? (size_t)(lf - p) + 1 : 0;
		long k = count_lf(p, len);
		*records += k, *lines += k;
		if (at_eof && len < n)
			*records += 1, len = n;
		return len;
	}
	return split_slow(p, n, at_eof, records, lines);
}

/* Unescapes the quoted field whose opening quote is at p; returns the byte
** after the closing quote (or end), the field's length in *len. */
static char *quoted_field(csv_record *r, char *p, char *end, size_t *len)
{
	char *w = p, *s = p + 1;
	for (;;) {
		if (s == end) {
			r->error = "unterminated quoted field";
			break;
		}
		if (*s == '"') {
			if (s + 1 < end && s[1] == '"') {
				*w++ = '"';
				s += 2;
				continue;
			}
			s++;
			break;
		}
		if (*s == '\n')
			r->lines++;
		*w++ = *s++;
	}
	*len = (size_t)(w - p);
	return s;
}

/* Skips to the end of a field: the next comma or line end (or end). */
static char *field_end(char *p, char *end)
{
	while (p < end && *p != ',' && *p != '\n')
		p++;
	return p;
}

/* True when [p, stop) holds more than the CR of a CRLF line end. */
static int junk(const char *p, const char *stop, const char *end)
{
	if (p == stop)
		return 0;
	return !(stop == p + 1 && *p == '\r' && (stop == end || *stop == '\n'));
}

#define STR_(x) #x
#define STR(x) STR_(x)

char *csv_parse(csv_record *r, char *p, char *end)
{
	r->nf = 0;
	r->lines = 0;
	r->error = NULL;
	for (;;) {
		char *start = p, *stop;
		size_t len;
		if (p < end && *p == '"') {
			stop = quoted_field(r, p, end, &len);
			char *after = field_end(stop, end);
			if (junk(stop, after, end) && !r->error)
				r->error = "text after a closing quote";
			stop = after;
		} else {
			stop = field_end(p, end);
			len = (size_t)(stop - start);
			if (len && (stop == end || *stop == '\n') && start[len - 1] == '\r')
				len--;
		}
		if (r->nf < CSV_MAX_FIELDS)
			r->field[r->nf++] = (drg_text){start, len};
		else if (!r->error)
			r->error = "more than " STR(CSV_MAX_FIELDS) " fields";
		if (stop == end)
			return stop;
		if (*stop == '\n') {
			r->lines++;
			return stop + 1;
		}
		p = stop + 1;
	}
}
