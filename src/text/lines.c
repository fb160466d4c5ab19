/*
 * Lines of a shaped paragraph. The breaks are chosen for the whole
 * paragraph at once (total fit, choose_total_fit); only when no set of
 * breaks fits (a token wider than the line) are they chosen greedily,
 * each line taking the furthest break that fits with every reducible
 * space at its minimum. Each line is then squeezed or stretched to the
 * measure in JLReq's order of priority (Latin spaces, 和欧間, then the
 * space between Japanese characters).
 */
#include "lines.h"

#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "base/status.h"
#include "breaks.h"

void dp_lines_init(dp_lines *l)
{
    memset(l, 0, sizeof *l);
}

void dp_lines_dispose(dp_lines *l)
{
    free(l->items);
    memset(l, 0, sizeof *l);
}

static int is_cjk_letter(const dp_unit *u)
{
    return u->jclass == DP_JC_KANA || u->jclass == DP_JC_IDEOGRAPHIC ||
           u->jclass == DP_JC_SMALL_KANA || u->jclass == DP_JC_PROLONGED ||
           u->jclass == DP_JC_ITERATION;
}

static int is_closing(int c)
{
    return c == DP_JC_CLOSE || c == DP_JC_COMMA || c == DP_JC_FULL_STOP;
}

/* Spaces at a line end take no room: Western spaces and U+3000 (JLReq:
 * an ideographic space that ends a line is not carried over). */
static int drops_at_end(const dp_unit *u)
{
    return u->space || u->cp == 0x3000;
}

/* Kinds of adjustable space between two units; each but GAP_NONE is
 * the dp_glue_class it is reported as. */
enum { GAP_NONE = DP_GLUE_SPACE, GAP_PUNCT = DP_GLUE_PUNCT, GAP_STOP = DP_GLUE_STOP,
       GAP_WAOU = DP_GLUE_WAOU, GAP_PLAIN = DP_GLUE_PLAIN };

typedef struct gap {
    double nat;    /* natural width, pt */
    double shrink; /* how much can be taken away */
    double em;
    uint8_t kind;
} gap;

/*
 * The JLReq half-width model for full-width punctuation: the glyph keeps
 * only its inked half, the other half becomes space that the pair rules
 * merge and the line edges drop.
 */
static void model_punctuation(dp_para *p)
{
    for (size_t i = 0; i < p->n; i++) {
        dp_unit *u = &p->units[i];
        double em = u->size;
        u->before = u->after = u->shift = 0;
        u->fullwidth = u->nglyphs == 1 && fabs(u->adv - em) < em * 0.05;
        if (!u->fullwidth)
            continue;
        switch (u->jclass) {
        case DP_JC_OPEN:
            u->adv = em / 2;
            u->shift = -em / 2;
            u->before = em / 2;
            break;
        case DP_JC_CLOSE:
        case DP_JC_COMMA:
        case DP_JC_FULL_STOP:
            u->adv = em / 2;
            u->after = em / 2;
            break;
        case DP_JC_MIDDLE_DOT:
            u->adv = em / 2;
            u->shift = -em / 4;
            u->before = u->after = em / 4;
            break;
        default:
            break;
        }
    }
    /* A typed space beside the half em of a closing bracket, comma or
     * stop, or before that of an opening bracket, would add to it (】 イ
     * at ¾ em): it collapses into it. */
    for (size_t i = 0; i < p->n; i++) {
        dp_unit *u = &p->units[i];
        u->collapsed = 0;
        if (!u->space)
            continue;
        const dp_unit *a = i > 0 ? &p->units[i - 1] : NULL;
        const dp_unit *b = i + 1 < p->n ? &p->units[i + 1] : NULL;
        if ((a && a->fullwidth && a->after > 0) || (b && b->fullwidth && b->before > 0)) {
            u->adv = 0;
            u->collapsed = 1;
        }
    }
}

/* The space between units a and b (a mid-line gap). */
static gap gap_between(const dp_unit *a, const dp_unit *b)
{
    gap g = {0, 0, a->size, GAP_NONE};
    double after = a->after, before = b->before;
    /* 」」 、」 。」: solid between; the space goes after the last one. */
    if (is_closing(a->jclass) && a->fullwidth &&
        (is_closing(b->jclass) || b->jclass == DP_JC_MIDDLE_DOT))
        after = 0;
    /* 「「: solid; ・「 and 「 after an opening keep one space. */
    if (b->jclass == DP_JC_OPEN && a->jclass == DP_JC_OPEN)
        before = 0;
    double nat = after > before ? after : before;
    if (nat > 0) {
        g.nat = nat;
        if (a->jclass == DP_JC_FULL_STOP && after >= before) {
            g.kind = GAP_STOP; /* the ½ after a mid-line 。 stays */
        } else {
            g.kind = GAP_PUNCT;
            g.shrink = nat;
        }
        return g;
    }
    /* 和欧間: a quarter em between Japanese and Latin letters or digits,
     * also before an opening Latin bracket and after a closing one or a
     * Latin stop (as LuaTeX-ja's alxspmode does). */
    int latin_before = b->latin || b->cp == '(' || b->cp == '[';
    int latin_after = a->latin || a->cp == ')' || a->cp == ']' ||
                      a->cp == ',' || a->cp == '.' || a->cp == ':' || a->cp == ';';
    if ((is_cjk_letter(a) && latin_before) || (latin_after && is_cjk_letter(b))) {
        g.nat = g.em / 4;
        g.shrink = g.em / 8;
        g.kind = GAP_WAOU;
        return g;
    }
    /* never widen inside Latin words, numbers or URLs */
    if (a->brk == DP_BREAK_ALLOWED && !a->space && !b->space &&
        (is_cjk_letter(a) || is_cjk_letter(b) || a->fullwidth || b->fullwidth))
        g.kind = GAP_PLAIN;
    return g;
}

