/*
** test_tables.c: the decision tables around the conditions: validation checks
** and their messages, MDC order and entry, ADRG order, ordered DRG splits and
** the on-no-split choice, QY steps, the retry of ungroupable cases with each
** later procedure alone, and the fixed outcomes; the CHS-DRG 2.0 mechanisms
** (emptied principal procedure slot, rule-level QY, MDCs that keep their cases,
** checks with their own result codes).
*/
#include <stdio.h>
#include <string.h>

#include "testutil.h"

/* Spec fragments inserted before the mini spec's MDC: checks, more MDCs. */
static const char *const tables =
	"  <validation>\n"
	"    <check id=\"sex\" message=\"sex must be 1 or 2: {sex}\"><not><in field=\"sex\" values=\"1 2\"/></not></check>\n"
	"    <check id=\"age\" message=\"age missing\"><missing field=\"age\"/></check>\n"
	"  </validation>\n"
	"  <retry when=\"ungroupable\" min-procedures=\"2\" strategy=\"each-later-procedure-alone\"/>\n";

/* The mini spec text with its MDC order line replaced by body (keeping MDCT,
** which never matches), compiled; fails the test on any diagnostic. */
static drg_spec *spliced(const char *mini, const char *body)
{
	static char xml[16384];
	const char *cut = strstr(mini, "  <mdc-order>");
	const char *rest = strstr(mini, "  <mdc code=\"MDCT\">");
	snprintf(xml, sizeof(xml), "%.*s%s%s", (int)(cut - mini), mini, body, rest);
	diags d;
	drg_spec *spec = tu_compile_text(xml, &d);
	ck_assert_msg(spec != NULL && d.warnings == 0, "%s", d.text);
	return spec;
}

/* The explanation of the case described by fields, grouped with s. */
static const char *explained(drg_spec *spec, drg_scratch *s, const char *fields)
{
	static char buf[8192];
	drg_result r;
	tu_case(s, fields);
	ck_assert_int_eq(drg_group(&r, spec, s, DRG_TRACE), DRG_OK);
	ck_assert_uint_lt(drg_explain(buf, sizeof(buf), spec, s), sizeof(buf));
	return buf;
}

/* A spec with two MDCs: MDCA (principal procedure P1) with a QY step, MDCB (dx B). */
static drg_spec *two_mdcs(void)
{
	const char *mini = tu_mini_text("<false/>", tables);
	const char *body =
		"  <mdc-order>MDCA MDCB MDCT</mdc-order>\n"
		"  <mdc code=\"MDCA\"><enter><main-px in=\"P1\"/></enter>\n"
		"    <try adrg=\"AA1\"/><qy code=\"AQY\"><main-dx in=\"B\"/></qy><try adrg=\"AB1\"/></mdc>\n"
		"  <mdc code=\"MDCB\"><enter><main-dx in=\"B\"/></enter><try adrg=\"BA1\"/><try adrg=\"BB1\"/></mdc>\n"
		"  <adrg id=\"AA1\" code=\"AA1\" on-no-split=\"continue\"><when><main-dx in=\"A\"/></when>\n"
		"    <drg code=\"AA11\"><has-mcc/></drg><drg code=\"AA13\"><has-cc/></drg></adrg>\n"
		"  <adrg id=\"AB1\" code=\"AB1\" on-no-split=\"adrg\"><when><true/></when>\n"
		"    <drg code=\"AB11\"><cmp field=\"age\" op=\"ge\" value=\"65\"/></drg></adrg>\n"
		"  <adrg id=\"BA1\" code=\"BA1\" on-no-split=\"adrg\"><when><has-px/></when><drg code=\"BA19\"/></adrg>\n"
		"  <adrg id=\"BB1\" code=\"BB1\" on-no-split=\"adrg\"><when><true/></when>\n"
		"    <drg code=\"BB11\"><has-mcc/></drg><drg code=\"BB15\"/></adrg>\n";
	return spliced(mini, body);
}

