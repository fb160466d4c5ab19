/*
 * Line-break opportunities: UAX #14 (Unicode 15.0, LB1-LB31, numbers in
 * the regex form of UAX #14 example 7, CJ resolved to NS = strict) and the
 * Japanese tailoring after JLReq (curly quotes as brackets, ―― kept
 * whole, ～ as a wave dash that no line starts with; CJ resolved to NS,
 * so no line starts with small kana or ー); JLReq character classes.
 */
#include "text/breaks.h"

#include "text/gen/lbclass.h"

#define M(c) (UINT64_C(1) << DP_LB_##c)
#define IN_SET(c, set) (((UINT64_C(1) << (c)) & (set)) != 0)

/* Class sets used by several rules. */
#define S_ALHL (M(AL) | M(HL))
#define S_OP (M(OP) | M(OPW))
#define S_CP (M(CP) | M(CPW))
#define S_ID (M(ID) | M(IDPX) | M(EB) | M(EM))
#define S_HANGUL (M(JL) | M(JV) | M(JT) | M(H2) | M(H3))
#define S_HARD (M(BK) | M(CR) | M(LF) | M(NL))

static inline int lb_raw(uint32_t cp)
{
    if (cp > 0x10FFFF)
        return DP_LB_XX;
    return dp_lb_stage2[((unsigned)dp_lb_stage1[cp >> DP_LB_SHIFT] << DP_LB_SHIFT)
                        | (cp & DP_LB_MASK)];
}

/* LB1: classes the pair rules do not know. */
static inline int lb_resolve(int c)
{
    switch (c) {
    case DP_LB_AI:
    case DP_LB_SG:
    case DP_LB_XX:
    case DP_LB_SA:
        return DP_LB_AL;
    case DP_LB_SAM:
        return DP_LB_CM;
    case DP_LB_CJ:
        return DP_LB_NS; /* strict: no break before small kana and ー */
    default:
        return c;
    }
}

static inline int lb_class(uint32_t cp)
{
    return lb_resolve(lb_raw(cp));
}

/*
 * Japanese tailoring of the classes of a few characters (the rest of
 * JLReq's line-start and line-end rules are UAX #14's). ’ between two Latin
 * letters is an apostrophe (don’t), not a closing quote, so it keeps QU
 * there and the word stays whole.
 */
static int ja_class(const uint32_t *cps, size_t n, size_t i, int c)
{
    switch (cps[i]) {
    case 0x2018: /* ‘ */
    case 0x201C: /* “ */
        return DP_LB_OP;
    case 0x2019: /* ’ */
        if (i > 0 && i + 1 < n && IN_SET(lb_class(cps[i - 1]), S_ALHL)
            && IN_SET(lb_class(cps[i + 1]), S_ALHL))
            return c;
        return DP_LB_CL;
    case 0x201D: /* ” */
        return DP_LB_CL;
    case 0x2015: /* ― pairs like —— (LB17) */
        return DP_LB_B2;
    case 0xFF5E: /* ～ used as a wave dash, like 〜 */
        return DP_LB_NS;
    default:
        return c;
    }
}

static inline int class_at(const uint32_t *cps, size_t n, size_t i, int ja)
{
    int c = lb_class(cps[i]);
    if (ja && cps[i] >= 0x2015 && cps[i] <= 0xFF5E)
        c = ja_class(cps, n, i, c);
    return c;
}

/* LB25 lookahead: is the unit starting after position i a number? */
static int next_unit_is_nu(const uint32_t *cps, size_t n, size_t i, int ja)
{
    for (size_t j = i + 1; j < n; j++) {
        int c = class_at(cps, n, j, ja);
        if (c != DP_LB_CM && c != DP_LB_ZWJ)
            return c == DP_LB_NU;
    }
    return 0;
}

