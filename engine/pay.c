/*
** pay.c: pricing one grouped case (drg_price_case), routing it in the documented
** order (docs/payment-format.md):
**
**   1. inputs: the grouping found the case invalid, a fund type the spec does
**      not cover, a discharge date outside the spec's validity, bad amounts
**      -> invalid;
**   2. the weight and the payment standard of the group (fund type, hospital
**      level, hospital coefficient), also for the routes that do not pay it;
**   3. stay gates: long stay, then short stay;
**   4. grouping: ungroupable, QY, a group without weight, a group paid by item
**      or per diem;
**   5. cost basis (total - exempt) and its ratio to the reference (the standard
**      or the group's mean cost); without a cost the case is paid normally;
**   6. high cost (an extreme ratio forces review), low cost, incomplete stay
**      (discharge mode), else normal;
**   7. separate review, independently: every trigger that holds adds a reason.
**
** All arithmetic is integer (fen, 10^-4) through fixed_muldiv with the spec's
** rounding; threshold tests compare cost x 10^4 with multiple x reference
** exactly, so a ratio printed as 3.0000 never hides a 2.99996.  With
** DRG_TRACE each decision is written to the scratch with its numbers.
*/
#include <stdarg.h>
#include <stdio.h>
#include <string.h>

#include "pay.h"
#include "spec.h"

#define COST_MAX INT64_C(1000000000000)   /* fen: 10 billion yuan */

const char *const review_names[V_COUNT] = {"long_stay", "high_cost", "new_tech", "icu_vent",
	"complex", "ungroupable", "qy"};

static const char *const reason_names[R_COUNT] = {"invalid_case", "fund_not_covered",
	"out_of_period", "bad_amount", "long_stay", "short_stay", "ungroupable", "no_weight", "qy",
	"above_tier", "above_extreme", "below_low", "incomplete_discharge", "no_cost", "exempt_cost",
	"default_level", "default_fund", "group_ffs", "group_per_diem"};

static const char *const route_names[DRG_ROUTE_COUNT] = {"normal", "high_cost", "extreme_cost",
	"low_cost", "long_stay", "short_stay", "incomplete", "ungroupable", "qy", "invalid"};

typedef struct pctx {
	const drg_pay *p;
	const drg_case *c;
	drg_scratch *s;
	drg_price *o;
	const pay_group *g;       /* the case's group entry */
	int tr;                   /* tracing */
	int fund, level;
	int64_t exempt;           /* fen */
	int overflow;             /* some amount did not fit */
	char nb[8][24];           /* num() buffers */
	unsigned nk;
} pctx;

/* ---------------------------------------------------------------- trace */

static void trace_line(pctx *x, const char *fmt, ...) __attribute__((format(printf, 2, 3)));

/* Appends a line to the scratch's pricing trace.  Called through say(), which
** evaluates the arguments (numbers formatted by num()) only when tracing. */
static void trace_line(pctx *x, const char *fmt, ...)
{
	drg_scratch *s = x->s;
	va_list ap;
	if (s->pay_len >= sizeof(s->pay_trace) - 1)
		return;
	va_start(ap, fmt);
	int n = vsnprintf(s->pay_trace + s->pay_len, sizeof(s->pay_trace) - s->pay_len, fmt, ap);
	va_end(ap);
	s->pay_len += n > 0 ? (size_t)n : 0;
	if (s->pay_len > sizeof(s->pay_trace) - 1)
		s->pay_len = sizeof(s->pay_trace) - 1;
}

#define say(x, ...) do { if ((x)->tr) trace_line((x), __VA_ARGS__); } while (0)

/* Text of a scaled value for the trace (rotating buffers: up to 8 per line). */
static const char *num(pctx *x, int64_t v, int scale)
{
	char *b = x->nb[x->nk++ & 7];
	if (v == DRG_NONE)
		return "-";
	fixed_format(b, v, scale);
	return b;
}

