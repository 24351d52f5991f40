/*
** fixed.h: fixed-point decimals.  Money is kept in integer fen (yuan x 100),
** weights and ratios in units of 10^-4, points in milli-points, so every
** result is exact and a rerun is byte-identical.  Text <-> scaled integers,
** and the one rounded multiply-divide all pricing arithmetic goes through.
*/
#ifndef DRG_FIXED_H
#define DRG_FIXED_H

#include <stddef.h>
#include <stdint.h>

#include "drg/drg.h"

/* Largest magnitude fixed_parse accepts (10^15: a trillion yuan in fen). */
#define FIXED_MAX INT64_C(1000000000000000)

/* Parses a decimal ("-12.5", "+3", ".25") with at most `scale` decimals
** (further decimals must be zeros) into value x 10^scale.  0, or -1 when
** malformed or beyond FIXED_MAX. */
int fixed_parse(drg_text t, int scale, int64_t *out);

/* The usual shape of a decimal in a case file: 1 to `width` plain digits,
** then optionally a '.' and at most `scale` digits ("57", "176968.21").
** Returns 1 with *out = value x 10^scale when t has that shape, else 0 (t
** may still be a decimal fixed_parse() accepts: "+3", ".25", "12.50" at scale
** 1).  width + scale <= 15 keeps the value below FIXED_MAX.  Inline, with
** constant scale and width, where a case is read: a call per field cost more
** than its digits (callgrind), and a shape test before fixed_parse() would
** scan the digits twice. */
static inline int fixed_usual(drg_text t, int scale, size_t width, int64_t *out)
{
	int64_t v = 0;
	size_t i = 0, lim = t.len < width ? t.len : width;
	int dec = 0;
	unsigned d;
	for (; i < lim && (d = (unsigned)(unsigned char)t.ptr[i] - '0') < 10; i++)
		v = v * 10 + d;
	if (i == 0)
		return 0;
	if (i < t.len && t.ptr[i] == '.')
		for (i++; i < t.len && dec < scale && (d = (unsigned)(unsigned char)t.ptr[i] - '0') < 10;
		     i++, dec++)
			v = v * 10 + d;
	if (i < t.len)
		return 0;
	for (; dec < scale; dec++)
		v *= 10;
	*out = v;
	return 1;
}

/* A count (an integer in int32 range): fixed_parse(t, 0, out) within
** INT32_MIN..INT32_MAX, its usual shape read inline. */
static inline int fixed_parse_count(drg_text t, int64_t *out)
{
	if (fixed_usual(t, 0, 9, out))
		return 0;
	return fixed_parse(t, 0, out) == 0 && *out >= INT32_MIN && *out <= INT32_MAX ? 0 : -1;
}

/* An amount in yuan, as fen: fixed_parse(t, 2, out), its usual shape read
** inline. */
static inline int fixed_parse_money(drg_text t, int64_t *out)
{
	return fixed_usual(t, 2, 13, out) ? 0 : fixed_parse(t, 2, out);
}

/* Writes v / 10^scale with exactly `scale` decimals ("-0.05"), NUL-terminated,
** into buf (at least 24 bytes); returns the length. */
size_t fixed_format(char *buf, int64_t v, int scale);

enum rounding { ROUND_HALF_UP, ROUND_HALF_EVEN, ROUND_DOWN, ROUND_COUNT };

/* Names as in the spec: "half-up" (away from zero), "half-even", "down"
** (toward zero). */
extern const char *const rounding_names[ROUND_COUNT];

/* *out = a x b / d rounded by mode (d > 0).  0, or -1 on overflow. */
int fixed_muldiv(int64_t *out, int64_t a, int64_t b, int64_t d, enum rounding mode);

#endif
