/* Images: PNGs of every colour type and bit depth (interlaced or not,
 * with tRNS) decoded to the right 8-bit values, damaged and hostile PNGs
 * and JPEGs refused with a reason, the caps, and figures placed on the
 * page: scaled, kept with their caption, one image per file however its
 * path is spelled, read only from inside the root folder. */
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
#include <png.h>

#include "base/buf.h"
#include "image/image.h"
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

/* ---- PNGs written with libpng into memory ---- */

static void mem_write(png_structp png, png_bytep data, size_t n)
{
    dp_buf *b = png_get_io_ptr(png);
    if (dp_buf_add(b, data, n) != DP_OK)
        png_error(png, "out of memory");
}

static void mem_flush(png_structp png)
{
    (void)png;
}

/* The test picture's sample c of pixel (x, y) at depth bits. */
static unsigned sample(unsigned x, unsigned y, unsigned c, int depth)
{
    unsigned v = x * 37u + y * 101u + c * 53u + 11u;
    return depth == 16 ? (v * 1009u) & 0xFFFF : v & ((1u << depth) - 1);
}

static unsigned char pal_rgb(unsigned i, int c)
{
    return (unsigned char)(i * (c == 0 ? 7u : c == 1 ? 13u : 29u) + (unsigned)c);
}

static unsigned char pal_alpha(unsigned i)
{
    return (unsigned char)(i * 17u + 3u);
}

enum { W = 13, H = 7 }; /* odd sizes: every interlace pass is partial */

/* A w × h PNG of ctype and depth; trns adds a tRNS chunk (grey, RGB: the
 * colour of pixel (0, 0); palette: an alpha for each of the first 5
 * entries). */
static void make_png(dp_buf *b, unsigned w, unsigned h, int ctype, int depth,
                     int interlace, int trns)
{
    png_structp png = png_create_write_struct(PNG_LIBPNG_VER_STRING, NULL, NULL, NULL);
    png_infop info = png_create_info_struct(png);
    assert_non_null(info);
    dp_buf_reset(b);
    png_set_write_fn(png, b, mem_write, mem_flush);
    png_set_IHDR(png, info, w, h, depth, ctype,
                 interlace ? PNG_INTERLACE_ADAM7 : PNG_INTERLACE_NONE,
                 PNG_COMPRESSION_TYPE_DEFAULT, PNG_FILTER_TYPE_DEFAULT);
    if (ctype == PNG_COLOR_TYPE_PALETTE) {
        png_color pal[256];
        for (unsigned i = 0; i < 256; i++)
            pal[i] = (png_color){pal_rgb(i, 0), pal_rgb(i, 1), pal_rgb(i, 2)};
        png_set_PLTE(png, info, pal, 1 << depth);
        if (trns) {
            png_byte a[5];
            for (unsigned i = 0; i < 5; i++)
                a[i] = pal_alpha(i);
            png_set_tRNS(png, info, a, depth == 1 ? 2 : depth == 2 ? 4 : 5, NULL);
        }
    } else if (trns) {
        png_color_16 key = {0, (png_uint_16)sample(0, 0, 0, depth),
                            (png_uint_16)sample(0, 0, 1, depth),
                            (png_uint_16)sample(0, 0, 2, depth),
                            (png_uint_16)sample(0, 0, 0, depth)};
        png_set_tRNS(png, info, NULL, 0, &key);
    }
    png_write_info(png, info);
    int ch = ctype == PNG_COLOR_TYPE_GRAY || ctype == PNG_COLOR_TYPE_PALETTE ? 1
           : ctype == PNG_COLOR_TYPE_GRAY_ALPHA ? 2
           : ctype == PNG_COLOR_TYPE_RGB ? 3 : 4;
    size_t rowbytes = ((size_t)w * (size_t)ch * (size_t)depth + 7) / 8;
    unsigned char *pix = calloc(h, rowbytes);
    png_bytep *rows = malloc(h * sizeof *rows);
    assert_non_null(pix);
    assert_non_null(rows);
    for (unsigned y = 0; y < h; y++) {
        rows[y] = pix + y * rowbytes;
        size_t bit = 0;
        for (unsigned x = 0; x < w; x++) {
            for (int c = 0; c < ch; c++) {
                unsigned v = sample(x, y, (unsigned)c, depth);
                if (depth == 16) {
                    rows[y][bit / 8] = (unsigned char)(v >> 8);
                    rows[y][bit / 8 + 1] = (unsigned char)v;
                } else if (depth == 8) {
                    rows[y][bit / 8] = (unsigned char)v;
                } else {
                    rows[y][bit / 8] |= (unsigned char)(v << (8 - depth - bit % 8));
                }
                bit += (size_t)depth;
            }
        }
    }
    png_write_image(png, rows);
    png_write_end(png, NULL);
    png_destroy_write_struct(&png, &info);
    free(rows);
    free(pix);
}

