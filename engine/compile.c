/*
** compile.c: spec model -> image sections: condition programs and rule tables.
**
** Conditions compile to short-circuit programs (image.h): emit(c, T, F)
** writes code that continues at label T when c holds and at F otherwise;
** <all> chains its children through fresh labels on truth, <any> on falsity,
** <not> swaps T and F, and a leaf is one op jumping to T or F.  A program is
** emit(root, T, F), then T: RET 1, F: RET 0.  Labels are placed after the code
** that jumps to them, so every jump is forward and every program terminates.
**
** Rules are emitted in evaluation order (MDCs of <mdc-order>, their steps, the
** ADRG rules in order of first use), and every result code is mapped once to
** (status, mdc, adrg, drg, name) here, so grouping never builds a string.
** Each MDC entry and ADRG rule also gets its guard (image.h, img_guard): a
** code set its condition cannot hold without, found by guard_of().
**
** Warnings: DRG splits after a split that always fires, MDC steps after an
** ADRG rule that always returns, and ADRG rules of the spec's own file that no
** MDC tries.  Errors: undefined references, kind mismatches, oversize programs.
*/
#include <stdint.h>
#include <stdio.h>
#include <string.h>

#include "alloc.h"
#include "compiler.h"
#include "spec.h"

/* ---------------------------------------------------------------- programs */

#define MAX_LABELS 4096

typedef struct prog {
	compiler *c;
	img_op ops[8192];           /* the program being built */
	uint32_t op_label[8192][2]; /* label of jt, jf per op; then their op index */
	uint32_t at[8192];          /* shorten(): alias; then index in the program */
	uint32_t n;
	uint32_t label_at[MAX_LABELS];
	uint32_t nlabels;
	int overflow;
	const char *user;           /* rule being compiled (for messages) */
} prog;

static uint32_t new_label(prog *p)
{
	if (p->nlabels == MAX_LABELS) {
		p->overflow = 1;
		return 0;
	}
	p->label_at[p->nlabels] = UINT32_MAX;
	return p->nlabels++;
}

static void place(prog *p, uint32_t label) { p->label_at[label] = p->n; }

/* Appends op with symbolic jump labels t and f. */
static void put(prog *p, img_op op, uint32_t t, uint32_t f)
{
	if (p->n == sizeof(p->ops) / sizeof(p->ops[0])) {
		p->overflow = 1;
		return;
	}
	p->op_label[p->n][0] = t;
	p->op_label[p->n][1] = f;
	p->ops[p->n++] = op;
}

static void emit(prog *p, const cond *k, uint32_t t, uint32_t f);

/* The opcode of a code set leaf (C_MAIN_DX .. C_SEC_PX). */
static uint8_t set_opcode(enum cond_op op)
{
	static const uint8_t code[] = {OP_MAIN_DX, OP_ANY_DX, OP_SEC_DX, OP_MAIN_PX,
				       OP_ANY_PX, OP_SEC_PX};
	return code[op - C_MAIN_DX];
}

