/*
 * Batch conversion: many digests into a tree of PDFs.
 *
 *   walk + sort inputs → shard slice → hash (skip when up to date)
 *     → fork one worker per file, at most `jobs` at once → manifest
 *
 * Each file is built in a forked worker so that a crash in our code
 * (SIGSEGV, abort) only fails that file. A worker sends its result to
 * the parent through a pipe as one write of at most PIPE_BUF bytes, so
 * the parent sees either the whole record or none (then: "crashed").
 *
 * The manifest (.digestpdf-manifest in the output folder) is rewritten
 * atomically (temp + rename) at the end; in between, each worker appends
 * one line per finished PDF to a journal beside it, right after the PDF
 * was renamed into place, so a batch killed at any moment keeps what it
 * finished. Lines are small single write()s with O_APPEND, which do not
 * interleave. Neither is fsync'd: this protects against killed
 * processes, not against a power cut.
 *
 * Testing aids: when the environment variable DP_BATCH_TEST_CRASH is set
 * and non-empty, a worker whose input path contains its value calls
 * abort() instead of building, so tests can check crash isolation; with
 * DP_BATCH_TEST_HANG, such a worker sleeps for ever instead, so tests can
 * check the watchdog (--timeout).
 */
// NOLINTNEXTLINE(bugprone-reserved-identifier,cert-dcl37-c,cert-dcl51-cpp): the feature-test macro glibc defines for realpath
#define _DEFAULT_SOURCE
#include "batch/batch.h"

#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <poll.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/resource.h>
#include <sys/stat.h>
#include <sys/types.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>
#ifdef __linux__
#include <sys/prctl.h>
#endif

#include "base/file.h"
#include "base/status.h"
#include "base/utf8.h"
#include "context.h"
#include "pdf/metadata.h"
#include "style/sheet.h"

#define MAX_JOBS 1024
#define MAX_DEPTH 64
#define MANIFEST_MAGIC "digestpdf-manifest 1"

/* ---- SHA-256 (FIPS 180-4) ------------------------------------------ */

static const uint32_t K256[64] = {
    0x428a2f98, 0x71374491, 0xb5c0fbcf, 0xe9b5dba5, 0x3956c25b, 0x59f111f1,
    0x923f82a4, 0xab1c5ed5, 0xd807aa98, 0x12835b01, 0x243185be, 0x550c7dc3,
    0x72be5d74, 0x80deb1fe, 0x9bdc06a7, 0xc19bf174, 0xe49b69c1, 0xefbe4786,
    0x0fc19dc6, 0x240ca1cc, 0x2de92c6f, 0x4a7484aa, 0x5cb0a9dc, 0x76f988da,
    0x983e5152, 0xa831c66d, 0xb00327c8, 0xbf597fc7, 0xc6e00bf3, 0xd5a79147,
    0x06ca6351, 0x14292967, 0x27b70a85, 0x2e1b2138, 0x4d2c6dfc, 0x53380d13,
    0x650a7354, 0x766a0abb, 0x81c2c92e, 0x92722c85, 0xa2bfe8a1, 0xa81a664b,
    0xc24b8b70, 0xc76c51a3, 0xd192e819, 0xd6990624, 0xf40e3585, 0x106aa070,
    0x19a4c116, 0x1e376c08, 0x2748774c, 0x34b0bcb5, 0x391c0cb3, 0x4ed8aa4a,
    0x5b9cca4f, 0x682e6ff3, 0x748f82ee, 0x78a5636f, 0x84c87814, 0x8cc70208,
    0x90befffa, 0xa4506ceb, 0xbef9a3f7, 0xc67178f2};

static uint32_t ror32(uint32_t x, int n)
{
    return (x >> n) | (x << (32 - n));
}

static void sha256_block(dp_batch_sha256 *s, const unsigned char *p)
{
    uint32_t w[64];
    for (int i = 0; i < 16; i++)
        w[i] = (uint32_t)p[(size_t)4 * i] << 24 | (uint32_t)p[(size_t)4 * i + 1] << 16 |
               (uint32_t)p[(size_t)4 * i + 2] << 8 | (uint32_t)p[(size_t)4 * i + 3];
    for (int i = 16; i < 64; i++) {
        uint32_t s0 = ror32(w[i - 15], 7) ^ ror32(w[i - 15], 18) ^ (w[i - 15] >> 3);
        uint32_t s1 = ror32(w[i - 2], 17) ^ ror32(w[i - 2], 19) ^ (w[i - 2] >> 10);
        w[i] = w[i - 16] + s0 + w[i - 7] + s1;
    }
    uint32_t a = s->h[0], b = s->h[1], c = s->h[2], d = s->h[3];
    uint32_t e = s->h[4], f = s->h[5], g = s->h[6], h = s->h[7];
    for (int i = 0; i < 64; i++) {
        uint32_t t1 = h + (ror32(e, 6) ^ ror32(e, 11) ^ ror32(e, 25)) +
                      ((e & f) ^ (~e & g)) + K256[i] + w[i];
        uint32_t t2 = (ror32(a, 2) ^ ror32(a, 13) ^ ror32(a, 22)) +
                      ((a & b) ^ (a & c) ^ (b & c));
        h = g;
        g = f;
        f = e;
        e = d + t1;
        d = c;
        c = b;
        b = a;
        a = t1 + t2;
    }
    s->h[0] += a;
    s->h[1] += b;
    s->h[2] += c;
    s->h[3] += d;
    s->h[4] += e;
    s->h[5] += f;
    s->h[6] += g;
    s->h[7] += h;
}

void dp_batch_sha256_init(dp_batch_sha256 *s)
{
    static const uint32_t iv[8] = {0x6a09e667, 0xbb67ae85, 0x3c6ef372,
                                   0xa54ff53a, 0x510e527f, 0x9b05688c,
                                   0x1f83d9ab, 0x5be0cd19};
    memcpy(s->h, iv, sizeof iv);
    s->len = 0;
    s->fill = 0;
}

void dp_batch_sha256_update(dp_batch_sha256 *s, const void *data, size_t len)
{
    const unsigned char *p = data;
    s->len += len;
    while (len > 0) {
        size_t k = 64 - s->fill;
        if (k > len)
            k = len;
        memcpy(s->block + s->fill, p, k);
        s->fill += k;
        p += k;
        len -= k;
        if (s->fill == 64) {
            sha256_block(s, s->block);
            s->fill = 0;
        }
    }
}

void dp_batch_sha256_hex(dp_batch_sha256 *s, char hex[65])
{
    uint64_t bits = s->len * 8;
    unsigned char pad = 0x80;
    dp_batch_sha256_update(s, &pad, 1);
    pad = 0;
    while (s->fill != 56)
        dp_batch_sha256_update(s, &pad, 1);
    unsigned char lenbe[8];
    for (int i = 0; i < 8; i++)
        lenbe[i] = (unsigned char)(bits >> (56 - 8 * i));
    dp_batch_sha256_update(s, lenbe, 8);
    for (int i = 0; i < 8; i++)
        snprintf(hex + (size_t)8 * i, 9, "%08x", (unsigned)s->h[i]);
    hex[64] = '\0';
}

/* Hashes a regular file's content; -1 (errno set) when it cannot be read
 * as one, in which case the worker reports the problem. */
