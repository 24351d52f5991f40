/*
** spec.c: the drg_spec object: compiling (model -> sections -> one block),
** saving, loading by mmap, and the per-thread scratch.
**
** Layout: the header, then each section at the next 8-byte boundary, in
** enum img_sec order.  The block is validated by img_open() both after
** compiling and after loading, so a spec in memory has always passed it.
*/
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/stat.h>
#include <unistd.h>

#include "alloc.h"
#include "sha256.h"
#include "spec.h"
#include "xwalk.h"

const char *drg_strerror(int err)
{
	switch (err) {
	case DRG_OK: return "success";
	case DRG_ENOMEM: return "out of memory";
	case DRG_EINVAL: return "invalid argument";
	case DRG_ESPEC: return "the spec has errors";
	case DRG_EIO: return "input/output error";
	case DRG_EIMAGE: return "not a valid compiled spec image";
	case DRG_ERANGE: return "too many codes";
	case DRG_EFORMAT: return "an image of another format version (compile the spec again)";
	default: return "unknown error";
	}
}

/* Fills the hex form of the image's source hash. */
static void set_hash_hex(drg_spec *s)
{
	sha256_hex(s->hash_hex, s->im.h->hash);
}

void hash_sources(const ptrvec *files, uint8_t out[32])
{
	sha256_ctx h;
	sha256_init(&h);
	for (size_t i = 0; i < files->n; i++) {
		const srcfile *f = files->v[i];
		sha256_update(&h, f->bytes, f->size);
	}
	sha256_final(&h, out);
}

/* Lays out header and sections in one block; NULL on out of memory. */
static unsigned char *layout(compiler *c, img_header *h, size_t *size)
{
	size_t off = (sizeof(*h) + 7) & ~(size_t)7;
	for (int s = 0; s < SEC_COUNT; s++) {
		h->sec[s].off = (uint32_t)off;
		h->sec[s].count = (uint32_t)(c->sec[s].n / img_sec_elem[s]);
		off = (off + c->sec[s].n + 7) & ~(size_t)7;
	}
	if (off > UINT32_MAX)
		return NULL;
	unsigned char *p = drg_calloc(1, off);
	if (!p)
		return NULL;
	memcpy(h->magic, IMG_MAGIC, 8);
	h->format = IMG_FORMAT;
	h->endian = IMG_ENDIAN;
	h->size = (uint32_t)off;
	memcpy(p, h, sizeof(*h));
	for (int s = 0; s < SEC_COUNT; s++)
		if (c->sec[s].n)
			memcpy(p + h->sec[s].off, c->sec[s].p, c->sec[s].n);
	*size = off;
	return p;
}

static void compiler_free(compiler *c)
{
	codes_free(c);
	for (int s = 0; s < SEC_COUNT; s++)
		drg_free(c->sec[s].p);
	strmap_free(&c->strs);
	strmap_free(&c->symsets);
	strmap_free(&c->maps);
	strmap_free(&c->syms);
	strmap_free(&c->results);
	strmap_free(&c->names);
}

/* Wraps a validated block into a drg_spec. */
static int adopt(drg_spec **out, void *block, size_t size, size_t mapped)
{
	const char *why = NULL;
	drg_spec *s = drg_calloc(1, sizeof(*s));
	if (!s)
		return DRG_ENOMEM;
	int rc = img_open(&s->im, block, size, &why);
	if (rc != DRG_OK) {
		drg_free(s);
		return rc;
	}
	case_plan(s);
	if (exec_plan(s) != DRG_OK) {
		drg_spec_free(s);   /* owns neither block nor mapping yet */
		return DRG_ENOMEM;
	}
	s->owned = mapped ? NULL : block;
	s->mapped = mapped;
	set_hash_hex(s);
	*out = s;
	return DRG_OK;
}

