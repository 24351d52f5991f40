/*
** codes.c: code tables of a spec -> interned ids, sets and maps of the image.
** The only file that includes PCRE2.
**
** Resolution.  A code set is its base (if any) plus its <codes>, plus every
** dictionary code starting with one of its <prefix>es or matching one of its
** <pattern>s (PCRE2, compiled here, once, and never seen again after the
** compile), minus its <remove>s.  A base with the set's own id means the
** definition it replaced (an inherited set edited by a derived spec).  Code
** maps, dictionaries and name tables resolve the same way, entry by entry.
** Results are memoised on the definition (def_head.resolved).
**
** Interning.  The universe of a kind is the dictionary plus every code a used
** set or map names; sorted by byte order, its positions are the code ids, so
** ids are stable for a given spec and independent of file order.
**
** Warnings: a used code set that is empty, and codes of a used set that are not
** in the dictionary (both name the set and the first rule using it).
*/
#define PCRE2_CODE_UNIT_WIDTH 8
#include <pcre2.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "alloc.h"
#include "compiler.h"

static const char *const KIND_NAME[2] = {"dx", "px"};

static void *oomp(compiler *c)
{
	if (!c->oom)
		diag_at(c->d, DRG_DIAG_ERROR, "", 0, 0, "out of memory");
	c->oom = 1;
	return NULL;
}

size_t buf_add(compiler *c, enum img_sec s, const void *p, size_t n)
{
	secbuf *b = &c->sec[s];
	size_t at = b->n;
	if (b->n + n > b->cap) {
		size_t cap = b->cap ? b->cap : 256;
		while (cap < b->n + n)
			cap *= 2;
		unsigned char *q = drg_realloc(b->p, cap);
		if (!q)
			return oomp(c), at;
		b->p = q;
		b->cap = cap;
	}
	if (n)
		memcpy(b->p + b->n, p, n);
	b->n += n;
	return at;
}

uint32_t str_add(compiler *c, const char *s)
{
	uintptr_t have = (uintptr_t)strmap_get(&c->strs, s);
	if (have)
		return (uint32_t)(have - 1);
	uint32_t off = (uint32_t)buf_add(c, SEC_STR, s, strlen(s) + 1);
	const char *key = arena_strdup(&c->m->a, s);   /* s may be a caller's buffer */
	if (!key || strmap_put(&c->strs, key, (void *)(uintptr_t)(off + 1)) < 0)
		oomp(c);
	return off;
}

/* ---------------------------------------------------------------- tables */

/* A resolved keyed table: code -> m_entry *, in first-definition order. */
typedef struct r_table {
	strmap map;
	ptrvec order;      /* const char * codes present */
	ptrvec labels;     /* code maps: labels by value-1 */
} r_table;

static r_table *resolve_table(compiler *c, m_table *t, const char *what);

/* The base definition of a table or set: its own id means the replaced one. */
static def_head *base_def(compiler *c, def_head *h, const char *base, enum def_kind k)
{
	if (strcmp(base, h->id) == 0)
		return h->prev;
	return strmap_get(&c->m->defs[k], base);
}

/* Copies src's entries into dst (dst empty). */
static int table_copy(compiler *c, r_table *dst, const r_table *src)
{
	for (size_t i = 0; i < src->order.n; i++) {
		const char *k = src->order.v[i];
		void *e = strmap_get(&src->map, k);
		if (e && (strmap_put(&dst->map, k, e) < 0 || ptrvec_push(&c->m->a, &dst->order, (void *)k) < 0))
			return -1;
	}
	dst->labels = src->labels;
	return 0;
}

/* Applies t's own entries and removals to r. */
static int table_apply(compiler *c, r_table *r, const m_table *t)
{
	for (size_t i = 0; i < t->entries.n; i++) {
		m_entry *e = t->entries.v[i];
		if (!strmap_get(&r->map, e->code) && ptrvec_push(&c->m->a, &r->order, (void *)e->code) < 0)
			return -1;
		if (strmap_put(&r->map, e->code, e) < 0)
			return -1;
	}
	for (size_t i = 0; i < t->removes.n; i++)
		if (strmap_get(&r->map, t->removes.v[i]) &&
		    strmap_put(&r->map, t->removes.v[i], NULL) < 0)
			return -1;
	if (t->labels.n)
		r->labels = t->labels;
	return 0;
}

