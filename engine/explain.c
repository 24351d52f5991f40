/*
** explain.c: a readable account of one traced grouping (drg_explain()).
**
** Replays the trace events recorded in the scratch: every validation check,
** every MDC tried (entered or not), every ADRG rule and DRG split tried with the
** spec file and line that defines it, and for the CC/MCC splits the status of
** each secondary diagnosis.  Why an MDC was entered or an ADRG rule matched or
** not: its condition is replayed (exec_replay) and each test it evaluated is
** listed with its outcome and, for a code set, the code that matched.  Runs
** after grouping, never on the hot path.
*/
#include <stdarg.h>
#include <stdio.h>
#include <string.h>

#include "spec.h"
#include "xwalk.h"

typedef struct out {
	char *buf;
	size_t size, len;
} out;

static void say(out *o, const char *fmt, ...) __attribute__((format(printf, 2, 3)));

static void say(out *o, const char *fmt, ...)
{
	va_list ap;
	va_start(ap, fmt);
	char *dst = o->len < o->size ? o->buf + o->len : NULL;
	int n = vsnprintf(dst, dst ? o->size - o->len : 0, fmt, ap);
	va_end(ap);
	if (n > 0)
		o->len += (size_t)n;
}

static const char *S(const img *im, uint32_t off) { return im->str + off; }

static const char *where(const img *im, uint32_t file, uint32_t line, char *buf, size_t n)
{
	snprintf(buf, n, "%s:%u", S(im, im->file[file]), line);
	return buf;
}

/* Code i of kind k (0 dx, 1 px) as read, with its name, and how the
** crosswalk mapped it. */
static void say_code(out *o, const drg_case *c, int k, uint32_t i)
{
	const img *im = &c->spec->im;
	const drg_text *t = k ? &c->px_text[i] : &c->dx_text[i];
	uint32_t id = k ? c->px[i] : c->dx[i];
	uint8_t how = k ? c->px_how[i] : c->dx_how[i];
	const char *kind = k ? "px" : "dx";
	const char *name = id == IMG_NONE ? "(unknown code)" : S(im, (k ? im->px_name : im->dx_name)[id]);
	say(o, "  %s %u: %.*s", kind, i + 1, (int)t->len, t->ptr);
	if (how == XW_MAPPED) {
		const xw_entry *e = xwalk_find(&c->xw->tab[k], t->ptr, t->len);
		say(o, " -> %.*s (crosswalk line %u)", (int)e->to_len, e->to, e->line);
	} else if (how == XW_UNMAPPED) {
		say(o, " (not in the crosswalk%s)", c->xw->keep_unmapped ? ": kept as given" : "");
	}
	say(o, " %s\n", name);
}

/* The case as read: fields, then codes with their names. */
static void say_case(out *o, const drg_case *c)
{
	say(o, "  input:");
	for (int f = 0; f < DRG_F_COUNT; f++)
		if (c->text[f].len)
			say(o, " %s=%.*s", drg_field_names[f], (int)c->text[f].len, c->text[f].ptr);
	say(o, "\n");
	for (int k = 0; k < 2; k++) {
		for (uint32_t i = 0; i < (k ? c->npx : c->ndx); i++)
			say_code(o, c, k, i);
		for (uint32_t i = 0; i < c->ndropped[k]; i++)
			say(o, "  %s %.*s: dropped by the crosswalk\n", k ? "px" : "dx",
			    (int)c->dropped[k][i].len, c->dropped[k][i].ptr);
	}
}

/* CC/MCC status of every secondary diagnosis (what the CC splits tested). */
static void say_cc(out *o, const drg_case *c)
{
	const img *im = &c->spec->im;
	const img_header *h = im->h;
	if (h->mcc_map == IMG_NONE || h->cc_map == IMG_NONE || h->cce_map == IMG_NONE || c->ndx < 2)
		return;
	unsigned t = img_map_value(im, h->cce_map, c->dx[0]);
	say(o, "      principal dx exclusion table: %u\n", t);
	for (uint32_t i = 1; i < c->ndx; i++) {
		unsigned m = img_map_value(im, h->mcc_map, c->dx[i]);
		unsigned k = img_map_value(im, h->cc_map, c->dx[i]);
		unsigned v = m ? m : k;
		if (!v)
			continue;
		say(o, "      %.*s is %s (table %u)%s\n", (int)c->dx_text[i].len, c->dx_text[i].ptr,
		    m ? "MCC" : "CC", v, v == t ? ": excluded by the principal dx" : "");
	}
}

