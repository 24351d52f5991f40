/*
** diag.c: diagnostics with positions (see diag.h for the design).
*/
#include "diag.h"

#include <stdarg.h>
#include <stdio.h>
#include <string.h>

#include "alloc.h"
#include "arena.h"

void srcfiles_free(const ptrvec *files)
{
	for (size_t i = 0; i < files->n; i++)
		drg_free(((srcfile *)files->v[i])->line_start);
}

int srcfile_index(srcfile *f)
{
	size_t n = 1;
	for (size_t i = 0; i < f->size; i++)
		n += f->bytes[i] == '\n';
	f->line_start = drg_malloc(n * sizeof(*f->line_start));
	if (!f->line_start)
		return -1;
	f->nlines = 0;
	f->line_start[f->nlines++] = 0;
	for (size_t i = 0; i < f->size; i++)
		if (f->bytes[i] == '\n')
			f->line_start[f->nlines++] = (unsigned)(i + 1);
	return 0;
}

/* Characters (UTF-8 code points) in s[0..n). */
static long utf8_chars(const char *s, size_t n)
{
	long c = 0;
	for (size_t i = 0; i < n; i++)
		c += ((unsigned char)s[i] & 0xC0) != 0x80;
	return c;
}

/* Finds needle within [p, end); NULL if absent. */
static const char *find_in(const char *p, const char *end, const char *needle)
{
	size_t n = strlen(needle);
	for (; p + n <= end; p++)
		if (memcmp(p, needle, n) == 0)
			return p;
	return NULL;
}

long srcpos_column(srcpos pos, const char *attr)
{
	char needle[128];
	if (!pos.file || pos.line < 1 || (size_t)pos.line > pos.file->nlines)
		return 0;
	const char *line = pos.file->bytes + pos.file->line_start[pos.line - 1];
	const char *end = strchr(line, '\n');
	if (!end)
		end = pos.file->bytes + pos.file->size;
	const char *at = line;
	if (pos.tag) {
		snprintf(needle, sizeof(needle), "<%s", pos.tag);
		const char *t = find_in(line, end, needle);
		if (t)
			at = t;
	}
	if (attr) {
		snprintf(needle, sizeof(needle), " %s=", attr);
		const char *t = find_in(at, end, needle);
		if (t)
			at = t + 1;
	}
	if (at == line && pos.tag)
		return 1;
	return utf8_chars(line, (size_t)(at - line)) + 1;
}

/* Delivers one diagnostic to the sink's callback and counts it. */
__attribute__((format(printf, 6, 0)))
static void emit(diag_sink *d, int severity, const char *file, long line, long col,
		 const char *fmt, va_list ap)
{
	char msg[1024];
	vsnprintf(msg, sizeof(msg), fmt, ap);
	if (severity == DRG_DIAG_ERROR)
		d->nerrors++;
	else
		d->nwarnings++;
	if (d->fn) {
		drg_diag dg = {severity, file ? file : "", line, col, msg};
		d->fn(&dg, d->payload);
	}
}

void diag_error(diag_sink *d, srcpos pos, const char *attr, const char *fmt, ...)
{
	va_list ap;
	va_start(ap, fmt);
	emit(d, DRG_DIAG_ERROR, pos.file ? pos.file->path : "", pos.line,
	     srcpos_column(pos, attr), fmt, ap);
	va_end(ap);
}

void diag_warn(diag_sink *d, srcpos pos, const char *attr, const char *fmt, ...)
{
	va_list ap;
	va_start(ap, fmt);
	emit(d, DRG_DIAG_WARNING, pos.file ? pos.file->path : "", pos.line,
	     srcpos_column(pos, attr), fmt, ap);
	va_end(ap);
}

void diag_at(diag_sink *d, int severity, const char *file, long line, long col,
	     const char *fmt, ...)
{
	va_list ap;
	va_start(ap, fmt);
	emit(d, severity, file, line, col, fmt, ap);
	va_end(ap);
}

size_t drg_diag_format(char *buf, size_t size, const drg_diag *d)
{
	int n;
	const char *sev = d->severity == DRG_DIAG_ERROR ? "error" : "warning";
	if (d->line > 0 && d->column > 0)
		n = snprintf(buf, size, "%s:%ld:%ld: %s: %s", d->file, d->line, d->column, sev,
			     d->message);
	else if (d->line > 0)
		n = snprintf(buf, size, "%s:%ld: %s: %s", d->file, d->line, sev, d->message);
	else if (d->file[0])
		n = snprintf(buf, size, "%s: %s: %s", d->file, sev, d->message);
	else
		n = snprintf(buf, size, "%s: %s", sev, d->message);
	return n < 0 ? 0 : (size_t)n;
}
