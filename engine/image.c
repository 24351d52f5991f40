/*
** image.c: opening a compiled image: validate every section, index and offset
** once, so that the evaluator never has to (Redis lpValidateIntegrity, Lua
** lundump checkHeader).  An image that fails is rejected with a reason.
*/
#include "image.h"

#include <string.h>

#include "drg/drg.h"

/* Element size of each section, in bytes. ORDER SEC */
const size_t img_sec_elem[SEC_COUNT] = {
	1, 4, 4, sizeof(img_slot), 4, 4, sizeof(img_slot), 4, sizeof(img_slot), sizeof(img_set), 4, sizeof(img_map), 2, 4,
	sizeof(img_op), sizeof(img_check), sizeof(img_mdc), sizeof(img_step),
	sizeof(img_adrg), sizeof(img_split), sizeof(img_result), 4, 4, 4, 4};

const char *const img_sec_names[SEC_COUNT] = {
	"str", "dx_code", "dx_name", "dx_hash", "px_code", "px_name", "px_hash", "sym",
	"sym_hash", "set", "setdata", "map", "mapdata", "label", "op", "check", "mdc", "step",
	"adrg", "split", "result", "file", "dx_memb", "px_memb", "memb"};

const char *const img_role_names[ROLE_COUNT] = {"main-dx", "secondary-dx", "any-dx",
						 "main-px", "secondary-px", "any-px"};

/* Resolves section s into *p after checking it lies inside the image. */
static int section(img *im, enum img_sec s, const void **p)
{
	const img_section *sc = &im->h->sec[s];
	uint64_t end = (uint64_t)sc->off + (uint64_t)sc->count * img_sec_elem[s];
	if (sc->off % 8 || sc->off < sizeof(img_header) || end > im->size)
		return -1;
	*p = im->base + sc->off;
	return 0;
}

/* Is off the start of a NUL-terminated string inside SEC_STR? */
static int str_ok(const img *im, uint32_t off)
{
	uint32_t n = IMG_COUNT(im, SEC_STR);
	return off < n && memchr(im->str + off, '\0', n - off) != NULL;
}

static int strs_ok(const img *im, const uint32_t *v, uint32_t n)
{
	for (uint32_t i = 0; i < n; i++)
		if (!str_ok(im, v[i]))
			return 0;
	return 1;
}

/* Hash tables hold id+1 or 0, in a power-of-two number of slots. */
static int hash_ok(const img_slot *slots, uint32_t nslots, uint32_t nids)
{
	uint32_t empty = 0;
	if (nslots == 0 || (nslots & (nslots - 1)))
		return 0;
	for (uint32_t i = 0; i < nslots; i++) {
		if (slots[i].id1 > nids)
			return 0;
		empty += slots[i].id1 == 0;
	}
	return empty > 0;   /* lookups stop at an empty slot */
}

static int sets_ok(const img *im)
{
	uint32_t nd = IMG_COUNT(im, SEC_SETDATA);
	for (uint32_t i = 0; i < IMG_COUNT(im, SEC_SET); i++) {
		const img_set *s = &im->set[i];
		if (s->off > nd || s->n > nd - s->off || !str_ok(im, s->name))
			return 0;
		for (uint32_t j = 1; j < s->n; j++)
			if (im->setdata[s->off + j - 1] >= im->setdata[s->off + j])
				return 0;
	}
	return 1;
}

static int maps_ok(const img *im)
{
	for (uint32_t i = 0; i < IMG_COUNT(im, SEC_MAP); i++) {
		const img_map *m = &im->map[i];
		uint32_t n = m->kind == MAP_DX ? IMG_COUNT(im, SEC_DX_CODE)
					       : IMG_COUNT(im, SEC_PX_CODE);
		if (m->kind > MAP_PX || m->off > IMG_COUNT(im, SEC_MAPDATA) ||
		    n > IMG_COUNT(im, SEC_MAPDATA) - m->off ||
		    m->labels > IMG_COUNT(im, SEC_LABEL) ||
		    m->nlabels > IMG_COUNT(im, SEC_LABEL) - m->labels)
			return 0;
	}
	return strs_ok(im, im->label, IMG_COUNT(im, SEC_LABEL));
}

