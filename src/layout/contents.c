/*
 * The table of contents: a line for each issuing body and entries for
 * its articles, laid out before the body with their number column
 * reserved, so the contents never need a second layout; page numbers,
 * dot leaders and links filled in once the body is laid out
 * (dp_layout_toc_numbers()). The page breaks are planned first, so that
 * no contents page holds fewer than three lines.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "base/status.h"
#include "base/vec.h"
#include "layouter.h"

/* The fewest lines a contents page may hold. */
#define TOC_MIN_LINES 3
/* The writer draws dot leaders as dashes 1 pt on, 3 pt off (round
 * caps): one dot every 4 pt. */
#define DOT_PITCH 4.0

/* A line of the contents: an issuing body (a == NULL) or an article, the
 * number of lines it takes, and whether a page break comes before it. */
typedef struct toc_row {
    const dp_section *s;
    const dp_article *a;
    size_t nlines;
    int break_before;
} toc_row;

/* The contents' measures. */
typedef struct toc_geom {
    double size, pitch, numw, hang;
    double x, w;       /* an article entry's first line */
    text_style ss, ts; /* issuing bodies, articles */
} toc_geom;

static toc_geom geometry(const layouter *L)
{
    const dp_style *st = L->st;
    toc_geom g;
    g.size = st->toc_size;
    g.pitch = g.size * st->toc_leading;
    g.numw = g.size * 3;
    g.hang = g.size; /* continuation lines one character further in */
    g.x = L->left + g.size * 1.5;
    g.w = L->measure - g.size * 1.5 - g.numw;
    g.ss = (text_style){DP_FONT_HEADING, g.size * 1.1, st->color_accent};
    g.ts = (text_style){DP_FONT_BODY, g.size, st->color_text};
    return g;
}

/* Sets a row's text into L->lines: an issuing body's name in the
 * measure less the number column, an article's title with a hanging
 * indent. */
static dp_status set_row(layouter *L, const toc_geom *g, const toc_row *r)
{
    dp_status status = DP_OK;
    L->nspans = 0;
    if (!r->a) {
        DP_TRY(dp_layout_push_span(L, r->s->name, strlen(r->s->name), g->ss.font, g->ss.size,
                                   g->ss.color, NULL, L->doc->lang, r->s->line));
        DP_TRY(dp_layout_set_text(L, L->measure - g->numw, L->measure - g->numw, RAGGED_PHRASE));
    } else {
        DP_TRY(dp_layout_flatten(L, r->a->title, g->ts, NULL));
        DP_TRY(dp_layout_set_text(L, g->w, g->w - g->hang, RAGGED_PHRASE));
    }
done:
    return status;
}

/*
 * Where the rows fall on pages, as the layout below will place them:
 * each body's line kept with room for three lines, an entry of two or
 * more lines with two of them. Returns the number of lines on the last
 * page, and in *first the first row of the last page.
 */
static size_t simulate(const layouter *L, const toc_geom *g, const toc_row *rows, size_t n,
                       double y0, size_t *first)
{
    double y = y0, top = L->top, bottom = L->bottom;
    size_t lines = 0;
    *first = 0;
    for (size_t i = 0; i < n; i++) {
        const toc_row *r = &rows[i];
        double keep = r->a ? g->pitch * (double)(r->nlines < 3 ? r->nlines : 2) : g->pitch * 3;
        int brk = r->break_before && y > top + 0.01;
        if (!r->a && y > top + 0.01 && !brk)
            y += g->size * 0.6;
        if (brk || (y + keep > bottom + 0.01 && y > top + 0.01)) {
            y = top;
            lines = 0;
            *first = i;
        }
        for (size_t j = 0; j < r->nlines; j++) {
            if (y + g->pitch > bottom + 0.01) {
                y = top;
                lines = 0;
                *first = i;
            }
            y += g->pitch;
            lines++;
        }
    }
    return lines;
}

/* Plans the page breaks: when the last page would hold fewer than
 * TOC_MIN_LINES lines, the page before it ends earlier, a row at a time
 * (never right after a body's line, which stays with its entries). */
