/*
 * Pagination, in reading order:
 *   1. cover (title block)          — optional, from the style
 *   2. table of contents            — entries laid out now, page numbers
 *                                     filled in after step 3 (the number
 *                                     column is reserved, so the TOC never
 *                                     needs a second layout)
 *   3. sections → articles → blocks — lines placed with keeps and
 *                                     widow/orphan control
 *   4. running headers and footers  — once the page count is known
 * The vertical cursor `y` runs downwards from the page top; it becomes a
 * PDF coordinate (origin bottom left) only when something is emitted.
 */
#include "paginate.h"

#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "base/buf.h"
#include "base/status.h"
#include "base/url.h"
#include "base/utf8.h"
#include "base/vec.h"
#include "image.h"
#include "text/breaks.h"
#include "text/lines.h"
#include "text/shape.h"

#define WHITE 0xFFFFFF

typedef struct toc_entry {
    int page;          /* where the entry's last line is */
    double baseline;   /* of its last line (PDF y) */
    double text_end;   /* x where the title's last line ends */
    double top;        /* PDF y of the entry's first line top */
    int top_page;
    double size;
    const char *dest;
} toc_entry;

typedef struct layouter {
    const dp_doc *doc;
    const dp_style *st;
    dp_fontset *fs;
    dp_diags *d;
    dp_pages *pages;
    dp_para para;
    dp_para label; /* short one-line texts, drawn while para is in use */
    /* what label holds shaped */
    dp_buf label_text;
    int label_font;
    double label_size;
    dp_lines lines;
    dp_span *spans;
    size_t nspans, capspans;
    dp_buf scratch; /* generated texts (markers, numbers) */
    /* cursor */
    int page;  /* current page index, -1 before the first */
    double y;  /* distance from the page top to the cursor */
    double top, bottom, left, measure;
    const char *section; /* current section name */
    const char **page_section;
    size_t cap_page_section;
    toc_entry *toc;
    size_t ntoc, captoc;
    /* folders figures and the cover logo are read from (NULL: any) */
    const char *root, *logo_root;
    dp_buf *lines_dump; /* every paragraph's lines as text, or NULL */
} layouter;

void dp_pages_free(dp_pages *pages)
{
    if (!pages)
        return;
    for (size_t i = 0; i < pages->n; i++) {
        free(pages->pages[i].runs);
        free(pages->pages[i].boxes);
        free(pages->pages[i].links);
        free(pages->pages[i].pictures);
    }
    for (size_t i = 0; i < pages->nimages; i++)
        dp_image_dispose(&pages->images[i].image);
    free(pages->images);
    free(pages->pages);
    free(pages->marks);
    dp_arena_dispose(&pages->arena);
    free(pages);
}

/* ---- pages and items ---- */

static dp_status new_page(layouter *L)
{
    dp_pages *P = L->pages;
    if (P->n >= DP_MAX_PAGES) {
        dp_error(L->d, L->doc->file, 0, "more than %d pages", DP_MAX_PAGES);
        return DP_ELIMIT;
    }
    if (DP_VEC_GROW(P->pages, P->n, P->cap) < 0 ||
        DP_VEC_GROW(L->page_section, P->n, L->cap_page_section) < 0)
        return DP_ENOMEM;
    memset(&P->pages[P->n], 0, sizeof P->pages[P->n]);
    L->page_section[P->n] = L->section;
    L->page = (int)P->n++;
    L->y = L->top;
    return DP_OK;
}

static double pdf_y(const layouter *L, double y)
{
    return L->pages->height - y;
}

static dp_status add_box(layouter *L, int page, dp_box box)
{
    dp_page *pg = &L->pages->pages[page];
    if (DP_VEC_GROW(pg->boxes, pg->nboxes, pg->capboxes) < 0)
        return DP_ENOMEM;
    pg->boxes[pg->nboxes++] = box;
    return DP_OK;
}

static dp_status add_link(layouter *L, int page, dp_link link)
{
    dp_page *pg = &L->pages->pages[page];
    if (DP_VEC_GROW(pg->links, pg->nlinks, pg->caplinks) < 0)
        return DP_ENOMEM;
    pg->links[pg->nlinks++] = link;
    return DP_OK;
}

/* A bookmark shows one line of a title: a longer one is cut (at a
 * character) and ends in "…"; PDF strings are limited too. */
#define MAX_MARK_CHARS 500

static dp_status add_mark(layouter *L, const char *id, const char *title,
                          int level, double y)
{
    dp_pages *P = L->pages;
    size_t len = strlen(title), at = 0;
    for (int n = 0; at < len && n < MAX_MARK_CHARS; n++) {
        uint32_t cp;
        size_t k = dp_utf8_decode(title + at, len - at, &cp);
        at += k ? k : 1;
    }
    if (at < len) {
        char *cut = dp_arena_alloc(&P->arena, at + sizeof "…");
        if (!cut)
            return DP_ENOMEM;
        memcpy(cut, title, at);
        memcpy(cut + at, "…", sizeof "…");
        title = cut;
    }
    if (DP_VEC_GROW(P->marks, P->nmarks, P->capmarks) < 0)
        return DP_ENOMEM;
    P->marks[P->nmarks++] = (dp_mark){id, title, level, L->page, pdf_y(L, y)};
    return DP_OK;
}

/*
 * Emits units [first, end) of the shaped paragraph as runs on `page`,
 * the line starting at x0 on baseline `base` (PDF y). Consecutive units
 * of one font, size and colour share a run.
 */
typedef struct text_style {
    int font;
    double size;
    uint32_t color;
} text_style;

static dp_status draw_label_fit(layouter *L, int page, const char *text,
                                text_style ts, double x, double base, int align,
                                double maxw, double *w);
static dp_status draw_label(layouter *L, int page, const char *text,
                            text_style ts, double x, double base, int align,
                            double *w);
static dp_status label_width(layouter *L, const char *text, text_style ts, double *w);

