/*
 * The embedded CID font: a two-page PDF with IPAex Mincho (Japanese and
 * Latin) and DejaVu Sans, shaped here with HarfBuzz, checked with
 * poppler's pdffonts/pdftotext and qpdf; plus the CMap writer alone.
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
#include <math.h>
#include <hb.h>
#include <hpdf.h>

#include "base/buf.h"
#include "base/diag.h"
#include "pdf/cidfont.h"
#include "pdf/cidfont_int.h"
#include "pdf/hpdf_ext.h"
#include "text/fonts.h"

#define MINCHO "/usr/share/fonts/opentype/ipaexfont-mincho/ipaexm.ttf"
#define DEJAVU "/usr/share/fonts/truetype/dejavu/DejaVuSans.ttf"

/* The fonts are loaded once, as the pipeline does, and embedded from
 * the font set. */
static dp_fontset test_fonts;
#define MINCHO_FONT (test_fonts.fonts[0])
#define DEJAVU_FONT (test_fonts.fonts[1])

static int load_fonts(void **state)
{
    (void)state;
    dp_diags d;
    dp_diags_init(&d);
    const char *paths[] = {MINCHO, DEJAVU};
    dp_status st = dp_fontset_load(&test_fonts, &d, "test", paths, 2);
    dp_diags_dispose(&d);
    return st == DP_OK ? 0 : -1;
}

static int free_fonts(void **state)
{
    (void)state;
    dp_fontset_dispose(&test_fonts);
    return 0;
}

/* A shaped line: glyph ids, absolute x, and per glyph the text of its
 * cluster (first glyph of a cluster only). */
struct line {
    uint32_t gid[128];
    double x[128];
    const char *text[128];
    size_t len[128];
    size_t n;
};

static void shape_face(const char *path, unsigned index, const char *s, double x0,
                       double size, struct line *out)
{
    hb_blob_t *blob = hb_blob_create_from_file_or_fail(path);
    assert_non_null(blob);
    hb_face_t *face = hb_face_create(blob, index);
    hb_font_t *font = hb_font_create(face);
    unsigned upem = hb_face_get_upem(face);
    hb_font_set_scale(font, (int)upem, (int)upem);
    hb_buffer_t *buf = hb_buffer_create();
    hb_buffer_add_utf8(buf, s, -1, 0, -1);
    hb_buffer_guess_segment_properties(buf);
    hb_shape(font, buf, NULL, 0);
    unsigned n;
    hb_glyph_info_t *info = hb_buffer_get_glyph_infos(buf, &n);
    hb_glyph_position_t *pos = hb_buffer_get_glyph_positions(buf, &n);
    assert_true(n <= 128);
    double x = x0;
    size_t slen = strlen(s);
    for (unsigned i = 0; i < n; i++) {
        out->gid[i] = info[i].codepoint;
        out->x[i] = x + pos[i].x_offset * size / upem;
        x += pos[i].x_advance * size / upem;
        int first = i == 0 || info[i - 1].cluster != info[i].cluster;
        size_t end = slen;
        for (unsigned j = i + 1; j < n; j++) {
            if (info[j].cluster != info[i].cluster) {
                end = info[j].cluster;
                break;
            }
        }
        out->text[i] = first ? s + info[i].cluster : NULL;
        out->len[i] = first ? end - info[i].cluster : 0;
    }
    out->n = n;
    hb_buffer_destroy(buf);
    hb_font_destroy(font);
    hb_face_destroy(face);
    hb_blob_destroy(blob);
}

static void shape(const char *path, const char *s, double x0, double size,
                  struct line *out)
{
    shape_face(path, 0, s, x0, size, out);
}

static void draw(HPDF_Page page, dp_cidfont *f, double size, double y,
                 const struct line *l)
{
    assert_int_equal(HPDF_Page_SetFontAndSize(page, dp_cidfont_handle(f),
                                              (HPDF_REAL)size), HPDF_OK);
    assert_int_equal(dp_cidfont_show(f, page, size, y, l->gid, l->x, l->text,
                                     l->len, l->n), DP_OK);
}

/* The page text, as pdftotext should give it back. */
static const char *const page1[] = {
    "吾輩は猫である。名前はまだ無い。",
    "PDF出力のテスト、Latin glyphs too.",
};
static const char *const page2[] = {
    "Hello, world — DejaVu Sans.",
    "ひらがなとカタカナ",
};