/* Emits a leaf condition as one op. */
static void emit_leaf(prog *p, const cond *k, uint32_t t, uint32_t f)
{
	compiler *c = p->c;
	img_op op = {0};
	enum code_kind kind = k->op >= C_MAIN_PX && k->op <= C_SEC_PX ? KIND_PX : KIND_DX;
	switch (k->op) {
	case C_TRUE: case C_FALSE:
		op.code = OP_CONST, op.k = k->op == C_TRUE;
		break;
	case C_MAIN_DX: case C_ANY_DX: case C_SEC_DX:
	case C_MAIN_PX: case C_ANY_PX: case C_SEC_PX: {
		op.code = set_opcode(k->op);
		op.k = codes_set(c, k->ref, kind, k->pos, "in");
		break;
	}
	case C_HAS_DX: case C_HAS_PX:
		op.code = OP_COUNT, op.a = k->op == C_HAS_PX, op.b = CMP_GT, op.k = 0;
		break;
	case C_HAS_MAIN_PX:
		op.code = OP_MAIN_PX_GIVEN;
		break;
	case C_COUNT:
		op.code = OP_COUNT, op.a = k->field == CF_PX, op.b = (uint16_t)k->cmp;
		op.k = (uint32_t)(int32_t)k->value;
		break;
	case C_CMP:
		op.code = OP_CMP, op.a = (uint8_t)k->field, op.b = (uint16_t)k->cmp;
		op.k = (uint32_t)(int32_t)k->value;
		break;
	case C_MISSING: case C_PRESENT:
		op.code = OP_MISSING, op.a = (uint8_t)k->field;
		if (k->op == C_PRESENT) {
			uint32_t s = t;
			t = f, f = s;
		}
		break;
	case C_NONZERO:
		op.code = OP_NONZERO, op.a = (uint8_t)k->field;
		break;
	case C_IN:
		op.code = OP_SYM_IN, op.a = (uint8_t)k->field, op.k = codes_symbol_set(c, &k->values);
		break;
	case C_HAS_MCC: case C_HAS_CC: {
		const char *map = k->op == C_HAS_MCC ? c->m->settings.mcc : c->m->settings.cc;
		op.code = OP_HAS_CC;
		op.k = codes_map(c, map, k->pos, NULL);
		op.b = (uint16_t)codes_map(c, c->m->settings.cc_exclusion, k->pos, NULL);
		break;
	}
	case C_SITES:
		op.code = OP_SITES, op.k = codes_map(c, k->ref, k->pos, "map");
		op.a = (uint8_t)(k->value > 255 ? 255 : k->value);
		break;
	default:
		break;
	}
	put(p, op, t, f);
}

static void emit(prog *p, const cond *k, uint32_t t, uint32_t f)
{
	if (k->op == C_NOT) {
		emit(p, k->kids.v[0], f, t);
		return;
	}
	if (k->op != C_ALL && k->op != C_ANY) {
		emit_leaf(p, k, t, f);
		return;
	}
	for (size_t i = 0; i < k->kids.n; i++) {
		if (i + 1 == k->kids.n) {
			emit(p, k->kids.v[i], t, f);
			break;
		}
		uint32_t next = new_label(p);
		if (k->op == C_ALL)
			emit(p, k->kids.v[i], next, f);
		else
			emit(p, k->kids.v[i], t, next);
		place(p, next);
	}
}

/* Do ops x and y test the same thing (the same outcome on every case)? */
static int same_test(const img_op *x, const img_op *y)
{
	return x->code == y->code && x->a == y->a && x->b == y->b && x->k == y->k;
}

/* Does op x holding imply that op y holds?  Besides the same test: a code in
** a set (any role) means the case has codes of that kind (y: COUNT gt 0,
** from <has-dx/> and <has-px/>), and so does an effective principal
** procedure, which a principal procedure in a set is. */
static int implies(const img_op *x, const img_op *y)
{
	int x_px = x->code >= OP_MAIN_PX && x->code <= OP_SEC_PX;
	if (same_test(x, y))
		return 1;
	if (y->code == OP_MAIN_PX_GIVEN)
		return x->code == OP_MAIN_PX;
	if (y->code != OP_COUNT || y->b != CMP_GT || y->k != 0)
		return 0;
	if (x->code == OP_MAIN_PX_GIVEN)
		return y->a == 1;
	return x->code >= OP_MAIN_DX && x->code <= OP_SEC_PX && x_px == (y->a == 1);
}

/* The ops reachable from the entry op, in order, get consecutive indices
** new[i] (others UINT32_MAX); returns how many. */
static uint32_t number_reachable(const prog *p, uint32_t (*to)[2], uint32_t entry,
				 uint32_t *new)
{
	uint32_t n = 0;
	for (uint32_t i = 0; i < p->n; i++)
		new[i] = UINT32_MAX;
	new[entry] = 0;   /* mark; edges only go forward, so one pass finds all */
	for (uint32_t i = entry; i < p->n; i++) {
		if (new[i] == UINT32_MAX)
			continue;
		new[i] = n++;
		if (p->ops[i].code != OP_RET)
			new[to[i][0]] = new[to[i][1]] = 0;
	}
	return n;
}

