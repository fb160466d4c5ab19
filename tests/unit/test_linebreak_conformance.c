/*
 * Unicode's LineBreakTest (15.0, from Debian's unicode-data) through
 * dp_breaks_find_uax14(), and through dp_breaks_find(ja=1) to check that
 * the Japanese mode differs from UAX #14 only where a documented
 * tailoring (jlreq.md §2) applies.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>

#include "text/breaks.h"

#define TEST_FILE "/usr/share/unicode/auxiliary/LineBreakTest.txt"
#define MAX_CPS 64

typedef struct lb_case {
    uint32_t cps[MAX_CPS];
    uint8_t brk[MAX_CPS]; /* 1 where the test marks ÷ after cps[i] */
    size_t n;
    int line;
} lb_case;

/* Deliberate differences from LineBreakTest in plain UAX #14 mode, by
 * line number of the test file, each with its reason. None so far. */
static const struct {
    int line;
    const char *reason;
} uax_exceptions[] = {{0, NULL}};

static int is_uax_exception(int line)
{
    for (size_t k = 0; uax_exceptions[k].reason; k++)
        if (uax_exceptions[k].line == line)
            return 1;
    return 0;
}

/* Parses one test line ("× 0023 ÷ 0020 ÷ # comment"); 0 if no case. */
static int parse_case(char *s, int line, lb_case *c)
{
    char *hash = strchr(s, '#');
    if (hash)
        *hash = '\0';
    c->n = 0;
    c->line = line;
    for (char *p = s; *p;) {
        if ((unsigned char)p[0] == 0xC3 && (unsigned char)p[1] == 0xB7) {
            if (c->n > 0)
                c->brk[c->n - 1] = 1;
            p += 2;
        } else if ((unsigned char)p[0] == 0xC3 && (unsigned char)p[1] == 0x97) {
            if (c->n > 0)
                c->brk[c->n - 1] = 0;
            p += 2;
        } else if ((*p >= '0' && *p <= '9') || (*p >= 'A' && *p <= 'F')) {
            char *end;
            unsigned long v = strtoul(p, &end, 16);
            assert_true(c->n < MAX_CPS);
            c->cps[c->n] = (uint32_t)v;
            c->brk[c->n] = 0;
            c->n++;
            p = end;
        } else {
            p++;
        }
    }
    return c->n > 0;
}

static lb_case *load_cases(size_t *count)
{
    FILE *f = fopen(TEST_FILE, "r");
    if (!f) {
        fprintf(stderr, "%s missing: install the package unicode-data\n", TEST_FILE);
        fail();
    }
    size_t cap = 8192, n = 0;
    lb_case *cases = malloc(cap * sizeof *cases);
    assert_non_null(cases);
    char buf[4096];
    int line = 0;
    while (fgets(buf, sizeof buf, f)) {
        line++;
        if (n == cap) {
            cap *= 2;
            cases = realloc(cases, cap * sizeof *cases);
            assert_non_null(cases);
        }
        if (parse_case(buf, line, &cases[n]))
            n++;
    }
    fclose(f);
    *count = n;
    return cases;
}

static int same(const lb_case *c, const uint8_t *out)
{
    for (size_t i = 0; i < c->n; i++)
        if ((out[i] != DP_BREAK_NONE) != c->brk[i])
            return 0;
    return 1;
}

static void print_case(const char *what, const lb_case *c, const uint8_t *out)
{
    printf("%s line %d:", what, c->line);
    for (size_t i = 0; i < c->n; i++)
        printf(" %04X %s", (unsigned)c->cps[i], out[i] ? "÷" : "×");
    printf("   (expected");
    for (size_t i = 0; i < c->n; i++)
        printf(" %s", c->brk[i] ? "÷" : "×");
    printf(")\n");
}

static void test_linebreak_conformance_uax14(void **state)
{
    (void)state;
    size_t n;
    lb_case *cases = load_cases(&n);
    size_t pass = 0, excused = 0, shown = 0;
    uint8_t out[MAX_CPS];
    for (size_t k = 0; k < n; k++) {
        dp_breaks_find_uax14(cases[k].cps, cases[k].n, out);
        assert_int_equal(out[cases[k].n - 1], DP_BREAK_MANDATORY);
        if (same(&cases[k], out))
            pass++;
        else if (is_uax_exception(cases[k].line))
            excused++;
        else if (shown++ < 30)
            print_case("FAIL", &cases[k], out);
    }
    printf("LineBreakTest UAX14: %zu/%zu pass, %zu deliberate differences\n",
           pass, n, excused);
    free(cases);
    assert_int_equal(n, 7654);
    assert_int_equal(pass + excused, n);
}