static void build(const char *out, HPDF_UINT compress)
{
    dp_diags d;
    dp_diags_init(&d);
    HPDF_Doc pdf = HPDF_New(NULL, NULL);
    assert_non_null(pdf);
    HPDF_SetCompressionMode(pdf, compress);
    dp_cidfont *mincho = NULL, *dejavu = NULL;
    assert_int_equal(dp_cidfont_new(&mincho, pdf, MINCHO_FONT, &d), DP_OK);
    assert_int_equal(dp_cidfont_new(&dejavu, pdf, DEJAVU_FONT, &d), DP_OK);

    /* Every glyph is declared before the glyph sets are planned; only
     * then can pages be drawn. */
    struct line l[5];
    shape(MINCHO, page1[0], 40, 12, &l[0]);
    shape(MINCHO, page1[1], 40, 10.5, &l[1]);
    shape(DEJAVU, page2[0], 40, 11, &l[2]);
    shape(MINCHO, page2[1], 40, 12, &l[3]);
    /* 吉 drawn standing for 𠮷 (not in IPAex): a surrogate pair in the
     * ToUnicode CMap that pdftotext must give back. */
    shape(MINCHO, "吉野家", 40, 12, &l[4]);
    assert_int_equal(l[4].n, 3);
    l[4].text[0] = "𠮷";
    l[4].len[0] = strlen("𠮷");
    /* A wider gap after the first glyph forces a TJ number. */
    l[4].x[1] += 1;
    l[4].x[2] += 1;
    for (int i = 0; i < 5; i++) {
        dp_cidfont *f = i == 2 ? dejavu : mincho;
        assert_int_equal(dp_cidfont_use(f, l[i].gid, l[i].n), DP_OK);
    }
    assert_int_equal(dp_cidfont_plan(mincho), DP_OK);
    assert_int_equal(dp_cidfont_plan(dejavu), DP_OK);
    dp_cidfont_build(mincho);

    HPDF_Page p = HPDF_AddPage(pdf);
    HPDF_Page_SetSize(p, HPDF_PAGE_SIZE_A5, HPDF_PAGE_PORTRAIT);
    HPDF_Page_BeginText(p);
    draw(p, mincho, 12, 520, &l[0]);
    draw(p, mincho, 10.5, 500, &l[1]);
    HPDF_Page_EndText(p);

    p = HPDF_AddPage(pdf);
    HPDF_Page_SetSize(p, HPDF_PAGE_SIZE_A5, HPDF_PAGE_PORTRAIT);
    HPDF_Page_BeginText(p);
    draw(p, dejavu, 11, 520, &l[2]);
    draw(p, mincho, 12, 500, &l[3]);
    draw(p, mincho, 12, 480, &l[4]);
    HPDF_Page_EndText(p);

    assert_int_equal(dp_cidfont_finish(mincho), DP_OK);
    assert_int_equal(dp_cidfont_finish(dejavu), DP_OK);
    if (compress != HPDF_COMP_NONE) /* as the writer does */
        assert_int_equal(dp_hpdf_deflate_streams(pdf, 2), DP_OK);
    assert_int_equal(HPDF_SaveToFile(pdf, out), HPDF_OK);
    HPDF_Free(pdf);
    dp_cidfont_free(mincho);
    dp_cidfont_free(dejavu);
    assert_int_equal(d.errors, 0);
    dp_diags_dispose(&d);
}

static void temp_path(char *buf, size_t size)
{
    const char *dir = getenv("TMPDIR");
    snprintf(buf, size, "%s/cidfontXXXXXX", dir && *dir ? dir : "/tmp");
    int fd = mkstemp(buf);
    assert_true(fd >= 0);
    close(fd);
}

static void slurp(const char *path, dp_buf *b)
{
    dp_buf_init(b);
    assert_int_equal(dp_buf_read_file(b, path, 64u << 20), DP_OK);
}

static const char *find_bytes(const dp_buf *b, const char *needle)
{
    size_t n = strlen(needle);
    for (size_t i = 0; i + n <= b->len; i++) {
        if (memcmp(b->data + i, needle, n) == 0)
            return b->data + i;
    }
    return NULL;
}

static int contains(const dp_buf *b, const char *needle)
{
    size_t n = strlen(needle);
    for (size_t i = 0; i + n <= b->len; i++) {
        if (memcmp(b->data + i, needle, n) == 0)
            return 1;
    }
    return 0;
}

/* Runs cmd and returns its standard output and exit status. */
static int run(const char *cmd, dp_buf *out)
{
    dp_buf_init(out);
    FILE *p = popen(cmd, "r");
    assert_non_null(p);
    char chunk[4096];
    size_t k;
    while ((k = fread(chunk, 1, sizeof chunk, p)) > 0)
        assert_int_equal(dp_buf_add(out, chunk, k), DP_OK);
    return pclose(p);
}

