/*
 * Type0 / CIDFontType2 fonts built as plain libharu objects.
 *
 * The Type0 dictionary is created (and registered as an indirect object)
 * when the font is opened, so pages can select it with
 * HPDF_Page_SetFontAndSize() at once; everything that depends on the
 * final glyph set (BaseFont with its subset tag, descendant font, /W,
 * FontFile2, ToUnicode) is added by dp_cidfont_finish().
 *
 * The glyph set is fixed before the first page is drawn (use, then plan):
 * the subset then numbers its glyphs 0..n-1 and those numbers are the
 * codes written in the content streams (Identity-H, CIDToGIDMap
 * /Identity). Dense numbers keep the embedded loca and hmtx tables, /W
 * and the content streams small, and let the font program be built on
 * another thread while the pages are drawn.
 */
#include "pdf/cidfont.h"

#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <hb-ot.h>
#include <hb-subset.h>
#include <hb.h>

#include "hpdf_private.h" /* libharu internals, version-gated */

#include "base/buf.h"
#include "base/status.h"
#include "base/utf8.h"
#include "deflate.h"
#include "hpdf_ext.h"
#include "text/font_face.h"

/* A ToUnicode destination may be 512 bytes: a cluster longer than 128
 * UTF-16 units (256 bytes) is not mapped; its text goes in ActualText. */
#define MAX_MAP_UNITS 128

struct metrics {
    int bbox[4];
    int ascent, descent, cap_height, stem_v;
    double italic_angle;
    int flags;
};

struct dp_cidfont {
    HPDF_Doc pdf;
    HPDF_Font type0; /* owned by the document */
    dp_diags *diags; /* for show/finish messages; outlives the font */
    char *path;
    char psname[64];

    hb_blob_t *blob;
    hb_face_t *face;
    hb_font_t *font; /* scale = upem: advances in font units */
    unsigned upem, nglyphs;

    int *widths;    /* per glyph, 1/1000 em, rounded; set for used glyphs */
    uint8_t *used;  /* per glyph: declared by dp_cidfont_use() */
    size_t nused;
    uint16_t *cid;  /* per glyph: its code in the subset + 1; 0: not in it */
    unsigned ncids; /* glyphs in the subset */
    hb_face_t *source;        /* the tables a PDF font program needs */
    hb_subset_plan_t *plan;   /* set by dp_cidfont_plan(), freed once built */
    int planned;              /* dp_cidfont_plan() succeeded: cid[] is final */
    hb_blob_t *program;       /* set by dp_cidfont_build() */
    dp_deflate_job zprogram;  /* program deflated, by dp_cidfont_build() */
    int built;                /* dp_cidfont_build() ran (program may be NULL) */
    int build_nomem;          /* ... but could not deflate it: finish fails */
    size_t *map_off; /* per glyph: offset into maps + 1; 0 = no text */
    uint16_t *map_len;
    dp_buf maps;    /* UTF-8 text of every mapping, back to back */
    struct metrics m; /* for the FontDescriptor, in 1/1000 em */
    int finished;
};

/* ---- small helpers --------------------------------------------------- */

static void font_attr_free(HPDF_Dict obj)
{
    HPDF_FontAttr attr = obj->attr;
    if (attr) {
        if (attr->fontdef)
            HPDF_FreeMem(obj->mmgr, attr->fontdef);
        HPDF_FreeMem(obj->mmgr, attr);
        obj->attr = NULL;
    }
}

static dp_status hpdf_fail(dp_cidfont *f, const char *what)
{
    HPDF_STATUS code = HPDF_GetError(f->pdf);
    dp_error(f->diags, f->path, 0,
             "cannot build the PDF font objects (%s, libharu error 0x%04X)",
             what, (unsigned)code);
    HPDF_ResetError(f->pdf);
    return DP_ERR;
}

static uint16_t be16(const uint8_t *p)
{
    return (uint16_t)(p[0] << 8 | p[1]);
}

/* A view of an sfnt table, len 0 when absent; the caller destroys the
 * returned blob, which owns the bytes. */
static hb_blob_t *table(hb_face_t *face, const char *tag, const uint8_t **data,
                        unsigned *len)
{
    hb_blob_t *b = hb_face_reference_table(face, hb_tag_from_string(tag, 4));
    *data = (const uint8_t *)hb_blob_get_data(b, len);
    return b;
}

static int to_1000(const dp_cidfont *f, double units)
{
    return (int)lround(units * 1000.0 / f->upem);
}

