/*
** testutil.c: see testutil.h.  The temporary directory is made once per
** process under $TMPDIR (or /tmp) and removed at exit.
*/
#include "testutil.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "model.h"

#ifndef DRG_SOURCE_DIR
#define DRG_SOURCE_DIR "."
#endif

static char tmpdir[256];

static void remove_tmpdir(void)
{
	char cmd[300];
	snprintf(cmd, sizeof(cmd), "rm -rf '%s'", tmpdir);
	if (system(cmd) != 0)
		fprintf(stderr, "could not remove %s\n", tmpdir);
}

static const char *dir(void)
{
	if (!tmpdir[0]) {
		const char *t = getenv("TMPDIR");
		snprintf(tmpdir, sizeof(tmpdir), "%s/drgtest.XXXXXX", t && *t ? t : "/tmp");
		ck_assert_ptr_nonnull(mkdtemp(tmpdir));
		atexit(remove_tmpdir);
	}
	return tmpdir;
}

const char *tu_replace(const char *text, const char *from, const char *to)
{
	static char buf[20000];
	const char *at = strstr(text, from);
	ck_assert_msg(at != NULL, "'%s' not in the text", from);
	snprintf(buf, sizeof(buf), "%.*s%s%s", (int)(at - text), text, to, at + strlen(from));
	return buf;
}

const char *tu_write(const char *name, const char *text)
{
	static char paths[8][512];
	static unsigned next;
	char *p = paths[next++ % 8];
	snprintf(p, 512, "%s/%s", dir(), name);
	FILE *f = fopen(p, "wb");
	ck_assert_ptr_nonnull(f);
	fputs(text, f);
	ck_assert_int_eq(fclose(f), 0);
	return p;
}

/* Appends one formatted diagnostic with the directory part of the file removed. */
void tu_collect(const drg_diag *dg, void *payload)
{
	diags *d = payload;
	drg_diag copy = *dg;
	const char *slash = strrchr(copy.file, '/');
	if (slash)
		copy.file = slash + 1;
	size_t len = strlen(d->text);
	if (len + 1 < sizeof(d->text)) {
		drg_diag_format(d->text + len, sizeof(d->text) - len - 1, &copy);
		len = strlen(d->text);
		d->text[len] = '\n';
		d->text[len + 1] = '\0';
	}
	if (dg->severity == DRG_DIAG_ERROR)
		d->errors++;
	else
		d->warnings++;
}

drg_spec *tu_compile(const char *path, diags *d)
{
	drg_spec *spec = NULL;
	memset(d, 0, sizeof(*d));
	int rc = drg_spec_compile(&spec, path, tu_collect, d);
	ck_assert_int_eq(rc == DRG_OK, spec != NULL);
	return spec;
}

drg_spec *tu_compile_text(const char *xml, diags *d)
{
	return tu_compile(tu_write("t.xml", xml), d);
}