typedef struct fit {
    double nat, min; /* natural and minimum width of the line so far */
} fit;

static dp_status push_line(dp_lines *l, dp_line line)
{
    if (l->n == l->cap) {
        size_t cap = l->cap ? l->cap * 2 : 16;
        dp_line *items = realloc(l->items, cap * sizeof *items);
        if (!items)
            return DP_ENOMEM;
        l->items = items;
        l->cap = cap;
    }
    l->items[l->n++] = line;
    return DP_OK;
}

/* Width of units [s, e) set solid with mid-line gaps, trailing spaces
 * and the edge spaces dropped. */
static void measure(const dp_para *p, const gap *gaps, size_t s, size_t e,
                    double *nat, double *min)
{
    while (e > s + 1 && drops_at_end(&p->units[e - 1]))
        e--;
    double n = 0, m = 0;
    for (size_t i = s; i < e; i++) {
        const dp_unit *u = &p->units[i];
        n += u->adv;
        m += u->space ? u->adv * 0.75 : u->adv;
        if (i + 1 < e) {
            n += gaps[i].nat;
            m += gaps[i].nat - gaps[i].shrink;
        }
    }
    *nat = n;
    *min = m;
}

/*
 * Expansion (JLReq §3.8.3, as LuaTeX-ja sets it): first every
 * adjustable space of the line opens together, each in proportion to
 * its stretchability and up to its limit, so that the stretch spreads
 * thinly over the many gaps between Japanese characters instead of
 * opening the few beside Latin text: Western spaces up to ½ em, 和欧間
 * up to ⅜ em, breakable gaps between Japanese characters up to ¼ em
 * with a small stretchability (STIFF em each). Then those gaps open
 * without limit; a line with none opens its 和欧間 up to ½ em, and
 * beyond that stays ragged rather than letter-spaced.
 */
#define STIFF 0.04

enum { STRETCH_SHARED, STRETCH_PLAIN, STRETCH_WAOU, STRETCH_STAGES };

/* How much stage `stage` may add at unit i (its space) or after it (the
 * gap to i + 1) on a line ending before ve (INFINITY: no limit), and
 * with what weight (the share of the stage it takes). */
static double stretch_room(const dp_para *p, const gap *gaps, size_t i,
                           size_t ve, int stage, double *weight)
{
    const dp_unit *u = &p->units[i];
    double room = 0;
    *weight = 0;
    if (stage == STRETCH_SHARED) {
        if (u->space && !u->collapsed && u->size / 2 > u->adv)
            room = *weight = u->size / 2 - u->adv;
        else if (i + 1 < ve && gaps[i].kind == GAP_WAOU)
            room = *weight = u->size * 3 / 8 - gaps[i].nat;
        else if (i + 1 < ve && gaps[i].kind == GAP_PLAIN) {
            room = u->size / 4;
            *weight = u->size * STIFF;
        }
    } else if (stage == STRETCH_PLAIN) {
        if (i + 1 < ve && gaps[i].kind == GAP_PLAIN) {
            room = INFINITY;
            *weight = 1;
        }
    } else if (i + 1 < ve && gaps[i].kind == GAP_WAOU) {
        room = u->size / 8; /* from ⅜ to ½ em */
        *weight = room;
    }
    if (room <= 0)
        *weight = 0;
    return room > 0 ? room : 0;
}

/* Sets the x of units [s, e) from their advances, the gaps and the
 * adjustments (NULL: none); units from ve on (trailing spaces) take no
 * room. */
static void place(dp_para *p, const gap *gaps, size_t s, size_t e, size_t ve,
                  const double *extra, const double *spacew)
{
    double x = 0;
    for (size_t i = s; i < e; i++) {
        dp_unit *u = &p->units[i];
        u->x = x;
        if (i >= ve)
            continue;
        x += u->adv + (spacew ? spacew[i - s] : 0);
        if (i + 1 < ve)
            x += gaps[i].nat + (extra ? extra[i - s] : 0);
    }
}

