/*
 * XML → document model. Parses with libxml2 (no DTD, no entities, no
 * network), has xml_check.c validate, then builds the model, checking
 * what the grammar cannot express (nesting depth, lengths, unique ids).
 */
#include "xml_read.h"

#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include <libxml/parser.h>

#include "base/status.h"
#include "base/utf8.h"
#include "xml_reader.h"

static int is_name(xmlNodePtr n, const char *name)
{
    return n->type == XML_ELEMENT_NODE && strcmp((const char *)n->name, name) == 0;
}

/* (xmlGetProp returns NULL both for an absent attribute and when out of
 * memory: xmlHasProp, which allocates nothing, tells them apart.) */
static char *attr(reader *r, xmlNodePtr n, const char *name)
{
    if (!xmlHasProp(n, (const xmlChar *)name))
        return NULL;
    xmlChar *v = xmlGetProp(n, (const xmlChar *)name);
    if (!v) {
        r->oom = 1;
        return NULL;
    }
    char *c = dp_arena_strdup(&r->doc->arena, (const char *)v);
    xmlFree(v);
    if (!c)
        r->oom = 1;
    return c;
}

static const char *lang_of(reader *r, xmlNodePtr n, const char *inherited)
{
    if (!xmlHasNsProp(n, (const xmlChar *)"lang", XML_XML_NAMESPACE))
        return inherited;
    xmlChar *v = xmlGetNsProp(n, (const xmlChar *)"lang", XML_XML_NAMESPACE);
    if (!v) {
        r->oom = 1;
        return inherited;
    }
    char *c = dp_arena_strdup(&r->doc->arena, (const char *)v);
    xmlFree(v);
    if (!c)
        r->oom = 1;
    return c ? c : inherited;
}

static int is_cjk(uint32_t c)
{
    return (c >= 0x2E80 && c <= 0x9FFF) || (c >= 0xF900 && c <= 0xFAFF) ||
           (c >= 0xFF00 && c <= 0xFFEF) || (c >= 0x20000 && c <= 0x3FFFF);
}

/*
 * Collapses whitespace as the format says: runs become one space, except
 * that a run holding a line break between two CJK characters vanishes
 * (a source line wrap inside Japanese text is not a word space).
 */
static char *collapse(reader *r, const char *s, size_t *len_out)
{
    size_t n = strlen(s);
    char *out = dp_arena_alloc(&r->doc->arena, n + 1);
    if (!out) {
        r->oom = 1;
        return NULL;
    }
    size_t o = 0;
    uint32_t prev = 0;
    size_t i = 0;
    while (i < n) {
        unsigned char c = (unsigned char)s[i];
        if (c == ' ' || c == '\t' || c == '\n' || c == '\r') {
            int newline = 0;
            while (i < n && (s[i] == ' ' || s[i] == '\t' || s[i] == '\n' ||
                             s[i] == '\r')) {
                newline |= s[i] == '\n';
                i++;
            }
            uint32_t next = 0;
            if (i < n)
                dp_utf8_decode(s + i, n - i, &next);
            if (newline && is_cjk(prev) && is_cjk(next))
                continue;
            out[o++] = ' ';
            prev = ' ';
            continue;
        }
        uint32_t cp = c;
        size_t k = dp_utf8_decode(s + i, n - i, &cp);
        if (k == 0)
            k = 1;
        memcpy(out + o, s + i, k);
        o += k;
        i += k;
        prev = cp;
    }
    out[o] = '\0';
    *len_out = o;
    return out;
}

static dp_inline *new_inline(reader *r, dp_inline_kind kind, xmlNodePtr n,
                             const char *lang)
{
    dp_inline *in = dp_arena_alloc(&r->doc->arena, sizeof *in);
    if (!in) {
        r->oom = 1;
        return NULL;
    }
    in->kind = kind;
    in->line = xmlGetLineNo(n);
    in->lang = lang;
    return in;
}

/* What format 1.1 added, met in a document that says version="1". */
static void version_error(reader *r, xmlNodePtr n, const char *what)
{
    if (!r->failed)
        dp_error(r->d, r->file, xmlGetLineNo(n),
                 "%s is digest format 1.1: write version=\"1.1\" on <digest>", what);
    r->failed = 1;
}

static void depth_error(reader *r, xmlNodePtr n)
{
    if (!r->failed)
        dp_error(r->d, r->file, xmlGetLineNo(n),
                 "nesting depth over %d levels", DP_MAX_DEPTH);
    r->failed = 1;
}

