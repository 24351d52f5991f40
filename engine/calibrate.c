/*
** calibrate.c: see calibrate.h.  The input is read whole, cut into records
** (csv.h, columns.h) and grouped on the calling thread; each usable case is
** kept as (result index, year weight, cost).  Sorting them by group and cost
** makes trimming and the per-group means one pass.
*/
#include "calibrate.h"

#include <errno.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "alloc.h"
#include "columns.h"
#include "csv.h"
#include "fixed.h"
#include "spec.h"

#define COST_LIMIT INT64_C(1000000000000)   /* fen: larger costs are not used */

typedef struct hcase {
	uint32_t result;
	int64_t weight;      /* year weight */
	int64_t cost;        /* fen */
} hcase;

typedef struct gstat {
	long n, kept;
	int64_t wsum, csum;  /* over kept cases: sum of weights, of weight x cost */
} gstat;

/* Reads all of fd into a NUL-terminated heap buffer.  0, or -1 (errno). */
static int slurp(int fd, char **buf, size_t *len)
{
	size_t cap = 1 << 20, n = 0;
	char *p = drg_malloc(cap);
	for (;;) {
		if (!p)
			return errno = ENOMEM, -1;
		ssize_t r = read(fd, p + n, cap - n - 1);
		if (r < 0 && errno == EINTR)
			continue;
		if (r < 0) {
			drg_free(p);
			return -1;
		}
		if (r == 0)
			break;
		n += (size_t)r;
		if (cap - n < 2) {
			char *q = drg_realloc(p, cap * 2);
			if (!q)
				drg_free(p);
			p = q, cap *= 2;
		}
	}
	p[n] = '\0';
	*buf = p, *len = n;
	return 0;
}

/* The year weight of case c (1 without year weights), or 0: not used. */
static int64_t year_weight(const calib_opts *o, const drg_case *c)
{
	if (!o->nyears)
		return 1;
	if (!case_has(c, DRG_F_DISCHARGE_DATE))
		return 0;
	int y = (int)(c->num[DRG_F_DISCHARGE_DATE] / 10000);
	for (int i = 0; i < o->nyears; i++)
		if (o->year[i] == y)
			return o->year_weight[i];
	return 0;
}

/* Groups one record; appends it to cases when usable.  0, or -1 (OOM). */
static int take(drg_scratch *s, const case_columns *cols, const csv_record *r,
		const calib_opts *o, hcase **cases, size_t *n, size_t *cap, calib_stats *st)
{
	drg_result res;
	drg_case *c = drg_scratch_case(s);
	if (r->error || r->nf != cols->nheader)
		return st->unreadable++, 0;
	columns_fill(cols, r, c);
	drg_group(&res, s->spec, s, 0);
	int64_t w = year_weight(o, c);
	if (res.status != DRG_STATUS_OK)
		return st->not_grouped++, 0;
	if (!case_has(c, DRG_F_TOTAL_COST) || c->num[DRG_F_TOTAL_COST] <= 0 ||
	    c->num[DRG_F_TOTAL_COST] > COST_LIMIT)
		return st->no_cost++, 0;
	if (!w)
		return st->other_year++, 0;
	if (*n == *cap) {
		size_t nc = *cap ? *cap * 2 : 4096;
		hcase *p = drg_realloc(*cases, nc * sizeof(*p));
		if (!p)
			return -1;
		*cases = p, *cap = nc;
	}
	(*cases)[(*n)++] = (hcase){s->last_result, w, c->num[DRG_F_TOTAL_COST]};
	return 0;
}

static int by_group_cost(const void *a, const void *b)
{
	const hcase *x = a, *y = b;
	if (x->result != y->result)
		return x->result < y->result ? -1 : 1;
	return (x->cost > y->cost) - (x->cost < y->cost);
}

