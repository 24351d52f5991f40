/*
** fixed.c: see fixed.h.
*/
#include "fixed.h"

const char *const rounding_names[ROUND_COUNT] = {"half-up", "half-even", "down"};

int fixed_parse(drg_text t, int scale, int64_t *out)
{
	const char *p = t.ptr, *end = t.ptr + t.len;
	int neg = 0, digits = 0, dec = 0;
	int64_t v = 0;
	unsigned d;
	if (p < end && (*p == '-' || *p == '+'))
		neg = *p++ == '-';
	for (; p < end && (d = (unsigned)(*p - '0')) < 10; p++, digits++)
		if ((v = v * 10 + d) > FIXED_MAX)
			return -1;
	if (p < end && *p == '.') {
		for (p++; p < end && (d = (unsigned)(*p - '0')) < 10; p++, digits++) {
			if (dec < scale)
				v = v * 10 + d, dec++;
			else if (d)
				return -1;
			if (v > FIXED_MAX)
				return -1;
		}
	}
	if (p != end || digits == 0)
		return -1;
	for (; dec < scale; dec++)
		if ((v *= 10) > FIXED_MAX)
			return -1;
	*out = neg ? -v : v;
	return 0;
}

size_t fixed_format(char *buf, int64_t v, int scale)
{
	char tmp[24];
	size_t n = 0, len = 0;
	uint64_t u = v < 0 ? 0 - (uint64_t)v : (uint64_t)v;
	do {
		tmp[n++] = (char)('0' + u % 10);
		u /= 10;
	} while (u || n <= (size_t)scale);
	if (v < 0)
		buf[len++] = '-';
	while (n) {
		if (n == (size_t)scale)
			buf[len++] = '.';
		buf[len++] = tmp[--n];
	}
	buf[len] = '\0';
	return len;
}

int fixed_muldiv(int64_t *out, int64_t a, int64_t b, int64_t d, enum rounding mode)
{
	int64_t p;
	if (d <= 0 || __builtin_mul_overflow(a, b, &p))
		return -1;
	int64_t q = p / d, r = p % d;   /* truncated toward zero */
	int64_t twice = r < 0 ? -2 * r : 2 * r;
	int away = 0;
	if (r != 0 && mode == ROUND_HALF_UP)
		away = twice >= d;
	else if (r != 0 && mode == ROUND_HALF_EVEN)
		away = twice > d || (twice == d && (q & 1));
	if (away)
		q += p < 0 ? -1 : 1;
	*out = q;
	return 0;
}
