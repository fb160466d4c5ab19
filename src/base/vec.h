/* Growable arrays: DP_VEC_PUSH(items, n, cap) makes room for one more. */
#ifndef DP_BASE_VEC_H
#define DP_BASE_VEC_H

#include <stdlib.h>

/* Evaluates to 0 on success, -1 when out of memory (array unchanged). */
#define DP_VEC_GROW(items, n, cap)                                          \
    ((n) < (cap) ? 0 : dp_vec_grow((void **)&(items), &(cap), sizeof *(items)))

static inline int dp_vec_grow(void **items, size_t *cap, size_t size)
{
    size_t c = *cap ? *cap * 2 : 8;
    void *p = realloc(*items, c * size);
    if (!p)
        return -1;
    *items = p;
    *cap = c;
    return 0;
}

#endif
