/* libFuzzer: the whole compile of a fixed digest (samples/showcase.xml,
 * every element) with an arbitrary style: odd sizes, margins, colours and
 * header templates must give a PDF or a clear error, never a crash or a
 * hang. The style goes to a temporary file, as --style would read it. */
#include <stdint.h>
#include <stdio.h>

#include "fuzz_common.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    char style[96], out[96];
    snprintf(style, sizeof style, "%s/x.style", fuzz_dir());
    snprintf(out, sizeof out, "%s/out.pdf", fuzz_dir());
    fuzz_write(style, data, size);
    dp_build_options opts = DP_BUILD_OPTIONS_INIT;
    opts.style_path = style;
    fuzz_build_checked(DP_SOURCE_DIR "/samples/showcase.xml", out, &opts, NULL);
    remove(style);
    remove(out);
    return 0;
}
