/*
 * Line breaking and justification of a shaped paragraph, following the
 * JLReq model (punctuation as half-width glyphs plus adjustable
 * space, 和欧間 quarter-em, line-head and line-end trimming, reduction
 * before expansion, justification by priority).
 */
#ifndef DP_TEXT_LINES_H
#define DP_TEXT_LINES_H

#include <stddef.h>

#include "shape.h"

typedef struct dp_line {
    size_t first, end;  /* units [first, end) drawn on this line */
    double width;       /* set width, pt (= measure unless last/forced) */
    int justified;      /* stretched or squeezed to the measure */
    int hang;           /* the last unit hangs into the margin */
} dp_line;

typedef struct dp_lines {
    dp_line *items;
    size_t n, cap;
} dp_lines;

void dp_lines_init(dp_lines *l);
void dp_lines_dispose(dp_lines *l);

enum {
    DP_LINES_HANGING = 1, /* 、。 may hang into the margin */
    DP_LINES_RAGGED = 2   /* titles and cells: no justification, balanced
                             lines, no one-character last line */
};

/*
 * Breaks p into lines of `width` points (the first line `first_width`)
 * and sets each unit's x on its line. flags: DP_LINES_*. Replaces what l
 * held. DP_ENOMEM on allocation failure.
 */
dp_status dp_lines_break(dp_lines *l, dp_para *p, double first_width,
                         double width, unsigned flags);

#endif
