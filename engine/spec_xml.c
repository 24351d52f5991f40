/*
** spec_xml.c: XML spec files -> spec model.  The only file that includes libxml2.
**
** Reading a spec:
**   1. each file is read into memory (kept as a srcfile for positions and the
**      spec hash), parsed by libxml2 without network access or entity expansion,
**      and validated against the RELAX NG schema compiled into the binary
**      (drg-spec.rng); a file with any parse or schema error stops there;
**   2. `extends` is followed first, so the base spec's definitions are read
**      before the spec's own; imports are read where they stand; a library is
**      read once however often it is imported;
**   3. every element becomes model data in the arena (model.h).  A definition
**      replaces an earlier one with the same id from another file; the same id
**      twice in one file is an error.
** Other spec kinds (payment specs) are read with the same parser, schema
** validation and diagnostics into plain element trees (xmltree.h), which
** their readers walk without libxml2.
** Positions: libxml2 gives line numbers (XML_PARSE_BIG_LINES, so past 65535);
** diag.c finds the column when a diagnostic is reported.
*/
#include <errno.h>
#include <libxml/parser.h>
#include <libxml/relaxng.h>
#include <libxml/tree.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "alloc.h"
#include "model.h"
#include "xmltree.h"

extern const char drg_spec_rng[];          /* generated from grouper-specs/schema */
extern const unsigned drg_spec_rng_len;

typedef struct reader {
	spec_model *m;           /* grouping specs: the model filled; else NULL */
	arena *a;                /* where everything read is kept */
	ptrvec *files;           /* srcfile *, in reading order */
	diag_sink *d;
	xmlRelaxNGPtr schema;
	const char *schema_name; /* for messages */
	strmap loaded;           /* resolved path -> srcfile * (read once) */
	strmap active;           /* specs being read: `extends` cycle detection */
	strmap tags;             /* element names seen, interned (see tag_of) */
	const char *cur_path;    /* file whose errors libxml2 is reporting */
	int depth;
} reader;

#define MAX_EXTENDS_DEPTH 32

static int read_file(reader *r, const char *path, int own, int want_spec);

/* ---------------------------------------------------------------- helpers */

static int oom(reader *r);

/* The element name of n, interned in the model's arena: a srcpos outlives
** the parsed document whose node names it would otherwise point into.
** Out of memory is reported (the compile fails) and gives NULL. */
static const char *tag_of(reader *r, xmlNodePtr n)
{
	const char *name = (const char *)n->name, *t = strmap_get(&r->tags, name);
	if (t)
		return t;
	char *copy = arena_strdup(r->a, name);
	if (!copy || strmap_put(&r->tags, copy, copy) < 0)
		return oom(r), NULL;
	return copy;
}

/* Position of node n (line 0 if libxml2 does not know it). */
static srcpos pos_of(reader *r, const srcfile *f, xmlNodePtr n)
{
	srcpos p = {f, n ? xmlGetLineNo(n) : 0, n ? tag_of(r, n) : NULL};
	if (p.line < 0)
		p.line = 0;
	return p;
}

/* Attribute value copied into the arena, or NULL when absent. */
static const char *attr(reader *r, xmlNodePtr n, const char *name)
{
	xmlChar *v = xmlGetProp(n, (const xmlChar *)name);
	if (!v)
		return NULL;
	const char *s = arena_strdup(r->a, (const char *)v);
	xmlFree(v);
	return s;
}

static int is(xmlNodePtr n, const char *name)
{
	return n->type == XML_ELEMENT_NODE && strcmp((const char *)n->name, name) == 0;
}

/* Appends the whitespace-separated tokens of n's text to out.  0 or -1 (OOM). */
static int tokens(reader *r, xmlNodePtr n, ptrvec *out)
{
	xmlChar *text = xmlNodeGetContent(n);
	int rc = 0;
	if (!text)
		return 0;
	const char *p = (const char *)text;
	while (*p && rc == 0) {
		while (*p == ' ' || *p == '\t' || *p == '\n' || *p == '\r')
			p++;
		const char *s = p;
		while (*p && *p != ' ' && *p != '\t' && *p != '\n' && *p != '\r')
			p++;
		if (p > s) {
			char *tok = arena_strndup(r->a, s, (size_t)(p - s));
			if (!tok || ptrvec_push(r->a, out, tok) < 0)
				rc = -1;
		}
	}
	xmlFree(text);
	return rc;
}

