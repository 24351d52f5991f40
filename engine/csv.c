/*
** csv.c: the tokenizer of csv.h.  csv_split() takes the fast path of glibc's
** memchr/memrchr when a block holds no quote at all (the common case for case
** files) and a byte loop tracking quote parity otherwise.  csv_parse() walks
** one record: an unquoted field is the span up to the next comma or line
** end; a quoted field is compacted in place while its doubled quotes are
** undone.  The usual record (no quote, its line feed 16 bytes or more before
** the end of the buffer) takes a block path first (parse_plain()): sixteen
** bytes at a time, a field per separator bit, no test per byte or field.
*/
#include "csv.h"

#include <string.h>
#ifdef __SSE2__
#include <emmintrin.h>
#endif

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

/* The separators (commas, line feeds) of a record, found sixteen bytes at a
** time with SSE2 (every x86-64) while a whole chunk is in the buffer, a byte
** at a time otherwise.  Bit i of m stands for base[i]; it holds the
** separators after the last one returned, up to next, where scanning goes
** on.  A quoted field restarts the scan after it (restart()). */
typedef struct sepscan {
	char *base, *next;
	unsigned m;
} sepscan;

static void restart(sepscan *s, char *p)
{
	s->base = s->next = p;
	s->m = 0;
}

/* The next separator (end when none) after the last one returned, or from
** where the scan was (re)started: the end of the current field. */
static inline __attribute__((always_inline)) char *next_sep(sepscan *s, char *end)
{
#ifdef __SSE2__
	const __m128i comma = _mm_set1_epi8(','), lf = _mm_set1_epi8('\n');
	while (!s->m && end - s->next >= 16) {
		__m128i v = _mm_loadu_si128((const __m128i *)(const void *)s->next);
		s->m = (unsigned)_mm_movemask_epi8(
			_mm_or_si128(_mm_cmpeq_epi8(v, comma), _mm_cmpeq_epi8(v, lf)));
		s->base = s->next;
		s->next += 16;
	}
	if (s->m) {
		char *q = s->base + __builtin_ctz(s->m);
		s->m &= s->m - 1;
		return q;
	}
#endif
	char *q = field_end(s->next, end);
	s->next = q < end ? q + 1 : end;
	return q;
}

/* True when [p, stop) holds more than the CR of a CRLF line end. */
static int junk(const char *p, const char *stop, const char *end)
{
	if (p == stop)
		return 0;
	return !(stop == p + 1 && *p == '\r' && (stop == end || *stop == '\n'));
}

/* The usual record, without a quote and ending in a line feed at least 16
** bytes before end, cut sixteen bytes at a time: per block a mask of its
** separators up to the first line feed, then a field per set bit, with no
** test per field but the count.  Returns where the next record starts, or
** NULL when the record is not such a one (csv_parse() then takes it byte by
** byte), having written fields that csv_parse() overwrites. */
static char *parse_plain(csv_record *r, char *p, char *end)
{
#ifdef __SSE2__
	const __m128i comma = _mm_set1_epi8(','), lf = _mm_set1_epi8('\n'), quote = _mm_set1_epi8('"');
	char *start = p;
	drg_text *f = r->field, *full = r->field + CSV_MAX_FIELDS - 16;   /* a block adds <= 16 */
	for (char *b = p; end - b >= 16 && f <= full; b += 16) {
		__m128i v = _mm_loadu_si128((const __m128i *)(const void *)b);
		unsigned ml = (unsigned)_mm_movemask_epi8(_mm_cmpeq_epi8(v, lf));
		unsigned upto = ml ? ((ml & -ml) << 1) - 1 : 0xffff;   /* bits up to the first LF */
		unsigned m = (unsigned)_mm_movemask_epi8(_mm_or_si128(_mm_cmpeq_epi8(v, comma),
								      _mm_cmpeq_epi8(v, lf))) & upto;
		if ((unsigned)_mm_movemask_epi8(_mm_cmpeq_epi8(v, quote)) & upto)
			return NULL;
		for (; m; m &= m - 1, f++) {
			char *q = b + __builtin_ctz(m);
			*f = (drg_text){start, (size_t)(q - start)};
			start = q + 1;
		}
		if (ml) {
			if (f[-1].len && f[-1].ptr[f[-1].len - 1] == '\r')
				f[-1].len--;   /* the CR of a CRLF line end */
			r->nf = (size_t)(f - r->field);
			r->lines = 1;
			r->error = NULL;
			return start;
		}
	}
#else
	(void)r, (void)p, (void)end;
#endif
	return NULL;
}

#define STR_(x) #x
#define STR(x) STR_(x)

char *csv_parse(csv_record *r, char *p, char *end)
{
	char *next = parse_plain(r, p, end);
	if (next)
		return next;
	sepscan sc;
	size_t nf = 0;   /* kept here, not in r: the field stores may alias r->nf */
	r->lines = 0;
	r->error = NULL;
	restart(&sc, p);
	for (;;) {
		char *start = p, *stop;
		size_t len;
		int quoted = p < end && *p == '"';
		if (quoted) {
			stop = quoted_field(r, p, end, &len);
			char *after = field_end(stop, end);
			if (junk(stop, after, end) && !r->error)
				r->error = "text after a closing quote";
			stop = after;
			restart(&sc, stop < end ? stop + 1 : end);
		} else {
			stop = next_sep(&sc, end);
			len = (size_t)(stop - start);
		}
		int last = stop == end || *stop == '\n';
		if (last && !quoted && len && start[len - 1] == '\r')
			len--;   /* the CR of a CRLF line end */
		if (nf < CSV_MAX_FIELDS)
			r->field[nf++] = (drg_text){start, len};
		else if (!r->error)
			r->error = "more than " STR(CSV_MAX_FIELDS) " fields";
		if (last) {
			r->nf = nf;
			r->lines += stop < end;
			return stop < end ? stop + 1 : stop;
		}
		p = stop + 1;
	}
}
