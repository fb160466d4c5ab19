/* The HarfBuzz side of a loaded font, for the modules that shape with it
 * (text/shape.c) or subset it (pdf/cidfont.c): they take references to
 * its blob and face rather than reading the file again. Include it only
 * from .c files, so that HarfBuzz stays out of every other header. */
#ifndef DP_TEXT_FONT_FACE_H
#define DP_TEXT_FONT_FACE_H

#include <hb.h>

#include "base/file.h"
#include "fonts.h"

struct dp_font {
    char *path;
    dp_file_id id;   /* which file it is, to load each file once */
    unsigned index;  /* the face within the file */
    hb_blob_t *blob; /* the mapped file */
    hb_face_t *face;
    hb_font_t *font; /* scale = upem: positions come out in font units */
    unsigned upem;
    double ascender, descender; /* in em, descender negative */
};

#endif
