/* The subset plan and the font program (hb-subset), built possibly on
 * another thread while the pages are drawn. */
#include <stdlib.h>
#include <string.h>

#include <hb-subset.h>
#include <hb.h>

#include "base/status.h"
#include "cidfont_int.h"
#include "deflate.h"

/* The subsetter's source: only the tables an embedded program needs
 * (TrueType: glyf and loca, CFF: its table, with the metrics tables the
 * subsetter reads; a face has one kind of outlines). Without cmap and the layout tables the subset plan has no
 * character map to walk and no substitutions to close over, which was
 * most of its cost; the PDF reaches glyphs by CID alone. */
static hb_blob_t *program_table(hb_face_t *face, hb_tag_t tag, void *user)
{
    static const char *const keep[] = {"glyf", "loca", "CFF ", "head", "hhea", "hmtx", "maxp"};
    (void)face;
    for (size_t i = 0; i < sizeof keep / sizeof keep[0]; i++) {
        if (tag == hb_tag_from_string(keep[i], 4))
            return hb_face_reference_table(user, tag);
    }
    return NULL;
}

static void unref_face(void *face)
{
    hb_face_destroy(face);
}

dp_status dp_cidfont_plan(dp_cidfont *f)
{
    dp_status status = DP_OK;
    if (f->planned || f->finished) {
        dp_error(f->diags, f->path, 0, "glyph set planned twice");
        return DP_ERR;
    }
    hb_subset_input_t *in = hb_subset_input_create_or_fail();
    DP_CHECK_ALLOC(in);
    f->source = hb_face_create_for_tables(program_table, hb_face_reference(f->face),
                                          unref_face);
    hb_set_t *glyphs = hb_subset_input_glyph_set(in);
    hb_set_add(glyphs, 0);
    for (unsigned g = 0; g < f->nglyphs; g++) {
        if (f->used[g])
            hb_set_add(glyphs, g);
    }
    /* CFF charstrings without subroutines deflate better than the
     * subroutines they share (the Noto style's seed PDF: 456 → 421 KB) */
    unsigned flags = HB_SUBSET_FLAGS_NO_HINTING;
    if (f->kind != DP_OUTLINE_GLYF)
        flags |= HB_SUBSET_FLAGS_DESUBROUTINIZE;
    hb_subset_input_set_flags(in, flags);
    f->plan = hb_subset_plan_create_or_fail(f->source, in);
    if (!f->plan) {
        dp_error(f->diags, f->path, 0, "cannot plan the font subset");
        status = DP_EFONT;
        goto done;
    }
    const hb_map_t *map = hb_subset_plan_old_to_new_glyph_mapping(f->plan);
    f->ncids = hb_map_get_population(map);
    for (unsigned g = 0; g < f->nglyphs; g++) {
        if (!f->used[g] && g != 0)
            continue;
        hb_codepoint_t to = hb_map_get(map, g);
        if (to == HB_MAP_VALUE_INVALID || to >= f->ncids || to > 0xFFFE) {
            dp_error(f->diags, f->path, 0, "glyph %u left out of the subset", g);
            status = DP_EFONT;
            goto done;
        }
        /* a CID-keyed CFF subset keeps each glyph's CID in its charset:
         * the code is that CID (checked against the program once built) */
        unsigned code = f->cff_cid ? f->cff_cid[g] : to;
        if (code > 0xFFFE) {
            dp_error(f->diags, f->path, 0, "glyph %u has CID %u, beyond two-byte codes", g, code);
            status = DP_EFONT;
            goto done;
        }
        f->cid[g] = (uint16_t)(code + 1);
        if (code + 1 > f->ncodes)
            f->ncodes = code + 1;
    }
    f->planned = 1;
done:
    hb_subset_input_destroy(in);
    return status;
}

size_t dp_cidfont_used(const dp_cidfont *f)
{
    return f->nused;
}

int dp_cidfont_cid(const dp_cidfont *f, uint32_t gid)
{
    return gid < f->nglyphs && f->cid[gid] ? f->cid[gid] - 1 : -1;
}

/*
 * The CFF table of the subset font out (taking out's reference), or NULL
 * when it does not hold every glyph as planned: a CID-keyed program must
 * give each used glyph the CID it is written as (its charset keeps the
 * original CIDs), a name-keyed one is reached by glyph id and needs only
 * as many glyphs. Runs before the plan is freed (its mapping is read).
 */
static hb_blob_t *cff_program(dp_cidfont *f, hb_blob_t *out)
{
    hb_face_t *face = hb_face_create(out, 0);
    hb_blob_destroy(out);
    const uint8_t *p;
    unsigned len = 0;
    hb_blob_t *cff = dp_cidfont_table(face, "CFF ", &p, &len);
    hb_face_destroy(face);
    dp_cff_info info;
    uint16_t *cids = calloc(f->ncids ? f->ncids : 1, sizeof *cids);
    int ok = cids && len > 0 && dp_cff_read(p, len, &info, cids, f->ncids) == 0 &&
             info.nglyphs >= f->ncids && info.cid_keyed == (f->kind == DP_OUTLINE_CFF_CID);
    const hb_map_t *map = hb_subset_plan_old_to_new_glyph_mapping(f->plan);
    for (unsigned g = 0; ok && g < f->nglyphs; g++) {
        if (!f->cid[g])
            continue;
        hb_codepoint_t to = hb_map_get(map, g);
        unsigned want = f->cid[g] - 1u;
        ok = to < f->ncids && (f->kind == DP_OUTLINE_CFF_CID ? cids[to] == want : to == want);
    }
    free(cids);
    if (!ok) {
        hb_blob_destroy(cff);
        return NULL;
    }
    return cff;
}

void dp_cidfont_build(dp_cidfont *f)
{
    if (f->built || !f->planned)
        return;
    f->built = 1;
    hb_face_t *sub = hb_subset_plan_execute_or_fail(f->plan);
    hb_blob_t *out = sub ? hb_face_reference_blob(sub) : NULL;
    hb_face_destroy(sub);
    if (out && f->kind != DP_OUTLINE_GLYF)
        out = cff_program(f, out);
    /* the plan and its source are done with: freed here, off the main
     * thread (the codes stay in cid[]) */
    hb_subset_plan_destroy(f->plan);
    f->plan = NULL;
    hb_face_destroy(f->source);
    f->source = NULL;
    if (!out)
        return;

    /* The subsetter's face is a builder; a face made from the bytes is
     * what a PDF reader will see: it must hold every glyph we number. */
    if (out && f->kind == DP_OUTLINE_GLYF) {
        hb_face_t *check = hb_face_create(out, 0);
        const uint8_t *p;
        unsigned glen = 0;
        hb_blob_t *g = dp_cidfont_table(check, "glyf", &p, &glen);
        hb_blob_destroy(g);
        if (hb_face_get_glyph_count(check) < f->ncids || glen == 0) {
            hb_blob_destroy(out);
            out = NULL;
        }
        hb_face_destroy(check);
    }
    f->program = out;
    /* deflated here too: on the builder thread it is off the critical
     * path (the largest stream of a document) */
    if (out) {
        unsigned len = 0;
        f->zprogram.in = (const uint8_t *)hb_blob_get_data(out, &len);
        f->zprogram.in_len = len;
        /* out of memory: finish fails (writing the program whole would
         * give other bytes than a build with memory to spare) */
        if (dp_deflate_run(&f->zprogram, 1, 1, DP_DEFLATE_FONTS) != DP_OK)
            f->build_nomem = 1;
    }
}

