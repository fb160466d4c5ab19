/*
 * What libharu 2.3.0 cannot do through its public API, done through its
 * internal structures (through hpdf_private.h, the one door to them):
 * outline titles beyond the BMP, catalog entries it has no setter for,
 * streams compressed by us, fonts selected and colours set without its
 * per-call overhead, and the document saved into our buffer. The CID
 * font objects (cidfont.c) are the other user of those internals.
 */
#ifndef DP_PDF_HPDF_EXT_H
#define DP_PDF_HPDF_EXT_H

#include <stddef.h>
#include <stdint.h>

#include <hpdf.h>

#include "base/buf.h"

/* A PDF text string holding s[0..len) (UTF-8) as UTF-16BE with a byte
 * order mark: libharu's UTF-8 encoder turns characters beyond the BMP
 * into spaces. NULL when out of memory (libharu's failures also reach the
 * document's error handler). */
HPDF_Binary dp_hpdf_text_string(HPDF_Doc pdf, const char *s, size_t len);

/* An outline entry whose /Title is UTF-16BE written by us, so that
 * characters beyond the BMP survive. NULL on failure. */
HPDF_Outline dp_hpdf_outline_new(HPDF_Doc pdf, HPDF_Outline parent, const char *title_utf8);

/* Viewer settings: show the document title in the window bar; open at
 * first_page fitting the width (when non-NULL). */
int dp_hpdf_finish_catalog(HPDF_Doc pdf, HPDF_Page first_page);

/* A memory stream that copies in blocks instead of a byte at a time
 * (the same buffers: libharu reads them as its own); other streams are
 * left alone. */
void dp_hpdf_fast_stream(HPDF_Stream s);
/* HPDF_DictStream_New and HPDF_AddPage, their streams made fast; NULL
 * when libharu fails (it has reported why). */
HPDF_Dict dp_hpdf_stream_new(HPDF_Doc pdf);
HPDF_Page dp_hpdf_add_page(HPDF_Doc pdf);

/*
 * Compresses every stream libharu would deflate at save time (content
 * streams, font programs, CMaps) now, with dp_deflate_run() on
 * up to threads threads, and leaves each one marked as already encoded:
 * libharu then copies the bytes as they are and the dictionary still
 * says /Filter /FlateDecode. Call after the last drawing, just before
 * saving. Returns DP_OK, or DP_ENOMEM with every stream left as it was.
 */
int dp_hpdf_deflate_streams(HPDF_Doc pdf, int threads);

/* Sets the fill (stroke: non-zero, the stroke) colour to rgb (0xRRGGBB)
 * with the shortest operator: "g"/"G" for greys, three decimals (enough
 * to give back every 8-bit value). libharu's graphics state follows.
 * Returns DP_OK or DP_ERR. */
int dp_hpdf_set_color(HPDF_Page page, uint32_t rgb, int stroke);

/* Selects font at size ("/Fn size Tf", four decimals at most), as
 * HPDF_Page_SetFontAndSize() does (the font joins the page's resources,
 * libharu's state follows) without its per-call buffer clearing and
 * float formatting. *name caches the font's resource name on this page:
 * NULL the first time. Returns DP_OK or DP_ERR. */
int dp_hpdf_set_font(HPDF_Page page, HPDF_Font font, const char **name, double size);

/* Appends op (operators) to the page's content as it is: what libharu
 * has no call for (marked content). DP_OK or DP_ERR. */
int dp_hpdf_page_write(HPDF_Page page, const char *op);

/* Marks stream (a dictionary made by HPDF_DictStream_New) as holding
 * bytes already deflated by us: saved as they are, with /Filter
 * /FlateDecode. */
void dp_hpdf_mark_deflated(HPDF_Dict stream);

/*
 * Appends the whole document, as HPDF_SaveToStream() would write it
 * (PDF 1.4 header, objects, xref table, trailer with /Root and /Info),
 * to out. libharu's own route went through two memory streams and wrote
 * the document twice to learn its size. Returns DP_OK; DP_ENOMEM or
 * DP_ELIMIT when out cannot grow; DP_ERR for any other failure.
 */
int dp_hpdf_save(HPDF_Doc pdf, dp_buf *out);

#endif
