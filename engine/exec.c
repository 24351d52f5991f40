/*
** exec.c: grouping one case with a compiled spec (our lvm.c).
**
** run() is the condition interpreter: one switch over the opcodes of ops.def,
** each case a test on integers of the case (code ids, field values, symbol
** ids) and the image (sorted sets, dense maps), then a forward jump.  Around it,
** group_codes() walks the decision tables: validation checks, then MDCs in
** order (entry condition, then each step: an ADRG rule with its QY check and
** ordered DRG splits, or a QY step), first match wins; an MDC that yields
** nothing passes on to the next, or ends the walk when it keeps its cases.
** A rule whose guard bit is clear is skipped without running its program,
** except when tracing, so that a trace records every rule the walk reaches;
** exec_plan() lays the guards of the MDCs and steps out once per spec as bit
** positions, so that skipping a step is one load and one bit test.
** An invalid principal procedure (settings invalid-main-px) empties its slot
** before anything is tested.  Nothing here allocates, compares strings or
** touches a regex; a trace is a fixed array in the scratch, written only on
** request, and exec_replay() re-runs one condition for drg_explain().
*/
#include <stdio.h>
#include <string.h>

#include "alloc.h"
#include "spec.h"
#include "xwalk.h"

/* What run() reads: the case's codes, possibly with a procedure view, and
** the sets they belong to, per role (bits of ROLE_* runs of nwords words). */
typedef struct ctx {
	const img *im;
	const drg_spec *spec;
	const drg_case *c;
	const uint32_t *dx, *px;
	uint32_t ndx, npx;
	int px0_emptied;       /* the principal procedure is invalid as such: its slot is empty */
	uint64_t *bits;
	uint32_t nwords;
} ctx;

/* Sets, in both bitsets r and a, the bits of the sets holding code id in the
** membership index start/memb (unknown ids hold none). */
static inline void mark(const uint32_t *start, const uint32_t *memb, uint32_t ncodes,
			uint32_t id, uint64_t *r, uint64_t *a)
{
	if (id >= ncodes)
		return;
	for (uint32_t j = start[id]; j < start[id + 1]; j++) {
		uint64_t bit = 1ull << (memb[j] & 63);
		r[memb[j] >> 6] |= bit;
		a[memb[j] >> 6] |= bit;
	}
}

/* Fills the three role bitsets from `main` (principal, secondary, any) for n
** codes of kind k (0 dx, 1 px); an emptied first slot marks none.  The
** principal code marks all its sets, the others only those the spec tests
** as secondary or any (exec_plan), so bits of other sets in those two runs
** are left clear: nothing reads them.  Each code marks "any" as it marks its
** own role (cheaper than or-ing the runs: a code holds few sets). */
static void roles(const ctx *x, int main, int k, const uint32_t *ids, uint32_t n,
		  int first_emptied)
{
	const img *im = x->im;
	const drg_spec *spec = x->spec;
	uint32_t w = x->nwords, ncodes = IMG_COUNT(im, k ? SEC_PX_CODE : SEC_DX_CODE);
	uint64_t *m = x->bits + (size_t)main * w, *s = m + w, *a = s + w;
	memset(m, 0, 3 * (size_t)w * sizeof(*m));
	if (n && !first_emptied)
		mark(k ? im->px_memb : im->dx_memb, im->memb, ncodes, ids[0], m, a);
	for (uint32_t i = 1; i < n; i++)
		mark(spec->sec_start[k], spec->sec_memb[k], ncodes, ids[i], s, a);
}

static void dx_roles(const ctx *x)
{
	roles(x, ROLE_MAIN_DX, 0, x->dx, x->ndx, 0);
}

/* Procedure roles of the current view; first decides whether its principal
** procedure is one the spec empties (settings invalid-main-px). */
static void px_roles(ctx *x)
{
	x->px0_emptied = img_px0_emptied(x->im, x->px, x->npx);
	roles(x, ROLE_MAIN_PX, 1, x->px, x->npx, x->px0_emptied);
}

