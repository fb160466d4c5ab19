/*
 * Page chrome: running headers and footers from the style's templates
 * ({series} {title} {section} {page} {pages} {date}), cut to share one
 * line; front matter numbered in roman numerals.
 */
#include <stdio.h>
#include <string.h>

#include "base/status.h"
#include "base/utf8.h"
#include "layouter.h"

/* Expands {series} {title} {section} {page} {pages} {date} (date: the
 * publication date in the style's form). */
static void fill_fields(const layouter *L, const char *tmpl, int page,
                        const char *date, char *out, size_t cap)
{
    size_t o = 0;
    out[0] = '\0';
    for (const char *p = tmpl; *p && o + 1 < cap;) {
        const char *val = NULL;
        char num[32];
        size_t skip = 0;
        if (*p == '{') {
            const char *e = strchr(p, '}');
            if (e) {
                size_t n = (size_t)(e - p - 1);
                skip = n + 2;
                if (n == 6 && !strncmp(p + 1, "series", 6))
                    val = L->doc->series ? L->doc->series : L->doc->title;
                else if (n == 5 && !strncmp(p + 1, "title", 5))
                    val = L->doc->title;
                else if (n == 7 && !strncmp(p + 1, "section", 7))
                    val = L->page_section[page] ? L->page_section[page] : "";
                else if (n == 4 && !strncmp(p + 1, "page", 4)) {
                    snprintf(num, sizeof num, "%d", page + 1 - L->pages->first_body_page);
                    val = num;
                } else if (n == 5 && !strncmp(p + 1, "pages", 5)) {
                    snprintf(num, sizeof num, "%zu",
                             L->pages->n - (size_t)L->pages->first_body_page);
                    val = num;
                } else if (n == 4 && !strncmp(p + 1, "date", 4))
                    val = date;
                else
                    skip = 0;
            }
        }
        if (val) {
            o += (size_t)snprintf(out + o, cap - o, "%s", val);
            if (o >= cap)
                o = cap - 1;
            p += skip;
        } else {
            out[o++] = *p++;
            out[o] = '\0';
        }
    }
    /* a long value cut at cap must not end inside a UTF-8 sequence */
    out[dp_utf8_check(out, o)] = '\0';
}

/* Lower-case roman numerals for the front matter's page labels. */
static void roman(int n, char *out, size_t cap)
{
    static const struct { int v; const char *s; } r[] = {
        {1000, "m"}, {900, "cm"}, {500, "d"}, {400, "cd"}, {100, "c"}, {90, "xc"},
        {50, "l"}, {40, "xl"}, {10, "x"}, {9, "ix"}, {5, "v"}, {4, "iv"}, {1, "i"}};
    size_t o = 0;
    out[0] = '\0';
    for (size_t i = 0; i < sizeof r / sizeof *r; i++)
        while (n >= r[i].v && o + 3 < cap) {
            o += (size_t)snprintf(out + o, cap - o, "%s", r[i].s);
            n -= r[i].v;
        }
}

/* Headers and footers. Front matter (cover, contents) is numbered i, ii,
 * … like its page labels; the body counts from 1 with the total. The
 * cover has a footer only. */
dp_status dp_layout_page_chrome(layouter *L, int first)
{
    dp_status status = DP_OK;
    const dp_style *st = L->st;
    text_style hs = {DP_FONT_BODY, st->header_size, st->color_muted};
    double H = L->pages->height;
    double head = H - L->top + st->header_size * 1.6;
    double foot = L->bottom > 0 ? H - L->bottom - st->header_size * 3.2 : 20;
    char date[DP_STYLE_LABEL * 2];
    DP_TRY(dp_layout_date(L, st->label.date, L->doc->published, date, sizeof date));
    for (int p = 0; p < (int)L->pages->n; p++) {
        char buf[512];
        text_style fs = {DP_FONT_BODY, st->header_size * 1.1, st->color_muted};
        /* the cover carries no page number */
        if (p < L->pages->first_body_page && !(p == 0 && st->cover)) {
            roman(p + 1, buf, sizeof buf);
            const char *k = dp_layout_keep(L, buf);
            DP_CHECK_ALLOC(k);
            DP_TRY(dp_layout_draw_label(L, p, k, fs, L->left + L->measure / 2, foot, 2, NULL));
        }
        if (p < first)
            continue;
        /* one line is the design: fields too long for it end in "…",
         * the two sides sharing the measure with a gap between them */
        char right[512];
        fill_fields(L, st->header_left, p, date, buf, sizeof buf);
        fill_fields(L, st->header_right, p, date, right, sizeof right);
        double wl = 0, wr = 0, gap = hs.size * 2, half = (L->measure - gap) / 2;
        DP_TRY(dp_layout_label_width(L, buf, hs, &wl));
        DP_TRY(dp_layout_label_width(L, right, hs, &wr));
        /* each side may take the whole measure unless both together overflow */
        double maxl = L->measure;
        double maxr = maxl;
        if (buf[0] && right[0] && wl + wr + gap > L->measure) {
            maxl = wr <= half ? L->measure - gap - wr : wl <= half ? wl : half;
            maxr = L->measure - gap - (wl < maxl ? wl : maxl);
        }
        if (buf[0]) {
            const char *k = dp_layout_keep(L, buf);
            DP_CHECK_ALLOC(k);
            DP_TRY(dp_layout_draw_label_fit(L, p, k, hs, L->left, head, 0, maxl, NULL));
        }
        if (right[0]) {
            const char *k = dp_layout_keep(L, right);
            DP_CHECK_ALLOC(k);
            DP_TRY(dp_layout_draw_label_fit(L, p, k, hs, L->left + L->measure, head, 1, maxr, NULL));
        }
        DP_TRY(dp_layout_add_box(L, p, (dp_box){DP_BOX_LINE, L->left, head - st->header_size * 0.6,
                                                L->measure, 0, st->color_rule, st->rule_width}));
        if (p < L->pages->first_body_page)
            continue;
        fill_fields(L, st->footer_center, p, date, buf, sizeof buf);
        if (buf[0]) {
            const char *k = dp_layout_keep(L, buf);
            DP_CHECK_ALLOC(k);
            DP_TRY(dp_layout_draw_label_fit(L, p, k, fs, L->left + L->measure / 2, foot, 2,
                                            L->measure, NULL));
        }
    }
done:
    return status;
}
