/*
** test_pay.c: payment specs.  The shipped Harbin specs price real cases of
** haerbin-2022 at exactly RW x base rate in fen (arithmetic in the comments);
** broken payment specs fail with the exact position and message; the
** fixed-point helpers round as documented; misuse of the API is refused.
** Every route is covered by the golden files (tests/golden/pay*.csv).
*/
#include <stdio.h>
#include <string.h>

#include "fixed.h"
#include "testutil.h"

/* ---------------------------------------------------------------- Harbin */

static drg_spec *haerbin;

static void setup_haerbin(void)
{
	diags d;
	haerbin = tu_compile(tu_src("grouper-specs/haerbin-2022.xml"), &d);
	ck_assert_msg(haerbin != NULL, "%s", d.text);
}

static void teardown_haerbin(void)
{
	drg_spec_free(haerbin);
}

static drg_pay *harbin(const char *id)
{
	char rel[128];
	diags d = {0};
	drg_pay *pay = NULL;
	snprintf(rel, sizeof(rel), "grouper-specs/payment/%s.xml", id);
	ck_assert_int_eq(drg_pay_compile(&pay, tu_src(rel), haerbin, tu_collect, &d), DRG_OK);
	ck_assert_int_eq(d.errors, 0);
	return pay;
}

/* Groups and prices fields under pay; the case must land in drg. */
static drg_price price(const drg_pay *pay, const char *fields, const char *drg)
{
	drg_scratch *s;
	drg_result r;
	drg_price p;
	ck_assert_int_eq(drg_scratch_new(&s, haerbin), DRG_OK);
	tu_case(s, fields);
	ck_assert_int_eq(drg_group(&r, haerbin, s, 0), DRG_OK);
	ck_assert_str_eq(r.drg, drg);
	ck_assert_int_eq(drg_price_case(&p, pay, s, 0), DRG_OK);
	drg_scratch_free(s);
	return p;
}

/* Conformance cases of haerbin-2022 (tests/conformance/haerbin-2022), with a
** cost near their standard so that they are paid normally. */
#define BW21 "sex=1;age=96;age_days=35393;los=20;discharge=4;" \
	"dx=G80.301|K83.000|E11.700x021|E27.406|E72.001|Q05.100x002"
#define WJ19 "sex=2;age=40;age_days=14704;dept=ICU;los=24;discharge=5;" \
	"dx=T24.000x002|B70.100|J86.017|T21.200x041;px=03.0910"
#define HL15 "sex=2;age=47;age_days=17230;los=39;discharge=9;dx=A18.814+K77.0*;px=52.9400|97.0502"

START_TEST(harbin_2024_rw_times_base_rate)
{
	drg_pay *pay = harbin("harbin-2024");
	/* BW21 RW 1.0588 x 12252.70 (employee) = 12973.158676 -> 12973.16 */
	drg_price p = price(pay, BW21 ";total_cost=13000;fund_type=employee;hospital_level=3", "BW21");
	ck_assert_int_eq(p.route, DRG_ROUTE_NORMAL);
	ck_assert_int_eq(p.weight, 10588);
	ck_assert_int_eq(p.standard, 1297316);
	ck_assert_int_eq(p.payment, 1297316);
	/* resident: 1.0588 x 9649.24 = 10216.615312 -> 10216.62 */
	p = price(pay, BW21 ";total_cost=10000;fund_type=resident", "BW21");
	ck_assert_int_eq(p.standard, 1021662);
	/* WJ19 RW 9.5584 x 12252.70 = 117116.207680 -> 117116.21 (a death: no
	** incomplete route in harbin-2024, so the standard is paid) */
	p = price(pay, WJ19 ";total_cost=100000.00", "WJ19");
	ck_assert_int_eq(p.standard, 11711621);
	ck_assert_int_eq(p.payment, 11711621);
	ck_assert_int_eq(p.route, DRG_ROUTE_NORMAL);
	/* HL15 RW 1.715 x 9649.24 = 16548.4466 -> 16548.45 */
	p = price(pay, HL15 ";total_cost=16000;fund_type=resident;hospital_level=2", "HL15");
	ck_assert_int_eq(p.standard, 1654845);
	drg_pay_free(pay);
}
END_TEST