/* The procedure view of the events being replayed (a retry narrows it). */
typedef struct view {
	uint32_t first, n;
} view;

/* What exec_replay() calls back with: where to write, the case and its view. */
typedef struct path {
	out *o;
	const drg_scratch *s;
	view v;
	int n;
} path;

/* The first code of the case, in the positions a set op looks at, that is
** in set k; NULL if none (or the op does not test codes). */
static const drg_text *matched_code(const path *p, const img_op *op)
{
	const img *im = &p->s->spec->im;
	const drg_case *c = &p->s->c;
	enum img_role role = img_op_role(op->code);
	int px = role >= ROLE_MAIN_PX;
	const uint32_t *ids = px ? c->px + p->v.first : c->dx;
	const drg_text *text = px ? c->px_text + p->v.first : c->dx_text;
	uint32_t n = px ? p->v.n : c->ndx;
	uint32_t from = role == ROLE_SEC_DX || role == ROLE_SEC_PX ? 1 : 0;
	uint32_t to = role == ROLE_MAIN_DX || role == ROLE_MAIN_PX ? 1 : n;
	if (px && img_px0_emptied(im, ids, n))
		from = 1;   /* the emptied principal slot */
	for (uint32_t i = from; i < to && i < n; i++)
		if (ids[i] != IMG_NONE && img_in_set(im, op->k, ids[i]))
			return &text[i];
	return NULL;
}

/* One evaluated op of a replayed condition, as the spec would write it. */
static void say_op(void *arg, const img_op *op, int holds)
{
	path *p = arg;
	out *o = p->o;
	const img *im = &p->s->spec->im;
	say(o, "%s", p->n++ ? "; " : " [");
	switch (op->code) { /* ORDER OP */
	case OP_CONST:
		say(o, "%s", op->k ? "true" : "false");
		return;
	case OP_MAIN_DX: case OP_ANY_DX: case OP_SEC_DX:
	case OP_MAIN_PX: case OP_ANY_PX: case OP_SEC_PX: {
		const drg_text *t = holds ? matched_code(p, op) : NULL;
		say(o, "%s in %s: %s", img_role_names[img_op_role(op->code)], S(im, im->set[op->k].name),
		    holds ? "yes" : "no");
		if (t)
			say(o, " (%.*s)", (int)t->len, t->ptr);
		return;
	}
	case OP_COUNT:
		say(o, "count %s %s %d", op->a ? "px" : "dx", cmp_names[op->b], (int32_t)op->k);
		break;
	case OP_CMP:
		say(o, "%s %s %d", drg_field_names[op->a], cmp_names[op->b], (int32_t)op->k);
		break;
	case OP_MISSING:
		say(o, "%s missing", drg_field_names[op->a]);
		break;
	case OP_NONZERO:
		say(o, "%s nonzero", drg_field_names[op->a]);
		break;
	case OP_SYM_IN: {
		const img_set *st = &im->set[op->k];
		say(o, "%s in {", drg_field_names[op->a]);
		for (uint32_t i = 0; i < st->n; i++) {   /* ids are data: checked like dump.c does */
			uint32_t id = im->setdata[st->off + i];
			say(o, "%s%s", i ? " " : "", id < IMG_COUNT(im, SEC_SYM) ? S(im, im->sym[id]) : "?");
		}
		say(o, "}");
		break;
	}
	case OP_HAS_CC:
		say(o, "%s", op->k == im->h->mcc_map ? "has-mcc" : "has-cc");
		break;
	case OP_SITES:
		say(o, "distinct sites >= %u", op->a);
		break;
	case OP_MAIN_PX_GIVEN:
		say(o, "has-main-px");
		break;
	}
	say(o, ": %s", holds ? "yes" : "no");
}

/* Ends a rule's line with the tests its condition pc evaluated, in order. */
static void say_path(out *o, const drg_scratch *s, view v, uint32_t pc)
{
	path p = {o, s, v, 0};
	if (pc != IMG_NONE && exec_replay(s, v.first, v.n, pc, say_op, &p) >= 0 && p.n)
		say(o, "]");
	say(o, "\n");
}

