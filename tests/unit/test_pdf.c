/* The whole build through the public API: PDF structure, outline,
 * reproducible bytes, no file left behind on failure. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include <cmocka.h>
#include <libdeflate.h>

#include "digestpdf.h"

#include "base/buf.h"

static char dir[256];

static int setup(void **state)
{
    (void)state;
    snprintf(dir, sizeof dir, "/tmp/dp-test-pdf-XXXXXX");
    return mkdtemp(dir) ? 0 : -1;
}

static int teardown(void **state)
{
    (void)state;
    char cmd[300];
    snprintf(cmd, sizeof cmd, "rm -rf %s", dir);
    return system(cmd) == 0 ? 0 : -1;
}

static int exists(const char *path)
{
    struct stat st;
    return stat(path, &st) == 0;
}

static void write_file(const char *path, const char *text)
{
    FILE *f = fopen(path, "wb");
    assert_non_null(f);
    fputs(text, f);
    fclose(f);
}

static const char doc_xml[] =
    "<?xml version=\"1.0\"?>\n<digest version=\"1\">\n"
    "<meta><series>見本</series><title>試験号</title><published>2026-02-03</published>"
    "<publisher>見本編集部</publisher></meta>\n"
    "<section name=\"サンプル庁\"><article new=\"true\"><title>記事𠮷一</title>"
    "<heading>小見出し</heading><list><item>項目<a href=\"https://example.org/\">リンク</a></item></list>"
    "</article><article><title>記事二</title><p>本文。</p></article></section>\n"
    "</digest>\n";

static size_t count(const dp_buf *b, const char *needle)
{
    size_t n = 0, k = strlen(needle);
    for (size_t i = 0; i + k <= b->len; i++)
        n += memcmp(b->data + i, needle, k) == 0;
    return n;
}

static char *find_bytes(char *from, const char *to, const char *needle, size_t n)
{
    for (char *p = from; p + n <= to; p++)
        if (memcmp(p, needle, n) == 0)
            return p;
    return NULL;
}

/* Reads the PDF at path into b, then appends the inflated bytes of
 * every stream: the objects packed into object streams become
 * searchable like the rest. */
static void read_pdf(dp_buf *b, const char *path)
{
    dp_buf_init(b);
    assert_int_equal(dp_buf_read_file(b, path, 1 << 24), DP_OK);
    struct libdeflate_decompressor *dec = libdeflate_alloc_decompressor();
    assert_non_null(dec);
    size_t raw_len = b->len;
    char *raw = malloc(raw_len + 1);
    memcpy(raw, b->data, raw_len);
    size_t cap = 1 << 22;
    char *out = malloc(cap);
    for (char *p = raw; (p = find_bytes(p, raw + raw_len, ">>stream\n", 9));) {
        char *data = p + 9;
        char *end = find_bytes(data, raw + raw_len, "\nendstream", 10);
        assert_non_null(end);
        size_t got = 0;
        if (libdeflate_zlib_decompress(dec, data, (size_t)(end - data), out, cap, &got) ==
            LIBDEFLATE_SUCCESS)
            assert_int_equal(dp_buf_add(b, out, got), DP_OK);
        p = end;
    }
    free(out);
    free(raw);
    libdeflate_free_decompressor(dec);
}

static void build(const char *in, const char *out, dp_status want)
{
    dp_context *ctx;
    assert_int_equal(dp_context_new(&ctx), DP_OK);
    dp_build_result res = {0};
    dp_status st = dp_build(ctx, in, out, NULL, &res);
    if (st != want && dp_diag_count(ctx))
        print_error("%s\n", dp_diag_at(ctx, 0)->message);
    assert_int_equal(st, want);
    if (st == DP_OK) {
        assert_true(res.pages >= 3);
        assert_int_equal(res.articles, 2);
    } else {
        assert_true(dp_diag_errors(ctx) > 0);
    }
    dp_context_free(ctx);
}

