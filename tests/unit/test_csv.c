/*
** test_csv.c: the in-place CSV tokenizer (csv_parse) and the block splitter
** (csv_split): quoting, doubled quotes, CRLF, line breaks in quotes, format
** errors that still yield a record, record/line counts, and random input
** (with quotes, and without: the block path, up to the field limit) cut
** exactly like a byte-at-a-time reference.
*/
#include <stdlib.h>
#include <string.h>

#include "csv.h"
#include "testutil.h"

/* Parses the first record of text (copied: parsing writes in place). */
static csv_record *parse(const char *text, size_t *used)
{
	static csv_record r;
	static char buf[4096];
	size_t n = strlen(text);
	memcpy(buf, text, n);
	char *next = csv_parse(&r, buf, buf + n);
	if (used)
		*used = (size_t)(next - buf);
	return &r;
}

static void field_is(const csv_record *r, size_t i, const char *want)
{
	ck_assert_uint_lt(i, r->nf);
	ck_assert_uint_eq(r->field[i].len, strlen(want));
	ck_assert(memcmp(r->field[i].ptr, want, strlen(want)) == 0);
}

START_TEST(plain)
{
	size_t used;
	csv_record *r = parse("a,bc,,d\nnext", &used);
	ck_assert_uint_eq(r->nf, 4);
	field_is(r, 0, "a");
	field_is(r, 1, "bc");
	field_is(r, 2, "");
	field_is(r, 3, "d");
	ck_assert_uint_eq(used, 8);
	ck_assert_uint_eq(r->lines, 1);
	ck_assert_ptr_null(r->error);
	r = parse("x,y", &used);   /* last record without a line end */
	ck_assert_uint_eq(r->nf, 2);
	ck_assert_uint_eq(used, 3);
	ck_assert_uint_eq(r->lines, 0);
	r = parse("x,\r\n", NULL);
	ck_assert_uint_eq(r->nf, 2);
	field_is(r, 1, "");
	r = parse("x,y\r\n", NULL);
	field_is(r, 1, "y");
}
END_TEST

START_TEST(quoted)
{
	csv_record *r = parse("\"a,b\",\"say \"\"hi\"\"\",\"two\nlines\",\"\"\r\nz", NULL);
	ck_assert_ptr_null(r->error);
	ck_assert_uint_eq(r->nf, 4);
	field_is(r, 0, "a,b");
	field_is(r, 1, "say \"hi\"");
	field_is(r, 2, "two\nlines");
	field_is(r, 3, "");
	ck_assert_uint_eq(r->lines, 2);
}
END_TEST

START_TEST(format_errors)
{
	csv_record *r = parse("\"a\"b,c\n", NULL);
	ck_assert_str_eq(r->error, "text after a closing quote");
	ck_assert_uint_eq(r->nf, 2);   /* the record is still cut into fields */
	r = parse("a,\"open\nstill", NULL);
	ck_assert_str_eq(r->error, "unterminated quoted field");
	char many[2048] = "";
	for (int i = 0; i < CSV_MAX_FIELDS + 5; i++)
		strcat(many, "x,");
	r = parse(many, NULL);
	ck_assert_str_eq(r->error, "more than 256 fields");
	ck_assert_uint_eq(r->nf, CSV_MAX_FIELDS);
}
END_TEST

START_TEST(split)
{
	long recs = 0, lines = 0;
	const char *t = "a,b\nc,d\ne,f";
	ck_assert_uint_eq(csv_split(t, strlen(t), 0, &recs, &lines), 8);
	ck_assert_int_eq(recs, 2);
	ck_assert_int_eq(lines, 2);
	recs = lines = 0;
	ck_assert_uint_eq(csv_split(t, strlen(t), 1, &recs, &lines), strlen(t));
	ck_assert_int_eq(recs, 3);
	/* a line feed inside quotes does not end a record */
	const char *q = "1,\"x\ny\"\n2,\"open\nz";
	recs = lines = 0;
	ck_assert_uint_eq(csv_split(q, strlen(q), 0, &recs, &lines), 8);
	ck_assert_int_eq(recs, 1);
	ck_assert_int_eq(lines, 2);
	recs = lines = 0;
	ck_assert_uint_eq(csv_split("abc", 3, 0, &recs, &lines), 0);
	ck_assert_int_eq(recs, 0);
}
END_TEST

/* Random bytes from a small alphabet never crash the tokenizer, every byte is
** consumed, and the splitter agrees with it on where records end. */
START_TEST(random_input)
{
	static const char alphabet[] = "ab,\"\r\n";
	static char buf[512];
	unsigned seed = 7;
	csv_record r;
	for (int round = 0; round < 20000; round++) {
		size_t n = (seed = seed * 1103515245u + 12345u) % sizeof(buf);
		for (size_t i = 0; i < n; i++)
			buf[i] = alphabet[((seed = seed * 1103515245u + 12345u) >> 16) % 6];
		long recs = 0, lines = 0, parsed = 0;
		size_t cut = csv_split(buf, n, 1, &recs, &lines);
		ck_assert_uint_eq(cut, n);
		char *p = buf, *end = buf + n;
		while (p < end) {
			char *next = csv_parse(&r, p, end);
			ck_assert(next > p && next <= end);
			p = next;
			parsed++;
		}
		ck_assert_int_eq(parsed, recs);
	}
}
END_TEST