static void say_event(out *o, const drg_scratch *s, const trace_ev *e, int *cc_done, view *v)
{
	const img *im = &s->spec->im;
	char w[512];
	switch ((enum trace_kind)e->kind) {
	case EV_FIELD:
		say(o, "  invalid: field %s is not %s\n", drg_field_names[e->idx],
		    case_field_expects((enum drg_field)e->idx));
		break;
	case EV_TOO_MANY:
		say(o, "  invalid: more than %d codes\n", DRG_MAX_CODES);
		break;
	case EV_CHECK: {
		const img_check *k = &im->check[e->idx];
		say(o, "  check %s (%s): %s\n", S(im, k->id), where(im, k->file, k->line, w, sizeof(w)),
		    e->ok ? "passed" : "FAILED");
		break;
	}
	case EV_MDC: {
		const img_mdc *m = &im->mdc[e->idx];
		say(o, "  %s (%s): %s", S(im, m->code), where(im, m->file, m->line, w, sizeof(w)),
		    e->ok ? "entered" : "not entered");
		say_path(o, s, *v, m->enter);
		break;
	}
	case EV_ADRG: {
		const img_adrg *a = &im->adrg[e->idx];
		say(o, "    ADRG rule %s (%s): %s", S(im, a->id),
		    where(im, a->file, a->line, w, sizeof(w)), e->ok ? "matches" : "no");
		say_path(o, s, *v, a->when);
		break;
	}
	case EV_SPLIT: {
		const img_split *sp = &im->split[e->idx];
		say(o, "      DRG %s (%s): %s", S(im, im->result[sp->result].drg),
		    where(im, sp->file, sp->line, w, sizeof(w)), e->ok ? "fires" : "no");
		say_path(o, s, *v, sp->when);
		if (!*cc_done) {
			say_cc(o, &s->c);
			*cc_done = 1;
		}
		break;
	}
	case EV_FALLBACK:
		say(o, "      no DRG split fired: %s\n",
		    e->ok ? "the ADRG code is the result" : "continue with the next rule");
		break;
	case EV_QY: {
		const img_step *st = &im->step[e->idx];
		say(o, "    QY check %s (%s): %s", S(im, im->result[st->result].drg),
		    where(im, st->file, st->line, w, sizeof(w)), e->ok ? "fires" : "no");
		say_path(o, s, *v, st->arg);
		break;
	}
	case EV_NO_MDC:
		say(o, "  no MDC produced a result\n");
		break;
	case EV_RETRY:
		say(o, "  retry with procedure %u alone\n", e->aux + 1u);
		*v = (view){e->aux, 1};
		break;
	case EV_ADRG_QY: {
		const img_adrg *a = &im->adrg[e->idx];
		say(o, "      QY check of %s -> %s: %s", S(im, a->id), S(im, im->result[a->qy_result].drg),
		    e->ok ? "fires" : "no");
		say_path(o, s, *v, a->qy);
		break;
	}
	case EV_MDC_END:
		say(o, "    no rule of %s matched: the case stays in this MDC, ungroupable\n",
		    S(im, im->mdc[e->idx].code));
		break;
	case EV_UNMAPPED:
		say(o, "  invalid: codes not in the crosswalk\n");
		break;
	case EV_PX_EMPTIED:
		say(o, "  principal procedure %.*s is not valid as principal: its slot is left empty\n",
		    (int)s->c.px_text[0].len, s->c.px_text[0].ptr);
		break;
	}
}

size_t drg_explain(char *buf, size_t size, const drg_spec *spec, const drg_scratch *s)
{
	out o = {buf, size, 0};
	int cc_done = 0;
	view v = {0, s ? s->c.npx : 0};
	if (size)
		buf[0] = '\0';
	if (!spec || !s || s->spec != spec)
		return 0;
	say(&o, "  spec: %s (sha256 %.12s)\n", drg_spec_id(spec), drg_spec_hash(spec));
	say_case(&o, &s->c);
	if (!s->traced)
		say(&o, "  (grouped without DRG_TRACE: no steps recorded)\n");
	for (uint32_t i = 0; i < s->ntrace; i++)
		say_event(&o, s, &s->trace[i], &cc_done, &v);
	if (s->truncated)
		say(&o, "  (trace truncated after %d steps)\n", CASE_MAX_TRACE);
	const drg_result *r = &s->last;
	say(&o, "  result: %s mdc=%s adrg=%s drg=%s %s%s%s\n", drg_status_name(r->status), r->mdc,
	    r->adrg, r->drg, r->name, r->reason && r->reason[0] ? " reason: " : "",
	    r->reason ? r->reason : "");
	return o.len;
}
