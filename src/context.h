/* Internal access to a context's diagnostics, and to helpers of the
 * public entry points, for modules that sit beside the pipeline (batch). */
#ifndef DP_CONTEXT_H
#define DP_CONTEXT_H

#include "base/diag.h"

/* The context's diagnostics list; borrowed, lives as long as ctx. */
dp_diags *dp_context_diags(dp_context *ctx);

/* Writes the folders of dirs (NULL-terminated, may be NULL) as "A, B"
 * into out for a message about a style that was not found; returns out. */
const char *dp_style_dirs_text(const char *const *dirs, char *out, size_t cap);

#endif
