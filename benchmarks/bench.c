/*
** bench.c: the grouping benchmark.  Prints one line per stage: what was
** measured, the median over repeated runs, and cases/s or ns/case.
**
**   bench SPEC.xml CASES.csv [--stage all|compile|load|parse|group|latency|e2e]
**         [--repeat R] [--group-n N]
**
** Stages:
**   compile   XML spec -> image (median of R)
**   load      mapping and validating the saved image (median of 5R)
**   parse     CSV records -> filled cases (tokenize, numbers, code lookup)
**   group     drg_group alone on pre-filled cases (the first 8192, cycled)
**   latency   one case through the C API (fill + group), p50 / p99 / max
**   e2e       `drg group` end to end, file -> /dev/null, 1 and 2 threads
** `--stage group --group-n N` is what the callgrind script runs.
*/
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include "alloc.h"
#include "caseio.h"
#include "columns.h"
#include "csv.h"
#include "spec.h"

#define NPRE 8192

static double now(void)
{
	struct timespec ts;
	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (double)ts.tv_sec + (double)ts.tv_nsec * 1e-9;
}

static int cmp_double(const void *a, const void *b)
{
	double x = *(const double *)a, y = *(const double *)b;
	return x < y ? -1 : x > y;
}

static double median(double *v, int n)
{
	qsort(v, (size_t)n, sizeof(*v), cmp_double);
	return v[n / 2];
}

/* The case file in memory. */
typedef struct input {
	char *text;
	size_t len;
	long records;
} input;

static void die(const char *what)
{
	fprintf(stderr, "bench: %s\n", what);
	exit(1);
}

static void read_input(input *in, const char *path)
{
	FILE *f = fopen(path, "rb");
	if (!f)
		die("cannot open the case file");
	fseek(f, 0, SEEK_END);
	in->len = (size_t)ftell(f);
	fseek(f, 0, SEEK_SET);
	in->text = malloc(in->len + 1);
	if (fread(in->text, 1, in->len, f) != in->len)
		die("cannot read the case file");
	fclose(f);
	long lines = 0;
	in->records = 0;
	csv_split(in->text, in->len, 1, &in->records, &lines);
	in->records--;   /* the header */
}

/* Maps the header of the copy of the input in work; returns the first record. */
static char *map_header(const input *in, char *work, case_columns *cols)
{
	csv_record r;
	char *next = csv_parse(&r, work, work + in->len);
	columns_map(cols, &r);
	return next;
}

/* Parses every record into the scratch's case; returns seconds.  When pre is
** not NULL, the first NPRE cases are copied there. */
static double parse_all(const input *in, drg_scratch *s, drg_case *pre, char *work)
{
	case_columns cols;
	memcpy(work, in->text, in->len);
	char *p = map_header(in, work, &cols), *end = work + in->len;
	csv_record r;
	long i = 0;
	double t0 = now();
	while (p < end) {
		p = csv_parse(&r, p, end);
		drg_case *c = drg_scratch_case(s);
		columns_fill(&cols, &r, c);
		if (pre && i < NPRE)
			pre[i] = *c;
		i++;
	}
	return now() - t0;
}

static void stage_compile(const char *spec_path, int repeat)
{
	double t[64];
	for (int i = 0; i < repeat; i++) {
		drg_spec *sp = NULL;
		double t0 = now();
		if (drg_spec_compile(&sp, spec_path, NULL, NULL) != DRG_OK)
			die("compile failed");
		t[i] = now() - t0;
		drg_spec_free(sp);
	}
	printf("compile      %10.1f ms   (XML -> image, median of %d)\n", median(t, repeat) * 1e3, repeat);
}

static void stage_load(const drg_spec *spec, int repeat)
{
	char path[] = "/tmp/drgbench.XXXXXX";
	int fd = mkstemp(path);
	double t[320];
	int n = repeat * 5 > 320 ? 320 : repeat * 5;
	if (fd < 0 || drg_spec_save(spec, path) != DRG_OK)
		die("cannot save the image");
	for (int i = 0; i < n; i++) {
		drg_spec *sp = NULL;
		double t0 = now();
		if (drg_spec_load(&sp, path) != DRG_OK)
			die("load failed");
		t[i] = now() - t0;
		drg_spec_free(sp);
	}
	close(fd);
	unlink(path);
	printf("load image   %10.3f ms   (%zu bytes, median of %d)\n", median(t, n) * 1e3,
	       drg_spec_image_size(spec), n);
}

static void stage_parse(const input *in, drg_scratch *s, int repeat)
{
	double t[64];
	char *work = malloc(in->len + 1);
	for (int i = 0; i < repeat; i++)
		t[i] = parse_all(in, s, NULL, work);
	double m = median(t, repeat);
	printf("parse        %10.0f cases/s %7.1f ns/case   (tokenize + fill, %ld cases)\n",
	       (double)in->records / m, m * 1e9 / (double)in->records, in->records);
	free(work);
}

