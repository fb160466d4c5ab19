/*
 * Line breaking and justification of a shaped paragraph, following the
 * JLReq model (punctuation as half-width glyphs plus adjustable
 * space, 和欧間 quarter-em, line-head and line-end trimming, reduction
 * before expansion, justification by priority).
 */
#ifndef DP_TEXT_LINES_H
#define DP_TEXT_LINES_H

#include <stddef.h>

#include "base/buf.h"
#include "shape.h"

/* Classes of adjustable space on a line, in the order JLReq adjusts
 * them. */
typedef enum dp_glue_class {
    DP_GLUE_SPACE, /* Western spaces */
    DP_GLUE_PUNCT, /* the half em beside brackets, commas, middle dots */
    DP_GLUE_STOP,  /* the half em after a mid-line 。 (never squeezed) */
    DP_GLUE_WAOU,  /* 和欧間: between Japanese and Latin */
    DP_GLUE_PLAIN, /* between Japanese characters (stretch only) */
    DP_GLUE_N
} dp_glue_class;

typedef struct dp_line {
    size_t first, end;  /* units [first, end) drawn on this line */
    double width;       /* set width, pt (= measure unless last/forced) */
    int justified;      /* stretched or squeezed to the measure */
    int hang;           /* the last unit hangs into the margin */
    /* How the line was set: the width it was squeezed (< 0) or stretched
     * (> 0) by, pt; that amount over what its glue could give within
     * JLReq's limits (-1..1 within them; beyond 1 the Japanese gaps were
     * opened without limit; infinite when the line has no glue); and per
     * dp_glue_class the natural glue and what was added to it, pt. */
    double adjust;
    double ratio;
    double glue_nat[DP_GLUE_N], glue_adj[DP_GLUE_N];
} dp_line;

typedef struct dp_lines {
    dp_line *items;
    size_t n, cap;
} dp_lines;

void dp_lines_init(dp_lines *l);
void dp_lines_dispose(dp_lines *l);

enum {
    DP_LINES_HANGING = 1, /* 、。 may hang into the margin */
    DP_LINES_RAGGED = 2,  /* titles and cells: no justification, no
                             one-character last line */
    DP_LINES_PHRASE = 4,  /* display text: break between phrases (after
                             】、・ and particles, before 【「), never inside
                             a run of kanji or a katakana word unless
                             nothing else fits */
    DP_LINES_BALANCED = 8 /* with RAGGED: lines of even length, the last
                             one too */
};

/*
 * Breaks p into lines of `width` points (the first line `first_width`)
 * and sets each unit's x on its line. flags: DP_LINES_*. Replaces what l
 * held. DP_ENOMEM on allocation failure.
 */
dp_status dp_lines_break(dp_lines *l, dp_para *p, double first_width,
                         double width, unsigned flags);

/*
 * Appends p's lines l (as dp_lines_break set them) to out as text, for
 * `digestpdf build --dump=lines`: a `para` line with the source line of
 * its first span, then one line per dp_line: its units, width, how it
 * ends, the adjustment and ratio, the glue per class and its text. Only
 * whole hundredths of a point are written, so the text is the same on
 * every machine. DP_ENOMEM or DP_ELIMIT from the buffer.
 */
dp_status dp_lines_dump(dp_buf *out, const dp_para *p, const dp_lines *l);

#endif
