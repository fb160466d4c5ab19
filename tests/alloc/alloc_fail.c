/*
 * Allocation failure, in SQLite's manner: builds a small digest once to
 * count the allocations, then once for every N with the Nth allocation
 * failing, and checks that each build either fails cleanly (DP_ENOMEM,
 * or a clean error with a message, and no file left behind) or, where a
 * failure is absorbed by design, gives the very same PDF. Leaks and
 * memory errors on those paths are the sanitizers' to find (run it in
 * the ASan build).
 *
 *   test_alloc INPUT STYLE OUT_DIR [FIRST [LAST [STEP [persistent]]]]
 *
 * LAST 0 is the last allocation. With "persistent", every allocation
 * from the Nth on fails too (the cleanup after a failure must not need
 * memory either); otherwise only the Nth does.
 *
 * What fails: every malloc, calloc, realloc and strdup of digestpdf's
 * own code (wrapped with the linker's --wrap, see tests/CMakeLists.txt)
 * and every allocation of libxml2 (through xmlMemSetup). HarfBuzz,
 * libharu, libdeflate and the C library allocate from shared libraries
 * that --wrap cannot reach, so their own allocations do not fail here.
 */
#include <dirent.h>
#include <stdatomic.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include <libxml/parser.h>
#include <libxml/relaxng.h>
#include <libxml/xmlmemory.h>

#include "digestpdf.h"

void *__real_malloc(size_t n);
void *__real_calloc(size_t n, size_t size);
void *__real_realloc(void *p, size_t n);
char *__real_strdup(const char *s);

/* 0: counting only; else the number of the allocation that fails. */
static atomic_long fail_at;
static atomic_long count;
static atomic_int failed;
static atomic_int paused; /* inside a library call that cannot survive a failure */
static int persistent;     /* every allocation from the Nth on fails */

static int should_fail(void)
{
    if (atomic_load(&paused))
        return 0;
    long n = atomic_fetch_add(&count, 1) + 1;
    long at = atomic_load(&fail_at);
    if (at > 0 && (n == at || (persistent && n > at))) {
        atomic_store(&failed, 1);
        return 1;
    }
    return 0;
}

void *__wrap_malloc(size_t n);
void *__wrap_malloc(size_t n)
{
    return should_fail() ? NULL : __real_malloc(n);
}

void *__wrap_calloc(size_t n, size_t size);
void *__wrap_calloc(size_t n, size_t size)
{
    return should_fail() ? NULL : __real_calloc(n, size);
}

void *__wrap_realloc(void *p, size_t n);
void *__wrap_realloc(void *p, size_t n)
{
    return should_fail() ? NULL : __real_realloc(p, n);
}

char *__wrap_strdup(const char *s);
char *__wrap_strdup(const char *s)
{
    return should_fail() ? NULL : __real_strdup(s);
}

/*
 * libxml2 2.9.14 (Debian 12) does not survive an allocation failure in
 * its RELAX NG code:
 *  - xmlRelaxNGParse (compiling the grammar) then writes through a NULL
 *    pointer (ASan: SEGV at libxml2.so.2+0x11f93a under xmlRelaxNGParse)
 *    or corrupts the heap ("realloc(): invalid next size" later);
 *  - xmlRelaxNGValidateDoc then reads through a NULL pointer (SEGV at
 *    libxml2.so.2+0x20828 under xmlRelaxNGValidateDoc).
 * So no allocation fails inside those two calls (wrapped with --wrap as
 * well); their allocations are not counted either, so N numbers the same
 * allocations in every run. Everything else of libxml2 we call (the
 * parser, the tree, attributes) is failed like our own code.
 */
#define PAUSED_CALL(type, name, params, args)                                 \
    type __real_##name params;                                                \
    type __wrap_##name params;                                                \
    type __wrap_##name params                                                 \
    {                                                                         \
        atomic_store(&paused, 1);                                             \
        type ret = __real_##name args;                                        \
        atomic_store(&paused, 0);                                             \
        return ret;                                                           \
    }
PAUSED_CALL(xmlRelaxNGPtr, xmlRelaxNGParse, (xmlRelaxNGParserCtxtPtr c), (c))
PAUSED_CALL(int, xmlRelaxNGValidateDoc, (xmlRelaxNGValidCtxtPtr c, xmlDocPtr d), (c, d))

static void *xml_malloc(size_t n)
{
    return __wrap_malloc(n);
}

static void *xml_realloc(void *p, size_t n)
{
    return __wrap_realloc(p, n);
}

static char *xml_strdup(const char *s)
{
    return __wrap_strdup(s);
}

static int read_file(const char *path, char **data, size_t *len)
{
    FILE *f = fopen(path, "rb");
    if (!f)
        return -1;
    fseek(f, 0, SEEK_END);
    long n = ftell(f);
    fseek(f, 0, SEEK_SET);
    *data = __real_malloc(n > 0 ? (size_t)n : 1);
    *len = *data && fread(*data, 1, (size_t)n, f) == (size_t)n ? (size_t)n : 0;
    fclose(f);
    return *data && *len == (size_t)n ? 0 : -1;
}

