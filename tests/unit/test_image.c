/*
** test_image.c: compiled images written and mapped back group exactly like
** the compiled spec they came from, keep the id and source hash, and every
** damaged image (truncated, foreign magic, flipped bytes anywhere) is either
** rejected with DRG_EIMAGE or, where the damage is only in data, still groups
** without reading out of bounds (run under ASan in CI); every code of a large
** dictionary is found by its text, and only by it; code lists are split on
** their bars only.
*/
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "spec.h"
#include "testutil.h"

static const char *const cases[] = {
	"dx=A01", "dx=A01|M01", "dx=B01|C01;px=01.01", "sex=1;age=3;dx=A03|X01", "dx=ZZZ",
};
#define NCASES (sizeof(cases) / sizeof(cases[0]))

/* Reads a whole file into a malloc'd buffer; *n its size. */
static unsigned char *slurp(const char *path, size_t *n)
{
	FILE *f = fopen(path, "rb");
	ck_assert_ptr_nonnull(f);
	fseek(f, 0, SEEK_END);
	long len = ftell(f);
	fseek(f, 0, SEEK_SET);
	unsigned char *b = malloc((size_t)len);
	ck_assert_uint_eq(fread(b, 1, (size_t)len, f), (size_t)len);
	fclose(f);
	*n = (size_t)len;
	return b;
}

static void spit(const char *path, const unsigned char *b, size_t n)
{
	FILE *f = fopen(path, "wb");
	ck_assert_ptr_nonnull(f);
	ck_assert_uint_eq(fwrite(b, 1, n, f), n);
	fclose(f);
}

/* Saves the mini spec (with splits, so every section is used); returns its path. */
static const char *saved_image(drg_spec **spec)
{
	*spec = tu_mini("<any><main-dx in=\"A\"/><has-cc/><distinct-sites map=\"sites\" min=\"2\"/></any>", NULL);
	const char *path = tu_write("mini.img", "");
	ck_assert_int_eq(drg_spec_save(*spec, path), DRG_OK);
	return path;
}

START_TEST(round_trip)
{
	drg_spec *a, *b = NULL;
	const char *path = saved_image(&a);
	ck_assert_int_eq(drg_spec_load(&b, path), DRG_OK);
	ck_assert_str_eq(drg_spec_id(b), "mini");
	ck_assert_str_eq(drg_spec_hash(a), drg_spec_hash(b));
	ck_assert_uint_eq(drg_spec_image_size(a), drg_spec_image_size(b));
	for (size_t i = 0; i < NCASES; i++) {
		drg_result ra = tu_group(a, cases[i]), rb = tu_group(b, cases[i]);
		ck_assert_int_eq(ra.status, rb.status);
		ck_assert_str_eq(ra.drg, rb.drg);
		ck_assert_str_eq(ra.mdc, rb.mdc);
	}
	drg_spec_free(a);
	drg_spec_free(b);
}
END_TEST

START_TEST(reference_spec_round_trip)
{
	diags d;
	drg_spec *a = tu_compile(tu_src("grouper-specs/chs-drg-1.1.xml"), &d), *b = NULL;
	ck_assert_ptr_nonnull(a);
	ck_assert_int_eq(d.errors, 0);
	const char *path = tu_write("chs.img", "");
	ck_assert_int_eq(drg_spec_save(a, path), DRG_OK);
	ck_assert_int_eq(drg_spec_load(&b, path), DRG_OK);
	ck_assert_str_eq(drg_spec_hash(a), drg_spec_hash(b));
	drg_result r = tu_group(b, "sex=2;age=13;age_days=4776;los=34;discharge=2;dx=K63.205;px=79.1400x004");
	ck_assert_int_eq(r.status, DRG_STATUS_OK);
	ck_assert_str_eq(r.drg, "GZ15");   /* conformance case chs_drg_11 1-0001 */
	drg_spec_free(a);
	drg_spec_free(b);
}
END_TEST