static r_table *resolve_table(compiler *c, m_table *t, const char *what)
{
	if (t->h.resolved)
		return t->h.resolved == (void *)t ? NULL : t->h.resolved;
	t->h.resolved = t;   /* in progress: a base cycle returns NULL */
	r_table *r = arena_alloc(&c->m->a, sizeof(*r));
	if (!r)
		return oomp(c);
	strmap_init(&r->map);
	if (t->base) {
		def_head *bh = base_def(c, &t->h, t->base, what[0] == 'c' ? D_CODEMAP :
					what[0] == 'd' ? D_DICTIONARY : D_NAMES);
		r_table *b = bh ? resolve_table(c, (m_table *)bh, what) : NULL;
		if (!b) {
			diag_error(c->d, t->base_pos, "base", "%s '%s': unknown or circular base '%s'",
				   what, t->h.id, t->base);
			strmap_free(&r->map);
			return NULL;
		}
		if (table_copy(c, r, b) < 0) {
			strmap_free(&r->map);
			return oomp(c);
		}
	}
	if (table_apply(c, r, t) < 0) {
		strmap_free(&r->map);
		return oomp(c);
	}
	t->h.resolved = r;
	return r;
}

/* Looks up a table definition by id and resolves it; reports when unknown. */
static r_table *table_by_id(compiler *c, enum def_kind k, const char *id, srcpos pos,
			    const char *attrname, const char *what)
{
	m_table *t = id ? strmap_get(&c->m->defs[k], id) : NULL;
	if (!t) {
		diag_error(c->d, pos, attrname, "unknown %s '%s'", what, id ? id : "");
		return NULL;
	}
	t->h.used = 1;
	return resolve_table(c, t, what);
}

static void table_free(r_table *r)
{
	if (r)
		strmap_free(&r->map);
}

/* ---------------------------------------------------------------- code sets */

static int cmp_str(const void *a, const void *b)
{
	return strcmp(*(const char *const *)a, *(const char *const *)b);
}

/* Adds code to a set under construction (map + order), once. */
static int set_add(compiler *c, strmap *in, ptrvec *order, const char *code)
{
	if (strmap_get(in, code))
		return 0;
	if (strmap_put(in, code, (void *)code) < 0 || ptrvec_push(&c->m->a, order, (void *)code) < 0)
		return -1;
	return 0;
}

/* Dictionary codes starting with prefix (the dictionary is sorted). */
static int add_prefix(compiler *c, strmap *in, ptrvec *order, const universe *u, const char *pre)
{
	size_t n = strlen(pre), lo = 0, hi = u->ndict;
	while (lo < hi) {
		size_t mid = (lo + hi) / 2;
		if (strcmp(u->dict[mid], pre) < 0)
			lo = mid + 1;
		else
			hi = mid;
	}
	for (; lo < u->ndict && strncmp(u->dict[lo], pre, n) == 0; lo++)
		if (set_add(c, in, order, u->dict[lo]) < 0)
			return -1;
	return 0;
}

/* Dictionary codes matching a PCRE2 pattern; reports a bad pattern. */
static int add_pattern(compiler *c, strmap *in, ptrvec *order, const universe *u,
		       const m_pattern *p, const char *set_id)
{
	int err;
	PCRE2_SIZE erroff;
	pcre2_code *re = pcre2_compile((PCRE2_SPTR)p->re, PCRE2_ZERO_TERMINATED, PCRE2_UTF, &err,
				       &erroff, NULL);
	if (!re) {
		PCRE2_UCHAR msg[256];
		pcre2_get_error_message(err, msg, sizeof(msg));
		diag_error(c->d, p->pos, NULL, "codeset '%s': bad pattern at offset %zu: %s", set_id,
			   (size_t)erroff, (const char *)msg);
		return -2;
	}
	pcre2_match_data *md = pcre2_match_data_create_from_pattern(re, NULL);
	int rc = md ? 0 : -1;
	for (size_t i = 0; i < u->ndict && rc == 0; i++)
		if (pcre2_match(re, (PCRE2_SPTR)u->dict[i], PCRE2_ZERO_TERMINATED, 0, 0, md, NULL) >= 0)
			rc = set_add(c, in, order, u->dict[i]);
	pcre2_match_data_free(md);
	pcre2_code_free(re);
	return rc;
}