/* libpng's 16 → 8 reduction rounds to the nearest value */
static unsigned to8(unsigned v, int depth)
{
    return depth == 16 ? (v * 255u + 32767u) / 65535u : v * 255u / ((1u << depth) - 1);
}

/* Decodes the PNG in b and checks every sample and alpha value. */
static void check_png(const dp_buf *b, unsigned w, unsigned h, int ctype, int depth,
                      int trns)
{
    dp_image img;
    char why[DP_IMAGE_WHY];
    dp_status st = dp_image_decode((const unsigned char *)b->data, b->len,
                                   DP_IMAGE_MAX_DOC_BYTES, &img, why);
    if (st != DP_OK)
        fail_msg("type %d depth %d trns %d: %s", ctype, depth, trns, why);
    int colour = ctype & PNG_COLOR_MASK_COLOR;
    assert_int_equal(img.type, DP_IMAGE_PNG);
    assert_int_equal(img.width, w);
    assert_int_equal(img.height, h);
    assert_int_equal(img.channels, colour ? 3 : 1);
    int ch = img.channels;
    int has_alpha = 0;
    for (unsigned y = 0; y < h; y++) {
        for (unsigned x = 0; x < w; x++) {
            size_t i = (size_t)y * w + x;
            unsigned want[3], alpha = 255;
            if (ctype == PNG_COLOR_TYPE_PALETTE) {
                unsigned k = sample(x, y, 0, depth);
                for (int c = 0; c < 3; c++)
                    want[c] = pal_rgb(k, c);
                if (trns && k < (depth == 1 ? 2u : depth == 2 ? 4u : 5u))
                    alpha = pal_alpha(k);
            } else {
                int key = trns;
                for (int c = 0; c < ch; c++) {
                    want[c] = to8(sample(x, y, (unsigned)c, depth), depth);
                    key &= sample(x, y, (unsigned)c, depth) == sample(0, 0, (unsigned)c, depth);
                }
                if (ctype & PNG_COLOR_MASK_ALPHA)
                    alpha = to8(sample(x, y, (unsigned)ch, depth), depth);
                if (key)
                    alpha = 0;
            }
            for (int c = 0; c < ch; c++)
                if (img.samples[i * (size_t)ch + (size_t)c] != want[c])
                    fail_msg("type %d depth %d trns %d: (%u,%u) sample %d is %u, want %u",
                             ctype, depth, trns, x, y, c,
                             img.samples[i * (size_t)ch + (size_t)c], want[c]);
            has_alpha |= alpha != 255;
            if (img.alpha && img.alpha[i] != alpha)
                fail_msg("type %d depth %d trns %d: (%u,%u) alpha %u, want %u", ctype,
                         depth, trns, x, y, img.alpha[i], alpha);
        }
    }
    /* an alpha channel only when some pixel is not opaque */
    assert_int_equal(img.alpha != NULL, has_alpha);
    dp_image_dispose(&img);
}

