/*
 * The text form of the document model (`--dump=model`): every section,
 * article, block and inline in document order, each with its source
 * line and attributes, so a change in reading or in the model shows as
 * a plain diff.
 */
#include <string.h>

#include "base/status.h"
#include "doc.h"

typedef struct dumper {
    dp_buf *out;
    const char *lang; /* the document's language: only others are shown */
} dumper;

static dp_status indent(dumper *D, int depth)
{
    for (int i = 0; i < depth; i++) {
        dp_status status = dp_buf_adds(D->out, "  ");
        if (status < 0)
            return status;
    }
    return DP_OK;
}

/* " key=\"value\"" when value is set. */
static dp_status attr(dumper *D, const char *key, const char *value)
{
    if (!value)
        return DP_OK;
    dp_status status = dp_buf_printf(D->out, " %s=", key);
    if (status == DP_OK)
        status = dp_buf_add_quoted(D->out, value, strlen(value));
    return status;
}

static dp_status lang_attr(dumper *D, const char *lang, const char *parent)
{
    if (!lang || !strcmp(lang, parent ? parent : D->lang))
        return DP_OK;
    return attr(D, "lang", lang);
}

static dp_status inlines(dumper *D, const dp_inline *in, int depth, const char *lang)
{
    static const char *const names[] = {"text", "em", "strong", "a", "br", "ruby", "span"};
    _Static_assert(sizeof names / sizeof *names == DP_INL_SPAN + 1, "a name per inline kind");
    dp_status status = DP_OK;
    for (; in; in = in->next) {
        DP_TRY(indent(D, depth));
        DP_TRY(dp_buf_printf(D->out, "%s @%ld", names[in->kind], in->line));
        DP_TRY(lang_attr(D, in->lang, lang));
        DP_TRY(attr(D, "href", in->href));
        DP_TRY(attr(D, "rt", in->rt));
        if (in->kind == DP_INL_TEXT) {
            DP_TRY(dp_buf_addc(D->out, ' '));
            DP_TRY(dp_buf_add_quoted(D->out, in->text ? in->text : "", in->len));
        }
        DP_TRY(dp_buf_addc(D->out, '\n'));
        DP_TRY(inlines(D, in->child, depth + 1, in->lang ? in->lang : lang));
    }
done:
    return status;
}

/* A titled group of inlines ("title", "summary"...) under its node. */
static dp_status inline_group(dumper *D, const char *name, const dp_inline *in,
                              int depth, const char *lang)
{
    if (!in)
        return DP_OK;
    dp_status status = DP_OK;
    DP_TRY(indent(D, depth));
    DP_TRY(dp_buf_printf(D->out, "%s\n", name));
    DP_TRY(inlines(D, in, depth + 1, lang));
done:
    return status;
}

static dp_status blocks(dumper *D, const dp_block *b, int depth, const char *lang)
{
    static const char *const names[] = {"p",     "heading", "list", "item",  "quote",
                                        "table", "row",     "cell", "figure"};
    _Static_assert(sizeof names / sizeof *names == DP_BLK_FIGURE + 1, "a name per block kind");
    static const char *const types[] = {"bullet", "decimal", "paren",
                                        "circled", "iroha",  "none"};
    dp_status status = DP_OK;
    for (; b; b = b->next) {
        DP_TRY(indent(D, depth));
        DP_TRY(dp_buf_printf(D->out, "%s @%ld", names[b->kind], b->line));
        DP_TRY(lang_attr(D, b->lang, lang));
        DP_TRY(attr(D, "id", b->id));
        switch (b->kind) {
        case DP_BLK_LIST:
            DP_TRY(dp_buf_printf(D->out, " type=%s start=%d", types[b->list_type], b->start));
            break;
        case DP_BLK_ROW:
            if (b->header)
                DP_TRY(dp_buf_adds(D->out, " header"));
            break;
        case DP_BLK_CELL:
            if (b->span != 1)
                DP_TRY(dp_buf_printf(D->out, " span=%d", b->span));
            break;
        case DP_BLK_FIGURE:
            DP_TRY(attr(D, "src", b->src));
            DP_TRY(attr(D, "alt", b->alt));
            if (b->width_pt > 0) {
                DP_TRY(dp_buf_adds(D->out, " width="));
                DP_TRY(dp_buf_add_round(D->out, b->width_pt, 2));
            }
            break;
        default:
            break;
        }
        DP_TRY(dp_buf_addc(D->out, '\n'));
        const char *l = b->lang ? b->lang : lang;
        DP_TRY(inlines(D, b->text, depth + 1, l));
        DP_TRY(blocks(D, b->child, depth + 1, l));
    }
done:
    return status;
}

dp_status dp_doc_dump(dp_buf *out, const dp_doc *doc)
{
    dumper D = {out, doc->lang};
    dp_status status = DP_OK;
    DP_TRY(dp_buf_adds(out, "digest"));
    DP_TRY(attr(&D, "lang", doc->lang));
    DP_TRY(dp_buf_printf(out, " sections=%d articles=%d new=%d\n", doc->n_sections,
                         doc->n_articles, doc->n_new));
    DP_TRY(dp_buf_adds(out, "  meta"));
    DP_TRY(attr(&D, "series", doc->series));
    DP_TRY(attr(&D, "title", doc->title));
    DP_TRY(attr(&D, "subtitle", doc->subtitle));
    DP_TRY(attr(&D, "published", doc->published));
    DP_TRY(attr(&D, "updated", doc->updated));
    DP_TRY(attr(&D, "publisher", doc->publisher));
    DP_TRY(dp_buf_addc(out, '\n'));
    DP_TRY(inline_group(&D, "summary", doc->summary, 2, doc->lang));
    for (const dp_section *s = doc->sections; s; s = s->next) {
        DP_TRY(dp_buf_printf(out, "  section @%ld", s->line));
        DP_TRY(attr(&D, "id", s->id));
        DP_TRY(attr(&D, "name", s->name));
        DP_TRY(dp_buf_printf(out, " articles=%d\n", s->n_articles));
        for (const dp_article *a = s->articles; a; a = a->next) {
            DP_TRY(dp_buf_printf(out, "    article @%ld", a->line));
            DP_TRY(attr(&D, "id", a->id));
            if (a->is_new)
                DP_TRY(dp_buf_adds(out, " new"));
            DP_TRY(attr(&D, "date", a->date));
            DP_TRY(attr(&D, "href", a->href));
            DP_TRY(lang_attr(&D, a->lang, NULL));
            DP_TRY(dp_buf_addc(out, '\n'));
            const char *l = a->lang ? a->lang : doc->lang;
            DP_TRY(inline_group(&D, "title", a->title, 3, l));
            DP_TRY(inline_group(&D, "subtitle", a->subtitle, 3, l));
            if (a->body) {
                DP_TRY(dp_buf_adds(out, "      body\n"));
                DP_TRY(blocks(&D, a->body, 4, l));
            }
        }
    }
done:
    return status;
}
