/*
** case.c: filling a case from text: numbers parsed, codes and symbols looked
** up in the spec's hash tables, dates and fund types checked.  This is where text becomes ids, once per case;
** grouping itself then compares integers only.
*/
#include <string.h>
#ifdef __SSE2__
#include <emmintrin.h>
#endif

#include "fixed.h"
#include "spec.h"
#include "xwalk.h"

const char *const drg_field_names[DRG_F_COUNT] = {
	"sex", "age", "age_days", "birth_weight", "dept", "los", "discharge", "icu_hours",
	"total_cost", "exempt_cost", "fund_type", "hospital_level", "hospital_id",
	"discharge_date", "vent_hours"};

const char *const drg_fund_names[DRG_FUND_COUNT] = {"employee", "resident"};

/* How each field's text is read.  ORDER drg_field */
enum fkind { FK_SYMBOL, FK_INT, FK_MONEY, FK_FUND, FK_LEVEL, FK_TEXT, FK_DATE };
static const unsigned char field_kind[DRG_F_COUNT] = {
	FK_SYMBOL, FK_INT, FK_INT, FK_INT, FK_SYMBOL, FK_INT, FK_SYMBOL, FK_INT,
	FK_MONEY, FK_MONEY, FK_FUND, FK_LEVEL, FK_TEXT, FK_DATE, FK_INT};

const char *case_field_expects(enum drg_field f)
{
	static const char *const what[] = {
		"a code", "a number", "an amount in yuan", "a fund type (employee or resident)",
		"a hospital level (1, 2 or 3)", "a text", "a date (YYYY-MM-DD)"};
	return (unsigned)f < DRG_F_COUNT ? what[field_kind[f]] : "?";
}

/* "YYYY-MM-DD" -> YYYYMMDD, checking the day exists.  0 or -1. */
static int parse_date(drg_text t, int64_t *out)
{
	static const unsigned char mdays[12] = {31, 29, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31};
	int v[3] = {0, 0, 0}, width[3] = {4, 2, 2};
	size_t i = 0;
	if (t.len != 10)
		return -1;
	for (int k = 0; k < 3; k++, i++) {
		for (int j = 0; j < width[k]; j++, i++) {
			if (t.ptr[i] < '0' || t.ptr[i] > '9')
				return -1;
			v[k] = v[k] * 10 + (t.ptr[i] - '0');
		}
		if (k < 2 && t.ptr[i] != '-')
			return -1;
	}
	int leap = (v[0] % 4 == 0 && v[0] % 100 != 0) || v[0] % 400 == 0;
	if (v[0] < 1900 || v[1] < 1 || v[1] > 12 || v[2] < 1 || v[2] > mdays[v[1] - 1] ||
	    (v[1] == 2 && v[2] == 29 && !leap))
		return -1;
	*out = (int64_t)v[0] * 10000 + v[1] * 100 + v[2];
	return 0;
}

/* Reads t as a field of kind k into *num (symbols are looked up by the caller).
** 0, or -1 when it does not parse. */
static int parse_field(enum fkind k, drg_text t, int64_t *num)
{
	switch (k) {
	case FK_INT:
		return fixed_parse_count(t, num);
	case FK_MONEY:
		return fixed_parse_money(t, num);
	case FK_FUND:
		for (int i = 0; i < DRG_FUND_COUNT; i++)
			if (strlen(drg_fund_names[i]) == t.len && !memcmp(drg_fund_names[i], t.ptr, t.len))
				return *num = i, 0;
		return -1;
	case FK_LEVEL:
		return t.len == 1 && t.ptr[0] >= '1' && t.ptr[0] <= '3' ? (*num = t.ptr[0] - '0', 0) : -1;
	case FK_DATE:
		return parse_date(t, num);
	default:
		return 0;
	}
}

/* Reads t into field f of c (f < DRG_F_COUNT) and stores its text; returns
** what it is: 0 empty (missing), 1 a value, 2 malformed.  The bits of f in
** c->present and c->malformed are the caller's. */
static inline int read_field(drg_case *c, enum drg_field f, drg_text t)
{
	c->text[f] = t;
	if (t.len == 0)
		return 0;
	if (field_kind[f] == FK_SYMBOL) {
		c->sym[f] = t.len == 1 ? c->spec->sym_byte[(unsigned char)t.ptr[0]]
				       : img_lookup(&c->spec->im, SEC_SYM_HASH, t.ptr, t.len);
		return 1;
	}
	return parse_field((enum fkind)field_kind[f], t, &c->num[f]) < 0 ? 2 : 1;
}

void drg_case_set(drg_case *c, enum drg_field f, drg_text t)
{
	if ((unsigned)f >= DRG_F_COUNT)
		return;
	uint32_t bit = 1u << f;
	int r = read_field(c, f, t);
	c->present = (c->present & ~bit) | (r == 1 ? bit : 0);
	c->malformed = (c->malformed & ~bit) | (r == 2 ? bit : 0);
}

void case_fill_fields(drg_case *c, const unsigned char *fields, const size_t *cols, int n,
		      const drg_text *cells, size_t ncells)
{
	uint32_t present = 0, malformed = 0;
	for (int i = 0; i < n; i++) {
		drg_text t = cols[i] < ncells ? cells[cols[i]] : (drg_text){"", 0};
		int r = read_field(c, (enum drg_field)fields[i], t);
		present |= (uint32_t)(r == 1) << fields[i];
		malformed |= (uint32_t)(r == 2) << fields[i];
	}
	c->present = present;
	c->malformed = malformed;
}