static void test_image_png_every_kind(void **state)
{
    (void)state;
    static const struct { int ctype, depths[5]; } kinds[] = {
        {PNG_COLOR_TYPE_GRAY, {1, 2, 4, 8, 16}},
        {PNG_COLOR_TYPE_GRAY_ALPHA, {8, 16}},
        {PNG_COLOR_TYPE_RGB, {8, 16}},
        {PNG_COLOR_TYPE_RGB_ALPHA, {8, 16}},
        {PNG_COLOR_TYPE_PALETTE, {1, 2, 4, 8}},
    };
    dp_buf b;
    dp_buf_init(&b);
    int checked = 0;
    for (size_t k = 0; k < sizeof kinds / sizeof *kinds; k++) {
        int ctype = kinds[k].ctype;
        for (int d = 0; d < 5 && kinds[k].depths[d]; d++) {
            int depth = kinds[k].depths[d];
            for (int interlace = 0; interlace < 2; interlace++) {
                for (int trns = 0; trns < 2; trns++) {
                    if (trns && (ctype & PNG_COLOR_MASK_ALPHA))
                        continue; /* tRNS is not allowed with an alpha channel */
                    make_png(&b, W, H, ctype, depth, interlace, trns);
                    check_png(&b, W, H, ctype, depth, trns);
                    checked++;
                }
            }
        }
    }
    assert_int_equal(checked, 52);
    dp_buf_dispose(&b);
}

/* ---- hostile PNGs: chunks edited after writing ---- */

static uint32_t crc32_of(const unsigned char *p, size_t n)
{
    uint32_t c = 0xFFFFFFFFu;
    for (size_t i = 0; i < n; i++) {
        c ^= p[i];
        for (int k = 0; k < 8; k++)
            c = (c >> 1) ^ (0xEDB88320u & (0u - (c & 1)));
    }
    return ~c;
}

static void put32(unsigned char *p, uint32_t v)
{
    p[0] = (unsigned char)(v >> 24);
    p[1] = (unsigned char)(v >> 16);
    p[2] = (unsigned char)(v >> 8);
    p[3] = (unsigned char)v;
}

/* Offset of the first chunk of that type (its length field). */
static size_t chunk_at(const dp_buf *b, const char *type)
{
    const unsigned char *p = (const unsigned char *)b->data;
    for (size_t pos = 8; pos + 12 <= b->len;) {
        size_t n = (size_t)p[pos] << 24 | (size_t)p[pos + 1] << 16 |
                   (size_t)p[pos + 2] << 8 | p[pos + 3];
        if (memcmp(p + pos + 4, type, 4) == 0)
            return pos;
        pos += 12 + n;
    }
    fail_msg("no %s chunk", type);
    return 0;
}

/* Inserts a chunk (correct CRC) before the first IDAT. */
static void insert_chunk(dp_buf *b, const char *type, const void *data, size_t n)
{
    size_t at = chunk_at(b, "IDAT");
    unsigned char *c = malloc(n + 12);
    assert_non_null(c);
    put32(c, (uint32_t)n);
    memcpy(c + 4, type, 4);
    memcpy(c + 8, data, n);
    put32(c + 8 + n, crc32_of(c + 4, n + 4));
    dp_buf tail;
    dp_buf_init(&tail);
    assert_int_equal(dp_buf_add(&tail, b->data + at, b->len - at), DP_OK);
    b->len = at;
    assert_int_equal(dp_buf_add(b, c, n + 12), DP_OK);
    assert_int_equal(dp_buf_add(b, tail.data, tail.len), DP_OK);
    dp_buf_dispose(&tail);
    free(c);
}

static dp_status decode(const dp_buf *b, char *why)
{
    dp_image img;
    dp_status st = dp_image_decode((const unsigned char *)b->data, b->len,
                                   DP_IMAGE_MAX_DOC_BYTES, &img, why);
    dp_image_dispose(&img);
    return st;
}

