/* Batch conversion: JSON escaping, shards, walking, and
 * dp_batch itself on a small tree (workers, skipping, options). */
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

#include "batch/batch.h"
#include "digestpdf.h"

static void expect_json(const char *in, const char *want)
{
    dp_buf b;
    dp_buf_init(&b);
    assert_int_equal(dp_batch_json_string(&b, in), DP_OK);
    assert_string_equal(b.data, want);
    dp_buf_dispose(&b);
}

static void test_json_string(void **state)
{
    (void)state;
    expect_json("", "\"\"");
    expect_json("a\"b\\c", "\"a\\\"b\\\\c\"");
    expect_json("l1\nl2\tx\r\b\f", "\"l1\\nl2\\tx\\r\\b\\f\"");
    expect_json("\x01\x1f\x7f", "\"\\u0001\\u001f\\u007f\"");
    expect_json("官報/令和.xml", "\"官報/令和.xml\"");
    expect_json("bad\xff\xc3(", "\"bad\\ufffd\\ufffd(\"");
    expect_json("\xe3\x81", "\"\\ufffd\\ufffd\""); /* truncated sequence */
}

static void test_shards_partition(void **state)
{
    (void)state;
    for (int n = 1; n <= 5; n++)
        for (size_t i = 0; i < 23; i++) {
            int owners = 0;
            for (int k = 1; k <= n; k++)
                owners += dp_batch_in_shard(i, k, n) != 0;
            assert_int_equal(owners, 1);
        }
    assert_true(dp_batch_in_shard(0, 1, 3));
    assert_true(dp_batch_in_shard(4, 2, 3));
    assert_false(dp_batch_in_shard(4, 3, 3));
}

static void test_names(void **state)
{
    (void)state;
    char *s = dp_batch_output_rel("a/b.c/d.xml");
    assert_string_equal(s, "a/b.c/d.pdf");
    free(s);
    s = dp_batch_output_rel("2026-01.txt");
    assert_string_equal(s, "2026-01.pdf");
    free(s);
    assert_true(dp_batch_is_input_name("x.xml"));
    assert_true(dp_batch_is_input_name("x.txt"));
    assert_false(dp_batch_is_input_name("x.expected.txt"));
    assert_false(dp_batch_is_input_name("x.pdf"));
    assert_false(dp_batch_is_input_name("xml"));
}

static char tmpl[64];

static void put(const char *rel, const char *text)
{
    char path[512];
    snprintf(path, sizeof path, "%s/%s", tmpl, rel);
    FILE *f = fopen(path, "w");
    assert_non_null(f);
    fputs(text, f);
    fclose(f);
}

static void copy(const char *from, const char *rel)
{
    FILE *f = fopen(from, "rb");
    assert_non_null(f);
    static char data[1 << 20];
    size_t n = fread(data, 1, sizeof data, f);
    fclose(f);
    data[n] = '\0';
    put(rel, data);
}

static void sub(const char *rel)
{
    char path[512];
    snprintf(path, sizeof path, "%s/%s", tmpl, rel);
    assert_int_equal(mkdir(path, 0777), 0);
}

static int setup_tree(void **state)
{
    (void)state;
    snprintf(tmpl, sizeof tmpl, "/tmp/dp_test_batch.XXXXXX");
    if (!mkdtemp(tmpl))
        return -1;
    return 0;
}

static int teardown_tree(void **state)
{
    (void)state;
    char cmd[128];
    snprintf(cmd, sizeof cmd, "rm -rf '%s'", tmpl);
    return system(cmd) == 0 ? 0 : -1;
}

