/*
** test_xwalk.c: code crosswalks (clinical -> insurance codes).  Mapping,
** dropping, codes the table does not list (invalid by default, kept on
** request), the explanation of each mapping, load errors at their exact
** line and column, API misuse, and the OpenDRG code maps shipped under
** grouper-specs/crosswalk against chs-drg-1.1.
*/
#include <stdio.h>
#include <string.h>

#include "testutil.h"

/* The mini spec: TA19 when the principal diagnosis starts with A. */
#define COND "<main-dx in=\"A\"/>"

static drg_xwalk *load(const drg_spec *spec, const char *dx, const char *px, unsigned flags,
		       diags *d)
{
	drg_xwalk *x = NULL;
	memset(d, 0, sizeof(*d));
	drg_xwalk_load(&x, spec, dx ? tu_write("dx.tsv", dx) : NULL, px ? tu_write("px.tsv", px) : NULL,
		       flags, tu_collect, d);
	return x;
}

/* Groups fields through crosswalk x (with a trace); the explanation in *why. */
static drg_result group_via(const drg_spec *spec, const drg_xwalk *x, const char *fields,
			    const char **why)
{
	static char buf[4096], reason[256];
	drg_scratch *s = NULL;
	drg_result r;
	ck_assert_int_eq(drg_scratch_new(&s, spec), DRG_OK);
	ck_assert_int_eq(drg_scratch_set_xwalk(s, x), DRG_OK);
	tu_case(s, fields);
	ck_assert_int_eq(drg_group(&r, spec, s, DRG_TRACE), DRG_OK);
	drg_explain(buf, sizeof(buf), spec, s);
	snprintf(reason, sizeof(reason), "%s", r.reason);
	r.reason = reason;
	drg_scratch_free(s);
	*why = buf;
	return r;
}

static const char *const table = "# clinical -> insurance\nfrom\tto\nK01\tA01\nK02\t-\nK03\tZZ9\n";

START_TEST(maps_and_drops)
{
	drg_spec *spec = tu_mini(COND, NULL);
	diags d;
	const char *why;
	drg_xwalk *x = load(spec, table, NULL, 0, &d);
	ck_assert_msg(x != NULL, "%s", d.text);
	ck_assert_uint_eq(drg_xwalk_size(x, 0), 3);
	ck_assert_uint_eq(drg_xwalk_size(x, 1), 0);
	drg_result r = group_via(spec, x, "dx=K01|K02|K03", &why);
	ck_assert_int_eq(r.status, DRG_STATUS_OK);
	ck_assert_str_eq(r.drg, "TA19");
	ck_assert_msg(strstr(why, "dx 1: K01 -> A01 (crosswalk line 3) a1") != NULL, "%s", why);
	ck_assert_msg(strstr(why, "dx 2: K03 -> ZZ9 (crosswalk line 5) (unknown code)") != NULL, "%s", why);
	ck_assert_msg(strstr(why, "dx K02: dropped by the crosswalk") != NULL, "%s", why);
	/* procedures have no table: read as given */
	r = group_via(spec, x, "dx=K01;px=01.01", &why);
	ck_assert_str_eq(r.drg, "TA19");
	/* dropped codes count toward DRG_MAX_CODES (their texts are kept) */
	char many[8 + 4 * (DRG_MAX_CODES + 1)] = "dx=K01";
	for (int i = 0; i < DRG_MAX_CODES; i++)
		strcat(many, "|K02");
	r = group_via(spec, x, many, &why);
	ck_assert_int_eq(r.status, DRG_STATUS_INVALID);
	ck_assert_msg(strstr(r.reason, "more than 64") != NULL, "%s", r.reason);
	drg_xwalk_free(x);
	drg_spec_free(spec);
}
END_TEST

START_TEST(unmapped_codes)
{
	drg_spec *spec = tu_mini(COND, NULL);
	diags d;
	const char *why;
	drg_xwalk *x = load(spec, table, "from\tto\n01.01\t01.02\n", 0, &d);
	ck_assert_msg(x != NULL, "%s", d.text);
	drg_result r = group_via(spec, x, "dx=K01|A02|B01;px=01.01|09.99", &why);
	ck_assert_int_eq(r.status, DRG_STATUS_INVALID);
	ck_assert_str_eq(r.reason, "not in the crosswalk: dx A02 dx B01 px 09.99");
	ck_assert_msg(strstr(why, "invalid: codes not in the crosswalk") != NULL, "%s", why);
	drg_xwalk_free(x);
	/* kept as given on request: A02 is an insurance code the spec knows */
	x = load(spec, table, NULL, DRG_XWALK_KEEP_UNMAPPED, &d);
	r = group_via(spec, x, "dx=A02", &why);
	ck_assert_int_eq(r.status, DRG_STATUS_OK);
	ck_assert_msg(strstr(why, "dx 1: A02 (not in the crosswalk: kept as given) a2") != NULL, "%s", why);
	drg_xwalk_free(x);
	drg_spec_free(spec);
}
END_TEST