static int oom(reader *r)
{
	diag_at(r->d, DRG_DIAG_ERROR, r->cur_path, 0, 0, "out of memory");
	return -1;
}

/* Index of s in names[0..n), or -1. */
static int lookup(const char *const *names, int n, const char *s)
{
	for (int i = 0; s && i < n; i++)
		if (strcmp(names[i], s) == 0)
			return i;
	return -1;
}

const char *const cmp_names[CMP_COUNT] = {"lt", "le", "gt", "ge", "eq", "ne"};

/* Parses a decimal integer attribute; reports and returns -1 when malformed. */
static int num_attr(reader *r, const srcfile *f, xmlNodePtr n, const char *name, long *out)
{
	const char *s = attr(r, n, name);
	char *end;
	if (!s) {
		diag_error(r->d, pos_of(r, f, n), NULL, "<%s> needs attribute '%s'", n->name, name);
		return -1;
	}
	errno = 0;
	*out = strtol(s, &end, 10);
	if (errno || end == s || *end) {
		diag_error(r->d, pos_of(r, f, n), name, "'%s' is not an integer", s);
		return -1;
	}
	return 0;
}

/* ---------------------------------------------------------------- conditions */

static cond *read_cond(reader *r, const srcfile *f, xmlNodePtr n);

/* First element child of n, or NULL. */
static xmlNodePtr first_elem(xmlNodePtr n)
{
	for (xmlNodePtr c = n ? n->children : NULL; c; c = c->next)
		if (c->type == XML_ELEMENT_NODE)
			return c;
	return NULL;
}

static const struct {
	const char *name;
	enum cond_op op;
} COND_NAMES[] = {
	{"all", C_ALL}, {"any", C_ANY}, {"not", C_NOT}, {"true", C_TRUE}, {"false", C_FALSE},
	{"main-dx", C_MAIN_DX}, {"any-dx", C_ANY_DX}, {"secondary-dx", C_SEC_DX},
	{"main-px", C_MAIN_PX}, {"any-px", C_ANY_PX}, {"secondary-px", C_SEC_PX},
	{"has-dx", C_HAS_DX}, {"has-px", C_HAS_PX}, {"has-main-px", C_HAS_MAIN_PX},
	{"count", C_COUNT}, {"cmp", C_CMP},
	{"missing", C_MISSING}, {"present", C_PRESENT}, {"nonzero", C_NONZERO}, {"in", C_IN},
	{"has-mcc", C_HAS_MCC}, {"has-cc", C_HAS_CC}, {"distinct-sites", C_SITES},
};

/* Reads the field attribute of a leaf into c->field; -1 when unknown. */
static int read_field(reader *r, const srcfile *f, xmlNodePtr n, cond *c)
{
	const char *s = attr(r, n, "field");
	c->field = lookup(drg_field_names, DRG_F_COUNT, s);
	if (c->field < 0) {
		diag_error(r->d, pos_of(r, f, n), "field", "unknown field '%s'", s ? s : "");
		return -1;
	}
	return 0;
}

/* Reads op= and value= of <count>/<cmp>. */
static int read_cmp(reader *r, const srcfile *f, xmlNodePtr n, cond *c)
{
	const char *op = attr(r, n, "op");
	c->cmp = lookup(cmp_names, CMP_COUNT, op);
	if (c->cmp < 0) {
		diag_error(r->d, pos_of(r, f, n), "op", "unknown comparison '%s'", op ? op : "");
		return -1;
	}
	return num_attr(r, f, n, "value", &c->value);
}

/* Reads the attributes of a leaf condition.  0, or -1 after reporting. */
static int read_leaf(reader *r, const srcfile *f, xmlNodePtr n, cond *c)
{
	switch (c->op) {
	case C_MAIN_DX: case C_ANY_DX: case C_SEC_DX:
	case C_MAIN_PX: case C_ANY_PX: case C_SEC_PX:
		c->ref = attr(r, n, "in");
		return 0;
	case C_COUNT: {
		const char *of = attr(r, n, "of");
		c->field = of && strcmp(of, "px") == 0 ? CF_PX : CF_DX;
		return read_cmp(r, f, n, c);
	}
	case C_CMP:
		return read_field(r, f, n, c) < 0 ? -1 : read_cmp(r, f, n, c);
	case C_MISSING: case C_PRESENT: case C_NONZERO:
		return read_field(r, f, n, c);
	case C_IN:
		if (read_field(r, f, n, c) < 0)
			return -1;
		{
			xmlChar *v = xmlGetProp(n, (const xmlChar *)"values");
			xmlNodePtr tmp = xmlNewText(v);
			int rc = tmp ? tokens(r, tmp, &c->values) : -1;
			xmlFreeNode(tmp);
			xmlFree(v);
			return rc < 0 ? oom(r) : 0;
		}
	case C_SITES:
		c->ref = attr(r, n, "map");
		return num_attr(r, f, n, "min", &c->value);
	default:
		return 0;
	}
}

