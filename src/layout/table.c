/*
 * Tables: column widths from the cells' content, rows drawn as ruled
 * cells, header rows shaded and repeated on every page the table
 * continues on, rows taller than a page split between lines.
 */
#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "base/status.h"
#include "base/utf8.h"
#include "layouter.h"

typedef struct table_geom {
    double x, *cols; /* column widths */
    int ncols;
    double size, pitch, pad;
    /* per column: its body cells are numbers, aligned on their decimal
     * point (or the end of their digits); the widest text before and
     * after that point */
    uint8_t *numeric;
    double *before, *after;
} table_geom;

static text_style cell_style(const layouter *L, const dp_block *row,
                             const table_geom *g)
{
    return (text_style){row->header ? DP_FONT_HEADING : DP_FONT_BODY, g->size,
                        L->st->color_text};
}

/* Width of a cell set in its span of columns. */
static double cell_width(const table_geom *g, int col, int span)
{
    double w = 0;
    for (int c = col; c < col + span && c < g->ncols; c++)
        w += g->cols[c];
    return w;
}

/*
 * Column widths from content: each column's natural width (its widest
 * single cell on one line) scaled to fill the measure; when the natural
 * widths do not fit, narrow columns keep at least 2.5 em and the rest
 * share what is left, so a table is never wider than the page.
 */
static dp_status table_columns(layouter *L, const dp_block *table, double width,
                               table_geom *g)
{
    dp_status status = DP_OK;
    double *nat = calloc((size_t)g->ncols, sizeof *nat);
    DP_CHECK_ALLOC(nat);
    for (const dp_block *r = table->child; r; r = r->next) {
        int c = 0;
        for (const dp_block *cell = r->child; cell; c += cell->span, cell = cell->next) {
            if (cell->span != 1 || c >= g->ncols)
                continue;
            L->nspans = 0;
            DP_TRY(dp_layout_flatten(L, cell->text, cell_style(L, r, g), NULL));
            DP_TRY(dp_para_shape(&L->para, L->fs, &L->pages->arena, L->d,
                                 L->doc->file, L->spans, L->nspans));
            double w = 2 * g->pad;
            for (size_t u = 0; u < L->para.n; u++)
                w += L->para.units[u].adv;
            if (w > nat[c])
                nat[c] = w;
        }
    }
    double total = 0, minw = g->size * 2.5 + 2 * g->pad;
    for (int c = 0; c < g->ncols; c++) {
        if (nat[c] < minw)
            nat[c] = minw;
        total += nat[c];
    }
    if (total <= width) {
        for (int c = 0; c < g->ncols; c++)
            g->cols[c] = nat[c] * width / total;
    } else {
        double fixed = 0, flex = 0;
        for (int c = 0; c < g->ncols; c++)
            if (nat[c] <= minw * 1.01)
                fixed += minw;
            else
                flex += nat[c];
        double left = width - fixed;
        for (int c = 0; c < g->ncols; c++) {
            if (left <= 0 || flex <= 0)
                g->cols[c] = width / g->ncols; /* too many columns: equal */
            else
                g->cols[c] = nat[c] <= minw * 1.01 ? minw : nat[c] * left / flex;
        }
    }
done:
    free(nat);
    return status;
}

/* Whether text is a number as tables hold them: an optional sign or
 * currency, digits with , and one decimal point, and a short unit after
 * (件, %, 円, 万件, pt). Spaces do not count. */
static int is_number(const char *s)
{
    size_t n = strlen(s), i = 0, digits = 0, unit = 0;
    uint32_t c;
    size_t k;
    int point = 0;
    while (i < n && (s[i] == ' ' || s[i] == '+' || s[i] == '-' || s[i] == '$'))
        i++;
    if (i < n && (k = dp_utf8_decode(s + i, n - i, &c)) > 0 &&
        (c == 0xA5 || c == 0xFFE5 || c == 0x2212 || c == 0x25B2 || c == 0x25B3))
        i += k; /* ¥ ￥ − ▲ △ */
    for (; i < n; i++) {
        if (s[i] >= '0' && s[i] <= '9')
            digits++;
        else if (s[i] == ',' && digits)
            continue;
        else if (s[i] == '.' && digits && !point)
            point = 1;
        else
            break;
    }
    if (!digits)
        return 0;
    while (i < n) {
        if (s[i] == ' ') {
            i++;
            continue;
        }
        k = dp_utf8_decode(s + i, n - i, &c);
        if (k == 0 || (c >= '0' && c <= '9') || ++unit > 3)
            return 0;
        i += k;
    }
    return 1;
}

