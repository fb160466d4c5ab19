/*
 * Type0 / CIDFontType2 or CIDFontType0 fonts built as plain libharu
 * objects.
 *
 * The Type0 dictionary is created (and registered as an indirect object)
 * when the font is opened, so pages can select it with
 * HPDF_Page_SetFontAndSize() at once; everything that depends on the
 * final glyph set (BaseFont with its subset tag, descendant font, /W,
 * font program, ToUnicode) is added by dp_cidfont_finish().
 *
 * The glyph set is fixed before the first page is drawn (use, then plan):
 * the subset then numbers its glyphs 0..n-1 and those numbers are the
 * codes written in the content streams (Identity-H, CIDToGIDMap
 * /Identity), except in a CID-keyed CFF, whose subset keeps each glyph's
 * CID and is drawn by CID. Dense numbers keep the embedded loca and hmtx
 * tables, /W and the content streams small; a plan fixed before drawing
 * lets the font program be built on another thread while the pages are
 * drawn.
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
#include "cidfont_int.h"
#include "text/font_face.h"

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

dp_status dp_cidfont_fail(dp_cidfont *f, const char *what)
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
hb_blob_t *dp_cidfont_table(hb_face_t *face, const char *tag, const uint8_t **data,
                        unsigned *len)
{
    hb_blob_t *b = hb_face_reference_table(face, hb_tag_from_string(tag, 4));
    *data = (const uint8_t *)hb_blob_get_data(b, len);
    return b;
}

int dp_cidfont_to_1000(const dp_cidfont *f, double units)
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

static void read_metrics(dp_cidfont *f, struct dp_cidfont_metrics *m)
{
    const uint8_t *p;
    unsigned len;
    memset(m, 0, sizeof *m);

    hb_blob_t *b = dp_cidfont_table(f->face, "head", &p, &len);
    if (len >= 44) {
        for (int i = 0; i < 4; i++)
            m->bbox[i] = dp_cidfont_to_1000(f, (int16_t)be16(p + 36 + 2 * (size_t)i));
    }
    hb_blob_destroy(b);

    /* Typo metrics when the font asks for them, else hhea; the cap
     * height falls back to the height of 'H'. */
    hb_position_t v;
    m->ascent = hb_ot_metrics_get_position(
                    f->font, HB_OT_METRICS_TAG_HORIZONTAL_ASCENDER, &v)
                    ? dp_cidfont_to_1000(f, v)
                    : m->bbox[3];
    m->descent = hb_ot_metrics_get_position(
                     f->font, HB_OT_METRICS_TAG_HORIZONTAL_DESCENDER, &v)
                     ? dp_cidfont_to_1000(f, v)
                     : m->bbox[1];
    hb_ot_metrics_get_position_with_fallback(
        f->font, HB_OT_METRICS_TAG_CAP_HEIGHT, &v);
    m->cap_height = dp_cidfont_to_1000(f, v);

    /* post: italicAngle is 16.16 fixed at 4, isFixedPitch at 12. */
    int fixed = 0;
    b = dp_cidfont_table(f->face, "post", &p, &len);
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
    b = dp_cidfont_table(f->face, "OS/2", &p, &len);
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

/* Which outlines the face has (f->kind), and for a CID-keyed CFF the
 * CID of every glyph: the codes its glyphs will be written as. */
static dp_status outline_kind(dp_cidfont *f, unsigned index)
{
    const uint8_t *p;
    unsigned glen = 0, llen = 0, clen = 0, c2len = 0;
    hb_blob_t *g = dp_cidfont_table(f->face, "glyf", &p, &glen);
    hb_blob_t *l = dp_cidfont_table(f->face, "loca", &p, &llen);
    hb_blob_t *c2 = dp_cidfont_table(f->face, "CFF2", &p, &c2len);
    hb_blob_t *c = dp_cidfont_table(f->face, "CFF ", &p, &clen);
    dp_status status = DP_OK;
    dp_cff_info info;
    hb_blob_destroy(g);
    hb_blob_destroy(l);
    hb_blob_destroy(c2);
    if (f->nglyphs > 0 && glen > 0 && llen > 0) {
        f->kind = DP_OUTLINE_GLYF;
    } else if (f->nglyphs > 0 && clen > 0) {
        f->cff_cid = calloc(f->nglyphs, sizeof *f->cff_cid);
        DP_CHECK_ALLOC(f->cff_cid);
        if (dp_cff_read(p, clen, &info, f->cff_cid, f->nglyphs) < 0 ||
            info.nglyphs != f->nglyphs) {
            dp_error(f->diags, f->path, 0, "damaged CFF outlines at face %u", index);
            status = DP_EFONT;
            goto done;
        }
        f->kind = info.cid_keyed ? DP_OUTLINE_CFF_CID : DP_OUTLINE_CFF_NAME;
        snprintf(f->registry, sizeof f->registry, "%s", info.registry[0] ? info.registry : "Adobe");
        snprintf(f->ordering, sizeof f->ordering, "%s", info.ordering[0] ? info.ordering : "Identity");
        f->supplement = info.supplement;
        if (!info.cid_keyed) { /* name-keyed: codes are glyph ids */
            free(f->cff_cid);
            f->cff_cid = NULL;
        }
    } else if (c2len > 0) {
        dp_error(f->diags, f->path, 0,
                 "variable CFF2 outlines at face %u cannot be embedded; use a static "
                 "instance of the font", index);
        status = DP_EFONT;
    } else {
        dp_error(f->diags, f->path, 0,
                 "no TrueType (glyf) or CFF outlines at face %u", index);
        status = DP_EFONT;
    }
done:
    hb_blob_destroy(c);
    return status;
}

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
    DP_TRY(outline_kind(f, font->index));
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
        status = dp_cidfont_fail(f, "Type0 font");
        goto done;
    }
    HPDF_FontAttr attr = HPDF_GetMem(mmgr, sizeof *attr);
    if (!attr) {
        status = dp_cidfont_fail(f, "font attributes");
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
        status = dp_cidfont_fail(f, "font definition");
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
        status = dp_cidfont_fail(f, "Type0 font");
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
    free(f->cff_cid);
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
                        : dp_cidfont_to_1000(f, hb_font_get_glyph_h_advance(f->font, gid));
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
            f->widths[gids[i]] = dp_cidfont_to_1000(f, hb_font_get_glyph_h_advance(f->font, gids[i]));
        }
    }
    return DP_OK;
}