/* Resolves a code set definition (memoised); NULL after reporting. */
static m_resolved *resolve_set(compiler *c, m_codeset *s)
{
	m_resolved *r = s->h.resolved;
	if (r)
		return r->state == 2 ? r : NULL;
	if (!(r = arena_alloc(&c->m->a, sizeof(*r))))
		return oomp(c);
	r->def = s;
	r->state = 1;
	r->index = IMG_NONE;
	s->h.resolved = r;
	strmap in;
	strmap_init(&in);
	int rc = 0;
	if (s->base) {
		m_codeset *b = (m_codeset *)base_def(c, &s->h, s->base, D_CODESET);
		m_resolved *br = b ? resolve_set(c, b) : NULL;
		if (!br || b->kind != s->kind) {
			diag_error(c->d, s->base_pos, "base", "codeset '%s': %s base '%s'", s->h.id,
				   br ? "a base of the other kind," : "unknown or circular", s->base);
			rc = -2;
		}
		for (size_t i = 0; rc == 0 && i < br->codes.n; i++)
			rc = set_add(c, &in, &r->codes, br->codes.v[i]);
	}
	const universe *u = &c->uni[s->kind];
	for (size_t i = 0; rc == 0 && i < s->codes.n; i++)
		rc = set_add(c, &in, &r->codes, s->codes.v[i]);
	for (size_t i = 0; rc == 0 && i < s->prefixes.n; i++)
		rc = add_prefix(c, &in, &r->codes, u, s->prefixes.v[i]);
	for (size_t i = 0; rc == 0 && i < s->patterns.n; i++)
		rc = add_pattern(c, &in, &r->codes, u, s->patterns.v[i], s->h.id);
	if (rc == 0 && s->removes.n) {
		strmap gone;
		strmap_init(&gone);
		for (size_t i = 0; rc == 0 && i < s->removes.n; i++)
			rc = strmap_put(&gone, s->removes.v[i], (void *)1);
		size_t k = 0;
		for (size_t i = 0; i < r->codes.n; i++)
			if (!strmap_get(&gone, r->codes.v[i]))
				r->codes.v[k++] = r->codes.v[i];
		r->codes.n = k;
		strmap_free(&gone);
	}
	strmap_free(&in);
	if (rc == -1)
		return oomp(c);
	if (rc < 0)
		return NULL;
	r->state = 2;
	return r;
}

/* ---------------------------------------------------------------- model walk */

/* Marks code set id used by `user` (resolving it on first use). */
static void use_set(compiler *c, const char *id, const char *user)
{
	m_codeset *s = id ? strmap_get(&c->m->defs[D_CODESET], id) : NULL;
	if (!s || s->h.used)
		return;   /* an unknown set is reported by codes_set() when emitting */
	s->h.used = 1;
	m_resolved *r = resolve_set(c, s);
	if (r) {
		r->first_user = user;
		if (ptrvec_push(&c->m->a, &c->set_users, r) < 0)
			oomp(c);
	}
}

/* Marks the sets and maps a condition refers to as used (resolving sets). */
static void use_cond(compiler *c, const cond *k, const char *user)
{
	if (!k)
		return;
	for (size_t i = 0; i < k->kids.n; i++)
		use_cond(c, k->kids.v[i], user);
	if (k->op >= C_MAIN_DX && k->op <= C_SEC_PX) {
		use_set(c, k->ref, user);
	} else if (k->op == C_SITES) {
		def_head *h = strmap_get(&c->m->defs[D_CODEMAP], k->ref);
		if (h)
			h->used = 1;
	}
}