/* Reads one condition element (and its children). NULL after reporting. */
static cond *read_cond(reader *r, const srcfile *f, xmlNodePtr n)
{
	size_t i, k = sizeof(COND_NAMES) / sizeof(COND_NAMES[0]);
	if (!n) {
		diag_error(r->d, (srcpos){f, 0, NULL}, NULL, "missing condition");
		return NULL;
	}
	for (i = 0; i < k && !is(n, COND_NAMES[i].name); i++)
		;
	if (i == k) {
		diag_error(r->d, pos_of(r, f, n), NULL, "<%s> is not a condition", n->name);
		return NULL;
	}
	cond *c = arena_alloc(r->a, sizeof(*c));
	if (!c)
		return oom(r), NULL;
	c->op = COND_NAMES[i].op;
	c->pos = pos_of(r, f, n);
	if (c->op == C_ALL || c->op == C_ANY || c->op == C_NOT) {
		for (xmlNodePtr ch = n->children; ch; ch = ch->next) {
			if (ch->type != XML_ELEMENT_NODE)
				continue;
			cond *kid = read_cond(r, f, ch);
			if (!kid)
				return NULL;
			if (ptrvec_push(r->a, &c->kids, kid) < 0)
				return oom(r), NULL;
		}
		return c;
	}
	return read_leaf(r, f, n, c) < 0 ? NULL : c;
}

/* ---------------------------------------------------------------- definitions */

static const char *const KIND_WORD[D_KINDS] = {"codeset", "codemap", "dictionary",
					       "names", "adrg", "mdc"};

/* Registers a definition; a later file replaces, the same file may not repeat. */
static int define(reader *r, enum def_kind k, def_head *h)
{
	def_head *old = strmap_get(&r->m->defs[k], h->id);
	if (old && old->pos.file == h->pos.file) {
		diag_error(r->d, h->pos, k == D_MDC ? "code" : "id",
			   "%s '%s' is defined twice in this file (first at line %ld)",
			   KIND_WORD[k], h->id, old->pos.line);
		return -1;
	}
	h->prev = old;
	return strmap_put(&r->m->defs[k], h->id, h) < 0 ? oom(r) : 0;
}

static enum code_kind kind_attr(reader *r, xmlNodePtr n)
{
	const char *k = attr(r, n, "kind");
	return k && strcmp(k, "px") == 0 ? KIND_PX : KIND_DX;
}

static int read_codeset(reader *r, const srcfile *f, xmlNodePtr n, int own)
{
	m_codeset *cs = arena_alloc(r->a, sizeof(*cs));
	if (!cs)
		return oom(r);
	cs->h = (def_head){attr(r, n, "id"), pos_of(r, f, n), own, NULL, NULL, 0};
	cs->kind = kind_attr(r, n);
	cs->base = attr(r, n, "base");
	cs->base_pos = cs->h.pos;
	for (xmlNodePtr c = n->children; c; c = c->next) {
		int rc = 0;
		if (is(c, "codes"))
			rc = tokens(r, c, &cs->codes);
		else if (is(c, "prefix"))
			rc = tokens(r, c, &cs->prefixes);
		else if (is(c, "remove"))
			rc = tokens(r, c, &cs->removes);
		else if (is(c, "pattern")) {
			m_pattern *p = arena_alloc(r->a, sizeof(*p));
			xmlChar *t = xmlNodeGetContent(c);
			if (!p || !t || !(p->re = arena_strdup(r->a, (const char *)t)))
				rc = -1;
			else {
				p->pos = pos_of(r, f, c);
				rc = ptrvec_push(r->a, &cs->patterns, p);
			}
			xmlFree(t);
		}
		if (rc < 0)
			return oom(r);
	}
	return define(r, D_CODESET, &cs->h);
}