/*
 * The rules are applied to "units": a character with the combining marks
 * LB9 attaches to it. State kept about the units before position i:
 *   l      class of the unit ending at i-1 (CM/ZWJ alone read as AL, LB10)
 *   lraw   class of the character i-1 itself (LB4-LB8a look at it)
 *   lns    class of the last unit that is not SP (for the "X SP*" rules)
 *   ll     class of the unit before l (LB21a)
 *   num    LB25 state of l: 1 inside NU (NU|SY|IS)*, 2 after its CL/CP
 *   ri     length of the run of RI units ending at l (LB30a)
 */
static void find(const uint32_t *cps, size_t n, int ja, uint8_t *out)
{
    if (n == 0)
        return;
    int lraw = class_at(cps, n, 0, ja);
    int l = (lraw == DP_LB_CM || lraw == DP_LB_ZWJ) ? DP_LB_AL : lraw;
    int lns = l, ll = -1;
    int num = l == DP_LB_NU;
    unsigned ri = l == DP_LB_RI;

    for (size_t i = 1; i < n; i++) {
        int b = class_at(cps, n, i, ja);
        uint8_t brk;
        int r = b;
        int absorbed = 0;

        if (lraw == DP_LB_BK) { /* LB4 */
            brk = DP_BREAK_MANDATORY;
        } else if (lraw == DP_LB_CR && b == DP_LB_LF) { /* LB5 */
            brk = DP_BREAK_NONE;
        } else if (lraw == DP_LB_CR || lraw == DP_LB_LF || lraw == DP_LB_NL) {
            brk = DP_BREAK_MANDATORY;
        } else if (IN_SET(b, S_HARD | M(SP) | M(ZW))) { /* LB6, LB7 */
            brk = DP_BREAK_NONE;
        } else if (lns == DP_LB_ZW) { /* LB8: ZW SP* ÷ */
            brk = DP_BREAK_ALLOWED;
        } else if (lraw == DP_LB_ZWJ) { /* LB8a */
            brk = DP_BREAK_NONE;
            /* The ZWJ belongs to a unit that is never SP, so LB9 also
             * attaches a following mark to it. */
            absorbed = b == DP_LB_CM || b == DP_LB_ZWJ;
        } else if ((b == DP_LB_CM || b == DP_LB_ZWJ) && l != DP_LB_SP) {
            brk = DP_BREAK_NONE; /* LB9: X CM* is X */
            absorbed = 1;
        } else {
            if (b == DP_LB_CM || b == DP_LB_ZWJ)
                r = DP_LB_AL; /* LB10 */
            uint64_t R = UINT64_C(1) << r;
            uint64_t L = UINT64_C(1) << l;
            uint64_t LNS = UINT64_C(1) << lns;
            int no;
            if (l == DP_LB_ID && r == DP_LB_ID) /* most of Japanese text: */
                no = 0; /* no rule before LB31 matches ID ID (LB14 needs
                           lns OP, LB21a ll HL and l HY|BA) */
            else if (l == DP_LB_WJ || r == DP_LB_WJ) /* LB11 */
                no = 1;
            else if (l == DP_LB_GL) /* LB12 */
                no = 1;
            else if (r == DP_LB_GL && !(L & (M(SP) | M(BA) | M(HY)))) /* LB12a */
                no = 1;
            else if (R & (M(CL) | S_CP | M(EX) | M(IS) | M(SY))) /* LB13 */
                no = 1;
            else if (LNS & S_OP) /* LB14 */
                no = 1;
            else if (lns == DP_LB_QU && (R & S_OP)) /* LB15 */
                no = 1;
            else if ((LNS & (M(CL) | S_CP)) && r == DP_LB_NS) /* LB16 */
                no = 1;
            else if (lns == DP_LB_B2 && r == DP_LB_B2) /* LB17 */
                no = 1;
            else if (l == DP_LB_SP) /* LB18 */
                no = 0;
            else if (l == DP_LB_QU || r == DP_LB_QU) /* LB19 */
                no = 1;
            else if (l == DP_LB_CB || r == DP_LB_CB) /* LB20 */
                no = 0;
            else if ((R & (M(BA) | M(HY) | M(NS))) || l == DP_LB_BB) /* LB21 */
                no = 1;
            else if (ll == DP_LB_HL && (L & (M(HY) | M(BA)))) /* LB21a */
                no = 1;
            else if (l == DP_LB_SY && r == DP_LB_HL) /* LB21b */
                no = 1;
            /* LB22; in Japanese a break may come before a ……/‥‥ run
             * that follows kana or kanji (JLReq keeps only the run itself
             * whole) */
            else if (r == DP_LB_IN && !(ja && (L & S_ID)))
                no = 1;
            else if (((L & S_ALHL) && r == DP_LB_NU)
                     || (l == DP_LB_NU && (R & S_ALHL))) /* LB23 */
                no = 1;
            else if ((l == DP_LB_PR && (R & S_ID))
                     || ((L & S_ID) && r == DP_LB_PO)) /* LB23a */
                no = 1;
            else if (((L & (M(PR) | M(PO))) && (R & S_ALHL))
                     || ((L & S_ALHL) && (R & (M(PR) | M(PO))))) /* LB24 */
                no = 1;
            /* LB25, UAX #14 example 7:
             * (PR|PO) × (OP|HY)? NU;  (OP|HY) × NU;
             * NU (NU|SY|IS)* × (NU|SY|IS|CL|CP);
             * NU (NU|SY|IS)* (CL|CP)? × (PO|PR) */
            else if ((L & (M(PR) | M(PO)))
                     && (r == DP_LB_NU
                         || ((R & (S_OP | M(HY))) && next_unit_is_nu(cps, n, i, ja))))
                no = 1;
            else if ((L & (S_OP | M(HY))) && r == DP_LB_NU)
                no = 1;
            else if (num == 1 && (R & (M(NU) | M(SY) | M(IS) | M(CL) | S_CP)))
                no = 1;
            else if (num && (R & (M(PO) | M(PR))))
                no = 1;
            else if ((l == DP_LB_JL && (R & (M(JL) | M(JV) | M(H2) | M(H3))))
                     || ((L & (M(JV) | M(H2))) && (R & (M(JV) | M(JT))))
                     || ((L & (M(JT) | M(H3))) && r == DP_LB_JT)) /* LB26 */
                no = 1;
            else if (((L & S_HANGUL) && r == DP_LB_PO)
                     || (l == DP_LB_PR && (R & S_HANGUL))) /* LB27 */
                no = 1;
            else if ((L & S_ALHL) && (R & S_ALHL)) /* LB28 */
                no = 1;
            else if (l == DP_LB_IS && (R & S_ALHL)) /* LB29 */
                no = 1;
            else if (((L & (S_ALHL | M(NU))) && r == DP_LB_OP)
                     || (l == DP_LB_CP && (R & (S_ALHL | M(NU))))) /* LB30 */
                no = 1;
            else if (l == DP_LB_RI && r == DP_LB_RI && (ri & 1)) /* LB30a */
                no = 1;
            else if ((l == DP_LB_EB || l == DP_LB_IDPX) && r == DP_LB_EM) /* LB30b */
                no = 1;
            else /* LB31 */
                no = 0;
            brk = no ? DP_BREAK_NONE : DP_BREAK_ALLOWED;
        }
        out[i - 1] = brk;

        lraw = b;
        if (absorbed)
            continue;
        if (r == DP_LB_CM || r == DP_LB_ZWJ)
            r = DP_LB_AL; /* LB10: a mark after a hard break or a space */
        ll = l;
        l = r;
        if (r != DP_LB_SP)
            lns = r;
        if (r == DP_LB_NU)
            num = 1;
        else if (num == 1 && (r == DP_LB_SY || r == DP_LB_IS))
            num = 1;
        else if (num == 1 && (r == DP_LB_CL || r == DP_LB_CP || r == DP_LB_CPW))
            num = 2;
        else
            num = 0;
        ri = r == DP_LB_RI ? ri + 1 : 0;
    }
    out[n - 1] = DP_BREAK_MANDATORY; /* LB3 */
}