/* The alignment point of a number set on the one line of L->lines: the
 * x of its decimal point, else where its first run of digits ends. */
static double number_point(const layouter *L)
{
    const dp_para *p = &L->para;
    size_t i = 0;
    while (i < p->n && !(p->units[i].cp >= '0' && p->units[i].cp <= '9'))
        i++;
    while (i < p->n && ((p->units[i].cp >= '0' && p->units[i].cp <= '9') ||
                        p->units[i].cp == ','))
        i++;
    if (i == 0 || i > p->n)
        return 0;
    if (i < p->n && p->units[i].cp == '.')
        return p->units[i].x;
    return p->units[i - 1].x + p->units[i - 1].adv;
}

/* Finds the numeric columns and, for each, the widest text before and
 * after the alignment point; a column whose numbers do not all fit on
 * one line beside each other is not aligned. */
static dp_status number_columns(layouter *L, const dp_block *table, table_geom *g)
{
    dp_status status = DP_OK;
    for (int c = 0; c < g->ncols; c++)
        g->numeric[c] = 1;
    int any = 0;
    for (const dp_block *r = table->child; r; r = r->next) {
        if (r->header)
            continue;
        int c = 0;
        for (const dp_block *cell = r->child; cell; c += cell->span, cell = cell->next) {
            if (c >= g->ncols)
                break;
            if (cell->span != 1) {
                for (int k = c; k < c + cell->span && k < g->ncols; k++)
                    g->numeric[k] = 0;
                continue;
            }
            if (!g->numeric[c] || !cell->text)
                continue;
            const char *plain = dp_inline_plain((dp_doc *)L->doc, cell->text);
            DP_CHECK_ALLOC(plain);
            if (!is_number(plain))
                g->numeric[c] = 0;
            else
                any = 1;
        }
    }
    if (!any)
        return DP_OK;
    for (const dp_block *r = table->child; r; r = r->next) {
        if (r->header)
            continue;
        int c = 0;
        for (const dp_block *cell = r->child; cell; c += cell->span, cell = cell->next) {
            if (c >= g->ncols || cell->span != 1 || !g->numeric[c] || !cell->text)
                continue;
            double w = g->cols[c] - 2 * g->pad;
            L->nspans = 0;
            DP_TRY(dp_layout_flatten(L, cell->text, cell_style(L, r, g), NULL));
            if (!L->nspans)
                continue;
            DP_TRY(dp_layout_set_text(L, w, w, RAGGED_PLAIN));
            if (L->lines.n != 1) {
                g->numeric[c] = 0;
                continue;
            }
            double pt = number_point(L), end = L->lines.items[0].width;
            if (pt > g->before[c])
                g->before[c] = pt;
            if (end - pt > g->after[c])
                g->after[c] = end - pt;
        }
    }
    for (int c = 0; c < g->ncols; c++)
        if (g->numeric[c] && g->before[c] + g->after[c] > g->cols[c] - 2 * g->pad + 0.01)
            g->numeric[c] = 0;
done:
    return status;
}

/* Lays out a row's cells. Measuring (draw 0) sets *nlines to the lines
 * of its tallest cell. Drawing draws lines [from, from + count) of every
 * cell at the cursor, in cells count lines high (a row taller than a
 * page is drawn in slices, one per page), and moves the cursor below.
 * cells: each cell's element; NULL for header rows repeated on a later
 * page, which are pagination. */