static int hash_file(const char *path, char hex[65])
{
    if (!path)
        return -1;
    /* never blocks: a FIFO named *.xml is the worker's failure to
     * report, not a hang of the whole batch */
    int fd;
    const char *why;
    if (dp_file_open(path, NULL, DP_MAX_INPUT_BYTES, &fd, NULL, NULL, &why) < 0)
        return -1;
    dp_batch_sha256 s;
    dp_batch_sha256_init(&s);
    char chunk[65536];
    ssize_t n;
    while ((n = read(fd, chunk, sizeof chunk)) != 0) {
        if (n < 0) {
            if (errno == EINTR)
                continue;
            close(fd);
            return -1;
        }
        dp_batch_sha256_update(&s, chunk, (size_t)n);
    }
    close(fd);
    dp_batch_sha256_hex(&s, hex);
    return 0;
}

/* ---- small helpers ------------------------------------------------- */

static int ends_with(const char *s, const char *suffix)
{
    size_t n = strlen(s), k = strlen(suffix);
    return n >= k && strcmp(s + n - k, suffix) == 0;
}

static char *join(const char *a, const char *b)
{
    size_t n = strlen(a) + strlen(b) + 2;
    char *s = malloc(n);
    if (s)
        snprintf(s, n, "%s%s%s", a, *a && !ends_with(a, "/") ? "/" : "", b);
    return s;
}

static double now_ms(void)
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

dp_status dp_batch_json_string(dp_buf *b, const char *s)
{
    dp_status status = DP_OK;
    size_t len = strlen(s);
    DP_TRY(dp_buf_addc(b, '"'));
    for (size_t i = 0; i < len;) {
        unsigned char c = (unsigned char)s[i];
        if (c >= 0x80) {
            uint32_t cp;
            size_t k = dp_utf8_decode(s + i, len - i, &cp);
            if (k == 0) {
                DP_TRY(dp_buf_adds(b, "\\ufffd"));
                i++;
            } else {
                DP_TRY(dp_buf_add(b, s + i, k));
                i += k;
            }
            continue;
        }
        switch (c) {
        case '"': DP_TRY(dp_buf_adds(b, "\\\"")); break;
        case '\\': DP_TRY(dp_buf_adds(b, "\\\\")); break;
        case '\n': DP_TRY(dp_buf_adds(b, "\\n")); break;
        case '\r': DP_TRY(dp_buf_adds(b, "\\r")); break;
        case '\t': DP_TRY(dp_buf_adds(b, "\\t")); break;
        case '\b': DP_TRY(dp_buf_adds(b, "\\b")); break;
        case '\f': DP_TRY(dp_buf_adds(b, "\\f")); break;
        default:
            if (c < 0x20 || c == 0x7f)
                DP_TRY(dp_buf_printf(b, "\\u%04x", c));
            else
                DP_TRY(dp_buf_addc(b, (char)c));
        }
        i++;
    }
    DP_TRY(dp_buf_addc(b, '"'));
done:
    return status;
}

/* mkdir -p for the folder that will hold path (path itself excluded when
 * leaf_is_file). */
static int make_dirs(char *path, int leaf_is_file)
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
    char *full = *rel ? join(w->root, rel) : strdup(w->root);
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
        char *crel = *rel ? join(rel, name) : strdup(name);
        char *cfull = join(full, name);
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

/* ---- manifest ------------------------------------------------------ */

/* What a PDF was built from. Hashes are 64 hex digits. */
typedef struct entry {
    char in[65], style[65], fonts[65];
    char epoch[32];    /* SOURCE_DATE_EPOCH, "-" when unset */
    char version[32];
    int pages;
    long long bytes;
    char *input_rel, *output_rel;
    size_t order; /* line number across manifest and journal */
} entry;

typedef struct manifest {
    entry *items;
    size_t n, cap;
} manifest;

static void manifest_dispose(manifest *m)
{
    for (size_t i = 0; i < m->n; i++) {
        free(m->items[i].input_rel);
        free(m->items[i].output_rel);
    }
    free(m->items);
    memset(m, 0, sizeof *m);
}

/* A path is recorded only if it cannot break the line format. */
static int recordable(const char *rel)
{
    return !strpbrk(rel, "\t\n\r");
}

static int format_entry(char *buf, size_t size, const entry *e)
{
    return snprintf(buf, size, "%s\t%s\t%s\t%s\t%s\t%d\t%lld\t%s\t%s\n", e->in,
                    e->style, e->fonts, e->epoch, e->version, e->pages,
                    e->bytes, e->input_rel, e->output_rel);
}

/* Copies the next tab-separated field of *p into out (size bytes);
 * returns 0, or -1 when missing or too long. */
static int field(char **p, char *out, size_t size)
{
    char *t = strchr(*p, '\t');
    size_t n = t ? (size_t)(t - *p) : strlen(*p);
    if (!t || n >= size)
        return -1;
    memcpy(out, *p, n);
    out[n] = '\0';
    *p = t + 1;
    return 0;
}

/* Parses one line (without its newline); 0 on success. */
static int parse_entry(char *line, entry *e)
{
    char num[32];
    char *p = line;
    memset(e, 0, sizeof *e);
    if (field(&p, e->in, sizeof e->in) || field(&p, e->style, sizeof e->style) ||
        field(&p, e->fonts, sizeof e->fonts) ||
        field(&p, e->epoch, sizeof e->epoch) ||
        field(&p, e->version, sizeof e->version) || field(&p, num, sizeof num))
        return -1;
    e->pages = (int)strtol(num, NULL, 10);
    if (field(&p, num, sizeof num))
        return -1;
    e->bytes = strtoll(num, NULL, 10);
    char *t = strchr(p, '\t');
    if (!t || t == p || !t[1])
        return -1;
    *t = '\0';
    e->input_rel = strdup(p);
    e->output_rel = strdup(t + 1);
    if (!e->input_rel || !e->output_rel) {
        free(e->input_rel);
        free(e->output_rel);
        return -1;
    }
    return 0;
}

static int cmp_entry(const void *a, const void *b)
{
    const entry *x = a, *y = b;
    int c = strcmp(x->output_rel, y->output_rel);
    /* equal paths keep their file order: the later line is newer */
    return c ? c : (x->order > y->order) - (x->order < y->order);
}

/* Sorts by output path and keeps only the last line for each path, so
 * that lookups are binary searches. */
static void manifest_index(manifest *m)
{
    if (m->n > 1)
        qsort(m->items, m->n, sizeof *m->items, cmp_entry);
    size_t w = 0;
    for (size_t i = 0; i < m->n; i++) {
        if (i + 1 < m->n && strcmp(m->items[i].output_rel, m->items[i + 1].output_rel) == 0) {
            free(m->items[i].input_rel);
            free(m->items[i].output_rel);
            continue;
        }
        m->items[w++] = m->items[i];
    }
    m->n = w;
}

static entry *manifest_find(manifest *m, const char *output_rel)
{
    size_t lo = 0, hi = m->n;
    while (lo < hi) {
        size_t mid = lo + (hi - lo) / 2;
        int c = strcmp(m->items[mid].output_rel, output_rel);
        if (c == 0)
            return &m->items[mid];
        if (c < 0)
            lo = mid + 1;
        else
            hi = mid;
    }
    return NULL;
}

/* Parses a manifest or journal held in data (NUL-terminated); a torn or
 * unknown line is ignored (its PDF is just rebuilt). */
