/*
 * Front matter: the cover (logo, series, title, subtitle, dates and
 * counts, summary, the at-a-glance table of issuing bodies) or, without
 * a cover, the compact title block that opens page 1.
 */
#include <stdio.h>
#include <string.h>

#include "base/buf.h"
#include "base/status.h"
#include "base/vec.h"
#include "image.h"
#include "layouter.h"

/* The most lines an issuing body's name takes in the at-a-glance table;
 * a longer one ends in "…" (its section heading shows all of it). */
#define GLANCE_NAME_LINES 4

/* One row of the at-a-glance table; dest (a section id) or NULL. A name
 * wider than its column wraps, and the row grows with it. */
static dp_status glance_row(layouter *L, const char *name, const char *count,
                            const char *fresh, text_style ts, const char *dest)
{
    dp_status status = DP_OK;
    double size = L->st->body_size, rh = size * 2.1, colw = size * 5.5;
    double x = L->left, w = L->measure, namew = w - 2 * colw - size, nw = 0;
    double pitch = size * 1.5;
    DP_TRY(dp_layout_label_width(L, name, ts, &nw));
    size_t nlines = 1;
    if (nw > namew + 0.01) {
        L->nspans = 0;
        DP_TRY(dp_layout_push_span(L, name, strlen(name), ts.font, ts.size, ts.color, NULL,
                                   L->doc->lang, 0));
        DP_TRY(dp_layout_set_text(L, namew, namew, RAGGED));
        nlines = L->lines.n < GLANCE_NAME_LINES ? L->lines.n : GLANCE_NAME_LINES;
        if (nlines == 0) { /* nothing to wrap after all: one line */
            nlines = 1;
            nw = 0;
        }
        /* the first line's baseline where a one-line row has it, each
         * further line a pitch lower */
        rh += (double)(nlines - 1) * pitch;
    }
    if (L->y + rh > L->bottom + 0.01)
        DP_TRY(dp_layout_new_page(L));
    /* a row of the table; a linked row's link is its name */
    int header = dest == NULL, link = -1;
    DP_TRY(dp_layout_struct_begin(L, DP_ROLE_TR));
    DP_TRY(dp_layout_struct_begin(L, header ? DP_ROLE_TH : DP_ROLE_TD));
    if (header)
        L->pages->elems[L->cur].scope = DP_SCOPE_COLUMN;
    if (dest) {
        DP_TRY(dp_layout_struct_begin(L, DP_ROLE_LINK));
        link = L->cur;
    }
    double top = L->y, base = pdf_y(L, top + size * 2.1 * 0.68);
    if (!dest)
        DP_TRY(dp_layout_add_box(L, L->page, (dp_box){DP_BOX_FILL, x, pdf_y(L, top + rh),
                                                      w, rh, 0xEEF2F7, 0}));
    if (nlines == 1 && nw <= namew + 0.01) {
        DP_TRY(dp_layout_draw_label(L, L->page, name, ts, x + size * 0.5, base, 0, NULL));
    } else {
        for (size_t j = 0; j < nlines; j++) {
            const dp_line *ln = &L->lines.items[j];
            double b = base - (double)j * pitch;
            if (j + 1 == nlines && L->lines.n > nlines) {
                /* the rest of the name on the last line, cut */
                const dp_unit *u0 = &L->para.units[ln->first];
                const dp_unit *un = &L->para.units[L->para.n - 1];
                const char *rest = dp_arena_strndup(&L->pages->arena, u0->text,
                                                    (size_t)(un->text + un->text_len - u0->text));
                DP_CHECK_ALLOC(rest);
                DP_TRY(dp_layout_draw_label_fit(L, L->page, rest, ts, x + size * 0.5, b, 0, namew, NULL));
            } else {
                DP_TRY(dp_layout_emit_units(L, &L->para, L->page, ln->first, ln->end, x + size * 0.5, b));
            }
        }
    }
    if (dest)
        dp_layout_struct_end(L); /* the link */
    for (int k = 0; k < 2; k++) {
        dp_layout_struct_end(L); /* the cell before */
        DP_TRY(dp_layout_struct_begin(L, header ? DP_ROLE_TH : DP_ROLE_TD));
        if (header)
            L->pages->elems[L->cur].scope = DP_SCOPE_COLUMN;
        DP_TRY(dp_layout_draw_label(L, L->page, k ? fresh : count, ts,
                                    x + w - (k ? 0 : colw) - size * 0.5, base, 1, NULL));
    }
    dp_layout_struct_end(L);
    if (dest) {
        int row = L->cur;
        L->cur = link;
        status = dp_layout_add_link(L, L->page, (dp_link){x, pdf_y(L, top + rh), x + w,
                                                          pdf_y(L, top), NULL, dest, -1, 0});
        L->cur = row;
        if (status < 0)
            goto done;
    }
    dp_layout_struct_end(L); /* the row */
    L->y += rh;
    DP_TRY(dp_layout_add_box(L, L->page, (dp_box){DP_BOX_LINE, x, pdf_y(L, L->y), w, 0,
                                                  0xBBBBBB, 0.5}));
done:
    return status;
}

