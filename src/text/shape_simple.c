#include "shape_simple.h"

#include <hb-ot.h>

#include <stdlib.h>
#include <string.h>

/* Characters HarfBuzz's normalisation and clustering leave as they are
 * when the font has their glyph: letters, digits, punctuation and
 * symbols without marks, joiners, selectors or cluster extenders (the
 * half-width voiced marks FF9E/FF9F extend clusters; Hangul has a shaper
 * of its own). Precomposed kana keep their glyph: HarfBuzz decomposes a
 * character only when the font lacks it. */
static int simple_char(uint32_t c)
{
    if (c < 0x3000)
        return (c >= 0x20 && c <= 0x7E) || (c >= 0xA1 && c <= 0xBF && c != 0xAD) ||
               c == 0xD7 || c == 0xF7 || (c >= 0x2010 && c <= 0x2027) ||
               (c >= 0x2030 && c <= 0x205E) || (c >= 0x2190 && c <= 0x2199) ||
               (c >= 0x2460 && c <= 0x24FF) || (c >= 0x2500 && c <= 0x257F) ||
               (c >= 0x25A0 && c <= 0x25FF);
    return (c <= 0x3029) || (c >= 0x3030 && c <= 0x303F) || (c >= 0x3041 && c <= 0x3096) ||
           (c >= 0x309D && c <= 0x30FF) || (c >= 0x3200 && c <= 0x33FF) ||
           (c >= 0x3400 && c <= 0x4DBF) || (c >= 0x4E00 && c <= 0x9FFF) ||
           (c >= 0xFF01 && c <= 0xFF9D);
}

/* Tables HarfBuzz applies outside the plan's lookups. */
static int font_allows(dp_font *f)
{
    static const char tags[][5] = {"kern", "kerx", "morx", "mort", "trak"};
    for (size_t i = 0; i < sizeof tags / sizeof *tags; i++) {
        hb_blob_t *t = hb_face_reference_table(f->face, hb_tag_from_string(tags[i], 4));
        unsigned len = hb_blob_get_length(t);
        hb_blob_destroy(t);
        if (len > 0)
            return 0;
    }
    return 1;
}

/* A glyph's entry in a plan's table: */
enum {
    GLYPH_REJECT = 1, /* input to a GPOS lookup, a GDEF mark, ligature or
                       * component, or changed alone by a GSUB lookup */
    GLYPH_GSUB = 2,   /* input to some GSUB lookup */
    GLYPH_LOOKUP = 4  /* << l: input to GSUB lookup l, for l < LOOKUP_BITS */
};
#define LOOKUP_BITS 6

static void plan_dispose(dp_simple_plan *p)
{
    free(p->flags);
    for (unsigned i = 0; i < p->nlookups; i++)
        hb_set_destroy(p->lookup[i]);
    free(p->lookup);
    free(p->index);
    memset(p, 0, sizeof *p);
}

/* The plan for props: the glyphs any lookup of its features may take as
 * input (and the marks), and each GSUB lookup's own; 0 when it could
 * not be made (then no run of these properties is simple). */
