/*
** test_specs.c: the shipped CHS-DRG 2.0 spec, structurally.  Its compiled
** image must hold the published counts (26 MDCs, 409 ADRGs, 634 DRGs), and
** every ADRG and DRG must be reached by a case of the conformance sample in
** tests/conformance/chs-drg-2.0 (whose expectations come from the independent
** reference grouper; the conformance test checks that we agree with them).
** Reads the image through the engine's own headers: this is a test of the
** data, not of the API.
*/
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "spec.h"
#include "testutil.h"

#define MAX_CODES 2048

typedef struct codeset_t {
	char code[MAX_CODES][8];
	int n;
} codeset_t;

static int has(const codeset_t *s, const char *c)
{
	for (int i = 0; i < s->n; i++)
		if (!strcmp(s->code[i], c))
			return 1;
	return 0;
}

static void add(codeset_t *s, const char *c)
{
	ck_assert_int_lt(s->n, MAX_CODES);
	ck_assert_uint_lt(strlen(c), sizeof(s->code[0]));
	if (!has(s, c))
		strcpy(s->code[s->n++], c);
}

/* The ADRG and DRG codes of status-ok rows of an expected.csv. */
static void reached(const char *path, codeset_t *adrg, codeset_t *drg)
{
	FILE *f = fopen(path, "r");
	char line[256];
	ck_assert_ptr_nonnull(f);
	while (fgets(line, sizeof(line), f)) {
		char *fld[5] = {0}, *p = line;
		for (int i = 0; i < 5 && p; i++) {
			fld[i] = p;
			p = strpbrk(p, ",\n");
			if (p)
				*p++ = '\0';
		}
		if (fld[4] && !strcmp(fld[1], "ok")) {
			add(adrg, fld[3]);
			add(drg, fld[4]);
		}
	}
	fclose(f);
}

START_TEST(chs_drg_20_counts_and_reach)
{
	static codeset_t adrgs, drgs, got_adrg, got_drg;
	diags d;
	drg_spec *spec = tu_compile(tu_src("grouper-specs/chs-drg-2.0.xml"), &d);
	ck_assert_msg(spec != NULL, "%s", d.text);
	const img *im = &spec->im;
	ck_assert_uint_eq(IMG_COUNT(im, SEC_MDC), 26);
	for (uint32_t a = 0; a < IMG_COUNT(im, SEC_ADRG); a++) {
		const img_adrg *r = &im->adrg[a];
		add(&adrgs, im->str + r->code);
		for (uint32_t i = r->split; i < r->split + r->nsplit; i++)
			add(&drgs, im->str + im->result[im->split[i].result].drg);
	}
	ck_assert_int_eq(adrgs.n, 409);
	ck_assert_int_eq(drgs.n, 634);
	reached(tu_src("tests/conformance/chs-drg-2.0/expected.csv"), &got_adrg, &got_drg);
	for (int i = 0; i < adrgs.n; i++)
		ck_assert_msg(has(&got_adrg, adrgs.code[i]), "ADRG %s reached by no sample case",
			      adrgs.code[i]);
	for (int i = 0; i < drgs.n; i++)
		ck_assert_msg(has(&got_drg, drgs.code[i]), "DRG %s reached by no sample case",
			      drgs.code[i]);
	drg_spec_free(spec);
}
END_TEST

static Suite *suite(void)
{
	Suite *s = suite_create("specs");
	TCase *t = tcase_create("chs-drg-2.0");
	tcase_set_timeout(t, 60);
	tcase_add_test(t, chs_drg_20_counts_and_reach);
	suite_add_tcase(s, t);
	return s;
}

TU_MAIN(suite)
