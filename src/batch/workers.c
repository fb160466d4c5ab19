/*
 * The batch's worker pool: up to `jobs` worker processes, each building
 * one file after another; a watchdog for a file over its time; signal
 * handling; and each file's one-record answer.
 *
 * Workers fork from a parent that has loaded the style, the fonts and the
 * grammar once (dp_warm), and stay for many files: a file then pays only
 * for its own work, not for a new process's first touches of memory and
 * the libraries' first-use tables, which cost as much as the build itself.
 *
 * A crash in our code (SIGSEGV, abort) still fails only its file. The
 * parent and a worker talk over a socket pair of records (SOCK_SEQPACKET:
 * a record arrives whole or not at all): a job number one way, the
 * file's result the other. A socket that closes without a result is a
 * crash; when the worker had built other files first, the file is built
 * once more in a fresh worker, so that harm left by an earlier file is
 * never blamed on it. A worker whose file failed, or that has built
 * WORKER_FILES files, is replaced: error paths are the least-run code,
 * and a heap should not grow without end.
 *
 * Testing aids (dp_batch_options version 4): a worker whose input path
 * contains test_crash_on calls abort() instead of building, so tests can
 * check crash isolation; with test_hang_on, it sleeps for ever instead,
 * so tests can check the watchdog (--timeout).
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
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/resource.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <sys/types.h>
#include <sys/wait.h>
#include <unistd.h>
#ifdef __linux__
#include <sys/prctl.h>
#endif

#include "base/file.h"


/* The record a worker sends for a file, followed by err_len bytes. */
typedef struct worker_msg {
    int status; /* dp_batch_status */
    int pages;
    long long bytes;
    int warnings;
    int input_bad; /* the failure is the input's: an older PDF goes */
    int err_len;
} worker_msg;

#define MSG_MAX 4096 /* one record, well under a socket's buffer */

/* Files a worker builds before it is replaced. */
#define WORKER_FILES 200

typedef struct slot {
    pid_t pid;    /* the worker; 0 when there is none */
    int fd;       /* the parent's end of its socket pair */
    int busy;     /* building job */
    size_t job;
    int built;    /* files it has answered for */
    double start; /* when job was sent */
    int killed;    /* 1: by a second signal; 2: the batch failed */
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

/* Builds job j in this worker and writes its record into msg; returns
 * the record's length. */
static size_t build_one(batch *b, job *j, char msg[MSG_MAX])
{
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
    char *err = msg + sizeof m;
    size_t err_room = MSG_MAX - sizeof m;
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
    dp_context_free(ctx);
    memcpy(msg, &m, sizeof m);
    return sizeof m + (size_t)m.err_len;
}

/* Runs in the forked worker: builds each job the parent sends until the
 * parent closes its end; never returns. */
static void worker(batch *b, int fd)
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
    for (;;) {
        size_t i;
        ssize_t n = recv(fd, &i, sizeof i, 0);
        if (n < 0 && errno == EINTR)
            continue;
        if (n == 0)
            _exit(0); /* no more files */
        if (n != (ssize_t)sizeof i || i >= b->n)
            _exit(6);
        char msg[MSG_MAX];
        size_t len = build_one(b, &b->jobs[i], msg);
        if (send(fd, msg, len, MSG_NOSIGNAL) != (ssize_t)len)
            _exit(5);
    }
}

/* Forks a worker for slot s; 0, or -1 with errno set. */
static int spawn(batch *b, slot *s)
{
    int sv[2];
    if (socketpair(AF_UNIX, SOCK_SEQPACKET, 0, sv) != 0)
        return -1;
    /* nothing buffered may be written twice by the worker */
    fflush(NULL);
    pid_t pid = fork();
    if (pid < 0) {
        int e = errno;
        close(sv[0]);
        close(sv[1]);
        errno = e;
        return -1;
    }
    if (pid == 0) {
        close(sv[0]);
        worker(b, sv[1]);
    }
    close(sv[1]);
    memset(s, 0, sizeof *s);
    s->pid = pid;
    s->fd = sv[0];
    return 0;
}

