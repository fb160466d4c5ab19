/*
 * Pages and what goes on them: a new page (the cursor at its top), boxes,
 * link rectangles and bookmarks (marks) added to a page.
 */
#include <string.h>

#include "base/status.h"
#include "base/utf8.h"
#include "base/vec.h"
#include "layouter.h"

dp_status dp_layout_new_page(layouter *L)
{
    dp_pages *P = L->pages;
    if (P->n >= DP_MAX_PAGES) {
        dp_error(L->d, L->doc->file, 0, "more than %d pages", DP_MAX_PAGES);
        return DP_ELIMIT;
    }
    if (DP_VEC_GROW(P->pages, P->n, P->cap) < 0 ||
        DP_VEC_GROW(L->page_section, P->n, L->cap_page_section) < 0)
        return DP_ENOMEM;
    memset(&P->pages[P->n], 0, sizeof P->pages[P->n]);
    L->page_section[P->n] = L->section;
    L->page = (int)P->n++;
    L->y = L->top;
    return DP_OK;
}

dp_status dp_layout_add_box(layouter *L, int page, dp_box box)
{
    dp_page *pg = &L->pages->pages[page];
    if (DP_VEC_GROW(pg->boxes, pg->nboxes, pg->capboxes) < 0)
        return DP_ENOMEM;
    pg->boxes[pg->nboxes++] = box;
    return DP_OK;
}

dp_status dp_layout_add_link(layouter *L, int page, dp_link link)
{
    dp_page *pg = &L->pages->pages[page];
    if (DP_VEC_GROW(pg->links, pg->nlinks, pg->caplinks) < 0)
        return DP_ENOMEM;
    pg->links[pg->nlinks++] = link;
    return DP_OK;
}

/* A bookmark shows one line of a title: a longer one is cut (at a
 * character) and ends in "…"; PDF strings are limited too. */
#define MAX_MARK_CHARS 500

dp_status dp_layout_add_mark(layouter *L, const char *id, const char *title,
                             int level, double y)
{
    dp_pages *P = L->pages;
    size_t len = strlen(title), at = 0;
    for (int n = 0; at < len && n < MAX_MARK_CHARS; n++) {
        uint32_t cp;
        size_t k = dp_utf8_decode(title + at, len - at, &cp);
        at += k ? k : 1;
    }
    if (at < len) {
        char *cut = dp_arena_alloc(&P->arena, at + sizeof "…");
        if (!cut)
            return DP_ENOMEM;
        memcpy(cut, title, at);
        memcpy(cut + at, "…", sizeof "…");
        title = cut;
    }
    if (DP_VEC_GROW(P->marks, P->nmarks, P->capmarks) < 0)
        return DP_ENOMEM;
    P->marks[P->nmarks++] = (dp_mark){id, title, level, L->page, pdf_y(L, y)};
    return DP_OK;
}
