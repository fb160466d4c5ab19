/* PNG through libpng, reading from memory. libpng reports errors by
 * longjmp to the setjmp in read_png; every buffer that must be freed
 * after that lives in the png_state, not in read_png's locals. */
#include "image.h"

#include <png.h>
#include <setjmp.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

typedef struct png_state {
    const unsigned char *data;
    size_t len, pos;
    size_t budget;
    char *why;
    png_structp png;
    png_infop info;
    unsigned char *pixels;
    png_bytep *rows;
    dp_image *out;
} png_state;

static void on_error(png_structp png, png_const_charp msg)
{
    png_state *s = png_get_error_ptr(png);
    int n = snprintf(s->why, DP_IMAGE_WHY, "damaged PNG image (%s)", msg ? msg : "");
    /* libpng writes chunk names it does not know as hex, but keep what
     * reaches a terminal plain anyway */
    for (int i = 0; i < n && i < DP_IMAGE_WHY && s->why[i]; i++)
        if ((unsigned char)s->why[i] < 0x20 || (unsigned char)s->why[i] > 0x7E)
            s->why[i] = '?';
    png_longjmp(png, 1);
}

/* Warnings (and benign errors, made warnings) never stop a picture that
 * libpng can still decode. */
static void on_warning(png_structp png, png_const_charp msg)
{
    (void)png;
    (void)msg;
}

static void on_read(png_structp png, png_bytep out, size_t n)
{
    png_state *s = png_get_io_ptr(png);
    if (n > s->len - s->pos)
        png_error(png, "the file ends early");
    memcpy(out, s->data + s->pos, n);
    s->pos += n;
}

/* Chunks that only refine how colours look or describe the image: they
 * are dropped unread, so a malformed one (gAMA of 0, a bad iCCP profile,
 * a second pHYs) cannot stop a picture we can show. */
static const png_byte ignored[] =
    "bKGD\0cHRM\0eXIf\0gAMA\0hIST\0iCCP\0iTXt\0oFFs\0pCAL\0pHYs\0sBIT\0"
    "sCAL\0sPLT\0sRGB\0sTER\0tEXt\0tIME\0zTXt";

/* Whether a w × h image of ctype and depth, with alpha added when alpha
 * is set, is within the caps; why says how not. */
static dp_status check_size(png_state *s, unsigned long w, unsigned long h, int depth,
                            int ctype, int alpha, size_t *decoded)
{
    if (w > DP_IMAGE_MAX_SIDE || h > DP_IMAGE_MAX_SIDE) {
        snprintf(s->why, DP_IMAGE_WHY,
                 "image too large (%lu × %lu pixels; at most %d a side)", w, h,
                 DP_IMAGE_MAX_SIDE);
        return DP_ELIMIT;
    }
    int ch = ((ctype & PNG_COLOR_MASK_COLOR) ? 3 : 1) +
             ((ctype & PNG_COLOR_MASK_ALPHA) || alpha);
    *decoded = (size_t)w * h * (size_t)ch * (depth == 16 ? 2 : 1);
    size_t cap = s->budget < DP_IMAGE_MAX_BYTES ? s->budget : DP_IMAGE_MAX_BYTES;
    if (*decoded > cap) {
        snprintf(s->why, DP_IMAGE_WHY,
                 "image too large (%lu × %lu pixels, %zu MB decoded; at most %zu MB %s)",
                 w, h, *decoded >> 20, cap >> 20,
                 cap < DP_IMAGE_MAX_BYTES ? "left for this document's images"
                                          : "an image");
        return DP_ELIMIT;
    }
    return DP_OK;
}

static unsigned long be32(const unsigned char *p)
{
    return (unsigned long)p[0] << 24 | (unsigned long)p[1] << 16 |
           (unsigned long)p[2] << 8 | p[3];
}

