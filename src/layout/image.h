/* Figures and logos: each image file read once (through dp_file_open:
 * regular files only, inside a root folder) and decoded once per
 * document, however its path is spelled. */
#ifndef DP_LAYOUT_IMAGE_H
#define DP_LAYOUT_IMAGE_H

#include "base/status.h"
#include "image/image.h"
#include "pages.h"

/*
 * The image at path, read only from inside the folder root (NULL: any
 * path), added to pages->images unless the same file (device and inode)
 * is there already; *index says where it is. The decoded sizes of the
 * document's images together stay within DP_IMAGE_MAX_DOC_BYTES.
 * On failure why says what is wrong (for "figure x.png: WHY"): DP_EIO
 * when the file cannot be read, DP_EINPUT when it is outside root, not
 * a regular file or not an image we can show, DP_ELIMIT over a cap,
 * DP_ENOMEM.
 */
dp_status dp_layout_image(dp_pages *pages, const char *path, const char *root,
                          int *index, char why[DP_IMAGE_WHY]);

#endif
