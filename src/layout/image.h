/* Figures: what an image file is and how large, read from its header. */
#ifndef DP_LAYOUT_IMAGE_H
#define DP_LAYOUT_IMAGE_H

#include "base/status.h"

typedef enum dp_image_type { DP_IMAGE_PNG = 1, DP_IMAGE_JPEG = 2 } dp_image_type;

/* Images beyond this many pixels are refused: decoding one would take
 * gigabytes for a picture no page can show. */
#define DP_MAX_IMAGE_PIXELS (40L * 1000 * 1000)
#define DP_MAX_IMAGE_SIDE 20000

typedef struct dp_image_info {
    dp_image_type type;
    int width, height; /* pixels */
} dp_image_info;

/*
 * Reads the header of the image at path. The type comes from the bytes,
 * not the file name. DP_EIO when the file cannot be read, DP_EINPUT when
 * it is not a PNG or JPEG image (or is damaged), DP_ELIMIT when it is
 * larger than the caps above. *why (static text) says what was wrong.
 */
dp_status dp_image_probe(const char *path, dp_image_info *out, const char **why);

#endif
