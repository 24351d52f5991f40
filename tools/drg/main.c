/*
** main.c: the `drg` command line tool over the engine's public API.
**
**   drg specs                       list the spec ids found in the spec directory
**   drg compile --spec S -o FILE    compile a spec to an image file (prints diagnostics)
**   drg group --spec S [--in F] [--out F] [--threads N]
**                                   group a case CSV (stdin/stdout by default)
**   drg group ... --pay P [--summary F] [--budget YUAN]
**                                   also price each case under payment spec P
**                                   and write the period summary to F
**   drg explain --spec S [--in F] [--id ID] [--pay P]   explain grouping (and pricing)
**   drg dump --spec S [--out F]     list the compiled image, programs disassembled
**   drg calibrate --spec S --in HISTORY.csv [--out PAY.xml] [--id ID] [--base-rate YUAN]
**       [--trim mult:LO:HI|pct:LO:HI] [--years Y:W,Y:W,...] [--min-cases N]
**                                   weights from historical costs, as a payment spec
**
** S is a spec id (looked up in the spec directory), an XML spec file or a
** compiled image.  The spec directory is --spec-dir, else $DRG_SPEC_DIR, else
** grouper-specs/ next to the executable's parent directory, else the source
** tree's grouper-specs/.  P is a payment spec id (grouper-specs/payment/P.xml)
** or an XML file; with --pay, --spec defaults to the grouping spec P names.  Exit status: 0 success, 1 usage or spec errors,
** 2 input/output errors, 3 some records could not be read (their rows say why).
*/
#include <errno.h>
#include <fcntl.h>
#include <dirent.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "calibrate.h"
#include "caseio.h"
#include "dump.h"
#include "drg/drg.h"
#include "fixed.h"

#ifndef DRG_SOURCE_SPEC_DIR
#define DRG_SOURCE_SPEC_DIR "grouper-specs"
#endif

typedef struct opts {
	const char *spec, *spec_dir, *in, *out, *id, *threads, *pay, *summary, *budget;
	const char *base_rate, *trim, *years, *min_cases;
	const char *dx_map, *px_map, *unmapped;
	int payment;
	int quiet;
} opts;

static void usage(FILE *f)
{
	fputs("usage: drg specs [--spec-dir DIR]\n"
	      "       drg compile --spec ID|FILE.xml -o IMAGE [--spec-dir DIR] [--quiet]\n"
	      "       drg group --spec ID|FILE.xml|IMAGE [--in CASES.csv] [--out RESULTS.csv] [--threads N]\n"
	      "           [--pay PAY-ID|PAY.xml [--summary SUMMARY.csv] [--budget YUAN]]\n"
	      "           [--dx-map DX.tsv] [--px-map PX.tsv] [--unmapped invalid|keep]\n"
	      "       drg explain --spec ID|FILE.xml|IMAGE [--in CASES.csv] [--id CASE-ID] [--pay PAY-ID]\n"
	      "           [--dx-map DX.tsv] [--px-map PX.tsv] [--unmapped invalid|keep]\n"
	      "       drg dump --spec ID|FILE.xml|IMAGE [--out LISTING]\n"
	      "       drg calibrate --spec ID --in HISTORY.csv [--out PAY.xml] [--id PAY-ID]\n"
	      "           [--base-rate YUAN] [--trim mult:LO:HI|pct:LO:HI] [--years Y:W,...] [--min-cases N]\n"
	      "       drg --version\n", f);
}