/* Reads <e c= n=/> entries of dictionaries and name tables. */
static int read_entry(reader *r, xmlNodePtr c, m_table *t)
{
	m_entry *e = arena_alloc(r->a, sizeof(*e));
	if (!e)
		return -1;
	e->code = attr(r, c, "c");
	e->text = attr(r, c, "n");
	return e->code && e->text ? ptrvec_push(r->a, &t->entries, e) : -1;
}

/* Reads <group value= label=>codes</group> of a code map. */
static int read_group(reader *r, const srcfile *f, xmlNodePtr c, m_table *t)
{
	ptrvec codes = {0};
	long value;
	if (num_attr(r, f, c, "value", &value) < 0)
		return -2;
	if (tokens(r, c, &codes) < 0)
		return -1;
	for (size_t i = 0; i < codes.n; i++) {
		m_entry *e = arena_alloc(r->a, sizeof(*e));
		if (!e)
			return -1;
		e->code = codes.v[i];
		e->value = value;
		if (ptrvec_push(r->a, &t->entries, e) < 0)
			return -1;
	}
	const char *label = attr(r, c, "label");
	while (label && t->labels.n < (size_t)value)
		if (ptrvec_push(r->a, &t->labels, NULL) < 0)
			return -1;
	if (label)
		t->labels.v[value - 1] = (void *)label;
	return 0;
}

/* Code maps, dictionaries and name tables share one shape (m_table). */
static int read_table(reader *r, const srcfile *f, xmlNodePtr n, int own, enum def_kind k)
{
	m_table *t = arena_alloc(r->a, sizeof(*t));
	if (!t)
		return oom(r);
	t->h = (def_head){attr(r, n, "id"), pos_of(r, f, n), own, NULL, NULL, 0};
	t->kind = kind_attr(r, n);
	t->base = attr(r, n, "base");
	t->base_pos = t->h.pos;
	for (xmlNodePtr c = n->children; c; c = c->next) {
		int rc = 0;
		if (is(c, "e"))
			rc = read_entry(r, c, t);
		else if (is(c, "group"))
			rc = read_group(r, f, c, t);
		else if (is(c, "remove"))
			rc = tokens(r, c, &t->removes);
		if (rc == -2)
			return -1;
		if (rc < 0)
			return oom(r);
	}
	return define(r, k, &t->h);
}

static int read_adrg(reader *r, const srcfile *f, xmlNodePtr n, int own)
{
	m_adrg *a = arena_alloc(r->a, sizeof(*a));
	if (!a)
		return oom(r);
	const char *fb = attr(r, n, "on-no-split");
	a->h = (def_head){attr(r, n, "id"), pos_of(r, f, n), own, NULL, NULL, 0};
	a->code = attr(r, n, "code");
	a->label = attr(r, n, "label");
	a->fallback_adrg = fb && strcmp(fb, "adrg") == 0;
	for (xmlNodePtr c = n->children; c; c = c->next) {
		if (is(c, "when")) {
			if (!(a->when = read_cond(r, f, first_elem(c))))
				return -1;
		} else if (is(c, "qy")) {
			a->qy_code = attr(r, c, "code");
			if (!(a->qy_when = read_cond(r, f, first_elem(c))))
				return -1;
		} else if (is(c, "drg")) {
			m_split *s = arena_alloc(r->a, sizeof(*s));
			if (!s)
				return oom(r);
			s->pos = pos_of(r, f, c);
			s->code = attr(r, c, "code");
			s->label = attr(r, c, "label");
			xmlNodePtr e = first_elem(c);
			if (e && !(s->when = read_cond(r, f, e)))
				return -1;
			if (ptrvec_push(r->a, &a->splits, s) < 0)
				return oom(r);
		}
	}
	return define(r, D_ADRG, &a->h);
}

static int read_step(reader *r, const srcfile *f, xmlNodePtr c, m_mdc *m)
{
	m_step *s = arena_alloc(r->a, sizeof(*s));
	if (!s)
		return oom(r);
	s->pos = pos_of(r, f, c);
	if (is(c, "try"))
		s->adrg = attr(r, c, "adrg");
	else {
		s->qy_code = attr(r, c, "code");
		if (!(s->when = read_cond(r, f, first_elem(c))))
			return -1;
	}
	return ptrvec_push(r->a, &m->steps, s) < 0 ? oom(r) : 0;
}

