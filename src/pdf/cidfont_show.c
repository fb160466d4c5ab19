/* Glyphs drawn into content streams: positions as Td, Tc and TJ
 * numbers, codes as two-byte strings, ActualText where ToUnicode cannot
 * say a cluster's text. */
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "hpdf_private.h" /* libharu internals, version-gated */

#include "base/buf.h"
#include "base/status.h"
#include "base/utf8.h"
#include "cidfont_int.h"

/* ---- drawing ---------------------------------------------------------- */


static dp_status remember_text(dp_cidfont *f, uint32_t gid, const char *s,
                               size_t len)
{
    if (f->map_off[gid] || len == 0)
        return DP_OK;
    size_t units = 0;
    for (size_t i = 0; i < len;) {
        uint32_t cp;
        size_t k = dp_utf8_decode(s + i, len - i, &cp);
        if (k == 0) {
            dp_warn(f->diags, f->path, 0,
                    "glyph %u: text is not valid UTF-8; no ToUnicode entry",
                    (unsigned)gid);
            return DP_OK;
        }
        units += cp > 0xFFFF ? 2 : 1;
        i += k;
    }
    if (units > DP_CIDFONT_MAX_MAP_UNITS) /* dp_cidfont_show() gives it ActualText */
        return DP_OK;
    size_t off = f->maps.len;
    dp_status status = dp_buf_add(&f->maps, s, len);
    if (status < 0)
        return status;
    f->map_off[gid] = off + 1;
    f->map_len[gid] = (uint16_t)len;
    return DP_OK;
}

/* A PDF string holds at most 32 767 bytes in the readers that limit
 * strings: an ActualText of more UTF-16 units is cut at a character. */
#define MAX_ACTUAL_UNITS 16000

/* Opens "/Span <</ActualText <FEFF...>>> BDC" for text (UTF-8, valid:
 * the shaper copied it from checked input). */
static dp_status begin_actual_text(dp_cidfont *f, dp_buf *op, const char *s,
                                   size_t len)
{
    size_t units = 0, cut = 0;
    while (cut < len) {
        uint32_t cp;
        size_t k = dp_utf8_decode(s + cut, len - cut, &cp);
        if (k == 0)
            break;
        units += cp > 0xFFFF ? 2 : 1;
        if (units > MAX_ACTUAL_UNITS) {
            dp_warn(f->diags, f->path, 0,
                    "a cluster of more than %d UTF-16 units: its text is "
                    "cut there in the text layer", MAX_ACTUAL_UNITS);
            break;
        }
        cut += k;
    }
    dp_status status = dp_buf_adds(op, "/Span <</ActualText <FEFF");
    if (status == DP_OK && cut > 0)
        dp_cidfont_utf16_hex(op, s, cut, &status);
    if (status == DP_OK)
        status = dp_buf_adds(op, ">>> BDC\012");
    return status;
}

dp_status dp_cidfont_actual_text(dp_cidfont *f, HPDF_Page page, const char *text)
{
    dp_buf op;
    dp_buf_init(&op);
    dp_status status = text ? begin_actual_text(f, &op, text, strlen(text))
                            : dp_buf_adds(&op, "EMC\012");
    if (status == DP_OK &&
        HPDF_Stream_Write(((HPDF_PageAttr)page->attr)->stream, (const HPDF_BYTE *)op.data,
                          (HPDF_UINT)op.len) != HPDF_OK)
        status = dp_cidfont_fail(f, "content stream");
    dp_buf_dispose(&op);
    return status;
}

/* The extra space (pt, before Th) that most gaps between the glyphs of a
 * run share, to a thousandth of an em either way, or 0 when no more than
 * half of them do. */