static void plan_breaks(const layouter *L, const toc_geom *g, toc_row *rows, size_t n,
                        double y0)
{
    size_t first;
    size_t last = simulate(L, g, rows, n, y0, &first);
    if (first == 0 || last >= TOC_MIN_LINES)
        return;
    size_t at = first;
    while (at > 1) {
        at--;
        if (at > 0 && !rows[at - 1].a)
            continue; /* would part a body from its first entry */
        rows[at].break_before = 1;
        size_t f2;
        size_t l2 = simulate(L, g, rows, n, y0, &f2);
        if (l2 >= TOC_MIN_LINES && f2 == at)
            return;
        rows[at].break_before = 0;
    }
}

static dp_status add_entry(layouter *L, toc_entry e)
{
    if (DP_VEC_GROW(L->toc, L->ntoc, L->captoc) < 0)
        return DP_ENOMEM;
    L->toc[L->ntoc++] = e;
    return DP_OK;
}

/* Two passes over the same rows (set to plan the pages, then set again to
 * be drawn with their structure), kept in one function because both
 * read the same row array and geometry. */
dp_status dp_layout_contents(layouter *L, int own_page)
{
    dp_status status = DP_OK;
    const dp_style *st = L->st;
    toc_geom g = geometry(L);
    toc_row *rows = NULL;
    size_t nrows = 0, caprows = 0;
    dp_buf *dump = L->lines_dump;
    if (own_page)
        DP_TRY(dp_layout_new_page(L));
    else
        dp_layout_space_before(L, st->body_size * 2);
    L->section = NULL;
    text_style hs = {DP_FONT_HEADING, st->section_size, st->color_accent};
    DP_TRY(dp_layout_struct_begin(L, DP_ROLE_H1));
    DP_TRY(dp_layout_draw_label(L, L->page, st->label.contents, hs, L->left,
                                pdf_y(L, L->y + hs.size), 0, NULL));
    dp_layout_struct_end(L);
    L->y += hs.size * 2.2;

    /* the rows and their line counts, set once to plan the pages (not
     * dumped: they are dumped when they are set to be drawn) */
    L->lines_dump = NULL;
    for (const dp_section *s = L->doc->sections; s; s = s->next) {
        for (const dp_article *a = NULL;; a = a ? a->next : s->articles) {
            if (DP_VEC_GROW(rows, nrows, caprows) < 0) {
                status = DP_ENOMEM;
                goto done;
            }
            toc_row r = {s, a, 0, 0};
            DP_TRY(set_row(L, &g, &r));
            r.nlines = L->lines.n;
            if (r.nlines > 0 || !a)
                rows[nrows++] = r;
            if (a ? !a->next : !s->articles)
                break;
        }
    }
    L->lines_dump = dump;
    plan_breaks(L, &g, rows, nrows, L->y);

    /* TOC → TOCI per issuing body (a Reference to it, then a TOC of its
     * articles) → TOCI → Reference → Link per article */
    int open = 0; /* elements open below the TOC: a body's TOCI, its TOC */
    DP_TRY(dp_layout_struct_begin(L, DP_ROLE_TOC));
    for (size_t i = 0; i < nrows; i++) {
        const toc_row *r = &rows[i];
        if (r->break_before && L->y > L->top + 0.01)
            DP_TRY(dp_layout_new_page(L));
        if (!r->a) {
            dp_layout_space_before(L, g.size * 0.6);
            DP_TRY(dp_layout_need_space(L, g.pitch * 3));
        }
        DP_TRY(set_row(L, &g, r));
        if (L->lines.n == 0)
            continue;
        if (r->a)
            DP_TRY(dp_layout_need_space(L, g.pitch * (double)(L->lines.n < 3 ? L->lines.n : 2)));
        if (!r->a) {
            for (; open > 0; open--)
                dp_layout_struct_end(L);
            DP_TRY(dp_layout_struct_begin(L, DP_ROLE_TOCI));
            open = 1;
        } else if (open == 1) {
            DP_TRY(dp_layout_struct_begin(L, DP_ROLE_TOC));
            open = 2;
        }
        if (r->a)
            DP_TRY(dp_layout_struct_begin(L, DP_ROLE_TOCI));
        DP_TRY(dp_layout_struct_begin(L, DP_ROLE_REFERENCE));
        DP_TRY(dp_layout_struct_begin(L, DP_ROLE_LINK));
        toc_entry e = {0};
        e.link = L->cur; /* the page number and the annotation join it */
        e.top_page = L->page;
        e.top = pdf_y(L, L->y);
        e.size = g.size;
        e.dest = r->a ? r->a->id : r->s->id;
        e.level = r->a ? 1 : 0;
        text_style ts = r->a ? g.ts : g.ss;
        for (size_t j = 0; j < L->lines.n; j++) {
            if (L->y + g.pitch > L->bottom + 0.01)
                DP_TRY(dp_layout_new_page(L));
            const dp_line *ln = &L->lines.items[j];
            double x = r->a ? g.x + (j > 0 ? g.hang : 0) : L->left;
            e.baseline = pdf_y(L, L->y + baseline_in(g.pitch, ts.size));
            DP_TRY(dp_layout_emit_units(L, &L->para, L->page, ln->first, ln->end, x, e.baseline));
            const dp_unit *last = &L->para.units[ln->end - 1];
            e.text_end = x + last->x + last->adv;
            e.page = L->page;
            L->y += g.pitch;
        }
        for (int k = r->a ? 3 : 2; k > 0; k--)
            dp_layout_struct_end(L);
        DP_TRY(add_entry(L, e));
    }
    for (; open > 0; open--)
        dp_layout_struct_end(L);
    dp_layout_struct_end(L); /* the TOC */
done:
    L->lines_dump = dump;
    free(rows);
    return status;
}

