/* The batch's progress bar: "[####......] 12/40 files, 1 failed, 0:07
 * elapsed, ~0:16 left", redrawn in place on standard error. */
// NOLINTNEXTLINE(bugprone-reserved-identifier,cert-dcl37-c,cert-dcl51-cpp): the feature-test macro glibc defines for clock_gettime
#define _DEFAULT_SOURCE
#include "progress.h"

#include <stdio.h>
#include <time.h>

static double now_ms(void)
{
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return (double)ts.tv_sec * 1e3 + (double)ts.tv_nsec / 1e6;
}

static void fmt_clock(char *buf, size_t size, double seconds)
{
    long s = (long)(seconds + 0.5);
    if (s >= 3600)
        snprintf(buf, size, "%ld:%02ld:%02ld", s / 3600, s / 60 % 60, s % 60);
    else
        snprintf(buf, size, "%ld:%02ld", s / 60, s % 60);
}

void cli_progress_clear(cli_progress *p)
{
    if (p->shown) {
        fputs("\r\033[K", stderr);
        p->shown = 0;
    }
}

void cli_progress_draw(cli_progress *p, const dp_batch_file *f, int force)
{
    if (!p->on)
        return;
    double t = now_ms();
    if (!force && p->shown && t - p->last < 100)
        return;
    p->last = t;
    char bar[21], el[64], eta[64];
    int fill = f->total ? (int)((long long)f->done * 20 / f->total) : 20;
    for (int i = 0; i < 20; i++)
        bar[i] = i < fill ? '#' : '.';
    bar[20] = '\0';
    fmt_clock(el, sizeof el, f->elapsed);
    if (f->left >= 0)
        fmt_clock(eta, sizeof eta, f->left);
    else
        snprintf(eta, sizeof eta, "?");
    fprintf(stderr, "\r[%s] %d/%d files, %d failed, %s elapsed, ~%s left\033[K", bar,
            f->done, f->total, f->failed, el, eta);
    fflush(stderr);
    p->shown = 1;
}
