/*
** pay_xml.c: payment spec XML -> struct drg_pay (pay.h).
**
** A payment spec and the specs it extends are read as plain trees
** (xmltree.h, validated against drg-pay.rng), base first.  Their elements are
** then applied in that order onto one drg_pay: a singleton (high-cost, low-cost,
** long-stay, review, ...) replaces the inherited one whole; keyed entries (base
** rates by fund and level, hospital coefficients, groups by DRG code) replace
** the inherited entry with the same key.  Then everything is checked against
** the grouping spec (every group must be one of its DRGs) and for consistency
** (a base rate for every fund type and level, tiers that do not overlap, a
** mean cost where the spec compares with it), each error positioned at the
** element or attribute responsible.
*/
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "alloc.h"
#include "pay.h"
#include "sha256.h"
#include "spec.h"
#include "xmltree.h"

extern const char drg_pay_rng[];
extern const unsigned drg_pay_rng_len;

#define MAX_EXTENDS_DEPTH 32
#define RW_MAX (1000 * 10000)          /* weights above 1000 are a typo */

/* Compile state: the trees read and the entries gathered before checking. */
typedef struct pcomp {
	drg_pay *p;
	diag_sink *d;
	ptrvec files;             /* srcfile * (line indexes freed at the end) */
	ptrvec roots;             /* xnode *, base first */
	const xnode *own;         /* root of the spec itself */
	strmap drgs;              /* DRG code of the grouping spec -> result index + 1 */
	const xnode **group_at;   /* by result index: the <group> that set it */
	const xnode *high_at;
	ptrvec hospitals;         /* pay_hospital * */
	int64_t overall_mean;     /* fen, or PAY_UNSET */
	const xnode *grouping_at;
} pcomp;

const char *const pay_how_names[PAY_HOW_COUNT] = {"standard", "ffs", "prorate", "per-diem",
	"addon", "review", "weight"};

/* ---------------------------------------------------------------- values */

/* Index of s in names[0..n) (s is schema-checked, so it is there). */
static int name_index(const char *const *names, int n, const char *s)
{
	for (int i = 0; i < n; i++)
		if (strcmp(names[i], s) == 0)
			return i;
	return 0;
}

static int how_attr(const xnode *n, const char *name, int dflt)
{
	const char *v = xnode_attr(n, name);
	if (v && strcmp(v, "group") == 0)
		return PAY_STANDARD;
	return v ? name_index(pay_how_names, PAY_HOW_COUNT, v) : dflt;
}

/* Decimal attribute name of n scaled by 10^scale into *out (unchanged when
** absent).  Reports too many decimals or a negative value where min >= 0.
** 1 when set, 0 when absent, -1 after reporting. */
static int dec_attr(pcomp *pc, const xnode *n, const char *name, int scale, int64_t min,
		    int64_t *out)
{
	const char *v = xnode_attr(n, name);
	int64_t x, max = FIXED_MAX;
	if (!v)
		return 0;
	if (fixed_parse((drg_text){v, strlen(v)}, scale, &x) < 0) {
		for (int i = 0; i < scale; i++)
			max /= 10;
		diag_error(pc->d, n->pos, name, "'%s': at most %d decimals, at most %lld", v, scale,
			   (long long)max);
		return -1;
	}
	if (x < min) {
		diag_error(pc->d, n->pos, name, "%s must not be %s: '%s'", name,
			   min == 0 ? "negative" : "zero or negative", v);
		return -1;
	}
	*out = x;
	return 1;
}

/* A schema-checked YYYY-MM-DD attribute as YYYYMMDD (unchanged when absent). */
static void date_attr(const xnode *n, const char *name, int64_t *out)
{
	const char *v = xnode_attr(n, name);
	if (v)
		*out = atol(v) * 10000 + atol(v + 5) * 100 + atol(v + 8);
}

static int lvl(const char *v)
{
	return v ? v[0] - '0' : 0;
}

/* ---------------------------------------------------------------- elements */

