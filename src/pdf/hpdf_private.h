/*
 * The one door to libharu's internal structures.
 *
 * libharu 2.3.0 installs its internal headers and exports their symbols;
 * the PDF writer needs them for what the public API cannot do (fonts
 * drawn by glyph id, streams compressed by us, the document saved into
 * our buffer). Their layout is not a stable interface, so every file that
 * touches them includes this header, and the build stops against any
 * other libharu version: a field that moved would corrupt memory, not
 * fail to compile. tests/unit/test_hpdf_private.c pins each field below
 * against the library's own behaviour.
 *
 * Fields read or written, and why:
 *   HPDF_Doc:      mmgr, xref (to create objects the public API has no
 *                  constructor for), catalog (entries without a setter),
 *                  info and trailer (dp_hpdf_save writes the file itself)
 *   HPDF_Xref:     entries (every object, to compress its stream)
 *   HPDF_Dict:     stream, filter, write_fn (a stream compressed by us
 *                  keeps /Filter /FlateDecode; the hook writes it), attr
 *                  and header.obj_class (a dictionary that pages accept
 *                  as a font)
 *   HPDF_FontAttr: type, writing_mode, xref, fontdef (a Type0 font of our
 *                  own objects; fontdef->base_font names it)
 *   HPDF_FontDef:  mmgr, type, base_font
 *   HPDF_PageAttr: stream, gmode, gstate (font, font_size, writing_mode,
 *                  rgb_fill, rgb_stroke): content written by us keeps
 *                  libharu's graphics state in step
 *   HPDF_Stream:   type, size, attr (memory and callback streams);
 *                  write_fn and read_fn of memory streams, replaced by
 *                  ones that copy in blocks (dp_hpdf_fast_stream)
 *   HPDF_MemStreamAttr: buf, buf_siz, w_pos, w_ptr, r_ptr_idx, r_pos,
 *                  r_ptr (kept as libharu's own functions keep them)
 */
#ifndef DP_PDF_HPDF_PRIVATE_H
#define DP_PDF_HPDF_PRIVATE_H

#include <hpdf.h>
#include <hpdf_version.h>

#if HPDF_VERSION_ID != 20300
#error "digestpdf reaches into libharu's internal structures, checked against libharu 2.3.0 only: check every field listed in src/pdf/hpdf_private.h against this version, then its test"
#endif

#include <hpdf_catalog.h>
#include <hpdf_doc.h>
#include <hpdf_font.h>
#include <hpdf_mmgr.h>
#include <hpdf_objects.h>
#include <hpdf_outline.h>
#include <hpdf_pages.h>
#include <hpdf_streams.h>

#endif