static dp_status emit_units(layouter *L, const dp_para *p, int page,
                            size_t first, size_t end, double x0, double base)
{
    dp_page *pg = &L->pages->pages[page];
    dp_arena *A = &L->pages->arena;
    size_t i = first;
    while (i < end) {
        const dp_unit *u = &p->units[i];
        uint32_t color = p->spans[u->span].color;
        size_t j = i, ng = 0;
        while (j < end && p->units[j].font == u->font &&
               p->units[j].size == u->size &&
               p->spans[p->units[j].span].color == color) {
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
        dp_status status = label_width(L, rt, rs, &rw);
        if (status < 0)
            return status;
        /* a reading wider than the measure starts at the margin, cut */
        if (rw > L->measure)
            status = draw_label_fit(L, page, rt, rs, L->left, base + a->size * 0.95, 0,
                                    L->measure, NULL);
        else
            status = draw_label(L, page, rt, rs, x0 + (a->x + b->x + b->adv) / 2,
                                base + a->size * 0.95, 2, NULL);
        if (status < 0)
            return status;
        i = j;
    }
    /* link rectangles over linked text */
    for (i = first; i < end; i++) {
        const char *href = p->spans[p->units[i].span].href;
        if (!href)
            continue;
        size_t j = i;
        while (j + 1 < end && p->spans[p->units[j + 1].span].href == href)
            j++;
        const dp_unit *a = &p->units[i], *b = &p->units[j];
        dp_status status = add_link(L, page, (dp_link){
            x0 + a->x, base - a->size * 0.2, x0 + b->x + b->adv,
            base + a->size * 0.9, href, NULL});
        if (status < 0)
            return status;
        i = j;
    }
    return DP_OK;
}

/* ---- text ---- */

static dp_status push_span(layouter *L, const char *text, size_t len, int font,
                           double size, uint32_t color, const char *href,
                           const char *lang, long line)
{
    if (len == 0)
        return DP_OK;
    if (DP_VEC_GROW(L->spans, L->nspans, L->capspans) < 0)
        return DP_ENOMEM;
    L->spans[L->nspans++] = (dp_span){text, len, font, size, color, href,
                                      lang, line, 0, NULL};
    return DP_OK;
}

/* A copy of s that lives as long as the pages (generated texts). */
static const char *keep(layouter *L, const char *s)
{
    return dp_arena_strdup(&L->pages->arena, s);
}

static int looks_like_url(const char *s, size_t n)
{
    return (n > 7 && !strncmp(s, "http://", 7)) || (n > 8 && !strncmp(s, "https://", 8));
}

/* A link target longer than this is drawn as text: no reader needs it
 * and libharu refuses strings over 64 KB. */
#define MAX_HREF_BYTES 4096

/* Whether href's scheme is one the style allows (link.schemes). */
static int scheme_allowed(const dp_style *st, const char *href, size_t len)
{
    size_t n = 0;
    while (n < len && href[n] != ':' && n < 64)
        n++;
    if (n == 0 || n >= len || href[n] != ':')
        return 0; /* no scheme: a relative reference has no base here */
    for (const char *p = st->link_schemes; *p;) {
        const char *e = strchr(p, ' ');
        if (!e)
            break;
        if ((size_t)(e - p) == n && strncasecmp(p, href, n) == 0)
            return 1;
        p = e + 1;
    }
    return 0;
}

/* The URI a link action gets for href (in the pages' arena): characters
 * outside printable ASCII percent-encoded, as a URI must be written; NULL
 * when href is not made a link (a warning naming line says why) or out
 * of memory (*status). quiet: no warning (bare URLs found in text). */
static const char *link_uri(layouter *L, const char *href, size_t len, long line,
                            int quiet, dp_status *status)
{
    *status = DP_OK;
    if (len == 0) {
        if (!quiet)
            dp_warn(L->d, L->doc->file, line, "link with an empty href; drawn as text");
        return NULL;
    }
    if (!scheme_allowed(L->st, href, len)) {
        if (!quiet) {
            size_t n = 0;
            while (n < len && n < 32 && href[n] != ':' && (unsigned char)href[n] >= 0x20 &&
                   (unsigned char)href[n] < 0x7F)
                n++;
            dp_warn(L->d, L->doc->file, line,
                    n < len && href[n] == ':'
                        ? "link scheme \"%.*s:\" is not allowed (link.schemes); drawn as text"
                        : "link href \"%.*s...\" has no scheme; drawn as text",
                    (int)n, href);
        }
        return NULL;
    }
    size_t out = 0;
    for (size_t i = 0; i < len; i++) {
        unsigned char c = (unsigned char)href[i];
        out += c <= 0x20 || c >= 0x7F || strchr("\"<>\\^`{|}", c) ? 3 : 1;
    }
    if (out > MAX_HREF_BYTES) {
        if (!quiet)
            dp_warn(L->d, L->doc->file, line,
                    "link href of %zu bytes is over the %d-byte limit; drawn as text",
                    out, MAX_HREF_BYTES);
        return NULL;
    }
    char *uri = dp_arena_alloc(&L->pages->arena, out + 1);
    if (!uri) {
        *status = DP_ENOMEM;
        return NULL;
    }
    size_t o = 0;
    for (size_t i = 0; i < len; i++) {
        unsigned char c = (unsigned char)href[i];
        if (c <= 0x20 || c >= 0x7F || strchr("\"<>\\^`{|}", c)) {
            snprintf(uri + o, 4, "%%%02X", c);
            o += 3;
        } else {
            uri[o++] = (char)c;
        }
    }
    uri[o] = '\0';
    return uri;
}

/* Every <a href> of the document checked once, with its warning, before
 * any is laid out: table cells are flattened several times, and flatten()
 * makes the URI again quietly (the document is not changed: a build may
 * lay it out more than once). */
static dp_status check_inline_links(layouter *L, const dp_inline *in)
{
    dp_status status = DP_OK;
    for (; in; in = in->next) {
        if (in->kind == DP_INL_LINK && in->href) {
            link_uri(L, in->href, strlen(in->href), in->line, 0, &status);
            if (status < 0)
                return status;
        }
        DP_TRY(check_inline_links(L, in->child));
    }
done:
    return status;
}

static dp_status check_block_links(layouter *L, const dp_block *b)
{
    dp_status status = DP_OK;
    for (; b; b = b->next) {
        DP_TRY(check_inline_links(L, b->text));
        DP_TRY(check_block_links(L, b->child));
    }
done:
    return status;
}

static dp_status check_links(layouter *L)
{
    dp_status status = DP_OK;
    DP_TRY(check_inline_links(L, L->doc->summary));
    for (const dp_section *s = L->doc->sections; s; s = s->next)
        for (const dp_article *a = s->articles; a; a = a->next) {
            DP_TRY(check_inline_links(L, a->title));
            DP_TRY(check_inline_links(L, a->subtitle));
            DP_TRY(check_block_links(L, a->body));
        }
done:
    return status;
}

/* Plain text, with bare http(s) URLs turned into links. */
static dp_status text_with_urls(layouter *L, const dp_inline *in, text_style ts)
{
    dp_status status = DP_OK;
    const char *s = in->text;
    size_t n = in->len, start = 0;
    for (size_t i = 0; i + 7 < n; i++) {
        if (s[i] != 'h')
            continue;
        size_t k = dp_url_length(s + i, n - i);
        if (k == 0)
            continue;
        const char *href = link_uri(L, s + i, k, in->line, 1, &status);
        if (status < 0)
            goto done;
        if (!href)
            continue; /* a scheme the style does not allow */
        DP_TRY(push_span(L, s + start, i - start, ts.font, ts.size, ts.color,
                         NULL, in->lang, in->line));
        DP_TRY(push_span(L, s + i, k, ts.font, ts.size, L->st->color_link, href,
                         in->lang, in->line));
        L->spans[L->nspans - 1].url = 1;
        start = i + k;
        i = start - 1;
    }
    DP_TRY(push_span(L, s + start, n - start, ts.font, ts.size, ts.color, NULL,
                     in->lang, in->line));
done:
    return status;
}

static dp_status flatten(layouter *L, const dp_inline *in, text_style ts,
                         const char *href)
{
    dp_status status = DP_OK;
    for (; in; in = in->next) {
        switch (in->kind) {
        case DP_INL_TEXT:
            if (href) {
                DP_TRY(push_span(L, in->text, in->len, ts.font, ts.size,
                                 L->st->color_link, href, in->lang, in->line));
                L->spans[L->nspans - 1].url = looks_like_url(in->text, in->len);
            } else {
                DP_TRY(text_with_urls(L, in, ts));
            }
            break;
        case DP_INL_EM: {
            text_style e = ts;
            e.color = L->st->color_accent;
            DP_TRY(flatten(L, in->child, e, href));
            break;
        }
        case DP_INL_STRONG: {
            text_style s = ts;
            s.font = DP_FONT_HEADING;
            DP_TRY(flatten(L, in->child, s, href));
            break;
        }
        case DP_INL_LINK: { /* check_links() warned about a refused href */
            const char *uri = in->href ? link_uri(L, in->href, strlen(in->href),
                                                  in->line, 1, &status) : NULL;
            if (status < 0)
                goto done;
            DP_TRY(flatten(L, in->child, ts, uri ? uri : href));
            break;
        }
        case DP_INL_SPAN: /* set as its text; the children carry its language */
            DP_TRY(flatten(L, in->child, ts, href));
            break;
        case DP_INL_BR:
            DP_TRY(push_span(L, "\n", 1, ts.font, ts.size, ts.color, NULL,
                             in->lang, in->line));
            break;
        case DP_INL_RUBY: {
            /* the base text carries its reading; emit_units sets it above */
            size_t first = L->nspans;
            DP_TRY(flatten(L, in->child, ts, href));
            for (size_t k = first; k < L->nspans; k++)
                L->spans[k].ruby = in->rt && *in->rt ? in->rt : NULL;
            break;
        }
        }
    }
done:
    return status;
}

/* Shapes the collected spans and breaks them into lines. */
static dp_status set_text(layouter *L, double first_width, double width,
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
                            (ragged ? DP_LINES_RAGGED : 0));
    if (status == DP_OK && L->lines_dump)
        status = dp_lines_dump(L->lines_dump, &L->para, &L->lines);
    return status;
}

