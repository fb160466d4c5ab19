/* A bump allocator: many small allocations, freed in one call. */
#ifndef DP_BASE_ARENA_H
#define DP_BASE_ARENA_H

#include <stddef.h>

typedef struct dp_arena_block dp_arena_block;

typedef struct dp_arena {
    dp_arena_block *head;
    size_t used; /* bytes handed out, for statistics */
} dp_arena;

void dp_arena_init(dp_arena *a);
/* Frees every block; the arena can be reused afterwards. */
void dp_arena_dispose(dp_arena *a);
/* Zeroed memory aligned for any type; NULL when out of memory. */
void *dp_arena_alloc(dp_arena *a, size_t size);
/* A NUL-terminated copy of s[0..len); NULL when out of memory. */
char *dp_arena_strndup(dp_arena *a, const char *s, size_t len);
char *dp_arena_strdup(dp_arena *a, const char *s);

#endif