/* Waits for the worker of s to end; its exit status. */
static int wait_worker(slot *s)
{
    int wst = 0;
    while (waitpid(s->pid, &wst, 0) < 0 && errno == EINTR) {
    }
    close(s->fd);
    s->pid = 0;
    s->fd = -1;
    s->busy = 0;
    return wst;
}

/* Ends the idle worker of s: it reads the closed socket and exits. */
static void retire(slot *s)
{
    if (!s->pid)
        return;
    shutdown(s->fd, SHUT_RDWR);
    wait_worker(s);
}

/* Sends job i to the worker of s, forking one first when s has none.
 * 0 when started; -1 when it failed before a worker took it (already
 * reported); 1 when out of descriptors or processes for now and
 * may_wait: start it again when a worker ends. */
static int start_job(batch *b, slot *s, size_t i, int may_wait)
{
    job *j = &b->jobs[i];
    char *dirpath = strdup(j->out_path);
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
    /* an idle worker that has died (killed from outside) is replaced */
    for (int attempt = 0; attempt < 2; attempt++) {
        if (!s->pid && spawn(b, s) != 0)
            break;
        if (send(s->fd, &i, sizeof i, MSG_NOSIGNAL) == (ssize_t)sizeof i) {
            s->busy = 1;
            s->job = i;
            s->start = dp_batch_now_ms();
            s->killed = 0;
            s->timed_out = 0;
            return 0;
        }
        int e = errno;
        kill(s->pid, SIGKILL);
        wait_worker(s);
        errno = e;
    }
    int busy = errno == EMFILE || errno == ENFILE || errno == EAGAIN;
    if (busy && may_wait)
        return 1;
    char e[256];
    snprintf(e, sizeof e, "%s: error: cannot start a worker: %s", j->in_path, strerror(errno));
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

/* The worker of s answered for its file with the len bytes of buf. */
static void answer(batch *b, slot *s, const char *buf, size_t len)
{
    job *j = &b->jobs[s->job];
    double ms = dp_batch_now_ms() - s->start;
    worker_msg m;
    memcpy(&m, buf, sizeof m);
    if (m.err_len > 0 && sizeof m + (size_t)m.err_len <= len) {
        j->error = malloc((size_t)m.err_len + 1);
        if (j->error) {
            memcpy(j->error, buf + sizeof m, (size_t)m.err_len);
            j->error[m.err_len] = '\0';
        }
    }
    j->pages = m.pages;
    j->bytes = m.bytes;
    int ok = m.status == DP_BATCH_OK;
    /* An older PDF goes only when its input is invalid or gone; one
     * that could not be replaced (a full disk) stays, and the
     * manifest no longer vouches for it, so it is rebuilt next time. */
    if (!ok && (m.input_bad || input_gone(j)))
        remove_old_pdf(j);
    s->busy = 0;
    s->built++;
    if (!ok || s->built >= WORKER_FILES)
        retire(s);
    dp_batch_finish_job(b, j, ok ? DP_BATCH_OK : DP_BATCH_FAILED, ms, m.warnings);
}

/* The worker of s ended without answering for its file. Returns 1 when
 * the file is to be built again in a fresh worker (the worker had built
 * others first, so the crash may be theirs), else records it: 0. */
static int lost(batch *b, slot *s)
{
    job *j = &b->jobs[s->job];
    pid_t pid = s->pid;
    int built = s->built, timed_out = s->timed_out, killed = s->killed;
    int wst = wait_worker(s);
    double ms = dp_batch_now_ms() - s->start;
    /* a worker that did not finish can leave its temporary files */
    dp_batch_remove_worker_tmps(j->out_path, pid);
    if (!timed_out && !killed && built > 0 && !j->retried && !dp_batch_got_signal) {
        j->retried = 1;
        return 1;
    }
    char e[512];
    dp_batch_status st = DP_BATCH_CRASHED;
    if (timed_out) {
        snprintf(e, sizeof e, "%s: error: stopped after %.0f s (the limit; see --timeout)",
                 j->in_path, b->timeout_ms / 1e3);
        st = DP_BATCH_TIMEOUT;
    } else if (killed) {
        snprintf(e, sizeof e, "%s: error: stopped by %s", j->in_path,
                 killed == 2 ? "a failure of the batch" : "a second signal");
        st = DP_BATCH_FAILED;
    } else if (WIFSIGNALED(wst)) {
        snprintf(e, sizeof e, "%s: error: the worker crashed: signal %d (%s)", j->in_path,
                 WTERMSIG(wst), strsignal(WTERMSIG(wst)));
    } else {
        snprintf(e, sizeof e, "%s: error: the worker exited with status %d and no result",
                 j->in_path, WIFEXITED(wst) ? WEXITSTATUS(wst) : -1);
    }
    /* a crash is the input's doing: its older PDF goes; a file that was
     * only slow or stopped keeps it */
    if (st == DP_BATCH_CRASHED || input_gone(j))
        remove_old_pdf(j);
    j->error = strdup(e);
    dp_batch_finish_job(b, j, st, ms, 0);
    return 0;
}

/* Keeps up to `jobs` workers busy until every job to build is done or a
 * signal / --fail-fast stops new starts, then retires the workers. One
 * loop of four steps (start, second signal, watchdog, poll and answer),
 * kept whole so that their order reads in one place. */
dp_status dp_batch_run_workers(batch *b, int jobs)
{
    slot *slots = calloc((size_t)jobs, sizeof *slots);
    struct pollfd *pfd = calloc((size_t)jobs, sizeof *pfd);
    int *pslot = calloc((size_t)jobs, sizeof *pslot);
    /* files to build again in a fresh worker: at most one per slot */
    size_t *again = calloc((size_t)jobs, sizeof *again);
    size_t nagain = 0;
    dp_status status = DP_OK;
    if (!slots || !pfd || !pslot || !again) {
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
            slot *s = &slots[k];
            if (s->busy)
                continue;
            size_t i;
            int retry = nagain > 0;
            if (retry) {
                i = again[--nagain];
                retire(s); /* a crash is retried in a fresh worker */
            } else {
                while (next < b->n && b->jobs[next].finished)
                    next++;
                if (next >= b->n)
                    break;
                i = next++;
            }
            int started = start_job(b, s, i, inflight > 0);
            if (started == 1) {
                /* no descriptor or process left: wait for a worker */
                if (retry)
                    again[nagain++] = i;
                else
                    next = i;
                break;
            }
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
                if (slots[k].busy) {
                    kill(slots[k].pid, SIGKILL);
                    slots[k].killed = 1;
                }
            killed = 1;
        }
        /* the watchdog: a worker over its time is killed; its socket then
         * closes and its file is reported as "timeout" */
        double now = dp_batch_now_ms(), wait_ms = 1000;
        for (int k = 0; k < jobs; k++) {
            slot *s = &slots[k];
            if (!s->busy || s->timed_out || s->killed)
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
            if (!slots[k].busy)
                continue;
            pfd[np].fd = slots[k].fd;
            pfd[np].events = POLLIN;
            pfd[np].revents = 0;
            pslot[np++] = k;
        }
        int rc = poll(pfd, (nfds_t)np, (int)wait_ms);
        if (rc < 0 && errno != EINTR) {
            status = DP_EIO;
            dp_error(b->d, NULL, 0, "waiting for workers failed: %s", strerror(errno));
            goto done;
        }
        for (int p = 0; p < np && rc > 0; p++) {
            if (!pfd[p].revents)
                continue;
            slot *s = &slots[pslot[p]];
            char buf[MSG_MAX];
            ssize_t n = recv(s->fd, buf, sizeof buf, MSG_DONTWAIT);
            if (n < 0 && (errno == EINTR || errno == EAGAIN))
                continue;
            inflight--;
            if (n >= (ssize_t)sizeof(worker_msg) && !s->timed_out && !s->killed)
                answer(b, s, buf, (size_t)n);
            else if (lost(b, s))
                again[nagain++] = s->job;
        }
    }
done:
    for (int k = 0; slots && k < jobs; k++) {
        if (slots[k].busy) {
            /* the batch cannot go on: leave no worker behind */
            kill(slots[k].pid, SIGKILL);
            slots[k].killed = 2;
            lost(b, &slots[k]);
        }
        retire(&slots[k]);
    }
    free(slots);
    free(pfd);
    free(pslot);
    free(again);
    return status;
}