/* What the glue of the line [s, ve) can give within JLReq's limits:
 * taken away (shrink) or added by the shared stage (the later stages
 * are past those limits, so a ratio over 1 says they were needed). */
static double line_room(const dp_para *p, const gap *gaps, size_t s, size_t ve,
                        int shrink)
{
    double room = 0, weight;
    for (size_t i = s; i < ve; i++) {
        if (shrink) {
            if (p->units[i].space)
                room += p->units[i].adv * 0.25;
            if (i + 1 < ve && (gaps[i].kind == GAP_PUNCT || gaps[i].kind == GAP_WAOU))
                room += gaps[i].shrink;
        } else {
            room += stretch_room(p, gaps, i, ve, STRETCH_SHARED, &weight);
        }
    }
    return room;
}

/*
 * Distributes `delta` (positive: stretch, negative: squeeze) over the
 * line [s, e) and sets the units' x. Each stage takes what it can before
 * the next one is asked (JLReq §3.8). Records in *ln how the line was
 * set (adjust, ratio, glue per class). DP_ENOMEM when out of memory.
 */
static dp_status set_line(dp_para *p, const gap *gaps, size_t s, size_t e,
                          double width, int justify, dp_line *ln)
{
    size_t ve = e; /* visible end: trailing spaces take no room */
    while (ve > s + 1 && drops_at_end(&p->units[ve - 1]))
        ve--;
    double nat, min;
    measure(p, gaps, s, e, &nat, &min);
    double delta = justify || nat > width ? width - nat : 0;

    /* extra[i]: space added after unit i (may be negative). */
    size_t n = ve - s;
    double *extra = calloc(n ? n : 1, sizeof *extra);
    double *spacew = calloc(n ? n : 1, sizeof *spacew);
    if (!extra || !spacew) {
        free(extra);
        free(spacew);
        return DP_ENOMEM;
    }
    if (delta < 0) {
        double need = -delta;
        /* 1: Western spaces down to ¾ */
        double avail = 0;
        for (size_t i = s; i < ve; i++)
            if (p->units[i].space)
                avail += p->units[i].adv * 0.25;
        if (avail > 0) {
            double r = need < avail ? need / avail : 1;
            for (size_t i = s; i < ve; i++)
                if (p->units[i].space)
                    spacew[i - s] -= p->units[i].adv * 0.25 * r;
            need -= avail * r;
        }
        /* 2: bracket and comma spaces, then 3: 和欧間 to ⅛ */
        for (int kind = GAP_PUNCT; kind <= GAP_WAOU && need > 1e-9; kind++) {
            if (kind == GAP_STOP)
                continue;
            avail = 0;
            for (size_t i = s; i + 1 < ve; i++)
                if (gaps[i].kind == kind)
                    avail += gaps[i].shrink;
            if (avail <= 0)
                continue;
            double r = need < avail ? need / avail : 1;
            for (size_t i = s; i + 1 < ve; i++)
                if (gaps[i].kind == kind)
                    extra[i - s] -= gaps[i].shrink * r;
            need -= avail * r;
        }
    } else if (delta > 0) {
        double need = delta;
        /* per unit: what it has taken of the current stage, and whether
         * it is at its limit */
        double *took = calloc(n ? n : 1, sizeof *took);
        uint8_t *full = calloc(n ? n : 1, 1);
        if (!took || !full) {
            free(took);
            free(full);
            free(extra);
            free(spacew);
            return DP_ENOMEM;
        }
        for (int stage = 0; stage < STRETCH_STAGES && need > 1e-9; stage++) {
            if (stage == STRETCH_WAOU) {
                /* only for a line without gaps between Japanese characters */
                int plain = 0;
                for (size_t i = s; i + 1 < ve && !plain; i++)
                    plain = gaps[i].kind == GAP_PLAIN;
                if (plain)
                    break;
            }
            memset(took, 0, (n ? n : 1) * sizeof *took);
            memset(full, 0, n ? n : 1);
            /* proportional shares; a share over its limit is cut to it
             * and the rest shared again among the others (each round
             * fills at least one more unit, or is the last) */
            for (size_t round = 0; round <= n && need > 1e-9; round++) {
                double wsum = 0, weight;
                for (size_t i = s; i < ve; i++)
                    if (!full[i - s] && stretch_room(p, gaps, i, ve, stage, &weight) > 0)
                        wsum += weight;
                if (wsum <= 0)
                    break;
                double r = need / wsum, given = 0;
                int capped = 0;
                for (size_t i = s; i < ve; i++) {
                    double room = stretch_room(p, gaps, i, ve, stage, &weight);
                    if (full[i - s] || room <= 0)
                        continue;
                    double add = weight * r;
                    if (add >= room - took[i - s]) {
                        add = room - took[i - s];
                        full[i - s] = 1;
                        capped = 1;
                    }
                    took[i - s] += add;
                    if (stage == STRETCH_SHARED && p->units[i].space)
                        spacew[i - s] += add;
                    else
                        extra[i - s] += add;
                    given += add;
                }
                need -= given;
                if (!capped)
                    break;
            }
        }
        free(took);
        free(full);
        /* Nothing adjustable (a long Latin token or URL cut at the
         * measure): the line stays ragged rather than letter-spaced. */
    }
    ln->adjust = delta;
    double room = line_room(p, gaps, s, ve, delta < 0);
    ln->ratio = delta == 0 ? 0 : room > 0 ? delta / room : delta > 0 ? INFINITY : -INFINITY;
    for (size_t i = s; i < ve; i++) {
        if (p->units[i].space) {
            ln->glue_nat[DP_GLUE_SPACE] += p->units[i].adv;
            ln->glue_adj[DP_GLUE_SPACE] += spacew[i - s];
        }
        if (i + 1 < ve && gaps[i].kind != GAP_NONE) {
            ln->glue_nat[gaps[i].kind] += gaps[i].nat;
            ln->glue_adj[gaps[i].kind] += extra[i - s];
        }
    }
    place(p, gaps, s, e, ve, extra, spacew);
    free(extra);
    free(spacew);
    return DP_OK;
}

