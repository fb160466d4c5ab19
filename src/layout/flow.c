/*
 * The flow of the body: lines placed down the page with widow/orphan
 * control, page breaks when a block does not fit, keeps (a heading or
 * title with two lines of what follows), and the blocks of an article
 * (paragraphs, headings, quotes; lists, tables and figures through their
 * own files), articles with their title block and sections.
 */
#include <math.h>
#include <string.h>

#include "base/status.h"
#include "layouter.h"

/*
 * Places the lines of the current text at x (first line at x + indent)
 * with widow/orphan control: a page never starts or ends with a single
 * line of a block (when the block has at least four lines). When
 * L->keep_next asks for room below the block and the page has none, the
 * block's last two lines (a shorter block: all of it) go to the next
 * page with what follows. first_line_out: page and y of the first line
 * (may be NULL).
 */
/* DP_ELIMIT (reported as new_page would) when n lines of this pitch
 * cannot fit in the pages left under DP_MAX_PAGES: a paragraph of a
 * million forced breaks is refused before it is shaped and drawn, not at
 * its 20 000th page. */
static dp_status check_room(layouter *L, size_t n, double pitch)
{
    double per_page = floor((L->bottom - L->top + 0.01) / pitch);
    if (per_page >= 1 && (double)n / per_page > (double)(DP_MAX_PAGES - L->pages->n) + 1) {
        dp_error(L->d, L->doc->file, 0, "more than %d pages", DP_MAX_PAGES);
        return DP_ELIMIT;
    }
    return DP_OK;
}

dp_status dp_layout_place_lines(layouter *L, double x, double indent,
                                double pitch, int *first_page, double *first_y)
{
    dp_status status = DP_OK;
    size_t n = L->lines.n, i = 0;
    double keep = L->keep_next, center = L->center_width;
    const dp_block *keep_from = L->keep_from;
    L->keep_next = 0;
    L->keep_from = NULL;
    L->center_width = 0;
    DP_TRY(check_room(L, n, pitch));
    while (i < n) {
        /* space before a block can leave the cursor just below the
         * bottom: no room, not a negative count (and no cast of one) */
        double room = floor((L->bottom - L->y + 0.01) / pitch);
        size_t avail = room > 0 ? (size_t)room : 0;
        size_t remain = n - i, k = remain;
        if (avail < remain) {
            k = avail;
            if (remain - k < 2)
                k = remain >= 2 ? remain - 2 : 0;
            if (k < 2)
                k = 0;
            if (k == 0 && L->y <= L->top + 0.01)
                k = avail > 0 ? avail : 1; /* a page cannot hold better */
        } else if (keep > 0 && L->y > L->top + 0.01 &&
                   L->y + (double)remain * pitch + keep > L->bottom + 0.01) {
            if (keep_from) {
                /* keep was an upper bound: the room itself, shaped in the
                 * second buffers so these lines stay where they are */
                dp_layout_swap_text(L);
                status = dp_layout_lead_need(L, keep_from, L->keep_width, L->keep_level, &keep);
                dp_layout_swap_text(L);
                keep_from = NULL;
                if (status < 0)
                    goto done;
            }
            if (L->y + (double)remain * pitch + keep > L->bottom + 0.01)
                k = remain >= 4 ? remain - 2 : 0;
        }
        if (k == 0) {
            DP_TRY(dp_layout_new_page(L));
            continue;
        }
        for (size_t j = i; j < i + k; j++) {
            const dp_line *ln = &L->lines.items[j];
            if (j == 0 && first_page) {
                *first_page = L->page;
                *first_y = L->y;
            }
            double base = pdf_y(L, L->y + baseline_in(pitch, L->para.units[ln->first].size));
            double dx = center > 0 && ln->width < center ? (center - ln->width) / 2 : 0;
            DP_TRY(dp_layout_emit_units(L, &L->para, L->page, ln->first, ln->end,
                                        x + dx + (j == 0 ? indent : 0), base));
            L->y += pitch;
        }
        i += k;
        if (i < n)
            DP_TRY(dp_layout_new_page(L));
    }
done:
    return status;
}

/* Moves to a new page unless `need` points fit below the cursor. */
dp_status dp_layout_need_space(layouter *L, double need)
{
    if (L->y + need > L->bottom + 0.01 && L->y > L->top + 0.01)
        return dp_layout_new_page(L);
    return DP_OK;
}

void dp_layout_space_before(layouter *L, double amount)
{
    if (L->y > L->top + 0.01)
        L->y += amount;
}

/* A block of inline text: p, heading, item line, caption. Body text is
 * justified; display text (headings, subtitles) is set ragged. */
