/*
 * digestpdf watch: build, then build again whenever a file the build read
 * (the digest, its style, its images) is saved. The folders holding those
 * files are watched with inotify, so editors that save by writing a new
 * file and renaming it over the old one are seen too. A failed build
 * prints its errors and leaves the last good PDF in place (dp_build never
 * replaces it with anything but a complete file).
 */
#define _GNU_SOURCE /* signalfd, ppoll helpers */
#include <errno.h>
#include <limits.h>
#include <poll.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/inotify.h>
#include <sys/signalfd.h>
#include <time.h>
#include <unistd.h>

#include "cli.h"
#include "locate.h"

enum { MAX_DEPS = 256, DEBOUNCE_MS = 30 };

/* A file to watch: the watch on its folder and its name there. */
typedef struct dep {
    int wd;
    char dir[PATH_MAX];
    char name[NAME_MAX + 1];
} dep;

typedef struct watcher {
    int ifd;
    dep deps[MAX_DEPS];
    int n;
    int overflow;
} watcher;

static void split(const char *path, char *dir, char *name)
{
    const char *slash = strrchr(path, '/');
    if (!slash) {
        snprintf(dir, PATH_MAX, ".");
        snprintf(name, NAME_MAX + 1, "%s", path);
    } else {
        int len = (int)(slash - path);
        snprintf(dir, PATH_MAX, "%.*s", len ? len : 1, path);
        snprintf(name, NAME_MAX + 1, "%s", slash + 1);
    }
}

/* on_read: every file the build reads becomes a dependency. */
static void add_dep(void *user, const char *path)
{
    watcher *w = user;
    if (w->n >= MAX_DEPS) {
        w->overflow = 1;
        return;
    }
    dep *d = &w->deps[w->n];
    split(path, d->dir, d->name);
    for (int i = 0; i < w->n; i++)
        if (!strcmp(w->deps[i].dir, d->dir) && !strcmp(w->deps[i].name, d->name))
            return;
    d->wd = -1;
    w->n++;
}

/* Watches the folder of every dependency. Returns 0, or -1 after saying
 * which folder cannot be watched. */
static int arm(watcher *w)
{
    for (int i = 0; i < w->n; i++) {
        dep *d = &w->deps[i];
        d->wd = inotify_add_watch(w->ifd, d->dir,
                                  IN_CLOSE_WRITE | IN_MOVED_TO | IN_CREATE | IN_DELETE |
                                      IN_MOVED_FROM | IN_ATTRIB | IN_ONLYDIR);
        if (d->wd < 0) {
            cli_error("watch: cannot watch the folder %s: %s", d->dir,
                    strerror(errno));
            return -1;
        }
    }
    return 0;
}

/* Reads pending events; 1 when one of them names a dependency. */
static int relevant(watcher *w)
{
    char buf[16384] __attribute__((aligned(__alignof__(struct inotify_event))));
    int hit = 0;
    for (;;) {
        ssize_t len = read(w->ifd, buf, sizeof buf);
        if (len <= 0)
            break;
        for (char *p = buf; p < buf + len;) {
            const struct inotify_event *e = (const struct inotify_event *)p;
            if (e->mask & IN_Q_OVERFLOW)
                hit = 1;
            for (int i = 0; i < w->n && e->len; i++)
                if (w->deps[i].wd == e->wd && !strcmp(w->deps[i].name, e->name))
                    hit = 1;
            p += sizeof *e + e->len;
        }
    }
    return hit;
}

static double now_ms(void)
{
    struct timespec t;
    clock_gettime(CLOCK_MONOTONIC, &t);
    return (double)t.tv_sec * 1e3 + (double)t.tv_nsec / 1e6;
}