static void range_error(reader *r, xmlNodePtr n, const char *what,
                        const char *value, long lo, long hi)
{
    if (!r->failed)
        dp_error(r->d, r->file, xmlGetLineNo(n), "%s %s is out of range (%ld to %ld)",
                 what, value, lo, hi);
    r->failed = 1;
}

/* A one-line text (a meta field, a section name) is set as one
 * paragraph: over the paragraph cap it is refused here, where its line
 * and element are known, not later by the shaper. */
static void length_check(reader *r, xmlNodePtr n, const char *what, const char *text)
{
    if (!text || strlen(text) <= DP_MAX_PARAGRAPH_BYTES)
        return;
    if (!r->failed)
        dp_error(r->d, r->file, xmlGetLineNo(n), "%s longer than %zu bytes", what,
                 DP_MAX_PARAGRAPH_BYTES);
    r->failed = 1;
}

static char *text_content(reader *r, xmlNodePtr n)
{
    xmlChar *v = xmlNodeGetContent(n);
    if (!v) {
        r->oom = 1;
        return NULL;
    }
    size_t len;
    char *c = collapse(r, (const char *)v, &len);
    xmlFree(v);
    return c;
}

/* Inline content of n's children; block elements are skipped (they are
 * read by read_blocks). */
static dp_inline *read_inlines(reader *r, xmlNodePtr first, const char *lang,
                               int depth)
{
    if (depth > DP_MAX_DEPTH) {
        depth_error(r, first);
        return NULL;
    }
    dp_inline *head = NULL, **tail = &head;
    for (xmlNodePtr n = first; n && !r->oom; n = n->next) {
        dp_inline *in = NULL;
        if (n->type == XML_TEXT_NODE || n->type == XML_CDATA_SECTION_NODE) {
            size_t len;
            char *t = collapse(r, (const char *)n->content, &len);
            if (!t || len == 0)
                continue;
            if (!(in = new_inline(r, DP_INL_TEXT, n, lang)))
                break;
            in->text = t;
            in->len = len;
        } else if (n->type != XML_ELEMENT_NODE) {
            continue;
        } else if (is_name(n, "em") || is_name(n, "strong") || is_name(n, "a")) {
            dp_inline_kind k = is_name(n, "em") ? DP_INL_EM
                             : is_name(n, "strong") ? DP_INL_STRONG : DP_INL_LINK;
            const char *l = lang_of(r, n, lang);
            if (!(in = new_inline(r, k, n, l)))
                break;
            if (k == DP_INL_LINK)
                in->href = attr(r, n, "href");
            in->child = read_inlines(r, n->children, l, depth + 1);
        } else if (is_name(n, "span")) {
            if (!r->v11)
                version_error(r, n, "<span>");
            const char *l = lang_of(r, n, lang);
            if (!(in = new_inline(r, DP_INL_SPAN, n, l)))
                break;
            in->child = read_inlines(r, n->children, l, depth + 1);
        } else if (is_name(n, "br")) {
            if (!(in = new_inline(r, DP_INL_BR, n, lang)))
                break;
        } else if (is_name(n, "ruby")) {
            if (!(in = new_inline(r, DP_INL_RUBY, n, lang)))
                break;
            dp_inline *base = NULL, **bt = &base;
            for (xmlNodePtr c = n->children; c; c = c->next) {
                if (is_name(c, "rt")) {
                    in->rt = text_content(r, c);
                } else if (c->type == XML_TEXT_NODE) {
                    size_t len;
                    char *t = collapse(r, (const char *)c->content, &len);
                    if (!t || !len)
                        continue;
                    dp_inline *ti = new_inline(r, DP_INL_TEXT, c, lang);
                    if (!ti)
                        break;
                    ti->text = t;
                    ti->len = len;
                    *bt = ti;
                    bt = &ti->next;
                }
            }
            in->child = base;
        } else {
            continue; /* a block inside an item */
        }
        *tail = in;
        tail = &in->next;
    }
    return head;
}

/* Drops a leading space of the first text and a trailing space of the
 * last, so block edges never carry collapsed whitespace. */
static void trim_edges(dp_inline *in)
{
    dp_inline *first = in;
    while (first && first->kind != DP_INL_TEXT && first->child)
        first = first->child;
    if (first && first->kind == DP_INL_TEXT && first->len && first->text[0] == ' ') {
        first->text++;
        first->len--;
    }
    dp_inline *last = in;
    for (;;) {
        while (last && last->next)
            last = last->next;
        if (last && last->kind != DP_INL_TEXT && last->child) {
            last = last->child;
            continue;
        }
        break;
    }
    if (last && last->kind == DP_INL_TEXT && last->len &&
        last->text[last->len - 1] == ' ')
        last->len--;
}

