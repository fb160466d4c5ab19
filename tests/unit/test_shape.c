/* Shaping: clusters, advances, font fallback and missing characters. */
#include <math.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>

#include "text/font_face.h"
#include "text/shape.h"

#define MINCHO "/usr/share/fonts/opentype/ipaexfont-mincho/ipaexm.ttf"
#define GOTHIC "/usr/share/fonts/opentype/ipaexfont-gothic/ipaexg.ttf"
#define DEJAVU "/usr/share/fonts/truetype/dejavu/DejaVuSans.ttf"
#define NOTO_JP "/usr/share/fonts/opentype/noto/NotoSansCJK-Regular.ttc"

typedef struct fixture {
    dp_fontset fs;
    dp_para p;
    dp_arena arena;
    dp_diags d;
} fixture;

static int setup(void **state)
{
    static fixture f;
    const char *paths[] = {MINCHO, GOTHIC, NULL, NULL, DEJAVU};
    dp_diags_init(&f.d);
    if (dp_fontset_load(&f.fs, &f.d, "test", paths, 5) != DP_OK)
        return -1;
    dp_para_init(&f.p);
    dp_arena_init(&f.arena);
    *state = &f;
    return 0;
}

static int teardown(void **state)
{
    fixture *f = *state;
    dp_para_dispose(&f->p);
    dp_arena_dispose(&f->arena);
    dp_fontset_dispose(&f->fs);
    dp_diags_dispose(&f->d);
    return 0;
}

static dp_status shape(fixture *f, const char *text, double size)
{
    static dp_span span;
    span = (dp_span){text, strlen(text), DP_FONT_BODY, size, 0, NULL, "ja", 7, 0, NULL, 0};
    dp_diags_dispose(&f->d);
    dp_diags_init(&f->d);
    return dp_para_shape(&f->p, &f->fs, &f->arena, &f->d, "t.xml", &span, 1);
}

static void test_shape_japanese_full_width(void **state)
{
    fixture *f = *state;
    assert_int_equal(shape(f, "日本語、テスト。", 10), DP_OK);
    assert_int_equal(f->p.n, 8);
    for (size_t i = 0; i < f->p.n; i++) {
        assert_int_equal(f->p.units[i].font, DP_FONT_BODY);
        assert_true(fabs(f->p.units[i].adv - 10) < 0.01); /* 1 em */
        assert_int_equal(f->p.units[i].text_len, 3);
    }
    assert_int_equal(f->d.count, 0);
}

static void test_shape_latin_proportional(void **state)
{
    fixture *f = *state;
    assert_int_equal(shape(f, "Wil", 10), DP_OK);
    assert_int_equal(f->p.n, 3);
    assert_true(f->p.units[0].adv > f->p.units[2].adv); /* W wider than l */
    assert_true(f->p.units[0].latin);
}

static void test_shape_fallback_font(void **state)
{
    fixture *f = *state;
    /* Armenian U+0531 is not in IPAex; DejaVu has it */
    assert_int_equal(shape(f, "確認Ա済", 10), DP_OK);
    assert_int_equal(f->p.n, 4);
    assert_int_equal(f->p.units[2].font, DP_FONT_FALLBACK);
    assert_int_equal(f->p.units[0].font, DP_FONT_BODY);
    assert_int_equal(f->d.count, 0);
}

static void test_shape_missing_character_warns(void **state)
{
    fixture *f = *state;
    /* U+20BB7 is in none of the three fonts */
    assert_int_equal(shape(f, "𠮷野", 10), DP_OK);
    assert_int_equal(f->d.count, 1);
    assert_int_equal(f->d.items[0].severity, DP_DIAG_WARNING);
    assert_int_equal(f->d.items[0].line, 7);
    assert_non_null(strstr(f->d.items[0].message, "U+20BB7"));
    /* still drawn (a replacement glyph) and still the source text */
    assert_int_equal(f->p.n, 2);
    assert_int_equal(f->p.units[0].nglyphs, 1);
    assert_int_equal(f->p.units[0].text_len, 4);
    assert_memory_equal(f->p.units[0].text, "𠮷", 4);
    assert_true(f->p.units[0].adv > 0);
}

static void test_shape_break_flags(void **state)
{
    fixture *f = *state;
    assert_int_equal(shape(f, "あい。う", 10), DP_OK);
    assert_int_equal(f->p.units[1].brk, 0); /* not before 。 */
    assert_int_equal(f->p.units[2].brk, 1);
    assert_int_equal(f->p.units[3].brk, 2);
}

/* 葛 with VS17 (U+E0100): one cluster, from the font that has the
 * variant (IPAmj Mincho), its text the whole sequence; half-width kana
 * stay half width. */
