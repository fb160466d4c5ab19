/*
 * Images for figures and logos, decoded from bytes in memory into what a
 * PDF can show: PNG (every colour type and bit depth, interlaced or not,
 * with tRNS) becomes 8-bit grey or RGB samples plus a separate 8-bit
 * alpha channel; JPEG is checked from its headers and kept as it is, to
 * be shown through /DCTDecode, only when readers can show it. Anything
 * else is refused with a reason.
 */
#ifndef DP_IMAGE_IMAGE_H
#define DP_IMAGE_IMAGE_H

#include <stddef.h>

#include "base/status.h"

/* The caps, stated in README ("What is an error"). An image's decoded
 * size is width × height × samples per pixel (alpha included), two bytes
 * a sample for 16-bit PNGs, one otherwise (JPEG: one per component). */
#define DP_IMAGE_MAX_FILE_BYTES ((size_t)64 << 20)   /* an image file */
#define DP_IMAGE_MAX_SIDE 20000                      /* pixels a side */
#define DP_IMAGE_MAX_BYTES ((size_t)256 << 20)       /* decoded, one image */
#define DP_IMAGE_MAX_DOC_BYTES ((size_t)1024 << 20)  /* decoded, all images
                                                        of a document */

typedef enum dp_image_type { DP_IMAGE_PNG = 1, DP_IMAGE_JPEG = 2 } dp_image_type;

typedef struct dp_image {
    dp_image_type type;
    int width, height;   /* pixels */
    int channels;        /* colour samples a pixel: 1 grey, 3 RGB, 4 CMYK
                            (CMYK: JPEG only) */
    size_t decoded;      /* decoded size, as counted against the caps */
    /* PNG: width × height × channels 8-bit samples, rows top to bottom */
    unsigned char *samples;
    /* PNG: width × height 8-bit alpha values; NULL when every pixel is
     * opaque */
    unsigned char *alpha;
    /* JPEG: the whole file, owned */
    unsigned char *jpeg;
    size_t jpeg_len;
    int jpeg_inverted;   /* CMYK stored inverted (Adobe APP14 marker) */
} dp_image;

/* Room for a reason: static text or libpng's own message. */
#define DP_IMAGE_WHY 160

/*
 * Decodes data[0..len) (PNG or JPEG, told by its bytes). budget is the
 * most decoded bytes the image may have (the document's remaining share,
 * at most DP_IMAGE_MAX_BYTES is used either way); sizes are checked
 * before anything is allocated. On success *out owns its buffers (free
 * with dp_image_dispose); on failure *out holds nothing and why says
 * what is wrong. DP_EINPUT: not an image we can show, or damaged;
 * DP_ELIMIT: over a cap; DP_ENOMEM.
 */
dp_status dp_image_decode(const unsigned char *data, size_t len, size_t budget,
                          dp_image *out, char why[DP_IMAGE_WHY]);

/* The two decoders behind dp_image_decode (same contract). */
dp_status dp_image_decode_png(const unsigned char *data, size_t len, size_t budget,
                              dp_image *out, char why[DP_IMAGE_WHY]);
dp_status dp_image_decode_jpeg(const unsigned char *data, size_t len, size_t budget,
                               dp_image *out, char why[DP_IMAGE_WHY]);

/* Frees what img holds and clears it. NULL is a no-op. */
void dp_image_dispose(dp_image *img);

#endif
