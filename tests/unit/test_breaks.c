/*
 * Break opportunities (UAX #14 and the Japanese tailoring) and JLReq
 * character classes. Cases numbered "#n" are jlreq.md §8; the expected
 * strings mark every allowed break with '|' (the final mandatory break at
 * the end of the text is not shown).
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include <cmocka.h>

#include "base/utf8.h"
#include "text/breaks.h"

#define MAXN 256

static size_t decode(const char *s, uint32_t *cps)
{
    size_t n = 0, len = strlen(s);
    for (size_t off = 0; off < len;) {
        size_t k = dp_utf8_decode(s + off, len - off, &cps[n]);
        assert_true(k > 0);
        assert_true(n < MAXN);
        off += k;
        n++;
    }
    return n;
}

/* The text of s with '|' after every allowed break and '!' after every
 * mandatory one except the last. */
static void marked(const char *s, int ja, char *buf, size_t cap)
{
    uint32_t cps[MAXN] = {0}; /* (gcc -O3 cannot see decode() fills it) */
    uint8_t out[MAXN];
    size_t n = decode(s, cps), pos = 0;
    memset(out, 0xEE, sizeof out);
    dp_breaks_find(cps, n, ja, out);
    if (n > 0)
        assert_int_equal(out[n - 1], DP_BREAK_MANDATORY);
    for (size_t i = 0; i < n; i++) {
        char u[4];
        size_t k = dp_utf8_encode(cps[i], u);
        assert_true(pos + k + 2 < cap);
        memcpy(buf + pos, u, k);
        pos += k;
        assert_true(out[i] <= DP_BREAK_MANDATORY);
        if (i + 1 < n && out[i] == DP_BREAK_ALLOWED)
            buf[pos++] = '|';
        else if (i + 1 < n && out[i] == DP_BREAK_MANDATORY)
            buf[pos++] = '!';
    }
    buf[pos] = '\0';
}

static void check(const char *text, int ja, const char *expected)
{
    char buf[4 * MAXN];
    marked(text, ja, buf, sizeof buf);
    if (strcmp(buf, expected) != 0)
        printf("%s (ja=%d): got %s, want %s\n", text, ja, buf, expected);
    assert_string_equal(buf, expected);
}

/* Both modes give the same result. */
static void check2(const char *text, const char *expected)
{
    check(text, 0, expected);
    check(text, 1, expected);
}

static void test_breaks_between_any_kana_and_kanji(void **state)
{
    (void)state;
    check2("あいうえおかき", "あ|い|う|え|お|か|き"); /* #1 */
    check2("日本語の文書", "日|本|語|の|文|書");
}

static void test_breaks_none_before_full_stop_or_comma(void **state)
{
    (void)state;
    check2("あいうえお。かきくけこ", "あ|い|う|え|お。|か|き|く|け|こ"); /* #2 */
    check2("あいうえお、かきくけこ", "あ|い|う|え|お、|か|き|く|け|こ"); /* #4 */
    check2("あ，い．う", "あ，|い．|う");
}

static void test_breaks_none_before_closing_or_after_opening(void **state)
{
    (void)state;
    check2("あいうえ「おか」きく", "あ|い|う|え|「お|か」|き|く"); /* #5 */
    check2("あいうえお」かきく", "あ|い|う|え|お」|か|き|く"); /* #6 */
    check2("あいう「「え」」お", "あ|い|う|「「え」」|お"); /* #12 */
    check2("あいうえお」」かき", "あ|い|う|え|お」」|か|き"); /* #13 */
    check2("あい（うえお）かき", "あ|い|（う|え|お）|か|き"); /* #16 */
    check2("前略。「お元気」", "前|略。|「お|元|気」");       /* #14 */
    check2("あい、「うえ」、お", "あ|い、|「う|え」、|お");   /* #15 */
}

static void test_breaks_strict_none_before_small_kana(void **state)
{
    (void)state;
    check2("あいうえおっかきく", "あ|い|う|え|おっ|か|き|く"); /* #7 */
    check2("ちょっと", "ちょっ|と");
    check2("ｶｯﾄ", "ｶｯ|ﾄ"); /* half-width small kana is CJ too */
}

static void test_breaks_none_before_prolonged_sound_mark(void **state)
{
    (void)state;
    check2("コンピューター", "コ|ン|ピュー|ター"); /* #8 */
}

static void test_breaks_none_before_iteration_marks(void **state)
{
    (void)state;
    check2("あいうえ々か", "あ|い|う|え々|か"); /* #9 */
    check2("時々ゝゞヽヾ", "時々ゝゞヽヾ");
}