static void test_image_png_malformed_but_showable(void **state)
{
    (void)state;
    dp_buf b;
    dp_buf_init(&b);
    char why[DP_IMAGE_WHY];
    /* gAMA of 0: refused by libharu, ignored here */
    make_png(&b, W, H, PNG_COLOR_TYPE_RGB, 8, 0, 0);
    insert_chunk(&b, "gAMA", "\0\0\0\0", 4);
    check_png(&b, W, H, PNG_COLOR_TYPE_RGB, 8, 0);
    /* two pHYs chunks */
    make_png(&b, W, H, PNG_COLOR_TYPE_RGB_ALPHA, 8, 1, 0);
    insert_chunk(&b, "pHYs", "\0\0\x0b\x13\0\0\x0b\x13\x01", 9);
    insert_chunk(&b, "pHYs", "\0\0\x0b\x13\0\0\x0b\x13\x01", 9);
    check_png(&b, W, H, PNG_COLOR_TYPE_RGB_ALPHA, 8, 0);
    /* an iCCP whose profile is not a zlib stream */
    make_png(&b, W, H, PNG_COLOR_TYPE_GRAY, 8, 0, 0);
    insert_chunk(&b, "iCCP", "icc\0\0garbage-not-zlib", 21);
    check_png(&b, W, H, PNG_COLOR_TYPE_GRAY, 8, 0);
    /* an unknown ancillary chunk */
    make_png(&b, W, H, PNG_COLOR_TYPE_PALETTE, 4, 1, 1);
    insert_chunk(&b, "zzZz", "whatever", 8);
    check_png(&b, W, H, PNG_COLOR_TYPE_PALETTE, 4, 1);
    /* a bad CRC on an ancillary chunk: dropped, the picture is shown */
    make_png(&b, W, H, PNG_COLOR_TYPE_RGB, 16, 0, 1);
    insert_chunk(&b, "tEXt", "k\0v", 3);
    b.data[chunk_at(&b, "tEXt") + 11] ^= 0x55;
    check_png(&b, W, H, PNG_COLOR_TYPE_RGB, 16, 1);
    (void)why;
    dp_buf_dispose(&b);
}

static void test_image_png_damaged(void **state)
{
    (void)state;
    dp_buf b;
    dp_buf_init(&b);
    char why[DP_IMAGE_WHY];
    /* a bad CRC on IDAT (libharu's libpng handler returned: abort()) */
    make_png(&b, W, H, PNG_COLOR_TYPE_RGB_ALPHA, 8, 0, 0);
    b.data[chunk_at(&b, "IDAT") + 10] ^= 0x01;
    assert_int_equal(decode(&b, why), DP_EINPUT);
    assert_non_null(strstr(why, "CRC"));
    /* IDAT data that is not a valid zlib stream, with a correct CRC */
    make_png(&b, 64, 64, PNG_COLOR_TYPE_RGB, 8, 1, 0);
    size_t at = chunk_at(&b, "IDAT");
    size_t n = (size_t)(unsigned char)b.data[at + 2] << 8 | (unsigned char)b.data[at + 3];
    memset(b.data + at + 8 + 2, 0xFF, n - 2);
    put32((unsigned char *)b.data + at + 8 + n,
          crc32_of((unsigned char *)b.data + at + 4, n + 4));
    assert_int_equal(decode(&b, why), DP_EINPUT);
    assert_non_null(strstr(why, "damaged PNG"));
    /* cut in the middle of IDAT, at every length from there */
    make_png(&b, 40, 30, PNG_COLOR_TYPE_GRAY_ALPHA, 16, 1, 0);
    at = chunk_at(&b, "IDAT");
    size_t full = b.len;
    for (size_t cut = at + 4; cut < full - 12; cut += 7) {
        b.len = cut;
        assert_int_equal(decode(&b, why), DP_EINPUT);
    }
    /* only the signature */
    b.len = 8;
    assert_int_equal(decode(&b, why), DP_EINPUT);
    dp_buf_dispose(&b);
}

/* A PNG signature and IHDR for w × h (no image data: enough for the
 * size checks, which come before any allocation). */
static void png_header(dp_buf *b, unsigned w, unsigned h, int depth, int ctype)
{
    unsigned char p[33] = {0x89, 'P', 'N', 'G', '\r', '\n', 0x1a, '\n',
                           0, 0, 0, 13, 'I', 'H', 'D', 'R'};
    put32(p + 16, w);
    put32(p + 20, h);
    p[24] = (unsigned char)depth;
    p[25] = (unsigned char)ctype;
    put32(p + 29, crc32_of(p + 12, 17));
    dp_buf_reset(b);
    assert_int_equal(dp_buf_add(b, p, sizeof p), DP_OK);
}

