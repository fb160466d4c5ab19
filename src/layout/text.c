/*
 * Setting text: spans collected, shaped and broken into lines
 * (dp_layout_set_text()); shaped units emitted as runs with their ruby and
 * link rectangles (dp_layout_emit_units()); short one-line texts (labels:
 * markers, numbers, header fields) measured, cut to a width with "…" and
 * drawn; display texts that wrap only when they must.
 */
#include <stdlib.h>
#include <string.h>

#include "base/buf.h"
#include "base/status.h"
#include "base/utf8.h"
#include "base/vec.h"
#include "layouter.h"
#include "text/breaks.h"

/* The language in force in element e: its own or its nearest
 * ancestor's, else the document's. */
static const char *lang_of(const layouter *L, int e)
{
    for (; e >= 0; e = L->pages->elems[e].parent)
        if (L->pages->elems[e].lang)
            return L->pages->elems[e].lang;
    return L->doc->lang ? L->doc->lang : "ja";
}

/*
 * The element a unit with span sp belongs to (cur_lang: the current
 * element's language): the current element, or
 * below it a Link (linked text), a Span (text in another language) and
 * a Ruby's base (RB; its RT holds the reading), each continued from the
 * previous unit while the unit continues it: one link broken over two
 * lines or pages stays one element.
 */
static dp_status unit_tag(layouter *L, const dp_span *sp, const char *cur_lang, int *tag)
{
    dp_status status = DP_OK;
    int e = L->cur;
    *tag = e;
    if (e < 0)
        return DP_OK;
    if (e != L->lz_base) {
        L->lz_base = e;
        L->lz_href = L->lz_lang = L->lz_rt = NULL;
    }
    if (sp->href) {
        if (sp->href != L->lz_href) {
            DP_TRY(dp_layout_struct_add(L, e, DP_ROLE_LINK, &L->lz_link));
            L->lz_href = sp->href;
            L->lz_lang = L->lz_rt = NULL;
        }
        e = L->lz_link;
    } else if (L->lz_href) {
        L->lz_href = L->lz_lang = L->lz_rt = NULL;
    }
    const char *lang = sp->lang && strcmp(sp->lang, cur_lang) != 0 ? sp->lang : NULL;
    if (lang) {
        if (!L->lz_lang || strcmp(lang, L->lz_lang) != 0) {
            DP_TRY(dp_layout_struct_add(L, e, DP_ROLE_SPAN, &L->lz_span));
            L->pages->elems[L->lz_span].lang = lang;
            L->lz_lang = lang;
            L->lz_rt = NULL;
        }
        e = L->lz_span;
    } else if (L->lz_lang) {
        L->lz_lang = L->lz_rt = NULL;
    }
    if (sp->ruby) {
        if (sp->ruby != L->lz_rt) {
            int rt;
            DP_TRY(dp_layout_struct_add(L, e, DP_ROLE_RUBY, &L->lz_ruby));
            DP_TRY(dp_layout_struct_add(L, L->lz_ruby, DP_ROLE_RB, &L->lz_rb));
            DP_TRY(dp_layout_struct_add(L, L->lz_ruby, DP_ROLE_RT, &rt));
            L->pages->elems[L->lz_ruby].rt = rt;
            L->lz_rt = sp->ruby;
        }
        e = L->lz_rb;
    } else {
        L->lz_rt = NULL;
    }
    *tag = e;
done:
    return status;
}

/* The element of unit k: from tags when the units are a paragraph's,
 * else (a label) the current element. */
static int tag_at(const layouter *L, const int *tags, size_t first, size_t k)
{
    return tags ? tags[k - first] : L->cur;
}

/* The Link element tag is in (tag itself or an ancestor), or -1. */
static int link_of(const layouter *L, int tag)
{
    for (int e = tag; e >= 0 && e != L->cur; e = L->pages->elems[e].parent)
        if (L->pages->elems[e].role == DP_ROLE_LINK)
            return e;
    return -1;
}

static dp_status shape_label(layouter *L, dp_span *span, const char *text,
                             text_style ts, double *width);

/*
 * Emits units [first, end) of the shaped paragraph as runs on `page`,
 * the line starting at x0 on baseline `base` (PDF y). Consecutive units
 * of one font, size, colour and element share a run (untagged output
 * does not split runs by element, so its files stay as they were). The
 * runs belong to the current element (links, other languages and ruby inside it get
 * elements of their own: unit_tag()).
 */