/* ---------------------------------------------------------------- arithmetic */

/* a x b / d with the spec's rounding; DRG_NONE (and overflow noted) if it
** does not fit, DRG_NONE if a or b is. */
static int64_t mul(pctx *x, int64_t a, int64_t b, int64_t d)
{
	int64_t r;
	if (a == DRG_NONE || b == DRG_NONE)
		return DRG_NONE;
	if (fixed_muldiv(&r, a, b, d, x->p->rounding) < 0)
		return x->overflow = 1, DRG_NONE;
	return r;
}

/* Sign of cost x 10^4 - mult x ref (cost <= COST_MAX, so the left side fits;
** a right side past int64 is larger). */
static int cmp_mult(int64_t cost, int64_t mult, int64_t ref)
{
	int64_t rhs, lhs = cost * 10000;
	if (__builtin_mul_overflow(mult, ref, &rhs))
		return -1;
	return (lhs > rhs) - (lhs < rhs);
}

int64_t pay_hospital_coef(const drg_pay *p, drg_text h, int level)
{
	size_t lo = 0, hi = p->nhospitals;
	while (h.len && lo < hi) {
		size_t mid = (lo + hi) / 2;
		const pay_hospital *e = &p->hospitals[mid];
		int c = memcmp(e->id, h.ptr, e->len < h.len ? e->len : h.len);
		if (c == 0)
			c = (e->len > h.len) - (e->len < h.len);
		if (c == 0)
			return e->coef;
		if (c < 0)
			lo = mid + 1;
		else
			hi = mid;
	}
	return p->level_coef[level];
}

/* ---------------------------------------------------------------- steps */

static int invalid(pctx *x, int reason, const char *why)
{
	x->o->route = DRG_ROUTE_INVALID;
	x->o->reasons |= 1u << reason;
	say(x, "  invalid: %s\n", why);
	return -1;
}

/* Step 1: the case's inputs.  0, or -1 when it is invalid for pricing. */
static int inputs(pctx *x)
{
	const drg_case *c = x->c;
	const drg_pay *p = x->p;
	drg_price *o = x->o;
	if (x->s->last.status == DRG_STATUS_INVALID)
		return invalid(x, R_INVALID_CASE, "the grouping found the case invalid");
	x->fund = case_has(c, DRG_F_FUND_TYPE) ? (int)c->num[DRG_F_FUND_TYPE] : DRG_FUND_EMPLOYEE;
	x->level = case_has(c, DRG_F_HOSPITAL_LEVEL) ? (int)c->num[DRG_F_HOSPITAL_LEVEL] : 3;
	o->reasons |= (case_has(c, DRG_F_FUND_TYPE) ? 0u : 1u << R_DEFAULT_FUND) |
		      (case_has(c, DRG_F_HOSPITAL_LEVEL) ? 0u : 1u << R_DEFAULT_LEVEL);
	say(x, "  inputs: fund type %s%s, hospital level %d%s\n", drg_fund_names[x->fund],
	    case_has(c, DRG_F_FUND_TYPE) ? "" : " (default)", x->level,
	    case_has(c, DRG_F_HOSPITAL_LEVEL) ? "" : " (default: tertiary)");
	if (!(p->funds >> x->fund & 1))
		return invalid(x, R_FUND_NOT_COVERED, "the spec does not cover this fund type");
	if (case_has(c, DRG_F_DISCHARGE_DATE) &&
	    ((p->valid_from != PAY_UNSET && c->num[DRG_F_DISCHARGE_DATE] < p->valid_from) ||
	     (p->valid_to != PAY_UNSET && c->num[DRG_F_DISCHARGE_DATE] > p->valid_to)))
		return invalid(x, R_OUT_OF_PERIOD, "discharge date outside the spec's validity");
	x->exempt = case_has(c, DRG_F_EXEMPT_COST) ? c->num[DRG_F_EXEMPT_COST] : 0;
	if (!case_has(c, DRG_F_TOTAL_COST))
		return x->exempt ? invalid(x, R_BAD_AMOUNT, "exempt_cost without total_cost") : 0;
	int64_t total = c->num[DRG_F_TOTAL_COST];
	if (total < 0 || total > COST_MAX || x->exempt < 0 || x->exempt > total)
		return invalid(x, R_BAD_AMOUNT, "total_cost negative or too large, or "
				  "exempt_cost negative or above total_cost");
	o->cost = total - x->exempt;
	o->reasons |= x->exempt ? 1u << R_EXEMPT_COST : 0;
	say(x, "  cost basis: total %s - exempt %s = %s\n", num(x, total, 2), num(x, x->exempt, 2),
	    num(x, o->cost, 2));
	return 0;
}

