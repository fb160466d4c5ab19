/* Style files: defaults, values and their units, errors with lines. */
#include <math.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <string.h>
#include <sys/stat.h>

#include <cmocka.h>

#include "style/sheet.h"

static dp_status parse(dp_style *s, dp_diags *d, const char *text)
{
    dp_style_defaults(s);
    dp_diags_init(d);
    return dp_style_parse(s, d, "/styles/t.style", text, strlen(text));
}

static void test_style_values_and_units(void **state)
{
    (void)state;
    dp_style s;
    dp_diags d;
    assert_int_equal(parse(&s, &d, "# comment\n\npage.size = A5\n"
                                   "page.margins = 10mm 5mm\nbody.size = 9.5pt\n"
                                   "color.accent = #FF0080\nfont.body = fonts/x.ttf\n"
                                   "punctuation.hanging = true\ncover = no\n"
                                   "font.fallback = /a.ttf, b.ttf\n"), DP_OK);
    assert_true(fabs(s.page_w - 148 * 72 / 25.4) < 1e-6);
    assert_true(fabs(s.margin_t - 10 * 72 / 25.4) < 1e-6);
    assert_true(fabs(s.margin_r - 5 * 72 / 25.4) < 1e-6);
    assert_true(fabs(s.margin_b - s.margin_t) < 1e-9);
    assert_true(fabs(s.body_size - 9.5) < 1e-9);
    assert_int_equal(s.color_accent, 0xFF0080);
    assert_string_equal(s.font_body, "/styles/fonts/x.ttf");
    assert_int_equal(s.hanging, 1);
    assert_int_equal(s.cover, 0);
    assert_int_equal(s.n_fallback, 2);
    assert_string_equal(s.font_fallback[1], "/styles/b.ttf");
    assert_int_equal(d.count, 0);
    dp_diags_dispose(&d);
}

static void test_style_every_error_has_its_line(void **state)
{
    (void)state;
    dp_style s;
    dp_diags d;
    assert_int_equal(parse(&s, &d, "page.size = A3\nbody.size = 10\n"
                                   "colour.text = #000000\ncolor.text = red\n"
                                   "no equals sign\nbody.leading = 9\ncover = maybe\n"),
                     DP_EINPUT);
    assert_int_equal(d.count, 7);
    for (long i = 0; i < 7; i++) {
        assert_int_equal(d.items[i].line, i + 1);
        assert_string_equal(d.items[i].file, "/styles/t.style");
    }
    assert_non_null(strstr(d.items[2].message, "unknown style key \"colour.text\""));
    dp_diags_dispose(&d);
}

static void test_style_shipped_default_matches_builtin(void **state)
{
    (void)state;
    dp_style a, b;
    dp_diags d;
    dp_style_defaults(&a);
    dp_style_defaults(&b);
    dp_diags_init(&d);
    assert_int_equal(dp_style_load(&b, &d, DP_SOURCE_DIR "/styles/default.style"), DP_OK);
    /* the shipped style names families, the built-in values are their
     * files: the same files (fontconfig may give another link to one) */
    char *fa[] = {a.font_body, a.font_heading, a.font_latin, a.font_latin_heading,
                  a.font_fallback[0], a.font_fallback[1]};
    char *fb[] = {b.font_body, b.font_heading, b.font_latin, b.font_latin_heading,
                  b.font_fallback[0], b.font_fallback[1]};
    for (size_t i = 0; i < sizeof fa / sizeof *fa; i++) {
        struct stat sa, sb;
        assert_int_equal(stat(fa[i], &sa), 0);
        assert_int_equal(stat(fb[i], &sb), 0);
        assert_true(sa.st_dev == sb.st_dev && sa.st_ino == sb.st_ino);
        memcpy(fb[i], fa[i], 512);
    }
    assert_memory_equal(&a, &b, sizeof a);
    dp_diags_dispose(&d);
}

static void test_style_empty_path_and_unknown_field(void **state)
{
    (void)state;
    dp_style s;
    dp_diags d;
    assert_int_equal(parse(&s, &d, "font.body =\nheader.left = {serie} x\n"
                                   "footer.center = {page} of {pages}\n"), DP_EINPUT);
    assert_int_equal(d.count, 2);
    assert_int_equal(d.items[0].line, 1);
    assert_int_equal(d.items[1].line, 2);
    assert_non_null(strstr(d.items[1].message, "unknown field"));
    dp_diags_dispose(&d);
}