const char *tu_mini_text(const char *condition, const char *extra)
{
	static char buf[16384];
	snprintf(buf, sizeof(buf),
		 "<drg-spec xmlns=\"urn:x-drg:spec:1\" id=\"mini\">\n"
		 "  <dictionary id=\"dx\" kind=\"dx\">\n"
		 "    <e c=\"A01\" n=\"a1\"/><e c=\"A02\" n=\"a2\"/><e c=\"A03\" n=\"a3\"/>\n"
		 "    <e c=\"B01\" n=\"b1\"/><e c=\"B02\" n=\"b2\"/><e c=\"C01\" n=\"c1\"/>\n"
		 "    <e c=\"M01\" n=\"m1\"/><e c=\"M02\" n=\"m2\"/><e c=\"X01\" n=\"x1\"/>\n"
		 "  </dictionary>\n"
		 "  <dictionary id=\"px\" kind=\"px\">\n"
		 "    <e c=\"01.01\" n=\"p1\"/><e c=\"01.02\" n=\"p2\"/><e c=\"02.01\" n=\"p3\"/>\n"
		 "  </dictionary>\n"
		 "  <codemap id=\"mcc\" kind=\"dx\"><group value=\"1\">M01</group><group value=\"2\">M02</group></codemap>\n"
		 "  <codemap id=\"cc\" kind=\"dx\"><group value=\"1\">C01</group><group value=\"2\">B02</group></codemap>\n"
		 "  <codemap id=\"cce\" kind=\"dx\"><group value=\"1\">A01</group><group value=\"2\">A02</group></codemap>\n"
		 "  <codemap id=\"sites\" kind=\"dx\"><group value=\"1\">A01 A02</group><group value=\"2\">B01</group>"
		 "<group value=\"3\">C01</group></codemap>\n"
		 "  <codeset id=\"A\" kind=\"dx\"><prefix>A</prefix></codeset>\n"
		 "  <codeset id=\"B\" kind=\"dx\"><prefix>B</prefix></codeset>\n"
		 "  <codeset id=\"P1\" kind=\"px\"><codes>01.01</codes></codeset>\n"
		 "  <codeset id=\"P2\" kind=\"px\"><codes>01.02</codes></codeset>\n"
		 "  <settings dx-dictionary=\"dx\" px-dictionary=\"px\" mcc=\"mcc\" cc=\"cc\" cc-exclusion=\"cce\"/>\n"
		 "  <outcomes>\n"
		 "    <outcome status=\"ungroupable\" mdc=\"0000\" adrg=\"00\" drg=\"0000\"/>\n"
		 "    <outcome status=\"invalid\" mdc=\"0000\" adrg=\"00\" drg=\"0000\"/>\n"
		 "  </outcomes>\n"
		 "%s\n"
		 "  <mdc-order>MDCT</mdc-order>\n"
		 "  <mdc code=\"MDCT\"><enter><true/></enter><try adrg=\"TA1\"/></mdc>\n"
		 "  <adrg id=\"TA1\" code=\"TA1\" on-no-split=\"adrg\">\n"
		 "    <when>%s</when>\n"
		 "    <drg code=\"TA19\"/>\n"
		 "  </adrg>\n"
		 "</drg-spec>\n",
		 extra ? extra : "", condition);
	return buf;
}

drg_spec *tu_mini(const char *condition, const char *extra)
{
	diags d;
	drg_spec *spec = tu_compile_text(tu_mini_text(condition, extra), &d);
	ck_assert_msg(spec != NULL, "mini spec does not compile:\n%s", d.text);
	return spec;
}

/* Field name -> enum drg_field, or -1 for dx/px/unknown. */
static int field_of(const char *name, size_t n)
{
	for (int i = 0; i < DRG_F_COUNT; i++)
		if (strlen(drg_field_names[i]) == n && !memcmp(drg_field_names[i], name, n))
			return i;
	return -1;
}

drg_case *tu_case(drg_scratch *s, const char *fields)
{
	drg_case *c = drg_scratch_case(s);
	const char *p = fields;
	while (*p) {
		const char *eq = strchr(p, '='), *end = strchr(p, ';');
		if (!end)
			end = p + strlen(p);
		ck_assert_msg(eq && eq < end, "bad case text '%s'", fields);
		drg_text v = {eq + 1, (size_t)(end - eq - 1)};
		size_t n = (size_t)(eq - p);
		if (n == 2 && !memcmp(p, "dx", 2))
			drg_case_set_dx(c, v);
		else if (n == 2 && !memcmp(p, "px", 2))
			drg_case_set_px(c, v);
		else {
			int f = field_of(p, n);
			ck_assert_msg(f >= 0, "unknown field in '%s'", fields);
			drg_case_set(c, (enum drg_field)f, v);
		}
		p = *end ? end + 1 : end;
	}
	return c;
}

drg_result tu_group(const drg_spec *spec, const char *fields)
{
	drg_scratch *s = NULL;
	drg_result r;
	ck_assert_int_eq(drg_scratch_new(&s, spec), DRG_OK);
	tu_case(s, fields);
	ck_assert_int_eq(drg_group(&r, spec, s, 0), DRG_OK);
	static char reason[512];   /* the reason lives in the scratch, freed here */
	snprintf(reason, sizeof(reason), "%s", r.reason);
	r.reason = reason;
	drg_scratch_free(s);
	return r;
}

int tu_holds(const char *condition, const char *fields)
{
	drg_spec *spec = tu_mini(condition, NULL);
	drg_result r = tu_group(spec, fields);
	ck_assert_msg(r.status == DRG_STATUS_OK || r.status == DRG_STATUS_UNGROUPABLE,
		      "unexpected status %s (%s)", drg_status_name(r.status), r.reason);
	drg_spec_free(spec);
	return r.status == DRG_STATUS_OK;
}

const char *tu_src(const char *rel)
{
	static char buf[1024];
	snprintf(buf, sizeof(buf), "%s/%s", DRG_SOURCE_DIR, rel);
	return buf;
}
