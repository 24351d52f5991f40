/*
** batch.h: an ordered, parallel pipeline over the records of a CSV stream.
**
** The calling thread reads the input in blocks (read(2), any file or pipe),
** cuts each block after its last complete record (csv_split), and queues it
** as a chunk that knows the number and line of its first record.  Worker
** threads take chunks in order and turn them into output bytes through the
** caller's process() callback, each with its own worker state (a grouping
** scratch, say); the calling thread writes the outputs strictly in input
** order, so the output is byte-identical whatever the thread count.  With one
** thread everything runs on the calling thread, without locks.  Memory is
** bounded: a ring of chunks, each reused, growing only for a record longer
** than a block.
*/
#ifndef DRG_BATCH_H
#define DRG_BATCH_H

#include <stddef.h>
#include <stdio.h>

typedef struct batch_chunk {
	char *in;                 /* complete records (writable: fields unescape in place) */
	size_t len;
	long first_record;        /* number of in[0]'s record; the header is record 0 */
	long first_line;          /* its line, 1-based */
	char *out;                /* output bytes of the chunk */
	size_t olen, ocap;
	int oom;                  /* an output reservation failed */
	long stats[8];            /* counters of the callbacks, summed by batch_run */
} batch_chunk;

typedef struct batch_ops {
	/* Parses the header record at in[0..len) (main thread, once, before any
	** chunk is processed); returns its length in bytes and the line feeds it
	** spans in *lines, or -1 to stop. */
	long (*header)(void *ctx, char *in, size_t len, long *lines);
	void *(*worker_new)(void *ctx);               /* NULL: out of memory */
	void (*worker_free)(void *worker);
	void (*process)(void *worker, batch_chunk *c);
} batch_ops;

typedef struct batch_cfg {
	int threads;              /* workers; 1 runs everything on the calling thread */
	size_t block;             /* bytes read per chunk (grown for longer records) */
} batch_cfg;

/* Runs the pipeline from fd to out; stats[] receives the sums of the chunks'
** counters.  Returns 0, 1 when header() stopped it, DRG_ENOMEM, or DRG_EIO
** (read or write error, errno kept). */
int batch_run(const batch_cfg *cfg, int fd, FILE *out, const batch_ops *ops, void *ctx,
	      long stats[8]);

/* batch_reserve() when the output buffer must grow. */
char *batch_grow(batch_chunk *c, size_t n);

/* Makes room for n more output bytes; NULL (and c->oom set) on failure.
** Inline: a row is written in a few appends, and the buffer rarely grows. */
static inline char *batch_reserve(batch_chunk *c, size_t n)
{
	return c->olen + n <= c->ocap ? c->out + c->olen : batch_grow(c, n);
}

#endif
