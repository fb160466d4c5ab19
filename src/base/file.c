// NOLINTNEXTLINE(bugprone-reserved-identifier,cert-dcl37-c,cert-dcl51-cpp): the feature-test macro glibc defines for O_PATH, SYS_openat2 and mkostemps
#define _GNU_SOURCE
#include "file.h"

#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/syscall.h>
#include <unistd.h>

#ifdef __linux__
#include <linux/openat2.h>
#endif

/* path made absolute (from the current folder) with "." and ".." and
 * repeated slashes resolved as written; malloc'd, NULL when out of
 * memory or the current folder is unknown. */
static char *normalize(const char *path)
{
    char cwd[PATH_MAX];
    size_t plen = strlen(path), clen = 0;
    if (path[0] != '/') {
        if (!getcwd(cwd, sizeof cwd))
            return NULL;
        clen = strlen(cwd);
    }
    char *out = malloc(clen + plen + 3);
    if (!out)
        return NULL;
    size_t n = 0;
    out[n++] = '/';
    for (int part = 0; part < 2; part++) {
        const char *s = part == 0 ? (path[0] == '/' ? "" : cwd) : path;
        while (*s) {
            while (*s == '/')
                s++;
            const char *e = s;
            while (*e && *e != '/')
                e++;
            size_t len = (size_t)(e - s);
            if (len == 0 || (len == 1 && s[0] == '.')) {
                /* nothing */
            } else if (len == 2 && s[0] == '.' && s[1] == '.') {
                if (n > 1) { /* drop the last component */
                    n--;
                    while (n > 1 && out[n - 1] != '/')
                        n--;
                }
            } else {
                if (out[n - 1] != '/')
                    out[n++] = '/';
                memcpy(out + n, s, len);
                n += len;
            }
            s = e;
        }
    }
    out[n] = '\0';
    return out;
}

/* The part of abs below root_abs ("" for root itself), or NULL when abs
 * does not lie inside it. Both are normalized. */
static const char *below(const char *root_abs, const char *abs)
{
    size_t r = strlen(root_abs);
    if (r == 1) /* "/" */
        return abs + 1;
    if (strncmp(root_abs, abs, r) != 0)
        return NULL;
    if (abs[r] == '\0')
        return abs + r;
    return abs[r] == '/' ? abs + r + 1 : NULL;
}

int dp_file_in_root(const char *root, const char *path)
{
    char *r = normalize(root), *p = normalize(path);
    int in = r && p ? below(r, p) != NULL : DP_ENOMEM;
    free(r);
    free(p);
    return in;
}

enum { OPEN_FLAGS = O_RDONLY | O_NONBLOCK | O_CLOEXEC | O_NOCTTY };

/* Opens rel below the folder root so that no step of the lookup, symbolic
 * links included, leaves it. -1 with errno EXDEV when one would. */
static int open_beneath(const char *root, const char *rel)
{
    int dir = open(root, O_PATH | O_DIRECTORY | O_CLOEXEC);
    if (dir < 0)
        return -1;
    int fd = -1;
#if defined(__linux__) && defined(SYS_openat2)
    struct open_how how;
    memset(&how, 0, sizeof how);
    how.flags = OPEN_FLAGS;
    how.resolve = RESOLVE_BENEATH | RESOLVE_NO_MAGICLINKS;
    fd = (int)syscall(SYS_openat2, dir, *rel ? rel : ".", &how, sizeof how);
    if (fd >= 0 || errno != ENOSYS) {
        int e = errno;
        close(dir);
        errno = e;
        return fd;
    }
#endif
    /* No openat2: resolve every link first and compare the real paths;
     * the file opened is the one whose real path was checked, with no
     * link allowed in its last step. */
    char real_root[PATH_MAX], real[PATH_MAX];
    int e = 0;
    if (!realpath(root, real_root)) {
        e = errno;
    } else {
        size_t jn = strlen(root) + strlen(rel) + 2;
        char *joined = malloc(jn);
        if (!joined) {
            e = ENOMEM;
        } else {
            snprintf(joined, jn, "%s/%s", root, rel);
            if (!realpath(joined, real))
                e = errno;
            else if (!below(real_root, real))
                e = EXDEV;
            else if ((fd = open(real, OPEN_FLAGS | O_NOFOLLOW)) < 0)
                e = errno;
            free(joined);
        }
    }
    close(dir);
    errno = e;
    return fd;
}

