/* The base layer: growable buffers and their number and text formats,
 * the arena, UTF-8, and the diagnostics list. */
#include <limits.h>
#include <math.h>
#include <setjmp.h>
#include <stdalign.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <fcntl.h>
#include <unistd.h>

#include <cmocka.h>

#include "base/arena.h"
#include "base/buf.h"
#include "base/diag.h"
#include "base/utf8.h"

/* ---- buf ---- */

static void test_buf_add_and_reset(void **state)
{
    (void)state;
    dp_buf b;
    dp_buf_init(&b);
    assert_null(b.data);
    assert_int_equal(dp_buf_add(&b, "", 0), DP_OK);
    assert_non_null(b.data); /* even an empty append leaves a C string */
    assert_string_equal(b.data, "");
    assert_int_equal(dp_buf_adds(&b, "abc"), DP_OK);
    assert_int_equal(dp_buf_addc(&b, '-'), DP_OK);
    assert_int_equal(dp_buf_printf(&b, "%d/%s", 42, "x"), DP_OK);
    assert_string_equal(b.data, "abc-42/x");
    assert_int_equal(b.len, 8);
    /* growth keeps the contents and the terminator */
    for (int i = 0; i < 1000; i++)
        assert_int_equal(dp_buf_adds(&b, "0123456789"), DP_OK);
    assert_int_equal(b.len, 10008);
    assert_int_equal(b.data[b.len], '\0');
    assert_memory_equal(b.data + 8, "0123456789", 10);
    dp_buf_reset(&b);
    assert_int_equal(b.len, 0);
    assert_string_equal(b.data, "");
    dp_buf_dispose(&b);
    assert_null(b.data);
    assert_int_equal(b.cap, 0);
}

static void test_buf_cap(void **state)
{
    (void)state;
    dp_buf b;
    dp_buf_init(&b);
    b.max = 10;
    assert_int_equal(dp_buf_adds(&b, "0123456789"), DP_OK);
    assert_int_equal(dp_buf_addc(&b, 'x'), DP_ELIMIT);
    assert_int_equal(dp_buf_printf(&b, "%s", "y"), DP_ELIMIT);
    assert_int_equal(b.len, 10); /* a refused append changes nothing */
    assert_string_equal(b.data, "0123456789");
    /* a length that would wrap around is refused, not allocated */
    assert_int_equal(dp_buf_add(&b, "z", SIZE_MAX), DP_ELIMIT);
    dp_buf_dispose(&b);
}

static void test_buf_xml(void **state)
{
    (void)state;
    dp_buf b;
    dp_buf_init(&b);
    const char *s = "a<b>&\"c'd";
    assert_int_equal(dp_buf_add_xml(&b, s, strlen(s)), DP_OK);
    assert_string_equal(b.data, "a&lt;b&gt;&amp;&quot;c&apos;d");
    dp_buf_dispose(&b);
}

static void test_buf_fixed(void **state)
{
    (void)state;
    char out[32];
    static const struct {
        long long v;
        int decimals;
        const char *want;
    } cases[] = {
        {0, 2, "0"},       {5670, 2, "56.7"},  {5669, 2, "56.69"},
        {-1250, 2, "-12.5"}, {7, 2, "0.07"},    {-7, 2, "-0.07"},
        {300, 2, "3"},     {12, 0, "12"},      {-5, 1, "-0.5"},
        {LLONG_MIN, 0, "-9223372036854775808"}, {123, 12, "0.000000123"},
    };
    for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++) {
        size_t n = dp_fixed_format(out, cases[i].v, cases[i].decimals);
        assert_string_equal(out, cases[i].want);
        assert_int_equal(n, strlen(cases[i].want));
    }
}

