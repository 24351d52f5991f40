/*
** caseio.c: case CSV -> result CSV (see caseio.h).  The header callback maps
** column names to our fields once (columns.h); process() then walks a chunk's records:
** cut into fields (csv_parse), fill the worker's scratch case, group, append
** the row to the chunk's output.  Nothing here allocates per record: rows go
** into the chunk's reusable output buffer, and the result columns of every
** result the spec can return are formatted once per run (format_results), so a
** row is the id, one copy and the reason.  With a crosswalk, each worker's
** scratch maps the codes as they are read.
*/
#include "caseio.h"

#include <pthread.h>
#include <string.h>

#include "alloc.h"
#include "batch.h"
#include "columns.h"
#include "csv.h"
#include "fixed.h"
#include "spec.h"

/* Counters in batch_chunk.stats. */
enum { ST_RECORDS, ST_STATUS0, ST_ERRORS = ST_STATUS0 + 4 };

typedef struct job {
	const drg_spec *spec;
	const char *name;
	const caseio_opts *o;
	FILE *out;
	case_columns cols;
	pthread_mutex_t mu;    /* merging the workers' summaries */
	int sum_oom;
	char *row;             /* per result index: `status,mdc,adrg,drg,name,` as CSV */
	uint32_t *row_off;     /* nres + 1 offsets into row */
} job;

typedef struct worker {
	job *j;                /* shared; written only to merge summaries (under j->mu) */
	drg_scratch *s;
	csv_record rec;
	summary *sum;          /* this worker's cases (with a summary) */
	char reason[256];
} worker;

/* ---------------------------------------------------------------- header */

static long header(void *ctx, char *in, size_t len, long *lines)
{
	job *j = ctx;
	csv_record r;
	if (len == 0) {
		fprintf(stderr, "drg: %s: empty input: no header\n", j->name);
		return -1;
	}
	char *next = csv_parse(&r, in, in + len);
	*lines = r.lines;
	columns_map(&j->cols, &r);
	if (j->cols.col[COL_DX] < 0) {
		fprintf(stderr, "drg: %s: the header has no 'dx' column (see docs/case-format.md)\n",
			j->name);
		return -1;
	}
	if (!j->o->explain)
		fputs(j->o->pay ? "id,status,mdc,adrg,drg,name,reason,weight,standard,ratio,route,"
				  "reasons,payment,review,review_reasons\n"
				: "id,status,mdc,adrg,drg,name,reason\n", j->out);
	return (long)(next - in);
}

/* ---------------------------------------------------------------- output */

/* Writes bytes p[0..n) as one CSV field to w (room for 2n + 2 bytes), quoted
** when they hold , " CR or LF; returns the bytes written.  The usual field
** needs no quotes: it is copied while it is scanned, one table load a byte. */
static size_t csv_field(char *w, const char *p, size_t n)
{
	static const unsigned char special[256] = {[','] = 1, ['"'] = 1, ['\n'] = 1, ['\r'] = 1};
	size_t i = 0;
	for (; i < n && !special[(unsigned char)p[i]]; i++)
		w[i] = p[i];
	if (i == n)
		return n;
	char *start = w;
	*w++ = '"';
	for (i = 0; i < n; i++) {
		if (p[i] == '"')
			*w++ = '"';
		*w++ = p[i];
	}
	*w++ = '"';
	return (size_t)(w - start);
}

/* Appends bytes as one CSV field. */
static void put_field(batch_chunk *c, const char *p, size_t n)
{
	char *w = batch_reserve(c, 2 * n + 2);
	if (w)
		c->olen += csv_field(w, p, n);
}

/* Appends bytes as they are. */
static void put_raw(batch_chunk *c, const char *p, size_t n)
{
	char *w = batch_reserve(c, n);
	if (w)
		memcpy(w, p, n), c->olen += n;
}

static void put_char(batch_chunk *c, char ch)
{
	char *w = batch_reserve(c, 1);
	if (w)
		*w = ch, c->olen++;
}

static void put_str(batch_chunk *c, const char *s, char sep)
{
	put_field(c, s, strlen(s));
	put_char(c, sep);
}

/* Appends a scaled value (nothing for DRG_NONE) and sep. */
static void put_num(batch_chunk *c, int64_t v, int scale, char sep)
{
	char b[24];
	if (v != DRG_NONE)
		put_raw(c, b, fixed_format(b, v, scale));
	put_char(c, sep);
}