/* A chosen break: the line ends before unit `end`; `hang`: its last unit
 * hangs in the margin. */
typedef struct brk {
    size_t end;
    int hang;
} brk;

typedef struct breaks {
    brk *items;
    size_t n, cap;
} breaks;

static int push_break(breaks *b, size_t end, int hang)
{
    if (b->n == b->cap) {
        size_t cap = b->cap ? b->cap * 2 : 16;
        brk *items = realloc(b->items, cap * sizeof *items);
        if (!items)
            return -1;
        b->items = items;
        b->cap = cap;
    }
    b->items[b->n++] = (brk){end, hang};
    return 0;
}

/*
 * Greedy choice: each line takes the furthest break whose minimum width
 * fits; with no break that fits, the line is cut where the measure ends.
 * Always succeeds (but for memory).
 */
static dp_status choose_greedy(breaks *out, dp_para *p, const gap *gaps,
                               double first_width, double width, int hanging)
{
    size_t s = 0;
    while (s < p->n) {
        double w = out->n == 0 ? first_width : width;
        size_t best = 0; /* end (exclusive) of the best break so far */
        int best_hang = 0;
        double min = 0;
        for (size_t e = s; e < p->n; e++) {
            const dp_unit *u = &p->units[e];
            if (e > s)
                min += gaps[e - 1].nat - gaps[e - 1].shrink;
            min += u->space ? u->adv * 0.75 : u->adv;
            /* past the measure by more than any edge trim: stop looking */
            if (min > w + 2 * u->size)
                break;
            if (u->brk == DP_BREAK_NONE)
                continue;
            double en, em_;
            measure(p, gaps, s, e + 1, &en, &em_);
            int hang = 0;
            if (em_ > w + 1e-6) {
                /* a final 、。 may hang into the margin when allowed */
                if (hanging && e > s && u->fullwidth &&
                    (u->jclass == DP_JC_COMMA || u->jclass == DP_JC_FULL_STOP)) {
                    double pn, pm;
                    measure(p, gaps, s, e, &pn, &pm);
                    hang = pm <= w + 1e-6;
                }
                if (!hang)
                    break;
            }
            best = e + 1;
            best_hang = hang;
            if (u->brk == DP_BREAK_MANDATORY)
                break;
        }
        if (best == 0) {
            /* No allowed break fits: break where the measure ends
             * (a word or token longer than the line). */
            double acc = 0;
            size_t e = s;
            while (e < p->n) {
                acc += p->units[e].adv + (e > s ? gaps[e - 1].nat : 0);
                if (acc > w + 1e-6 && e > s)
                    break;
                e++;
            }
            best = e;
        }
        if (push_break(out, best, best_hang) < 0)
            return DP_ENOMEM;
        s = best;
    }
    return DP_OK;
}

/* Scripts that display-text breaking tells apart. */
enum { SC_OTHER, SC_HIRAGANA, SC_KATAKANA, SC_KANJI, SC_LATIN, SC_OPEN, SC_CLOSE, SC_END,
       SC_SPACE };

static int script_of(const dp_unit *u)
{
    uint32_t c = u->cp;
    if (u->space || c == 0x3000)
        return SC_SPACE;
    if (u->jclass == DP_JC_OPEN || c == '(' || c == '[' || c == '<' || c == 0xFF1C)
        return SC_OPEN;
    if (u->jclass == DP_JC_CLOSE || c == ')' || c == ']' || c == '>' || c == 0xFF1E)
        return SC_CLOSE;
    if (is_closing(u->jclass) || u->jclass == DP_JC_MIDDLE_DOT ||
        u->jclass == DP_JC_DIVIDING || c == ',' || c == ':' || c == '!' || c == '?')
        return SC_END;
    if (c >= 0x3041 && c <= 0x309F)
        return SC_HIRAGANA;
    if ((c >= 0x30A0 && c <= 0x30FF) || (c >= 0x31F0 && c <= 0x31FF) ||
        (c >= 0xFF66 && c <= 0xFF9F))
        return SC_KATAKANA;
    if (u->jclass == DP_JC_IDEOGRAPHIC || u->jclass == DP_JC_ITERATION)
        return c < 0x2E80 ? SC_LATIN : SC_KANJI; /* full-width Latin letters */
    if (u->latin)
        return SC_LATIN;
    return SC_OTHER;
}

