/* The fonts of a run: faces loaded once, looked up by role, with a
 * fallback order for characters the primary font lacks. Each font file
 * is mapped once; the same dp_font (and its HarfBuzz blob) serves shaping
 * and, in the PDF stage, subsetting. Outside text/ and pdf/cidfont.c a
 * dp_font is opaque (its HarfBuzz side is in font_face.h). */
#ifndef DP_TEXT_FONTS_H
#define DP_TEXT_FONTS_H

#include <stdint.h>

#include "base/diag.h"

/* Font slots in a set (and font indices in runs, and fonts a PDF embeds
 * at most). */
#define DP_FONT_MAX 8

/* Font slots: the two roles, the Latin font of each role (may be empty:
 * Latin then comes from the role's Japanese font), then fallbacks. */
enum { DP_FONT_BODY = 0, DP_FONT_HEADING = 1, DP_FONT_LATIN = 2,
       DP_FONT_FALLBACK = 4 };

/* One face of a font file, owned by the set that loaded it. */
typedef struct dp_font dp_font;

typedef struct dp_fontset {
    /* NULL: an empty slot. Slots naming the same file (whatever the
     * spelling of its path) share one dp_font. */
    dp_font *fonts[DP_FONT_MAX];
    int n;
    int8_t *picked[2]; /* per role, BMP code point → font + 2 (0: unknown) */
} dp_fontset;

/*
 * Loads paths[0..n): body, heading, Latin body, Latin heading (NULL or ""
 * leaves a slot empty), then fallbacks. A font that cannot be
 * read is DP_EFONT with an error naming it and, when known, where it was
 * configured (origin, line 0). On failure nothing stays loaded.
 */
dp_status dp_fontset_load(dp_fontset *fs, dp_diags *d, const char *origin,
                          const char *const *paths, int n);
void dp_fontset_dispose(dp_fontset *fs);

/* The path font was loaded from (as the style gave it). Borrowed. */
const char *dp_font_path(const dp_font *font);

/* Index of the font to draw cp with in role (DP_FONT_BODY or
 * DP_FONT_HEADING): the role's Latin font for Latin script, else the
 * role's font if it has the glyph, else the first fallback that has it,
 * else -1. */
int dp_fontset_pick(dp_fontset *fs, int role, uint32_t cp);

/* Like dp_fontset_pick for a character followed by variation selector vs:
 * the first font that has that variation, or -1. */
int dp_fontset_pick_variation(const dp_fontset *fs, int role, uint32_t cp,
                              uint32_t vs);
/* (dp_fontset_pick remembers its answers for the BMP, hence non-const.) */

/* HarfBuzz loads a face's tables (cmap, metrics, GSUB/GPOS) when they
 * are first used: shaping a little of each script here loads them once,
 * in a batch's parent, instead of in every worker it forks. Only caches
 * change; what a build produces does not. */
void dp_fontset_warm(dp_fontset *fs);

#endif