/* Keeps the characters a PDF name and a PostScript name may both hold. */
static void set_psname(dp_cidfont *f)
{
    char raw[128];
    unsigned len = sizeof raw;
    raw[0] = '\0';
    hb_ot_name_get_utf8(f->face, HB_OT_NAME_ID_POSTSCRIPT_NAME,
                        HB_LANGUAGE_INVALID, &len, raw);
    if (!raw[0]) {
        const char *base = strrchr(f->path, '/');
        base = base ? base + 1 : f->path;
        snprintf(raw, sizeof raw, "%s", base);
        char *dot = strrchr(raw, '.');
        if (dot)
            *dot = '\0';
    }
    size_t o = 0;
    for (const char *s = raw; *s && o + 1 < sizeof f->psname; s++) {
        unsigned char c = (unsigned char)*s;
        if (c > 0x20 && c < 0x7f && !strchr("()<>[]{}/%#", c))
            f->psname[o++] = (char)c;
    }
    if (o == 0)
        o = (size_t)snprintf(f->psname, sizeof f->psname, "Font");
    f->psname[o] = '\0';
}

static void read_metrics(dp_cidfont *f, struct metrics *m)
{
    const uint8_t *p;
    unsigned len;
    memset(m, 0, sizeof *m);

    hb_blob_t *b = table(f->face, "head", &p, &len);
    if (len >= 44) {
        for (int i = 0; i < 4; i++)
            m->bbox[i] = to_1000(f, (int16_t)be16(p + 36 + 2 * (size_t)i));
    }
    hb_blob_destroy(b);

    /* Typo metrics when the font asks for them, else hhea; the cap
     * height falls back to the height of 'H'. */
    hb_position_t v;
    m->ascent = hb_ot_metrics_get_position(
                    f->font, HB_OT_METRICS_TAG_HORIZONTAL_ASCENDER, &v)
                    ? to_1000(f, v)
                    : m->bbox[3];
    m->descent = hb_ot_metrics_get_position(
                     f->font, HB_OT_METRICS_TAG_HORIZONTAL_DESCENDER, &v)
                     ? to_1000(f, v)
                     : m->bbox[1];
    hb_ot_metrics_get_position_with_fallback(
        f->font, HB_OT_METRICS_TAG_CAP_HEIGHT, &v);
    m->cap_height = to_1000(f, v);

    /* post: italicAngle is 16.16 fixed at 4, isFixedPitch at 12. */
    int fixed = 0;
    b = table(f->face, "post", &p, &len);
    if (len >= 16) {
        int32_t a = (int32_t)((uint32_t)be16(p + 4) << 16 | be16(p + 6));
        m->italic_angle = a / 65536.0;
        fixed = be16(p + 12) || be16(p + 14);
    }
    hb_blob_destroy(b);

    /* OS/2: usWeightClass at 4, fsSelection at 62, sFamilyClass at 30,
     * PANOSE at 32 (bFamilyType, bSerifStyle, ...). */
    unsigned weight = 400;
    int serif = 0, italic = m->italic_angle != 0;
    b = table(f->face, "OS/2", &p, &len);
    if (len >= 64) {
        weight = be16(p + 4);
        int cls = p[30];
        int serif_style = p[33];
        serif = (cls >= 1 && cls <= 7 && cls != 6) ||
                (p[32] == 2 && serif_style >= 2 && serif_style <= 10);
        if (be16(p + 62) & 1)
            italic = 1;
    }
    hb_blob_destroy(b);
    if (weight < 100 || weight > 900)
        weight = 400;
    /* TrueType carries no stem width; this common estimate from the
     * weight class gives 87 for regular (400) and 165 for bold (700). */
    m->stem_v = 50 + (int)((weight / 65.0) * (weight / 65.0));

    /* Symbolic, not Nonsymbolic: a CID font's glyphs are outside the
     * standard Latin character set. */
    m->flags = 4;
    if (fixed)
        m->flags |= 1;
    if (serif)
        m->flags |= 2;
    if (italic)
        m->flags |= 64;
}

/* ---- open / close ---------------------------------------------------- */

