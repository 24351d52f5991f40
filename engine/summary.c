/*
** summary.c: see summary.h.  Hospitals are kept in a strmap (id -> row),
** ids copied once, when first seen; a case costs one hash lookup.
*/
#include "summary.h"

#include <stdlib.h>
#include <string.h>

#include "alloc.h"
#include "arena.h"
#include "fixed.h"
#include "pay.h"
#include "strmap.h"

typedef struct row {
	const char *id;
	long cases, by_route[DRG_ROUTE_COUNT], weighted, review;
	int64_t rw, points, standard, payment;
} row;

struct summary {
	arena a;             /* ids and rows */
	strmap rows;         /* id -> row */
	ptrvec order;        /* row *, in order of first sight */
	row total;
	char *key;           /* NUL-terminated copy of the id looked up */
	size_t keycap;
};

int summary_new(summary **out)
{
	summary *s = drg_calloc(1, sizeof(*s));
	if (!s)
		return DRG_ENOMEM;
	arena_init(&s->a);
	strmap_init(&s->rows);
	*out = s;
	return DRG_OK;
}

void summary_free(summary *s)
{
	if (!s)
		return;
	strmap_free(&s->rows);
	arena_free(&s->a);
	drg_free(s->key);
	drg_free(s);
}

/* The row of hospital id (n bytes), made when new; NULL out of memory. */
static row *row_of(summary *s, const char *id, size_t n)
{
	if (n + 1 > s->keycap) {
		char *k = drg_realloc(s->key, n + 64);
		if (!k)
			return NULL;
		s->key = k, s->keycap = n + 64;
	}
	memcpy(s->key, id, n);
	s->key[n] = '\0';
	row *r = strmap_get(&s->rows, s->key);
	if (r)
		return r;
	if (!(r = arena_alloc(&s->a, sizeof(*r))) || !(r->id = arena_strndup(&s->a, id, n)) ||
	    strmap_put(&s->rows, r->id, r) < 0 || ptrvec_push(&s->a, &s->order, r) < 0)
		return NULL;
	return r;
}

/* to += from. */
static void add_row(row *to, const row *from)
{
	to->cases += from->cases;
	for (int i = 0; i < DRG_ROUTE_COUNT; i++)
		to->by_route[i] += from->by_route[i];
	to->weighted += from->weighted;
	to->review += from->review;
	to->rw += from->rw;
	to->points += from->points;
	to->standard += from->standard;
	to->payment += from->payment;
}

/* One case as a row of counts. */
static row case_row(const drg_price *p)
{
	row r = {0};
	int priced = p->route != DRG_ROUTE_INVALID && p->route != DRG_ROUTE_UNGROUPABLE;
	r.cases = 1;
	r.by_route[p->route] = 1;
	r.review = p->review != 0;
	if (priced && p->weight != DRG_NONE)
		r.weighted = 1, r.rw = p->weight;
	r.points = priced && p->points != DRG_NONE ? p->points : 0;
	r.standard = priced && p->standard != DRG_NONE ? p->standard : 0;
	r.payment = p->payment != DRG_NONE ? p->payment : 0;
	return r;
}

int summary_add(summary *s, drg_text hospital, const drg_price *p)
{
	row *r = row_of(s, hospital.ptr, hospital.len), one = case_row(p);
	if (!r)
		return DRG_ENOMEM;
	add_row(r, &one);
	add_row(&s->total, &one);
	return DRG_OK;
}

int summary_merge(summary *into, const summary *from)
{
	for (size_t i = 0; i < from->order.n; i++) {
		const row *f = from->order.v[i];
		row *r = row_of(into, f->id, strlen(f->id));
		if (!r)
			return DRG_ENOMEM;
		add_row(r, f);
	}
	add_row(&into->total, &from->total);
	return DRG_OK;
}

static int by_id(const void *a, const void *b)
{
	return strcmp((*(row *const *)a)->id, (*(row *const *)b)->id);
}

/* Writes v / 10^scale, or nothing for DRG_NONE, then sep. */
static void put(FILE *f, int64_t v, int scale, char sep)
{
	char b[24];
	if (v != DRG_NONE)
		fixed_format(b, v, scale), fputs(b, f);
	fputc(sep, f);
}

/* "1" when share (x 10^4) is above cap, "0" when not, "" when either is unknown. */
static const char *over(int64_t share, int64_t cap)
{
	return share == DRG_NONE || cap == PAY_UNSET ? "" : share > cap ? "1" : "0";
}

static void write_row(FILE *f, const row *r, const char *name, const drg_pay *pay, int64_t pv,
		      int total)
{
	int64_t cmi = DRG_NONE, share = DRG_NONE, rshare = DRG_NONE, worth = DRG_NONE;
	int64_t high = r->by_route[DRG_ROUTE_HIGH_COST] + r->by_route[DRG_ROUTE_EXTREME_COST];
	int64_t valid = r->cases - r->by_route[DRG_ROUTE_INVALID];
	if (r->weighted)
		fixed_muldiv(&cmi, r->rw, 1, r->weighted, ROUND_HALF_UP);
	if (valid) {
		fixed_muldiv(&share, high, 10000, valid, ROUND_HALF_UP);
		fixed_muldiv(&rshare, r->review, 10000, valid, ROUND_HALF_UP);
	}
	if (pv != DRG_NONE && fixed_muldiv(&worth, r->points, pv, 100000, ROUND_HALF_UP) < 0)
		worth = DRG_NONE;
	fprintf(f, "%s,%ld,", name, r->cases);
	for (int i = 0; i < DRG_ROUTE_COUNT; i++)
		fprintf(f, "%ld,", r->by_route[i]);
	fprintf(f, "%ld,", r->weighted);
	put(f, cmi, 4, ',');
	put(f, r->points, 3, ',');
	put(f, r->standard, 2, ',');
	put(f, r->payment, 2, ',');
	put(f, share, 4, ',');
	fprintf(f, "%s,%ld,", over(share, pay->outlier_cap), r->review);
	put(f, rshare, 4, ',');
	fprintf(f, "%s,", over(rshare, pay->review_quota));
	put(f, total ? pv : DRG_NONE, 4, ',');
	put(f, worth, 2, '\n');
}

int summary_write(FILE *f, const summary *s, const drg_pay *pay, int64_t budget)
{
	row **rows = drg_malloc((s->order.n + 1) * sizeof(*rows));
	int64_t pv = DRG_NONE;   /* yuan x 10^4 per point */
	if (!rows)
		return -1;
	if (s->order.n) {   /* memcpy/qsort with NULL are undefined even for 0 */
		memcpy(rows, s->order.v, s->order.n * sizeof(*rows));
		qsort(rows, s->order.n, sizeof(*rows), by_id);
	}
	if (budget != DRG_NONE && s->total.points > 0)
		fixed_muldiv(&pv, budget, 100000, s->total.points, ROUND_HALF_UP);
	fputs("hospital,cases", f);
	for (int i = 0; i < DRG_ROUTE_COUNT; i++)
		fprintf(f, ",%s", drg_route_name((enum drg_route)i));
	fputs(",weighted_cases,cmi,points,standard,payment,high_cost_share,over_cap,review,"
	      "review_share,over_quota,point_value,budget_payment\n", f);
	for (size_t i = 0; i < s->order.n; i++)
		write_row(f, rows[i], rows[i]->id[0] ? rows[i]->id : "(none)", pay, pv, 0);
	write_row(f, &s->total, "(total)", pay, pv, 1);
	drg_free(rows);
	return ferror(f) ? -1 : 0;
}
