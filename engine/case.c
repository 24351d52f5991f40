/*
** case.c: filling a case from text: numbers parsed, codes and symbols looked
** up in the spec's hash tables.  This is where text becomes ids, once per case;
** grouping itself then compares integers only.
*/
#include <limits.h>
#include <string.h>

#include "spec.h"

const char *const drg_field_names[DRG_F_COUNT] = {
	"sex", "age", "age_days", "birth_weight", "dept", "los", "discharge", "icu_hours",
	"total_cost"};

static int is_symbol_field(enum drg_field f)
{
	return f == DRG_F_SEX || f == DRG_F_DEPT || f == DRG_F_DISCHARGE;
}

/* Parses a decimal with at most `scale` significant decimals (more decimals
** must be zeros) into value * 10^scale.  0, or -1 when malformed or too big. */
static int parse_fixed(drg_text t, int scale, int64_t *out)
{
	size_t i = 0;
	int neg = 0, digits = 0, dec = 0;
	int64_t v = 0;
	if (i < t.len && (t.ptr[i] == '-' || t.ptr[i] == '+'))
		neg = t.ptr[i++] == '-';
	for (; i < t.len && t.ptr[i] >= '0' && t.ptr[i] <= '9'; i++, digits++) {
		if (v > (INT64_MAX / 100 - 9) / 10)
			return -1;
		v = v * 10 + (t.ptr[i] - '0');
	}
	if (i < t.len && t.ptr[i] == '.') {
		for (i++; i < t.len && t.ptr[i] >= '0' && t.ptr[i] <= '9'; i++, digits++) {
			if (dec < scale)
				v = v * 10 + (t.ptr[i] - '0'), dec++;
			else if (t.ptr[i] != '0')
				return -1;
		}
	}
	if (i != t.len || digits == 0)
		return -1;
	for (; dec < scale; dec++)
		v *= 10;
	*out = neg ? -v : v;
	return 0;
}

void drg_case_set(drg_case *c, enum drg_field f, drg_text t)
{
	uint32_t bit = 1u << f;
	if ((unsigned)f >= DRG_F_COUNT)
		return;
	c->text[f] = t;
	c->present &= ~bit;
	c->malformed &= ~bit;
	if (t.len == 0)
		return;
	if (is_symbol_field(f)) {
		c->sym[f] = img_lookup(&c->spec->im, SEC_SYM_HASH, t.ptr, t.len);
		c->present |= bit;
	} else if (parse_fixed(t, f == DRG_F_TOTAL_COST ? 2 : 0, &c->num[f]) == 0 &&
		   (f == DRG_F_TOTAL_COST || (c->num[f] >= INT32_MIN && c->num[f] <= INT32_MAX))) {
		c->present |= bit;
	} else {
		c->malformed |= bit;
	}
}

/* Splits joined on '|' into ids via the hash table hsec.  An empty text gives
** no codes, or one unknown code when empty_is_code; empty parts are unknown
** codes.  DRG_ERANGE past DRG_MAX_CODES (the case is then invalid). */
static int set_codes(drg_case *c, drg_text joined, enum img_sec hsec, uint32_t *ids,
		     drg_text *texts, uint32_t *n, int empty_is_code)
{
	*n = 0;
	if (joined.len == 0) {
		if (empty_is_code) {
			texts[0] = (drg_text){"", 0};
			ids[0] = IMG_NONE;
			*n = 1;
		}
		return DRG_OK;
	}
	const char *p = joined.ptr, *end = joined.ptr + joined.len;
	for (;;) {
		const char *bar = memchr(p, '|', (size_t)(end - p));
		const char *stop = bar ? bar : end;
		if (*n == DRG_MAX_CODES) {
			c->too_many = 1;
			return DRG_ERANGE;
		}
		texts[*n] = (drg_text){p, (size_t)(stop - p)};
		ids[(*n)++] = stop > p ? img_lookup(&c->spec->im, hsec, p, (size_t)(stop - p)) : IMG_NONE;
		if (!bar)
			return DRG_OK;
		p = bar + 1;
	}
}

int drg_case_set_dx(drg_case *c, drg_text joined)
{
	int empty_is_code = (c->spec->im.h->flags & IMG_F_EMPTY_DX_IS_CODE) != 0;
	return set_codes(c, joined, SEC_DX_HASH, c->dx, c->dx_text, &c->ndx, empty_is_code);
}

int drg_case_set_px(drg_case *c, drg_text joined)
{
	return set_codes(c, joined, SEC_PX_HASH, c->px, c->px_text, &c->npx, 0);
}
