/*
 * What the files of the text importer share: the state of one import
 * (importer), the decoded lines, and the functions each stage offers the
 * others. The stages, in order:
 *
 *   text_lines.c      decoding (Shift_JIS, EUC-JP, UTF-8) into lines, and
 *                     what a line is (chrome, marker, bullet, date, ...)
 *   text_structure.c  the header, the table of contents and the body,
 *                     read line by line into articles, lists and blocks
 *   text_xml.c        the digest XML those are written as
 *   text_import.c     dp_text_import: the stages in order
 *
 * dp_ti_ is the prefix of the importer's internal functions.
 */
#ifndef DP_INPUT_TEXT_IMPORT_INT_H
#define DP_INPUT_TEXT_IMPORT_INT_H

#include <stdint.h>

#include "base/buf.h"
#include "base/diag.h"
#include "base/status.h"
#include "input/text_import.h"

/* A list level holds one <list> and its open <item>: two elements per
 * level below digest/section/article. This keeps the deepest element (a
 * link in a paragraph of the deepest item) within DP_MAX_DEPTH. */
#define MAX_LEVEL ((DP_MAX_DEPTH - 5) / 2)

enum { LIST_BULLET, LIST_DECIMAL };
enum { PEND_NONE, PEND_ITEM, PEND_P };

/* One line of the decoded text; kept small, there is one per line. */
typedef struct line {
    const char *s; /* after the indentation */
    uint32_t len;  /* without trailing whitespace and CR */
    int32_t indent; /* leading spaces (a tab counts as two) */
    uint32_t no;   /* 1-based */
} line;

typedef struct span {
    const char *s;
    size_t len;
} span;

/* Open-addressing table from a string to an index; no removal. */
typedef struct strtab {
    struct slot { const char *s; size_t len; size_t val; int used; } *slots;
    size_t cap, count;
} strtab;

typedef struct toc_entry {
    span section, full, title;
    long line;
    long matched_line; /* 0 while no body article matched it */
    size_t next_dup;   /* next entry with the same full text, or SIZE_MAX */
    /* on the first entry of a text only: its last duplicate and the first
     * one no article has matched yet (keeps repeats linear) */
    size_t last_dup, free_dup;
} toc_entry;

typedef struct body_article {
    span section, title;
    long line;
    size_t toc; /* SIZE_MAX when not in the TOC, TOC_REPEAT when listed but
                   already matched by an earlier article */
} body_article;

#define TOC_REPEAT (SIZE_MAX - 1)

typedef struct level {
    int type;
    long next; /* expected next number of a decimal list */
    long item_line;
} level;

/* The state of one import. Every span points into the decoded text, which
 * outlives it; the arrays, tables and buffers are owned and freed at the
 * end of dp_text_import(). */
typedef struct importer {
    dp_diags *d;
    const char *file;
    int verbose;
    int warnings;

    line *lines;
    size_t nlines;

    /* meta */
    span series, title;
    char published[11], updated[11];
    long new_claimed; /* N of 新着N記事, -1 if absent */
    dp_buf summary;   /* inline content of lines before the first article */

    /* known sections and the table of contents */
    span *sects;
    size_t nsects, sects_cap, max_sect_len;
    strtab sect_tab;
    toc_entry *toc;
    size_t ntoc, toc_cap;
    strtab toc_tab;
    int have_toc;

    body_article *arts;
    size_t narts, arts_cap;

    /* body writer */
    dp_buf body;
    span cur_section; /* the open <section>, len 0 when none */
    int article_open;
    level stack[MAX_LEVEL];
    int depth;
    dp_buf pend;
    int pend_kind;
    int sections_out, new_out;
    long last_text_line; /* line of the newest content text */
    span last_text;
} importer;

/* A span quoted in a message: at most 120 bytes, whole characters. */
#define CLIP(sp) dp_ti_clip((sp).s, (sp).len, 120), (sp).s

/* ---- decoding and lines (text_lines.c) ---- */

void dp_ti_warn(importer *m, long line_no, const char *fmt, ...)
    __attribute__((format(printf, 3, 4)));
int dp_ti_clip(const char *s, size_t len, size_t max);
int dp_ti_span_eq(span a, const char *s, size_t len);
int dp_ti_has_prefix(const char *s, size_t len, const char *p);
int dp_ti_has_suffix(const char *s, size_t len, const char *p);
size_t dp_ti_sep_len(const char *s, size_t len);
span dp_ti_skip_seps(span t);
int dp_ti_is_chrome(const line *l);
int dp_ti_is_new_marker(const line *l);
int dp_ti_new_marker_heading(const line *l, line *h);
int dp_ti_is_toc_start(const line *l);
int dp_ti_bullet_text(const line *l, span *text);
int dp_ti_number_text(const line *l, long *num, span *text);
int dp_ti_subhead_text(const line *l, span *text);
size_t dp_ti_parse_date(const char *s, size_t len, char iso[11]);
int dp_ti_parse_updated(const line *l, char iso[11], long *claimed);
dp_status dp_ti_decode(importer *m, const char *data, size_t len,
                        dp_buf *conv, const char **text, size_t *tlen);
dp_status dp_ti_split_lines(importer *m, const char *text, size_t len);

/* ---- the structure: header, contents, body (text_structure.c) ---- */

dp_status dp_ti_reserve(void **items, size_t *cap, size_t count, size_t size);
size_t dp_ti_next_content(const importer *m, size_t i);
dp_status dp_ti_parse_toc(importer *m, size_t *pi);
dp_status dp_ti_parse_header(importer *m, size_t *pi);
dp_status dp_ti_parse_body(importer *m, size_t i);
dp_status dp_ti_check_toc(importer *m);

/* ---- writing the XML (text_xml.c) ---- */

dp_status dp_ti_put_inline(dp_buf *o, const char *s, size_t len);
dp_status dp_ti_join_pending(importer *m, span t);
dp_status dp_ti_set_pending(importer *m, int kind, span t);
dp_status dp_ti_close_list(importer *m);
dp_status dp_ti_close_lists(importer *m, int to);
dp_status dp_ti_open_item(importer *m, span text, long line_no);
dp_status dp_ti_open_list(importer *m, int type, long start);
dp_status dp_ti_article_block(importer *m, const char *tag, span text,
                               int pend);
dp_status dp_ti_close_article(importer *m);
dp_status dp_ti_open_article(importer *m, span section, span title, int is_new,
                              long line_no, size_t toc_idx);
dp_status dp_ti_write_meta(importer *m, dp_buf *o);

#endif
