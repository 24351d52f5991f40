/*
** tmpfile.c: fuzz_tmpfile() of fuzz.h, for targets whose input must be a file.
*/
#include <stdio.h>
#include <stdlib.h>
#include <unistd.h>

#include "fuzz.h"

const char *fuzz_tmpfile(const uint8_t *data, size_t size, const char *suffix)
{
	static char path[256];
	snprintf(path, sizeof(path), "%s/drgfuzz-%ld%s",
		 getenv("TMPDIR") ? getenv("TMPDIR") : "/tmp", (long)getpid(), suffix);
	FILE *f = fopen(path, "wb");
	if (!f || fwrite(data, 1, size, f) != size || fclose(f) != 0) {
		perror(path);
		exit(2);
	}
	return path;
}