int drg_spec_compile(drg_spec **out, const char *path, drg_diag_fn fn, void *payload)
{
	spec_model m;
	compiler c;
	diag_sink d = {fn, payload, 0, 0};
	img_header h;
	int rc = DRG_ESPEC;
	if (!out || !path)
		return DRG_EINVAL;
	*out = NULL;
	memset(&c, 0, sizeof(c));
	memset(&h, 0, sizeof(h));
	spec_model_init(&m);
	c.m = &m;
	c.d = &d;
	if (spec_xml_load(&m, path, &d) == 0 && compile_model(&c, &h) == 0) {
		size_t size = 0;
		hash_sources(&m.files, h.hash);
		unsigned char *block = layout(&c, &h, &size);
		rc = block ? adopt(out, block, size, 0) : DRG_ENOMEM;
		if (rc != DRG_OK) {
			drg_free(block);
			diag_at(&d, DRG_DIAG_ERROR, path, 0, 0, "internal error: %s", drg_strerror(rc));
		}
	} else if (c.oom) {
		rc = DRG_ENOMEM;
	}
	compiler_free(&c);
	spec_model_free(&m);
	return rc;
}

int drg_spec_load(drg_spec **out, const char *path)
{
	struct stat st;
	if (!out || !path)
		return DRG_EINVAL;
	*out = NULL;
	int fd = open(path, O_RDONLY | O_CLOEXEC);
	if (fd < 0)
		return DRG_EIO;
	if (fstat(fd, &st) != 0 || st.st_size < (off_t)sizeof(img_header)) {
		close(fd);
		return st.st_size < (off_t)sizeof(img_header) ? DRG_EIMAGE : DRG_EIO;
	}
	void *p = mmap(NULL, (size_t)st.st_size, PROT_READ, MAP_PRIVATE, fd, 0);
	close(fd);
	if (p == MAP_FAILED)
		return DRG_EIO;
	int rc = adopt(out, p, (size_t)st.st_size, (size_t)st.st_size);
	if (rc != DRG_OK)
		munmap(p, (size_t)st.st_size);
	return rc;
}

int drg_spec_save(const drg_spec *spec, const char *path)
{
	char tmp[4096];
	if (!spec || !path || snprintf(tmp, sizeof(tmp), "%s.tmp.%ld", path, (long)getpid()) >=
				      (int)sizeof(tmp))
		return DRG_EINVAL;
	FILE *f = fopen(tmp, "wb");
	if (!f)
		return DRG_EIO;
	size_t n = fwrite(spec->im.base, 1, spec->im.size, f);
	if (fclose(f) != 0 || n != spec->im.size || rename(tmp, path) != 0) {
		remove(tmp);
		return DRG_EIO;
	}
	return DRG_OK;
}

void drg_spec_free(drg_spec *spec)
{
	if (!spec)
		return;
	if (spec->mapped)
		munmap((void *)spec->im.base, spec->mapped);
	drg_free(spec->owned);
	drg_free(spec->guard_bit);
	drg_free(spec->sec_start[0]);
	drg_free(spec->sec_start[1]);
	drg_free(spec);
}

const char *drg_spec_id(const drg_spec *spec) { return spec->im.str + spec->im.h->spec_id; }

const char *drg_spec_hash(const drg_spec *spec) { return spec->hash_hex; }

size_t drg_spec_image_size(const drg_spec *spec) { return spec->im.size; }

int drg_scratch_new(drg_scratch **out, const drg_spec *spec)
{
	if (!out || !spec)
		return DRG_EINVAL;
	*out = NULL;
	drg_scratch *s = drg_calloc(1, sizeof(*s));
	if (!s)
		return DRG_ENOMEM;
	s->spec = spec;
	s->last_result = IMG_NONE;
	s->bits = drg_calloc((size_t)ROLE_COUNT * spec->nwords + 1, sizeof(*s->bits));
	if (!s->bits) {
		drg_free(s);
		return DRG_ENOMEM;
	}
	s->bits[(size_t)ROLE_COUNT * spec->nwords] = ~0ull;   /* the bit of "no guard" */
	*out = s;
	return DRG_OK;
}

void drg_scratch_free(drg_scratch *s)
{
	if (s)
		drg_free(s->bits);
	drg_free(s);
}

drg_case *drg_scratch_case(drg_scratch *s)
{
	drg_case *c = &s->c;
	c->spec = s->spec;
	c->xw = s->xw;
	c->ndx = c->npx = 0;
	c->nunmapped[0] = c->nunmapped[1] = c->ndropped[0] = c->ndropped[1] = 0;
	c->present = c->malformed = 0;
	c->too_many = 0;
	memset(c->text, 0, sizeof(c->text));
	return c;
}

int drg_scratch_set_xwalk(drg_scratch *s, const drg_xwalk *x)
{
	if (!s || (x && x->spec != s->spec))
		return DRG_EINVAL;
	s->xw = x;
	return DRG_OK;
}
