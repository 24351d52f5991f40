/*
** diag.h: positioned compiler diagnostics, `file:line:col: error: message`.
**
** Spec files are kept in memory as srcfile (bytes plus a line index) for the
** whole compilation.  A srcpos names a line and the element (or attribute) the
** diagnostic is about; the column is found only when a diagnostic is reported,
** by locating `<tag` (or `attr=`) on that line, so the parser pays nothing for
** positions it never reports.  Columns count characters, 1-based.
*/
#ifndef DRG_DIAG_H
#define DRG_DIAG_H

#include "drg/drg.h"

typedef struct srcfile {
	const char *path;      /* as given or resolved (relative paths stay relative) */
	const char *bytes;     /* whole file, NUL-terminated */
	size_t size;
	unsigned *line_start;  /* offset of each line; line_start[0] is line 1 */
	size_t nlines;
} srcfile;

typedef struct srcpos {
	const srcfile *file;   /* NULL: no position */
	long line;             /* 1-based, 0 unknown */
	const char *tag;       /* element name to locate on the line, or NULL */
} srcpos;

typedef struct diag_sink {
	drg_diag_fn fn;
	void *payload;
	int nerrors, nwarnings;
} diag_sink;

/* Frees the line indexes of the srcfiles in files (srcfile *; the files
** themselves live in an arena). */
struct ptrvec;
void srcfiles_free(const struct ptrvec *files);

/* Builds the line index of f (f->bytes, f->size set).  0, or -1 out of memory. */
int srcfile_index(srcfile *f);

/* Column (1-based, characters) of `<tag` on the line of pos, then of `attr=`
** after it when attr is not NULL; 0 if not found. */
long srcpos_column(srcpos pos, const char *attr);

/* Report an error / warning at pos (attr: optional attribute to point at). */
void diag_error(diag_sink *d, srcpos pos, const char *attr, const char *fmt, ...)
	__attribute__((format(printf, 4, 5)));
void diag_warn(diag_sink *d, srcpos pos, const char *attr, const char *fmt, ...)
	__attribute__((format(printf, 4, 5)));

/* Report at an explicit line and column (from libxml2's parser errors). */
void diag_at(diag_sink *d, int severity, const char *file, long line, long col,
	     const char *fmt, ...) __attribute__((format(printf, 6, 7)));

/* Formats d as `file:line:col: error: message` into buf. */
/* drg_diag_format() is public (drg.h). */

#endif
