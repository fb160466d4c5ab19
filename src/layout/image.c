#include "image.h"

#include <stdio.h>
#include <string.h>

static unsigned be16(const unsigned char *p)
{
    return (unsigned)p[0] << 8 | p[1];
}

static unsigned long be32(const unsigned char *p)
{
    return (unsigned long)p[0] << 24 | (unsigned long)p[1] << 16 |
           (unsigned long)p[2] << 8 | p[3];
}

/* JPEG: walk the marker segments to the first start-of-frame. */
static int jpeg_size(FILE *f, int *w, int *h)
{
    unsigned char b[8];
    for (int guard = 0; guard < 10000; guard++) {
        int c = fgetc(f);
        if (c == EOF)
            return -1;
        if (c != 0xFF)
            continue;
        int m;
        do
            m = fgetc(f);
        while (m == 0xFF);
        if (m == EOF)
            return -1;
        if (m == 0xD8 || (m >= 0xD0 && m <= 0xD7) || m == 0x01 || m == 0x00)
            continue; /* markers without a length */
        if (fread(b, 1, 2, f) != 2)
            return -1;
        unsigned len = be16(b);
        if (len < 2)
            return -1;
        int sof = m >= 0xC0 && m <= 0xCF && m != 0xC4 && m != 0xC8 && m != 0xCC;
        if (sof) {
            if (fread(b, 1, 5, f) != 5)
                return -1;
            *h = (int)be16(b + 1);
            *w = (int)be16(b + 3);
            return 0;
        }
        if (fseek(f, (long)len - 2, SEEK_CUR) != 0)
            return -1;
    }
    return -1;
}

dp_status dp_image_probe(const char *path, dp_image_info *out, const char **why)
{
    memset(out, 0, sizeof *out);
    FILE *f = fopen(path, "rb");
    if (!f) {
        *why = "cannot open the image";
        return DP_EIO;
    }
    unsigned char h[32];
    size_t n = fread(h, 1, sizeof h, f);
    dp_status status = DP_OK;
    if (n >= 24 && memcmp(h, "\x89PNG\r\n\x1a\n", 8) == 0 &&
        memcmp(h + 12, "IHDR", 4) == 0) {
        out->type = DP_IMAGE_PNG;
        unsigned long w = be32(h + 16), ht = be32(h + 20);
        out->width = w > 1000000 ? 1000000 : (int)w;
        out->height = ht > 1000000 ? 1000000 : (int)ht;
    } else if (n >= 3 && h[0] == 0xFF && h[1] == 0xD8 && h[2] == 0xFF) {
        out->type = DP_IMAGE_JPEG;
        if (fseek(f, 2, SEEK_SET) != 0 || jpeg_size(f, &out->width, &out->height) < 0) {
            *why = "damaged JPEG image (no frame header)";
            status = DP_EINPUT;
        }
    } else {
        *why = "not a PNG or JPEG image";
        status = DP_EINPUT;
    }
    fclose(f);
    if (status == DP_OK && (out->width <= 0 || out->height <= 0)) {
        *why = "image with no pixels";
        status = DP_EINPUT;
    }
    if (status == DP_OK &&
        (out->width > DP_MAX_IMAGE_SIDE || out->height > DP_MAX_IMAGE_SIDE ||
         (long)out->width * out->height > DP_MAX_IMAGE_PIXELS)) {
        *why = "image too large (over 20000 pixels a side or 40 megapixels)";
        status = DP_ELIMIT;
    }
    return status;
}