static int read_base_rate(pcomp *pc, const xnode *n)
{
	int f = name_index(drg_fund_names, DRG_FUND_COUNT, xnode_attr(n, "fund"));
	int level = lvl(xnode_attr(n, "level"));
	int64_t fen;
	if (dec_attr(pc, n, "yuan", 2, 1, &fen) < 0)
		return -1;
	for (int l = 1; l <= 3; l++)
		if (level == 0 || level == l)
			pc->p->base_rate[f][l] = fen;
	return 0;
}

/* A hospital's coefficient replaces an inherited one for the same id. */
static int read_coef(pcomp *pc, const xnode *n)
{
	int64_t coef;
	const char *h = xnode_attr(n, "hospital");
	if (dec_attr(pc, n, "value", 4, 1, &coef) < 0)
		return -1;
	if (!h) {
		pc->p->level_coef[lvl(xnode_attr(n, "level"))] = coef;
		return 0;
	}
	for (size_t i = 0; i < pc->hospitals.n; i++) {
		pay_hospital *x = pc->hospitals.v[i];
		if (strcmp(x->id, h) == 0)
			return x->coef = coef, 0;
	}
	pay_hospital *x = arena_alloc(&pc->p->a, sizeof(*x));
	if (!x || ptrvec_push(&pc->p->a, &pc->hospitals, x) < 0)
		return -1;
	*x = (pay_hospital){h, strlen(h), coef};
	return 0;
}

/* Do RW bands a and b overlap?  (rw_above < RW <= rw_max, open ends) */
static int bands_overlap(const pay_tier *a, const pay_tier *b)
{
	int a_below_b = a->rw_max != PAY_UNSET && b->rw_above != PAY_UNSET && a->rw_max <= b->rw_above;
	int b_below_a = b->rw_max != PAY_UNSET && a->rw_above != PAY_UNSET && b->rw_max <= a->rw_above;
	return !a_below_b && !b_below_a;
}

/* One <tier>, checked against the tiers before it (same kind, no overlap). */
static int read_tier(pcomp *pc, const xnode *t, pay_tier *tiers, const xnode **at, size_t i)
{
	pay_tier *x = &tiers[i];
	x->level = lvl(xnode_attr(t, "level"));
	x->rw_above = x->rw_max = PAY_UNSET;
	if (dec_attr(pc, t, "mult", 4, 1, &x->mult) < 0 ||
	    dec_attr(pc, t, "rw-above", 4, 0, &x->rw_above) < 0 ||
	    dec_attr(pc, t, "rw-max", 4, 0, &x->rw_max) < 0)
		return -1;
	if (x->level == 0 && x->rw_above != PAY_UNSET && x->rw_max != PAY_UNSET &&
	    x->rw_max <= x->rw_above) {
		diag_error(pc->d, t->pos, "rw-max", "empty RW band: rw-max is not above rw-above");
		return -1;
	}
	for (size_t j = 0; j < i; j++) {
		const pay_tier *y = &tiers[j];
		const char *why = NULL;
		if ((x->level == 0) != (y->level == 0))
			why = "mixes hospital-level and RW-band tiers with the tier";
		else if (x->level ? x->level == y->level : bands_overlap(x, y))
			why = "overlaps the tier";
		if (why) {
			diag_error(pc->d, t->pos, NULL, "high-cost tier %s on line %ld", why,
				   at[j]->pos.line);
			return -1;
		}
	}
	at[i] = t;
	return 0;
}