static void test_pdf(void **state)
{
    (void)state;
    char a[256], b[256], cmd[600];
    temp_path(a, sizeof a);
    temp_path(b, sizeof b);
    build(a, HPDF_COMP_ALL);
    build(b, HPDF_COMP_ALL);
    if (getenv("DP_KEEP_PDF"))
        fprintf(stderr, "kept %s\n", a);

    dp_buf fa, fb;
    slurp(a, &fa);
    slurp(b, &fb);
    /* Same input, same bytes. */
    assert_int_equal(fa.len, fb.len);
    assert_memory_equal(fa.data, fb.data, fa.len);
    /* Two subsets of a few dozen glyphs: a few KB, not megabytes. */
    assert_true(fa.len < 30 * 1024);
    assert_true(contains(&fa, "/FontFile2"));
    assert_true(contains(&fa, "/ToUnicode"));
    assert_true(contains(&fa, "/Identity-H"));
    assert_true(contains(&fa, "/CIDFontType2"));
    assert_true(contains(&fa, "/CIDToGIDMap /Identity"));

    dp_buf out;
    snprintf(cmd, sizeof cmd, "pdffonts '%s' 2>&1", a);
    assert_int_equal(run(cmd, &out), 0);
    int fonts = 0;
    for (char *line = strtok(out.data, "\n"); line; line = strtok(NULL, "\n")) {
        if (!strchr(line, '+'))
            continue;
        fonts++;
        /* "ABCDEF+Name  CID TrueType  Identity-H  yes yes yes  N 0" */
        const char *plus = strchr(line, '+');
        assert_int_equal(plus - line, 6);
        for (int i = 0; i < 6; i++)
            assert_true(line[i] >= 'A' && line[i] <= 'Z');
        assert_non_null(strstr(line, "CID TrueType"));
        assert_non_null(strstr(line, "Identity-H"));
        assert_non_null(strstr(line, "yes yes yes"));
    }
    assert_int_equal(fonts, 2);
    dp_buf_dispose(&out);

    snprintf(cmd, sizeof cmd, "pdftotext -raw -enc UTF-8 '%s' - 2>&1", a);
    assert_int_equal(run(cmd, &out), 0);
    dp_buf want;
    dp_buf_init(&want);
    dp_buf_printf(&want, "%s\n%s\n\f%s\n%s\n𠮷野家\n\f", page1[0], page1[1],
                  page2[0], page2[1]);
    assert_string_equal(out.data, want.data);
    dp_buf_dispose(&want);
    dp_buf_dispose(&out);

    snprintf(cmd, sizeof cmd,
             "command -v qpdf >/dev/null && qpdf --check '%s' 2>&1", a);
    int rc = run(cmd, &out);
    if (out.len) { /* qpdf is installed */
        assert_int_equal(rc, 0);
        assert_non_null(strstr(out.data, "No syntax or stream encoding"));
    }
    dp_buf_dispose(&out);

    dp_buf_dispose(&fa);
    dp_buf_dispose(&fb);
    if (!getenv("DP_KEEP_PDF"))
        remove(a);
    remove(b);
}

/* Content stream written as expected: each run moves from the previous
 * line start with Td (in hundredths of a point), hex codes, TJ numbers. */
static void test_content(void **state)
{
    (void)state;
    char a[256];
    temp_path(a, sizeof a);
    build(a, HPDF_COMP_NONE);
    dp_buf f;
    slurp(a, &f);
    assert_true(contains(&f, " Tf\01240 520 Td\012("));
    assert_true(contains(&f, "\0120 -20 Td\012(")); /* the next line, 20 pt lower */
    /* After 吉, 1pt more at 12pt: -83.33/1000 em, in whole units. */
    assert_true(contains(&f, ")-83("));

    /* Replaying the DejaVu line's TJ with the /W widths lands every
     * glyph where HarfBuzz put it (kerning pairs included), within the
     * rounding to whole 1/1000 em (never accumulating). */
    const char *run = find_bytes(&f, " Tf\01240 520 Td\012[");
    assert_non_null(run);
    run = strchr(run, '[') + 1;
    struct line l;
    shape(DEJAVU, page2[0], 40, 11, &l);
    dp_diags d;
    dp_diags_init(&d);
    HPDF_Doc pdf = HPDF_New(NULL, NULL);
    dp_cidfont *dv = NULL;
    assert_int_equal(dp_cidfont_new(&dv, pdf, DEJAVU_FONT, &d), DP_OK);
    /* planned with the same glyphs as in build(): the same codes */
    assert_int_equal(dp_cidfont_use(dv, l.gid, l.n), DP_OK);
    assert_int_equal(dp_cidfont_plan(dv), DP_OK);
    double pen = 40;
    size_t i = 0;
    int escaped_cr = 0;
    while (*run != ']') {
        if (*run == '(') {
            /* two bytes per glyph; \\ ( ) and CR escaped */
            unsigned char two[2];
            int got = 0;
            for (run++; *run != ')'; run++) {
                unsigned char c = (unsigned char)*run;
                if (c == '\\') {
                    run++;
                    c = *run == 'r' ? '\r' : (unsigned char)*run;
                    escaped_cr |= *run == 'r';
                } else {
                    assert_true(c != '\r' && c != '(');
                }
                two[got++] = c;
                if (got < 2)
                    continue;
                got = 0;
                unsigned code = (unsigned)two[0] << 8 | two[1];
                assert_true(i < l.n);
                assert_int_equal(code, dp_cidfont_cid(dv, l.gid[i]));
                /* codes are numbered densely from 1 (0 is .notdef) */
                assert_true(code >= 1 && code <= l.n);
                assert_true(fabs(pen - l.x[i]) < 11 * 0.0005 + 1e-9);
                pen += dp_cidfont_width(dv, l.gid[i]) * 11 / 1000.0;
                i++;
            }
            assert_int_equal(got, 0);
            run++;
        } else {
            char *end;
            double k = strtod(run, &end);
            assert_true(end != run);
            pen -= k * 11 / 1000.0;
            run = end;
        }
    }
    /* this line has more than 13 glyphs: code 0x000D was written as \r */
    assert_true(escaped_cr);
    assert_int_equal(i, l.n);
    HPDF_Free(pdf);
    dp_cidfont_free(dv);
    dp_diags_dispose(&d);
    dp_buf_dispose(&f);
    remove(a);
}