static double pitch_of(const layouter *L, double size)
{
    return size * L->st->body_leading;
}

static double baseline_in(double pitch, double size)
{
    /* centre the em box in the line pitch; IPAex ascent is 0.88 em */
    return (pitch - size) / 2 + size * 0.88;
}

/*
 * Places the lines of the current text at x (first line at x + indent)
 * with widow/orphan control: a page never starts or ends with a single
 * line of a block (when the block has at least four lines).
 * first_line_out: page and y of the first line (may be NULL).
 */
static dp_status place_lines(layouter *L, double x, double indent,
                             double pitch, int *first_page, double *first_y)
{
    dp_status status = DP_OK;
    size_t n = L->lines.n, i = 0;
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
        }
        if (k == 0) {
            DP_TRY(new_page(L));
            continue;
        }
        for (size_t j = i; j < i + k; j++) {
            const dp_line *ln = &L->lines.items[j];
            if (j == 0 && first_page) {
                *first_page = L->page;
                *first_y = L->y;
            }
            double base = pdf_y(L, L->y + baseline_in(pitch, L->para.units[ln->first].size));
            DP_TRY(emit_units(L, &L->para, L->page, ln->first, ln->end,
                              x + (j == 0 ? indent : 0), base));
            L->y += pitch;
        }
        i += k;
        if (i < n)
            DP_TRY(new_page(L));
    }
done:
    return status;
}

/* Moves to a new page unless `need` points fit below the cursor. */
static dp_status need_space(layouter *L, double need)
{
    if (L->y + need > L->bottom + 0.01 && L->y > L->top + 0.01)
        return new_page(L);
    return DP_OK;
}

static void space_before(layouter *L, double amount)
{
    if (L->y > L->top + 0.01)
        L->y += amount;
}

/* A block of inline text: p, heading, item line, caption. Body text is
 * justified; display text (headings, subtitles) is set ragged. */
enum { JUSTIFIED = 0, RAGGED = 1 };

static dp_status text_block(layouter *L, const dp_inline *in, text_style ts,
                            int ragged, double x, double width, double indent,
                            int *first_page, double *first_y)
{
    L->nspans = 0;
    dp_status status = flatten(L, in, ts, NULL);
    if (status < 0)
        return status;
    if (L->nspans == 0)
        return DP_OK;
    status = set_text(L, width - indent, width, ragged);
    if (status < 0)
        return status;
    return place_lines(L, x, indent, pitch_of(L, ts.size), first_page, first_y);
}

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

/* Shapes text alone into L->label (not again when it holds it already:
 * list markers repeat) and places its units one after the other; returns
 * its width. The span lives in *span, which must outlive the use of
 * L->label. */
static dp_status shape_label(layouter *L, dp_span *span, const char *text,
                             text_style ts, double *width)
{
    *span = (dp_span){text, strlen(text), ts.font, ts.size, ts.color, NULL,
                      L->doc->lang, 0, 0, NULL};
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
static dp_status label_width(layouter *L, const char *text, text_style ts, double *w)
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

/* Draws a short text on one line at (x, baseline); align 0 left, 1 right,
 * 2 centre; a text wider than maxw (0: the page's width, so that nothing
 * is ever placed far off the page) is cut and ends in "…". Returns its
 * width in *w when non-NULL. */
static dp_status draw_label_fit(layouter *L, int page, const char *text,
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
        DP_TRY(label_width(L, "…", ts, &ew));
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
    status = emit_units(L, p, page, 0, p->n, x, base);
done:
    p->spans = NULL; /* the span lives on this stack frame only */
    p->nspans = 0;
    return status;
}

static dp_status draw_label(layouter *L, int page, const char *text,
                            text_style ts, double x, double base, int align,
                            double *w)
{
    return draw_label_fit(L, page, text, ts, x, base, align, 0, w);
}

/* A display text (a section name, an issuing body, a series) at the
 * cursor: on one line at x when it fits in width, as draw_label() sets
 * it; else wrapped (ragged) over as many lines of pitch as it needs.
 * The cursor moves below it; *lines: how many lines it took. */
static dp_status display_text(layouter *L, const char *text, text_style ts,
                              double x, double width, double pitch, int *lines)
{
    dp_status status = DP_OK;
    double w = 0;
    DP_TRY(label_width(L, text, ts, &w));
    if (w <= width + 0.01) {
        DP_TRY(draw_label(L, L->page, text, ts, x,
                          pdf_y(L, L->y + baseline_in(pitch, ts.size)), 0, NULL));
        L->y += pitch;
        if (lines)
            *lines = 1;
        return DP_OK;
    }
    L->nspans = 0;
    DP_TRY(push_span(L, text, strlen(text), ts.font, ts.size, ts.color, NULL,
                     L->doc->lang, 0));
    DP_TRY(set_text(L, width, width, RAGGED));
    if (lines)
        *lines = (int)L->lines.n;
    DP_TRY(place_lines(L, x, 0, pitch, NULL, NULL));
done:
    return status;
}

/* ---- blocks ---- */

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

static dp_status blocks(layouter *L, const dp_block *b, double x, double width,
                        int level);

static dp_status list_block(layouter *L, const dp_block *list, double x,
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
    for (const dp_block *it = list->child; it; it = it->next, n++) {
        space_before(L, size * st->para_space * 0.5);
        DP_TRY(need_space(L, pitch));
        int page = -1;
        double y0 = 0;
        int page0 = L->page;
        size_t runs0 = L->pages->pages[page0].nruns;
        if (it->text) {
            DP_TRY(text_block(L, it->text, body, JUSTIFIED, x + mw, width - mw, 0, &page, &y0));
        }
        if (page < 0) { /* an item with no text of its own */
            page = L->page;
            y0 = L->y;
            if (it->child)
                L->y += 0;
        }
        marker_text(st, m, sizeof m, list->list_type, n, level);
        if (m[0]) {
            const char *k = keep(L, m);
            DP_CHECK_ALLOC(k);
            double base = pdf_y(L, y0 + baseline_in(pitch, size));
            size_t before = L->pages->pages[page].nruns;
            DP_TRY(draw_label(L, page, k, mark, x, base, 0, NULL));
            /* the marker goes before the item's first line: the order a
             * reader (and text extraction) meets them in, and the pen
             * moves back by a constant instead of up over the whole item */
            move_runs_back(&L->pages->pages[page], before, page == page0 ? runs0 : 0);
        }
        DP_TRY(blocks(L, it->child, x + mw, width - mw, level + 1));
    }
done:
    return status;
}

/* ---- tables ---- */

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
            DP_TRY(flatten(L, cell->text, cell_style(L, r, g), NULL));
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
 * page is drawn in slices, one per page), and moves the cursor below. */