static void test_list_inputs(void **state)
{
    (void)state;
    sub("in");
    sub("in/b");
    sub("in/a");
    sub("in/.git");
    sub("in/out");
    sub("in/real");
    put("in/b/z.xml", "");
    put("in/a/y.txt", "");
    put("in/a/y.expected.txt", "");
    put("in/top.xml", "");
    put("in/notes.md", "");
    put("in/.git/h.xml", "");
    put("in/out/o.xml", "");
    put("in/real/r.xml", "");
    char path[512], target[512];
    snprintf(target, sizeof target, "%s/in/real", tmpl);
    snprintf(path, sizeof path, "%s/in/link", tmpl);
    assert_int_equal(symlink(target, path), 0);

    char in[512], skip[512];
    snprintf(in, sizeof in, "%s/in", tmpl);
    snprintf(skip, sizeof skip, "%s/in/out", tmpl);
    dp_diags d;
    dp_diags_init(&d);
    char **rels = NULL;
    size_t n = 0;
    int unreadable = -1;
    assert_int_equal(dp_batch_list_inputs(&d, in, skip, &rels, &n, &unreadable), DP_OK);
    assert_int_equal(n, 4);
    assert_string_equal(rels[0], "a/y.txt");
    assert_string_equal(rels[1], "b/z.xml");
    assert_string_equal(rels[2], "real/r.xml");
    assert_string_equal(rels[3], "top.xml");
    assert_int_equal(unreadable, 0);
    dp_batch_free_list(rels, n);

    snprintf(in, sizeof in, "%s/none", tmpl);
    assert_int_equal(dp_batch_list_inputs(&d, in, NULL, &rels, &n, NULL), DP_EIO);
    assert_int_equal(d.errors, 1);
    dp_diags_dispose(&d);
}

typedef struct seen {
    int ok, skipped, failed, crashed, timeout;
} seen;

static void on_file(void *user, const dp_batch_file *f)
{
    seen *s = user;
    assert_non_null(f->input);
    assert_non_null(f->output);
    switch (f->status) {
    case DP_BATCH_OK:
        s->ok++;
        assert_true(f->pages > 0);
        assert_true(f->bytes > 0);
        assert_null(f->error);
        break;
    case DP_BATCH_SKIPPED: s->skipped++; break;
    case DP_BATCH_FAILED:
        s->failed++;
        assert_non_null(f->error);
        assert_non_null(strstr(f->error, f->input));
        break;
    case DP_BATCH_CRASHED: s->crashed++; break;
    case DP_BATCH_TIMEOUT:
        s->timeout++;
        assert_non_null(strstr(f->error, "--timeout"));
        break;
    }
}

static dp_status run(const char *out, int force, int k, int n, seen *s,
                     dp_batch_result *r)
{
    char in[512], outp[512];
    snprintf(in, sizeof in, "%s/src", tmpl);
    snprintf(outp, sizeof outp, "%s/%s", tmpl, out);
    dp_context *ctx = NULL;
    assert_int_equal(dp_context_new(&ctx), DP_OK);
    dp_batch_options o = DP_BATCH_OPTIONS_INIT;
    o.input_dir = in;
    o.output_dir = outp;
    o.jobs = 2;
    o.force = force;
    o.shard_index = k;
    o.shard_count = n;
    o.progress = 0;
    o.on_file = on_file;
    o.user = s;
    memset(s, 0, sizeof *s);
    dp_status st = dp_batch(ctx, &o, r);
    dp_context_free(ctx);
    return st;
}

static void test_batch_runs_and_skips(void **state)
{
    (void)state;
    sub("src");
    sub("src/deep");
    copy(DP_TEST_DATA "/valid/minimal.xml", "src/one.xml");
    copy(DP_TEST_DATA "/valid/minimal.xml", "src/deep/two.xml");
    copy(DP_TEST_DATA "/invalid/malformed.xml", "src/bad.xml");
    seen s;
    dp_batch_result r;
    assert_int_equal(run("o", 0, 0, 0, &s, &r), DP_OK);
    assert_int_equal(r.total, 3);
    assert_int_equal(r.converted, 2);
    assert_int_equal(r.failed, 1);
    assert_int_equal(r.crashed, 0);
    assert_int_equal(r.not_started, 0);
    assert_int_equal(s.ok, 2);
    assert_int_equal(s.failed, 1);
    char path[512];
    struct stat st;
    snprintf(path, sizeof path, "%s/o/deep/two.pdf", tmpl);
    assert_int_equal(stat(path, &st), 0);
    snprintf(path, sizeof path, "%s/o/bad.pdf", tmpl);
    assert_int_not_equal(stat(path, &st), 0);

    /* up to date: only the failing file runs again */
    assert_int_equal(run("o", 0, 0, 0, &s, &r), DP_OK);
    assert_int_equal(r.skipped, 2);
    assert_int_equal(r.converted, 0);
    assert_int_equal(r.failed, 1);
    assert_int_equal(s.skipped, 2);

    /* a torn journal line (a killed writer) is ignored; a PDF whose size
     * no longer matches its record is rebuilt */
    snprintf(path, sizeof path, "%s/o/.digestpdf-manifest.journal", tmpl);
    FILE *f = fopen(path, "a");
    assert_non_null(f);
    fputs("0123\tbroken", f);
    fclose(f);
    snprintf(path, sizeof path, "%s/o/one.pdf", tmpl);
    assert_int_equal(truncate(path, 100), 0);
    assert_int_equal(run("o", 0, 0, 0, &s, &r), DP_OK);
    assert_int_equal(r.skipped, 1);
    assert_int_equal(r.converted, 1);

    assert_int_equal(run("o", 1, 0, 0, &s, &r), DP_OK);
    assert_int_equal(r.converted, 2);

    /* shard 2/2 of [bad, deep/two, one] is deep/two */
    assert_int_equal(run("sh", 0, 2, 2, &s, &r), DP_OK);
    assert_int_equal(r.total, 1);
    assert_int_equal(r.converted, 1);
    snprintf(path, sizeof path, "%s/sh/deep/two.pdf", tmpl);
    assert_int_equal(stat(path, &st), 0);
}