/* Shortens the paths of the program, whose jumps are to[i][0] (true) and
** to[i][1] (false), as op indices.  Jump threading: an edge landing on a
** test it has just decided goes on along that test's own edge.  Merging: an
** op whose true edge leads to a test that implies it, and whose false edge
** to where that test fails to, is that test (<all><has-px/><main-px
** in=.../></all> is one op), so jumps to it go on to the test.  Ops are
** visited last to first, so that the ops an edge leads to are final.  Every
** jump stays forward.  Returns the entry op (0 unless op 0 was merged). */
static uint32_t shorten(const prog *p, uint32_t (*to)[2], uint32_t *alias)
{
	for (uint32_t i = p->n; i-- > 0;) {
		const img_op *o = &p->ops[i];
		alias[i] = i;
		if (o->code == OP_RET)
			continue;
		for (int e = 0; e < 2; e++) {
			uint32_t j = alias[to[i][e]];
			while (p->ops[j].code != OP_RET && same_test(o, &p->ops[j]))
				j = to[j][e];
			to[i][e] = j;
		}
		uint32_t t = to[i][0];
		if (p->ops[t].code != OP_RET && implies(&p->ops[t], o) && to[t][1] == to[i][1])
			alias[i] = t;
	}
	return alias[0];
}

/* Compiles k into SEC_OP; returns its first op index, IMG_NONE when k is NULL
** (always true).  user names the rule for messages. */
static uint32_t program(compiler *c, const cond *k, const char *user)
{
	if (!k)
		return IMG_NONE;
	prog *p = drg_malloc(sizeof(*p));
	if (!p) {
		c->oom = 1;
		return 0;
	}
	p->c = c, p->n = 0, p->nlabels = 0, p->overflow = 0, p->user = user;
	uint32_t t = new_label(p), f = new_label(p);
	emit(p, k, t, f);
	place(p, t);
	put(p, (img_op){OP_RET, 0, 0, 1, 0, 0}, 0, 0);
	place(p, f);
	put(p, (img_op){OP_RET, 0, 0, 0, 0, 0}, 0, 0);
	uint32_t (*to)[2] = p->op_label, n = 0;
	for (uint32_t i = 0; i < p->n && !p->overflow; i++)
		for (int e = 0; e < 2 && p->ops[i].code != OP_RET; e++)
			to[i][e] = p->label_at[to[i][e]];
	if (!p->overflow)
		n = number_reachable(p, to, shorten(p, to, p->at), p->at);
	uint32_t first = (uint32_t)(c->sec[SEC_OP].n / sizeof(img_op));
	for (uint32_t i = 0; i < p->n && !p->overflow; i++) {
		if (p->at[i] == UINT32_MAX)
			continue;
		img_op *o = &p->ops[p->at[i]];
		*o = p->ops[i];   /* compacting: p->at[i] <= i */
		if (o->code == OP_RET)
			continue;
		uint32_t jt = p->at[to[i][0]] - p->at[i], jf = p->at[to[i][1]] - p->at[i];
		if (jt > UINT16_MAX || jf > UINT16_MAX)
			p->overflow = 1;
		o->jt = (uint16_t)jt, o->jf = (uint16_t)jf;
	}
	if (p->overflow)
		diag_error(c->d, k->pos, NULL, "condition of '%s' is too large to compile", user);
	else
		buf_add(c, SEC_OP, p->ops, n * sizeof(img_op));
	drg_free(p);
	return first;
}

/* A guard of condition k (see img_guard): a code set leaf, or the first
** guard among the conditions of an <all>; set IMG_NONE when there is none. */
static img_guard guard_of(compiler *c, const cond *k)
{
	img_guard g = {0, IMG_NONE};
	if (k && k->op >= C_MAIN_DX && k->op <= C_SEC_PX) {
		enum code_kind kind = k->op >= C_MAIN_PX ? KIND_PX : KIND_DX;
		g = (img_guard){img_op_role(set_opcode(k->op)), codes_find_set(c, k->ref, kind)};
	}
	for (size_t i = 0; k && k->op == C_ALL && g.set == IMG_NONE && i < k->kids.n; i++)
		g = guard_of(c, k->kids.v[i]);
	return g;
}

/* Does k always hold (a literal <true/>, or all of true leaves)? */
static int always(const cond *k)
{
	if (!k || k->op == C_TRUE)
		return 1;
	if (k->op != C_ALL)
		return 0;
	for (size_t i = 0; i < k->kids.n; i++)
		if (!always(k->kids.v[i]))
			return 0;
	return 1;
}

/* ---------------------------------------------------------------- results */