static dp_status manifest_parse(manifest *m, char *data, size_t len, int want_magic)
{
    dp_status status = DP_OK;
    int first = 1;
    for (char *line = data; line < data + len;) {
        char *nl = memchr(line, '\n', (size_t)(data + len - line));
        if (!nl)
            break; /* torn last line of a killed writer */
        *nl = '\0';
        char *next = nl + 1;
        if (first && want_magic) {
            first = 0;
            if (strcmp(line, MANIFEST_MAGIC) != 0)
                break; /* another format: start afresh */
            line = next;
            continue;
        }
        entry e;
        if (memchr(line, '\0', (size_t)(nl - line)) || parse_entry(line, &e) != 0) {
            line = next;
            continue;
        }
        line = next;
        if (m->n == m->cap) {
            size_t c = m->cap ? m->cap * 2 : 64;
            entry *items = realloc(m->items, c * sizeof *items);
            if (!items) {
                free(e.input_rel);
                free(e.output_rel);
                status = DP_ENOMEM;
                break;
            }
            m->items = items;
            m->cap = c;
        }
        e.order = m->n;
        m->items[m->n++] = e;
    }
    return status;
}

/* Reads the manifest; a missing or unreadable one is empty (every PDF is
 * rebuilt). Opened like every input: never blocks, regular files only. */
static dp_status manifest_read(manifest *m, const char *path)
{
    dp_buf b;
    dp_buf_init(&b);
    const char *why;
    dp_status status = DP_OK;
    if (dp_file_read(&b, path, NULL, (size_t)1 << 30, NULL, &why) == DP_OK)
        status = manifest_parse(m, b.data, b.len, 1);
    dp_buf_dispose(&b);
    return status;
}

/* Reads the journal through the descriptor that holds the batch's lock:
 * closing any other descriptor of the file would drop the lock. */
static dp_status journal_read(manifest *m, int fd)
{
    dp_buf b;
    dp_buf_init(&b);
    b.max = (size_t)1 << 30;
    dp_status status = DP_OK;
    char chunk[65536];
    off_t at = 0;
    for (;;) {
        ssize_t n = pread(fd, chunk, sizeof chunk, at);
        if (n < 0 && errno == EINTR)
            continue;
        if (n <= 0)
            break;
        at += n;
        DP_TRY(dp_buf_add(&b, chunk, (size_t)n));
    }
    if (b.data)
        status = manifest_parse(m, b.data, b.len, 0);
done:
    dp_buf_dispose(&b);
    return status;
}

/* ---- the batch ----------------------------------------------------- */

typedef struct job {
    char *rel, *out_rel;
    char *in_path, *out_path;
    char hash[65];
    int hashed;
    int finished;
    dp_batch_status status;
    int pages;
    long long bytes;
    char *error; /* set before running: fails without a worker */
} job;

/* The record a worker writes to its pipe, followed by err_len bytes. */
typedef struct worker_msg {
    int status; /* dp_batch_status */
    int pages;
    long long bytes;
    int warnings;
    int input_bad; /* the failure is the input's: an older PDF goes */
    int err_len;
} worker_msg;

#define MSG_MAX 4096 /* <= PIPE_BUF on Linux: one atomic write */

typedef struct slot {
    pid_t pid;
    int fd;
    size_t job;
    double start;
    char buf[MSG_MAX];
    size_t len;
    int killed;
    int timed_out; /* killed by the watchdog */
} slot;

typedef struct batch {
    dp_context *ctx;
    dp_diags *d;
    const dp_batch_options *o;
    dp_batch_result *r;
    job *jobs;
    size_t n;
    manifest old;
    entry env; /* style, fonts, epoch, version of this run */
    char *manifest_path, *journal_path;
    char *input_real; /* the input folder, links resolved */
    int journal_fd;
    FILE *report;
    dp_file_out report_out; /* the report's temporary file */
    double timeout_ms;      /* a worker's time limit */
    pid_t parent;
    int progress;
    double t0, build_t0;
    int to_build, built, failed_seen;
    int bar_shown;
    double last_draw;
} batch;

static volatile sig_atomic_t got_signal;
static volatile sig_atomic_t signal_count;

static void on_signal(int sig)
{
    got_signal = sig;
    signal_count++;
}

static void fmt_clock(char *buf, size_t size, double seconds)
{
    long s = (long)(seconds + 0.5);
    if (s >= 3600)
        snprintf(buf, size, "%ld:%02ld:%02ld", s / 3600, s / 60 % 60, s % 60);
    else
        snprintf(buf, size, "%ld:%02ld", s / 60, s % 60);
}

static void bar_clear(batch *b)
{
    if (b->bar_shown) {
        fputs("\r\033[K", stderr);
        b->bar_shown = 0;
    }
}

static void bar_draw(batch *b, int force)
{
    if (!b->progress)
        return;
    double t = now_ms();
    if (!force && t - b->last_draw < 100)
        return;
    b->last_draw = t;
    int done = b->r->converted + b->r->skipped + b->r->failed;
    int total = b->r->total;
    char bar[21], el[64], eta[64];
    int fill = total ? (int)((long long)done * 20 / total) : 20;
    for (int i = 0; i < 20; i++)
        bar[i] = i < fill ? '#' : '.';
    bar[20] = '\0';
    double now = now_ms();
    fmt_clock(el, sizeof el, (now - b->t0) / 1e3);
    if (b->built > 0) {
        double per = (now - b->build_t0) / b->built;
        fmt_clock(eta, sizeof eta, per * (b->to_build - b->built) / 1e3);
    } else {
        snprintf(eta, sizeof eta, "?");
    }
    fprintf(stderr, "\r[%s] %d/%d files, %d failed, %s elapsed, ~%s left\033[K",
            bar, done, total, b->r->failed, el, eta);
    fflush(stderr);
    b->bar_shown = 1;
}

static void report_file(batch *b, const job *j, double ms, int warnings)
{
    if (b->report) {
        dp_buf line;
        dp_buf_init(&line);
        dp_status status = DP_OK;
        DP_TRY(dp_buf_adds(&line, "{\"path\":"));
        DP_TRY(dp_batch_json_string(&line, j->in_path));
        DP_TRY(dp_buf_adds(&line, ",\"output\":"));
        DP_TRY(dp_batch_json_string(&line, j->out_path));
        DP_TRY(dp_buf_printf(&line, ",\"status\":\"%s\",\"pages\":%d,\"bytes\":%lld,"
                                    "\"ms\":%.1f,\"warnings\":%d,\"error\":",
                             dp_batch_status_str(j->status), j->pages, j->bytes,
                             ms, warnings));
        if (j->error)
            DP_TRY(dp_batch_json_string(&line, j->error));
        else
            DP_TRY(dp_buf_adds(&line, "null"));
        DP_TRY(dp_buf_adds(&line, "}\n"));
        /* one line per flush, so a killed batch leaves whole lines */
        fwrite(line.data, 1, line.len, b->report);
        fflush(b->report);
    done:
        dp_buf_dispose(&line);
    }
    if (b->o->on_file) {
        dp_batch_file f = {j->in_path, j->out_path, j->status, j->pages,
                           (size_t)j->bytes, ms, warnings, j->error};
        bar_clear(b);
        b->o->on_file(b->o->user, &f);
    }
}

static void finish_job(batch *b, job *j, dp_batch_status st, double ms, int warnings)
{
    j->status = st;
    j->finished = 1;
    switch (st) {
    case DP_BATCH_OK:
        b->r->converted++;
        b->r->pages += j->pages;
        break;
    case DP_BATCH_SKIPPED:
        b->r->skipped++;
        break;
    case DP_BATCH_CRASHED:
        b->r->crashed++;
        /* fall through */
    case DP_BATCH_TIMEOUT: /* fall through */
    case DP_BATCH_FAILED:
        b->r->failed++;
        b->failed_seen = 1;
        break;
    }
    if (st != DP_BATCH_SKIPPED && b->build_t0 > 0)
        b->built++; /* for the estimate: files that went to a worker */
    report_file(b, j, ms, warnings);
    bar_draw(b, st != DP_BATCH_SKIPPED);
}

