/* libFuzzer: the image decoder (PNG through libpng, JPEG headers) on
 * arbitrary bytes, and the image XObjects made from what it accepts. */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include <hpdf.h>

#include "image/image.h"
#include "pdf/pdf_image.h"

static void on_hpdf_error(HPDF_STATUS error, HPDF_STATUS detail, void *ud)
{
    (void)error;
    (void)detail;
    (void)ud;
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    dp_image img;
    char why[DP_IMAGE_WHY];
    /* a small budget keeps executions fast; the caps' code is the same */
    dp_status st = dp_image_decode(data, size, (size_t)16 << 20, &img, why);
    if (st != DP_OK) {
        if (!why[0] || !memchr(why, 0, DP_IMAGE_WHY))
            abort(); /* a refusal must say why */
        if (img.samples || img.alpha || img.jpeg)
            abort(); /* and hold nothing */
        return 0;
    }
    if (img.width <= 0 || img.height <= 0 || img.width > DP_IMAGE_MAX_SIDE ||
        img.height > DP_IMAGE_MAX_SIDE || img.decoded > ((size_t)16 << 20))
        abort();
    size_t pixels = (size_t)img.width * (size_t)img.height;
    unsigned sum = 0;
    if (img.type == DP_IMAGE_PNG) {
        if ((img.channels != 1 && img.channels != 3) || !img.samples || img.jpeg)
            abort();
        /* every sample and alpha value is there (ASan sees a short buffer) */
        sum += img.samples[pixels * (size_t)img.channels - 1];
        if (img.alpha)
            sum += img.alpha[pixels - 1];
    } else {
        if ((img.channels != 1 && img.channels != 3 && img.channels != 4) || !img.jpeg ||
            img.jpeg_len != size)
            abort();
    }
    /* the embedding: small images only, it compresses every byte */
    if (pixels <= 256 * 256) {
        HPDF_Doc pdf = HPDF_New(on_hpdf_error, NULL);
        if (pdf) {
            if (!dp_pdf_image_new(pdf, &img))
                abort();
            HPDF_Free(pdf);
        }
    }
    dp_image_dispose(&img);
    return (int)(sum & 0);
}
