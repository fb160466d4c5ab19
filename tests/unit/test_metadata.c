/* What a PDF says about itself: the --pdf-standard list, PDF dates and
 * their zones, the file identifier, the sRGB output profile. */
#include <setjmp.h>
#include <stdarg.h>
#include <math.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>

#include "base/buf.h"
#include "base/diag.h"
#include "pdf/metadata.h"

static dp_status parse(const char *list, dp_pdf_standard *out, char *msg, size_t cap)
{
    dp_diags d;
    dp_diags_init(&d);
    dp_status st = dp_pdf_standard_parse(&d, list, out);
    snprintf(msg, cap, "%s", d.count ? d.items[0].message : "");
    dp_diags_dispose(&d);
    return st;
}

static void test_standard_list(void **state)
{
    (void)state;
    dp_pdf_standard s;
    char msg[512];
    assert_int_equal(parse(NULL, &s, msg, sizeof msg), DP_OK);
    assert_int_equal(s, DP_PDF_A2U | DP_PDF_UA); /* the default: both */
    assert_string_equal(dp_pdf_standard_name(s), "ua-1,a-2u");
    assert_int_equal(parse("a-2u", &s, msg, sizeof msg), DP_OK);
    assert_int_equal(s, DP_PDF_A2U);
    assert_int_equal(parse("A-2B", &s, msg, sizeof msg), DP_OK);
    assert_int_equal(s, DP_PDF_A2B);
    assert_int_equal(parse("none", &s, msg, sizeof msg), DP_OK);
    assert_int_equal(s, DP_PDF_PLAIN);
    assert_string_equal(dp_pdf_standard_name(DP_PDF_PLAIN), "none");
    assert_int_equal(parse(" a-2u , a-2u", &s, msg, sizeof msg), DP_OK);
    assert_int_equal(s, DP_PDF_A2U);
    /* PDF/UA alone, or with either PDF/A, in any order */
    assert_int_equal(parse("ua-1", &s, msg, sizeof msg), DP_OK);
    assert_int_equal(s, DP_PDF_PLAIN | DP_PDF_UA);
    assert_true(dp_pdf_is_ua(s) && !dp_pdf_is_a(s));
    assert_string_equal(dp_pdf_standard_name(s), "ua-1");
    assert_int_equal(parse("a-2b,UA-1", &s, msg, sizeof msg), DP_OK);
    assert_int_equal(s, DP_PDF_A2B | DP_PDF_UA);
    assert_string_equal(dp_pdf_standard_name(s), "ua-1,a-2b");
    assert_int_equal(parse("none,ua-1", &s, msg, sizeof msg), DP_EINPUT);
    assert_non_null(strstr(msg, "none cannot be combined"));
    /* lists that contradict themselves, unknown names, empty entries */
    assert_int_equal(parse("a-2u,a-2b", &s, msg, sizeof msg), DP_EINPUT);
    assert_non_null(strstr(msg, "choose one"));
    assert_int_equal(parse("none,a-2u", &s, msg, sizeof msg), DP_EINPUT);
    assert_int_equal(parse("a-3u", &s, msg, sizeof msg), DP_EINPUT);
    assert_non_null(strstr(msg, "unknown standard \"a-3u\""));
    assert_int_equal(parse("a-2u,", &s, msg, sizeof msg), DP_EINPUT);
    assert_int_equal(parse("", &s, msg, sizeof msg), DP_EINPUT);
}

