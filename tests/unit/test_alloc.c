/*
** test_alloc.c: out-of-memory paths.  The engine is built with
** DRG_ALLOC_TESTING for the tests, so drg_alloc_fail_after(n) makes the
** (n+1)th allocation fail.  Compiling a spec, saving and loading an image and
** making a scratch are run with a failure injected at every allocation in
** turn: each must return DRG_ENOMEM (or, for the compiler, report the failure
** as a spec error) and leak nothing (LeakSanitizer in the sanitizer build),
** and the run after must succeed.
*/
#include <stdio.h>

#include "alloc.h"
#include "testutil.h"

static void quiet(const drg_diag *d, void *payload)
{
	(void)d;
	(*(int *)payload)++;
}

/* Calls attempt(ctx) with allocation n failing, n = 0, 1, ... until it
** succeeds; every failure must be DRG_ENOMEM or DRG_ESPEC (an "out of
** memory" diagnostic) and leave nothing behind (ASan in CI).  Returns the
** number of failures survived. */
static long survive_oom(int (*attempt)(void *ctx), void *ctx)
{
	long n;
	for (n = 0; n < 100000; n++) {
		drg_alloc_fail_after(n);
		int rc = attempt(ctx);
		drg_alloc_fail_after(-1);
		if (rc == DRG_OK)
			break;
		ck_assert_msg(rc == DRG_ENOMEM || rc == DRG_ESPEC, "n=%ld rc=%d", n, rc);
	}
	return n;
}

static int compile_once(void *path)
{
	drg_spec *spec = NULL;
	int seen = 0, rc = drg_spec_compile(&spec, path, quiet, &seen);
	ck_assert(rc == DRG_OK ? spec != NULL : spec == NULL);
	drg_spec_free(spec);
	return rc;
}

START_TEST(compile_fails_cleanly)
{
	const char *path = tu_write("oom.xml", tu_mini_text("<any><main-dx in=\"A\"/><has-cc/></any>", NULL));
	/* the compile did allocate, and every failure was survived */
	ck_assert_int_gt(survive_oom(compile_once, (void *)path), 10);
}
END_TEST

START_TEST(scratch_and_load_fail_cleanly)
{
	drg_spec *spec = tu_mini("<true/>", NULL), *loaded = NULL;
	const char *img = tu_write("oom.img", "");
	ck_assert_int_eq(drg_spec_save(spec, img), DRG_OK);
	drg_scratch *s = NULL;
	drg_alloc_fail_after(0);
	ck_assert_int_eq(drg_scratch_new(&s, spec), DRG_ENOMEM);
	ck_assert_ptr_null(s);
	for (long n = 0;; n++) {
		drg_alloc_fail_after(n);
		int rc = drg_spec_load(&loaded, img);
		drg_alloc_fail_after(-1);
		if (rc == DRG_OK)
			break;
		ck_assert_int_eq(rc, DRG_ENOMEM);
	}
	drg_spec_free(loaded);
	drg_spec_free(spec);
}
END_TEST

struct load_try {
	const drg_spec *spec;
	const char *path;
};

static int pay_once(void *ctx)
{
	struct load_try *t = ctx;
	drg_pay *pay = NULL;
	int seen = 0, rc = drg_pay_compile(&pay, t->path, t->spec, quiet, &seen);
	ck_assert(rc == DRG_OK ? pay != NULL : pay == NULL);
	drg_pay_free(pay);
	return rc;
}

static int xwalk_once(void *ctx)
{
	struct load_try *t = ctx;
	drg_xwalk *x = NULL;
	int seen = 0, rc = drg_xwalk_load(&x, t->spec, t->path, t->path, 0, quiet, &seen);
	ck_assert(rc == DRG_OK ? x != NULL : x == NULL);
	drg_xwalk_free(x);
	return rc;
}

START_TEST(xwalk_load_fails_cleanly)
{
	drg_spec *spec = tu_mini("<true/>", NULL);
	struct load_try t = {spec, tu_write("oom.tsv", "from\tto\nK01\tA01\n01.09\t01.01\n")};
	ck_assert_int_gt(survive_oom(xwalk_once, &t), 3);
	drg_spec_free(spec);
}
END_TEST

START_TEST(pay_compile_fails_cleanly)
{
	drg_spec *spec = tu_mini("<true/>", NULL);
	const char *path = tu_write("oom-pay.xml",
		"<drg-payment xmlns=\"urn:x-drg:pay:1\" id=\"p\" grouping=\"mini\">\n"
		"  <base-rate fund=\"employee\" yuan=\"100\"/><base-rate fund=\"resident\" yuan=\"90\"/>\n"
		"  <hospital-coef hospital=\"H1\" value=\"1.1\"/>\n"
		"  <high-cost><tier rw-max=\"1\" mult=\"3\"/><tier rw-above=\"1\" mult=\"2\"/></high-cost>\n"
		"  <review><trigger reason=\"long_stay\" los-ge=\"60\"/></review>\n"
		"  <groups><group drg=\"TA19\" rw=\"1.5\"/></groups>\n"
		"</drg-payment>\n");
	struct load_try t = {spec, path};
	/* few allocations: the compiled spec lives in an arena */
	ck_assert_int_gt(survive_oom(pay_once, &t), 3);
	drg_spec_free(spec);
}
END_TEST

static Suite *suite(void)
{
	Suite *s = suite_create("alloc");
	TCase *t = tcase_create("oom");
	tcase_set_timeout(t, 300);
	tcase_add_test(t, compile_fails_cleanly);
	tcase_add_test(t, xwalk_load_fails_cleanly);
	tcase_add_test(t, scratch_and_load_fail_cleanly);
	tcase_add_test(t, pay_compile_fails_cleanly);
	suite_add_tcase(s, t);
	return s;
}

TU_MAIN(suite)
