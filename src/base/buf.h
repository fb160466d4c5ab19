/* A growable byte buffer with a hard size cap. */
#ifndef DP_BASE_BUF_H
#define DP_BASE_BUF_H

#include <stdarg.h>
#include <stddef.h>

#include "status.h"

typedef struct dp_buf {
    char *data; /* always NUL-terminated when non-NULL */
    size_t len, cap;
    size_t max; /* 0: DP_MAX_INPUT_BYTES * 4 */
} dp_buf;

void dp_buf_init(dp_buf *b);
void dp_buf_dispose(dp_buf *b);
void dp_buf_reset(dp_buf *b);
/* Append; DP_ENOMEM on allocation failure, DP_ELIMIT past the cap. */
dp_status dp_buf_add(dp_buf *b, const void *data, size_t len);
dp_status dp_buf_adds(dp_buf *b, const char *s);
dp_status dp_buf_addc(dp_buf *b, char c);
dp_status dp_buf_printf(dp_buf *b, const char *fmt, ...)
    __attribute__((format(printf, 2, 3)));
/* Appends s with XML's special characters escaped (&<>" and '). */
dp_status dp_buf_add_xml(dp_buf *b, const char *s, size_t len);

/* Writes v / 10^decimals (decimals 0..9) to out without a locale and
 * without trailing zeros ("-12.5", "3", "0.07"); returns its length.
 * out needs 32 bytes. PDF content is full of such numbers: snprintf was
 * a tenth of drawing the glyph runs. */
size_t dp_fixed_format(char *out, long long v, int decimals);
/* Appends the same to b. */
dp_status dp_buf_add_fixed(dp_buf *b, long long v, int decimals);

/* Appends v rounded to `decimals` places (0..9) the same way: the
 * digits come from an integer, so text dumps are the same on every
 * machine; -0 is written "0", non-finite values "inf", "-inf", "nan". */
dp_status dp_buf_add_round(dp_buf *b, double v, int decimals);
/* Appends s[0..len) in double quotes with \" \\ and control characters
 * (\n, \t, \xHH) escaped: one line of text whatever s holds. */
dp_status dp_buf_add_quoted(dp_buf *b, const char *s, size_t len);
/* Reads a whole file ("-" is standard input) into b, at most max bytes.
 * DP_EIO with a diagnostic-friendly errno left in place on failure,
 * DP_ELIMIT when the file is larger than max. */
dp_status dp_buf_read_file(dp_buf *b, const char *path, size_t max);

#endif