#define EXPECT(spec, fields, st, want)                                                 \
	do {                                                                          \
		drg_result r_ = tu_group(spec, fields);                               \
		ck_assert_msg(r_.status == (st) && !strcmp(r_.drg, want),              \
			      "%s: got %s %s, want %s %s", fields, drg_status_name(r_.status), \
			      r_.drg, drg_status_name(st), want);                      \
	} while (0)

/* The case described by fields groups to exactly these codes. */
static void expect_codes(const drg_spec *spec, const char *fields, enum drg_status st,
			 const char *mdc, const char *adrg, const char *drg)
{
	drg_result r = tu_group(spec, fields);
	ck_assert_msg(r.status == st && !strcmp(r.mdc, mdc) && !strcmp(r.adrg, adrg) &&
		      !strcmp(r.drg, drg), "%s: got %s %s %s %s", fields, drg_status_name(r.status),
		      r.mdc, r.adrg, r.drg);
}

START_TEST(validation_checks)
{
	drg_spec *spec = two_mdcs();
	drg_result r = tu_group(spec, "sex=3;age=40;dx=B01");
	ck_assert_int_eq(r.status, DRG_STATUS_INVALID);
	ck_assert_str_eq(r.reason, "sex must be 1 or 2: 3");
	ck_assert_str_eq(r.drg, "0000");
	r = tu_group(spec, "sex=1;dx=B01");
	ck_assert_str_eq(r.reason, "age missing");
	r = tu_group(spec, "sex=1;age=x;dx=B01");   /* malformed number */
	ck_assert_int_eq(r.status, DRG_STATUS_INVALID);
	ck_assert_ptr_nonnull(strstr(r.reason, "age"));
	EXPECT(spec, "sex=1;age=40;dx=B01", DRG_STATUS_OK, "BB15");
	drg_spec_free(spec);
}
END_TEST

START_TEST(splits_in_order)
{
	drg_spec *spec = two_mdcs();
	EXPECT(spec, "sex=1;age=40;dx=B01|M01", DRG_STATUS_OK, "BB11");
	EXPECT(spec, "sex=1;age=40;dx=B01|A01", DRG_STATUS_OK, "BB15");
	/* AA1: MCC first, then CC; neither: continue to the next step */
	EXPECT(spec, "sex=1;age=40;dx=A03|M01|C01;px=01.01", DRG_STATUS_OK, "AA11");
	EXPECT(spec, "sex=1;age=40;dx=A03|C01;px=01.01", DRG_STATUS_OK, "AA13");
	EXPECT(spec, "sex=1;age=70;dx=A03;px=01.01", DRG_STATUS_OK, "AB11");
	/* AB1 has on-no-split="adrg": the bare ADRG code */
	expect_codes(spec, "sex=1;age=40;dx=A03;px=01.01", DRG_STATUS_OK, "MDCA", "AB1", "AB1");
	drg_spec_free(spec);
}
END_TEST

START_TEST(mdc_order_and_qy)
{
	drg_spec *spec = two_mdcs();
	/* MDCA comes first; AA1 does not apply to B01, the QY step fires */
	expect_codes(spec, "sex=1;age=40;dx=B01;px=01.01", DRG_STATUS_QY, "MDCA", "QY", "AQY");
	/* no MDC entered */
	expect_codes(spec, "sex=1;age=40;dx=C01", DRG_STATUS_UNGROUPABLE, "0000", "00", "0000");
	drg_spec_free(spec);
}
END_TEST

START_TEST(retry_each_later_procedure)
{
	drg_spec *spec = two_mdcs();
	/* As a whole no MDC takes C01 with 01.02 first (MDCA needs P1 as the
	   principal procedure); retried with the later 01.01 alone, MDCA enters
	   and AB1 takes it. */
	EXPECT(spec, "sex=1;age=40;dx=C01;px=01.02|01.01", DRG_STATUS_OK, "AB1");
	EXPECT(spec, "sex=1;age=40;dx=C01;px=01.02", DRG_STATUS_UNGROUPABLE, "0000");
	EXPECT(spec, "sex=1;age=40;dx=C01;px=01.02|02.01", DRG_STATUS_UNGROUPABLE, "0000");
	drg_spec_free(spec);
}
END_TEST