static int read_mdc(reader *r, const srcfile *f, xmlNodePtr n, int own)
{
	m_mdc *m = arena_alloc(r->a, sizeof(*m));
	if (!m)
		return oom(r);
	const char *end = attr(r, n, "on-no-adrg");
	m->h = (def_head){attr(r, n, "code"), pos_of(r, f, n), own, NULL, NULL, 0};
	m->label = attr(r, n, "label");
	m->final = end && strcmp(end, "ungroupable") == 0;
	for (xmlNodePtr c = n->children; c; c = c->next) {
		if (is(c, "enter")) {
			if (!(m->enter = read_cond(r, f, first_elem(c))))
				return -1;
		} else if ((is(c, "try") || is(c, "qy")) && read_step(r, f, c, m) < 0)
			return -1;
	}
	return define(r, D_MDC, &m->h);
}

/* ---------------------------------------------------------------- singletons */

static int read_settings(reader *r, const srcfile *f, xmlNodePtr n)
{
	spec_model *m = r->m;
	const char *e = attr(r, n, "empty-dx");
	m->settings.set = 1;
	m->settings.pos = pos_of(r, f, n);
	m->settings.dx_dictionary = attr(r, n, "dx-dictionary");
	m->settings.px_dictionary = attr(r, n, "px-dictionary");
	m->settings.mcc = attr(r, n, "mcc");
	m->settings.cc = attr(r, n, "cc");
	m->settings.cc_exclusion = attr(r, n, "cc-exclusion");
	m->settings.drg_names = attr(r, n, "drg-names");
	const char *qy = attr(r, n, "qy-adrg");
	m->settings.empty_dx_is_code = e && strcmp(e, "unknown-code") == 0;
	m->settings.invalid_main_px = attr(r, n, "invalid-main-px");
	m->settings.qy_adrg_code = qy && strcmp(qy, "code") == 0;
	return 0;
}

static int read_validation(reader *r, const srcfile *f, xmlNodePtr n)
{
	spec_model *m = r->m;
	m->have_validation = 1;
	memset(&m->checks, 0, sizeof(m->checks));
	for (xmlNodePtr c = n->children; c; c = c->next) {
		if (!is(c, "check"))
			continue;
		m_check *k = arena_alloc(&m->a, sizeof(*k));
		if (!k)
			return oom(r);
		k->pos = pos_of(r, f, c);
		k->id = attr(r, c, "id");
		k->message = attr(r, c, "message");
		k->codes = (m_outcome){0, attr(r, c, "mdc"), attr(r, c, "adrg"), attr(r, c, "drg")};
		k->codes.set = k->codes.mdc || k->codes.adrg || k->codes.drg;
		if (!(k->when = read_cond(r, f, first_elem(c))))
			return -1;
		if (ptrvec_push(&m->a, &m->checks, k) < 0)
			return oom(r);
	}
	return 0;
}

static int read_outcomes(reader *r, const srcfile *f, xmlNodePtr n)
{
	r->m->outcomes_pos = pos_of(r, f, n);
	for (xmlNodePtr c = n->children; c; c = c->next) {
		if (!is(c, "outcome"))
			continue;
		const char *st = attr(r, c, "status");
		m_outcome *o = st && strcmp(st, "invalid") == 0 ? &r->m->invalid : &r->m->ungroupable;
		o->set = 1;
		o->mdc = attr(r, c, "mdc");
		o->adrg = attr(r, c, "adrg");
		o->drg = attr(r, c, "drg");
	}
	return 0;
}

static int read_retry(reader *r, const srcfile *f, xmlNodePtr n)
{
	r->m->retry.set = 1;
	return num_attr(r, f, n, "min-procedures", &r->m->retry.min_procedures);
}

static int read_mdc_order(reader *r, const srcfile *f, xmlNodePtr n)
{
	memset(&r->m->mdc_order, 0, sizeof(r->m->mdc_order));
	r->m->mdc_order_pos = pos_of(r, f, n);
	return tokens(r, n, &r->m->mdc_order) < 0 ? oom(r) : 0;
}

/* ---------------------------------------------------------------- files */