START_TEST(not_an_image)
{
	drg_spec *s = (drg_spec *)1;
	ck_assert_int_eq(drg_spec_load(&s, tu_write("empty.img", "")), DRG_EIMAGE);
	ck_assert_ptr_null(s);
	ck_assert_int_eq(drg_spec_load(&s, tu_write("text.img", "<drg-spec/>\n")), DRG_EIMAGE);
	ck_assert_int_eq(drg_spec_load(&s, "/nonexistent/x.img"), DRG_EIO);
}
END_TEST

/* The code tables' hash is part of the image format: its 128-bit product
** gives the same value from 32-bit halves (the path of compilers without a
** 128-bit type), on edge values and on a random sample. */
START_TEST(hash_product_portable)
{
	static const uint64_t edge[] = {0, 1, 0xffffffffull, 0x100000000ull, ~0ull,
					0x8000000000000000ull, 0xff51afd7ed558ccdull};
	uint64_t x = 0x243f6a8885a308d3ull;
	int same = 1;
	for (size_t i = 0; i < sizeof(edge) / sizeof(*edge); i++)
		for (size_t j = 0; j < sizeof(edge) / sizeof(*edge); j++)
			same &= drg_mum(edge[i], edge[j]) == drg_mum_halves(edge[i], edge[j]);
	for (int i = 0; i < 100000; i++) {
		uint64_t a = x = x * 6364136223846793005ull + 1442695040888963407ull;
		uint64_t b = x = x * 6364136223846793005ull + 1442695040888963407ull;
		same &= drg_mum(a, b) == drg_mum_halves(a, b);
	}
	ck_assert(same);
}
END_TEST

/* An image of another format version (an older engine's, say) is told
** apart from a corrupt one, so that the user knows to compile it again. */
START_TEST(other_format)
{
	drg_spec *a, *b = (drg_spec *)1;
	size_t n;
	const char *path = saved_image(&a);
	unsigned char *bytes = slurp(path, &n);
	uint32_t format = IMG_FORMAT - 1;
	memcpy(bytes + offsetof(img_header, format), &format, sizeof(format));
	const char *old = tu_write("old.img", "");
	spit(old, bytes, n);
	ck_assert_int_eq(drg_spec_load(&b, old), DRG_EFORMAT);
	ck_assert_ptr_null(b);
	ck_assert_ptr_nonnull(strstr(drg_strerror(DRG_EFORMAT), "compile the spec again"));
	free(bytes);
	drg_spec_free(a);
}
END_TEST

START_TEST(truncated)
{
	drg_spec *a, *b;
	size_t n;
	const char *path = saved_image(&a);
	unsigned char *bytes = slurp(path, &n);
	const char *cut = tu_write("cut.img", "");
	for (size_t len = 0; len < n; len += (len < 256 ? 1 : 97)) {
		spit(cut, bytes, len);
		ck_assert_int_eq(drg_spec_load(&b, cut), DRG_EIMAGE);
	}
	free(bytes);
	drg_spec_free(a);
}
END_TEST

/* Loads a damaged image; if it is accepted, groups every case (must not crash). */
static void try_damaged(const char *path)
{
	drg_spec *b = NULL;
	int rc = drg_spec_load(&b, path);
	ck_assert(rc == DRG_OK || rc == DRG_EIMAGE || rc == DRG_EFORMAT);
	if (rc != DRG_OK)
		return;
	for (size_t i = 0; i < NCASES; i++)
		(void)tu_group(b, cases[i]);
	drg_spec_free(b);
}

START_TEST(flipped_bytes)
{
	drg_spec *a;
	size_t n;
	const char *path = saved_image(&a);
	unsigned char *bytes = slurp(path, &n);
	const char *bad = tu_write("bad.img", "");
	unsigned seed = 12345;
	for (size_t i = 0; i < n; i += (i < 512 ? 1 : 1 + (seed = seed * 1103515245u + 12345u) % 61)) {
		unsigned char keep = bytes[i];
		bytes[i] ^= (unsigned char)(1u << (i % 8));
		spit(bad, bytes, n);
		try_damaged(bad);
		bytes[i] = keep;
	}
	free(bytes);
	drg_spec_free(a);
}
END_TEST

