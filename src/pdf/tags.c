#include "tags.h"

#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "hpdf_private.h" /* libharu internals, version-gated */
#include "hpdf_ext.h"

#include "base/vec.h"

/* A marked-content sequence with an MCID: the content of elem. */
typedef struct mc_rec {
    int elem;
    unsigned seq;
    size_t page;
    int mcid;
} mc_rec;

/* A link annotation, the content of its Link element. */
typedef struct annot_rec {
    int elem;
    unsigned seq;
    size_t page;
    HPDF_Dict annot;
} annot_rec;

struct dp_tagger {
    const dp_pages *P;
    mc_rec *mcs;
    size_t nmcs, capmcs;
    annot_rec *annots;
    size_t nannots, capannots;
    size_t *page_mcs; /* where each page's MCIDs start in mcs */
    size_t page;      /* the page being marked */
    int open;         /* the open sequence's tag; INT_MIN: none */
    int next_mcid;
};

/* No tag: nothing open. */
#define NONE INT_MIN

dp_tagger *dp_tagger_new(const dp_pages *P)
{
    dp_tagger *t = calloc(1, sizeof *t);
    if (!t)
        return NULL;
    t->P = P;
    t->open = NONE;
    t->page = SIZE_MAX;
    t->page_mcs = calloc(P->n + 1, sizeof *t->page_mcs);
    if (!t->page_mcs) {
        free(t);
        return NULL;
    }
    return t;
}

void dp_tagger_free(dp_tagger *t)
{
    if (!t)
        return;
    free(t->mcs);
    free(t->annots);
    free(t->page_mcs);
    free(t);
}

dp_status dp_tagger_close(dp_tagger *t, HPDF_Page page)
{
    if (t->open == NONE)
        return DP_OK;
    t->open = NONE;
    return dp_hpdf_page_write(page, "EMC\012");
}

dp_status dp_tagger_mark(dp_tagger *t, HPDF_Page page, size_t index, int tag, unsigned seq)
{
    if (index != t->page) {
        /* pages are drawn in order: each one's MCIDs count from 0 */
        for (size_t p = t->page == SIZE_MAX ? 0 : t->page + 1; p <= index; p++)
            t->page_mcs[p] = t->nmcs;
        t->page = index;
        t->next_mcid = 0;
        t->open = NONE;
    }
    if (tag == t->open && tag >= 0)
        return DP_OK;
    dp_status status = dp_tagger_close(t, page);
    if (status != DP_OK)
        return status;
    char op[96];
    if (tag < 0 || (size_t)tag >= t->P->nelems) {
        snprintf(op, sizeof op, "/Artifact <</Type /%s>> BDC\012",
                 tag == DP_TAG_PAGINATION ? "Pagination" : "Layout");
    } else {
        if (DP_VEC_GROW(t->mcs, t->nmcs, t->capmcs) < 0)
            return DP_ENOMEM;
        t->mcs[t->nmcs++] = (mc_rec){tag, seq, index, t->next_mcid};
        snprintf(op, sizeof op, "/%s <</MCID %d>> BDC\012",
                 dp_role_name(t->P->elems[tag].role), t->next_mcid++);
    }
    t->open = tag;
    return dp_hpdf_page_write(page, op);
}

dp_status dp_tagger_annot(dp_tagger *t, HPDF_Doc pdf, HPDF_Annotation a, size_t index,
                          int tag, unsigned seq, const char *contents)
{
    if (tag < 0 || (size_t)tag >= t->P->nelems)
        return DP_OK; /* not part of the structure: nothing refers to it */
    if (DP_VEC_GROW(t->annots, t->nannots, t->capannots) < 0)
        return DP_ENOMEM;
    HPDF_Binary text = dp_hpdf_text_string(pdf, contents, strlen(contents));
    if (!text)
        return HPDF_GetError(pdf) == HPDF_OK ? DP_ENOMEM : DP_ERR;
    if (HPDF_Dict_Add(a, "Contents", text) != HPDF_OK ||
        HPDF_Dict_AddNumber(a, "StructParent", (HPDF_INT32)(t->P->n + t->nannots)) != HPDF_OK)
        return DP_ERR;
    t->annots[t->nannots++] = (annot_rec){tag, seq, index, a};
    return DP_OK;
}

