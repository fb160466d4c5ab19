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
    double top = L->y, base = pdf_y(L, top + size * 2.1 * 0.68);
    if (!dest)
        DP_TRY(dp_layout_add_box(L, L->page, (dp_box){DP_BOX_FILL, x, pdf_y(L, top + rh),
                                                      w, rh, L->st->color_glance, 0}));
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
    DP_TRY(dp_layout_draw_label(L, L->page, count, ts, x + w - colw - size * 0.5, base, 1, NULL));
    DP_TRY(dp_layout_draw_label(L, L->page, fresh, ts, x + w - size * 0.5, base, 1, NULL));
    if (dest)
        DP_TRY(dp_layout_add_link(L, L->page, (dp_link){x, pdf_y(L, top + rh), x + w,
                                                        pdf_y(L, top), NULL, dest}));
    L->y += rh;
    DP_TRY(dp_layout_add_box(L, L->page, (dp_box){DP_BOX_LINE, x, pdf_y(L, L->y), w, 0,
                                                  L->st->color_rule, L->st->rule_glance}));
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
    DP_TRY(glance_row(L, st->label.glance_body, st->label.glance_articles,
                      st->label.glance_new, hs, NULL));
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
done:
    return status;
}

/* The article count from a label template ({articles} {new} {bodies}),
 * into out (a template is at most DP_STYLE_LABEL bytes, each field a
 * number: out of 2 * DP_STYLE_LABEL bytes cannot overflow). */
