/* libFuzzer: the whole compile, document bytes in, PDF out. The public
 * API takes paths, so the input goes to a temporary file and the PDF to a
 * temporary path; both are removed after each run. Input starting with
 * '<' is compiled as XML, anything else as archived text. */
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <dirent.h>
#include <unistd.h>

#include "digestpdf.h"

static char dir[64];

/* Files in dir other than the input: a failed build must leave none
 * (neither the PDF nor its temporary). */
static int strays(void)
{
    DIR *dd = opendir(dir);
    if (!dd)
        abort();
    int n = 0;
    struct dirent *e;
    while ((e = readdir(dd)))
        n += strcmp(e->d_name, ".") && strcmp(e->d_name, "..") &&
             strncmp(e->d_name, "in.", 3);
    closedir(dd);
    return n;
}

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
    char in[96], out[96];
    int xml = size > 0 && data[0] == '<';
    snprintf(in, sizeof in, "%s/in.%s", dir, xml ? "xml" : "txt");
    snprintf(out, sizeof out, "%s/out.pdf", dir);
    FILE *f = fopen(in, "wb");
    if (!f || fwrite(data, 1, size, f) != size || fclose(f) != 0)
        abort();

    dp_context *ctx;
    if (dp_context_new(&ctx) != DP_OK)
        abort();
    dp_build_result res;
    dp_status st = dp_build(ctx, in, out, NULL, &res);
    int exists = access(out, F_OK) == 0;
    if (st == DP_OK && (!exists || res.pages < 1))
        abort(); /* success must leave a PDF with pages */
    if (st != DP_OK && (exists || strays() || dp_diag_errors(ctx) == 0))
        abort(); /* failure must leave nothing and say why */
    dp_context_free(ctx);
    remove(in);
    remove(out);
    return 0;
}