/* Kanji that open a compound particle after に or と (に対する, に関する,
 * に係る, に基づく, に伴う, に向けた, と共に ...): the particle is one
 * phrase with what follows, so no break before them. */
static int particle_kanji(uint32_t c)
{
    static const uint32_t k[] = {0x5BFE, 0x95A2, 0x4FC2, 0x57FA, 0x4F34, 0x5411, 0x5FDC,
                                 0x6CBF, 0x969B, 0x5F53, 0x6BD4, 0x5247, 0x5F93, 0x5171,
                                 0x9650};
    for (size_t i = 0; i < sizeof k / sizeof k[0]; i++)
        if (k[i] == c)
            return 1;
    return 0;
}

/* Demerits of a display-text line ending between units a and b: none at
 * a phrase boundary (after punctuation or a space, before an opening
 * bracket, after a particle before a new word); a little between Latin
 * and Japanese; much inside a run of hiragana, before hiragana (a
 * particle or the kana ending of a word), after an honorific ご or お and
 * inside a compound particle, more so after a closing bracket or a
 * space (a line that starts with a particle); and a break inside a run
 * of kanji or katakana (a compound word) only when no other break fits. */
#define PHRASE_NEVER 1e8

static double phrase_demerits(const dp_unit *a, const dp_unit *b)
{
    int x = script_of(a), y = script_of(b);
    if (y == SC_HIRAGANA && (x == SC_CLOSE || x == SC_SPACE))
        return 3000;
    if (x == SC_END || x == SC_CLOSE || x == SC_SPACE || y == SC_OPEN || y == SC_SPACE)
        return 0;
    if (y == SC_HIRAGANA)
        return 2000;
    if (x == SC_HIRAGANA) {
        if ((a->cp == 0x3054 || a->cp == 0x304A) && y == SC_KANJI)
            return 2000; /* ご家族, お知らせ */
        if ((a->cp == 0x306B || a->cp == 0x3068) && particle_kanji(b->cp))
            return 2000;
        return 0;
    }
    if ((x == SC_KANJI || x == SC_KATAKANA) && (y == SC_KANJI || y == SC_KATAKANA))
        return PHRASE_NEVER;
    return 300;
}

/*
 * The search of choose_total_fit: what it knows of the paragraph, and of
 * the break being tried (every line that ends there has the same visible
 * end, break demerits and chance to hang).
 */
typedef struct tf_para {
    const dp_unit *units;
    const gap *gaps;
    const double *nat, *shr, *str; /* prefix sums, see choose_total_fit */
    const double *cost;
    const size_t *cand; /* candidate starts, and their sums */
    const double *cnat, *cshr, *cstr;
    double first_width, width;
    double lim_first, lim; /* the widths plus what rounding may add */
    size_t n;
    int ragged, balanced;
} tf_para;

typedef struct tf_end {
    size_t e, ve;  /* the break, and the visible end before it */
    double brk_dem; /* demerits of breaking there (display text) */
    double lower;   /* no line ending there has fewer demerits */
    double size;    /* of the unit before the break */
    int final;      /* a last line, or one before a forced break */
    int may_hang;   /* the unit before ve is a 、。 that may hang */
} tf_end;

typedef struct tf_line {
    double N, S; /* natural width and shrink, a hanging stop taken off */
    int hang;
} tf_line;

/* Whether the line from candidate c to t->e fits (DP_OK, its widths in
 * *ln) or is too long (DP_ERR). */
static inline dp_status tf_fits(const tf_para *tf, const tf_end *t, size_t c, tf_line *ln)
{
    size_t s = tf->cand[c];
    size_t ve = t->ve > s ? t->ve : s + 1;
    double lim = s == 0 ? tf->lim_first : tf->lim;
    double N = tf->nat[ve] - tf->cnat[c];
    double S = tf->shr[ve] - tf->cshr[c];
    ln->hang = 0;
    if (N - S > lim) {
        /* a line of one unit ends at s + 1, not at t->ve */
        if (!t->may_hang || ve <= s + 1)
            return DP_ERR;
        /* the hanging stop takes no room on the line */
        const dp_unit *lu = &tf->units[ve - 1];
        double hang_w = lu->adv + tf->gaps[ve - 2].nat;
        double hs = tf->gaps[ve - 2].shrink;
        if (!(N - hang_w - (S - hs) <= lim))
            return DP_ERR;
        N -= hang_w;
        S -= hs;
        ln->hang = 1;
    }
    ln->N = N;
    ln->S = S;
    return DP_OK;
}