START_TEST(load_errors)
{
	static const struct {
		const char *text, *want;
	} bad[] = {
		{"from\tto\nA01\n", "dx.tsv:2:4: error: expected two fields separated by a tab\n"},
		{"from\tto\nA01\tB01\n\tB01\n", "dx.tsv:3:1: error: empty code\n"},
		{"from\tto\r\nA01\t\r\n", "dx.tsv:2:5: error: empty target (write - to drop the code)\n"},
		{"h\nA01\tB01\tC01\n", "dx.tsv:2:8: error: more than two fields\n"},
		{"# c\nh\nA01\tB01\nA01\tB02\n", "dx.tsv:4:1: error: 'A01' is mapped twice (first at line 3)\n"},
	};
	drg_spec *spec = tu_mini(COND, NULL);
	diags d;
	for (size_t i = 0; i < sizeof(bad) / sizeof(bad[0]); i++) {
		drg_xwalk *x = load(spec, bad[i].text, NULL, 0, &d);
		ck_assert_ptr_null(x);
		ck_assert_str_eq(d.text, bad[i].want);
	}
	drg_xwalk *x = NULL;
	memset(&d, 0, sizeof(d));
	ck_assert_int_eq(drg_xwalk_load(&x, spec, "/nonexistent/dx.tsv", NULL, 0, tu_collect, &d),
			 DRG_ESPEC);
	ck_assert_msg(strstr(d.text, "dx.tsv: error: cannot read: No such file") != NULL, "%s", d.text);
	drg_spec_free(spec);
}
END_TEST

START_TEST(misuse)
{
	drg_spec *spec = tu_mini(COND, NULL), *other = tu_mini("<true/>", NULL);
	drg_xwalk *x = NULL;
	drg_scratch *s = NULL;
	diags d;
	ck_assert_int_eq(drg_xwalk_load(&x, spec, NULL, NULL, 0, NULL, NULL), DRG_EINVAL);
	ck_assert_int_eq(drg_xwalk_load(NULL, spec, "a", NULL, 0, NULL, NULL), DRG_EINVAL);
	x = load(spec, table, NULL, 0, &d);
	ck_assert_int_eq(drg_scratch_new(&s, other), DRG_OK);
	ck_assert_int_eq(drg_scratch_set_xwalk(s, x), DRG_EINVAL);   /* loaded for spec */
	ck_assert_int_eq(drg_scratch_set_xwalk(s, NULL), DRG_OK);
	ck_assert_uint_eq(drg_xwalk_size(NULL, 0), 0);
	drg_xwalk_free(NULL);
	drg_scratch_free(s);
	drg_xwalk_free(x);
	drg_spec_free(other);
	drg_spec_free(spec);
}
END_TEST

/* The OpenDRG maps (ZD_MAP/SS_MAP as shipped): every entry loads, and a case
** in clinical codes groups like the same case written in the mapped codes. */
START_TEST(opendrg_maps)
{
	diags d;
	const char *why;
	drg_spec *spec = tu_compile(tu_src("grouper-specs/chs-drg-1.1.xml"), &d);
	ck_assert_msg(spec != NULL, "%s", d.text);
	drg_xwalk *x = NULL;
	char dx[4096];   /* tu_src() returns one static buffer */
	snprintf(dx, sizeof(dx), "%s", tu_src("grouper-specs/crosswalk/opendrg-dx.tsv"));
	memset(&d, 0, sizeof(d));
	ck_assert_int_eq(drg_xwalk_load(&x, spec, dx, tu_src("grouper-specs/crosswalk/opendrg-px.tsv"),
					0, tu_collect, &d), DRG_OK);
	ck_assert_uint_eq(drg_xwalk_size(x, 0), 35591);
	ck_assert_uint_eq(drg_xwalk_size(x, 1), 13654);
	drg_result a = group_via(spec, x, "sex=1;age=40;dx=A01.000x002|A02.100x004", &why);
	ck_assert_msg(strstr(why, "A01.000x002 -> A01.003") != NULL, "%s", why);
	drg_result b = tu_group(spec, "sex=1;age=40;dx=A01.003|A02.100");
	ck_assert_int_eq(a.status, DRG_STATUS_OK);
	ck_assert_str_eq(a.drg, b.drg);
	drg_xwalk_free(x);
	drg_spec_free(spec);
}
END_TEST

static Suite *suite(void)
{
	Suite *s = suite_create("xwalk");
	TCase *t = tcase_create("crosswalk");
	tcase_set_timeout(t, 60);
	tcase_add_test(t, maps_and_drops);
	tcase_add_test(t, unmapped_codes);
	tcase_add_test(t, load_errors);
	tcase_add_test(t, misuse);
	tcase_add_test(t, opendrg_maps);
	suite_add_tcase(s, t);
	return s;
}

TU_MAIN(suite)
