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

/* Reads the rest of the open file fd into b (appending, NUL-terminated),
 * at most max bytes: DP_ELIMIT past it, DP_EIO, DP_ENOMEM, with *why.
 * fd stays open. */
dp_status dp_file_read_fd(dp_buf *b, int fd, size_t max, const char **why);

/*
 * Whether path, taken as written (no file system access, so the answer
 * never tells whether a file exists), lies inside the folder root once
 * "." and ".." are resolved; relative paths are taken from the current
 * folder. Symbolic links are checked when the file is opened.
 * Returns 1 inside, 0 outside, DP_ENOMEM.
 */
int dp_file_in_root(const char *root, const char *path);

/*
 * Writing an output file (a PDF, an imported digest, a manifest, a
 * report) so that a failure or a kill never leaves half a file and no
 * path is written that was not ours to write: the data goes to a new
 * temporary file beside the destination (unpredictable name, created
 * with O_CREAT|O_EXCL, mode 0600 while incomplete), which commit gives
 * the umask's mode and renames into place. An existing destination must
 * be a regular file or a symbolic link to one; for a link, its target is
 * replaced and the link kept. "-" is standard output, written directly.
 */
typedef struct dp_file_out {
    int fd;     /* where to write: the temporary file, or 1 for "-" */
    char *path; /* the file the temporary replaces (a link's target) */
    char *tmp;  /* the temporary file; NULL for "-" */
} dp_file_out;

/* Checks that path may be written (see above) without creating
 * anything. DP_EIO (errno kept) or DP_EINPUT, with *why, when not. */
dp_status dp_file_out_check(const char *path, const char **why);

/* Checks path, then creates its temporary file: NAME.PID.XXXXXX.tmp
 * beside the file it will replace. The caller writes to o->fd (or with
 * dp_file_out_write), then calls dp_file_out_commit or dp_file_out_abort.
 * On failure nothing is created and o needs no cleanup. */
dp_status dp_file_out_open(dp_file_out *o, const char *path, const char **why);

/* Writes all of data to o->fd; DP_EIO (errno kept) when it cannot. */
dp_status dp_file_out_write(dp_file_out *o, const void *data, size_t len,
                            const char **why);

/* Flushes and closes the temporary file (o->fd may be -1 when the caller
 * closed it), gives it the umask's mode and renames it into place. On
 * failure the temporary is removed. o is disposed of either way. */
dp_status dp_file_out_commit(dp_file_out *o, const char **why);

/* Removes the temporary file and disposes of o; harmless after commit. */
void dp_file_out_abort(dp_file_out *o);

/* Whether name is a temporary file name made by dp_file_out_open
 * (NAME.PID.XXXXXX.tmp); when so and pid is not NULL, *pid is its PID. */
int dp_file_is_tmp_name(const char *name, long *pid);

#endif