static void set_entry(const batch *b, const job *j, entry *e)
{
    *e = b->env;
    memcpy(e->in, j->hash, sizeof e->in);
    e->pages = j->pages;
    e->bytes = j->bytes;
    e->input_rel = j->rel;
    e->output_rel = j->out_rel;
}

/* Closes every descriptor the worker inherited but does not use (the
 * other workers' pipes, the report, ...): with -j N they would count
 * against the worker's own limit of open files. */
static void close_inherited(int keep1, int keep2)
{
    DIR *dir = opendir("/proc/self/fd");
    if (dir) {
        int fds[1024], n = 0, self = dirfd(dir);
        struct dirent *e;
        while ((e = readdir(dir)) != NULL && n < 1024) {
            char *end;
            long fd = strtol(e->d_name, &end, 10);
            if (end != e->d_name && !*end && fd > 2 && fd < INT_MAX && fd != self &&
                fd != keep1 && fd != keep2)
                fds[n++] = (int)fd;
        }
        closedir(dir);
        for (int i = 0; i < n; i++)
            close(fds[i]);
        return;
    }
    struct rlimit rl;
    int max = getrlimit(RLIMIT_NOFILE, &rl) == 0 && rl.rlim_cur < 65536 ? (int)rl.rlim_cur
                                                                          : 65536;
    for (int fd = 3; fd < max; fd++)
        if (fd != keep1 && fd != keep2)
            close(fd);
}

/* Runs in the forked worker; never returns. */
static void worker(batch *b, job *j, int fd)
{
    struct sigaction ign;
    memset(&ign, 0, sizeof ign);
    ign.sa_handler = SIG_IGN;
    sigemptyset(&ign.sa_mask);
    /* Ctrl-C reaches the whole process group: let this file finish */
    sigaction(SIGINT, &ign, NULL);
    sigaction(SIGTERM, &ign, NULL);
#ifdef __linux__
    /* die with the parent, so a killed batch leaves no orphan writing */
    prctl(PR_SET_PDEATHSIG, SIGKILL);
    if (getppid() != b->parent)
        _exit(3);
#endif
    close_inherited(fd, b->journal_fd);
    const char *crash = getenv("DP_BATCH_TEST_CRASH");
    if (crash && *crash && strstr(j->in_path, crash)) {
        struct rlimit no_core = {0, 0};
        setrlimit(RLIMIT_CORE, &no_core);
        abort();
    }
    const char *hang = getenv("DP_BATCH_TEST_HANG");
    if (hang && *hang && strstr(j->in_path, hang))
        for (;;)
            pause();

    worker_msg m = {0};
    char msg[MSG_MAX];
    char *err = msg + sizeof m;
    size_t err_room = sizeof msg - sizeof m;
    dp_context *ctx = NULL;
    if (dp_context_new(&ctx) != DP_OK)
        _exit(4);
    dp_build_options bo = DP_BUILD_OPTIONS_INIT;
    bo.style_path = b->o->style_path;
    bo.threads = 1; /* -j N uses N cores: one thread per worker */
    if (b->o->version >= 2) {
        bo.root = b->o->root;
        bo.pdf_standard = b->o->pdf_standard;
    }
    dp_build_result res = {0};
    /* dp_build renames its PDF into place itself, but then tears down
     * the layout, which takes a while; a batch killed meanwhile would
     * leave a finished PDF that the journal does not know. So the build
     * goes to a temporary file of our own (made by dp_file_out beside
     * the PDF, or beside the target of a link at its path), and its
     * rename here is followed at once by the journal line. */
    char part[PATH_MAX + 64] = "";
    dp_file_out out;
    const char *why = "cannot write output";
    dp_status st = dp_file_out_open(&out, j->out_path, &why);
    if (st < 0) {
        dp_error(dp_context_diags(ctx), j->out_path, 0, "cannot write output: %s",
                 st == DP_EIO ? strerror(errno) : why);
        st = DP_EIO;
    } else if (strcmp(out.path, j->out_path) != 0 && b->input_real &&
               dp_file_in_root(b->input_real, out.path) == 1) {
        /* a link at the PDF's path leads into the input folder: writing
         * through it could replace an input */
        dp_error(dp_context_diags(ctx), j->out_path, 0,
                 "cannot write output: a symbolic link into the input folder");
        dp_file_out_abort(&out);
        st = DP_EIO;
    } else {
        snprintf(part, sizeof part, "%s", out.tmp);
        close(out.fd);
        out.fd = -1;
        st = dp_build(ctx, j->in_path, part, &bo, &res);
        if (st == DP_OK && dp_file_out_commit(&out, &why) != DP_OK) {
            dp_error(dp_context_diags(ctx), j->out_path, 0,
                     "cannot move the finished PDF into place: %s", strerror(errno));
            st = DP_EIO;
        } else if (st != DP_OK) {
            dp_file_out_abort(&out);
        }
    }
    if (st == DP_OK && j->hashed && b->journal_fd >= 0 && recordable(j->rel) &&
        recordable(j->out_rel)) {
        char line[PATH_MAX * 2 + 512];
        entry e;
        job done = *j;
        done.pages = res.pages;
        done.bytes = (long long)res.bytes;
        set_entry(b, &done, &e);
        int n = format_entry(line, sizeof line, &e);
        if (n > 0 && (size_t)n < sizeof line) {
            ssize_t w = write(b->journal_fd, line, (size_t)n);
            (void)w; /* a lost line only means a rebuild next time */
        }
    }

    m.status = st == DP_OK ? DP_BATCH_OK : DP_BATCH_FAILED;
    m.pages = res.pages;
    m.bytes = (long long)res.bytes;
    for (size_t i = 0; i < dp_diag_count(ctx); i++) {
        const dp_diag *g = dp_diag_at(ctx, i);
        if (g->severity == DP_DIAG_WARNING)
            m.warnings++;
        else if (g->severity == DP_DIAG_ERROR && m.err_len == 0) {
            int n;
            /* output errors name the PDF, not its temporary name */
            const char *file = g->file && *part && strcmp(g->file, part) == 0 ? j->out_path
                                                                               : g->file;
            /* an error in the input itself (not in writing, the style or
             * the fonts): the older PDF no longer stands for it */
            if (g->file && strcmp(g->file, j->in_path) == 0)
                m.input_bad = 1;
            if (file && g->line > 0)
                n = snprintf(err, err_room, "%s:%ld: error: %s", file, g->line, g->message);
            else if (file)
                n = snprintf(err, err_room, "%s: error: %s", file, g->message);
            else
                n = snprintf(err, err_room, "%s: error: %s", j->in_path, g->message);
            m.err_len = n < 0 ? 0 : (size_t)n >= err_room ? (int)err_room - 1 : n;
        }
    }
    if (st != DP_OK && m.err_len == 0) {
        int n = snprintf(err, err_room, "%s: error: %s", j->in_path, dp_status_str(st));
        m.err_len = n < 0 ? 0 : (size_t)n >= err_room ? (int)err_room - 1 : n;
    }
    memcpy(msg, &m, sizeof m);
    size_t len = sizeof m + (size_t)m.err_len;
    ssize_t w = write(fd, msg, len);
    _exit(w == (ssize_t)len ? 0 : 5);
}

/* Starts job i in a free slot; 0 when started, -1 when it failed before
 * a worker ran (already reported), 1 when out of descriptors or
 * processes for now and may_wait: start it again when a worker ends. */