/* Parses --name value options after the command word. 0, or -1 (reported). */
static int parse_opts(int argc, char **argv, opts *o)
{
	for (int i = 2; i < argc; i++) {
		const char *a = argv[i];
		const char **dst = !strcmp(a, "--spec") ? &o->spec
			: !strcmp(a, "--spec-dir") ? &o->spec_dir
			: !strcmp(a, "--in") ? &o->in
			: (!strcmp(a, "--out") || !strcmp(a, "-o")) ? &o->out
			: !strcmp(a, "--id") ? &o->id
			: !strcmp(a, "--threads") ? &o->threads
			: !strcmp(a, "--pay") ? &o->pay
			: !strcmp(a, "--summary") ? &o->summary
			: !strcmp(a, "--budget") ? &o->budget
			: !strcmp(a, "--base-rate") ? &o->base_rate
			: !strcmp(a, "--trim") ? &o->trim
			: !strcmp(a, "--years") ? &o->years
			: !strcmp(a, "--min-cases") ? &o->min_cases
			: !strcmp(a, "--dx-map") ? &o->dx_map
			: !strcmp(a, "--px-map") ? &o->px_map
			: !strcmp(a, "--unmapped") ? &o->unmapped : NULL;
		if (!strcmp(a, "--quiet") || !strcmp(a, "--payment")) {
			*(a[2] == 'q' ? &o->quiet : &o->payment) = 1;
			continue;
		}
		if (!dst || i + 1 == argc) {
			fprintf(stderr, "drg: %s '%s'\n", dst ? "missing value after" : "unknown option", a);
			return -1;
		}
		*dst = argv[++i];
	}
	return 0;
}

/* The spec directory (see the file comment); written into buf. */
static const char *spec_dir(const opts *o, char *buf, size_t size)
{
	if (o->spec_dir)
		return o->spec_dir;
	const char *env = getenv("DRG_SPEC_DIR");
	if (env && *env)
		return env;
	char exe[PATH_MAX];
	ssize_t n = readlink("/proc/self/exe", exe, sizeof(exe) - 1);
	if (n > 0) {
		exe[n] = '\0';
		char *slash = strrchr(exe, '/');
		if (slash)
			*slash = '\0';
		const char *tries[] = {"/../grouper-specs", "/../share/drg/grouper-specs"};
		for (int i = 0; i < 2; i++) {
			if ((size_t)snprintf(buf, size, "%.*s%s", (int)(size - 64), exe, tries[i]) < size &&
			    access(buf, R_OK) == 0)
				return buf;
		}
	}
	return DRG_SOURCE_SPEC_DIR;
}

/* Prints one compiler diagnostic to stderr (warnings unless quiet). */
static void print_diag(const drg_diag *d, void *payload)
{
	const opts *o = payload;
	char line[2048];
	if (d->severity == DRG_DIAG_WARNING && o->quiet)
		return;
	drg_diag_format(line, sizeof(line), d);
	fprintf(stderr, "%s\n", line);
}

static int has_suffix(const char *s, const char *suf)
{
	size_t a = strlen(s), b = strlen(suf);
	return a >= b && strcmp(s + a - b, suf) == 0;
}

/* Opens the spec named by o->spec: an image file, an XML file or an id. */
static int open_spec(drg_spec **out, opts *o)
{
	char dirbuf[PATH_MAX], path[PATH_MAX];
	if (!o->spec) {
		fprintf(stderr, "drg: --spec is required (try 'drg specs')\n");
		return 1;
	}
	if (!has_suffix(o->spec, ".xml") && access(o->spec, R_OK) == 0) {
		int rc = drg_spec_load(out, o->spec);
		if (rc != DRG_OK)
			fprintf(stderr, "drg: %s: %s\n", o->spec, drg_strerror(rc));
		return rc == DRG_OK ? 0 : 1;
	}
	if (has_suffix(o->spec, ".xml"))
		snprintf(path, sizeof(path), "%s", o->spec);
	else
		snprintf(path, sizeof(path), "%s/%s.xml", spec_dir(o, dirbuf, sizeof(dirbuf)), o->spec);
	if (access(path, R_OK) != 0) {
		fprintf(stderr, "drg: no spec '%s' (%s: %s); try 'drg specs'\n", o->spec, path,
			strerror(errno));
		return 1;
	}
	int quiet = o->quiet;
	o->quiet = 1;   /* grouping: errors only; `drg compile` shows warnings */
	int rc = drg_spec_compile(out, path, print_diag, o);
	o->quiet = quiet;
	if (rc != DRG_OK)
		fprintf(stderr, "drg: %s: %s\n", path, drg_strerror(rc));
	return rc == DRG_OK ? 0 : 1;
}

