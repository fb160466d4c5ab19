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

/* The same, reading figures only from inside the folder root and the
 * style's cover logo only from inside logo_root (NULL: from anywhere, as
 * dp_paginate does). */
dp_status dp_paginate_rooted(dp_pages **out, dp_diags *d, const dp_doc *doc,
                             const dp_style *st, dp_fontset *fs, const char *root,
                             const char *logo_root);

#endif