static double shared_spacing(const dp_cidfont *f, const uint32_t *gids, const double *x,
                             size_t n, double size, double th)
{
    enum { MAX = 256 };
    long units[MAX];
    double extra[MAX];
    size_t m = n - 1 < MAX ? n - 1 : MAX;
    for (size_t i = 0; i < m; i++) {
        extra[i] = (x[i + 1] - x[i]) / th - f->widths[gids[i]] * size / 1000.0;
        units[i] = lround(extra[i] * 1000.0 / size);
    }
    /* the value most gaps share, if one is shared by more than half of
     * them, is the majority vote's survivor (Boyer-Moore) */
    long best = 0;
    size_t votes = 0;
    for (size_t i = 0; i < m; i++) {
        if (votes == 0)
            best = units[i];
        votes += units[i] == best ? 1 : (size_t)-1;
    }
    /* the mean over that value and its neighbours: the layout's own
     * rounding spreads one spacing over two adjacent thousandths */
    double sum = 0;
    size_t near = 0;
    for (size_t i = 0; i < m; i++) {
        if (labs(units[i] - best) <= 1) {
            sum += extra[i];
            near++;
        }
    }
    if (best == 0 || near * 2 <= m)
        return 0;
    return sum / (double)near;
}

/* One run's operators built in one buffer (position, the common
 * character spacing, the glyph codes with their adjustments, ActualText
 * for missing glyphs) and written at once; long because the buffer's
 * layout is shared by every step. */
