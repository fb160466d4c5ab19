/*
 * The batch's fork pool: one worker process per file, at most `jobs` at
 * once, a watchdog for workers over their time, signal handling, and
 * reaping each worker's one-record answer from its pipe.
 *
 * Each file is built in a forked worker so that a crash in our code
 * (SIGSEGV, abort) only fails that file. A worker sends its result to
 * the parent through a pipe as one write of at most PIPE_BUF bytes, so
 * the parent sees either the whole record or none (then: "crashed").
 * Workers fork from a parent that has loaded the style, the fonts and the
 * grammar once (dp_warm), so each pays only for its own file.
 *
 * Testing aids: when the environment variable DP_BATCH_TEST_CRASH is set
 * and non-empty, a worker whose input path contains its value calls
 * abort() instead of building, so tests can check crash isolation; with
 * DP_BATCH_TEST_HANG, such a worker sleeps for ever instead, so tests can
 * check the watchdog (--timeout).
 */
// NOLINTNEXTLINE(bugprone-reserved-identifier,cert-dcl37-c,cert-dcl51-cpp): the feature-test macro glibc defines for realpath, strndup and kill
#define _DEFAULT_SOURCE
#include "batch/internal.h"

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
#include <unistd.h>
#ifdef __linux__
#include <sys/prctl.h>
#endif

#include "base/file.h"


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

volatile sig_atomic_t dp_batch_got_signal;
volatile sig_atomic_t dp_batch_signal_count;