/* Groups pre-filled cases n times in all; returns seconds. */
static double group_n(const drg_spec *spec, drg_scratch *s, const drg_case *pre, long npre, long n,
		      long *ok)
{
	drg_result r;
	double t0 = now();
	for (long i = 0; i < n; i++) {
		group_case(&r, spec, s, &pre[i % npre], 0);
		*ok += r.status == DRG_STATUS_OK;
	}
	return now() - t0;
}

static void stage_group(const drg_spec *spec, const input *in, drg_scratch *s, int repeat, long n)
{
	drg_case *pre = malloc(NPRE * sizeof(*pre));
	char *work = malloc(in->len + 1);
	long npre = in->records < NPRE ? in->records : NPRE, ok = 0;
	double t[64];
	parse_all(in, s, pre, work);
	for (int i = 0; i < repeat; i++)
		t[i] = group_n(spec, s, pre, npre, n, &ok);
	double m = median(t, repeat);
	printf("group        %10.0f cases/s %7.1f ns/case   (%ld groupings over %ld distinct cases, %.1f%% ok)\n",
	       (double)n / m, m * 1e9 / (double)n, n, npre, 100.0 * (double)ok / ((double)n * repeat));
	free(pre);
	free(work);
}

static void stage_latency(const drg_spec *spec, const input *in, drg_scratch *s)
{
	char *work = malloc(in->len + 1);
	case_columns cols;
	memcpy(work, in->text, in->len);
	char *p = map_header(in, work, &cols), *end = work + in->len;
	long n = in->records < 200000 ? in->records : 200000, i = 0;
	double *t = malloc((size_t)n * sizeof(*t));
	csv_record r;
	drg_result res;
	while (p < end && i < n) {
		p = csv_parse(&r, p, end);
		double t0 = now();
		columns_fill(&cols, &r, drg_scratch_case(s));
		drg_group(&res, spec, s, 0);
		t[i++] = now() - t0;
	}
	qsort(t, (size_t)i, sizeof(*t), cmp_double);
	printf("latency      p50 %.2f us  p99 %.2f us  max %.2f us   (fill + group, one case, %ld cases)\n",
	       t[i / 2] * 1e6, t[i * 99 / 100] * 1e6, t[i - 1] * 1e6, i);
	free(t);
	free(work);
}

static void stage_e2e(const drg_spec *spec, const input *in, const char *cases_path, int repeat)
{
	for (int threads = 1; threads <= 2; threads++) {
		double t[64];
		for (int i = 0; i < repeat; i++) {
			int fd = open(cases_path, O_RDONLY);
			FILE *out = fopen("/dev/null", "w");
			caseio_opts o = {.threads = threads};
			batch_stats st;
			double t0 = now();
			if (fd < 0 || !out || caseio_run(spec, fd, out, cases_path, &o, &st) != 0)
				die("end-to-end run failed");
			fclose(out);
			t[i] = now() - t0;
			close(fd);
		}
		double m = median(t, repeat);
		printf("e2e %d thr    %10.0f cases/s %7.1f ns/case   (CSV in -> CSV out, %.1f MB/s in)\n",
		       threads, (double)in->records / m, m * 1e9 / (double)in->records,
		       (double)in->len / m / 1e6);
	}
}

int main(int argc, char **argv)
{
	const char *stage = "all";
	int repeat = 5;
	long group_count = 2000000;
	if (argc < 3)
		die("usage: bench SPEC.xml CASES.csv [--stage S] [--repeat R] [--group-n N]");
	for (int i = 3; i + 1 < argc; i += 2) {
		if (!strcmp(argv[i], "--stage")) stage = argv[i + 1];
		else if (!strcmp(argv[i], "--repeat")) repeat = atoi(argv[i + 1]);
		else if (!strcmp(argv[i], "--group-n")) group_count = atol(argv[i + 1]);
		else die("unknown option");
	}
	if (repeat < 1 || repeat > 64)
		die("--repeat wants 1..64");
	int all = !strcmp(stage, "all");
	drg_spec *spec = NULL;
	drg_scratch *s = NULL;
	input in;
	if (all || !strcmp(stage, "compile"))
		stage_compile(argv[1], repeat);
	if (drg_spec_compile(&spec, argv[1], NULL, NULL) != DRG_OK || drg_scratch_new(&s, spec) != DRG_OK)
		die("cannot compile the spec");
	read_input(&in, argv[2]);
	if (all || !strcmp(stage, "load"))
		stage_load(spec, repeat);
	if (all || !strcmp(stage, "parse"))
		stage_parse(&in, s, repeat);
	if (all || !strcmp(stage, "group"))
		stage_group(spec, &in, s, repeat, group_count);
	if (all || !strcmp(stage, "latency"))
		stage_latency(spec, &in, s);
	if (all || !strcmp(stage, "e2e"))
		stage_e2e(spec, &in, argv[2], repeat);
	if (all)
		printf("peak RSS     %10.1f MB   (this process: XML compile included)\n",
		       (double)drg_mem_peak_rss() / 1048576.0);
	drg_scratch_free(s);
	drg_spec_free(spec);
	free(in.text);
	return 0;
}