static void test_style_every_shipped_style_loads(void **state)
{
    (void)state;
    const char *names[] = {"default", "executive", "compact"};
    for (size_t i = 0; i < 3; i++) {
        char path[512];
        dp_style s;
        dp_diags d;
        dp_style_defaults(&s);
        dp_diags_init(&d);
        snprintf(path, sizeof path, DP_SOURCE_DIR "/styles/%s.style", names[i]);
        assert_int_equal(dp_style_load(&s, &d, path), DP_OK);
        assert_int_equal(d.count, 0);
        dp_diags_dispose(&d);
    }
}

static void test_style_labels_and_their_fields(void **state)
{
    (void)state;
    dp_style s;
    dp_diags d;
    assert_int_equal(parse(&s, &d, "label.contents = Contents\n"
                                   "label.count = {articles} ({new} new)\n"
                                   "label.join = \" · \"\n"
                                   "label.badge =\n"), DP_OK);
    assert_string_equal(s.label.contents, "Contents");
    assert_string_equal(s.label.join, " · ");
    assert_string_equal(s.label.badge, "");
    dp_buf b;
    dp_buf_init(&b);
    static const char *const names[] = {"articles", "new", "bodies"};
    const char *values[] = {"24", "3", "4"};
    assert_int_equal(dp_style_fill(&b, s.label.count, names, values, 3), DP_OK);
    assert_string_equal(b.data, "24 (3 new)");
    dp_buf_reset(&b);
    /* a name that is not filled stays as it is */
    assert_int_equal(dp_style_fill(&b, "{x}{new", names, values, 3), DP_OK);
    assert_string_equal(b.data, "{x}{new");
    dp_buf_dispose(&b);
    dp_diags_dispose(&d);
    assert_int_equal(parse(&s, &d, "label.count = {articles} {bodies}\n"
                                   "label.summary = {new}\n"
                                   "label.count.cover = {articles\n"), DP_EINPUT);
    assert_int_equal(d.count, 3);
    for (long i = 0; i < 3; i++)
        assert_int_equal(d.items[i].line, i + 1);
    assert_non_null(strstr(d.items[0].message, "its fields are {articles} {new}"));
    assert_non_null(strstr(d.items[1].message, "takes no {field}"));
    dp_diags_dispose(&d);
}

static void test_style_bullets(void **state)
{
    (void)state;
    dp_style s;
    dp_diags d;
    assert_int_equal(parse(&s, &d, "list.bullets = ● ○\n"), DP_OK);
    assert_string_equal(s.bullets[0], "●");
    assert_string_equal(s.bullets[1], "○");
    assert_string_equal(s.bullets[2], "●");
    dp_diags_dispose(&d);
    assert_int_equal(parse(&s, &d, "list.bullets = a b c d e\n"), DP_EINPUT);
    dp_diags_dispose(&d);
}

/* link.schemes: the URI schemes that become link actions. */
static void test_style_link_schemes(void **state)
{
    (void)state;
    dp_style s;
    dp_diags d;
    assert_int_equal(parse(&s, &d, "toc = true\n"), DP_OK);
    assert_string_equal(s.link_schemes, "http https mailto ");
    dp_diags_dispose(&d);
    assert_int_equal(parse(&s, &d, "link.schemes = HTTPS  ftp: mailto\n"), DP_OK);
    assert_string_equal(s.link_schemes, "https ftp mailto ");
    dp_diags_dispose(&d);
    assert_int_equal(parse(&s, &d, "link.schemes = none\n"), DP_OK);
    assert_string_equal(s.link_schemes, "");
    dp_diags_dispose(&d);
    assert_int_equal(parse(&s, &d, "toc = true\nlink.schemes = http 1x\nlink.schemes =\n"),
                     DP_EINPUT);
    assert_int_equal(d.count, 2);
    assert_int_equal(d.items[0].line, 2);
    assert_int_equal(d.items[1].line, 3);
    assert_non_null(strstr(d.items[0].message, "link.schemes"));
    dp_diags_dispose(&d);
}

