/* Figures: image headers, refusal of what is not an image or too big,
 * and figures placed on the page scaled and kept with their caption. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <cmocka.h>

#include "base/buf.h"
#include "input/xml_read.h"
#include "layout/image.h"
#include "layout/paginate.h"

static char dir[64];

static int setup(void **state)
{
    (void)state;
    snprintf(dir, sizeof dir, "/tmp/dp-test-image-XXXXXX");
    return mkdtemp(dir) ? 0 : -1;
}

static int teardown(void **state)
{
    (void)state;
    char cmd[128];
    snprintf(cmd, sizeof cmd, "rm -rf %s", dir);
    return system(cmd) == 0 ? 0 : -1;
}

static const char *write_bytes(const char *name, const void *data, size_t n)
{
    static char path[256];
    snprintf(path, sizeof path, "%s/%s", dir, name);
    FILE *f = fopen(path, "wb");
    assert_non_null(f);
    assert_int_equal(fwrite(data, 1, n, f), n);
    fclose(f);
    return path;
}

/* A PNG signature and IHDR for w × h (no image data: enough for headers). */
static const char *png_header(const char *name, unsigned w, unsigned h)
{
    unsigned char b[33] = {0x89, 'P', 'N', 'G', '\r', '\n', 0x1a, '\n',
                           0, 0, 0, 13, 'I', 'H', 'D', 'R'};
    for (int i = 0; i < 4; i++) {
        b[16 + i] = (unsigned char)(w >> (24 - 8 * i));
        b[20 + i] = (unsigned char)(h >> (24 - 8 * i));
    }
    b[24] = 8;
    b[25] = 2;
    return write_bytes(name, b, sizeof b);
}

static void test_image_png_size(void **state)
{
    (void)state;
    dp_image_info info;
    const char *why = NULL;
    assert_int_equal(dp_image_probe(DP_SOURCE_DIR "/samples/figures/chart.png", &info, &why), DP_OK);
    assert_int_equal(info.type, DP_IMAGE_PNG);
    assert_int_equal(info.width, 480);
    assert_int_equal(info.height, 240);
}

static void test_image_jpeg_size_from_frame_header(void **state)
{
    (void)state;
    static const unsigned char jpeg[] = {
        0xFF, 0xD8,                                     /* SOI */
        0xFF, 0xE0, 0x00, 0x04, 0x00, 0x00,             /* APP0, 2 bytes */
        0xFF, 0xC0, 0x00, 0x0B, 0x08, 0x00, 0x20, 0x00, 0x30, 0x01,
        0x01, 0x11, 0x00,                               /* SOF0 48 × 32 */
        0xFF, 0xD9};
    /* named .png on purpose: the bytes decide */
    const char *p = write_bytes("photo.png", jpeg, sizeof jpeg);
    dp_image_info info;
    const char *why = NULL;
    assert_int_equal(dp_image_probe(p, &info, &why), DP_OK);
    assert_int_equal(info.type, DP_IMAGE_JPEG);
    assert_int_equal(info.width, 48);
    assert_int_equal(info.height, 32);
}

static void test_image_refusals(void **state)
{
    (void)state;
    dp_image_info info;
    const char *why = NULL;
    const char *p = write_bytes("fake.png", "this is text, not a picture", 27);
    assert_int_equal(dp_image_probe(p, &info, &why), DP_EINPUT);
    assert_non_null(strstr(why, "not a PNG or JPEG"));
    p = png_header("huge.png", 50000, 50000);
    assert_int_equal(dp_image_probe(p, &info, &why), DP_ELIMIT);
    p = png_header("empty.png", 0, 10);
    assert_int_equal(dp_image_probe(p, &info, &why), DP_EINPUT);
    const unsigned char cut[] = {0xFF, 0xD8, 0xFF, 0xE0, 0x00};
    p = write_bytes("cut.jpg", cut, sizeof cut);
    assert_int_equal(dp_image_probe(p, &info, &why), DP_EINPUT);
    assert_int_equal(dp_image_probe("/nonexistent/x.png", &info, &why), DP_EIO);
}

static const char *logo_path; /* a cover logo for the next layout */