void dp_breaks_find_uax14(const uint32_t *cps, size_t n, uint8_t *out)
{
    find(cps, n, 0, out);
}

void dp_breaks_find(const uint32_t *cps, size_t n, int ja, uint8_t *out)
{
    find(cps, n, ja != 0, out);
}

/* cl-11 small kana in the hiragana and katakana blocks. */
static int is_small_kana(uint32_t cp)
{
    switch (cp) {
    case 0x3041: case 0x3043: case 0x3045: case 0x3047: case 0x3049:
    case 0x3063: case 0x3083: case 0x3085: case 0x3087: case 0x308E:
    case 0x3095: case 0x3096:
    case 0x30A1: case 0x30A3: case 0x30A5: case 0x30A7: case 0x30A9:
    case 0x30C3: case 0x30E3: case 0x30E5: case 0x30E7: case 0x30EE:
    case 0x30F5: case 0x30F6:
        return 1;
    default:
        return 0;
    }
}

/* cl-13 postfixed abbreviations among the CJK compatibility squares. */
static int is_square_postfix(uint32_t cp)
{
    switch (cp) {
    case 0x3303: case 0x330D: case 0x3314: case 0x3318: case 0x3322:
    case 0x3323: case 0x3326: case 0x3327: case 0x332B: case 0x3336:
    case 0x333B: case 0x3349: case 0x334A: case 0x334D: case 0x3351:
    case 0x3357: case 0x338E: case 0x338F: case 0x339C: case 0x339D:
    case 0x339E: case 0x33A1: case 0x33C4: case 0x33CB:
        return 1;
    default:
        return 0;
    }
}