/* Appends the names of the set bits of mask, '|'-joined, then sep. */
static void put_bits(batch_chunk *c, uint32_t mask, const char *(*name)(int), char sep)
{
	int first = 1;
	for (int b = 0; mask >> b; b++) {
		if (!(mask >> b & 1))
			continue;
		if (!first)
			put_char(c, '|');
		const char *n = name(b);
		put_raw(c, n, strlen(n));
		first = 0;
	}
	put_char(c, sep);
}

/* Prices the case just grouped and appends the payment columns (after a ','). */
static void put_price(worker *w, batch_chunk *c)
{
	const caseio_opts *o = w->j->o;
	drg_price p;
	drg_price_case(&p, o->pay, w->s, o->explain ? DRG_TRACE : 0);
	put_num(c, p.weight, 4, ',');
	put_num(c, p.standard, 2, ',');
	put_num(c, p.ratio, 4, ',');
	put_str(c, drg_route_name(p.route), ',');
	put_bits(c, p.reasons, drg_pay_reason_name, ',');
	put_num(c, p.payment, 2, ',');
	put_char(c, p.review ? '1' : '0');
	put_char(c, ',');
	put_bits(c, p.review, drg_review_reason_name, '\n');
	if (w->sum && summary_add(w->sum, columns_cell(&w->j->cols, &w->rec,
							 (enum case_col)(COL_FIELD0 + DRG_F_HOSPITAL_ID)),
				  &p) != DRG_OK)
		c->oom = 1;
}

/* ---------------------------------------------------------------- records */

/* Fills the scratch's case from the current record; 0, or -1 with w->reason
** set when the record cannot be read. */
static int read_case(worker *w, long record, long line)
{
	const char *why = w->rec.error;
	char buf[96];
	if (!why && w->rec.nf != w->j->cols.nheader) {
		snprintf(buf, sizeof(buf), "%zu fields, the header has %zu", w->rec.nf,
			 w->j->cols.nheader);
		why = buf;
	}
	if (why) {
		snprintf(w->reason, sizeof(w->reason), "record %ld (line %ld): %s", record, line, why);
		return -1;
	}
	columns_fill(&w->j->cols, &w->rec, drg_scratch_case(w->s));
	return 0;
}

/* Appends the explanation of the last traced grouping. */
static void put_explain(worker *w, batch_chunk *c)
{
	const drg_spec *spec = w->j->spec;
	size_t need = drg_explain(NULL, 0, spec, w->s);
	char *p = batch_reserve(c, need + 2);
	if (!p)
		return;
	drg_explain(p, need + 1, spec, w->s);
	c->olen += need;
	put_char(c, '\n');
	if (w->j->o->pay) {
		need = drg_price_explain(NULL, 0, w->s);
		if (!(p = batch_reserve(c, need + 2)))
			return;
		drg_price_explain(p, need + 1, w->s);
		c->olen += need;
		put_char(c, '\n');
	}
}

/* Appends the row `id,` cols (the result columns, as CSV with their commas)
** reason sep, with one reservation: the usual row is this and nothing else. */
static void put_row(batch_chunk *c, drg_text id, const char *cols, size_t ncols,
		    const char *reason, char sep)
{
	size_t nr = strlen(reason);
	char *w = batch_reserve(c, 2 * id.len + 2 + 1 + ncols + 2 * nr + 2 + 1), *start = w;
	if (!w)
		return;
	w += csv_field(w, id.ptr, id.len);
	*w++ = ',';
	memcpy(w, cols, ncols);
	w += ncols;
	w += csv_field(w, reason, nr);
	*w++ = sep;
	c->olen += (size_t)(w - start);
}

/* Groups the current record and appends its row. */
static void group_record(worker *w, batch_chunk *c, long record, long line)
{
	const caseio_opts *o = w->j->o;
	drg_text id = columns_cell(&w->j->cols, &w->rec, COL_ID);
	drg_result res;
	if (o->only_id && (strlen(o->only_id) != id.len || memcmp(o->only_id, id.ptr, id.len)))
		return;
	if (o->explain) {
		put_raw(c, "case ", 5);
		put_field(c, id.ptr, id.len);
		put_char(c, '\n');
	}
	c->stats[ST_RECORDS]++;
	if (read_case(w, record, line) < 0) {
		c->stats[ST_ERRORS]++;
		put_row(c, id, "error,,,,,", 10, w->reason, '\n');
		return;
	}
	drg_group(&res, w->j->spec, w->s, o->explain ? DRG_TRACE : 0);
	c->stats[ST_STATUS0 + res.status]++;
	uint32_t r = w->s->last_result;
	put_row(c, id, w->j->row + w->j->row_off[r], w->j->row_off[r + 1] - w->j->row_off[r],
		res.reason, o->pay ? ',' : '\n');
	if (o->pay)
		put_price(w, c);
	if (o->explain)
		put_explain(w, c);
}

