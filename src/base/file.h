/*
 * Reading files that input names (figures, logos, fonts, styles,
 * digests): every such path may come from someone else. A file is read
 * only when it is a regular file (after symbolic links), never blocks
 * on open (a FIFO or device is refused, not waited on), its size is
 * checked with fstat before a byte is read, and, when a root folder is
 * given, it must lie inside that folder, symbolic links included.
 */
#ifndef DP_BASE_FILE_H
#define DP_BASE_FILE_H

#include <stddef.h>

#include "buf.h"
#include "status.h"

/* Which file was read, whatever the path's spelling: two paths name the
 * same file when their ids are equal. */
typedef struct dp_file_id {
    unsigned long long dev, ino;
} dp_file_id;

/*
 * Opens path for reading: O_NONBLOCK on open (so a FIFO cannot hang the
 * caller), then refused unless fstat shows a regular file of at most max
 * bytes; the descriptor returned is blocking and close-on-exec, the
 * caller closes it. root: NULL for any path, else the file must lie
 * inside that folder (see dp_file_in_root). size_out and id_out may be
 * NULL.
 * Returns DP_EIO when the file cannot be opened (errno kept), DP_EINPUT
 * when it is not a regular file or lies outside root, DP_ELIMIT when it
 * is larger than max; *why (static English text) says which.
 */
dp_status dp_file_open(const char *path, const char *root, size_t max,
                       int *fd_out, size_t *size_out, dp_file_id *id_out,
                       const char **why);

/* The same, then reads the whole file into b (appending; b stays
 * NUL-terminated). A file that grows past max while being read is
 * DP_ELIMIT too. */
dp_status dp_file_read(dp_buf *b, const char *path, const char *root,
                       size_t max, dp_file_id *id_out, const char **why);

/*
 * Whether path, taken as written (no file system access, so the answer
 * never tells whether a file exists), lies inside the folder root once
 * "." and ".." are resolved; relative paths are taken from the current
 * folder. Symbolic links are checked when the file is opened.
 * Returns 1 inside, 0 outside, DP_ENOMEM.
 */
int dp_file_in_root(const char *root, const char *path);

#endif
