/* The PDF objects of an embedded font, written once every page is drawn:
 * font program stream, FontDescriptor, descendant CIDFont with /DW and
 * /W, ToUnicode, and the Type0 font's last entries. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <hb.h>

#include "hpdf_private.h" /* libharu internals, version-gated */

#include "base/buf.h"
#include "base/status.h"
#include "cidfont_int.h"
#include "hpdf_ext.h"

/* ---- finish ------------------------------------------------------------ */

/* Six letters from an FNV-1a hash of the glyph set and the font name. */
static void subset_tag(const dp_cidfont *f, const uint16_t *gids, size_t n,
                       char tag[7])
{
    uint64_t h = 0xcbf29ce484222325u;
    for (const char *s = f->psname; *s; s++)
        h = (h ^ (unsigned char)*s) * 0x100000001b3u;
    for (size_t i = 0; i < n; i++) {
        // NOLINTNEXTLINE(clang-analyzer-core.UndefinedBinaryOperatorResult): gids[0..n) are all set: used[] holds only 0 or 1, so n counts exactly the glyphs stored
        h = (h ^ (gids[i] >> 8)) * 0x100000001b3u;
        h = (h ^ (gids[i] & 0xFF)) * 0x100000001b3u;
    }
    for (int i = 0; i < 6; i++) {
        tag[i] = (char)('A' + h % 26);
        h /= 26;
    }
    tag[6] = '\0';
}

static int cmp_int(const void *a, const void *b)
{
    int x = *(const int *)a, y = *(const int *)b;
    return (x > y) - (x < y);
}

/* The most common of widths wd[0..n) (the smaller on a tie): it becomes
 * /DW and those glyphs stay out of /W. 1000 when n is 0; -1 when out of
 * memory. */
static int common_width(const int *wd, size_t n)
{
    int best = 1000;
    int *w = malloc((n ? n : 1) * sizeof *w);
    if (!w)
        return -1;
    memcpy(w, wd, n * sizeof *w);
    qsort(w, n, sizeof *w, cmp_int);
    size_t best_count = 0;
    for (size_t i = 0, j; i < n; i = j) {
        for (j = i + 1; j < n && w[j] == w[i];)
            j++;
        if (j - i > best_count) {
            best = w[i];
            best_count = j - i;
        }
    }
    free(w);
    return best;
}

/*
 * /W for codes[0..n) (ascending) of widths wd[]: those whose width
 * differs from dw, in runs of consecutive codes; a run with one width
 * throughout is "first last w", others "first [w ...]".
 */
static HPDF_STATUS fill_widths(HPDF_MMgr mmgr, HPDF_Array w, const uint16_t *codes,
                               const int *wd, size_t n, int dw)
{
    for (size_t i = 0; i < n;) {
        if (wd[i] == dw) {
            i++;
            continue;
        }
        size_t j = i + 1;
        int same = 1;
        while (j < n && codes[j] == codes[j - 1] + 1 && wd[j] != dw) {
            same &= wd[j] == wd[i];
            j++;
        }
        if (HPDF_Array_AddNumber(w, codes[i]) != HPDF_OK)
            return HPDF_FAILD_TO_ALLOC_MEM;
        if (j - i > 1 && same) {
            if (HPDF_Array_AddNumber(w, codes[j - 1]) != HPDF_OK ||
                HPDF_Array_AddNumber(w, wd[i]) != HPDF_OK)
                return HPDF_FAILD_TO_ALLOC_MEM;
        } else {
            HPDF_Array run = HPDF_Array_New(mmgr);
            if (!run || HPDF_Array_Add(w, run) != HPDF_OK)
                return HPDF_FAILD_TO_ALLOC_MEM;
            for (size_t k = i; k < j; k++) {
                if (HPDF_Array_AddNumber(run, wd[k]) != HPDF_OK)
                    return HPDF_FAILD_TO_ALLOC_MEM;
            }
        }
        i = j;
    }
    return HPDF_OK;
}

/* A new indirect dictionary (or stream), owned by the document. */
static HPDF_Dict new_dict(dp_cidfont *f, int stream)
{
    HPDF_Dict d;
    if (stream) {
        d = dp_hpdf_stream_new(f->pdf);
        if (d)
            d->filter = HPDF_STREAM_FILTER_FLATE_DECODE;
        return d;
    }
    d = HPDF_Dict_New(f->pdf->mmgr);
    if (d && HPDF_Xref_Add(f->pdf->xref, d) != HPDF_OK)
        return NULL;
    return d;
}

/* The font's objects in the order they refer to each other (program,
 * FontDescriptor, CIDFont with /W, ToUnicode, Type0); kept whole because
 * each dictionary takes the one written before it. */
