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

/* ---- the structure ---- */

const char *dp_role_name(dp_role role)
{
    static const char *const names[] = {
        "Document", "Sect", "Art", "H1", "H2", "H3", "P", "L", "LI", "Lbl", "LBody",
        "BlockQuote", "Table", "THead", "TBody", "TR", "TH", "TD", "Figure", "Caption",
        "TOC", "TOCI", "Reference", "Link", "Span", "Ruby", "RB", "RT"};
    return (size_t)role < sizeof names / sizeof *names ? names[role] : "Span";
}

dp_status dp_layout_struct_add(layouter *L, int parent, dp_role role, int *index)
{
    dp_pages *P = L->pages;
    if (DP_VEC_GROW(P->elems, P->nelems, P->capelems) < 0)
        return DP_ENOMEM;
    P->elems[P->nelems] = (dp_elem){role, parent, L->seq++, NULL, NULL, NULL, 0, 0, -1};
    if (index)
        *index = (int)P->nelems;
    P->nelems++;
    return DP_OK;
}

dp_status dp_layout_struct_begin(layouter *L, dp_role role)
{
    int e;
    dp_status status = dp_layout_struct_add(L, L->cur, role, &e);
    if (status == DP_OK)
        L->cur = e;
    return status;
}

void dp_layout_struct_lang(layouter *L, const char *lang)
{
    if (!lang || L->cur <= 0)
        return;
    const char *around = L->doc->lang ? L->doc->lang : "ja";
    for (int e = L->pages->elems[L->cur].parent; e >= 0; e = L->pages->elems[e].parent)
        if (L->pages->elems[e].lang) {
            around = L->pages->elems[e].lang;
            break;
        }
    if (strcmp(lang, around) != 0)
        L->pages->elems[L->cur].lang = lang;
}

void dp_layout_struct_end(layouter *L)
{
    if (L->cur > 0)
        L->cur = L->pages->elems[L->cur].parent;
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
    /* the annotation belongs to the current Link element; a link made
     * outside one gets its own */
    if (L->cur >= 0 && L->pages->elems[L->cur].role != DP_ROLE_LINK) {
        dp_status status = dp_layout_struct_add(L, L->cur, DP_ROLE_LINK, &link.tag);
        if (status < 0)
            return status;
    } else
        link.tag = L->cur >= 0 ? L->cur : -1;
    link.seq = L->seq++;
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