/* A run spaced out evenly gets Tc and needs no TJ numbers; the next run
 * set solid puts Tc back to 0. */
static void test_letter_spacing(void **state)
{
    (void)state;
    dp_diags d;
    dp_diags_init(&d);
    HPDF_Doc pdf = HPDF_New(NULL, NULL);
    HPDF_SetCompressionMode(pdf, HPDF_COMP_NONE);
    dp_cidfont *f = NULL;
    assert_int_equal(dp_cidfont_new(&f, pdf, DEJAVU_FONT, &d), DP_OK);
    struct line spaced, solid;
    shape(DEJAVU, "spaced out", 40, 10, &spaced);
    shape(DEJAVU, "solid", 40, 10, &solid);
    for (size_t i = 0; i < spaced.n; i++)
        spaced.x[i] += 0.6 * (double)i;
    assert_int_equal(dp_cidfont_use(f, spaced.gid, spaced.n), DP_OK);
    assert_int_equal(dp_cidfont_use(f, solid.gid, solid.n), DP_OK);
    assert_int_equal(dp_cidfont_plan(f), DP_OK);
    HPDF_Page p = HPDF_AddPage(pdf);
    HPDF_Page_BeginText(p);
    draw(p, f, 10, 500, &spaced);
    draw(p, f, 10, 480, &solid);
    HPDF_Page_EndText(p);
    assert_int_equal(dp_cidfont_finish(f), DP_OK);
    char path[256];
    temp_path(path, sizeof path);
    assert_int_equal(HPDF_SaveToFile(pdf, path), HPDF_OK);
    dp_buf b;
    slurp(path, &b);
    if (getenv("DP_KEEP_PDF"))
        fprintf(stderr, "kept %s\n", path);
    /* 0.6 pt, less what rounding the widths to 1/1000 em left over */
    const char *tc = find_bytes(&b, "40 500 Td\012");
    assert_non_null(tc);
    char *end;
    double v = strtod(tc + 10, &end);
    assert_true(fabs(v - 0.6) < 0.01);
    assert_memory_equal(end, " Tc\012(", 5);
    /* the spaced run needed no TJ numbers; the next one resets Tc */
    assert_true(contains(&b, ") Tj\012/F1 10 Tf\0120 -20 Td\0120 Tc\012"));
    dp_buf_dispose(&b);
    if (!getenv("DP_KEEP_PDF"))
        remove(path);
    HPDF_Free(pdf);
    dp_cidfont_free(f);
    assert_int_equal(d.errors, 0);
    dp_diags_dispose(&d);
}