static void test_image_caps(void **state)
{
    (void)state;
    dp_buf b;
    dp_buf_init(&b);
    char why[DP_IMAGE_WHY];
    dp_image img;
    png_header(&b, 30000, 30000, 8, PNG_COLOR_TYPE_RGB);
    assert_int_equal(decode(&b, why), DP_ELIMIT);
    assert_non_null(strstr(why, "too large"));
    /* 6324 × 6324 16-bit RGBA: 305 MB (320 million bytes) decoded at its depth */
    png_header(&b, 6324, 6324, 16, PNG_COLOR_TYPE_RGB_ALPHA);
    assert_int_equal(decode(&b, why), DP_ELIMIT);
    assert_non_null(strstr(why, "305 MB decoded; at most 256 MB an image"));
    /* the same pixels at 8 bits are within the cap (and then fail for
     * want of image data, not of memory) */
    png_header(&b, 6324, 6324, 8, PNG_COLOR_TYPE_RGB_ALPHA);
    assert_int_equal(decode(&b, why), DP_EINPUT);
    /* what the document has left is a cap too */
    make_png(&b, 100, 100, PNG_COLOR_TYPE_RGB, 8, 0, 0);
    assert_int_equal(dp_image_decode((const unsigned char *)b.data, b.len, 29999, &img, why),
                     DP_ELIMIT);
    assert_non_null(strstr(why, "left for this document"));
    assert_int_equal(dp_image_decode((const unsigned char *)b.data, b.len, 30000, &img, why),
                     DP_OK);
    assert_int_equal(img.decoded, 30000);
    dp_image_dispose(&img);
    dp_buf_dispose(&b);
}

/* ---- JPEG headers ---- */

/* SOI, an optional APP14 Adobe segment, a frame header (marker sof,
 * precision, ncomp components), DHT, SOS and EOI. */
static size_t jpeg(unsigned char *out, int sof, int precision, int ncomp, int adobe)
{
    size_t n = 0;
    out[n++] = 0xFF;
    out[n++] = 0xD8;
    if (adobe) {
        static const unsigned char app14[] = {0xFF, 0xEE, 0, 14, 'A', 'd', 'o', 'b', 'e',
                                              0, 100, 0, 0, 0, 0, 2};
        memcpy(out + n, app14, sizeof app14);
        n += sizeof app14;
    }
    out[n++] = 0xFF;
    out[n++] = (unsigned char)sof;
    out[n++] = 0;
    out[n++] = (unsigned char)(8 + 3 * ncomp);
    out[n++] = (unsigned char)precision;
    out[n++] = 0;
    out[n++] = 32; /* height */
    out[n++] = 0;
    out[n++] = 48; /* width */
    out[n++] = (unsigned char)ncomp;
    for (int c = 0; c < ncomp; c++) {
        out[n++] = (unsigned char)(c + 1);
        out[n++] = 0x11;
        out[n++] = 0;
    }
    static const unsigned char rest[] = {0xFF, 0xC4, 0, 2, 0xFF, 0xDA, 0, 8, 1, 1, 0, 0, 63, 0,
                                         0x12, 0x34, 0xFF, 0xD9};
    memcpy(out + n, rest, sizeof rest);
    return n + sizeof rest;
}

static dp_status decode_jpeg(int sof, int precision, int ncomp, int adobe, dp_image *img,
                             char *why)
{
    unsigned char b[128];
    size_t n = jpeg(b, sof, precision, ncomp, adobe);
    return dp_image_decode(b, n, DP_IMAGE_MAX_DOC_BYTES, img, why);
}

