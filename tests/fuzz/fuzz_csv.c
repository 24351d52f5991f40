/*
** fuzz_csv.c: the CSV splitter and tokenizer on arbitrary bytes: no crash,
** every byte consumed, and both agree on the number of records.
*/
#include <stdlib.h>
#include <string.h>

#include "csv.h"
#include "fuzz.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	char *buf = malloc(size ? size : 1);
	csv_record r;
	long recs = 0, lines = 0, parsed = 0;
	if (!buf)
		return 0;
	memcpy(buf, data, size);
	size_t cut = csv_split(buf, size, 1, &recs, &lines);
	char *p = buf, *end = buf + cut;
	while (p < end) {
		char *next = csv_parse(&r, p, end);
		if (next <= p || next > end || r.nf == 0)
			abort();
		p = next;
		parsed++;
	}
	if (cut != size || parsed != recs)
		abort();
	free(buf);
	return 0;
}
