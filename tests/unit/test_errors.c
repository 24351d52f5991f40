/*
** test_errors.c: broken specs fail to compile with the exact position
** (file:line:col) and message of each error; warnings name the rule and do
** not fail the compile.  Each case is a whole spec text, written to t.xml.
*/
#include <stdio.h>
#include <string.h>

#include "testutil.h"

/* The mini spec with the text `from` replaced by `to` (must occur). */
static const char *mini_with(const char *from, const char *to)
{
	return tu_replace(tu_mini_text("<main-dx in=\"A\"/>", NULL), from, to);
}

/* Compiles xml and checks that it fails with exactly the diagnostics want. */
static void fails_with(const char *xml, const char *want)
{
	diags d;
	drg_spec *spec = tu_compile_text(xml, &d);
	ck_assert_ptr_null(spec);
	ck_assert_int_gt(d.errors, 0);
	ck_assert_str_eq(d.text, want);
}

START_TEST(xml_syntax)
{
	fails_with(mini_with("<settings", "<settings <"),
		   "t.xml:18:13: error: error parsing attribute name\n"
		   "t.xml:18:13: error: attributes construct error\n"
		   "t.xml:18:13: error: Couldn't find end of Start Tag settings line 18\n"
		   "t.xml:18:14: error: StartTag: invalid element name\n");
	fails_with("<drg-spec xmlns=\"urn:x-drg:spec:1\" id=\"e\">\n  <settings>\n</drg-spec>\n",
		   "t.xml:3:12: error: Opening and ending tag mismatch: settings line 2 and drg-spec\n"
		   "t.xml:4:1: error: Premature end of data in tag drg-spec line 1\n");
}
END_TEST

/* Broken variants of the mini spec: replace `from` by `to`, expect `want`. */
static const struct {
	const char *from, *to, *want;
} broken[] = {
	/* schema */
	{"<settings ", "<settings colour=\"red\" ",
	 "t.xml:18:3: error: Invalid attribute colour for element settings\n"},
	{"<main-dx in=\"A\"/>", "<main-dx of=\"A\"/>",
	 "t.xml:27:11: error: Element main-dx failed to validate attributes\n"},
	{"<true/></enter>", "<cmp field=\"age\" op=\"lt\" value=\"x\"/></enter>",
	 "t.xml:25:27: error: Type integer doesn't allow value 'x'\n"
	 "t.xml:25:27: error: Element cmp failed to validate attributes\n"},
	/* references */
	{"<main-dx in=\"A\"/>", "<main-dx in=\"NOPE\"/>",
	 "t.xml:27:20: error: unknown codeset 'NOPE'\n"},
	{"<main-dx in=\"A\"/>", "<main-dx in=\"P1\"/>",
	 "t.xml:27:20: error: codeset 'P1' holds px codes, not dx codes\n"},
	{"<try adrg=\"TA1\"/>", "<try adrg=\"TB1\"/>",
	 "t.xml:25:47: error: unknown ADRG rule 'TB1'\n"
	 "t.xml:26:9: warning: ADRG rule 'TA1' is never tried by any MDC\n"},
	{"<mdc-order>MDCT", "<mdc-order>MDCQ MDCT",
	 "t.xml:24:3: error: <mdc-order> names 'MDCQ', which no <mdc> defines\n"},
	{"cc-exclusion=\"cce\"", "cc-exclusion=\"ccx\"",
	 "t.xml:18:69: error: unknown codemap 'ccx'\n"},
	{"cc-exclusion=\"cce\"", "cc-exclusion=\"cce\" invalid-main-px=\"PX\"",
	 "t.xml:18:88: error: unknown codeset 'PX'\n"},
	{"cc-exclusion=\"cce\"", "cc-exclusion=\"cce\" invalid-main-px=\"A\"",
	 "t.xml:18:88: error: codeset 'A' holds dx codes, not px codes\n"},
	{"<mdc code=\"MDCT\">", "<mdc code=\"MDCT\" on-no-adrg=\"stop\">",
	 "t.xml:25:3: error: Invalid attribute on-no-adrg for element mdc\n"},
	/* definitions */
	{"<codeset id=\"B\"", "<codeset id=\"A\"",
	 "t.xml:15:12: error: codeset 'A' is defined twice in this file (first at line 14)\n"},
	{"<prefix>A</prefix>", "<pattern>A[0-</pattern>",
	 "t.xml:14:29: error: codeset 'A': bad pattern at offset 4: missing terminating ] for "
	 "character class\n"},
	{"<codeset id=\"A\" kind=\"dx\">", "<codeset id=\"A\" kind=\"dx\" base=\"A\">",
	 "t.xml:14:29: error: codeset 'A': unknown or circular base 'A'\n"},
	{"<group value=\"2\">M02", "<group value=\"70000\">M02",
	 "t.xml:10:12: error: codemap 'mcc': value 70000 of 'M02' is outside 1..65535\n"},
};