static void test_pdf_structure(void **state)
{
    (void)state;
    char in[300], out[300];
    snprintf(in, sizeof in, "%s/d.xml", dir);
    snprintf(out, sizeof out, "%s/d.pdf", dir);
    write_file(in, doc_xml);
    build(in, out, DP_OK);
    dp_buf b;
    read_pdf(&b, out);
    assert_memory_equal(b.data, "%PDF-1.5", 8);
    /* every object but the streams packed, a cross-reference stream */
    assert_int_equal(count(&b, "/Type/ObjStm"), 1);
    assert_int_equal(count(&b, "/Type/XRef"), 1);
    assert_int_equal(count(&b, "\nxref\n"), 0);
    assert_int_equal(count(&b, "/PageMode /UseOutlines"), 1);
    assert_int_equal(count(&b, "/DisplayDocTitle true"), 1);
    /* Mincho, Gothic, the Latin serif and sans, IPAmj for 𠮷: every one
     * a Type0 font with its program and ToUnicode; unused fonts absent */
    size_t fonts = count(&b, "/Subtype /Type0");
    assert_int_equal(fonts, 5);
    assert_int_equal(count(&b, "/Encoding /Identity-H"), fonts);
    assert_int_equal(count(&b, "/FontFile2"), fonts);
    assert_int_equal(count(&b, "/ToUnicode"), fonts);
    assert_int_equal(count(&b, "DejaVu"), 0);
    /* outline: section, 2 articles, 1 heading, titles in UTF-16BE, the
     * non-BMP character as a surrogate pair */
    assert_int_equal(count(&b, "/Title <FEFF"), 5); /* and Info /Title */
    /* in the outline title, the contents link's description (/Contents)
     * and IPAmj's ToUnicode CMap */
    assert_int_equal(count(&b, "D842DFB7"), 3);
    assert_int_equal(count(&b, "/URI (https:\\057\\057example.org\\057)"), 1);
    assert_int_equal(count(&b, "/CreationDate (D:20260203"), 1);
    struct stat st;
    assert_int_equal(stat(out, &st), 0);
    assert_true(st.st_size < 200 * 1024);
    /* XMP metadata with the same facts, page labels, viewer settings */
    assert_int_equal(count(&b, "/Type/Metadata"), 1); /* a stream: its dictionary compacted */
    assert_int_equal(count(&b, "<dc:title><rdf:Alt><rdf:li xml:lang=\"x-default\">試験号</rdf:li>"), 1);
    assert_int_equal(count(&b, "<dc:creator><rdf:Seq><rdf:li>見本編集部</rdf:li>"), 1);
    assert_int_equal(count(&b, "<pdf:Keywords>サンプル庁</pdf:Keywords>"), 1);
    assert_int_equal(count(&b, "/PageLabels"), 1);
    assert_int_equal(count(&b, "/S /r"), 1);
    assert_int_equal(count(&b, "/S /D\n"), 1); /* not /S /Document */
    assert_int_equal(count(&b, "/OpenAction"), 1);
    dp_buf_dispose(&b);
}

static void test_pdf_max_size(void **state)
{
    (void)state;
    char in[300], out[300];
    snprintf(in, sizeof in, "%s/m.xml", dir);
    snprintf(out, sizeof out, "%s/m.pdf", dir);
    write_file(in, doc_xml);
    dp_context *ctx;
    assert_int_equal(dp_context_new(&ctx), DP_OK);
    dp_build_options opts = DP_BUILD_OPTIONS_INIT;
    opts.max_bytes = 4096; /* far too small: refused, nothing written */
    assert_int_equal(dp_build(ctx, in, out, &opts, NULL), DP_ELIMIT);
    assert_false(exists(out));
    const dp_diag *last = dp_diag_at(ctx, dp_diag_count(ctx) - 1);
    assert_int_equal(last->severity, DP_DIAG_ERROR);
    assert_non_null(strstr(last->message, "over the limit of 4 KB"));
    /* a limit just under the full size is met by the smaller choices */
    dp_diag_clear(ctx);
    dp_build_result res = {0};
    opts.max_bytes = 0;
    assert_int_equal(dp_build(ctx, in, out, &opts, &res), DP_OK);
    opts.max_bytes = res.bytes - 1;
    assert_int_equal(dp_build(ctx, in, out, &opts, &res), DP_OK);
    assert_true(res.bytes <= opts.max_bytes);
    assert_true(dp_diag_count(ctx) >= 1);
    assert_int_equal(dp_diag_at(ctx, 0)->severity, DP_DIAG_NOTE);
    dp_context_free(ctx);
}