dp_jclass dp_jclass_of(uint32_t cp)
{
    /* Latin text first: it is most of what is not kana or kanji. */
    if (cp < 0x80) {
        if (cp == 0x20)
            return DP_JC_WESTERN_SPACE;
        return cp < 0x20 || cp == 0x7F ? DP_JC_OTHER : DP_JC_WESTERN;
    }
    if (cp >= 0x4E00 && cp <= 0x9FFF)
        return DP_JC_IDEOGRAPHIC;
    if (cp >= 0x3041 && cp <= 0x3096)
        return is_small_kana(cp) ? DP_JC_SMALL_KANA : DP_JC_KANA;
    if (cp >= 0x30A1 && cp <= 0x30FA)
        return is_small_kana(cp) ? DP_JC_SMALL_KANA : DP_JC_KANA;

    switch (cp) {
    /* Full-width and CJK brackets; “‘ are set full-width by the
     * Japanese font. «» stay Western: they are set in the Latin font. */
    case 0x2018: case 0x201C: case 0x2985: case 0x3008: case 0x300A:
    case 0x300C: case 0x300E: case 0x3010: case 0x3014: case 0x3016:
    case 0x3018: case 0x301D: case 0xFF08: case 0xFF3B: case 0xFF5B:
    case 0xFF5F: case 0xFF62:
        return DP_JC_OPEN;
    case 0x2019: case 0x201D: case 0x2986: case 0x3009: case 0x300B:
    case 0x300D: case 0x300F: case 0x3011: case 0x3015: case 0x3017:
    case 0x3019: case 0x301F: case 0xFF09: case 0xFF3D: case 0xFF5D:
    case 0xFF60: case 0xFF63:
        return DP_JC_CLOSE;
    case 0x2010: case 0x2013: case 0x301C: case 0x30A0: case 0xFF5E:
        return DP_JC_HYPHEN;
    case 0x203C: case 0x2047: case 0x2048: case 0x2049: case 0xFF01:
    case 0xFF1F:
        return DP_JC_DIVIDING;
    case 0x30FB: case 0xFF1A: case 0xFF1B: case 0xFF65:
        return DP_JC_MIDDLE_DOT;
    case 0x3002: case 0xFF0E: case 0xFF61:
        return DP_JC_FULL_STOP;
    case 0x3001: case 0xFF0C: case 0xFF64:
        return DP_JC_COMMA;
    case 0x2014: case 0x2015: case 0x2025: case 0x2026: case 0x3033:
    case 0x3034: case 0x3035:
        return DP_JC_INSEPARABLE;
    case 0x3005: case 0x303B: case 0x309D: case 0x309E: case 0x30FD:
    case 0x30FE:
        return DP_JC_ITERATION;
    case 0x30FC: case 0xFF70:
        return DP_JC_PROLONGED;
    /* Prefix and postfix signs keep their class whatever the font: the
     * class only forbids breaks and spacing next to the number. */
    case 0x00A3: case 0x00A5: case 0x20AC: case 0x2116: case 0xFF04:
    case 0xFFE1: case 0xFFE5:
        return DP_JC_PREFIX;
    case 0x00A2: case 0x00B0: case 0x2030: case 0x2032: case 0x2033:
    case 0x2103: case 0x2113: case 0xFF05: case 0xFFE0:
        return DP_JC_POSTFIX;
    case 0x3000:
        return DP_JC_IDEO_SPACE;
    case 0x00A0: /* a Western word space that does not break */
        return DP_JC_WESTERN_SPACE;
    case 0x3006: case 0x3007: case 0x3012: case 0x3013: case 0x3020:
        return DP_JC_IDEOGRAPHIC; /* 〆 〇 〒 〓 〠 */
    default:
        break;
    }

    if ((cp >= 0x31F0 && cp <= 0x31FF) || (cp >= 0xFF67 && cp <= 0xFF6F))
        return DP_JC_SMALL_KANA;
    if (cp == 0xFF66 || (cp >= 0xFF71 && cp <= 0xFF9F))
        return DP_JC_KANA; /* half-width katakana */
    if (cp >= 0x3300 && cp <= 0x33FF)
        return is_square_postfix(cp) ? DP_JC_POSTFIX : DP_JC_IDEOGRAPHIC;
    if ((cp >= 0x3400 && cp <= 0x4DBF) || (cp >= 0xF900 && cp <= 0xFAFF)
        || (cp >= 0x20000 && cp <= 0x3FFFF) || (cp >= 0x2E80 && cp <= 0x2FDF)
        || (cp >= 0x3190 && cp <= 0x31EF) || (cp >= 0x3200 && cp <= 0x32FF))
        return DP_JC_IDEOGRAPHIC;
    /* Full-width Latin letters, digits and the remaining full-width
     * symbols are set solid like kanji (JLReq). */
    if ((cp >= 0xFF10 && cp <= 0xFF5A) || (cp >= 0xFFE2 && cp <= 0xFFE4))
        return DP_JC_IDEOGRAPHIC;
    /* Latin-1 to Cyrillic, Latin Extended Additional, Greek Extended and
     * the general punctuation not listed above: proportional Western.
     * ‖ † ‡ ※ come from JIS X 0208 and are set full-width by the Japanese
     * font, and U+2028-202F are separators and format controls: neither
     * is Western text. */
    if ((cp >= 0xA1 && cp <= 0x52F) || (cp >= 0x1E00 && cp <= 0x1FFF))
        return DP_JC_WESTERN;
    if ((cp >= 0x2010 && cp <= 0x2027) || (cp >= 0x2030 && cp <= 0x205E)) {
        if (cp == 0x2016 || cp == 0x2020 || cp == 0x2021 || cp == 0x203B)
            return DP_JC_OTHER;
        return DP_JC_WESTERN;
    }
    return DP_JC_OTHER;
}
