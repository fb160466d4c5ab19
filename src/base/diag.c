#include "diag.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

void dp_diags_init(dp_diags *d)
{
    memset(d, 0, sizeof *d);
}

void dp_diags_dispose(dp_diags *d)
{
    for (size_t i = 0; i < d->count; i++) {
        free((char *)d->items[i].file);
        free((char *)d->items[i].message);
    }
    free(d->items);
    memset(d, 0, sizeof *d);
}

static char *dup_or_null(const char *s)
{
    if (!s)
        return NULL;
    size_t n = strlen(s) + 1;
    char *c = malloc(n);
    if (c)
        memcpy(c, s, n);
    return c;
}

void dp_diags_vadd(dp_diags *d, dp_severity sev, const char *file, long line,
                   const char *fmt, va_list ap)
{
    if (sev == DP_DIAG_ERROR)
        d->errors++;
    if (d->count == d->cap) {
        size_t cap = d->cap ? d->cap * 2 : 16;
        dp_diag *items = realloc(d->items, cap * sizeof *items);
        if (!items)
            return;
        d->items = items;
        d->cap = cap;
    }
    char msg[1024];
    // NOLINTNEXTLINE(clang-analyzer-valist.Uninitialized): ap comes started from the caller (va_start in dp_diags_add)
    vsnprintf(msg, sizeof msg, fmt, ap);
    dp_diag *g = &d->items[d->count];
    g->severity = sev;
    g->line = line;
    g->file = dup_or_null(file);
    g->message = dup_or_null(msg);
    if ((file && !g->file) || !g->message) {
        free((char *)g->file);
        free((char *)g->message);
        return;
    }
    d->count++;
}

void dp_diags_add(dp_diags *d, dp_severity sev, const char *file, long line,
                  const char *fmt, ...)
{
    va_list ap;
    va_start(ap, fmt);
    dp_diags_vadd(d, sev, file, line, fmt, ap);
    va_end(ap);
}