/*
 * Cost of reaching t->e with a line from candidate c that fits as *ln
 * says: the start's cost plus the line's demerits. The demerits are
 * never below t->lower: (10 + bad)^2 is at least 0, and at least 100
 * when bad cannot be negative (no width and no size below 0); what is
 * added to it is not negative, and rounding keeps the order.
 */
static inline double tf_total(const tf_para *tf, const tf_end *t, size_t c, const tf_line *ln)
{
    size_t s = tf->cand[c];
    size_t ve = t->ve > s ? t->ve : s + 1;
    double w = s == 0 ? tf->first_width : tf->width;
    double N = ln->N, S = ln->S;
    double T = tf->str[ve] - tf->cstr[c];
    double r, bad;
    if (N > w)
        r = S > 0 ? (N - w) / S : 0;
    else if (t->final && !tf->balanced)
        r = 0;
    else if (tf->ragged) /* slack is free, within reason */
        r = (w - N) / w;
    else /* nothing to stretch: only letter-spacing is left */
        r = (w - N) / (T > 0 ? T : 0.01 * t->size);
    bad = 100 * r * r * r;
    if (bad > 1e9)
        bad = 1e9; /* keep sums finite; still worse than any fit */
    double dem = (10 + bad) * (10 + bad) + (ln->hang ? 3000 : 0) + t->brk_dem;
    /* a last line of one or two characters looks like a mistake
     * (LuaTeX-ja's jcharwidowpenalty): pull them back if a little
     * squeezing or stretching above can */
    if (t->final && ve - s <= 2 && t->e - s < tf->n)
        dem += ve - s == 1 ? 80000 : 40000; /* one alone is worst */
    return tf->cost[s] + dem;
}

/*
 * Total fit: the breaks of the whole paragraph chosen together so that
 * the sum of the lines' demerits is least (after Knuth and Plass). A
 * line's badness grows with the cube of how far it must be squeezed or
 * stretched; Japanese inter-character space is given little stretch, so
 * filling a line by pushing in is preferred to pushing a character out,
 * as JLReq asks. Returns DP_ERR when no feasible set of breaks exists
 * (an unbreakable token wider than the line): the caller then falls back
 * to the greedy choice, which cuts such a token.
 */
