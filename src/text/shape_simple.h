/*
 * Runs that need no shaping: characters HarfBuzz would give their nominal
 * glyphs and advances and nothing else, set without running its shaper.
 * Most of a Japanese digest's text is such runs (kana, kanji, ASCII and
 * CJK punctuation in a font whose default features leave those glyphs
 * alone), and shaping them cost a sixth of a build.
 *
 * HarfBuzz's output is the reference: a run is taken only when nothing
 * HarfBuzz would do can change it. Its characters must be ones its
 * normalisation and clustering keep (no marks, joiners, selectors or
 * default ignorables, each with a glyph in the font); no GSUB lookup of
 * the plan's features may change the run's glyphs (shape_simple.c says
 * how that is decided); no glyph may be input to a GPOS lookup of the
 * plan or a mark by GDEF; and the font must have none of the tables
 * HarfBuzz applies outside lookups (kern, kerx, morx, mort, trak).
 * test_shape sets text of every kind both ways and compares.
 */
#ifndef DP_TEXT_SHAPE_SIMPLE_H
#define DP_TEXT_SHAPE_SIMPLE_H

#include <hb.h>

#include "font_face.h"

/* buf holds a run's characters with its segment properties set (as for
 * hb_shape). When the run needs no shaping, sets its glyphs and advances
 * as hb_shape would (clusters stay one per character) and returns 1;
 * else returns 0 and leaves buf as it was. */
int dp_shape_simple(dp_font *font, hb_buffer_t *buf);

/* Frees what dp_shape_simple kept for font. */
void dp_shape_simple_dispose(dp_font *font);

#endif