static void test_buf_round(void **state)
{
    (void)state;
    dp_buf b;
    dp_buf_init(&b);
    const double v[] = {56.694999, 56.695001, -0.001, 0.1 + 0.2, 1e300, -INFINITY, NAN, 841.89};
    for (size_t i = 0; i < sizeof v / sizeof v[0]; i++) {
        assert_int_equal(dp_buf_add_round(&b, v[i], 2), DP_OK);
        assert_int_equal(dp_buf_addc(&b, ' '), DP_OK);
    }
    /* -0.001 is "0", never "-0"; 0.1 + 0.2 is "0.3", not its binary tail */
    assert_string_equal(b.data, "56.69 56.7 0 0.3 inf -inf nan 841.89 ");
    dp_buf_reset(&b);
    assert_int_equal(dp_buf_add_round(&b, 2.0 / 3.0, 3), DP_OK);
    assert_string_equal(b.data, "0.667");
    dp_buf_dispose(&b);
}

static void test_buf_quoted(void **state)
{
    (void)state;
    dp_buf b;
    dp_buf_init(&b);
    const char s[] = "a\"b\\c\nd\te\x01\x7f漢";
    assert_int_equal(dp_buf_add_quoted(&b, s, sizeof s - 1), DP_OK);
    assert_string_equal(b.data, "\"a\\\"b\\\\c\\nd\\te\\x01\\x7F漢\"");
    dp_buf_reset(&b);
    assert_int_equal(dp_buf_add_quoted(&b, "x\0y", 3), DP_OK); /* a NUL too */
    assert_string_equal(b.data, "\"x\\x00y\"");
    dp_buf_dispose(&b);
}

static void test_buf_read_file(void **state)
{
    (void)state;
    char path[] = "/tmp/dp-test-buf-XXXXXX";
    int fd = mkstemp(path);
    assert_true(fd >= 0);
    assert_int_equal(write(fd, "hello\n", 6), 6);
    close(fd);
    dp_buf b;
    dp_buf_init(&b);
    assert_int_equal(dp_buf_read_file(&b, path, 100), DP_OK);
    assert_string_equal(b.data, "hello\n");
    dp_buf_reset(&b);
    assert_int_equal(dp_buf_read_file(&b, path, 5), DP_ELIMIT);
    dp_buf_dispose(&b);
    /* an empty file reads as an empty C string, not NULL */
    fd = open(path, O_WRONLY | O_TRUNC);
    close(fd);
    assert_int_equal(dp_buf_read_file(&b, path, 100), DP_OK);
    assert_non_null(b.data);
    assert_int_equal(b.len, 0);
    dp_buf_dispose(&b);
    unlink(path);
    assert_int_equal(dp_buf_read_file(&b, path, 100), DP_EIO);
    dp_buf_dispose(&b);
}

/* ---- arena ---- */

static void test_arena_alloc(void **state)
{
    (void)state;
    dp_arena a;
    dp_arena_init(&a);
    char *prev = NULL;
    for (size_t size = 0; size < 200; size += 7) {
        unsigned char *p = dp_arena_alloc(&a, size);
        assert_non_null(p);
        assert_int_equal((uintptr_t)p % alignof(max_align_t), 0);
        for (size_t i = 0; i < size; i++)
            assert_int_equal(p[i], 0);
        memset(p, 0xAB, size);
        assert_true((char *)p != prev);
        prev = (char *)p;
    }
    /* a large block is placed behind the head: small ones keep filling
     * the head block, so they stay next to each other */
    char *s1 = dp_arena_alloc(&a, 16);
    void *big = dp_arena_alloc(&a, 1 << 20);
    char *s2 = dp_arena_alloc(&a, 16);
    assert_non_null(big);
    assert_ptr_equal(s2, s1 + 16);
    memset(big, 1, 1 << 20);
    assert_true(a.used >= (1 << 20) + 32);
    char *d = dp_arena_strndup(&a, "abcdef", 3);
    assert_string_equal(d, "abc");
    assert_string_equal(dp_arena_strdup(&a, "漢字"), "漢字");
    dp_arena_dispose(&a);
    assert_null(a.head);
    assert_int_equal(a.used, 0);
    /* usable again after dispose */
    assert_non_null(dp_arena_alloc(&a, 8));
    dp_arena_dispose(&a);
}

