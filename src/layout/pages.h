/*
 * The laid-out document: pages of positioned glyph runs, boxes and link
 * rectangles, plus marks (outline entries and link targets). This is all
 * the PDF writer sees. Coordinates are PDF points with the origin at the
 * page's bottom left.
 */
#ifndef DP_LAYOUT_PAGES_H
#define DP_LAYOUT_PAGES_H

#include <stddef.h>
#include <stdint.h>

#include "base/arena.h"
#include "base/buf.h"
#include "base/file.h"
#include "image/image.h"
#include "text/fonts.h"

/*
 * The logical structure (a PDF structure tree, ISO 32000-1 14.7): every
 * run and picture names the element it belongs to (an index in
 * dp_pages.elems) or, when negative, that it is an artifact (decoration
 * or pagination a reader does not read). Elements are created in reading
 * order; `seq` orders an element's children and its content among one
 * another (content of one element may be spread over lines and pages).
 */
typedef enum dp_role {
    DP_ROLE_DOCUMENT, DP_ROLE_SECT, DP_ROLE_ART, DP_ROLE_H1, DP_ROLE_H2, DP_ROLE_H3,
    DP_ROLE_P, DP_ROLE_L, DP_ROLE_LI, DP_ROLE_LBL, DP_ROLE_LBODY, DP_ROLE_BLOCKQUOTE,
    DP_ROLE_TABLE, DP_ROLE_THEAD, DP_ROLE_TBODY, DP_ROLE_TR, DP_ROLE_TH, DP_ROLE_TD,
    DP_ROLE_FIGURE, DP_ROLE_CAPTION, DP_ROLE_TOC, DP_ROLE_TOCI, DP_ROLE_REFERENCE,
    DP_ROLE_LINK, DP_ROLE_SPAN, DP_ROLE_RUBY, DP_ROLE_RB, DP_ROLE_RT
} dp_role;

/* The standard structure type of a role ("P", "TOCI", ...). */
const char *dp_role_name(dp_role role);

/* Artifact kinds (negative tags): running headers, footers and page
 * numbers; rules, bars, leaders, badges and other decoration. */
enum { DP_TAG_PAGINATION = -1, DP_TAG_LAYOUT = -2 };

/* Table header scope (dp_elem.scope). */
enum { DP_SCOPE_NONE, DP_SCOPE_COLUMN, DP_SCOPE_ROW };

typedef struct dp_elem {
    dp_role role;
    int parent;         /* index of the parent; -1 for the root (Document) */
    unsigned seq;       /* creation order among elements and content */
    const char *alt;    /* /Alt (figures), or NULL */
    const char *lang;   /* /Lang when it differs from the parent's, or NULL */
    const char *actual; /* /ActualText, or NULL */
    int scope;          /* TH: DP_SCOPE_* */
    int colspan;        /* TD/TH: columns spanned (0 or 1: one) */
    int rt;             /* Ruby: index of its RT element */
} dp_elem;

/* Glyphs of one font, size and colour on one baseline. */
typedef struct dp_run {
    int font;
    double size;
    uint32_t color;
    double y;
    size_t n;
    uint32_t *gids;
    double *x;
    const char **text; /* cluster text for the first glyph of a cluster */
    size_t *text_len;
    /* non-NULL: what the run extracts as instead of its clusters' text
     * (a date set as 2026年1月6日 that copies as the 2026-01-06 of the
     * source; "" for the runs after the first one of such a text) */
    const char *actual;
    int tag;      /* element index, or DP_TAG_* */
    unsigned seq; /* order among its element's content (dp_elem.seq) */
} dp_run;

typedef enum dp_box_kind { DP_BOX_FILL, DP_BOX_STROKE, DP_BOX_LINE, DP_BOX_DOTS } dp_box_kind;

typedef struct dp_box {
    dp_box_kind kind;
    double x, y, w, h; /* DP_BOX_LINE / DP_BOX_DOTS: from (x,y) to (x+w,y+h) */
    uint32_t color;
    double line_width;
} dp_box; /* never read: rules, bars, shading and leaders are artifacts (Layout) */

typedef struct dp_link {
    double x0, y0, x1, y1;
    const char *uri;  /* external link, or */
    const char *dest; /* id of a mark */
    int tag;          /* its Link element, or -1 */
    unsigned seq;
} dp_link;

/* A PNG or JPEG image placed at (x, y) (bottom left), w × h points. */
typedef struct dp_picture {
    const char *path;
    int type;  /* dp_image_type */
    int image; /* index in dp_pages.images */
    double x, y, w, h;
    int tag; /* Figure element, or DP_TAG_LAYOUT (a logo) */
    unsigned seq;
} dp_picture;

/* An image file read and decoded once, whatever the spelling of its path:
 * id says which file it was. */
typedef struct dp_page_image {
    dp_file_id id;
    dp_image image;
} dp_page_image;

typedef struct dp_page {
    dp_run *runs;
    size_t nruns, capruns;
    dp_box *boxes;
    size_t nboxes, capboxes;
    dp_link *links;
    size_t nlinks, caplinks;
    dp_picture *pictures;
    size_t npictures, cappictures;
} dp_page;

/* An outline entry and link target: level 0 section, 1 article,
 * 2 heading; level -1 is a link target only. */
typedef struct dp_mark {
    const char *id;
    const char *title;
    int level;
    int page; /* 0-based */
    double y; /* top of the marked block */
} dp_mark;

typedef struct dp_pages {
    dp_arena arena; /* texts and run arrays */
    dp_page *pages;
    size_t n, cap;
    dp_mark *marks;
    size_t nmarks, capmarks;
    /* the structure tree; elems[0] is the Document */
    dp_elem *elems;
    size_t nelems, capelems;
    double width, height;
    /* the font of each run's slot (NULL: unused slot), borrowed from the
     * font set the pages were laid out with, which must outlive them */
    const dp_font *fonts[DP_FONT_MAX];
    int nfonts;
    /* document information */
    const char *title, *author, *subject, *keywords, *published;
    const char *source_date_epoch; /* the PDF's dates when set (see dp_build_options) */
    const char *lang; /* the document's xml:lang (catalog /Lang); may be NULL */
    int pdf_standard; /* dp_pdf_standard flags (pdf/metadata.h) */
    int first_body_page; /* 0-based index of the first page after the TOC */
    /* every image the pages show, each embedded once */
    dp_page_image *images;
    size_t nimages, capimages;
    size_t image_bytes; /* their decoded size, within DP_IMAGE_MAX_DOC_BYTES */
} dp_pages;

/* Frees the pages and everything they point to. NULL is a no-op. */
void dp_pages_free(dp_pages *pages);

/*
 * Appends the pages to out as text, for `digestpdf build --dump=pages`:
 * the fonts (file names only), document information and marks, then
 * `page N` (1-based) and each run, box, link and picture in the order
 * the writer draws them, positions in points rounded to 0.01 from
 * integers (the same text on every machine). DP_ENOMEM or DP_ELIMIT
 * from the buffer.
 */
dp_status dp_pages_dump(dp_buf *out, const dp_pages *P);

#endif