static int plan_make(dp_font *f, const hb_segment_properties_t *props, dp_simple_plan *p)
{
    memset(p, 0, sizeof *p);
    p->script = props->script;
    p->lang = props->language;
    hb_shape_plan_t *plan = hb_shape_plan_create_cached(f->face, props, NULL, 0, NULL);
    hb_set_t *gsub = hb_set_create(), *gpos = hb_set_create();
    hb_ot_shape_plan_collect_lookups(plan, HB_OT_TAG_GSUB, gsub);
    hb_ot_shape_plan_collect_lookups(plan, HB_OT_TAG_GPOS, gpos);
    unsigned n = hb_set_get_population(gsub);
    // NOLINTNEXTLINE(bugprone-sizeof-expression): an array of set handles (pointers) is meant
    p->lookup = calloc(n ? n : 1, sizeof *p->lookup);
    p->index = calloc(n ? n : 1, sizeof *p->index);
    int ok = p->lookup && p->index;
    hb_codepoint_t k = HB_SET_VALUE_INVALID;
    while (ok && hb_set_next(gsub, &k)) {
        hb_set_t *in = hb_set_create();
        p->lookup[p->nlookups] = in;
        p->index[p->nlookups++] = k;
        hb_ot_layout_lookup_collect_glyphs(f->face, HB_OT_TAG_GSUB, k, NULL, in, NULL, NULL);
        ok = hb_set_allocation_successful(in);
    }
    /* positioning has no test like would_substitute: any glyph a GPOS
     * lookup takes as input sends the run to HarfBuzz */
    k = HB_SET_VALUE_INVALID;
    hb_set_t *gpos_in = hb_set_create();
    while (ok && hb_set_next(gpos, &k))
        hb_ot_layout_lookup_collect_glyphs(f->face, HB_OT_TAG_GPOS, k, NULL, gpos_in, NULL, NULL);
    /* marks, ligatures and components by GDEF: lookups may skip them,
     * so the glyphs a lookup matches would not be next to each other */
    hb_ot_layout_get_glyphs_in_class(f->face, HB_OT_LAYOUT_GLYPH_CLASS_MARK, gpos_in);
    hb_ot_layout_get_glyphs_in_class(f->face, HB_OT_LAYOUT_GLYPH_CLASS_LIGATURE, gpos_in);
    hb_ot_layout_get_glyphs_in_class(f->face, HB_OT_LAYOUT_GLYPH_CLASS_COMPONENT, gpos_in);
    ok = ok && hb_set_allocation_successful(gpos_in) &&
         hb_set_allocation_successful(gsub) && hb_set_allocation_successful(gpos);
    /* what a run's glyphs are looked up in, as a table */
    p->nglyphs = hb_face_get_glyph_count(f->face);
    p->flags = ok ? calloc(p->nglyphs ? p->nglyphs : 1, 1) : NULL;
    ok = ok && p->flags;
    for (hb_codepoint_t g = HB_SET_VALUE_INVALID; ok && hb_set_next(gpos_in, &g);)
        if (g < p->nglyphs)
            p->flags[g] |= GLYPH_REJECT;
    /* each lookup's input glyphs, and those a lookup changes on their
     * own (a run with one goes to HarfBuzz) */
    for (unsigned l = 0; ok && l < p->nlookups; l++)
        for (hb_codepoint_t g = HB_SET_VALUE_INVALID; hb_set_next(p->lookup[l], &g);) {
            if (g >= p->nglyphs)
                continue;
            p->flags[g] |= GLYPH_GSUB;
            if (l < LOOKUP_BITS)
                p->flags[g] |= (uint8_t)(GLYPH_LOOKUP << l);
            if (hb_ot_layout_lookup_would_substitute(f->face, p->index[l], &g, 1, 0))
                p->flags[g] |= GLYPH_REJECT;
        }
    hb_set_destroy(gsub);
    hb_set_destroy(gpos);
    hb_set_destroy(gpos_in);
    hb_shape_plan_destroy(plan);
    if (!ok)
        plan_dispose(p);
    return ok;
}

/* The plan for buf's script and language, made on first use; NULL when
 * the font or the plan allows no simple runs. Under the font's lock. */
static const dp_simple_plan *plan_for(dp_font *f, hb_buffer_t *buf)
{
    hb_segment_properties_t props;
    hb_buffer_get_segment_properties(buf, &props);
    const dp_simple_plan *found = NULL;
    if (f->simple == 0)
        f->simple = font_allows(f) ? 1 : -1;
    for (int i = 0; f->simple > 0 && i < f->nsimple && !found; i++)
        if (f->simple_plans[i].script == props.script &&
            f->simple_plans[i].lang == props.language)
            found = &f->simple_plans[i];
    if (f->simple > 0 && !found && f->nsimple < DP_SIMPLE_PLANS &&
        plan_make(f, &props, &f->simple_plans[f->nsimple]))
        found = &f->simple_plans[f->nsimple++];
    return found;
}

/* Longest stretch of one lookup's input glyphs tried piece by piece;
 * a longer one goes to HarfBuzz. */
#define STRETCH_MAX 6

/*
 * Whether no GSUB lookup of p can change glyphs[0..n). A lookup applies
 * at a glyph only when the glyphs from there on are one of its input
 * sequences (a ligature's components, a context rule's input), every one
 * of them in its input set and next to each other (the runs have no
 * marks to skip). So only the stretches of consecutive glyphs in a
 * lookup's input set matter, and each piece of such a stretch is put to
 * HarfBuzz's own test (hb_ot_layout_lookup_would_substitute, context
 * ignored: a context rule counts as a change). か before a combining
 * sound mark goes to HarfBuzz; か before another kana need not.
 */
static int in_lookup(const dp_simple_plan *p, unsigned l, hb_codepoint_t g)
{
    if (l < LOOKUP_BITS)
        return (p->flags[g] >> (2 + l)) & 1;
    return (p->flags[g] & GLYPH_GSUB) && hb_set_has(p->lookup[l], g);
}