static void test_breaks_none_before_middle_dot(void **state)
{
    (void)state;
    check2("あいうえ・か", "あ|い|う|え・|か"); /* #10 */
    check2("いろは・にほへ・とち", "い|ろ|は・|に|ほ|へ・|と|ち"); /* #29 */
    check2("あ：い；う", "あ：|い；|う");
}

static void test_breaks_none_before_wave_dash(void **state)
{
    (void)state;
    /* #11, strict: no break before 〜 (U+301C is NS in UAX #14). */
    check2("午前10時〜午後3時", "午|前|10|時〜|午|後|3|時");
    /* ～ U+FF5E is ID in UAX #14; Japanese mode reads it as 〜 (d). */
    check("10～20", 1, "10～|20");
    check("10～20", 0, "10|～|20");
}

static void test_breaks_none_inside_dash_pairs(void **state)
{
    (void)state;
    check2("あいうえ——かき", "あ|い|う|え|——|か|き"); /* #19 */
    /* ― U+2015 is AI in UAX #14; Japanese mode pairs it like — (c). */
    check("あいうえ――かき", 1, "あ|い|う|え|――|か|き");
    check("あ―い", 0, "あ|―|い");
    check("あ―い", 1, "あ|―|い");
}

static void test_breaks_none_inside_ellipsis_runs(void **state)
{
    (void)state;
    /*
     * #20: the …… run stays whole. UAX #14 LB22 also forbids a break
     * before its first …; JLReq allows one there after kana or kanji, so
     * Japanese mode does (the expected lines of #20, あいう|…………お|か).
     */
    check("あいう…………おか", 0, "あ|い|う…………|お|か");
    check("あいう…………おか", 1, "あ|い|う|…………|お|か");
    check("あ‥‥い", 1, "あ|‥‥|い");
    check("abc……", 1, "abc……"); /* Latin: LB22 as is */
}

static void test_breaks_none_inside_latin_words(void **state)
{
    (void)state;
    check2("これはABCDEFGHのテスト", "こ|れ|は|ABCDEFGH|の|テ|ス|ト"); /* #22 */
    check2("これはABCDのテスト", "こ|れ|は|ABCD|の|テ|ス|ト");         /* #21 */
    check2("日本語とEnglishの混在", "日|本|語|と|English|の|混|在");   /* #23 */
    check2("文書 Japanese text 処理", "文|書 |Japanese |text |処|理"); /* #24 */
    check2("e-mail", "e-|mail");
    check2("ABCDEFGHIJKLMNOP", "ABCDEFGHIJKLMNOP"); /* #32: no opportunity */
}

static void test_breaks_apostrophe_stays_in_word(void **state)
{
    (void)state;
    /* ’ between letters is an apostrophe, not a closing quote. */
    check2("don’t stop", "don’t |stop");
    check("あ’い", 1, "あ’|い");
}

static void test_breaks_numbers_stay_whole(void **state)
{
    (void)state;
    check2("2024年12月31日に提出", "2024|年|12|月|31|日|に|提|出"); /* #25 */
    check2("売上は1,234,567円", "売|上|は|1,234,567|円");           /* #26 */
    check2("価格は¥1000です", "価|格|は|¥1000|で|す");              /* #27 */
    check2("価格は￥1000です", "価|格|は|￥1000|で|す");
    check2("金利100％", "金|利|100％"); /* #28 */
    check2("金利100%です", "金|利|100%|で|す");
    check2("3.14と$(5)", "3.14|と|$(5)");
    check2("-1.5", "-1.5");
}

static void test_breaks_ideographic_space_after_not_before(void **state)
{
    (void)state;
    check2("はい！　いいえ", "は|い！　|い|い|え"); /* #30 */
    check2("あ　　い", "あ　　|い");
    check2("はい！？", "は|い！？");
}

static void test_breaks_quotes_tailored_in_japanese(void **state)
{
    (void)state;
    /* #31: “ as OP, ” as CL in Japanese (a); UAX 15.0 LB19 keeps QU
     * glued to both neighbours. */
    check("あいう“えお”かき", 1, "あ|い|う|“え|お”|か|き");
    check("あいう“えお”かき", 0, "あ|い|う“え|お”か|き");
    check("あ‘い’う", 1, "あ|‘い’|う");
    check("say “hi” now", 1, "say |“hi” |now");
}