static dp_status read_png(png_state *s)
{
    /* the caps first, from the header as written: libpng reads every
     * chunk up to the image data before it tells the size */
    size_t decoded;
    if (s->len >= 33 && memcmp(s->data + 12, "IHDR", 4) == 0) {
        dp_status st = check_size(s, be32(s->data + 16), be32(s->data + 20), s->data[24],
                                  s->data[25], 0, &decoded);
        if (st != DP_OK)
            return st;
    }
    if (setjmp(png_jmpbuf(s->png)))
        return DP_EINPUT; /* libpng's error: on_error wrote why */
    png_set_read_fn(s->png, s, on_read);
    png_set_benign_errors(s->png, 1);
    png_set_keep_unknown_chunks(s->png, PNG_HANDLE_CHUNK_NEVER, ignored,
                                (int)(sizeof ignored / 5));
    png_set_keep_unknown_chunks(s->png, PNG_HANDLE_CHUNK_NEVER, NULL, 0); /* and the
                                                                          unknown ones */
    png_set_chunk_malloc_max(s->png, 8u << 20); /* no chunk needs more */
    png_read_info(s->png, s->info);

    png_uint_32 w, h;
    int depth, ctype, interlace;
    png_get_IHDR(s->png, s->info, &w, &h, &depth, &ctype, &interlace, NULL, NULL);
    int trns = png_get_valid(s->png, s->info, PNG_INFO_tRNS) != 0;
    int grey = (ctype & PNG_COLOR_MASK_COLOR) == 0;
    int alpha = (ctype & PNG_COLOR_MASK_ALPHA) != 0 || trns;
    int ch = (grey ? 1 : 3) + alpha;
    size_t pixels = (size_t)w * h;
    dp_status st = check_size(s, w, h, depth, ctype, trns, &decoded);
    if (st != DP_OK)
        return st;

    if (depth == 16)
        png_set_scale_16(s->png); /* rounds: 0xFFFF → 255, 0x8080 → 128 */
    if (ctype == PNG_COLOR_TYPE_PALETTE)
        png_set_palette_to_rgb(s->png);
    if (grey && depth < 8)
        png_set_expand_gray_1_2_4_to_8(s->png);
    if (trns)
        png_set_tRNS_to_alpha(s->png);
    png_set_interlace_handling(s->png);
    png_read_update_info(s->png, s->info);
    size_t row = (size_t)w * (size_t)ch;
    if (png_get_channels(s->png, s->info) != ch || png_get_bit_depth(s->png, s->info) != 8 ||
        png_get_rowbytes(s->png, s->info) != row)
        png_error(s->png, "unexpected sample layout");

    s->pixels = malloc(pixels * (size_t)ch);
    s->rows = malloc((size_t)h * sizeof *s->rows);
    if (!s->pixels || !s->rows) {
        snprintf(s->why, DP_IMAGE_WHY, "out of memory");
        return DP_ENOMEM;
    }
    for (png_uint_32 y = 0; y < h; y++)
        s->rows[y] = s->pixels + y * row;
    png_read_image(s->png, s->rows);

    dp_image *out = s->out;
    out->type = DP_IMAGE_PNG;
    out->width = (int)w;
    out->height = (int)h;
    out->channels = grey ? 1 : 3;
    out->decoded = decoded;
    if (alpha) {
        /* alpha apart, colour samples packed in place (the write position
         * never passes the read position) */
        unsigned char *a = malloc(pixels);
        if (!a) {
            snprintf(s->why, DP_IMAGE_WHY, "out of memory");
            return DP_ENOMEM;
        }
        int c = ch - 1, opaque = 1;
        unsigned char *p = s->pixels, *q = s->pixels;
        for (size_t i = 0; i < pixels; i++) {
            for (int k = 0; k < c; k++)
                *q++ = *p++;
            a[i] = *p++;
            opaque &= a[i] == 0xFF;
        }
        if (opaque) {
            free(a);
        } else {
            out->alpha = a;
        }
        unsigned char *shrunk = realloc(s->pixels, pixels * (size_t)c);
        if (shrunk)
            s->pixels = shrunk;
    }
    out->samples = s->pixels;
    s->pixels = NULL;
    return DP_OK;
}

dp_status dp_image_decode_png(const unsigned char *data, size_t len, size_t budget,
                              dp_image *out, char why[DP_IMAGE_WHY])
{
    memset(out, 0, sizeof *out);
    why[0] = '\0';
    png_state s = {data, len, 0, budget, why, NULL, NULL, NULL, NULL, out};
    s.png = png_create_read_struct(PNG_LIBPNG_VER_STRING, &s, on_error, on_warning);
    if (s.png)
        s.info = png_create_info_struct(s.png);
    if (!s.png || !s.info) {
        png_destroy_read_struct(s.png ? &s.png : NULL, NULL, NULL);
        snprintf(why, DP_IMAGE_WHY, "out of memory");
        return DP_ENOMEM;
    }
    dp_status status = read_png(&s);
    png_destroy_read_struct(&s.png, &s.info, NULL);
    free(s.rows);
    free(s.pixels);
    if (status != DP_OK)
        dp_image_dispose(out);
    return status;
}
