/* The ToUnicode CMap of an embedded font. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "base/buf.h"
#include "base/status.h"
#include "base/utf8.h"
#include "cidfont_int.h"

/* ---- ToUnicode --------------------------------------------------------- */

size_t dp_cidfont_utf16_hex(dp_buf *b, const char *s, size_t len, dp_status *st)
{
    size_t units = 0;
    for (size_t i = 0; i < len;) {
        uint32_t cp;
        size_t k = dp_utf8_decode(s + i, len - i, &cp);
        if (k == 0)
            return 0;
        char hex[16];
        if (cp > 0xFFFF) {
            uint32_t v = cp - 0x10000;
            snprintf(hex, sizeof hex, "%04X%04X", 0xD800 + (unsigned)(v >> 10),
                     0xDC00 + (unsigned)(v & 0x3FF));
            units += 2;
        } else {
            snprintf(hex, sizeof hex, "%04X", (unsigned)cp);
            units += 1;
        }
        if (*st >= 0)
            *st = dp_buf_adds(b, hex);
        i += k;
    }
    return units;
}

/* The single BMP code point text stands for, or -1. */
static long single_bmp(const char *s, size_t len)
{
    uint32_t cp;
    size_t k = dp_utf8_decode(s, len, &cp);
    if (k == 0 || k != len || cp > 0xFFFF)
        return -1;
    return (long)cp;
}

static const char cmap_head[] =
    "/CIDInit /ProcSet findresource begin\012"
    "12 dict begin\012"
    "begincmap\012"
    "/CIDSystemInfo << /Registry (Adobe) /Ordering (UCS) /Supplement 0 >>"
    " def\012"
    "/CMapName /Adobe-Identity-UCS def\012"
    "/CMapType 2 def\012"
    "1 begincodespacerange\012"
    "<0000> <FFFF>\012"
    "endcodespacerange\012";

static const char cmap_tail[] =
    "endcmap\012"
    "CMapName currentdict /CMap defineresource pop\012"
    "end\012"
    "end\012";

/* Length of the run from i where codes and single BMP targets both go up
 * by one, within one first byte on either side (1 when there is none). */
static size_t linear_run(const uint16_t *codes, const char *const *text,
                         const size_t *text_len, size_t n, size_t i)
{
    long first = single_bmp(text[i], text_len[i]);
    size_t j = i + 1;
    if (first < 0)
        return 1;
    while (j < n && codes[j] == codes[j - 1] + 1 && (codes[j] >> 8) == (codes[i] >> 8)) {
        long cp = single_bmp(text[j], text_len[j]);
        if (cp != first + (long)(j - i) || (cp >> 8) != (first >> 8))
            break;
        j++;
    }
    return j - i;
}

/* Writes "<dst>" for text (UTF-16BE hex); DP_ERR on invalid UTF-8. */
static dp_status put_target(dp_buf *b, const char *text, size_t len)
{
    dp_status status = dp_buf_addc(b, '<');
    if (status == DP_OK && dp_cidfont_utf16_hex(b, text, len, &status) == 0 && status >= 0)
        status = DP_ERR;
    if (status == DP_OK)
        status = dp_buf_addc(b, '>');
    return status;
}

/*
 * Codes that run on by one (within one first byte) share a bfrange line:
 * "<first> <last> <dst>" where the targets run on by one too (Latin
 * letters often do), else "<first> <last> [<dst> ...]", one target per
 * code; dense subset codes make nearly every code part of such a run,
 * and half the bytes of one bfchar line per code. Lone codes are bfchar
 * lines. Both kinds go in blocks of at most 100.
 */
dp_status dp_cidfont_write_cmap(dp_buf *out, const uint16_t *codes,
                                const char *const *text,
                                const size_t *text_len, size_t n)
{
    dp_status status = DP_OK;
    /* run[i]: length of the range starting at i (0: none starts there);
     * linear[i]: that range is of the first kind */
    size_t *run = NULL;
    uint8_t *linear = NULL;

    for (size_t i = 1; i < n; i++) {
        if (codes[i] <= codes[i - 1])
            return DP_ERR;
    }
    run = calloc(n ? n : 1, sizeof *run);
    linear = calloc(n ? n : 1, 1);
    DP_CHECK_ALLOC(run);
    DP_CHECK_ALLOC(linear);
    size_t nranges = 0, nchars = 0;
    for (size_t i = 0; i < n;) {
        size_t k = linear_run(codes, text, text_len, n, i);
        if (k >= 2) {
            run[i] = k;
            linear[i] = 1;
            nranges++;
            i += k;
            continue;
        }
        /* an array range, up to where a linear run of 3 or more starts */
        size_t j = i + 1;
        while (j < n && codes[j] == codes[j - 1] + 1 && (codes[j] >> 8) == (codes[i] >> 8) &&
               linear_run(codes, text, text_len, n, j) < 3)
            j++;
        if (j - i >= 2) {
            run[i] = j - i;
            nranges++;
        } else {
            nchars++;
        }
        i = j;
    }

    DP_TRY(dp_buf_adds(out, cmap_head));
    /* bfchar blocks */
    for (size_t i = 0, inblock = 0, left = nchars; i < n;) {
        if (run[i]) {
            i += run[i];
            continue;
        }
        if (inblock == 0) {
            size_t k = left < 100 ? left : 100;
            DP_TRY(dp_buf_printf(out, "%zu beginbfchar\012", k));
        }
        DP_TRY(dp_buf_printf(out, "<%04X> ", (unsigned)codes[i]));
        DP_TRY(put_target(out, text[i], text_len[i]));
        DP_TRY(dp_buf_addc(out, '\012'));
        left--;
        if (++inblock == 100 || left == 0) {
            DP_TRY(dp_buf_adds(out, "endbfchar\012"));
            inblock = 0;
        }
        i++;
    }
    /* bfrange blocks */
    for (size_t i = 0, inblock = 0, left = nranges; i < n; i++) {
        if (!run[i])
            continue;
        if (inblock == 0) {
            size_t k = left < 100 ? left : 100;
            DP_TRY(dp_buf_printf(out, "%zu beginbfrange\012", k));
        }
        DP_TRY(dp_buf_printf(out, "<%04X> <%04X> ", (unsigned)codes[i],
                             (unsigned)codes[i + run[i] - 1]));
        if (linear[i]) {
            DP_TRY(put_target(out, text[i], text_len[i]));
        } else {
            DP_TRY(dp_buf_addc(out, '['));
            for (size_t k = i; k < i + run[i]; k++) {
                if (k > i)
                    DP_TRY(dp_buf_addc(out, ' '));
                DP_TRY(put_target(out, text[k], text_len[k]));
            }
            DP_TRY(dp_buf_addc(out, ']'));
        }
        DP_TRY(dp_buf_addc(out, '\012'));
        left--;
        if (++inblock == 100 || left == 0) {
            DP_TRY(dp_buf_adds(out, "endbfrange\012"));
            inblock = 0;
        }
    }
    DP_TRY(dp_buf_adds(out, cmap_tail));

done:
    free(run);
    free(linear);
    return status;
}