/* Index of the result for (status, code): made once per distinct pair. */
static uint32_t result(compiler *c, enum drg_status st, const char *code)
{
	char key[96], mdc[16];
	snprintf(key, sizeof(key), "%d\t%s", (int)st, code);
	uintptr_t have = (uintptr_t)strmap_get(&c->results, key);
	if (have)
		return (uint32_t)(have - 1);
	char adrg[4] = {0};
	memcpy(adrg, code, strlen(code) < 3 ? strlen(code) : 3);
	snprintf(mdc, sizeof(mdc), "MDC%c", code[0]);
	const char *name = strmap_get(&c->names, code);
	const char *qy_adrg = c->m->settings.qy_adrg_code ? code : "QY";
	img_result r = {(uint32_t)st, str_add(c, mdc), str_add(c, st == DRG_STATUS_QY ? qy_adrg : adrg),
			str_add(c, code), str_add(c, name ? name : "")};
	uint32_t idx = (uint32_t)(buf_add(c, SEC_RESULT, &r, sizeof(r)) / sizeof(r));
	char *k = arena_strdup(&c->m->a, key);
	if (!k || strmap_put(&c->results, k, (void *)(uintptr_t)(idx + 1)) < 0)
		c->oom = 1;
	return idx;
}

static const char *either(const char *a, const char *b)
{
	return a ? a : b ? b : "";
}

/* A fixed result: each code from o, or from dflt where o has none. */
static uint32_t fixed_result(compiler *c, enum drg_status st, const m_outcome *o,
			     const m_outcome *dflt)
{
	img_result r = {(uint32_t)st, str_add(c, either(o->mdc, dflt->mdc)),
			str_add(c, either(o->adrg, dflt->adrg)), str_add(c, either(o->drg, dflt->drg)),
			str_add(c, "")};
	return (uint32_t)(buf_add(c, SEC_RESULT, &r, sizeof(r)) / sizeof(r));
}

/* The fixed result of an outcome (ungroupable / invalid) from <outcomes>. */
static uint32_t outcome(compiler *c, enum drg_status st, const m_outcome *o, const char *what)
{
	if (!o->set) {
		diag_error(c->d, c->m->pos, NULL, "spec '%s' has no <outcome status=\"%s\">", c->m->id,
			   what);
		return 0;
	}
	return fixed_result(c, st, o, o);
}

/* ---------------------------------------------------------------- rules */

/* The kind of each set as the ops use it: 1 dx, 2 px, 0 neither (symbols).
** Returns a drg_calloc'd array of nset bytes, or NULL out of memory. */
static unsigned char *set_kinds(compiler *c, uint32_t nset)
{
	unsigned char *kind = drg_calloc(nset ? nset : 1, 1);
	const img_op *op = (const img_op *)c->sec[SEC_OP].p;
	size_t nop = c->sec[SEC_OP].n / sizeof(img_op);
	for (size_t i = 0; kind && i < nop; i++) {
		unsigned code = op[i].code;
		if (op[i].k >= nset)
			continue;   /* an unknown set, already reported */
		if (code == OP_MAIN_DX || code == OP_ANY_DX || code == OP_SEC_DX)
			kind[op[i].k] = 1;
		else if (code == OP_MAIN_PX || code == OP_ANY_PX || code == OP_SEC_PX)
			kind[op[i].k] = 2;
	}
	return kind;
}

/* Writes the membership index of one code kind (see image.h): for each code
** id, the ascending indexes of the sets of that kind that hold it. */
static void emit_memb(compiler *c, const unsigned char *kind, unsigned want, uint32_t ncodes,
		      enum img_sec starts)
{
	const img_set *set = (const img_set *)c->sec[SEC_SET].p;
	const uint32_t *data = (const uint32_t *)c->sec[SEC_SETDATA].p;
	uint32_t nset = (uint32_t)(c->sec[SEC_SET].n / sizeof(img_set));
	uint32_t *start = drg_calloc((size_t)ncodes + 1, 4), base = (uint32_t)(c->sec[SEC_MEMB].n / 4);
	uint32_t *fill = drg_calloc((size_t)ncodes + 1, 4), total = 0;
	if (!start || !fill) {
		c->oom = 1;
		goto out;
	}
	for (uint32_t k = 0; k < nset; k++)     /* count the runs' lengths */
		for (uint32_t j = 0; kind[k] == want && j < set[k].n; j++)
			start[data[set[k].off + j]]++;
	for (uint32_t id = 0; id <= ncodes; id++) {   /* lengths -> absolute starts */
		uint32_t len = start[id];
		start[id] = base + total, fill[id] = total;
		total += len;
	}
	uint32_t *memb = drg_calloc(total ? total : 1, 4);
	if (!memb) {
		c->oom = 1;
		goto out;
	}
	for (uint32_t k = 0; k < nset; k++)     /* ascending k keeps each run sorted */
		for (uint32_t j = 0; kind[k] == want && j < set[k].n; j++)
			memb[fill[data[set[k].off + j]]++] = k;
	buf_add(c, SEC_MEMB, memb, (size_t)total * 4);
	buf_add(c, starts, start, ((size_t)ncodes + 1) * 4);
	drg_free(memb);
out:
	drg_free(start);
	drg_free(fill);
}

