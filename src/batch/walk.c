/*
 * Batch files and folders: walking the input tree for digests, the
 * output names, shards, content hashes of inputs, making folders, and
 * the temporary files that killed workers or batches leave behind.
 */
// NOLINTNEXTLINE(bugprone-reserved-identifier,cert-dcl37-c,cert-dcl51-cpp): the feature-test macro glibc defines for realpath, strndup and kill
#define _DEFAULT_SOURCE
#include "batch/internal.h"

#include <dirent.h>
#include <errno.h>
#include <limits.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/types.h>
#include <time.h>
#include <unistd.h>

#include "base/file.h"
#include "base/sha256.h"

#define MAX_DEPTH 64


/* Hashes a regular file's content; -1 (errno set) when it cannot be read
 * as one, in which case the worker reports the problem. */
int dp_batch_hash_file(const char *path, char hex[65])
{
    if (!path)
        return -1;
    /* never blocks: a FIFO named *.xml is the worker's failure to
     * report, not a hang of the whole batch */
    int fd;
    const char *why;
    if (dp_file_open(path, NULL, DP_MAX_INPUT_BYTES, &fd, NULL, NULL, &why) < 0)
        return -1;
    dp_sha256 s;
    dp_sha256_init(&s);
    char chunk[65536];
    ssize_t n;
    while ((n = read(fd, chunk, sizeof chunk)) != 0) {
        if (n < 0) {
            if (errno == EINTR)
                continue;
            close(fd);
            return -1;
        }
        dp_sha256_update(&s, chunk, (size_t)n);
    }
    close(fd);
    dp_sha256_hex(&s, hex);
    return 0;
}

/* ---- small helpers ------------------------------------------------- */

static int ends_with(const char *s, const char *suffix)
{
    size_t n = strlen(s), k = strlen(suffix);
    return n >= k && strcmp(s + n - k, suffix) == 0;
}

char *dp_batch_join(const char *a, const char *b)
{
    size_t n = strlen(a) + strlen(b) + 2;
    char *s = malloc(n);
    if (s)
        snprintf(s, n, "%s%s%s", a, *a && !ends_with(a, "/") ? "/" : "", b);
    return s;
}

double dp_batch_now_ms(void)
{
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return (double)ts.tv_sec * 1e3 + (double)ts.tv_nsec / 1e6;
}

static int cmp_str(const void *a, const void *b)
{
    return strcmp(*(char *const *)a, *(char *const *)b);
}

int dp_batch_is_input_name(const char *name)
{
    return (ends_with(name, ".xml") || ends_with(name, ".txt")) &&
           !ends_with(name, ".expected.txt");
}

char *dp_batch_output_rel(const char *rel)
{
    size_t n = strlen(rel);
    char *s = malloc(n + 1);
    if (!s)
        return NULL;
    memcpy(s, rel, n + 1);
    if (n >= 4 && (ends_with(s, ".xml") || ends_with(s, ".txt")))
        // NOLINTNEXTLINE(bugprone-not-null-terminated-result): replaces the 4-byte extension of a NUL-terminated copy
        memcpy(s + n - 4, ".pdf", 4);
    return s;
}

int dp_batch_in_shard(size_t index, int k, int n)
{
    if (n <= 0)
        return 1;
    return index % (size_t)n == (size_t)(k - 1);
}

/* mkdir -p for the folder that will hold path (path itself excluded when
 * leaf_is_file). */
int dp_batch_make_dirs(char *path, int leaf_is_file)
{
    size_t n = strlen(path);
    for (size_t i = 1; i <= n; i++) {
        if (i < n && path[i] != '/')
            continue;
        if (i == n && leaf_is_file)
            break;
        char c = path[i];
        path[i] = '\0';
        int bad = mkdir(path, 0777) != 0 && errno != EEXIST;
        struct stat st;
        if (!bad && (stat(path, &st) != 0 || !S_ISDIR(st.st_mode))) {
            if (errno == 0 || !bad)
                errno = ENOTDIR;
            bad = 1;
        }
        path[i] = c;
        if (bad)
            return -1;
    }
    return 0;
}

/* ---- walking ------------------------------------------------------- */

typedef struct list {
    char **items;
    size_t n, cap;
} list;

static int list_add(list *l, char *s)
{
    if (!s)
        return -1;
    if (l->n == l->cap) {
        size_t cap = l->cap ? l->cap * 2 : 64;
        char **items = realloc(l->items, cap * sizeof *items);
        if (!items) {
            free(s);
            return -1;
        }
        l->items = items;
        l->cap = cap;
    }
    l->items[l->n++] = s;
    return 0;
}