static void test_pdf_reproducible(void **state)
{
    (void)state;
    char in[300], a[300], c[300];
    snprintf(in, sizeof in, "%s/r.xml", dir);
    snprintf(a, sizeof a, "%s/r1.pdf", dir);
    snprintf(c, sizeof c, "%s/r2.pdf", dir);
    write_file(in, doc_xml);
    build(in, a, DP_OK);
    build(in, c, DP_OK);
    dp_buf x, y;
    dp_buf_init(&x);
    dp_buf_init(&y);
    assert_int_equal(dp_buf_read_file(&x, a, 1 << 24), DP_OK);
    assert_int_equal(dp_buf_read_file(&y, c, 1 << 24), DP_OK);
    assert_int_equal(x.len, y.len);
    assert_memory_equal(x.data, y.data, x.len);
    dp_buf_dispose(&x);
    dp_buf_dispose(&y);
}

static void test_pdf_no_output_on_failure(void **state)
{
    (void)state;
    char in[300], out[300], cmd[400];
    snprintf(in, sizeof in, "%s/bad.xml", dir);
    snprintf(out, sizeof out, "%s/bad.pdf", dir);
    write_file(in, "<digest version=\"1\"><meta><title>x</title></digest>");
    build(in, out, DP_EINPUT);
    assert_false(exists(out));
    /* an unwritable destination */
    snprintf(in, sizeof in, "%s/ok.xml", dir);
    write_file(in, doc_xml);
    build(in, "/nonexistent-dir/x.pdf", DP_EIO);
    /* a missing input */
    snprintf(in, sizeof in, "%s/missing.xml", dir);
    build(in, out, DP_EIO);
    assert_false(exists(out));
    /* and no temporary file is left in the folder */
    snprintf(cmd, sizeof cmd, "ls %s | grep -q tmp", dir);
    assert_int_not_equal(system(cmd), 0);
}

static void test_pdf_source_date_epoch(void **state)
{
    (void)state;
    char in[300], out[300];
    snprintf(in, sizeof in, "%s/e.xml", dir);
    snprintf(out, sizeof out, "%s/e.pdf", dir);
    write_file(in, doc_xml);
    dp_context *ctx;
    assert_int_equal(dp_context_new(&ctx), DP_OK);
    dp_build_options opts = DP_BUILD_OPTIONS_INIT;
    opts.source_date_epoch = "1700000000";
    assert_int_equal(dp_build(ctx, in, out, &opts, NULL), DP_OK);
    dp_buf b;
    read_pdf(&b, out);
    assert_int_equal(count(&b, "/CreationDate (D:20231114221320"), 1);
    dp_buf_dispose(&b);
    /* the environment is the program's to read, not the library's */
    setenv("SOURCE_DATE_EPOCH", "1700000000", 1);
    assert_int_equal(dp_build(ctx, in, out, NULL, NULL), DP_OK);
    unsetenv("SOURCE_DATE_EPOCH");
    read_pdf(&b, out);
    assert_int_equal(count(&b, "/CreationDate (D:20231114221320"), 0);
    dp_buf_dispose(&b);
    dp_context_free(ctx);
}

/* Document information past what a PDF string holds (64 KB): a 75 KB
 * title and more issuing bodies than the keywords take still give a
 * PDF, with the Info strings cut short between characters. */