static int read_high(pcomp *pc, const xnode *n)
{
	drg_pay *p = pc->p;
	size_t nt = 0, i = 0;
	const char *ref = xnode_attr(n, "reference"), *cmp = xnode_attr(n, "compare");
	for (const xnode *t = n->child; t; t = t->next)
		nt++;
	pay_tier *tiers = arena_alloc(&p->a, nt * sizeof(*tiers));
	const xnode **at = arena_alloc(&p->a, nt * sizeof(*at));
	if (!tiers || !at)
		return -1;
	p->high.mean_cost = ref && strcmp(ref, "mean-cost") == 0;
	p->high.ge = cmp && strcmp(cmp, "ge") == 0;
	p->high.how = how_attr(n, "payment", PAY_FFS);
	p->high.extreme = PAY_UNSET;
	if (dec_attr(pc, n, "extreme", 4, 1, &p->high.extreme) < 0)
		return -1;
	for (const xnode *t = n->child; t; t = t->next, i++)
		if (read_tier(pc, t, tiers, at, i) < 0)
			return -1;
	p->high.tiers = tiers;
	p->high.ntiers = nt;
	pc->high_at = n;
	return 0;
}

static int read_low(pcomp *pc, const xnode *n)
{
	const char *cmp = xnode_attr(n, "compare");
	pc->p->low.le = cmp && strcmp(cmp, "le") == 0;
	pc->p->low.how = how_attr(n, "payment", PAY_FFS);
	return dec_attr(pc, n, "mult", 4, 1, &pc->p->low.mult) < 0 ? -1 : 0;
}

static int read_trigger(pcomp *pc, const xnode *t, pay_trigger *x)
{
	x->reason = name_index(review_names, V_COUNT, xnode_attr(t, "reason"));
	x->los_ge = x->ratio_ge = x->exempt_ge = x->icu_ge = x->vent_ge = x->dx_ge = PAY_UNSET;
	if (dec_attr(pc, t, "los-ge", 0, 0, &x->los_ge) < 0 ||
	    dec_attr(pc, t, "ratio-ge", 4, 0, &x->ratio_ge) < 0 ||
	    dec_attr(pc, t, "exempt-ge", 2, 0, &x->exempt_ge) < 0 ||
	    dec_attr(pc, t, "icu-hours-ge", 0, 0, &x->icu_ge) < 0 ||
	    dec_attr(pc, t, "vent-hours-ge", 0, 0, &x->vent_ge) < 0 ||
	    dec_attr(pc, t, "dx-count-ge", 0, 0, &x->dx_ge) < 0)
		return -1;
	if (t->nattr == 1) {
		diag_error(pc->d, t->pos, NULL, "trigger '%s' has no condition", review_names[x->reason]);
		return -1;
	}
	return 0;
}

static int read_review(pcomp *pc, const xnode *n)
{
	size_t nt = 0, i = 0;
	for (const xnode *t = n->child; t; t = t->next)
		nt++;
	pay_trigger *tr = arena_alloc(&pc->p->a, (nt ? nt : 1) * sizeof(*tr));
	if (!tr)
		return -1;
	for (const xnode *t = n->child; t; t = t->next, i++)
		if (read_trigger(pc, t, &tr[i]) < 0)
			return -1;
	pc->p->triggers = tr;
	pc->p->ntriggers = nt;
	return 0;
}

/* One <group>: its DRG must be a DRG of the grouping spec, given once per file. */
static int read_group(pcomp *pc, const xnode *g)
{
	const char *code = xnode_attr(g, "drg");
	uintptr_t r = (uintptr_t)strmap_get(&pc->drgs, code);
	if (!r) {
		diag_error(pc->d, g->pos, "drg", "unknown group '%s': not a DRG of grouping spec '%s'",
			   code, drg_spec_id(pc->p->spec));
		return -1;
	}
	const xnode *prev = pc->group_at[r - 1];
	if (prev && prev->pos.file == g->pos.file) {
		diag_error(pc->d, g->pos, "drg", "group '%s' given twice (first on line %ld)", code,
			   prev->pos.line);
		return -1;
	}
	pay_group *x = (pay_group *)&pc->p->groups[r - 1];
	*x = (pay_group){PAY_UNSET, PAY_UNSET, PAY_UNSET, PAY_UNSET, PAY_UNSET, PAY_STANDARD};
	x->how = how_attr(g, "payment", PAY_STANDARD);
	pc->group_at[r - 1] = g;
	if (dec_attr(pc, g, "rw", 4, 0, &x->rw) < 0 || dec_attr(pc, g, "mean-cost", 2, 1, &x->mean_cost) < 0 ||
	    dec_attr(pc, g, "per-diem", 2, 1, &x->per_diem) < 0 ||
	    dec_attr(pc, g, "high-mult", 4, 1, &x->high_mult) < 0 ||
	    dec_attr(pc, g, "low-mult", 4, 1, &x->low_mult) < 0)
		return -1;
	if (x->rw > RW_MAX) {
		diag_error(pc->d, g->pos, "rw", "weight %s is above %d", xnode_attr(g, "rw"), RW_MAX / 10000);
		return -1;
	}
	return 0;
}