/* The cover's at-a-glance table: articles and new articles per issuing
 * body, each row linking to its section. */
static dp_status glance(layouter *L)
{
    dp_status status = DP_OK;
    const dp_style *st = L->st;
    double size = st->body_size;
    text_style hs = {DP_FONT_HEADING, size * 0.95, st->color_accent};
    text_style cs = {DP_FONT_BODY, size, st->color_text};
    int rows = L->doc->n_sections + 1;
    DP_TRY(dp_layout_need_space(L, size * 2.1 * (rows < 6 ? rows : 6)));
    DP_TRY(dp_layout_struct_begin(L, DP_ROLE_TABLE));
    DP_TRY(dp_layout_struct_begin(L, DP_ROLE_THEAD));
    DP_TRY(glance_row(L, "発行機関", "記事", "うち新着", hs, NULL));
    dp_layout_struct_end(L);
    DP_TRY(dp_layout_struct_begin(L, DP_ROLE_TBODY));
    for (const dp_section *s = L->doc->sections; s; s = s->next) {
        int fresh = 0;
        for (const dp_article *a = s->articles; a; a = a->next)
            fresh += a->is_new;
        char n1[16], n2[16];
        snprintf(n1, sizeof n1, "%d", s->n_articles);
        snprintf(n2, sizeof n2, "%d", fresh);
        const char *k1 = dp_layout_keep(L, n1), *k2 = dp_layout_keep(L, n2);
        DP_CHECK_ALLOC(k1);
        DP_CHECK_ALLOC(k2);
        DP_TRY(glance_row(L, s->name, k1, k2, cs, s->id));
    }
    dp_layout_struct_end(L);
    dp_layout_struct_end(L);
done:
    return status;
}

/* The style's logo on the cover: at most 12 mm high, top left. */
static dp_status cover_logo(layouter *L)
{
    const dp_style *st = L->st;
    int index;
    char why[DP_IMAGE_WHY];
    if (L->on_read)
        L->on_read(L->on_read_user, st->cover_logo);
    dp_status status = dp_layout_image(L->pages, st->cover_logo, L->logo_root, &index, why);
    if (status < 0) {
        dp_error(L->d, st->cover_logo, 0, "cover logo: %s", why);
        return status == DP_EIO ? DP_EINPUT : status;
    }
    const dp_image *info = &L->pages->images[index].image;
    double h = 34, w = h * info->width / info->height;
    if (w > L->measure / 2) {
        w = L->measure / 2;
        h = w * info->height / info->width;
    }
    dp_page *pg = &L->pages->pages[L->page];
    if (DP_VEC_GROW(pg->pictures, pg->npictures, pg->cappictures) < 0)
        return DP_ENOMEM;
    /* the publisher's mark: decoration, the text says who publishes */
    pg->pictures[pg->npictures++] = (dp_picture){st->cover_logo, (int)info->type, index,
                                                 L->left, pdf_y(L, L->top + h), w, h,
                                                 DP_TAG_LAYOUT, L->seq++};
    return DP_OK;
}

