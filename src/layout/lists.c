/*
 * Lists: the marker of each item (bullets from the style, numbers,
 * circled numbers, iroha) in a hanging indent as wide as the widest
 * marker, the item's text and nested blocks beside it.
 */
#include <math.h>
#include <stdio.h>
#include <string.h>

#include "base/status.h"
#include "base/utf8.h"
#include "layouter.h"

/* Moves the runs from index from to the end of the page so that they
 * start at index to (to <= from), keeping their order and the order of
 * the runs they pass. */
static void move_runs_back(dp_page *pg, size_t from, size_t to)
{
    for (size_t k = from; k < pg->nruns && to < from; k++, to++) {
        dp_run moved = pg->runs[k];
        memmove(&pg->runs[to + 1], &pg->runs[to], (k - to) * sizeof *pg->runs);
        pg->runs[to] = moved;
    }
}

static const char *const iroha[] = {
    "イ", "ロ", "ハ", "ニ", "ホ", "ヘ", "ト", "チ", "リ", "ヌ", "ル", "ヲ",
    "ワ", "カ", "ヨ", "タ", "レ", "ソ", "ツ", "ネ", "ナ", "ラ", "ム", "ウ",
    "ヰ", "ノ", "オ", "ク", "ヤ", "マ", "ケ", "フ", "コ", "エ", "テ", "ア",
    "サ", "キ", "ユ", "メ", "ミ", "シ", "ヱ", "ヒ", "モ", "セ", "ス"};

static void marker_text(const dp_style *st, char *out, size_t cap,
                        dp_list_type type, int n, int level)
{
    switch (type) {
    case DP_LIST_BULLET:
        snprintf(out, cap, "%s", st->bullets[level % 4]);
        break;
    case DP_LIST_DECIMAL:
        snprintf(out, cap, "%d.", n);
        break;
    case DP_LIST_PAREN:
        snprintf(out, cap, "(%d)", n);
        break;
    case DP_LIST_CIRCLED:
        if (n >= 1 && n <= 20) {
            char u[5] = {0};
            dp_utf8_encode(0x2460 + (uint32_t)(n - 1), u);
            snprintf(out, cap, "%s", u);
        } else {
            snprintf(out, cap, "(%d)", n);
        }
        break;
    case DP_LIST_IROHA:
        if (n >= 1 && n <= 47)
            snprintf(out, cap, "%s", iroha[n - 1]);
        else
            snprintf(out, cap, "%d.", n);
        break;
    case DP_LIST_NONE:
        out[0] = '\0';
        break;
    }
}

/* The space between a marker's ink and its item's text, in em: the same
 * for every kind of marker and every level. */
#define MARK_GAP 0.5

static text_style mark_style(const dp_style *st, const dp_block *list)
{
    return (text_style){DP_FONT_BODY, st->body_size,
                        list->list_type == DP_LIST_BULLET ? st->color_accent : st->color_text};
}

/* The hanging indent of one list: its widest marker's ink (of the first
 * and the last, which has the most digits) and the gap, rounded up to a
 * half em so text stays on the character grid; at least one em. */
static dp_status own_hang(layouter *L, const dp_block *list, int level, double *hang)
{
    dp_status status = DP_OK;
    const dp_style *st = L->st;
    double size = st->body_size;
    *hang = 0;
    if (list->list_type == DP_LIST_NONE)
        return DP_OK;
    int count = 0;
    for (const dp_block *it = list->child; it; it = it->next)
        count++;
    double ink = 0;
    char m[64];
    for (int k = 0; k < 2; k++) {
        double l, r;
        marker_text(st, m, sizeof m, list->list_type, list->start + (k ? count - 1 : 0), level);
        DP_TRY(dp_layout_label_ink(L, m, mark_style(st, list), &l, &r));
        if (r - l > ink)
            ink = r - l;
    }
    double w = ceil((ink + size * MARK_GAP) / (size / 2) - 1e-9) * (size / 2);
    *hang = w > size ? w : size;
done:
    return status;
}

dp_status dp_layout_list_hang(layouter *L, const dp_block *b, int level, double *hang)
{
    dp_status status = DP_OK;
    *hang = 0;
    for (; b; b = b->next) {
        if (b->kind != DP_BLK_LIST)
            continue;
        double h = 0;
        DP_TRY(own_hang(L, b, level, &h));
        if (h > *hang)
            *hang = h;
    }
done:
    return status;
}