static void test_image_jpeg_shown(void **state)
{
    (void)state;
    dp_image img;
    char why[DP_IMAGE_WHY];
    static const int sofs[] = {0xC0, 0xC1, 0xC2};
    for (int s = 0; s < 3; s++) {
        for (int ncomp = 1; ncomp <= 4; ncomp += ncomp == 1 ? 2 : 1) {
            assert_int_equal(decode_jpeg(sofs[s], 8, ncomp, 0, &img, why), DP_OK);
            assert_int_equal(img.type, DP_IMAGE_JPEG);
            assert_int_equal(img.width, 48);
            assert_int_equal(img.height, 32);
            assert_int_equal(img.channels, ncomp);
            assert_int_equal(img.decoded, 48 * 32 * ncomp);
            assert_int_equal(img.jpeg_inverted, 0);
            assert_non_null(img.jpeg);
            dp_image_dispose(&img);
        }
    }
    /* Adobe's CMYK: inverted */
    assert_int_equal(decode_jpeg(0xC0, 8, 4, 1, &img, why), DP_OK);
    assert_int_equal(img.jpeg_inverted, 1);
    dp_image_dispose(&img);
    assert_int_equal(decode_jpeg(0xC0, 8, 3, 1, &img, why), DP_OK);
    assert_int_equal(img.jpeg_inverted, 0);
    dp_image_dispose(&img);
}

static void test_image_jpeg_refused(void **state)
{
    (void)state;
    dp_image img;
    char why[DP_IMAGE_WHY];
    static const struct { int sof, precision, ncomp; const char *frag; } bad[] = {
        {0xC3, 8, 3, "lossless"},        {0xC5, 8, 3, "hierarchical"},
        {0xC6, 8, 3, "hierarchical"},    {0xC7, 8, 1, "hierarchical"},
        {0xC9, 8, 3, "arithmetic"},      {0xCA, 8, 3, "arithmetic"},
        {0xCB, 8, 3, "arithmetic"},      {0xCD, 8, 3, "arithmetic"},
        {0xCE, 8, 3, "arithmetic"},      {0xCF, 8, 3, "arithmetic"},
        {0xC1, 12, 3, "12-bit"},         {0xC2, 12, 1, "12-bit"},
        {0xC0, 8, 2, "2 colour components"}, {0xC0, 8, 5, "5 colour"},
    };
    for (size_t i = 0; i < sizeof bad / sizeof *bad; i++) {
        dp_status st = decode_jpeg(bad[i].sof, bad[i].precision, bad[i].ncomp, 0, &img, why);
        if (st != DP_EINPUT || !strstr(why, bad[i].frag))
            fail_msg("SOF %02X, %d-bit, %d components: status %d, '%s'", bad[i].sof,
                     bad[i].precision, bad[i].ncomp, st, why);
        assert_null(img.jpeg);
    }
    /* cut anywhere before its scan: refused, never read past the end */
    unsigned char b[128];
    size_t n = jpeg(b, 0xC0, 8, 3, 1);
    for (size_t cut = 3; cut < n - 6; cut++) {
        unsigned char *copy = malloc(cut); /* exact size: ASan sees overreads */
        assert_non_null(copy);
        memcpy(copy, b, cut);
        assert_int_equal(dp_image_decode(copy, cut, DP_IMAGE_MAX_DOC_BYTES, &img, why),
                         DP_EINPUT);
        free(copy);
    }
    /* a DAC segment: arithmetic coding */
    static const unsigned char dac[] = {0xFF, 0xD8, 0xFF, 0xCC, 0, 4, 0, 0};
    assert_int_equal(dp_image_decode(dac, sizeof dac, DP_IMAGE_MAX_DOC_BYTES, &img, why),
                     DP_EINPUT);
    assert_non_null(strstr(why, "arithmetic"));
    /* 30000 × 30000 */
    n = jpeg(b, 0xC0, 8, 3, 0);
    b[7] = b[9] = 0x75;
    b[8] = b[10] = 0x30;
    assert_int_equal(dp_image_decode(b, n, DP_IMAGE_MAX_DOC_BYTES, &img, why), DP_ELIMIT);
    assert_non_null(strstr(why, "too large"));
    /* not an image at all */
    assert_int_equal(dp_image_decode((const unsigned char *)"GIF89a", 6,
                                     DP_IMAGE_MAX_DOC_BYTES, &img, why), DP_EINPUT);
    assert_non_null(strstr(why, "not a PNG or JPEG"));
}