void dp_batch_on_signal(int sig)
{
    dp_batch_got_signal = sig;
    dp_batch_signal_count++;
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
/* The options each worker builds with; the warm start is made for them. */
void dp_batch_build_options(const batch *b, dp_build_options *bo)
{
    dp_build_options init = DP_BUILD_OPTIONS_INIT;
    *bo = init;
    bo->style_path = b->o->style_path;
    bo->threads = 1; /* -j N uses N cores: one thread per worker */
    if (b->o->version >= 2) {
        bo->root = b->o->root;
        bo->pdf_standard = b->o->pdf_standard;
        /* a style given by name is looked for where dp_batch found it */
        bo->style_dirs = b->o->style_dirs;
    }
    if (b->o->version >= 4)
        bo->source_date_epoch = b->o->source_date_epoch;
}

/* Counts the warnings of a worker's build into m and writes its first
 * error into err as "FILE:LINE: error: message" (naming the PDF, not the
 * temporary part it was written to). */
static void first_error(dp_context *ctx, const job *j, const char *part, dp_status st,
                        worker_msg *m, char *err, size_t err_room)
{
    for (size_t i = 0; i < dp_diag_count(ctx); i++) {
        const dp_diag *g = dp_diag_at(ctx, i);
        if (g->severity == DP_DIAG_WARNING)
            m->warnings++;
        else if (g->severity == DP_DIAG_ERROR && m->err_len == 0) {
            int n;
            /* output errors name the PDF, not its temporary name */
            const char *file = g->file && *part && strcmp(g->file, part) == 0 ? j->out_path
                                                                               : g->file;
            /* an error in the input itself (not in writing, the style or
             * the fonts): the older PDF no longer stands for it */
            if (g->file && strcmp(g->file, j->in_path) == 0)
                m->input_bad = 1;
            if (file && g->line > 0)
                n = snprintf(err, err_room, "%s:%ld: error: %s", file, g->line, g->message);
            else if (file)
                n = snprintf(err, err_room, "%s: error: %s", file, g->message);
            else
                n = snprintf(err, err_room, "%s: error: %s", j->in_path, g->message);
            m->err_len = n < 0 ? 0 : (size_t)n >= err_room ? (int)err_room - 1 : n;
        }
    }
    if (st != DP_OK && m->err_len == 0) {
        int n = snprintf(err, err_room, "%s: error: %s", j->in_path, dp_status_str(st));
        m->err_len = n < 0 ? 0 : (size_t)n >= err_room ? (int)err_room - 1 : n;
    }
}

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
    const char *crash = b->o->version >= 4 ? b->o->test_crash_on : NULL;
    if (crash && *crash && strstr(j->in_path, crash)) {
        struct rlimit no_core = {0, 0};
        setrlimit(RLIMIT_CORE, &no_core);
        abort();
    }
    const char *hang = b->o->version >= 4 ? b->o->test_hang_on : NULL;
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
    dp_build_options bo;
    dp_batch_build_options(b, &bo);
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
        st = b->warm ? dp_build_warm(ctx, b->warm, j->in_path, part, &bo, &res)
                     : dp_build(ctx, j->in_path, part, &bo, &res);
        if (st == DP_OK && dp_file_out_commit(&out, &why) != DP_OK) {
            dp_error(dp_context_diags(ctx), j->out_path, 0,
                     "cannot move the finished PDF into place: %s", strerror(errno));
            st = DP_EIO;
        } else if (st != DP_OK) {
            dp_file_out_abort(&out);
        }
    }
    if (st == DP_OK && j->hashed && b->journal_fd >= 0 && dp_batch_recordable(j->rel) &&
        dp_batch_recordable(j->out_rel)) {
        char line[PATH_MAX * 2 + 512];
        entry e;
        job done = *j;
        done.pages = res.pages;
        done.bytes = (long long)res.bytes;
        dp_batch_set_entry(b, &done, &e);
        int n = dp_batch_format_entry(line, sizeof line, &e);
        if (n > 0 && (size_t)n < sizeof line) {
            ssize_t w = write(b->journal_fd, line, (size_t)n);
            (void)w; /* a lost line only means a rebuild next time */
        }
    }

    m.status = st == DP_OK ? DP_BATCH_OK : DP_BATCH_FAILED;
    m.pages = res.pages;
    m.bytes = (long long)res.bytes;
    first_error(ctx, j, part, st, &m, err, err_room);
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
    if (!dirpath || dp_batch_make_dirs(dirpath, 1) != 0) {
        char e[512];
        snprintf(e, sizeof e, "%s: error: cannot create the output folder: %s",
                 j->out_path, dirpath ? strerror(errno) : "out of memory");
        free(dirpath);
        j->error = strdup(e);
        dp_batch_finish_job(b, j, DP_BATCH_FAILED, 0, 0);
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
    s->start = dp_batch_now_ms();
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
    dp_batch_finish_job(b, j, DP_BATCH_FAILED, 0, 0);
    return -1;
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
    double ms = dp_batch_now_ms() - s->start;
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
        dp_batch_finish_job(b, j, ok ? DP_BATCH_OK : DP_BATCH_FAILED, ms, warnings);
    } else {
        /* a worker that did not finish can leave its temporary files */
        dp_batch_remove_worker_tmps(j->out_path, s->pid);
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
        dp_batch_finish_job(b, j, st, ms, 0);
    }
    s->pid = 0;
    s->fd = -1;
}

/* Keeps up to `jobs` workers busy until every job to build is done or a
 * signal / --fail-fast stops new starts. One loop of four steps (start,
 * second signal, watchdog, poll and reap), kept whole so that their
 * order reads in one place. */
dp_status dp_batch_run_workers(batch *b, int jobs)
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
    b->build_t0 = dp_batch_now_ms();
    for (;;) {
        int stop = dp_batch_got_signal != 0 || (b->o->fail_fast && b->failed_seen);
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
            stop = dp_batch_got_signal != 0 || (b->o->fail_fast && b->failed_seen);
        }
        if (inflight == 0)
            break;
        if (dp_batch_signal_count >= 2 && !killed) {
            for (int k = 0; k < jobs; k++)
                if (slots[k].pid) {
                    kill(slots[k].pid, SIGKILL);
                    slots[k].killed = 1;
                }
            killed = 1;
        }
        /* the watchdog: a worker over its time is killed; its pipe then
         * closes and reap reports the file as "timeout" */
        double now = dp_batch_now_ms(), wait_ms = 1000;
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