/* Sizes near SIZE_MAX must fail, not wrap around to a small block. */
static void test_arena_huge(void **state)
{
    (void)state;
    dp_arena a;
    dp_arena_init(&a);
    assert_null(dp_arena_alloc(&a, SIZE_MAX));
    assert_null(dp_arena_alloc(&a, SIZE_MAX - 8));
    assert_null(dp_arena_strndup(&a, "x", SIZE_MAX));
    dp_arena_dispose(&a);
}

/* ---- utf8 ---- */

static void test_utf8_decode(void **state)
{
    (void)state;
    uint32_t cp = 0;
    assert_int_equal(dp_utf8_decode("A", 1, &cp), 1);
    assert_int_equal(cp, 'A');
    assert_int_equal(dp_utf8_decode("\xC3\xA9", 2, &cp), 2);
    assert_int_equal(cp, 0xE9);
    assert_int_equal(dp_utf8_decode("漢", 3, &cp), 3);
    assert_int_equal(cp, 0x6F22);
    assert_int_equal(dp_utf8_decode("\xF0\x9F\x98\x80", 4, &cp), 4);
    assert_int_equal(cp, 0x1F600);
    /* invalid: empty, truncated, bad continuation, overlong, surrogate,
     * past U+10FFFF, stray continuation and 5-byte lead bytes */
    const char *bad[] = {"", "\xE6\xBC", "\xE6\x41\xA2", "\xC0\xAF", "\xE0\x80\xAF",
                         "\xF0\x80\x80\xAF", "\xED\xA0\x80", "\xF4\x90\x80\x80",
                         "\x80", "\xF8\x88\x80\x80\x80", "\xFF"};
    size_t lens[] = {0, 2, 3, 2, 3, 4, 3, 4, 1, 5, 1};
    for (size_t i = 0; i < sizeof bad / sizeof bad[0]; i++)
        assert_int_equal(dp_utf8_decode(bad[i], lens[i], &cp), 0);
    /* the length limits what is read, not the NUL */
    assert_int_equal(dp_utf8_decode("漢", 2, &cp), 0);
}

static void test_utf8_encode_round_trip(void **state)
{
    (void)state;
    const uint32_t cps[] = {0, 0x7F, 0x80, 0x7FF, 0x800, 0xD7FF, 0xE000, 0xFFFD,
                            0xFFFF, 0x10000, 0x10FFFF};
    const size_t lens[] = {1, 1, 2, 2, 3, 3, 3, 3, 3, 4, 4};
    for (size_t i = 0; i < sizeof cps / sizeof cps[0]; i++) {
        char out[4];
        uint32_t back = 0xFFFFFFFF;
        assert_int_equal(dp_utf8_encode(cps[i], out), lens[i]);
        assert_int_equal(dp_utf8_decode(out, lens[i], &back), lens[i]);
        assert_int_equal(back, cps[i]);
    }
    char out[4];
    assert_int_equal(dp_utf8_encode(0xD800, out), 0);
    assert_int_equal(dp_utf8_encode(0xDFFF, out), 0);
    assert_int_equal(dp_utf8_encode(0x110000, out), 0);
}

static void test_utf8_check_and_lines(void **state)
{
    (void)state;
    const char ok[] = "abc 漢字\n😀";
    assert_int_equal(dp_utf8_check(ok, sizeof ok - 1), sizeof ok - 1);
    const char bad[] = "ab\xC3(x";
    assert_int_equal(dp_utf8_check(bad, sizeof bad - 1), 2);
    const char cut[] = "ab漢";
    assert_int_equal(dp_utf8_check(cut, sizeof cut - 2), 2); /* truncated at the end */
    const char text[] = "one\ntwo\n\nfour";
    assert_int_equal(dp_utf8_line_of(text, 0), 1);
    assert_int_equal(dp_utf8_line_of(text, 4), 2);
    assert_int_equal(dp_utf8_line_of(text, 9), 4);
}