/* Path of `rel` relative to the directory of `from` (arena string). */
const char *xml_sibling(arena *a, const char *from, const char *rel, const char *ext)
{
	const char *slash = strrchr(from, '/');
	size_t dir = slash ? (size_t)(slash - from + 1) : 0;
	size_t n = dir + strlen(rel) + strlen(ext) + 1;
	char *p = arena_alloc(a, n);
	if (!p)
		return NULL;
	snprintf(p, n, "%.*s%s%s", (int)dir, from, rel, ext);
	return p;
}

/* Reads one child element of a spec or library root. */
static int read_child(reader *r, const srcfile *f, xmlNodePtr c, int own)
{
	if (is(c, "import")) {
		const char *href = attr(r, c, "href");
		const char *p = href ? xml_sibling(r->a, f->path, href, "") : NULL;
		if (!p)
			return oom(r);
		if (read_file(r, p, 0, 0) < 0) {
			diag_error(r->d, pos_of(r, f, c), "href", "in the library imported here");
			return -1;
		}
		return 0;
	}
	if (is(c, "codeset"))
		return read_codeset(r, f, c, own);
	if (is(c, "codemap"))
		return read_table(r, f, c, own, D_CODEMAP);
	if (is(c, "dictionary"))
		return read_table(r, f, c, own, D_DICTIONARY);
	if (is(c, "names"))
		return read_table(r, f, c, own, D_NAMES);
	if (is(c, "adrg"))
		return read_adrg(r, f, c, own);
	if (is(c, "mdc"))
		return read_mdc(r, f, c, own);
	if (is(c, "settings"))
		return read_settings(r, f, c);
	if (is(c, "validation"))
		return read_validation(r, f, c);
	if (is(c, "outcomes"))
		return read_outcomes(r, f, c);
	if (is(c, "retry"))
		return read_retry(r, f, c);
	if (is(c, "mdc-order"))
		return read_mdc_order(r, f, c);
	return 0;   /* <source> and anything the schema allows that has no semantics */
}

/* libxml2's structured errors (parse and schema) -> our diagnostics. */
static void xml_error(void *ctx, xmlErrorPtr e)
{
	reader *r = ctx;
	char msg[512];
	size_t n;
	if (!e || e->level == XML_ERR_NONE)
		return;
	snprintf(msg, sizeof(msg), "%s", e->message ? e->message : "XML error");
	n = strlen(msg);
	while (n && (msg[n - 1] == '\n' || msg[n - 1] == ' '))
		msg[--n] = '\0';
	long line = e->line, col = e->int2;
	if (e->domain == XML_FROM_RELAXNGV && e->node) {
		srcfile *f = strmap_get(&r->loaded, r->cur_path);
		xmlNodePtr node = e->node;
		srcpos p = {f, xmlGetLineNo(node), (const char *)node->name};
		line = p.line;
		col = srcpos_column(p, NULL);
	}
	diag_at(r->d, e->level == XML_ERR_WARNING ? DRG_DIAG_WARNING : DRG_DIAG_ERROR,
		r->cur_path, line, col, "%s", msg);
}

/* Parser errors arrive with the parser context, which carries the reader. */
static void parse_error(void *ctx, xmlErrorPtr e)
{
	xml_error(((xmlParserCtxtPtr)ctx)->_private, e);
}

/* Reads the bytes of path into a new srcfile (registered as loaded). */
static srcfile *load_bytes(reader *r, const char *path)
{
	FILE *fp = fopen(path, "rb");
	srcfile *f = arena_alloc(r->a, sizeof(*f));
	char *buf = NULL;
	long size;
	if (!fp) {
		diag_at(r->d, DRG_DIAG_ERROR, path, 0, 0, "cannot open: %s", strerror(errno));
		return NULL;
	}
	if (!f || fseek(fp, 0, SEEK_END) != 0 || (size = ftell(fp)) < 0 ||
	    fseek(fp, 0, SEEK_SET) != 0 || size > INT_MAX ||
	    !(buf = arena_alloc(r->a, (size_t)size + 1)) ||
	    fread(buf, 1, (size_t)size, fp) != (size_t)size) {
		diag_at(r->d, DRG_DIAG_ERROR, path, 0, 0, "cannot read: %s",
			f && buf ? strerror(errno) : "out of memory");
		fclose(fp);
		return NULL;
	}
	fclose(fp);
	f->path = path;
	f->bytes = buf;
	f->size = (size_t)size;
	/* owned by the model's file list first, so its line index is always freed */
	if (ptrvec_push(r->a, r->files, f) < 0 || srcfile_index(f) < 0 ||
	    strmap_put(&r->loaded, path, f) < 0)
		return oom(r), NULL;
	return f;
}