static void test_breaks_mandatory_at_hard_breaks(void **state)
{
    (void)state;
    check2("あ\nい", "あ\n!い");
    check2("a\r\nb", "a\r\n!b");
    check2("a\rb", "a\r!b");
    check2("a\xe2\x80\xa8" "b", "a\xe2\x80\xa8!b"); /* U+2028 is BK */
    check2("a\xc2\x85" "b", "a\xc2\x85!b");          /* NEL */
    check2("a \nb", "a \n!b");                       /* no break before LF */
}

static void test_breaks_edge_inputs(void **state)
{
    (void)state;
    uint8_t out[4] = {9, 9, 9, 9};
    uint32_t cps[4] = {0x110000, 0xD800, 0x3042, 0x10FFFF};
    dp_breaks_find(cps, 0, 1, out);
    assert_int_equal(out[0], 9); /* nothing written */
    dp_breaks_find(cps, 1, 1, out);
    assert_int_equal(out[0], DP_BREAK_MANDATORY);
    dp_breaks_find(cps, 4, 1, out);
    assert_int_equal(out[3], DP_BREAK_MANDATORY);
    dp_breaks_find_uax14(cps, 4, out);
    assert_int_equal(out[3], DP_BREAK_MANDATORY);
    /* A combining mark sticks to its base. */
    check2("か\xe3\x82\x99き", "か\xe3\x82\x99|き");
    /* A combining mark at the start stands alone as a letter (LB10). */
    check2("\xcc\x88" "a", "\xcc\x88" "a");
}

static void test_breaks_jclass_punctuation(void **state)
{
    (void)state;
    assert_int_equal(dp_jclass_of(0x300C), DP_JC_OPEN);        /* 「 */
    assert_int_equal(dp_jclass_of(0xFF08), DP_JC_OPEN);        /* （ */
    assert_int_equal(dp_jclass_of(0x201C), DP_JC_OPEN);        /* “ */
    assert_int_equal(dp_jclass_of(0x300D), DP_JC_CLOSE);       /* 」 */
    assert_int_equal(dp_jclass_of(0xFF09), DP_JC_CLOSE);       /* ） */
    assert_int_equal(dp_jclass_of(0x201D), DP_JC_CLOSE);       /* ” */
    assert_int_equal(dp_jclass_of(0x301C), DP_JC_HYPHEN);      /* 〜 */
    assert_int_equal(dp_jclass_of(0xFF5E), DP_JC_HYPHEN);      /* ～ */
    assert_int_equal(dp_jclass_of(0xFF01), DP_JC_DIVIDING);    /* ！ */
    assert_int_equal(dp_jclass_of(0xFF1F), DP_JC_DIVIDING);    /* ？ */
    assert_int_equal(dp_jclass_of(0x30FB), DP_JC_MIDDLE_DOT);  /* ・ */
    assert_int_equal(dp_jclass_of(0xFF1A), DP_JC_MIDDLE_DOT);  /* ： */
    assert_int_equal(dp_jclass_of(0x3002), DP_JC_FULL_STOP);   /* 。 */
    assert_int_equal(dp_jclass_of(0xFF0E), DP_JC_FULL_STOP);   /* ． */
    assert_int_equal(dp_jclass_of(0x3001), DP_JC_COMMA);       /* 、 */
    assert_int_equal(dp_jclass_of(0xFF0C), DP_JC_COMMA);       /* ， */
    assert_int_equal(dp_jclass_of(0x2014), DP_JC_INSEPARABLE); /* — */
    assert_int_equal(dp_jclass_of(0x2015), DP_JC_INSEPARABLE); /* ― */
    assert_int_equal(dp_jclass_of(0x2026), DP_JC_INSEPARABLE); /* … */
    assert_int_equal(dp_jclass_of(0x2025), DP_JC_INSEPARABLE); /* ‥ */
    assert_int_equal(dp_jclass_of(0x3005), DP_JC_ITERATION);   /* 々 */
    assert_int_equal(dp_jclass_of(0x309D), DP_JC_ITERATION);   /* ゝ */
    assert_int_equal(dp_jclass_of(0x30FC), DP_JC_PROLONGED);   /* ー */
    assert_int_equal(dp_jclass_of(0xFFE5), DP_JC_PREFIX);      /* ￥ */
    assert_int_equal(dp_jclass_of(0x00A5), DP_JC_PREFIX);      /* ¥ */
    assert_int_equal(dp_jclass_of(0xFF05), DP_JC_POSTFIX);     /* ％ */
    assert_int_equal(dp_jclass_of(0x2103), DP_JC_POSTFIX);     /* ℃ */
    assert_int_equal(dp_jclass_of(0x3314), DP_JC_POSTFIX);     /* ㌔ */
    assert_int_equal(dp_jclass_of(0x3000), DP_JC_IDEO_SPACE);
}

