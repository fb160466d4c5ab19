#include "deflate.h"

#include <pthread.h>
#include <stdatomic.h>
#include <stdlib.h>

#include <libdeflate.h>

/* A job's place in the queue. */
struct slot {
    size_t len, index;
};

typedef struct queue {
    dp_deflate_job *jobs;
    struct slot *order; /* largest input first */
    size_t n;
    atomic_size_t next;
    atomic_int failed;
    int level;
} queue;

static void *work(void *arg)
{
    queue *q = arg;
    struct libdeflate_compressor *c = libdeflate_alloc_compressor(q->level);
    if (!c) {
        atomic_store(&q->failed, 1);
        return NULL;
    }
    for (;;) {
        size_t k = atomic_fetch_add(&q->next, 1);
        if (k >= q->n || atomic_load(&q->failed))
            break;
        dp_deflate_job *j = &q->jobs[q->order[k].index];
        size_t cap = libdeflate_zlib_compress_bound(c, j->in_len);
        j->out = malloc(cap);
        if (!j->out) {
            atomic_store(&q->failed, 1);
            break;
        }
        j->out_len = libdeflate_zlib_compress(c, j->in, j->in_len, j->out, cap);
        if (j->out_len == 0) { /* cannot happen with a bound-sized buffer */
            atomic_store(&q->failed, 1);
            break;
        }
    }
    libdeflate_free_compressor(c);
    return NULL;
}

static int larger_first(const void *a, const void *b)
{
    const struct slot *x = a, *y = b;
    if (x->len != y->len)
        return x->len < y->len ? 1 : -1;
    return x->index < y->index ? -1 : 1;
}

dp_status dp_deflate_run(dp_deflate_job *jobs, size_t n, int threads, int level)
{
    if (n == 0)
        return DP_OK;
    queue q = {.jobs = jobs, .n = n, .level = level < 1 ? 1 : level > 12 ? 12 : level};
    atomic_init(&q.next, 0);
    atomic_init(&q.failed, 0);
    q.order = malloc(n * sizeof *q.order);
    if (!q.order)
        return DP_ENOMEM;
    for (size_t i = 0; i < n; i++) {
        q.order[i].len = jobs[i].in_len;
        q.order[i].index = i;
        jobs[i].out = NULL;
        jobs[i].out_len = 0;
    }
    /* the biggest stream (a font program) starts first, so the
     * threads finish together */
    qsort(q.order, n, sizeof *q.order, larger_first);

    pthread_t helper[7];
    int helpers = 0;
    if (threads > 8)
        threads = 8;
    while (helpers + 1 < threads && (size_t)helpers + 1 < n &&
           pthread_create(&helper[helpers], NULL, work, &q) == 0)
        helpers++;
    work(&q);
    for (int i = 0; i < helpers; i++)
        pthread_join(helper[i], NULL);
    free(q.order);

    if (atomic_load(&q.failed)) {
        for (size_t i = 0; i < n; i++) {
            free(jobs[i].out);
            jobs[i].out = NULL;
            jobs[i].out_len = 0;
        }
        return DP_ENOMEM;
    }
    return DP_OK;
}
