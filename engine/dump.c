/*
** dump.c: the image listing of dump.h.  Programs are printed one op per line,
** `  pc: NAME operands -> jt/jf`, with absolute targets; set operands show the
** set's size and first codes, so a listing can be read against the XML.
*/
#include "dump.h"

#include "spec.h"

static const char *const OP_NAMES[] = {
#define OP(name, doc) #name,
#include "ops.def"
#undef OP
};

#define S(off) (im->str + (off))

/* Text of code id of kind px (0 dx, 1 px); "?" for an id out of range (the
** loader checks set bounds, not that a set holds ids of the right kind). */
static const char *code_text(const img *im, int px, uint32_t id)
{
	if (id >= IMG_COUNT(im, px ? SEC_PX_CODE : SEC_DX_CODE))
		return "?";
	return S(px ? im->px_code[id] : im->dx_code[id]);
}

/* A set operand: its index, size and up to three codes. */
static void put_set(FILE *f, const img *im, uint32_t k, int px)
{
	const img_set *st = &im->set[k];
	fprintf(f, "set#%u %s[%u:", k, S(st->name), st->n);
	for (uint32_t i = 0; i < st->n && i < 3; i++)
		fprintf(f, " %s", code_text(im, px, im->setdata[st->off + i]));
	fputs(st->n > 3 ? " ...]" : "]", f);
}

static void put_sym_set(FILE *f, const img *im, uint32_t k)
{
	const img_set *st = &im->set[k];
	fprintf(f, "symset#%u[", k);
	for (uint32_t i = 0; i < st->n; i++)
		fprintf(f, "%s%s", i ? " " : "", im->setdata[st->off + i] < IMG_COUNT(im, SEC_SYM)
			? S(im->sym[im->setdata[st->off + i]]) : "?");
	fputc(']', f);
}

/* The operands of one op. */
static void put_operands(FILE *f, const img *im, const img_op *o)
{
	switch (o->code) { /* ORDER OP */
	case OP_RET:
	case OP_CONST:
		fprintf(f, " %u", o->k);
		break;
	case OP_MAIN_DX: case OP_ANY_DX: case OP_SEC_DX:
		fputc(' ', f), put_set(f, im, o->k, 0);
		break;
	case OP_MAIN_PX: case OP_ANY_PX: case OP_SEC_PX:
		fputc(' ', f), put_set(f, im, o->k, 1);
		break;
	case OP_COUNT:
		fprintf(f, " %s %s %d", o->a ? "px" : "dx", cmp_names[o->b], (int32_t)o->k);
		break;
	case OP_CMP:
		fprintf(f, " %s %s %d", drg_field_names[o->a], cmp_names[o->b], (int32_t)o->k);
		break;
	case OP_MISSING: case OP_NONZERO:
		fprintf(f, " %s", drg_field_names[o->a]);
		break;
	case OP_SYM_IN:
		fprintf(f, " %s ", drg_field_names[o->a]), put_sym_set(f, im, o->k);
		break;
	case OP_HAS_CC:
		fprintf(f, " map#%u excl map#%u", o->k, o->b);
		break;
	case OP_SITES:
		fprintf(f, " map#%u >= %u", o->k, o->a);
		break;
	}
}

/* A rule's guard line, when it has one. */
static void put_guard(FILE *f, const img *im, const img_guard *g, const char *indent)
{
	if (g->set == IMG_NONE)
		return;
	fprintf(f, "%sguard: %s in ", indent, img_role_names[g->role]);
	put_set(f, im, g->set, g->role >= ROLE_MAIN_PX);
	fputc('\n', f);
}

/* Disassembles the program at pc (up to its last RET). */
static void put_program(FILE *f, const img *im, uint32_t pc, const char *indent)
{
	if (pc == IMG_NONE) {
		fprintf(f, "%salways\n", indent);
		return;
	}
	uint32_t last = pc;   /* the furthest op any jump reaches */
	for (uint32_t i = pc; i <= last; i++) {
		const img_op *o = &im->op[i];
		fprintf(f, "%s%5u: %s", indent, i, OP_NAMES[o->code]);
		put_operands(f, im, o);
		if (o->code != OP_RET) {
			fprintf(f, " -> %u/%u", i + o->jt, i + o->jf);
			if (i + o->jt > last) last = i + o->jt;
			if (i + o->jf > last) last = i + o->jf;
		}
		fputc('\n', f);
	}
}

