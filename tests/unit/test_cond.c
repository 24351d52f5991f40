/*
** test_cond.c: every condition kind of the spec language, each evaluated on
** cases where it must hold and where it must not (compiled into the mini spec
** of testutil.h and run by the grouper), plus the boolean combinators and
** the compiler's shortening of programs (fewer ops, the same outcomes).
*/
#include <stdio.h>

#include "spec.h"
#include "testutil.h"

#define HOLDS(cond, fields) ck_assert_msg(tu_holds(cond, fields), "%s should hold for %s", cond, fields)
#define FAILS(cond, fields) ck_assert_msg(!tu_holds(cond, fields), "%s should fail for %s", cond, fields)

START_TEST(constants)
{
	HOLDS("<true/>", "dx=A01");
	FAILS("<false/>", "dx=A01");
}
END_TEST

START_TEST(diagnosis_sets)
{
	HOLDS("<main-dx in=\"A\"/>", "dx=A01|B01");
	FAILS("<main-dx in=\"B\"/>", "dx=A01|B01");
	HOLDS("<secondary-dx in=\"B\"/>", "dx=A01|B01");
	FAILS("<secondary-dx in=\"A\"/>", "dx=A01|B01");
	HOLDS("<any-dx in=\"B\"/>", "dx=A01|A02|B02");
	FAILS("<any-dx in=\"B\"/>", "dx=A01|A02|C01");
	FAILS("<secondary-dx in=\"A\"/>", "dx=A01");
	/* an unknown code is in no set, and does not disturb the others */
	HOLDS("<secondary-dx in=\"B\"/>", "dx=A01|ZZZ|B01");
	FAILS("<main-dx in=\"A\"/>", "dx=A99|A01");
}
END_TEST

START_TEST(procedure_sets)
{
	HOLDS("<main-px in=\"P1\"/>", "dx=A01;px=01.01|01.02");
	FAILS("<main-px in=\"P2\"/>", "dx=A01;px=01.01|01.02");
	HOLDS("<secondary-px in=\"P2\"/>", "dx=A01;px=01.01|01.02");
	FAILS("<secondary-px in=\"P1\"/>", "dx=A01;px=01.01|01.02");
	HOLDS("<any-px in=\"P2\"/>", "dx=A01;px=02.01|01.02");
	FAILS("<any-px in=\"P1\"/>", "dx=A01");
	FAILS("<main-px in=\"P1\"/>", "dx=A01");
}
END_TEST

START_TEST(presence_and_counts)
{
	HOLDS("<has-dx/>", "dx=A01");
	HOLDS("<has-px/>", "dx=A01;px=01.01");
	FAILS("<has-px/>", "dx=A01");
	HOLDS("<count of=\"dx\" op=\"ge\" value=\"3\"/>", "dx=A01|A02|B01");
	FAILS("<count of=\"dx\" op=\"ge\" value=\"3\"/>", "dx=A01|A02");
	HOLDS("<count of=\"px\" op=\"eq\" value=\"0\"/>", "dx=A01");
	HOLDS("<count of=\"px\" op=\"lt\" value=\"2\"/>", "dx=A01;px=01.01");
	HOLDS("<count of=\"px\" op=\"ne\" value=\"2\"/>", "dx=A01;px=01.01");
	FAILS("<count of=\"px\" op=\"gt\" value=\"1\"/>", "dx=A01;px=01.01");
	HOLDS("<count of=\"px\" op=\"le\" value=\"1\"/>", "dx=A01;px=01.01");
}
END_TEST

START_TEST(field_comparisons)
{
	HOLDS("<cmp field=\"age\" op=\"lt\" value=\"18\"/>", "dx=A01;age=17");
	FAILS("<cmp field=\"age\" op=\"lt\" value=\"18\"/>", "dx=A01;age=18");
	HOLDS("<cmp field=\"age\" op=\"ge\" value=\"65\"/>", "dx=A01;age=65");
	HOLDS("<cmp field=\"age_days\" op=\"le\" value=\"28\"/>", "dx=A01;age=0;age_days=28");
	HOLDS("<cmp field=\"birth_weight\" op=\"lt\" value=\"1500\"/>", "dx=A01;birth_weight=1499");
	HOLDS("<cmp field=\"los\" op=\"gt\" value=\"60\"/>", "dx=A01;los=61");
	HOLDS("<cmp field=\"icu_hours\" op=\"ge\" value=\"96\"/>", "dx=A01;icu_hours=96");
	HOLDS("<cmp field=\"total_cost\" op=\"gt\" value=\"100000\"/>", "dx=A01;total_cost=1000.01");
	FAILS("<cmp field=\"total_cost\" op=\"gt\" value=\"100000\"/>", "dx=A01;total_cost=1000.00");
	/* a missing value satisfies no comparison, not even ne */
	FAILS("<cmp field=\"age\" op=\"ne\" value=\"5\"/>", "dx=A01");
	FAILS("<cmp field=\"age\" op=\"lt\" value=\"5\"/>", "dx=A01");
}
END_TEST