static void test_widths_and_errors(void **state)
{
    (void)state;
    dp_diags d;
    dp_diags_init(&d);
    HPDF_Doc pdf = HPDF_New(NULL, NULL);
    dp_cidfont *f = NULL;

    assert_int_equal(dp_cidfont_new(&f, pdf, DEJAVU_FONT, &d), DP_OK);
    struct line l;
    shape(DEJAVU, "A", 0, 10, &l);
    /* DejaVu Sans 'A': 1401 / 2048 em. */
    assert_int_equal(dp_cidfont_width(f, l.gid[0]), 684);
    assert_int_equal(dp_cidfont_width(f, 1u << 20), 0);

    /* Drawing without selecting the font first is refused. */
    HPDF_Page p = HPDF_AddPage(pdf);
    HPDF_Page_BeginText(p);
    assert_int_equal(dp_cidfont_show(f, p, 10, 100, l.gid, l.x, NULL, NULL, 1),
                     DP_ERR);
    HPDF_Page_EndText(p);
    assert_int_equal(d.count, 1);

    /* Nothing drawn still gives a valid (.notdef only) font; finishing
     * twice or drawing afterwards is an error. */
    HPDF_Font h = dp_cidfont_handle(f);
    assert_string_equal(HPDF_Font_GetFontName(h), "DejaVuSans");
    assert_int_equal(HPDF_Font_GetAscent(h), 928);
    assert_int_equal(HPDF_Font_GetDescent(h), -236);
    assert_int_equal(dp_cidfont_finish(f), DP_OK);
    assert_int_equal(dp_cidfont_finish(f), DP_ERR);
    const char *name = HPDF_Font_GetFontName(h);
    assert_int_equal(strlen(name), strlen("ABCDEF+DejaVuSans"));
    assert_string_equal(name + 6, "+DejaVuSans");
    HPDF_Page_BeginText(p);
    HPDF_Page_SetFontAndSize(p, dp_cidfont_handle(f), 10);
    assert_int_equal(dp_cidfont_show(f, p, 10, 100, l.gid, l.x, NULL, NULL, 1),
                     DP_ERR);
    HPDF_Page_EndText(p);
    assert_int_equal(d.count, 3);

    /* The glyph set is declared, planned once, then drawn from. */
    dp_cidfont *g = NULL;
    assert_int_equal(dp_cidfont_new(&g, pdf, DEJAVU_FONT, &d), DP_OK);
    uint32_t bad = 1u << 20;
    assert_int_equal(dp_cidfont_use(g, &bad, 1), DP_EFONT);
    assert_int_equal(d.count, 4);
    HPDF_Page_BeginText(p);
    HPDF_Page_SetFontAndSize(p, dp_cidfont_handle(g), 10);
    assert_int_equal(dp_cidfont_show(g, p, 10, 100, l.gid, l.x, NULL, NULL, 1),
                     DP_ERR); /* before the plan */
    assert_int_equal(d.count, 5);
    assert_int_equal(dp_cidfont_plan(g), DP_OK); /* nothing declared */
    assert_int_equal(dp_cidfont_cid(g, 0), 0);
    assert_int_equal(dp_cidfont_cid(g, l.gid[0]), -1);
    assert_int_equal(dp_cidfont_show(g, p, 10, 100, l.gid, l.x, NULL, NULL, 1),
                     DP_EFONT); /* not in the plan */
    assert_int_equal(d.count, 6);
    assert_int_equal(dp_cidfont_use(g, l.gid, 1), DP_ERR); /* too late */
    assert_int_equal(dp_cidfont_plan(g), DP_ERR);
    assert_int_equal(d.count, 8);
    HPDF_Page_EndText(p);
    assert_int_equal(dp_cidfont_finish(g), DP_OK);

    HPDF_Free(pdf);
    dp_cidfont_free(g);
    dp_cidfont_free(f);
    dp_diags_dispose(&d);
}

/* The PDF font is made from the mapping the font set made for shaping:
 * the file is not opened again (here it is gone by then), and a file
 * named twice, spelled differently, is one font. */
static void test_file_read_once(void **state)
{
    (void)state;
    char tmp[] = "/tmp/dp-font-XXXXXX";
    int fd = mkstemp(tmp);
    assert_true(fd >= 0);
    FILE *in = fopen(DEJAVU, "rb");
    assert_non_null(in);
    char chunk[65536];
    size_t got;
    while ((got = fread(chunk, 1, sizeof chunk, in)) > 0)
        assert_int_equal(write(fd, chunk, got), (ssize_t)got);
    fclose(in);
    close(fd);

    char other[64];
    snprintf(other, sizeof other, "/tmp/../tmp/%s", tmp + 5);
    const char *paths[] = {tmp, other, DEJAVU};
    dp_diags d;
    dp_diags_init(&d);
    dp_fontset fs;
    assert_int_equal(dp_fontset_load(&fs, &d, "test", paths, 3), DP_OK);
    unlink(tmp);
    assert_ptr_equal(fs.fonts[0], fs.fonts[1]);
    assert_ptr_not_equal(fs.fonts[0], fs.fonts[2]);
    assert_string_equal(dp_font_path(fs.fonts[0]), tmp);

    HPDF_Doc pdf = HPDF_New(NULL, NULL);
    dp_cidfont *f = NULL;
    assert_int_equal(dp_cidfont_new(&f, pdf, fs.fonts[0], &d), DP_OK);
    struct line l;
    shape(DEJAVU, "A", 0, 10, &l);
    assert_int_equal(dp_cidfont_use(f, l.gid, 1), DP_OK);
    assert_int_equal(dp_cidfont_plan(f), DP_OK);
    dp_cidfont_build(f);
    assert_int_equal(dp_cidfont_finish(f), DP_OK);
    assert_int_equal(d.count, 0);
    HPDF_Free(pdf);
    dp_cidfont_free(f);
    dp_fontset_dispose(&fs);
    dp_diags_dispose(&d);
}