static dp_status table_row(layouter *L, const dp_block *row, const table_geom *g,
                           int draw, size_t from, size_t count, size_t *nlines)
{
    dp_status status = DP_OK;
    double top = L->y, cx = g->x, height = (double)count * g->pitch + 2 * g->pad;
    size_t maxlines = 1;
    int c = 0;
    if (draw && row->header)
        DP_TRY(add_box(L, L->page, (dp_box){DP_BOX_FILL, g->x, pdf_y(L, top + height),
                                            cell_width(g, 0, g->ncols), height,
                                            0xE8EEF5, 0}));
    for (const dp_block *cell = row->child; cell; c += cell->span, cell = cell->next) {
        double w = cell_width(g, c, cell->span);
        L->nspans = 0;
        DP_TRY(flatten(L, cell->text, cell_style(L, row, g), NULL));
        if (L->nspans) {
            DP_TRY(set_text(L, w - 2 * g->pad, w - 2 * g->pad, 1));
            if (L->lines.n > maxlines)
                maxlines = L->lines.n;
            for (size_t j = from; draw && j < L->lines.n && j < from + count; j++) {
                const dp_line *ln = &L->lines.items[j];
                double base = pdf_y(L, top + g->pad + (double)(j - from) * g->pitch +
                                       baseline_in(g->pitch, g->size));
                DP_TRY(emit_units(L, &L->para, L->page, ln->first, ln->end,
                                  cx + g->pad, base));
            }
        }
        if (draw)
            DP_TRY(add_box(L, L->page, (dp_box){DP_BOX_STROKE, cx, pdf_y(L, top + height),
                                                w, height, 0x999999, 0.5}));
        cx += w;
    }
    if (!draw)
        *nlines = maxlines;
    else
        L->y = top + height;
done:
    return status;
}

/* A new page with the table's header rows at its top (those before row r;
 * none when r is one of them, or when they would fill most of the page). */
static dp_status table_page(layouter *L, const dp_block *table, const dp_block *r,
                            const table_geom *g)
{
    dp_status status = DP_OK;
    DP_TRY(new_page(L));
    if (r->header)
        return DP_OK;
    double hh = 0;
    for (const dp_block *hr = table->child; hr && hr->header; hr = hr->next) {
        size_t n = 0;
        DP_TRY(table_row(L, hr, g, 0, 0, 0, &n));
        hh += (double)n * g->pitch + 2 * g->pad;
    }
    if (hh > (L->bottom - L->top) / 2)
        return DP_OK;
    for (const dp_block *hr = table->child; hr && hr->header; hr = hr->next) {
        size_t n = 0;
        DP_TRY(table_row(L, hr, g, 0, 0, 0, &n));
        DP_TRY(table_row(L, hr, g, 1, 0, n, &n));
    }
done:
    return status;
}

/* A table: the header rows at its top are repeated at the top of every
 * page the table continues on. A row that does not fit below the cursor
 * goes to the next page; one taller than a page is split between lines
 * and continues on as many pages as it needs. */