dp_status dp_layout_emit_units(layouter *L, const dp_para *p, int page,
                               size_t first, size_t end, double x0, double base)
{
    dp_status status = DP_OK;
    dp_page *pg = &L->pages->pages[page];
    dp_arena *A = &L->pages->arena;
    /* the paragraph's units' elements; a label (set into L->label, also
     * while a paragraph is being emitted: its ruby) needs none */
    int *tags = NULL; /* tags[i - first]: the element of unit i */
    if (p == &L->para && end > first) {
        size_t n = end - first;
        if (n > L->cap_unit_tag) {
            size_t cap = n < 2 * L->cap_unit_tag ? 2 * L->cap_unit_tag : n;
            int *t = realloc(L->unit_tag, cap * sizeof *t);
            DP_CHECK_ALLOC(t);
            L->unit_tag = t;
            L->cap_unit_tag = cap;
        }
        tags = L->unit_tag;
    }
    /* only the paragraph's spans carry links, languages and ruby; a
     * label is set as a whole in the current element */
    /* (the current element's language, looked up once: the elements
     * unit_tag adds are below it) */
    const char *cur_lang = tags ? lang_of(L, L->cur) : NULL;
    for (size_t i = first; tags && i < end; i++)
        DP_TRY(unit_tag(L, &p->spans[p->units[i].span], cur_lang, &tags[i - first]));
    size_t i = first;
    while (i < end) {
        const dp_unit *u = &p->units[i];
        uint32_t color = p->spans[u->span].color;
        size_t j = i, ng = 0;
        while (j < end && p->units[j].font == u->font &&
               p->units[j].size == u->size &&
               p->spans[p->units[j].span].color == color &&
               (tag_at(L, tags, first, j) == tag_at(L, tags, first, i) || !L->ua)) {
            ng += p->units[j].nglyphs;
            j++;
        }
        if (ng > 0) {
            if (DP_VEC_GROW(pg->runs, pg->nruns, pg->capruns) < 0)
                return DP_ENOMEM;
            dp_run *r = &pg->runs[pg->nruns];
            memset(r, 0, sizeof *r);
            r->font = u->font;
            r->size = u->size;
            r->color = color;
            r->y = base;
            r->tag = tag_at(L, tags, first, i);
            r->seq = L->seq++;
            r->gids = dp_arena_alloc(A, ng * sizeof *r->gids);
            r->x = dp_arena_alloc(A, ng * sizeof *r->x);
            r->text = dp_arena_alloc(A, ng * sizeof *r->text);
            r->text_len = dp_arena_alloc(A, ng * sizeof *r->text_len);
            if (!r->gids || !r->x || !r->text || !r->text_len)
                return DP_ENOMEM;
            size_t k = 0;
            for (size_t t = i; t < j; t++) {
                const dp_unit *v = &p->units[t];
                for (unsigned g = 0; g < v->nglyphs; g++) {
                    const dp_glyph *gl = &p->glyphs[v->glyph + g];
                    r->gids[k] = gl->gid;
                    r->x[k] = x0 + v->x + v->shift + gl->dx;
                    r->text[k] = g == 0 ? v->text : NULL;
                    r->text_len[k] = g == 0 ? v->text_len : 0;
                    k++;
                }
            }
            r->n = k;
            pg->nruns++;
        }
        i = j;
    }
    int cur = L->cur;
    /* ruby: the reading centred above its base, at half the size */
    for (i = first; i < end; i++) {
        const char *rt = p->spans[p->units[i].span].ruby;
        if (!rt)
            continue;
        size_t j = i;
        while (j + 1 < end && p->spans[p->units[j + 1].span].ruby == rt)
            j++;
        const dp_unit *a = &p->units[i], *b = &p->units[j];
        const dp_span *sp = &p->spans[a->span];
        text_style rs = {sp->font, a->size / 2, sp->color};
        double rw = 0;
        DP_TRY(dp_layout_label_width(L, rt, rs, &rw));
        /* the reading belongs to the ruby's RT */
        if (tag_at(L, tags, first, i) >= 0 && L->pages->elems[tag_at(L, tags, first, i)].role == DP_ROLE_RB)
            L->cur = L->pages->elems[L->pages->elems[tag_at(L, tags, first, i)].parent].rt;
        /* a reading of several characters shorter than its base is
         * spread over it, its spaces 1:2:1 (half as much at the ends as
         * between characters, JIS X 4051), as one run; otherwise it is
         * centred */
        double bw = b->x + b->adv - a->x;
        if (rw < bw && p != &L->label) {
            dp_span span;
            double w = 0;
            status = shape_label(L, &span, rt, rs, &w);
            size_t nch = L->label.n;
            if (status == DP_OK && nch >= 2) {
                double space = (bw - w) / (2 * (double)nch);
                for (size_t k = 0; k < nch; k++)
                    L->label.units[k].x += space * (double)(2 * k + 1);
                status = dp_layout_emit_units(L, &L->label, page, 0, nch, x0 + a->x,
                                              base + a->size * 0.95);
            }
            L->label.spans = NULL; /* span lives on this stack frame only */
            L->label.nspans = 0;
            if (status < 0) {
                L->cur = cur;
                goto done;
            }
            if (nch >= 2) {
                L->cur = cur;
                i = j;
                continue;
            }
        }
        /* a reading wider than the measure starts at the margin, cut */
        if (rw > L->measure)
            status = dp_layout_draw_label_fit(L, page, rt, rs, L->left, base + a->size * 0.95, 0,
                                              L->measure, NULL);
        else
            status = dp_layout_draw_label(L, page, rt, rs, x0 + (a->x + b->x + b->adv) / 2,
                                          base + a->size * 0.95, 2, NULL);
        L->cur = cur;
        if (status < 0)
            goto done;
        i = j;
    }
    /* 「――」: a run of two or more dashes reads as one line (JLReq), but
     * the font draws each with its side bearings: a bar of the dashes'
     * own thickness covers the gaps between them */
    for (i = first; i < end; i++) {
        uint32_t c = p->units[i].cp;
        if (c != 0x2015 && c != 0x2014)
            continue;
        size_t j = i;
        while (j + 1 < end && p->units[j + 1].cp == c)
            j++;
        if (j > i) {
            double l0, r0, l1, r1, lo, hi;
            dp_para_ink(p, L->fs, i, i + 1, &l0, &r0);
            dp_para_ink(p, L->fs, j, j + 1, &l1, &r1);
            dp_para_ink_height(p, L->fs, i, &lo, &hi);
            if (hi > lo && r1 > l0) {
                status = dp_layout_add_box(L, page, (dp_box){
                    DP_BOX_FILL, x0 + l0, base + lo, r1 - l0, hi - lo,
                    p->spans[p->units[i].span].color, 0});
                if (status < 0)
                    goto done;
            }
        }
        i = j;
    }
    /* emphasis: a sesame dot (傍点) centred above each Japanese letter,
     * drawn as a short round-capped stroke, so it is no character of the
     * text (extraction and search see the letters only) */
    for (i = first; i < end; i++) {
        const dp_unit *u = &p->units[i];
        if (!p->spans[u->span].emph || !(u->jclass == DP_JC_KANA || u->jclass == DP_JC_IDEOGRAPHIC ||
                                         u->jclass == DP_JC_SMALL_KANA || u->jclass == DP_JC_PROLONGED ||
                                         u->jclass == DP_JC_ITERATION))
            continue;
        double em = u->size, cx = x0 + u->x + u->adv / 2, cy = base + em * 1.15;
        status = dp_layout_add_box(L, page, (dp_box){
            DP_BOX_DOTS, cx - em * 0.03, cy + em * 0.03, em * 0.06, -em * 0.06,
            p->spans[u->span].color, em * 0.16});
        if (status < 0)
            goto done;
    }
    /* link rectangles over linked text, each the annotation of its Link */
    for (i = first; i < end; i++) {
        // NOLINTNEXTLINE(clang-analyzer-core.NullDereference): units exist only after shaping set p->spans
        const char *href = p->spans[p->units[i].span].href;
        if (!href)
            continue;
        int link = link_of(L, tag_at(L, tags, first, i));
        size_t j = i;
        while (j + 1 < end && p->spans[p->units[j + 1].span].href == href &&
               link_of(L, tag_at(L, tags, first, j + 1)) == link)
            j++;
        const dp_unit *a = &p->units[i], *b = &p->units[j];
        if (link >= 0)
            L->cur = link;
        status = dp_layout_add_link(L, page, (dp_link){
            x0 + a->x, base - a->size * 0.2, x0 + b->x + b->adv,
            base + a->size * 0.9, href, NULL, -1, 0});
        L->cur = cur;
        if (status < 0)
            goto done;
        i = j;
    }
done:
    return status;
}