/* Does the code in `role` belong to set k? */
static inline int in_role(const ctx *x, int role, uint32_t k)
{
	return (int)(x->bits[(size_t)role * x->nwords + (k >> 6)] >> (k & 63) & 1);
}

/* v cmp k, without a branch per comparison kind: bit (v > k) - (v < k) + 1
** (below, equal, above) of the kind's truth mask.  cmp < CMP_COUNT
** (img_open() checks it). */
static inline int compare(int64_t v, unsigned cmp, int64_t k)
{
	static const unsigned char truth[CMP_COUNT] = {
		[CMP_LT] = 1, [CMP_LE] = 3, [CMP_GT] = 4, [CMP_GE] = 6, [CMP_EQ] = 2, [CMP_NE] = 5};
	return truth[cmp] >> ((v > k) - (v < k) + 1) & 1;
}

/* Some secondary diagnosis is in map k and not excluded: excluded means the
** principal diagnosis's value in exclusion map `excl` equals its value. */
static int has_cc(const ctx *x, uint32_t k, uint32_t excl)
{
	unsigned t = x->ndx ? img_map_value(x->im, excl, x->dx[0]) : 0;
	for (uint32_t i = 1; i < x->ndx; i++) {
		unsigned v = img_map_value(x->im, k, x->dx[i]);
		if (v && v != t)
			return 1;
	}
	return 0;
}

/* Number of distinct nonzero values of map k over all diagnoses. */
static unsigned distinct_values(const ctx *x, uint32_t k)
{
	unsigned seen[DRG_MAX_CODES], n = 0;
	for (uint32_t i = 0; i < x->ndx; i++) {
		unsigned v = img_map_value(x->im, k, x->dx[i]), j;
		for (j = 0; j < n && seen[j] != v; j++)
			;
		if (v && j == n)
			seen[n++] = v;
	}
	return n;
}

/* The outcome of one test op (any opcode but OP_RET).  Forced inline: run()
** is the hot loop, and a call per op costs ~8 % of a grouping (callgrind). */
static inline __attribute__((always_inline)) int op_holds(const ctx *x, const img_op *o)
{
	const img *im = x->im;
	const drg_case *c = x->c;
	switch (o->code) { /* ORDER OP */
	case OP_CONST:
		return (int)o->k;
	case OP_MAIN_DX:   /* one case per role, not img_op_role(): a table load per op
			      costs ~1 % of a grouping (callgrind) */
		return in_role(x, ROLE_MAIN_DX, o->k);
	case OP_ANY_DX:
		return in_role(x, ROLE_ANY_DX, o->k);
	case OP_SEC_DX:
		return in_role(x, ROLE_SEC_DX, o->k);
	case OP_MAIN_PX:
		return in_role(x, ROLE_MAIN_PX, o->k);
	case OP_ANY_PX:
		return in_role(x, ROLE_ANY_PX, o->k);
	case OP_SEC_PX:
		return in_role(x, ROLE_SEC_PX, o->k);
	case OP_COUNT:
		return compare(o->a ? x->npx : x->ndx, o->b, (int32_t)o->k);
	case OP_CMP:
		return (c->present >> o->a & 1) && compare(c->num[o->a], o->b, (int32_t)o->k);
	case OP_MISSING:
		return !(c->present >> o->a & 1);
	case OP_NONZERO:
		return (c->present >> o->a & 1) && c->num[o->a] != 0;
	case OP_SYM_IN:
		return (c->present >> o->a & 1) && img_in_set(im, o->k, c->sym[o->a]);
	case OP_HAS_CC:
		return has_cc(x, o->k, o->b);
	case OP_SITES:
		return distinct_values(x, o->k) >= o->a;
	case OP_MAIN_PX_GIVEN:
		return x->npx > 0 && !x->px0_emptied;
	default:   /* img_open() rejects unknown opcodes: no range check per op */
		__builtin_unreachable();
	}
}

