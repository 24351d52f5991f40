/*
** batch.c: the pipeline of batch.h.
**
** A ring of slots, each a chunk plus its state (FREE -> READY -> BUSY ->
** DONE -> FREE).  Three cursors walk the ring: `tail` is the next slot the
** calling thread fills with input, `next` the next READY slot a worker takes,
** `head` the oldest slot, written once DONE.  One mutex guards the states and
** cursors; workers sleep on `work`, the calling thread on `done`.  Reading and
** writing happen with the lock released; so does processing.
*/
#include "batch.h"

#include <errno.h>
#include <pthread.h>
#include <string.h>
#include <unistd.h>

#include "alloc.h"
#include "csv.h"

enum { FREE, READY, BUSY, DONE };

typedef struct slot {
	batch_chunk c;
	char *base;               /* the input buffer (c.in may start after a header) */
	size_t cap;
	int state;
} slot;

typedef struct pipeline {
	const batch_cfg *cfg;
	int fd;
	FILE *out;
	const batch_ops *ops;
	void *ctx;
	slot *ring;
	unsigned nslots, head, tail, next;
	char *carry;              /* bytes after the last complete record read so far */
	size_t ncarry, carry_cap;
	long record, line;        /* number and line of the next chunk's first record */
	int eof, err, stop;
	long stats[8];
	pthread_mutex_t mu;
	pthread_cond_t work, done;
} pipeline;

char *batch_grow(batch_chunk *c, size_t n)
{
	size_t cap = c->ocap ? c->ocap : 4096;
	while (cap < c->olen + n)
		cap *= 2;
	char *p = drg_realloc(c->out, cap);
	if (!p) {
		c->oom = 1;
		return NULL;
	}
	c->out = p, c->ocap = cap;
	return c->out + c->olen;
}

/* Makes s's buffer hold at least n bytes, keeping its contents.  0 or -1. */
static int grow(slot *s, size_t n)
{
	if (n <= s->cap)
		return 0;
	char *p = drg_realloc(s->base, n);
	if (!p)
		return -1;
	s->base = p, s->cap = n;
	return 0;
}

/* Reads until s's buffer is full or the input ends.  0, or -1 (p->err set). */
static int read_more(pipeline *p, slot *s)
{
	while (!p->eof && s->c.len < s->cap) {
		ssize_t n = read(p->fd, s->base + s->c.len, s->cap - s->c.len);
		if (n < 0 && errno == EINTR)
			continue;
		if (n < 0) {
			p->err = DRG_EIO;
			return -1;
		}
		if (n == 0)
			p->eof = 1;
		s->c.len += (size_t)n;
	}
	return 0;
}

/* Fills s with the carried bytes and more input, cut after its last complete
** record.  1 when it holds records, 0 at the end of input, -1 on errors. */
static int fill(pipeline *p, slot *s)
{
	long recs = 0, lines = 0;
	size_t cut;
	if (grow(s, p->cfg->block + p->ncarry) < 0)
		return p->err = DRG_ENOMEM, -1;
	if (p->ncarry)
		memcpy(s->base, p->carry, p->ncarry);
	s->c.len = p->ncarry;
	for (;;) {
		if (read_more(p, s) < 0)
			return -1;
		cut = csv_split(s->base, s->c.len, p->eof, &recs, &lines);
		if (cut > 0 || p->eof)
			break;
		if (grow(s, s->cap * 2) < 0)   /* a record longer than the block */
			return p->err = DRG_ENOMEM, -1;
	}
	s->c.in = s->base;   /* grow() may have moved the buffer */
	p->ncarry = s->c.len - cut;
	if (p->ncarry > p->carry_cap) {
		char *c = drg_realloc(p->carry, p->ncarry);
		if (!c)
			return p->err = DRG_ENOMEM, -1;
		p->carry = c, p->carry_cap = p->ncarry;
	}
	if (p->ncarry)
		memcpy(p->carry, s->base + cut, p->ncarry);
	s->c.len = cut;
	s->c.first_record = p->record, s->c.first_line = p->line;
	s->c.olen = 0, s->c.oom = 0;
	memset(s->c.stats, 0, sizeof(s->c.stats));
	p->record += recs, p->line += lines;
	return cut > 0;
}

/* Writes s's output and adds up its counters.  0, or -1 (p->err set). */
static int emit(pipeline *p, slot *s)
{
	if (s->c.oom)
		return p->err = DRG_ENOMEM, -1;
	for (int i = 0; i < 8; i++)
		p->stats[i] += s->c.stats[i];
	if (s->c.olen && fwrite(s->c.out, 1, s->c.olen, p->out) != s->c.olen)
		return p->err = DRG_EIO, -1;
	return 0;
}

/* The header is the first record of the first chunk (which may be empty:
** header() then reports the empty input); it is cut off the chunk. */
static int take_header(pipeline *p, slot *s)
{
	long lines = 0, n = p->ops->header(p->ctx, s->c.in, s->c.len, &lines);
	if (n < 0)
		return -1;
	s->c.in += n, s->c.len -= (size_t)n;
	s->c.first_record = 1;
	s->c.first_line += lines;   /* counted by the parser: unquoting moved bytes */
	return 0;
}