dp_status dp_layout_cover(layouter *L)
{
    dp_status status = DP_OK;
    const dp_style *st = L->st;
    const dp_doc *doc = L->doc;
    double size = st->body_size;
    DP_TRY(dp_layout_new_page(L));
    if (st->cover_logo[0])
        DP_TRY(cover_logo(L));
    L->y = L->top + (L->bottom - L->top) * 0.14;
    /* accent bar */
    DP_TRY(dp_layout_add_box(L, L->page, (dp_box){DP_BOX_FILL, L->left, pdf_y(L, L->y),
                                                  size * 4, size * 0.35, st->color_accent, 0}));
    L->y += size * 1.2;
    if (doc->series) {
        text_style ss = {DP_FONT_HEADING, size * 1.3, st->color_accent};
        DP_TRY(dp_layout_struct_begin(L, DP_ROLE_P));
        L->nspans = 0;
        DP_TRY(dp_layout_push_span(L, doc->series, strlen(doc->series), ss.font, ss.size,
                                   ss.color, NULL, doc->lang, 0));
        DP_TRY(dp_layout_set_text(L, L->measure, L->measure, 1));
        DP_TRY(dp_layout_place_lines(L, L->left, 0, ss.size * 1.6, NULL, NULL));
        dp_layout_struct_end(L);
        L->y += size;
    }
    text_style tt = {DP_FONT_HEADING, st->cover_title_size, st->color_text};
    DP_TRY(dp_layout_struct_begin(L, DP_ROLE_H1));
    L->nspans = 0;
    DP_TRY(dp_layout_push_span(L, doc->title, strlen(doc->title), tt.font, tt.size,
                               tt.color, NULL, doc->lang, 0));
    DP_TRY(dp_layout_set_text(L, L->measure, L->measure, 1));
    DP_TRY(dp_layout_place_lines(L, L->left, 0, tt.size * 1.45, NULL, NULL));
    dp_layout_struct_end(L);
    if (doc->subtitle) {
        text_style sb = {DP_FONT_HEADING, size * 1.3, st->color_muted};
        DP_TRY(dp_layout_struct_begin(L, DP_ROLE_P));
        L->nspans = 0;
        DP_TRY(dp_layout_push_span(L, doc->subtitle, strlen(doc->subtitle), sb.font,
                                   sb.size, sb.color, NULL, doc->lang, 0));
        DP_TRY(dp_layout_set_text(L, L->measure, L->measure, 1));
        DP_TRY(dp_layout_place_lines(L, L->left, 0, sb.size * 1.6, NULL, NULL));
        dp_layout_struct_end(L);
    }
    L->y += size * 1.5;
    DP_TRY(dp_layout_add_box(L, L->page, (dp_box){DP_BOX_LINE, L->left, pdf_y(L, L->y),
                                                  L->measure, 0, 0xBBBBBB, 0.6}));
    L->y += size;
    /* dates as written in the digest (ISO), so they copy and search as
     * the source has them */
    char line[512];
    text_style ms = {DP_FONT_BODY, size * 1.05, st->color_text};
    const char *rows[4];
    int nrows = 0;
    snprintf(line, sizeof line, "発行日　%s", doc->published);
    rows[nrows++] = dp_layout_keep(L, line);
    if (doc->updated) {
        snprintf(line, sizeof line, "更新日　%s", doc->updated);
        rows[nrows++] = dp_layout_keep(L, line);
    }
    snprintf(line, sizeof line, "掲載記事　%d件（うち新着%d件）・%d機関",
             doc->n_articles, doc->n_new, doc->n_sections);
    rows[nrows++] = dp_layout_keep(L, line);
    if (doc->publisher) { /* any length: not through line[] */
        dp_buf_reset(&L->scratch);
        if (dp_buf_printf(&L->scratch, "発行　%s", doc->publisher) < 0) {
            status = DP_ENOMEM;
            goto done;
        }
        rows[nrows++] = dp_layout_keep(L, L->scratch.data);
    }
    for (int i = 0; i < nrows; i++) {
        DP_CHECK_ALLOC(rows[i]);
        DP_TRY(dp_layout_struct_begin(L, DP_ROLE_P));
        DP_TRY(dp_layout_display_text(L, rows[i], ms, L->left, L->measure, ms.size * 1.7, NULL));
        dp_layout_struct_end(L);
    }
    if (doc->summary) {
        L->y += size * 1.2;
        text_style hs = {DP_FONT_HEADING, size * 1.1, st->color_accent};
        DP_TRY(dp_layout_struct_begin(L, DP_ROLE_H2));
        DP_TRY(dp_layout_draw_label(L, L->page, "概要", hs, L->left,
                                    pdf_y(L, L->y + baseline_in(size * 1.8, hs.size)), 0, NULL));
        dp_layout_struct_end(L);
        L->y += size * 1.9;
        text_style bs = {DP_FONT_BODY, size, st->color_text};
        DP_TRY(dp_layout_struct_begin(L, DP_ROLE_P));
        DP_TRY(dp_layout_text_block(L, doc->summary, bs, JUSTIFIED, L->left, L->measure, size, NULL, NULL));
        dp_layout_struct_end(L);
    }
    if (doc->n_sections > 0) {
        L->y += size * 1.5;
        DP_TRY(glance(L));
    }
done:
    return status;
}

