/* Pagination: the document model, a style and fonts → pages. */
#ifndef DP_LAYOUT_PAGINATE_H
#define DP_LAYOUT_PAGINATE_H

#include "base/diag.h"
#include "model/doc.h"
#include "pages.h"
#include "style/sheet.h"
#include "text/fonts.h"

/*
 * Lays out doc: cover, table of contents, sections and articles, running
 * headers and footers. On success *out holds new pages (free with
 * dp_pages_free()); they borrow strings from doc, which must outlive
 * them. On failure *out is NULL and the status says why (diagnostics in
 * d). Warnings (missing glyphs, figures) do not fail the layout.
 */
dp_status dp_paginate(dp_pages **out, dp_diags *d, const dp_doc *doc,
                      const dp_style *st, dp_fontset *fs);

/* As dp_paginate, and appends every paragraph's lines to lines_out as
 * they are set (dp_lines_dump), in the order they are laid out. */
dp_status dp_paginate_dump(dp_pages **out, dp_diags *d, const dp_doc *doc,
                           const dp_style *st, dp_fontset *fs, dp_buf *lines_out);

#endif