START_TEST(broken_mini)
{
	fails_with(mini_with(broken[_i].from, broken[_i].to), broken[_i].want);
}
END_TEST

START_TEST(files)
{
	fails_with("<drg-spec xmlns=\"urn:x-drg:spec:1\" id=\"e\">\n  <import href=\"nothere.xml\"/>\n</drg-spec>\n",
		   "nothere.xml: error: cannot open: No such file or directory\n"
		   "t.xml:2:11: error: in the library imported here\n");
	fails_with("<drg-spec xmlns=\"urn:x-drg:spec:1\" id=\"t\" extends=\"t\">\n</drg-spec>\n",
		   "t.xml:1:43: error: spec 't' extends itself\n");
	fails_with("<drg-library xmlns=\"urn:x-drg:spec:1\"/>\n",
		   "t.xml:1:1: error: expected <drg-spec>, found <drg-library>\n");
}
END_TEST

START_TEST(warnings_do_not_fail)
{
	diags d;
	const char *xml = mini_with("<prefix>A</prefix>", "<codes>A01 Z99 Z98</codes>");
	drg_spec *spec = tu_compile_text(xml, &d);
	ck_assert_ptr_nonnull(spec);
	ck_assert_int_eq(d.errors, 0);
	ck_assert_str_eq(d.text,
			 "t.xml:14:12: warning: codeset 'A' (used by TA1): 2 dx codes not in the "
			 "dictionary: Z99 Z98\n");
	drg_spec_free(spec);
	spec = tu_compile_text(mini_with("<prefix>A</prefix>", "<prefix>Q</prefix>"), &d);
	ck_assert_ptr_nonnull(spec);
	ck_assert_str_eq(d.text, "t.xml:14:12: warning: codeset 'A' (used by TA1) is empty: rules "
				 "testing it never match\n");
	drg_spec_free(spec);
	spec = tu_compile_text(mini_with("<drg code=\"TA19\"/>",
					 "<drg code=\"TA19\"/>\n    <drg code=\"TA13\"><has-cc/></drg>"), &d);
	ck_assert_ptr_nonnull(spec);
	ck_assert_str_eq(d.text, "t.xml:29:10: warning: DRG split 'TA13' of ADRG rule 'TA1' is "
				 "unreachable: the split at line 28 always fires\n");
	drg_spec_free(spec);
}
END_TEST

static Suite *suite(void)
{
	Suite *s = suite_create("errors");
	TCase *t = tcase_create("positions");
	tcase_add_test(t, xml_syntax);
	tcase_add_loop_test(t, broken_mini, 0, (int)(sizeof(broken) / sizeof(broken[0])));
	tcase_add_test(t, files);
	tcase_add_test(t, warnings_do_not_fail);
	suite_add_tcase(s, t);
	return s;
}

TU_MAIN(suite)