static void test_style_missing_file(void **state)
{
    (void)state;
    dp_style s;
    dp_diags d;
    dp_style_defaults(&s);
    dp_diags_init(&d);
    assert_int_equal(dp_style_load(&s, &d, "/nonexistent/x.style"), DP_EIO);
    assert_int_equal(d.count, 1);
    assert_string_equal(d.items[0].file, "/nonexistent/x.style");
    dp_diags_dispose(&d);
}

/* Fonts by family name (fontconfig): a family gives its file (face N of
 * a collection as FILE#N), properties pick the face; a family that is
 * not installed, or lacks the face asked for, is an error on its line
 * naming what is there, never fontconfig's choice of another family. */
static void test_style_font_families(void **state)
{
    (void)state;
    dp_style s;
    dp_diags d;
    assert_int_equal(parse(&s, &d, "font.body = Noto Serif CJK JP\n"
                                   "font.heading = Noto Sans CJK JP:bold\n"
                                   "font.latin = Noto Sans CJK KR\n"
                                   "font.fallback = DejaVu Sans, IPAmjMincho\n"
                                   "font.body.bold = Noto Serif CJK JP:bold\n"
                                   "heading.bold = true\n"
                                   "font.fallback.sans = Noto Sans CJK JP, DejaVu Sans\n"
                                   "font.fallback.serif = none\n"), DP_OK);
    assert_int_equal(d.count, 0);
    assert_string_equal(s.font_body_bold, "/usr/share/fonts/opentype/noto/NotoSerifCJK-Bold.ttc");
    assert_string_equal(s.font_heading_bold, "");
    assert_int_equal(s.heading_bold, 1);
    assert_int_equal(s.n_fallback_sans, 2);
    assert_int_equal(s.n_fallback_serif, 0);
    assert_string_equal(s.font_fallback_sans[0],
                        "/usr/share/fonts/opentype/noto/NotoSansCJK-Regular.ttc");
    assert_int_equal(s.n_fallback, 2);
    assert_string_equal(s.font_body, "/usr/share/fonts/opentype/noto/NotoSerifCJK-Regular.ttc");
    assert_string_equal(s.font_heading, "/usr/share/fonts/opentype/noto/NotoSansCJK-Bold.ttc");
    assert_string_equal(s.font_latin, "/usr/share/fonts/opentype/noto/NotoSansCJK-Regular.ttc#1");
    assert_string_equal(s.font_fallback[0], "/usr/share/fonts/truetype/dejavu/DejaVuSans.ttf");
    assert_string_equal(s.font_fallback[1], "/usr/share/fonts/truetype/ipamj/ipamjm.ttf");
    dp_diags_dispose(&d);

    assert_int_equal(parse(&s, &d, "font.body = Noto Serif CJK XX\n"
                                   "font.heading = IPAexMincho:bold\n"
                                   "font.fallback = DejaVu Sans, sans-serif\n"),
                     DP_EINPUT);
    assert_int_equal(d.count, 3);
    assert_string_equal(d.items[0].file, "/styles/t.style");
    assert_int_equal(d.items[0].line, 1);
    assert_non_null(strstr(d.items[0].message, "no installed font family \"Noto Serif CJK XX\""));
    assert_non_null(strstr(d.items[0].message, "closest installed: \"Noto Serif CJK JP\""));
    assert_int_equal(d.items[1].line, 2);
    assert_non_null(strstr(d.items[1].message, "\"IPAexMincho\" has no face of the weight"));
    assert_non_null(strstr(d.items[1].message, "it has: Regular"));
    assert_int_equal(d.items[2].line, 3);
    assert_non_null(strstr(d.items[2].message, "no installed font family \"sans-serif\""));
    dp_diags_dispose(&d);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_style_values_and_units),
        cmocka_unit_test(test_style_font_families),
        cmocka_unit_test(test_style_every_error_has_its_line),
        cmocka_unit_test(test_style_shipped_default_matches_builtin),
        cmocka_unit_test(test_style_empty_path_and_unknown_field),
        cmocka_unit_test(test_style_every_shipped_style_loads),
        cmocka_unit_test(test_style_bullets),
        cmocka_unit_test(test_style_labels_and_their_fields),
        cmocka_unit_test(test_style_missing_file),
        cmocka_unit_test(test_style_link_schemes),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