/* ---- the tree ---- */

enum { KID_ELEM, KID_MCID, KID_OBJR };

typedef struct kid {
    int parent;
    unsigned seq;
    int kind;
    size_t ref; /* KID_ELEM: element; KID_MCID: index in mcs; KID_OBJR: in annots */
} kid;

static int kid_order(const void *a, const void *b)
{
    const kid *x = a, *y = b;
    if (x->parent != y->parent)
        return x->parent < y->parent ? -1 : 1;
    return x->seq < y->seq ? -1 : x->seq > y->seq;
}

/* A table's structure stays whole even where a cell is empty. */
static int kept_empty(dp_role role)
{
    return role == DP_ROLE_TD || role == DP_ROLE_TH || role == DP_ROLE_TR;
}

/* The most entries an array of ours holds: the limit of PDF readers
 * (ISO 32000-1, Annex C). An element with more children holds them in
 * NonStruct groups of this size; the parent tree is split likewise. */
#define MAX_ARRAY 8191

/* Adds obj to the array, or sets it as the dictionary's /K when it is
 * the only kid (a smaller file). */
static int add_kid(HPDF_MMgr mm, HPDF_Dict el, HPDF_Array *k, size_t n, void *obj)
{
    if (n == 1)
        return HPDF_Dict_Add(el, "K", obj);
    if (!*k) {
        *k = HPDF_Array_New(mm);
        if (!*k || HPDF_Dict_Add(el, "K", *k) != HPDF_OK)
            return HPDF_FAILD_TO_ALLOC_MEM;
    }
    return HPDF_Array_Add(*k, obj);
}

/* A NonStruct group under el (indirect), for children past MAX_ARRAY. */
static HPDF_Dict new_group(HPDF_Doc pdf, HPDF_Dict el, HPDF_Array *k, size_t n, HPDF_Dict page)
{
    HPDF_Dict g = HPDF_Dict_New(pdf->mmgr);
    if (!g || HPDF_Xref_Add(pdf->xref, g) != HPDF_OK)
        return NULL;
    if (HPDF_Dict_AddName(g, "S", "NonStruct") != HPDF_OK ||
        HPDF_Dict_Add(g, "P", el) != HPDF_OK ||
        (page && HPDF_Dict_Add(g, "Pg", page) != HPDF_OK) ||
        add_kid(pdf->mmgr, el, k, n, g) != HPDF_OK)
        return NULL;
    return g;
}

/* The parent tree's /Nums for keys [from, to): each page's list of the
 * elements its MCIDs belong to, then each annotation's element. */
static int parent_nums(HPDF_Doc pdf, const dp_tagger *t, HPDF_Dict *owner_mc,
                       HPDF_Dict *owner_an, size_t from, size_t to, HPDF_Array nums)
{
    for (size_t key = from; key < to; key++) {
        if (HPDF_Array_AddNumber(nums, (HPDF_INT32)key) != HPDF_OK)
            return -1;
        if (key >= t->P->n) {
            if (HPDF_Array_Add(nums, owner_an[key - t->P->n]) != HPDF_OK)
                return -1;
            continue;
        }
        HPDF_Array list = HPDF_Array_New(pdf->mmgr);
        if (!list || HPDF_Array_Add(nums, list) != HPDF_OK)
            return -1;
        for (size_t i = t->page_mcs[key]; i < t->page_mcs[key + 1]; i++)
            if (HPDF_Array_Add(list, owner_mc[i]) != HPDF_OK)
                return -1;
    }
    return 0;
}

/* Keys in one node of the parent tree: two array entries each. */
#define LEAF_KEYS (MAX_ARRAY / 2)

/* The parent tree: one /Nums when it is small, else leaves of LEAF_KEYS
 * keys under /Kids, each with its /Limits. */
