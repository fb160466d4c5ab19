/*
 * Batch conversion (dp_batch): many digests into a tree of PDFs.
 *
 *   walk + sort inputs (walk.c) → shard slice → hash, skip when up to
 *   date (manifest.c) → up to `jobs` workers, each building file after file
 *   (workers.c) → report each file (report.c) → manifest
 *
 * The manifest (.digestpdf-manifest in the output folder) is rewritten
 * atomically (temp + rename) at the end; in between, each worker appends
 * one line per finished PDF to a journal beside it, right after the PDF
 * was renamed into place, so a batch killed at any moment keeps what it
 * finished. Lines are small single write()s with O_APPEND, which do not
 * interleave. Neither is fsync'd: this protects against killed
 * processes, not against a power cut.
 */
// NOLINTNEXTLINE(bugprone-reserved-identifier,cert-dcl37-c,cert-dcl51-cpp): the feature-test macro glibc defines for realpath, strndup and kill
#define _DEFAULT_SOURCE
#include "batch/internal.h"

#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/resource.h>
#include <sys/stat.h>
#include <sys/types.h>
#include <unistd.h>

#include "base/file.h"
#include "base/sha256.h"
#include "pdf/metadata.h"
#include "style/sheet.h"

#define MAX_JOBS 1024


/* The parts of the build environment that decide whether a PDF is up to
 * date, apart from the input: style text, font files, date, version. */
static dp_status environment(batch *b)
{
    dp_status status = DP_OK;
    dp_style style;
    dp_sha256 s;
    dp_buf text;
    dp_buf_init(&text);
    dp_style_defaults(&style);
    dp_sha256_init(&s);
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
            dp_sha256_update(&s, text.data, text.len);
    } else {
        dp_sha256_update(&s, "built-in", 8);
    }
    /* the PDF standard shapes the PDF as the style does (nothing added
     * for the default, so older manifests stay valid) */
    if (b->o->version >= 2 && b->o->pdf_standard) {
        dp_sha256_update(&s, "\npdf-standard:", 14);
        dp_sha256_update(&s, b->o->pdf_standard, strlen(b->o->pdf_standard));
    }
    dp_sha256_hex(&s, b->env.style);

    const char *fonts[4 + DP_STYLE_MAX_FALLBACK];
    int nf = 0;
    fonts[nf++] = style.font_body;
    fonts[nf++] = style.font_heading;
    fonts[nf++] = style.font_latin;
    fonts[nf++] = style.font_latin_heading;
    for (int i = 0; i < style.n_fallback; i++)
        fonts[nf++] = style.font_fallback[i];
    dp_sha256_init(&s);
    for (int i = 0; i < nf; i++) {
        struct stat st;
        char sig[640];
        if (stat(fonts[i], &st) == 0)
            snprintf(sig, sizeof sig, "%s\n%lld\n%lld.%09ld\n", fonts[i],
                     (long long)st.st_size, (long long)st.st_mtim.tv_sec,
                     (long)st.st_mtim.tv_nsec);
        else
            snprintf(sig, sizeof sig, "%s\nmissing\n", fonts[i]);
        dp_sha256_update(&s, sig, strlen(sig));
    }
    dp_sha256_hex(&s, b->env.fonts);

    /* the PDF's dates come from it when set */
    const char *epoch = b->o->version >= 4 ? b->o->source_date_epoch : NULL;
    snprintf(b->env.epoch, sizeof b->env.epoch, "%s",
             epoch && *epoch && dp_batch_recordable(epoch) && !strchr(epoch, ' ') ? epoch : "-");
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

/* Creates the output folder, opens and locks the journal of this run's
 * manifest (named into manifest_name) and opens the report: everything
 * the batch writes to, before it writes anything. */
