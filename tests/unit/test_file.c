/* Reading files named by input: regular files only, sizes from fstat,
 * no blocking on FIFOs, and the root folder rule with symbolic links. */
#include <fcntl.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include <cmocka.h>

#include "base/file.h"

static char dir[64];

static int setup(void **state)
{
    (void)state;
    strcpy(dir, "/tmp/dp-test-file-XXXXXX");
    if (!mkdtemp(dir))
        return -1;
    char p[128];
    snprintf(p, sizeof p, "%s/root", dir);
    mkdir(p, 0755);
    snprintf(p, sizeof p, "%s/root/sub", dir);
    mkdir(p, 0755);
    snprintf(p, sizeof p, "%s/root/a.txt", dir);
    FILE *f = fopen(p, "w");
    fputs("hello", f);
    fclose(f);
    snprintf(p, sizeof p, "%s/secret.txt", dir);
    f = fopen(p, "w");
    fputs("secret", f);
    fclose(f);
    char t[128];
    snprintf(p, sizeof p, "%s/root/out-link", dir);
    snprintf(t, sizeof t, "%s/secret.txt", dir);
    if (symlink(t, p) != 0)
        return -1;
    snprintf(p, sizeof p, "%s/root/sub/in-link", dir);
    if (symlink("../a.txt", p) != 0)
        return -1;
    snprintf(p, sizeof p, "%s/root/fifo", dir);
    if (mkfifo(p, 0600) != 0)
        return -1;
    return 0;
}

static int teardown(void **state)
{
    (void)state;
    char cmd[160];
    snprintf(cmd, sizeof cmd, "rm -rf '%s'", dir);
    return system(cmd) == 0 ? 0 : -1;
}

static dp_status read_in(const char *rel, const char *root_rel, size_t max,
                         dp_buf *b, const char **why)
{
    char p[160], r[160] = "";
    snprintf(p, sizeof p, "%s/%s", dir, rel);
    if (root_rel) /* (a NULL %s is undefined, and an error in optimised builds) */
        snprintf(r, sizeof r, "%s/%s", dir, root_rel);
    dp_buf_init(b);
    return dp_file_read(b, p, root_rel ? r : NULL, max, NULL, why);
}

static void test_file_reads_regular_file(void **state)
{
    (void)state;
    dp_buf b;
    const char *why = NULL;
    assert_int_equal(read_in("root/a.txt", "root", 100, &b, &why), DP_OK);
    assert_string_equal(b.data, "hello");
    dp_buf_dispose(&b);
    /* a link that stays inside the root is followed */
    assert_int_equal(read_in("root/sub/in-link", "root", 100, &b, &why), DP_OK);
    assert_string_equal(b.data, "hello");
    dp_buf_dispose(&b);
    /* the empty spelling variants name the same file */
    assert_int_equal(read_in("root/./sub/../a.txt", "root", 100, &b, &why), DP_OK);
    dp_buf_dispose(&b);
}

static void test_file_refuses_outside_root(void **state)
{
    (void)state;
    dp_buf b;
    const char *why = NULL;
    assert_int_equal(read_in("secret.txt", "root", 100, &b, &why), DP_EINPUT);
    assert_non_null(strstr(why, "outside"));
    dp_buf_dispose(&b);
    assert_int_equal(read_in("root/../secret.txt", "root", 100, &b, &why), DP_EINPUT);
    dp_buf_dispose(&b);
    /* the answer does not depend on whether the file exists */
    assert_int_equal(read_in("no-such-file", "root", 100, &b, &why), DP_EINPUT);
    assert_non_null(strstr(why, "outside"));
    dp_buf_dispose(&b);
    /* a symbolic link whose target leaves the root */
    assert_int_equal(read_in("root/out-link", "root", 100, &b, &why), DP_EINPUT);
    assert_non_null(strstr(why, "symbolic link"));
    dp_buf_dispose(&b);
    /* without a root, the same link is read */
    assert_int_equal(read_in("root/out-link", NULL, 100, &b, &why), DP_OK);
    assert_string_equal(b.data, "secret");
    dp_buf_dispose(&b);
}

static void test_file_refuses_special_files(void **state)
{
    (void)state;
    dp_buf b;
    const char *why = NULL;
    /* a FIFO with no writer would block a plain open forever */
    assert_int_equal(read_in("root/fifo", "root", 100, &b, &why), DP_EINPUT);
    assert_non_null(strstr(why, "regular"));
    dp_buf_dispose(&b);
    assert_int_equal(read_in("root/sub", "root", 100, &b, &why), DP_EINPUT);
    assert_non_null(strstr(why, "folder"));
    dp_buf_dispose(&b);
    dp_buf_init(&b);
    assert_int_equal(dp_file_read(&b, "/dev/zero", NULL, 100, NULL, &why), DP_EINPUT);
    dp_buf_dispose(&b);
}

static void test_file_size_cap_before_reading(void **state)
{
    (void)state;
    dp_buf b;
    const char *why = NULL;
    assert_int_equal(read_in("root/a.txt", "root", 4, &b, &why), DP_ELIMIT);
    assert_null(b.data); /* nothing was read */
    dp_buf_dispose(&b);
    assert_int_equal(read_in("root/a.txt", "root", 5, &b, &why), DP_OK);
    dp_buf_dispose(&b);
}

static void test_file_missing_and_ids(void **state)
{
    (void)state;
    dp_buf b;
    const char *why = NULL;
    assert_int_equal(read_in("root/nothing", "root", 100, &b, &why), DP_EIO);
    assert_string_equal(why, "no such file");
    dp_buf_dispose(&b);
    char p1[160], p2[160];
    snprintf(p1, sizeof p1, "%s/root/a.txt", dir);
    snprintf(p2, sizeof p2, "%s/root/sub/../././a.txt", dir);
    dp_file_id a, c;
    int fd;
    assert_int_equal(dp_file_open(p1, NULL, 100, &fd, NULL, &a, &why), DP_OK);
    close(fd);
    assert_int_equal(dp_file_open(p2, NULL, 100, &fd, NULL, &c, &why), DP_OK);
    close(fd);
    assert_true(a.dev == c.dev && a.ino == c.ino);
}