/* ---- spans and lines ---- */

dp_status dp_layout_push_span(layouter *L, const char *text, size_t len, int font,
                              double size, uint32_t color, const char *href,
                              const char *lang, long line)
{
    if (len == 0)
        return DP_OK;
    if (DP_VEC_GROW(L->spans, L->nspans, L->capspans) < 0)
        return DP_ENOMEM;
    L->spans[L->nspans++] = (dp_span){text, len, font, size, color, href,
                                      lang, line, 0, NULL, 0};
    return DP_OK;
}

/* A copy of s that lives as long as the pages (generated texts). */
const char *dp_layout_keep(layouter *L, const char *s)
{
    return dp_arena_strdup(&L->pages->arena, s);
}

/* Shapes the collected spans and breaks them into lines. */
void dp_layout_swap_text(layouter *L)
{
    dp_para p = L->para;
    L->para = L->para_alt;
    L->para_alt = p;
    dp_lines l = L->lines;
    L->lines = L->lines_alt;
    L->lines_alt = l;
    dp_span *s = L->spans;
    L->spans = L->spans_alt;
    L->spans_alt = s;
    size_t n = L->nspans, cap = L->capspans;
    L->nspans = L->nspans_alt;
    L->capspans = L->capspans_alt;
    L->nspans_alt = n;
    L->capspans_alt = cap;
}

