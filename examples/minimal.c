/*
 * The smallest client of libdigestpdf: compiles one digest into a PDF and
 * prints the diagnostics the way the digestpdf command does.
 *
 *   cc minimal.c $(pkg-config --cflags --libs digestpdf) -o minimal
 *   ./minimal digest.xml out.pdf
 */
#include <stdio.h>

#include <digestpdf.h>

int main(int argc, char **argv)
{
    if (argc != 3) {
        fprintf(stderr, "usage: %s INPUT.xml OUTPUT.pdf\n", argv[0]);
        return 2;
    }
    dp_context *ctx;
    if (dp_context_new(&ctx) != DP_OK)
        return 1;
    dp_build_options opts = DP_BUILD_OPTIONS_INIT; /* the built-in default style */
    dp_build_result result = {0};
    dp_status status = dp_build(ctx, argv[1], argv[2], &opts, &result);
    for (size_t i = 0; i < dp_diag_count(ctx); i++) {
        const dp_diag *d = dp_diag_at(ctx, i); /* borrowed from ctx */
        const char *sev = d->severity == DP_DIAG_ERROR     ? "error"
                          : d->severity == DP_DIAG_WARNING ? "warning"
                                                           : "note";
        fprintf(stderr, "%s:%ld: %s: %s\n", d->file ? d->file : argv[1], d->line,
                sev, d->message);
    }
    if (status == DP_OK)
        printf("%s: %d pages, %zu bytes\n", argv[2], result.pages, result.bytes);
    else
        fprintf(stderr, "%s: no PDF written (%s)\n", argv[1], dp_status_str(status));
    dp_context_free(ctx);
    return status == DP_OK ? 0 : 1;
}