/* Looks text[0..n) up in hash sec and checks the answer: the id whose code is
** exactly that text, or IMG_NONE when no code is. */
static void lookup_is_exact(const img *im, enum img_sec sec, const uint32_t *codes, const char *text,
			    size_t n)
{
	uint32_t id = img_lookup(im, sec, text, n);
	if (id != IMG_NONE) {
		const char *got = im->str + codes[id];
		ck_assert_msg(strlen(got) == n && memcmp(got, text, n) == 0, "%.*s found as %s",
			      (int)n, text, got);
	}
}

/* CHS-DRG 2.0 compiled from the repository's spec (its dictionaries hold
** codes of 1 to 20-odd bytes); fails the test if it does not compile. */
static drg_spec *chs20(void)
{
	diags d;
	drg_spec *spec = tu_compile(tu_src("grouper-specs/chs-drg-2.0.xml"), &d);
	ck_assert_msg(spec != NULL, "%s", d.text);
	return spec;
}

/* The code table of one kind in an image: its hash table, its code
** section and the string offsets of its codes. */
typedef struct code_table {
	enum img_sec hash, code;
	const uint32_t *text;
} code_table;

/* Fills k[0] (diagnoses) and k[1] (procedures) for the image of spec;
** returns that image. */
static const img *code_tables(const drg_spec *spec, code_table k[2])
{
	const img *im = &spec->im;
	k[0] = (code_table){SEC_DX_HASH, SEC_DX_CODE, im->dx_code};
	k[1] = (code_table){SEC_PX_HASH, SEC_PX_CODE, im->px_code};
	return im;
}

/* Every code of the CHS-DRG 2.0 dictionaries (1 to 20-odd bytes) is found by
** its text, and every prefix of it, the text with one byte more and the
** text with its last byte changed find exactly the code with that text, if
** any: the slot keys are compared right
** for every length (inline in the slot up to 11 bytes, the tail beyond). */
START_TEST(every_code_found_by_its_text)
{
	drg_spec *spec = chs20();
	code_table kinds[2];
	const img *im = code_tables(spec, kinds);
	size_t longest = 0;
	for (int k = 0; k < 2; k++)
		for (uint32_t id = 0; id < IMG_COUNT(im, kinds[k].code); id++) {
			char buf[64];
			const char *code = im->str + kinds[k].text[id];
			size_t n = strlen(code);
			ck_assert_uint_lt(n, sizeof(buf) - 1);
			longest = n > longest ? n : longest;
			ck_assert_uint_eq(img_lookup(im, kinds[k].hash, code, n), id);
			for (size_t len = 0; len < n; len++)
				lookup_is_exact(im, kinds[k].hash, kinds[k].text, code, len);
			memcpy(buf, code, n);
			buf[n] = 'Z';
			lookup_is_exact(im, kinds[k].hash, kinds[k].text, buf, n + 1);
			buf[n - 1] ^= 1;   /* the same length, the last byte different */
			lookup_is_exact(im, kinds[k].hash, kinds[k].text, buf, n);
		}
	ck_assert_uint_gt(longest, IMG_SLOT_KEY);   /* the tail compare was exercised */
	drg_spec_free(spec);
}
END_TEST