/* Parses f and validates it against the schema; NULL after reporting. */
static xmlDocPtr parse_valid(reader *r, const srcfile *f)
{
	const char *saved = r->cur_path;
	xmlParserCtxtPtr ctxt = xmlNewParserCtxt();
	xmlDocPtr doc = NULL;
	int before = r->d->nerrors;
	if (!ctxt)
		return oom(r), NULL;
	r->cur_path = f->path;
	ctxt->sax->serror = parse_error;
	ctxt->_private = r;   /* serror receives the parser context (userData) */
	doc = xmlCtxtReadMemory(ctxt, f->bytes, (int)f->size, f->path, NULL,
				XML_PARSE_NONET | XML_PARSE_BIG_LINES | XML_PARSE_NOWARNING);
	if (doc && r->d->nerrors == before) {
		xmlRelaxNGValidCtxtPtr v = xmlRelaxNGNewValidCtxt(r->schema);
		if (!v || (xmlRelaxNGSetValidStructuredErrors(v, xml_error, r),
			   xmlRelaxNGValidateDoc(v, doc) != 0 && r->d->nerrors == before))
			diag_at(r->d, DRG_DIAG_ERROR, f->path, 0, 0, "does not match the schema %s",
				r->schema_name);
		xmlRelaxNGFreeValidCtxt(v);
	} else if (r->d->nerrors == before) {
		diag_at(r->d, DRG_DIAG_ERROR, f->path, 0, 0, "not a well-formed XML file");
	}
	xmlFreeParserCtxt(ctxt);
	r->cur_path = saved;
	if (r->d->nerrors != before) {
		xmlFreeDoc(doc);
		return NULL;
	}
	return doc;
}

/* Follows extends= of a spec root, reading the base spec first. */
static int read_base(reader *r, const srcfile *f, xmlNodePtr root)
{
	const char *ext = attr(r, root, "extends");
	if (!ext)
		return 0;
	const char *p = xml_sibling(r->a, f->path, ext, ".xml");
	if (!p)
		return oom(r);
	if (++r->depth > MAX_EXTENDS_DEPTH || strmap_get(&r->active, p)) {
		diag_error(r->d, pos_of(r, f, root), "extends", "spec '%s' extends itself", ext);
		return -1;
	}
	int rc = read_file(r, p, 0, 1);
	r->depth--;
	if (rc < 0)
		diag_error(r->d, pos_of(r, f, root), "extends", "in the base spec '%s'", ext);
	return rc;
}

/* Reads a spec (want_spec) or library file and everything it pulls in. */
static int read_file(reader *r, const char *path, int own, int want_spec)
{
	if (strmap_get(&r->loaded, path))
		return 0;
	srcfile *f = load_bytes(r, path);
	if (!f)
		return -1;
	xmlDocPtr doc = parse_valid(r, f);
	if (!doc)
		return -1;
	xmlNodePtr root = xmlDocGetRootElement(doc);
	int rc = 0;
	if (want_spec != is(root, "drg-spec")) {
		diag_error(r->d, pos_of(r, f, root), NULL, "expected <%s>, found <%s>",
			   want_spec ? "drg-spec" : "drg-library", root->name);
		rc = -1;
	}
	if (rc == 0 && want_spec) {
		if (strmap_put(&r->active, path, f) < 0)
			rc = oom(r);
		else
			rc = read_base(r, f, root);
		if (own)
			r->m->id = attr(r, root, "id"), r->m->pos = pos_of(r, f, root);
	}
	for (xmlNodePtr c = root->children; c && rc == 0; c = c->next)
		if (c->type == XML_ELEMENT_NODE)
			rc = read_child(r, f, c, own);
	xmlFreeDoc(doc);
	return rc < 0 || r->d->nerrors ? -1 : 0;
}

/* Compiles an embedded RELAX NG schema (name: for messages). */
static xmlRelaxNGPtr load_schema(reader *r, const char *rng, unsigned len, const char *name)
{
	xmlRelaxNGParserCtxtPtr pc = xmlRelaxNGNewMemParserCtxt(rng, (int)len);
	xmlRelaxNGPtr s = NULL;
	r->schema_name = name;
	if (pc) {
		r->cur_path = name;
		xmlRelaxNGSetParserStructuredErrors(pc, xml_error, r);
		s = xmlRelaxNGParse(pc);
		xmlRelaxNGFreeParserCtxt(pc);
	}
	if (!s)
		diag_at(r->d, DRG_DIAG_ERROR, name, 0, 0, "cannot load the schema");
	return s;
}