static dp_status table_block(layouter *L, const dp_block *table, double x,
                             double width)
{
    dp_status status = DP_OK;
    table_geom g = {x, NULL, 1, L->st->body_size * 0.95, 0, 0};
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
    for (const dp_block *r = table->child; r; r = r->next) {
        size_t n = 0;
        DP_TRY(table_row(L, r, &g, 0, 0, 0, &n));
        double h = (double)n * g.pitch + 2 * g.pad;
        if (L->y + h <= L->bottom + 0.01 || L->y <= L->top + 0.01) {
            if (L->y + h <= L->bottom + 0.01) {
                DP_TRY(table_row(L, r, &g, 1, 0, n, &n));
                continue;
            }
        } else if (L->top + h <= L->bottom + 0.01) {
            DP_TRY(table_page(L, table, r, &g));
            if (L->y + h <= L->bottom + 0.01) {
                DP_TRY(table_row(L, r, &g, 1, 0, n, &n));
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
            DP_TRY(table_row(L, r, &g, 1, from, k, &(size_t){0}));
            from += k;
            if (from < n)
                DP_TRY(table_page(L, table, r, &g));
        }
    }
done:
    free(g.cols);
    return status;
}

/* The image's path: relative paths are taken from the digest's folder. */
static const char *image_path(layouter *L, const char *src)
{
    const char *file = L->doc->file, *slash = strrchr(file, '/');
    if (src[0] == '/' || !slash)
        return src;
    char *p = dp_arena_alloc(&L->pages->arena, (size_t)(slash - file) + strlen(src) + 2);
    if (p)
        sprintf(p, "%.*s/%s", (int)(slash - file), file, src);
    return p;
}

/*
 * A figure: the image scaled to its width (96 dpi when none is given),
 * never wider than the measure nor taller than the page, kept on one page
 * with its caption.
 */
static dp_status figure(layouter *L, const dp_block *b, double x, double width)
{
    dp_status status = DP_OK;
    const dp_style *st = L->st;
    double size = st->body_size;
    const char *path = image_path(L, b->src);
    DP_CHECK_ALLOC(path);
    int index;
    char why[DP_IMAGE_WHY];
    status = dp_layout_image(L->pages, path, L->root, &index, why);
    if (status < 0) {
        dp_error(L->d, L->doc->file, b->line, "figure %s: %s", b->src, why);
        if (status == DP_EIO)
            status = DP_EINPUT;
        return status;
    }
    const dp_image *info = &L->pages->images[index].image;
    double w = b->width_pt > 0 ? b->width_pt
             : b->width_pt < 0 ? width * -b->width_pt / 100
             : info->width * 0.75; /* 96 dpi */
    if (w > width)
        w = width;
    double h = w * info->height / info->width;
    double room = (L->bottom - L->top) * 0.8;
    if (h > room) { /* a tall image shrinks to fit the page */
        h = room;
        w = h * info->width / info->height;
    }
    /* lay out the caption first to keep it with the image */
    double cap_h = 0;
    text_style cs = {DP_FONT_BODY, size * 0.9, st->color_muted};
    if (b->text) {
        L->nspans = 0;
        DP_TRY(flatten(L, b->text, cs, NULL));
        DP_TRY(set_text(L, width, width, 1));
        cap_h = (double)L->lines.n * pitch_of(L, cs.size);
    }
    DP_TRY(need_space(L, h + size * 0.5 + cap_h));
    dp_page *pg = &L->pages->pages[L->page];
    if (DP_VEC_GROW(pg->pictures, pg->npictures, pg->cappictures) < 0)
        return DP_ENOMEM;
    pg->pictures[pg->npictures++] = (dp_picture){path, (int)info->type, index,
        x + (width - w) / 2, pdf_y(L, L->y + h), w, h};
    L->y += h + size * 0.5;
    if (b->text)
        DP_TRY(place_lines(L, x, 0, pitch_of(L, cs.size), NULL, NULL));
done:
    return status;
}

static dp_status blocks(layouter *L, const dp_block *b, double x, double width,
                        int level)
{
    dp_status status = DP_OK;
    const dp_style *st = L->st;
    double size = st->body_size;
    text_style body = {DP_FONT_BODY, size, st->color_text};
    for (; b; b = b->next) {
        if (level > DP_MAX_DEPTH)
            break;
        switch (b->kind) {
        case DP_BLK_P: {
            space_before(L, size * st->para_space);
            int ja = !b->lang || strncmp(b->lang, "ja", 2) == 0;
            DP_TRY(text_block(L, b->text, body, JUSTIFIED, x, width, ja ? size : 0, NULL, NULL));
            break;
        }
        case DP_BLK_HEADING: {
            text_style hs = {DP_FONT_HEADING, st->heading_size, st->color_accent};
            space_before(L, size * 0.8);
            /* keep with two lines of what follows */
            DP_TRY(need_space(L, pitch_of(L, hs.size) + 2 * pitch_of(L, size)));
            const char *title = dp_inline_plain((dp_doc *)L->doc, b->text);
            DP_CHECK_ALLOC(title);
            DP_TRY(add_mark(L, b->id, title, 2, L->y));
            int page = L->page;
            double y0 = L->y;
            DP_TRY(text_block(L, b->text, hs, RAGGED, x + size * 0.6, width - size * 0.6, 0,
                              &page, &y0));
            DP_TRY(add_box(L, page, (dp_box){DP_BOX_FILL, x, pdf_y(L, y0 + pitch_of(L, hs.size) * 0.8),
                                             size * 0.25, pitch_of(L, hs.size) * 0.6,
                                             st->color_accent, 0}));
            break;
        }
        case DP_BLK_LIST:
            space_before(L, size * st->para_space * 0.5);
            DP_TRY(list_block(L, b, x, width, level));
            break;
        case DP_BLK_ITEM: /* only inside lists */
            break;
        case DP_BLK_QUOTE: {
            space_before(L, size * st->para_space);
            int page = L->page;
            double y0 = L->y;
            DP_TRY(blocks(L, b->child, x + size * 1.5, width - size * 2, level + 1));
            /* the rule at the left, one piece per page */
            for (int p = page; p <= L->page; p++) {
                double t = p == page ? y0 : L->top;
                double e = p == L->page ? L->y : L->bottom;
                DP_TRY(add_box(L, p, (dp_box){DP_BOX_FILL, x + size * 0.4,
                                              L->pages->height - e, size * 0.2,
                                              e - t, st->color_muted, 0}));
            }
            break;
        }
        case DP_BLK_TABLE:
            space_before(L, size * st->para_space);
            DP_TRY(table_block(L, b, x, width));
            break;
        case DP_BLK_FIGURE:
            space_before(L, size * st->para_space);
            DP_TRY(figure(L, b, x, width));
            break;
        case DP_BLK_ROW:
        case DP_BLK_CELL:
            break;
        }
    }
done:
    return status;
}

/* ---- articles, sections, cover, contents ---- */

/* Room the start of a block needs so that what precedes it (a title or a
 * heading) is kept with at least two lines of text. */
static double lead_height(const layouter *L, const dp_block *b)
{
    double size = L->st->body_size, two = 2 * pitch_of(L, size) + size;
    if (b && b->kind == DP_BLK_HEADING)
        return size * 0.8 + pitch_of(L, L->st->heading_size) + two;
    return two;
}

static dp_status article(layouter *L, const dp_article *a)
{
    dp_status status = DP_OK;
    const dp_style *st = L->st;
    double size = st->body_size;
    text_style ts = {DP_FONT_HEADING, st->title_size, st->color_text};
    double tpitch = pitch_of(L, ts.size) * 0.85;

    space_before(L, size * 1.6);
    /* keep the title with two lines of the body */
    DP_TRY(need_space(L, tpitch * 2 + size + lead_height(L, a->body)));
    const char *title = dp_inline_plain((dp_doc *)L->doc, a->title);
    DP_CHECK_ALLOC(title);
    DP_TRY(add_mark(L, a->id, title, 1, L->y));

    double x = L->left, width = L->measure, badge = 0;
    if (a->is_new) {
        /* the NEW badge: white on the accent colour, before the title */
        badge = ts.size * 2.8;
        double by = L->y + (tpitch - ts.size * 0.95) / 2;
        DP_TRY(add_box(L, L->page, (dp_box){DP_BOX_FILL, x, pdf_y(L, by + ts.size * 0.95),
                                            ts.size * 2.3, ts.size * 0.95,
                                            st->color_accent, 0}));
        text_style bs = {DP_FONT_HEADING, ts.size * 0.6, WHITE};
        DP_TRY(draw_label(L, L->page, "NEW", bs, x + ts.size * 1.15,
                          pdf_y(L, by + ts.size * 0.72), 2, NULL));
    }
    L->nspans = 0;
    DP_TRY(flatten(L, a->title, ts, NULL));
    DP_TRY(set_text(L, width - badge, width - badge, 1));
    for (size_t j = 0; j < L->lines.n; j++) {
        const dp_line *ln = &L->lines.items[j];
        if (L->y + tpitch > L->bottom + 0.01 && L->y > L->top + 0.01)
            DP_TRY(new_page(L)); /* a title longer than a page */
        DP_TRY(emit_units(L, &L->para, L->page, ln->first, ln->end, x + badge,
                          pdf_y(L, L->y + baseline_in(tpitch, ts.size))));
        L->y += tpitch;
    }
    if (a->subtitle) {
        text_style ss = {DP_FONT_HEADING, size, st->color_muted};
        DP_TRY(text_block(L, a->subtitle, ss, RAGGED, x + badge, width - badge, 0, NULL, NULL));
    }
    if (a->date || a->href) {
        /* the announcement's own date and page, small */
        L->nspans = 0;
        text_style ms = {DP_FONT_BODY, size * 0.85, st->color_muted};
        if (a->date)
            DP_TRY(push_span(L, a->date, strlen(a->date), ms.font, ms.size,
                             ms.color, NULL, "en", a->line));
        if (a->date && a->href)
            DP_TRY(push_span(L, "  ", 2, ms.font, ms.size, ms.color, NULL, "en", a->line));
        if (a->href) {
            const char *uri = link_uri(L, a->href, strlen(a->href), a->line, 0, &status);
            if (status < 0)
                goto done;
            DP_TRY(push_span(L, a->href, strlen(a->href), ms.font, ms.size,
                             uri ? st->color_link : ms.color, uri, "en", a->line));
        }
        DP_TRY(set_text(L, width - badge, width - badge, 1));
        DP_TRY(place_lines(L, x + badge, 0, pitch_of(L, ms.size) * 0.9, NULL, NULL));
    }
    /* a hairline under the title */
    L->y += size * 0.3;
    DP_TRY(add_box(L, L->page, (dp_box){DP_BOX_LINE, x, pdf_y(L, L->y), width, 0,
                                        0xBBBBBB, 0.4}));
    L->y += size * 0.3;
    DP_TRY(blocks(L, a->body, x, width, 0));
done:
    return status;
}

static dp_status section(layouter *L, const dp_section *s)
{
    dp_status status = DP_OK;
    const dp_style *st = L->st;
    text_style ts = {DP_FONT_HEADING, st->section_size, st->color_accent};
    double pitch = pitch_of(L, ts.size) * 0.9, w = 0, more = 0;
    space_before(L, st->body_size * 2);
    /* a name wider than the measure wraps: room for all of its lines
     * (a name longer than a page continues on the next) */
    DP_TRY(label_width(L, s->name, ts, &w));
    if (w > L->measure + 0.01) {
        L->nspans = 0;
        DP_TRY(push_span(L, s->name, strlen(s->name), ts.font, ts.size, ts.color, NULL,
                         L->doc->lang, s->line));
        DP_TRY(set_text(L, L->measure, L->measure, RAGGED));
        more = L->lines.n > 1 ? (double)(L->lines.n - 1) * pitch : 0;
    }
    /* keep with the first article's title and two lines */
    DP_TRY(need_space(L, pitch + more + st->body_size * 3 +
                             pitch_of(L, st->title_size) * 2 +
                             lead_height(L, s->articles ? s->articles->body : NULL)));
    L->section = s->name;
    if (L->y <= L->top + 0.01)
        L->page_section[L->page] = s->name;
    DP_TRY(add_mark(L, s->id, s->name, 0, L->y));
    DP_TRY(display_text(L, s->name, ts, L->left, L->measure, pitch, NULL));
    DP_TRY(add_box(L, L->page, (dp_box){DP_BOX_FILL, L->left, pdf_y(L, L->y + 1.2),
                                        L->measure, 1.2, st->color_accent, 0}));
    L->y += st->body_size * 0.4;
    for (const dp_article *a = s->articles; a; a = a->next)
        DP_TRY(article(L, a));
done:
    return status;
}

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
    DP_TRY(label_width(L, name, ts, &nw));
    size_t nlines = 1;
    if (nw > namew + 0.01) {
        L->nspans = 0;
        DP_TRY(push_span(L, name, strlen(name), ts.font, ts.size, ts.color, NULL,
                         L->doc->lang, 0));
        DP_TRY(set_text(L, namew, namew, RAGGED));
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
        DP_TRY(new_page(L));
    double top = L->y, base = pdf_y(L, top + size * 2.1 * 0.68);
    if (!dest)
        DP_TRY(add_box(L, L->page, (dp_box){DP_BOX_FILL, x, pdf_y(L, top + rh),
                                            w, rh, 0xEEF2F7, 0}));
    if (nlines == 1 && nw <= namew + 0.01) {
        DP_TRY(draw_label(L, L->page, name, ts, x + size * 0.5, base, 0, NULL));
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
                DP_TRY(draw_label_fit(L, L->page, rest, ts, x + size * 0.5, b, 0, namew, NULL));
            } else {
                DP_TRY(emit_units(L, &L->para, L->page, ln->first, ln->end, x + size * 0.5, b));
            }
        }
    }
    DP_TRY(draw_label(L, L->page, count, ts, x + w - colw - size * 0.5, base, 1, NULL));
    DP_TRY(draw_label(L, L->page, fresh, ts, x + w - size * 0.5, base, 1, NULL));
    if (dest)
        DP_TRY(add_link(L, L->page, (dp_link){x, pdf_y(L, top + rh), x + w,
                                              pdf_y(L, top), NULL, dest}));
    L->y += rh;
    DP_TRY(add_box(L, L->page, (dp_box){DP_BOX_LINE, x, pdf_y(L, L->y), w, 0,
                                        0xBBBBBB, 0.5}));
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
    DP_TRY(need_space(L, size * 2.1 * (rows < 6 ? rows : 6)));
    DP_TRY(glance_row(L, "発行機関", "記事", "うち新着", hs, NULL));
    for (const dp_section *s = L->doc->sections; s; s = s->next) {
        int fresh = 0;
        for (const dp_article *a = s->articles; a; a = a->next)
            fresh += a->is_new;
        char n1[16], n2[16];
        snprintf(n1, sizeof n1, "%d", s->n_articles);
        snprintf(n2, sizeof n2, "%d", fresh);
        const char *k1 = keep(L, n1), *k2 = keep(L, n2);
        DP_CHECK_ALLOC(k1);
        DP_CHECK_ALLOC(k2);
        DP_TRY(glance_row(L, s->name, k1, k2, cs, s->id));
    }