static void test_shape_variation_sequence_and_halfwidth(void **state)
{
    (void)state;
    dp_fontset fs;
    dp_diags d;
    dp_diags_init(&d);
    const char *paths[] = {MINCHO, GOTHIC, NULL, NULL, DEJAVU,
                           "/usr/share/fonts/truetype/ipamj/ipamjm.ttf"};
    assert_int_equal(dp_fontset_load(&fs, &d, "test", paths, 6), DP_OK);
    dp_para p;
    dp_arena a;
    dp_para_init(&p);
    dp_arena_init(&a);
    const char *text = "葛\xF3\xA0\x84\x80飾ｶﾀ";
    dp_span span = {text, strlen(text), DP_FONT_BODY, 10, 0, NULL, "ja", 1, 0, NULL, 0};
    assert_int_equal(dp_para_shape(&p, &fs, &a, &d, "t", &span, 1), DP_OK);
    assert_int_equal(p.n, 4);
    assert_int_equal(p.units[0].text_len, 7);
    assert_int_equal(p.units[0].nglyphs, 1);
    /* the variant glyph, not the default form of 葛 */
    int f = p.units[0].font;
    hb_codepoint_t plain, variant;
    assert_true(hb_font_get_nominal_glyph(fs.fonts[f]->font, 0x845B, &plain));
    assert_true(hb_font_get_variation_glyph(fs.fonts[f]->font, 0x845B, 0xE0100, &variant));
    assert_int_equal(p.glyphs[p.units[0].glyph].gid, variant);
    assert_int_not_equal(variant, plain);
    assert_int_equal(p.units[1].font, DP_FONT_BODY);
    assert_true(fabs(p.units[2].adv - 5) < 0.01); /* ｶ: half an em */
    assert_int_equal(d.count, 0);
    dp_para_dispose(&p);
    dp_arena_dispose(&a);
    dp_fontset_dispose(&fs);
    dp_diags_dispose(&d);
}

static void test_shape_font_load_error(void **state)
{
    (void)state;
    dp_fontset fs;
    dp_diags d;
    dp_diags_init(&d);
    const char *paths[] = {MINCHO, "/nonexistent/font.ttf"};
    assert_int_equal(dp_fontset_load(&fs, &d, "my.style", paths, 2), DP_EFONT);
    assert_int_equal(d.count, 1);
    assert_non_null(strstr(d.items[0].message, "/nonexistent/font.ttf"));
    const char *notfont[] = {DP_SOURCE_DIR "/README.md"};
    assert_int_equal(dp_fontset_load(&fs, &d, "my.style", notfont, 1), DP_EFONT);
    dp_diags_dispose(&d);
}

/* Reads a file into a NUL-terminated buffer the caller frees. */
static char *slurp(const char *path)
{
    FILE *fp = fopen(path, "rb");
    assert_non_null(fp);
    fseek(fp, 0, SEEK_END);
    long n = ftell(fp);
    rewind(fp);
    char *s = malloc((size_t)n + 1);
    assert_non_null(s);
    assert_int_equal(fread(s, 1, (size_t)n, fp), (size_t)n);
    s[n] = '\0';
    fclose(fp);
    return s;
}

/* Shapes text in role's font both ways (every run through HarfBuzz's
 * shaper, and simple runs set directly) and checks that every unit and
 * glyph is the same; returns how many runs were set directly. */
static size_t compare_both_ways(fixture *f, const char *text, size_t len, int role)
{
    dp_span span = {text, len, role, 10.5, 0, NULL, "ja", 7, 0, NULL, 0};
    f->fs.shape_all = 1;
    assert_int_equal(dp_para_shape(&f->p, &f->fs, &f->arena, &f->d, "t.xml", &span, 1), DP_OK);
    assert_int_equal(f->p.simple_runs, 0);
    size_t n = f->p.n, ng = f->p.ng;
    dp_unit *units = malloc((n ? n : 1) * sizeof *units);
    dp_glyph *glyphs = malloc((ng ? ng : 1) * sizeof *glyphs);
    assert_non_null(units);
    assert_non_null(glyphs);
    memcpy(units, f->p.units, n * sizeof *units);
    memcpy(glyphs, f->p.glyphs, ng * sizeof *glyphs);
    f->fs.shape_all = 0;
    assert_int_equal(dp_para_shape(&f->p, &f->fs, &f->arena, &f->d, "t.xml", &span, 1), DP_OK);
    assert_int_equal(f->p.n, n);
    assert_int_equal(f->p.ng, ng);
    for (size_t i = 0; i < n; i++) {
        const dp_unit *a = &units[i], *b = &f->p.units[i];
        assert_int_equal(a->cp, b->cp);
        assert_int_equal(a->text_len, b->text_len);
        /* (each call copies the text: the same place in it) */
        assert_int_equal(a->text - units[0].text, b->text - f->p.units[0].text);
        assert_int_equal(a->glyph, b->glyph);
        assert_int_equal(a->nglyphs, b->nglyphs);
        assert_int_equal(a->font, b->font);
        assert_true(a->adv == b->adv);
    }
    for (size_t i = 0; i < ng; i++) {
        assert_int_equal(glyphs[i].gid, f->p.glyphs[i].gid);
        assert_true(glyphs[i].adv == f->p.glyphs[i].adv);
        assert_true(glyphs[i].dx == f->p.glyphs[i].dx);
        assert_true(glyphs[i].dy == f->p.glyphs[i].dy);
    }
    free(units);
    free(glyphs);
    return f->p.simple_runs;
}

