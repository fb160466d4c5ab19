#include "doc.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "base/buf.h"

dp_doc *dp_doc_new(const char *file)
{
    dp_doc *doc = calloc(1, sizeof *doc);
    if (!doc)
        return NULL;
    dp_arena_init(&doc->arena);
    doc->file = dp_arena_strdup(&doc->arena, file ? file : "<input>");
    doc->lang = "ja";
    if (!doc->file) {
        dp_doc_free(doc);
        return NULL;
    }
    return doc;
}

void dp_doc_free(dp_doc *doc)
{
    if (!doc)
        return;
    dp_arena_dispose(&doc->arena);
    free(doc);
}

static int collect_plain(dp_buf *b, const dp_inline *in)
{
    for (; in; in = in->next) {
        if (in->kind == DP_INL_TEXT) {
            if (dp_buf_add(b, in->text, in->len) < 0)
                return -1;
        } else if (in->kind == DP_INL_BR) {
            if (dp_buf_addc(b, ' ') < 0)
                return -1;
        } else if (collect_plain(b, in->child) < 0) {
            return -1;
        }
    }
    return 0;
}

char *dp_inline_plain(dp_doc *doc, const dp_inline *in)
{
    dp_buf b;
    dp_buf_init(&b);
    char *out = NULL;
    if (collect_plain(&b, in) == 0)
        out = dp_arena_strndup(&doc->arena, b.data ? b.data : "", b.len);
    dp_buf_dispose(&b);
    return out;
}

static int derive_heading_ids(dp_doc *doc, dp_block *b, const char *prefix,
                              int *counter)
{
    for (; b; b = b->next) {
        if (b->kind == DP_BLK_HEADING && !b->id) {
            char id[64];
            snprintf(id, sizeof id, "%.40s-h%d", prefix, ++*counter);
            if (!(b->id = dp_arena_strdup(&doc->arena, id)))
                return -1;
        }
        if (derive_heading_ids(doc, b->child, prefix, counter) < 0)
            return -1;
    }
    return 0;
}

int dp_doc_derive_ids(dp_doc *doc)
{
    int si = 0;
    for (dp_section *s = doc->sections; s; s = s->next) {
        char id[64];
        si++;
        if (!s->id) {
            snprintf(id, sizeof id, "s%d", si);
            if (!(s->id = dp_arena_strdup(&doc->arena, id)))
                return -1;
        }
        int ai = 0;
        for (dp_article *a = s->articles; a; a = a->next) {
            ai++;
            if (!a->id) {
                snprintf(id, sizeof id, "s%d-a%d", si, ai);
                if (!(a->id = dp_arena_strdup(&doc->arena, id)))
                    return -1;
            }
            int hi = 0;
            if (derive_heading_ids(doc, a->body, a->id, &hi) < 0)
                return -1;
        }
    }
    return 0;
}
