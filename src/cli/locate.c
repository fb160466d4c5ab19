#define _DEFAULT_SOURCE /* realpath, readlink */
/*
 * What the digestpdf command takes from its environment and location:
 * where its styles are, SOURCE_DATE_EPOCH, the batch's testing aids. The
 * library reads no environment and knows no install paths: the command
 * works them out here and passes them on in the options.
 */
#include "locate.h"

#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#define MAX_DIRS 4

static char dir_buf[MAX_DIRS][PATH_MAX];
static const char *dirs[MAX_DIRS + 1];
static int found;

static int is_dir(const char *path)
{
    struct stat st;
    return stat(path, &st) == 0 && S_ISDIR(st.st_mode);
}

/* Adds base + suffix when it is a folder not yet in the list. */
static void add(int *n, const char *base, const char *suffix)
{
    if (*n >= MAX_DIRS)
        return;
    int k = snprintf(dir_buf[*n], sizeof dir_buf[*n], "%s%s", base, suffix);
    char real[PATH_MAX];
    if (k < 0 || (size_t)k >= sizeof dir_buf[*n] || !is_dir(dir_buf[*n]) ||
        !realpath(dir_buf[*n], real))
        return;
    memcpy(dir_buf[*n], real, strlen(real) + 1); /* "bin/../share" said plainly */
    for (int i = 0; i < *n; i++)
        if (!strcmp(dirs[i], dir_buf[*n]))
            return;
    dirs[*n] = dir_buf[*n];
    (*n)++;
}

const char *const *dp_cli_style_dirs(void)
{
    if (found)
        return dirs;
    found = 1;
    int n = 0;
    const char *env = getenv("DIGESTPDF_STYLES");
    if (env && *env) { /* an override: only that folder */
        snprintf(dir_buf[0], sizeof dir_buf[0], "%s", env);
        dirs[n++] = dir_buf[0];
        dirs[n] = NULL;
        return dirs;
    }
    const char *xdg = getenv("XDG_CONFIG_HOME");
    const char *home = getenv("HOME");
    if (xdg && xdg[0] == '/')
        add(&n, xdg, "/digestpdf/styles");
    else if (home && *home)
        add(&n, home, "/.config/digestpdf/styles");
    /* The program's own folder: bin/ of an installed prefix, whose styles
     * are in ../share/digestpdf/styles, or a build tree, which copies
     * them to share/digestpdf/styles beside the program. */
    char exe[PATH_MAX];
    ssize_t len = readlink("/proc/self/exe", exe, sizeof exe - 1);
    if (len > 0) {
        exe[len] = '\0';
        char *slash = strrchr(exe, '/');
        if (slash) {
            *slash = '\0';
            add(&n, exe, "/../share/digestpdf/styles");
            add(&n, exe, "/share/digestpdf/styles");
        }
    }
    dirs[n] = NULL;
    return dirs;
}

static const char *env_or_null(const char *name)
{
    const char *v = getenv(name);
    return v && *v ? v : NULL;
}

const char *dp_cli_source_date_epoch(void)
{
    return env_or_null("SOURCE_DATE_EPOCH");
}

const char *dp_cli_test_crash_on(void)
{
    return env_or_null("DP_BATCH_TEST_CRASH");
}

const char *dp_cli_test_hang_on(void)
{
    return env_or_null("DP_BATCH_TEST_HANG");
}
