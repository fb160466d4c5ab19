/* libFuzzer: the whole compile of a fixed digest (samples/showcase.xml,
 * every element) with an arbitrary style: odd sizes, margins, colours and
 * header templates must give a PDF or a clear error, never a crash or a
 * hang. The style goes to a temporary file, as --style would read it. */
#include <dirent.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "digestpdf.h"

static char dir[64];

static void cleanup(void)
{
    if (dir[0])
        rmdir(dir);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    if (!dir[0]) {
        snprintf(dir, sizeof dir, "/tmp/dp-fuzz-XXXXXX");
        if (!mkdtemp(dir))
            abort();
        atexit(cleanup);
    }
    char style[96], out[96];
    snprintf(style, sizeof style, "%s/x.style", dir);
    snprintf(out, sizeof out, "%s/out.pdf", dir);
    FILE *f = fopen(style, "wb");
    if (!f || fwrite(data, 1, size, f) != size || fclose(f) != 0)
        abort();

    dp_context *ctx;
    if (dp_context_new(&ctx) != DP_OK)
        abort();
    dp_build_options opts = DP_BUILD_OPTIONS_INIT;
    opts.style_path = style;
    dp_build_result res;
    dp_status st = dp_build(ctx, DP_SOURCE_DIR "/samples/showcase.xml", out, &opts, &res);
    int exists = access(out, F_OK) == 0;
    if (st == DP_OK && (!exists || res.pages < 1))
        abort();
    if (st != DP_OK && (exists || dp_diag_errors(ctx) == 0))
        abort();
    dp_context_free(ctx);
    remove(style);
    remove(out);
    return 0;
}