/* Walks everything reachable from mdc-order and the validation checks. */
static void walk_model(compiler *c)
{
	spec_model *m = c->m;
	use_set(c, m->settings.invalid_main_px, "invalid-main-px");
	for (size_t i = 0; i < m->checks.n; i++)
		use_cond(c, ((m_check *)m->checks.v[i])->when, ((m_check *)m->checks.v[i])->id);
	for (size_t i = 0; i < m->mdc_order.n; i++) {
		m_mdc *md = strmap_get(&m->defs[D_MDC], m->mdc_order.v[i]);
		if (!md)
			continue;
		md->h.used = 1;
		use_cond(c, md->enter, md->h.id);
		for (size_t j = 0; j < md->steps.n; j++) {
			m_step *st = md->steps.v[j];
			if (!st->adrg) {
				use_cond(c, st->when, st->qy_code);
				continue;
			}
			m_adrg *a = strmap_get(&m->defs[D_ADRG], st->adrg);
			if (!a || a->h.used)
				continue;
			a->h.used = 1;
			use_cond(c, a->when, a->h.id);
			use_cond(c, a->qy_when, a->h.id);
			for (size_t k = 0; k < a->splits.n; k++)
				use_cond(c, ((m_split *)a->splits.v[k])->when, a->h.id);
		}
	}
}

/* ---------------------------------------------------------------- interning */

/* Adds every code of used sets and maps of kind to the universe's id map. */
static int collect_codes(compiler *c, enum code_kind kind, strmap *all, ptrvec *v)
{
	universe *u = &c->uni[kind];
	for (size_t i = 0; i < u->ndict; i++)
		if (set_add(c, all, v, u->dict[i]) < 0)
			return -1;
	for (size_t i = 0; i < c->set_users.n; i++) {
		m_resolved *r = c->set_users.v[i];
		for (size_t j = 0; r->def->kind == kind && j < r->codes.n; j++)
			if (set_add(c, all, v, r->codes.v[j]) < 0)
				return -1;
	}
	strmap *maps = &c->m->defs[D_CODEMAP];
	for (size_t i = 0; i < maps->cap; i++) {
		m_table *t = maps->slots[i].value;
		r_table *r = t && t->h.used && t->kind == kind ? t->h.resolved : NULL;
		for (size_t j = 0; r && j < r->order.n; j++)
			if (strmap_get(&r->map, r->order.v[j]) && set_add(c, all, v, r->order.v[j]) < 0)
				return -1;
	}
	return 0;
}

/* The table has the least power of two of slots above 1.5 n (at most 2/3
** full): chs-drg-1.1's 33k diagnoses take 64k slots (1 MB), which stay in a
** 2 MB L2 with the rest of what a case touches; above 2 n they took 2 MB and
** a lookup mostly missed L2 (cachegrind, 2 MB last level, 300k cases: 2.65M
** -> 2.38M misses, for 18 more instructions per case in longer probes). */
void codes_emit_hash(compiler *c, enum img_sec s, const char *const *texts, size_t n)
{
	size_t cap = 16;
	while (cap < n + n / 2 + 1)
		cap *= 2;
	img_slot *slots = drg_calloc(cap, sizeof(*slots));
	if (!slots) {
		oomp(c);
		return;
	}
	for (size_t i = 0; i < n; i++) {
		size_t len = strlen(texts[i]), j = drg_hash(texts[i], len) & (cap - 1);
		while (slots[j].id1)
			j = (j + 1) & (cap - 1);
		slots[j].id1 = (uint32_t)(i + 1);
		memcpy(slots[j].key, texts[i], len < IMG_SLOT_KEY ? len : IMG_SLOT_KEY);
	}
	buf_add(c, s, slots, cap * sizeof(*slots));
	drg_free(slots);
}