/*
 * A width the spans in L->spans cannot be set in less, however a line
 * squeezes them: a Japanese character at least half an em (punctuation
 * set half-width), any other one a tenth (a thin letter or a squeezed
 * space; marks, joiners and selectors nothing). More than three lines of
 * it, and an em for each (a hanging stop), means four or more lines,
 * which is all dp_layout_lead_need() asks, without shaping the paragraph: shaping
 * every first sub-item twice cost a sixth of a build.
 */
static double least_width(const layouter *L)
{
    double w = 0;
    for (size_t s = 0; s < L->nspans; s++) {
        const dp_span *sp = &L->spans[s];
        for (size_t i = 0; i < sp->len;) {
            uint32_t c;
            size_t k = dp_utf8_decode(sp->text + i, sp->len - i, &c);
            i += k ? k : 1;
            if (c >= 0x2E80 && c != 0xFEFF && c != 0x3099 && c != 0x309A &&
                !(c >= 0xFE00 && c <= 0xFE0F) && !(c >= 0xE0000 && c <= 0xE01EF))
                w += sp->size * 0.5;
            else if (c > 0x20 && !(c >= 0x300 && c <= 0x36F) &&
                     !(c >= 0x1AB0 && c <= 0x1AFF) && !(c >= 0x1DC0 && c <= 0x1DFF) &&
                     !(c >= 0x200B && c <= 0x206F) && !(c >= 0x20D0 && c <= 0x20FF))
                w += sp->size * 0.1;
        }
    }
    return w;
}

/*
 * The room that the start of b (the blocks under a list item, set at x in
 * width, list depth level) needs below the item's text: the space before
 * it and as many lines of its first text as widow/orphan control lets end
 * a page (all of a text of up to three lines, else two). Blocks without
 * text of their own at the start (a table, a figure) ask for two lines.
 * Shapes that text to count its lines, without dumping them.
 */
dp_status dp_layout_lead_need(layouter *L, const dp_block *b, double width, int level,
                              double *need)
{
    dp_status status = DP_OK;
    const dp_style *st = L->st;
    double size = st->body_size, pitch = pitch_of(L, size);
    double space = 0, indent = 0;
    const dp_inline *text = NULL;
    text_style body = {DP_FONT_BODY, size, st->color_text};
    *need = 2 * pitch;
    if (b && b->kind == DP_BLK_LIST && b->child && b->child->text) {
        double mw = 0;
        DP_TRY(dp_layout_list_hang(L, b, level + 1, &mw));
        space = size * st->para_space * 0.25; /* a nested list: its first item's space */
        width -= mw;
        text = b->child->text;
    } else if (b && b->kind == DP_BLK_P && b->text) {
        space = size * st->para_space;
        indent = !b->lang || strncmp(b->lang, "ja", 2) == 0 ? size : 0;
        text = b->text;
    } else if (b && b->kind == DP_BLK_HEADING) {
        return DP_OK;
    }
    if (!text) {
        *need += size * st->para_space;
        return DP_OK;
    }
    dp_buf *dump = L->lines_dump;
    L->lines_dump = NULL;
    L->nspans = 0;
    status = dp_layout_flatten(L, text, body, NULL);
    int many = status == DP_OK && least_width(L) > 3 * (width + size);
    if (status == DP_OK && L->nspans > 0 && !many)
        status = dp_layout_set_text(L, width - indent, width, JUSTIFIED);
    L->lines_dump = dump;
    if (status < 0)
        return status;
    size_t n = many ? 4 : L->nspans > 0 ? L->lines.n : 0;
    *need = space + pitch * (double)(n >= 4 ? 2 : n);
    /* a first sub-item that introduces blocks itself moves with them
     * when it moves whole */
    if (b->kind == DP_BLK_LIST && b->child->child && n < 4 && level < DP_MAX_DEPTH) {
        double more = 0;
        DP_TRY(dp_layout_lead_need(L, b->child->child, width, level + 1, &more));
        *need += more;
    }
done:
    return status;
}

/* Each level of dp_layout_lead_need() at its largest (three lines and
 * the space above them), down the chain of first sub-items it follows. */