static dp_status table_row(layouter *L, const dp_block *row, const table_geom *g,
                           int draw, size_t from, size_t count, size_t *nlines,
                           const int *cells)
{
    dp_status status = DP_OK;
    int cur = L->cur;
    if (!cells)
        L->cur = DP_TAG_PAGINATION;
    double top = L->y, cx = g->x, height = (double)count * g->pitch + 2 * g->pad;
    size_t maxlines = 1;
    int c = 0;
    if (draw && row->header)
        DP_TRY(dp_layout_add_box(L, L->page, (dp_box){DP_BOX_FILL, g->x, pdf_y(L, top + height),
                                                      cell_width(g, 0, g->ncols), height,
                                                      L->st->color_table_head, 0}));
    int k = 0;
    for (const dp_block *cell = row->child; cell; c += cell->span, cell = cell->next, k++) {
        double w = cell_width(g, c, cell->span);
        if (cells)
            L->cur = cells[k];
        L->nspans = 0;
        DP_TRY(dp_layout_flatten(L, cell->text, cell_style(L, row, g), NULL));
        if (L->nspans) {
            DP_TRY(dp_layout_set_text(L, w - 2 * g->pad, w - 2 * g->pad, RAGGED_PLAIN));
            if (L->lines.n > maxlines)
                maxlines = L->lines.n;
            /* numbers: body cells aligned on their point, the column's
             * header set flush right over them */
            double shift = 0;
            if (cell->span == 1 && c < g->ncols && g->numeric[c] && L->lines.n == 1) {
                double block = g->before[c] + g->after[c], room = w - 2 * g->pad;
                if (row->header)
                    shift = room - L->lines.items[0].width;
                else
                    shift = room - block + g->before[c] - number_point(L);
                if (shift < 0)
                    shift = 0;
            }
            for (size_t j = from; draw && j < L->lines.n && j < from + count; j++) {
                const dp_line *ln = &L->lines.items[j];
                double base = pdf_y(L, top + g->pad + (double)(j - from) * g->pitch +
                                       baseline_in(g->pitch, g->size));
                DP_TRY(dp_layout_emit_units(L, &L->para, L->page, ln->first, ln->end,
                                            cx + g->pad + shift, base));
            }
        }
        if (draw)
            DP_TRY(dp_layout_add_box(L, L->page, (dp_box){DP_BOX_STROKE, cx, pdf_y(L, top + height),
                                                          w, height, L->st->color_table_rule,
                                                          L->st->rule_table}));
        cx += w;
    }
    if (!draw)
        *nlines = maxlines;
    else
        L->y = top + height;
done:
    L->cur = cur;
    return status;
}

/* A new page with the table's header rows at its top (those before row r;
 * none when r is one of them, or when they would fill most of the page). */
static dp_status table_page(layouter *L, const dp_block *table, const dp_block *r,
                            const table_geom *g)
{
    dp_status status = DP_OK;
    DP_TRY(dp_layout_new_page(L));
    if (r->header)
        return DP_OK;
    double hh = 0;
    for (const dp_block *hr = table->child; hr && hr->header; hr = hr->next) {
        size_t n = 0;
        DP_TRY(table_row(L, hr, g, 0, 0, 0, &n, NULL));
        hh += (double)n * g->pitch + 2 * g->pad;
    }
    if (hh > (L->bottom - L->top) / 2)
        return DP_OK;
    for (const dp_block *hr = table->child; hr && hr->header; hr = hr->next) {
        size_t n = 0;
        DP_TRY(table_row(L, hr, g, 0, 0, 0, &n, NULL));
        DP_TRY(table_row(L, hr, g, 1, 0, n, &n, NULL));
    }
done:
    return status;
}

/* A table: the header rows at its top are repeated at the top of every
 * page the table continues on. A row that does not fit below the cursor
 * goes to the next page; one taller than a page is split between lines
 * and continues on as many pages as it needs. */
