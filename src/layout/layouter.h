/*
 * The layout's internal header: the layouter (the state one dp_paginate()
 * call carries through the cover, contents, sections and page chrome)
 * and the helpers the layout's files share. Not part of any API outside
 * src/layout/.
 *
 * Ownership: the layouter owns its scratch buffers (para, label, lines,
 * spans, toc, page_section) and the pages until dp_paginate() hands them
 * to its caller; every text a function here makes for the pages lives in
 * the pages' arena (dp_layout_keep()).
 */
#ifndef DP_LAYOUT_LAYOUTER_H
#define DP_LAYOUT_LAYOUTER_H

#include "base/buf.h"
#include "base/diag.h"
#include "model/doc.h"
#include "pages.h"
#include "style/sheet.h"
#include "text/fonts.h"
#include "text/lines.h"
#include "text/shape.h"

/* A contents entry, laid out before the page it points to is known: where
 * its page number goes once it is (dp_layout_toc_numbers()). */
typedef struct toc_entry {
    int page;          /* where the entry's last line is */
    double baseline;   /* of its last line (PDF y) */
    double text_end;   /* x where the title's last line ends */
    double top;        /* PDF y of the entry's first line top */
    int top_page;
    double size;
    const char *dest;
    int level;         /* of its mark: 0 an issuing body, 1 an article */
    int link;          /* its Link element */
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
    dp_path_fn on_read; /* told every image path read (a watcher's list) */
    void *on_read_user;
    dp_buf *lines_dump; /* every paragraph's lines as text, or NULL */
    /* room the next dp_layout_place_lines() must leave below its last
     * line on the same page, for what is kept with it (a list item with
     * its first sub-item); consumed by that call. When keep_from is set,
     * the room is what dp_layout_lead_need(keep_from, keep_width,
     * keep_level) gives, worked out by that call only when its lines end
     * near the page foot (keep_next then holds its upper bound). */
    double keep_next;
    const dp_block *keep_from;
    double keep_width;
    int keep_level;
    /* a second set of text buffers, for shaping a text while the lines of
     * another are being placed (dp_layout_swap_text()) */
    dp_para para_alt;
    dp_lines lines_alt;
    dp_span *spans_alt;
    size_t nspans_alt, capspans_alt;
    /* when > 0, the next dp_layout_place_lines() centres each line in
     * this width from x (a caption under its figure); consumed by it */
    double center_width;
    /* the structure: what is emitted now belongs to element cur (or is
     * the artifact cur < 0); seq counts elements and content in reading
     * order. Links, runs in another language and ruby inside a text get
     * their own elements as their units are emitted: the last ones made,
     * continued while the units continue them (across lines and pages). */
    int cur;
    unsigned seq;
    int lz_base, lz_link, lz_span, lz_ruby, lz_rb;
    const char *lz_href, *lz_lang, *lz_rt;
    int *unit_tag; /* per unit of the paragraph being emitted */
    size_t cap_unit_tag;
    int ua; /* PDF/UA: a figure needs alt text or a caption */
} layouter;

/* How a text is set: face, size in points, colour 0xRRGGBB. */
typedef struct text_style {
    int font;
    double size;
    uint32_t color;
} text_style;

/* The ragged argument of dp_layout_text_block() and dp_layout_set_text():
 * body text; display text (titles, headings, names: broken between
 * phrases into lines of even length); text set ragged but broken as
 * body text is (table cells, URLs); or broken between phrases, each line
 * as full as it can be (contents entries). */
enum { JUSTIFIED = 0, RAGGED = 1, RAGGED_PLAIN = 2, RAGGED_PHRASE = 3 };

/* The cursor y (down from the page top) as a PDF y (up from the bottom). */
static inline double pdf_y(const layouter *L, double y)
{
    return L->pages->height - y;
}

/* The line pitch of body-leaded text of this size. */
static inline double pitch_of(const layouter *L, double size)
{
    return size * L->st->body_leading;
}

static inline double baseline_in(double pitch, double size)
{
    /* centre the em box in the line pitch; IPAex ascent is 0.88 em */
    return (pitch - size) / 2 + size * 0.88;
}

/* ---- items.c: pages and what goes on them ---- */

/* A new page; the cursor at its top. DP_ELIMIT past DP_MAX_PAGES. */
dp_status dp_layout_new_page(layouter *L);
dp_status dp_layout_add_box(layouter *L, int page, dp_box box);
dp_status dp_layout_add_link(layouter *L, int page, dp_link link);
/* Opens an element of role under the current element and makes it
 * current (its parent must be an element, not an artifact). */
dp_status dp_layout_struct_begin(layouter *L, dp_role role);
/* Gives the current element the language lang when it is not the one in
 * force around it (NULL: nothing). */
void dp_layout_struct_lang(layouter *L, const char *lang);
/* Closes the current element: its parent is current again. */
void dp_layout_struct_end(layouter *L);
/* A new element of role under parent, not made current; *index (may be
 * NULL) says where it is. */
dp_status dp_layout_struct_add(layouter *L, int parent, dp_role role, int *index);
/* A bookmark at the cursor y of the current page; long titles are cut. */
dp_status dp_layout_add_mark(layouter *L, const char *id, const char *title,
                             int level, double y);

