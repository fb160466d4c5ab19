/*
 * Line-break opportunities (Unicode UAX #14 with the strict CJK tailoring
 * and JLReq's line-start and line-end prohibitions) and the JLReq
 * character classes used for punctuation spacing and justification.
 *
 * The UAX #14 class table is generated at build time from Debian's
 * unicode-data LineBreak.txt; the project carries no copy of it.
 */
#ifndef DP_TEXT_BREAKS_H
#define DP_TEXT_BREAKS_H

#include <stddef.h>
#include <stdint.h>

typedef enum dp_break {
    DP_BREAK_NONE = 0,     /* no break after this character */
    DP_BREAK_ALLOWED = 1,  /* a line may end after this character */
    DP_BREAK_MANDATORY = 2 /* a line must end after this character */
} dp_break;

/*
 * Break opportunities of a paragraph's text cps[0..n): out[i] says
 * whether a line may end after cps[i]. out[n-1] is always
 * DP_BREAK_MANDATORY (end of text). ja selects the Japanese tailoring
 * (JLReq line-start/line-end prohibitions, “‘ as OP and ”’ as CL, ― as
 * B2, ～ as NS); Latin words and numbers never break inside in either
 * mode. This function cannot fail.
 */
void dp_breaks_find(const uint32_t *cps, size_t n, int ja, uint8_t *out);

/* The same with plain UAX #14 (no JLReq tailoring): used by the Unicode
 * conformance test and as the base of dp_breaks_find(). */
void dp_breaks_find_uax14(const uint32_t *cps, size_t n, uint8_t *out);

/* JLReq character classes (appendix A), folded to what spacing needs. */
typedef enum dp_jclass {
    DP_JC_OTHER = 0,   /* anything not listed below */
    DP_JC_OPEN,        /* cl-01 opening brackets (full-width forms) */
    DP_JC_CLOSE,       /* cl-02 closing brackets (full-width forms) */
    DP_JC_HYPHEN,      /* cl-03 */
    DP_JC_DIVIDING,    /* cl-04 ！？ */
    DP_JC_MIDDLE_DOT,  /* cl-05 ・：； */
    DP_JC_FULL_STOP,   /* cl-06 。． */
    DP_JC_COMMA,       /* cl-07 、， */
    DP_JC_INSEPARABLE, /* cl-08 —…‥ */
    DP_JC_ITERATION,   /* cl-09 */
    DP_JC_PROLONGED,   /* cl-10 ー */
    DP_JC_SMALL_KANA,  /* cl-11 */
    DP_JC_PREFIX,      /* cl-12 ￥＄ */
    DP_JC_POSTFIX,     /* cl-13 ％℃ */
    DP_JC_IDEO_SPACE,  /* cl-14 U+3000 */
    DP_JC_KANA,        /* cl-15/16 hiragana and katakana */
    DP_JC_IDEOGRAPHIC, /* cl-19 kanji, full-width Latin and digits */
    DP_JC_WESTERN_SPACE, /* cl-26 U+0020 */
    DP_JC_WESTERN      /* cl-24/27 Latin letters, digits, Western punctuation */
} dp_jclass;

/* The JLReq class of cp. ASCII brackets and punctuation are
 * DP_JC_WESTERN: they are set in the proportional Latin font. */
dp_jclass dp_jclass_of(uint32_t cp);

#endif