/* A worker over the time limit is killed and reported "timeout"; the
 * batch goes on with the other files. */
static void test_batch_timeout(void **state)
{
    (void)state;
    sub("src");
    copy(DP_TEST_DATA "/valid/minimal.xml", "src/a-hangs.xml");
    copy(DP_TEST_DATA "/valid/minimal.xml", "src/b.xml");
    copy(DP_TEST_DATA "/valid/minimal.xml", "src/c.xml");
    char in[512], out[512];
    snprintf(in, sizeof in, "%s/src", tmpl);
    snprintf(out, sizeof out, "%s/o", tmpl);
    dp_context *ctx = NULL;
    assert_int_equal(dp_context_new(&ctx), DP_OK);
    dp_batch_options o = DP_BATCH_OPTIONS_INIT;
    o.input_dir = in;
    o.output_dir = out;
    o.jobs = 1; /* b and c wait for the slot of the hanging one */
    o.progress = 0;
    o.timeout = 5; /* the others take well under it even under ASan on a busy machine */
    o.on_file = on_file;
    seen s;
    memset(&s, 0, sizeof s);
    o.user = &s;
    dp_batch_result r;
    o.test_hang_on = "hangs";
    dp_status st = dp_batch(ctx, &o, &r);
    assert_int_equal(st, DP_OK);
    assert_int_equal(s.timeout, 1);
    assert_int_equal(s.ok, 2);
    assert_int_equal(r.failed, 1);
    assert_int_equal(r.crashed, 0);
    assert_true(r.seconds < 30);
    assert_string_equal(dp_batch_status_str(DP_BATCH_TIMEOUT), "timeout");

    o.timeout = 0.0 / 0.0;
    assert_int_equal(dp_batch(ctx, &o, NULL), DP_EINPUT);
    o.timeout = -1;
    assert_int_equal(dp_batch(ctx, &o, NULL), DP_EINPUT);
    dp_context_free(ctx);
}

/* A different PDF standard makes different PDFs: nothing built under
 * another one is skipped. */
static void test_batch_pdf_standard_rebuilds(void **state)
{
    (void)state;
    sub("src");
    copy(DP_TEST_DATA "/valid/minimal.xml", "src/a.xml");
    char in[512], out[512];
    snprintf(in, sizeof in, "%s/src", tmpl);
    snprintf(out, sizeof out, "%s/o", tmpl);
    dp_context *ctx = NULL;
    assert_int_equal(dp_context_new(&ctx), DP_OK);
    dp_batch_options o = DP_BATCH_OPTIONS_INIT;
    o.input_dir = in;
    o.output_dir = out;
    o.progress = 0;
    dp_batch_result r;
    const char *standards[] = {NULL, "none", "none", NULL};
    const int converted[] = {1, 1, 0, 1};
    for (int i = 0; i < 4; i++) {
        o.pdf_standard = standards[i];
        assert_int_equal(dp_batch(ctx, &o, &r), DP_OK);
        assert_int_equal(r.converted, converted[i]);
        assert_int_equal(r.skipped, 1 - converted[i]);
    }
    dp_context_free(ctx);
}