/* A text that starts like a long code in its slot key (IMG_SLOT_KEY bytes),
** has its length and hashes to its slot, but differs in the tail, is not
** that code: the tail is compared, not just the key.  The text is found by
** trying tails until one hashes to the code's slot. */
START_TEST(long_codes_compared_whole)
{
	drg_spec *spec = chs20();
	code_table kinds[2];
	const img *im = code_tables(spec, kinds);
	int tested = 0;
	for (int k = 0; k < 2; k++) {
		const char *c = "";
		for (uint32_t id = 0; id < IMG_COUNT(im, kinds[k].code); id++)
			if (strlen(im->str + kinds[k].text[id]) > strlen(c))
				c = im->str + kinds[k].text[id];
		size_t n = strlen(c);
		uint32_t mask = IMG_COUNT(im, kinds[k].hash) - 1, tries = 0;
		if (n < IMG_SLOT_KEY + 4)   /* 2^24 tails, for a table of < 2^20 slots */
			continue;
		ck_assert_uint_lt(n, 64);
		tested++;
		char t[64];
		memcpy(t, c, n);
		do {
			ck_assert_uint_lt(++tries, 1u << 24);
			for (size_t i = IMG_SLOT_KEY; i < IMG_SLOT_KEY + 4; i++)
				t[i] = (char)('0' + (tries >> (6 * (i - IMG_SLOT_KEY)) & 63));
		} while ((drg_hash(t, n) & mask) != (drg_hash(c, n) & mask) || !memcmp(t, c, n));
		lookup_is_exact(im, kinds[k].hash, kinds[k].text, t, n);
	}
	ck_assert_int_gt(tested, 0);
	drg_spec_free(spec);
}
END_TEST

/* Code lists are split on every '|' and nowhere else, whatever the lengths
** of the list and its parts (the splitter reads 16 bytes at a time): random
** lists of real codes, unknown texts and empty parts, each in a buffer of
** bars so that a read past either end of the list would find one. */
START_TEST(code_lists_split_on_bars)
{
	drg_spec *spec = chs20();
	const img *im = &spec->im;
	drg_scratch *s = NULL;
	ck_assert_int_eq(drg_scratch_new(&s, spec), DRG_OK);
	srand(7);
	for (int round = 0; round < 20000; round++) {
		char buf[1024], *list = buf + 32 + rand() % 16;
		size_t len = 0, nparts = 1 + (size_t)(rand() % 12);
		memset(buf, '|', sizeof(buf));
		for (size_t i = 0; i < nparts; i++) {
			int kind = rand() % 4;
			const char *code = kind == 0 ? "" : kind == 1 ? "NOT.A.CODE.AT.ALL"
				: im->str + im->dx_code[(uint32_t)rand() % IMG_COUNT(im, SEC_DX_CODE)];
			size_t n = strlen(code);
			memcpy(list + len, code, n);
			len += n;
			if (i + 1 < nparts)
				list[len++] = '|';
		}
		drg_case *c = drg_scratch_case(s);
		ck_assert_int_eq(drg_case_set_dx(c, (drg_text){list, len}), DRG_OK);
		size_t want = len ? nparts : (im->h->flags & IMG_F_EMPTY_DX_IS_CODE) != 0;
		ck_assert_uint_eq(c->ndx, want);
		const char *p = list;
		for (uint32_t i = 0; i < c->ndx && len; i++) {
			const char *bar = memchr(p, '|', (size_t)(list + len - p));
			size_t n = bar ? (size_t)(bar - p) : (size_t)(list + len - p);
			ck_assert_ptr_eq(c->dx_text[i].ptr, p);
			ck_assert_uint_eq(c->dx_text[i].len, n);
			ck_assert_uint_eq(c->dx[i], n ? img_lookup(im, SEC_DX_HASH, p, n) : IMG_NONE);
			p += n + 1;
		}
	}
	drg_scratch_free(s);
	drg_spec_free(spec);
}
END_TEST

static Suite *suite(void)
{
	Suite *s = suite_create("image");
	TCase *t = tcase_create("image");
	tcase_set_timeout(t, 120);
	tcase_add_test(t, round_trip);
	tcase_add_test(t, reference_spec_round_trip);
	tcase_add_test(t, not_an_image);
	tcase_add_test(t, truncated);
	tcase_add_test(t, flipped_bytes);
	tcase_add_test(t, every_code_found_by_its_text);
	tcase_add_test(t, long_codes_compared_whole);
	tcase_add_test(t, other_format);
	tcase_add_test(t, hash_product_portable);
	tcase_add_test(t, code_lists_split_on_bars);
	suite_add_tcase(s, t);
	return s;
}

TU_MAIN(suite)
