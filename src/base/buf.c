#include "buf.h"

#include <errno.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

void dp_buf_init(dp_buf *b)
{
    memset(b, 0, sizeof *b);
}

void dp_buf_dispose(dp_buf *b)
{
    free(b->data);
    memset(b, 0, sizeof *b);
}

void dp_buf_reset(dp_buf *b)
{
    b->len = 0;
    if (b->data)
        b->data[0] = '\0';
}

/* The most a buffer may hold: its own limit, or the default. */
static size_t limit_of(const dp_buf *b)
{
    return b->max ? b->max : DP_MAX_INPUT_BYTES * 4;
}

static dp_status grow(dp_buf *b, size_t extra)
{
    size_t max = limit_of(b);
    if (extra > max || b->len + extra > max)
        return DP_ELIMIT;
    size_t need = b->len + extra + 1;
    if (need <= b->cap)
        return DP_OK;
    size_t cap = b->cap ? b->cap : 256;
    while (cap < need)
        cap *= 2;
    char *data = realloc(b->data, cap);
    if (!data)
        return DP_ENOMEM;
    b->data = data;
    b->cap = cap;
    return DP_OK;
}

dp_status dp_buf_add(dp_buf *b, const void *data, size_t len)
{
    dp_status status = grow(b, len);
    if (status < 0)
        return status;
    if (len)
        memcpy(b->data + b->len, data, len);
    b->len += len;
    // NOLINTNEXTLINE(clang-analyzer-core.NullDereference): grow() allocates whenever cap is 0, and data is NULL only when cap is 0
    b->data[b->len] = '\0';
    return DP_OK;
}

dp_status dp_buf_adds(dp_buf *b, const char *s)
{
    return dp_buf_add(b, s, strlen(s));
}

dp_status dp_buf_addc(dp_buf *b, char c)
{
    /* the content streams are written a character at a time: room for
     * it and the terminator, within the limit, needs no call */
    if (b->len + 2 <= b->cap && b->len + 1 <= limit_of(b)) {
        b->data[b->len++] = c;
        b->data[b->len] = '\0';
        return DP_OK;
    }
    return dp_buf_add(b, &c, 1);
}

dp_status dp_buf_printf(dp_buf *b, const char *fmt, ...)
{
    va_list ap;
    va_start(ap, fmt);
    // NOLINTNEXTLINE(clang-analyzer-valist.Uninitialized): ap is started on the line above; analyzer false positive
    int n = vsnprintf(NULL, 0, fmt, ap);
    va_end(ap);
    if (n < 0)
        return DP_ERR;
    dp_status status = grow(b, (size_t)n);
    if (status < 0)
        return status;
    va_start(ap, fmt);
    vsnprintf(b->data + b->len, (size_t)n + 1, fmt, ap);
    va_end(ap);
    b->len += (size_t)n;
    return DP_OK;
}

dp_status dp_buf_add_xml(dp_buf *b, const char *s, size_t len)
{
    size_t start = 0;
    for (size_t i = 0; i < len; i++) {
        const char *rep = NULL;
        switch (s[i]) {
        case '&': rep = "&amp;"; break;
        case '<': rep = "&lt;"; break;
        case '>': rep = "&gt;"; break;
        case '"': rep = "&quot;"; break;
        case '\'': rep = "&apos;"; break;
        default: continue;
        }
        dp_status status = dp_buf_add(b, s + start, i - start);
        if (status == DP_OK)
            status = dp_buf_adds(b, rep);
        if (status < 0)
            return status;
        start = i + 1;
    }
    return dp_buf_add(b, s + start, len - start);
}

dp_status dp_buf_read_file(dp_buf *b, const char *path, size_t max)
{
    int is_stdin = strcmp(path, "-") == 0;
    FILE *f = is_stdin ? stdin : fopen(path, "rb");
    if (!f)
        return DP_EIO;
    dp_status status = DP_OK;
    char chunk[65536];
    size_t n;
    while ((n = fread(chunk, 1, sizeof chunk, f)) > 0) {
        if (b->len + n > max) {
            status = DP_ELIMIT;
            break;
        }
        status = dp_buf_add(b, chunk, n);
        if (status < 0)
            break;
    }
    if (status == DP_OK && ferror(f))
        status = DP_EIO;
    if (!is_stdin)
        fclose(f);
    if (status == DP_OK && !b->data)
        status = dp_buf_add(b, "", 0); /* an empty file still gets a NUL */
    return status;
}

size_t dp_fixed_format(char *out, long long v, int decimals)
{
    char tmp[32];
    char *e = tmp + sizeof tmp, *p = e;
    unsigned long long a = v < 0 ? 0ULL - (unsigned long long)v : (unsigned long long)v;
    int frac = decimals < 0 ? 0 : decimals > 9 ? 9 : decimals;
    while (frac > 0 && a % 10 == 0) { /* trailing zeros of the fraction */
        a /= 10;
        frac--;
    }
    for (int i = 0; i < frac; i++) {
        *--p = (char)('0' + a % 10);
        a /= 10;
    }
    if (frac)
        *--p = '.';
    do {
        *--p = (char)('0' + a % 10);
        a /= 10;
    } while (a);
    if (v < 0 && !(p[0] == '0' && p + 1 == e))
        *--p = '-';
    size_t n = (size_t)(e - p);
    memcpy(out, p, n);
    out[n] = '\0';
    return n;
}

dp_status dp_buf_add_fixed(dp_buf *b, long long v, int decimals)
{
    char tmp[32];
    size_t n = dp_fixed_format(tmp, v, decimals);
    return dp_buf_add(b, tmp, n);
}

dp_status dp_buf_add_round(dp_buf *b, double v, int decimals)
{
    if (isnan(v))
        return dp_buf_adds(b, "nan");
    if (isinf(v))
        return dp_buf_adds(b, v < 0 ? "-inf" : "inf");
    int d = decimals < 0 ? 0 : decimals > 9 ? 9 : decimals;
    static const double p10[] = {1, 1e1, 1e2, 1e3, 1e4, 1e5, 1e6, 1e7, 1e8, 1e9};
    double scaled = v * p10[d];
    /* beyond what a long long holds: no page or line comes near */
    if (fabs(scaled) > 9e18)
        return dp_buf_adds(b, v < 0 ? "-inf" : "inf");
    return dp_buf_add_fixed(b, llround(scaled), d);
}

dp_status dp_buf_add_quoted(dp_buf *b, const char *s, size_t len)
{
    dp_status status = dp_buf_addc(b, '"');
    size_t start = 0;
    for (size_t i = 0; i < len && status == DP_OK; i++) {
        unsigned char c = (unsigned char)s[i];
        if (c >= 0x20 && c != 0x7F && c != '"' && c != '\\')
            continue;
        char esc[8];
        if (c == '"' || c == '\\')
            snprintf(esc, sizeof esc, "\\%c", c);
        else if (c == '\n')
            snprintf(esc, sizeof esc, "\\n");
        else if (c == '\t')
            snprintf(esc, sizeof esc, "\\t");
        else
            snprintf(esc, sizeof esc, "\\x%02X", c);
        status = dp_buf_add(b, s + start, i - start);
        if (status == DP_OK)
            status = dp_buf_adds(b, esc);
        start = i + 1;
    }
    if (status == DP_OK)
        status = dp_buf_add(b, s + start, len - start);
    if (status == DP_OK)
        status = dp_buf_addc(b, '"');
    return status;
}