static void test_batch_cannot_run(void **state)
{
    (void)state;
    dp_context *ctx = NULL;
    assert_int_equal(dp_context_new(&ctx), DP_OK);
    dp_batch_options o = DP_BATCH_OPTIONS_INIT;
    assert_int_equal(dp_batch(ctx, &o, NULL), DP_EINPUT); /* no folders */
    char in[512], out[512];
    snprintf(in, sizeof in, "%s/missing", tmpl);
    snprintf(out, sizeof out, "%s/o2", tmpl);
    o.input_dir = in;
    o.output_dir = out;
    o.progress = 0;
    assert_int_equal(dp_batch(ctx, &o, NULL), DP_EIO);
    snprintf(in, sizeof in, "%s", tmpl);
    o.shard_index = 3;
    o.shard_count = 2;
    assert_int_equal(dp_batch(ctx, &o, NULL), DP_EINPUT);
    o.shard_index = 0;
    o.shard_count = 0;
    o.jobs = -1;
    assert_int_equal(dp_batch(ctx, &o, NULL), DP_EINPUT);
    assert_true(dp_diag_errors(ctx) >= 4);
    dp_context_free(ctx);
}

typedef struct progress_seen {
    int calls, last_done, total, failed;
    double last_left, last_elapsed;
} progress_seen;

static void on_progress(void *user, const dp_batch_file *f)
{
    progress_seen *p = user;
    p->calls++;
    assert_int_equal(f->done, p->last_done + 1); /* this file included */
    assert_true(f->elapsed >= p->last_elapsed);
    p->last_done = f->done;
    p->total = f->total;
    p->failed = f->failed;
    p->last_left = f->left;
    p->last_elapsed = f->elapsed;
}

/* The per-file callback carries what a progress display needs, and the
 * library itself writes nothing on the terminal, even when asked for the
 * progress bar it used to draw. */
static void test_batch_progress_is_the_callers(void **state)
{
    (void)state;
    sub("src");
    copy(DP_TEST_DATA "/valid/minimal.xml", "src/a.xml");
    copy(DP_TEST_DATA "/valid/minimal.xml", "src/b.xml");
    copy(DP_TEST_DATA "/invalid/malformed.xml", "src/c.xml");
    char in[512], outp[512], err_path[512];
    snprintf(in, sizeof in, "%s/src", tmpl);
    snprintf(outp, sizeof outp, "%s/out", tmpl);
    snprintf(err_path, sizeof err_path, "%s/stderr", tmpl);
    dp_context *ctx = NULL;
    assert_int_equal(dp_context_new(&ctx), DP_OK);
    dp_batch_options o = DP_BATCH_OPTIONS_INIT;
    o.input_dir = in;
    o.output_dir = outp;
    o.jobs = 1;
    o.progress = 1;
    o.on_file = on_progress;
    progress_seen p = {0, 0, 0, 0, 0, 0};
    o.user = &p;
    dp_batch_result r;
    fflush(stderr);
    int saved = dup(2);
    int fd = open(err_path, O_WRONLY | O_CREAT | O_TRUNC, 0600);
    assert_true(saved >= 0 && fd >= 0);
    dup2(fd, 2);
    close(fd);
    dp_status st = dp_batch(ctx, &o, &r);
    fflush(stderr);
    dup2(saved, 2);
    close(saved);
    dp_context_free(ctx);
    assert_int_equal(st, DP_OK);
    assert_int_equal(p.calls, 3);
    assert_int_equal(p.last_done, 3);
    assert_int_equal(p.total, 3);
    assert_int_equal(p.failed, 1);
    assert_true(p.last_left == 0); /* every file built: nothing left */
    struct stat sb;
    assert_int_equal(stat(err_path, &sb), 0);
    assert_int_equal(sb.st_size, 0);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_json_string),
        cmocka_unit_test(test_shards_partition),
        cmocka_unit_test(test_names),
        cmocka_unit_test_setup_teardown(test_list_inputs, setup_tree, teardown_tree),
        cmocka_unit_test_setup_teardown(test_batch_runs_and_skips, setup_tree,
                                        teardown_tree),
        cmocka_unit_test_setup_teardown(test_batch_timeout, setup_tree, teardown_tree),
        cmocka_unit_test_setup_teardown(test_batch_pdf_standard_rebuilds, setup_tree,
                                        teardown_tree),
        cmocka_unit_test_setup_teardown(test_batch_cannot_run, setup_tree, teardown_tree),
        cmocka_unit_test_setup_teardown(test_batch_progress_is_the_callers, setup_tree,
                                        teardown_tree),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
