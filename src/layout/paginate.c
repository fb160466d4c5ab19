/*
 * Pagination, in reading order (dp_paginate()):
 *   1. cover or title block         — front.c
 *   2. table of contents            — contents.c: entries laid out now,
 *                                     page numbers filled in after step 3
 *                                     (the number column is reserved, so
 *                                     the contents never need a second
 *                                     layout)
 *   3. sections → articles → blocks — flow.c (lists.c, table.c,
 *                                     figure.c): lines placed with keeps
 *                                     and widow/orphan control
 *   4. running headers and footers  — chrome.c, once the page count is
 *                                     known
 * Text is set by text.c from spans made by inline.c; items.c adds pages,
 * boxes, links and marks. The vertical cursor `y` runs downwards from
 * the page top; it becomes a PDF coordinate (origin bottom left) only
 * when something is emitted.
 */
#include "paginate.h"

#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "base/buf.h"
#include "base/status.h"
#include "image.h"
#include "layouter.h"

void dp_pages_free(dp_pages *pages)
{
    if (!pages)
        return;
    for (size_t i = 0; i < pages->n; i++) {
        free(pages->pages[i].runs);
        free(pages->pages[i].boxes);
        free(pages->pages[i].links);
        free(pages->pages[i].pictures);
    }
    for (size_t i = 0; i < pages->nimages; i++)
        dp_image_dispose(&pages->images[i].image);
    free(pages->images);
    free(pages->pages);
    free(pages->marks);
    free(pages->elems);
    dp_arena_dispose(&pages->arena);
    free(pages);
}

/* Keywords: the issuing bodies, so a search finds the digest by them;
 * as many as fit in DP_MAX_KEYWORDS bytes (a PDF string has a limit,
 * and a thousand names help no search). */
static dp_status keywords(layouter *L)
{
    dp_buf_reset(&L->scratch);
    for (const dp_section *s = L->doc->sections; s; s = s->next) {
        if (L->scratch.len && L->scratch.len + 2 + strlen(s->name) > DP_MAX_KEYWORDS)
            break;
        if (strlen(s->name) > DP_MAX_KEYWORDS)
            continue;
        if (dp_buf_printf(&L->scratch, "%s%s", L->scratch.len ? ", " : "", s->name) < 0)
            return DP_ENOMEM;
    }
    if (L->scratch.len) {
        L->pages->keywords = dp_layout_keep(L, L->scratch.data);
        if (!L->pages->keywords)
            return DP_ENOMEM;
    }
    return DP_OK;
}

dp_status dp_paginate(dp_pages **out, dp_diags *d, const dp_doc *doc,
                      const dp_style *st, dp_fontset *fs,
                      const dp_paginate_setup *setup)
{
    dp_status status = DP_OK;
    layouter L = {0};
    *out = NULL;
    if (setup) {
        L.root = setup->root;
        L.logo_root = setup->logo_root;
        L.on_read = setup->on_read;
        L.on_read_user = setup->on_read_user;
        L.lines_dump = setup->lines_dump;
        L.ua = setup->ua;
    }
    L.doc = doc;
    L.st = st;
    L.fs = fs;
    L.d = d;
    L.page = -1;
    dp_para_init(&L.para);
    dp_para_init(&L.para_alt);
    dp_para_init(&L.label);
    dp_lines_init(&L.lines);
    dp_lines_init(&L.lines_alt);
    dp_buf_init(&L.scratch);
    L.pages = calloc(1, sizeof *L.pages);
    DP_CHECK_ALLOC(L.pages);
    dp_arena_init(&L.pages->arena);
    L.pages->width = st->page_w;
    L.pages->height = st->page_h;
    for (int i = 0; i < fs->n; i++)
        L.pages->fonts[i] = fs->fonts[i];
    L.pages->nfonts = fs->n;
    L.top = st->margin_t;
    L.bottom = st->page_h - st->margin_b;
    L.left = st->margin_l;
    L.measure = st->page_w - st->margin_l - st->margin_r;
    /* Japanese text sits on a grid of whole characters. */
    L.measure = floor(L.measure / st->body_size) * st->body_size;

    DP_TRY(dp_layout_check_links(&L));
    /* the structure's root; the front matter, contents and each issuing
     * body are sections of it */
    L.cur = -1;
    L.lz_base = -1;
    DP_TRY(dp_layout_struct_begin(&L, DP_ROLE_DOCUMENT));
    int chrome_from = 0;
    DP_TRY(dp_layout_struct_begin(&L, DP_ROLE_SECT));
    if (st->cover) {
        DP_TRY(dp_layout_cover(&L));
        chrome_from = 1;
    } else {
        DP_TRY(dp_layout_new_page(&L));
        DP_TRY(dp_layout_title_block(&L));
    }
    dp_layout_struct_end(&L);
    if (st->toc && doc->n_articles > 0) {
        DP_TRY(dp_layout_struct_begin(&L, DP_ROLE_SECT));
        DP_TRY(dp_layout_contents(&L, st->cover));
        dp_layout_struct_end(&L);
    }
    /* the body starts on a fresh page after front matter; with neither
     * cover nor contents it follows the title block */
    int front = st->cover || (st->toc && doc->n_articles > 0);
    L.pages->first_body_page = front ? L.page + 1 : 0;
    if (front && doc->n_sections > 0)
        DP_TRY(dp_layout_new_page(&L));
    for (const dp_section *s = doc->sections; s; s = s->next)
        DP_TRY(dp_layout_section(&L, s));
    DP_TRY(dp_layout_toc_numbers(&L));
    L.cur = DP_TAG_PAGINATION; /* headers, footers, page numbers */
    DP_TRY(dp_layout_page_chrome(&L, chrome_from));

    DP_TRY(keywords(&L));
    L.pages->title = doc->title;
    L.pages->author = doc->publisher;
    L.pages->subject = doc->series;
    L.pages->published = doc->published;
    *out = L.pages;
    L.pages = NULL;
done:
    dp_pages_free(L.pages);
    dp_para_dispose(&L.para);
    dp_para_dispose(&L.para_alt);
    dp_para_dispose(&L.label);
    dp_buf_dispose(&L.label_text);
    dp_lines_dispose(&L.lines);
    dp_lines_dispose(&L.lines_alt);
    dp_buf_dispose(&L.scratch);
    free(L.spans);
    free(L.spans_alt);
    free(L.unit_tag);
    free(L.page_section);
    free(L.toc);
    return status;
}