static void test_cmap(void **state)
{
    (void)state;
    const uint16_t codes[] = {0x0003, 0x0024, 0x0025, 0x0026, 0x00FF, 0x0100,
                              0x0200, 0x0201};
    const char *text[] = {" ", "A", "B", "C", "x", "y", "𠮷", "ffi"};
    size_t len[8];
    for (int i = 0; i < 8; i++)
        len[i] = strlen(text[i]);
    dp_buf b;
    dp_buf_init(&b);
    assert_int_equal(dp_cidfont_write_cmap(&b, codes, text, len, 8), DP_OK);
    assert_non_null(strstr(b.data, "<0000> <FFFF>"));
    assert_non_null(strstr(b.data, "<0003> <0020>\n"));
    assert_non_null(strstr(b.data, "<0024> <0026> <0041>\n"));
    /* 0x00FF/0x0100 are consecutive but differ in the first byte. */
    assert_non_null(strstr(b.data, "<00FF> <0078>\n"));
    assert_non_null(strstr(b.data, "<0100> <0079>\n"));
    /* consecutive codes with unrelated targets: one range, an array */
    assert_non_null(strstr(b.data, "<0200> <0201> [<D842DFB7> <006600660069>]\n"));
    assert_non_null(strstr(b.data, "3 beginbfchar"));
    assert_non_null(strstr(b.data, "2 beginbfrange"));
    dp_buf_dispose(&b);

    /* Dense codes: arrays, split where the first byte changes, and a
     * linear run of 3 or more kept in the short form. */
    uint16_t dense[300];
    const char *dt[300];
    size_t dl[300];
    for (int i = 0; i < 300; i++) {
        dense[i] = (uint16_t)(i + 1);
        dt[i] = i % 2 ? "字" : "文";
        dl[i] = strlen(dt[i]);
    }
    dt[100] = "a", dt[101] = "b", dt[102] = "c";
    dl[100] = dl[101] = dl[102] = 1;
    dp_buf_init(&b);
    assert_int_equal(dp_cidfont_write_cmap(&b, dense, dt, dl, 300), DP_OK);
    assert_non_null(strstr(b.data, "<0001> <0064> [<6587> <5B57> <6587>"));
    assert_non_null(strstr(b.data, "<0065> <0067> <0061>\n"));
    assert_non_null(strstr(b.data, "<0068> <00FF> [<"));
    assert_non_null(strstr(b.data, "<0100> <012C> [<"));
    assert_non_null(strstr(b.data, "4 beginbfrange"));
    assert_null(strstr(b.data, "beginbfchar"));
    dp_buf_dispose(&b);

    /* Blocks of at most 100 lines. */
    uint16_t many[250];
    const char *t[250];
    size_t l[250];
    for (int i = 0; i < 250; i++) {
        many[i] = (uint16_t)(2 * i + 1);
        t[i] = "字";
        l[i] = strlen(t[i]);
    }
    dp_buf_init(&b);
    assert_int_equal(dp_cidfont_write_cmap(&b, many, t, l, 250), DP_OK);
    char *s = strstr(b.data, "100 beginbfchar");
    assert_non_null(s);
    s = strstr(s + 1, "100 beginbfchar");
    assert_non_null(s);
    assert_non_null(strstr(s, "50 beginbfchar"));
    dp_buf_dispose(&b);

    /* Unsorted codes and invalid UTF-8 are refused. */
    dp_buf_init(&b);
    const uint16_t bad[] = {5, 4};
    assert_int_equal(dp_cidfont_write_cmap(&b, bad, text, len, 2), DP_ERR);
    const char *inval[] = {"\xff"};
    size_t one = 1;
    dp_buf_reset(&b);
    assert_int_equal(dp_cidfont_write_cmap(&b, codes, inval, &one, 1), DP_ERR);
    dp_buf_dispose(&b);
}

/* OpenType with CFF outlines, CID-keyed (Noto CJK, from collections) and
 * name-keyed (Cantarell): CIDFontType0 with a bare CFF program
 * (FontFile3 /CIDFontType0C), widths from the font, text that copies
 * back, and glyphs drawn with the codes the program defines (a wrong
 * code would draw another glyph: the render must match the TrueType
 * path's ink roughly and pdftotext the text). */
#define NOTO_SERIF "/usr/share/fonts/opentype/noto/NotoSerifCJK-Regular.ttc"
#define NOTO_SANS "/usr/share/fonts/opentype/noto/NotoSansCJK-Bold.ttc"
#define CANTARELL "/usr/share/fonts/opentype/cantarell/Cantarell-Regular.otf"