void case_plan(drg_spec *spec)
{
	for (int b = 0; b < 256; b++) {
		char ch = (char)b;
		spec->sym_byte[b] = img_lookup(&spec->im, SEC_SYM_HASH, &ch, 1);
	}
}

/* Reads one code p[0..n) into *id, through the crosswalk table t when
** there is one.  Returns how it was read (enum xw_how), or -1 when the
** crosswalk drops the code. */
static inline int read_code(const drg_case *c, const xw_table *t, enum img_sec hsec,
			    const char *p, size_t n, uint32_t *id)
{
	if (!n)
		t = NULL;   /* an empty part is an unknown code, crosswalk or not */
	const xw_entry *e = t ? xwalk_find(t, p, n) : NULL;
	if (e && e->drop)
		return -1;
	*id = e ? e->to_id : n ? img_lookup(&c->spec->im, hsec, p, n) : IMG_NONE;
	return !t ? XW_DIRECT : e ? XW_MAPPED : XW_UNMAPPED;
}

/* The first '|' in p[0..end), or end; start <= p is where the text begins.
** Codes are short, so 16 bytes at a time with SSE2 (every x86-64) where that
** many are left, else the text's last 16 bytes with those before p masked
** off, and bytes only for texts under 16: no call per code (memchr's was ~30
** instructions) and no byte loop for the last code of a list. */
static inline const char *next_bar(const char *start, const char *p, const char *end)
{
#ifdef __SSE2__
	const __m128i bar = _mm_set1_epi8('|');
	for (; end - p >= 16; p += 16) {
		__m128i v = _mm_loadu_si128((const __m128i *)(const void *)p);
		unsigned m = (unsigned)_mm_movemask_epi8(_mm_cmpeq_epi8(v, bar));
		if (m)
			return p + __builtin_ctz(m);
	}
	if (end - start >= 16) {
		const char *q = end - 16;   /* q < p <= end */
		__m128i v = _mm_loadu_si128((const __m128i *)(const void *)q);
		unsigned m = (unsigned)_mm_movemask_epi8(_mm_cmpeq_epi8(v, bar)) >> (p - q);
		return m ? p + __builtin_ctz(m) : end;
	}
#else
	(void)start;
#endif
	while (p < end && *p != '|')
		p++;
	return p;
}

/* Splits joined on '|' into ids via the hash table hsec (and the crosswalk
** table t, if any).  An empty text gives no codes, or one unknown code when
** empty_is_code; empty parts are unknown codes.  DRG_ERANGE past
** DRG_MAX_CODES (the case is then invalid).  Inlined into the dx and the px
** reader, each with and without a crosswalk, so that each copy looks up in a
** constant table and the usual one has no crosswalk tests; the counts are
** kept in locals (the id stores may alias c's counters) and stored once. */
static inline __attribute__((always_inline)) int set_codes(drg_case *c, drg_text joined,
							   enum img_sec hsec, const xw_table *t,
							   uint32_t *ids, uint8_t *hows,
							   drg_text *texts, uint32_t *count,
							   int empty_is_code)
{
	int k = hsec == SEC_PX_HASH, rc = DRG_OK;
	uint32_t n = 0, ndropped = 0, nunmapped = 0;
	const char *p = joined.ptr, *end = joined.ptr + joined.len;
	if (joined.len == 0 && empty_is_code) {
		texts[0] = (drg_text){"", 0};
		ids[0] = IMG_NONE;
		hows[0] = XW_DIRECT;
		n = 1;
	}
	while (joined.len) {
		const char *stop = next_bar(joined.ptr, p, end);
		if (n + ndropped == DRG_MAX_CODES) {
			c->too_many = 1;
			rc = DRG_ERANGE;
			break;
		}
		texts[n] = (drg_text){p, (size_t)(stop - p)};
		int how = read_code(c, t, hsec, p, (size_t)(stop - p), &ids[n]);
		if (how < 0) {
			c->dropped[k][ndropped++] = texts[n];
		} else {
			hows[n++] = (uint8_t)how;
			nunmapped += how == XW_UNMAPPED;
		}
		if (stop == end)
			break;
		p = stop + 1;
	}
	*count = n;
	c->ndropped[k] = ndropped;
	c->nunmapped[k] = nunmapped;
	return rc;
}

int drg_case_set_dx(drg_case *c, drg_text joined)
{
	int empty_is_code = (c->spec->im.h->flags & IMG_F_EMPTY_DX_IS_CODE) != 0;
	const xw_table *t = c->xw && c->xw->tab[0].nent ? &c->xw->tab[0] : NULL;
	if (t)
		return set_codes(c, joined, SEC_DX_HASH, t, c->dx, c->dx_how, c->dx_text, &c->ndx,
				 empty_is_code);
	return set_codes(c, joined, SEC_DX_HASH, NULL, c->dx, c->dx_how, c->dx_text, &c->ndx,
			 empty_is_code);
}

int drg_case_set_px(drg_case *c, drg_text joined)
{
	const xw_table *t = c->xw && c->xw->tab[1].nent ? &c->xw->tab[1] : NULL;
	if (t)
		return set_codes(c, joined, SEC_PX_HASH, t, c->px, c->px_how, c->px_text, &c->npx, 0);
	return set_codes(c, joined, SEC_PX_HASH, NULL, c->px, c->px_how, c->px_text, &c->npx, 0);
}