/* Entries of dir other than . and .. (a failed build must leave none). */
static int dir_entries(const char *dir, char *first, size_t cap)
{
    DIR *d = opendir(dir);
    int n = 0;
    struct dirent *e;
    while (d && (e = readdir(d))) {
        if (!strcmp(e->d_name, ".") || !strcmp(e->d_name, ".."))
            continue;
        if (n++ == 0)
            snprintf(first, cap, "%s", e->d_name);
    }
    if (d)
        closedir(d);
    return n;
}

static dp_status build(const char *in, const char *style, const char *out)
{
    dp_context *ctx = NULL;
    dp_status st = dp_context_new(&ctx);
    if (st != DP_OK)
        return st;
    dp_build_options o = DP_BUILD_OPTIONS_INIT;
    o.style_path = style;
    o.threads = 1; /* one thread: the Nth allocation is the same every run */
    st = dp_build(ctx, in, out, &o, NULL);
    /* a failure other than DP_ENOMEM must say why */
    if (st != DP_OK && st != DP_ENOMEM && dp_diag_errors(ctx) == 0) {
        fprintf(stderr, "status %s without an error message\n", dp_status_str(st));
        st = DP_ERR - 100;
    }
    dp_context_free(ctx);
    return st;
}

int main(int argc, char **argv)
{
    if (argc < 4) {
        fprintf(stderr, "usage: test_alloc INPUT STYLE OUT_DIR [FIRST [LAST [STEP "
                        "[persistent]]]]\n");
        return 2;
    }
    const char *in = argv[1], *style = argv[2], *dir = argv[3];
    xmlMemSetup(free, xml_malloc, xml_realloc, xml_strdup);
    xmlInitParser();

    char out[4096], ref[4096], name[256];
    mkdir(dir, 0755);
    snprintf(out, sizeof out, "%s/out.pdf", dir);
    snprintf(ref, sizeof ref, "%s.ref.pdf", dir);
    remove(out);
    if (dir_entries(dir, name, sizeof name) != 0) {
        fprintf(stderr, "%s: not empty (%s)\n", dir, name);
        return 2;
    }

    /* the reference build, counting */
    atomic_store(&count, 0);
    dp_status st = build(in, style, ref);
    long total = atomic_load(&count);
    if (st != DP_OK) {
        fprintf(stderr, "the reference build failed: %s\n", dp_status_str(st));
        return 1;
    }
    char *want = NULL;
    size_t want_len = 0;
    if (read_file(ref, &want, &want_len) != 0)
        return 1;
    remove(ref);

    long first = argc > 4 ? atol(argv[4]) : 1;
    long last = argc > 5 ? atol(argv[5]) : total;
    long step = argc > 6 ? atol(argv[6]) : 1;
    persistent = argc > 7 && !strcmp(argv[7], "persistent");
    if (last <= 0 || last > total)
        last = total; /* 0: to the last allocation */
    if (first < 1 || step < 1)
        return 2;
    int bad = 0;
    long nomem = 0, absorbed = 0, other = 0;
    for (long n = first; n <= last; n += step) {
        atomic_store(&count, 0);
        atomic_store(&failed, 0);
        atomic_store(&fail_at, n);
        if (getenv("DP_ALLOC_VERBOSE"))
            fprintf(stderr, "N=%ld\n", n);
        st = build(in, style, out);
        atomic_store(&fail_at, 0);
        if (!atomic_load(&failed)) {
            /* fewer allocations than counted: the run took another path */
            fprintf(stderr, "N=%ld: no allocation failed (%ld made)\n", n,
                    atomic_load(&count));
            bad = 1;
            continue;
        }
        if (st == DP_OK) {
            /* absorbed (a lost diagnostic, a cache not filled): the PDF
             * must be the same */
            char *got = NULL;
            size_t got_len = 0;
            if (read_file(out, &got, &got_len) != 0 || got_len != want_len ||
                memcmp(got, want, want_len) != 0) {
                fprintf(stderr, "N=%ld: succeeded with a different PDF\n", n);
                bad = 1;
            }
            free(got);
            remove(out);
            absorbed++;
        } else {
            if (st == DP_ENOMEM)
                nomem++;
            else
                other++;
            if (st < DP_ERR - 50) {
                fprintf(stderr, "N=%ld: failed without saying why\n", n);
                bad = 1;
            }
            if (st != DP_ENOMEM && getenv("DP_ALLOC_VERBOSE"))
                fprintf(stderr, "N=%ld: %s\n", n, dp_status_str(st));
            if (dir_entries(dir, name, sizeof name) != 0) {
                fprintf(stderr, "N=%ld: failed (%s) but left %s behind\n", n,
                        dp_status_str(st), name);
                bad = 1;
                snprintf(out, sizeof out, "%s/%s", dir, name);
                remove(out);
                snprintf(out, sizeof out, "%s/out.pdf", dir);
            }
        }
    }
    free(want);
    xmlCleanupParser();
    printf("%ld allocations; failed at %ld..%ld step %ld%s: %ld DP_ENOMEM, %ld other "
           "clean errors, %ld absorbed with the same PDF\n",
           total, first, last, step, persistent ? " and after" : "", nomem, other, absorbed);
    return bad;
}