static dp_status choose_total_fit(breaks *out, dp_para *p, const gap *gaps,
                                  double first_width, double width, int hanging,
                                  unsigned flags)
{
    size_t n = p->n;
    dp_status status = DP_OK;
    int ragged = (flags & DP_LINES_RAGGED) != 0;
    int phrase = (flags & DP_LINES_PHRASE) != 0;
    int balanced = ragged && (flags & DP_LINES_BALANCED) != 0;
    /* One block for the arrays below, n + 1 entries each: seven of
     * doubles, then two of size_t (no stricter alignment than a double
     * on the platforms we build for), then one of bytes. from and
     * hang_at are read only where cost is finite, which sets them. */
    _Static_assert(sizeof(double) % _Alignof(size_t) == 0, "size_t after doubles");
    size_t per = 7 * sizeof(double) + 2 * sizeof(size_t) + 1;
    if (n >= SIZE_MAX / per - 1)
        return DP_ENOMEM;
    unsigned char *block = malloc((n + 1) * per);
    if (!block)
        return DP_ENOMEM;
    /* prefix sums: natural advance, shrink and stretch of units and gaps */
    double *nat = (void *)block;
    double *shr = nat + (n + 1);
    double *str = shr + (n + 1);
    double *cost = str + (n + 1);
    /* per candidate start: the sums up to it with the gap before it taken
     * off (that gap is not on a line starting there), and its cost */
    double *cnat = cost + (n + 1);
    double *cshr = cnat + (n + 1);
    double *cstr = cshr + (n + 1);
    size_t *from = (void *)(block + 7 * (n + 1) * sizeof(double));
    size_t *cand = from + (n + 1);
    uint8_t *hang_at = block + (7 * sizeof(double) + 2 * sizeof(size_t)) * (n + 1);
    /* index k holds the sums over units [0, k) and gaps [0, k-1) */
    nat[0] = shr[0] = str[0] = 0;
    for (size_t i = 0; i < n; i++) {
        const dp_unit *u = &p->units[i];
        double a = u->adv, sh = 0, st = 0;
        if (u->space && !u->collapsed) {
            sh = u->adv * 0.25;
            st = u->size / 2 > u->adv ? u->size / 2 - u->adv : 0;
        }
        if (i > 0) {
            const gap *g = &gaps[i - 1];
            a += g->nat;
            sh += g->shrink;
            if (g->kind == GAP_WAOU)
                st += g->em / 8;
            else if (g->kind == GAP_PLAIN)
                st += g->em * STIFF; /* stiff: each CJK gap gives little */
        }
        nat[i + 1] = nat[i] + a;
        shr[i + 1] = shr[i] + sh;
        str[i + 1] = str[i] + st;
    }
    tf_para tf = {p->units, gaps, nat, shr, str, cost, cand, cnat, cshr, cstr,
                  first_width, width, first_width + 1e-6, width + 1e-6, n, ragged, balanced};
    size_t ncand = 0;
    /* over the candidates after the first: the least cost, and whether
     * their sums never decrease (see the loose starts below) */
    double rest_min = INFINITY;
    int rest_mono = 1;
    /* whether nat[cand[c]] never decreases along the candidates, and the
     * window's end found for the last break */
    int cand_mono = 1;
    size_t lo_prev = 0;
    cost[0] = 0;
    cand[ncand] = 0;
    cnat[ncand] = cshr[ncand] = cstr[ncand] = 0;
    ncand++;
    for (size_t e = 1; e <= n; e++) {
        const dp_unit *last = &p->units[e - 1];
        cost[e] = INFINITY;
        if (last->brk == DP_BREAK_NONE)
            continue;
        int final = e == n || last->brk == DP_BREAK_MANDATORY;
        /* Line starts are tried from the nearest backwards, but those
         * that would leave a line looser than a few ems are skipped
         * first (their badness is hopeless): a binary search finds the
         * nearest start that gives a long enough line. Only when no
         * start in that window fits are the loose ones tried. */
        double w0 = width;
        double slack = 3 * last->size;
        size_t lo = 0, hi = ncand; /* first c with nat[e]-nat[cand[c]] < w0-slack */
        if (cand_mono) {
            /* nat[e] - x never grows with x, rounded too: along
             * candidates whose nat never decreases the test holds and
             * then fails, so the bisection's answer is the one boundary,
             * found here from the last break's, which is near */
            lo = lo_prev < ncand ? lo_prev : ncand;
            while (lo > 0 && !(nat[e] - nat[cand[lo - 1]] >= w0 - slack))
                lo--;
            while (lo < ncand && nat[e] - nat[cand[lo]] >= w0 - slack)
                lo++;
            lo_prev = lo;
        } else {
            while (lo < hi) {
                size_t mid = (lo + hi) / 2;
                if (nat[e] - nat[cand[mid]] >= w0 - slack)
                    lo = mid + 1;
                else
                    hi = mid;
            }
        }
        /* a last line may be short; balanced lines may all be */
        size_t window = final || balanced ? ncand : lo;
        tf_end t;
        t.final = final;
        t.brk_dem = phrase && e < n ? phrase_demerits(last, &p->units[e]) : 0;
        t.lower = first_width >= 0 && width >= 0 && last->size >= 0 ? 100 + t.brk_dem
                                                                     : t.brk_dem;
        t.size = last->size;
        t.e = e;
        /* the visible end: trailing spaces take no room (but a line keeps
         * at least its first unit) */
        t.ve = e;
        while (t.ve > 0 && drops_at_end(&p->units[t.ve - 1]))
            t.ve--;
        /* whether a final 、。 may hang (on lines of two units or more) */
        const dp_unit *lu = t.ve > 0 ? &p->units[t.ve - 1] : NULL;
        t.may_hang = hanging && lu && lu->fullwidth &&
                     (lu->jclass == DP_JC_COMMA || lu->jclass == DP_JC_FULL_STOP);
        for (int pass = 0; pass < 2 && !isfinite(cost[e]); pass++) {
            size_t c_from = pass == 0 ? window : ncand;
            size_t c_to = pass == 0 ? 0 : window;
            /* The loose starts usually lose to the furthest one (the
             * longest line, from the cheapest start): it is tried first,
             * so that a start whose least possible total is above its
             * own can be passed over. Should a nearer start turn out too
             * long (the furthest is then out of reach), the starts are
             * tried again without it. */
            int far = 0;
            tf_line far_ln = {0, 0, 0};
            double far_v = 0, bound = INFINITY;
            if (pass == 1 && c_from - c_to >= 2 && tf_fits(&tf, &t, c_to, &far_ln) == DP_OK) {
                far = 1;
                far_v = bound = tf_total(&tf, &t, c_to, &far_ln);
            }
            size_t c_end = far ? c_to + 1 : c_to;
            /* A paragraph's first line (no start gives a long enough
             * line): the nearer starts need not be tried one by one when
             * none is too long and none can beat the furthest. Their sums
             * never decrease, so none has a line longer than the second
             * start's with the nearest start's shrink (and none is 0, so
             * all have the full width); none costs less than rest_min. */
            if (far && c_to == 0 && rest_mono && cand[ncand - 1] < t.ve) {
                double N = nat[t.ve] - cnat[1];
                double S = shr[t.ve] - cshr[ncand - 1];
                if (N - S <= tf.lim && rest_min + t.lower > far_v)
                    c_end = c_from;
            }
            for (size_t c = c_from; c-- > c_end;) {
                tf_line ln;
                if (tf_fits(&tf, &t, c, &ln) != DP_OK) {
                    if (!far)
                        break; /* too long, and longer still further back */
                    far = 0;
                    bound = INFINITY;
                    cost[e] = INFINITY;
                    c = c_from;
                    c_end = c_to;
                    continue;
                }
                size_t s = cand[c]; /* its cost is finite: only those are kept */
                /* cost[s] + dem cannot be below this (see tf_total) */
                double least = cost[s] + t.lower;
                if (least >= cost[e] || least > bound)
                    continue;
                double v = tf_total(&tf, &t, c, &ln);
                if (v < cost[e]) {
                    cost[e] = v;
                    from[e] = s;
                    hang_at[e] = (uint8_t)ln.hang;
                }
            }
            if (far && far_v < cost[e]) {
                cost[e] = far_v;
                from[e] = cand[c_to];
                hang_at[e] = (uint8_t)far_ln.hang;
            }
        }
        if (isfinite(cost[e])) {
            if (final && e < n) {
                /* a forced break: nothing may start before it */
                ncand = 0;
                rest_min = INFINITY;
                rest_mono = 1;
                cand_mono = 1;
            }
            const gap *g = &gaps[e - 1]; /* e < n: a line can start at e */
            cand[ncand] = e;
            if (e < n) {
                cnat[ncand] = nat[e] + g->nat;
                cshr[ncand] = shr[e] + g->shrink;
                cstr[ncand] = str[e] + (g->kind == GAP_WAOU    ? g->em / 8
                                        : g->kind == GAP_PLAIN ? g->em * STIFF
                                                               : 0);
                if (ncand >= 2)
                    rest_mono = rest_mono && cnat[ncand] >= cnat[ncand - 1] &&
                                cshr[ncand] >= cshr[ncand - 1];
            }
            if (ncand >= 1 && cost[e] < rest_min)
                rest_min = cost[e];
            if (ncand >= 1)
                cand_mono = cand_mono && nat[e] >= nat[cand[ncand - 1]];
            ncand++;
        } else if (final) {
            status = DP_ERR; /* no way to reach a forced break */
            goto done;
        }
    }
    if (!isfinite(cost[n])) {
        status = DP_ERR;
        goto done;
    }
    /* walk back from the end, then store the breaks in order */
    size_t count = 0;
    for (size_t e = n; e > 0; e = from[e])
        count++;
    out->n = 0;
    for (size_t k = 0; k < count; k++)
        if (push_break(out, 0, 0) < 0) {
            status = DP_ENOMEM;
            goto done;
        }
    size_t k = count;
    for (size_t e = n; e > 0; e = from[e])
        out->items[--k] = (brk){e, hang_at[e]};
done:
    free(block);
    return status;
}