static void test_pdf_long_info(void **state)
{
    (void)state;
    char in[300], out[300];
    snprintf(in, sizeof in, "%s/long.xml", dir);
    snprintf(out, sizeof out, "%s/long.pdf", dir);
    dp_buf x;
    dp_buf_init(&x);
    dp_buf_adds(&x, "<?xml version=\"1.0\"?><digest version=\"1\"><meta><series>見本</series><title>");
    for (int i = 0; i < 25000; i++)
        dp_buf_adds(&x, "題");
    dp_buf_adds(&x, "</title><published>2026-02-03</published></meta>");
    for (int i = 0; i < 60; i++)
        dp_buf_printf(&x, "<section name=\"発行機関その%02d\"><article><title>記事</title><p>本文。</p></article></section>", i);
    dp_buf_adds(&x, "</digest>");
    write_file(in, x.data);
    dp_buf_dispose(&x);

    dp_context *ctx;
    assert_int_equal(dp_context_new(&ctx), DP_OK);
    assert_int_equal(dp_build(ctx, in, out, NULL, NULL), DP_OK);
    dp_context_free(ctx);
    char cmd[700];
    /* the title: 8 000 bytes of UTF-8 are 2 666 whole characters */
    snprintf(cmd, sizeof cmd,
             "test \"$(pdfinfo -enc UTF-8 '%s' | sed -n 's/^Title: *//p' | wc -m)\" -eq 2667", out);
    assert_int_equal(system(cmd), 0);
    /* the keywords: whole names only, no more than 1 000 bytes */
    snprintf(cmd, sizeof cmd,
             "k=\"$(pdfinfo -enc UTF-8 '%s' | sed -n 's/^Keywords: *//p')\"; "
             "test \"$(printf %%s \"$k\" | wc -c)\" -le 1000 && "
             "test \"${k%%%%, *}\" = 発行機関その00 && test \"${k##*, }\" != \"${k##*, 発行機関その}\"", out);
    assert_int_equal(system(cmd), 0);
}

static dp_status build_as(const char *in, const char *out, const char *standard)
{
    dp_context *ctx;
    assert_int_equal(dp_context_new(&ctx), DP_OK);
    dp_build_options opts = DP_BUILD_OPTIONS_INIT;
    opts.pdf_standard = standard;
    dp_status st = dp_build(ctx, in, out, &opts, NULL);
    dp_context_free(ctx);
    return st;
}

/* PDF/UA-1 and PDF/A-2u by default: pdfaid and pdfuaid (with its
 * extension schema) in the XMP, Info and XMP from the same values (title
 * as a language alternative), the catalog's language, marking and
 * structure tree, an sRGB output intent, printable links, a trailer /ID;
 * "none" writes none of it, a-2b says B, a-2u alone is untagged, an
 * unknown standard writes nothing. */