static void test_dates(void **state)
{
    (void)state;
    dp_pdf_date t;
    char x[32];
    dp_pdf_date_of("2026-01-06+09:00", NULL, &t);
    assert_int_equal(t.year, 2026);
    assert_int_equal(t.day, 6);
    assert_int_equal(t.zone, '+');
    assert_int_equal(t.zone_hour, 9);
    dp_pdf_date_xmp(&t, x);
    assert_string_equal(x, "2026-01-06T00:00:00+09:00");
    dp_pdf_date_of("1999-12-31-05:30", NULL, &t);
    dp_pdf_date_xmp(&t, x);
    assert_string_equal(x, "1999-12-31T00:00:00-05:30");
    dp_pdf_date_of("2026-02-03Z", NULL, &t);
    dp_pdf_date_xmp(&t, x);
    assert_string_equal(x, "2026-02-03T00:00:00Z");
    dp_pdf_date_of("2026-02-03", NULL, &t); /* no zone: taken as UTC, as always */
    dp_pdf_date_xmp(&t, x);
    assert_string_equal(x, "2026-02-03T00:00:00Z");
    /* a SOURCE_DATE_EPOCH value wins, in UTC; past year 9999 it cannot
     * be a PDF date, and garbage is none: the published date is used */
    dp_pdf_date_of("2026-01-06+09:00", "1700000000", &t);
    dp_pdf_date_xmp(&t, x);
    assert_string_equal(x, "2023-11-14T22:13:20Z");
    dp_pdf_date_of("2026-01-06+09:00", "253402300800", &t);
    dp_pdf_date_xmp(&t, x);
    assert_string_equal(x, "2026-01-06T00:00:00+09:00");
    dp_pdf_date_of("2026-01-06+09:00", "12abc", &t);
    dp_pdf_date_xmp(&t, x);
    assert_string_equal(x, "2026-01-06T00:00:00+09:00");
    /* the library reads no environment */
    setenv("SOURCE_DATE_EPOCH", "1700000000", 1);
    dp_pdf_date_of("2026-01-06+09:00", NULL, &t);
    unsetenv("SOURCE_DATE_EPOCH");
    dp_pdf_date_xmp(&t, x);
    assert_string_equal(x, "2026-01-06T00:00:00+09:00");
}

static void hex(const uint8_t *b, size_t n, char *out)
{
    for (size_t i = 0; i < n; i++)
        sprintf(out + 2 * i, "%02x", b[i]);
}

static void test_md5(void **state)
{
    (void)state;
    /* RFC 1321's test suite, around the one- and two-block tails */
    static const char *const cases[][2] = {
        {"", "d41d8cd98f00b204e9800998ecf8427e"},
        {"abc", "900150983cd24fb0d6963f7d28e17f72"},
        {"message digest", "f96b697d7cb7938d525a2f31aaf161d0"},
        {"ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789",
         "d174ab98d277d9f5a5611c2c9f419d9f"},
        {"12345678901234567890123456789012345678901234567890123456789012345678901234567890",
         "57edf4a22be3c955ac49da2e2107b67a"},
    };
    for (size_t i = 0; i < sizeof cases / sizeof *cases; i++) {
        uint8_t sum[16];
        char got[33];
        dp_pdf_md5(cases[i][0], strlen(cases[i][0]), sum);
        hex(sum, 16, got);
        assert_string_equal(got, cases[i][1]);
    }
}

static void test_file_id(void **state)
{
    (void)state;
    static const char file[] = "%PDF-1.4\n1 0 obj\n<<>>\nendobj\nxref\n0 2\n"
                               "trailer\n<<\n/Root 1 0 R\n>>\nstartxref\n29\n%%EOF\n";
    dp_buf a, b;
    dp_buf_init(&a);
    dp_buf_init(&b);
    assert_int_equal(dp_buf_adds(&a, file), DP_OK);
    assert_int_equal(dp_buf_adds(&b, file), DP_OK);
    b.data[10] = '2'; /* another file */
    assert_int_equal(dp_pdf_add_id(&a), DP_OK);
    assert_int_equal(dp_pdf_add_id(&b), DP_OK);
    uint8_t sum[16];
    char want[200], h[33];
    dp_pdf_md5(file, strlen(file), sum);
    hex(sum, 16, h);
    for (char *p = h; *p; p++)
        *p = (char)(*p >= 'a' ? *p - 32 : *p);
    snprintf(want, sizeof want, "trailer\n<<\n/ID [<%s><%s>]\n/Root 1 0 R", h, h);
    assert_non_null(strstr(a.data, want));
    /* nothing before the trailer moved */
    assert_memory_equal(a.data, file, (size_t)(strstr(file, "trailer") - file));
    assert_null(strstr(b.data, want));
    /* a packed file: into its cross-reference stream's dictionary */
    static const char packed[] = "%PDF-1.5\n1 0 obj\n<<>>\nendobj\n"
                                 "2 0 obj\n<</Type/XRef/Size 3/W[1 4 2]/Root 1 0 R>>stream\n"
                                 "x\nendstream\nendobj\nstartxref\n30\n%%EOF\n";
    dp_buf x;
    dp_buf_init(&x);
    assert_int_equal(dp_buf_adds(&x, packed), DP_OK);
    assert_int_equal(dp_pdf_add_id(&x), DP_OK);
    dp_pdf_md5(packed, strlen(packed), sum);
    hex(sum, 16, h);
    for (char *p = h; *p; p++)
        *p = (char)(*p >= 'a' ? *p - 32 : *p);
    snprintf(want, sizeof want, "<</Type/XRef/ID [<%s><%s>]/Size 3", h, h);
    assert_non_null(strstr(x.data, want));
    assert_memory_equal(x.data, packed, (size_t)(strstr(packed, "/Size") - packed));
    dp_buf_dispose(&x);
    /* no trailer: refused */
    dp_buf c;
    dp_buf_init(&c);
    assert_int_equal(dp_buf_adds(&c, "%PDF-1.4\n"), DP_OK);
    assert_int_equal(dp_pdf_add_id(&c), DP_ERR);
    dp_buf_dispose(&a);
    dp_buf_dispose(&b);
    dp_buf_dispose(&c);
}