START_TEST(harbin_2023_and_national_routing)
{
	drg_pay *pay = harbin("harbin-2023");
	/* BW21 1.0588 x 12165.26 (2023 employee) = 12880.577288 -> 12880.58 */
	drg_price p = price(pay, BW21 ";total_cost=13000", "BW21");
	ck_assert_int_eq(p.standard, 1288058);
	/* tertiary: 3 x 12880.58 = 38641.74; 38641.75 is above: high cost, by item */
	p = price(pay, BW21 ";total_cost=38641.75", "BW21");
	ck_assert_int_eq(p.route, DRG_ROUTE_HIGH_COST);
	ck_assert_int_eq(p.payment, 3864175);
	p = price(pay, BW21 ";total_cost=38641.74", "BW21");
	ck_assert_int_eq(p.route, DRG_ROUTE_NORMAL);
	/* secondary: above 2 x 12880.58 = 25761.16 */
	p = price(pay, BW21 ";total_cost=25761.17;hospital_level=2", "BW21");
	ck_assert_int_eq(p.route, DRG_ROUTE_HIGH_COST);
	/* low: below 0.3 x 12880.58 = 3864.174 */
	p = price(pay, BW21 ";total_cost=3864.17", "BW21");
	ck_assert_int_eq(p.route, DRG_ROUTE_LOW_COST);
	ck_assert_int_eq(p.payment, 386417);
	p = price(pay, BW21 ";total_cost=3864.18", "BW21");
	ck_assert_int_eq(p.route, DRG_ROUTE_NORMAL);
	/* 60 days: long stay by item, separate review */
	p = price(pay, "sex=1;age=96;age_days=35393;los=60;discharge=4;"
		  "dx=G80.301|K83.000|E11.700x021|E27.406|E72.001|Q05.100x002;total_cost=50000", "BW21");
	ck_assert_int_eq(p.route, DRG_ROUTE_LONG_STAY);
	ck_assert_int_eq(p.payment, 5000000);
	/* review: long stay, and high cost (50000 / 12880.58 = 3.8818 >= 3) */
	ck_assert_uint_eq(p.review, 1u << 0 | 1u << 1);
	ck_assert_str_eq(drg_review_reason_name(0), "long_stay");
	ck_assert_str_eq(drg_review_reason_name(1), "high_cost");
	drg_pay_free(pay);
}
END_TEST

START_TEST(api_misuse)
{
	drg_pay *pay = harbin("harbin-2024"), *none = NULL;
	drg_scratch *s;
	drg_price p;
	char g[64];
	ck_assert_int_eq(drg_scratch_new(&s, haerbin), DRG_OK);
	ck_assert_int_eq(drg_price_case(&p, pay, s, 0), DRG_EINVAL);   /* nothing grouped yet */
	ck_assert_int_eq(drg_price_case(NULL, pay, s, 0), DRG_EINVAL);
	ck_assert_int_eq(drg_pay_compile(&none, "x.xml", NULL, NULL, NULL), DRG_EINVAL);
	ck_assert_int_eq(drg_pay_grouping(g, sizeof(g), tu_src("grouper-specs/payment/harbin-2024.xml"),
					  NULL, NULL), DRG_OK);
	ck_assert_str_eq(g, "haerbin-2022");
	ck_assert_str_eq(drg_pay_id(pay), "harbin-2024");
	ck_assert_int_eq((int)strlen(drg_pay_hash(pay)), 64);
	drg_scratch_free(s);
	drg_pay_free(pay);
}
END_TEST

/* ---------------------------------------------------------------- broken specs */

/* A valid payment spec on the mini spec (grouping id "mini", DRG TA19); the
** broken variants replace one piece. */
static const char good[] =
	"<drg-payment xmlns=\"urn:x-drg:pay:1\" id=\"p\" grouping=\"mini\" fund-types=\"employee\">\n"
	"  <base-rate fund=\"employee\" yuan=\"10000\"/>\n"
	"  <high-cost>\n"
	"    <tier level=\"3\" mult=\"3\"/>\n"
	"    <tier level=\"2\" mult=\"2\"/>\n"
	"  </high-cost>\n"
	"  <groups>\n"
	"    <group drg=\"TA19\" rw=\"1.5\"/>\n"
	"  </groups>\n"
	"</drg-payment>\n";