static void build_once(dp_context *ctx, watcher *w, const char *input, const char *output,
                       dp_build_options *opts, int verbose)
{
    w->n = 0;
    w->overflow = 0;
    opts->on_read = add_dep;
    opts->on_read_user = w;
    dp_build_result res = {0};
    double t0 = now_ms();
    dp_status st = dp_build(ctx, input, output, opts, &res);
    print_diags(ctx, verbose);
    if (st == DP_OK)
        cli_note(output, "%d pages, built in %.0f ms", res.pages,
                now_ms() - t0);
    else
        cli_note(output, "not rebuilt (%s); the last good PDF stays", dp_status_str(st));
    if (w->overflow)
        report("warning", NULL, 0, "watch: more than %d files read; the rest are not watched",
                MAX_DEPS);
}

int cmd_watch(dp_context *ctx, int argc, char **argv)
{
    const char *input = NULL, *output = NULL;
    int verbose = 0;
    dp_build_options opts = DP_BUILD_OPTIONS_INIT;
    opts.source_date_epoch = dp_cli_source_date_epoch();
    opts.style_dirs = dp_cli_style_dirs();
    for (int i = 2; i < argc; i++) {
        const char *s = argv[i];
        int has = i + 1 < argc;
        if ((!strcmp(s, "-o") || !strcmp(s, "--output")) && has) {
            output = argv[++i];
        } else if ((!strcmp(s, "-s") || !strcmp(s, "--style")) && has) {
            opts.style_path = argv[++i];
        } else if (!strcmp(s, "--root") && has) {
            opts.root = argv[++i];
        } else if (!strcmp(s, "--max-size") && has) {
            if (!(opts.max_bytes = parse_size(argv[++i]))) {
                cli_error("--max-size %s: not a size such as 2MB", argv[i]);
                return 2;
            }
        } else if (!strcmp(s, "-v") || !strcmp(s, "--verbose")) {
            verbose = 1;
        } else if (s[0] == '-' && s[1]) {
            cli_error("watch: unknown option %s or missing value (see --help)", s);
            return 2;
        } else if (!input) {
            input = s;
        } else {
            cli_error("watch takes one INPUT");
            return 2;
        }
    }
    if (!input || !output || !strcmp(input, "-") || !strcmp(output, "-")) {
        cli_error("watch needs INPUT and -o OUTPUT.pdf (files, not -)");
        return 2;
    }

    /* Signals arrive as readable data beside inotify's, so Ctrl-C is
     * handled between builds, never inside one. */
    sigset_t mask;
    sigemptyset(&mask);
    sigaddset(&mask, SIGINT);
    sigaddset(&mask, SIGTERM);
    sigprocmask(SIG_BLOCK, &mask, NULL);
    int sfd = signalfd(-1, &mask, SFD_CLOEXEC);
    static watcher w;
    w.ifd = inotify_init1(IN_NONBLOCK | IN_CLOEXEC);
    if (sfd < 0 || w.ifd < 0) {
        cli_error("watch: %s", strerror(errno));
        return 1;
    }
    int rc = 0;
    for (;;) {
        build_once(ctx, &w, input, output, &opts, verbose);
        if (access(input, F_OK) != 0)
            cli_note(NULL, "watch: waiting for %s to appear", input);
        if (arm(&w) < 0) {
            rc = 1;
            break;
        }
        struct pollfd p[2] = {{w.ifd, POLLIN, 0}, {sfd, POLLIN, 0}};
        int changed = 0;
        while (!changed) {
            if (poll(p, 2, -1) < 0 && errno != EINTR) {
                rc = 1;
                break;
            }
            if (p[1].revents & POLLIN) {
                struct signalfd_siginfo si;
                rc = read(sfd, &si, sizeof si) == (ssize_t)sizeof si
                         ? 128 + (int)si.ssi_signo : 130;
                break;
            }
            if (p[0].revents & POLLIN)
                changed = relevant(&w);
        }
        if (!changed)
            break;
        /* one save is often several events (write, rename, attributes) */
        while (poll(p, 1, DEBOUNCE_MS) > 0)
            relevant(&w);
    }
    close(w.ifd);
    close(sfd);
    return rc;
}
