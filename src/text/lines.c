/*
 * Lines are chosen greedily: each line takes the furthest break whose
 * width, with every reducible space at its minimum, fits the measure
 * (JLReq prefers pushing in over pushing out). The line is then squeezed
 * or stretched to the measure in JLReq's order of priority.
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

/* Kinds of adjustable space between two units. */
enum { GAP_NONE, GAP_PUNCT, GAP_STOP, GAP_WAOU, GAP_PLAIN };

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
    /* 和欧間: a quarter em between Japanese and Latin letters or digits. */
    if ((is_cjk_letter(a) && b->latin) || (a->latin && is_cjk_letter(b))) {
        g.nat = g.em / 4;
        g.shrink = g.em / 8;
        g.kind = GAP_WAOU;
        return g;
    }
    if (a->brk == DP_BREAK_ALLOWED && !a->space && !b->space)
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
 * Distributes `delta` (positive: stretch, negative: squeeze) over the
 * line [s, e) and sets the units' x. Each stage takes what it can before
 * the next one is asked (JLReq §3.8).
 */
static void set_line(dp_para *p, const gap *gaps, size_t s, size_t e,
                     double width, int justify)
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
    if (!extra || !spacew) { /* keep natural spacing rather than fail */
        free(extra);
        free(spacew);
        extra = spacew = NULL;
        delta = 0;
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
                    // NOLINTNEXTLINE(clang-analyzer-core.NullDereference): extra/spacew are NULL only with delta 0, which enters neither branch
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
                    // NOLINTNEXTLINE(clang-analyzer-core.NullDereference): extra/spacew are NULL only with delta 0, which enters neither branch
                    extra[i - s] -= gaps[i].shrink * r;
            need -= avail * r;
        }
    } else if (delta > 0) {
        double need = delta;
        /* a: Western spaces up to ½ em, b: 和欧間 up to ½ em,
         * c: breakable gaps up to ¼ em, d: c-gaps without limit. */
        for (int stage = 0; stage < 4 && need > 1e-9; stage++) {
            double avail = 0;
            size_t count = 0;
            for (size_t i = s; i < ve; i++) {
                const dp_unit *u = &p->units[i];
                double room = 0;
                if (stage == 0 && u->space)
                    room = u->size / 2 - u->adv;
                else if (i + 1 < ve && stage == 1 && gaps[i].kind == GAP_WAOU)
                    room = u->size / 2 - gaps[i].nat;
                else if (i + 1 < ve && stage >= 2 && gaps[i].kind == GAP_PLAIN)
                    room = stage == 2 ? u->size / 4 : INFINITY;
                if (room > 0) {
                    avail += isinf(room) ? 0 : room;
                    count++;
                }
            }
            if (count == 0)
                continue;
            double r = stage == 3 ? 0 : (need < avail ? need / avail : 1);
            for (size_t i = s; i < ve; i++) {
                const dp_unit *u = &p->units[i];
                double room = 0;
                if (stage == 0 && u->space)
                    room = u->size / 2 - u->adv;
                else if (i + 1 < ve && stage == 1 && gaps[i].kind == GAP_WAOU)
                    room = u->size / 2 - gaps[i].nat;
                else if (i + 1 < ve && stage >= 2 && gaps[i].kind == GAP_PLAIN)
                    room = stage == 2 ? u->size / 4 : INFINITY;
                if (room <= 0)
                    continue;
                double add = stage == 3 ? need / (double)count : room * r;
                if (stage == 0)
                    // NOLINTNEXTLINE(clang-analyzer-core.NullDereference): extra/spacew are NULL only with delta 0, which enters neither branch
                    spacew[i - s] += add;
                else
                    extra[i - s] += add;
            }
            need = stage == 3 ? 0 : need - avail * r;
        }
        /* Nothing adjustable (one long Latin word): letter-space it. */
        if (need > 1e-9 && ve - s > 1)
            for (size_t i = s; i + 1 < ve; i++)
                // NOLINTNEXTLINE(clang-analyzer-core.NullDereference): extra/spacew are NULL only with delta 0, which enters neither branch
                extra[i - s] += need / (double)(ve - s - 1);
    }
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
    free(extra);
    free(spacew);
}

dp_status dp_lines_break(dp_lines *l, dp_para *p, double first_width,
                         double width, int hanging)
{
    dp_status status = DP_OK;
    l->n = 0;
    model_punctuation(p);
    gap *gaps = malloc((p->n ? p->n : 1) * sizeof *gaps);
    if (!gaps)
        return DP_ENOMEM;
    for (size_t i = 0; i + 1 < p->n; i++)
        gaps[i] = gap_between(&p->units[i], &p->units[i + 1]);

    size_t s = 0;
    while (s < p->n) {
        double w = l->n == 0 ? first_width : width;
        size_t best = 0; /* end (exclusive) of the best break so far */
        int best_hang = 0, forced = 0;
        double nat = 0, min = 0;
        for (size_t e = s; e < p->n; e++) {
            const dp_unit *u = &p->units[e];
            /* running widths up to unit e, as if the line ended at e */
            double un = u->adv, um = u->space ? u->adv * 0.75 : u->adv;
            if (e > s) {
                // NOLINTNEXTLINE(clang-analyzer-core.uninitialized.Assign): gaps[0..n-1) are set above and e - 1 < n - 1 here
                nat += gaps[e - 1].nat;
                min += gaps[e - 1].nat - gaps[e - 1].shrink;
            }
            nat += un;
            min += um;
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
            if (u->brk == DP_BREAK_MANDATORY) {
                forced = 1;
                break;
            }
        }
        if (best == 0) {
            /* No allowed break fits: break where the measure ends
             * (a word or token longer than the line). */
            double acc = 0;
            size_t e = s;
            while (e < p->n) {
                // NOLINTNEXTLINE(clang-analyzer-core.UndefinedBinaryOperatorResult): gaps[0..n-1) are set above and e - 1 < n - 1 here
                acc += p->units[e].adv + (e > s ? gaps[e - 1].nat : 0);
                if (acc > w + 1e-6 && e > s)
                    break;
                e++;
            }
            best = e;
        }
        int last = best >= p->n || forced;
        dp_line line = {s, best, w, !last, best_hang};
        if (best_hang) {
            set_line(p, gaps, s, best - 1, w, 1);
            dp_unit *h = &p->units[best - 1];
            h->x = w;
        } else {
            set_line(p, gaps, s, best, w, !last);
        }
        if (last) {
            size_t ve = best;
            while (ve > s + 1 && drops_at_end(&p->units[ve - 1]))
                ve--;
            line.width = p->units[ve - 1].x + p->units[ve - 1].adv;
        }
        DP_TRY(push_line(l, line));
        s = best;
    }
done:
    free(gaps);
    return status;
}
