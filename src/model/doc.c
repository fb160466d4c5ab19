#include "doc.h"

#include <stdint.h>
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

/* The ids of a document, given and derived: derived ids must differ
 * from every other id (a given "s1-a2" and the second article's derived
 * one would be reported as a duplicate nobody wrote). Open addressing
 * over FNV-1a; the strings are borrowed from the document. */
typedef struct id_set {
    const char **slot;
    size_t cap, n;
} id_set;

static size_t id_hash(const char *s)
{
    uint64_t h = 1469598103934665603ULL;
    for (; *s; s++)
        h = (h ^ (unsigned char)*s) * 1099511628211ULL;
    return (size_t)h;
}

static int id_set_has(const id_set *set, const char *id)
{
    if (!set->cap)
        return 0;
    for (size_t i = id_hash(id) & (set->cap - 1); set->slot[i]; i = (i + 1) & (set->cap - 1))
        if (strcmp(set->slot[i], id) == 0)
            return 1;
    return 0;
}

static int id_set_add(id_set *set, const char *id)
{
    if (id_set_has(set, id))
        return 0;
    if ((set->n + 1) * 2 > set->cap) {
        size_t cap = set->cap ? set->cap * 2 : 64;
        const char **slot = calloc(cap, sizeof *slot);
        if (!slot)
            return -1;
        for (size_t k = 0; k < set->cap; k++) {
            if (!set->slot[k])
                continue;
            size_t i = id_hash(set->slot[k]) & (cap - 1);
            while (slot[i])
                i = (i + 1) & (cap - 1);
            slot[i] = set->slot[k];
        }
        free(set->slot);
        set->slot = slot;
        set->cap = cap;
    }
    size_t i = id_hash(id) & (set->cap - 1);
    while (set->slot[i])
        i = (i + 1) & (set->cap - 1);
    set->slot[i] = id;
    set->n++;
    return 0;
}

static int given_heading_ids(id_set *set, const dp_block *b)
{
    for (; b; b = b->next) {
        if (b->kind == DP_BLK_HEADING && b->id && id_set_add(set, b->id) < 0)
            return -1;
        if (given_heading_ids(set, b->child) < 0)
            return -1;
    }
    return 0;
}

/* *id = the text of b (the whole prefix, never cut), or that text with
 * "-2", "-3", ... when another id already has it. */
static int derive(dp_doc *doc, id_set *set, dp_buf *b, const char **id)
{
    size_t base = b->len;
    for (unsigned long k = 2; id_set_has(set, b->data); k++) {
        b->len = base;
        if (dp_buf_printf(b, "-%lu", k) < 0)
            return -1;
    }
    if (!(*id = dp_arena_strndup(&doc->arena, b->data, b->len)))
        return -1;
    return id_set_add(set, *id);
}

static int derive_heading_ids(dp_doc *doc, id_set *set, dp_buf *b,
                              dp_block *blk, const char *prefix, int *counter)
{
    for (; blk; blk = blk->next) {
        if (blk->kind == DP_BLK_HEADING && !blk->id) {
            dp_buf_reset(b);
            if (dp_buf_printf(b, "%s-h%d", prefix, ++*counter) < 0 ||
                derive(doc, set, b, &blk->id) < 0)
                return -1;
        }
        if (derive_heading_ids(doc, set, b, blk->child, prefix, counter) < 0)
            return -1;
    }
    return 0;
}

int dp_doc_derive_ids(dp_doc *doc)
{
    int rc = -1, si = 0;
    id_set set = {0};
    dp_buf b;
    dp_buf_init(&b);
    for (dp_section *s = doc->sections; s; s = s->next) {
        if (s->id && id_set_add(&set, s->id) < 0)
            goto done;
        for (dp_article *a = s->articles; a; a = a->next)
            if ((a->id && id_set_add(&set, a->id) < 0) ||
                given_heading_ids(&set, a->body) < 0)
                goto done;
    }
    for (dp_section *s = doc->sections; s; s = s->next) {
        si++;
        if (!s->id) {
            dp_buf_reset(&b);
            if (dp_buf_printf(&b, "s%d", si) < 0 || derive(doc, &set, &b, &s->id) < 0)
                goto done;
        }
        int ai = 0;
        for (dp_article *a = s->articles; a; a = a->next) {
            ai++;
            if (!a->id) {
                dp_buf_reset(&b);
                if (dp_buf_printf(&b, "s%d-a%d", si, ai) < 0 ||
                    derive(doc, &set, &b, &a->id) < 0)
                    goto done;
            }
            int hi = 0;
            if (derive_heading_ids(doc, &set, &b, a->body, a->id, &hi) < 0)
                goto done;
        }
    }
    rc = 0;
done:
    free(set.slot);
    dp_buf_dispose(&b);
    return rc;
}