/* Each text of field `field` (n of them) reads as the value `value`: the
** condition cmp eq value holds. */
static void reads_as(const char *field, const char *value, const char *const *texts, size_t n)
{
	char xml[96], fields[64];
	snprintf(xml, sizeof(xml), "<cmp field=\"%s\" op=\"eq\" value=\"%s\"/>", field, value);
	for (size_t i = 0; i < n; i++) {
		snprintf(fields, sizeof(fields), "dx=A01;%s=%s", field, texts[i]);
		HOLDS(xml, fields);
	}
}

/* Each text of field `field` (n of them) makes the case invalid. */
static void invalid_as(const char *field, const char *const *texts, size_t n)
{
	char fields[64];
	drg_spec *spec = tu_mini("<true/>", NULL);
	for (size_t i = 0; i < n; i++) {
		snprintf(fields, sizeof(fields), "dx=A01;%s=%s", field, texts[i]);
		ck_assert_msg(tu_group(spec, fields).status == DRG_STATUS_INVALID, "%s", fields);
	}
	drg_spec_free(spec);
}

#define NELEM(a) (sizeof(a) / sizeof(*(a)))

/* Counts as they come: plain digits (read inline) and every other shape
** (read by fixed_parse) give the same values; malformed ones make the case
** invalid. */
START_TEST(count_shapes)
{
	static const char *const twelve[] = {"12", "012", "+12", "12.0", "12.", "0000000012",
					     "00000000000000000012"};
	static const char *const bad[] = {"1x", "12.5", "2147483648", "1 2", ".", "-", "+",
					  "1234567890123456789012"};
	reads_as("age", "12", twelve, NELEM(twelve));
	HOLDS("<cmp field=\"age\" op=\"eq\" value=\"123456789\"/>", "dx=A01;age=123456789");
	HOLDS("<cmp field=\"age\" op=\"eq\" value=\"2147483647\"/>", "dx=A01;age=2147483647");
	HOLDS("<cmp field=\"age\" op=\"lt\" value=\"0\"/>", "dx=A01;age=-1");
	invalid_as("age", bad, NELEM(bad));
}
END_TEST

/* Amounts likewise: the usual shapes (digits, '.', two decimals: read
** inline) and the others (read by fixed_parse) agree. */
START_TEST(amount_shapes)
{
	static const char *const same[] = {"1234.5", "1234.50", "01234.5", "+1234.5", "1234.500",
					   "0000000000001234.5", "1234.5000000000000"};
	static const char *const bad[] = {"1234.501", "12a", ".", "-", "1e3", "12..5", "1234.5.",
					  "10000000000000.01", "1 2"};
	reads_as("total_cost", "123450", same, NELEM(same));
	HOLDS("<cmp field=\"total_cost\" op=\"eq\" value=\"1200\"/>", "dx=A01;total_cost=12.");
	HOLDS("<cmp field=\"total_cost\" op=\"eq\" value=\"25\"/>", "dx=A01;total_cost=.25");
	HOLDS("<cmp field=\"total_cost\" op=\"eq\" value=\"-5\"/>", "dx=A01;total_cost=-0.05");
	HOLDS("<cmp field=\"total_cost\" op=\"gt\" value=\"2147483647\"/>",
	      "dx=A01;total_cost=9999999999999.99");
	HOLDS("<cmp field=\"total_cost\" op=\"gt\" value=\"2147483647\"/>",
	      "dx=A01;total_cost=10000000000000");
	invalid_as("total_cost", bad, NELEM(bad));
}
END_TEST