dp_status dp_layout_text_block(layouter *L, const dp_inline *in, text_style ts,
                               int ragged, double x, double width, double indent,
                               int *first_page, double *first_y)
{
    L->nspans = 0;
    dp_status status = dp_layout_flatten(L, in, ts, NULL);
    if (status < 0)
        return status;
    if (L->nspans == 0)
        return DP_OK;
    size_t forced = 1; /* lines at least: one more than the forced breaks */
    for (size_t k = 0; k < L->nspans; k++)
        forced += L->spans[k].len == 1 && L->spans[k].text[0] == '\n';
    status = check_room(L, forced, pitch_of(L, ts.size));
    if (status < 0)
        return status;
    status = dp_layout_set_text(L, width - indent, width, ragged);
    if (status < 0)
        return status;
    return dp_layout_place_lines(L, x, indent, pitch_of(L, ts.size), first_page, first_y);
}

dp_status dp_layout_blocks(layouter *L, const dp_block *b, double x, double width,
                           int level)
{
    dp_status status = DP_OK;
    const dp_style *st = L->st;
    double size = st->body_size;
    text_style body = {DP_FONT_BODY, size, st->color_text};
    const dp_block *head = b;
    for (; b; b = b->next) {
        if (level > DP_MAX_DEPTH)
            break;
        switch (b->kind) {
        case DP_BLK_P: {
            dp_layout_space_before(L, size * st->para_space);
            int ja = !b->lang || strncmp(b->lang, "ja", 2) == 0;
            DP_TRY(dp_layout_struct_begin(L, DP_ROLE_P));
            dp_layout_struct_lang(L, b->lang);
            DP_TRY(dp_layout_text_block(L, b->text, body, JUSTIFIED, x, width, ja ? size : 0, NULL, NULL));
            dp_layout_struct_end(L);
            break;
        }
        case DP_BLK_HEADING: {
            text_style hs = {dp_layout_heading_role(L), st->heading_size, st->color_accent};
            dp_layout_space_before(L, size * st->heading_space);
            /* keep with two lines of what follows */
            DP_TRY(dp_layout_need_space(L, pitch_of(L, hs.size) + 2 * pitch_of(L, size)));
            const char *title = dp_inline_plain((dp_doc *)L->doc, b->text);
            DP_CHECK_ALLOC(title);
            DP_TRY(dp_layout_add_mark(L, b->id, title, 2, L->y));
            int page = L->page;
            double y0 = L->y;
            DP_TRY(dp_layout_struct_begin(L, DP_ROLE_H3));
            dp_layout_struct_lang(L, b->lang);
            DP_TRY(dp_layout_text_block(L, b->text, hs, RAGGED, x + size * 0.6, width - size * 0.6, 0,
                                        &page, &y0));
            dp_layout_struct_end(L);
            /* the bar beside the heading: as tall as its lines on that
             * page (the first line's letters to the last's) */
            double hp = pitch_of(L, hs.size), bottom = y0 + hp * 0.8;
            if (L->page == page && L->y - hp * 0.2 > bottom)
                bottom = L->y - hp * 0.2;
            DP_TRY(dp_layout_add_box(L, page, (dp_box){DP_BOX_FILL, x, pdf_y(L, bottom),
                                                       size * 0.25, bottom - (y0 + hp * 0.2),
                                                       st->color_accent, 0}));
            break;
        }
        case DP_BLK_LIST: {
            double hang = 0;
            DP_TRY(dp_layout_list_hang(L, head, level, &hang));
            /* a nested list follows its item's text as closely as the
             * item's next line would (its items keep their own space) */
            if (level == 0)
                dp_layout_space_before(L, size * st->para_space * 0.5);
            DP_TRY(dp_layout_list(L, b, x, width, level, hang));
            break;
        }
        case DP_BLK_ITEM: /* only inside lists */
            break;
        case DP_BLK_QUOTE: {
            dp_layout_space_before(L, size * st->para_space);
            int page = L->page;
            double y0 = L->y;
            DP_TRY(dp_layout_struct_begin(L, DP_ROLE_BLOCKQUOTE));
            dp_layout_struct_lang(L, b->lang);
            DP_TRY(dp_layout_blocks(L, b->child, x + size * 1.5, width - size * 2, level + 1));
            dp_layout_struct_end(L);
            /* the rule at the left, one piece per page */
            for (int p = page; p <= L->page; p++) {
                double t = p == page ? y0 : L->top;
                double e = p == L->page ? L->y : L->bottom;
                DP_TRY(dp_layout_add_box(L, p, (dp_box){DP_BOX_FILL, x + size * 0.4,
                                                        L->pages->height - e, size * 0.2,
                                                        e - t, st->color_muted, 0}));
            }
            break;
        }
        case DP_BLK_TABLE:
        case DP_BLK_FIGURE: {
            /* boxes have no leading of their own: the half-leading a
             * line of text has above and below its letters is added on
             * both sides, so blocks keep the text's rhythm */
            double lead = (pitch_of(L, size) - size) / 2;
            dp_layout_space_before(L, size * st->para_space + lead);
            if (b->kind == DP_BLK_TABLE)
                DP_TRY(dp_layout_table(L, b, x, width));
            else
                DP_TRY(dp_layout_figure(L, b, x, width));
            L->y += lead;
            break;
        }
        case DP_BLK_ROW:
        case DP_BLK_CELL:
            break;
        }
    }
done:
    return status;
}

