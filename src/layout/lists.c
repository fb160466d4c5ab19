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

dp_status dp_layout_list(layouter *L, const dp_block *list, double x,
                         double width, int level)
{
    dp_status status = DP_OK;
    const dp_style *st = L->st;
    double size = st->body_size, pitch = pitch_of(L, size);
    text_style body = {DP_FONT_BODY, size, st->color_text};
    text_style mark = {DP_FONT_BODY, size, list->list_type == DP_LIST_BULLET
                                               ? st->color_accent : st->color_text};
    /* The hanging indent: the widest marker plus a half em, rounded up to
     * a half em so text stays on the character grid. */
    int count = 0;
    for (const dp_block *it = list->child; it; it = it->next)
        count++;
    char m[64];
    marker_text(st, m, sizeof m, list->list_type, list->start + count - 1, level);
    double mw = list->list_type == DP_LIST_NONE ? 0
              : list->list_type == DP_LIST_BULLET ? size
              : (double)strlen(m) * size * 0.55 + size * 0.5;
    if (list->list_type == DP_LIST_CIRCLED || list->list_type == DP_LIST_IROHA)
        mw = size * 1.5;
    mw = ceil(mw / (size / 2)) * (size / 2);

    int n = list->start;
    /* L → LI → Lbl (a number) and LBody (the item's own text, then its
     * nested blocks) */
    DP_TRY(dp_layout_struct_begin(L, DP_ROLE_L));
    dp_layout_struct_lang(L, list->lang);
    for (const dp_block *it = list->child; it; it = it->next, n++) {
        dp_layout_space_before(L, size * st->para_space * 0.5);
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
            DP_TRY(dp_layout_text_block(L, it->text, body, JUSTIFIED, x + mw, width - mw, 0, &page, &y0));
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
            int body_el = L->cur;
            L->cur = lbl >= 0 ? lbl : DP_TAG_LAYOUT;
            status = dp_layout_draw_label(L, page, k, mark, x, base, 0, NULL);
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