dp_status dp_layout_set_text(layouter *L, double first_width, double width,
                             int ragged)
{
    // NOLINTNEXTLINE(clang-analyzer-unix.Malloc): shaping allocates from the pages arena, freed with the pages
    dp_status status = dp_para_shape(&L->para, L->fs, &L->pages->arena, L->d,
                                     L->doc->file, L->spans, L->nspans);
    if (status < 0)
        return status;
    /* a forced break is a break, not a glyph */
    for (size_t i = 0; i < L->para.n; i++) {
        dp_unit *u = &L->para.units[i];
        if (u->cp == '\n') {
            u->nglyphs = 0;
            u->adv = 0;
            u->jclass = DP_JC_OTHER;
        }
    }
    status = dp_lines_break(&L->lines, &L->para, first_width, width,
                            (L->st->hanging ? DP_LINES_HANGING : 0) |
                            (ragged == RAGGED_PLAIN    ? DP_LINES_RAGGED
                             : ragged == RAGGED_PHRASE ? DP_LINES_RAGGED | DP_LINES_PHRASE
                             : ragged ? DP_LINES_RAGGED | DP_LINES_PHRASE | DP_LINES_BALANCED
                                      : 0));
    if (status == DP_OK && L->lines_dump)
        status = dp_lines_dump(L->lines_dump, &L->para, &L->lines);
    return status;
}

/* Shapes text alone into L->label (not again when it holds it already:
 * list markers repeat) and places its units one after the other; returns
 * its width. The span lives in *span, which must outlive the use of
 * L->label. */
static dp_status shape_label(layouter *L, dp_span *span, const char *text,
                             text_style ts, double *width)
{
    *span = (dp_span){text, strlen(text), ts.font, ts.size, ts.color, NULL,
                      L->doc->lang, 0, 0, NULL, 0};
    dp_para *p = &L->label;
    dp_status status = DP_OK;
    if (L->label_text.len == span->len && L->label_font == ts.font &&
        L->label_size == ts.size && memcmp(L->label_text.data, text, span->len) == 0) {
        p->spans = span;
        p->nspans = 1;
    } else {
        dp_buf_reset(&L->label_text);
        status = dp_para_shape(p, L->fs, &L->pages->arena, L->d, L->doc->file, span, 1);
        if (status < 0)
            return status;
        DP_TRY(dp_buf_add(&L->label_text, text, span->len));
        L->label_font = ts.font;
        L->label_size = ts.size;
    }
    double x = 0;
    for (size_t i = 0; i < p->n; i++) {
        p->units[i].x = x;
        p->units[i].shift = 0;
        x += p->units[i].adv;
    }
    *width = x;
done:
    return status;
}

/* The width of text set on one line. */
dp_status dp_layout_label_width(layouter *L, const char *text, text_style ts, double *w)
{
    dp_span span;
    *w = 0;
    if (!*text)
        return DP_OK;
    dp_status status = shape_label(L, &span, text, ts, w);
    L->label.spans = NULL; /* span lives on this stack frame only */
    L->label.nspans = 0;
    return status;
}

/* The ink of text set on one line from x = 0: where its glyphs' outlines
 * start and end (0 and 0 for an empty text). */