/* ---- articles and sections ---- */

/* Room the start of a block needs so that what precedes it (a title or a
 * heading) is kept with at least two lines of text. */
static double lead_height(const layouter *L, const dp_block *b)
{
    double size = L->st->body_size, two = 2 * pitch_of(L, size) + size;
    if (b && b->kind == DP_BLK_HEADING)
        return size * L->st->heading_space + pitch_of(L, L->st->heading_size) + two;
    return two;
}

static dp_status article(layouter *L, const dp_article *a)
{
    dp_status status = DP_OK;
    const dp_style *st = L->st;
    double size = st->body_size;
    text_style ts = {dp_layout_heading_role(L), st->title_size, st->color_text};
    double tpitch = pitch_of(L, ts.size) * 0.85;

    dp_layout_space_before(L, size * st->article_space);
    /* keep the title with two lines of the body */
    DP_TRY(dp_layout_need_space(L, tpitch * 2 + size + lead_height(L, a->body)));
    const char *title = dp_inline_plain((dp_doc *)L->doc, a->title);
    DP_CHECK_ALLOC(title);
    DP_TRY(dp_layout_add_mark(L, a->id, title, 1, L->y));

    DP_TRY(dp_layout_struct_begin(L, DP_ROLE_ART));
    dp_layout_struct_lang(L, a->lang);
    DP_TRY(dp_layout_struct_begin(L, DP_ROLE_H2));
    double x = L->left, width = L->measure, badge = 0;
    if (a->is_new && st->label.badge[0] && !dp_layout_all_new(L)) {
        /* the badge: the style's word on the accent colour, before the
         * title; at least 2.3 title sizes wide, wider for a long word */
        text_style bs = {DP_FONT_HEADING, ts.size * 0.6, st->color_badge};
        double bw = ts.size * 2.3, mid = ts.size * 1.15, lw = 0;
        badge = ts.size * 2.8;
        DP_TRY(dp_layout_label_width(L, st->label.badge, bs, &lw));
        if (lw + ts.size * 0.5 > bw) {
            bw = lw + ts.size * 0.5;
            mid = bw / 2;
            badge = bw + ts.size * 0.5;
        }
        double by = L->y + (tpitch - ts.size * 0.95) / 2;
        DP_TRY(dp_layout_add_box(L, L->page, (dp_box){DP_BOX_FILL, x, pdf_y(L, by + ts.size * 0.95),
                                                      bw, ts.size * 0.95,
                                                      st->color_accent, 0}));
        /* read as the style's word for it (新着), apart from the title */
        int heading = L->cur;
        DP_TRY(dp_layout_struct_begin(L, DP_ROLE_SPAN));
        if (st->label.badge_spoken[0]) {
            dp_buf_reset(&L->scratch);
            DP_TRY(dp_buf_printf(&L->scratch, "%s ", st->label.badge_spoken));
            const char *spoken = dp_layout_keep(L, L->scratch.data);
            DP_CHECK_ALLOC(spoken);
            L->pages->elems[L->cur].actual = spoken;
        }
        DP_TRY(dp_layout_draw_label(L, L->page, st->label.badge, bs, x + mid,
                                    pdf_y(L, by + ts.size * 0.72), 2, NULL));
        L->cur = heading;
    }
    L->nspans = 0;
    DP_TRY(dp_layout_flatten(L, a->title, ts, NULL));
    DP_TRY(dp_layout_set_text(L, width - badge, width - badge, RAGGED));
    for (size_t j = 0; j < L->lines.n; j++) {
        const dp_line *ln = &L->lines.items[j];
        if (L->y + tpitch > L->bottom + 0.01 && L->y > L->top + 0.01)
            DP_TRY(dp_layout_new_page(L)); /* a title longer than a page */
        DP_TRY(dp_layout_emit_units(L, &L->para, L->page, ln->first, ln->end, x + badge,
                                    pdf_y(L, L->y + baseline_in(tpitch, ts.size))));
        L->y += tpitch;
    }
    dp_layout_struct_end(L);
    if (a->subtitle) {
        text_style ss = {DP_FONT_HEADING, size, st->color_muted};
        DP_TRY(dp_layout_struct_begin(L, DP_ROLE_P));
        DP_TRY(dp_layout_text_block(L, a->subtitle, ss, RAGGED, x + badge, width - badge, 0, NULL, NULL));
        dp_layout_struct_end(L);
    }
    if (a->date || a->href) {
        DP_TRY(dp_layout_struct_begin(L, DP_ROLE_P));
        dp_layout_struct_lang(L, "en"); /* set as Latin text, read as such */
        /* the announcement's own date and page, small */
        L->nspans = 0;
        text_style ms = {DP_FONT_BODY, size * 0.85, st->color_muted};
        if (a->date)
            DP_TRY(dp_layout_push_span(L, a->date, strlen(a->date), ms.font, ms.size,
                                       ms.color, NULL, "en", a->line));
        if (a->date && a->href)
            DP_TRY(dp_layout_push_span(L, "  ", 2, ms.font, ms.size, ms.color, NULL, "en", a->line));
        if (a->href) {
            const char *uri = dp_layout_link_uri(L, a->href, strlen(a->href), a->line, 0, &status);
            if (status < 0)
                goto done;
            DP_TRY(dp_layout_push_span(L, a->href, strlen(a->href), ms.font, ms.size,
                                       uri ? st->color_link : ms.color, uri, "en", a->line));
        }
        DP_TRY(dp_layout_set_text(L, width - badge, width - badge, RAGGED_PLAIN));
        DP_TRY(dp_layout_place_lines(L, x + badge, 0, pitch_of(L, ms.size) * 0.9, NULL, NULL));
        dp_layout_struct_end(L);
    }
    /* a hairline under the title */
    L->y += size * 0.3;
    DP_TRY(dp_layout_add_box(L, L->page, (dp_box){DP_BOX_LINE, x, pdf_y(L, L->y), width, 0,
                                                  st->color_rule, st->rule_width}));
    L->y += size * 0.3;
    DP_TRY(dp_layout_blocks(L, a->body, x, width, 0));
    dp_layout_struct_end(L);
done:
    return status;
}