/* The file of payment spec o->pay (an XML file or an id in payment/). */
static void pay_path(const opts *o, char *path, size_t size)
{
	char dirbuf[PATH_MAX];
	if (has_suffix(o->pay, ".xml"))
		snprintf(path, size, "%s", o->pay);
	else
		snprintf(path, size, "%s/payment/%s.xml", spec_dir(o, dirbuf, sizeof(dirbuf)), o->pay);
}

/* With --pay and no --spec: the grouping spec the payment spec names. */
static int default_spec(opts *o, char *buf, size_t size)
{
	char path[PATH_MAX];
	if (!o->pay || o->spec)
		return 0;
	pay_path(o, path, sizeof(path));
	if (drg_pay_grouping(buf, size, path, print_diag, o) != DRG_OK) {
		fprintf(stderr, "drg: %s: cannot read the payment spec\n", path);
		return 1;
	}
	o->spec = buf;
	return 0;
}

/* Compiles payment spec o->pay against spec. */
static int open_pay(drg_pay **out, opts *o, const drg_spec *spec)
{
	char path[PATH_MAX];
	pay_path(o, path, sizeof(path));
	if (access(path, R_OK) != 0) {
		fprintf(stderr, "drg: no payment spec '%s' (%s: %s)\n", o->pay, path, strerror(errno));
		return 1;
	}
	int quiet = o->quiet;
	o->quiet = 1;
	int rc = drg_pay_compile(out, path, spec, print_diag, o);
	o->quiet = quiet;
	if (rc != DRG_OK)
		fprintf(stderr, "drg: %s: %s\n", path, drg_strerror(rc));
	return rc == DRG_OK ? 0 : 1;
}

/* Loads the crosswalk of --dx-map / --px-map (none: *out stays NULL). */
static int open_xwalk(drg_xwalk **out, opts *o, const drg_spec *spec)
{
	*out = NULL;
	if (!o->dx_map && !o->px_map)
		return 0;
	int rc = drg_xwalk_load(out, spec, o->dx_map, o->px_map,
				o->unmapped && !strcmp(o->unmapped, "keep") ? DRG_XWALK_KEEP_UNMAPPED : 0,
				print_diag, o);
	if (rc != DRG_OK)
		fprintf(stderr, "drg: crosswalk: %s\n", drg_strerror(rc));
	return rc == DRG_OK ? 0 : 1;
}

static int cmp_names(const void *a, const void *b)
{
	return strcmp(*(char *const *)a, *(char *const *)b);
}

static int cmd_specs(opts *o)
{
	char dirbuf[PATH_MAX], pdir[PATH_MAX];
	const char *dir = spec_dir(o, dirbuf, sizeof(dirbuf));
	if (o->payment)
		snprintf(pdir, sizeof(pdir), "%s/payment", dir), dir = pdir;
	DIR *d = opendir(dir);
	char *names[512];
	size_t n = 0;
	struct dirent *e;
	if (!d) {
		fprintf(stderr, "drg: cannot open spec directory %s: %s\n", dir, strerror(errno));
		return 2;
	}
	while ((e = readdir(d)) != NULL && n < 512)
		if (has_suffix(e->d_name, ".xml") && e->d_name[0] != '.')
			names[n++] = strndup(e->d_name, strlen(e->d_name) - 4);
	closedir(d);
	qsort(names, n, sizeof(*names), cmp_names);
	for (size_t i = 0; i < n; i++) {
		printf("%s\n", names[i]);
		free(names[i]);
	}
	return 0;
}

