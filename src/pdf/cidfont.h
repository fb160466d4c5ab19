/*
 * Fonts embedded as CID-keyed Type0 fonts with Identity-H encoding: the
 * font program a real subset made with hb-subset, widths in /W and a
 * ToUnicode CMap built from the text each glyph was shaped from.
 * TrueType outlines become a CIDFontType2 (FontFile2, code = glyph id in
 * the subset); CFF outlines a CIDFontType0 with the bare CFF table
 * (FontFile3 /CIDFontType0C): code = the glyph's CID in a CID-keyed
 * font (the subset keeps them), its glyph id in the subset otherwise.
 *
 * Life of a font: new → use (every glyph any page will draw) → plan (the
 * glyph set is fixed and numbered) → show on pages, while build makes the
 * font program, possibly on another thread → finish → (document saved)
 * → free.
 *
 * libharu 2.3.0 has no public way to draw by glyph id or to embed a
 * font program we built ourselves, so this module (with hpdf_ext.c)
 * reaches into its internals through hpdf_private.h.
 */
#ifndef DP_PDF_CIDFONT_H
#define DP_PDF_CIDFONT_H

#include <stddef.h>
#include <stdint.h>

#include <hpdf.h>

#include "base/buf.h"
#include "base/diag.h"
#include "text/fonts.h"

typedef struct dp_cidfont dp_cidfont;

/*
 * Prepares font, a face the font set has loaded (its mapped file is
 * shared, not read again), for embedding into pdf. DP_EFONT with a
 * diagnostic naming the font's path when the face has neither TrueType
 * (glyf) nor CFF outlines (CFF2 included). font must outlive f. Free with dp_cidfont_free() after the
 * document has been saved. Later calls (show, finish) report to d as
 * well, so d must outlive f.
 */
dp_status dp_cidfont_new(dp_cidfont **out, HPDF_Doc pdf, const dp_font *font,
                         dp_diags *d);
void dp_cidfont_free(dp_cidfont *f);

/* The libharu font object, for HPDF_Page_SetFontAndSize(). Borrowed. */
HPDF_Font dp_cidfont_handle(dp_cidfont *f);

/* Advance of glyph gid as written in /W, in 1/1000 em (rounded). */
int dp_cidfont_width(dp_cidfont *f, uint32_t gid);

/* Declares glyphs gids[0..n) (ids of the original font) as drawn
 * somewhere. DP_EFONT for an id the font does not have, DP_ERR after
 * dp_cidfont_plan(). */
dp_status dp_cidfont_use(dp_cidfont *f, const uint32_t *gids, size_t n);

/* How many glyphs have been declared. */
size_t dp_cidfont_used(const dp_cidfont *f);

/* Fixes the glyph set declared so far and numbers it: the subset plan.
 * Once; DP_EFONT when HarfBuzz cannot plan the subset. */
dp_status dp_cidfont_plan(dp_cidfont *f);

/* The code (CID) glyph gid is written as, or -1 when it is not in the
 * planned subset. */
int dp_cidfont_cid(const dp_cidfont *f, uint32_t gid);

/*
 * Makes the font program from the plan (hb-subset). It touches only f's
 * own HarfBuzz objects, never the PDF document or the diagnostics, so it
 * may run on another thread while pages are drawn with dp_cidfont_show();
 * nothing else may be called on f until it returns. A failure is
 * reported by dp_cidfont_finish(). Does nothing before the plan or the
 * second time.
 */
void dp_cidfont_build(dp_cidfont *f);

/*
 * Draws glyphs gids[0..n) with the current font and size at baseline y,
 * glyph i at x positions x[i] (PDF points, absolute on the page); every
 * glyph must be in the planned subset. text/text_len: the UTF-8 text glyph i stands
 * for (the first mapping a glyph gets is the one ToUnicode keeps; may be
 * NULL for glyphs that add no text; text_len NULL: NUL-terminated).
 * Must be called between HPDF_Page_BeginText and HPDF_Page_EndText after
 * HPDF_Page_SetFontAndSize(page, dp_cidfont_handle(f), size) on this
 * page: anything else is DP_ERR. Writes "dx dy Td" (from the previous
 * line start, in whole hundredths of a point) and one Tj, or TJ when
 * glyphs need moving, straight into the content stream, and keeps
 * libharu's text matrix and text point as its own Td and Tj would. Tc
 * and Tz in effect are taken into account. A cluster whose text differs
 * from its glyph's ToUnicode entry (or is too long for one) is wrapped
 * in "/Span <</ActualText ...>> BDC ... EMC", so every cluster extracts
 * as its own text.
 */
dp_status dp_cidfont_show(dp_cidfont *f, HPDF_Page page, double size,
                          double y, const uint32_t *gids, const double *x,
                          const char *const *text, const size_t *text_len,
                          size_t n);

/* Opens "/Span <</ActualText (text)>> BDC" in the page's content (inside
 * or outside a text object), or with text NULL closes it ("EMC"): what is
 * drawn in between extracts as text instead of its glyphs' own text. */
dp_status dp_cidfont_actual_text(dp_cidfont *f, HPDF_Page page, const char *text);

/* Writes the font program (building the program now if dp_cidfont_build() has
 * not run; planning first if nothing was planned), /W and ToUnicode. Call
 * once, after every page is drawn, before saving. */
dp_status dp_cidfont_finish(dp_cidfont *f);

/*
 * Appends a ToUnicode CMap (bfchar, and bfrange for runs, blocks of at
 * most 100) mapping the 2-byte codes[0..n), strictly ascending, to the
 * UTF-8 texts text[i] of text_len[i] bytes, written as UTF-16BE with
 * surrogate pairs beyond the BMP. DP_ERR on unsorted codes or invalid
 * UTF-8. Used by dp_cidfont_finish(); public so it can be tested alone.
 */
dp_status dp_cidfont_write_cmap(dp_buf *out, const uint16_t *codes,
                                const char *const *text,
                                const size_t *text_len, size_t n);

#endif
