/*
 * The font set: a TrueType file, a face of a collection (FILE#N, with a
 * collection made here from two fonts), a face index the file does not
 * have, and each face loaded once and handed to the PDF stage.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <cmocka.h>

#include "base/diag.h"
#include "pdf/cidfont.h"
#include "text/font_face.h"
#include "text/fonts.h"

#define MINCHO "/usr/share/fonts/opentype/ipaexfont-mincho/ipaexm.ttf"
#define DEJAVU "/usr/share/fonts/truetype/dejavu/DejaVuSans.ttf"

static unsigned char *slurp(const char *path, size_t *len)
{
    FILE *f = fopen(path, "rb");
    assert_non_null(f);
    fseek(f, 0, SEEK_END);
    long n = ftell(f);
    assert_true(n > 12);
    fseek(f, 0, SEEK_SET);
    unsigned char *b = malloc((size_t)n);
    assert_non_null(b);
    assert_int_equal(fread(b, 1, (size_t)n, f), (size_t)n);
    fclose(f);
    *len = (size_t)n;
    return b;
}

static void put32(unsigned char *p, uint32_t v)
{
    p[0] = (unsigned char)(v >> 24);
    p[1] = (unsigned char)(v >> 16);
    p[2] = (unsigned char)(v >> 8);
    p[3] = (unsigned char)v;
}

static uint32_t get32(const unsigned char *p)
{
    return (uint32_t)p[0] << 24 | (uint32_t)p[1] << 16 | (uint32_t)p[2] << 8 | p[3];
}

/* Writes a TrueType collection of the fonts at a and b (faces 0 and 1):
 * the header, then each font file whole at a 4-byte boundary, its
 * table offsets moved by where it now starts. */
static void make_collection(const char *out, const char *a, const char *b)
{
    const char *src[2] = {a, b};
    unsigned char head[20] = "ttcf";
    put32(head + 4, 0x00010000);
    put32(head + 8, 2);
    FILE *f = fopen(out, "wb");
    assert_non_null(f);
    size_t at = sizeof head;
    unsigned char *fonts[2];
    size_t lens[2];
    for (int i = 0; i < 2; i++) {
        fonts[i] = slurp(src[i], &lens[i]);
        put32(head + 12 + 4 * i, (uint32_t)at);
        unsigned ntables = (unsigned)(fonts[i][4] << 8 | fonts[i][5]);
        for (unsigned t = 0; t < ntables; t++) {
            unsigned char *rec = fonts[i] + 12 + 16 * t + 8;
            put32(rec, get32(rec) + (uint32_t)at);
        }
        at += (lens[i] + 3) & ~(size_t)3;
    }
    assert_int_equal(fwrite(head, 1, sizeof head, f), sizeof head);
    static const unsigned char pad[3];
    for (int i = 0; i < 2; i++) {
        assert_int_equal(fwrite(fonts[i], 1, lens[i], f), lens[i]);
        size_t extra = ((lens[i] + 3) & ~(size_t)3) - lens[i];
        assert_int_equal(fwrite(pad, 1, extra, f), extra);
        free(fonts[i]);
    }
    assert_int_equal(fclose(f), 0);
}

static unsigned glyphs_of(const char *path)
{
    hb_blob_t *b = hb_blob_create_from_file(path);
    hb_face_t *face = hb_face_create(b, 0);
    unsigned n = hb_face_get_glyph_count(face);
    hb_face_destroy(face);
    hb_blob_destroy(b);
    return n;
}

/* A TrueType file: every slot naming it shares one font, "#0" too. */
static void test_truetype(void **state)
{
    (void)state;
    dp_diags d;
    dp_diags_init(&d);
    dp_fontset fs;
    const char *paths[] = {MINCHO, MINCHO "#0", "", DEJAVU};
    assert_int_equal(dp_fontset_load(&fs, &d, "t.style", paths, 4), DP_OK);
    assert_int_equal(fs.n, 4);
    assert_ptr_equal(fs.fonts[0], fs.fonts[1]);
    assert_null(fs.fonts[2]);
    assert_ptr_not_equal(fs.fonts[0], fs.fonts[3]);
    assert_int_equal(hb_face_get_glyph_count(fs.fonts[0]->face), glyphs_of(MINCHO));
    assert_int_equal(fs.fonts[0]->upem, 2048);
    assert_int_equal(dp_fontset_pick(&fs, DP_FONT_BODY, 0x6F22), 0); /* 漢 */
    assert_string_equal(dp_font_path(fs.fonts[3]), DEJAVU);
    assert_int_equal(d.count, 0);
    dp_fontset_dispose(&fs);
    dp_diags_dispose(&d);
}