dp_status dp_layout_section(layouter *L, const dp_section *s)
{
    dp_status status = DP_OK;
    const dp_style *st = L->st;
    text_style ts = {dp_layout_heading_role(L), st->section_size, st->color_accent};
    double pitch = pitch_of(L, ts.size) * 0.9, w = 0, more = 0;
    dp_layout_space_before(L, st->body_size * st->section_space);
    /* a name wider than the measure wraps: room for all of its lines
     * (a name longer than a page continues on the next) */
    DP_TRY(dp_layout_label_width(L, s->name, ts, &w));
    if (w > L->measure + 0.01) {
        L->nspans = 0;
        DP_TRY(dp_layout_push_span(L, s->name, strlen(s->name), ts.font, ts.size, ts.color, NULL,
                                   L->doc->lang, s->line));
        DP_TRY(dp_layout_set_text(L, L->measure, L->measure, RAGGED));
        more = L->lines.n > 1 ? (double)(L->lines.n - 1) * pitch : 0;
    }
    /* keep with the first article's title and two lines */
    DP_TRY(dp_layout_need_space(L, pitch + more + st->body_size * 3 +
                                       pitch_of(L, st->title_size) * 2 +
                                       lead_height(L, s->articles ? s->articles->body : NULL)));
    L->section = s->name;
    if (L->y <= L->top + 0.01)
        L->page_section[L->page] = s->name;
    DP_TRY(dp_layout_add_mark(L, s->id, s->name, 0, L->y));
    DP_TRY(dp_layout_struct_begin(L, DP_ROLE_SECT));
    DP_TRY(dp_layout_struct_begin(L, DP_ROLE_H1));
    DP_TRY(dp_layout_display_text(L, s->name, ts, L->left, L->measure, pitch, NULL));
    dp_layout_struct_end(L);
    DP_TRY(dp_layout_add_box(L, L->page, (dp_box){DP_BOX_FILL, L->left, pdf_y(L, L->y + 1.2),
                                                  L->measure, 1.2, st->color_accent, 0}));
    L->y += st->body_size * 0.4;
    for (const dp_article *a = s->articles; a; a = a->next)
        DP_TRY(article(L, a));
    dp_layout_struct_end(L);
done:
    return status;
}
