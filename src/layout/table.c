/*
 * Tables: column widths from the cells' content, rows drawn as ruled
 * cells, header rows shaded and repeated on every page the table
 * continues on, rows taller than a page split between lines.
 */
#include <math.h>
#include <stdlib.h>

#include "base/status.h"
#include "layouter.h"

typedef struct table_geom {
    double x, *cols; /* column widths */
    int ncols;
    double size, pitch, pad;
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
                                                      0xE8EEF5, 0}));
    int k = 0;
    for (const dp_block *cell = row->child; cell; c += cell->span, cell = cell->next, k++) {
        double w = cell_width(g, c, cell->span);
        if (cells)
            L->cur = cells[k];
        L->nspans = 0;
        DP_TRY(dp_layout_flatten(L, cell->text, cell_style(L, row, g), NULL));
        if (L->nspans) {
            DP_TRY(dp_layout_set_text(L, w - 2 * g->pad, w - 2 * g->pad, 1));
            if (L->lines.n > maxlines)
                maxlines = L->lines.n;
            for (size_t j = from; draw && j < L->lines.n && j < from + count; j++) {
                const dp_line *ln = &L->lines.items[j];
                double base = pdf_y(L, top + g->pad + (double)(j - from) * g->pitch +
                                       baseline_in(g->pitch, g->size));
                DP_TRY(dp_layout_emit_units(L, &L->para, L->page, ln->first, ln->end,
                                            cx + g->pad, base));
            }
        }
        if (draw)
            DP_TRY(dp_layout_add_box(L, L->page, (dp_box){DP_BOX_STROKE, cx, pdf_y(L, top + height),
                                                          w, height, 0x999999, 0.5}));
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
    table_geom g = {x, NULL, 1, L->st->body_size * 0.95, 0, 0};
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
    DP_CHECK_ALLOC(g.cols);
    DP_TRY(table_columns(L, table, width, &g));
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
    free(cells);
    return status;
}
