/* Pagination: the document model, a style and fonts → pages. */
#ifndef DP_LAYOUT_PAGINATE_H
#define DP_LAYOUT_PAGINATE_H

#include "base/diag.h"
#include "model/doc.h"
#include "pages.h"
#include "style/sheet.h"
#include "text/fonts.h"

/* What a layout may be asked beyond the document, style and fonts. */
typedef struct dp_paginate_setup {
    /* folders figures and the style's cover logo are read from (NULL: any) */
    const char *root, *logo_root;
    /* told the path of every image the layout reads; may be NULL */
    dp_path_fn on_read;
    void *on_read_user;
    /* receives every paragraph's lines as text (dp_lines_dump), in the
     * order they are laid out; NULL: none */
    dp_buf *lines_dump;
    /* PDF/UA: a figure without alt text or a caption is an error, and
     * runs split where their structure elements do */
    int ua;
} dp_paginate_setup;

/*
 * Lays out doc: cover, table of contents, sections and articles, running
 * headers and footers. setup may be NULL (no root, no dump). On success
 * *out holds new pages (free with dp_pages_free()); they borrow strings
 * from doc, which must outlive them. On failure *out is NULL and the
 * status says why (diagnostics in d). Warnings (missing glyphs) do not
 * fail the layout.
 */
dp_status dp_paginate(dp_pages **out, dp_diags *d, const dp_doc *doc,
                      const dp_style *st, dp_fontset *fs,
                      const dp_paginate_setup *setup);

#endif