dp_status dp_lines_break(dp_lines *l, dp_para *p, double first_width,
                         double width, unsigned flags)
{
    int hanging = (flags & DP_LINES_HANGING) != 0;
    int ragged = (flags & DP_LINES_RAGGED) != 0;
    dp_status status = DP_OK;
    l->n = 0;
    model_punctuation(p);
    gap *gaps = malloc((p->n ? p->n : 1) * sizeof *gaps);
    breaks b = {0};
    if (!gaps)
        return DP_ENOMEM;
    for (size_t i = 0; i + 1 < p->n; i++)
        gaps[i] = gap_between(&p->units[i], &p->units[i + 1]);
    gaps[p->n ? p->n - 1 : 0] = (gap){0, 0, 0, GAP_NONE}; /* after the last unit: none */

    if (p->n > 0) {
        status = choose_total_fit(&b, p, gaps, first_width, width, hanging, flags);
        if (status == DP_ERR) {
            b.n = 0;
            status = choose_greedy(&b, p, gaps, first_width, width, hanging);
        }
        if (status < 0)
            goto done;
    }
    size_t s = 0;
    for (size_t i = 0; i < b.n; i++) {
        size_t e = b.items[i].end;
        double w = i == 0 ? first_width : width;
        int last = e >= p->n || p->units[e - 1].brk == DP_BREAK_MANDATORY ||
                   ragged;
        dp_line line = {s, e, w, !last, b.items[i].hang, 0, 0, {0}, {0}};
        if (line.hang) {
            DP_TRY(set_line(p, gaps, s, e - 1, w, 1, &line));
            p->units[e - 1].x = w;
        } else {
            DP_TRY(set_line(p, gaps, s, e, w, !last, &line));
        }
        if (last) {
            size_t ve = e;
            while (ve > s + 1 && drops_at_end(&p->units[ve - 1]))
                ve--;
            line.width = p->units[ve - 1].x + p->units[ve - 1].adv;
        }
        DP_TRY(push_line(l, line));
        s = e;
    }
done:
    free(b.items);
    free(gaps);
    return status;
}