/* A membership index: n + 1 ascending starts ending at the run data's end,
** and every set index in range. */
static int memb_ok(const img *im, const uint32_t *start, uint32_t count, uint32_t ncodes)
{
	uint32_t nmemb = IMG_COUNT(im, SEC_MEMB), nset = IMG_COUNT(im, SEC_SET);
	if (count != ncodes + 1 || start[ncodes] > nmemb)
		return 0;
	for (uint32_t i = 0; i < ncodes; i++)
		if (start[i] > start[i + 1])
			return 0;
	for (uint32_t j = start[0]; j < start[ncodes]; j++)
		if (im->memb[j] >= nset)
			return 0;
	return 1;
}

/* Every op's operands are in range and its jumps stay inside its program. */
static int ops_ok(const img *im)
{
	uint32_t n = IMG_COUNT(im, SEC_OP);
	for (uint32_t i = 0; i < n; i++) {
		const img_op *o = &im->op[i];
		if (o->code >= OP__COUNT)
			return 0;
		if (o->code == OP_RET)
			continue;
		if (!o->jt || !o->jf || i + o->jt >= n || i + o->jf >= n)
			return 0;
		switch (o->code) { /* ORDER OP */
		case OP_MAIN_DX: case OP_ANY_DX: case OP_SEC_DX:
		case OP_MAIN_PX: case OP_ANY_PX: case OP_SEC_PX:
			if (o->k >= IMG_COUNT(im, SEC_SET))
				return 0;
			break;
		case OP_SYM_IN:
			if (o->k >= IMG_COUNT(im, SEC_SET) || o->a >= DRG_F_COUNT)
				return 0;
			break;
		case OP_CMP: case OP_MISSING: case OP_NONZERO:
			if (o->a >= DRG_F_COUNT || o->b > 5)
				return 0;
			break;
		case OP_COUNT:
			if (o->a > 1 || o->b > 5)
				return 0;
			break;
		case OP_HAS_CC:
			if (o->k >= IMG_COUNT(im, SEC_MAP) || o->b >= IMG_COUNT(im, SEC_MAP))
				return 0;
			break;
		case OP_SITES:
			if (o->k >= IMG_COUNT(im, SEC_MAP))
				return 0;
			break;
		default:
			break;
		}
	}
	/* the last op of the section must end a program */
	return n == 0 || im->op[n - 1].code == OP_RET;
}

/* A reference to a condition program: an op index, or IMG_NONE if allowed. */
static int prog_ok(const img *im, uint32_t op, int none_ok)
{
	return op < IMG_COUNT(im, SEC_OP) || (none_ok && op == IMG_NONE);
}

static int pos_ok(const img *im, uint32_t file)
{
	return file < IMG_COUNT(im, SEC_FILE);
}

static int guard_ok(const img *im, const img_guard *g)
{
	return g->set == IMG_NONE || (g->set < IMG_COUNT(im, SEC_SET) && g->role < ROLE_COUNT);
}

