/*
** caseio.c: case CSV batches (see caseio.h): header mapping, filling the
** scratch's case from each record, writing result rows.
*/
#include "caseio.h"

#include <string.h>

#include "alloc.h"
#include "csv.h"

/* Input columns we read; everything else is ignored. */
enum col { COL_ID, COL_DX, COL_PX, COL_FIELD0 };
#define NCOLS (COL_FIELD0 + DRG_F_COUNT)

static const char *const COL_NAMES[NCOLS] = {
	"id", "dx", "px", "sex", "age", "age_days", "birth_weight", "dept", "los", "discharge",
	"icu_hours", "total_cost"};

typedef struct batch {
	const drg_spec *spec;
	drg_scratch *s;
	csv_reader r;
	FILE *out;
	const char *name;
	long col[NCOLS];       /* field index per column, or -1 */
	size_t nheader;
	char reason[256];
} batch;

/* Maps the header's names to our columns.  0, or 1 when unusable. */
static int map_header(batch *b)
{
	int rc = csv_next(&b->r);
	if (rc <= 0) {
		fprintf(stderr, "drg: %s: %s\n", b->name, rc == 0 ? "empty input: no header" :
			drg_strerror(rc));
		return 1;
	}
	for (int c = 0; c < NCOLS; c++)
		b->col[c] = -1;
	b->nheader = b->r.nf;
	for (size_t i = 0; i < b->r.nf; i++) {
		drg_text t = b->r.fields[i];
		if (i == 0 && t.len >= 3 && memcmp(t.ptr, "\xEF\xBB\xBF", 3) == 0)
			t.ptr += 3, t.len -= 3;   /* a UTF-8 byte order mark */
		for (int c = 0; c < NCOLS; c++)
			if (strlen(COL_NAMES[c]) == t.len && memcmp(COL_NAMES[c], t.ptr, t.len) == 0 &&
			    b->col[c] < 0)
				b->col[c] = (long)i;
	}
	if (b->col[COL_DX] < 0) {
		fprintf(stderr, "drg: %s: the header has no 'dx' column (see docs/case-format.md)\n",
			b->name);
		return 1;
	}
	return 0;
}

static drg_text cell(const batch *b, int col)
{
	long i = b->col[col];
	return i >= 0 && (size_t)i < b->r.nf ? b->r.fields[i] : (drg_text){"", 0};
}

/* Writes one CSV field, quoted when it needs to be. */
static void put_field(FILE *f, const char *p, size_t n)
{
	if (!memchr(p, ',', n) && !memchr(p, '"', n) && !memchr(p, '\n', n) && !memchr(p, '\r', n)) {
		fwrite(p, 1, n, f);
		return;
	}
	fputc('"', f);
	for (size_t i = 0; i < n; i++) {
		if (p[i] == '"')
			fputc('"', f);
		fputc(p[i], f);
	}
	fputc('"', f);
}

static void put_str(FILE *f, const char *s, int last)
{
	put_field(f, s, strlen(s));
	fputc(last ? '\n' : ',', f);
}

/* Fills the scratch's case from the current record; NULL with b->reason set
** when the record cannot be read. */
static drg_case *read_case(batch *b)
{
	if (b->r.error) {
		snprintf(b->reason, sizeof(b->reason), "record %ld (line %ld): %s", b->r.record - 1,
			 b->r.line, b->r.error);
		return NULL;
	}
	if (b->r.nf != b->nheader) {
		snprintf(b->reason, sizeof(b->reason), "record %ld (line %ld): %zu fields, the header "
			 "has %zu", b->r.record - 1, b->r.line, b->r.nf, b->nheader);
		return NULL;
	}
	drg_case *c = drg_scratch_case(b->s);
	for (int f = 0; f < DRG_F_COUNT; f++)
		drg_case_set(c, (enum drg_field)f, cell(b, COL_FIELD0 + f));
	drg_case_set_dx(c, cell(b, COL_DX));
	drg_case_set_px(c, cell(b, COL_PX));
	return c;
}

