#include "image.h"

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <unistd.h>

#include "base/buf.h"
#include "base/file.h"
#include "base/vec.h"

dp_status dp_layout_image(dp_pages *pages, const char *path, const char *root,
                          int *index, char why[DP_IMAGE_WHY])
{
    int fd = -1;
    dp_file_id id;
    const char *reason = "";
    why[0] = '\0';
    dp_status status = dp_file_open(path, root, DP_IMAGE_MAX_FILE_BYTES, &fd, NULL, &id,
                                     &reason);
    if (status < 0) {
        if (status == DP_ELIMIT)
            snprintf(why, DP_IMAGE_WHY, "file too large (over %zu MB)",
                     DP_IMAGE_MAX_FILE_BYTES >> 20);
        else
            snprintf(why, DP_IMAGE_WHY, "%s", reason);
        return status;
    }
    for (size_t i = 0; i < pages->nimages; i++) {
        if (pages->images[i].id.dev == id.dev && pages->images[i].id.ino == id.ino) {
            close(fd);
            *index = (int)i;
            return DP_OK;
        }
    }
    dp_buf data;
    dp_buf_init(&data);
    dp_image img = {0};
    status = dp_file_read_fd(&data, fd, DP_IMAGE_MAX_FILE_BYTES, &reason);
    close(fd);
    if (status == DP_ELIMIT)
        snprintf(why, DP_IMAGE_WHY, "file too large (over %zu MB)",
                 DP_IMAGE_MAX_FILE_BYTES >> 20);
    else if (status < 0)
        snprintf(why, DP_IMAGE_WHY, "%s", reason);
    if (status == DP_OK)
        status = dp_image_decode((const unsigned char *)data.data, data.len,
                                 DP_IMAGE_MAX_DOC_BYTES - pages->image_bytes, &img, why);
    dp_buf_dispose(&data);
    if (status < 0)
        return status;
    if (DP_VEC_GROW(pages->images, pages->nimages, pages->capimages) < 0) {
        dp_image_dispose(&img);
        snprintf(why, DP_IMAGE_WHY, "out of memory");
        return DP_ENOMEM;
    }
    pages->images[pages->nimages] = (dp_page_image){id, img};
    pages->image_bytes += img.decoded;
    *index = (int)pages->nimages++;
    return DP_OK;
}