static dp_status fill_count(layouter *L, const char *tmpl, char *out, size_t cap)
{
    dp_status status = DP_OK;
    const dp_doc *doc = L->doc;
    char n[3][16];
    snprintf(n[0], sizeof n[0], "%d", doc->n_articles);
    snprintf(n[1], sizeof n[1], "%d", doc->n_new);
    snprintf(n[2], sizeof n[2], "%d", doc->n_sections);
    static const char *const names[] = {"articles", "new", "bodies"};
    const char *values[] = {n[0], n[1], n[2]};
    dp_buf_reset(&L->scratch);
    DP_TRY(dp_style_fill(&L->scratch, tmpl, names, values, 3));
    snprintf(out, cap, "%s", L->scratch.data ? L->scratch.data : "");
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
    pg->pictures[pg->npictures++] = (dp_picture){st->cover_logo, (int)info->type, index,
                                                 L->left, pdf_y(L, L->top + h), w, h};
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
    L->y = L->top + (L->bottom - L->top) * st->cover_top;
    /* accent bar */
    DP_TRY(dp_layout_add_box(L, L->page, (dp_box){DP_BOX_FILL, L->left, pdf_y(L, L->y),
                                                  size * 4, size * 0.35, st->color_accent, 0}));
    L->y += size * 1.2;
    if (doc->series) {
        text_style ss = {DP_FONT_HEADING, size * 1.3, st->color_accent};
        L->nspans = 0;
        DP_TRY(dp_layout_push_span(L, doc->series, strlen(doc->series), ss.font, ss.size,
                                   ss.color, NULL, doc->lang, 0));
        DP_TRY(dp_layout_set_text(L, L->measure, L->measure, 1));
        DP_TRY(dp_layout_place_lines(L, L->left, 0, ss.size * 1.6, NULL, NULL));
        L->y += size;
    }
    text_style tt = {DP_FONT_HEADING, st->cover_title_size, st->color_text};
    L->nspans = 0;
    DP_TRY(dp_layout_push_span(L, doc->title, strlen(doc->title), tt.font, tt.size,
                               tt.color, NULL, doc->lang, 0));
    DP_TRY(dp_layout_set_text(L, L->measure, L->measure, 1));
    DP_TRY(dp_layout_place_lines(L, L->left, 0, tt.size * 1.45, NULL, NULL));
    if (doc->subtitle) {
        text_style sb = {DP_FONT_HEADING, size * 1.3, st->color_muted};
        L->nspans = 0;
        DP_TRY(dp_layout_push_span(L, doc->subtitle, strlen(doc->subtitle), sb.font,
                                   sb.size, sb.color, NULL, doc->lang, 0));
        DP_TRY(dp_layout_set_text(L, L->measure, L->measure, 1));
        DP_TRY(dp_layout_place_lines(L, L->left, 0, sb.size * 1.6, NULL, NULL));
    }
    L->y += size * 1.5;
    DP_TRY(dp_layout_add_box(L, L->page, (dp_box){DP_BOX_LINE, L->left, pdf_y(L, L->y),
                                                  L->measure, 0, st->color_rule, st->rule_cover}));
    L->y += size;
    /* dates as written in the digest (ISO), so they copy and search as
     * the source has them */
    text_style ms = {DP_FONT_BODY, size * 1.05, st->color_text};
    char count[DP_STYLE_LABEL * 2];
    DP_TRY(fill_count(L, st->label.count_cover, count, sizeof count));
    const char *labels[4], *values[4];
    int nrows = 0;
    labels[nrows] = st->label.issued;
    values[nrows++] = doc->published;
    if (doc->updated) {
        labels[nrows] = st->label.updated;
        values[nrows++] = doc->updated;
    }
    labels[nrows] = st->label.articles;
    values[nrows++] = count;
    if (doc->publisher) {
        labels[nrows] = st->label.publisher;
        values[nrows++] = doc->publisher;
    }
    for (int i = 0; i < nrows; i++) {
        dp_buf_reset(&L->scratch);
        if (dp_buf_printf(&L->scratch, "%s　%s", labels[i], values[i]) < 0) {
            status = DP_ENOMEM;
            goto done;
        }
        const char *row = dp_layout_keep(L, L->scratch.data);
        DP_CHECK_ALLOC(row);
        DP_TRY(dp_layout_display_text(L, row, ms, L->left, L->measure, ms.size * 1.7, NULL));
    }
    if (doc->summary) {
        L->y += size * 1.2;
        text_style hs = {DP_FONT_HEADING, size * 1.1, st->color_accent};
        DP_TRY(dp_layout_draw_label(L, L->page, st->label.summary, hs, L->left,
                                    pdf_y(L, L->y + baseline_in(size * 1.8, hs.size)), 0, NULL));
        L->y += size * 1.9;
        text_style bs = {DP_FONT_BODY, size, st->color_text};
        DP_TRY(dp_layout_text_block(L, doc->summary, bs, JUSTIFIED, L->left, L->measure, size, NULL, NULL));
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
    if (doc->series)
        DP_TRY(block_label(L, doc->series, (text_style){DP_FONT_HEADING, size, st->color_accent},
                           size * 1.8));
    text_style tt = {DP_FONT_HEADING, st->section_size * 1.2, st->color_text};
    L->nspans = 0;
    DP_TRY(dp_layout_push_span(L, doc->title, strlen(doc->title), tt.font, tt.size,
                               tt.color, NULL, doc->lang, 0));
    DP_TRY(dp_layout_set_text(L, L->measure, L->measure, 1));
    DP_TRY(dp_layout_place_lines(L, L->left, 0, tt.size * 1.4, NULL, NULL));
    if (doc->subtitle)
        DP_TRY(block_label(L, doc->subtitle,
                           (text_style){DP_FONT_HEADING, size * 1.1, st->color_muted},
                           size * 1.1 * 1.8));
    /* any length: a long publisher is wrapped below, never cut */
    char count[DP_STYLE_LABEL * 2];
    DP_TRY(fill_count(L, st->label.count, count, sizeof count));
    const char *j = st->label.join;
    dp_buf_reset(&L->scratch);
    if (dp_buf_printf(&L->scratch, "%s %s", st->label.issued, doc->published) < 0 ||
        (doc->updated &&
         dp_buf_printf(&L->scratch, "%s%s %s", j, st->label.updated, doc->updated) < 0) ||
        dp_buf_printf(&L->scratch, "%s%s %s", j, st->label.articles, count) < 0 ||
        (doc->publisher &&
         dp_buf_printf(&L->scratch, "%s%s %s", j, st->label.publisher, doc->publisher) < 0)) {
        status = DP_ENOMEM;
        goto done;
    }
    const char *k = dp_layout_keep(L, L->scratch.data);
    DP_CHECK_ALLOC(k);
    text_style ms = {DP_FONT_BODY, size * 0.9, st->color_muted};
    L->nspans = 0;
    DP_TRY(dp_layout_push_span(L, k, strlen(k), ms.font, ms.size, ms.color, NULL, doc->lang, 0));
    DP_TRY(dp_layout_set_text(L, L->measure, L->measure, 1));
    DP_TRY(dp_layout_place_lines(L, L->left, 0, ms.size * 1.6, NULL, NULL));
    if (doc->summary) {
        L->y += size * 0.5;
        text_style bs = {DP_FONT_BODY, size, st->color_text};
        DP_TRY(dp_layout_text_block(L, doc->summary, bs, JUSTIFIED, L->left, L->measure, size, NULL, NULL));
    }
    L->y += size * 0.5;
    DP_TRY(dp_layout_add_box(L, L->page, (dp_box){DP_BOX_FILL, L->left, pdf_y(L, L->y + 1),
                                                  L->measure, 1, st->color_accent, 0}));
    L->y += size;
done:
    return status;
}