static void test_breaks_jclass_ascii_is_western(void **state)
{
    (void)state;
    const char *ascii = "()[]{}!?:;.,-$%#\"'AZaz09";
    for (const char *p = ascii; *p; p++)
        assert_int_equal(dp_jclass_of((unsigned char)*p), DP_JC_WESTERN);
    assert_int_equal(dp_jclass_of(0x20), DP_JC_WESTERN_SPACE);
    assert_int_equal(dp_jclass_of(0xE9), DP_JC_WESTERN);  /* é */
    assert_int_equal(dp_jclass_of(0x3B1), DP_JC_WESTERN); /* α */
    assert_int_equal(dp_jclass_of(0xAB), DP_JC_WESTERN);  /* « Latin font */
    assert_int_equal(dp_jclass_of(0x0A), DP_JC_OTHER);
    assert_int_equal(dp_jclass_of(0x2022), DP_JC_WESTERN); /* • */
    assert_int_equal(dp_jclass_of(0x203B), DP_JC_OTHER);   /* ※ full-width */
    assert_int_equal(dp_jclass_of(0x202E), DP_JC_OTHER);   /* bidi control */
}

static void test_breaks_jclass_kana_and_ideographs(void **state)
{
    (void)state;
    assert_int_equal(dp_jclass_of(0x3042), DP_JC_KANA);       /* あ */
    assert_int_equal(dp_jclass_of(0x3094), DP_JC_KANA);       /* ゔ */
    assert_int_equal(dp_jclass_of(0x30A2), DP_JC_KANA);       /* ア */
    assert_int_equal(dp_jclass_of(0x30F4), DP_JC_KANA);       /* ヴ */
    assert_int_equal(dp_jclass_of(0x3063), DP_JC_SMALL_KANA); /* っ */
    assert_int_equal(dp_jclass_of(0x30C3), DP_JC_SMALL_KANA); /* ッ */
    assert_int_equal(dp_jclass_of(0x30F5), DP_JC_SMALL_KANA); /* ヵ */
    assert_int_equal(dp_jclass_of(0x31F0), DP_JC_SMALL_KANA); /* ㇰ */
    assert_int_equal(dp_jclass_of(0xFF6F), DP_JC_SMALL_KANA); /* ｯ */
    assert_int_equal(dp_jclass_of(0x65E5), DP_JC_IDEOGRAPHIC); /* 日 */
    assert_int_equal(dp_jclass_of(0x3400), DP_JC_IDEOGRAPHIC);
    assert_int_equal(dp_jclass_of(0x20BB7), DP_JC_IDEOGRAPHIC); /* 𠮷 */
    assert_int_equal(dp_jclass_of(0x3006), DP_JC_IDEOGRAPHIC);  /* 〆 */
    assert_int_equal(dp_jclass_of(0xFF10), DP_JC_IDEOGRAPHIC);  /* ０ */
    assert_int_equal(dp_jclass_of(0xFF21), DP_JC_IDEOGRAPHIC);  /* Ａ */
    assert_int_equal(dp_jclass_of(0xFF5A), DP_JC_IDEOGRAPHIC);  /* ｚ */
    assert_int_equal(dp_jclass_of(0x1F600), DP_JC_OTHER);
}

/* Random mixes of every class the rules treat specially: results stay
 * in range, end with a mandatory break, and the two modes agree where
 * no tailored character is present. */