/* Step 2: weight, points and standard of RW rw for this case. */
static void standard(pctx *x, int64_t rw)
{
	const drg_pay *p = x->p;
	drg_price *o = x->o;
	drg_text hosp = case_has(x->c, DRG_F_HOSPITAL_ID) ? x->c->text[DRG_F_HOSPITAL_ID] : (drg_text){"", 0};
	int64_t coef = pay_hospital_coef(p, hosp, x->level);
	o->weight = rw;
	o->points = mul(x, rw * 10, coef, 10000);
	if (p->method == PM_POINTS) {
		o->standard = mul(x, o->points, p->point_value, 100000);
		say(x, "  standard: RW %s x 100 x coefficient %s = %s points; x point value %s = %s\n",
		    num(x, rw, 4), num(x, coef, 4), num(x, o->points, 3), num(x, p->point_value, 4),
		    num(x, o->standard, 2));
		return;
	}
	int64_t rate = p->base_rate[x->fund][x->level];
	int64_t base = mul(x, rw, rate, 10000);
	o->standard = mul(x, base, coef, 10000);
	say(x, "  standard: RW %s x base rate %s = %s; x coefficient %s = %s\n", num(x, rw, 4),
	    num(x, rate, 2), num(x, base, 2), num(x, coef, 4), num(x, o->standard, 2));
}

/* Sets the route and what it pays (how: enum pay_how; mult: the multiple
** passed, for PAY_ADDON). */
static void pay_by(pctx *x, enum drg_route route, int how, int64_t mult)
{
	drg_price *o = x->o;
	int64_t std = o->standard, los = x->c->num[DRG_F_LOS];
	int64_t rate = x->g && x->g->per_diem != PAY_UNSET ? x->g->per_diem : x->p->per_diem;
	int64_t r = o->ratio;
	o->route = route;
	switch (how) {
	case PAY_STANDARD:
		o->payment = std;
		break;
	case PAY_FFS:
		o->payment = o->cost;
		break;
	case PAY_PRORATE:
		if (route != DRG_ROUTE_LOW_COST && r != DRG_NONE && r > 10000)
			r = 10000;
		o->payment = mul(x, std, r, 10000);
		break;
	case PAY_PER_DIEM:
		o->payment = rate != PAY_UNSET && case_has(x->c, DRG_F_LOS) ? mul(x, rate, los, 1) : DRG_NONE;
		break;
	case PAY_ADDON:
		o->payment = mul(x, std, r == DRG_NONE ? DRG_NONE : r - mult, 10000);
		o->payment = o->payment == DRG_NONE ? DRG_NONE : std + o->payment;
		break;
	default:   /* PAY_REVIEW: nothing until reviewed */
		o->payment = DRG_NONE;
		break;
	}
	say(x, "  route %s: paid %s = %s\n", route_names[route], pay_how_names[how],
	    num(x, o->payment, 2));
}