static int gsub_leaves(dp_font *f, const dp_simple_plan *p, const hb_codepoint_t *glyphs,
                       unsigned n)
{
    for (unsigned l = 0; l < p->nlookups; l++) {
        for (unsigned i = 0; i < n;) {
            if (!in_lookup(p, l, glyphs[i])) {
                i++;
                continue;
            }
            unsigned j = i + 1;
            while (j < n && in_lookup(p, l, glyphs[j]))
                j++;
            if (j - i > STRETCH_MAX)
                return 0;
            /* (pieces of one glyph were tried when the plan was made) */
            for (unsigned s = i; s + 1 < j; s++)
                for (unsigned m = 2; s + m <= j; m++)
                    if (hb_ot_layout_lookup_would_substitute(f->face, p->index[l], &glyphs[s],
                                                             m, 0))
                        return 0;
            i = j;
        }
    }
    return 1;
}

/* The cmap, remembered for the Basic Multilingual Plane (every simple
 * character is in it): each run looks its characters up again, and the
 * font's cmap search cost more than the rest of a simple run. */
#define NO_GLYPH ((hb_codepoint_t)-1)

static hb_codepoint_t nominal(dp_font *f, uint32_t c)
{
    if (c > 0xFFFF)
        return NO_GLYPH;
    if (!f->bmp) {
        f->bmp = calloc(0x10000, sizeof *f->bmp);
        if (!f->bmp)
            return NO_GLYPH;
    }
    uint32_t v = f->bmp[c]; /* 0 not looked up, 1 none, else glyph + 2 */
    if (v == 0) {
        hb_codepoint_t g;
        v = hb_font_get_nominal_glyph(f->font, c, &g) && g < 0xFFFFFFF0u ? g + 2 : 1;
        f->bmp[c] = v;
    }
    return v == 1 ? NO_GLYPH : v - 2;
}

/* Longer runs go to HarfBuzz: the arrays below live on the stack. */
#define RUN_MAX 512

static int simple_locked(dp_font *f, hb_buffer_t *buf)
{
    unsigned n;
    hb_glyph_info_t *info = hb_buffer_get_glyph_infos(buf, &n);
    if (f->simple < 0 || n == 0 || n > RUN_MAX ||
        hb_buffer_get_direction(buf) != HB_DIRECTION_LTR)
        return 0;
    for (unsigned k = 0; k < n; k++)
        if (!simple_char(info[k].codepoint))
            return 0;
    const dp_simple_plan *p = plan_for(f, buf);
    if (!p)
        return 0;
    hb_codepoint_t glyphs[RUN_MAX];
    for (unsigned k = 0; k < n; k++) {
        hb_codepoint_t g = nominal(f, info[k].codepoint);
        if (g == NO_GLYPH)
            return 0;
        glyphs[k] = g;
    }
    int any = 0;
    for (unsigned k = 0; k < n; k++) {
        unsigned fl = glyphs[k] < p->nglyphs ? p->flags[glyphs[k]] : GLYPH_REJECT;
        if (fl & GLYPH_REJECT)
            return 0;
        any |= fl & GLYPH_GSUB;
    }
    if (any && !gsub_leaves(f, p, glyphs, n))
        return 0;
    hb_position_t adv[RUN_MAX];
    hb_font_get_glyph_h_advances(f->font, n, glyphs, sizeof *glyphs, adv, sizeof *adv);
    hb_glyph_position_t *pos = hb_buffer_get_glyph_positions(buf, NULL); /* zeroed */
    if (!pos)
        return 0;
    for (unsigned k = 0; k < n; k++) {
        info[k].codepoint = glyphs[k];
        pos[k].x_advance = adv[k];
    }
    hb_buffer_set_content_type(buf, HB_BUFFER_CONTENT_TYPE_GLYPHS);
    return 1;
}

int dp_shape_simple(dp_font *f, hb_buffer_t *buf)
{
    pthread_mutex_lock(&f->simple_lock);
    int done = simple_locked(f, buf);
    pthread_mutex_unlock(&f->simple_lock);
    return done;
}

void dp_shape_simple_dispose(dp_font *f)
{
    free(f->bmp);
    f->bmp = NULL;
    for (int i = 0; i < f->nsimple; i++)
        plan_dispose(&f->simple_plans[i]);
    f->nsimple = 0;
    f->simple = 0;
}