static dp_status open_output(batch *b, char *manifest_name, size_t cap)
{
    dp_status status = DP_OK;
    struct stat st;
    char *outdir = strdup(b->o->output_dir);
    DP_CHECK_ALLOC(outdir);
    if (dp_batch_make_dirs(outdir, 0) != 0) {
        dp_error(b->d, b->o->output_dir, 0, "cannot create the output folder: %s",
                 strerror(errno));
        status = DP_EIO;
        goto done;
    }
    /* one manifest per shard layout: concurrent shards never share one */
    if (b->o->shard_count)
        snprintf(manifest_name, cap, ".digestpdf-manifest-%d-of-%d",
                 b->o->shard_index, b->o->shard_count);
    else
        snprintf(manifest_name, cap, ".digestpdf-manifest");
    b->manifest_path = dp_batch_join(b->o->output_dir, manifest_name);
    DP_CHECK_ALLOC(b->manifest_path);
    b->journal_path = malloc(strlen(b->manifest_path) + 16);
    DP_CHECK_ALLOC(b->journal_path);
    sprintf(b->journal_path, "%s.journal", b->manifest_path);
    /* no link followed, no FIFO waited on */
    b->journal_fd = open(b->journal_path,
                         O_RDWR | O_CREAT | O_APPEND | O_NOFOLLOW | O_NONBLOCK, 0666);
    if (b->journal_fd >= 0 && (fstat(b->journal_fd, &st) != 0 || !S_ISREG(st.st_mode))) {
        close(b->journal_fd);
        b->journal_fd = -1;
        errno = EINVAL;
    }
    if (b->journal_fd < 0 || access(b->o->output_dir, W_OK) != 0) {
        dp_error(b->d, b->o->output_dir, 0, "cannot write to the output folder: %s",
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
    if (fcntl(b->journal_fd, F_SETLK, &lk) != 0 && (errno == EACCES || errno == EAGAIN)) {
        dp_error(b->d, b->o->output_dir, 0,
                 "another digestpdf batch is writing here (%s is locked)", manifest_name);
        status = DP_EIO;
        goto done;
    }
    if (b->o->report_path) {
        const char *why;
        status = dp_file_out_open(&b->report_out, b->o->report_path, &why);
        b->report = status == DP_OK ? fdopen(b->report_out.fd, "w") : NULL;
        if (!b->report) {
            dp_error(b->d, b->o->report_path, 0, "cannot write the report: %s",
                     status == DP_EINPUT ? why : strerror(errno));
            if (status == DP_OK)
                dp_file_out_abort(&b->report_out);
            status = DP_EIO;
            goto done;
        }
    }

done:
    free(outdir);
    return status;
}

/* The jobs of this run (this shard) from the sorted inputs; dup[i] is the
 * index of an earlier input with the same output, or (size_t)-1. */
static dp_status make_jobs(batch *b, char **rels, size_t nrels, const size_t *dup)
{
    dp_status status = DP_OK;
    b->jobs = calloc(nrels ? nrels : 1, sizeof *b->jobs);
    DP_CHECK_ALLOC(b->jobs);
    for (size_t i = 0; i < nrels; i++) {
        if (b->o->shard_count && !dp_batch_in_shard(i, b->o->shard_index, b->o->shard_count))
            continue;
        job *j = &b->jobs[b->n++];
        j->rel = strdup(rels[i]);
        j->out_rel = j->rel ? dp_batch_output_rel(j->rel) : NULL;
        j->in_path = j->rel ? dp_batch_join(b->o->input_dir, j->rel) : NULL;
        j->out_path = j->out_rel ? dp_batch_join(b->o->output_dir, j->out_rel) : NULL;
        DP_CHECK_ALLOC(j->rel && j->out_rel && j->in_path && j->out_path ? j : NULL);
        if (dup[i] != (size_t)-1) {
            /* x.xml and x.txt would both write x.pdf: the first one wins */
            char e[1024];
            char *first = dp_batch_join(b->o->input_dir, rels[dup[i]]);
            DP_CHECK_ALLOC(first);
            snprintf(e, sizeof e, "%s: error: has the same output as %s",
                     j->in_path, first);
            free(first);
            j->error = strdup(e);
        }
    }
done:
    return status;
}

/* Workers at once: -j, else the cores; no more than files to build or
 * than the limit on open files allows. */
static int worker_count(batch *b)
{
    int jobs = b->o->jobs;
    if (jobs == 0) {
        long cores = sysconf(_SC_NPROCESSORS_ONLN);
        jobs = cores < 1 ? 1 : cores > MAX_JOBS ? MAX_JOBS : (int)cores;
    }
    if (b->to_build < jobs)
        jobs = b->to_build > 0 ? b->to_build : 1;
    int by_files = jobs_by_files();
    if (jobs > by_files) {
        dp_note(b->d, NULL, 0, "%d jobs at once: the limit on open files allows no more",
                by_files);
        jobs = by_files;
    }
    return jobs;
}

/* Closes the report: it replaces an older one only now, when complete. */
static void close_report(batch *b, dp_status status)
{
    if (b->report) {
        const char *why;
        int bad = fclose(b->report) != 0;
        b->report_out.fd = -1;
        if (bad || status < 0)
            dp_file_out_abort(&b->report_out);
        else if (dp_file_out_commit(&b->report_out, &why) != DP_OK)
            bad = 1;
        if (bad && status == DP_OK)
            dp_warn(b->d, b->o->report_path, 0, "writing the report failed: %s",
                    strerror(errno));
    }
}

/* Hashes each input and finishes at once the jobs that fail before a
 * worker (same output as another) or whose PDF is up to date; counts
 * the rest in to_build. */
static void skip_up_to_date(batch *b)
{
    for (size_t i = 0; i < b->n && !dp_batch_got_signal; i++) {
        job *j = &b->jobs[i];
        if (j->error) {
            dp_batch_finish_job(b, j, DP_BATCH_FAILED, 0, 0);
            continue;
        }
        j->hashed = dp_batch_hash_file(j->in_path, j->hash) == 0;
        if (dp_batch_up_to_date(b, j))
            dp_batch_finish_job(b, j, DP_BATCH_SKIPPED, 0, 0);
        else
            b->to_build++;
    }
}

static void free_jobs(batch *b)
{
    for (size_t i = 0; i < b->n; i++) {
        free(b->jobs[i].rel);
        free(b->jobs[i].out_rel);
        free(b->jobs[i].in_path);
        free(b->jobs[i].out_path);
        free(b->jobs[i].error);
    }
    free(b->jobs);
}

/* The batch in order (options, output folder and journal, walk, jobs,
 * old manifest, signal handlers, warm start, workers, new manifest); kept
 * whole because its cleanup releases what each step made. */
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
    b.t0 = dp_batch_now_ms();
    char **rels = NULL;
    size_t nrels = 0;
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
        DP_TRY(dp_batch_check_report(d, opts));
    b.input_real = realpath(opts->input_dir, NULL);
    b.timeout_ms = 1e3 * (opts->version >= 2 && opts->timeout > 0 ? opts->timeout
                                                                  : DP_BATCH_DEFAULT_TIMEOUT);
    DP_TRY(environment(&b));

    DP_TRY(open_output(&b, manifest_name, sizeof manifest_name));

    DP_TRY(dp_batch_list_inputs(d, opts->input_dir, opts->output_dir, &rels,
                                &nrels, &unreadable));
    DP_TRY(same_output(&b, rels, nrels, &dup));
    DP_TRY(make_jobs(&b, rels, nrels, dup));
    r->total = (int)b.n;

    DP_TRY(dp_batch_manifest_read(&b.old, b.manifest_path));
    DP_TRY(dp_batch_journal_read(&b.old, b.journal_fd));
    dp_batch_manifest_index(&b.old);
    dp_batch_clean_stale(&b, manifest_name);

    dp_batch_got_signal = 0;
    dp_batch_signal_count = 0;
    struct sigaction sa;
    memset(&sa, 0, sizeof sa);
    sa.sa_handler = dp_batch_on_signal;
    sigemptyset(&sa.sa_mask);
    sigaction(SIGINT, &sa, &old_int);
    sigaction(SIGTERM, &sa, &old_term);
    handlers = 1;

    skip_up_to_date(&b);

    int jobs = worker_count(&b);
    if (b.to_build > 0) {
        /* loaded here once rather than in every worker; when it fails,
         * each worker loads (and reports) on its own as dp_build does */
        dp_build_options bo;
        dp_batch_build_options(&b, &bo);
        if (dp_warm_new(&bo, &b.warm) != DP_OK)
            b.warm = NULL;
    }
    DP_TRY(dp_batch_run_workers(&b, jobs));

    for (size_t i = 0; i < b.n; i++)
        r->not_started += !b.jobs[i].finished;
    r->interrupted = dp_batch_got_signal;
    r->failed += unreadable;
    dp_batch_manifest_write(&b);
done:
    if (handlers) {
        sigaction(SIGINT, &old_int, NULL);
        sigaction(SIGTERM, &old_term, NULL);
    }
    if (b.journal_fd >= 0)
        close(b.journal_fd);
    close_report(&b, status);
    free_jobs(&b);
    dp_warm_free(b.warm);
    free(dup);
    dp_batch_free_list(rels, nrels);
    dp_batch_manifest_dispose(&b.old);
    free(b.manifest_path);
    free(b.journal_path);
    free(b.input_real);
    r->seconds = (dp_batch_now_ms() - b.t0) / 1e3;
    return status;
}