/* Interns the universe of kind and writes its code, name and hash sections. */
static int intern_kind(compiler *c, enum code_kind kind)
{
	universe *u = &c->uni[kind];
	strmap all;
	ptrvec v = {0};
	strmap_init(&all);
	int rc = collect_codes(c, kind, &all, &v);
	strmap_free(&all);
	if (rc < 0)
		return -1;
	qsort(v.v, v.n, sizeof(*v.v), cmp_str);
	u->codes = (const char **)v.v;
	u->n = v.n;
	enum img_sec sc = kind == KIND_DX ? SEC_DX_CODE : SEC_PX_CODE;
	enum img_sec sn = kind == KIND_DX ? SEC_DX_NAME : SEC_PX_NAME;
	for (size_t i = 0; i < u->n; i++) {
		const char *name = strmap_get(&u->names, u->codes[i]);
		uint32_t off = str_add(c, u->codes[i]);
		uint32_t noff = str_add(c, name ? name : "");
		if (strmap_put(&u->ids, u->codes[i], (void *)(uintptr_t)(i + 1)) < 0)
			return -1;
		buf_add(c, sc, &off, 4);
		buf_add(c, sn, &noff, 4);
	}
	codes_emit_hash(c, kind == KIND_DX ? SEC_DX_HASH : SEC_PX_HASH, u->codes, u->n);
	return c->oom ? -1 : 0;
}

/* Loads the dictionary of kind named by the settings into the universe. */
static int load_dictionary(compiler *c, enum code_kind kind)
{
	universe *u = &c->uni[kind];
	const char *id = kind == KIND_DX ? c->m->settings.dx_dictionary : c->m->settings.px_dictionary;
	r_table *t = table_by_id(c, D_DICTIONARY, id, c->m->settings.pos,
				 kind == KIND_DX ? "dx-dictionary" : "px-dictionary", "dictionary");
	if (!t)
		return -1;
	ptrvec v = {0};
	for (size_t i = 0; i < t->order.n; i++) {
		m_entry *e = strmap_get(&t->map, t->order.v[i]);
		if (e && (ptrvec_push(&c->m->a, &v, (void *)e->code) < 0 ||
			  strmap_put(&u->names, e->code, (void *)e->text) < 0))
			return oomp(c), -1;
	}
	qsort(v.v, v.n, sizeof(*v.v), cmp_str);
	u->dict = (const char **)v.v;
	u->ndict = v.n;
	return 0;
}

/* ---------------------------------------------------------------- emit */

/* Warns about an empty set and about codes missing from the dictionary. */
static void warn_set(compiler *c, const m_resolved *r)
{
	const m_codeset *s = r->def;
	const universe *u = &c->uni[s->kind];
	char list[160] = "";
	size_t missing = 0, len = 0;
	if (r->codes.n == 0) {
		diag_warn(c->d, s->h.pos, "id", "codeset '%s' (used by %s) is empty: rules testing it "
			  "never match", s->h.id, r->first_user);
		return;
	}
	for (size_t i = 0; i < r->codes.n; i++) {
		const char *code = r->codes.v[i];
		if (strmap_get(&u->names, code))
			continue;
		if (missing++ < 4 && len + strlen(code) + 2 < sizeof(list))
			len += (size_t)snprintf(list + len, sizeof(list) - len, "%s%s", len ? " " : "", code);
	}
	if (missing)
		diag_warn(c->d, s->h.pos, "id", "codeset '%s' (used by %s): %zu %s code%s not in the "
			  "dictionary: %s%s", s->h.id, r->first_user, missing, KIND_NAME[s->kind],
			  missing > 1 ? "s" : "", list, missing > 4 ? " ..." : "");
}

static int cmp_u32(const void *a, const void *b)
{
	uint32_t x = *(const uint32_t *)a, y = *(const uint32_t *)b;
	return x < y ? -1 : x > y;
}

/* Writes one sorted id run to SEC_SETDATA and its SEC_SET entry named name;
** returns the index. */
static uint32_t emit_ids(compiler *c, uint32_t *ids, size_t n, const char *name)
{
	qsort(ids, n, sizeof(*ids), cmp_u32);
	img_set st = {(uint32_t)(c->sec[SEC_SETDATA].n / 4), (uint32_t)n, str_add(c, name)};
	buf_add(c, SEC_SETDATA, ids, n * 4);
	return (uint32_t)(buf_add(c, SEC_SET, &st, sizeof(st)) / sizeof(st));
}