static void put_result(FILE *f, const img *im, uint32_t r)
{
	const img_result *x = &im->result[r];
	fprintf(f, "%s %s %s %s", drg_status_name((enum drg_status)x->status), S(x->mdc), S(x->adrg),
		S(x->drg));
}

static void put_header(FILE *f, const drg_spec *spec)
{
	const img *im = &spec->im;
	fprintf(f, "image %s format %u, %zu bytes, sha256 %s\n", drg_spec_id(spec), im->h->format,
		drg_spec_image_size(spec), drg_spec_hash(spec));
	for (int s = 0; s < SEC_COUNT; s++)
		fprintf(f, "  section %-10s %8u x %zu bytes\n", img_sec_names[s], im->h->sec[s].count,
			img_sec_elem[s]);
	fputs("  outcome ungroupable: ", f), put_result(f, im, im->h->ungroupable), fputc('\n', f);
	fputs("  outcome invalid: ", f), put_result(f, im, im->h->invalid), fputc('\n', f);
	if (im->h->main_px_invalid != IMG_NONE)
		fprintf(f, "  principal procedure emptied when in set %u\n", im->h->main_px_invalid);
}

static void put_checks(FILE *f, const img *im)
{
	for (uint32_t i = 0; i < IMG_COUNT(im, SEC_CHECK); i++) {
		const img_check *c = &im->check[i];
		fprintf(f, "check %s (%s:%u) fails when:\n", S(c->id), S(im->file[c->file]), c->line);
		if (c->result != im->h->invalid)
			fputs("  -> ", f), put_result(f, im, c->result), fputc('\n', f);
		put_program(f, im, c->when, "  ");
	}
	if (im->h->any_check != IMG_NONE) {
		fputs("some check fails when (tried first):\n", f);
		put_program(f, im, im->h->any_check, "  ");
	}
}

static void put_adrg(FILE *f, const img *im, uint32_t a)
{
	const img_adrg *r = &im->adrg[a];
	fprintf(f, "  adrg %s code %s (%s:%u) when:\n", S(r->id), S(r->code), S(im->file[r->file]),
		r->line);
	put_guard(f, im, &r->guard, "    ");
	put_program(f, im, r->when, "    ");
	if (r->qy != IMG_NONE) {
		fputs("    qy -> ", f), put_result(f, im, r->qy_result), fputs(" when:\n", f);
		put_program(f, im, r->qy, "      ");
	}
	for (uint32_t i = 0; i < r->nsplit; i++) {
		const img_split *sp = &im->split[r->split + i];
		fputs("    split -> ", f), put_result(f, im, sp->result), fputs(" when:\n", f);
		put_program(f, im, sp->when, "      ");
	}
	if (r->fallback != IMG_NONE)
		fputs("    no split -> ", f), put_result(f, im, r->fallback), fputc('\n', f);
}

static void put_mdcs(FILE *f, const img *im)
{
	for (uint32_t m = 0; m < IMG_COUNT(im, SEC_MDC); m++) {
		const img_mdc *x = &im->mdc[m];
		fprintf(f, "mdc %s (%s:%u) enters when:\n", S(x->code), S(im->file[x->file]), x->line);
		put_guard(f, im, &x->guard, "  ");
		put_program(f, im, x->enter, "  ");
		for (uint32_t i = 0; i < x->nstep; i++) {
			const img_step *st = &im->step[x->step + i];
			if (st->kind == STEP_ADRG) {
				put_adrg(f, im, st->arg);
				continue;
			}
			fputs("  qy -> ", f), put_result(f, im, st->result), fputs(" when:\n", f);
			put_program(f, im, st->arg, "    ");
		}
		if (x->fallback != IMG_NONE)
			fputs("  nothing yields -> ", f), put_result(f, im, x->fallback), fputc('\n', f);
	}
}

int spec_dump(const drg_spec *spec, FILE *f)
{
	put_header(f, spec);
	put_checks(f, &spec->im);
	put_mdcs(f, &spec->im);
	return ferror(f) ? DRG_EIO : DRG_OK;
}
