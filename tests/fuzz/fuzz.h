/*
** fuzz.h: the libFuzzer entry point every fuzz target defines.  Built with
** clang -fsanitize=fuzzer (cmake -DDRG_FUZZ=ON) the targets fuzz; otherwise
** replay.c supplies main() and runs the target over the committed corpus
** files, which is what ctest does on every build.
*/
#ifndef DRG_FUZZ_H
#define DRG_FUZZ_H

#include <stddef.h>
#include <stdint.h>

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

/* Writes data to a private temporary file and returns its path (reused per process). */
const char *fuzz_tmpfile(const uint8_t *data, size_t size, const char *suffix);

#endif