START_TEST(trace_names_rules)
{
	drg_spec *spec = two_mdcs();
	drg_scratch *s = NULL;
	ck_assert_int_eq(drg_scratch_new(&s, spec), DRG_OK);
	const char *buf = explained(spec, s, "sex=1;age=40;dx=A03|C01;px=01.01");
	size_t n = strlen(buf);
	ck_assert_ptr_nonnull(strstr(buf, "AA13"));
	ck_assert_ptr_nonnull(strstr(buf, "t.xml:"));
	/* truncation reports the full length, like snprintf */
	char small[16];
	ck_assert_uint_eq(drg_explain(small, sizeof(small), spec, s), n);
	ck_assert_uint_eq(strlen(small), sizeof(small) - 1);
	drg_scratch_free(s);
	drg_spec_free(spec);
}
END_TEST

START_TEST(too_many_codes)
{
	drg_spec *spec = two_mdcs();
	char fields[1024] = "sex=1;age=40;dx=B01";
	for (int i = 0; i < DRG_MAX_CODES; i++)
		strcat(fields, "|A01");
	drg_result r = tu_group(spec, fields);
	ck_assert_int_eq(r.status, DRG_STATUS_INVALID);
	drg_spec_free(spec);
}
END_TEST

/* The CHS-DRG 2.0 mechanisms: an emptied invalid principal procedure slot
** (settings invalid-main-px), <has-main-px/>, an MDC that keeps the cases it
** enters (on-no-adrg="ungroupable"), a medical ADRG rule's own QY check with
** the QY code as ADRG (qy-adrg="code"), and checks with their own codes. */
static drg_spec *null_slot_spec(void)
{
	const char *checks =
		"  <codeset id=\"B1\" kind=\"dx\"><codes>B01</codes></codeset>\n"
		"  <validation>\n"
		"    <check id=\"sex\" message=\"bad sex\"><not><in field=\"sex\" values=\"1 2\"/></not></check>\n"
		"    <check id=\"no-dx\" message=\"no dx\" drg=\"ZZZZ\"><count of=\"dx\" op=\"eq\" value=\"0\"/></check>\n"
		"  </validation>\n";
	const char *body =
		"  <mdc-order>MDCA MDCB MDCT</mdc-order>\n"
		"  <mdc code=\"MDCA\"><enter><any-px in=\"P1\"/></enter><try adrg=\"AA1\"/></mdc>\n"
		"  <mdc code=\"MDCB\" on-no-adrg=\"ungroupable\"><enter><main-dx in=\"B\"/></enter>\n"
		"    <try adrg=\"BB1\"/><try adrg=\"BR1\"/></mdc>\n"
		"  <adrg id=\"AA1\" code=\"AA1\" on-no-split=\"adrg\"><when><main-dx in=\"A\"/></when><drg code=\"AA19\"/></adrg>\n"
		"  <adrg id=\"BB1\" code=\"BB1\" on-no-split=\"adrg\"><when><all><has-main-px/><main-px in=\"P1\"/></all></when>\n"
		"    <drg code=\"BB19\"/></adrg>\n"
		"  <adrg id=\"BR1\" code=\"BR1\" on-no-split=\"adrg\"><when><main-dx in=\"B1\"/></when>\n"
		"    <qy code=\"BQY\"><has-main-px/></qy><drg code=\"BR11\"><has-mcc/></drg><drg code=\"BR15\"/></adrg>\n";
	const char *mini = tu_replace(tu_mini_text("<false/>", checks), "cc-exclusion=\"cce\"",
				      "cc-exclusion=\"cce\" invalid-main-px=\"P2\" qy-adrg=\"code\"");
	return spliced(mini, body);
}

