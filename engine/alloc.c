/*
** alloc.c: the allocator wrapper, the only file that includes jemalloc.
**
** jemalloc is linked as the process allocator (Debian builds it unprefixed), and
** we call it through these wrappers so that the engine has one place to count,
** tune or fail allocations.  The grouping path never allocates: everything it
** needs lives in the compiled spec or in the per-thread scratch.
*/
#include "alloc.h"

#include <jemalloc/jemalloc.h>
#include <stdint.h>
#include <stdio.h>
#include <string.h>

#ifdef DRG_ALLOC_TESTING
static _Thread_local long fail_countdown = -1;

void drg_alloc_fail_after(long n) { fail_countdown = n; }

/* True when the injected failure is due now. */
static int should_fail(void)
{
	if (fail_countdown < 0)
		return 0;
	if (fail_countdown == 0) {
		fail_countdown = -1;
		return 1;
	}
	fail_countdown--;
	return 0;
}
#else
#define should_fail() 0
#endif

void *drg_malloc(size_t n)
{
	if (should_fail())
		return NULL;
	return malloc(n ? n : 1);
}

void *drg_calloc(size_t count, size_t n)
{
	if (n && count > SIZE_MAX / n)
		return NULL;
	if (should_fail())
		return NULL;
	return calloc(count ? count : 1, n ? n : 1);
}

void *drg_realloc(void *p, size_t n)
{
	if (should_fail())
		return NULL;
	return realloc(p, n ? n : 1);
}

void drg_free(void *p) { free(p); }

char *drg_strndup(const char *s, size_t n)
{
	char *d = drg_malloc(n + 1);
	if (!d)
		return NULL;
	memcpy(d, s, n);
	d[n] = '\0';
	return d;
}

size_t drg_mem_allocated(void)
{
	uint64_t epoch = 1;
	size_t allocated = 0, len = sizeof(allocated), elen = sizeof(epoch);
	mallctl("epoch", &epoch, &elen, &epoch, elen);
	if (mallctl("stats.allocated", &allocated, &len, NULL, 0) != 0)
		return 0;
	return allocated;
}

size_t drg_mem_peak_rss(void)
{
	FILE *f = fopen("/proc/self/status", "r");
	char line[256];
	size_t kb = 0;
	if (!f)
		return 0;
	while (fgets(line, sizeof(line), f))
		if (sscanf(line, "VmHWM: %zu kB", &kb) == 1)
			break;
	fclose(f);
	return kb * 1024;
}