static int cmd_compile(opts *o)
{
	char dirbuf[PATH_MAX], path[PATH_MAX];
	drg_spec *spec = NULL;
	if (!o->spec || !o->out) {
		fprintf(stderr, "drg compile: --spec and -o are required\n");
		return 1;
	}
	if (has_suffix(o->spec, ".xml"))
		snprintf(path, sizeof(path), "%s", o->spec);
	else
		snprintf(path, sizeof(path), "%s/%s.xml", spec_dir(o, dirbuf, sizeof(dirbuf)), o->spec);
	int rc = drg_spec_compile(&spec, path, print_diag, o);
	if (rc != DRG_OK) {
		fprintf(stderr, "drg: %s: %s\n", path, drg_strerror(rc));
		return 1;
	}
	rc = drg_spec_save(spec, o->out);
	if (rc == DRG_OK && !o->quiet)
		fprintf(stderr, "drg: compiled %s (%s) to %s: %zu bytes, sha256 %s\n",
			drg_spec_id(spec), path, o->out, drg_spec_image_size(spec), drg_spec_hash(spec));
	else if (rc != DRG_OK)
		fprintf(stderr, "drg: %s: %s\n", o->out, drg_strerror(rc));
	drg_spec_free(spec);
	return rc == DRG_OK ? 0 : 2;
}

/* Opens --in / --out (or stdin / stdout). */
static int open_io(const opts *o, int *in, FILE **out)
{
	*in = o->in && strcmp(o->in, "-") ? open(o->in, O_RDONLY) : 0;
	if (*in < 0) {
		fprintf(stderr, "drg: %s: %s\n", o->in, strerror(errno));
		return 2;
	}
	*out = o->out && strcmp(o->out, "-") ? fopen(o->out, "wb") : stdout;
	if (!*out) {
		fprintf(stderr, "drg: %s: %s\n", o->out, strerror(errno));
		if (*in != 0)
			close(*in);
		return 2;
	}
	return 0;
}

/* --threads N (1..64), default the number of online cores.  0, or -1. */
static int thread_count(const opts *o, int *n)
{
	if (!o->threads) {
		long cores = sysconf(_SC_NPROCESSORS_ONLN);
		*n = cores < 1 ? 1 : cores > 64 ? 64 : (int)cores;
		return 0;
	}
	char *end;
	long v = strtol(o->threads, &end, 10);
	if (*end || v < 1 || v > 64) {
		fprintf(stderr, "drg: --threads wants a number from 1 to 64, not '%s'\n", o->threads);
		return -1;
	}
	*n = (int)v;
	return 0;
}

/* A positive amount in yuan (at most 2 decimals) as fen.  0, or -1. */
static int parse_yuan(const char *s, int64_t *fen)
{
	return fixed_parse((drg_text){s, strlen(s)}, 2, fen) == 0 && *fen > 0 ? 0 : -1;
}

/* --budget YUAN as fen (DRG_NONE when absent).  0, or -1 (reported). */
static int budget_fen(const opts *o, int64_t *out)
{
	*out = DRG_NONE;
	if (o->budget && parse_yuan(o->budget, out) < 0) {
		fprintf(stderr, "drg: --budget wants an amount in yuan, not '%s'\n", o->budget);
		return -1;
	}
	return 0;
}

/* Checks the option combinations of group/explain.  0, or 1 (reported). */
static int check_run_opts(const opts *o, int explain, caseio_opts *co, int64_t *budget)
{
	if (!explain && thread_count(o, &co->threads) < 0)
		return 1;
	if ((o->summary || o->budget) && (!o->pay || explain)) {
		fprintf(stderr, "drg: --summary and --budget go with 'drg group --pay'\n");
		return 1;
	}
	if (o->unmapped && ((!o->dx_map && !o->px_map) ||
			    (strcmp(o->unmapped, "keep") && strcmp(o->unmapped, "invalid")))) {
		fprintf(stderr, "drg: --unmapped is invalid or keep, and goes with --dx-map/--px-map\n");
		return 1;
	}
	return budget_fen(o, budget) < 0;
}