static void test_cff(void **state)
{
    (void)state;
    const char *paths[] = {NOTO_SERIF, NOTO_SANS "#1", CANTARELL};
    const char *texts[] = {"吾輩は猫である。名前はまだ無い。", "한국어 고딕체", "Cantarell, name-keyed."};
    const unsigned index[] = {0, 1, 0};
    const char *names[] = {"+NotoSerifCJKjp-Regular", "+NotoSansCJKkr-Bold", "+Cantarell-Regular"};
    dp_diags d;
    dp_diags_init(&d);
    dp_fontset fs;
    assert_int_equal(dp_fontset_load(&fs, &d, "test", paths, 3), DP_OK);
    HPDF_Doc pdf = HPDF_New(NULL, NULL);
    HPDF_SetCompressionMode(pdf, HPDF_COMP_ALL);
    dp_cidfont *f[3];
    struct line l[3];
    for (int i = 0; i < 3; i++) {
        assert_int_equal(dp_cidfont_new(&f[i], pdf, fs.fonts[i], &d), DP_OK);
        shape_face(paths[i][strlen(paths[i]) - 2] == '#' ? NOTO_SANS : paths[i], index[i],
                   texts[i], 40, 14, &l[i]);
        assert_int_equal(dp_cidfont_use(f[i], l[i].gid, l[i].n), DP_OK);
        assert_int_equal(dp_cidfont_plan(f[i]), DP_OK);
    }
    /* a CJK ideograph is one em wide in Noto */
    assert_int_equal(dp_cidfont_width(f[0], l[0].gid[0]), 1000);
    /* the CID-keyed font is written in its CIDs (Noto's are not dense
     * subset numbers), the name-keyed one in subset glyph ids */
    assert_true(dp_cidfont_cid(f[0], l[0].gid[0]) > (int)l[0].n);
    assert_true(dp_cidfont_cid(f[2], l[2].gid[0]) <= (int)l[2].n);
    HPDF_Page p = HPDF_AddPage(pdf);
    HPDF_Page_SetSize(p, HPDF_PAGE_SIZE_A5, HPDF_PAGE_PORTRAIT);
    HPDF_Page_BeginText(p);
    for (int i = 0; i < 3; i++)
        draw(p, f[i], 14, 520 - 30 * i, &l[i]);
    HPDF_Page_EndText(p);
    for (int i = 0; i < 3; i++) {
        assert_int_equal(dp_cidfont_finish(f[i]), DP_OK);
        assert_non_null(strstr(HPDF_Font_GetFontName(dp_cidfont_handle(f[i])), names[i]));
    }
    assert_int_equal(dp_hpdf_deflate_streams(pdf, 2), DP_OK);
    char a[256], cmd[700];
    temp_path(a, sizeof a);
    assert_int_equal(HPDF_SaveToFile(pdf, a), HPDF_OK);
    HPDF_Free(pdf);
    for (int i = 0; i < 3; i++)
        dp_cidfont_free(f[i]);
    assert_int_equal(d.errors, 0);

    dp_buf out;
    snprintf(cmd, sizeof cmd, "pdffonts '%s' 2>&1", a);
    assert_int_equal(run(cmd, &out), 0);
    int fonts = 0;
    for (char *line = strtok(out.data, "\n"); line; line = strtok(NULL, "\n")) {
        if (!strchr(line, '+'))
            continue;
        fonts++;
        assert_non_null(strstr(line, "CID Type 0C"));
        assert_non_null(strstr(line, "yes yes yes"));
    }
    assert_int_equal(fonts, 3);
    dp_buf_dispose(&out);

    snprintf(cmd, sizeof cmd, "pdftotext -raw -enc UTF-8 '%s' - 2>&1", a);
    assert_int_equal(run(cmd, &out), 0);
    dp_buf want;
    dp_buf_init(&want);
    dp_buf_printf(&want, "%s\n%s\n%s\n\f", texts[0], texts[1], texts[2]);
    assert_string_equal(out.data, want.data);
    dp_buf_dispose(&want);
    dp_buf_dispose(&out);

    /* The codes are the ones the embedded programs define (finish fails
     * when a subset's charset does not give each glyph its code); poppler
     * renders the page without a complaint. */
    snprintf(cmd, sizeof cmd, "pdftoppm -r 36 -gray '%s' 2>&1 >/dev/null", a);
    assert_int_equal(run(cmd, &out), 0);
    assert_int_equal(out.len, 0);
    dp_buf_dispose(&out);

    dp_buf fa;
    slurp(a, &fa);
    assert_true(contains(&fa, "/FontFile3"));
    assert_true(contains(&fa, "/CIDFontType0C"));
    assert_true(contains(&fa, "/CIDFontType0"));
    assert_false(contains(&fa, "/FontFile2"));
    dp_buf_dispose(&fa);
    snprintf(cmd, sizeof cmd, "qpdf --check '%s' 2>&1", a);
    assert_int_equal(run(cmd, &out), 0);
    dp_buf_dispose(&out);
    remove(a);
    dp_fontset_dispose(&fs);
    dp_diags_dispose(&d);
}