dp_status dp_cidfont_new(dp_cidfont **out, HPDF_Doc pdf, const dp_font *font,
                         dp_diags *d)
{
    dp_status status = DP_OK;
    dp_cidfont *f = NULL;
    *out = NULL;

    f = calloc(1, sizeof *f);
    DP_CHECK_ALLOC(f);
    dp_buf_init(&f->maps);
    f->pdf = pdf;
    f->diags = d;
    f->path = strdup(dp_font_path(font));
    DP_CHECK_ALLOC(f->path);

    /* the file as the font set mapped it for shaping, not read again */
    f->blob = hb_blob_reference(font->blob);
    f->face = hb_face_reference(font->face);
    f->nglyphs = hb_face_get_glyph_count(f->face);
    f->upem = hb_face_get_upem(f->face);
    {
        const uint8_t *p;
        unsigned glen = 0, llen = 0;
        hb_blob_t *g = table(f->face, "glyf", &p, &glen);
        hb_blob_t *l = table(f->face, "loca", &p, &llen);
        hb_blob_destroy(g);
        hb_blob_destroy(l);
        if (f->nglyphs == 0 || glen == 0 || llen == 0) {
            dp_error(d, f->path, 0,
                     "not a TrueType font (no glyf outlines at face %u)", font->index);
            status = DP_EFONT;
            goto done;
        }
    }
    f->font = hb_font_create(f->face);
    hb_font_set_scale(f->font, (int)f->upem, (int)f->upem);

    f->widths = calloc(f->nglyphs, sizeof *f->widths);
    f->used = calloc(f->nglyphs, 1);
    f->cid = calloc(f->nglyphs, sizeof *f->cid);
    f->map_off = calloc(f->nglyphs, sizeof *f->map_off);
    f->map_len = calloc(f->nglyphs, sizeof *f->map_len);
    DP_CHECK_ALLOC(f->widths);
    DP_CHECK_ALLOC(f->used);
    DP_CHECK_ALLOC(f->cid);
    DP_CHECK_ALLOC(f->map_off);
    DP_CHECK_ALLOC(f->map_len);
    set_psname(f);
    read_metrics(f, &f->m);

    /* The Type0 dictionary: registered in the xref at once (a second page
     * can only share an indirect font) and marked as a libharu font with
     * the attributes HPDF_Page_SetFontAndSize() looks at. */
    HPDF_MMgr mmgr = pdf->mmgr;
    f->type0 = HPDF_Dict_New(mmgr);
    if (!f->type0 || HPDF_Xref_Add(pdf->xref, f->type0) != HPDF_OK) {
        f->type0 = NULL;
        status = hpdf_fail(f, "Type0 font");
        goto done;
    }
    HPDF_FontAttr attr = HPDF_GetMem(mmgr, sizeof *attr);
    if (!attr) {
        status = hpdf_fail(f, "font attributes");
        goto done;
    }
    memset(attr, 0, sizeof *attr);
    attr->type = HPDF_FONT_TYPE0_TT;
    attr->writing_mode = HPDF_WMODE_HORIZONTAL;
    attr->xref = pdf->xref;
    f->type0->attr = attr;
    f->type0->free_fn = font_attr_free;
    /* libharu's HPDF_Font_Get* read the font definition; one with the
     * name and metrics keeps them working (and not crashing) for this
     * font. Its type is none of libharu's, so libharu measures nothing
     * with it. */
    HPDF_FontDef def = HPDF_GetMem(mmgr, sizeof *def);
    if (!def) {
        status = hpdf_fail(f, "font definition");
        goto done;
    }
    memset(def, 0, sizeof *def);
    def->sig_bytes = HPDF_FONTDEF_SIG_BYTES;
    snprintf(def->base_font, sizeof def->base_font, "%s", f->psname);
    def->mmgr = mmgr;
    def->error = mmgr->error;
    def->type = HPDF_FONTDEF_TYPE_UNINITIALIZED;
    def->ascent = (HPDF_INT16)f->m.ascent;
    def->descent = (HPDF_INT16)f->m.descent;
    def->flags = (HPDF_UINT)f->m.flags;
    def->font_bbox.left = (HPDF_REAL)f->m.bbox[0];
    def->font_bbox.bottom = (HPDF_REAL)f->m.bbox[1];
    def->font_bbox.right = (HPDF_REAL)f->m.bbox[2];
    def->font_bbox.top = (HPDF_REAL)f->m.bbox[3];
    def->italic_angle = (HPDF_INT16)lround(f->m.italic_angle);
    def->stemv = (HPDF_UINT16)f->m.stem_v;
    def->cap_height = (HPDF_UINT16)(f->m.cap_height > 0 ? f->m.cap_height : 0);
    def->valid = HPDF_TRUE;
    attr->fontdef = def;
    f->type0->header.obj_class |= HPDF_OSUBCLASS_FONT;
    if (HPDF_Dict_AddName(f->type0, "Type", "Font") != HPDF_OK ||
        HPDF_Dict_AddName(f->type0, "Subtype", "Type0") != HPDF_OK ||
        HPDF_Dict_AddName(f->type0, "Encoding", "Identity-H") != HPDF_OK) {
        status = hpdf_fail(f, "Type0 font");
        goto done;
    }

done:
    if (status < 0) {
        dp_cidfont_free(f);
        return status;
    }
    *out = f;
    return DP_OK;
}

void dp_cidfont_free(dp_cidfont *f)
{
    if (!f)
        return;
    hb_blob_destroy(f->program);
    free(f->zprogram.out);
    hb_subset_plan_destroy(f->plan);
    hb_face_destroy(f->source);
    hb_font_destroy(f->font);
    hb_face_destroy(f->face);
    hb_blob_destroy(f->blob);
    free(f->widths);
    free(f->used);
    free(f->cid);
    free(f->map_off);
    free(f->map_len);
    dp_buf_dispose(&f->maps);
    free(f->path);
    free(f);
}

HPDF_Font dp_cidfont_handle(dp_cidfont *f)
{
    return f->type0;
}

int dp_cidfont_width(dp_cidfont *f, uint32_t gid)
{
    if (gid >= f->nglyphs)
        return 0;
    return f->used[gid] ? f->widths[gid]
                        : to_1000(f, hb_font_get_glyph_h_advance(f->font, gid));
}