static void process(void *arg, batch_chunk *c)
{
	worker *w = arg;
	char *p = c->in, *end = c->in + c->len;
	long record = c->first_record, line = c->first_line;
	while (p < end) {
		p = csv_parse(&w->rec, p, end);
		group_record(w, c, record++, line);
		line += w->rec.lines;
	}
}

static void worker_free(void *arg);

static void *worker_new(void *ctx)
{
	job *j = ctx;
	worker *w = drg_calloc(1, sizeof(*w));
	if (!w)
		return NULL;
	w->j = j;
	if (drg_scratch_new(&w->s, j->spec) != DRG_OK ||
	    drg_scratch_set_xwalk(w->s, j->o->xw) != DRG_OK ||
	    (j->o->sum && summary_new(&w->sum) != DRG_OK)) {
		worker_free(w);
		return NULL;
	}
	return w;
}

/* Frees a worker, first adding its summary to the job's. */
static void worker_free(void *arg)
{
	worker *w = arg;
	job *j = w->j;
	if (w->sum) {
		pthread_mutex_lock(&j->mu);
		if (summary_merge(j->o->sum, w->sum) != DRG_OK)
			j->sum_oom = 1;
		pthread_mutex_unlock(&j->mu);
	}
	summary_free(w->sum);
	drg_scratch_free(w->s);
	drg_free(w);
}

/* The output columns of every result of the spec, formatted once so that a
** row costs one copy (j->row, j->row_off).  0, or DRG_ENOMEM. */
static int format_results(job *j)
{
	const img *im = &j->spec->im;
	uint32_t n = IMG_COUNT(im, SEC_RESULT);
	size_t size = 0, len = 0;
	for (uint32_t r = 0; r < n; r++) {
		const img_result *x = &im->result[r];
		const uint32_t f[4] = {x->mdc, x->adrg, x->drg, x->name};
		size += 16;
		for (int i = 0; i < 4; i++)
			size += 2 * strlen(im->str + f[i]) + 3;
	}
	j->row = drg_malloc(size + 1);
	j->row_off = drg_malloc(((size_t)n + 1) * sizeof(*j->row_off));
	if (!j->row || !j->row_off)
		return DRG_ENOMEM;
	for (uint32_t r = 0; r < n; r++) {
		const img_result *x = &im->result[r];
		const uint32_t f[4] = {x->mdc, x->adrg, x->drg, x->name};
		j->row_off[r] = (uint32_t)len;
		len += csv_field(j->row + len, drg_status_name((enum drg_status)x->status),
				 strlen(drg_status_name((enum drg_status)x->status)));
		for (int i = 0; i < 4; i++) {
			j->row[len++] = ',';
			len += csv_field(j->row + len, im->str + f[i], strlen(im->str + f[i]));
		}
		j->row[len++] = ',';
	}
	j->row_off[n] = (uint32_t)len;
	return DRG_OK;
}

int caseio_run(const drg_spec *spec, int fd, FILE *out, const char *name, const caseio_opts *o,
	       batch_stats *st)
{
	static const batch_ops ops = {header, worker_new, worker_free, process};
	job j = {.spec = spec, .name = name, .o = o, .out = out, .mu = PTHREAD_MUTEX_INITIALIZER};
	batch_cfg cfg = {o->threads > 0 ? o->threads : 1, o->block ? o->block : 1u << 20};
	long sum[8] = {0};
	int rc = format_results(&j);
	if (rc == DRG_OK)
		rc = batch_run(&cfg, fd, out, &ops, &j, sum);
	drg_free(j.row);
	drg_free(j.row_off);
	if (rc == 0 && j.sum_oom)
		rc = DRG_ENOMEM;
	st->records = sum[ST_RECORDS];
	for (int i = 0; i < 4; i++)
		st->by_status[i] = sum[ST_STATUS0 + i];
	st->errors = sum[ST_ERRORS];
	if (rc < 0)
		fprintf(stderr, "drg: %s: %s\n", name, drg_strerror(rc));
	return rc < 0 ? 2 : rc;
}

void print_stats(FILE *f, const batch_stats *st)
{
	fprintf(f, "drg: %ld records: %ld ok, %ld qy, %ld ungroupable, %ld invalid, %ld unreadable\n",
		st->records, st->by_status[DRG_STATUS_OK], st->by_status[DRG_STATUS_QY],
		st->by_status[DRG_STATUS_UNGROUPABLE], st->by_status[DRG_STATUS_INVALID], st->errors);
}
