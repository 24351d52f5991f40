/*
** gencases.c: writes N realistic synthetic cases for any spec, in the
** canonical case CSV, to stdout.
**
**   gencases SPEC.xml|IMAGE N [SEED]
**
** Codes come from the spec itself: principal diagnoses and procedures are
** drawn from the code sets its rules test (so cases reach real MDCs, ADRGs
** and splits), secondary diagnoses from its MCC and CC tables and its
** dictionary; a few cases are newborns, some carry codes the spec does not
** know, empty or malformed fields (so validation and ungroupable paths are
** exercised).  The same SEED gives the same file.
*/
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "spec.h"

typedef struct gen {
	const img *im;
	uint64_t rng;
	uint32_t *dxsets, *pxsets, ndxsets, npxsets;   /* sets rules test, by kind */
	uint32_t *mcc, *cc, nmcc, ncc;                 /* codes in the MCC / CC maps */
} gen;

static uint32_t rnd(gen *g, uint32_t n)
{
	g->rng = g->rng * 6364136223846793005ull + 1442695040888963407ull;
	return n ? (uint32_t)((g->rng >> 33) % n) : 0;
}

/* Collects the sets that ops test, by kind (dx ops, px ops). */
static void collect_sets(gen *g)
{
	const img *im = g->im;
	uint32_t nops = IMG_COUNT(im, SEC_OP);
	g->dxsets = calloc(nops + 1, 4), g->pxsets = calloc(nops + 1, 4);
	for (uint32_t i = 0; i < nops; i++) {
		const img_op *o = &im->op[i];
		int dx = o->code == OP_MAIN_DX || o->code == OP_ANY_DX || o->code == OP_SEC_DX;
		int px = o->code == OP_MAIN_PX || o->code == OP_ANY_PX || o->code == OP_SEC_PX;
		if ((dx || px) && im->set[o->k].n) {
			if (dx)
				g->dxsets[g->ndxsets++] = o->k;
			else
				g->pxsets[g->npxsets++] = o->k;
		}
	}
}

/* Codes with a nonzero value in map k (dx). */
static uint32_t *map_codes(const img *im, uint32_t k, uint32_t *n)
{
	uint32_t ndx = IMG_COUNT(im, SEC_DX_CODE);
	uint32_t *v = calloc(ndx + 1, 4);
	*n = 0;
	for (uint32_t id = 0; k != IMG_NONE && id < ndx; id++)
		if (img_map_value(im, k, id))
			v[(*n)++] = id;
	return v;
}

static const char *dx_from_set(gen *g, uint32_t set)
{
	const img_set *s = &g->im->set[set];
	return g->im->str + g->im->dx_code[g->im->setdata[s->off + rnd(g, s->n)]];
}

static const char *px_from_set(gen *g, uint32_t set)
{
	const img_set *s = &g->im->set[set];
	return g->im->str + g->im->px_code[g->im->setdata[s->off + rnd(g, s->n)]];
}

static const char *any_dx(gen *g)
{
	return g->im->str + g->im->dx_code[rnd(g, IMG_COUNT(g->im, SEC_DX_CODE))];
}

static const char *any_px(gen *g)
{
	return g->im->str + g->im->px_code[rnd(g, IMG_COUNT(g->im, SEC_PX_CODE))];
}

static void principal_dx(gen *g, FILE *f)
{
	uint32_t r = rnd(g, 100);
	if (r < 85 && g->ndxsets)
		fputs(dx_from_set(g, g->dxsets[rnd(g, g->ndxsets)]), f);
	else if (r < 97)
		fputs(any_dx(g), f);
	else if (r < 99)
		fputs("Z99.999x999", f);   /* not in any dictionary */
}

static void secondary_dx(gen *g, FILE *f)
{
	uint32_t n = rnd(g, 7);
	for (uint32_t i = 0; i < n; i++) {
		uint32_t r = rnd(g, 100);
		const img *im = g->im;
		fputc('|', f);
		if (r < 25 && g->nmcc)
			fputs(im->str + im->dx_code[g->mcc[rnd(g, g->nmcc)]], f);
		else if (r < 55 && g->ncc)
			fputs(im->str + im->dx_code[g->cc[rnd(g, g->ncc)]], f);
		else
			fputs(any_dx(g), f);
	}
}

static void procedures(gen *g, FILE *f)
{
	if (rnd(g, 100) >= 45)
		return;
	uint32_t n = 1 + rnd(g, 4);
	for (uint32_t i = 0; i < n; i++) {
		if (i)
			fputc('|', f);
		fputs(rnd(g, 100) < 80 && g->npxsets ? px_from_set(g, g->pxsets[rnd(g, g->npxsets)])
						   : any_px(g), f);
	}
}

/* One case row (id,sex,age,age_days,birth_weight,dept,los,discharge,dx,px,icu_hours,total_cost). */
static void write_case(gen *g, FILE *f, long id)
{
	int newborn = rnd(g, 100) < 4, age = newborn ? 0 : (int)rnd(g, 96);
	fprintf(f, "G%07ld,", id);
	uint32_t sex = rnd(g, 1000);
	fputs(sex < 3 ? "9," : sex < 6 ? "," : sex < 500 ? "1," : "2,", f);
	if (rnd(g, 100) == 0)
		fputs(",", f);                            /* age missing */
	else
		fprintf(f, "%d,", age);
	if (age == 0)
		fprintf(f, "%u,", newborn ? rnd(g, 29) : rnd(g, 366));
	else
		fputs(",", f);
	if (newborn && rnd(g, 100) < 97)
		fprintf(f, "%u,", 500 + rnd(g, 4000));
	else
		fputs(",", f);
	fprintf(f, ",%u,%u,", 1 + rnd(g, 60), 1 + rnd(g, 5));
	principal_dx(g, f);
	secondary_dx(g, f);
	fputc(',', f);
	procedures(g, f);
	uint32_t icu = rnd(g, 100) < 5 ? 1 + rnd(g, 300) : 0;
	if (icu)
		fprintf(f, ",%u", icu);
	else
		fputc(',', f);
	fprintf(f, ",%u.%02u\n", 1000 + rnd(g, 200000), rnd(g, 100));
}

int main(int argc, char **argv)
{
	drg_spec *spec = NULL;
	if (argc < 3) {
		fprintf(stderr, "usage: gencases SPEC.xml|IMAGE N [SEED]\n");
		return 1;
	}
	size_t len = strlen(argv[1]);
	int rc = len > 4 && !strcmp(argv[1] + len - 4, ".xml") ? drg_spec_compile(&spec, argv[1], NULL, NULL)
							       : drg_spec_load(&spec, argv[1]);
	if (rc != DRG_OK) {
		fprintf(stderr, "gencases: %s: %s\n", argv[1], drg_strerror(rc));
		return 1;
	}
	gen g = {.im = &spec->im, .rng = argc > 3 ? strtoull(argv[3], NULL, 10) : 1};
	collect_sets(&g);
	g.mcc = map_codes(g.im, g.im->h->mcc_map, &g.nmcc);
	g.cc = map_codes(g.im, g.im->h->cc_map, &g.ncc);
	long n = atol(argv[2]);
	fputs("id,sex,age,age_days,birth_weight,dept,los,discharge,dx,px,icu_hours,total_cost\n", stdout);
	for (long i = 1; i <= n; i++)
		write_case(&g, stdout, i);
	free(g.dxsets), free(g.pxsets), free(g.mcc), free(g.cc);
	drg_spec_free(spec);
	return fflush(stdout) == 0 ? 0 : 2;
}