/* Marks the cases of one group [a, b) outside the trimming bounds (weight 0). */
static void trim(const calib_opts *o, hcase *a, hcase *b, calib_stats *st)
{
	size_t n = (size_t)(b - a), drop_lo = 0, drop_hi = 0;
	int64_t wsum = 0, csum = 0, mean;
	if (o->trim == 2) {
		drop_lo = (size_t)((int64_t)n * o->trim_lo / 10000);
		drop_hi = (size_t)((int64_t)n * (10000 - o->trim_hi) / 10000);
		for (size_t i = 0; i < n; i++)
			if (i < drop_lo || i >= n - drop_hi)
				a[i].weight = 0, st->trimmed++;
		return;
	}
	for (size_t i = 0; i < n; i++)
		wsum += a[i].weight, csum += a[i].weight * a[i].cost;
	fixed_muldiv(&mean, csum, 1, wsum, ROUND_HALF_UP);
	for (size_t i = 0; i < n; i++)
		if (a[i].cost * 10000 < o->trim_lo * mean || a[i].cost * 10000 > o->trim_hi * mean)
			a[i].weight = 0, st->trimmed++;
}

/* Per-group sums over the kept cases (cases sorted by group). */
static void sums(const calib_opts *o, hcase *cases, size_t n, gstat *g, calib_stats *st)
{
	for (size_t i = 0, j; i < n; i = j) {
		for (j = i; j < n && cases[j].result == cases[i].result; j++)
			;
		if (o->trim)
			trim(o, cases + i, cases + j, st);
		gstat *x = &g[cases[i].result];
		for (size_t k = i; k < j; k++) {
			x->n++;
			if (!cases[k].weight)
				continue;
			x->kept++;
			x->wsum += cases[k].weight;
			x->csum += cases[k].weight * cases[k].cost;
		}
	}
}

/* Writes the payment spec for the groups that met the minimum. */
static void write_spec(FILE *out, const drg_spec *spec, const calib_opts *o, const gstat *g,
		       size_t ng, int64_t overall, const calib_stats *st)
{
	const img *im = &spec->im;
	char b[24], m[24];
	int64_t rate = o->base_rate != DRG_NONE ? o->base_rate : overall;
	fixed_format(b, rate, 2);
	fprintf(out, "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n"
		"<!-- written by drg calibrate: %ld cases used, %ld trimmed, of %ld records "
		"(%ld unreadable, %ld not grouped, %ld without cost, %ld in other years);\n"
		"     RW = group mean / overall mean %s; groups with fewer than %ld kept cases "
		"have no weight.\n     Routing: the national defaults; review them. -->\n",
		st->kept, st->trimmed, st->records, st->unreadable, st->not_grouped, st->no_cost,
		st->other_year, (fixed_format(m, overall, 2), m), o->min_cases);
	fprintf(out, "<drg-payment xmlns=\"urn:x-drg:pay:1\" id=\"%s\" grouping=\"%s\" method=\"rate\">\n"
		"  <base-rate fund=\"employee\" yuan=\"%s\"/>\n  <base-rate fund=\"resident\" yuan=\"%s\"/>\n"
		"  <high-cost reference=\"standard\" compare=\"gt\" payment=\"ffs\">\n"
		"    <tier level=\"3\" mult=\"3\"/>\n    <tier level=\"2\" mult=\"2\"/>\n"
		"    <tier level=\"1\" mult=\"2\"/>\n  </high-cost>\n"
		"  <low-cost mult=\"0.3\" compare=\"lt\" payment=\"ffs\"/>\n"
		"  <long-stay min-days=\"60\" payment=\"ffs\"/>\n  <groups>\n",
		o->id, drg_spec_id(spec), b, b);
	for (size_t r = 0; r < ng; r++) {
		int64_t mean, rw;
		if (!g[r].n)
			continue;
		const char *drg = im->str + im->result[r].drg;
		if (g[r].kept < o->min_cases || !g[r].kept) {
			fprintf(out, "    <!-- %s: %ld cases, %ld kept: below the minimum -->\n", drg,
				g[r].n, g[r].kept);
			continue;
		}
		fixed_muldiv(&mean, g[r].csum, 1, g[r].wsum, ROUND_HALF_UP);
		fixed_muldiv(&rw, mean, 10000, overall, ROUND_HALF_UP);
		fixed_format(b, rw, 4);
		fixed_format(m, mean, 2);
		fprintf(out, "    <group drg=\"%s\" rw=\"%s\" mean-cost=\"%s\"/> <!-- %ld cases, %ld kept -->\n",
			drg, b, m, g[r].n, g[r].kept);
	}
	fputs("  </groups>\n</drg-payment>\n", out);
}