/* Step 3: length-of-stay gates.  1 when one routed the case. */
static int stay_gates(pctx *x)
{
	const drg_pay *p = x->p;
	int64_t los = x->c->num[DRG_F_LOS];
	if (!case_has(x->c, DRG_F_LOS))
		return 0;
	if (p->long_min != PAY_UNSET) {
		say(x, "  long stay: los %lld >= %lld? %s\n", (long long)los, (long long)p->long_min,
		    los >= p->long_min ? "yes" : "no");
		if (los >= p->long_min)
			return x->o->reasons |= 1u << R_LONG_STAY, pay_by(x, DRG_ROUTE_LONG_STAY, p->long_how, 0), 1;
	}
	if (p->short_max != PAY_UNSET) {
		say(x, "  short stay: los %lld <= %lld? %s\n", (long long)los, (long long)p->short_max,
		    los <= p->short_max ? "yes" : "no");
		if (los <= p->short_max)
			return x->o->reasons |= 1u << R_SHORT_STAY, pay_by(x, DRG_ROUTE_SHORT_STAY, p->short_how, 0), 1;
	}
	return 0;
}

/* Step 4: what the grouping alone decides.  1 when it routed the case. */
static int group_route(pctx *x)
{
	const drg_pay *p = x->p;
	drg_price *o = x->o;
	enum drg_status st = x->s->last.status;
	if (st == DRG_STATUS_QY) {
		o->reasons |= 1u << R_QY;
		if (p->qy_how == PAY_WEIGHT)
			standard(x, p->qy_rw);
		o->review |= p->qy_how == PAY_REVIEW ? 1u << V_QY : 0;
		pay_by(x, DRG_ROUTE_QY, p->qy_how == PAY_WEIGHT ? PAY_STANDARD : p->qy_how, 0);
		return 1;
	}
	if (st == DRG_STATUS_UNGROUPABLE || x->g->rw == PAY_UNSET) {
		o->reasons |= 1u << (st == DRG_STATUS_UNGROUPABLE ? R_UNGROUPABLE : R_NO_WEIGHT);
		say(x, "  %s\n", st == DRG_STATUS_UNGROUPABLE ? "ungroupable" : "the group has no weight");
		o->review |= p->ungroupable_how == PAY_REVIEW ? 1u << V_UNGROUPABLE : 0;
		pay_by(x, DRG_ROUTE_UNGROUPABLE, p->ungroupable_how, 0);
		return 1;
	}
	if (x->g->how != PAY_STANDARD) {
		o->reasons |= 1u << (x->g->how == PAY_FFS ? R_GROUP_FFS : R_GROUP_PER_DIEM);
		pay_by(x, DRG_ROUTE_NORMAL, x->g->how, 0);
		return 1;
	}
	return 0;
}

/* The high-cost multiple for this case: the group's, or the tier's. */
static int64_t high_mult(const pctx *x)
{
	const drg_pay *p = x->p;
	if (x->g->high_mult != PAY_UNSET)
		return x->g->high_mult;
	for (size_t i = 0; i < p->high.ntiers; i++) {
		const pay_tier *t = &p->high.tiers[i];
		if (t->level ? t->level == x->level
			     : (t->rw_above == PAY_UNSET || x->g->rw > t->rw_above) &&
				       (t->rw_max == PAY_UNSET || x->g->rw <= t->rw_max))
			return t->mult;
	}
	return PAY_UNSET;
}

