/*
 * The text form of the laid-out pages (`--dump=pages`): what the PDF
 * writer is given, one item a line, so a layout change shows as a plain
 * diff. Glyph ids are left out (they depend on the font files' build),
 * the runs' text and positions are kept.
 */
#include <string.h>

#include "base/status.h"
#include "pages.h"

static const char *base_name(const char *path)
{
    const char *slash = path ? strrchr(path, '/') : NULL;
    return slash ? slash + 1 : path ? path : "";
}

/* " key=V" with V in points to 0.01. */
static dp_status pt(dp_buf *out, const char *key, double v)
{
    dp_status status = dp_buf_printf(out, " %s=", key);
    if (status == DP_OK)
        status = dp_buf_add_round(out, v, 2);
    return status;
}

static dp_status quoted(dp_buf *out, const char *key, const char *s)
{
    if (!s)
        return DP_OK;
    dp_status status = dp_buf_printf(out, " %s=", key);
    if (status == DP_OK)
        status = dp_buf_add_quoted(out, s, strlen(s));
    return status;
}

/* " tag=P#12" (an element and its index) or " tag=artifact" */
static dp_status tag(dp_buf *out, const dp_pages *P, int t)
{
    if (t < 0 || (size_t)t >= P->nelems)
        return dp_buf_printf(out, " tag=%s", t == DP_TAG_PAGINATION ? "pagination" : "layout");
    return dp_buf_printf(out, " tag=%s#%d", dp_role_name(P->elems[t].role), t);
}

static dp_status run(dp_buf *out, const dp_pages *P, const dp_run *r)
{
    dp_status status = DP_OK;
    DP_TRY(dp_buf_adds(out, "  run"));
    DP_TRY(tag(out, P, r->tag));
    DP_TRY(pt(out, "x", r->n ? r->x[0] : 0));
    DP_TRY(pt(out, "to", r->n ? r->x[r->n - 1] : 0));
    DP_TRY(pt(out, "y", r->y));
    DP_TRY(dp_buf_printf(out, " font=%d", r->font));
    DP_TRY(pt(out, "size", r->size));
    DP_TRY(dp_buf_printf(out, " color=#%06X glyphs=%zu ", (unsigned)r->color, r->n));
    dp_buf text;
    dp_buf_init(&text);
    for (size_t i = 0; i < r->n && status == DP_OK; i++)
        if (r->text && r->text[i])
            status = dp_buf_add(&text, r->text[i], r->text_len[i]);
    if (status == DP_OK)
        status = dp_buf_add_quoted(out, text.data ? text.data : "", text.len);
    dp_buf_dispose(&text);
    if (status == DP_OK && r->actual)
        status = quoted(out, "actual", r->actual);
    if (status == DP_OK)
        status = dp_buf_addc(out, '\n');
done:
    return status;
}

static dp_status box(dp_buf *out, const dp_box *b)
{
    static const char *const kinds[] = {"fill", "stroke", "line", "dots"};
    dp_status status = DP_OK;
    DP_TRY(dp_buf_printf(out, "  %s", kinds[b->kind]));
    DP_TRY(pt(out, "x", b->x));
    DP_TRY(pt(out, "y", b->y));
    DP_TRY(pt(out, "w", b->w));
    DP_TRY(pt(out, "h", b->h));
    DP_TRY(dp_buf_printf(out, " color=#%06X", (unsigned)b->color));
    if (b->kind != DP_BOX_FILL)
        DP_TRY(pt(out, "width", b->line_width));
    DP_TRY(dp_buf_addc(out, '\n'));
done:
    return status;
}