/* ---- figures on the page ---- */

static const char *logo_path; /* a cover logo for the next layout */
static const char *root_dir;  /* the root for the next layout */

/* Lays out xml as if read from file; *doc must outlive *pages. */
static dp_status layout_at(const char *file, const char *xml, dp_pages **pages,
                           dp_doc **doc, dp_diags *d)
{
    dp_style st;
    dp_style_defaults(&st);
    if (logo_path)
        snprintf(st.cover_logo, sizeof st.cover_logo, "%s", logo_path);
    dp_fontset fs;
    const char *paths[] = {st.font_body, st.font_heading, st.font_latin,
                           st.font_latin_heading};
    assert_int_equal(dp_fontset_load(&fs, d, "t", paths, 4), DP_OK);
    assert_int_equal(dp_xml_read(doc, d, file, xml, strlen(xml)), DP_OK);
    dp_paginate_setup setup = {0};
    setup.root = setup.logo_root = root_dir;
    dp_status status = dp_paginate(pages, d, *doc, &st, &fs, &setup);
    dp_fontset_dispose(&fs);
    return status;
}

/* the file name places relative image paths in the samples folder */
static dp_status layout(const char *xml, dp_pages **pages, dp_doc **doc, dp_diags *d)
{
    return layout_at(DP_SOURCE_DIR "/samples/t.xml", xml, pages, doc, d);
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
    assert_int_equal(P->nimages, 1);
    assert_int_equal(P->images[pic->image].image.width, 480);
    assert_int_equal(P->images[pic->image].image.height, 240);
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
    assert_non_null(strstr(d.items[d.count - 1].message, "figure README.md: not a PNG or JPEG"));
    dp_diags_dispose(&d);
}

/* f.png, ./f.png, a/../f.png ... are one file: decoded and kept once. */
static void test_image_one_file_many_spellings(void **state)
{
    (void)state;
    dp_buf b;
    dp_buf_init(&b);
    make_png(&b, 30, 20, PNG_COLOR_TYPE_RGB_ALPHA, 16, 1, 0);
    write_bytes("f.png", b.data, b.len);
    char sub[128], file[160];
    snprintf(sub, sizeof sub, "%s/a", dir);
    mkdir(sub, 0700);
    snprintf(file, sizeof file, "%s/t.xml", dir);
    static const char *const names[] = {"f.png", "./f.png", "././f.png", "a/../f.png",
                                        ".//f.png", "a/./../f.png"};
    dp_buf xml;
    dp_buf_init(&xml);
    dp_buf_adds(&xml, HEAD);
    for (size_t i = 0; i < 6; i++)
        dp_buf_printf(&xml, "<figure src=\"%s\" width=\"20mm\"/>", names[i]);
    dp_buf_adds(&xml, "</article></section></digest>");
    dp_diags d;
    dp_diags_init(&d);
    dp_pages *P;
    dp_doc *doc;
    root_dir = dir;
    assert_int_equal(layout_at(file, xml.data, &P, &doc, &d), DP_OK);
    root_dir = NULL;
    size_t placed = 0;
    for (size_t i = 0; i < P->n; i++)
        for (size_t k = 0; k < P->pages[i].npictures; k++, placed++)
            assert_int_equal(P->pages[i].pictures[k].image, 0);
    assert_int_equal(placed, 6);
    assert_int_equal(P->nimages, 1);
    assert_int_equal(P->image_bytes, 30 * 20 * 4 * 2);
    dp_pages_free(P);
    dp_doc_free(doc);
    dp_diags_dispose(&d);
    dp_buf_dispose(&xml);
    dp_buf_dispose(&b);
}

/* Outside the root (../, absolute, a symlink leading out), a FIFO, a
 * device: refused with the line, and the message does not tell whether
 * a file outside exists. */