/* The contents list articles in document order, as the marks are: the
 * search starts after the last hit and wraps, so the contents cost is
 * linear in the articles instead of quadratic. */
static const dp_mark *find_mark(const dp_pages *P, const char *id, int level, size_t *hint)
{
    for (size_t k = 0; k < P->nmarks; k++) {
        size_t i = (*hint + k) % P->nmarks;
        if (P->marks[i].level == level && strcmp(P->marks[i].id, id) == 0) {
            *hint = i;
            return &P->marks[i];
        }
    }
    return NULL;
}

dp_status dp_layout_toc_numbers(layouter *L)
{
    dp_status status = DP_OK;
    const dp_style *st = L->st;
    size_t hint = 0;
    /* the widest page number: the leaders of every entry end where it
     * would start, so they end at one x, and their dots stand on one
     * grid counted back from there, aligned from line to line */
    char num[16];
    snprintf(num, sizeof num, "%d", (int)L->pages->n - L->pages->first_body_page);
    double widest = 0;
    if (L->ntoc) {
        text_style ts = {DP_FONT_BODY, L->toc[0].size, st->color_text};
        DP_TRY(dp_layout_label_width(L, num, ts, &widest));
    }
    for (size_t i = 0; i < L->ntoc; i++) {
        const toc_entry *e = &L->toc[i];
        const dp_mark *m = find_mark(L->pages, e->dest, e->level, &hint);
        if (!m)
            continue;
        snprintf(num, sizeof num, "%d", m->page + 1 - L->pages->first_body_page);
        const char *k = dp_layout_keep(L, num);
        DP_CHECK_ALLOC(k);
        /* the number belongs to the entry's Link, as its title does */
        int cur = L->cur;
        L->cur = e->link;
        /* a body's number in its colour, set as the articles' numbers */
        text_style ts = {DP_FONT_BODY, e->size, e->level == 0 ? st->color_accent : st->color_text};
        double right = L->left + L->measure, w = 0;
        DP_TRY(dp_layout_draw_label(L, e->page, k, ts, right, e->baseline, 1, &w));
        if (e->level > 0) {
            double end = right - widest - e->size * 0.6;
            double from = e->text_end + e->size * 0.6;
            double dots = end - from > 0 ? (double)(long)((end - from) / DOT_PITCH) : 0;
            /* the last dot's 1 pt dash ends at `end`; the first dot is a
             * whole number of pitches before it */
            if (dots >= 1)
                DP_TRY(dp_layout_add_box(L, e->page, (dp_box){DP_BOX_DOTS, end - 1 - dots * DOT_PITCH,
                                                              e->baseline + e->size * 0.1,
                                                              dots * DOT_PITCH + 1, 0,
                                                              st->color_leader, st->leader_width}));
        }
        /* the whole entry links to its article or body */
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
