/*
** test_specs.c: the shipped CHS-DRG 2.0 spec, structurally.  Its compiled
** image must hold the published counts (26 MDCs, 409 ADRGs, 634 DRGs), and
** every ADRG and DRG must be reached by a case of the conformance sample in
** tests/conformance/chs-drg-2.0 (whose expectations come from the independent
** reference grouper; the conformance test checks that we agree with them).
** The CHS-DRG 3.0 tables (grouper-specs/lib/chs-3.0.xml; there are no 3.0
** ADRG rules in the data yet) are compiled through a probe spec that uses them
** all, and their sizes must be those of the rule data (../shared/docs/
** chs-drg-2-3.md, section 1).  Reads the image through the engine's own
** headers: this is a test of the data, not of the API.
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

/* Size of the set named name in the image; fails the test if there is none. */
static uint32_t set_size(const img *im, const char *name)
{
	for (uint32_t k = 0; k < IMG_COUNT(im, SEC_SET); k++)
		if (!strcmp(im->str + im->set[k].name, name))
			return im->set[k].n;
	ck_abort_msg("no set %s in the image", name);
	return 0;
}

/* Codes in dx map k, and its distinct values. */
static void map_size(const img *im, uint32_t k, uint32_t *codes, uint32_t *values)
{
	static unsigned char seen[65536];
	memset(seen, 0, sizeof(seen));
	*codes = *values = 0;
	for (uint32_t id = 0; id < IMG_COUNT(im, SEC_DX_CODE); id++) {
		unsigned v = img_map_value(im, k, id);
		*codes += v != 0;
		*values += v && !seen[v];
		seen[v] = 1;
	}
}

START_TEST(chs_drg_30_tables)
{
	static const struct {
		const char *set;
		uint32_t n;
	} sizes[] = {
		{"chs-3.0.MDCB.dx", 3106}, {"chs-3.0.MDCC.dx", 1535}, {"chs-3.0.MDCD.dx", 2367},
		{"chs-3.0.MDCE.dx", 1155}, {"chs-3.0.MDCF.dx", 2027}, {"chs-3.0.MDCG.dx", 1613},
		{"chs-3.0.MDCH.dx", 766}, {"chs-3.0.MDCI.dx", 3598}, {"chs-3.0.MDCJ.dx", 1636},
		{"chs-3.0.MDCK.dx", 1048}, {"chs-3.0.MDCL.dx", 932}, {"chs-3.0.MDCM.dx", 386},
		{"chs-3.0.MDCN.dx", 799}, {"chs-3.0.MDCO.dx", 1331}, {"chs-3.0.MDCQ.dx", 617},
		{"chs-3.0.MDCR.dx", 589}, {"chs-3.0.MDCS.dx", 917}, {"chs-3.0.MDCT.dx", 621},
		{"chs-3.0.MDCU.dx", 199}, {"chs-3.0.MDCV.dx", 1112}, {"chs-3.0.MDCW.dx", 465},
		{"chs-3.0.MDCX.dx", 1247}, {"chs-3.0.MDCY.dx", 45}, {"chs-3.0.MDCZ.dx", 1068},
		{"chs-3.0.zd-invalid", 1860}, {"chs-3.0.ss-invalid", 1942}, {"chs-3.0.qy-diff", 74},
		{"chs-3.0.high-risk-pregnancy", 793}, {"chs-3.0.robot", 5},
	};
	diags d;
	drg_spec *spec = tu_compile(tu_src("tests/unit/chs-3.0-probe.xml"), &d);
	ck_assert_msg(spec != NULL && d.warnings == 0, "%s", d.text);
	const img *im = &spec->im;
	for (size_t i = 0; i < sizeof(sizes) / sizeof(sizes[0]); i++)
		ck_assert_msg(set_size(im, sizes[i].set) == sizes[i].n, "%s: %u codes, want %u",
			      sizes[i].set, set_size(im, sizes[i].set), sizes[i].n);
	uint32_t codes, values;
	map_size(im, im->h->mcc_map, &codes, &values);
	ck_assert(codes == 1512 && values == 90);
	map_size(im, im->h->cc_map, &codes, &values);
	ck_assert(codes == 6337 && values == 143);
	map_size(im, im->h->cce_map, &codes, &values);
	ck_assert(codes == 20605 && values == 141);
	for (uint32_t i = 0; i < IMG_COUNT(im, SEC_OP); i++)   /* the trauma map of the probe's MDCZ */
		if (im->op[i].code == OP_SITES) {
			map_size(im, im->op[i].k, &codes, &values);
			ck_assert(codes == 1068 && values == 9);
		}
	drg_spec_free(spec);
}
END_TEST

static Suite *suite(void)
{
	Suite *s = suite_create("specs");
	TCase *t = tcase_create("chs-drg-2.0");
	tcase_set_timeout(t, 60);
	tcase_add_test(t, chs_drg_20_counts_and_reach);
	tcase_add_test(t, chs_drg_30_tables);
	suite_add_tcase(s, t);
	return s;
}

TU_MAIN(suite)