/* Runs the condition program starting at op pc; IMG_NONE is always true. */
static int run(const ctx *x, uint32_t pc)
{
	if (pc == IMG_NONE)
		return 1;
	const img_op *o = x->im->op + pc;
	while (o->code != OP_RET)
		o += op_holds(x, o) ? o->jt : o->jf;
	return (int)o->k;
}

int exec_replay(const drg_scratch *s, uint32_t px_first, uint32_t px_n, uint32_t pc,
		void (*fn)(void *arg, const img_op *o, int holds), void *arg)
{
	uint64_t bits[ROLE_COUNT * REPLAY_MAX_WORDS];
	const drg_case *c = &s->c;
	if (s->spec->nwords > REPLAY_MAX_WORDS || px_first > c->npx || px_n > c->npx - px_first)
		return -1;
	ctx x = {&s->spec->im, s->spec, c, c->dx, c->px + px_first, c->ndx, px_n, 0, bits, s->spec->nwords};
	dx_roles(&x);
	px_roles(&x);
	if (pc == IMG_NONE)
		return 1;
	const img_op *o = x.im->op + pc;
	while (o->code != OP_RET) {
		int r = op_holds(&x, o);
		fn(arg, o, r);
		o += r ? o->jt : o->jf;
	}
	return (int)o->k;
}

/* ---------------------------------------------------------------- tables */

/* Is bit b of the case's set bits set?  b is a guard's position (exec_plan);
** most rules of a walk fail here, on one bit.  When tracing, every rule is run
** instead, so that each is recorded. */
static inline int bit_set(const uint64_t *bits, uint32_t b)
{
	return (int)(bits[b >> 6] >> (b & 63) & 1);
}

/* The position of guard g's bit: role run, then set; no guard: the first bit
** of the word of ones after the role runs. */
static uint32_t guard_pos(uint32_t nwords, const img_guard *g)
{
	if (g->set == IMG_NONE)
		return ROLE_COUNT * 64 * nwords;
	return g->role * 64 * nwords + g->set;
}

/* Marks set in used[] with the bit of its code kind (0 dx, 1 px) when role
** tests a secondary or any code. */
static void note_secondary(uint8_t *used, uint32_t role, uint32_t set)
{
	if (role != ROLE_MAIN_DX && role != ROLE_MAIN_PX)
		used[set] |= (uint8_t)(1u << (role >= ROLE_MAIN_PX));
}

/* Marks in used[set] bit k (0 dx, 1 px) the sets that an op or a guard
** tests as secondary or any code of kind k. */
static void sets_tested_secondary(const img *im, uint8_t *used)
{
	uint32_t nmdc = IMG_COUNT(im, SEC_MDC);
	for (uint32_t i = 0; i < IMG_COUNT(im, SEC_OP); i++) {
		const img_op *o = &im->op[i];
		if (o->code >= OP_MAIN_DX && o->code <= OP_SEC_PX)
			note_secondary(used, img_op_role(o->code), o->k);
	}
	for (uint32_t i = 0; i < nmdc + IMG_COUNT(im, SEC_ADRG); i++) {
		const img_guard *g = i < nmdc ? &im->mdc[i].guard : &im->adrg[i - nmdc].guard;
		if (g->set != IMG_NONE)
			note_secondary(used, g->role, g->set);
	}
}