static int emit_sets(compiler *c)
{
	for (size_t i = 0; i < c->set_users.n; i++) {
		m_resolved *r = c->set_users.v[i];
		const universe *u = &c->uni[r->def->kind];
		uint32_t *ids = drg_malloc((r->codes.n + 1) * sizeof(*ids));
		if (!ids)
			return oomp(c), -1;
		for (size_t j = 0; j < r->codes.n; j++)
			ids[j] = (uint32_t)((uintptr_t)strmap_get(&u->ids, r->codes.v[j]) - 1);
		r->index = emit_ids(c, ids, r->codes.n, r->def->h.id);
		drg_free(ids);
		warn_set(c, r);
	}
	return c->oom ? -1 : 0;
}

/* Writes a used code map: a u16 per code of its kind, and its labels. */
static int emit_map(compiler *c, m_table *t)
{
	r_table *r = t->h.resolved;
	const universe *u = &c->uni[t->kind];
	uint16_t *vals = drg_calloc(u->n + 1, sizeof(*vals));
	if (!vals)
		return oomp(c), -1;
	for (size_t i = 0; i < r->order.n; i++) {
		m_entry *e = strmap_get(&r->map, r->order.v[i]);
		if (!e)
			continue;
		if (e->value < 1 || e->value > 65535) {
			diag_error(c->d, t->h.pos, "id", "codemap '%s': value %ld of '%s' is outside 1..65535",
				   t->h.id, e->value, e->code);
			drg_free(vals);
			return -1;
		}
		vals[(uintptr_t)strmap_get(&u->ids, e->code) - 1] = (uint16_t)e->value;
	}
	img_map mp = {t->kind == KIND_DX ? MAP_DX : MAP_PX, (uint32_t)(c->sec[SEC_MAPDATA].n / 2),
		      (uint32_t)r->labels.n, (uint32_t)(c->sec[SEC_LABEL].n / 4)};
	buf_add(c, SEC_MAPDATA, vals, u->n * 2);
	drg_free(vals);
	for (size_t i = 0; i < r->labels.n; i++) {
		uint32_t off = str_add(c, r->labels.v[i] ? r->labels.v[i] : "");
		buf_add(c, SEC_LABEL, &off, 4);
	}
	uint32_t idx = (uint32_t)(buf_add(c, SEC_MAP, &mp, sizeof(mp)) / sizeof(mp));
	if (strmap_put(&c->maps, t->h.id, (void *)(uintptr_t)(idx + 1)) < 0)
		return oomp(c), -1;
	return 0;
}

/* Marks the settings' exclusion maps used and resolves every used map. */
static int resolve_maps(compiler *c)
{
	const char *ids[3] = {c->m->settings.mcc, c->m->settings.cc, c->m->settings.cc_exclusion};
	const char *attrs[3] = {"mcc", "cc", "cc-exclusion"};
	for (int i = 0; i < 3; i++)
		if (ids[i] && !table_by_id(c, D_CODEMAP, ids[i], c->m->settings.pos, attrs[i], "codemap"))
			return -1;
	strmap *maps = &c->m->defs[D_CODEMAP];
	for (size_t i = 0; i < maps->cap; i++) {
		m_table *t = maps->slots[i].value;
		if (t && t->h.used && !resolve_table(c, t, "codemap"))
			return -1;
	}
	return 0;
}

int codes_build(compiler *c)
{
	if (!c->m->settings.set) {
		diag_error(c->d, c->m->pos, NULL, "spec '%s' has no <settings>", c->m->id);
		return -1;
	}
	if (load_dictionary(c, KIND_DX) < 0 || load_dictionary(c, KIND_PX) < 0)
		return -1;
	walk_model(c);
	if (c->d->nerrors || resolve_maps(c) < 0)
		return -1;
	if (intern_kind(c, KIND_DX) < 0 || intern_kind(c, KIND_PX) < 0 || emit_sets(c) < 0)
		return -1;
	strmap *maps = &c->m->defs[D_CODEMAP];
	for (size_t i = 0; i < maps->cap; i++) {
		m_table *t = maps->slots[i].value;
		if (t && t->h.used && emit_map(c, t) < 0)
			return -1;
	}
	return c->d->nerrors ? -1 : 0;
}

uint32_t codes_find_set(compiler *c, const char *id, enum code_kind kind)
{
	m_codeset *s = strmap_get(&c->m->defs[D_CODESET], id);
	m_resolved *r = s && s->kind == kind ? s->h.resolved : NULL;
	return r && r->state == 2 ? r->index : IMG_NONE;
}

