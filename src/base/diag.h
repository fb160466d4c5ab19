/* A list of diagnostics (errors, warnings, notes) with file and line. */
#ifndef DP_BASE_DIAG_H
#define DP_BASE_DIAG_H

#include <stdarg.h>
#include <stddef.h>

#include "digestpdf.h"

typedef struct dp_diags {
    dp_diag *items;
    size_t count, cap;
    size_t errors;
} dp_diags;

void dp_diags_init(dp_diags *d);
/* Frees every message; the list can be reused after dp_diags_init(). */
void dp_diags_dispose(dp_diags *d);

/*
 * Appends a diagnostic; file may be NULL, line 0 means unknown. The
 * strings are copied. Fails silently when out of memory (a lost message
 * must never turn into a crash), but the error count still rises.
 */
void dp_diags_add(dp_diags *d, dp_severity sev, const char *file, long line,
                  const char *fmt, ...) __attribute__((format(printf, 5, 6)));
void dp_diags_vadd(dp_diags *d, dp_severity sev, const char *file, long line,
                   const char *fmt, va_list ap);

#define dp_error(d, file, line, ...)                                        \
    dp_diags_add((d), DP_DIAG_ERROR, (file), (line), __VA_ARGS__)
#define dp_warn(d, file, line, ...)                                         \
    dp_diags_add((d), DP_DIAG_WARNING, (file), (line), __VA_ARGS__)
#define dp_note(d, file, line, ...)                                         \
    dp_diags_add((d), DP_DIAG_NOTE, (file), (line), __VA_ARGS__)

#endif