double dp_layout_lead_bound(const layouter *L, const dp_block *b)
{
    const dp_style *st = L->st;
    double size = st->body_size, pitch = pitch_of(L, size), bound = 0;
    for (int depth = 0; depth <= DP_MAX_DEPTH + 1; depth++) {
        if (b && b->kind == DP_BLK_LIST && b->child && b->child->text) {
            bound += size * st->para_space * 0.25 + 3 * pitch;
            if (!b->child->child)
                return bound;
            b = b->child->child;
        } else if (b && b->kind == DP_BLK_P && b->text) {
            return bound + size * st->para_space + 3 * pitch;
        } else if (b && b->kind == DP_BLK_HEADING) {
            return bound + 2 * pitch;
        } else {
            return bound + 2 * pitch + size * st->para_space;
        }
    }
    return bound + 2 * pitch + size * st->para_space;
}

dp_status dp_layout_list(layouter *L, const dp_block *list, double x,
                         double width, int level, double hang)
{
    dp_status status = DP_OK;
    const dp_style *st = L->st;
    double size = st->body_size, pitch = pitch_of(L, size);
    text_style body = {DP_FONT_BODY, size, st->color_text};
    text_style mark = mark_style(st, list);
    char m[64];
    double mw = hang;

    int n = list->start;
    /* L → LI → Lbl (a number) and LBody (the item's own text, then its
     * nested blocks) */
    DP_TRY(dp_layout_struct_begin(L, DP_ROLE_L));
    dp_layout_struct_lang(L, list->lang);
    for (const dp_block *it = list->child; it; it = it->next, n++) {
        /* items of nested lists sit closer than those of the outermost */
        dp_layout_space_before(L, size * st->para_space * (level == 0 ? 0.5 : 0.25));
        DP_TRY(dp_layout_need_space(L, pitch));
        marker_text(st, m, sizeof m, list->list_type, n, level);
        int lbl = -1;
        DP_TRY(dp_layout_struct_begin(L, DP_ROLE_LI));
        dp_layout_struct_lang(L, it->lang);
        /* a number is read as the item's label; a bullet says nothing
         * the list item does not, and is decoration */
        if (m[0] && list->list_type != DP_LIST_BULLET)
            DP_TRY(dp_layout_struct_add(L, L->cur, DP_ROLE_LBL, &lbl));
        DP_TRY(dp_layout_struct_begin(L, DP_ROLE_LBODY));
        int page = -1;
        double y0 = 0;
        int page0 = L->page;
        size_t runs0 = L->pages->pages[page0].nruns;
        if (it->text) {
            /* an item that introduces blocks is kept with their start,
             * as a heading is */
            if (it->child) {
                /* worked out only if the item's text ends near a page
                 * foot (dp_layout_place_lines()) */
                L->keep_from = it->child;
                L->keep_width = width - mw;
                L->keep_level = level;
                L->keep_next = dp_layout_lead_bound(L, it->child);
            }
            status = dp_layout_text_block(L, it->text, body, JUSTIFIED, x + mw, width - mw, 0,
                                          &page, &y0);
            L->keep_next = 0;
            L->keep_from = NULL;
            if (status < 0)
                goto done;
        }
        if (page < 0) { /* an item with no text of its own */
            page = L->page;
            y0 = L->y;
            if (it->child)
                L->y += 0;
        }
        if (m[0]) {
            const char *k = dp_layout_keep(L, m);
            DP_CHECK_ALLOC(k);
            double base = pdf_y(L, y0 + baseline_in(pitch, size));
            size_t before = L->pages->pages[page].nruns;
            /* the marker's ink ends a gap before the text: numbers align
             * on their period, every kind keeps the same gap */
            double l, r;
            DP_TRY(dp_layout_label_ink(L, k, mark, &l, &r));
            int body_el = L->cur;
            L->cur = lbl >= 0 ? lbl : DP_TAG_LAYOUT;
            status = dp_layout_draw_label(L, page, k, mark, x + mw - size * MARK_GAP - r, base, 0,
                                          NULL);
            L->cur = body_el;
            if (status < 0)
                goto done;
            /* the marker goes before the item's first line: the order a
             * reader (and text extraction) meets them in, and the pen
             * moves back by a constant instead of up over the whole item */
            move_runs_back(&L->pages->pages[page], before, page == page0 ? runs0 : 0);
        }
        DP_TRY(dp_layout_blocks(L, it->child, x + mw, width - mw, level + 1));
        dp_layout_struct_end(L); /* LBody */
        dp_layout_struct_end(L); /* LI */
    }
    dp_layout_struct_end(L);
done:
    return status;
}