static int read_groups(pcomp *pc, const xnode *n)
{
	int rc = 0;
	for (const xnode *g = n->child; g; g = g->next)
		rc |= read_group(pc, g);
	return rc;
}

/* Applies one child element of a payment spec root. */
static int apply(pcomp *pc, const xnode *n)
{
	drg_pay *p = pc->p;
	const char *t = n->tag;
	if (!strcmp(t, "base-rate"))
		return read_base_rate(pc, n);
	if (!strcmp(t, "hospital-coef"))
		return read_coef(pc, n);
	if (!strcmp(t, "high-cost"))
		return read_high(pc, n);
	if (!strcmp(t, "low-cost"))
		return read_low(pc, n);
	if (!strcmp(t, "review"))
		return read_review(pc, n);
	if (!strcmp(t, "groups"))
		return read_groups(pc, n);
	if (!strcmp(t, "point-value"))
		return dec_attr(pc, n, "yuan", 4, 1, &p->point_value) < 0 ? -1 : 0;
	if (!strcmp(t, "overall-mean-cost"))
		return dec_attr(pc, n, "yuan", 2, 1, &pc->overall_mean) < 0 ? -1 : 0;
	if (!strcmp(t, "per-diem"))
		return dec_attr(pc, n, "yuan", 2, 1, &p->per_diem) < 0 ? -1 : 0;
	if (!strcmp(t, "long-stay"))
		return p->long_how = how_attr(n, "payment", PAY_FFS),
		       dec_attr(pc, n, "min-days", 0, 0, &p->long_min) < 0 ? -1 : 0;
	if (!strcmp(t, "short-stay"))
		return p->short_how = how_attr(n, "payment", PAY_FFS),
		       dec_attr(pc, n, "max-days", 0, 0, &p->short_max) < 0 ? -1 : 0;
	if (!strcmp(t, "incomplete")) {
		p->incomplete = 0;
		for (const char *v = xnode_attr(n, "discharge"); *v; v++)
			if (*v >= '0' && *v <= '9')
				p->incomplete |= 1u << (*v - '0');
		return 0;
	}
	if (!strcmp(t, "exempt"))
		return p->exempt_paid = strcmp(xnode_attr(n, "payment"), "item") == 0, 0;
	if (!strcmp(t, "ungroupable"))
		return p->ungroupable_how = how_attr(n, "payment", PAY_FFS), 0;
	if (!strcmp(t, "qy"))
		return p->qy_how = how_attr(n, "payment", PAY_FFS),
		       dec_attr(pc, n, "rw", 4, 0, &p->qy_rw) < 0 ? -1 : 0;
	if (!strcmp(t, "period"))
		return dec_attr(pc, n, "outlier-cap", 4, 0, &p->outlier_cap) < 0 ||
		       dec_attr(pc, n, "review-quota", 4, 0, &p->review_quota) < 0 ? -1 : 0;
	return 0;   /* <source> */
}

