/*
 * The table of contents: entries laid out before the body with their
 * number column reserved, so the contents never need a second layout;
 * page numbers, dot leaders and links filled in once the body is laid
 * out (dp_layout_toc_numbers()).
 */
#include <stdio.h>
#include <string.h>

#include "base/status.h"
#include "base/vec.h"
#include "layouter.h"

/* The contents: one entry per article under its section. The number
 * column is reserved now and filled in by dp_layout_toc_numbers(). */
dp_status dp_layout_contents(layouter *L, int own_page)
{
    dp_status status = DP_OK;
    const dp_style *st = L->st;
    double size = st->toc_size, pitch = size * 1.7;
    double numw = size * 3;
    if (own_page)
        DP_TRY(dp_layout_new_page(L));
    else
        dp_layout_space_before(L, st->body_size * 2);
    L->section = NULL;
    text_style hs = {DP_FONT_HEADING, st->section_size, st->color_accent};
    DP_TRY(dp_layout_struct_begin(L, DP_ROLE_H1));
    DP_TRY(dp_layout_draw_label(L, L->page, "目次", hs, L->left,
                                pdf_y(L, L->y + hs.size), 0, NULL));
    dp_layout_struct_end(L);
    L->y += hs.size * 2.2;
    /* TOC → TOCI per issuing body (its name, then a TOC of its articles)
     * → TOCI → Reference → Link per article */
    DP_TRY(dp_layout_struct_begin(L, DP_ROLE_TOC));
    for (const dp_section *s = L->doc->sections; s; s = s->next) {
        text_style ss = {DP_FONT_HEADING, size * 1.1, st->color_accent};
        dp_layout_space_before(L, size * 0.6);
        DP_TRY(dp_layout_need_space(L, pitch * 3));
        DP_TRY(dp_layout_struct_begin(L, DP_ROLE_TOCI));
        DP_TRY(dp_layout_struct_begin(L, DP_ROLE_P));
        DP_TRY(dp_layout_display_text(L, s->name, ss, L->left, L->measure, pitch, NULL));
        dp_layout_struct_end(L);
        DP_TRY(dp_layout_struct_begin(L, DP_ROLE_TOC));
        for (const dp_article *a = s->articles; a; a = a->next) {
            text_style ts = {DP_FONT_BODY, size, st->color_text};
            L->nspans = 0;
            DP_TRY(dp_layout_flatten(L, a->title, ts, NULL));
            double x = L->left + size * 1.5, w = L->measure - size * 1.5 - numw;
            DP_TRY(dp_layout_set_text(L, w, w, 1));
            if (L->lines.n == 0)
                continue;
            DP_TRY(dp_layout_need_space(L, pitch * (double)(L->lines.n < 3 ? L->lines.n : 2)));
            toc_entry e = {0};
            e.top_page = L->page;
            e.top = pdf_y(L, L->y);
            e.size = size;
            e.dest = a->id;
            DP_TRY(dp_layout_struct_begin(L, DP_ROLE_TOCI));
            DP_TRY(dp_layout_struct_begin(L, DP_ROLE_REFERENCE));
            DP_TRY(dp_layout_struct_begin(L, DP_ROLE_LINK));
            e.link = L->cur; /* the page number and the annotation join it */
            for (size_t j = 0; j < L->lines.n; j++) {
                if (L->y + pitch > L->bottom + 0.01)
                    DP_TRY(dp_layout_new_page(L));
                const dp_line *ln = &L->lines.items[j];
                e.baseline = pdf_y(L, L->y + baseline_in(pitch, size));
                DP_TRY(dp_layout_emit_units(L, &L->para, L->page, ln->first, ln->end, x, e.baseline));
                const dp_unit *last = &L->para.units[ln->end - 1];
                e.text_end = x + last->x + last->adv;
                e.page = L->page;
                L->y += pitch;
            }
            for (int k = 0; k < 3; k++)
                dp_layout_struct_end(L);
            if (DP_VEC_GROW(L->toc, L->ntoc, L->captoc) < 0) {
                status = DP_ENOMEM;
                goto done;
            }
            L->toc[L->ntoc++] = e;
        }
        dp_layout_struct_end(L); /* the articles' TOC */
        dp_layout_struct_end(L); /* the issuing body's TOCI */
    }
    dp_layout_struct_end(L);
done:
    return status;
}

/* The contents list articles in document order, as the marks are: the
 * search starts after the last hit and wraps, so the contents cost is
 * linear in the articles instead of quadratic. */
static const dp_mark *find_mark(const dp_pages *P, const char *id, size_t *hint)
{
    for (size_t k = 0; k < P->nmarks; k++) {
        size_t i = (*hint + k) % P->nmarks;
        if (P->marks[i].level == 1 && strcmp(P->marks[i].id, id) == 0) {
            *hint = i;
            return &P->marks[i];
        }
    }
    return NULL;
}

dp_status dp_layout_toc_numbers(layouter *L)
{
    dp_status status = DP_OK;
    size_t hint = 0;
    for (size_t i = 0; i < L->ntoc; i++) {
        const toc_entry *e = &L->toc[i];
        const dp_mark *m = find_mark(L->pages, e->dest, &hint);
        if (!m)
            continue;
        char num[16];
        snprintf(num, sizeof num, "%d", m->page + 1 - L->pages->first_body_page);
        const char *k = dp_layout_keep(L, num);
        DP_CHECK_ALLOC(k);
        int cur = L->cur;
        L->cur = e->link;
        text_style ts = {DP_FONT_BODY, e->size, L->st->color_text};
        double right = L->left + L->measure, w = 0;
        DP_TRY(dp_layout_draw_label(L, e->page, k, ts, right, e->baseline, 1, &w));
        double from = e->text_end + e->size * 0.6, to = right - w - e->size * 0.6;
        if (to > from)
            DP_TRY(dp_layout_add_box(L, e->page, (dp_box){DP_BOX_DOTS, from, e->baseline + e->size * 0.1,
                                                          to - from, 0, 0x888888, 0.9}));
        /* the whole entry links to its article */
        for (int p = e->top_page; p <= e->page; p++) {
            double y1 = p == e->top_page ? e->top : L->pages->height - L->top;
            double y0 = p == e->page ? e->baseline - e->size * 0.45
                                     : L->pages->height - L->bottom;
            DP_TRY(dp_layout_add_link(L, p, (dp_link){L->left, y0, right, y1, NULL, e->dest,
                                                       -1, 0}));
        }
        L->cur = cur;
    }
done:
    return status;
}
