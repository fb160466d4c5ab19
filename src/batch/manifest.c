/*
 * The batch manifest: what each PDF was built from (input hash, style,
 * fonts, date, version), read with its journal at the start, consulted
 * to skip up-to-date files, and rewritten atomically at the end.
 *
 * Format: a magic line, then one line per PDF of tab-separated fields
 * (see format_entry). The journal beside it holds lines of the same form
 * that workers appended as they finished.
 */
// NOLINTNEXTLINE(bugprone-reserved-identifier,cert-dcl37-c,cert-dcl51-cpp): the feature-test macro glibc defines for realpath, strndup and kill
#define _DEFAULT_SOURCE
#include "batch/internal.h"

#include <sys/stat.h>
#include <errno.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "base/file.h"

#define MANIFEST_MAGIC "digestpdf-manifest 1"


void dp_batch_manifest_dispose(manifest *m)
{
    for (size_t i = 0; i < m->n; i++) {
        free(m->items[i].input_rel);
        free(m->items[i].output_rel);
    }
    free(m->items);
    memset(m, 0, sizeof *m);
}

/* A path is recorded only if it cannot break the line format. */
int dp_batch_recordable(const char *rel)
{
    return !strpbrk(rel, "\t\n\r");
}

int dp_batch_format_entry(char *buf, size_t size, const entry *e)
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
void dp_batch_manifest_index(manifest *m)
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

entry *dp_batch_manifest_find(manifest *m, const char *output_rel)
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
dp_status dp_batch_manifest_read(manifest *m, const char *path)
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
dp_status dp_batch_journal_read(manifest *m, int fd)
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

void dp_batch_set_entry(const batch *b, const job *j, entry *e)
{
    *e = b->env;
    memcpy(e->in, j->hash, sizeof e->in);
    e->pages = j->pages;
    e->bytes = j->bytes;
    e->input_rel = j->rel;
    e->output_rel = j->out_rel;
}

/* Writes the compacted manifest (temp + rename) and drops the journal. */
void dp_batch_manifest_write(batch *b)
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
            dp_batch_set_entry(b, j, &e);
            src = &e;
        } else if (j->status == DP_BATCH_SKIPPED || !j->finished) {
            /* up to date, or not reached: what was true stays true */
            src = dp_batch_manifest_find(&b->old, j->out_rel);
            if (src && strcmp(src->input_rel, j->rel) != 0)
                src = NULL;
        }
        if (!src || !dp_batch_recordable(j->rel) || !dp_batch_recordable(j->out_rel))
            continue;
        char line[PATH_MAX * 2 + 512];
        int k = dp_batch_format_entry(line, sizeof line, src);
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

int dp_batch_up_to_date(batch *b, job *j)
{
    if (!j->hashed || b->o->force)
        return 0;
    const entry *e = dp_batch_manifest_find(&b->old, j->out_rel);
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