static int parent_tree(HPDF_Doc pdf, const dp_tagger *t, HPDF_Dict *owner_mc,
                       HPDF_Dict *owner_an, HPDF_Dict tree)
{
    HPDF_MMgr mm = pdf->mmgr;
    size_t keys = t->P->n + t->nannots;
    if (keys <= LEAF_KEYS) {
        HPDF_Array nums = HPDF_Array_New(mm);
        if (!nums || HPDF_Dict_Add(tree, "Nums", nums) != HPDF_OK)
            return -1;
        return parent_nums(pdf, t, owner_mc, owner_an, 0, keys, nums);
    }
    HPDF_Array kids = HPDF_Array_New(mm);
    if (!kids || HPDF_Dict_Add(tree, "Kids", kids) != HPDF_OK)
        return -1;
    for (size_t from = 0; from < keys; from += LEAF_KEYS) {
        size_t to = from + LEAF_KEYS < keys ? from + LEAF_KEYS : keys;
        HPDF_Dict leaf = HPDF_Dict_New(mm);
        HPDF_Array limits = HPDF_Array_New(mm), nums = HPDF_Array_New(mm);
        if (!leaf || HPDF_Xref_Add(pdf->xref, leaf) != HPDF_OK || !limits || !nums ||
            HPDF_Array_Add(kids, leaf) != HPDF_OK ||
            HPDF_Dict_Add(leaf, "Limits", limits) != HPDF_OK ||
            HPDF_Dict_Add(leaf, "Nums", nums) != HPDF_OK ||
            HPDF_Array_AddNumber(limits, (HPDF_INT32)from) != HPDF_OK ||
            HPDF_Array_AddNumber(limits, (HPDF_INT32)(to - 1)) != HPDF_OK ||
            parent_nums(pdf, t, owner_mc, owner_an, from, to, nums) != 0)
            return -1;
    }
    return 0;
}

/* An element's attributes: /Alt, /ActualText, /Lang, table attributes. */
static int attributes(HPDF_Doc pdf, HPDF_Dict el, const dp_elem *e)
{
    HPDF_MMgr mm = pdf->mmgr;
    int ok = 1;
    if (e->alt) {
        HPDF_Binary b = dp_hpdf_text_string(pdf, e->alt, strlen(e->alt));
        ok = b && HPDF_Dict_Add(el, "Alt", b) == HPDF_OK;
    }
    if (ok && e->actual) {
        HPDF_Binary b = dp_hpdf_text_string(pdf, e->actual, strlen(e->actual));
        ok = b && HPDF_Dict_Add(el, "ActualText", b) == HPDF_OK;
    }
    if (ok && e->lang)
        ok = HPDF_Dict_Add(el, "Lang", HPDF_String_New(mm, e->lang, NULL)) == HPDF_OK;
    if (ok && (e->scope || e->colspan > 1)) {
        HPDF_Dict a = HPDF_Dict_New(mm);
        ok = a && HPDF_Dict_AddName(a, "O", "Table") == HPDF_OK &&
             HPDF_Dict_Add(el, "A", a) == HPDF_OK;
        if (ok && e->scope)
            ok = HPDF_Dict_AddName(a, "Scope", e->scope == DP_SCOPE_ROW ? "Row" : "Column") ==
                 HPDF_OK;
        if (ok && e->colspan > 1)
            ok = HPDF_Dict_AddNumber(a, "ColSpan", e->colspan) == HPDF_OK;
    }
    return ok ? 0 : -1;
}

/* A marked-content reference on another page than its element's, or an
 * object reference (an annotation). */
static HPDF_Dict reference(HPDF_MMgr mm, const char *type, HPDF_Dict page, int mcid,
                           HPDF_Dict obj)
{
    HPDF_Dict r = HPDF_Dict_New(mm);
    if (!r || HPDF_Dict_AddName(r, "Type", type) != HPDF_OK ||
        HPDF_Dict_Add(r, "Pg", page) != HPDF_OK)
        return NULL;
    if (obj ? HPDF_Dict_Add(r, "Obj", obj) != HPDF_OK
            : HPDF_Dict_AddNumber(r, "MCID", mcid) != HPDF_OK)
        return NULL;
    return r;
}