/* Lays out xml; *doc must outlive *pages (they borrow its strings). */
static dp_status layout(const char *xml, dp_pages **pages, dp_doc **doc, dp_diags *d)
{
    dp_style st;
    dp_style_defaults(&st);
    if (logo_path)
        snprintf(st.cover_logo, sizeof st.cover_logo, "%s", logo_path);
    dp_fontset fs;
    const char *paths[] = {st.font_body, st.font_heading, st.font_latin,
                           st.font_latin_heading};
    assert_int_equal(dp_fontset_load(&fs, d, "t", paths, 4), DP_OK);
    /* the file name places relative image paths in the samples folder */
    assert_int_equal(dp_xml_read(doc, d, DP_SOURCE_DIR "/samples/t.xml", xml,
                                 strlen(xml)), DP_OK);
    dp_status status = dp_paginate(pages, d, *doc, &st, &fs);
    dp_fontset_dispose(&fs);
    return status;
}

#define HEAD "<?xml version=\"1.0\"?><digest version=\"1\"><meta><title>T</title><published>2026-01-02</published></meta><section name=\"s\"><article><title>t</title>"

static void test_image_figure_scaled_with_caption(void **state)
{
    (void)state;
    dp_diags d;
    dp_diags_init(&d);
    dp_pages *P;
    dp_doc *doc;
    assert_int_equal(layout(HEAD "<figure src=\"figures/chart.png\" width=\"80mm\">"
                            "<caption>図の説明</caption></figure></article></section></digest>",
                            &P, &doc, &d), DP_OK);
    const dp_page *pg = &P->pages[P->first_body_page];
    assert_int_equal(pg->npictures, 1);
    const dp_picture *pic = &pg->pictures[0];
    assert_true(pic->w > 226.7 && pic->w < 226.8); /* 80 mm */
    assert_true(pic->h > 113.3 && pic->h < 113.5); /* 2:1 */
    assert_non_null(strstr(pic->path, "/samples/figures/chart.png"));
    /* the caption sits right under the image on the same page */
    int caption_below = 0;
    for (size_t r = 0; r < pg->nruns; r++)
        if (pg->runs[r].y < pic->y && pg->runs[r].y > pic->y - 30)
            caption_below = 1;
    assert_true(caption_below);
    dp_pages_free(P);
    dp_doc_free(doc);

    /* a width beyond the measure is clamped to it */
    assert_int_equal(layout(HEAD "<figure src=\"figures/chart.png\" width=\"400mm\"/>"
                            "</article></section></digest>", &P, &doc, &d), DP_OK);
    pg = &P->pages[P->first_body_page];
    assert_true(pg->pictures[0].w <= P->width - 2 * 56.6);
    dp_pages_free(P);
    dp_doc_free(doc);
    dp_diags_dispose(&d);
}

static void test_image_bad_figure_is_an_error_with_line(void **state)
{
    (void)state;
    dp_diags d;
    dp_diags_init(&d);
    dp_pages *P = NULL;
    dp_doc *doc;
    assert_int_equal(layout(HEAD "\n<figure src=\"README.md\"/></article></section></digest>",
                            &P, &doc, &d), DP_EINPUT);
    assert_null(P);
    dp_doc_free(doc);
    assert_int_equal(d.items[d.count - 1].line, 2);
    assert_non_null(strstr(d.items[d.count - 1].message, "not a PNG or JPEG"));
    dp_diags_dispose(&d);
}

static void test_image_cover_logo(void **state)
{
    (void)state;
    dp_diags d;
    dp_diags_init(&d);
    dp_pages *P;
    dp_doc *doc;
    logo_path = DP_SOURCE_DIR "/samples/figures/chart.png";
    assert_int_equal(layout(HEAD "<p>本文</p></article></section></digest>", &P, &doc, &d),
                     DP_OK);
    logo_path = NULL;
    const dp_page *cover = &P->pages[0];
    assert_int_equal(cover->npictures, 1);
    assert_true(cover->pictures[0].h <= 34.01); /* at most 12 mm high */
    assert_true(cover->pictures[0].y > P->height / 2); /* at the top */
    dp_pages_free(P);
    dp_doc_free(doc);
    dp_diags_dispose(&d);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_image_png_size),
        cmocka_unit_test(test_image_jpeg_size_from_frame_header),
        cmocka_unit_test(test_image_refusals),
        cmocka_unit_test(test_image_figure_scaled_with_caption),
        cmocka_unit_test(test_image_bad_figure_is_an_error_with_line),
        cmocka_unit_test(test_image_cover_logo),
    };
    return cmocka_run_group_tests(tests, setup, teardown);
}