dp_status dp_file_open(const char *path, const char *root, size_t max,
                       int *fd_out, size_t *size_out, dp_file_id *id_out,
                       const char **why)
{
    *fd_out = -1;
    int fd;
    if (root) {
        char *r = normalize(root), *p = normalize(path);
        const char *rel = r && p ? below(r, p) : NULL;
        if (!r || !p) {
            free(r);
            free(p);
            *why = "out of memory";
            return DP_ENOMEM;
        }
        if (!rel) {
            free(r);
            free(p);
            *why = "outside the folder files may be read from (see --root)";
            return DP_EINPUT;
        }
        fd = open_beneath(r, rel);
        int e = errno;
        free(r);
        free(p);
        if (fd < 0 && (e == EXDEV || e == ELOOP)) {
            *why = "a symbolic link leads outside the folder files may be read "
                   "from (see --root)";
            return DP_EINPUT;
        }
        errno = e;
    } else {
        fd = open(path, OPEN_FLAGS);
    }
    if (fd < 0) {
        *why = errno == ENOENT ? "no such file" : "cannot open the file";
        return DP_EIO;
    }
    struct stat st;
    if (fstat(fd, &st) != 0) {
        int e = errno;
        close(fd);
        errno = e;
        *why = "cannot read the file";
        return DP_EIO;
    }
    if (!S_ISREG(st.st_mode)) {
        close(fd);
        *why = S_ISDIR(st.st_mode) ? "a folder, not a file"
                                   : "not a regular file (a device, FIFO or socket)";
        return DP_EINPUT;
    }
    if ((unsigned long long)st.st_size > max) {
        close(fd);
        *why = "file too large";
        return DP_ELIMIT;
    }
    int fl = fcntl(fd, F_GETFL);
    if (fl < 0 || fcntl(fd, F_SETFL, fl & ~O_NONBLOCK) < 0) {
        int e = errno;
        close(fd);
        errno = e;
        *why = "cannot read the file";
        return DP_EIO;
    }
    *fd_out = fd;
    if (size_out)
        *size_out = (size_t)st.st_size;
    if (id_out) {
        id_out->dev = (unsigned long long)st.st_dev;
        id_out->ino = (unsigned long long)st.st_ino;
    }
    return DP_OK;
}

dp_status dp_file_read_fd(dp_buf *b, int fd, size_t max, const char **why)
{
    size_t start = b->len;
    char chunk[65536];
    for (;;) {
        ssize_t n = read(fd, chunk, sizeof chunk);
        if (n < 0 && errno == EINTR)
            continue;
        if (n < 0) {
            *why = "cannot read the file";
            return DP_EIO;
        }
        if (n == 0)
            break;
        if (b->len - start + (size_t)n > max) {
            *why = "file too large";
            return DP_ELIMIT;
        }
        if (dp_buf_add(b, chunk, (size_t)n) < 0) {
            *why = "out of memory";
            return DP_ENOMEM;
        }
    }
    return b->data ? DP_OK : dp_buf_add(b, "", 0); /* an empty file still gets a NUL */
}

dp_status dp_file_read(dp_buf *b, const char *path, const char *root,
                       size_t max, dp_file_id *id_out, const char **why)
{
    int fd;
    dp_status status = dp_file_open(path, root, max, &fd, NULL, id_out, why);
    if (status < 0)
        return status;
    status = dp_file_read_fd(b, fd, max, why);
    int e = errno;
    close(fd);
    errno = e;
    return status;
}

/* The mode a new file gets: 0666 less the umask, read without changing
 * it (umask() would, for a moment, for every thread). */
static mode_t new_file_mode(void)
{
    FILE *f = fopen("/proc/self/status", "re");
    if (f) {
        char line[256];
        while (fgets(line, sizeof line, f)) {
            if (strncmp(line, "Umask:", 6) == 0) {
                char *end;
                unsigned long m = strtoul(line + 6, &end, 8);
                if (end != line + 6) {
                    fclose(f);
                    return (mode_t)(0666 & ~m);
                }
            }
        }
        fclose(f);
    }
    mode_t m = umask(022);
    umask(m);
    return 0666 & ~m;
}

/* The file an output at path replaces: path, or the target of the
 * symbolic link at path; malloc'd into *target. */
