/*
** test_calibrate.c: `drg calibrate` on synthetic cohorts whose weights are
** known in closed form (the arithmetic is in each test), grouped with the
** golden spec (TA19: principal A01 at 40; TA11: A01 at 70 in ICU).  The
** written payment spec must compile.
*/
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "calibrate.h"
#include "testutil.h"

#define TA19 "1,40,,A01,"
#define TA11 "1,70,ICU,A01,12"

static char csv[65536];

/* Starts the history CSV. */
static void begin(void)
{
	snprintf(csv, sizeof(csv), "id,sex,age,dept,dx,icu_hours,total_cost,discharge_date\n");
}

/* Appends a case of kind (TA19/TA11 fields) with cost (yuan) and date. */
static void add(const char *kind, const char *cost, const char *date)
{
	size_t n = strlen(csv);
	snprintf(csv + n, sizeof(csv) - n, "c%zu,%s,%s,%s\n", n, kind, cost, date);
}

/* Runs the calibration of csv with o; returns the spec text (static) and
** checks that it compiles against the golden spec. */
static const char *calibrate(calib_opts *o, calib_stats *st)
{
	static char *text;
	size_t len;
	diags d;
	drg_spec *spec = tu_compile(tu_src("tests/golden/golden.xml"), &d);
	drg_pay *pay = NULL;
	ck_assert_ptr_nonnull(spec);
	int fd = open(tu_write("history.csv", csv), O_RDONLY);
	FILE *out = open_memstream(&text, &len);
	o->id = "calibrated";
	ck_assert_int_eq(calibrate_run(spec, fd, "history.csv", o, out, st), 0);
	fclose(out);
	close(fd);
	memset(&d, 0, sizeof(d));
	ck_assert_int_eq(drg_pay_compile(&pay, tu_write("calibrated.xml", text), spec, tu_collect, &d),
			 DRG_OK);
	drg_pay_free(pay);
	drg_spec_free(spec);
	static char copy[16384];
	snprintf(copy, sizeof(copy), "%s", text);
	free(text);
	return copy;
}

static void has(const char *text, const char *want)
{
	ck_assert_msg(strstr(text, want) != NULL, "'%s' not in:\n%s", want, text);
}

START_TEST(plain_means)
{
	calib_opts o = {.base_rate = DRG_NONE, .min_cases = 1};
	calib_stats st;
	begin();
	add(TA19, "1000", ""), add(TA19, "2000", ""), add(TA19, "3000", "");
	add(TA11, "4000", ""), add(TA11, "4000", ""), add(TA11, "4000.00", "");
	add("1,40,,X01,", "5000", "");   /* ungroupable */
	add(TA19, "", "");               /* no cost */
	/* TA19 mean 2000, TA11 mean 4000, overall 18000 / 6 = 3000:
	** RW 2000/3000 = 0.6667, 4000/3000 = 1.3333; base rate = the overall mean */
	const char *t = calibrate(&o, &st);
	has(t, "<group drg=\"TA19\" rw=\"0.6667\" mean-cost=\"2000.00\"/>");
	has(t, "<group drg=\"TA11\" rw=\"1.3333\" mean-cost=\"4000.00\"/>");
	has(t, "<base-rate fund=\"employee\" yuan=\"3000.00\"/>");
	ck_assert_int_eq(st.records, 8);
	ck_assert_int_eq(st.kept, 6);
	ck_assert_int_eq(st.not_grouped, 1);
	ck_assert_int_eq(st.no_cost, 1);
}
END_TEST

START_TEST(trim_by_multiples)
{
	calib_opts o = {.base_rate = 1000000, .min_cases = 1, .trim = 1, .trim_lo = 2000,
			.trim_hi = 30000};
	calib_stats st;
	begin();
	for (int i = 0; i < 9; i++)
		add(TA19, "2000", "");
	add(TA19, "50000", "");
	add(TA11, "4000", ""), add(TA11, "4000", ""), add(TA11, "4000", "");
	/* TA19 raw mean (9 x 2000 + 50000) / 10 = 6800; 50000 > 3 x 6800 = 20400
	** is trimmed, 2000 >= 0.2 x 6800 = 1360 kept: mean 2000.  Overall
	** (18000 + 12000) / 12 = 2500: RW 0.8000 and 1.6000; base rate as given */
	const char *t = calibrate(&o, &st);
	has(t, "<group drg=\"TA19\" rw=\"0.8000\" mean-cost=\"2000.00\"/> <!-- 10 cases, 9 kept -->");
	has(t, "<group drg=\"TA11\" rw=\"1.6000\" mean-cost=\"4000.00\"/>");
	has(t, "yuan=\"10000.00\"");
	ck_assert_int_eq(st.trimmed, 1);
}
END_TEST

START_TEST(trim_by_percentiles_and_minimum)
{
	calib_opts o = {.base_rate = DRG_NONE, .min_cases = 2, .trim = 2, .trim_lo = 500,
			.trim_hi = 9500};
	calib_stats st;
	char cost[16];
	begin();
	for (int i = 1; i <= 20; i++)
		snprintf(cost, sizeof(cost), "%d", 100 * i), add(TA19, cost, "");
	add(TA11, "9999", "");
	/* 20 costs 100..2000: the lowest 20 x 0.05 = 1 and the highest 1 are
	** dropped; mean of 200..1900 = 1050.  TA11 has 1 case < 2: no weight and
	** not in the overall mean, so TA19 is 1.0000 */
	const char *t = calibrate(&o, &st);
	has(t, "<group drg=\"TA19\" rw=\"1.0000\" mean-cost=\"1050.00\"/> <!-- 20 cases, 18 kept -->");
	has(t, "<!-- TA11: 1 cases, 1 kept: below the minimum -->");
	ck_assert_int_eq(st.weighted_groups, 1);
}
END_TEST

START_TEST(year_weights)
{
	calib_opts o = {.base_rate = DRG_NONE, .min_cases = 1, .nyears = 3, .year = {2022, 2023, 2024},
			.year_weight = {1, 2, 7}};
	calib_stats st;
	begin();
	add(TA19, "1000", "2022-06-30"), add(TA19, "2000", "2023-06-30"), add(TA19, "4000", "2024-06-30");
	add(TA19, "99999", "2021-06-30");   /* not a weighted year */
	add(TA11, "6600", "2024-01-02");
	/* TA19 (1 x 1000 + 2 x 2000 + 7 x 4000) / 10 = 3300; TA11 6600; overall
	** (33000 + 7 x 6600) / 17 = 79200 / 17 = 4658.82; RW 3300 / 4658.82 =
	** 0.70833 -> 0.7083, 6600 / 4658.82 = 1.41667 -> 1.4167 */
	const char *t = calibrate(&o, &st);
	has(t, "<group drg=\"TA19\" rw=\"0.7083\" mean-cost=\"3300.00\"/>");
	has(t, "<group drg=\"TA11\" rw=\"1.4167\" mean-cost=\"6600.00\"/>");
	has(t, "overall mean 4658.82");
	ck_assert_int_eq(st.other_year, 1);
}
END_TEST

static Suite *calibrate_suite(void)
{
	Suite *s = suite_create("calibrate");
	TCase *t = tcase_create("cohorts");
	tcase_add_test(t, plain_means);
	tcase_add_test(t, trim_by_multiples);
	tcase_add_test(t, trim_by_percentiles_and_minimum);
	tcase_add_test(t, year_weights);
	suite_add_tcase(s, t);
	return s;
}

TU_MAIN(calibrate_suite)