/* Step 6: cost against the reference.  1 when a cost route was taken. */
static int cost_routes(pctx *x, int64_t ref)
{
	const drg_pay *p = x->p;
	drg_price *o = x->o;
	int64_t hm = high_mult(x), lm = x->g->low_mult != PAY_UNSET ? x->g->low_mult : p->low.mult;
	if (p->high.extreme != PAY_UNSET) {
		int hit = cmp_mult(o->cost, p->high.extreme, ref) >= 0;
		say(x, "  extreme cost: %s >= %s x %s? %s\n", num(x, o->cost, 2), num(x, p->high.extreme, 4),
		    num(x, ref, 2), hit ? "yes" : "no");
		if (hit) {
			o->reasons |= 1u << R_ABOVE_EXTREME;
			o->review |= 1u << V_HIGH_COST;
			return pay_by(x, DRG_ROUTE_EXTREME_COST, p->high.how, hm == PAY_UNSET ? p->high.extreme : hm), 1;
		}
	}
	if (hm != PAY_UNSET) {
		int c = cmp_mult(o->cost, hm, ref), hit = p->high.ge ? c >= 0 : c > 0;
		say(x, "  high cost: %s %s %s x %s? %s\n", num(x, o->cost, 2), p->high.ge ? ">=" : ">",
		    num(x, hm, 4), num(x, ref, 2), hit ? "yes" : "no");
		if (hit)
			return o->reasons |= 1u << R_ABOVE_TIER, pay_by(x, DRG_ROUTE_HIGH_COST, p->high.how, hm), 1;
	}
	if (lm != PAY_UNSET) {
		int c = cmp_mult(o->cost, lm, ref), hit = p->low.le ? c <= 0 : c < 0;
		say(x, "  low cost: %s %s %s x %s? %s\n", num(x, o->cost, 2), p->low.le ? "<=" : "<",
		    num(x, lm, 4), num(x, ref, 2), hit ? "yes" : "no");
		if (hit)
			return o->reasons |= 1u << R_BELOW_LOW, pay_by(x, DRG_ROUTE_LOW_COST, p->low.how, 0), 1;
	}
	return 0;
}

/* Step 6, last: an incomplete stay by discharge mode (a one-digit code). */
static int incomplete(pctx *x)
{
	drg_text d = x->c->text[DRG_F_DISCHARGE];
	int code = d.len == 1 && d.ptr[0] >= '0' && d.ptr[0] <= '9' ? d.ptr[0] - '0' : -1;
	if (!x->p->incomplete)
		return 0;
	int hit = code >= 0 && (x->p->incomplete >> code & 1);
	say(x, "  incomplete stay: discharge mode '%.*s' %s\n", (int)d.len, d.ptr,
	    hit ? "counts as incomplete" : "does not count");
	if (hit)
		return x->o->reasons |= 1u << R_INCOMPLETE_DISCHARGE, pay_by(x, DRG_ROUTE_INCOMPLETE, PAY_PRORATE, 0), 1;
	return 0;
}

/* The reference the cost is compared with, DRG_NONE when there is none. */
static int64_t reference(const pctx *x)
{
	int64_t ref = x->p->high.mean_cost ? x->g->mean_cost : x->o->standard;
	return ref == PAY_UNSET || ref <= 0 ? DRG_NONE : ref;
}

/* Step 5's number, computed early: short stays and prorating use it. */
static void ratio(pctx *x)
{
	drg_price *o = x->o;
	int64_t ref = reference(x);
	if (o->cost == DRG_NONE || ref == DRG_NONE)
		return;
	o->ratio = mul(x, o->cost, 10000, ref);
	say(x, "  ratio: cost %s / %s %s = %s\n", num(x, o->cost, 2),
	    x->p->high.mean_cost ? "group mean cost" : "standard", num(x, ref, 2), num(x, o->ratio, 4));
}

/* Steps 2-6 for a valid case. */
static void route(pctx *x)
{
	x->g = &x->p->groups[x->s->last_result];
	if (x->s->last.status == DRG_STATUS_OK && x->g->rw != PAY_UNSET)
		standard(x, x->g->rw);
	ratio(x);
	if (stay_gates(x) || group_route(x))
		return;
	if (x->o->cost == DRG_NONE) {
		x->o->reasons |= 1u << R_NO_COST;
		say(x, "  no total_cost: no cost tests\n");
	} else if (x->o->ratio != DRG_NONE && (cost_routes(x, reference(x)) || incomplete(x))) {
		return;
	}
	pay_by(x, DRG_ROUTE_NORMAL, PAY_STANDARD, 0);
}