/* FILE#N picks face N of a collection, for shaping and for the PDF. */
static void test_collection_index(void **state)
{
    (void)state;
    char ttc[] = "/tmp/dp-ttc-XXXXXX";
    int fd = mkstemp(ttc);
    assert_true(fd >= 0);
    close(fd);
    make_collection(ttc, MINCHO, DEJAVU);

    char face0[64], face1[64];
    snprintf(face0, sizeof face0, "%s#0", ttc);
    snprintf(face1, sizeof face1, "%s#1", ttc);
    const char *paths[] = {face1, face0, ttc};
    dp_diags d;
    dp_diags_init(&d);
    dp_fontset fs;
    assert_int_equal(dp_fontset_load(&fs, &d, "t.style", paths, 3), DP_OK);
    assert_ptr_not_equal(fs.fonts[0], fs.fonts[1]);
    assert_ptr_equal(fs.fonts[1], fs.fonts[2]); /* no index: face 0 */
    assert_int_equal(hb_face_get_glyph_count(fs.fonts[0]->face), glyphs_of(DEJAVU));
    assert_int_equal(hb_face_get_glyph_count(fs.fonts[1]->face), glyphs_of(MINCHO));
    /* DejaVu (the body font here) has no kana: they come from face 0 */
    assert_int_equal(dp_fontset_pick(&fs, DP_FONT_BODY, 0x0410), 0);
    assert_int_equal(dp_fontset_pick(&fs, DP_FONT_BODY, 0x3042), 1);

    /* the PDF stage embeds the face it was given */
    HPDF_Doc pdf = HPDF_New(NULL, NULL);
    dp_cidfont *f = NULL;
    assert_int_equal(dp_cidfont_new(&f, pdf, fs.fonts[0], &d), DP_OK);
    assert_string_equal(HPDF_Font_GetFontName(dp_cidfont_handle(f)), "DejaVuSans");
    dp_cidfont_free(f);
    assert_int_equal(dp_cidfont_new(&f, pdf, fs.fonts[1], &d), DP_OK);
    assert_string_equal(HPDF_Font_GetFontName(dp_cidfont_handle(f)), "IPAexMincho");
    dp_cidfont_free(f);
    HPDF_Free(pdf);
    dp_fontset_dispose(&fs);

    /* a face past the last one */
    char face2[64];
    snprintf(face2, sizeof face2, "%s#2", ttc);
    const char *bad[] = {face2};
    assert_int_equal(dp_fontset_load(&fs, &d, "t.style", bad, 1), DP_EFONT);
    assert_int_equal(d.count, 1);
    assert_string_equal(d.items[0].file, "t.style");
    assert_non_null(strstr(d.items[0].message, "has 2 faces (#0 to #1), not #2"));
    unlink(ttc);
    dp_diags_dispose(&d);
}

/* A face index a single font does not have is an error naming the
 * style, never face 0 instead. */
static void test_bad_index(void **state)
{
    (void)state;
    dp_diags d;
    dp_diags_init(&d);
    dp_fontset fs;
    const char *paths[] = {MINCHO, MINCHO "#1"};
    assert_int_equal(dp_fontset_load(&fs, &d, "my.style", paths, 2), DP_EFONT);
    assert_int_equal(fs.n, 0);
    assert_int_equal(d.count, 1);
    assert_string_equal(d.items[0].file, "my.style");
    assert_non_null(strstr(d.items[0].message, "ipaexm.ttf#1"));
    assert_non_null(strstr(d.items[0].message, "has 1 face (#0 to #0), not #1"));
    dp_diags_dispose(&d);
}

/* A variable font is refused when loaded, naming it (a minimal sfnt:
 * an fvar table and maxp). */
static void test_variable_refused(void **state)
{
    (void)state;
    static const unsigned char font[] = {
        0, 1, 0, 0, 0, 2, 0, 32, 0, 1, 0, 0,
        'f', 'v', 'a', 'r', 0, 0, 0, 0, 0, 0, 0, 44, 0, 0, 0, 16,
        'm', 'a', 'x', 'p', 0, 0, 0, 0, 0, 0, 0, 60, 0, 0, 0, 6,
        /* fvar 1.0: axes at 16, 0 axes of 20 bytes, 0 instances */
        0, 1, 0, 0, 0, 16, 0, 2, 0, 0, 0, 20, 0, 0, 0, 4,
        0, 0, 0x50, 0, 0, 2, /* maxp 0.5: 2 glyphs */
    };
    char tmp[] = "/tmp/dp-var-XXXXXX";
    int fd = mkstemp(tmp);
    assert_true(fd >= 0);
    assert_int_equal(write(fd, font, sizeof font), (ssize_t)sizeof font);
    close(fd);
    dp_diags d;
    dp_diags_init(&d);
    dp_fontset fs;
    const char *paths[] = {tmp};
    assert_int_equal(dp_fontset_load(&fs, &d, "x.style", paths, 1), DP_EFONT);
    unlink(tmp);
    assert_int_equal(d.errors, 1);
    assert_string_equal(d.items[0].file, "x.style");
    assert_non_null(strstr(d.items[0].message, "is a variable font"));
    dp_diags_dispose(&d);
}