/* Groups the current record and writes its row. */
static void group_record(batch *b, batch_stats *st, unsigned flags, drg_result *res)
{
	drg_text id = cell(b, COL_ID);
	st->records++;
	put_field(b->out, id.ptr ? id.ptr : "", id.len);
	fputc(',', b->out);
	if (!read_case(b)) {
		st->errors++;
		fputs("error,,,,,", b->out);
		put_str(b->out, b->reason, 1);
		res->status = DRG_STATUS_INVALID;
		res->reason = NULL;
		return;
	}
	drg_group(res, b->spec, b->s, flags);
	st->by_status[res->status]++;
	put_str(b->out, drg_status_name(res->status), 0);
	put_str(b->out, res->mdc, 0);
	put_str(b->out, res->adrg, 0);
	put_str(b->out, res->drg, 0);
	put_str(b->out, res->name, 0);
	put_str(b->out, res->reason, 1);
}

static int batch_open(batch *b, const drg_spec *spec, FILE *in, FILE *out, const char *name)
{
	memset(b, 0, sizeof(*b));
	b->spec = spec;
	b->out = out;
	b->name = name;
	if (drg_scratch_new(&b->s, spec) != DRG_OK || csv_open(&b->r, in) != DRG_OK) {
		fprintf(stderr, "drg: out of memory\n");
		return 2;
	}
	return map_header(b);
}

static void batch_close(batch *b)
{
	csv_close(&b->r);
	drg_scratch_free(b->s);
}

/* Reads records until the end; per record calls group_record and, when
** explaining, writes the explanation after its row. */
static int run(const drg_spec *spec, FILE *in, FILE *out, const char *name, const char *only,
	       int explain, batch_stats *st)
{
	batch b;
	int rc;
	memset(st, 0, sizeof(*st));
	if ((rc = batch_open(&b, spec, in, out, name)) != 0) {
		batch_close(&b);
		return rc;
	}
	if (!explain)
		fputs("id,status,mdc,adrg,drg,name,reason\n", out);
	while ((rc = csv_next(&b.r)) == 1) {
		drg_text id = cell(&b, COL_ID);
		drg_result res;
		if (only && (strlen(only) != id.len || memcmp(only, id.ptr, id.len) != 0))
			continue;
		if (explain)
			fprintf(out, "case %.*s\n", (int)id.len, id.ptr ? id.ptr : "");
		group_record(&b, st, explain ? DRG_TRACE : 0, &res);
		if (explain && res.reason) {
			size_t need = drg_explain(NULL, 0, spec, b.s);
			char *text = drg_malloc(need + 1);
			if (text) {
				drg_explain(text, need + 1, spec, b.s);
				fputs(text, out);
				drg_free(text);
			}
			fputc('\n', out);
		}
	}
	batch_close(&b);
	if (rc < 0) {
		fprintf(stderr, "drg: %s: %s\n", name, drg_strerror(rc));
		return 2;
	}
	return 0;
}

int group_file(const drg_spec *spec, FILE *in, FILE *out, const char *name, batch_stats *st)
{
	return run(spec, in, out, name, NULL, 0, st);
}

int explain_file(const drg_spec *spec, FILE *in, FILE *out, const char *name, const char *id,
		 batch_stats *st)
{
	return run(spec, in, out, name, id, 1, st);
}

void print_stats(FILE *f, const batch_stats *st)
{
	fprintf(f, "drg: %ld records: %ld ok, %ld qy, %ld ungroupable, %ld invalid, %ld unreadable\n",
		st->records, st->by_status[DRG_STATUS_OK], st->by_status[DRG_STATUS_QY],
		st->by_status[DRG_STATUS_UNGROUPABLE], st->by_status[DRG_STATUS_INVALID], st->errors);
}
