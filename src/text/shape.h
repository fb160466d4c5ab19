/*
 * Shaping a paragraph: styled text spans → clusters ("units") of glyphs
 * with advances in points, font fallback per character, break
 * opportunities and JLReq classes per unit. The only place that turns
 * text into glyphs.
 */
#ifndef DP_TEXT_SHAPE_H
#define DP_TEXT_SHAPE_H

#include <stddef.h>
#include <stdint.h>

#include "base/arena.h"
#include "base/diag.h"
#include "fonts.h"

/* One styled piece of a paragraph's text. */
typedef struct dp_span {
    const char *text;
    size_t len;
    int font;          /* DP_FONT_BODY or DP_FONT_HEADING */
    double size;       /* pt */
    uint32_t color;    /* 0xRRGGBB */
    const char *href;  /* link target or NULL (borrowed) */
    const char *lang;  /* BCP 47 tag, "ja" when NULL */
    long line;         /* source line, for warnings */
    int url;           /* a URL: may also break after / . - ? & = */
    const char *ruby;  /* reading set above this span (never broken) */
    int emph;          /* emphasis: sesame dots above its Japanese letters */
} dp_span;

typedef struct dp_glyph {
    uint32_t gid;
    double adv, dx, dy; /* pt */
} dp_glyph;

/* A cluster: the smallest piece that lines are built from. */
typedef struct dp_unit {
    const char *text;   /* its UTF-8 text (in the caller's arena) */
    uint32_t text_len;
    uint32_t cp;        /* first code point */
    uint32_t glyph;     /* first glyph in dp_para.glyphs */
    uint32_t nglyphs;   /* a letter may carry thousands of marks */
    uint8_t font;
    uint8_t jclass;     /* dp_jclass */
    uint8_t brk;        /* dp_break after this unit */
    uint8_t space;      /* a Western space (adjustable) */
    uint8_t fullwidth;  /* a full-width punctuation glyph (JLReq model) */
    uint8_t latin;      /* a Latin letter or digit (for 和欧 spacing) */
    uint8_t collapsed;  /* a Western space beside a bracket's own space:
                           no width, no stretch (set by dp_lines_break) */
    uint32_t span;      /* index of its dp_span (a paragraph may have more than 65 535) */
    double size;
    double adv;         /* natural advance, pt (after JLReq half-width model) */
    double shift;       /* x offset of the glyphs inside the unit, pt */
    double before, after; /* JLReq space wanted before/after, pt */
    double x;           /* position on its line, set by dp_lines_break */
} dp_unit;

typedef struct dp_para {
    dp_unit *units;
    size_t n, cap;
    dp_glyph *glyphs;
    size_t ng, gcap;
    const dp_span *spans;
    size_t nspans;
    /* scratch, reused between paragraphs */
    uint32_t *cps;
    uint32_t *cp_off;  /* byte offset of each code point in text */
    uint32_t *cp_span;
    int8_t *cp_font;
    uint8_t *cp_brk;
    size_t ncp, cpcap;
    size_t simple_runs; /* runs set without HarfBuzz's shaper (shape_simple.h) */
    void *hb_buf;
} dp_para;

void dp_para_init(dp_para *p);
void dp_para_dispose(dp_para *p);

/*
 * Shapes spans[0..nspans) into p (replacing what it held). Unit texts are
 * copied into arena, so they outlive p. A character no font has is drawn
 * as U+FFFD from the first font that has one, with a warning naming it
 * and file:line. DP_ENOMEM or DP_ELIMIT (paragraph over
 * DP_MAX_PARAGRAPH_BYTES) on failure.
 */
dp_status dp_para_shape(dp_para *p, dp_fontset *fs, dp_arena *arena,
                        dp_diags *d, const char *file, const dp_span *spans,
                        size_t nspans);

/*
 * The ink of units [first, end) of p as their x place them (dp_lines_break()
 * or a label's layout): *left and *right, pt, from the glyphs' outlines
 * rather than their advances. With no ink (spaces), both are the first
 * unit's x. This function cannot fail.
 */
void dp_para_ink(const dp_para *p, const dp_fontset *fs, size_t first, size_t end,
                 double *left, double *right);

/* The ink of unit i's first glyph above its baseline: *bottom and *top,
 * pt (0 and 0 without ink). This function cannot fail. */
void dp_para_ink_height(const dp_para *p, const dp_fontset *fs, size_t i, double *bottom,
                        double *top);

#endif