/* The tailorings of jlreq.md §2 and the code points that trigger them. */
enum { T_QUOTES, T_BAR, T_WAVE, T_ELLIPSIS, T_COUNT };
static const char *const tailoring_names[T_COUNT] = {
    "(a) “‘ as OP, ”’ as CL", "(c) ― U+2015 as B2", "(d) ～ U+FF5E as NS",
    "(b) break before …‥ after kana or kanji"};

static int tailoring_of(uint32_t cp)
{
    switch (cp) {
    case 0x2018: case 0x2019: case 0x201C: case 0x201D:
        return T_QUOTES;
    case 0x2015:
        return T_BAR;
    case 0xFF5E:
        return T_WAVE;
    case 0x2024: case 0x2025: case 0x2026: case 0x22EF: case 0xFE19:
        return T_ELLIPSIS;
    default:
        return -1;
    }
}

/*
 * Compares ja mode with UAX #14 on c; a difference is explained when the
 * case holds a tailored character (counted under the first one found).
 * Returns 1 when the two modes agree.
 */
static int compare_ja(const lb_case *c, size_t per[T_COUNT], size_t *unexplained)
{
    uint8_t uax[MAX_CPS], ja[MAX_CPS];
    dp_breaks_find_uax14(c->cps, c->n, uax);
    dp_breaks_find(c->cps, c->n, 1, ja);
    if (memcmp(uax, ja, c->n) == 0)
        return 1;
    int t = -1;
    for (size_t i = 0; i < c->n && t < 0; i++)
        t = tailoring_of(c->cps[i]);
    if (t >= 0) {
        per[t]++;
    } else {
        (*unexplained)++;
        print_case("UNEXPLAINED", c, ja);
    }
    return 0;
}

/* LineBreakTest holds almost no tailored characters, so each case is
 * also run with its sample characters replaced by tailored ones of the
 * same or a neighbouring class: " by “ and by ” (QU in UAX #14),
 * — by ―, and ⌚ (ID) by ～ (ID in UAX #14). */
static const uint32_t substitutions[][2] = {
    {0x0022, 0x201C}, {0x0022, 0x201D}, {0x2014, 0x2015}, {0x231A, 0xFF5E}};

static void test_linebreak_conformance_ja_differs_only_by_tailoring(void **state)
{
    (void)state;
    size_t n;
    lb_case *cases = load_cases(&n);
    size_t same_count = 0, per[T_COUNT] = {0}, unexplained = 0;
    for (size_t k = 0; k < n; k++)
        same_count += (size_t)compare_ja(&cases[k], per, &unexplained);
    printf("LineBreakTest ja: %zu/%zu same as UAX14;", same_count, n);
    for (int t = 0; t < T_COUNT; t++)
        printf(" %s: %zu;", tailoring_names[t], per[t]);
    printf(" unexplained: %zu\n", unexplained);

    size_t variants = 0, vsame = 0, vper[T_COUNT] = {0};
    for (size_t s = 0; s < sizeof substitutions / sizeof substitutions[0]; s++) {
        for (size_t k = 0; k < n; k++) {
            lb_case v = cases[k];
            int hit = 0;
            for (size_t i = 0; i < v.n; i++) {
                if (v.cps[i] == substitutions[s][0]) {
                    v.cps[i] = substitutions[s][1];
                    hit = 1;
                }
            }
            if (!hit)
                continue;
            variants++;
            vsame += (size_t)compare_ja(&v, vper, &unexplained);
        }
    }
    printf("substituted variants ja: %zu/%zu same as UAX14;", vsame, variants);
    for (int t = 0; t < T_COUNT; t++)
        printf(" %s: %zu;", tailoring_names[t], vper[t]);
    printf(" unexplained: %zu\n", unexplained);
    free(cases);
    assert_int_equal(unexplained, 0);
    assert_true(vper[T_QUOTES] > 0 && vper[T_BAR] > 0 && vper[T_WAVE] > 0);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_linebreak_conformance_uax14),
        cmocka_unit_test(test_linebreak_conformance_ja_differs_only_by_tailoring),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
