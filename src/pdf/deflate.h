/*
 * Stream compression for the PDF writer: zlib-format (FlateDecode) data
 * made with libdeflate, several streams at once on a few threads.
 *
 * libharu deflates every stream itself with zlib at a fixed level when the
 * document is saved; that was a third of a whole compile. libdeflate
 * gives smaller output in half the time, and the streams of a document
 * are independent, so they can be compressed side by side.
 */
#ifndef DP_PDF_DEFLATE_H
#define DP_PDF_DEFLATE_H

#include <stddef.h>
#include <stdint.h>

#include "base/status.h"

/* One stream to compress. in is borrowed; out is malloc'd by
 * dp_deflate_run() and freed by the caller. */
typedef struct dp_deflate_job {
    const uint8_t *in;
    size_t in_len;
    uint8_t *out;
    size_t out_len;
} dp_deflate_job;

/*
 * Compresses every job at libdeflate level (1-12), largest first, on up
 * to threads threads (the calling thread is one of them; 0 or 1: the
 * calling thread only). The bytes do not depend on the number of
 * threads. DP_ENOMEM when a compressor or an output buffer cannot be
 * had; then no out is set.
 */
dp_status dp_deflate_run(dp_deflate_job *jobs, size_t n, int threads, int level);

/* Streams compressed when the document is finished, on its critical
 * path: level 6 is smaller than zlib's 9 on our streams, in a third of
 * the time. */
#define DP_DEFLATE_STREAMS 6
/* Font programs: compressed on the builder thread while pages are drawn
 * in a single build, but on the only thread of a batch worker, where
 * level 8 cost 8 % of a seed-sized digest's time to save 0.4 % of its
 * font bytes; so the same level as the streams. */
#define DP_DEFLATE_FONTS 6

#endif
