/*
** fuzz_cases.c: a whole case file through the batch pipeline (header
** mapping, fields, numbers, code lookup, grouping, output) with the golden
** spec, in one and in two threads with a tiny block size: no crash, and the
** same output both ways.
*/
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "caseio.h"
#include "fuzz.h"

#ifndef DRG_SOURCE_DIR
#define DRG_SOURCE_DIR "."
#endif

static drg_spec *spec;

/* Groups the file at path; returns the output (malloc'd). */
static char *group(const char *path, int threads, size_t block)
{
	char *text = NULL;
	size_t len = 0;
	FILE *out = open_memstream(&text, &len);
	int fd = open(path, O_RDONLY);
	caseio_opts o = {.threads = threads, .block = block};
	batch_stats st;
	int saved = dup(2), null = open("/dev/null", O_WRONLY);
	if (!out || fd < 0 || saved < 0 || null < 0)
		abort();
	dup2(null, 2);   /* the header messages; sanitizer reports still reach the real stderr */
	caseio_run(spec, fd, out, "fuzz", &o, &st);
	dup2(saved, 2);
	close(saved);
	close(null);
	close(fd);
	fclose(out);
	return text;
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	if (!spec && drg_spec_compile(&spec, DRG_SOURCE_DIR "/tests/golden/golden.xml", NULL, NULL))
		abort();
	const char *path = fuzz_tmpfile(data, size, ".csv");
	char *a = group(path, 1, 0), *b = group(path, 2, 5);
	if (strcmp(a, b) != 0)
		abort();
	free(a);
	free(b);
	return 0;
}