/* Runs set without HarfBuzz's shaper come out as HarfBuzz sets them:
 * the samples' text, and the cases a simple run must leave to HarfBuzz
 * (kana before sound marks, which the fonts' ccmp joins; fractions and
 * ligatures; marks, selectors, joiners, regional indicators, emoji
 * modifiers; half-width voiced marks; long stretches of kana). */
static void test_shape_simple_runs_match_harfbuzz(void **state)
{
    fixture *f = *state;
    static const char *const cases[] = {
        "日本語の文章を組版する。", "かう", "か\xe3\x82\x99", "か\xe3\x82\x9a", "が",
        "\xef\xbd\xb6\xef\xbe\x9e", "1/2 12 123 ½ １２３", "fi ff ffi office",
        "e\xcc\x81 \xc3\xa9", "ʌ˥˩ ɑ̀", "葛\xf3\xa0\x84\x80", "\xe2\x80\x8d\xe2\x80\x8c",
        "\xf0\x9f\x87\xaf\xf0\x9f\x87\xb5", "\xf0\x9f\x91\x8d\xf0\x9f\x8f\xbb", "㍿㈱①",
        "かきくけこさしすせそたちつてと", "うかきくけこ゛", "〜～ー－―‐・：；",
        "ウカキクケコサシスセソタチツテト", "カ゜キ゜ク゜ケ゜コ゜ㇷ゜", "\xc2\xad\xe2\x80\x8b",
        "Ｗｅｂ会議のＵＲＬを2026年1月6日に", "（注）「括弧」『二重』【隅付き】",
    };
    size_t simple = 0;
    for (int role = DP_FONT_BODY; role <= DP_FONT_HEADING; role++)
        for (size_t i = 0; i < sizeof cases / sizeof *cases; i++)
            simple += compare_both_ways(f, cases[i], strlen(cases[i]), role);
    static const char *const files[] = {"samples/briefing-2026-02.xml",
                                        "samples/showcase.xml",
                                        "samples/archive-2026-01.txt"};
    for (size_t i = 0; i < sizeof files / sizeof *files; i++) {
        char path[1024];
        snprintf(path, sizeof path, "%s/%s", DP_SOURCE_DIR, files[i]);
        char *text = slurp(path);
        /* paragraph by paragraph: a line each */
        for (char *line = text; *line;) {
            char *end = strchr(line, '\n');
            size_t len = end ? (size_t)(end - line) : strlen(line);
            if (len > 0 && len < 4000)
                simple += compare_both_ways(f, line, len, DP_FONT_BODY);
            line += len + (end != NULL);
        }
        free(text);
    }
    /* most of it is set directly, or the comparison says little */
    assert_true(simple > 200);

    /* Noto Sans CJK's default features join two horizontal bars and the
     * vertical repeat marks, and change curly quotes and the space on
     * their own: runs with those go to HarfBuzz */
    fixture g = {0};
    const char *noto[] = {NOTO_JP, NOTO_JP, NULL, NULL, DEJAVU};
    dp_diags_init(&g.d);
    assert_int_equal(dp_fontset_load(&g.fs, &g.d, "test", noto, 5), DP_OK);
    dp_para_init(&g.p);
    dp_arena_init(&g.arena);
    static const char *const noto_cases[] = {
        "日本語の文章を組版する。", "――", "〳〵", "〴〵", "‘引用’と“二重”", "半角 空白",
        "あいうえお", "ㇷ゚", "office fi fl", "Ｍ̄", "―",
    };
    size_t noto_simple = 0;
    for (size_t i = 0; i < sizeof noto_cases / sizeof *noto_cases; i++)
        noto_simple += compare_both_ways(&g, noto_cases[i], strlen(noto_cases[i]), DP_FONT_BODY);
    /* (its mark positioning takes kana and kanji as bases, so few runs
     * are simple in it; a lone bar is) */
    assert_true(noto_simple >= 1);
    dp_para_dispose(&g.p);
    dp_arena_dispose(&g.arena);
    dp_fontset_dispose(&g.fs);
    dp_diags_dispose(&g.d);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_shape_japanese_full_width),
        cmocka_unit_test(test_shape_latin_proportional),
        cmocka_unit_test(test_shape_fallback_font),
        cmocka_unit_test(test_shape_missing_character_warns),
        cmocka_unit_test(test_shape_break_flags),
        cmocka_unit_test(test_shape_variation_sequence_and_halfwidth),
        cmocka_unit_test(test_shape_font_load_error),
        cmocka_unit_test(test_shape_simple_runs_match_harfbuzz),
    };
    return cmocka_run_group_tests(tests, setup, teardown);
}