static void test_file_in_root_lexical(void **state)
{
    (void)state;
    assert_int_equal(dp_file_in_root("/a/b", "/a/b/c.png"), 1);
    assert_int_equal(dp_file_in_root("/a/b", "/a/b"), 1);
    assert_int_equal(dp_file_in_root("/a/b/", "/a/b/./x/../c"), 1);
    assert_int_equal(dp_file_in_root("/a/b", "/a/bc/d"), 0);
    assert_int_equal(dp_file_in_root("/a/b", "/a/b/../c"), 0);
    assert_int_equal(dp_file_in_root("/a/b", "/a/b/../../../../etc/passwd"), 0);
    assert_int_equal(dp_file_in_root("/", "/etc/passwd"), 1);
    assert_int_equal(dp_file_in_root(".", "x/y.png"), 1);
    assert_int_equal(dp_file_in_root(".", "../y.png"), 0);
}

/* Writes "new" to path through dp_file_out. */
static dp_status write_out(const char *path, const char **why)
{
    dp_file_out o;
    dp_status st = dp_file_out_open(&o, path, why);
    if (st < 0)
        return st;
    /* incomplete: nobody else may read it */
    struct stat t;
    assert_int_equal(fstat(o.fd, &t), 0);
    assert_int_equal(t.st_mode & 0777, 0600);
    assert_int_equal(dp_file_out_write(&o, "new", 3, why), DP_OK);
    return dp_file_out_commit(&o, why);
}

static int count_entries(const char *d)
{
    char cmd[200];
    snprintf(cmd, sizeof cmd, "ls -A '%s' | wc -l", d);
    FILE *f = popen(cmd, "r");
    int n = -1;
    if (fscanf(f, "%d", &n) != 1)
        n = -1;
    pclose(f);
    return n;
}

static void test_file_out_refuses_special_files(void **state)
{
    (void)state;
    const char *why = NULL;
    char p[160];
    snprintf(p, sizeof p, "%s/root/fifo", dir);
    assert_int_equal(write_out(p, &why), DP_EINPUT);
    struct stat st;
    assert_int_equal(lstat(p, &st), 0);
    assert_true(S_ISFIFO(st.st_mode)); /* not replaced */
    snprintf(p, sizeof p, "%s/root/sub", dir);
    assert_int_equal(write_out(p, &why), DP_EINPUT);
    assert_int_equal(dp_file_out_check("/dev/null", &why), DP_EINPUT);
    assert_int_equal(dp_file_out_check("-", &why), DP_OK);
    snprintf(p, sizeof p, "%s/root/dangling", dir);
    assert_int_equal(symlink("nowhere", p), 0);
    assert_int_equal(write_out(p, &why), DP_EINPUT);
    unlink(p);
}

static void test_file_out_writes_through_links(void **state)
{
    (void)state;
    const char *why = NULL;
    char d[160], p[200], t[200], buf[16] = "";
    snprintf(d, sizeof d, "%s/out", dir);
    mkdir(d, 0755);
    snprintf(t, sizeof t, "%s/target.pdf", d);
    snprintf(p, sizeof p, "%s/link.pdf", d);
    FILE *f = fopen(t, "w");
    fputs("old", f);
    fclose(f);
    assert_int_equal(symlink("target.pdf", p), 0);
    mode_t old = umask(027);
    assert_int_equal(write_out(p, &why), DP_OK);
    umask(old);
    struct stat st;
    assert_int_equal(lstat(p, &st), 0);
    assert_true(S_ISLNK(st.st_mode)); /* the link is kept */
    assert_int_equal(stat(t, &st), 0);
    assert_int_equal(st.st_mode & 0777, 0640); /* the umask's mode */
    f = fopen(t, "r");
    assert_non_null(fgets(buf, sizeof buf, f));
    fclose(f);
    assert_string_equal(buf, "new");
    assert_int_equal(count_entries(d), 2); /* no temporary left */

    /* an aborted file leaves nothing; two names are never the same */
    dp_file_out a, b;
    snprintf(p, sizeof p, "%s/x.pdf", d);
    assert_int_equal(dp_file_out_open(&a, p, &why), DP_OK);
    assert_int_equal(dp_file_out_open(&b, p, &why), DP_OK);
    assert_string_not_equal(a.tmp, b.tmp);
    const char *base = strrchr(a.tmp, '/') + 1;
    long pid = 0;
    assert_true(dp_file_is_tmp_name(base, &pid));
    assert_int_equal(pid, (long)getpid());
    assert_false(dp_file_is_tmp_name("x.pdf", NULL));
    assert_false(dp_file_is_tmp_name("x.pdf.12.tmp", NULL));
    dp_file_out_abort(&a);
    dp_file_out_abort(&b);
    assert_int_equal(count_entries(d), 2);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_file_reads_regular_file),
        cmocka_unit_test(test_file_refuses_outside_root),
        cmocka_unit_test(test_file_refuses_special_files),
        cmocka_unit_test(test_file_size_cap_before_reading),
        cmocka_unit_test(test_file_missing_and_ids),
        cmocka_unit_test(test_file_in_root_lexical),
        cmocka_unit_test(test_file_out_refuses_special_files),
        cmocka_unit_test(test_file_out_writes_through_links),
    };
    return cmocka_run_group_tests(tests, setup, teardown);
}