static void test_pdf_standards(void **state)
{
    (void)state;
    char in[300], out[300];
    snprintf(in, sizeof in, "%s/s.xml", dir);
    snprintf(out, sizeof out, "%s/s.pdf", dir);
    write_file(in, doc_xml);
    dp_buf b;
    assert_int_equal(build_as(in, out, NULL), DP_OK);
    read_pdf(&b, out);
    assert_int_equal(count(&b, "<pdfaid:part>2</pdfaid:part>"), 1);
    assert_int_equal(count(&b, "<pdfaid:conformance>U</pdfaid:conformance>"), 1);
    assert_int_equal(count(&b, "<pdfuaid:part>1</pdfuaid:part>"), 1);
    assert_int_equal(count(&b, "<pdfaSchema:prefix>pdfuaid</pdfaSchema:prefix>"), 1);
    assert_int_equal(count(&b, "<dc:title><rdf:Alt><rdf:li xml:lang=\"x-default\">試験号</rdf:li>"
                               "<rdf:li xml:lang=\"ja\">試験号</rdf:li></rdf:Alt></dc:title>"), 1);
    assert_int_equal(count(&b, "<rdf:li xml:lang=\"ja\">見本</rdf:li>"), 1); /* dc:description */
    assert_int_equal(count(&b, "/CreationDate (D:20260203000000Z00'00')"), 1);
    assert_int_equal(count(&b, "/ModDate (D:20260203000000Z00'00')"), 1);
    assert_int_equal(count(&b, "<xmp:CreateDate>2026-02-03T00:00:00Z</xmp:CreateDate>"), 1);
    assert_int_equal(count(&b, "<xmp:ModifyDate>2026-02-03T00:00:00Z</xmp:ModifyDate>"), 1);
    assert_int_equal(count(&b, "/Lang (ja)"), 1);
    assert_int_equal(count(&b, "/S /GTS_PDFA1"), 1);
    assert_int_equal(count(&b, "/DestOutputProfile"), 1);
    assert_int_equal(count(&b, "/N 3/Filter"), 1); /* the profile: 3 components */
    assert_int_equal(count(&b, "/ID [<"), 1);
    size_t links = count(&b, "/Subtype /Link");
    assert_true(links >= 3); /* the contents' two and the article's URI */
    assert_int_equal(count(&b, "/F 4"), links);
    dp_buf_dispose(&b);

    assert_int_equal(build_as(in, out, "none"), DP_OK);
    read_pdf(&b, out);
    assert_int_equal(count(&b, "pdfaid"), 0);
    assert_int_equal(count(&b, "xml:lang=\"ja\""), 0);
    assert_int_equal(count(&b, "/Lang"), 0);
    assert_int_equal(count(&b, "/OutputIntents"), 0);
    assert_int_equal(count(&b, "/ID"), 0);
    assert_int_equal(count(&b, "/F 4"), 0);
    assert_int_equal(count(&b, "/CreationDate (D:20260203000000Z00'00')"), 1);
    dp_buf_dispose(&b);

    assert_int_equal(build_as(in, out, "a-2b"), DP_OK);
    read_pdf(&b, out);
    assert_int_equal(count(&b, "<pdfaid:conformance>B</pdfaid:conformance>"), 1);
    assert_int_equal(count(&b, "pdfuaid"), 0); /* PDF/A alone: untagged */
    dp_buf_dispose(&b);

    assert_int_equal(build_as(in, out, "a-2u"), DP_OK);
    read_pdf(&b, out);
    assert_int_equal(count(&b, "<pdfaid:conformance>U</pdfaid:conformance>"), 1);
    assert_int_equal(count(&b, "pdfuaid"), 0);
    dp_buf_dispose(&b);

    remove(out);
    assert_int_equal(build_as(in, out, "a-2x"), DP_EINPUT);
    assert_false(exists(out));
}

/* A published date with a time zone keeps it in the Info dates and in
 * the XMP, the same instant on both sides. */
static void test_pdf_date_zone(void **state)
{
    (void)state;
    char in[300], out[300];
    snprintf(in, sizeof in, "%s/z.xml", dir);
    snprintf(out, sizeof out, "%s/z.pdf", dir);
    dp_buf x;
    dp_buf_init(&x);
    dp_buf_adds(&x, doc_xml);
    char *p = strstr(x.data, "2026-02-03<");
    assert_non_null(p);
    memmove(p + 16, p + 10, strlen(p + 10) + 1);
    memcpy(p + 10, "+09:00", 6);
    write_file(in, x.data);
    dp_buf_dispose(&x);
    unsetenv("SOURCE_DATE_EPOCH");
    assert_int_equal(build_as(in, out, NULL), DP_OK);
    dp_buf b;
    read_pdf(&b, out);
    assert_int_equal(count(&b, "/CreationDate (D:20260203000000+09'00')"), 1);
    assert_int_equal(count(&b, "/ModDate (D:20260203000000+09'00')"), 1);
    assert_int_equal(count(&b, "<xmp:CreateDate>2026-02-03T00:00:00+09:00</xmp:CreateDate>"), 1);
    assert_int_equal(count(&b, "<xmp:ModifyDate>2026-02-03T00:00:00+09:00</xmp:ModifyDate>"), 1);
    dp_buf_dispose(&b);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_pdf_structure),
        cmocka_unit_test(test_pdf_reproducible),
        cmocka_unit_test(test_pdf_no_output_on_failure),
        cmocka_unit_test(test_pdf_source_date_epoch),
        cmocka_unit_test(test_pdf_max_size),
        cmocka_unit_test(test_pdf_long_info),
        cmocka_unit_test(test_pdf_standards),
        cmocka_unit_test(test_pdf_date_zone),
    };
    return cmocka_run_group_tests(tests, setup, teardown);
}
