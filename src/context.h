/* Internal access to a context's diagnostics, and to helpers of the
 * public entry points, for modules that sit beside the pipeline (batch). */
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

#endif
