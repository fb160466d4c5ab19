#include "shape.h"

#include <math.h>
#include <stdlib.h>
#include <string.h>

#include <hb.h>

#include "base/status.h"
#include "base/utf8.h"
#include "breaks.h"
#include "font_face.h"
#include "shape_simple.h"

void dp_para_init(dp_para *p)
{
    memset(p, 0, sizeof *p);
}

void dp_para_dispose(dp_para *p)
{
    free(p->units);
    free(p->glyphs);
    free(p->cps);
    free(p->cp_off);
    free(p->cp_span);
    free(p->cp_font);
    free(p->cp_brk);
    hb_buffer_destroy(p->hb_buf);
    memset(p, 0, sizeof *p);
}

static int grow(void **ptr, size_t *cap, size_t need, size_t size)
{
    if (need <= *cap)
        return 0;
    size_t c = *cap ? *cap : 64;
    while (c < need)
        c *= 2;
    void *n = realloc(*ptr, c * size);
    if (!n)
        return -1;
    *ptr = n;
    *cap = c;
    return 0;
}

static dp_status reserve_cps(dp_para *p, size_t n)
{
    if (n <= p->cpcap)
        return DP_OK;
    size_t c = p->cpcap ? p->cpcap : 256;
    while (c < n)
        c *= 2;
    uint32_t *a = realloc(p->cps, c * sizeof *a);
    if (a) p->cps = a;
    uint32_t *b = realloc(p->cp_off, (c + 1) * sizeof *b);
    if (b) p->cp_off = b;
    uint32_t *s = realloc(p->cp_span, c * sizeof *s);
    if (s) p->cp_span = s;
    int8_t *f = realloc(p->cp_font, c * sizeof *f);
    if (f) p->cp_font = f;
    uint8_t *k = realloc(p->cp_brk, c * sizeof *k);
    if (k) p->cp_brk = k;
    if (!a || !b || !s || !f || !k)
        return DP_ENOMEM;
    p->cpcap = c;
    return DP_OK;
}

static int is_variation_selector(uint32_t c)
{
    return (c >= 0xFE00 && c <= 0xFE0F) || (c >= 0xE0100 && c <= 0xE01EF);
}

/* Marks and selectors stay with the character before them: they must be
 * shaped in the same font as their base. */
static int sticks_to_previous(uint32_t c)
{
    return (c >= 0x0300 && c <= 0x036F) || (c >= 0x3099 && c <= 0x309A) ||
           (c >= 0xFE00 && c <= 0xFE0F) || (c >= 0xE0100 && c <= 0xE01EF) ||
           c == 0x200D || c == 0x200C || (c >= 0x1F3FB && c <= 0x1F3FF);
}

/*
 * A long URL may break after / . - ? & = (never inside "://" and never
 * before another separator), so it wraps without a hyphen and without
 * overflowing; the link annotation still covers all of it.
 */
static void allow_url_breaks(dp_para *p, const dp_span *spans)
{
    for (size_t i = 0; i + 1 < p->ncp; i++) {
        if (!spans[p->cp_span[i]].url || p->cp_span[i + 1] != p->cp_span[i] ||
            p->cp_brk[i] != DP_BREAK_NONE)
            continue;
        uint32_t c = p->cps[i], next = p->cps[i + 1];
        if (!strchr("/.-?&=", (int)c) || c == 0 || strchr("/.-?&=:", (int)next))
            continue;
        if (c == '/' && i > 0 && (p->cps[i - 1] == '/' || p->cps[i - 1] == ':'))
            continue; /* keep "https://" whole */
        p->cp_brk[i] = DP_BREAK_ALLOWED;
    }
}

static int is_latin_alnum(uint32_t c)
{
    return (c >= '0' && c <= '9') || (c >= 'A' && c <= 'Z') ||
           (c >= 'a' && c <= 'z') || (c >= 0xC0 && c <= 0x24F);
}

static hb_language_t language_of(const char *lang)
{
    return hb_language_from_string(lang ? lang : "ja", -1);
}

static int is_ja(const char *lang)
{
    return !lang || strncmp(lang, "ja", 2) == 0;
}

/* Steps in order (one copy of the text, a font for each character, break
 * opportunities, shaping run by run), sharing the paragraph arrays they
 * fill; kept whole so that each step reads what the one before left. */