/* ---- text.c: setting text ---- */

dp_status dp_layout_emit_units(layouter *L, const dp_para *p, int page,
                               size_t first, size_t end, double x0, double base);
/* Adds a span to L->spans (nothing for an empty text). */
dp_status dp_layout_push_span(layouter *L, const char *text, size_t len, int font,
                              double size, uint32_t color, const char *href,
                              const char *lang, long line);
/* The font role of headings (sections, article titles and headings):
 * the heading's bold face when the style asks for it (heading.bold)
 * and names one, else the heading font. */
int dp_layout_heading_role(const layouter *L);
/* A copy of s in the pages' arena; NULL when out of memory. */
const char *dp_layout_keep(layouter *L, const char *s);
/* Shapes L->spans into L->para and breaks it into L->lines. */
dp_status dp_layout_set_text(layouter *L, double first_width, double width,
                             int ragged);
dp_status dp_layout_label_width(layouter *L, const char *text, text_style ts,
                                double *w);
dp_status dp_layout_label_ink(layouter *L, const char *text, text_style ts, double *left,
                              double *right);
dp_status dp_layout_draw_label_fit(layouter *L, int page, const char *text,
                                   text_style ts, double x, double base, int align,
                                   double maxw, double *w);
/* dp_layout_draw_label_fit() with the page's width as the limit. */
dp_status dp_layout_draw_label(layouter *L, int page, const char *text,
                               text_style ts, double x, double base, int align,
                               double *w);
dp_status dp_layout_display_text(layouter *L, const char *text, text_style ts,
                                 double x, double width, double pitch, int *lines);

/* ---- inline.c: inline content to spans, links ---- */

const char *dp_layout_link_uri(layouter *L, const char *href, size_t len, long line,
                               int quiet, dp_status *status);
dp_status dp_layout_check_links(layouter *L);
/* Appends the spans of in (and its siblings) to L->spans; href: the link
 * the text is inside of, or NULL. */
dp_status dp_layout_flatten(layouter *L, const dp_inline *in, text_style ts,
                            const char *href);

/* ---- flow.c: blocks, keeps, widows/orphans, page breaks ---- */

/* Exchanges para, lines and spans with their second set. */
void dp_layout_swap_text(layouter *L);
/* The room below a list item's text that the start of b (its blocks, in
 * width, list depth level) needs; shapes into L->para (see lists.c). */
dp_status dp_layout_lead_need(layouter *L, const dp_block *b, double width, int level,
                              double *need);
/* An upper bound of dp_layout_lead_need() that shapes nothing. */
double dp_layout_lead_bound(const layouter *L, const dp_block *b);
dp_status dp_layout_place_lines(layouter *L, double x, double indent,
                                double pitch, int *first_page, double *first_y);
dp_status dp_layout_need_space(layouter *L, double need);
/* Moves the cursor down by amount, unless it is at the top of a page. */
void dp_layout_space_before(layouter *L, double amount);
dp_status dp_layout_text_block(layouter *L, const dp_inline *in, text_style ts,
                               int ragged, double x, double width, double indent,
                               int *first_page, double *first_y);
/* Lays out b and its siblings at x in width; level: the list and quote
 * nesting depth. */
dp_status dp_layout_blocks(layouter *L, const dp_block *b, double x, double width,
                           int level);
/* A section: its heading and rule, then its articles. */
dp_status dp_layout_section(layouter *L, const dp_section *s);

/* ---- lists.c, table.c, figure.c: the blocks with a shape of their own ---- */

/* The hanging indent shared by the lists among the blocks from b on
 * (sibling lists align their text), at list depth level. */
dp_status dp_layout_list_hang(layouter *L, const dp_block *b, int level, double *hang);
/* A list at x in width; hang: its hanging indent (dp_layout_list_hang()). */
dp_status dp_layout_list(layouter *L, const dp_block *list, double x,
                         double width, int level, double hang);
dp_status dp_layout_table(layouter *L, const dp_block *table, double x,
                          double width);
dp_status dp_layout_figure(layouter *L, const dp_block *b, double x, double width);

/* ---- front.c, contents.c, chrome.c: around the body ---- */

/* Every article is new and the style says so once (in the count) instead
 * of with a badge on each. */
static inline int dp_layout_all_new(const layouter *L)
{
    return L->st->new_once && L->doc->n_articles > 0 && L->doc->n_new == L->doc->n_articles;
}

/* An xsd:date (iso) in the form of a date template ({year} {month} {day}
 * {mm} {dd}) into out; a date of another form is copied as it is. Uses
 * L->scratch. */
dp_status dp_layout_date(layouter *L, const char *tmpl, const char *iso, char *out,
                         size_t cap);
/* The cover page (a new page), with the at-a-glance table. */
dp_status dp_layout_cover(layouter *L);
/* The compact title block at the cursor of page 1, without a cover. */
dp_status dp_layout_title_block(layouter *L);
dp_status dp_layout_contents(layouter *L, int own_page);
/* The contents' page numbers, dot leaders and links, once the body is laid out. */
dp_status dp_layout_toc_numbers(layouter *L);
/* Headers and footers of every page; first: the first page with a header. */
dp_status dp_layout_page_chrome(layouter *L, int first);

#endif