START_TEST(missing_present_nonzero)
{
	HOLDS("<missing field=\"age\"/>", "dx=A01");
	FAILS("<missing field=\"age\"/>", "dx=A01;age=0");
	HOLDS("<present field=\"sex\"/>", "dx=A01;sex=1");
	FAILS("<present field=\"dept\"/>", "dx=A01;dept=");
	HOLDS("<nonzero field=\"icu_hours\"/>", "dx=A01;icu_hours=3");
	FAILS("<nonzero field=\"icu_hours\"/>", "dx=A01;icu_hours=0");
	FAILS("<nonzero field=\"icu_hours\"/>", "dx=A01");
}
END_TEST

START_TEST(symbols)
{
	HOLDS("<in field=\"sex\" values=\"1 男\"/>", "dx=A01;sex=男");
	HOLDS("<in field=\"sex\" values=\"1 男\"/>", "dx=A01;sex=1");
	FAILS("<in field=\"sex\" values=\"1 男\"/>", "dx=A01;sex=2");
	FAILS("<in field=\"sex\" values=\"1 男\"/>", "dx=A01");
	HOLDS("<in field=\"discharge\" values=\"5\"/>", "dx=A01;discharge=5");
	FAILS("<in field=\"dept\" values=\"KX\"/>", "dx=A01;dept=KXY");
}
END_TEST

START_TEST(complications)
{
	/* MCC: any secondary in the MCC table, unless excluded by the principal */
	HOLDS("<has-mcc/>", "dx=B01|M01");
	FAILS("<has-mcc/>", "dx=B01|A03");
	FAILS("<has-mcc/>", "dx=M01");          /* the principal itself never counts */
	FAILS("<has-mcc/>", "dx=A01|M01");      /* A01's exclusion list 1 excludes M01 */
	HOLDS("<has-mcc/>", "dx=A01|M02");      /* but not M02 (list 2) */
	FAILS("<has-mcc/>", "dx=A02|M02");
	HOLDS("<has-mcc/>", "dx=A02|M02|M01");
	/* CC, with the same exclusion */
	HOLDS("<has-cc/>", "dx=B01|C01");
	FAILS("<has-cc/>", "dx=A01|C01");
	HOLDS("<has-cc/>", "dx=A01|B02");
	FAILS("<has-cc/>", "dx=A02|B02");
	FAILS("<has-cc/>", "dx=B01|M01");       /* an MCC is not a CC */
}
END_TEST

START_TEST(distinct_sites)
{
	const char *c2 = "<distinct-sites map=\"sites\" min=\"2\"/>";
	HOLDS(c2, "dx=A01|B01");
	FAILS(c2, "dx=A01|A02");                /* same site twice */
	HOLDS(c2, "dx=X01|A02|C01");            /* the principal's site counts too */
	FAILS(c2, "dx=A01|X01|M01");
	HOLDS("<distinct-sites map=\"sites\" min=\"3\"/>", "dx=A01|B01|C01|A02");
}
END_TEST

START_TEST(combinators)
{
	HOLDS("<all><main-dx in=\"A\"/><secondary-dx in=\"B\"/></all>", "dx=A01|B01");
	FAILS("<all><main-dx in=\"A\"/><secondary-dx in=\"B\"/></all>", "dx=A01|A02");
	HOLDS("<any><main-dx in=\"B\"/><secondary-dx in=\"B\"/></any>", "dx=A01|B01");
	FAILS("<any><main-dx in=\"B\"/><has-px/></any>", "dx=A01|A02");
	HOLDS("<not><has-px/></not>", "dx=A01");
	HOLDS("<not><not><has-dx/></not></not>", "dx=A01");
	const char *deep =
		"<any><all><main-dx in=\"A\"/><not><any><has-px/><cmp field=\"age\" op=\"gt\" value=\"80\"/></any></not></all>"
		"<all><main-dx in=\"B\"/><any-px in=\"P2\"/></all></any>";
	HOLDS(deep, "dx=A01;age=30");
	FAILS(deep, "dx=A01;age=81");
	FAILS(deep, "dx=A01;px=01.01");
	HOLDS(deep, "dx=B01;px=01.01|01.02");
	FAILS(deep, "dx=B01;px=01.01");
}
END_TEST