/* spec->sec_start[k], sec_memb[k]: the membership index of codes of kind k
** (0 dx, 1 px) restricted to the sets with bit k in used.  DRG_OK or
** DRG_ENOMEM. */
static int secondary_index(drg_spec *spec, int k, const uint8_t *used)
{
	const img *im = &spec->im;
	const uint32_t *start = k ? im->px_memb : im->dx_memb;
	uint32_t ncodes = IMG_COUNT(im, k ? SEC_PX_CODE : SEC_DX_CODE), n = 0;
	for (uint32_t j = start[0]; j < start[ncodes]; j++)
		n += used[im->memb[j]] >> k & 1;
	uint32_t *ix = drg_malloc(((size_t)ncodes + 1 + n) * sizeof(uint32_t));
	if (!ix)
		return DRG_ENOMEM;
	spec->sec_start[k] = ix;
	spec->sec_memb[k] = ix + ncodes + 1;
	n = 0;
	for (uint32_t id = 0; id < ncodes; id++) {
		ix[id] = n;
		for (uint32_t j = start[id]; j < start[id + 1]; j++)
			if (used[im->memb[j]] >> k & 1)
				spec->sec_memb[k][n++] = im->memb[j];
	}
	ix[ncodes] = n;
	return DRG_OK;
}

int exec_plan(drg_spec *spec)
{
	const img *im = &spec->im;
	uint32_t nmdc = IMG_COUNT(im, SEC_MDC), nstep = IMG_COUNT(im, SEC_STEP);
	uint32_t nsets = IMG_COUNT(im, SEC_SET);
	static const img_guard none = {0, IMG_NONE};
	spec->nwords = (nsets + 63) / 64;
	/* + 1: never a zero-byte request; positions fit: a set takes 12 image
	** bytes, so ROLE_COUNT * 64 * nwords stays far below 2^32 */
	spec->guard_bit = drg_malloc(((size_t)nmdc + nstep + 1) * sizeof(uint32_t));
	uint8_t *used = drg_calloc((size_t)nsets + 1, 1);
	int rc = spec->guard_bit && used ? DRG_OK : DRG_ENOMEM;
	if (rc == DRG_OK) {
		sets_tested_secondary(im, used);
		rc = secondary_index(spec, 0, used);
	}
	if (rc == DRG_OK)
		rc = secondary_index(spec, 1, used);
	drg_free(used);
	if (rc != DRG_OK)
		return rc;
	for (uint32_t m = 0; m < nmdc; m++)
		spec->guard_bit[m] = guard_pos(spec->nwords, &im->mdc[m].guard);
	for (uint32_t i = 0; i < nstep; i++) {
		const img_step *st = &im->step[i];
		const img_guard *g = st->kind == STEP_ADRG ? &im->adrg[st->arg].guard : &none;
		spec->guard_bit[nmdc + i] = guard_pos(spec->nwords, g);
	}
	return DRG_OK;
}

static void ev(drg_scratch *s, int on, enum trace_kind kind, int ok, uint32_t idx, unsigned aux)
{
	if (!on)
		return;
	if (s->ntrace == CASE_MAX_TRACE) {
		s->truncated = 1;
		return;
	}
	s->trace[s->ntrace++] = (trace_ev){(uint8_t)kind, (uint8_t)ok, (uint16_t)aux, idx};
}

/* Tries ADRG rule a (whose guard holds): its condition, its QY check, then its splits in order.
** Returns a result index, or IMG_NONE to continue with the next step. */
static uint32_t try_adrg(const ctx *x, drg_scratch *s, int tr, uint32_t a)
{
	const img_adrg *r = &x->im->adrg[a];
	int ok = run(x, r->when);
	ev(s, tr, EV_ADRG, ok, a, 0);
	if (!ok)
		return IMG_NONE;
	if (r->qy != IMG_NONE) {
		ok = run(x, r->qy);
		ev(s, tr, EV_ADRG_QY, ok, a, 0);
		if (ok)
			return r->qy_result;
	}
	for (uint32_t i = r->split; i < r->split + r->nsplit; i++) {
		ok = run(x, x->im->split[i].when);
		ev(s, tr, EV_SPLIT, ok, i, 0);
		if (ok)
			return x->im->split[i].result;
	}
	ev(s, tr, EV_FALLBACK, r->fallback != IMG_NONE, a, 0);
	return r->fallback;
}