dp_status dp_cidfont_finish(dp_cidfont *f)
{
    dp_status status = DP_OK;
    uint16_t *gids = NULL;   /* used glyphs, original ids, ascending */
    uint16_t *codes = NULL;  /* their codes, ascending */
    int *wd = NULL;          /* and widths, by code */
    uint32_t *glyph_of = NULL; /* code → original glyph id, or UINT32_MAX */
    const char **texts = NULL;
    size_t *lens = NULL;
    uint16_t *map_codes = NULL;
    dp_buf cmap;
    dp_buf_init(&cmap);
    HPDF_MMgr mmgr = f->pdf->mmgr;

    if (f->finished) {
        dp_error(f->diags, f->path, 0, "font finished twice");
        return DP_ERR;
    }
    if (!f->planned)
        DP_TRY(dp_cidfont_plan(f));
    dp_cidfont_build(f);
    f->finished = 1;

    size_t n = f->nused;
    gids = malloc((n ? n : 1) * sizeof *gids);
    codes = malloc((n ? n : 1) * sizeof *codes);
    wd = malloc((n ? n : 1) * sizeof *wd);
    texts = malloc((n ? n : 1) * sizeof *texts);
    lens = malloc((n ? n : 1) * sizeof *lens);
    map_codes = malloc((n ? n : 1) * sizeof *map_codes);
    glyph_of = malloc((f->ncodes ? f->ncodes : 1) * sizeof *glyph_of);
    DP_CHECK_ALLOC(gids);
    DP_CHECK_ALLOC(codes);
    DP_CHECK_ALLOC(wd);
    DP_CHECK_ALLOC(texts);
    DP_CHECK_ALLOC(lens);
    DP_CHECK_ALLOC(map_codes);
    DP_CHECK_ALLOC(glyph_of);
    for (unsigned c = 0; c < f->ncodes; c++)
        glyph_of[c] = UINT32_MAX;
    for (unsigned g = 0, i = 0; g < f->nglyphs; g++) {
        if (f->used[g]) {
            gids[i++] = (uint16_t)g;
            glyph_of[f->cid[g] - 1] = g;
        }
    }
    size_t nmap = 0;
    for (unsigned c = 0, i = 0; c < f->ncodes; c++) {
        uint32_t g = glyph_of[c];
        if (g == UINT32_MAX)
            continue; /* .notdef or a component the subset pulled in */
        codes[i] = (uint16_t)c;
        wd[i++] = f->widths[g];
        if (f->map_off[g]) {
            map_codes[nmap] = (uint16_t)c;
            texts[nmap] = f->maps.data + f->map_off[g] - 1;
            lens[nmap] = f->map_len[g];
            nmap++;
        }
    }

    char name[80];
    char tag[7];
    subset_tag(f, gids, n, tag);
    snprintf(name, sizeof name, "%s+%s", tag, f->psname);
    snprintf(((HPDF_FontAttr)f->type0->attr)->fontdef->base_font,
             HPDF_LIMIT_MAX_NAME_LEN + 1, "%s", name);

    if (f->build_nomem) {
        status = DP_ENOMEM;
        goto done;
    }
    if (!f->program) {
        dp_error(f->diags, f->path, 0, "cannot subset the font (%zu glyphs)",
                 n);
        status = DP_EFONT;
        goto done;
    }

    const struct dp_cidfont_metrics m = f->m;

    /* FontFile2 (TrueType) or FontFile3 (the bare CFF table) */
    int truetype = f->kind == DP_OUTLINE_GLYF;
    int cff_cid = f->kind == DP_OUTLINE_CFF_CID;
    HPDF_Dict file = new_dict(f, 1);
    if (!file)
        goto fail;
    unsigned plen = 0;
    const char *pdata = hb_blob_get_data(f->program, &plen);
    if (truetype ? HPDF_Dict_AddNumber(file, "Length1", (HPDF_INT32)plen) != HPDF_OK
                 : HPDF_Dict_AddName(file, "Subtype", "CIDFontType0C") != HPDF_OK)
        goto fail;
    if (f->zprogram.out) {
        if (HPDF_Stream_Write(file->stream, f->zprogram.out,
                              (HPDF_UINT)f->zprogram.out_len) != HPDF_OK)
            goto fail;
        dp_hpdf_mark_deflated(file);
    } else if (HPDF_Stream_Write(file->stream, (const HPDF_BYTE *)pdata, plen) !=
               HPDF_OK) {
        goto fail;
    }
    /* the document holds the program now */
    hb_blob_destroy(f->program);
    f->program = NULL;
    free(f->zprogram.out);
    f->zprogram.out = NULL;

    /* FontDescriptor */
    HPDF_Dict desc = new_dict(f, 0);
    if (!desc)
        goto fail;
    HPDF_Array bbox = HPDF_Array_New(mmgr);
    if (HPDF_Dict_AddName(desc, "Type", "FontDescriptor") != HPDF_OK ||
        HPDF_Dict_AddName(desc, "FontName", name) != HPDF_OK ||
        HPDF_Dict_AddNumber(desc, "Flags", m.flags) != HPDF_OK ||
        !bbox || HPDF_Dict_Add(desc, "FontBBox", bbox) != HPDF_OK)
        goto fail;
    for (int i = 0; i < 4; i++) {
        if (HPDF_Array_AddNumber(bbox, m.bbox[i]) != HPDF_OK)
            goto fail;
    }
    if (HPDF_Dict_AddReal(desc, "ItalicAngle", (HPDF_REAL)m.italic_angle) !=
            HPDF_OK ||
        HPDF_Dict_AddNumber(desc, "Ascent", m.ascent) != HPDF_OK ||
        HPDF_Dict_AddNumber(desc, "Descent", m.descent) != HPDF_OK ||
        HPDF_Dict_AddNumber(desc, "CapHeight", m.cap_height) != HPDF_OK ||
        HPDF_Dict_AddNumber(desc, "StemV", m.stem_v) != HPDF_OK ||
        HPDF_Dict_Add(desc, truetype ? "FontFile2" : "FontFile3", file) != HPDF_OK)
        goto fail;

    /* CIDFontType2 (glyph = code: CIDToGIDMap /Identity) or CIDFontType0
     * (a CID-keyed program maps CIDs to glyphs itself and names its
     * character collection; a name-keyed one is reached by glyph id) */
    HPDF_Dict cid = new_dict(f, 0);
    if (!cid)
        goto fail;
    HPDF_Dict info = HPDF_Dict_New(mmgr);
    if (HPDF_Dict_AddName(cid, "Type", "Font") != HPDF_OK ||
        HPDF_Dict_AddName(cid, "Subtype", truetype ? "CIDFontType2" : "CIDFontType0") !=
            HPDF_OK ||
        HPDF_Dict_AddName(cid, "BaseFont", name) != HPDF_OK ||
        !info || HPDF_Dict_Add(cid, "CIDSystemInfo", info) != HPDF_OK ||
        HPDF_Dict_Add(info, "Registry", HPDF_String_New(mmgr, cff_cid ? f->registry : "Adobe",
                                                        NULL)) != HPDF_OK ||
        HPDF_Dict_Add(info, "Ordering",
                      HPDF_String_New(mmgr, cff_cid ? f->ordering : "Identity", NULL)) !=
            HPDF_OK ||
        HPDF_Dict_AddNumber(info, "Supplement", cff_cid ? f->supplement : 0) != HPDF_OK ||
        HPDF_Dict_Add(cid, "FontDescriptor", desc) != HPDF_OK ||
        (truetype && HPDF_Dict_AddName(cid, "CIDToGIDMap", "Identity") != HPDF_OK))
        goto fail;
    int dw = common_width(wd, n);
    if (dw < 0) {
        status = DP_ENOMEM;
        goto done;
    }
    if (HPDF_Dict_AddNumber(cid, "DW", dw) != HPDF_OK)
        goto fail;
    HPDF_Array w = HPDF_Array_New(mmgr);
    if (!w || HPDF_Dict_Add(cid, "W", w) != HPDF_OK ||
        fill_widths(mmgr, w, codes, wd, n, dw) != HPDF_OK)
        goto fail;

    /* ToUnicode */
    status = dp_cidfont_write_cmap(&cmap, map_codes, texts, lens, nmap);
    if (status < 0) {
        dp_error(f->diags, f->path, 0, "cannot write the ToUnicode CMap");
        goto done;
    }
    HPDF_Dict tou = new_dict(f, 1);
    if (!tou || HPDF_Stream_Write(tou->stream, (const HPDF_BYTE *)cmap.data,
                                  (HPDF_UINT)cmap.len) != HPDF_OK)
        goto fail;

    /* Type0 */
    HPDF_Array desc_fonts = HPDF_Array_New(mmgr);
    if (HPDF_Dict_AddName(f->type0, "BaseFont", name) != HPDF_OK ||
        !desc_fonts ||
        HPDF_Dict_Add(f->type0, "DescendantFonts", desc_fonts) != HPDF_OK ||
        HPDF_Array_Add(desc_fonts, cid) != HPDF_OK ||
        HPDF_Dict_Add(f->type0, "ToUnicode", tou) != HPDF_OK)
        goto fail;
    goto done;

fail:
    status = dp_cidfont_fail(f, "embedded font");
done:
    dp_buf_dispose(&cmap);
    free(gids);
    free(codes);
    free(wd);
    free(glyph_of);
    free(texts);
    free(lens);
    free(map_codes);
    return status;
}