void dp_batch_free_list(char **rels, size_t n)
{
    for (size_t i = 0; i < n; i++)
        free(rels[i]);
    free(rels);
}

typedef struct walker {
    dp_diags *d;
    const char *root;
    dev_t skip_dev;
    ino_t skip_ino;
    int has_skip;
    list out;
    int unreadable;
    /* output-tree mode: collect *.tmp names instead of inputs */
    int tmp_mode;
} walker;

/* NAME.PID.tmp, as older versions wrote them */
static int is_old_tmp_name(const char *name)
{
    if (!ends_with(name, ".tmp"))
        return 0;
    size_t n = strlen(name) - 4;
    size_t k = n;
    while (k > 0 && name[k - 1] >= '0' && name[k - 1] <= '9')
        k--;
    return k < n && k > 1 && name[k - 1] == '.';
}

/* A temporary file of dp_file_out (NAME.PID.XXXXXX.tmp) or of an older
 * version (NAME.PID.tmp). */
static int is_tmp_name(const char *name)
{
    return dp_file_is_tmp_name(name, NULL) || is_old_tmp_name(name);
}

/* Cuts one temporary suffix off the end of rel; 1 and its PID when there
 * was one. */
static int strip_tmp(char *rel, long *pid)
{
    char *base = strrchr(rel, '/');
    base = base ? base + 1 : rel;
    int parts = dp_file_is_tmp_name(base, pid) ? 3 : is_old_tmp_name(base) ? 2 : 0;
    if (!parts)
        return 0;
    for (int i = 0; i < parts; i++)
        *strrchr(rel, '.') = '\0';
    if (parts == 2) {
        /* the PID was the part just cut before ".tmp" */
        *pid = strtol(rel + strlen(rel) + 1, NULL, 10);
    }
    return 1;
}

static dp_status walk(walker *w, const char *rel, int depth)
{
    dp_status status = DP_OK;
    char *full = *rel ? dp_batch_join(w->root, rel) : strdup(w->root);
    DIR *dir = NULL;
    list names = {0};
    DP_CHECK_ALLOC(full);
    dir = opendir(full);
    if (!dir) {
        if (w->tmp_mode) {
            /* cleaning is best effort */
        } else if (depth == 0) {
            dp_error(w->d, full, 0, "cannot read the folder: %s", strerror(errno));
            status = DP_EIO;
        } else {
            dp_error(w->d, full, 0, "cannot read the folder: %s", strerror(errno));
            w->unreadable++;
        }
        goto done;
    }
    struct dirent *e;
    while ((e = readdir(dir)) != NULL) {
        if (e->d_name[0] == '.') {
            /* hidden entries are not inputs, but the manifest's own
             * temporaries are cleaned like the PDFs' */
            if (!(w->tmp_mode && depth == 0 && is_tmp_name(e->d_name)))
                continue;
        }
        if (list_add(&names, strdup(e->d_name)) != 0) {
            status = DP_ENOMEM;
            goto done;
        }
    }
    if (names.n > 1)
        qsort(names.items, names.n, sizeof *names.items, cmp_str);
    for (size_t i = 0; i < names.n; i++) {
        const char *name = names.items[i];
        char *crel = *rel ? dp_batch_join(rel, name) : strdup(name);
        char *cfull = dp_batch_join(full, name);
        struct stat st;
        if (!crel || !cfull) {
            free(crel);
            free(cfull);
            status = DP_ENOMEM;
            goto done;
        }
        int have = lstat(cfull, &st) == 0;
        int wanted = w->tmp_mode ? have && S_ISREG(st.st_mode) && is_tmp_name(name)
                                 : dp_batch_is_input_name(name);
        /* a folder is walked whatever its name (even x.xml) */
        if (have && S_ISDIR(st.st_mode) &&
            (w->has_skip && st.st_dev == w->skip_dev && st.st_ino == w->skip_ino)) {
            free(crel);
        } else if (have && S_ISDIR(st.st_mode)) {
            if (depth + 1 >= MAX_DEPTH) {
                dp_error(w->d, cfull, 0, "folders nested more than %d deep", MAX_DEPTH);
                w->unreadable++;
            } else {
                status = walk(w, crel, depth + 1);
            }
            free(crel);
        } else if (wanted) {
            if (list_add(&w->out, crel) != 0)
                status = DP_ENOMEM;
        } else {
            free(crel);
        }
        free(cfull);
        if (status < 0)
            goto done;
    }
done:
    if (dir)
        closedir(dir);
    dp_batch_free_list(names.items, names.n);
    free(full);
    return status;
}

