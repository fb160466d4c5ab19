/* bench: run a command N times and report wall time and peak memory.
 *
 *   bench [-n N] [-q] [--] CMD [ARGS...]
 *
 * Each run is a fork/exec with stdin from /dev/null and stdout/stderr sent
 * to /dev/null (stderr is kept with -v). Wall time is measured with
 * CLOCK_MONOTONIC around fork..wait4; peak RSS is ru_maxrss from wait4.
 * Output (one line, machine-readable):
 *   runs=N min_ms=… median_ms=… max_ms=… peak_rss_kb=…
 * Exit status: 0 if every run exited 0, 1 if any run failed, 2 on usage
 * errors or if the command could not be started.
 */
#define _POSIX_C_SOURCE 200809L
#define _DEFAULT_SOURCE
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/resource.h>
#include <sys/time.h>
#include <sys/types.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

static void usage(FILE *out)
{
    fputs("usage: bench [-n N] [-v] [--] CMD [ARGS...]\n"
          "\n"
          "Run CMD N times (default 10), sequentially, with stdin and stdout\n"
          "on /dev/null, and print the minimum, median and maximum wall time\n"
          "in milliseconds and the largest peak resident set size in KiB:\n"
          "\n"
          "  runs=N min_ms=X median_ms=X max_ms=X peak_rss_kb=K\n"
          "\n"
          "options:\n"
          "  -n N     number of runs (1..100000)\n"
          "  -v       keep the command's stderr (default: /dev/null)\n"
          "  -h, --help  show this text\n"
          "\n"
          "Exit status is 1 if any run exits non-zero or is killed by a\n"
          "signal (the first failure is reported on stderr), 2 on usage\n"
          "errors or if CMD cannot be executed.\n",
          out);
}

static double now_ms(void)
{
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return (double)ts.tv_sec * 1e3 + (double)ts.tv_nsec / 1e6;
}

static int cmp_double(const void *a, const void *b)
{
    double x = *(const double *)a, y = *(const double *)b;
    return (x > y) - (x < y);
}

int main(int argc, char **argv)
{
    long runs = 10;
    int keep_stderr = 0;
    int i = 1;

    for (; i < argc; i++) {
        const char *a = argv[i];
        if (strcmp(a, "-h") == 0 || strcmp(a, "--help") == 0) {
            usage(stdout);
            return 0;
        } else if (strcmp(a, "-n") == 0) {
            char *end;
            if (i + 1 >= argc) {
                fputs("bench: -n needs a number\n", stderr);
                return 2;
            }
            errno = 0;
            runs = strtol(argv[++i], &end, 10);
            if (errno || *end || runs < 1 || runs > 100000) {
                fprintf(stderr, "bench: bad run count '%s'\n", argv[i]);
                return 2;
            }
        } else if (strcmp(a, "-v") == 0) {
            keep_stderr = 1;
        } else if (strcmp(a, "--") == 0) {
            i++;
            break;
        } else if (a[0] == '-' && a[1] != '\0') {
            fprintf(stderr, "bench: unknown option '%s'\n", a);
            usage(stderr);
            return 2;
        } else {
            break;
        }
    }
    if (i >= argc) {
        usage(stderr);
        return 2;
    }
    char **cmd = argv + i;

    double *times = malloc((size_t)runs * sizeof *times);
    if (!times) {
        perror("bench");
        return 2;
    }
    long peak_kb = 0;
    int failed = 0;

    for (long r = 0; r < runs; r++) {
        int errpipe[2];
        if (pipe(errpipe) != 0) {
            perror("bench: pipe");
            return 2;
        }
        fcntl(errpipe[1], F_SETFD, FD_CLOEXEC);
        fflush(NULL);
        double t0 = now_ms();
        pid_t pid = fork();
        if (pid < 0) {
            perror("bench: fork");
            return 2;
        }
        if (pid == 0) {
            close(errpipe[0]);
            int null = open("/dev/null", O_RDWR);
            if (null >= 0) {
                dup2(null, 0);
                dup2(null, 1);
                if (!keep_stderr)
                    dup2(null, 2);
                if (null > 2)
                    close(null);
            }
            execvp(cmd[0], cmd);
            int e = errno;
            ssize_t w = write(errpipe[1], &e, sizeof e);
            (void)w;
            _exit(127);
        }
        close(errpipe[1]);
        int status;
        struct rusage ru;
        memset(&ru, 0, sizeof ru);
        while (wait4(pid, &status, 0, &ru) < 0) {
            if (errno != EINTR) {
                perror("bench: wait4");
                return 2;
            }
        }
        double t1 = now_ms();
        int exec_errno;
        ssize_t got = read(errpipe[0], &exec_errno, sizeof exec_errno);
        close(errpipe[0]);
        if (got == (ssize_t)sizeof exec_errno) {
            fprintf(stderr, "bench: cannot execute '%s': %s\n", cmd[0],
                    strerror(exec_errno));
            free(times);
            return 2;
        }
        times[r] = t1 - t0;
        if (ru.ru_maxrss > peak_kb)
            peak_kb = ru.ru_maxrss; /* KiB on Linux */
        if (WIFEXITED(status) && WEXITSTATUS(status) != 0) {
            if (!failed)
                fprintf(stderr, "bench: run %ld: '%s' exited with status %d\n",
                        r + 1, cmd[0], WEXITSTATUS(status));
            failed = 1;
        } else if (WIFSIGNALED(status)) {
            if (!failed)
                fprintf(stderr, "bench: run %ld: '%s' killed by signal %d\n",
                        r + 1, cmd[0], WTERMSIG(status));
            failed = 1;
        }
    }

    qsort(times, (size_t)runs, sizeof *times, cmp_double);
    double median = (runs % 2) ? times[runs / 2]
                               : (times[runs / 2 - 1] + times[runs / 2]) / 2.0;
    printf("runs=%ld min_ms=%.2f median_ms=%.2f max_ms=%.2f peak_rss_kb=%ld\n",
           runs, times[0], median, times[runs - 1], peak_kb);
    free(times);
    return failed ? 1 : 0;
}