dp_status dp_para_shape(dp_para *p, dp_fontset *fs, dp_arena *arena,
                        dp_diags *d, const char *file, const dp_span *spans,
                        size_t nspans)
{
    dp_status status = DP_OK;
    p->n = p->ng = p->ncp = p->simple_runs = 0;
    p->spans = spans;
    p->nspans = nspans;

    size_t total = 0;
    for (size_t s = 0; s < nspans; s++)
        total += spans[s].len;
    if (total > DP_MAX_PARAGRAPH_BYTES) {
        dp_error(d, file, nspans ? spans[0].line : 0,
                 "paragraph longer than %zu bytes", DP_MAX_PARAGRAPH_BYTES);
        return DP_ELIMIT;
    }
    /* One copy of the text in the arena: units point into it. */
    char *text = dp_arena_alloc(arena, total + 1);
    DP_CHECK_ALLOC(text);
    DP_TRY(reserve_cps(p, total + 1));

    size_t off = 0;
    for (size_t s = 0; s < nspans; s++) {
        const dp_span *sp = &spans[s];
        memcpy(text + off, sp->text, sp->len);
        size_t i = 0;
        while (i < sp->len) {
            uint32_t cp;
            size_t k = dp_utf8_decode(sp->text + i, sp->len - i, &cp);
            if (k == 0) { /* the reader validated UTF-8; be safe anyway */
                cp = 0xFFFD;
                k = 1;
            }
            p->cps[p->ncp] = cp;
            p->cp_off[p->ncp] = (uint32_t)(off + i);
            p->cp_span[p->ncp] = (uint32_t)s;
            int font;
            if (cp < 0x20) {
                font = dp_fontset_role_slot(fs, sp->font); /* a forced break: never drawn */
            } else if (p->ncp > 0 && sticks_to_previous(cp) &&
                       p->cp_span[p->ncp - 1] == s) {
                // NOLINTNEXTLINE(bugprone-signed-char-misuse,cert-str34-c): cp_font is a signed font index, -1 for none
                font = p->cp_font[p->ncp - 1];
            } else {
                /* a variation sequence needs a font that has the variant */
                uint32_t next = 0;
                font = -1;
                /* (only EF and F3 begin the UTF-8 of a selector) */
                unsigned char nb = i + k < sp->len ? (unsigned char)sp->text[i + k] : 0;
                if ((nb == 0xEF || nb == 0xF3) &&
                    dp_utf8_decode(sp->text + i + k, sp->len - i - k, &next) &&
                    is_variation_selector(next))
                    font = dp_fontset_pick_variation(fs, sp->font, cp, next);
                if (font < 0)
                    font = dp_fontset_pick(fs, sp->font, cp);
                if (font < 0) {
                    char u[8] = {0};
                    dp_utf8_encode(cp, u);
                    dp_warn(d, file, sp->line,
                            "no font has U+%04X (%s); drawn as a replacement mark",
                            (unsigned)cp, u);
                    font = -1;
                }
            }
            p->cp_font[p->ncp] = (int8_t)font;
            p->ncp++;
            i += k;
        }
        off += sp->len;
    }
    p->cp_off[p->ncp] = (uint32_t)off;
    if (p->ncp == 0)
        return DP_OK;

    /* Break opportunities over the whole paragraph, in the language of
     * the paragraph's first span. */
    dp_breaks_find(p->cps, p->ncp, is_ja(spans[0].lang), p->cp_brk);
    allow_url_breaks(p, spans);
    /* a ruby base is never broken (its reading sits above all of it) */
    for (size_t i = 0; i + 1 < p->ncp; i++)
        if (spans[p->cp_span[i]].ruby &&
            spans[p->cp_span[i + 1]].ruby == spans[p->cp_span[i]].ruby)
            p->cp_brk[i] = DP_BREAK_NONE;

    if (!p->hb_buf) {
        p->hb_buf = hb_buffer_create();
        if (!hb_buffer_allocation_successful(p->hb_buf))
            return DP_ENOMEM;
    }
    hb_buffer_t *buf = p->hb_buf;
    size_t run = 0;
    while (run < p->ncp) {
        size_t end = run + 1;
        while (end < p->ncp && p->cp_span[end] == p->cp_span[run] &&
               p->cp_font[end] == p->cp_font[run])
            end++;
        const dp_span *sp = &spans[p->cp_span[run]];
        // NOLINTNEXTLINE(bugprone-signed-char-misuse,cert-str34-c): cp_font is a signed font index, -1 for none
        int fi = p->cp_font[run];
        int missing = fi < 0;
        if (missing) /* replacement mark from the first font that has one */
            fi = dp_fontset_pick(fs, sp->font, 0xFFFD) >= 0
                     ? dp_fontset_pick(fs, sp->font, 0xFFFD)
                     : dp_fontset_pick(fs, sp->font, 0x3013) >= 0
                           ? dp_fontset_pick(fs, sp->font, 0x3013)
                           : dp_fontset_role_slot(fs, sp->font);
        if (!fs->fonts[fi]) /* an empty role slot: its text in the body font */
            fi = DP_FONT_BODY;
        dp_font *font = fs->fonts[fi];
        if (!font) {
            dp_error(d, file, 0, "no font to set text in (the style names no body font)");
            return DP_EFONT;
        }
        double scale = sp->size / font->upem;

        hb_buffer_clear_contents(buf);
        if (missing) {
            uint32_t rep = hb_font_get_nominal_glyph(font->font, 0xFFFD, &(hb_codepoint_t){0})
                               ? 0xFFFD : 0x3013;
            for (size_t i = run; i < end; i++)
                hb_buffer_add(buf, rep, (unsigned)i);
            hb_buffer_set_content_type(buf, HB_BUFFER_CONTENT_TYPE_UNICODE);
        } else {
            hb_buffer_add_utf32(buf, p->cps, (int)p->ncp, (unsigned)run,
                                (int)(end - run));
        }
        hb_buffer_set_direction(buf, HB_DIRECTION_LTR);
        hb_buffer_set_language(buf, language_of(sp->lang));
        hb_buffer_guess_segment_properties(buf);
        if (!missing && !fs->shape_all && dp_shape_simple(font, buf))
            p->simple_runs++;
        else
            hb_shape(font->font, buf, NULL, 0);

        unsigned ng;
        hb_glyph_info_t *info = hb_buffer_get_glyph_infos(buf, &ng);
        hb_glyph_position_t *pos = hb_buffer_get_glyph_positions(buf, &ng);
        if (grow((void **)&p->glyphs, &p->gcap, p->ng + ng, sizeof *p->glyphs) < 0 ||
            grow((void **)&p->units, &p->cap, p->n + ng + 1, sizeof *p->units) < 0)
            return DP_ENOMEM;
        unsigned g = 0;
        while (g < ng) {
            unsigned cl = info[g].cluster;
            unsigned ge = g + 1;
            while (ge < ng && info[ge].cluster == cl)
                ge++;
            size_t cpe = ge < ng ? info[ge].cluster : end;
            dp_unit *u = &p->units[p->n++];
            memset(u, 0, sizeof *u);
            u->text = text + p->cp_off[cl];
            u->text_len = p->cp_off[cpe] - p->cp_off[cl];
            u->cp = p->cps[cl];
            u->glyph = (uint32_t)p->ng;
            u->nglyphs = (uint32_t)(ge - g);
            u->font = (uint8_t)fi;
            u->span = p->cp_span[cl];
            u->size = sp->size;
            u->brk = p->cp_brk[cpe - 1];
            u->jclass = (uint8_t)dp_jclass_of(u->cp);
            u->space = u->cp == ' ';
            u->latin = is_latin_alnum(u->cp);
            double adv = 0;
            for (unsigned k = g; k < ge; k++) {
                dp_glyph *gl = &p->glyphs[p->ng++];
                gl->gid = info[k].codepoint;
                gl->adv = pos[k].x_advance * scale;
                gl->dx = adv + pos[k].x_offset * scale;
                gl->dy = pos[k].y_offset * scale;
                adv += gl->adv;
            }
            u->adv = adv;
            g = ge;
        }
        run = end;
    }
    return status;
done:
    return status;
}