/* The root's attributes: a later spec's value replaces the inherited one. */
static void apply_root(pcomp *pc, const xnode *r)
{
	drg_pay *p = pc->p;
	const char *v;
	if ((v = xnode_attr(r, "grouping")) != NULL)
		p->grouping = v, pc->grouping_at = r;
	if ((v = xnode_attr(r, "title")) != NULL)
		p->title = v;
	if ((v = xnode_attr(r, "region")) != NULL)
		p->region = v;
	if ((v = xnode_attr(r, "method")) != NULL)
		p->method = strcmp(v, "points") == 0 ? PM_POINTS : PM_RATE;
	if ((v = xnode_attr(r, "rounding")) != NULL)
		p->rounding = (enum rounding)name_index(rounding_names, ROUND_COUNT, v);
	if ((v = xnode_attr(r, "fund-types")) != NULL) {
		p->funds = 0;
		for (int f = 0; f < DRG_FUND_COUNT; f++)
			if (strstr(v, drg_fund_names[f]))
				p->funds |= 1u << f;
	}
	date_attr(r, "valid-from", &p->valid_from);
	date_attr(r, "valid-to", &p->valid_to);
}

/* ---------------------------------------------------------------- reading */

/* Reads path and, first, the specs it extends, appending roots base first. */
static int read_chain(pcomp *pc, const char *path, int depth)
{
	xnode *root;
	if (xml_tree_load(&root, &pc->p->a, &pc->files, path, drg_pay_rng, drg_pay_rng_len,
			  "drg-pay.rng", pc->d) < 0)
		return -1;
	const char *ext = xnode_attr(root, "extends");
	if (ext) {
		const char *base = xml_sibling(&pc->p->a, path, ext, ".xml");
		if (!base)
			return -1;
		for (size_t i = 0; i < pc->files.n; i++)
			if (strcmp(((srcfile *)pc->files.v[i])->path, base) == 0 ||
			    depth >= MAX_EXTENDS_DEPTH) {
				diag_error(pc->d, root->pos, "extends", "payment spec '%s' extends itself", ext);
				return -1;
			}
		if (read_chain(pc, base, depth + 1) < 0) {
			diag_error(pc->d, root->pos, "extends", "in the base spec '%s'", ext);
			return -1;
		}
	}
	return ptrvec_push(&pc->p->a, &pc->roots, root);
}

/* ---------------------------------------------------------------- checks */

/* Maps every DRG code of the grouping spec (status ok results) to its index. */
static int index_drgs(pcomp *pc)
{
	const img *im = &pc->p->spec->im;
	size_t n = IMG_COUNT(im, SEC_RESULT);
	pay_group *g = arena_alloc(&pc->p->a, n * sizeof(*g));
	pc->group_at = arena_alloc(&pc->p->a, n * sizeof(*pc->group_at));
	if (!g || !pc->group_at)
		return -1;
	for (size_t i = 0; i < n; i++) {
		g[i] = (pay_group){PAY_UNSET, PAY_UNSET, PAY_UNSET, PAY_UNSET, PAY_UNSET, PAY_STANDARD};
		if (im->result[i].status == DRG_STATUS_OK &&
		    strmap_put(&pc->drgs, im->str + im->result[i].drg, (void *)(uintptr_t)(i + 1)) < 0)
			return -1;
	}
	pc->p->groups = g;
	pc->p->ngroups = n;
	return 0;
}

/* Rate specs: a base rate for every fund type covered and every level. */
static int check_rates(pcomp *pc)
{
	drg_pay *p = pc->p;
	if (p->method == PM_POINTS) {
		if (p->point_value == PAY_UNSET)
			diag_error(pc->d, pc->own->pos, "method", "method 'points' needs a <point-value>");
		return p->point_value == PAY_UNSET ? -1 : 0;
	}
	for (int f = 0; f < DRG_FUND_COUNT; f++)
		for (int l = 1; l <= 3; l++)
			if ((p->funds >> f & 1) && p->base_rate[f][l] == PAY_UNSET) {
				diag_error(pc->d, pc->own->pos, NULL,
					   "missing base rate: fund type '%s' at hospital level %d "
					   "(<base-rate fund=\"%s\" yuan=\"...\"/>)",
					   drg_fund_names[f], l, drg_fund_names[f]);
				return -1;
			}
	return 0;
}