/* A face whose outlines cannot be embedded is refused, naming it:
 * variable CFF2 outlines (a minimal sfnt: maxp and a CFF2 table). */
static void test_cff2_refused(void **state)
{
    (void)state;
    static const uint8_t font[] = {
        'O', 'T', 'T', 'O', 0, 2, 0, 32, 0, 1, 0, 0,
        'C', 'F', 'F', '2', 0, 0, 0, 0, 0, 0, 0, 44, 0, 0, 0, 8,
        'm', 'a', 'x', 'p', 0, 0, 0, 0, 0, 0, 0, 52, 0, 0, 0, 6,
        2, 0, 5, 0, 0, 0, 0, 0, /* CFF2: a header only */
        0, 0, 0x50, 0, 0, 2,    /* maxp 0.5: 2 glyphs */
    };
    char tmp[] = "/tmp/dp-cff2-XXXXXX";
    int fd = mkstemp(tmp);
    assert_true(fd >= 0);
    assert_int_equal(write(fd, font, sizeof font), (ssize_t)sizeof font);
    close(fd);
    dp_diags d;
    dp_diags_init(&d);
    dp_fontset fs;
    const char *paths[] = {tmp};
    assert_int_equal(dp_fontset_load(&fs, &d, "test", paths, 1), DP_OK);
    HPDF_Doc pdf = HPDF_New(NULL, NULL);
    dp_cidfont *f = NULL;
    assert_int_equal(dp_cidfont_new(&f, pdf, fs.fonts[0], &d), DP_EFONT);
    assert_null(f);
    assert_int_equal(d.errors, 1);
    assert_string_equal(d.items[0].file, tmp);
    assert_non_null(strstr(d.items[0].message, "variable CFF2 outlines at face 0"));
    HPDF_Free(pdf);
    unlink(tmp);
    dp_fontset_dispose(&fs);
    dp_diags_dispose(&d);
}

/* The CFF reader on a CID-keyed font whose CIDs are not its glyph ids
 * (as in fonts of the Adobe-Japan1 collection; Noto's are the same): a
 * minimal CFF with a format 2 charset, and a damaged one. */
static void test_cff_charset(void **state)
{
    (void)state;
    static const uint8_t cff[] = {
        1, 0, 4, 1,                                  /* header */
        0, 1, 1, 1, 2, 'X',                          /* Name INDEX */
        0, 1, 1, 1, 18,                              /* Top DICT INDEX, 17 bytes: */
        28, 1, 135, 28, 1, 136, 145, 12, 30,         /* ROS: 391 392 6 */
        28, 0, 51, 15,                               /* charset at 51 */
        28, 0, 60, 17,                               /* CharStrings at 60 */
        0, 2, 1, 1, 6, 12, 'A', 'd', 'o', 'b', 'e',  /* String INDEX */
        'J', 'a', 'p', 'a', 'n', '1',
        0, 0,                                        /* Global Subr INDEX */
        2, 0, 100, 0, 2, 0, 7, 0, 0,                 /* charset: 100-102, 7 */
        0, 5, 1, 1, 2, 3, 4, 5, 6, 14, 14, 14, 14, 14, /* CharStrings */
    };
    dp_cff_info info;
    uint16_t cids[5];
    assert_int_equal(dp_cff_read(cff, sizeof cff, &info, cids, 5), 0);
    assert_int_equal(info.cid_keyed, 1);
    assert_int_equal(info.nglyphs, 5);
    assert_string_equal(info.registry, "Adobe");
    assert_string_equal(info.ordering, "Japan1");
    assert_int_equal(info.supplement, 6);
    static const uint16_t want[] = {0, 100, 101, 102, 7};
    assert_memory_equal(cids, want, sizeof want);
    /* cut anywhere: refused or read within the bytes, never past them */
    for (size_t n = 0; n < sizeof cff; n++) {
        uint8_t *copy = malloc(n ? n : 1);
        assert_non_null(copy);
        memcpy(copy, cff, n);
        (void)dp_cff_read(copy, n, &info, cids, 5);
        free(copy);
    }
    assert_int_equal(dp_cff_read(cff, 40, &info, cids, 5), -1);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_cmap),
        cmocka_unit_test(test_cff),
        cmocka_unit_test(test_cff2_refused),
        cmocka_unit_test(test_cff_charset),
        cmocka_unit_test(test_widths_and_errors),
        cmocka_unit_test(test_file_read_once),
        cmocka_unit_test(test_letter_spacing),
        cmocka_unit_test(test_content),
        cmocka_unit_test(test_pdf),
    };
    return cmocka_run_group_tests(tests, load_fonts, free_fonts);
}