static int start_job(batch *b, slot *s, size_t i, int may_wait)
{
    job *j = &b->jobs[i];
    char *dirpath = strdup(j->out_path);
    int fds[2] = {-1, -1};
    if (!dirpath || make_dirs(dirpath, 1) != 0) {
        char e[512];
        snprintf(e, sizeof e, "%s: error: cannot create the output folder: %s",
                 j->out_path, dirpath ? strerror(errno) : "out of memory");
        free(dirpath);
        j->error = strdup(e);
        finish_job(b, j, DP_BATCH_FAILED, 0, 0);
        return -1;
    }
    free(dirpath);
    if (pipe(fds) != 0)
        goto fail;
    /* nothing buffered may be written twice by the worker */
    fflush(NULL);
    pid_t pid = fork();
    if (pid < 0)
        goto fail;
    if (pid == 0) {
        close(fds[0]);
        worker(b, j, fds[1]);
    }
    close(fds[1]);
    memset(s, 0, sizeof *s);
    s->pid = pid;
    s->fd = fds[0];
    s->job = i;
    s->start = now_ms();
    return 0;
fail:;
    int busy = errno == EMFILE || errno == ENFILE || errno == EAGAIN;
    if (fds[0] >= 0) {
        int e = errno;
        close(fds[0]);
        close(fds[1]);
        fds[0] = -1;
        errno = e;
    }
    if (busy && may_wait)
        return 1;
    char e[256];
    snprintf(e, sizeof e, "%s: error: cannot start a worker: %s", j->in_path, strerror(errno));
    if (fds[0] >= 0) {
        close(fds[0]);
        close(fds[1]);
    }
    j->error = strdup(e);
    finish_job(b, j, DP_BATCH_FAILED, 0, 0);
    return -1;
}

/* Removes the temporary files a worker that did not finish left beside
 * out_path: its own and dp_build's inside it, both named
 * NAME.PID.XXXXXX.tmp with the worker's PID. */
static void remove_worker_tmps(const char *out_path, pid_t pid)
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
        char *full = join(dir, e->d_name);
        if (full)
            unlink(full);
        free(full);
    }
    if (d)
        closedir(d);
    free(dir);
}

/* Removes the older PDF of j: only a regular file (never a device, FIFO
 * or link someone put at its path). */
static void remove_old_pdf(const job *j)
{
    struct stat st;
    if (lstat(j->out_path, &st) == 0 && S_ISREG(st.st_mode))
        unlink(j->out_path);
}

/* Whether the input of j is gone or no longer a regular file. */
static int input_gone(const job *j)
{
    struct stat st;
    return stat(j->in_path, &st) != 0 || !S_ISREG(st.st_mode);
}

/* The worker of slot s closed its pipe: reap it and record the file. */
static void reap(batch *b, slot *s)
{
    job *j = &b->jobs[s->job];
    int wst = 0;
    while (waitpid(s->pid, &wst, 0) < 0 && errno == EINTR) {
    }
    close(s->fd);
    double ms = now_ms() - s->start;
    worker_msg m;
    int warnings = 0;
    char e[512];
    if (WIFEXITED(wst) && WEXITSTATUS(wst) == 0 && s->len >= sizeof m && !s->timed_out) {
        memcpy(&m, s->buf, sizeof m);
        if (m.err_len > 0 && sizeof m + (size_t)m.err_len <= s->len) {
            j->error = malloc((size_t)m.err_len + 1);
            if (j->error) {
                memcpy(j->error, s->buf + sizeof m, (size_t)m.err_len);
                j->error[m.err_len] = '\0';
            }
        }
        j->pages = m.pages;
        j->bytes = m.bytes;
        warnings = m.warnings;
        int ok = m.status == DP_BATCH_OK;
        /* An older PDF goes only when its input is invalid or gone; one
         * that could not be replaced (a full disk) stays, and the
         * manifest no longer vouches for it, so it is rebuilt next time. */
        if (!ok && (m.input_bad || input_gone(j)))
            remove_old_pdf(j);
        finish_job(b, j, ok ? DP_BATCH_OK : DP_BATCH_FAILED, ms, warnings);
    } else {
        /* a worker that did not finish can leave its temporary files */
        remove_worker_tmps(j->out_path, s->pid);
        dp_batch_status st = DP_BATCH_CRASHED;
        if (s->timed_out) {
            snprintf(e, sizeof e, "%s: error: stopped after %.0f s (the limit; see --timeout)",
                     j->in_path, b->timeout_ms / 1e3);
            st = DP_BATCH_TIMEOUT;
        } else if (s->killed) {
            snprintf(e, sizeof e, "%s: error: stopped by a second signal", j->in_path);
            st = DP_BATCH_FAILED;
        } else if (WIFSIGNALED(wst)) {
            snprintf(e, sizeof e, "%s: error: the worker crashed: signal %d (%s)",
                     j->in_path, WTERMSIG(wst), strsignal(WTERMSIG(wst)));
        } else {
            snprintf(e, sizeof e, "%s: error: the worker exited with status %d and no result",
                     j->in_path, WIFEXITED(wst) ? WEXITSTATUS(wst) : -1);
        }
        /* a crash is the input's doing: its older PDF goes; a file that
         * was only slow or stopped keeps it */
        if (st == DP_BATCH_CRASHED || input_gone(j))
            remove_old_pdf(j);
        j->error = strdup(e);
        finish_job(b, j, st, ms, 0);
    }
    s->pid = 0;
    s->fd = -1;
}

/* Keeps up to `jobs` workers busy until every job to build is done or a
 * signal / --fail-fast stops new starts. */