/* Ops in the program of the mini spec's condition: those reachable from its
** first op (the program's RETs included). */
static unsigned program_ops(const char *xml)
{
	drg_spec *spec = tu_mini(xml, NULL);
	const img_op *op = spec->im.op + spec->im.adrg[0].when;
	unsigned char seen[64] = {1};
	uint32_t last = 0;
	unsigned n = 0;
	for (uint32_t i = 0; i <= last; i++) {
		if (!seen[i])
			continue;
		n++;
		if (op[i].code == OP_RET)
			continue;
		uint32_t t = i + op[i].jt, f = i + op[i].jf, far = t > f ? t : f;
		ck_assert_uint_lt(far, sizeof(seen));
		seen[t] = seen[f] = 1;
		last = far > last ? far : last;
	}
	drg_spec_free(spec);
	return n;
}

/* The compiler skips tests an edge has decided (jump threading) and merges
** <has-px/> (<has-dx/>, <has-main-px/>) into a code set test that implies
** it; never when the set test is negated or of the other kind.  ops: the
** tests left plus the RETs reached. */
#define AGE0 "<cmp field=\"age\" op=\"eq\" value=\"0\"/>"
START_TEST(shortened_programs)
{
	static const struct {
		const char *xml;
		unsigned ops;
		const char *holds[2], *fails[2];
	} t[] = {
		{"<all><has-px/><main-px in=\"P1\"/></all>", 3,
		 {"dx=A01;px=01.01"}, {"dx=A01", "dx=A01;px=01.02|01.01"}},
		{"<all><has-px/><not><main-px in=\"P1\"/></not></all>", 4,
		 {"dx=A01;px=01.02"}, {"dx=A01", "dx=A01;px=01.01"}},
		{"<all><has-px/><main-dx in=\"A\"/></all>", 4, {"dx=A01;px=01.02"}, {"dx=A01"}},
		{"<any><all><has-dx/><secondary-dx in=\"B\"/></all><missing field=\"age\"/></any>", 4,
		 {"dx=A01|B01;age=3", "dx=A01"}, {"dx=A01;age=3"}},
		{"<all><has-main-px/><main-px in=\"P1\"/></all>", 3, {"dx=A01;px=01.01"}, {"dx=A01;px=01.02"}},
		{"<any>" AGE0 "<all>" AGE0 "<missing field=\"dept\"/></all></any>", 3,
		 {"dx=A01;age=0;age_days=3"}, {"dx=A01;age=2"}},
		/* both edges of the one test left lead to RET 0 */
		{"<all>" AGE0 "<not>" AGE0 "</not></all>", 2, {NULL}, {"dx=A01;age=0;age_days=3", "dx=A01;age=2"}},
	};
	for (size_t i = 0; i < sizeof(t) / sizeof(*t); i++) {
		ck_assert_msg(program_ops(t[i].xml) == t[i].ops, "%s: not %u ops", t[i].xml, t[i].ops);
		for (int j = 0; j < 2; j++) {
			if (t[i].holds[j])
				HOLDS(t[i].xml, t[i].holds[j]);
			if (t[i].fails[j])
				FAILS(t[i].xml, t[i].fails[j]);
		}
	}
}
END_TEST

START_TEST(result_fields)
{
	drg_spec *spec = tu_mini("<main-dx in=\"A\"/>", NULL);
	drg_result r = tu_group(spec, "dx=A01");
	ck_assert_int_eq(r.status, DRG_STATUS_OK);
	ck_assert_str_eq(r.mdc, "MDCT");
	ck_assert_str_eq(r.adrg, "TA1");   /* CHS-DRG convention: the first 3 characters of the DRG */
	ck_assert_str_eq(r.drg, "TA19");
	r = tu_group(spec, "dx=B01");
	ck_assert_int_eq(r.status, DRG_STATUS_UNGROUPABLE);
	ck_assert_str_eq(r.drg, "0000");
	drg_spec_free(spec);
}
END_TEST

static Suite *suite(void)
{
	Suite *s = suite_create("conditions");
	TCase *t = tcase_create("kinds");
	tcase_add_test(t, constants);
	tcase_add_test(t, diagnosis_sets);
	tcase_add_test(t, procedure_sets);
	tcase_add_test(t, presence_and_counts);
	tcase_add_test(t, field_comparisons);
	tcase_add_test(t, count_shapes);
	tcase_add_test(t, amount_shapes);
	tcase_add_test(t, missing_present_nonzero);
	tcase_add_test(t, symbols);
	tcase_add_test(t, complications);
	tcase_add_test(t, distinct_sites);
	tcase_add_test(t, combinators);
	tcase_add_test(t, result_fields);
	tcase_add_test(t, shortened_programs);
	suite_add_tcase(s, t);
	return s;
}

TU_MAIN(suite)