static dp_status page(dp_buf *out, const dp_pages *P, const dp_page *pg, size_t index)
{
    dp_status status = DP_OK;
    DP_TRY(dp_buf_printf(out, "page %zu\n", index + 1));
    for (size_t i = 0; i < pg->nruns; i++)
        DP_TRY(run(out, P, &pg->runs[i]));
    for (size_t i = 0; i < pg->nboxes; i++)
        DP_TRY(box(out, &pg->boxes[i]));
    for (size_t i = 0; i < pg->nlinks; i++) {
        const dp_link *l = &pg->links[i];
        DP_TRY(dp_buf_adds(out, "  link"));
        DP_TRY(tag(out, P, l->tag));
        DP_TRY(pt(out, "x0", l->x0));
        DP_TRY(pt(out, "y0", l->y0));
        DP_TRY(pt(out, "x1", l->x1));
        DP_TRY(pt(out, "y1", l->y1));
        DP_TRY(quoted(out, "uri", l->uri));
        DP_TRY(quoted(out, "dest", l->dest));
        DP_TRY(dp_buf_addc(out, '\n'));
    }
    for (size_t i = 0; i < pg->npictures; i++) {
        const dp_picture *p = &pg->pictures[i];
        DP_TRY(dp_buf_adds(out, "  image"));
        DP_TRY(tag(out, P, p->tag));
        DP_TRY(pt(out, "x", p->x));
        DP_TRY(pt(out, "y", p->y));
        DP_TRY(pt(out, "w", p->w));
        DP_TRY(pt(out, "h", p->h));
        DP_TRY(quoted(out, "file", base_name(p->path)));
        DP_TRY(dp_buf_addc(out, '\n'));
    }
done:
    return status;
}

dp_status dp_pages_dump(dp_buf *out, const dp_pages *P)
{
    dp_status status = DP_OK;
    DP_TRY(dp_buf_printf(out, "pages %zu", P->n));
    DP_TRY(pt(out, "width", P->width));
    DP_TRY(pt(out, "height", P->height));
    DP_TRY(dp_buf_printf(out, " first_body_page=%d\n", P->first_body_page + 1));
    for (int i = 0; i < P->nfonts; i++)
        DP_TRY(dp_buf_printf(out, "font %d %s\n", i,
                             base_name(P->fonts[i] ? dp_font_path(P->fonts[i]) : NULL)));
    DP_TRY(dp_buf_adds(out, "info"));
    DP_TRY(quoted(out, "title", P->title));
    DP_TRY(quoted(out, "author", P->author));
    DP_TRY(quoted(out, "subject", P->subject));
    DP_TRY(quoted(out, "keywords", P->keywords));
    DP_TRY(quoted(out, "published", P->published));
    DP_TRY(dp_buf_addc(out, '\n'));
    for (size_t i = 0; i < P->nmarks; i++) {
        const dp_mark *m = &P->marks[i];
        DP_TRY(dp_buf_printf(out, "mark level=%d page=%d", m->level, m->page + 1));
        DP_TRY(pt(out, "y", m->y));
        DP_TRY(quoted(out, "id", m->id));
        DP_TRY(quoted(out, "title", m->title));
        DP_TRY(dp_buf_addc(out, '\n'));
    }
    /* the structure: one element a line, indented under its parent */
    for (size_t i = 0; i < P->nelems; i++) {
        const dp_elem *e = &P->elems[i];
        int depth = 0;
        for (int k = e->parent; k >= 0 && depth < 64; k = P->elems[k].parent)
            depth++;
        DP_TRY(dp_buf_printf(out, "elem %*s%s#%zu", depth * 2, "", dp_role_name(e->role), i));
        DP_TRY(quoted(out, "lang", e->lang));
        DP_TRY(quoted(out, "alt", e->alt));
        DP_TRY(quoted(out, "actual", e->actual));
        if (e->scope)
            DP_TRY(dp_buf_printf(out, " scope=%s", e->scope == DP_SCOPE_ROW ? "row" : "column"));
        if (e->colspan > 1)
            DP_TRY(dp_buf_printf(out, " colspan=%d", e->colspan));
        DP_TRY(dp_buf_addc(out, '\n'));
    }
    for (size_t i = 0; i < P->n; i++)
        DP_TRY(page(out, P, &P->pages[i], i));
done:
    return status;
}