static void emit_membership(compiler *c)
{
	uint32_t nset = (uint32_t)(c->sec[SEC_SET].n / sizeof(img_set));
	unsigned char *kind = set_kinds(c, nset);
	if (!kind) {
		c->oom = 1;
		return;
	}
	emit_memb(c, kind, 1, (uint32_t)(c->sec[SEC_DX_CODE].n / 4), SEC_DX_MEMB);
	emit_memb(c, kind, 2, (uint32_t)(c->sec[SEC_PX_CODE].n / 4), SEC_PX_MEMB);
	drg_free(kind);
}

/* Records the spec files, named relative to the directory of the spec given
** to the compiler (files.v[0]), so that images and traces do not depend on
** where the spec tree was when it was compiled. */
static void emit_files(compiler *c)
{
	const char *root = ((srcfile *)c->m->files.v[0])->path, *slash = strrchr(root, '/');
	size_t dir = slash ? (size_t)(slash - root) + 1 : 0;
	for (size_t i = 0; i < c->m->files.n; i++) {
		const char *path = ((srcfile *)c->m->files.v[i])->path;
		uint32_t off = str_add(c, strncmp(path, root, dir) ? path : path + dir);
		buf_add(c, SEC_FILE, &off, 4);
	}
}

/* Index of a spec file in SEC_FILE (added on first use). */
static uint32_t file_index(compiler *c, const srcfile *f)
{
	spec_model *m = c->m;
	for (size_t i = 0; i < m->files.n; i++)
		if (m->files.v[i] == f)
			return (uint32_t)i;
	return 0;
}

/* Emits the validation checks, and into h->any_check the program of the
** <any> of their conditions (none: IMG_NONE). */
static void emit_checks(compiler *c, img_header *h)
{
	cond any = {.op = C_ANY};
	h->any_check = IMG_NONE;
	for (size_t i = 0; i < c->m->checks.n; i++) {
		m_check *k = c->m->checks.v[i];
		uint32_t res = k->codes.set ? fixed_result(c, DRG_STATUS_INVALID, &k->codes, &c->m->invalid)
					    : h->invalid;
		img_check ck = {str_add(c, k->id), str_add(c, k->message), program(c, k->when, k->id),
				res, file_index(c, k->pos.file), (uint32_t)k->pos.line};
		buf_add(c, SEC_CHECK, &ck, sizeof(ck));
		if (ptrvec_push(&c->m->a, &any.kids, k->when) < 0)
			c->oom = 1;
	}
	if (any.kids.n) {
		any.pos = ((const m_check *)c->m->checks.v[0])->pos;   /* for "too large" */
		h->any_check = program(c, &any, "the validation checks");
	}
}

/* Emits the splits of rule a; warns about splits after one that always fires. */
static void emit_splits(compiler *c, const m_adrg *a)
{
	const m_split *catch_all = NULL;
	for (size_t i = 0; i < a->splits.n; i++) {
		const m_split *s = a->splits.v[i];
		if (catch_all)
			diag_warn(c->d, s->pos, "code", "DRG split '%s' of ADRG rule '%s' is unreachable: "
				  "the split at line %ld always fires", s->code, a->h.id, catch_all->pos.line);
		img_split sp = {program(c, s->when, a->h.id), result(c, DRG_STATUS_OK, s->code),
				str_add(c, s->label ? s->label : ""), file_index(c, s->pos.file),
				(uint32_t)s->pos.line};
		buf_add(c, SEC_SPLIT, &sp, sizeof(sp));
		if (!catch_all && always(s->when))
			catch_all = s;
	}
}