/* Mean costs: given, or RW x overall mean; required when high cost compares
** with the group's mean cost. */
static int check_means(pcomp *pc)
{
	drg_pay *p = pc->p;
	const img *im = &p->spec->im;
	for (size_t i = 0; i < p->ngroups; i++) {
		pay_group *g = (pay_group *)&p->groups[i];
		if (g->rw == PAY_UNSET || g->mean_cost != PAY_UNSET)
			continue;
		if (pc->overall_mean != PAY_UNSET &&
		    fixed_muldiv(&g->mean_cost, g->rw, pc->overall_mean, 10000, p->rounding) < 0)
			return -1;
		if (g->mean_cost == PAY_UNSET && p->high.mean_cost) {
			diag_error(pc->d, pc->high_at->pos, "reference",
				   "high cost compares with the mean cost, but group '%s' has none "
				   "(give mean-cost= or <overall-mean-cost>)", im->str + im->result[i].drg);
			return -1;
		}
	}
	return 0;
}

/* Warns once about the grouping spec's DRGs that have no weight. */
static void warn_unweighted(pcomp *pc)
{
	const drg_pay *p = pc->p;
	const img *im = &p->spec->im;
	size_t n = 0;
	const char *first = NULL;
	for (size_t i = 0; i < p->ngroups; i++)
		if (im->result[i].status == DRG_STATUS_OK && p->groups[i].rw == PAY_UNSET)
			first = first ? first : im->str + im->result[i].drg, n++;
	if (n)
		diag_warn(pc->d, pc->own->pos, NULL,
			  "%zu DRGs of '%s' have no weight (first: %s); their cases are routed "
			  "ungroupable with reason no_weight", n, p->grouping, first);
}

static int cmp_hospital(const void *a, const void *b)
{
	const pay_hospital *x = *(pay_hospital *const *)a, *y = *(pay_hospital *const *)b;
	return strcmp(x->id, y->id);
}

/* Sorted copy of the hospital coefficients. */
static int finish_hospitals(pcomp *pc)
{
	size_t n = pc->hospitals.n;
	pay_hospital *h = arena_alloc(&pc->p->a, (n ? n : 1) * sizeof(*h));
	if (!h)
		return -1;
	if (n)   /* qsort(NULL, 0) is undefined */
		qsort(pc->hospitals.v, n, sizeof(void *), cmp_hospital);
	for (size_t i = 0; i < n; i++)
		h[i] = *(pay_hospital *)pc->hospitals.v[i];
	pc->p->hospitals = h;
	pc->p->nhospitals = n;
	return 0;
}

static void set_defaults(drg_pay *p)
{
	p->funds = (1u << DRG_FUND_COUNT) - 1;
	p->rounding = ROUND_HALF_UP;
	p->valid_from = p->valid_to = p->point_value = p->per_diem = PAY_UNSET;
	for (int f = 0; f < DRG_FUND_COUNT; f++)
		for (int l = 0; l < 4; l++)
			p->base_rate[f][l] = PAY_UNSET;
	for (int l = 0; l < 4; l++)
		p->level_coef[l] = 10000;
	p->high.extreme = p->low.mult = p->long_min = p->short_max = PAY_UNSET;
	p->qy_rw = p->outlier_cap = p->review_quota = PAY_UNSET;
	p->long_how = p->short_how = p->ungroupable_how = p->qy_how = PAY_FFS;
}

