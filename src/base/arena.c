#include "arena.h"

#include <stdalign.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

struct dp_arena_block {
    dp_arena_block *next;
    size_t size, off;
    alignas(max_align_t) unsigned char data[];
};

enum { BLOCK_SIZE = 64 * 1024 };

void dp_arena_init(dp_arena *a)
{
    a->head = NULL;
    a->used = 0;
}

void dp_arena_dispose(dp_arena *a)
{
    dp_arena_block *b = a->head;
    while (b) {
        dp_arena_block *next = b->next;
        free(b);
        b = next;
    }
    a->head = NULL;
    a->used = 0;
}

void *dp_arena_alloc(dp_arena *a, size_t size)
{
    const size_t align = alignof(max_align_t);
    /* a size near SIZE_MAX would round (or add its header) past zero
     * and hand out a small block */
    if (size > SIZE_MAX - align - sizeof(dp_arena_block))
        return NULL;
    size = (size + align - 1) & ~(align - 1);
    if (size == 0)
        size = align;
    dp_arena_block *b = a->head;
    if (!b || b->size - b->off < size) {
        size_t cap = size > BLOCK_SIZE / 4 ? size : BLOCK_SIZE;
        b = malloc(sizeof *b + cap);
        if (!b)
            return NULL;
        b->size = cap;
        b->off = 0;
        if (size > BLOCK_SIZE / 4 && a->head) {
            /* a large block goes behind the head so the head keeps filling */
            b->next = a->head->next;
            a->head->next = b;
        } else {
            b->next = a->head;
            a->head = b;
        }
    }
    void *p = b->data + b->off;
    b->off += size;
    a->used += size;
    memset(p, 0, size);
    return p;
}

char *dp_arena_strndup(dp_arena *a, const char *s, size_t len)
{
    if (len == SIZE_MAX)
        return NULL;
    char *c = dp_arena_alloc(a, len + 1);
    if (c) {
        memcpy(c, s, len);
        c[len] = '\0';
    }
    return c;
}

char *dp_arena_strdup(dp_arena *a, const char *s)
{
    return dp_arena_strndup(a, s, strlen(s));
}