done:
    return status;
}

static dp_status cover(layouter *L)
{
    dp_status status = DP_OK;
    const dp_style *st = L->st;
    const dp_doc *doc = L->doc;
    double size = st->body_size;
    DP_TRY(new_page(L));
    if (st->cover_logo[0]) {
        /* the logo: at most 12 mm high, top left */
        int index;
        char why[DP_IMAGE_WHY];
        status = dp_layout_image(L->pages, st->cover_logo, L->logo_root, &index, why);
        if (status < 0) {
            dp_error(L->d, st->cover_logo, 0, "cover logo: %s", why);
            if (status == DP_EIO)
                status = DP_EINPUT;
            goto done;
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
    }
    L->y = L->top + (L->bottom - L->top) * 0.14;
    /* accent bar */
    DP_TRY(add_box(L, L->page, (dp_box){DP_BOX_FILL, L->left, pdf_y(L, L->y),
                                        size * 4, size * 0.35, st->color_accent, 0}));
    L->y += size * 1.2;
    if (doc->series) {
        text_style ss = {DP_FONT_HEADING, size * 1.3, st->color_accent};
        L->nspans = 0;
        DP_TRY(push_span(L, doc->series, strlen(doc->series), ss.font, ss.size,
                         ss.color, NULL, doc->lang, 0));
        DP_TRY(set_text(L, L->measure, L->measure, 1));
        DP_TRY(place_lines(L, L->left, 0, ss.size * 1.6, NULL, NULL));
        L->y += size;
    }
    text_style tt = {DP_FONT_HEADING, st->cover_title_size, st->color_text};
    L->nspans = 0;
    DP_TRY(push_span(L, doc->title, strlen(doc->title), tt.font, tt.size,
                     tt.color, NULL, doc->lang, 0));
    DP_TRY(set_text(L, L->measure, L->measure, 1));
    DP_TRY(place_lines(L, L->left, 0, tt.size * 1.45, NULL, NULL));
    if (doc->subtitle) {
        text_style sb = {DP_FONT_HEADING, size * 1.3, st->color_muted};
        L->nspans = 0;
        DP_TRY(push_span(L, doc->subtitle, strlen(doc->subtitle), sb.font,
                         sb.size, sb.color, NULL, doc->lang, 0));
        DP_TRY(set_text(L, L->measure, L->measure, 1));
        DP_TRY(place_lines(L, L->left, 0, sb.size * 1.6, NULL, NULL));
    }
    L->y += size * 1.5;
    DP_TRY(add_box(L, L->page, (dp_box){DP_BOX_LINE, L->left, pdf_y(L, L->y),
                                        L->measure, 0, 0xBBBBBB, 0.6}));
    L->y += size;
    /* dates as written in the digest (ISO), so they copy and search as
     * the source has them */
    char line[512];
    text_style ms = {DP_FONT_BODY, size * 1.05, st->color_text};
    const char *rows[4];
    int nrows = 0;
    snprintf(line, sizeof line, "発行日　%s", doc->published);
    rows[nrows++] = keep(L, line);
    if (doc->updated) {
        snprintf(line, sizeof line, "更新日　%s", doc->updated);
        rows[nrows++] = keep(L, line);
    }
    snprintf(line, sizeof line, "掲載記事　%d件（うち新着%d件）・%d機関",
             doc->n_articles, doc->n_new, doc->n_sections);
    rows[nrows++] = keep(L, line);
    if (doc->publisher) { /* any length: not through line[] */
        dp_buf_reset(&L->scratch);
        if (dp_buf_printf(&L->scratch, "発行　%s", doc->publisher) < 0) {
            status = DP_ENOMEM;
            goto done;
        }
        rows[nrows++] = keep(L, L->scratch.data);
    }
    for (int i = 0; i < nrows; i++) {
        DP_CHECK_ALLOC(rows[i]);
        DP_TRY(display_text(L, rows[i], ms, L->left, L->measure, ms.size * 1.7, NULL));
    }
    if (doc->summary) {
        L->y += size * 1.2;
        text_style hs = {DP_FONT_HEADING, size * 1.1, st->color_accent};
        DP_TRY(draw_label(L, L->page, "概要", hs, L->left,
                          pdf_y(L, L->y + baseline_in(size * 1.8, hs.size)), 0, NULL));
        L->y += size * 1.9;
        text_style bs = {DP_FONT_BODY, size, st->color_text};
        DP_TRY(text_block(L, doc->summary, bs, JUSTIFIED, L->left, L->measure, size, NULL, NULL));
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
    DP_TRY(label_width(L, text, ts, &w));
    if (w <= L->measure + 0.01) {
        DP_TRY(draw_label(L, L->page, text, ts, L->left, pdf_y(L, L->y + ts.size), 0, NULL));
        L->y += pitch;
    } else {
        L->nspans = 0;
        DP_TRY(push_span(L, text, strlen(text), ts.font, ts.size, ts.color, NULL,
                         L->doc->lang, 0));
        DP_TRY(set_text(L, L->measure, L->measure, RAGGED));
        DP_TRY(place_lines(L, L->left, 0, pitch, NULL, NULL));
    }
done:
    return status;
}

/* Without a cover, a compact title block opens page 1: series, title,
 * dates and counts. */
static dp_status title_block(layouter *L)
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
    DP_TRY(push_span(L, doc->title, strlen(doc->title), tt.font, tt.size,
                     tt.color, NULL, doc->lang, 0));
    DP_TRY(set_text(L, L->measure, L->measure, 1));
    DP_TRY(place_lines(L, L->left, 0, tt.size * 1.4, NULL, NULL));
    if (doc->subtitle)
        DP_TRY(block_label(L, doc->subtitle,
                           (text_style){DP_FONT_HEADING, size * 1.1, st->color_muted},
                           size * 1.1 * 1.8));
    /* any length: a long publisher is wrapped below, never cut */
    dp_buf_reset(&L->scratch);
    if (dp_buf_printf(&L->scratch, "発行日 %s%s%s　掲載記事 %d件（うち新着%d件）%s%s",
                      doc->published, doc->updated ? "　更新日 " : "",
                      doc->updated ? doc->updated : "", doc->n_articles, doc->n_new,
                      doc->publisher ? "　発行 " : "",
                      doc->publisher ? doc->publisher : "") < 0) {
        status = DP_ENOMEM;
        goto done;
    }
    const char *k = keep(L, L->scratch.data);
    DP_CHECK_ALLOC(k);
    text_style ms = {DP_FONT_BODY, size * 0.9, st->color_muted};
    L->nspans = 0;
    DP_TRY(push_span(L, k, strlen(k), ms.font, ms.size, ms.color, NULL, doc->lang, 0));
    DP_TRY(set_text(L, L->measure, L->measure, 1));
    DP_TRY(place_lines(L, L->left, 0, ms.size * 1.6, NULL, NULL));
    if (doc->summary) {
        L->y += size * 0.5;
        text_style bs = {DP_FONT_BODY, size, st->color_text};
        DP_TRY(text_block(L, doc->summary, bs, JUSTIFIED, L->left, L->measure, size, NULL, NULL));
    }
    L->y += size * 0.5;
    DP_TRY(add_box(L, L->page, (dp_box){DP_BOX_FILL, L->left, pdf_y(L, L->y + 1),
                                        L->measure, 1, st->color_accent, 0}));
    L->y += size;
done:
    return status;
}

/* The contents: one entry per article under its section. The number
 * column is reserved now and filled in by toc_numbers(). */
static dp_status contents(layouter *L, int own_page)
{
    dp_status status = DP_OK;
    const dp_style *st = L->st;
    double size = st->toc_size, pitch = size * 1.7;
    double numw = size * 3;
    if (own_page)
        DP_TRY(new_page(L));
    else
        space_before(L, st->body_size * 2);
    L->section = NULL;
    text_style hs = {DP_FONT_HEADING, st->section_size, st->color_accent};
    DP_TRY(draw_label(L, L->page, "目次", hs, L->left,
                      pdf_y(L, L->y + hs.size), 0, NULL));
    L->y += hs.size * 2.2;
    for (const dp_section *s = L->doc->sections; s; s = s->next) {
        text_style ss = {DP_FONT_HEADING, size * 1.1, st->color_accent};
        space_before(L, size * 0.6);
        DP_TRY(need_space(L, pitch * 3));
        DP_TRY(display_text(L, s->name, ss, L->left, L->measure, pitch, NULL));
        for (const dp_article *a = s->articles; a; a = a->next) {
            text_style ts = {DP_FONT_BODY, size, st->color_text};
            L->nspans = 0;
            DP_TRY(flatten(L, a->title, ts, NULL));
            double x = L->left + size * 1.5, w = L->measure - size * 1.5 - numw;
            DP_TRY(set_text(L, w, w, 1));
            if (L->lines.n == 0)
                continue;
            DP_TRY(need_space(L, pitch * (double)(L->lines.n < 3 ? L->lines.n : 2)));
            toc_entry e = {0};
            e.top_page = L->page;
            e.top = pdf_y(L, L->y);
            e.size = size;
            e.dest = a->id;
            for (size_t j = 0; j < L->lines.n; j++) {
                if (L->y + pitch > L->bottom + 0.01)
                    DP_TRY(new_page(L));
                const dp_line *ln = &L->lines.items[j];
                e.baseline = pdf_y(L, L->y + baseline_in(pitch, size));
                DP_TRY(emit_units(L, &L->para, L->page, ln->first, ln->end, x, e.baseline));
                const dp_unit *last = &L->para.units[ln->end - 1];
                e.text_end = x + last->x + last->adv;
                e.page = L->page;
                L->y += pitch;
            }
            if (DP_VEC_GROW(L->toc, L->ntoc, L->captoc) < 0) {
                status = DP_ENOMEM;
                goto done;
            }
            L->toc[L->ntoc++] = e;
        }
    }
done:
    return status;
}

/* The contents list articles in document order, as the marks are: the
 * search starts after the last hit and wraps, so the contents cost is
 * linear in the articles instead of quadratic. */
static const dp_mark *find_mark(const dp_pages *P, const char *id, size_t *hint)
{
    for (size_t k = 0; k < P->nmarks; k++) {
        size_t i = (*hint + k) % P->nmarks;
        if (P->marks[i].level == 1 && strcmp(P->marks[i].id, id) == 0) {
            *hint = i;
            return &P->marks[i];
        }
    }
    return NULL;
}

static dp_status toc_numbers(layouter *L)
{
    dp_status status = DP_OK;
    size_t hint = 0;
    for (size_t i = 0; i < L->ntoc; i++) {
        const toc_entry *e = &L->toc[i];
        const dp_mark *m = find_mark(L->pages, e->dest, &hint);
        if (!m)
            continue;
        char num[16];
        snprintf(num, sizeof num, "%d", m->page + 1 - L->pages->first_body_page);
        const char *k = keep(L, num);
        DP_CHECK_ALLOC(k);
        text_style ts = {DP_FONT_BODY, e->size, L->st->color_text};
        double right = L->left + L->measure, w = 0;
        DP_TRY(draw_label(L, e->page, k, ts, right, e->baseline, 1, &w));
        double from = e->text_end + e->size * 0.6, to = right - w - e->size * 0.6;
        if (to > from)
            DP_TRY(add_box(L, e->page, (dp_box){DP_BOX_DOTS, from, e->baseline + e->size * 0.1,
                                                to - from, 0, 0x888888, 0.9}));
        /* the whole entry links to its article */
        for (int p = e->top_page; p <= e->page; p++) {
            double y1 = p == e->top_page ? e->top : L->pages->height - L->top;
            double y0 = p == e->page ? e->baseline - e->size * 0.45
                                     : L->pages->height - L->bottom;
            DP_TRY(add_link(L, p, (dp_link){L->left, y0, right, y1, NULL, e->dest}));
        }
    }
done:
    return status;
}

/* Expands {series} {title} {section} {page} {pages} {date}. */
static void fill_fields(const layouter *L, const char *tmpl, int page,
                        char *out, size_t cap)
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
                    val = L->doc->published;
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
static dp_status page_chrome(layouter *L, int first)
{
    dp_status status = DP_OK;
    const dp_style *st = L->st;
    text_style hs = {DP_FONT_BODY, st->header_size, st->color_muted};
    double H = L->pages->height;
    double head = H - L->top + st->header_size * 1.6;
    double foot = L->bottom > 0 ? H - L->bottom - st->header_size * 3.2 : 20;
    for (int p = 0; p < (int)L->pages->n; p++) {
        char buf[512];
        text_style fs = {DP_FONT_BODY, st->header_size * 1.1, st->color_muted};
        if (p < L->pages->first_body_page) {
            roman(p + 1, buf, sizeof buf);
            const char *k = keep(L, buf);
            DP_CHECK_ALLOC(k);
            DP_TRY(draw_label(L, p, k, fs, L->left + L->measure / 2, foot, 2, NULL));
        }
        if (p < first)
            continue;
        /* one line is the design: fields too long for it end in "…",
         * the two sides sharing the measure with a gap between them */
        char right[512];
        fill_fields(L, st->header_left, p, buf, sizeof buf);
        fill_fields(L, st->header_right, p, right, sizeof right);
        double wl = 0, wr = 0, gap = hs.size * 2, half = (L->measure - gap) / 2;
        DP_TRY(label_width(L, buf, hs, &wl));
        DP_TRY(label_width(L, right, hs, &wr));
        double maxl = L->measure, maxr = L->measure;
        if (buf[0] && right[0] && wl + wr + gap > L->measure) {
            maxl = wr <= half ? L->measure - gap - wr : wl <= half ? wl : half;
            maxr = L->measure - gap - (wl < maxl ? wl : maxl);
        }
        if (buf[0]) {
            const char *k = keep(L, buf);
            DP_CHECK_ALLOC(k);
            DP_TRY(draw_label_fit(L, p, k, hs, L->left, head, 0, maxl, NULL));
        }
        if (right[0]) {
            const char *k = keep(L, right);
            DP_CHECK_ALLOC(k);
            DP_TRY(draw_label_fit(L, p, k, hs, L->left + L->measure, head, 1, maxr, NULL));
        }
        DP_TRY(add_box(L, p, (dp_box){DP_BOX_LINE, L->left, head - st->header_size * 0.6,
                                      L->measure, 0, 0xBBBBBB, 0.4}));
        if (p < L->pages->first_body_page)
            continue;
        fill_fields(L, st->footer_center, p, buf, sizeof buf);
        if (buf[0]) {
            const char *k = keep(L, buf);
            DP_CHECK_ALLOC(k);
            DP_TRY(draw_label_fit(L, p, k, fs, L->left + L->measure / 2, foot, 2,
                                  L->measure, NULL));
        }
    }
done:
    return status;
}

dp_status dp_paginate(dp_pages **out, dp_diags *d, const dp_doc *doc,
                      const dp_style *st, dp_fontset *fs,
                      const dp_paginate_setup *setup)
{
    dp_status status = DP_OK;
    layouter L = {0};
    *out = NULL;
    if (setup) {
        L.root = setup->root;
        L.logo_root = setup->logo_root;
        L.lines_dump = setup->lines_dump;
    }
    L.doc = doc;
    L.st = st;
    L.fs = fs;
    L.d = d;
    L.page = -1;
    dp_para_init(&L.para);
    dp_para_init(&L.label);
    dp_lines_init(&L.lines);
    dp_buf_init(&L.scratch);
    L.pages = calloc(1, sizeof *L.pages);
    DP_CHECK_ALLOC(L.pages);
    dp_arena_init(&L.pages->arena);
    L.pages->width = st->page_w;
    L.pages->height = st->page_h;
    for (int i = 0; i < fs->n; i++)
        L.pages->fonts[i] = fs->fonts[i];
    L.pages->nfonts = fs->n;
    L.top = st->margin_t;
    L.bottom = st->page_h - st->margin_b;
    L.left = st->margin_l;
    L.measure = st->page_w - st->margin_l - st->margin_r;
    /* Japanese text sits on a grid of whole characters. */
    L.measure = floor(L.measure / st->body_size) * st->body_size;

    DP_TRY(check_links(&L));
    int chrome_from = 0;
    if (st->cover) {
        DP_TRY(cover(&L));
        chrome_from = 1;
    } else {
        DP_TRY(new_page(&L));
        DP_TRY(title_block(&L));
    }
    if (st->toc && doc->n_articles > 0)
        DP_TRY(contents(&L, st->cover));
    /* the body starts on a fresh page after front matter; with neither
     * cover nor contents it follows the title block */
    int front = st->cover || (st->toc && doc->n_articles > 0);
    L.pages->first_body_page = front ? L.page + 1 : 0;
    if (front && doc->n_sections > 0)
        DP_TRY(new_page(&L));
    for (const dp_section *s = doc->sections; s; s = s->next)
        DP_TRY(section(&L, s));
    DP_TRY(toc_numbers(&L));
    DP_TRY(page_chrome(&L, chrome_from));

    /* Keywords: the issuing bodies, so a search finds the digest by them;
     * as many as fit in DP_MAX_KEYWORDS bytes (a PDF string has a limit,
     * and a thousand names help no search) */
    dp_buf_reset(&L.scratch);
    for (const dp_section *s = doc->sections; s; s = s->next) {
        if (L.scratch.len && L.scratch.len + 2 + strlen(s->name) > DP_MAX_KEYWORDS)
            break;
        if (strlen(s->name) > DP_MAX_KEYWORDS)
            continue;
        if (dp_buf_printf(&L.scratch, "%s%s", L.scratch.len ? ", " : "", s->name) < 0) {
            status = DP_ENOMEM;
            goto done;
        }
    }
    if (L.scratch.len) {
        L.pages->keywords = keep(&L, L.scratch.data);
        DP_CHECK_ALLOC(L.pages->keywords);
    }
    L.pages->title = doc->title;
    L.pages->author = doc->publisher;
    L.pages->subject = doc->series;
    L.pages->published = doc->published;
    *out = L.pages;
    L.pages = NULL;
done:
    dp_pages_free(L.pages);
    dp_para_dispose(&L.para);
    dp_para_dispose(&L.label);
    dp_buf_dispose(&L.label_text);
    dp_lines_dispose(&L.lines);
    dp_buf_dispose(&L.scratch);
    free(L.spans);
    free(L.page_section);
    free(L.toc);
    return status;
}
