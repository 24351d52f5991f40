/*
** fuzz_spec.c: arbitrary bytes as a spec file through the whole compiler
** (libxml2 parse, schema validation, model, code sets, programs): it either
** compiles or reports errors, never crashes or leaks.  A spec that compiles
** must also save and load back.
*/
#include <stdlib.h>

#include "drg/drg.h"
#include "fuzz.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	drg_spec *spec = NULL, *back = NULL;
	const char *path = fuzz_tmpfile(data, size, ".xml");
	if (drg_spec_compile(&spec, path, NULL, NULL) != DRG_OK)
		return 0;
	const char *img = fuzz_tmpfile((const uint8_t *)"", 0, ".img");
	if (drg_spec_save(spec, img) != DRG_OK || drg_spec_load(&back, img) != DRG_OK)
		abort();
	drg_spec_free(back);
	drg_spec_free(spec);
	return 0;
}