/* The overall year-weighted mean of the weighted groups; counts them. */
static int64_t overall_mean(const calib_opts *o, const gstat *g, size_t ng, calib_stats *st)
{
	int64_t w = 0, c = 0, mean = DRG_NONE;
	for (size_t r = 0; r < ng; r++) {
		st->groups += g[r].n > 0;
		if (!g[r].kept || g[r].kept < o->min_cases)
			continue;
		st->weighted_groups++;
		st->kept += g[r].kept;
		w += g[r].wsum, c += g[r].csum;
	}
	if (w)
		fixed_muldiv(&mean, c, 1, w, ROUND_HALF_UP);
	return mean;
}

/* Reads, groups and keeps the usable cases.  0, 1 (bad header), 2. */
static int collect(const drg_spec *spec, char *buf, size_t len, const char *name,
		   const calib_opts *o, hcase **cases, size_t *n, calib_stats *st)
{
	csv_record r;
	case_columns cols;
	drg_scratch *s;
	size_t cap = 0;
	char *p = buf, *end = buf + len;
	if (len == 0) {
		fprintf(stderr, "drg: %s: empty input: no header\n", name);
		return 1;
	}
	p = csv_parse(&r, p, end);
	columns_map(&cols, &r);
	if (cols.col[COL_DX] < 0 || cols.col[COL_FIELD0 + DRG_F_TOTAL_COST] < 0) {
		fprintf(stderr, "drg: %s: calibration needs 'dx' and 'total_cost' columns\n", name);
		return 1;
	}
	if (drg_scratch_new(&s, spec) != DRG_OK)
		return 2;
	int rc = 0;
	while (p < end && rc == 0) {
		p = csv_parse(&r, p, end);
		st->records++;
		if (take(s, &cols, &r, o, cases, n, &cap, st) < 0)
			rc = 2;
	}
	drg_scratch_free(s);
	return rc;
}

int calibrate_run(const drg_spec *spec, int fd, const char *name, const calib_opts *o,
		  FILE *out, calib_stats *st)
{
	char *buf;
	size_t len, n = 0, ng = IMG_COUNT(&spec->im, SEC_RESULT);
	hcase *cases = NULL;
	gstat *g = NULL;
	memset(st, 0, sizeof(*st));
	if (slurp(fd, &buf, &len) < 0) {
		fprintf(stderr, "drg: %s: %s\n", name, strerror(errno));
		return 2;
	}
	int rc = collect(spec, buf, len, name, o, &cases, &n, st);
	if (rc == 0 && !(g = drg_calloc(ng, sizeof(*g))))
		rc = 2;
	if (rc == 0) {
		if (n)   /* qsort(NULL, 0) is undefined */
			qsort(cases, n, sizeof(*cases), by_group_cost);
		sums(o, cases, n, g, st);
		int64_t overall = overall_mean(o, g, ng, st);
		if (overall == DRG_NONE || overall <= 0) {
			fprintf(stderr, "drg: %s: no group has enough cases with a cost\n", name);
			rc = 1;
		} else {
			write_spec(out, spec, o, g, ng, overall, st);
		}
	}
	if (rc == 2)
		fprintf(stderr, "drg: %s: out of memory\n", name);
	drg_free(g);
	drg_free(cases);
	drg_free(buf);
	return rc;
}