/* Emits ADRG rule a (once) and returns its index. */
static uint32_t emit_adrg(compiler *c, m_adrg *a, strmap *done)
{
	uintptr_t have = (uintptr_t)strmap_get(done, a->h.id);
	if (have)
		return (uint32_t)(have - 1);
	uint32_t first_split = (uint32_t)(c->sec[SEC_SPLIT].n / sizeof(img_split));
	uint32_t when = program(c, a->when, a->h.id);
	uint32_t qy = a->qy_code ? program(c, a->qy_when, a->h.id) : IMG_NONE;
	emit_splits(c, a);
	img_adrg r = {str_add(c, a->h.id), str_add(c, a->code), str_add(c, a->label ? a->label : ""),
		      when, guard_of(c, a->when), first_split, (uint32_t)a->splits.n,
		      a->fallback_adrg ? result(c, DRG_STATUS_OK, a->code) : IMG_NONE, qy,
		      a->qy_code ? result(c, DRG_STATUS_QY, a->qy_code) : 0,
		      file_index(c, a->h.pos.file), (uint32_t)a->h.pos.line};
	uint32_t idx = (uint32_t)(buf_add(c, SEC_ADRG, &r, sizeof(r)) / sizeof(r));
	if (strmap_put(done, a->h.id, (void *)(uintptr_t)(idx + 1)) < 0)
		c->oom = 1;
	return idx;
}

/* Does rule a return a result whenever it is tried? */
static int always_returns(const m_adrg *a)
{
	if (!always(a->when))
		return 0;
	if (a->fallback_adrg)
		return 1;
	for (size_t i = 0; i < a->splits.n; i++)
		if (always(((m_split *)a->splits.v[i])->when))
			return 1;
	return 0;
}

/* Emits one step of an MDC; *shadow is set once a step always returns. */
static void emit_step(compiler *c, const m_mdc *md, const m_step *st, strmap *done,
		      const m_step **shadow)
{
	img_step s = {STEP_QY, 0, 0, file_index(c, st->pos.file), (uint32_t)st->pos.line};
	if (*shadow)
		diag_warn(c->d, st->pos, NULL, "this step of %s is unreachable: the rule tried at "
			  "line %ld always returns", md->h.id, (*shadow)->pos.line);
	if (st->adrg) {
		m_adrg *a = strmap_get(&c->m->defs[D_ADRG], st->adrg);
		if (!a) {
			diag_error(c->d, st->pos, "adrg", "unknown ADRG rule '%s'", st->adrg);
			return;
		}
		s.kind = STEP_ADRG;
		s.arg = emit_adrg(c, a, done);
		if (!*shadow && always_returns(a))
			*shadow = st;
	} else {
		s.arg = program(c, st->when, st->qy_code);
		s.result = result(c, DRG_STATUS_QY, st->qy_code);
		if (!*shadow && always(st->when))
			*shadow = st;
	}
	buf_add(c, SEC_STEP, &s, sizeof(s));
}

static void emit_mdcs(compiler *c)
{
	spec_model *m = c->m;
	strmap done;
	strmap_init(&done);
	for (size_t i = 0; i < m->mdc_order.n; i++) {
		m_mdc *md = strmap_get(&m->defs[D_MDC], m->mdc_order.v[i]);
		if (!md) {
			diag_error(c->d, m->mdc_order_pos, NULL, "<mdc-order> names '%s', which no <mdc> "
				   "defines", (const char *)m->mdc_order.v[i]);
			continue;
		}
		uint32_t enter = program(c, md->enter, md->h.id);
		uint32_t first = (uint32_t)(c->sec[SEC_STEP].n / sizeof(img_step));
		const m_step *shadow = NULL;
		for (size_t j = 0; j < md->steps.n; j++)
			emit_step(c, md, md->steps.v[j], &done, &shadow);
		m_outcome here = {1, md->h.id, NULL, NULL};
		uint32_t end = md->final
			? fixed_result(c, DRG_STATUS_UNGROUPABLE, &here, &m->ungroupable) : IMG_NONE;
		img_mdc r = {str_add(c, md->h.id), str_add(c, md->label ? md->label : ""), enter,
			     guard_of(c, md->enter), first,
			     (uint32_t)md->steps.n, end, file_index(c, md->h.pos.file),
			     (uint32_t)md->h.pos.line};
		buf_add(c, SEC_MDC, &r, sizeof(r));
	}
	strmap_free(&done);
}