/* Writes the period summary to --summary. */
static int write_summary(const opts *o, const summary *sum, const drg_pay *pay, int64_t budget)
{
	FILE *f = fopen(o->summary, "w");
	int rc = !f || summary_write(f, sum, pay, budget) < 0;
	if (f && fclose(f) != 0)
		rc = 1;
	if (rc)
		fprintf(stderr, "drg: %s: %s\n", o->summary, strerror(errno));
	return rc ? 2 : 0;
}

/* Runs the batch over --in / --out. */
static int run_io(const opts *o, const drg_spec *spec, const caseio_opts *co, int explain)
{
	FILE *out;
	int in, rc = open_io(o, &in, &out);
	batch_stats st = {0};
	if (rc)
		return rc;
	const char *name = o->in && strcmp(o->in, "-") ? o->in : "<stdin>";
	rc = caseio_run(spec, in, out, name, co, &st);
	if (in != 0)
		close(in);
	if (fflush(out) != 0 || (out != stdout && fclose(out) != 0)) {
		fprintf(stderr, "drg: writing output: %s\n", strerror(errno));
		rc = 2;
	}
	if (!explain && rc != 2)
		print_stats(stderr, &st);
	return rc == 0 && st.errors ? 3 : rc;
}

static int cmd_run(opts *o, int explain)
{
	char gbuf[256];
	drg_spec *spec = NULL;
	drg_pay *pay = NULL;
	drg_xwalk *xw = NULL;
	summary *sum = NULL;
	int64_t budget;
	caseio_opts co = {.threads = 1, .explain = explain, .only_id = o->id};
	int rc = check_run_opts(o, explain, &co, &budget);
	if (rc || (rc = default_spec(o, gbuf, sizeof(gbuf))) || (rc = open_spec(&spec, o)))
		return rc;
	if ((rc = open_xwalk(&xw, o, spec)) != 0) {
		drg_spec_free(spec);
		return rc;
	}
	co.xw = xw;
	if (o->pay && (rc = open_pay(&pay, o, spec)) == 0 && o->summary &&
	    summary_new(&sum) != DRG_OK) {
		fprintf(stderr, "drg: out of memory\n");
		rc = 2;
	}
	co.pay = pay;
	co.sum = sum;
	if (rc == 0)
		rc = run_io(o, spec, &co, explain);
	if (sum && (rc == 0 || rc == 3)) {
		int wrc = write_summary(o, sum, pay, budget);
		rc = wrc ? wrc : rc;
	}
	summary_free(sum);
	drg_pay_free(pay);
	drg_xwalk_free(xw);
	drg_spec_free(spec);
	return rc;
}

/* Parses "Y:W,Y:W,..." into o's year weights.  0, or -1. */
static int parse_years(const char *s, calib_opts *c)
{
	while (*s) {
		char *end;
		long y = strtol(s, &end, 10), w;
		if (*end != ':' || c->nyears == CALIB_MAX_YEARS)
			return -1;
		w = strtol(end + 1, &end, 10);
		if (y < 1900 || y > 9999 || w < 1 || w > 1000 || (*end && *end != ','))
			return -1;
		c->year[c->nyears] = (int)y;
		c->year_weight[c->nyears++] = w;
		s = *end ? end + 1 : end;
	}
	return c->nyears ? 0 : -1;
}

/* Parses "mult:LO:HI" or "pct:LO:HI" (decimals).  0, or -1. */
static int parse_trim(const char *s, calib_opts *c)
{
	char lo[32], hi[32], kind[8];
	if (sscanf(s, "%7[a-z]:%31[0-9.]:%31[0-9.]", kind, lo, hi) != 3)
		return -1;
	c->trim = !strcmp(kind, "mult") ? 1 : !strcmp(kind, "pct") ? 2 : 0;
	if (!c->trim || fixed_parse((drg_text){lo, strlen(lo)}, 4, &c->trim_lo) < 0 ||
	    fixed_parse((drg_text){hi, strlen(hi)}, 4, &c->trim_hi) < 0 || c->trim_lo >= c->trim_hi)
		return -1;
	return c->trim == 2 && c->trim_hi > 10000 ? -1 : 0;
}

