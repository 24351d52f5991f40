/*
** csv.c: streaming CSV records (see csv.h).  A small state machine over the
** input block: fields are appended to the record buffer unquoted, and their
** boundaries remembered; views are made once the record is complete.
*/
#include "csv.h"

#include <string.h>

#include "alloc.h"

#define CSV_BLOCK (64 * 1024)

int csv_open(csv_reader *r, FILE *f)
{
	memset(r, 0, sizeof(*r));
	r->f = f;
	r->next_line = 1;
	r->buf = drg_malloc(CSV_BLOCK);
	return r->buf ? DRG_OK : DRG_ENOMEM;
}

void csv_close(csv_reader *r)
{
	drg_free(r->buf);
	drg_free(r->rec);
	drg_free(r->starts);
	drg_free(r->fields);
	memset(r, 0, sizeof(*r));
}

/* Next input byte, or -1 at the end (-2 on a read error). */
static int get(csv_reader *r)
{
	if (r->pos == r->len) {
		if (r->eof)
			return -1;
		r->len = fread(r->buf, 1, CSV_BLOCK, r->f);
		r->pos = 0;
		if (r->len == 0) {
			r->eof = 1;
			return ferror(r->f) ? -2 : -1;
		}
	}
	return (unsigned char)r->buf[r->pos++];
}

static int peek(csv_reader *r)
{
	int c = get(r);
	if (c >= 0)
		r->pos--;
	return c;
}

static int put(csv_reader *r, int c)
{
	if (r->rlen == r->rcap) {
		size_t cap = r->rcap ? r->rcap * 2 : 1024;
		char *p = drg_realloc(r->rec, cap);
		if (!p)
			return -1;
		r->rec = p, r->rcap = cap;
	}
	r->rec[r->rlen++] = (char)c;
	return 0;
}

/* Starts a new field at the current end of the record buffer. */
static int start_field(csv_reader *r)
{
	if (r->nf + 1 >= r->fcap) {
		size_t cap = r->fcap ? r->fcap * 2 : 32;
		size_t *s = drg_realloc(r->starts, cap * sizeof(*s));
		if (!s)
			return -1;
		r->starts = s;
		drg_text *t = drg_realloc(r->fields, cap * sizeof(*t));
		if (!t)
			return -1;
		r->fields = t;
		r->fcap = cap;
	}
	r->starts[r->nf++] = r->rlen;
	return 0;
}

/* Reads a quoted field body (after the opening quote).  0, -1 OOM. */
static int quoted(csv_reader *r)
{
	for (;;) {
		int c = get(r);
		if (c < 0) {
			r->error = "unterminated quoted field";
			return 0;
		}
		if (c == '"') {
			if (peek(r) != '"')
				return 0;
			get(r);
		}
		if (c == '\n')
			r->next_line++;
		if (put(r, c) < 0)
			return -1;
	}
}

/* Reads the rest of a field up to a comma or line end; returns the stop byte
** (',', '\n' or -1 at the end of input), or -3 on out of memory. */
static int rest(csv_reader *r, int after_quote)
{
	for (;;) {
		int c = get(r);
		if (c == '\r' && peek(r) == '\n')
			c = get(r);
		if (c == ',' || c == '\n' || c < 0)
			return c < -1 ? -1 : c;
		if (after_quote && !r->error)
			r->error = "text after a closing quote";
		if (put(r, c) < 0)
			return -3;
	}
}

int csv_next(csv_reader *r)
{
	r->rlen = r->nf = 0;
	r->error = NULL;
	r->line = r->next_line;
	if (peek(r) < 0)
		return ferror(r->f) ? DRG_EIO : 0;
	for (;;) {
		int stop, q;
		if (start_field(r) < 0)
			return DRG_ENOMEM;
		q = peek(r) == '"';
		if (q && (get(r), quoted(r) < 0))
			return DRG_ENOMEM;
		if ((stop = rest(r, q)) == -3)
			return DRG_ENOMEM;
		if (stop != ',')
			break;
	}
	r->next_line++;
	r->starts[r->nf] = r->rlen;
	for (size_t i = 0; i < r->nf; i++)
		r->fields[i] = (drg_text){r->rec + r->starts[i], r->starts[i + 1] - r->starts[i]};
	r->record++;
	return 1;
}