/* Warns about ADRG rules of the spec's own file that no MDC tries. */
static void warn_unused(compiler *c)
{
	strmap *adrgs = &c->m->defs[D_ADRG];
	for (size_t i = 0; i < adrgs->cap; i++) {
		m_adrg *a = adrgs->slots[i].value;
		if (a && a->h.own && !a->h.used)
			diag_warn(c->d, a->h.pos, "id", "ADRG rule '%s' is never tried by any MDC",
				  a->h.id);
	}
}

/* Loads the DRG names table named by the settings (optional). */
static int load_names(compiler *c)
{
	const char *id = c->m->settings.drg_names;
	m_table *t = id ? strmap_get(&c->m->defs[D_NAMES], id) : NULL;
	if (!id)
		return 0;
	if (!t) {
		diag_error(c->d, c->m->settings.pos, "drg-names", "unknown names table '%s'", id);
		return -1;
	}
	/* the base chain, oldest first, then each table's entries and removals */
	ptrvec chain = {0};
	for (m_table *cur = t; cur;) {
		if (ptrvec_push(&c->m->a, &chain, cur) < 0)
			return -1;
		if (chain.n > 64) {
			diag_error(c->d, t->h.pos, "base", "names '%s': circular base chain", t->h.id);
			return -1;
		}
		cur = !cur->base ? NULL : strcmp(cur->base, cur->h.id) == 0
			? (m_table *)cur->h.prev : strmap_get(&c->m->defs[D_NAMES], cur->base);
	}
	for (size_t k = chain.n; k-- > 0;) {
		m_table *x = chain.v[k];
		for (size_t e = 0; e < x->entries.n; e++) {
			m_entry *en = x->entries.v[e];
			if (strmap_put(&c->names, en->code, (void *)en->text) < 0)
				return -1;
		}
		for (size_t e = 0; e < x->removes.n; e++)
			if (strmap_put(&c->names, x->removes.v[e], NULL) < 0)
				return -1;
	}
	return 0;
}

/* Fills the header scalars that do not depend on the layout. */
static void fill_header(compiler *c, img_header *h)
{
	spec_model *m = c->m;
	h->spec_id = str_add(c, m->id ? m->id : "");
	h->mcc_map = m->settings.mcc ? codes_map(c, m->settings.mcc, m->settings.pos, "mcc") : IMG_NONE;
	h->cc_map = m->settings.cc ? codes_map(c, m->settings.cc, m->settings.pos, "cc") : IMG_NONE;
	h->cce_map = m->settings.cc_exclusion
		? codes_map(c, m->settings.cc_exclusion, m->settings.pos, "cc-exclusion") : IMG_NONE;
	h->ungroupable = outcome(c, DRG_STATUS_UNGROUPABLE, &m->ungroupable, "ungroupable");
	h->invalid = outcome(c, DRG_STATUS_INVALID, &m->invalid, "invalid");
	h->retry_min_px = m->retry.set ? (uint32_t)m->retry.min_procedures : 0;
	h->main_px_invalid = m->settings.invalid_main_px
		? codes_set(c, m->settings.invalid_main_px, KIND_PX, m->settings.pos, "invalid-main-px")
		: IMG_NONE;
	h->flags = m->settings.empty_dx_is_code ? IMG_F_EMPTY_DX_IS_CODE : 0;
}

int compile_model(compiler *c, img_header *h)
{
	if (load_names(c) < 0 && !c->d->nerrors)
		diag_at(c->d, DRG_DIAG_ERROR, "", 0, 0, "out of memory");
	if (c->d->nerrors || codes_build(c) < 0)
		return -1;
	fill_header(c, h);
	emit_checks(c, h);
	emit_mdcs(c);
	warn_unused(c);
	codes_emit_symbols(c);
	emit_membership(c);
	emit_files(c);
	if (c->oom && !c->d->nerrors)
		diag_at(c->d, DRG_DIAG_ERROR, "", 0, 0, "out of memory");
	return c->d->nerrors ? -1 : 0;
}