/* Everything after reading: bind to the grouping spec, apply, check. */
static int build(pcomp *pc)
{
	drg_pay *p = pc->p;
	int rc = 0;
	uint8_t h[32];
	pc->own = pc->roots.v[pc->roots.n - 1];
	p->id = xnode_attr(pc->own, "id");
	for (size_t i = 0; i < pc->roots.n; i++)
		apply_root(pc, pc->roots.v[i]);
	if (!p->grouping || strcmp(p->grouping, drg_spec_id(p->spec)) != 0) {
		diag_error(pc->d, pc->grouping_at ? pc->grouping_at->pos : pc->own->pos, "grouping",
			   "payment spec is for grouping spec '%s', not '%s'",
			   p->grouping ? p->grouping : "(none named)", drg_spec_id(p->spec));
		return -1;
	}
	if (p->valid_from != PAY_UNSET && p->valid_to != PAY_UNSET && p->valid_from > p->valid_to) {
		diag_error(pc->d, pc->own->pos, "valid-to", "valid-to is before valid-from");
		return -1;
	}
	if (index_drgs(pc) < 0)
		return -1;
	for (size_t i = 0; i < pc->roots.n; i++)
		for (const xnode *n = ((xnode *)pc->roots.v[i])->child; n; n = n->next)
			rc |= apply(pc, n);
	if (rc || pc->d->nerrors || check_rates(pc) < 0 || check_means(pc) < 0 ||
	    finish_hospitals(pc) < 0)
		return -1;
	if (p->qy_how == PAY_WEIGHT && p->qy_rw == PAY_UNSET) {
		diag_error(pc->d, pc->own->pos, NULL, "<qy payment=\"weight\"> needs rw=");
		return -1;
	}
	warn_unweighted(pc);
	hash_sources(&pc->files, h);
	sha256_hex(p->hash_hex, h);
	return 0;
}

int drg_pay_compile(drg_pay **out, const char *path, const drg_spec *spec, drg_diag_fn fn,
		    void *payload)
{
	diag_sink d = {fn, payload, 0, 0};
	pcomp pc;
	drg_pay *p;
	if (!out || !path || !spec)
		return DRG_EINVAL;
	*out = NULL;
	if (!(p = drg_calloc(1, sizeof(*p))))
		return DRG_ENOMEM;
	memset(&pc, 0, sizeof(pc));
	arena_init(&p->a);
	p->spec = spec;
	set_defaults(p);
	pc.p = p;
	pc.d = &d;
	pc.overall_mean = PAY_UNSET;
	strmap_init(&pc.drgs);
	int ok = read_chain(&pc, path, 0) == 0 && build(&pc) == 0 && d.nerrors == 0;
	if (!ok && d.nerrors == 0)
		diag_at(&d, DRG_DIAG_ERROR, path, 0, 0, "out of memory");
	srcfiles_free(&pc.files);
	strmap_free(&pc.drgs);
	if (!ok) {
		drg_pay_free(p);
		return DRG_ESPEC;
	}
	*out = p;
	return DRG_OK;
}

int drg_pay_grouping(char *buf, size_t size, const char *path, drg_diag_fn fn, void *payload)
{
	diag_sink d = {fn, payload, 0, 0};
	pcomp pc;
	drg_pay p;
	const char *g = NULL;
	if (!buf || !size || !path)
		return DRG_EINVAL;
	memset(&pc, 0, sizeof(pc));
	memset(&p, 0, sizeof(p));
	arena_init(&p.a);
	pc.p = &p;
	pc.d = &d;
	if (read_chain(&pc, path, 0) == 0)
		for (size_t i = 0; i < pc.roots.n; i++)
			g = xnode_attr(pc.roots.v[i], "grouping") ? xnode_attr(pc.roots.v[i], "grouping") : g;
	if (g)
		snprintf(buf, size, "%s", g);
	else if (d.nerrors == 0)
		diag_at(&d, DRG_DIAG_ERROR, path, 0, 0, "no grouping spec named (grouping=)");
	srcfiles_free(&pc.files);
	arena_free(&p.a);
	return g ? DRG_OK : DRG_ESPEC;
}

void drg_pay_free(drg_pay *pay)
{
	if (!pay)
		return;
	arena_free(&pay->a);
	drg_free(pay);
}

const char *drg_pay_id(const drg_pay *pay)
{
	return pay->id;
}

const char *drg_pay_hash(const drg_pay *pay)
{
	return pay->hash_hex;
}