static uint32_t be32(const uint8_t *p)
{
    return (uint32_t)p[0] << 24 | (uint32_t)p[1] << 16 | (uint32_t)p[2] << 8 | p[3];
}

/* The tag's three s15Fixed16 numbers, in thousandths. */
static void xyz(const uint8_t *icc, const char *sig, long out[3])
{
    uint32_t n = be32(icc + 128);
    for (uint32_t i = 0; i < n; i++) {
        const uint8_t *e = icc + 132 + 12 * i;
        if (memcmp(e, sig, 4) != 0)
            continue;
        const uint8_t *t = icc + be32(e + 4);
        assert_memory_equal(t, "XYZ ", 4);
        for (int k = 0; k < 3; k++)
            out[k] = lround((int32_t)be32(t + 8 + 4 * k) / 65.536);
        return;
    }
    fail_msg("no %s tag", sig);
}

static void test_srgb_profile(void **state)
{
    (void)state;
    dp_buf b;
    dp_buf_init(&b);
    assert_int_equal(dp_pdf_srgb_profile(&b), DP_OK);
    const uint8_t *p = (const uint8_t *)b.data;
    /* what PDF/A asks of an output profile: a display (or printer)
     * profile of RGB, ICC version below 5 */
    assert_int_equal(be32(p), b.len);
    assert_int_equal(be32(p + 8), 0x02100000);
    assert_memory_equal(p + 12, "mntrRGB XYZ ", 12);
    assert_memory_equal(p + 36, "acsp", 4);
    /* the sRGB colorants adapted to D50 (IEC 61966-2.1's numbers) */
    long r[3], g[3], bl[3], w[3];
    xyz(p, "rXYZ", r);
    xyz(p, "gXYZ", g);
    xyz(p, "bXYZ", bl);
    xyz(p, "wtpt", w);
    assert_int_equal(r[0], 436);
    assert_int_equal(r[1], 222);
    assert_int_equal(g[1], 717);
    assert_int_equal(bl[2], 714);
    assert_int_equal(w[0], 950); /* D65 */
    /* columns add up to the D50 white of the connection space */
    assert_true(labs(r[0] + g[0] + bl[0] - 964) <= 1);
    assert_true(labs(r[2] + g[2] + bl[2] - 825) <= 1);
    /* the same bytes every time */
    dp_buf c;
    dp_buf_init(&c);
    assert_int_equal(dp_pdf_srgb_profile(&c), DP_OK);
    assert_int_equal(b.len, c.len);
    assert_memory_equal(b.data, c.data, b.len);
    dp_buf_dispose(&b);
    dp_buf_dispose(&c);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_standard_list),
        cmocka_unit_test(test_dates),
        cmocka_unit_test(test_md5),
        cmocka_unit_test(test_file_id),
        cmocka_unit_test(test_srgb_profile),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
