/* The HarfBuzz side of a loaded font, for the modules that shape with it
 * (text/shape.c) or subset it (pdf/cidfont.c): they take references to
 * its blob and face rather than reading the file again. Include it only
 * from .c files, so that HarfBuzz stays out of every other header. */
#ifndef DP_TEXT_FONT_FACE_H
#define DP_TEXT_FONT_FACE_H

#include <hb.h>
#include <pthread.h>
#include <stdint.h>

#include "base/file.h"
#include "fonts.h"

/* What a shaping plan may change in a font, for runs set without one
 * (shape_simple.c): per script and language. */
typedef struct dp_simple_plan {
    hb_script_t script;
    hb_language_t lang;
    uint8_t *flags;      /* per glyph: GPOS input or GDEF mark, ligature
                          * or component (1); GSUB input (2) */
    unsigned nglyphs;
    hb_set_t **lookup;   /* each GSUB lookup's input glyphs */
    unsigned *index;     /* and its index */
    unsigned nlookups;
} dp_simple_plan;
#define DP_SIMPLE_PLANS 8

struct dp_font {
    char *path;
    dp_file_id id;   /* which file it is, to load each file once */
    unsigned index;  /* the face within the file */
    hb_blob_t *blob; /* the mapped file */
    hb_face_t *face;
    hb_font_t *font; /* scale = upem: positions come out in font units */
    unsigned upem;
    double ascender, descender; /* in em, descender negative */
    /* runs that need no shaping: 0 not looked at yet, 1 the font may
     * have them, -1 never; their plans, made on first use under the
     * lock (a font may be shared by builds on several threads) */
    int simple;
    int nsimple;
    dp_simple_plan simple_plans[DP_SIMPLE_PLANS];
    uint32_t *bmp; /* the cmap for U+0000..FFFF, filled as used */
    pthread_mutex_t simple_lock;
};

#endif