static dp_status out_target(const char *path, char **target, const char **why)
{
    struct stat st;
    *target = NULL;
    if (!*path) {
        *why = "an empty output path";
        return DP_EINPUT;
    }
    if (lstat(path, &st) != 0) {
        if (errno != ENOENT) {
            *why = "cannot write output";
            return DP_EIO;
        }
    } else if (S_ISLNK(st.st_mode)) {
        char *real = realpath(path, NULL);
        if (!real) {
            if (errno == ENOENT) {
                *why = "a symbolic link to nothing; refusing to write through it";
                return DP_EINPUT;
            }
            *why = "cannot write output";
            return DP_EIO;
        }
        if (stat(real, &st) != 0 || !S_ISREG(st.st_mode)) {
            free(real);
            *why = "a symbolic link to something that is not a regular file; "
                   "refusing to replace it";
            return DP_EINPUT;
        }
        *target = real;
        return DP_OK;
    } else if (!S_ISREG(st.st_mode)) {
        *why = S_ISDIR(st.st_mode)
                   ? "a folder; refusing to replace it"
                   : "not a regular file (a device, FIFO or socket); refusing to "
                     "replace it";
        return DP_EINPUT;
    }
    *target = strdup(path);
    if (!*target) {
        *why = "out of memory";
        return DP_ENOMEM;
    }
    return DP_OK;
}

dp_status dp_file_out_check(const char *path, const char **why)
{
    if (strcmp(path, "-") == 0)
        return DP_OK;
    char *target;
    dp_status status = out_target(path, &target, why);
    free(target);
    return status;
}

dp_status dp_file_out_open(dp_file_out *o, const char *path, const char **why)
{
    o->fd = -1;
    o->path = o->tmp = NULL;
    if (strcmp(path, "-") == 0) {
        o->fd = STDOUT_FILENO;
        return DP_OK;
    }
    dp_status status = out_target(path, &o->path, why);
    if (status < 0)
        return status;
    size_t n = strlen(o->path) + 48;
    o->tmp = malloc(n);
    if (!o->tmp) {
        free(o->path);
        o->path = NULL;
        *why = "out of memory";
        return DP_ENOMEM;
    }
    snprintf(o->tmp, n, "%s.%ld.XXXXXX.tmp", o->path, (long)getpid());
    /* mkostemps: O_CREAT|O_EXCL and mode 0600, so the name cannot be a
     * planted link and nobody else reads the file while it is written */
    o->fd = mkostemps(o->tmp, 4, O_CLOEXEC);
    if (o->fd < 0) {
        int e = errno;
        free(o->path);
        free(o->tmp);
        o->path = o->tmp = NULL;
        errno = e;
        *why = "cannot write output";
        return DP_EIO;
    }
    return DP_OK;
}

dp_status dp_file_out_write(dp_file_out *o, const void *data, size_t len,
                            const char **why)
{
    const char *p = data;
    while (len > 0) {
        ssize_t n = write(o->fd, p, len);
        if (n < 0 && errno == EINTR)
            continue;
        if (n <= 0) {
            if (n == 0)
                errno = EIO;
            *why = "cannot write output";
            return DP_EIO;
        }
        p += n;
        len -= (size_t)n;
    }
    return DP_OK;
}

void dp_file_out_abort(dp_file_out *o)
{
    if (o->tmp) {
        int e = errno;
        if (o->fd >= 0)
            close(o->fd);
        unlink(o->tmp);
        errno = e;
    }
    free(o->tmp);
    free(o->path);
    o->fd = -1;
    o->tmp = o->path = NULL;
}

dp_status dp_file_out_commit(dp_file_out *o, const char **why)
{
    if (!o->tmp) { /* standard output: written directly */
        o->fd = -1;
        free(o->path);
        o->path = NULL;
        return DP_OK;
    }
    int bad = o->fd >= 0 && fchmod(o->fd, new_file_mode()) != 0;
    if (!bad && o->fd >= 0) {
        bad = close(o->fd) != 0;
        o->fd = -1;
    }
    if (bad) {
        *why = "cannot write output";
        dp_file_out_abort(o);
        return DP_EIO;
    }
    if (rename(o->tmp, o->path) != 0) {
        *why = "cannot move the finished file into place";
        dp_file_out_abort(o);
        return DP_EIO;
    }
    free(o->tmp);
    o->tmp = NULL;
    dp_file_out_abort(o);
    return DP_OK;
}

int dp_file_is_tmp_name(const char *name, long *pid)
{
    size_t n = strlen(name);
    if (n < 4 + 7 + 3 || strcmp(name + n - 4, ".tmp") != 0)
        return 0;
    const char *x = name + n - 4 - 6; /* XXXXXX */
    for (int i = 0; i < 6; i++) {
        char c = x[i];
        if (!((c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9')))
            return 0;
    }
    if (x[-1] != '.')
        return 0;
    const char *e = x - 1, *d = e;
    while (d > name && d[-1] >= '0' && d[-1] <= '9')
        d--;
    if (d == e || d - name < 2 || d[-1] != '.')
        return 0;
    if (pid)
        *pid = strtol(d, NULL, 10);
    return 1;
}
