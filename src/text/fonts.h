/* The fonts of a run: faces loaded once, looked up by role, with a
 * fallback order for characters the primary font lacks. */
#ifndef DP_TEXT_FONTS_H
#define DP_TEXT_FONTS_H

#include <stdint.h>

#include <hb.h>

#include "base/diag.h"

#define DP_FONT_MAX 8

enum { DP_FONT_BODY = 0, DP_FONT_HEADING = 1, DP_FONT_FALLBACK = 2 };

typedef struct dp_font {
    char *path;
    hb_blob_t *blob;
    hb_face_t *face;
    hb_font_t *font; /* scale = upem: positions come out in font units */
    unsigned upem;
    double ascender, descender; /* in em, descender negative */
} dp_font;

typedef struct dp_fontset {
    dp_font fonts[DP_FONT_MAX];
    int n;
} dp_fontset;

/*
 * Loads paths[0..n): body, heading, then fallbacks. A font that cannot be
 * read is DP_EFONT with an error naming it and, when known, where it was
 * configured (origin, line 0). On failure nothing stays loaded.
 */
dp_status dp_fontset_load(dp_fontset *fs, dp_diags *d, const char *origin,
                          const char *const *paths, int n);
void dp_fontset_dispose(dp_fontset *fs);

/* Index of the font to draw cp with: primary if it has the glyph, else the
 * first fallback that has it, else -1. */
int dp_fontset_pick(const dp_fontset *fs, int primary, uint32_t cp);

#endif