static void test_breaks_random_input_is_safe(void **state)
{
    (void)state;
    static const uint32_t pool[] = {
        0x0009, 0x000A, 0x000B, 0x000D, 0x0020, 0x0021, 0x0022, 0x0024,
        0x0025, 0x0028, 0x0029, 0x002C, 0x002D, 0x002E, 0x002F, 0x0030,
        0x0041, 0x0085, 0x00A0, 0x00AD, 0x0308, 0x05D0, 0x0E01, 0x0E31,
        0x1100, 0x1160, 0x11A8, 0x200B, 0x200D, 0x2014, 0x2024, 0x2060,
        0x1F1E6, 0x1F466, 0x1F3FB, 0x1F02C, 0x3000, 0x3001, 0x3002, 0x300C,
        0x300D, 0x3041, 0x3042, 0x3063, 0x30FC, 0x4E00, 0xAC00, 0xAC01,
        0xFF08, 0xFF09, 0xFFE5, 0xFF05, 0xD800, 0x110000, 0xFFFC};
    static const uint32_t tailored[] = {0x2018, 0x2019, 0x201C, 0x201D,
                                        0x2015, 0xFF5E};
    uint32_t cps[48];
    uint8_t a[48], b[48];
    unsigned seed = 12345;
    for (int iter = 0; iter < 20000; iter++) {
        seed = seed * 1103515245u + 12345u;
        size_t n = 1 + (seed >> 16) % 40;
        int has_tailored = 0;
        for (size_t i = 0; i < n; i++) {
            seed = seed * 1103515245u + 12345u;
            unsigned k = (seed >> 16) % 64;
            if (k < sizeof pool / sizeof pool[0]) {
                cps[i] = pool[k];
                has_tailored |= cps[i] == 0x2024; /* (b): … after kana */
            } else {
                cps[i] = tailored[k % 6];
                has_tailored = 1;
            }
        }
        dp_breaks_find_uax14(cps, n, a);
        dp_breaks_find(cps, n, 1, b);
        for (size_t i = 0; i < n; i++) {
            assert_true(a[i] <= DP_BREAK_MANDATORY);
            assert_true(b[i] <= DP_BREAK_MANDATORY);
        }
        assert_int_equal(a[n - 1], DP_BREAK_MANDATORY);
        assert_int_equal(b[n - 1], DP_BREAK_MANDATORY);
        if (!has_tailored)
            assert_memory_equal(a, b, n);
    }
}

/* About 55,000 characters of Japanese, as in the seed digest. */
static void test_breaks_speed(void **state)
{
    (void)state;
    const char *para = "本日の会議では、２０２６年度の予算案（第３版）について"
                       "議論しました。売上は1,234,567円で、前年比105％です。"
                       "「コンピューター」の導入は、ちょっと遅れています……。";
    uint32_t unit[MAXN];
    size_t un = decode(para, unit);
    size_t n = 0, cap = 60000;
    uint32_t *cps = malloc(cap * sizeof *cps);
    uint8_t *out = malloc(cap);
    assert_non_null(cps);
    assert_non_null(out);
    while (n + un <= 55000) {
        memcpy(cps + n, unit, un * sizeof *cps);
        n += un;
    }
    struct timespec t0, t1;
    clock_gettime(CLOCK_MONOTONIC, &t0);
    for (int rep = 0; rep < 10; rep++)
        dp_breaks_find(cps, n, 1, out);
    clock_gettime(CLOCK_MONOTONIC, &t1);
    double ms = ((double)(t1.tv_sec - t0.tv_sec) * 1e3
                 + (double)(t1.tv_nsec - t0.tv_nsec) / 1e6) / 10;
    printf("dp_breaks_find on %zu characters: %.3f ms\n", n, ms);
    assert_int_equal(out[n - 1], DP_BREAK_MANDATORY);
    free(cps);
    free(out);
    assert_true(ms < 200.0); /* generous: sanitizer builds are slow */
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_breaks_between_any_kana_and_kanji),
        cmocka_unit_test(test_breaks_none_before_full_stop_or_comma),
        cmocka_unit_test(test_breaks_none_before_closing_or_after_opening),
        cmocka_unit_test(test_breaks_strict_none_before_small_kana),
        cmocka_unit_test(test_breaks_none_before_prolonged_sound_mark),
        cmocka_unit_test(test_breaks_none_before_iteration_marks),
        cmocka_unit_test(test_breaks_none_before_middle_dot),
        cmocka_unit_test(test_breaks_none_before_wave_dash),
        cmocka_unit_test(test_breaks_none_inside_dash_pairs),
        cmocka_unit_test(test_breaks_none_inside_ellipsis_runs),
        cmocka_unit_test(test_breaks_none_inside_latin_words),
        cmocka_unit_test(test_breaks_apostrophe_stays_in_word),
        cmocka_unit_test(test_breaks_numbers_stay_whole),
        cmocka_unit_test(test_breaks_ideographic_space_after_not_before),
        cmocka_unit_test(test_breaks_quotes_tailored_in_japanese),
        cmocka_unit_test(test_breaks_mandatory_at_hard_breaks),
        cmocka_unit_test(test_breaks_edge_inputs),
        cmocka_unit_test(test_breaks_jclass_punctuation),
        cmocka_unit_test(test_breaks_jclass_ascii_is_western),
        cmocka_unit_test(test_breaks_jclass_kana_and_ideographs),
        cmocka_unit_test(test_breaks_random_input_is_safe),
        cmocka_unit_test(test_breaks_speed),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
