#include "pdf_image.h"

#include <stdlib.h>
#include <string.h>

#include "hpdf_private.h" /* libharu internals, version-gated */

#include "deflate.h"
#include "hpdf_ext.h"

/* An image dictionary with its stream holding bytes[0..len). */
static HPDF_Dict image_dict(HPDF_Doc pdf, const dp_image *img, const char *space,
                            const unsigned char *bytes, size_t len)
{
    HPDF_Dict d = dp_hpdf_stream_new(pdf);
    if (!d)
        return NULL;
    d->header.obj_class |= HPDF_OSUBCLASS_XOBJECT;
    if (HPDF_Dict_AddName(d, "Type", "XObject") != HPDF_OK ||
        HPDF_Dict_AddName(d, "Subtype", "Image") != HPDF_OK ||
        HPDF_Dict_AddNumber(d, "Width", img->width) != HPDF_OK ||
        HPDF_Dict_AddNumber(d, "Height", img->height) != HPDF_OK ||
        HPDF_Dict_AddName(d, "ColorSpace", space) != HPDF_OK ||
        HPDF_Dict_AddNumber(d, "BitsPerComponent", 8) != HPDF_OK ||
        HPDF_Stream_Write(d->stream, bytes, (HPDF_UINT)len) != HPDF_OK)
        return NULL;
    return d;
}

static const char *space_of(int channels)
{
    return channels == 1 ? "DeviceGray" : channels == 3 ? "DeviceRGB" : "DeviceCMYK";
}

static HPDF_Image jpeg_new(HPDF_Doc pdf, const dp_image *img)
{
    HPDF_Dict d = image_dict(pdf, img, space_of(img->channels), img->jpeg, img->jpeg_len);
    if (!d)
        return NULL;
    d->filter = HPDF_STREAM_FILTER_DCT_DECODE;
    if (img->jpeg_inverted) {
        HPDF_Array decode = HPDF_Array_New(pdf->mmgr);
        if (!decode || HPDF_Dict_Add(d, "Decode", decode) != HPDF_OK)
            return NULL;
        for (int i = 0; i < 4; i++)
            if (HPDF_Array_AddNumber(decode, 1) != HPDF_OK ||
                HPDF_Array_AddNumber(decode, 0) != HPDF_OK)
                return NULL;
    }
    return d;
}

/* A filtered byte read as signed (0xFF is -1): the smaller, the better
 * deflate does. */
static unsigned absdiff(unsigned char v)
{
    return v < 128 ? v : 256u - v;
}

static int paeth(int a, int b, int c)
{
    int p = a + b - c, pa = abs(p - a), pb = abs(p - b), pc = abs(p - c);
    return pa <= pb && pa <= pc ? a : pb <= pc ? b : c;
}

/*
 * The rows of a w × h image of bpp bytes a pixel, each PNG-filtered (a
 * filter byte, then the row) with whichever of the five filters gives
 * the smallest sum of magnitudes, as PNG encoders do: deflate then finds
 * a gradient or a flat area as runs of small numbers. Read back through
 * /DecodeParms /Predictor 15. malloc'd; NULL when out of memory.
 */
static unsigned char *predicted(const unsigned char *s, size_t w, size_t h, size_t bpp,
                                size_t *len)
{
    size_t row = w * bpp;
    unsigned char *out = malloc((row + 1) * h), *try = malloc(row * 4);
    if (!out || !try) {
        free(out);
        free(try);
        return NULL;
    }
    for (size_t y = 0; y < h; y++) {
        const unsigned char *cur = s + y * row, *up = y ? cur - row : NULL;
        unsigned char *dst = out + y * (row + 1);
        unsigned best = 0, best_cost = 0;
        for (size_t i = 0; i < row; i++)
            best_cost += absdiff(cur[i]);
        for (unsigned f = 1; f <= 4; f++) {
            unsigned char *t = try + (f - 1) * row;
            unsigned cost = 0;
            for (size_t i = 0; i < row; i++) {
                int a = i >= bpp ? cur[i - bpp] : 0, b = up ? up[i] : 0,
                    c = i >= bpp && up ? up[i - bpp] : 0;
                int pred = f == 1 ? a : f == 2 ? b : f == 3 ? (a + b) / 2 : paeth(a, b, c);
                t[i] = (unsigned char)(cur[i] - pred);
                cost += absdiff(t[i]);
            }
            if (cost < best_cost) {
                best = f;
                best_cost = cost;
            }
        }
        dst[0] = (unsigned char)best;
        memcpy(dst + 1, best ? try + (best - 1) * row : cur, row);
    }
    free(try);
    *len = (row + 1) * h;
    return out;
}

/* /DecodeParms for predicted() rows. */
static int add_predictor(HPDF_Doc pdf, HPDF_Dict d, int colors, int columns)
{
    HPDF_Dict p = HPDF_Dict_New(pdf->mmgr);
    return p && HPDF_Dict_Add(d, "DecodeParms", p) == HPDF_OK &&
           HPDF_Dict_AddNumber(p, "Predictor", 15) == HPDF_OK &&
           HPDF_Dict_AddNumber(p, "Colors", colors) == HPDF_OK &&
           HPDF_Dict_AddNumber(p, "BitsPerComponent", 8) == HPDF_OK &&
           HPDF_Dict_AddNumber(p, "Columns", columns) == HPDF_OK;
}

static HPDF_Image png_new(HPDF_Doc pdf, const dp_image *img)
{
    size_t w = (size_t)img->width, h = (size_t)img->height;
    dp_deflate_job jobs[2] = {{0}, {0}};
    unsigned char *rows[2] = {NULL, NULL};
    size_t n = img->alpha ? 2 : 1;
    HPDF_Dict d = NULL;
    rows[0] = predicted(img->samples, w, h, (size_t)img->channels, &jobs[0].in_len);
    if (img->alpha)
        rows[1] = predicted(img->alpha, w, h, 1, &jobs[1].in_len);
    if (!rows[0] || (img->alpha && !rows[1]))
        goto done;
    jobs[0].in = rows[0];
    jobs[1].in = rows[1];
    /* one thread: pages are drawn while the font builder has the other */
    if (dp_deflate_run(jobs, n, 1, DP_DEFLATE_STREAMS) != DP_OK)
        goto done;
    d = image_dict(pdf, img, space_of(img->channels), jobs[0].out, jobs[0].out_len);
    if (d && !add_predictor(pdf, d, img->channels, img->width))
        d = NULL;
    if (d && img->alpha) {
        HPDF_Dict mask = image_dict(pdf, img, "DeviceGray", jobs[1].out, jobs[1].out_len);
        if (!mask || !add_predictor(pdf, mask, 1, img->width) ||
            HPDF_Dict_Add(d, "SMask", mask) != HPDF_OK)
            d = NULL;
        else
            dp_hpdf_mark_deflated(mask);
    }
    if (d)
        dp_hpdf_mark_deflated(d);
done:
    for (size_t i = 0; i < 2; i++) {
        free(rows[i]);
        free(jobs[i].out);
    }
    return d;
}

HPDF_Image dp_pdf_image_new(HPDF_Doc pdf, const dp_image *img)
{
    return img->type == DP_IMAGE_JPEG ? jpeg_new(pdf, img) : png_new(pdf, img);
}