uint32_t codes_set(compiler *c, const char *id, enum code_kind kind, srcpos pos,
		   const char *attrname)
{
	m_codeset *s = strmap_get(&c->m->defs[D_CODESET], id);
	if (!s) {
		diag_error(c->d, pos, attrname, "unknown codeset '%s'", id);
		return IMG_NONE;
	}
	if (s->kind != kind) {
		diag_error(c->d, pos, attrname, "codeset '%s' holds %s codes, not %s codes", id,
			   KIND_NAME[s->kind], KIND_NAME[kind]);
		return IMG_NONE;
	}
	return codes_find_set(c, id, kind);
}

uint32_t codes_map(compiler *c, const char *id, srcpos pos, const char *attrname)
{
	uintptr_t v = id ? (uintptr_t)strmap_get(&c->maps, id) : 0;
	if (!v) {
		diag_error(c->d, pos, attrname, "unknown codemap '%s'", id ? id : "");
		return IMG_NONE;
	}
	return (uint32_t)(v - 1);
}

/* The key of a symbol set in c->symsets: its n sorted ids as text; NULL on
** out of memory. */
static char *symset_key(compiler *c, const uint32_t *ids, size_t n)
{
	char *key = arena_alloc(&c->m->a, n * 11 + 1), *p = key;
	if (!key)
		return NULL;
	*p = '\0';
	for (size_t i = 0; i < n; i++)
		p += sprintf(p, "%u,", (unsigned)ids[i]);
	return key;
}

uint32_t codes_symbol_set(compiler *c, const ptrvec *values)
{
	uint32_t *ids = drg_malloc((values->n + 1) * sizeof(*ids));
	if (!ids)
		return oomp(c), 0;
	for (size_t i = 0; i < values->n; i++) {
		uintptr_t v = (uintptr_t)strmap_get(&c->syms, values->v[i]);
		if (!v) {
			v = c->symv.n + 1;
			if (strmap_put(&c->syms, values->v[i], (void *)v) < 0 ||
			    ptrvec_push(&c->m->a, &c->symv, values->v[i]) < 0)
				oomp(c);
		}
		ids[i] = (uint32_t)(v - 1);
	}
	size_t n = values->n, k = 0;
	qsort(ids, n, sizeof(*ids), cmp_u32);
	for (size_t i = 0; i < n; i++)   /* distinct ids only */
		if (k == 0 || ids[k - 1] != ids[i])
			ids[k++] = ids[i];
	char *key = symset_key(c, ids, k);
	uintptr_t have = key ? (uintptr_t)strmap_get(&c->symsets, key) : 0;
	if (!have) {   /* a list used again (say by a check and the checks' <any>) is one set */
		img_set st = {(uint32_t)(c->sec[SEC_SETDATA].n / 4), (uint32_t)k, str_add(c, "")};
		buf_add(c, SEC_SETDATA, ids, k * 4);
		have = buf_add(c, SEC_SET, &st, sizeof(st)) / sizeof(st) + 1;
		if (!key || strmap_put(&c->symsets, key, (void *)have) < 0)
			oomp(c);
	}
	drg_free(ids);
	return (uint32_t)(have - 1);
}

void codes_emit_symbols(compiler *c)
{
	for (size_t i = 0; i < c->symv.n; i++) {
		uint32_t off = str_add(c, c->symv.v[i]);
		buf_add(c, SEC_SYM, &off, 4);
	}
	codes_emit_hash(c, SEC_SYM_HASH, (const char *const *)c->symv.v, c->symv.n);
}

void codes_free(compiler *c)
{
	for (int k = 0; k < 2; k++) {
		strmap_free(&c->uni[k].names);
		strmap_free(&c->uni[k].ids);
	}
	for (int k = D_CODEMAP; k <= D_NAMES; k++) {
		strmap *defs = &c->m->defs[k];
		for (size_t i = 0; i < defs->cap; i++)
			for (def_head *h = defs->slots[i].value; h; h = h->prev)
				if (h->resolved && h->resolved != (void *)h)
					table_free(h->resolved), h->resolved = NULL;
	}
}