dp_status dp_layout_table(layouter *L, const dp_block *table, double x,
                          double width)
{
    dp_status status = DP_OK;
    table_geom g = {x, NULL, 1, L->st->body_size * 0.95, 0, 0, NULL, NULL, NULL};
    int *cells = NULL;
    g.pitch = g.size * 1.5;
    g.pad = g.size * 0.4;
    for (const dp_block *r = table->child; r; r = r->next) {
        int c = 0;
        for (const dp_block *cell = r->child; cell; cell = cell->next)
            c += cell->span;
        if (c > g.ncols)
            g.ncols = c;
    }
    g.cols = calloc((size_t)g.ncols, sizeof *g.cols);
    g.numeric = calloc((size_t)g.ncols, 1);
    g.before = calloc((size_t)g.ncols, sizeof *g.before);
    g.after = calloc((size_t)g.ncols, sizeof *g.after);
    if (!g.cols || !g.numeric || !g.before || !g.after) {
        status = DP_ENOMEM;
        goto done;
    }
    DP_TRY(table_columns(L, table, width, &g));
    DP_TRY(number_columns(L, table, &g));
    /* Table → THead (the header rows at its top) and TBody → TR → TH
     * (a column's header) or TD, with their column spans */
    int table_el = -1, group = -1, body = 0;
    DP_TRY(dp_layout_struct_begin(L, DP_ROLE_TABLE));
    table_el = L->cur;
    dp_layout_struct_lang(L, table->lang);
    for (const dp_block *r = table->child; r; r = r->next) {
        size_t n = 0;
        int want_body = body || !r->header;
        if (group < 0 || want_body != body) {
            DP_TRY(dp_layout_struct_add(L, table_el, want_body ? DP_ROLE_TBODY : DP_ROLE_THEAD,
                                        &group));
            body = want_body;
        }
        int tr, ncells = 0;
        DP_TRY(dp_layout_struct_add(L, group, DP_ROLE_TR, &tr));
        for (const dp_block *cell = r->child; cell; cell = cell->next)
            ncells++;
        free(cells);
        cells = malloc((size_t)(ncells ? ncells : 1) * sizeof *cells);
        DP_CHECK_ALLOC(cells);
        int ci = 0;
        for (const dp_block *cell = r->child; cell; cell = cell->next, ci++) {
            DP_TRY(dp_layout_struct_add(L, tr, r->header ? DP_ROLE_TH : DP_ROLE_TD, &cells[ci]));
            dp_elem *e = &L->pages->elems[cells[ci]];
            e->scope = r->header ? DP_SCOPE_COLUMN : DP_SCOPE_NONE;
            e->colspan = cell->span;
        }
        DP_TRY(table_row(L, r, &g, 0, 0, 0, &n, NULL));
        double h = (double)n * g.pitch + 2 * g.pad;
        if (L->y + h <= L->bottom + 0.01 || L->y <= L->top + 0.01) {
            if (L->y + h <= L->bottom + 0.01) {
                DP_TRY(table_row(L, r, &g, 1, 0, n, &n, cells));
                continue;
            }
        } else if (L->top + h <= L->bottom + 0.01) {
            DP_TRY(table_page(L, table, r, &g));
            if (L->y + h <= L->bottom + 0.01) {
                DP_TRY(table_row(L, r, &g, 1, 0, n, &n, cells));
                continue;
            }
        }
        /* taller than the room a page has: in slices, at least two lines
         * a page where the page can hold them */
        for (size_t from = 0; from < n;) {
            double room = floor((L->bottom - L->y - 2 * g.pad + 0.01) / g.pitch);
            size_t avail = room > 0 ? (size_t)room : 0;
            if (avail < 2 && avail < n - from && L->y > L->top + 0.01) {
                DP_TRY(table_page(L, table, r, &g));
                continue;
            }
            if (avail == 0)
                avail = 1; /* a page cannot hold better */
            size_t k = avail < n - from ? avail : n - from;
            DP_TRY(table_row(L, r, &g, 1, from, k, &(size_t){0}, cells));
            from += k;
            if (from < n)
                DP_TRY(table_page(L, table, r, &g));
        }
    }
    dp_layout_struct_end(L);
done:
    free(g.cols);
    free(g.numeric);
    free(g.before);
    free(g.after);
    free(cells);
    return status;
}