/* The tokenizer as the format defines it, a byte at a time: the fields of
** the record at p[0..n) into f (each NUL-terminated), their count into *nf
** (fields past CSV_MAX_FIELDS dropped) and *total (all), line feeds into
** *lines; returns where the next record starts. */
static size_t reference(const char *p, size_t n, char (*f)[600], size_t *nf, size_t *total,
			unsigned *lines)
{
	size_t i = 0;
	*nf = *total = 0, *lines = 0;
	for (;;) {
		char tmp[600];
		size_t len = 0;
		if (i < n && p[i] == '"') {
			for (i++; i < n; i++) {
				if (p[i] == '"' && i + 1 < n && p[i + 1] == '"')
					tmp[len++] = p[i++];
				else if (p[i] == '"')
					break;
				else
					*lines += p[i] == '\n', tmp[len++] = p[i];
			}
			while (i < n && p[i] != ',' && p[i] != '\n')
				i++;
		} else {
			while (i < n && p[i] != ',' && p[i] != '\n')
				tmp[len++] = p[i++];
			if ((i == n || p[i] == '\n') && len && tmp[len - 1] == '\r')
				len--;
		}
		tmp[len] = '\0';
		++*total;
		if (*nf < CSV_MAX_FIELDS)
			memcpy(f[(*nf)++], tmp, len + 1);
		if (i == n)
			return n;
		if (p[i++] == '\n')
			return ++*lines, i;
	}
}

/* Does record r (parse result got) hold what the reference found? */
static int as_reference(const csv_record *r, const char *got, const char *want_end,
			char (*want)[600], size_t nf, size_t total, unsigned lines, int has_quote)
{
	int same = got == want_end && r->nf == nf && r->lines == lines;
	if (total > CSV_MAX_FIELDS)
		same &= r->error != NULL;
	else if (!has_quote)
		same &= r->error == NULL;
	for (size_t i = 0; same && i < nf; i++)
		same = r->field[i].len == strlen(want[i]) && !memcmp(r->field[i].ptr, want[i], r->field[i].len);
	return same;
}

/* rounds random texts of up to maxlen bytes drawn from alphabet, each record
** cut into the same fields as the byte-at-a-time reference (one assertion
** per record: Check reports each assertion to its parent process). */
static void against_reference(const char *alphabet, size_t maxlen, int rounds, unsigned seed)
{
	static char text[4096], buf[4096], want[CSV_MAX_FIELDS][600];
	size_t na = strlen(alphabet);
	csv_record r;
	ck_assert_uint_le(maxlen, sizeof(text));
	for (int round = 0; round < rounds; round++) {
		size_t n = (seed = seed * 1103515245u + 12345u) % maxlen;
		for (size_t i = 0; i < n; i++)
			text[i] = alphabet[((seed = seed * 1103515245u + 12345u) >> 16) % na];
		memcpy(buf, text, n);
		for (size_t at = 0; at < n;) {
			size_t nf, total;
			unsigned lines;
			size_t next = reference(text + at, n - at, want, &nf, &total, &lines);
			char *got = csv_parse(&r, buf + at, buf + n);
			ck_assert_msg(as_reference(&r, got, buf + at + next, want, nf, total, lines,
						   memchr(text + at, '"', next) != NULL),
				      "round %d: the record at byte %zu", round, at);
			at += next;
		}
	}
}

/* Random records with fields of all lengths (so separators fall at every
** place of the sixteen-byte blocks the scanners read, and near the end of
** the buffer), with and without quotes (a record without one, its line feed
** 16 bytes or more before the end, takes the block path). */
START_TEST(same_as_reference)
{
	against_reference("aaaaaaaaaaaaaaab,,\"\r\n", 512, 20000, 11);
}
END_TEST

/* Records of hundreds of fields and no quotes: the block path stops at
** CSV_MAX_FIELDS like the byte path. */
START_TEST(many_fields_as_reference)
{
	char alphabet[601];
	for (int i = 0; i < 600; i++)
		alphabet[i] = i == 0 ? '\n' : i == 1 ? '\r' : i % 2 ? ',' : 'a';
	alphabet[600] = '\0';
	against_reference(alphabet, 4096, 2000, 5);
}
END_TEST

static Suite *suite(void)
{
	Suite *s = suite_create("csv");
	TCase *t = tcase_create("tokenizer");
	tcase_add_test(t, plain);
	tcase_add_test(t, quoted);
	tcase_add_test(t, format_errors);
	tcase_add_test(t, split);
	tcase_add_test(t, random_input);
	tcase_add_test(t, same_as_reference);
	tcase_add_test(t, many_fields_as_reference);
	suite_add_tcase(s, t);
	return s;
}

TU_MAIN(suite)