/* Fills slot 0 and cuts the header off it; *rc is fill()'s result.  Returns
** 0 to go on, else batch_run()'s result. */
static int first_chunk(pipeline *p, int *rc)
{
	*rc = fill(p, &p->ring[0]);
	if (*rc < 0)
		return p->err;
	return take_header(p, &p->ring[0]) < 0 ? 1 : 0;
}

/* ---------------------------------------------------------------- one thread */

static int run_inline(pipeline *p)
{
	slot *s = &p->ring[0];
	int rc, stop = first_chunk(p, &rc);
	if (stop)
		return stop;
	void *w = p->ops->worker_new(p->ctx);
	if (!w)
		return DRG_ENOMEM;
	while (rc > 0) {
		p->ops->process(w, &s->c);
		if (emit(p, s) < 0 || (rc = fill(p, s)) < 0)
			break;
	}
	p->ops->worker_free(w);
	return p->err;
}

/* ---------------------------------------------------------------- threads */

static void *worker_main(void *arg)
{
	pipeline *p = arg;
	void *w = p->ops->worker_new(p->ctx);
	pthread_mutex_lock(&p->mu);
	for (;;) {
		while (p->next == p->tail && !p->stop)
			pthread_cond_wait(&p->work, &p->mu);
		if (p->next == p->tail)
			break;
		slot *s = &p->ring[p->next++ % p->nslots];
		s->state = BUSY;
		pthread_mutex_unlock(&p->mu);
		if (w)
			p->ops->process(w, &s->c);
		else
			s->c.oom = 1;
		pthread_mutex_lock(&p->mu);
		s->state = DONE;
		pthread_cond_signal(&p->done);
	}
	pthread_mutex_unlock(&p->mu);
	if (w)
		p->ops->worker_free(w);
	return NULL;
}

/* Queues the filled slot at tail for the workers (lock held). */
static void publish(pipeline *p, slot *s)
{
	s->state = READY;
	p->tail++;
	pthread_cond_signal(&p->work);
}

/* The calling thread's loop: write finished chunks in order, refill free
** slots, sleep otherwise.  Returns when every queued chunk is written. */
static void drive(pipeline *p)
{
	pthread_mutex_lock(&p->mu);
	for (;;) {
		slot *h = &p->ring[p->head % p->nslots], *t = &p->ring[p->tail % p->nslots];
		if (p->head != p->tail && h->state == DONE) {
			pthread_mutex_unlock(&p->mu);
			if (!p->err)
				emit(p, h);
			pthread_mutex_lock(&p->mu);
			h->state = FREE;
			p->head++;
		} else if (!p->eof && !p->err && p->tail - p->head < p->nslots) {
			pthread_mutex_unlock(&p->mu);
			int rc = fill(p, t);
			pthread_mutex_lock(&p->mu);
			if (rc > 0)
				publish(p, t);
		} else if (p->head == p->tail) {
			break;
		} else {
			pthread_cond_wait(&p->done, &p->mu);
		}
	}
	p->stop = 1;
	pthread_cond_broadcast(&p->work);
	pthread_mutex_unlock(&p->mu);
}

static int run_threads(pipeline *p)
{
	pthread_t tid[64];
	int n = p->cfg->threads < 64 ? p->cfg->threads : 64, started = 0;
	int rc, stop = first_chunk(p, &rc);
	if (stop)
		return stop;
	if (rc > 0)
		publish(p, &p->ring[0]);
	for (; started < n; started++)
		if (pthread_create(&tid[started], NULL, worker_main, p) != 0)
			break;
	if (started == 0)
		p->err = DRG_ENOMEM, p->eof = 1;
	drive(p);
	for (int i = 0; i < started; i++)
		pthread_join(tid[i], NULL);
	return p->err;
}

int batch_run(const batch_cfg *cfg, int fd, FILE *out, const batch_ops *ops, void *ctx,
	      long stats[8])
{
	pipeline p = {.cfg = cfg, .fd = fd, .out = out, .ops = ops, .ctx = ctx, .line = 1};
	p.nslots = cfg->threads > 1 ? 4u * (unsigned)cfg->threads : 1;
	p.ring = drg_calloc(p.nslots, sizeof(*p.ring));
	if (!p.ring)
		return DRG_ENOMEM;
	pthread_mutex_init(&p.mu, NULL);
	pthread_cond_init(&p.work, NULL);
	pthread_cond_init(&p.done, NULL);
	int rc = cfg->threads > 1 ? run_threads(&p) : run_inline(&p);
	for (unsigned i = 0; i < p.nslots; i++) {
		drg_free(p.ring[i].base);
		drg_free(p.ring[i].c.out);
	}
	drg_free(p.ring);
	drg_free(p.carry);
	pthread_mutex_destroy(&p.mu);
	pthread_cond_destroy(&p.work);
	pthread_cond_destroy(&p.done);
	memcpy(stats, p.stats, sizeof(p.stats));
	return rc;
}