static int rules_ok(const img *im)
{
	uint32_t nres = IMG_COUNT(im, SEC_RESULT), nstep = IMG_COUNT(im, SEC_STEP);
	uint32_t nadrg = IMG_COUNT(im, SEC_ADRG), nsplit = IMG_COUNT(im, SEC_SPLIT);
	for (uint32_t i = 0; i < IMG_COUNT(im, SEC_CHECK); i++) {
		const img_check *c = &im->check[i];
		if (!str_ok(im, c->id) || !str_ok(im, c->message) || !prog_ok(im, c->when, 0) ||
		    c->result >= nres || !pos_ok(im, c->file))
			return 0;
	}
	for (uint32_t i = 0; i < IMG_COUNT(im, SEC_MDC); i++) {
		const img_mdc *m = &im->mdc[i];
		if (!str_ok(im, m->code) || !str_ok(im, m->label) || !prog_ok(im, m->enter, 0) ||
		    !guard_ok(im, &m->guard) ||
		    m->step > nstep || m->nstep > nstep - m->step || !pos_ok(im, m->file) ||
		    (m->fallback != IMG_NONE && m->fallback >= nres))
			return 0;
	}
	for (uint32_t i = 0; i < nstep; i++) {
		const img_step *s = &im->step[i];
		if (s->kind > STEP_QY || !pos_ok(im, s->file) ||
		    (s->kind == STEP_ADRG ? s->arg >= nadrg
					  : (!prog_ok(im, s->arg, 0) || s->result >= nres)))
			return 0;
	}
	for (uint32_t i = 0; i < nadrg; i++) {
		const img_adrg *a = &im->adrg[i];
		if (!str_ok(im, a->id) || !str_ok(im, a->code) || !str_ok(im, a->label) ||
		    !guard_ok(im, &a->guard) ||
		    !prog_ok(im, a->when, 0) || a->split > nsplit || a->nsplit > nsplit - a->split ||
		    (a->fallback != IMG_NONE && a->fallback >= nres) || !pos_ok(im, a->file) ||
		    !prog_ok(im, a->qy, 1) || (a->qy != IMG_NONE && a->qy_result >= nres))
			return 0;
	}
	for (uint32_t i = 0; i < nsplit; i++) {
		const img_split *s = &im->split[i];
		if (!prog_ok(im, s->when, 1) || s->result >= nres || !str_ok(im, s->label) ||
		    !pos_ok(im, s->file))
			return 0;
	}
	for (uint32_t i = 0; i < nres; i++) {
		const img_result *r = &im->result[i];
		if (r->status > DRG_STATUS_INVALID || !str_ok(im, r->mdc) || !str_ok(im, r->adrg) ||
		    !str_ok(im, r->drg) || !str_ok(im, r->name))
			return 0;
	}
	return 1;
}

/* DRG_OK, DRG_EFORMAT when only the format version differs, else DRG_EIMAGE. */
static int header_ok(const img *im, const char **why)
{
	const img_header *h = im->h;
	if (im->size < sizeof(img_header) || memcmp(h->magic, IMG_MAGIC, 8) != 0)
		return *why = "not a compiled spec image (bad magic)", DRG_EIMAGE;
	if (h->endian != IMG_ENDIAN)
		return *why = "image was written on a host of the other byte order", DRG_EIMAGE;
	if (h->format != IMG_FORMAT)
		return *why = "image format version differs from this engine's", DRG_EFORMAT;
	if (h->size != im->size)
		return *why = "image size does not match its header (truncated?)", DRG_EIMAGE;
	return DRG_OK;
}

