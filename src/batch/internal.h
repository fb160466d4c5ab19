/*
 * What the files of the batch share: the run's state (batch), its jobs,
 * the manifest's entries, and the functions each file offers the others.
 *
 *   walk.c      input tree, names, hashes, folders, stale temporaries
 *   manifest.c  what each PDF was built from; up-to-date checks
 *   workers.c   the worker pool, the watchdog, signals
 *   report.c    the JSON Lines report, counts, the per-file callback
 *   batch.c     dp_batch: options, environment, the run in order
 */
#ifndef DP_BATCH_INTERNAL_H
#define DP_BATCH_INTERNAL_H

#include <signal.h>
#include <stdio.h>
#include <sys/types.h>

#include "batch/batch.h"
#include "base/file.h"
#include "context.h"

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

typedef struct job {
    char *rel, *out_rel;
    char *in_path, *out_path;
    char hash[65];
    int hashed;
    int finished;
    int retried; /* built again after its worker crashed */
    dp_batch_status status;
    int pages;
    long long bytes;
    char *error; /* set before running: fails without a worker */
} job;

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
    double t0, build_t0; /* start of the batch, of the first worker */
    int to_build, built, failed_seen;
    dp_warm *warm; /* style, fonts, grammar loaded before the fork; or NULL */
} batch;

/* ---- walk.c ---- */

/* Hashes a regular file's content; -1 (errno set) when it cannot be read
 * as one, in which case the worker reports the problem. */
int dp_batch_hash_file(const char *path, char hex[65]);
/* "a" + "/" + "b", malloc'd; NULL when out of memory. */
char *dp_batch_join(const char *a, const char *b);
/* A monotonic clock in milliseconds. */
double dp_batch_now_ms(void);
/* mkdir -p for the folder that will hold path (path itself excluded when
 * leaf_is_file); -1 with errno set on failure. */
int dp_batch_make_dirs(char *path, int leaf_is_file);
/* Removes the temporaries a worker with pid left beside out_path. */
void dp_batch_remove_worker_tmps(const char *out_path, pid_t pid);
/* Removes temporaries of this run's outputs that no live process owns. */
void dp_batch_clean_stale(batch *b, const char *manifest_name);

/* ---- manifest.c ---- */

void dp_batch_manifest_dispose(manifest *m);
/* A path is recorded only if it cannot break the line format. */
int dp_batch_recordable(const char *rel);
/* One manifest line for e into buf; the snprintf count. */
int dp_batch_format_entry(char *buf, size_t size, const entry *e);
/* Sorts m for dp_batch_manifest_find; the latest line of a PDF wins. */
void dp_batch_manifest_index(manifest *m);
entry *dp_batch_manifest_find(manifest *m, const char *output_rel);
/* Reads the manifest at path (a missing one is empty), then the journal
 * through fd, into m. */
dp_status dp_batch_manifest_read(manifest *m, const char *path);
dp_status dp_batch_journal_read(manifest *m, int fd);
/* The entry for job j as built in this run. */
void dp_batch_set_entry(const batch *b, const job *j, entry *e);
/* Writes the compacted manifest (temp + rename) and drops the journal. */
void dp_batch_manifest_write(batch *b);
/* Whether j's PDF was built from the same input, style, fonts, date and
 * version (then it is skipped). */
int dp_batch_up_to_date(batch *b, job *j);

/* ---- workers.c ---- */

/* Set by the SIGINT/SIGTERM handler dp_batch_on_signal. */
extern volatile sig_atomic_t dp_batch_got_signal;
extern volatile sig_atomic_t dp_batch_signal_count;
void dp_batch_on_signal(int sig);
/* The options each worker builds with; the warm start is made for them. */
void dp_batch_build_options(const batch *b, dp_build_options *bo);
/* Runs every unfinished job, at most `jobs` workers at once. */
dp_status dp_batch_run_workers(batch *b, int jobs);

/* ---- report.c ---- */

/* Counts j as finished with st, writes its report line and calls the
 * caller's on_file. */
void dp_batch_finish_job(batch *b, job *j, dp_batch_status st, double ms, int warnings);
/* Refuses a report path that cannot be written or lies inside the input
 * folder, before the batch writes anything. */
dp_status dp_batch_check_report(dp_diags *d, const dp_batch_options *o);

#endif
