/* What the whole-compile harnesses share: a private temporary folder,
 * writing the fuzz input to a file, and the rule a build must keep —
 * success leaves a PDF with pages, failure leaves no PDF and says why. */
#ifndef DP_FUZZ_COMMON_H
#define DP_FUZZ_COMMON_H

#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <unistd.h>

#include "digestpdf.h"

static char fuzz_tmp[64];

static void fuzz_tmp_remove(void)
{
    if (fuzz_tmp[0])
        rmdir(fuzz_tmp);
}

/* The harness's folder, made on first use and removed at exit. */
static const char *fuzz_dir(void)
{
    if (!fuzz_tmp[0]) {
        snprintf(fuzz_tmp, sizeof fuzz_tmp, "/tmp/dp-fuzz-XXXXXX");
        if (!mkdtemp(fuzz_tmp))
            abort();
        atexit(fuzz_tmp_remove);
    }
    return fuzz_tmp;
}

static void fuzz_write(const char *path, const uint8_t *data, size_t size)
{
    FILE *f = fopen(path, "wb");
    if (!f || fwrite(data, 1, size, f) != size || fclose(f) != 0)
        abort();
}

/* Builds in into out and aborts when the outcome breaks the rule;
 * strays (may be NULL) counts files a failed build left behind. */
static void fuzz_build_checked(const char *in, const char *out,
                               const dp_build_options *opts, int (*strays)(void))
{
    dp_context *ctx;
    if (dp_context_new(&ctx) != DP_OK)
        abort();
    dp_build_result res;
    dp_status st = dp_build(ctx, in, out, opts, &res);
    int exists = access(out, F_OK) == 0;
    if (st == DP_OK && (!exists || res.pages < 1))
        abort(); /* success must leave a PDF with pages */
    if (st != DP_OK && (exists || (strays && strays()) || dp_diag_errors(ctx) == 0))
        abort(); /* failure must leave nothing and say why */
    dp_context_free(ctx);
}

#endif