static dp_block *read_blocks(reader *r, xmlNodePtr first, const char *lang,
                             int depth);

static dp_block *new_block(reader *r, dp_block_kind kind, xmlNodePtr n,
                           const char *lang)
{
    dp_block *b = dp_arena_alloc(&r->doc->arena, sizeof *b);
    if (!b) {
        r->oom = 1;
        return NULL;
    }
    b->kind = kind;
    b->line = xmlGetLineNo(n);
    b->lang = lang;
    b->span = 1;
    b->start = 1;
    return b;
}

static dp_inline *read_text_of(reader *r, xmlNodePtr n, const char *lang,
                               int depth)
{
    dp_inline *in = read_inlines(r, n->children, lang, depth + 1);
    trim_edges(in);
    return in;
}

static double parse_width(const char *w)
{
    if (!w)
        return 0;
    char *end;
    double v = strtod(w, &end);
    if (strcmp(end, "mm") == 0) return v * 72.0 / 25.4;
    if (strcmp(end, "cm") == 0) return v * 72.0 / 2.54;
    if (strcmp(end, "in") == 0) return v * 72.0;
    if (strcmp(end, "%") == 0) return -v; /* negative: percent of measure */
    return v;
}

/* depth: how many lists, quotes and tables enclose n. */
static dp_block *read_block(reader *r, xmlNodePtr n, const char *inherited,
                            int depth)
{
    if ((is_name(n, "list") || is_name(n, "quote") || is_name(n, "table")) &&
        ++depth > DP_MAX_DEPTH) {
        depth_error(r, n);
        return NULL;
    }
    const char *lang = lang_of(r, n, inherited);
    dp_block *b = NULL;
    if (is_name(n, "p") || is_name(n, "heading")) {
        b = new_block(r, is_name(n, "p") ? DP_BLK_P : DP_BLK_HEADING, n, lang);
        if (!b)
            return NULL;
        b->text = read_text_of(r, n, lang, depth);
        if (b->kind == DP_BLK_HEADING)
            b->id = attr(r, n, "id");
    } else if (is_name(n, "list")) {
        if (!(b = new_block(r, DP_BLK_LIST, n, lang)))
            return NULL;
        char *type = attr(r, n, "type");
        static const char *const names[] = {"bullet", "decimal", "paren",
                                            "circled", "iroha", "none"};
        for (int i = 0; type && i < 6; i++)
            if (strcmp(type, names[i]) == 0)
                b->list_type = (dp_list_type)i;
        char *start = attr(r, n, "start");
        if (start) {
            /* the grammar says integer; keep numbering clear of int overflow */
            long v = strtol(start, NULL, 10);
            if (v < -DP_MAX_LIST_START || v > DP_MAX_LIST_START) {
                range_error(r, n, "list start", start, -DP_MAX_LIST_START,
                            DP_MAX_LIST_START);
                return NULL;
            }
            b->start = (int)v;
        }
        b->child = read_blocks(r, n->children, lang, depth);
    } else if (is_name(n, "item")) {
        if (!(b = new_block(r, DP_BLK_ITEM, n, lang)))
            return NULL;
        b->text = read_text_of(r, n, lang, depth);
        b->child = read_blocks(r, n->children, lang, depth);
    } else if (is_name(n, "quote")) {
        if (!(b = new_block(r, DP_BLK_QUOTE, n, lang)))
            return NULL;
        b->child = read_blocks(r, n->children, lang, depth);
    } else if (is_name(n, "table") || is_name(n, "row")) {
        if (!(b = new_block(r, is_name(n, "table") ? DP_BLK_TABLE : DP_BLK_ROW, n, lang)))
            return NULL;
        char *h = attr(r, n, "header");
        b->header = h && strcmp(h, "true") == 0;
        b->child = read_blocks(r, n->children, lang, depth);
    } else if (is_name(n, "cell")) {
        if (!(b = new_block(r, DP_BLK_CELL, n, lang)))
            return NULL;
        char *span = attr(r, n, "span");
        if (span) {
            long v = strtol(span, NULL, 10);
            if (v < 1 || v > DP_MAX_SPAN) {
                range_error(r, n, "cell span", span, 1, DP_MAX_SPAN);
                return NULL;
            }
            b->span = (int)v;
        }
        b->text = read_text_of(r, n, lang, depth);
    } else if (is_name(n, "figure")) {
        if (!(b = new_block(r, DP_BLK_FIGURE, n, lang)))
            return NULL;
        b->src = attr(r, n, "src");
        b->alt = attr(r, n, "alt");
        if (b->alt && !r->v11)
            version_error(r, n, "figure/@alt");
        char *w = attr(r, n, "width");
        b->width_pt = parse_width(w);
        for (xmlNodePtr c = n->children; c; c = c->next)
            if (is_name(c, "caption"))
                b->text = read_text_of(r, c, lang_of(r, c, lang), depth + 1);
    }
    return b;
}