/* ---- diag ---- */

static void test_diag_counts_and_copies(void **state)
{
    (void)state;
    dp_diags d;
    dp_diags_init(&d);
    char file[] = "in.xml";
    dp_error(&d, file, 12, "bad %s", "thing");
    file[0] = 'X'; /* the list keeps its own copy */
    dp_warn(&d, NULL, 0, "no file");
    dp_note(&d, "n.xml", 3, "%d notes", 1);
    assert_int_equal(d.count, 3);
    assert_int_equal(d.errors, 1);
    assert_int_equal(d.items[0].severity, DP_DIAG_ERROR);
    assert_string_equal(d.items[0].file, "in.xml");
    assert_int_equal(d.items[0].line, 12);
    assert_string_equal(d.items[0].message, "bad thing");
    assert_null(d.items[1].file);
    assert_int_equal(d.items[1].severity, DP_DIAG_WARNING);
    assert_int_equal(d.items[2].severity, DP_DIAG_NOTE);
    assert_string_equal(d.items[2].message, "1 notes");
    /* many messages: the list grows and keeps them in order */
    for (int i = 0; i < 100; i++)
        dp_error(&d, "f", i, "e%d", i);
    assert_int_equal(d.count, 103);
    assert_int_equal(d.errors, 101);
    assert_string_equal(d.items[102].message, "e99");
    /* a long message is cut, not overrun */
    char longmsg[3000];
    memset(longmsg, 'x', sizeof longmsg - 1);
    longmsg[sizeof longmsg - 1] = '\0';
    dp_error(&d, "f", 1, "%s", longmsg);
    assert_true(strlen(d.items[d.count - 1].message) < sizeof longmsg - 1);
    assert_true(strlen(d.items[d.count - 1].message) >= 1000);
    dp_diags_dispose(&d);
    assert_int_equal(d.count, 0);
    assert_int_equal(d.errors, 0);
    assert_null(d.items);
    dp_diags_init(&d);
    dp_warn(&d, "g", 1, "again");
    assert_int_equal(d.count, 1);
    dp_diags_dispose(&d);
}

/* The public view of the same list through a context. */
static void test_diag_context(void **state)
{
    (void)state;
    dp_context *ctx;
    assert_int_equal(dp_context_new(&ctx), DP_OK);
    assert_int_equal(dp_diag_count(ctx), 0);
    assert_null(dp_diag_at(ctx, 0));
    assert_int_equal(dp_validate(ctx, "/nonexistent/x.xml"), DP_EIO);
    assert_int_equal(dp_diag_errors(ctx), 1);
    const dp_diag *g = dp_diag_at(ctx, 0);
    assert_non_null(g);
    assert_string_equal(g->file, "/nonexistent/x.xml");
    assert_null(dp_diag_at(ctx, 1));
    dp_diag_clear(ctx);
    assert_int_equal(dp_diag_count(ctx), 0);
    assert_int_equal(dp_diag_errors(ctx), 0);
    dp_context_free(ctx);
    dp_context_free(NULL);
    assert_string_equal(dp_status_str(DP_ENOMEM), "out of memory");
    assert_string_equal(dp_status_str((dp_status)-99), "unknown status");
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_buf_add_and_reset),
        cmocka_unit_test(test_buf_cap),
        cmocka_unit_test(test_buf_xml),
        cmocka_unit_test(test_buf_fixed),
        cmocka_unit_test(test_buf_round),
        cmocka_unit_test(test_buf_quoted),
        cmocka_unit_test(test_buf_read_file),
        cmocka_unit_test(test_arena_alloc),
        cmocka_unit_test(test_arena_huge),
        cmocka_unit_test(test_utf8_decode),
        cmocka_unit_test(test_utf8_encode_round_trip),
        cmocka_unit_test(test_utf8_check_and_lines),
        cmocka_unit_test(test_diag_counts_and_copies),
        cmocka_unit_test(test_diag_context),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
