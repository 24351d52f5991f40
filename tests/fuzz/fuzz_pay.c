/*
** fuzz_pay.c: arbitrary bytes as a payment spec through its compiler (libxml2
** parse, schema validation, checks against the golden grouping spec): it
** either compiles or reports errors, never crashes or leaks.  A spec that
** compiles prices a grouped case.
*/
#include <stdlib.h>

#include "drg/drg.h"
#include "fuzz.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	static drg_spec *golden;   /* the grouping spec, compiled once per process */
	drg_pay *pay = NULL;
	drg_scratch *s;
	drg_result r;
	drg_price p;
	if (!golden && drg_spec_compile(&golden, DRG_SOURCE_DIR "/tests/golden/golden.xml", NULL,
					NULL) != DRG_OK)
		abort();
	if (drg_pay_compile(&pay, fuzz_tmpfile(data, size, ".xml"), golden, NULL, NULL) != DRG_OK)
		return 0;
	if (drg_scratch_new(&s, golden) != DRG_OK)
		abort();
	drg_case *c = drg_scratch_case(s);
	drg_case_set_dx(c, (drg_text){"A01", 3});
	drg_case_set(c, DRG_F_SEX, (drg_text){"1", 1});
	drg_case_set(c, DRG_F_AGE, (drg_text){"40", 2});
	drg_case_set(c, DRG_F_TOTAL_COST, (drg_text){"12345.67", 8});
	if (drg_group(&r, golden, s, 0) != DRG_OK || drg_price_case(&p, pay, s, DRG_TRACE) != DRG_OK)
		abort();
	drg_scratch_free(s);
	drg_pay_free(pay);
	return 0;
}
