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
#define DP_FONT_MAX 20

/* Font slots: the two roles, the Latin font of each role (may be empty:
 * Latin then comes from the role's Japanese font), then fallbacks; the
 * slots dp_fontset_set_roles() names (bold faces, fallbacks for one
 * kind of role) come after those. */
enum { DP_FONT_BODY = 0, DP_FONT_HEADING = 1, DP_FONT_LATIN = 2,
       DP_FONT_FALLBACK = 4 };

/* Roles text is set in (a span's font): body and heading are also their
 * slots; the bold roles are the bold faces of body and heading text. */
enum { DP_ROLE_BODY_BOLD = 2, DP_ROLE_HEADING_BOLD = 3, DP_ROLE_COUNT = 4 };

/* The slots of a set beyond body, heading, Latin and fallbacks, as
 * dp_fontset_set_roles() takes them (-1 or 0: none). */
typedef struct dp_font_roles {
    int nfallback;           /* fallbacks for every role, from DP_FONT_FALLBACK */
    int bold[2];             /* slot of the body's and the heading's bold face */
    int kind_first[2], kind_n[2]; /* fallbacks tried first for body (serif) and
                                     heading (sans) roles */
} dp_font_roles;

/* One face of a font file, owned by the set that loaded it. */
typedef struct dp_font dp_font;

typedef struct dp_fontset {
    /* NULL: an empty slot. Slots naming the same file (whatever the
     * spelling of its path) share one dp_font. */
    dp_font *fonts[DP_FONT_MAX];
    int n;
    int8_t *picked[DP_ROLE_COUNT]; /* per role, BMP code point → font + 2 (0: unknown) */
    /* set by dp_fontset_set_roles(); all 0 after dp_fontset_load(): every
     * slot from DP_FONT_FALLBACK is a fallback for every role */
    dp_font_roles roles;
    int has_roles;
    /* every run through HarfBuzz's shaper, none set as a simple run
     * (shape_simple.h): for the tests that compare the two */
    int shape_all;
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

/* Names the slots loaded beyond body, heading, Latin and fallbacks:
 * bold faces and the fallbacks of each kind of role. Call after
 * dp_fontset_load(), before any pick. */
void dp_fontset_set_roles(dp_fontset *fs, const dp_font_roles *roles);

/* The role strong text takes inside text of role: the bold face of body
 * or heading text when the set has one; else, as without bold faces,
 * the heading font. */
int dp_fontset_strong_role(const dp_fontset *fs, int role);

/* The slot of role's own font (a bold role without a bold face: the
 * font of its base role). */
int dp_fontset_role_slot(const dp_fontset *fs, int role);

/* The path font was loaded from (as the style gave it). Borrowed. */
const char *dp_font_path(const dp_font *font);

/* Index of the font to draw cp with in role (DP_FONT_BODY,
 * DP_FONT_HEADING or a bold role): the role's Latin font for Latin
 * script (regular roles), else the role's font if it has the glyph, else
 * the first fallback of the role's kind, then of every role, that has
 * it, else any font of the set that has it, else -1. */
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