static dp_status run_workers(batch *b, int jobs)
{
    slot *slots = calloc((size_t)jobs, sizeof *slots);
    struct pollfd *pfd = calloc((size_t)jobs, sizeof *pfd);
    dp_status status = DP_OK;
    if (!slots || !pfd) {
        status = DP_ENOMEM;
        goto done;
    }
    for (int k = 0; k < jobs; k++)
        slots[k].fd = -1;
    size_t next = 0;
    int inflight = 0, killed = 0;
    b->build_t0 = now_ms();
    for (;;) {
        int stop = got_signal != 0 || (b->o->fail_fast && b->failed_seen);
        for (int k = 0; k < jobs && !stop; k++) {
            if (slots[k].pid)
                continue;
            while (next < b->n && b->jobs[next].finished)
                next++;
            if (next >= b->n)
                break;
            int started = start_job(b, &slots[k], next, inflight > 0);
            if (started == 1)
                break; /* no descriptor or process left: wait for a worker */
            next++;
            if (started == 0)
                inflight++;
            else
                k--; /* the slot is still free */
            stop = got_signal != 0 || (b->o->fail_fast && b->failed_seen);
        }
        if (inflight == 0)
            break;
        if (signal_count >= 2 && !killed) {
            for (int k = 0; k < jobs; k++)
                if (slots[k].pid) {
                    kill(slots[k].pid, SIGKILL);
                    slots[k].killed = 1;
                }
            killed = 1;
        }
        /* the watchdog: a worker over its time is killed; its pipe then
         * closes and reap reports the file as "timeout" */
        double now = now_ms(), wait_ms = b->progress ? 250 : 1000;
        for (int k = 0; k < jobs; k++) {
            slot *s = &slots[k];
            if (!s->pid || s->timed_out || s->killed)
                continue;
            double left = s->start + b->timeout_ms - now;
            if (left <= 0) {
                kill(s->pid, SIGKILL);
                s->timed_out = 1;
            } else if (left < wait_ms) {
                wait_ms = left + 1;
            }
        }
        int np = 0;
        for (int k = 0; k < jobs; k++) {
            if (!slots[k].pid)
                continue;
            pfd[np].fd = slots[k].fd;
            pfd[np].events = POLLIN;
            pfd[np].revents = 0;
            np++;
        }
        int rc = poll(pfd, (nfds_t)np, (int)wait_ms);
        if (rc < 0 && errno != EINTR) {
            status = DP_EIO;
            dp_error(b->d, NULL, 0, "waiting for workers failed: %s", strerror(errno));
            goto done;
        }
        for (int k = 0, p = 0; k < jobs && rc > 0; k++) {
            if (!slots[k].pid)
                continue;
            slot *s = &slots[k];
            short rev = pfd[p++].revents;
            if (!rev)
                continue;
            ssize_t n = read(s->fd, s->buf + s->len, sizeof s->buf - s->len);
            if (n < 0 && errno == EINTR)
                continue;
            if (n > 0) {
                s->len += (size_t)n;
                if (s->len < sizeof s->buf)
                    continue;
            }
            reap(b, s);
            inflight--;
        }
        bar_draw(b, 0);
    }
done:
    if (status < 0) {
        /* the batch cannot go on: leave no worker behind */
        for (int k = 0; slots && k < jobs; k++)
            if (slots[k].pid) {
                kill(slots[k].pid, SIGKILL);
                reap(b, &slots[k]);
            }
    }
    free(slots);
    free(pfd);
    return status;
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
static void clean_stale(batch *b, const char *manifest_name)
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
        char *full = join(b->o->output_dir, rel);
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

/* Writes the compacted manifest (temp + rename) and drops the journal. */
static void write_manifest(batch *b)
{
    dp_file_out out;
    const char *why;
    FILE *f = NULL;
    if (dp_file_out_open(&out, b->manifest_path, &why) != DP_OK)
        goto fail;
    f = fdopen(out.fd, "w");
    if (!f) {
        dp_file_out_abort(&out);
        goto fail;
    }
    fprintf(f, "%s\n", MANIFEST_MAGIC);
    for (size_t i = 0; i < b->n; i++) {
        job *j = &b->jobs[i];
        entry e;
        const entry *src = NULL;
        if (j->finished && j->status == DP_BATCH_OK && j->hashed) {
            set_entry(b, j, &e);
            src = &e;
        } else if (j->status == DP_BATCH_SKIPPED || !j->finished) {
            /* up to date, or not reached: what was true stays true */
            src = manifest_find(&b->old, j->out_rel);
            if (src && strcmp(src->input_rel, j->rel) != 0)
                src = NULL;
        }
        if (!src || !recordable(j->rel) || !recordable(j->out_rel))
            continue;
        char line[PATH_MAX * 2 + 512];
        int k = format_entry(line, sizeof line, src);
        if (k > 0 && (size_t)k < sizeof line)
            fputs(line, f);
    }
    int bad = ferror(f) | (fclose(f) != 0);
    out.fd = -1; /* closed with f */
    if (bad) {
        dp_file_out_abort(&out);
        goto fail;
    }
    if (dp_file_out_commit(&out, &why) != DP_OK)
        goto fail;
    unlink(b->journal_path);
    return;
fail:
    dp_warn(b->d, b->manifest_path, 0,
            "cannot write the manifest (%s): unchanged files will be rebuilt next time",
            strerror(errno));
}

/* The parts of the build environment that decide whether a PDF is up to
 * date, apart from the input: style text, font files, date, version. */
static dp_status environment(batch *b)
{
    dp_status status = DP_OK;
    dp_style style;
    dp_batch_sha256 s;
    dp_buf text;
    dp_buf_init(&text);
    dp_style_defaults(&style);
    dp_batch_sha256_init(&s);
    if (b->o->style_path) {
        /* a style may be named ("compact") or given as a file */
        char path[1024];
        const char *const *dirs = b->o->version >= 2 ? b->o->style_dirs : NULL;
        if (dp_style_find(b->o->style_path, dirs, path, sizeof path) != DP_OK) {
            char where[1024];
            dp_error(b->d, b->o->style_path, 0,
                     "no such style file, nor a style of that name in %s",
                     dp_style_dirs_text(dirs, where, sizeof where));
            status = DP_EIO;
            goto done;
        }
        DP_TRY(dp_style_load(&style, b->d, path));
        const char *why;
        if (dp_file_read(&text, path, NULL, DP_MAX_INPUT_BYTES, NULL, &why) == DP_OK)
            dp_batch_sha256_update(&s, text.data, text.len);
    } else {
        dp_batch_sha256_update(&s, "built-in", 8);
    }
    /* the PDF standard shapes the PDF as the style does (nothing added
     * for the default, so older manifests stay valid) */
    if (b->o->version >= 2 && b->o->pdf_standard) {
        dp_batch_sha256_update(&s, "\npdf-standard:", 14);
        dp_batch_sha256_update(&s, b->o->pdf_standard, strlen(b->o->pdf_standard));
    }
    dp_batch_sha256_hex(&s, b->env.style);

    const char *fonts[4 + DP_STYLE_MAX_FALLBACK];
    int nf = 0;
    fonts[nf++] = style.font_body;
    fonts[nf++] = style.font_heading;
    fonts[nf++] = style.font_latin;
    fonts[nf++] = style.font_latin_heading;
    for (int i = 0; i < style.n_fallback; i++)
        fonts[nf++] = style.font_fallback[i];
    dp_batch_sha256_init(&s);
    for (int i = 0; i < nf; i++) {
        struct stat st;
        char sig[640];
        if (stat(fonts[i], &st) == 0)
            snprintf(sig, sizeof sig, "%s\n%lld\n%lld.%09ld\n", fonts[i],
                     (long long)st.st_size, (long long)st.st_mtim.tv_sec,
                     (long)st.st_mtim.tv_nsec);
        else
            snprintf(sig, sizeof sig, "%s\nmissing\n", fonts[i]);
        dp_batch_sha256_update(&s, sig, strlen(sig));
    }
    dp_batch_sha256_hex(&s, b->env.fonts);

    /* the PDF's dates come from it when set */
    const char *epoch = getenv("SOURCE_DATE_EPOCH");
    snprintf(b->env.epoch, sizeof b->env.epoch, "%s",
             epoch && *epoch && recordable(epoch) && !strchr(epoch, ' ') ? epoch : "-");
    /* the version field holds the program version and the PDF standard:
     * either one changing makes every PDF out of date */
    dp_pdf_standard standard;
    DP_TRY(dp_pdf_standard_parse(b->d, b->o->version >= 2 ? b->o->pdf_standard : NULL,
                                 &standard));
    snprintf(b->env.version, sizeof b->env.version, "%s %s", DP_VERSION_STRING,
             dp_pdf_standard_name(standard));
done:
    dp_buf_dispose(&text);
    return status;
}

static const char *const *dup_rels;

static int cmp_by_output(const void *a, const void *b)
{
    size_t x = *(const size_t *)a, y = *(const size_t *)b;
    int c = strcmp(dup_rels[x], dup_rels[y]);
    return c ? c : (x > y) - (x < y);
}

/* (*dup)[i] is the index of an earlier input with the same PDF path as
 * input i, or (size_t)-1. Over the whole list, so shards agree. */
static dp_status same_output(batch *b, char **rels, size_t n, size_t **dup)
{
    dp_status status = DP_OK;
    char **outs = calloc(n ? n : 1, sizeof *outs);
    size_t *order = malloc((n ? n : 1) * sizeof *order);
    *dup = malloc((n ? n : 1) * sizeof **dup);
    DP_CHECK_ALLOC(outs && order && *dup ? outs : NULL);
    for (size_t i = 0; i < n; i++) {
        outs[i] = dp_batch_output_rel(rels[i]);
        DP_CHECK_ALLOC(outs[i]);
        order[i] = i;
        (*dup)[i] = (size_t)-1;
    }
    dup_rels = (const char *const *)outs;
    qsort(order, n, sizeof *order, cmp_by_output);
    dup_rels = NULL;
    for (size_t i = 1; i < n; i++)
        if (strcmp(outs[order[i]], outs[order[i - 1]]) == 0)
            (*dup)[order[i]] = (*dup)[order[i - 1]] != (size_t)-1
                                   ? (*dup)[order[i - 1]] : order[i - 1];
done:
    dp_batch_free_list(outs, outs ? n : 0);
    free(order);
    return status;
}

static int up_to_date(batch *b, job *j)
{
    if (!j->hashed || b->o->force)
        return 0;
    const entry *e = manifest_find(&b->old, j->out_rel);
    struct stat st;
    if (!e || strcmp(e->input_rel, j->rel) != 0 || strcmp(e->in, j->hash) != 0 ||
        strcmp(e->style, b->env.style) != 0 || strcmp(e->fonts, b->env.fonts) != 0 ||
        strcmp(e->epoch, b->env.epoch) != 0 || strcmp(e->version, b->env.version) != 0)
        return 0;
    /* the PDF itself must still be the one recorded */
    if (stat(j->out_path, &st) != 0 || !S_ISREG(st.st_mode) ||
        (long long)st.st_size != e->bytes)
        return 0;
    j->pages = e->pages;
    j->bytes = e->bytes;
    return 1;
}

const char *dp_batch_status_str(dp_batch_status status)
{
    switch (status) {
    case DP_BATCH_OK: return "ok";
    case DP_BATCH_SKIPPED: return "skipped";
    case DP_BATCH_FAILED: return "failed";
    case DP_BATCH_CRASHED: return "crashed";
    case DP_BATCH_TIMEOUT: return "timeout";
    }
    return "unknown";
}

static dp_status check_options(dp_diags *d, const dp_batch_options *o)
{
    if (o->version < 1 || o->version > DP_BATCH_OPTIONS_VERSION) {
        dp_error(d, NULL, 0, "batch options version %d is not supported", o->version);
        return DP_EINPUT;
    }
    if (!o->input_dir || !*o->input_dir || !o->output_dir || !*o->output_dir) {
        dp_error(d, NULL, 0, "batch needs an input folder and an output folder");
        return DP_EINPUT;
    }
    if (o->jobs < 0 || o->jobs > MAX_JOBS) {
        dp_error(d, NULL, 0, "the number of jobs must be between 1 and %d", MAX_JOBS);
        return DP_EINPUT;
    }
    if ((o->shard_index || o->shard_count) &&
        !(o->shard_count >= 1 && o->shard_index >= 1 && o->shard_index <= o->shard_count)) {
        dp_error(d, NULL, 0, "a shard must be K/N with 1 <= K <= N");
        return DP_EINPUT;
    }
    /* (also refuses NaN) */
    if (o->version >= 2 && !(o->timeout >= 0 && o->timeout <= 1e7)) {
        dp_error(d, NULL, 0, "the time limit must be a number of seconds from 0 to 10000000");
        return DP_EINPUT;
    }
    return DP_OK;
}

/* Refuses a report path that cannot be written or lies inside the input
 * folder (where it would overwrite an input or become one), before the
 * batch writes anything. */
static dp_status check_report(dp_diags *d, const dp_batch_options *o)
{
    const char *why;
    dp_status status = dp_file_out_check(o->report_path, &why);
    if (status < 0) {
        dp_error(d, o->report_path, 0, "cannot write the report: %s",
                 status == DP_EIO ? strerror(errno) : why);
        return DP_EIO;
    }
    if (strcmp(o->report_path, "-") == 0)
        return DP_OK;
    /* as written, and once links are resolved: the report itself when it
     * exists (a link is written through), else its folder */
    int inside = dp_file_in_root(o->input_dir, o->report_path);
    char *in_real = realpath(o->input_dir, NULL);
    const char *slash = strrchr(o->report_path, '/');
    char *dir = slash ? strndup(o->report_path, (size_t)(slash - o->report_path + 1))
                      : strdup(".");
    char *real = realpath(o->report_path, NULL);
    if (!real && dir)
        real = realpath(dir, NULL);
    if (inside != 1 && in_real && real)
        inside = dp_file_in_root(in_real, real);
    free(in_real);
    free(dir);
    free(real);
    if (inside < 0)
        return DP_ENOMEM;
    if (inside) {
        dp_error(d, o->report_path, 0,
                 "the report would lie inside the input folder %s; write it elsewhere",
                 o->input_dir);
        return DP_EIO;
    }
    return DP_OK;
}

/* How many workers the limit on open files allows: the parent holds one
 * pipe end per worker and two more while starting one, beside what it
 * has open now and a few for its own work. */
static int jobs_by_files(void)
{
    struct rlimit rl;
    if (getrlimit(RLIMIT_NOFILE, &rl) != 0 || rl.rlim_cur == RLIM_INFINITY ||
        rl.rlim_cur > (rlim_t)MAX_JOBS * 4)
        return MAX_JOBS;
    int open_now = 0;
    DIR *dir = opendir("/proc/self/fd");
    if (dir) {
        struct dirent *e;
        while ((e = readdir(dir)) != NULL)
            open_now += e->d_name[0] != '.';
        closedir(dir);
        open_now--; /* the folder's own */
    } else {
        open_now = 8;
    }
    long room = (long)rl.rlim_cur - open_now - 2 - 4;
    return room < 1 ? 1 : room > MAX_JOBS ? MAX_JOBS : (int)room;
}

dp_status dp_batch(dp_context *ctx, const dp_batch_options *opts,
                   dp_batch_result *result)
{
    dp_diags *d = dp_context_diags(ctx);
    dp_batch_result scratch = {0};
    dp_batch_result *r = result ? result : &scratch;
    memset(r, 0, sizeof *r);
    batch b;
    memset(&b, 0, sizeof b);
    b.ctx = ctx;
    b.d = d;
    b.o = opts;
    b.r = r;
    b.journal_fd = -1;
    b.parent = getpid();
    b.t0 = now_ms();
    char **rels = NULL;
    size_t nrels = 0;
    char *outdir = NULL;
    int unreadable = 0, handlers = 0;
    struct sigaction old_int, old_term;
    char manifest_name[64];
    size_t *dup = NULL;
    dp_status status = check_options(d, opts);
    if (status < 0)
        return status;

    struct stat st;
    if (stat(opts->input_dir, &st) != 0) {
        dp_error(d, opts->input_dir, 0, "cannot read the input folder: %s",
                 strerror(errno));
        return DP_EIO;
    }
    if (!S_ISDIR(st.st_mode)) {
        dp_error(d, opts->input_dir, 0, "the input is not a folder");
        return DP_EIO;
    }
    if (opts->report_path)
        DP_TRY(check_report(d, opts));
    b.input_real = realpath(opts->input_dir, NULL);
    b.timeout_ms = 1e3 * (opts->version >= 2 && opts->timeout > 0 ? opts->timeout
                                                                  : DP_BATCH_DEFAULT_TIMEOUT);
    DP_TRY(environment(&b));

    outdir = strdup(opts->output_dir);
    DP_CHECK_ALLOC(outdir);
    if (make_dirs(outdir, 0) != 0) {
        dp_error(d, opts->output_dir, 0, "cannot create the output folder: %s",
                 strerror(errno));
        status = DP_EIO;
        goto done;
    }
    /* one manifest per shard layout: concurrent shards never share one */
    if (opts->shard_count)
        snprintf(manifest_name, sizeof manifest_name, ".digestpdf-manifest-%d-of-%d",
                 opts->shard_index, opts->shard_count);
    else
        snprintf(manifest_name, sizeof manifest_name, ".digestpdf-manifest");
    b.manifest_path = join(opts->output_dir, manifest_name);
    DP_CHECK_ALLOC(b.manifest_path);
    b.journal_path = malloc(strlen(b.manifest_path) + 16);
    DP_CHECK_ALLOC(b.journal_path);
    sprintf(b.journal_path, "%s.journal", b.manifest_path);
    /* no link followed, no FIFO waited on */
    b.journal_fd = open(b.journal_path,
                        O_RDWR | O_CREAT | O_APPEND | O_NOFOLLOW | O_NONBLOCK, 0666);
    if (b.journal_fd >= 0 && (fstat(b.journal_fd, &st) != 0 || !S_ISREG(st.st_mode))) {
        close(b.journal_fd);
        b.journal_fd = -1;
        errno = EINVAL;
    }
    if (b.journal_fd < 0 || access(opts->output_dir, W_OK) != 0) {
        dp_error(d, opts->output_dir, 0, "cannot write to the output folder: %s",
                 strerror(errno));
        status = DP_EIO;
        goto done;
    }
    /* two batches with one manifest would lose each other's records: the
     * lock comes before anything is written (report, temporaries,
     * PDFs), so a batch refused here changes nothing. The journal is
     * then read through this descriptor, as closing any descriptor of a
     * file drops the process's fcntl locks on it. */
    struct flock lk;
    memset(&lk, 0, sizeof lk);
    lk.l_type = F_WRLCK;
    lk.l_whence = SEEK_SET;
    if (fcntl(b.journal_fd, F_SETLK, &lk) != 0 && (errno == EACCES || errno == EAGAIN)) {
        dp_error(d, opts->output_dir, 0,
                 "another digestpdf batch is writing here (%s is locked)", manifest_name);
        status = DP_EIO;
        goto done;
    }
    if (opts->report_path) {
        const char *why;
        status = dp_file_out_open(&b.report_out, opts->report_path, &why);
        b.report = status == DP_OK ? fdopen(b.report_out.fd, "w") : NULL;
        if (!b.report) {
            dp_error(d, opts->report_path, 0, "cannot write the report: %s",
                     status == DP_EINPUT ? why : strerror(errno));
            if (status == DP_OK)
                dp_file_out_abort(&b.report_out);
            status = DP_EIO;
            goto done;
        }
    }

    DP_TRY(dp_batch_list_inputs(d, opts->input_dir, opts->output_dir, &rels,
                                &nrels, &unreadable));
    DP_TRY(same_output(&b, rels, nrels, &dup));
    b.jobs = calloc(nrels ? nrels : 1, sizeof *b.jobs);
    DP_CHECK_ALLOC(b.jobs);
    for (size_t i = 0; i < nrels; i++) {
        if (opts->shard_count && !dp_batch_in_shard(i, opts->shard_index, opts->shard_count))
            continue;
        job *j = &b.jobs[b.n++];
        j->rel = strdup(rels[i]);
        j->out_rel = j->rel ? dp_batch_output_rel(j->rel) : NULL;
        j->in_path = j->rel ? join(opts->input_dir, j->rel) : NULL;
        j->out_path = j->out_rel ? join(opts->output_dir, j->out_rel) : NULL;
        DP_CHECK_ALLOC(j->rel && j->out_rel && j->in_path && j->out_path ? j : NULL);
        if (dup[i] != (size_t)-1) {
            /* x.xml and x.txt would both write x.pdf: the first one wins */
            char e[1024];
            char *first = join(opts->input_dir, rels[dup[i]]);
            DP_CHECK_ALLOC(first);
            snprintf(e, sizeof e, "%s: error: has the same output as %s",
                     j->in_path, first);
            free(first);
            j->error = strdup(e);
        }
    }
    r->total = (int)b.n;

    DP_TRY(manifest_read(&b.old, b.manifest_path));
    DP_TRY(journal_read(&b.old, b.journal_fd));
    manifest_index(&b.old);
    clean_stale(&b, manifest_name);

    b.progress = opts->progress < 0 ? isatty(STDERR_FILENO) : opts->progress;
    got_signal = 0;
    signal_count = 0;
    struct sigaction sa;
    memset(&sa, 0, sizeof sa);
    sa.sa_handler = on_signal;
    sigemptyset(&sa.sa_mask);
    sigaction(SIGINT, &sa, &old_int);
    sigaction(SIGTERM, &sa, &old_term);
    handlers = 1;

    for (size_t i = 0; i < b.n && !got_signal; i++) {
        job *j = &b.jobs[i];
        if (j->error) {
            finish_job(&b, j, DP_BATCH_FAILED, 0, 0);
            continue;
        }
        j->hashed = hash_file(j->in_path, j->hash) == 0;
        if (up_to_date(&b, j))
            finish_job(&b, j, DP_BATCH_SKIPPED, 0, 0);
        else
            b.to_build++;
    }
    bar_draw(&b, 1);

    int jobs = opts->jobs;
    if (jobs == 0) {
        long cores = sysconf(_SC_NPROCESSORS_ONLN);
        jobs = cores < 1 ? 1 : cores > MAX_JOBS ? MAX_JOBS : (int)cores;
    }
    if (b.to_build < jobs)
        jobs = b.to_build > 0 ? b.to_build : 1;
    int by_files = jobs_by_files();
    if (jobs > by_files) {
        dp_note(d, NULL, 0, "%d jobs at once: the limit on open files allows no more",
                by_files);
        jobs = by_files;
    }
    DP_TRY(run_workers(&b, jobs));

    for (size_t i = 0; i < b.n; i++)
        r->not_started += !b.jobs[i].finished;
    r->interrupted = got_signal;
    r->failed += unreadable;
    write_manifest(&b);
done:
    bar_clear(&b);
    if (handlers) {
        sigaction(SIGINT, &old_int, NULL);
        sigaction(SIGTERM, &old_term, NULL);
    }
    if (b.journal_fd >= 0)
        close(b.journal_fd);
    if (b.report) {
        /* the report is complete: it replaces an older one only now */
        const char *why;
        int bad = fclose(b.report) != 0;
        b.report_out.fd = -1;
        if (bad || status < 0)
            dp_file_out_abort(&b.report_out);
        else if (dp_file_out_commit(&b.report_out, &why) != DP_OK)
            bad = 1;
        if (bad && status == DP_OK)
            dp_warn(d, opts->report_path, 0, "writing the report failed: %s",
                    strerror(errno));
    }
    for (size_t i = 0; i < b.n; i++) {
        free(b.jobs[i].rel);
        free(b.jobs[i].out_rel);
        free(b.jobs[i].in_path);
        free(b.jobs[i].out_path);
        free(b.jobs[i].error);
    }
    free(b.jobs);
    free(dup);
    dp_batch_free_list(rels, nrels);
    manifest_dispose(&b.old);
    free(b.manifest_path);
    free(b.journal_path);
    free(b.input_real);
    free(outdir);
    r->seconds = (now_ms() - b.t0) / 1e3;
    return status;
}