/* The calibration options from the command line.  0, or 1 (reported). */
static int calib_options(const opts *o, calib_opts *c, char *idbuf, size_t idsize)
{
	char *end;
	memset(c, 0, sizeof(*c));
	c->base_rate = DRG_NONE;
	c->min_cases = o->min_cases ? strtol(o->min_cases, &end, 10) : 1;
	snprintf(idbuf, idsize, "%s-calibrated", o->spec);
	c->id = o->id ? o->id : idbuf;
	if ((o->min_cases && (*end || c->min_cases < 1)) ||
	    (o->base_rate && parse_yuan(o->base_rate, &c->base_rate) < 0) ||
	    (o->trim && parse_trim(o->trim, c) < 0) || (o->years && parse_years(o->years, c) < 0)) {
		fprintf(stderr, "drg calibrate: bad option value (see drg --help)\n");
		return 1;
	}
	return 0;
}

static int cmd_calibrate(opts *o)
{
	char idbuf[256];
	drg_spec *spec = NULL;
	calib_opts c;
	calib_stats st;
	FILE *out;
	int in, rc;
	if (!o->spec || !o->in) {
		fprintf(stderr, "drg calibrate: --spec and --in are required\n");
		return 1;
	}
	if ((rc = calib_options(o, &c, idbuf, sizeof(idbuf))) || (rc = open_spec(&spec, o)))
		return rc;
	if ((rc = open_io(o, &in, &out)) == 0) {
		rc = calibrate_run(spec, in, o->in, &c, out, &st);
		close(in);
		if (fflush(out) != 0 || (out != stdout && fclose(out) != 0))
			rc = 2;
		fprintf(stderr, "drg: %ld records: %ld cases used in %ld weighted groups of %ld, "
			"%ld trimmed, %ld unreadable, %ld not grouped, %ld without cost, %ld in other years\n",
			st.records, st.kept, st.weighted_groups, st.groups, st.trimmed, st.unreadable,
			st.not_grouped, st.no_cost, st.other_year);
	}
	drg_spec_free(spec);
	return rc;
}

static int cmd_dump(opts *o)
{
	drg_spec *spec = NULL;
	int rc = open_spec(&spec, o);
	if (rc)
		return rc;
	FILE *out = o->out && strcmp(o->out, "-") ? fopen(o->out, "w") : stdout;
	if (!out) {
		fprintf(stderr, "drg: %s: %s\n", o->out, strerror(errno));
		drg_spec_free(spec);
		return 2;
	}
	rc = spec_dump(spec, out) != DRG_OK || fflush(out) != 0 ? 2 : 0;
	if (out != stdout && fclose(out) != 0)
		rc = 2;
	if (rc)
		fprintf(stderr, "drg: writing the listing: %s\n", strerror(errno));
	drg_spec_free(spec);
	return rc;
}

int main(int argc, char **argv)
{
	opts o = {0};
	if (argc < 2 || !strcmp(argv[1], "--help") || !strcmp(argv[1], "-h")) {
		usage(argc < 2 ? stderr : stdout);
		return argc < 2;
	}
	if (!strcmp(argv[1], "--version")) {
		printf("drg %s\n", DRG_VERSION_STRING);
		return 0;
	}
	if (parse_opts(argc, argv, &o) < 0)
		return 1;
	if (!strcmp(argv[1], "specs"))
		return cmd_specs(&o);
	if (!strcmp(argv[1], "compile"))
		return cmd_compile(&o);
	if (!strcmp(argv[1], "group"))
		return cmd_run(&o, 0);
	if (!strcmp(argv[1], "explain"))
		return cmd_run(&o, 1);
	if (!strcmp(argv[1], "dump"))
		return cmd_dump(&o);
	if (!strcmp(argv[1], "calibrate"))
		return cmd_calibrate(&o);
	fprintf(stderr, "drg: unknown command '%s'\n", argv[1]);
	usage(stderr);
	return 1;
}