/* Compiles good with `from` replaced by `to`; the diagnostics must be want. */
static void pay_fails_with(const char *from, const char *to, const char *want)
{
	diags d;
	drg_pay *pay = NULL;
	const char *path = tu_write("p.xml", tu_replace(good, from, to));
	drg_spec *spec = tu_mini("<main-dx in=\"A\"/>", NULL);
	memset(&d, 0, sizeof(d));
	int rc = drg_pay_compile(&pay, path, spec, tu_collect, &d);
	ck_assert_int_eq(rc, DRG_ESPEC);
	ck_assert_ptr_null(pay);
	ck_assert_str_eq(d.text, want);
	drg_spec_free(spec);
}

START_TEST(good_spec_compiles)
{
	diags d = {0};
	drg_pay *pay = NULL;
	drg_spec *spec = tu_mini("<main-dx in=\"A\"/>", NULL);
	ck_assert_int_eq(drg_pay_compile(&pay, tu_write("p.xml", good), spec, tu_collect, &d), DRG_OK);
	/* the ADRG's own result (no split fired) has no weight */
	ck_assert_str_eq(d.text, "p.xml:1:1: warning: 1 DRGs of 'mini' have no weight (first: TA1); "
				 "their cases are routed ungroupable with reason no_weight\n");
	drg_pay_free(pay);
	drg_spec_free(spec);
}
END_TEST

static const struct {
	const char *from, *to, *want;
} broken[] = {
	{"drg=\"TA19\"", "drg=\"XX19\"",
	 "p.xml:8:12: error: unknown group 'XX19': not a DRG of grouping spec 'mini'\n"},
	{"rw=\"1.5\"", "rw=\"-1.5\"", "p.xml:8:23: error: rw must not be negative: '-1.5'\n"},
	{"rw=\"1.5\"", "rw=\"1.23456\"",
	 "p.xml:8:23: error: '1.23456': at most 4 decimals, at most 100000000000\n"},
	{"rw=\"1.5\"/>", "rw=\"1.5\"/>\n    <group drg=\"TA19\" rw=\"2\"/>",
	 "p.xml:9:12: error: group 'TA19' given twice (first on line 8)\n"},
	{"fund-types=\"employee\"", "fund-types=\"employee resident\"",
	 "p.xml:1:1: error: missing base rate: fund type 'resident' at hospital level 1 "
	 "(<base-rate fund=\"resident\" yuan=\"...\"/>)\n"},
	{"<tier level=\"2\" mult=\"2\"/>", "<tier level=\"3\" mult=\"2\"/>",
	 "p.xml:5:5: error: high-cost tier overlaps the tier on line 4\n"},
	{"<tier level=\"3\" mult=\"3\"/>\n    <tier level=\"2\" mult=\"2\"/>",
	 "<tier rw-max=\"1\" mult=\"3\"/>\n    <tier rw-above=\"0.5\" mult=\"2\"/>",
	 "p.xml:5:5: error: high-cost tier overlaps the tier on line 4\n"},
	{"<tier level=\"2\" mult=\"2\"/>", "<tier rw-above=\"1\" mult=\"2\"/>",
	 "p.xml:5:5: error: high-cost tier mixes hospital-level and RW-band tiers with the tier on line 4\n"},
	{"<tier level=\"2\" mult=\"2\"/>", "<tier level=\"2\" mult=\"0\"/>",
	 "p.xml:5:21: error: mult must not be zero or negative: '0'\n"},
	{"<high-cost>", "<high-cost reference=\"mean-cost\">",
	 "p.xml:3:14: error: high cost compares with the mean cost, but group 'TA19' has none "
	 "(give mean-cost= or <overall-mean-cost>)\n"},
	{"grouping=\"mini\"", "grouping=\"other\"",
	 "p.xml:1:45: error: payment spec is for grouping spec 'other', not 'mini'\n"},
	{"grouping=\"mini\"", "grouping=\"mini\" method=\"points\"",
	 "p.xml:1:61: error: method 'points' needs a <point-value>\n"},
	{"<groups>", "<qy payment=\"weight\"/>\n  <groups>",
	 "p.xml:1:1: error: <qy payment=\"weight\"> needs rw=\n"},
	{"id=\"p\"", "id=\"p\" extends=\"p\"", "p.xml:1:45: error: payment spec 'p' extends itself\n"},
	{"<base-rate fund=\"employee\" yuan=\"10000\"/>", "<base-rate fund=\"staff\" yuan=\"10000\"/>",
	 "p.xml:2:3: error: Element base-rate failed to validate attributes\n"},
	{"</groups>", "</group>",
	 "p.xml:9:11: error: Opening and ending tag mismatch: groups line 7 and group\n"},
};