/* A line of the title block: its baseline one size below the cursor,
 * the cursor down by pitch; wrapped at the measure when wider. */
static dp_status block_label(layouter *L, const char *text, text_style ts, double pitch)
{
    dp_status status = DP_OK;
    double w = 0;
    DP_TRY(dp_layout_label_width(L, text, ts, &w));
    if (w <= L->measure + 0.01) {
        DP_TRY(dp_layout_draw_label(L, L->page, text, ts, L->left, pdf_y(L, L->y + ts.size), 0, NULL));
        L->y += pitch;
    } else {
        L->nspans = 0;
        DP_TRY(dp_layout_push_span(L, text, strlen(text), ts.font, ts.size, ts.color, NULL,
                                   L->doc->lang, 0));
        DP_TRY(dp_layout_set_text(L, L->measure, L->measure, RAGGED));
        DP_TRY(dp_layout_place_lines(L, L->left, 0, pitch, NULL, NULL));
    }
done:
    return status;
}

/* Without a cover, a compact title block opens page 1: series, title,
 * dates and counts. */
dp_status dp_layout_title_block(layouter *L)
{
    dp_status status = DP_OK;
    const dp_style *st = L->st;
    const dp_doc *doc = L->doc;
    double size = st->body_size;
    if (doc->series) {
        DP_TRY(dp_layout_struct_begin(L, DP_ROLE_P));
        DP_TRY(block_label(L, doc->series, (text_style){DP_FONT_HEADING, size, st->color_accent},
                           size * 1.8));
        dp_layout_struct_end(L);
    }
    text_style tt = {DP_FONT_HEADING, st->section_size * 1.2, st->color_text};
    DP_TRY(dp_layout_struct_begin(L, DP_ROLE_H1));
    L->nspans = 0;
    DP_TRY(dp_layout_push_span(L, doc->title, strlen(doc->title), tt.font, tt.size,
                               tt.color, NULL, doc->lang, 0));
    DP_TRY(dp_layout_set_text(L, L->measure, L->measure, 1));
    DP_TRY(dp_layout_place_lines(L, L->left, 0, tt.size * 1.4, NULL, NULL));
    dp_layout_struct_end(L);
    if (doc->subtitle) {
        DP_TRY(dp_layout_struct_begin(L, DP_ROLE_P));
        DP_TRY(block_label(L, doc->subtitle,
                           (text_style){DP_FONT_HEADING, size * 1.1, st->color_muted},
                           size * 1.1 * 1.8));
        dp_layout_struct_end(L);
    }
    /* any length: a long publisher is wrapped below, never cut */
    dp_buf_reset(&L->scratch);
    if (dp_buf_printf(&L->scratch, "発行日 %s%s%s　掲載記事 %d件（うち新着%d件）%s%s",
                      doc->published, doc->updated ? "　更新日 " : "",
                      doc->updated ? doc->updated : "", doc->n_articles, doc->n_new,
                      doc->publisher ? "　発行 " : "",
                      doc->publisher ? doc->publisher : "") < 0) {
        status = DP_ENOMEM;
        goto done;
    }
    const char *k = dp_layout_keep(L, L->scratch.data);
    DP_CHECK_ALLOC(k);
    text_style ms = {DP_FONT_BODY, size * 0.9, st->color_muted};
    DP_TRY(dp_layout_struct_begin(L, DP_ROLE_P));
    L->nspans = 0;
    DP_TRY(dp_layout_push_span(L, k, strlen(k), ms.font, ms.size, ms.color, NULL, doc->lang, 0));
    DP_TRY(dp_layout_set_text(L, L->measure, L->measure, 1));
    DP_TRY(dp_layout_place_lines(L, L->left, 0, ms.size * 1.6, NULL, NULL));
    dp_layout_struct_end(L);
    if (doc->summary) {
        L->y += size * 0.5;
        text_style bs = {DP_FONT_BODY, size, st->color_text};
        DP_TRY(dp_layout_struct_begin(L, DP_ROLE_P));
        DP_TRY(dp_layout_text_block(L, doc->summary, bs, JUSTIFIED, L->left, L->measure, size, NULL, NULL));
        dp_layout_struct_end(L);
    }
    L->y += size * 0.5;
    DP_TRY(dp_layout_add_box(L, L->page, (dp_box){DP_BOX_FILL, L->left, pdf_y(L, L->y + 1),
                                                  L->measure, 1, st->color_accent, 0}));
    L->y += size;
done:
    return status;
}