/* The MDC walk: first MDC, then step, that yields a result; IMG_NONE if none.
** Inlined twice by group_codes(), with tr a constant in each copy. */
static inline __attribute__((always_inline)) uint32_t walk(const ctx *x, drg_scratch *s, int tr)
{
	const img *im = x->im;
	const uint32_t *mdc_bit = s->spec->guard_bit, *step_bit = mdc_bit + IMG_COUNT(im, SEC_MDC);
	for (uint32_t m = 0; m < IMG_COUNT(im, SEC_MDC); m++) {
		const img_mdc *md = &im->mdc[m];
		if (!tr && !bit_set(x->bits, mdc_bit[m]))
			continue;
		int in = run(x, md->enter);
		ev(s, tr, EV_MDC, in, m, 0);
		if (!in)
			continue;
		for (uint32_t i = md->step, end = md->step + md->nstep; i < end; i++) {
			if (!tr && !bit_set(x->bits, step_bit[i]))
				continue;
			const img_step *st = &im->step[i];
			uint32_t res;
			if (st->kind == STEP_ADRG)
				res = try_adrg(x, s, tr, st->arg);
			else {
				int q = run(x, st->arg);
				ev(s, tr, EV_QY, q, i, 0);
				res = q ? st->result : IMG_NONE;
			}
			if (res != IMG_NONE)
				return res;
		}
		if (md->fallback != IMG_NONE) {
			ev(s, tr, EV_MDC_END, 0, m, 0);
			return md->fallback;
		}
	}
	ev(s, tr, EV_NO_MDC, 0, 0, 0);
	return IMG_NONE;
}

/* walk() with tracing on or off: the untraced copy has no trace tests in its
** loops (callgrind: 1,772 -> 1,673 instructions per grouping). */
static uint32_t group_codes(const ctx *x, drg_scratch *s, int tr)
{
	return tr ? walk(x, s, 1) : walk(x, s, 0);
}

/* Formats a check message, substituting {field} with the case's text. */
static void format_reason(drg_scratch *s, const drg_case *c, const char *msg)
{
	size_t n = 0;
	for (const char *p = msg; *p && n + 1 < sizeof(s->reason);) {
		const char *close = *p == '{' ? strchr(p, '}') : NULL;
		int f = -1;
		for (int i = 0; close && i < DRG_F_COUNT; i++)
			if ((size_t)(close - p - 1) == strlen(drg_field_names[i]) &&
			    memcmp(p + 1, drg_field_names[i], (size_t)(close - p - 1)) == 0)
				f = i;
		if (f < 0) {
			s->reason[n++] = *p++;
			continue;
		}
		int w = snprintf(s->reason + n, sizeof(s->reason) - n, "%.*s",
				 (int)c->text[f].len, c->text[f].ptr ? c->text[f].ptr : "");
		n += w > 0 ? (size_t)w : 0;
		if (n >= sizeof(s->reason))
			n = sizeof(s->reason) - 1;
		p = close + 1;
	}
	s->reason[n] = '\0';
}

/* The reason of a case with codes the crosswalk does not list: the codes. */
static void unmapped_reason(drg_scratch *s, const drg_case *c)
{
	size_t n = (size_t)snprintf(s->reason, sizeof(s->reason), "not in the crosswalk:");
	for (int k = 0; k < 2; k++)
		for (uint32_t i = 0; i < (k ? c->npx : c->ndx) && n < sizeof(s->reason); i++) {
			const drg_text *t = k ? &c->px_text[i] : &c->dx_text[i];
			if ((k ? c->px_how : c->dx_how)[i] == XW_UNMAPPED)
				n += (size_t)snprintf(s->reason + n, sizeof(s->reason) - n, " %s %.*s",
						      k ? "px" : "dx", (int)t->len, t->ptr);
		}
}