/* Bold faces and fallbacks by role: strong text takes the bold face of
 * its role when there is one (else the heading font, as without bold
 * faces); a rare kanji missing from both roles' fonts comes from the
 * role's own kind of fallback (a sans face in headings, a serif one in
 * body text) before the fallbacks of every role. */
#define GOTHIC "/usr/share/fonts/opentype/ipaexfont-gothic/ipaexg.ttf"
#define IPAMJ "/usr/share/fonts/truetype/ipamj/ipamjm.ttf"
#define NOTO_SANS_BOLD "/usr/share/fonts/opentype/noto/NotoSansCJK-Bold.ttc"
#define NOTO_SERIF "/usr/share/fonts/opentype/noto/NotoSerifCJK-Regular.ttc"
#define NOTO_SANS "/usr/share/fonts/opentype/noto/NotoSansCJK-Regular.ttc"

static void test_roles(void **state)
{
    (void)state;
    /* body, heading, no Latin, IPAmj for every role; heading bold;
     * serif then sans fallbacks */
    const char *paths[] = {MINCHO, GOTHIC, "", "", IPAMJ, "", NOTO_SANS_BOLD, NOTO_SERIF,
                           NOTO_SANS};
    dp_diags d;
    dp_diags_init(&d);
    dp_fontset fs;
    assert_int_equal(dp_fontset_load(&fs, &d, "t.style", paths, 9), DP_OK);
    const uint32_t yoshi = 0x20BB7; /* 𠮷: in IPAmj and Noto, not in IPAex */

    /* without roles (as before): the fallbacks in order, no bold */
    assert_int_equal(dp_fontset_strong_role(&fs, DP_FONT_BODY), DP_FONT_HEADING);
    assert_int_equal(dp_fontset_pick(&fs, DP_FONT_HEADING, yoshi), 4);

    dp_font_roles roles = {.nfallback = 1, .bold = {5, 6}, .kind_first = {7, 8},
                           .kind_n = {1, 1}};
    dp_fontset_set_roles(&fs, &roles);
    /* no body bold face: strong body text in the heading font; a heading
     * bold face: strong heading text in it */
    assert_int_equal(dp_fontset_strong_role(&fs, DP_FONT_BODY), DP_FONT_HEADING);
    assert_int_equal(dp_fontset_strong_role(&fs, DP_FONT_HEADING), DP_ROLE_HEADING_BOLD);
    assert_int_equal(dp_fontset_role_slot(&fs, DP_ROLE_HEADING_BOLD), 6);
    assert_int_equal(dp_fontset_role_slot(&fs, DP_ROLE_BODY_BOLD), DP_FONT_BODY);
    assert_int_equal(dp_fontset_pick(&fs, DP_ROLE_HEADING_BOLD, 0x6F22), 6); /* 漢 */
    assert_int_equal(dp_fontset_pick(&fs, DP_FONT_HEADING, 0x6F22), DP_FONT_HEADING);
    /* 𠮷 by role: sans in headings, serif in body text */
    assert_int_equal(dp_fontset_pick(&fs, DP_FONT_HEADING, yoshi), 8);
    assert_int_equal(dp_fontset_pick(&fs, DP_FONT_BODY, yoshi), 7);
    /* the bold face has it itself */
    assert_int_equal(dp_fontset_pick(&fs, DP_ROLE_HEADING_BOLD, yoshi), 6);
    /* without the kinds' own lists, every role's fallback */
    roles.kind_n[0] = roles.kind_n[1] = 0;
    dp_fontset_set_roles(&fs, &roles);
    assert_int_equal(dp_fontset_pick(&fs, DP_FONT_HEADING, yoshi), 4);
    assert_int_equal(d.count, 0);
    dp_fontset_dispose(&fs);
    dp_diags_dispose(&d);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_truetype),
        cmocka_unit_test(test_collection_index),
        cmocka_unit_test(test_bad_index),
        cmocka_unit_test(test_variable_refused),
        cmocka_unit_test(test_roles),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