START_TEST(broken_spec)
{
	pay_fails_with(broken[_i].from, broken[_i].to, broken[_i].want);
}
END_TEST

START_TEST(unweighted_groups_warned)
{
	diags d = {0};
	drg_pay *pay = NULL;
	drg_spec *spec = tu_mini("<main-dx in=\"A\"/>", NULL);
	const char *xml = "<drg-payment xmlns=\"urn:x-drg:pay:1\" id=\"p\" grouping=\"mini\">\n"
			  "  <base-rate fund=\"employee\" yuan=\"1\"/><base-rate fund=\"resident\" yuan=\"1\"/>\n"
			  "</drg-payment>\n";
	ck_assert_int_eq(drg_pay_compile(&pay, tu_write("p.xml", xml), spec, tu_collect, &d), DRG_OK);
	ck_assert_str_eq(d.text, "p.xml:1:1: warning: 2 DRGs of 'mini' have no weight (first: TA19); "
				 "their cases are routed ungroupable with reason no_weight\n");
	drg_pay_free(pay);
	drg_spec_free(spec);
}
END_TEST

/* ---------------------------------------------------------------- fixed point */

START_TEST(fixed_point)
{
	int64_t v;
	char b[24];
	ck_assert_int_eq(fixed_parse((drg_text){"12.3", 4}, 2, &v), 0);
	ck_assert_int_eq(v, 1230);
	ck_assert_int_eq(fixed_parse((drg_text){"12.345", 6}, 2, &v), -1);
	ck_assert_int_eq(fixed_parse((drg_text){"12.340", 6}, 2, &v), 0);
	ck_assert_int_eq(fixed_parse((drg_text){"1e3", 3}, 2, &v), -1);
	ck_assert_int_eq(fixed_parse((drg_text){"99999999999999999", 17}, 2, &v), -1);
	ck_assert_uint_eq(fixed_format(b, -5, 2), 5);
	ck_assert_str_eq(b, "-0.05");
	fixed_format(b, 123456, 4);
	ck_assert_str_eq(b, "12.3456");
	/* 5 / 2 = 2.5, -5 / 2 = -2.5 and 7 / 2 = 3.5 under each rounding */
	static const struct {
		int64_t a;
		enum rounding mode;
		int64_t want;
	} div2[] = {{5, ROUND_HALF_UP, 3}, {-5, ROUND_HALF_UP, -3}, {5, ROUND_HALF_EVEN, 2},
		    {7, ROUND_HALF_EVEN, 4}, {5, ROUND_DOWN, 2}, {-5, ROUND_DOWN, -2}};
	for (size_t i = 0; i < sizeof(div2) / sizeof(div2[0]); i++) {
		ck_assert_int_eq(fixed_muldiv(&v, div2[i].a, 1, 2, div2[i].mode), 0);
		ck_assert_int_eq(v, div2[i].want);
	}
	ck_assert_int_eq(fixed_muldiv(&v, INT64_MAX, 2, 1, ROUND_DOWN), -1);
}
END_TEST

static Suite *pay_suite(void)
{
	Suite *s = suite_create("pay");
	TCase *h = tcase_create("harbin");
	tcase_add_unchecked_fixture(h, setup_haerbin, teardown_haerbin);
	tcase_set_timeout(h, 60);
	tcase_add_test(h, harbin_2024_rw_times_base_rate);
	tcase_add_test(h, harbin_2023_and_national_routing);
	tcase_add_test(h, api_misuse);
	suite_add_tcase(s, h);
	TCase *e = tcase_create("errors");
	tcase_add_test(e, good_spec_compiles);
	tcase_add_loop_test(e, broken_spec, 0, (int)(sizeof(broken) / sizeof(broken[0])));
	tcase_add_test(e, unweighted_groups_warned);
	tcase_add_test(e, fixed_point);
	suite_add_tcase(s, e);
	return s;
}

TU_MAIN(pay_suite)