/* ---- the glyph set ---------------------------------------------------- */

dp_status dp_cidfont_use(dp_cidfont *f, const uint32_t *gids, size_t n)
{
    if (f->planned) {
        dp_error(f->diags, f->path, 0, "glyphs added after the glyph set was planned");
        return DP_ERR;
    }
    for (size_t i = 0; i < n; i++) {
        if (gids[i] >= f->nglyphs) {
            dp_error(f->diags, f->path, 0, "glyph id %u out of range (%u glyphs)",
                     (unsigned)gids[i], f->nglyphs);
            return DP_EFONT;
        }
        if (!f->used[gids[i]]) { /* widths of used glyphs only: a CJK font has 12 000 */
            f->used[gids[i]] = 1;
            f->nused++;
            f->widths[gids[i]] = to_1000(f, hb_font_get_glyph_h_advance(f->font, gids[i]));
        }
    }
    return DP_OK;
}

/* The subsetter's source: only the tables an embedded TrueType program
 * needs. Without cmap and the layout tables the subset plan has no
 * character map to walk and no substitutions to close over, which was
 * most of its cost; the PDF reaches glyphs by CID alone. */
static hb_blob_t *program_table(hb_face_t *face, hb_tag_t tag, void *user)
{
    static const char *const keep[] = {"glyf", "loca", "head", "hhea", "hmtx", "maxp"};
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
    hb_subset_input_set_flags(in, HB_SUBSET_FLAGS_NO_HINTING);
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
        f->cid[g] = (uint16_t)(to + 1);
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

void dp_cidfont_build(dp_cidfont *f)
{
    if (f->built || !f->planned)
        return;
    f->built = 1;
    hb_face_t *sub = hb_subset_plan_execute_or_fail(f->plan);
    hb_blob_t *out = sub ? hb_face_reference_blob(sub) : NULL;
    hb_face_destroy(sub);
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
    hb_face_t *check = hb_face_create(out, 0);
    const uint8_t *p;
    unsigned glen = 0;
    hb_blob_t *g = table(check, "glyf", &p, &glen);
    hb_blob_destroy(g);
    if (hb_face_get_glyph_count(check) < f->ncids || glen == 0) {
        hb_blob_destroy(out);
        out = NULL;
    }
    hb_face_destroy(check);
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

/* ---- drawing ---------------------------------------------------------- */


static dp_status remember_text(dp_cidfont *f, uint32_t gid, const char *s,
                               size_t len)
{
    if (f->map_off[gid] || len == 0)
        return DP_OK;
    size_t units = 0;
    for (size_t i = 0; i < len;) {
        uint32_t cp;
        size_t k = dp_utf8_decode(s + i, len - i, &cp);
        if (k == 0) {
            dp_warn(f->diags, f->path, 0,
                    "glyph %u: text is not valid UTF-8; no ToUnicode entry",
                    (unsigned)gid);
            return DP_OK;
        }
        units += cp > 0xFFFF ? 2 : 1;
        i += k;
    }
    if (units > MAX_MAP_UNITS) /* dp_cidfont_show() gives it ActualText */
        return DP_OK;
    size_t off = f->maps.len;
    dp_status status = dp_buf_add(&f->maps, s, len);
    if (status < 0)
        return status;
    f->map_off[gid] = off + 1;
    f->map_len[gid] = (uint16_t)len;
    return DP_OK;
}

static size_t utf16_hex(dp_buf *b, const char *s, size_t len, dp_status *st);

/* A PDF string holds at most 32 767 bytes in the readers that limit
 * strings: an ActualText of more UTF-16 units is cut at a character. */
#define MAX_ACTUAL_UNITS 16000

/* Opens "/Span <</ActualText <FEFF...>>> BDC" for text (UTF-8, valid:
 * the shaper copied it from checked input). */
static dp_status begin_actual_text(dp_cidfont *f, dp_buf *op, const char *s,
                                   size_t len)
{
    size_t units = 0, cut = 0;
    while (cut < len) {
        uint32_t cp;
        size_t k = dp_utf8_decode(s + cut, len - cut, &cp);
        if (k == 0)
            break;
        units += cp > 0xFFFF ? 2 : 1;
        if (units > MAX_ACTUAL_UNITS) {
            dp_warn(f->diags, f->path, 0,
                    "a cluster of more than %d UTF-16 units: its text is "
                    "cut there in the text layer", MAX_ACTUAL_UNITS);
            break;
        }
        cut += k;
    }
    dp_status status = dp_buf_adds(op, "/Span <</ActualText <FEFF");
    if (status == DP_OK && cut > 0)
        utf16_hex(op, s, cut, &status);
    if (status == DP_OK)
        status = dp_buf_adds(op, ">>> BDC\012");
    return status;
}

dp_status dp_cidfont_actual_text(dp_cidfont *f, HPDF_Page page, const char *text)
{
    dp_buf op;
    dp_buf_init(&op);
    dp_status status = text ? begin_actual_text(f, &op, text, strlen(text))
                            : dp_buf_adds(&op, "EMC\012");
    if (status == DP_OK &&
        HPDF_Stream_Write(((HPDF_PageAttr)page->attr)->stream, (const HPDF_BYTE *)op.data,
                          (HPDF_UINT)op.len) != HPDF_OK)
        status = hpdf_fail(f, "content stream");
    dp_buf_dispose(&op);
    return status;
}

/* The extra space (pt, before Th) that most gaps between the glyphs of a
 * run share, to a thousandth of an em either way, or 0 when no more than
 * half of them do. */
static double shared_spacing(const dp_cidfont *f, const uint32_t *gids, const double *x,
                             size_t n, double size, double th)
{
    enum { MAX = 256 };
    long units[MAX];
    double extra[MAX];
    size_t m = n - 1 < MAX ? n - 1 : MAX;
    for (size_t i = 0; i < m; i++) {
        extra[i] = (x[i + 1] - x[i]) / th - f->widths[gids[i]] * size / 1000.0;
        units[i] = lround(extra[i] * 1000.0 / size);
    }
    /* the value most gaps share, if one is shared by more than half of
     * them, is the majority vote's survivor (Boyer-Moore) */
    long best = 0;
    size_t votes = 0;
    for (size_t i = 0; i < m; i++) {
        if (votes == 0)
            best = units[i];
        votes += units[i] == best ? 1 : (size_t)-1;
    }
    /* the mean over that value and its neighbours: the layout's own
     * rounding spreads one spacing over two adjacent thousandths */
    double sum = 0;
    size_t near = 0;
    for (size_t i = 0; i < m; i++) {
        if (labs(units[i] - best) <= 1) {
            sum += extra[i];
            near++;
        }
    }
    if (best == 0 || near * 2 <= m)
        return 0;
    return sum / (double)near;
}

dp_status dp_cidfont_show(dp_cidfont *f, HPDF_Page page, double size,
                          double y, const uint32_t *gids, const double *x,
                          const char *const *text, const size_t *text_len,
                          size_t n)
{
    dp_status status = DP_OK;
    dp_buf op;
    dp_buf_init(&op);

    if (n == 0)
        return DP_OK;
    if (f->finished) {
        dp_error(f->diags, f->path, 0, "font used after it was finished");
        return DP_ERR;
    }
    HPDF_PageAttr pa = page->attr;
    if (pa->gmode != HPDF_GMODE_TEXT_OBJECT || pa->gstate->font != f->type0 ||
        fabs(pa->gstate->font_size - size) > 1e-3 || size <= 0) {
        dp_error(f->diags, f->path, 0,
                 "glyphs drawn outside BT/ET or without selecting this font "
                 "at size %g first", size);
        return DP_ERR;
    }
    if (!f->planned) {
        dp_error(f->diags, f->path, 0,
                 "glyphs drawn before the font's glyph set was planned");
        return DP_ERR;
    }
    for (size_t i = 0; i < n; i++) {
        /* Positions beyond any page are a layout bug; they would also
         * overflow the TJ numbers. */
        if (!(fabs(x[i]) < 1e5) || !(fabs(y) < 1e5)) {
            dp_error(f->diags, f->path, 0, "glyph %zu placed at %g,%g", i,
                     x[i], y);
            return DP_ERR;
        }
        if (gids[i] >= f->nglyphs || !f->cid[gids[i]]) {
            dp_error(f->diags, f->path, 0,
                     "glyph id %u is not in the planned subset (%u glyphs "
                     "in the font)", (unsigned)gids[i], f->nglyphs);
            return DP_EFONT;
        }
    }

    /*
     * The run starts at (x0, y) rounded to 1/100 pt, written as a move
     * from the previous line start ("dx dy Td"): in whole hundredths, so
     * no error accumulates, and the repeated line pitch compresses to
     * almost nothing. libharu's text matrix follows, as its own Td would
     * keep it.
     */
    long x0h = lround(x[0] * 100), yh = lround(y * 100);
    long lxh = lround(pa->text_matrix.x * 100), lyh = lround(pa->text_matrix.y * 100);
    DP_TRY(dp_buf_add_fixed(&op, x0h - lxh, 2));
    DP_TRY(dp_buf_addc(&op, ' '));
    DP_TRY(dp_buf_add_fixed(&op, yh - lyh, 2));
    DP_TRY(dp_buf_adds(&op, " Td\012"));

    /*
     * Each glyph moves the pen by ((w/1000 - k/1000) * size + Tc) * Th.
     * k is computed against where the previous glyph really landed, so
     * rounding k never accumulates along a line. The letter spacing most
     * glyphs share (a justified line spreads its slack evenly) becomes
     * Tc, so that only the exceptions need a TJ number.
     */
    double th = pa->gstate->h_scalling > 0 ? pa->gstate->h_scalling / 100.0 : 1;
    double tc = pa->gstate->char_space;
    if (n > 1) {
        double want = shared_spacing(f, gids, x, n, size, th);
        if (fabs(want - tc) > 5e-5) {
            long long tc4 = llround(want * 10000); /* four decimals */
            DP_TRY(dp_buf_add_fixed(&op, tc4, 4));
            DP_TRY(dp_buf_adds(&op, " Tc\012"));
            tc = (double)tc4 / 10000; /* what a reader will use */
            pa->gstate->char_space = (HPDF_REAL)tc;
        }
    }
    size_t head = op.len; /* what comes before the glyphs */
    double pen = x0h / 100.0;
    int kerned = 0, actual = 0;
    DP_TRY(dp_buf_addc(&op, '['));
    DP_TRY(dp_buf_addc(&op, '('));
    for (size_t i = 0; i < n; i++) {
        if (text && text[i]) {
            /* A cluster whose text is not what its glyph's ToUnicode
             * entry says (a replacement mark standing for one of many
             * missing characters, a cluster too long to map) carries
             * its own text as /ActualText around its glyphs. */
            size_t len = text_len ? text_len[i] : strlen(text[i]);
            DP_TRY(remember_text(f, gids[i], text[i], len));
            int mapped = len == 0 || (f->map_off[gids[i]] && f->map_len[gids[i]] == len &&
                                      memcmp(f->maps.data + f->map_off[gids[i]] - 1,
                                             text[i], len) == 0);
            if (actual || !mapped) {
                kerned = 1; /* the glyphs go in several TJ arrays */
                if (op.len == head + 2) /* nothing drawn yet: no empty TJ */
                    op.len = head;
                else
                    DP_TRY(dp_buf_adds(&op, ")] TJ\012"));
                if (actual)
                    DP_TRY(dp_buf_adds(&op, "EMC\012"));
                actual = !mapped;
                if (actual)
                    DP_TRY(begin_actual_text(f, &op, text[i], len));
                DP_TRY(dp_buf_adds(&op, "[("));
            }
        }
        /* two bytes per glyph in a literal string (the hex form was 4 %
         * larger once deflated); a backslash keeps the delimiters, and
         * CR, which a reader would turn into LF, as they are */
        unsigned code = f->cid[gids[i]] - 1u;
        char two[2] = {(char)(code >> 8), (char)(code & 0xFF)};
        for (int b = 0; b < 2; b++) {
            if (two[b] == '(' || two[b] == ')' || two[b] == '\\')
                DP_TRY(dp_buf_addc(&op, '\\'));
            if (two[b] == '\r')
                DP_TRY(dp_buf_adds(&op, "\\r"));
            else
                DP_TRY(dp_buf_addc(&op, two[b]));
        }
        double w = f->widths[gids[i]] * size / 1000.0;
        if (i + 1 == n) {
            pen += (w + tc) * th;
            break;
        }
        double k = (w + tc - (x[i + 1] - pen) / th) * 1000.0 / size;
        /* whole thousandths of an em: the error (at most 0.0005 em, not
         * accumulating) is invisible and the streams are much shorter */
        long kh = lround(k) * 100;
        pen += (w - kh / 100000.0 * size + tc) * th;
        if (kh != 0) {
            kerned = 1;
            DP_TRY(dp_buf_addc(&op, ')'));
            DP_TRY(dp_buf_add_fixed(&op, kh, 2));
            DP_TRY(dp_buf_addc(&op, '('));
        }
    }
    if (kerned)
        DP_TRY(dp_buf_adds(&op, ")] TJ\012"));
    else
        DP_TRY(dp_buf_adds(&op, ") Tj\012"));
    if (actual)
        DP_TRY(dp_buf_adds(&op, "EMC\012"));

    /* Tj needs no array: leave out the '['. */
    if (HPDF_Stream_Write(pa->stream, (const HPDF_BYTE *)op.data, (HPDF_UINT)head) != HPDF_OK ||
        HPDF_Stream_Write(pa->stream, (const HPDF_BYTE *)op.data + head + !kerned,
                          (HPDF_UINT)(op.len - head - !kerned)) != HPDF_OK) {
        status = hpdf_fail(f, "content stream");
        goto done;
    }
    /* Same bookkeeping as libharu's own Td and Tj: the line matrix moves
     * to the run's start, the text point to its end. */
    pa->text_matrix.x = (HPDF_REAL)(x0h / 100.0);
    pa->text_matrix.y = (HPDF_REAL)(yh / 100.0);
    pa->text_pos.x = (HPDF_REAL)pen;
    pa->text_pos.y = (HPDF_REAL)(yh / 100.0);

done:
    dp_buf_dispose(&op);
    return status;
}

/* ---- ToUnicode --------------------------------------------------------- */

/* Appends text as UTF-16BE hex; returns the number of UTF-16 units, 0 on
 * invalid UTF-8. */
static size_t utf16_hex(dp_buf *b, const char *s, size_t len, dp_status *st)
{
    size_t units = 0;
    for (size_t i = 0; i < len;) {
        uint32_t cp;
        size_t k = dp_utf8_decode(s + i, len - i, &cp);
        if (k == 0)
            return 0;
        char hex[16];
        if (cp > 0xFFFF) {
            uint32_t v = cp - 0x10000;
            snprintf(hex, sizeof hex, "%04X%04X", 0xD800 + (unsigned)(v >> 10),
                     0xDC00 + (unsigned)(v & 0x3FF));
            units += 2;
        } else {
            snprintf(hex, sizeof hex, "%04X", (unsigned)cp);
            units += 1;
        }
        if (*st >= 0)
            *st = dp_buf_adds(b, hex);
        i += k;
    }
    return units;
}

/* The single BMP code point text stands for, or -1. */
static long single_bmp(const char *s, size_t len)
{
    uint32_t cp;
    size_t k = dp_utf8_decode(s, len, &cp);
    if (k == 0 || k != len || cp > 0xFFFF)
        return -1;
    return (long)cp;
}

static const char cmap_head[] =
    "/CIDInit /ProcSet findresource begin\012"
    "12 dict begin\012"
    "begincmap\012"
    "/CIDSystemInfo << /Registry (Adobe) /Ordering (UCS) /Supplement 0 >>"
    " def\012"
    "/CMapName /Adobe-Identity-UCS def\012"
    "/CMapType 2 def\012"
    "1 begincodespacerange\012"
    "<0000> <FFFF>\012"
    "endcodespacerange\012";

static const char cmap_tail[] =
    "endcmap\012"
    "CMapName currentdict /CMap defineresource pop\012"
    "end\012"
    "end\012";

/* Length of the run from i where codes and single BMP targets both go up
 * by one, within one first byte on either side (1 when there is none). */
static size_t linear_run(const uint16_t *codes, const char *const *text,
                         const size_t *text_len, size_t n, size_t i)
{
    long first = single_bmp(text[i], text_len[i]);
    size_t j = i + 1;
    if (first < 0)
        return 1;
    while (j < n && codes[j] == codes[j - 1] + 1 && (codes[j] >> 8) == (codes[i] >> 8)) {
        long cp = single_bmp(text[j], text_len[j]);
        if (cp != first + (long)(j - i) || (cp >> 8) != (first >> 8))
            break;
        j++;
    }
    return j - i;
}

/* Writes "<dst>" for text (UTF-16BE hex); DP_ERR on invalid UTF-8. */
static dp_status put_target(dp_buf *b, const char *text, size_t len)
{
    dp_status status = dp_buf_addc(b, '<');
    if (status == DP_OK && utf16_hex(b, text, len, &status) == 0 && status >= 0)
        status = DP_ERR;
    if (status == DP_OK)
        status = dp_buf_addc(b, '>');
    return status;
}

/*
 * Codes that run on by one (within one first byte) share a bfrange line:
 * "<first> <last> <dst>" where the targets run on by one too (Latin
 * letters often do), else "<first> <last> [<dst> ...]", one target per
 * code; dense subset codes make nearly every code part of such a run,
 * and half the bytes of one bfchar line per code. Lone codes are bfchar
 * lines. Both kinds go in blocks of at most 100.
 */
dp_status dp_cidfont_write_cmap(dp_buf *out, const uint16_t *codes,
                                const char *const *text,
                                const size_t *text_len, size_t n)
{
    dp_status status = DP_OK;
    /* run[i]: length of the range starting at i (0: none starts there);
     * linear[i]: that range is of the first kind */
    size_t *run = NULL;
    uint8_t *linear = NULL;

    for (size_t i = 1; i < n; i++) {
        if (codes[i] <= codes[i - 1])
            return DP_ERR;
    }
    run = calloc(n ? n : 1, sizeof *run);
    linear = calloc(n ? n : 1, 1);
    DP_CHECK_ALLOC(run);
    DP_CHECK_ALLOC(linear);
    size_t nranges = 0, nchars = 0;
    for (size_t i = 0; i < n;) {
        size_t k = linear_run(codes, text, text_len, n, i);
        if (k >= 2) {
            run[i] = k;
            linear[i] = 1;
            nranges++;
            i += k;
            continue;
        }
        /* an array range, up to where a linear run of 3 or more starts */
        size_t j = i + 1;
        while (j < n && codes[j] == codes[j - 1] + 1 && (codes[j] >> 8) == (codes[i] >> 8) &&
               linear_run(codes, text, text_len, n, j) < 3)
            j++;
        if (j - i >= 2) {
            run[i] = j - i;
            nranges++;
        } else {
            nchars++;
        }
        i = j;
    }

    DP_TRY(dp_buf_adds(out, cmap_head));
    /* bfchar blocks */
    for (size_t i = 0, inblock = 0, left = nchars; i < n;) {
        if (run[i]) {
            i += run[i];
            continue;
        }
        if (inblock == 0) {
            size_t k = left < 100 ? left : 100;
            DP_TRY(dp_buf_printf(out, "%zu beginbfchar\012", k));
        }
        DP_TRY(dp_buf_printf(out, "<%04X> ", (unsigned)codes[i]));
        DP_TRY(put_target(out, text[i], text_len[i]));
        DP_TRY(dp_buf_addc(out, '\012'));
        left--;
        if (++inblock == 100 || left == 0) {
            DP_TRY(dp_buf_adds(out, "endbfchar\012"));
            inblock = 0;
        }
        i++;
    }
    /* bfrange blocks */
    for (size_t i = 0, inblock = 0, left = nranges; i < n; i++) {
        if (!run[i])
            continue;
        if (inblock == 0) {
            size_t k = left < 100 ? left : 100;
            DP_TRY(dp_buf_printf(out, "%zu beginbfrange\012", k));
        }
        DP_TRY(dp_buf_printf(out, "<%04X> <%04X> ", (unsigned)codes[i],
                             (unsigned)codes[i + run[i] - 1]));
        if (linear[i]) {
            DP_TRY(put_target(out, text[i], text_len[i]));
        } else {
            DP_TRY(dp_buf_addc(out, '['));
            for (size_t k = i; k < i + run[i]; k++) {
                if (k > i)
                    DP_TRY(dp_buf_addc(out, ' '));
                DP_TRY(put_target(out, text[k], text_len[k]));
            }
            DP_TRY(dp_buf_addc(out, ']'));
        }
        DP_TRY(dp_buf_addc(out, '\012'));
        left--;
        if (++inblock == 100 || left == 0) {
            DP_TRY(dp_buf_adds(out, "endbfrange\012"));
            inblock = 0;
        }
    }
    DP_TRY(dp_buf_adds(out, cmap_tail));

done:
    free(run);
    free(linear);
    return status;
}

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
        d = HPDF_DictStream_New(f->pdf->mmgr, f->pdf->xref);
        if (d)
            d->filter = HPDF_STREAM_FILTER_FLATE_DECODE;
        return d;
    }
    d = HPDF_Dict_New(f->pdf->mmgr);
    if (d && HPDF_Xref_Add(f->pdf->xref, d) != HPDF_OK)
        return NULL;
    return d;
}

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
    glyph_of = malloc((f->ncids ? f->ncids : 1) * sizeof *glyph_of);
    DP_CHECK_ALLOC(gids);
    DP_CHECK_ALLOC(codes);
    DP_CHECK_ALLOC(wd);
    DP_CHECK_ALLOC(texts);
    DP_CHECK_ALLOC(lens);
    DP_CHECK_ALLOC(map_codes);
    DP_CHECK_ALLOC(glyph_of);
    for (unsigned c = 0; c < f->ncids; c++)
        glyph_of[c] = UINT32_MAX;
    for (unsigned g = 0, i = 0; g < f->nglyphs; g++) {
        if (f->used[g]) {
            gids[i++] = (uint16_t)g;
            glyph_of[f->cid[g] - 1] = g;
        }
    }
    size_t nmap = 0;
    for (unsigned c = 0, i = 0; c < f->ncids; c++) {
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

    const struct metrics m = f->m;

    /* FontFile2 */
    HPDF_Dict file = new_dict(f, 1);
    if (!file)
        goto fail;
    unsigned plen = 0;
    const char *pdata = hb_blob_get_data(f->program, &plen);
    if (HPDF_Dict_AddNumber(file, "Length1", (HPDF_INT32)plen) != HPDF_OK)
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
        HPDF_Dict_Add(desc, "FontFile2", file) != HPDF_OK)
        goto fail;

    /* CIDFontType2 */
    HPDF_Dict cid = new_dict(f, 0);
    if (!cid)
        goto fail;
    HPDF_Dict info = HPDF_Dict_New(mmgr);
    if (HPDF_Dict_AddName(cid, "Type", "Font") != HPDF_OK ||
        HPDF_Dict_AddName(cid, "Subtype", "CIDFontType2") != HPDF_OK ||
        HPDF_Dict_AddName(cid, "BaseFont", name) != HPDF_OK ||
        !info || HPDF_Dict_Add(cid, "CIDSystemInfo", info) != HPDF_OK ||
        HPDF_Dict_Add(info, "Registry", HPDF_String_New(mmgr, "Adobe", NULL)) !=
            HPDF_OK ||
        HPDF_Dict_Add(info, "Ordering",
                      HPDF_String_New(mmgr, "Identity", NULL)) != HPDF_OK ||
        HPDF_Dict_AddNumber(info, "Supplement", 0) != HPDF_OK ||
        HPDF_Dict_Add(cid, "FontDescriptor", desc) != HPDF_OK ||
        HPDF_Dict_AddName(cid, "CIDToGIDMap", "Identity") != HPDF_OK)
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
    status = hpdf_fail(f, "embedded font");
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