START_TEST(emptied_principal_procedure)
{
	drg_spec *spec = null_slot_spec();
	EXPECT(spec, "sex=1;dx=B01;px=01.01", DRG_STATUS_OK, "BB19");
	/* 01.02 is invalid as principal: no principal procedure, so no QY either */
	EXPECT(spec, "sex=1;dx=B01;px=01.02", DRG_STATUS_OK, "BR15");
	/* the later 01.01 keeps its position: MDCA sees it anywhere (and passes the
	   case on), BB1 does not see it as principal */
	EXPECT(spec, "sex=1;dx=B01|M01;px=01.02|01.01", DRG_STATUS_OK, "BR11");
	EXPECT(spec, "sex=1;dx=A01;px=01.02|01.01", DRG_STATUS_OK, "AA19");
	EXPECT(spec, "sex=1;dx=A01;px=01.01|01.02", DRG_STATUS_OK, "AA19");
	drg_spec_free(spec);
}
END_TEST

START_TEST(rule_qy_and_final_mdc)
{
	drg_spec *spec = null_slot_spec();
	expect_codes(spec, "sex=2;dx=B01;px=02.01", DRG_STATUS_QY, "MDCB", "BQY", "BQY");
	/* an unknown principal procedure is still a procedure */
	EXPECT(spec, "sex=2;dx=B01;px=99.99", DRG_STATUS_QY, "BQY");
	/* MDCB entered, no rule matches: ungroupable in MDCB, not passed on to MDCT */
	expect_codes(spec, "sex=2;dx=B02", DRG_STATUS_UNGROUPABLE, "MDCB", "00", "0000");
	expect_codes(spec, "sex=2;dx=C01", DRG_STATUS_UNGROUPABLE, "0000", "00", "0000");
	/* a check's own codes, the invalid outcome's otherwise */
	drg_result r = tu_group(spec, "sex=2;dx=");
	ck_assert_int_eq(r.status, DRG_STATUS_INVALID);
	ck_assert_str_eq(r.drg, "ZZZZ");
	ck_assert_str_eq(r.mdc, "0000");
	ck_assert_str_eq(r.reason, "no dx");
	r = tu_group(spec, "sex=3;dx=B01");
	ck_assert_str_eq(r.drg, "0000");
	ck_assert_str_eq(r.reason, "bad sex");
	drg_spec_free(spec);
}
END_TEST

START_TEST(trace_of_chs20_mechanisms)
{
	drg_spec *spec = null_slot_spec();
	drg_scratch *s = NULL;
	ck_assert_int_eq(drg_scratch_new(&s, spec), DRG_OK);
	const char *e = explained(spec, s, "sex=1;dx=B01;px=01.02|02.01");
	ck_assert_msg(strstr(e, "principal procedure 01.02 is not valid as principal") != NULL, "%s", e);
	ck_assert_msg(strstr(e, "QY check of BR1 -> BQY: no [has-main-px: no]") != NULL, "%s", e);
	e = explained(spec, s, "sex=1;dx=B01;px=02.01");
	ck_assert_msg(strstr(e, "QY check of BR1 -> BQY: fires [has-main-px: yes]") != NULL, "%s", e);
	e = explained(spec, s, "sex=1;dx=B02");
	ck_assert_msg(strstr(e, "no rule of MDCB matched") != NULL, "%s", e);
	drg_scratch_free(s);
	drg_spec_free(spec);
}
END_TEST

static Suite *suite(void)
{
	Suite *s = suite_create("tables");
	TCase *t = tcase_create("grouping");
	tcase_add_test(t, validation_checks);
	tcase_add_test(t, splits_in_order);
	tcase_add_test(t, mdc_order_and_qy);
	tcase_add_test(t, retry_each_later_procedure);
	tcase_add_test(t, trace_names_rules);
	tcase_add_test(t, too_many_codes);
	tcase_add_test(t, emptied_principal_procedure);
	tcase_add_test(t, rule_qy_and_final_mdc);
	tcase_add_test(t, trace_of_chs20_mechanisms);
	suite_add_tcase(s, t);
	return s;
}

TU_MAIN(suite)
