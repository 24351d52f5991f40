/*
** xwalk.c: code crosswalks, clinical codes (国临版) mapped to the insurance
** codes (医保版) a grouping spec uses, applied to a case's codes as they are
** read (docs/case-format.md, "Crosswalks").
**
** A table is a UTF-8 text file of `from<TAB>to` lines: '#' lines are
** comments, the first other line is a header and is skipped, `to` = `-` drops
** the code.  Loading resolves every target once to the spec's code id (a
** target the spec does not know stays an unknown code) and puts the from codes
** into an open-addressing hash (drg_hash, linear probing), so mapping a code
** while a case is filled is one probe sequence over memory built here: no
** allocation and no per-case work beyond the lookup the code needed anyway.
** The file's bytes are kept; entries point into them.
*/
#include <errno.h>
#include <stdio.h>
#include <string.h>

#include "alloc.h"
#include "diag.h"
#include "spec.h"
#include "strmap.h"
#include "xwalk.h"

/* Reads path into a NUL-terminated heap buffer; NULL after reporting. */
static char *slurp(const char *path, size_t *n, diag_sink *d)
{
	FILE *f = fopen(path, "rb");
	char *buf = NULL;
	long size = -1;
	if (f && fseek(f, 0, SEEK_END) == 0)
		size = ftell(f);
	if (f && size >= 0 && fseek(f, 0, SEEK_SET) == 0 && (buf = drg_malloc((size_t)size + 1)) &&
	    fread(buf, 1, (size_t)size, f) == (size_t)size) {
		fclose(f);
		buf[size] = '\0';
		*n = (size_t)size;
		return buf;
	}
	diag_at(d, DRG_DIAG_ERROR, path, 0, 0, "cannot read: %s",
		f && size >= 0 && !buf ? "out of memory" : strerror(errno));
	if (f)
		fclose(f);
	drg_free(buf);
	return NULL;
}

/* The entry for code text p[0..n), or NULL. */
const xw_entry *xwalk_find(const xw_table *t, const char *p, size_t n)
{
	if (!t->nent)
		return NULL;
	for (uint32_t i = drg_hash(p, n) & t->mask;; i = (i + 1) & t->mask) {
		uint32_t v = t->slot[i];
		if (!v)
			return NULL;
		const xw_entry *e = &t->ent[v - 1];
		if (e->from_len == n && memcmp(e->from, p, n) == 0)
			return e;
	}
}

/* Adds one line's entry; reports a code mapped twice.  0 or -1. */
static int add_entry(xw_table *t, xw_entry e, const char *path, long line, diag_sink *d)
{
	const xw_entry *old = xwalk_find(t, e.from, e.from_len);
	if (old) {
		diag_at(d, DRG_DIAG_ERROR, path, line, 1, "'%.*s' is mapped twice (first at line %ld)",
			(int)e.from_len, e.from, (long)old->line);
		return -1;
	}
	t->ent[t->nent] = e;
	uint32_t i = drg_hash(e.from, e.from_len) & t->mask;
	while (t->slot[i])
		i = (i + 1) & t->mask;
	t->slot[i] = ++t->nent;
	return 0;
}

/* Splits one line (no newline) into from and to; 0, or -1 after reporting
** the column of the problem. */
static int parse_line(const char *s, size_t n, xw_entry *e, const char *path, long line,
		      diag_sink *d)
{
	const char *tab = memchr(s, '\t', n);
	const char *why = NULL;
	long col = 1;
	if (!tab)
		why = "expected two fields separated by a tab", col = (long)n + 1;
	else if (tab == s)
		why = "empty code";
	else if (tab + 1 == s + n)
		why = "empty target (write - to drop the code)", col = (long)n + 1;
	else if (memchr(tab + 1, '\t', (size_t)(s + n - tab - 1)))
		why = "more than two fields", col = (long)((const char *)memchr(tab + 1, '\t',
				(size_t)(s + n - tab - 1)) - s) + 1;
	if (why) {
		diag_at(d, DRG_DIAG_ERROR, path, line, col, "%s", why);
		return -1;
	}
	e->from = s, e->from_len = (uint32_t)(tab - s);
	e->to = tab + 1, e->to_len = (uint32_t)(s + n - tab - 1);
	e->drop = e->to_len == 1 && e->to[0] == '-';
	e->line = (uint32_t)line;
	return 0;
}

/* Loads the table at path for code kind hsec (SEC_DX_HASH or SEC_PX_HASH). */
static int load_table(xw_table *t, const drg_spec *spec, const char *path, enum img_sec hsec,
		      diag_sink *d)
{
	size_t size, lines = 1;
	if (!(t->text = slurp(path, &size, d)))
		return -1;
	for (size_t i = 0; i < size; i++)
		lines += t->text[i] == '\n';
	for (t->mask = 1; t->mask < 2 * lines; t->mask <<= 1)
		;
	t->slot = drg_calloc(t->mask, sizeof(*t->slot));
	t->ent = drg_calloc(lines, sizeof(*t->ent));
	t->mask--;
	if (!t->slot || !t->ent) {
		diag_at(d, DRG_DIAG_ERROR, path, 0, 0, "out of memory");
		return -1;
	}
	int header = 1, rc = 0;
	long line = 0;
	for (char *p = t->text, *end = t->text + size; p < end && rc == 0;) {
		char *nl = memchr(p, '\n', (size_t)(end - p)), *stop = nl ? nl : end;
		size_t n = (size_t)(stop - p);
		line++;
		if (n && p[n - 1] == '\r')
			n--;
		xw_entry e;
		if (n && p[0] != '#' && !(header && (header = 0, 1))) {
			rc = parse_line(p, n, &e, path, line, d);
			if (rc == 0) {
				e.to_id = e.drop ? IMG_NONE : img_lookup(&spec->im, hsec, e.to, e.to_len);
				rc = add_entry(t, e, path, line, d);
			}
		}
		p = stop + 1;
	}
	return rc;
}

int drg_xwalk_load(drg_xwalk **out, const drg_spec *spec, const char *dx_path,
		   const char *px_path, unsigned flags, drg_diag_fn diag, void *payload)
{
	if (!out || !spec || (!dx_path && !px_path))
		return DRG_EINVAL;
	*out = NULL;
	diag_sink d = {diag, payload, 0, 0};
	drg_xwalk *x = drg_calloc(1, sizeof(*x));
	if (!x)
		return DRG_ENOMEM;
	x->spec = spec;
	x->keep_unmapped = (flags & DRG_XWALK_KEEP_UNMAPPED) != 0;
	if ((dx_path && load_table(&x->tab[0], spec, dx_path, SEC_DX_HASH, &d) < 0) ||
	    (px_path && load_table(&x->tab[1], spec, px_path, SEC_PX_HASH, &d) < 0)) {
		drg_xwalk_free(x);
		return d.nerrors ? DRG_ESPEC : DRG_ENOMEM;
	}
	*out = x;
	return DRG_OK;
}

void drg_xwalk_free(drg_xwalk *x)
{
	if (!x)
		return;
	for (int k = 0; k < 2; k++) {
		drg_free(x->tab[k].text);
		drg_free(x->tab[k].slot);
		drg_free(x->tab[k].ent);
	}
	drg_free(x);
}

size_t drg_xwalk_size(const drg_xwalk *x, int px)
{
	return x ? x->tab[px != 0].nent : 0;
}