dp_status dp_layout_label_ink(layouter *L, const char *text, text_style ts, double *left,
                              double *right)
{
    dp_span span;
    double w = 0;
    *left = *right = 0;
    if (!*text)
        return DP_OK;
    dp_status status = shape_label(L, &span, text, ts, &w);
    if (status == DP_OK)
        dp_para_ink(&L->label, L->fs, 0, L->label.n, left, right);
    L->label.spans = NULL; /* span lives on this stack frame only */
    L->label.nspans = 0;
    return status;
}

/* Draws a short text on one line at (x, baseline); align 0 left, 1 right,
 * 2 centre; a text wider than maxw (0: the page's width, so that nothing
 * is ever placed far off the page) is cut and ends in "…". Returns its
 * width in *w when non-NULL. */
dp_status dp_layout_draw_label_fit(layouter *L, int page, const char *text,
                                   text_style ts, double x, double base, int align,
                                   double maxw, double *w)
{
    dp_status status = DP_OK;
    dp_span span;
    dp_para *p = &L->label;
    double width = 0;
    if (!*text)
        return DP_OK;
    if (maxw <= 0)
        maxw = L->pages->width;
    DP_TRY(shape_label(L, &span, text, ts, &width));
    if (width > maxw + 0.01) {
        /* keep the units that leave room for the ellipsis; if shaping
         * the cut text comes out wider (spacing at the cut), drop one
         * more unit before the ellipsis until it fits */
        double ew = 0;
        DP_TRY(dp_layout_label_width(L, "…", ts, &ew));
        DP_TRY(shape_label(L, &span, text, ts, &width));
        size_t k = 0;
        double acc = 0;
        while (k < p->n && acc + p->units[k].adv + ew <= maxw)
            acc += p->units[k++].adv;
        const char *from = p->n ? p->units[0].text : text;
        size_t bytes = k ? (size_t)(p->units[k - 1].text + p->units[k - 1].text_len - from) : 0;
        for (;;) {
            char *cut = dp_arena_alloc(&L->pages->arena, bytes + sizeof "…");
            DP_CHECK_ALLOC(cut);
            memcpy(cut, from, bytes);
            memcpy(cut + bytes, "…", sizeof "…");
            DP_TRY(shape_label(L, &span, cut, ts, &width));
            if (width <= maxw + 0.01 || bytes == 0 || p->n == 0)
                break;
            from = p->units[0].text; /* the cut text's copy, in the arena */
            size_t e = 0;
            while (e < p->n && (size_t)(p->units[e].text - from) < bytes)
                e++;
            bytes = e ? (size_t)(p->units[e - 1].text - from) : 0;
        }
    }
    if (align == 1)
        x -= width;
    else if (align == 2)
        x -= width / 2;
    if (w)
        *w = width;
    status = dp_layout_emit_units(L, p, page, 0, p->n, x, base);
done:
    p->spans = NULL; /* the span lives on this stack frame only */
    p->nspans = 0;
    return status;
}

dp_status dp_layout_draw_label(layouter *L, int page, const char *text,
                               text_style ts, double x, double base, int align,
                               double *w)
{
    return dp_layout_draw_label_fit(L, page, text, ts, x, base, align, 0, w);
}

/* A display text (a section name, an issuing body, a series) at the
 * cursor: on one line at x when it fits in width, as dp_layout_draw_label() sets
 * it; else wrapped (ragged) over as many lines of pitch as it needs.
 * The cursor moves below it; *lines: how many lines it took. */
dp_status dp_layout_display_text(layouter *L, const char *text, text_style ts,
                                 double x, double width, double pitch, int *lines)
{
    dp_status status = DP_OK;
    double w = 0;
    DP_TRY(dp_layout_label_width(L, text, ts, &w));
    if (w <= width + 0.01) {
        DP_TRY(dp_layout_draw_label(L, L->page, text, ts, x,
                                    pdf_y(L, L->y + baseline_in(pitch, ts.size)), 0, NULL));
        L->y += pitch;
        if (lines)
            *lines = 1;
        return DP_OK;
    }
    L->nspans = 0;
    DP_TRY(dp_layout_push_span(L, text, strlen(text), ts.font, ts.size, ts.color, NULL,
                               L->doc->lang, 0));
    DP_TRY(dp_layout_set_text(L, width, width, RAGGED));
    if (lines)
        *lines = (int)L->lines.n;
    DP_TRY(dp_layout_place_lines(L, x, 0, pitch, NULL, NULL));
done:
    return status;
}
