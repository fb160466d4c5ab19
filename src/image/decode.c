#include "image.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

dp_status dp_image_decode(const unsigned char *data, size_t len, size_t budget,
                          dp_image *out, char why[DP_IMAGE_WHY])
{
    memset(out, 0, sizeof *out);
    why[0] = '\0';
    if (len >= 8 && memcmp(data, "\x89PNG\r\n\x1a\n", 8) == 0)
        return dp_image_decode_png(data, len, budget, out, why);
    if (len >= 3 && data[0] == 0xFF && data[1] == 0xD8 && data[2] == 0xFF)
        return dp_image_decode_jpeg(data, len, budget, out, why);
    snprintf(why, DP_IMAGE_WHY, "not a PNG or JPEG image");
    return DP_EINPUT;
}

void dp_image_dispose(dp_image *img)
{
    if (!img)
        return;
    free(img->samples);
    free(img->alpha);
    free(img->jpeg);
    memset(img, 0, sizeof *img);
}
