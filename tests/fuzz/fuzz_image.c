/*
** fuzz_image.c: arbitrary bytes as a compiled image: drg_spec_load() either
** rejects them or returns a spec that groups a few cases and lists itself
** (drg dump) without reading outside the image: the loader's validation is
** what is tested.
*/
#include <stdio.h>
#include <string.h>

#include "drg/drg.h"
#include "dump.h"
#include "fuzz.h"

static void group(const drg_spec *spec, drg_scratch *s, const char *dx, const char *px)
{
	drg_case *c = drg_scratch_case(s);
	drg_result r;
	drg_case_set(c, DRG_F_SEX, (drg_text){"1", 1});
	drg_case_set(c, DRG_F_AGE, (drg_text){"40", 2});
	drg_case_set_dx(c, (drg_text){dx, strlen(dx)});
	drg_case_set_px(c, (drg_text){px, strlen(px)});
	drg_group(&r, spec, s, DRG_TRACE);
	char buf[256];
	drg_explain(buf, sizeof(buf), spec, s);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	drg_spec *spec = NULL;
	drg_scratch *s = NULL;
	if (drg_spec_load(&spec, fuzz_tmpfile(data, size, ".img")) != DRG_OK)
		return 0;
	if (drg_scratch_new(&s, spec) == DRG_OK) {
		group(spec, s, "A01|B01|M01", "01.01|01.02");
		group(spec, s, "C01|X01", "02.01");
		group(spec, s, "", "");
		drg_scratch_free(s);
	}
	FILE *null = fopen("/dev/null", "w");
	if (null) {
		spec_dump(spec, null);
		fclose(null);
	}
	drg_spec_free(spec);
	return 0;
}