void dp_para_ink(const dp_para *p, const dp_fontset *fs, size_t first, size_t end,
                 double *left, double *right)
{
    double l = INFINITY, r = -INFINITY;
    for (size_t i = first; i < end && i < p->n; i++) {
        const dp_unit *u = &p->units[i];
        const dp_font *f = u->font < DP_FONT_MAX ? fs->fonts[u->font] : NULL;
        if (!f)
            continue;
        double scale = u->size / f->upem;
        for (uint32_t g = 0; g < u->nglyphs; g++) {
            const dp_glyph *gl = &p->glyphs[u->glyph + g];
            hb_glyph_extents_t ext;
            if (!hb_font_get_glyph_extents(f->font, gl->gid, &ext) || ext.width == 0)
                continue;
            double x0 = u->x + u->shift + gl->dx + ext.x_bearing * scale;
            double x1 = x0 + ext.width * scale;
            if (x0 < l)
                l = x0;
            if (x1 > r)
                r = x1;
        }
    }
    if (l > r) /* no ink: the advance box */
        l = r = first < end && first < p->n ? p->units[first].x : 0;
    *left = l;
    *right = r;
}

void dp_para_ink_height(const dp_para *p, const dp_fontset *fs, size_t i, double *bottom,
                        double *top)
{
    *bottom = *top = 0;
    if (i >= p->n)
        return;
    const dp_unit *u = &p->units[i];
    const dp_font *f = u->font < DP_FONT_MAX ? fs->fonts[u->font] : NULL;
    if (!f || u->nglyphs == 0)
        return;
    hb_glyph_extents_t ext;
    if (!hb_font_get_glyph_extents(f->font, p->glyphs[u->glyph].gid, &ext))
        return;
    double scale = u->size / f->upem;
    *top = ext.y_bearing * scale;
    *bottom = (ext.y_bearing + ext.height) * scale; /* height is negative */
}
