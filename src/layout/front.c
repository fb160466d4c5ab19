/*
 * Front matter: the cover (logo; series, title, subtitle and issue, or
 * the series and issue on an accent band above the title; dates and
 * counts; at its foot the summary and the at-a-glance table of issuing
 * bodies) or, without a cover, the compact title block that opens page 1.
 * Their words come from the style's labels; dates are drawn in the
 * style's form and copy as the source has them.
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
 * wider than its column wraps, and the row grows with it. fresh NULL:
 * no column of new articles (every article is new, and the cover's
 * count says so). */
static dp_status glance_row(layouter *L, const char *name, const char *count,
                            const char *fresh, text_style ts, const char *dest)
{
    dp_status status = DP_OK;
    double size = L->st->body_size, rh = size * 2.1, colw = size * 5.5;
    int ncols = fresh ? 2 : 1;
    double x = L->left, w = L->measure, namew = w - ncols * colw - size, nw = 0;
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
    if (dest)
        dp_layout_struct_end(L); /* the link */
    for (int k = 0; k < ncols; k++) {
        dp_layout_struct_end(L); /* the cell before */
        DP_TRY(dp_layout_struct_begin(L, header ? DP_ROLE_TH : DP_ROLE_TD));
        if (header)
            L->pages->elems[L->cur].scope = DP_SCOPE_COLUMN;
        DP_TRY(dp_layout_draw_label(L, L->page, k ? fresh : count, ts,
                                    x + w - (ncols - 1 - k) * colw - size * 0.5, base, 1, NULL));
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
    int all = dp_layout_all_new(L);
    DP_TRY(dp_layout_struct_begin(L, DP_ROLE_TABLE));
    DP_TRY(dp_layout_struct_begin(L, DP_ROLE_THEAD));
    DP_TRY(glance_row(L, st->label.glance_body, st->label.glance_articles,
                      all ? NULL : st->label.glance_new, hs, NULL));
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
        DP_TRY(glance_row(L, s->name, k1, all ? NULL : k2, cs, s->id));
    }
    dp_layout_struct_end(L);
    dp_layout_struct_end(L);
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

dp_status dp_layout_date(layouter *L, const char *tmpl, const char *iso, char *out,
                         size_t cap)
{
    dp_status status = DP_OK;
    /* xsd:date: YYYY-MM-DD, perhaps with a zone after it */
    static const char shape[] = "dddd-dd-dd";
    unsigned v[3] = {0, 0, 0};
    int ok = 1;
    for (int i = 0; i < 10 && ok; i++) {
        if (shape[i] == '-') {
            ok = iso[i] == '-';
        } else {
            ok = iso[i] >= '0' && iso[i] <= '9';
            v[i < 4 ? 0 : i < 7 ? 1 : 2] = v[i < 4 ? 0 : i < 7 ? 1 : 2] * 10 + (unsigned)(iso[i] - '0');
        }
    }
    unsigned y = v[0], m = v[1], d = v[2];
    if (!ok || m < 1 || m > 12 || d < 1 || d > 31) {
        snprintf(out, cap, "%s", iso);
        return DP_OK;
    }
    char f[5][8];
    snprintf(f[0], sizeof f[0], "%u", y);
    snprintf(f[1], sizeof f[1], "%u", m);
    snprintf(f[2], sizeof f[2], "%u", d);
    snprintf(f[3], sizeof f[3], "%02u", m);
    snprintf(f[4], sizeof f[4], "%02u", d);
    static const char *const names[] = {"year", "month", "day", "mm", "dd"};
    const char *values[] = {f[0], f[1], f[2], f[3], f[4]};
    dp_buf_reset(&L->scratch);
    DP_TRY(dp_style_fill(&L->scratch, tmpl, names, values, 5));
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
    /* the publisher's mark: decoration, the text says who publishes */
    pg->pictures[pg->npictures++] = (dp_picture){st->cover_logo, (int)info->type, index,
                                                 L->left, pdf_y(L, L->top + h), w, h,
                                                 DP_TAG_LAYOUT, L->seq++};
    return DP_OK;
}

/* What a page holds so far, to move what is drawn after it. */
typedef struct page_mark {
    int page;
    size_t runs, boxes, links, pictures;
} page_mark;

static page_mark mark_page(const layouter *L)
{
    const dp_page *pg = &L->pages->pages[L->page];
    return (page_mark){L->page, pg->nruns, pg->nboxes, pg->nlinks, pg->npictures};
}

/* Moves everything drawn on m's page since m down by dy points. */
static void move_down_since(layouter *L, const page_mark *m, double dy)
{
    dp_page *pg = &L->pages->pages[m->page];
    for (size_t i = m->runs; i < pg->nruns; i++)
        pg->runs[i].y -= dy;
    for (size_t i = m->boxes; i < pg->nboxes; i++)
        pg->boxes[i].y -= dy;
    for (size_t i = m->links; i < pg->nlinks; i++) {
        pg->links[i].y0 -= dy;
        pg->links[i].y1 -= dy;
    }
    for (size_t i = m->pictures; i < pg->npictures; i++)
        pg->pictures[i].y -= dy;
}

/* A date drawn in the style's form extracts (copies, searches) as the
 * source has it: the first run drawn on m's page since m, and every run
 * of the later pages up to the current one, carry iso as their
 * ActualText, the first one the date and the others nothing. *given:
 * the date was given to a run before (a date wrapped over lines). */
static dp_status mark_actual(layouter *L, const page_mark *m, const char *iso, int *given)
{
    const char *keep = dp_layout_keep(L, iso);
    if (!keep)
        return DP_ENOMEM;
    for (int p = m->page; p <= L->page; p++) {
        dp_page *pg = &L->pages->pages[p];
        for (size_t i = p == m->page ? m->runs : 0; i < pg->nruns; i++) {
            pg->runs[i].actual = *given ? "" : keep;
            *given = 1;
        }
    }
    return DP_OK;
}

/* The cover's facts: a label, then its value, the values of all rows
 * starting at one x; a value is set as body text (so its digits and
 * Latin get the same spacing from the kana) and wraps in its column. */
static dp_status cover_facts(layouter *L, const char *const *labels,
                             const char *const *values, const char *const *iso, int n)
{
    dp_status status = DP_OK;
    const dp_style *st = L->st;
    text_style ms = {DP_FONT_BODY, st->body_size * 1.05, st->color_text};
    double pitch = ms.size * 1.7, lw = 0;
    for (int i = 0; i < n; i++) {
        double w = 0;
        DP_TRY(dp_layout_label_width(L, labels[i], ms, &w));
        if (w > lw)
            lw = w;
    }
    /* the label column at most a third of the measure */
    if (lw > L->measure / 3)
        lw = L->measure / 3;
    double vx = L->left + (lw > 0 ? lw + ms.size : 0);
    double vw = L->left + L->measure - vx;
    for (int i = 0; i < n; i++) {
        DP_TRY(dp_layout_need_space(L, pitch));
        double base = pdf_y(L, L->y + baseline_in(pitch, ms.size));
        DP_TRY(dp_layout_struct_begin(L, DP_ROLE_P));
        DP_TRY(dp_layout_draw_label_fit(L, L->page, labels[i], ms, L->left, base, 0, lw, NULL));
        L->nspans = 0;
        DP_TRY(dp_layout_push_span(L, values[i], strlen(values[i]), ms.font, ms.size,
                                   ms.color, NULL, L->doc->lang, 0));
        DP_TRY(dp_layout_set_text(L, vw, vw, RAGGED));
        page_mark m = mark_page(L);
        if (L->lines.n == 0)
            L->y += pitch;
        else
            DP_TRY(dp_layout_place_lines(L, vx, 0, pitch, NULL, NULL));
        int given = 0;
        if (iso[i])
            DP_TRY(mark_actual(L, &m, iso[i], &given));
        dp_layout_struct_end(L);
    }
done:
    return status;
}

/* A line of the front matter set as display text (wrapped if it must,
 * with the body's spacing between kana and digits) in an element of its
 * own. */
static dp_status cover_line(layouter *L, dp_role role, const char *text, text_style ts,
                            double pitch)
{
    dp_status status = DP_OK;
    L->nspans = 0;
    DP_TRY(dp_layout_push_span(L, text, strlen(text), ts.font, ts.size, ts.color, NULL,
                               L->doc->lang, 0));
    DP_TRY(dp_layout_set_text(L, L->measure, L->measure, RAGGED));
    DP_TRY(dp_layout_struct_begin(L, role));
    DP_TRY(dp_layout_place_lines(L, L->left, 0, pitch, NULL, NULL));
    dp_layout_struct_end(L);
done:
    return status;
}

/* The cover's band: color.accent from the page's top edge across its
 * width down to the cursor, the series (wrapped if it must) and the issue
 * in color.badge at its foot; the cursor below it. */
static dp_status cover_band(layouter *L, const char *period)
{
    dp_status status = DP_OK;
    const dp_style *st = L->st;
    const dp_doc *doc = L->doc;
    double size = st->body_size;
    text_style ss = {DP_FONT_HEADING, size * 1.2, st->color_badge};
    text_style ps = {DP_FONT_HEADING, size * 1.8, st->color_badge};
    /* what goes on the band, bottom up: the issue, then the series */
    double need = size * 1.6 + (period[0] ? ps.size * 1.6 : 0);
    size_t nseries = 0;
    if (doc->series) {
        L->nspans = 0;
        DP_TRY(dp_layout_push_span(L, doc->series, strlen(doc->series), ss.font, ss.size,
                                   ss.color, NULL, doc->lang, 0));
        DP_TRY(dp_layout_set_text(L, L->measure, L->measure, RAGGED));
        nseries = L->lines.n;
        need += (double)nseries * ss.size * 1.5;
    }
    double bottom = L->y > need + size ? L->y : need + size;
    DP_TRY(dp_layout_add_box(L, L->page, (dp_box){DP_BOX_FILL, 0, pdf_y(L, bottom),
                                                  L->pages->width, bottom, st->color_accent, 0}));
    L->y = bottom - need + size * 0.4;
    if (nseries) {
        DP_TRY(dp_layout_struct_begin(L, DP_ROLE_P));
        DP_TRY(dp_layout_place_lines(L, L->left, 0, ss.size * 1.5, NULL, NULL));
        dp_layout_struct_end(L);
    }
    if (period[0])
        DP_TRY(cover_line(L, DP_ROLE_P, period, ps, ps.size * 1.6));
    L->y = bottom + size * 2;
done:
    return status;
}

/* A heading on the cover (the summary's, the table's), with the block
 * it opens. */
static dp_status cover_heading(layouter *L, const char *text)
{
    dp_status status = DP_OK;
    double size = L->st->body_size;
    text_style hs = {DP_FONT_HEADING, size * 1.1, L->st->color_accent};
    DP_TRY(dp_layout_need_space(L, size * 1.9 + size * 4.2));
    DP_TRY(dp_layout_struct_begin(L, DP_ROLE_H2));
    DP_TRY(dp_layout_draw_label(L, L->page, text, hs, L->left,
                                pdf_y(L, L->y + baseline_in(size * 1.8, hs.size)), 0, NULL));
    dp_layout_struct_end(L);
    L->y += size * 1.9;
done:
    return status;
}

/* The cover from top to bottom (logo, band or bar, series, title,
 * subtitle, issue, rule, facts, then the summary and the at-a-glance
 * table moved to the foot); one function, as the page reads, because each
 * part starts where the one above it ended. */
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
    char period[DP_STYLE_LABEL * 2];
    DP_TRY(dp_layout_date(L, st->label.period, doc->published, period, sizeof period));
    if (st->cover_band) {
        DP_TRY(cover_band(L, period));
        period[0] = '\0'; /* on the band */
    } else {
        /* accent bar */
        DP_TRY(dp_layout_add_box(L, L->page, (dp_box){DP_BOX_FILL, L->left, pdf_y(L, L->y),
                                                      size * 4, size * 0.35, st->color_accent, 0}));
        L->y += size * 1.2;
    }
    if (doc->series && !st->cover_band) {
        text_style ss = {DP_FONT_HEADING, size * 1.3, st->color_accent};
        DP_TRY(cover_line(L, DP_ROLE_P, doc->series, ss, ss.size * 1.6));
        L->y += size;
    }
    text_style tt = {DP_FONT_HEADING, st->cover_title_size, st->color_text};
    DP_TRY(cover_line(L, DP_ROLE_H1, doc->title, tt, tt.size * 1.45));
    if (doc->subtitle) {
        text_style sb = {DP_FONT_HEADING, size * 1.3, st->color_muted};
        DP_TRY(cover_line(L, DP_ROLE_P, doc->subtitle, sb, sb.size * 1.6));
    }
    if (period[0]) {
        /* the issue, under the title: 2026年1月号 */
        text_style ps = {DP_FONT_HEADING, size * 1.3, st->color_accent};
        L->y += size * 0.4;
        DP_TRY(cover_line(L, DP_ROLE_P, period, ps, ps.size * 1.6));
    }
    L->y += size * 1.5;
    DP_TRY(dp_layout_add_box(L, L->page, (dp_box){DP_BOX_LINE, L->left, pdf_y(L, L->y),
                                                  L->measure, 0, st->color_rule, st->rule_cover}));
    L->y += size;
    /* the dates in the style's form (2026年1月6日) */
    char published[DP_STYLE_LABEL * 2], updated[DP_STYLE_LABEL * 2];
    char count[DP_STYLE_LABEL * 2];
    DP_TRY(dp_layout_date(L, st->label.date, doc->published, published, sizeof published));
    if (doc->updated)
        DP_TRY(dp_layout_date(L, st->label.date, doc->updated, updated, sizeof updated));
    DP_TRY(fill_count(L, dp_layout_all_new(L) ? st->label.count_cover_all
                                               : st->label.count_cover, count, sizeof count));
    const char *labels[4], *values[4], *iso[4] = {0};
    int nrows = 0;
    labels[nrows] = st->label.issued;
    iso[nrows] = doc->published;
    values[nrows++] = published;
    if (doc->updated) {
        labels[nrows] = st->label.updated;
        iso[nrows] = doc->updated;
        values[nrows++] = updated;
    }
    labels[nrows] = st->label.articles;
    values[nrows++] = count;
    if (doc->publisher) {
        labels[nrows] = st->label.publisher;
        values[nrows++] = doc->publisher;
    }
    DP_TRY(cover_facts(L, labels, values, iso, nrows));
    /* The summary and the at-a-glance table stand at the foot of the
     * cover, the title block at its head: laid out below the facts, then
     * moved down by the room left (when they fit on the cover). */
    if (!doc->summary && doc->n_sections == 0)
        goto done;
    L->y += size * 1.5;
    page_mark m = mark_page(L);
    if (doc->summary) {
        DP_TRY(cover_heading(L, st->label.summary));
        text_style bs = {DP_FONT_BODY, size, st->color_text};
        DP_TRY(dp_layout_struct_begin(L, DP_ROLE_P));
        DP_TRY(dp_layout_text_block(L, doc->summary, bs, JUSTIFIED, L->left, L->measure, size, NULL, NULL));
        dp_layout_struct_end(L);
    }
    if (doc->n_sections > 0) {
        if (doc->summary)
            L->y += size * 1.5;
        if (st->label.glance[0])
            DP_TRY(cover_heading(L, st->label.glance));
        DP_TRY(glance(L));
    }
    if (L->page == m.page && L->y < L->bottom) {
        move_down_since(L, &m, L->bottom - L->y);
        L->y = L->bottom;
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

/* Places the lines of the title block's facts at the left margin, each
 * date (the spans with an iso[span]) drawn in runs of its own that carry
 * the source's form of it (mark_actual()). */
static dp_status facts_line(layouter *L, const char *const *iso, int nspans, double pitch)
{
    dp_status status = DP_OK;
    const dp_para *p = &L->para;
    int given[6] = {0};
    for (size_t j = 0; j < L->lines.n; j++) {
        const dp_line *ln = &L->lines.items[j];
        if (L->y + pitch > L->bottom + 0.01 && L->y > L->top + 0.01)
            DP_TRY(dp_layout_new_page(L));
        double base = pdf_y(L, L->y + baseline_in(pitch, p->units[ln->first].size));
        for (size_t a = ln->first, b; a < ln->end; a = b) {
            size_t span = p->units[a].span;
            const char *d = (int)span < nspans ? iso[span] : NULL;
            b = a + 1;
            /* a piece without a date: up to the next date */
            while (b < ln->end && !d && !((int)p->units[b].span < nspans && iso[p->units[b].span]))
                b++;
            while (d && b < ln->end && p->units[b].span == span)
                b++;
            page_mark m = mark_page(L);
            DP_TRY(dp_layout_emit_units(L, p, L->page, a, b, L->left, base));
            if (d)
                DP_TRY(mark_actual(L, &m, d, &given[span]));
        }
        L->y += pitch;
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
    DP_TRY(cover_line(L, DP_ROLE_H1, doc->title, tt, tt.size * 1.4));
    if (doc->subtitle) {
        DP_TRY(dp_layout_struct_begin(L, DP_ROLE_P));
        DP_TRY(block_label(L, doc->subtitle,
                           (text_style){DP_FONT_HEADING, size * 1.1, st->color_muted},
                           size * 1.1 * 1.8));
        dp_layout_struct_end(L);
    }
    /* any length: a long publisher is wrapped below, never cut */
    char count[DP_STYLE_LABEL * 2];
    char published[DP_STYLE_LABEL * 2], updated[DP_STYLE_LABEL * 2];
    DP_TRY(fill_count(L, dp_layout_all_new(L) ? st->label.count_all : st->label.count,
                      count, sizeof count));
    DP_TRY(dp_layout_date(L, st->label.date, doc->published, published, sizeof published));
    if (doc->updated)
        DP_TRY(dp_layout_date(L, st->label.date, doc->updated, updated, sizeof updated));
    /* one line of pieces; the dates are pieces of their own, so that
     * they copy as the source has them (mark_actual()) */
    const char *j = st->label.join;
    const char *pieces[6], *iso[6] = {0};
    int np = 0;
    dp_buf_reset(&L->scratch);
    if (dp_buf_printf(&L->scratch, "%s ", st->label.issued) < 0 ||
        !(pieces[np++] = dp_layout_keep(L, L->scratch.data)))
        goto nomem;
    iso[np] = doc->published;
    if (!(pieces[np++] = dp_layout_keep(L, published)))
        goto nomem;
    if (doc->updated) {
        dp_buf_reset(&L->scratch);
        if (dp_buf_printf(&L->scratch, "%s%s ", j, st->label.updated) < 0 ||
            !(pieces[np++] = dp_layout_keep(L, L->scratch.data)))
            goto nomem;
        iso[np] = doc->updated;
        if (!(pieces[np++] = dp_layout_keep(L, updated)))
            goto nomem;
    }
    /* any length: a long publisher is wrapped, never cut */
    dp_buf_reset(&L->scratch);
    if (dp_buf_printf(&L->scratch, "%s%s %s", j, st->label.articles, count) < 0 ||
        (doc->publisher &&
         dp_buf_printf(&L->scratch, "%s%s %s", j, st->label.publisher, doc->publisher) < 0) ||
        !(pieces[np++] = dp_layout_keep(L, L->scratch.data)))
        goto nomem;
    text_style ms = {DP_FONT_BODY, size * 0.9, st->color_muted};
    L->nspans = 0;
    for (int i = 0; i < np; i++)
        DP_TRY(dp_layout_push_span(L, pieces[i], strlen(pieces[i]), ms.font, ms.size, ms.color,
                                   NULL, doc->lang, 0));
    DP_TRY(dp_layout_set_text(L, L->measure, L->measure, 1));
    DP_TRY(dp_layout_struct_begin(L, DP_ROLE_P));
    DP_TRY(facts_line(L, iso, np, ms.size * 1.6));
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
nomem:
    return DP_ENOMEM;
}
