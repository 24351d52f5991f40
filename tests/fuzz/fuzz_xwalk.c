/*
** fuzz_xwalk.c: arbitrary bytes as a crosswalk table (dx and px) loaded
** against the golden grouping spec: it either loads or reports errors, never
** crashes or leaks.  A table that loads maps, groups and explains a case
** whose codes are the table's first keys.
*/
#include <stdlib.h>
#include <string.h>

#include "drg/drg.h"
#include "fuzz.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	static drg_spec *golden;   /* the grouping spec, compiled once per process */
	static char buf[8192];
	drg_xwalk *xw = NULL;
	drg_scratch *s;
	drg_result r;
	if (!golden && drg_spec_compile(&golden, DRG_SOURCE_DIR "/tests/golden/golden.xml", NULL,
					NULL) != DRG_OK)
		abort();
	const char *path = fuzz_tmpfile(data, size, ".tsv");
	if (drg_xwalk_load(&xw, golden, path, path, size & 1 ? DRG_XWALK_KEEP_UNMAPPED : 0, NULL,
			   NULL) != DRG_OK)
		return 0;
	if (drg_scratch_new(&s, golden) != DRG_OK || drg_scratch_set_xwalk(s, xw) != DRG_OK)
		abort();
	drg_case *c = drg_scratch_case(s);
	drg_case_set_dx(c, (drg_text){"A01|x|-|B01", 11});
	drg_case_set_px(c, (drg_text){(const char *)data, size < 64 ? size : 64});
	if (drg_group(&r, golden, s, DRG_TRACE) != DRG_OK)
		abort();
	drg_explain(buf, sizeof(buf), golden, s);
	drg_scratch_free(s);
	drg_xwalk_free(xw);
	return 0;
}