/* Input problems and validation checks: the result index of the first that
** fails, or IMG_NONE when the case may be grouped. */
static uint32_t validate(const ctx *x, drg_scratch *s, int tr)
{
	const drg_case *c = x->c;
	const img *im = x->im;
	if (c->malformed) {
		int f = __builtin_ctz(c->malformed);
		snprintf(s->reason, sizeof(s->reason), "%s: not %s: '%.*s'", drg_field_names[f],
			 case_field_expects((enum drg_field)f), (int)c->text[f].len, c->text[f].ptr);
		ev(s, tr, EV_FIELD, 0, (uint32_t)f, 0);
		return im->h->invalid;
	}
	if (c->too_many) {
		snprintf(s->reason, sizeof(s->reason), "more than %d diagnoses or procedures",
			 DRG_MAX_CODES);
		ev(s, tr, EV_TOO_MANY, 0, 0, 0);
		return im->h->invalid;
	}
	if ((c->nunmapped[0] || c->nunmapped[1]) && !c->xw->keep_unmapped) {
		unmapped_reason(s, c);
		ev(s, tr, EV_UNMAPPED, 0, 0, 0);
		return im->h->invalid;
	}
	if (im->h->any_check == IMG_NONE || (!tr && !run(x, im->h->any_check)))
		return IMG_NONE;   /* no check fails: one program instead of one per check */
	for (uint32_t i = 0; i < IMG_COUNT(im, SEC_CHECK); i++) {
		int failed = run(x, im->check[i].when);
		ev(s, tr, EV_CHECK, !failed, i, 0);
		if (failed) {
			format_reason(s, c, im->str + im->check[i].message);
			return im->check[i].result;
		}
	}
	return IMG_NONE;
}

/* Fills out from result index r. */
static void set_result(drg_result *out, const img *im, uint32_t r, const char *reason)
{
	const img_result *res = &im->result[r];
	out->status = (enum drg_status)res->status;
	out->mdc = im->str + res->mdc;
	out->adrg = im->str + res->adrg;
	out->drg = im->str + res->drg;
	out->name = im->str + res->name;
	out->reason = reason;
}

int drg_group(drg_result *out, const drg_spec *spec, drg_scratch *s, unsigned flags)
{
	if (!out || !spec || !s || s->spec != spec)
		return DRG_EINVAL;
	group_case(out, spec, s, &s->c, flags);
	return DRG_OK;
}

void group_case(drg_result *out, const drg_spec *spec, drg_scratch *s, const drg_case *c,
		unsigned flags)
{
	const img *im = &spec->im;
	int tr = (flags & DRG_TRACE) != 0;
	ctx x = {im, spec, c, c->dx, c->px, c->ndx, c->npx, 0, s->bits, spec->nwords};
	dx_roles(&x);   /* checks may test sets too */
	px_roles(&x);
	s->traced = tr;
	s->ntrace = 0;
	s->truncated = 0;
	uint32_t bad = validate(&x, s, tr);
	if (bad != IMG_NONE) {
		set_result(out, im, bad, s->reason);
		s->last = *out;
		s->last_result = bad;
		return;
	}
	ev(s, tr && x.px0_emptied, EV_PX_EMPTIED, 0, 0, 0);
	uint32_t r = group_codes(&x, s, tr);
	/* retry: regroup with each later procedure alone, first result wins */
	for (uint32_t i = 1; r == IMG_NONE && im->h->retry_min_px && c->npx >= im->h->retry_min_px &&
			     i < c->npx; i++) {
		ev(s, tr, EV_RETRY, 0, 0, i);
		x.px = c->px + i;
		x.npx = 1;
		px_roles(&x);
		r = group_codes(&x, s, tr);
	}
	s->last_result = r == IMG_NONE ? im->h->ungroupable : r;
	set_result(out, im, s->last_result, "");
	s->last = *out;
}

const char *drg_status_name(enum drg_status st)
{
	static const char *const names[] = {"ok", "qy", "ungroupable", "invalid"};
	return (unsigned)st < 4 ? names[st] : "?";
}