/* The tree is written in three steps over the same index arrays (which
 * elements have content, their kids in order, the parent tree); they
 * share those arrays, so they stay in one function. */
dp_status dp_tagger_finish(dp_tagger *t, HPDF_Doc pdf, const HPDF_Page *pages)
{
    dp_status status = DP_OK;
    const dp_pages *P = t->P;
    HPDF_MMgr mm = pdf->mmgr;
    size_t ne = P->nelems;
    HPDF_Dict *dicts = NULL, *owner_mc = NULL, *owner_an = NULL;
    char *used = NULL;
    kid *kids = NULL;
    size_t *first_kid = NULL, *nkids = NULL;
    for (size_t p = t->page == SIZE_MAX ? 0 : t->page + 1; p <= P->n; p++)
        t->page_mcs[p] = t->nmcs;
    if (ne == 0)
        return DP_OK;
    // NOLINTBEGIN(bugprone-sizeof-expression): HPDF_Dict is a handle (a pointer)
    dicts = calloc(ne, sizeof *dicts);
    owner_mc = calloc(t->nmcs + 1, sizeof *owner_mc);
    owner_an = calloc(t->nannots + 1, sizeof *owner_an);
    // NOLINTEND(bugprone-sizeof-expression)
    used = calloc(ne, 1);
    kids = malloc((ne + t->nmcs + t->nannots) * sizeof *kids);
    first_kid = calloc(ne + 1, sizeof *first_kid);
    nkids = calloc(ne, sizeof *nkids);
    if (!dicts || !owner_mc || !owner_an || !used || !kids || !first_kid || !nkids) {
        status = DP_ENOMEM;
        goto done;
    }
    /* an element is written when it has content somewhere below it
     * (children come after their parents) */
    for (size_t i = 0; i < t->nmcs; i++)
        used[t->mcs[i].elem] = 1;
    for (size_t i = 0; i < t->nannots; i++)
        used[t->annots[i].elem] = 1;
    for (size_t i = ne; i-- > 1;)
        if (used[i] && P->elems[i].parent >= 0)
            used[P->elems[i].parent] = 1;
    used[0] = 1;
    size_t nk = 0;
    for (size_t i = 1; i < ne; i++) {
        int parent = P->elems[i].parent;
        /* an empty cell or row stays in a table that is written */
        if (!used[i] && kept_empty(P->elems[i].role) && parent >= 0 && used[parent])
            used[i] = 1;
        if (used[i] && parent >= 0 && used[parent])
            kids[nk++] = (kid){parent, P->elems[i].seq, KID_ELEM, i};
        else
            used[i] = 0;
    }
    for (size_t i = 0; i < t->nmcs; i++)
        kids[nk++] = (kid){t->mcs[i].elem, t->mcs[i].seq, KID_MCID, i};
    for (size_t i = 0; i < t->nannots; i++)
        kids[nk++] = (kid){t->annots[i].elem, t->annots[i].seq, KID_OBJR, i};
    qsort(kids, nk, sizeof *kids, kid_order);
    for (size_t i = nk; i-- > 0;) {
        first_kid[kids[i].parent] = i;
        nkids[kids[i].parent]++;
    }

    HPDF_Dict root = HPDF_Dict_New(mm);
    if (!root || HPDF_Xref_Add(pdf->xref, root) != HPDF_OK ||
        HPDF_Dict_AddName(root, "Type", "StructTreeRoot") != HPDF_OK) {
        status = DP_ERR;
        goto done;
    }
    for (size_t i = 0; i < ne; i++) {
        if (!used[i])
            continue;
        dicts[i] = HPDF_Dict_New(mm);
        if (!dicts[i] || HPDF_Xref_Add(pdf->xref, dicts[i]) != HPDF_OK) {
            status = DP_ERR;
            goto done;
        }
    }
    int ok = HPDF_Dict_Add(dicts[0], "P", root) == HPDF_OK;
    for (size_t i = 0; i < ne && ok; i++) {
        if (!used[i])
            continue;
        const dp_elem *e = &P->elems[i];
        HPDF_Dict el = dicts[i];
        ok = HPDF_Dict_AddName(el, "S", dp_role_name(e->role)) == HPDF_OK &&
             attributes(pdf, el, e) == 0;
        /* the page of its first MCID: MCIDs there are plain numbers */
        size_t pg = SIZE_MAX, n = nkids[i];
        for (size_t k = first_kid[i]; k < first_kid[i] + n; k++)
            if (kids[k].kind == KID_MCID) {
                pg = t->mcs[kids[k].ref].page;
                break;
            }
        HPDF_Dict page = pg != SIZE_MAX ? pages[pg] : NULL;
        if (ok && page)
            ok = HPDF_Dict_Add(el, "Pg", page) == HPDF_OK;
        /* the kids, in NonStruct groups when there are too many */
        HPDF_Array k = NULL, hk = NULL;
        HPDF_Dict holder = el;
        size_t hn = n, groups = (n + MAX_ARRAY - 1) / MAX_ARRAY;
        for (size_t j = 0; ok && j < n; j++) {
            const kid *c = &kids[first_kid[i] + j];
            if (n > MAX_ARRAY && j % MAX_ARRAY == 0) {
                holder = new_group(pdf, el, &k, groups, page);
                hk = NULL;
                hn = n - j < MAX_ARRAY ? n - j : MAX_ARRAY;
                if (!holder) {
                    ok = 0;
                    break;
                }
            }
            HPDF_Array *into = holder == el ? &k : &hk;
            void *obj;
            if (c->kind == KID_ELEM) {
                obj = dicts[c->ref];
                ok = HPDF_Dict_Add(dicts[c->ref], "P", holder) == HPDF_OK;
            } else if (c->kind == KID_MCID) {
                const mc_rec *m = &t->mcs[c->ref];
                owner_mc[c->ref] = holder;
                obj = m->page == pg ? (void *)HPDF_Number_New(mm, m->mcid)
                                    : (void *)reference(mm, "MCR", pages[m->page], m->mcid, NULL);
            } else {
                const annot_rec *a = &t->annots[c->ref];
                owner_an[c->ref] = holder;
                obj = reference(mm, "OBJR", pages[a->page], 0, a->annot);
            }
            ok = ok && obj && add_kid(mm, holder, into, hn, obj) == HPDF_OK;
        }
    }
    if (!ok) {
        status = DP_ERR;
        goto done;
    }

    /* the parent tree; tab order follows the structure */
    HPDF_Dict tree = HPDF_Dict_New(mm);
    if (!tree || HPDF_Dict_Add(root, "ParentTree", tree) != HPDF_OK ||
        HPDF_Dict_Add(root, "K", dicts[0]) != HPDF_OK ||
        HPDF_Dict_AddNumber(root, "ParentTreeNextKey",
                            (HPDF_INT32)(P->n + t->nannots)) != HPDF_OK ||
        parent_tree(pdf, t, owner_mc, owner_an, tree) != 0) {
        status = DP_ERR;
        goto done;
    }
    for (size_t p = 0; p < P->n; p++)
        if (HPDF_Dict_AddNumber(pages[p], "StructParents", (HPDF_INT32)p) != HPDF_OK ||
            HPDF_Dict_AddName(pages[p], "Tabs", "S") != HPDF_OK) {
            status = DP_ERR;
            goto done;
        }
    HPDF_Dict mark = HPDF_Dict_New(mm);
    if (!mark || HPDF_Dict_AddBoolean(mark, "Marked", HPDF_TRUE) != HPDF_OK ||
        HPDF_Dict_Add(pdf->catalog, "MarkInfo", mark) != HPDF_OK ||
        HPDF_Dict_Add(pdf->catalog, "StructTreeRoot", root) != HPDF_OK)
        status = DP_ERR;
done:
    free(dicts);
    free(owner_mc);
    free(owner_an);
    free(used);
    free(kids);
    free(first_kid);
    free(nkids);
    /* libharu reports its own failures through the document's handler;
     * one it did not see was one of our allocations */
    if (status == DP_ERR && HPDF_GetError(pdf) == HPDF_OK)
        status = DP_ENOMEM;
    return status;
}