void spec_model_init(spec_model *m)
{
	memset(m, 0, sizeof(*m));
	arena_init(&m->a);
}

void spec_model_free(spec_model *m)
{
	srcfiles_free(&m->files);
	for (int k = 0; k < D_KINDS; k++)
		strmap_free(&m->defs[k]);
	arena_free(&m->a);
}

int spec_xml_load(spec_model *m, const char *path, diag_sink *d)
{
	reader r = {.m = m, .a = &m->a, .files = &m->files, .d = d};
	int rc = -1;
	const char *p = arena_strdup(&m->a, path);
	xmlInitParser();
	strmap_init(&r.loaded);
	strmap_init(&r.active);
	strmap_init(&r.tags);
	if (p && (r.schema = load_schema(&r, drg_spec_rng, drg_spec_rng_len, "drg-spec.rng")) != NULL)
		rc = read_file(&r, p, 1, 1);
	xmlRelaxNGFree(r.schema);
	strmap_free(&r.loaded);
	strmap_free(&r.active);
	strmap_free(&r.tags);
	return rc < 0 || d->nerrors ? -1 : 0;
}

/* ---------------------------------------------------------------- plain trees (xmltree.h) */

/* Element n and its element descendants as an xnode tree in the arena. */
static xnode *to_tree(reader *r, const srcfile *f, xmlNodePtr n)
{
	xnode *x = arena_alloc(r->a, sizeof(*x)), **tail;
	size_t na = 0;
	int leaf = 1;
	if (!x)
		return oom(r), NULL;
	x->tag = tag_of(r, n);
	x->pos = pos_of(r, f, n);
	for (xmlAttrPtr a = n->properties; a; a = a->next)
		na++;
	xattr *at = arena_alloc(r->a, (na ? na : 1) * sizeof(*at));
	if (!at || !x->tag)
		return oom(r), NULL;
	x->attr = at;
	for (xmlAttrPtr a = n->properties; a; a = a->next, x->nattr++) {
		at[x->nattr].name = arena_strdup(r->a, (const char *)a->name);
		at[x->nattr].value = attr(r, n, (const char *)a->name);
		if (!at[x->nattr].name || !at[x->nattr].value)
			return oom(r), NULL;
	}
	tail = &x->child;
	for (xmlNodePtr c = n->children; c; c = c->next) {
		if (c->type != XML_ELEMENT_NODE)
			continue;
		leaf = 0;
		if (!(*tail = to_tree(r, f, c)))
			return NULL;
		tail = &(*tail)->next;
	}
	xmlChar *text = leaf ? xmlNodeGetContent(n) : NULL;
	x->text = arena_strdup(r->a, text ? (const char *)text : "");
	xmlFree(text);
	return x->text ? x : (oom(r), NULL);
}

int xml_tree_load(xnode **root, arena *a, ptrvec *files, const char *path, const char *rng,
		  unsigned rng_len, const char *schema_name, diag_sink *d)
{
	reader r = {.a = a, .files = files, .d = d};
	const char *p = arena_strdup(a, path);
	srcfile *f;
	xmlDocPtr doc;
	*root = NULL;
	xmlInitParser();
	strmap_init(&r.loaded);
	strmap_init(&r.active);
	strmap_init(&r.tags);
	if (p && (r.schema = load_schema(&r, rng, rng_len, schema_name)) != NULL &&
	    (f = load_bytes(&r, p)) != NULL && (doc = parse_valid(&r, f)) != NULL) {
		*root = to_tree(&r, f, xmlDocGetRootElement(doc));
		xmlFreeDoc(doc);
	} else if (!p) {
		oom(&r);
	}
	xmlRelaxNGFree(r.schema);
	strmap_free(&r.loaded);
	strmap_free(&r.active);
	strmap_free(&r.tags);
	return *root ? 0 : -1;
}

const char *xnode_attr(const xnode *n, const char *name)
{
	for (size_t i = 0; i < n->nattr; i++)
		if (strcmp(n->attr[i].name, name) == 0)
			return n->attr[i].value;
	return NULL;
}
