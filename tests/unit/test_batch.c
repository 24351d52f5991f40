/*
** test_batch.c: the ordered parallel pipeline under `drg group`.  The same
** input, with good and malformed records, grouped with every combination of
** thread count and (tiny) block size gives byte-identical output, one row per
** record in input order, and error rows name the right record and line.
*/
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "caseio.h"
#include "testutil.h"

/* Groups the file at path with the given threads and block size; returns
** the output (malloc'd) and the stats. */
static char *run(const drg_spec *spec, const char *path, int threads, size_t block,
		 batch_stats *st, int *rc)
{
	caseio_opts o = {.threads = threads, .block = block};
	int fd = open(path, O_RDONLY);
	ck_assert_int_ge(fd, 0);
	char *text = NULL;
	size_t len = 0;
	FILE *out = open_memstream(&text, &len);
	ck_assert_ptr_nonnull(out);
	*rc = caseio_run(spec, fd, out, "cases.csv", &o, st);
	fclose(out);
	close(fd);
	return text;
}

/* An input of n records, every 7th malformed in one of several ways. */
static const char *make_input(int n)
{
	static char buf[1 << 16];
	size_t w = (size_t)snprintf(buf, sizeof(buf), "id,sex,age,dx,px,extra\n");
	for (int i = 1; i <= n; i++) {
		char *at = buf + w;
		size_t room = sizeof(buf) - w;
		if (i % 7 == 3)        /* text after a closing quote */
			w += (size_t)snprintf(at, room, "c%d,1,40,\"A01\"junk,,\n", i);
		else if (i % 7 == 5)   /* too few fields */
			w += (size_t)snprintf(at, room, "c%d,1,40,B01\n", i);
		else if (i % 7 == 6)   /* quoted fields, a line break in one, CRLF */
			w += (size_t)snprintf(at, room, "\"c%d\",1,\"4\n0\",\"B01|M01\",,\"x,\"\"y\"\r\n", i);
		else
			w += (size_t)snprintf(at, room, "c%d,2,%d,A01|C01,01.01,\n", i, i % 90);
	}
	return tu_write("cases.csv", buf);
}

START_TEST(identical_whatever_threads_and_blocks)
{
	drg_spec *spec = tu_mini("<main-dx in=\"A\"/>", NULL);
	const char *path = make_input(500);
	batch_stats ref_st, st;
	int rc;
	char *ref = run(spec, path, 1, 0, &ref_st, &rc);
	ck_assert_int_eq(rc, 0);
	ck_assert_int_eq(ref_st.records, 500);
	ck_assert_int_eq(ref_st.errors, 500 / 7 * 2 + 1);   /* i%7 in {3,5}: 72 + 71 */
	static const size_t blocks[] = {1, 7, 64, 1000, 4096};
	for (int threads = 1; threads <= 4; threads++)
		for (size_t b = 0; b < sizeof(blocks) / sizeof(blocks[0]); b++) {
			char *got = run(spec, path, threads, blocks[b], &st, &rc);
			ck_assert_int_eq(rc, 0);
			ck_assert_msg(!strcmp(ref, got), "threads %d block %zu differ", threads, blocks[b]);
			ck_assert_int_eq(st.records, ref_st.records);
			ck_assert_int_eq(st.errors, ref_st.errors);
			free(got);
		}
	/* one row per record plus the header */
	long rows = 0;
	for (const char *p = ref; *p; p++)
		rows += *p == '\n';
	ck_assert_int_eq(rows, 501 + 500 / 7);   /* rows of case 6 hold a quoted line break */
	free(ref);
	drg_spec_free(spec);
}
END_TEST

START_TEST(error_rows_name_record_and_line)
{
	drg_spec *spec = tu_mini("<main-dx in=\"A\"/>", NULL);
	const char *path = make_input(10);
	batch_stats st;
	int rc;
	char *out = run(spec, path, 2, 16, &st, &rc);
	/* record 3 is on line 4; records 6 spans lines 7-8, so record 10 is on line 12 */
	ck_assert_ptr_nonnull(strstr(out, "c3,error,,,,,record 3 (line 4): text after a closing quote\n"));
	ck_assert_ptr_nonnull(strstr(out, "c5,error,,,,,\"record 5 (line 6): 4 fields, the header has 6\"\n"));
	ck_assert_ptr_nonnull(strstr(out, "c10,error,,,,,record 10 (line 12): text after a closing quote\n"));
	ck_assert_ptr_nonnull(strstr(out, "c6,invalid,"));   /* age "4\n0" is not a number, */
	ck_assert_ptr_nonnull(strstr(out, ",\"age: not a number: '4\n0'\"\n"));   /* quoted */
	free(out);
	drg_spec_free(spec);
}
END_TEST

START_TEST(unusable_inputs)
{
	drg_spec *spec = tu_mini("<true/>", NULL);
	batch_stats st;
	int rc;
	free(run(spec, tu_write("empty.csv", ""), 2, 0, &st, &rc));
	ck_assert_int_eq(rc, 1);
	free(run(spec, tu_write("nodx.csv", "id,sex\n1,2\n"), 1, 0, &st, &rc));
	ck_assert_int_eq(rc, 1);
	char *out = run(spec, tu_write("hdr.csv", "\xEF\xBB\xBFid,dx"), 2, 0, &st, &rc);
	ck_assert_int_eq(rc, 0);
	ck_assert_int_eq(st.records, 0);
	ck_assert_str_eq(out, "id,status,mdc,adrg,drg,name,reason\n");
	free(out);
	drg_spec_free(spec);
}
END_TEST

static Suite *suite(void)
{
	Suite *s = suite_create("batch");
	TCase *t = tcase_create("pipeline");
	tcase_set_timeout(t, 120);
	tcase_add_test(t, identical_whatever_threads_and_blocks);
	tcase_add_test(t, error_rows_name_record_and_line);
	tcase_add_test(t, unusable_inputs);
	suite_add_tcase(s, t);
	return s;
}

TU_MAIN(suite)
