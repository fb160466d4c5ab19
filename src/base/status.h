/* Status helpers shared by every module. */
#ifndef DP_BASE_STATUS_H
#define DP_BASE_STATUS_H

#include "digestpdf.h"

/* Safety caps: exceeding one is DP_ELIMIT, never a crash or a hang. */
#define DP_MAX_INPUT_BYTES ((size_t)64 * 1024 * 1024)
#define DP_MAX_DEPTH 64
#define DP_MAX_FONT_BYTES ((size_t)256 * 1024 * 1024)
#define DP_MAX_PARAGRAPH_BYTES ((size_t)4 * 1024 * 1024)
#define DP_MAX_PAGES 20000
/* List numbers and cell spans are ints in layout; keep their sums far
 * from overflow. */
#define DP_MAX_LIST_START 1000000
#define DP_MAX_SPAN 100
/* Document information strings (title, subject, keywords...): PDF
 * strings are limited to 64 KB; these stay far below. */
#define DP_MAX_KEYWORDS 1000
#define DP_MAX_INFO_BYTES 8000

/* Evaluate a call, jump to the function's `done` label on failure. */
#define DP_TRY(expr)                                                        \
    do {                                                                    \
        status = (expr);                                                    \
        if (status < 0)                                                     \
            goto done;                                                      \
    } while (0)

/* Jump to `done` with DP_ENOMEM when an allocation returned NULL. */
#define DP_CHECK_ALLOC(ptr)                                                 \
    do {                                                                    \
        if ((ptr) == NULL) {                                                \
            status = DP_ENOMEM;                                             \
            goto done;                                                      \
        }                                                                   \
    } while (0)

#endif