static void test_image_root_and_special_files(void **state)
{
    (void)state;
    char sub[128], file[160], path[256];
    snprintf(sub, sizeof sub, "%s/doc", dir);
    mkdir(sub, 0700);
    snprintf(file, sizeof file, "%s/t.xml", sub);
    dp_buf b;
    dp_buf_init(&b);
    make_png(&b, 8, 8, PNG_COLOR_TYPE_GRAY, 8, 0, 0);
    write_bytes("outside.png", b.data, b.len);
    snprintf(path, sizeof path, "%s/out.png", sub);
    assert_int_equal(symlink("../outside.png", path), 0);
    snprintf(path, sizeof path, "%s/fifo.png", sub);
    assert_int_equal(mkfifo(path, 0600), 0);
    char abs[300];
    snprintf(abs, sizeof abs, "%s/outside.png", dir);
    static const struct { const char *src, *frag; } cases[] = {
        {"../outside.png", "outside the folder"},
        {"../nothing-here.png", "outside the folder"},
        {NULL, "outside the folder"}, /* the absolute path */
        {"out.png", "symbolic link"},
        {"fifo.png", "not a regular file"},
        {"/dev/stdin", "outside the folder"},
        {"missing.png", "no such file"},
    };
    root_dir = sub;
    for (size_t i = 0; i < sizeof cases / sizeof *cases; i++) {
        const char *src = cases[i].src ? cases[i].src : abs;
        char xml[1024];
        snprintf(xml, sizeof xml, HEAD "\n\n<figure src=\"%s\"/></article></section></digest>",
                 src);
        dp_diags d;
        dp_diags_init(&d);
        dp_pages *P = NULL;
        dp_doc *doc;
        assert_int_equal(layout_at(file, xml, &P, &doc, &d), DP_EINPUT);
        assert_null(P);
        dp_doc_free(doc);
        const dp_diag *g = &d.items[d.count - 1];
        assert_int_equal(g->line, 3);
        if (!strstr(g->message, cases[i].frag) || !strstr(g->message, "figure "))
            fail_msg("%s: '%s'", src, g->message);
        dp_diags_dispose(&d);
    }
    /* with no root (and a wider one) the file outside is read */
    root_dir = dir;
    char xml[1024];
    snprintf(xml, sizeof xml, HEAD "<figure src=\"../outside.png\"/><figure src=\"out.png\"/>"
             "</article></section></digest>");
    dp_diags d;
    dp_diags_init(&d);
    dp_pages *P;
    dp_doc *doc;
    assert_int_equal(layout_at(file, xml, &P, &doc, &d), DP_OK);
    assert_int_equal(P->nimages, 1); /* the link and its target: one file */
    dp_pages_free(P);
    dp_doc_free(doc);
    dp_diags_dispose(&d);
    root_dir = NULL;
    dp_buf_dispose(&b);
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
    const dp_page *cover = &P->pages[0];
    assert_int_equal(cover->npictures, 1);
    assert_true(cover->pictures[0].h <= 34.01); /* at most 12 mm high */
    assert_true(cover->pictures[0].y > P->height / 2); /* at the top */
    dp_pages_free(P);
    dp_doc_free(doc);
    /* a logo outside its root is refused */
    root_dir = dir;
    assert_int_equal(layout(HEAD "<p>本文</p></article></section></digest>", &P, &doc, &d),
                     DP_EINPUT);
    root_dir = NULL;
    logo_path = NULL;
    dp_doc_free(doc);
    assert_non_null(strstr(d.items[d.count - 1].message, "cover logo: outside the folder"));
    dp_diags_dispose(&d);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_image_png_every_kind),
        cmocka_unit_test(test_image_png_malformed_but_showable),
        cmocka_unit_test(test_image_png_damaged),
        cmocka_unit_test(test_image_caps),
        cmocka_unit_test(test_image_jpeg_shown),
        cmocka_unit_test(test_image_jpeg_refused),
        cmocka_unit_test(test_image_figure_scaled_with_caption),
        cmocka_unit_test(test_image_bad_figure_is_an_error_with_line),
        cmocka_unit_test(test_image_one_file_many_spellings),
        cmocka_unit_test(test_image_root_and_special_files),
        cmocka_unit_test(test_image_cover_logo),
    };
    return cmocka_run_group_tests(tests, setup, teardown);
}
