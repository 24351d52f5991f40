/*
** testutil.h: helpers shared by the Check suites.
**
** Specs under test are written from strings into a private temporary
** directory and compiled through the public API, so every suite exercises the
** same path as the CLI.  mini_spec() wraps a fragment in a small complete spec
** (a dictionary of a few codes, MCC/CC/exclusion maps, one MDC trying one ADRG
** whose condition is the fragment), so a test of one condition kind is one
** line.  Diagnostics are collected, formatted as `file:line:col: ...` with the
** directory stripped, into one string a test can compare exactly.
*/
#ifndef DRG_TESTUTIL_H
#define DRG_TESTUTIL_H

#include <check.h>

#include "drg/drg.h"

/* Collected diagnostics: "name.xml:3:5: error: ...\n" lines. */
typedef struct diags {
	char text[8192];
	int errors, warnings;
} diags;

/* A drg_diag_fn appending to the diags at payload (directory stripped). */
void tu_collect(const drg_diag *dg, void *payload);

/* text with the first `from` replaced by `to` (from must occur), in a static
** buffer valid until the next call. */
const char *tu_replace(const char *text, const char *from, const char *to);

/* Writes text to <tmpdir>/name and returns the full path (static buffer per call slot). */
const char *tu_write(const char *name, const char *text);

/* Compiles the file at path; returns the spec or NULL, diagnostics in *d. */
drg_spec *tu_compile(const char *path, diags *d);

/* Writes and compiles a whole spec text under the name "t.xml". */
drg_spec *tu_compile_text(const char *xml, diags *d);

/* The mini spec's full text with cond as the ADRG condition and extra XML
** (definitions, checks) inserted before it; returned in a static buffer. */
const char *tu_mini_text(const char *cond, const char *extra);

/* Compiles the mini spec; fails the test if it does not compile. */
drg_spec *tu_mini(const char *cond, const char *extra);

/* Fills the scratch's case from "field=value;field=value" (dx and px are
** '|'-joined).  Returns the case. */
drg_case *tu_case(drg_scratch *s, const char *fields);

/* Groups the case described by fields; returns the result (strings borrowed;
** the reason is copied to a static buffer, valid until the next call). */
drg_result tu_group(const drg_spec *spec, const char *fields);

/* 1 when the mini spec's condition holds for the case (status ok). */
int tu_holds(const char *cond, const char *fields);

/* Path of a file in the source tree (tests/... or grouper-specs/...). */
const char *tu_src(const char *rel);

/* main() of a suite file: runs the suite, exit status 0 when all passed. */
#define TU_MAIN(make_suite)                                              \
	int main(void)                                                   \
	{                                                                \
		SRunner *sr = srunner_create(make_suite());              \
		srunner_run_all(sr, CK_NORMAL);                          \
		int failed = srunner_ntests_failed(sr);                  \
		srunner_free(sr);                                        \
		return failed ? 1 : 0;                                   \
	}

#endif
