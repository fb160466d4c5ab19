/*
 * JPEG: not decoded, only read far enough to know that a PDF reader can
 * show it through /DCTDecode (Huffman-coded baseline, extended or
 * progressive DCT, 8-bit samples, 1, 3 or 4 components) and how large it
 * is. The bytes are then kept as they are.
 */
#include "image.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static unsigned be16(const unsigned char *p)
{
    return (unsigned)p[0] << 8 | p[1];
}

/* Why a frame type cannot be shown, or NULL when it can. */
static const char *frame_refusal(unsigned m)
{
    switch (m) {
    case 0xC0: case 0xC1: case 0xC2:
        return NULL;
    case 0xC3:
        return "lossless JPEG (SOF3), which PDF readers cannot show";
    case 0xC5: case 0xC6: case 0xC7:
        return "hierarchical JPEG (SOF5-7), which PDF readers cannot show";
    case 0xC9: case 0xCA: case 0xCB:
        return "arithmetic-coded JPEG (SOF9-11), which PDF readers cannot show";
    default: /* 0xCD-0xCF */
        return "hierarchical arithmetic-coded JPEG (SOF13-15), which PDF "
               "readers cannot show";
    }
}

/* One walk over the markers up to the frame header, then the checks on
 * what it found; the marker loop keeps its state in locals, so it stays in
 * one function. */
dp_status dp_image_decode_jpeg(const unsigned char *data, size_t len, size_t budget,
                               dp_image *out, char why[DP_IMAGE_WHY])
{
    memset(out, 0, sizeof *out);
    why[0] = '\0';
    const char *bad = NULL;
    int adobe = 0, frame = 0;
    unsigned w = 0, h = 0, ncomp = 0;
    size_t pos = 2; /* after SOI */
    for (;;) {
        /* a marker: 0xFF, any fill bytes 0xFF, then its code */
        if (pos >= len || data[pos] != 0xFF) {
            bad = "damaged JPEG image (no marker where one belongs)";
            break;
        }
        while (pos < len && data[pos] == 0xFF)
            pos++;
        if (pos >= len) {
            bad = "damaged JPEG image (it ends before its image data)";
            break;
        }
        unsigned m = data[pos++];
        if (m == 0xD8 || m == 0x01 || (m >= 0xD0 && m <= 0xD7))
            continue; /* no length */
        if (m == 0xD9 || m == 0x00) {
            bad = "damaged JPEG image (it ends before its image data)";
            break;
        }
        if (len - pos < 2 || be16(data + pos) < 2 || be16(data + pos) > len - pos) {
            bad = "damaged JPEG image (a segment runs past the end)";
            break;
        }
        size_t seg = be16(data + pos);
        const unsigned char *p = data + pos + 2; /* segment body */
        size_t n = seg - 2;
        if (m >= 0xC0 && m <= 0xCF && m != 0xC4 && m != 0xC8 && m != 0xCC) {
            if (frame) {
                bad = "damaged JPEG image (two frame headers)";
                break;
            }
            frame = 1;
            if ((bad = frame_refusal(m)))
                break;
            if (n < 6) {
                bad = "damaged JPEG image (short frame header)";
                break;
            }
            unsigned precision = p[0];
            h = be16(p + 1);
            w = be16(p + 3);
            ncomp = p[5];
            if (precision != 8) {
                snprintf(why, DP_IMAGE_WHY,
                         "%u-bit JPEG, which PDF readers cannot show (8-bit only)",
                         precision);
                return DP_EINPUT;
            }
            if (ncomp != 1 && ncomp != 3 && ncomp != 4) {
                snprintf(why, DP_IMAGE_WHY,
                         "JPEG with %u colour components (1, 3 or 4 can be shown)", ncomp);
                return DP_EINPUT;
            }
            if (n < 6 + 3 * (size_t)ncomp) {
                bad = "damaged JPEG image (short frame header)";
                break;
            }
            for (unsigned c = 0; c < ncomp && !bad; c++) {
                unsigned hs = p[6 + 3 * c + 1] >> 4, vs = p[6 + 3 * c + 1] & 15;
                if (hs < 1 || hs > 4 || vs < 1 || vs > 4 || p[6 + 3 * c + 2] > 3)
                    bad = "damaged JPEG image (bad component in the frame header)";
            }
            if (bad)
                break;
            if (w == 0 || h == 0) {
                bad = "JPEG with no pixels (or a height given only after the image "
                      "data), which PDF readers cannot show";
                break;
            }
        } else if (m == 0xCC) {
            bad = "arithmetic-coded JPEG, which PDF readers cannot show";
            break;
        } else if (m == 0xEE && n >= 12 && memcmp(p, "Adobe", 5) == 0) {
            adobe = 1;
        } else if (m == 0xDA) { /* start of scan: the headers are done */
            if (!frame)
                bad = "damaged JPEG image (image data before the frame header)";
            break;
        }
        pos += seg;
    }
    if (bad) {
        snprintf(why, DP_IMAGE_WHY, "%s", bad);
        return DP_EINPUT;
    }
    if (w > DP_IMAGE_MAX_SIDE || h > DP_IMAGE_MAX_SIDE) {
        snprintf(why, DP_IMAGE_WHY, "image too large (%u × %u pixels; at most %d a side)",
                 w, h, DP_IMAGE_MAX_SIDE);
        return DP_ELIMIT;
    }
    size_t decoded = (size_t)w * h * ncomp;
    size_t cap = budget < DP_IMAGE_MAX_BYTES ? budget : DP_IMAGE_MAX_BYTES;
    if (decoded > cap) {
        snprintf(why, DP_IMAGE_WHY,
                 "image too large (%u × %u pixels, %zu MB decoded; at most %zu MB %s)",
                 w, h, decoded >> 20, cap >> 20,
                 cap < DP_IMAGE_MAX_BYTES ? "left for this document's images" : "an image");
        return DP_ELIMIT;
    }
    out->jpeg = malloc(len);
    if (!out->jpeg) {
        snprintf(why, DP_IMAGE_WHY, "out of memory");
        return DP_ENOMEM;
    }
    memcpy(out->jpeg, data, len);
    out->jpeg_len = len;
    out->type = DP_IMAGE_JPEG;
    out->width = (int)w;
    out->height = (int)h;
    out->channels = (int)ncomp;
    out->decoded = decoded;
    /* Adobe's CMYK JPEGs hold inverted values; readers expect the PDF to
     * say so with /Decode */
    out->jpeg_inverted = ncomp == 4 && adobe;
    return DP_OK;
}