int img_open(img *im, const void *base, size_t size, const char **why)
{
	memset(im, 0, sizeof(*im));
	im->base = base;
	im->size = size;
	im->h = base;
	int rc = header_ok(im, why);
	if (rc != DRG_OK)
		return rc;
	const void **p[SEC_COUNT] = {
		(const void **)&im->str, (const void **)&im->dx_code, (const void **)&im->dx_name,
		(const void **)&im->dx_hash, (const void **)&im->px_code, (const void **)&im->px_name,
		(const void **)&im->px_hash, (const void **)&im->sym, (const void **)&im->sym_hash,
		(const void **)&im->set, (const void **)&im->setdata, (const void **)&im->map,
		(const void **)&im->mapdata, (const void **)&im->label, (const void **)&im->op,
		(const void **)&im->check, (const void **)&im->mdc, (const void **)&im->step,
		(const void **)&im->adrg, (const void **)&im->split, (const void **)&im->result,
		(const void **)&im->file, (const void **)&im->dx_memb, (const void **)&im->px_memb,
		(const void **)&im->memb};
	for (int s = 0; s < SEC_COUNT; s++)
		if (section(im, s, p[s]) < 0)
			return *why = "a section lies outside the image", DRG_EIMAGE;
	const img_header *h = im->h;
	uint32_t ndx = IMG_COUNT(im, SEC_DX_CODE), npx = IMG_COUNT(im, SEC_PX_CODE);
	uint32_t nmap = IMG_COUNT(im, SEC_MAP), nres = IMG_COUNT(im, SEC_RESULT);
	if (IMG_COUNT(im, SEC_STR) == 0 || im->str[IMG_COUNT(im, SEC_STR) - 1] != '\0' ||
	    IMG_COUNT(im, SEC_DX_NAME) != ndx || IMG_COUNT(im, SEC_PX_NAME) != npx ||
	    !strs_ok(im, im->dx_code, ndx) || !strs_ok(im, im->dx_name, ndx) ||
	    !strs_ok(im, im->px_code, npx) || !strs_ok(im, im->px_name, npx) ||
	    !strs_ok(im, im->sym, IMG_COUNT(im, SEC_SYM)) || !strs_ok(im, im->file, IMG_COUNT(im, SEC_FILE)) ||
	    !hash_ok(im->dx_hash, IMG_COUNT(im, SEC_DX_HASH), ndx) ||
	    !hash_ok(im->px_hash, IMG_COUNT(im, SEC_PX_HASH), npx) ||
	    !hash_ok(im->sym_hash, IMG_COUNT(im, SEC_SYM_HASH), IMG_COUNT(im, SEC_SYM)))
		return *why = "corrupt code tables", DRG_EIMAGE;
	if (!str_ok(im, h->spec_id) || h->ungroupable >= nres || h->invalid >= nres ||
	    (h->mcc_map != IMG_NONE && h->mcc_map >= nmap) ||
	    (h->cc_map != IMG_NONE && h->cc_map >= nmap) ||
	    (h->cce_map != IMG_NONE && h->cce_map >= nmap) ||
	    (h->main_px_invalid != IMG_NONE && h->main_px_invalid >= IMG_COUNT(im, SEC_SET)) ||
	    (h->any_check != IMG_NONE && h->any_check >= IMG_COUNT(im, SEC_OP)) ||
	    (h->any_check == IMG_NONE) != (IMG_COUNT(im, SEC_CHECK) == 0))
		return *why = "corrupt header fields", DRG_EIMAGE;
	if (!sets_ok(im) || !maps_ok(im) ||
	    !memb_ok(im, im->dx_memb, IMG_COUNT(im, SEC_DX_MEMB), ndx) ||
	    !memb_ok(im, im->px_memb, IMG_COUNT(im, SEC_PX_MEMB), npx))
		return *why = "corrupt code sets or maps", DRG_EIMAGE;
	if (!ops_ok(im))
		return *why = "corrupt condition programs", DRG_EIMAGE;
	if (!rules_ok(im))
		return *why = "corrupt rule tables", DRG_EIMAGE;
	return DRG_OK;
}

__attribute__((noinline)) uint32_t img_lookup_long(const img *im, enum img_sec hash_sec, const char *s, size_t n)
{
	const img_slot *slots = img_slots(im, hash_sec);
	const uint32_t *text = hash_sec == SEC_DX_HASH ? im->dx_code
			     : hash_sec == SEC_PX_HASH ? im->px_code : im->sym;
	uint32_t mask = im->h->sec[hash_sec].count - 1;
	for (uint32_t i = drg_hash(s, n) & mask;; i = (i + 1) & mask) {
		const img_slot *sl = &slots[i];
		if (!sl->id1)
			return IMG_NONE;
		/* the text is compared whole (strncmp, then its NUL), so that a
		** damaged key (data, not checked at load) cannot make us read past it */
		const char *t = im->str + text[sl->id1 - 1];
		if (img_head_equal(sl->key, s, IMG_SLOT_KEY) && strncmp(t, s, n) == 0 && t[n] == '\0')
			return sl->id1 - 1;
	}
}
