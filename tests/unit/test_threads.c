/* The two-thread writer: every sample in every installed style gives
 * the same bytes with dp_build_options.threads 1 and 2. Run in the
 * ThreadSanitizer build too (ctest label tsan, -DDP_TSAN=ON). */
#include <dirent.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <cmocka.h>

#include "base/buf.h"
#include "digestpdf.h"

static char dir[64];

static int setup(void **state)
{
    (void)state;
    strcpy(dir, "/tmp/dp-test-threads-XXXXXX");
    return mkdtemp(dir) ? 0 : -1;
}

static int teardown(void **state)
{
    (void)state;
    return rmdir(dir);
}

static void build(const char *in, const char *style, int threads, dp_buf *pdf)
{
    char out[128];
    snprintf(out, sizeof out, "%s/t%d.pdf", dir, threads);
    dp_context *ctx;
    assert_int_equal(dp_context_new(&ctx), DP_OK);
    dp_build_options o = DP_BUILD_OPTIONS_INIT;
    o.style_path = style;
    o.threads = threads;
    dp_status st = dp_build(ctx, in, out, &o, NULL);
    for (size_t i = 0; st != DP_OK && i < dp_diag_count(ctx); i++)
        print_error("%s\n", dp_diag_at(ctx, i)->message);
    assert_int_equal(st, DP_OK);
    dp_context_free(ctx);
    dp_buf_reset(pdf);
    assert_int_equal(dp_buf_read_file(pdf, out, 1 << 26), DP_OK);
    unlink(out);
}

static int is_sample(const char *name)
{
    size_t n = strlen(name);
    if (n > 13 && !strcmp(name + n - 13, ".expected.txt"))
        return 0;
    return (n > 4 && !strcmp(name + n - 4, ".xml")) || (n > 4 && !strcmp(name + n - 4, ".txt"));
}

static int cmp_str(const void *a, const void *b)
{
    return strcmp(*(char *const *)a, *(char *const *)b);
}

static void test_threads_same_bytes(void **state)
{
    (void)state;
    static const char *const styles[] = {NULL, "compact", "executive"};
    char *names[64];
    size_t n = 0;
    DIR *d = opendir(DP_SOURCE_DIR "/samples");
    assert_non_null(d);
    struct dirent *e;
    while ((e = readdir(d)) && n < 64)
        if (is_sample(e->d_name))
            names[n++] = strdup(e->d_name);
    closedir(d);
    qsort(names, n, sizeof *names, cmp_str);
    assert_true(n >= 4); /* the three briefings and the archive */
    dp_buf one, two;
    dp_buf_init(&one);
    dp_buf_init(&two);
    int compared = 0;
    for (size_t i = 0; i < n; i++) {
        char in[512];
        snprintf(in, sizeof in, "%s/samples/%s", DP_SOURCE_DIR, names[i]);
        for (size_t s = 0; s < sizeof styles / sizeof styles[0]; s++) {
            char style[1024];
            if (styles[s])
                snprintf(style, sizeof style, "%s/styles/%s.style", DP_SOURCE_DIR, styles[s]);
            build(in, styles[s] ? style : NULL, 1, &one);
            build(in, styles[s] ? style : NULL, 2, &two);
            if (one.len != two.len || memcmp(one.data, two.data, one.len) != 0)
                print_error("%s, style %s: 1 and 2 threads differ (%zu vs %zu bytes)\n",
                            names[i], styles[s] ? styles[s] : "default", one.len, two.len);
            assert_int_equal(one.len, two.len);
            assert_memory_equal(one.data, two.data, one.len);
            compared++;
        }
        free(names[i]);
    }
    assert_int_equal(compared, (int)n * 3);
    dp_buf_dispose(&one);
    dp_buf_dispose(&two);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_threads_same_bytes),
    };
    return cmocka_run_group_tests(tests, setup, teardown);
}