static dp_block *read_blocks(reader *r, xmlNodePtr first, const char *lang,
                             int depth)
{
    dp_block *head = NULL, **tail = &head;
    for (xmlNodePtr n = first; n && !r->oom && !r->failed; n = n->next) {
        if (n->type != XML_ELEMENT_NODE)
            continue;
        dp_block *b = read_block(r, n, lang, depth);
        if (!b)
            continue;
        *tail = b;
        tail = &b->next;
    }
    return head;
}

static dp_article *read_article(reader *r, xmlNodePtr n, const char *inherited)
{
    dp_article *a = dp_arena_alloc(&r->doc->arena, sizeof *a);
    if (!a) {
        r->oom = 1;
        return NULL;
    }
    a->line = xmlGetLineNo(n);
    a->lang = lang_of(r, n, inherited);
    a->id = attr(r, n, "id");
    char *nw = attr(r, n, "new");
    a->is_new = nw && strcmp(nw, "true") == 0;
    a->date = attr(r, n, "date");
    a->href = attr(r, n, "href");
    dp_block *head = NULL, **tail = &head;
    for (xmlNodePtr c = n->children; c && !r->oom; c = c->next) {
        if (is_name(c, "title")) {
            a->title = read_text_of(r, c, lang_of(r, c, a->lang), 1);
        } else if (is_name(c, "subtitle")) {
            a->subtitle = read_text_of(r, c, lang_of(r, c, a->lang), 1);
        } else if (c->type == XML_ELEMENT_NODE) {
            dp_block *b = read_block(r, c, a->lang, 0);
            if (b) {
                *tail = b;
                tail = &b->next;
            }
        }
    }
    a->body = head;
    return a;
}

/* The document's dates become the PDF's dates (D:YYYYMMDD…), which have
 * four-digit years: an xsd:date such as -0001-01-01 or 10000-01-01 is
 * valid XML but cannot be written, and is refused here. */
static void check_pdf_date(reader *r, xmlNodePtr n, const char *value)
{
    size_t digits = strspn(value, "0123456789");
    if (value[0] != '-' && digits == 4)
        return;
    if (!r->failed)
        dp_error(r->d, r->file, xmlGetLineNo(n),
                 "<%s> %s: a PDF date needs a year from 0001 to 9999", (const char *)n->name,
                 value);
    r->failed = 1;
}

static void read_meta(reader *r, xmlNodePtr meta)
{
    dp_doc *doc = r->doc;
    for (xmlNodePtr c = meta->children; c; c = c->next) {
        if (c->type != XML_ELEMENT_NODE)
            continue;
        if (is_name(c, "summary")) {
            doc->summary = read_text_of(r, c, lang_of(r, c, doc->lang), 1);
            continue;
        }
        char *t = text_content(r, c);
        if (!t)
            continue;
        size_t n = strlen(t);
        if (n && t[n - 1] == ' ')
            t[n - 1] = '\0';
        if (t[0] == ' ')
            t++;
        length_check(r, c, (const char *)c->name, t);
        if (is_name(c, "series")) doc->series = t;
        else if (is_name(c, "title")) doc->title = t;
        else if (is_name(c, "subtitle")) doc->subtitle = t;
        else if (is_name(c, "published")) doc->published = t;
        else if (is_name(c, "updated")) doc->updated = t;
        if (is_name(c, "published") || is_name(c, "updated"))
            check_pdf_date(r, c, t);
        else if (is_name(c, "publisher")) doc->publisher = t;
    }
}

typedef struct id_entry {
    const char *id;
    long line;
} id_entry;

static int cmp_id(const void *a, const void *b)
{
    int c = strcmp(((const id_entry *)a)->id, ((const id_entry *)b)->id);
    if (c)
        return c;
    long la = ((const id_entry *)a)->line, lb = ((const id_entry *)b)->line;
    return (la > lb) - (la < lb);
}

static size_t collect_heading_ids(dp_block *b, id_entry *out, size_t n)
{
    for (; b; b = b->next) {
        if (b->kind == DP_BLK_HEADING) {
            if (out)
                out[n] = (id_entry){b->id, b->line};
            n++;
        }
        n = collect_heading_ids(b->child, out, n);
    }
    return n;
}