/* Step 7: every trigger whose conditions all hold adds its reason. */
static void review(pctx *x)
{
	const drg_case *c = x->c;
	drg_price *o = x->o;
	for (size_t i = 0; i < x->p->ntriggers; i++) {
		const pay_trigger *t = &x->p->triggers[i];
		int ok = (t->los_ge == PAY_UNSET || (case_has(c, DRG_F_LOS) && c->num[DRG_F_LOS] >= t->los_ge)) &&
			 (t->ratio_ge == PAY_UNSET || (o->ratio != DRG_NONE && o->ratio >= t->ratio_ge)) &&
			 (t->exempt_ge == PAY_UNSET || (x->exempt > 0 && x->exempt >= t->exempt_ge)) &&
			 (t->icu_ge == PAY_UNSET || (case_has(c, DRG_F_ICU_HOURS) && c->num[DRG_F_ICU_HOURS] >= t->icu_ge)) &&
			 (t->vent_ge == PAY_UNSET || (case_has(c, DRG_F_VENT_HOURS) && c->num[DRG_F_VENT_HOURS] >= t->vent_ge)) &&
			 (t->dx_ge == PAY_UNSET || (int64_t)c->ndx >= t->dx_ge);
		if (ok && !(o->review >> t->reason & 1))
			say(x, "  separate review: %s\n", review_names[t->reason]);
		o->review |= ok ? 1u << t->reason : 0;
	}
}

int drg_price_case(drg_price *out, const drg_pay *p, drg_scratch *s, unsigned flags)
{
	if (!out || !p || !s || s->spec != p->spec || s->last_result == IMG_NONE)
		return DRG_EINVAL;
	pctx x = {.p = p, .c = &s->c, .s = s, .o = out, .tr = (flags & DRG_TRACE) != 0};
	*out = (drg_price){DRG_ROUTE_INVALID, DRG_NONE, DRG_NONE, DRG_NONE, DRG_NONE, DRG_NONE,
			   DRG_NONE, 0, 0};
	s->pay_traced = x.tr;
	s->pay_len = 0;
	s->pay_trace[0] = '\0';
	say(&x, "pricing: %s (sha256 %.12s), grouping spec %s\n", p->id, p->hash_hex, p->grouping);
	if (inputs(&x) < 0)
		return DRG_OK;
	route(&x);
	if (x.overflow) {
		*out = (drg_price){DRG_ROUTE_INVALID, DRG_NONE, DRG_NONE, DRG_NONE, DRG_NONE, DRG_NONE,
				   DRG_NONE, 1u << R_BAD_AMOUNT, 0};
		say(&x, "  invalid: an amount is too large\n");
		return DRG_OK;
	}
	if (p->exempt_paid && x.exempt && out->payment != DRG_NONE) {
		out->payment += x.exempt;
		say(&x, "  exempt cost paid on top: + %s = %s\n", num(&x, x.exempt, 2), num(&x, out->payment, 2));
	}
	review(&x);
	return DRG_OK;
}

size_t drg_price_explain(char *buf, size_t size, const drg_scratch *s)
{
	const char *t = s && s->pay_traced ? s->pay_trace : "";
	size_t n = strlen(t);
	if (buf && size) {
		size_t k = n < size - 1 ? n : size - 1;
		memcpy(buf, t, k);
		buf[k] = '\0';
	}
	return n;
}

const char *drg_route_name(enum drg_route r)
{
	return (unsigned)r < DRG_ROUTE_COUNT ? route_names[r] : "?";
}

const char *drg_pay_reason_name(int bit)
{
	return bit >= 0 && bit < R_COUNT ? reason_names[bit] : NULL;
}

const char *drg_review_reason_name(int bit)
{
	return bit >= 0 && bit < V_COUNT ? review_names[bit] : NULL;
}
