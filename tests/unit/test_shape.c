/* Shaping: clusters, advances, font fallback and missing characters. */
#include <math.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <string.h>

#include <cmocka.h>

#include "text/font_face.h"
#include "text/shape.h"

#define MINCHO "/usr/share/fonts/opentype/ipaexfont-mincho/ipaexm.ttf"
#define GOTHIC "/usr/share/fonts/opentype/ipaexfont-gothic/ipaexg.ttf"
#define DEJAVU "/usr/share/fonts/truetype/dejavu/DejaVuSans.ttf"

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
    };
    return cmocka_run_group_tests(tests, setup, teardown);
}
