/* Stream compression: round trips, the same bytes on any number of
 * threads, empty streams, and streams deflated before libharu saves. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>
#include <hpdf.h>
#include <libdeflate.h>

#include "base/buf.h"
#include "pdf/deflate.h"
#include "pdf/hpdf_ext.h"

/* n pseudo-random streams of varied sizes: text-like (compressible). */
static uint8_t **make_inputs(size_t n, size_t *lens)
{
    uint8_t **in = calloc(n, sizeof *in);
    uint32_t x = 12345;
    for (size_t i = 0; i < n; i++) {
        lens[i] = i == 0 ? 0 : (i * 7919) % 200000 + 1;
        in[i] = malloc(lens[i] ? lens[i] : 1);
        for (size_t k = 0; k < lens[i]; k++) {
            x = x * 1103515245u + 12345u;
            in[i][k] = (uint8_t)("0123456789ABCDEF Tj\n"[(x >> 16) % 20]);
        }
    }
    return in;
}

static void run_jobs(dp_deflate_job *jobs, uint8_t **in, const size_t *lens,
                     size_t n, int threads)
{
    for (size_t i = 0; i < n; i++) {
        jobs[i].in = in[i];
        jobs[i].in_len = lens[i];
    }
    assert_int_equal(dp_deflate_run(jobs, n, threads, DP_DEFLATE_STREAMS), DP_OK);
}

static void test_round_trip_and_threads(void **state)
{
    (void)state;
    enum { N = 23 };
    size_t lens[N];
    uint8_t **in = make_inputs(N, lens);
    dp_deflate_job one[N], four[N];
    run_jobs(one, in, lens, N, 1);
    run_jobs(four, in, lens, N, 4);
    struct libdeflate_decompressor *dec = libdeflate_alloc_decompressor();
    assert_non_null(dec);
    for (size_t i = 0; i < N; i++) {
        /* the same bytes whatever the number of threads */
        assert_int_equal(one[i].out_len, four[i].out_len);
        assert_memory_equal(one[i].out, four[i].out, one[i].out_len);
        /* zlib format, and it gives the input back */
        assert_true(one[i].out_len >= 2);
        assert_int_equal(one[i].out[0] & 0x0F, 8); /* CM = deflate */
        assert_int_equal(((one[i].out[0] << 8) | one[i].out[1]) % 31, 0);
        uint8_t *back = malloc(lens[i] + 1);
        size_t got = 0;
        assert_int_equal(libdeflate_zlib_decompress(dec, one[i].out, one[i].out_len,
                                                    back, lens[i] + 1, &got),
                         LIBDEFLATE_SUCCESS);
        assert_int_equal(got, lens[i]);
        assert_memory_equal(back, in[i], lens[i]);
        /* 20 symbols: about 4.3 bits a byte once compressed */
        if (lens[i] > 1000)
            assert_true(one[i].out_len < lens[i] * 3 / 5);
        free(back);
        free(one[i].out);
        free(four[i].out);
        free(in[i]);
    }
    libdeflate_free_decompressor(dec);
    free(in);
    assert_int_equal(dp_deflate_run(NULL, 0, 2, DP_DEFLATE_STREAMS), DP_OK);
}

static int contains(const dp_buf *b, const char *needle)
{
    size_t n = strlen(needle);
    for (size_t i = 0; i + n <= b->len; i++)
        if (memcmp(b->data + i, needle, n) == 0)
            return 1;
    return 0;
}

/* Saves pdf to a temporary file, frees it and reads the file into f. */
static void save_and_read(HPDF_Doc pdf, dp_buf *f)
{
    const char *dir = getenv("TMPDIR");
    char path[256];
    snprintf(path, sizeof path, "%s/deflate-test-%ld.pdf", dir && *dir ? dir : "/tmp",
             (long)rand());
    assert_int_equal(HPDF_SaveToFile(pdf, path), HPDF_OK);
    HPDF_Free(pdf);
    dp_buf_init(f);
    assert_int_equal(dp_buf_read_file(f, path, 1 << 20), DP_OK);
    remove(path);
}

/* A page deflated by us carries /Filter /FlateDecode, and its stream is
 * what a reader decodes back to the page's operators. */
static void test_hpdf_streams(void **state)
{
    (void)state;
    HPDF_Doc pdf = HPDF_New(NULL, NULL);
    assert_non_null(pdf);
    HPDF_SetCompressionMode(pdf, HPDF_COMP_ALL);
    HPDF_Page page = HPDF_AddPage(pdf);
    for (int i = 0; i < 200; i++) {
        HPDF_Page_Rectangle(page, 10 + i, 10, 50, 50);
        HPDF_Page_Stroke(page);
    }
    assert_int_equal(dp_hpdf_deflate_streams(pdf, 2), DP_OK);
    /* a second pass finds nothing left to do and changes nothing */
    assert_int_equal(dp_hpdf_deflate_streams(pdf, 2), DP_OK);

    dp_buf f;
    save_and_read(pdf, &f);
    assert_true(contains(&f, "/Filter /FlateDecode"));
    assert_false(contains(&f, " re\012")); /* no operator in clear */
    const char *s = strstr(f.data, "stream\015\012");
    assert_non_null(s);
    s += 8;
    const char *e = NULL;
    for (const char *p = s; p + 9 <= f.data + f.len; p++)
        if (memcmp(p, "endstream", 9) == 0) {
            e = p;
            break;
        }
    assert_non_null(e);
    struct libdeflate_decompressor *dec = libdeflate_alloc_decompressor();
    char out[65536];
    size_t got = 0;
    assert_int_equal(libdeflate_zlib_decompress(dec, s, (size_t)(e - 1 - s), out,
                                                sizeof out - 1, &got),
                     LIBDEFLATE_SUCCESS);
    out[got] = '\0';
    assert_non_null(strstr(out, "10 10 50 50 re\012S\012"));
    assert_non_null(strstr(out, "209 10 50 50 re\012S\012"));
    libdeflate_free_decompressor(dec);
    dp_buf_dispose(&f);
}