/* Ids (given or derived) are link targets: two equal ones would send a
 * TOC entry or bookmark to the wrong place. */
static dp_status check_ids(reader *r)
{
    size_t n = 0;
    for (dp_section *s = r->doc->sections; s; s = s->next) {
        n++;
        for (dp_article *a = s->articles; a; a = a->next)
            n += 1 + collect_heading_ids(a->body, NULL, 0);
    }
    if (n < 2)
        return DP_OK;
    id_entry *ids = malloc(n * sizeof *ids);
    if (!ids)
        return DP_ENOMEM;
    size_t k = 0;
    for (dp_section *s = r->doc->sections; s; s = s->next) {
        ids[k++] = (id_entry){s->id, s->line};
        for (dp_article *a = s->articles; a; a = a->next) {
            ids[k++] = (id_entry){a->id, a->line};
            k = collect_heading_ids(a->body, ids, k);
        }
    }
    qsort(ids, n, sizeof *ids, cmp_id);
    dp_status status = DP_OK;
    for (size_t i = 1; i < n; i++) {
        if (strcmp(ids[i].id, ids[i - 1].id) == 0) {
            dp_error(r->d, r->file, ids[i].line,
                     "id \"%s\" is already used on line %ld", ids[i].id,
                     ids[i - 1].line);
            status = DP_EINPUT;
        }
    }
    free(ids);
    return status;
}

static dp_status build_model(reader *r, xmlNodePtr root)
{
    dp_doc *doc = r->doc;
    doc->lang = lang_of(r, root, "ja");
    char *version = attr(r, root, "version");
    r->v11 = version && strcmp(version, "1.1") == 0;
    dp_section **stail = &doc->sections;
    for (xmlNodePtr n = root->children; n && !r->oom; n = n->next) {
        if (is_name(n, "meta")) {
            read_meta(r, n);
        } else if (is_name(n, "section")) {
            dp_section *s = dp_arena_alloc(&doc->arena, sizeof *s);
            if (!s) {
                r->oom = 1;
                break;
            }
            s->line = xmlGetLineNo(n);
            s->name = attr(r, n, "name");
            length_check(r, n, "section name", s->name);
            s->id = attr(r, n, "id");
            const char *lang = lang_of(r, n, doc->lang);
            dp_article **atail = &s->articles;
            for (xmlNodePtr c = n->children; c; c = c->next) {
                if (!is_name(c, "article"))
                    continue;
                dp_article *a = read_article(r, c, lang);
                if (!a)
                    break;
                *atail = a;
                atail = &a->next;
                s->n_articles++;
                doc->n_articles++;
                doc->n_new += a->is_new;
            }
            *stail = s;
            stail = &s->next;
            doc->n_sections++;
        }
    }
    if (r->oom)
        return DP_ENOMEM;
    if (r->failed)
        return DP_EINPUT;
    if (dp_doc_derive_ids(doc) < 0)
        return DP_ENOMEM;
    return check_ids(r);
}

dp_status dp_xml_read(dp_doc **out, dp_diags *d, const char *file,
                      const char *data, size_t len)
{
    dp_status status = DP_OK;
    reader r = {0};
    r.d = d;
    r.file = file;
    xmlDocPtr xdoc = NULL;
    *out = NULL;

    if (len > DP_MAX_INPUT_BYTES) {
        dp_error(d, file, 0, "input larger than the %zu MB limit",
                 DP_MAX_INPUT_BYTES >> 20);
        return DP_ELIMIT;
    }
    DP_TRY(dp_xml_precheck(&r, data, len));

    xmlSetStructuredErrorFunc(&r, dp_xml_on_error);
    /* No NOENT (entities stay unexpanded), no DTDLOAD, no network. */
    xdoc = xmlReadMemory(data, (int)len, file, NULL,
                         XML_PARSE_NONET | XML_PARSE_NOCDATA);
    if (r.oom) {
        status = DP_ENOMEM;
        goto done;
    }
    if (!xdoc || r.failed) {
        if (!r.failed)
            dp_error(d, file, 0, "not well-formed XML");
        status = DP_EINPUT;
        goto done;
    }
    DP_TRY(dp_xml_validate(&r, xdoc));

    r.doc = dp_doc_new(file);
    DP_CHECK_ALLOC(r.doc);
    DP_TRY(build_model(&r, xmlDocGetRootElement(xdoc)));
    *out = r.doc;
    r.doc = NULL;
done:
    xmlSetStructuredErrorFunc(NULL, NULL);
    xmlFreeDoc(xdoc);
    dp_doc_free(r.doc);
    return status;
}
