/* Internal access to a context's diagnostics, and to helpers of the
 * public entry points for modules that sit beside the pipeline (batch),
 * among them a warm start for many builds. */
#ifndef DP_CONTEXT_H
#define DP_CONTEXT_H

#include "base/diag.h"
#include "model/doc.h"

/* The context's diagnostics list; borrowed, lives as long as ctx. */
dp_diags *dp_context_diags(dp_context *ctx);

/* Writes the folders of dirs (NULL-terminated, may be NULL) as "A, B"
 * into out for a message about a style that was not found; returns out. */
const char *dp_style_dirs_text(const char *const *dirs, char *out, size_t cap);

/* Reads and validates the digest at path (XML, or archived text imported
 * in memory) as dp_build does; *out is the caller's (dp_doc_free), NULL
 * on failure, with diagnostics on ctx. */
dp_status dp_load_doc(dp_context *ctx, const char *path, dp_doc **out);

/*
 * A warm start for many builds with the same options: the style, its
 * fonts and the compiled grammar loaded once (a batch does so before it
 * forks its workers, which then inherit them). dp_build_warm(ctx, w, ...)
 * with the options w was made for produces what dp_build produces, with
 * the same diagnostics, but pays only for the input's own work.
 * dp_warm_new fails (nothing kept, no diagnostics) when the style or a
 * font cannot be loaded without error: dp_build then reports it per input.
 * One dp_warm at a time per process (the grammar is process-wide).
 */
typedef struct dp_warm dp_warm;
dp_status dp_warm_new(const dp_build_options *opts, dp_warm **out);
void dp_warm_free(dp_warm *w);
dp_status dp_build_warm(dp_context *ctx, dp_warm *warm, const char *in_path,
                        const char *pdf_path, const dp_build_options *opts,
                        dp_build_result *result);

#endif
