/*
 * The document model: digest → sections → articles → blocks → inlines.
 * Plain data, no layout. Every node keeps the source line it came from so
 * later stages can report problems where the user made them. All strings
 * and nodes live in the document's arena and die with dp_doc_free().
 */
#ifndef DP_MODEL_DOC_H
#define DP_MODEL_DOC_H

#include <stddef.h>

#include "base/arena.h"
#include "base/buf.h"

typedef enum dp_inline_kind {
    DP_INL_TEXT,   /* text: UTF-8, whitespace already collapsed */
    DP_INL_EM,     /* children emphasised */
    DP_INL_STRONG, /* children strong (bold / gothic) */
    DP_INL_LINK,   /* children linked to href */
    DP_INL_BR,     /* forced line break */
    DP_INL_RUBY,   /* children = base text, rt = reading */
    DP_INL_SPAN    /* children in another language (lang); format 1.1 */
} dp_inline_kind;

typedef struct dp_inline {
    dp_inline_kind kind;
    long line;
    const char *text; /* DP_INL_TEXT */
    size_t len;
    const char *href; /* DP_INL_LINK */
    const char *rt;   /* DP_INL_RUBY: the reading as plain text */
    const char *lang; /* xml:lang in force (never NULL) */
    struct dp_inline *child, *next;
} dp_inline;

typedef enum dp_block_kind {
    DP_BLK_P,
    DP_BLK_HEADING,
    DP_BLK_LIST,
    DP_BLK_ITEM,
    DP_BLK_QUOTE,
    DP_BLK_TABLE,
    DP_BLK_ROW,
    DP_BLK_CELL,
    DP_BLK_FIGURE
} dp_block_kind;

typedef enum dp_list_type {
    DP_LIST_BULLET,
    DP_LIST_DECIMAL,
    DP_LIST_PAREN,
    DP_LIST_CIRCLED,
    DP_LIST_IROHA,
    DP_LIST_NONE
} dp_list_type;

typedef struct dp_block {
    dp_block_kind kind;
    long line;
    const char *lang;
    const char *id;   /* heading: given or derived id */
    dp_inline *text;  /* p, heading, item (its own line), cell, figure caption */
    struct dp_block *child, *next; /* list: items; item/quote: blocks; table: rows; row: cells */
    dp_list_type list_type; /* list */
    int start;              /* list: first number (default 1) */
    int header;             /* row: header row */
    int span;               /* cell: columns spanned (default 1) */
    const char *src;        /* figure: image path as written */
    const char *alt;        /* figure: text spoken instead of the image, or
                               NULL (format 1.1) */
    double width_pt;        /* figure: requested width, 0 = natural */
} dp_block;

typedef struct dp_article {
    long line;
    const char *id; /* given or derived ("s1-a3"); never NULL */
    int is_new;
    const char *date, *href; /* optional, may be NULL */
    const char *lang;
    dp_inline *title, *subtitle; /* title never NULL */
    dp_block *body;
    struct dp_article *next;
} dp_article;

typedef struct dp_section {
    long line;
    const char *name;
    const char *id; /* given or derived ("s1"); never NULL */
    dp_article *articles;
    int n_articles;
    struct dp_section *next;
} dp_section;

typedef struct dp_doc {
    dp_arena arena;
    const char *file; /* source path for messages */
    const char *lang; /* root xml:lang, default "ja" */
    /* meta, as plain text; NULL when absent */
    const char *series, *title, *subtitle, *published, *updated, *publisher;
    dp_inline *summary;
    dp_section *sections;
    int n_sections, n_articles, n_new;
} dp_doc;

/* Creates an empty document for file (copied). NULL when out of memory.
 * Free with dp_doc_free(). */
dp_doc *dp_doc_new(const char *file);
void dp_doc_free(dp_doc *doc);

/* Plain text of an inline list (markup dropped, ruby base kept), in the
 * doc's arena. NULL when out of memory; "" for NULL input. */
char *dp_inline_plain(dp_doc *doc, const dp_inline *in);

/* Fills in derived ids (s1, s1-a3, s1-a3-h2: a heading's from its
 * article's whole id) where the source gave none; a derived id that
 * another id already has gets "-2", "-3", ... so every derived id is
 * new. -1 when out of memory. */
int dp_doc_derive_ids(dp_doc *doc);

/*
 * Appends the document to out as an indented tree, for `digestpdf build
 * --dump=model`: one node a line, two spaces a level, `@N` its source
 * line, attributes as key=value and text quoted on one line. The source
 * file's name is left out so the text does not depend on where the
 * input lies. DP_ENOMEM or DP_ELIMIT from the buffer.
 */
dp_status dp_doc_dump(dp_buf *out, const dp_doc *doc);

#endif