dp_status dp_batch_list_inputs(dp_diags *d, const char *dir, const char *skip,
                               char ***rels, size_t *n, int *unreadable)
{
    walker w = {0};
    w.d = d;
    w.root = dir;
    struct stat st;
    if (skip && stat(skip, &st) == 0) {
        w.has_skip = 1;
        w.skip_dev = st.st_dev;
        w.skip_ino = st.st_ino;
    }
    dp_status status = walk(&w, "", 0);
    if (status < 0) {
        dp_batch_free_list(w.out.items, w.out.n);
        *rels = NULL;
        *n = 0;
        return status;
    }
    if (w.out.n > 1)
        qsort(w.out.items, w.out.n, sizeof *w.out.items, cmp_str);
    *rels = w.out.items;
    *n = w.out.n;
    if (unreadable)
        *unreadable = w.unreadable;
    return DP_OK;
}

/* Removes the temporary files a worker that did not finish left beside
 * out_path: its own and dp_build's inside it, both named
 * NAME.PID.XXXXXX.tmp with the worker's PID. */
void dp_batch_remove_worker_tmps(const char *out_path, pid_t pid)
{
    const char *slash = strrchr(out_path, '/');
    char *dir = slash ? strndup(out_path, (size_t)(slash - out_path + 1)) : strdup(".");
    const char *base = slash ? slash + 1 : out_path;
    char prefix[PATH_MAX];
    snprintf(prefix, sizeof prefix, "%s.%ld.", base, (long)pid);
    DIR *d = dir ? opendir(dir) : NULL;
    struct dirent *e;
    while (d && (e = readdir(d)) != NULL) {
        if (strncmp(e->d_name, prefix, strlen(prefix)) != 0 || !is_tmp_name(e->d_name))
            continue;
        char *full = dp_batch_join(dir, e->d_name);
        if (full)
            unlink(full);
        free(full);
    }
    if (d)
        closedir(d);
    free(dir);
}

/* Non-zero when process pid runs: a killed worker stays a zombie until
 * something reaps it, and its temporary file is stale all the same. */
static int pid_running(long pid)
{
    if (pid <= 0 || pid == (long)getpid() || kill((pid_t)pid, 0) != 0)
        return 0;
    char path[64], buf[512];
    snprintf(path, sizeof path, "/proc/%ld/stat", pid);
    FILE *f = fopen(path, "r");
    if (!f)
        return 1; /* no /proc: trust kill() */
    size_t n = fread(buf, 1, sizeof buf - 1, f);
    fclose(f);
    buf[n] = '\0';
    const char *p = strrchr(buf, ')'); /* after the command name */
    return !(p && (p[2] == 'Z' || p[2] == 'X'));
}

/* Removes temporaries of this run's outputs that no live process owns:
 * a killed batch leaves them, and a concurrent shard's must be kept. */
void dp_batch_clean_stale(batch *b, const char *manifest_name)
{
    walker w = {0};
    w.d = b->d;
    w.root = b->o->output_dir;
    w.tmp_mode = 1;
    if (walk(&w, "", 0) < 0)
        goto done;
    char **outs = malloc((b->n ? b->n : 1) * sizeof *outs);
    if (!outs)
        goto done;
    for (size_t i = 0; i < b->n; i++)
        outs[i] = b->jobs[i].out_rel;
    qsort(outs, b->n, sizeof *outs, cmp_str);
    for (size_t i = 0; i < w.out.n; i++) {
        char *rel = w.out.items[i];
        char *full = dp_batch_join(b->o->output_dir, rel);
        if (!full)
            break;
        /* strip every temporary suffix: dp_build's temporary inside a
         * worker's is X.pdf.PID.XXXXXX.tmp.PID.YYYYYY.tmp */
        int alive = 0;
        long pid = 0;
        while (strip_tmp(rel, &pid))
            alive |= pid_running(pid);
        const char *key = rel;
        int ours = bsearch(&key, outs, b->n, sizeof *outs, cmp_str) != NULL ||
                   strcmp(rel, manifest_name) == 0;
        if (ours && !alive && unlink(full) == 0)
            dp_note(b->d, full, 0, "removed a stale temporary file");
        free(full);
    }
    free(outs);
done:
    dp_batch_free_list(w.out.items, w.out.n);
}