dp_status dp_cidfont_show(dp_cidfont *f, HPDF_Page page, double size,
                          double y, const uint32_t *gids, const double *x,
                          const char *const *text, const size_t *text_len,
                          size_t n)
{
    dp_status status = DP_OK;
    dp_buf op;
    dp_buf_init(&op);

    if (n == 0)
        return DP_OK;
    if (f->finished) {
        dp_error(f->diags, f->path, 0, "font used after it was finished");
        return DP_ERR;
    }
    HPDF_PageAttr pa = page->attr;
    if (pa->gmode != HPDF_GMODE_TEXT_OBJECT || pa->gstate->font != f->type0 ||
        fabs(pa->gstate->font_size - size) > 1e-3 || size <= 0) {
        dp_error(f->diags, f->path, 0,
                 "glyphs drawn outside BT/ET or without selecting this font "
                 "at size %g first", size);
        return DP_ERR;
    }
    if (!f->planned) {
        dp_error(f->diags, f->path, 0,
                 "glyphs drawn before the font's glyph set was planned");
        return DP_ERR;
    }
    for (size_t i = 0; i < n; i++) {
        /* Positions beyond any page are a layout bug; they would also
         * overflow the TJ numbers. */
        if (!(fabs(x[i]) < 1e5) || !(fabs(y) < 1e5)) {
            dp_error(f->diags, f->path, 0, "glyph %zu placed at %g,%g", i,
                     x[i], y);
            return DP_ERR;
        }
        if (gids[i] >= f->nglyphs || !f->cid[gids[i]]) {
            dp_error(f->diags, f->path, 0,
                     "glyph id %u is not in the planned subset (%u glyphs "
                     "in the font)", (unsigned)gids[i], f->nglyphs);
            return DP_EFONT;
        }
    }

    /*
     * The run starts at (x0, y) rounded to 1/100 pt, written as a move
     * from the previous line start ("dx dy Td"): in whole hundredths, so
     * no error accumulates, and the repeated line pitch compresses to
     * almost nothing. libharu's text matrix follows, as its own Td would
     * keep it.
     */
    long x0h = lround(x[0] * 100), yh = lround(y * 100);
    long lxh = lround(pa->text_matrix.x * 100), lyh = lround(pa->text_matrix.y * 100);
    DP_TRY(dp_buf_add_fixed(&op, x0h - lxh, 2));
    DP_TRY(dp_buf_addc(&op, ' '));
    DP_TRY(dp_buf_add_fixed(&op, yh - lyh, 2));
    DP_TRY(dp_buf_adds(&op, " Td\012"));

    /*
     * Each glyph moves the pen by ((w/1000 - k/1000) * size + Tc) * Th.
     * k is computed against where the previous glyph really landed, so
     * rounding k never accumulates along a line. The letter spacing most
     * glyphs share (a justified line spreads its slack evenly) becomes
     * Tc, so that only the exceptions need a TJ number.
     */
    double th = pa->gstate->h_scalling > 0 ? pa->gstate->h_scalling / 100.0 : 1;
    double tc = pa->gstate->char_space;
    if (n > 1) {
        double want = shared_spacing(f, gids, x, n, size, th);
        if (fabs(want - tc) > 5e-5) {
            long long tc4 = llround(want * 10000); /* four decimals */
            DP_TRY(dp_buf_add_fixed(&op, tc4, 4));
            DP_TRY(dp_buf_adds(&op, " Tc\012"));
            tc = (double)tc4 / 10000; /* what a reader will use */
            pa->gstate->char_space = (HPDF_REAL)tc;
        }
    }
    size_t head = op.len; /* what comes before the glyphs */
    double pen = x0h / 100.0;
    int kerned = 0, actual = 0;
    DP_TRY(dp_buf_addc(&op, '['));
    DP_TRY(dp_buf_addc(&op, '('));
    for (size_t i = 0; i < n; i++) {
        if (text && text[i]) {
            /* A cluster whose text is not what its glyph's ToUnicode
             * entry says (a replacement mark standing for one of many
             * missing characters, a cluster too long to map) carries
             * its own text as /ActualText around its glyphs. */
            size_t len = text_len ? text_len[i] : strlen(text[i]);
            DP_TRY(remember_text(f, gids[i], text[i], len));
            int mapped = len == 0 || (f->map_off[gids[i]] && f->map_len[gids[i]] == len &&
                                      memcmp(f->maps.data + f->map_off[gids[i]] - 1,
                                             text[i], len) == 0);
            if (actual || !mapped) {
                kerned = 1; /* the glyphs go in several TJ arrays */
                if (op.len == head + 2) /* nothing drawn yet: no empty TJ */
                    op.len = head;
                else
                    DP_TRY(dp_buf_adds(&op, ")] TJ\012"));
                if (actual)
                    DP_TRY(dp_buf_adds(&op, "EMC\012"));
                actual = !mapped;
                if (actual)
                    DP_TRY(begin_actual_text(f, &op, text[i], len));
                DP_TRY(dp_buf_adds(&op, "[("));
            }
        }
        /* two bytes per glyph in a literal string (the hex form was 4 %
         * larger once deflated); a backslash keeps the delimiters, and
         * CR, which a reader would turn into LF, as they are */
        unsigned code = f->cid[gids[i]] - 1u;
        char two[2] = {(char)(code >> 8), (char)(code & 0xFF)};
        for (int b = 0; b < 2; b++) {
            if (two[b] == '(' || two[b] == ')' || two[b] == '\\')
                DP_TRY(dp_buf_addc(&op, '\\'));
            if (two[b] == '\r')
                DP_TRY(dp_buf_adds(&op, "\\r"));
            else
                DP_TRY(dp_buf_addc(&op, two[b]));
        }
        double w = f->widths[gids[i]] * size / 1000.0;
        if (i + 1 == n) {
            pen += (w + tc) * th;
            break;
        }
        double k = (w + tc - (x[i + 1] - pen) / th) * 1000.0 / size;
        /* whole thousandths of an em: the error (at most 0.0005 em, not
         * accumulating) is invisible and the streams are much shorter */
        long kh = lround(k) * 100;
        pen += (w - kh / 100000.0 * size + tc) * th;
        if (kh != 0) {
            kerned = 1;
            DP_TRY(dp_buf_addc(&op, ')'));
            DP_TRY(dp_buf_add_fixed(&op, kh, 2));
            DP_TRY(dp_buf_addc(&op, '('));
        }
    }
    if (kerned)
        DP_TRY(dp_buf_adds(&op, ")] TJ\012"));
    else
        DP_TRY(dp_buf_adds(&op, ") Tj\012"));
    if (actual)
        DP_TRY(dp_buf_adds(&op, "EMC\012"));

    /* Tj needs no array: leave out the '['. */
    if (HPDF_Stream_Write(pa->stream, (const HPDF_BYTE *)op.data, (HPDF_UINT)head) != HPDF_OK ||
        HPDF_Stream_Write(pa->stream, (const HPDF_BYTE *)op.data + head + !kerned,
                          (HPDF_UINT)(op.len - head - !kerned)) != HPDF_OK) {
        status = dp_cidfont_fail(f, "content stream");
        goto done;
    }
    /* Same bookkeeping as libharu's own Td and Tj: the line matrix moves
     * to the run's start, the text point to its end. */
    pa->text_matrix.x = (HPDF_REAL)(x0h / 100.0);
    pa->text_matrix.y = (HPDF_REAL)(yh / 100.0);
    pa->text_pos.x = (HPDF_REAL)pen;
    pa->text_pos.y = (HPDF_REAL)(yh / 100.0);

done:
    dp_buf_dispose(&op);
    return status;
}