/* Colours in the shortest form: grey with g/G, three decimals. */
static void test_colors(void **state)
{
    (void)state;
    HPDF_Doc pdf = HPDF_New(NULL, NULL);
    HPDF_SetCompressionMode(pdf, HPDF_COMP_NONE);
    HPDF_Page page = HPDF_AddPage(pdf);
    assert_int_equal(dp_hpdf_set_color(page, 0x1A1A1A, 0), DP_OK);
    assert_int_equal(dp_hpdf_set_color(page, 0x1F4E79, 0), DP_OK);
    assert_int_equal(dp_hpdf_set_color(page, 0xBBBBBB, 1), DP_OK);
    assert_int_equal(dp_hpdf_set_color(page, 0x000000, 0), DP_OK);
    assert_int_equal(dp_hpdf_set_color(page, 0xFFFFFF, 1), DP_OK);
    assert_int_equal(dp_hpdf_set_color(page, 0x80FF00, 1), DP_OK);
    /* libharu's state follows */
    assert_int_equal(HPDF_Page_GetStrokingColorSpace(page), HPDF_CS_DEVICE_RGB);
    HPDF_RGBColor c = HPDF_Page_GetRGBStroke(page);
    assert_true(c.r > 0.50 && c.r < 0.51 && c.g == 1 && c.b == 0);
    dp_buf f;
    save_and_read(pdf, &f);
    assert_true(contains(&f, "stream\015\0120.102 g\0120.122 0.306 0.475 rg\012"
                             "0.733 G\0120 g\0121 G\0120.502 1 0 RG\012"));
    dp_buf_dispose(&f);
}

/* Tf written by us: the font joins the page's resources, libharu's state
 * follows; sizes keep their decimals. */
static void test_set_font(void **state)
{
    (void)state;
    HPDF_Doc pdf = HPDF_New(NULL, NULL);
    HPDF_SetCompressionMode(pdf, HPDF_COMP_NONE);
    HPDF_Page page = HPDF_AddPage(pdf);
    HPDF_Font font = HPDF_GetFont(pdf, "Helvetica", NULL);
    assert_non_null(font);
    HPDF_Page_BeginText(page);
    const char *name = NULL;
    assert_int_equal(dp_hpdf_set_font(page, font, &name, 9.975), DP_OK);
    assert_string_equal(name, "F1");
    assert_true(HPDF_Page_GetCurrentFont(page) == font);
    assert_true(HPDF_Page_GetCurrentFontSize(page) > 9.974f &&
                HPDF_Page_GetCurrentFontSize(page) < 9.976f);
    assert_int_equal(dp_hpdf_set_font(page, font, &name, 12), DP_OK);
    assert_int_equal(dp_hpdf_set_font(page, font, &name, 0), DP_ERR);
    HPDF_Page_EndText(page);
    dp_buf f;
    save_and_read(pdf, &f);
    assert_true(contains(&f, "BT\012/F1 9.975 Tf\012/F1 12 Tf\012ET"));
    assert_true(contains(&f, "/BaseFont /Helvetica"));
    dp_buf_dispose(&f);
}

/* Numbers as the writer puts them in content streams. */
static void test_fixed(void **state)
{
    (void)state;
    char out[32];
    const struct { long long v; int d; const char *want; } cases[] = {
        {1250, 2, "12.5"}, {300, 2, "3"}, {7, 2, "0.07"}, {-1250, 2, "-12.5"},
        {-7, 2, "-0.07"}, {0, 2, "0"}, {0, 4, "0"}, {5987, 4, "0.5987"},
        {99750, 4, "9.975"}, {102, 3, "0.102"}, {1000, 3, "1"}, {42, 0, "42"},
        {-1834, 2, "-18.34"}, {123456789012LL, 2, "1234567890.12"},
    };
    for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++) {
        size_t n = dp_fixed_format(out, cases[i].v, cases[i].d);
        assert_string_equal(out, cases[i].want);
        assert_int_equal(n, strlen(cases[i].want));
    }
    dp_buf b;
    dp_buf_init(&b);
    assert_int_equal(dp_buf_add_fixed(&b, -5, 1), DP_OK);
    assert_string_equal(b.data, "-0.5");
    dp_buf_dispose(&b);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_round_trip_and_threads),
        cmocka_unit_test(test_hpdf_streams),
        cmocka_unit_test(test_colors),
        cmocka_unit_test(test_set_font),
        cmocka_unit_test(test_fixed),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
