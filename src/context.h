/* Internal access to a context's diagnostics for modules that sit beside
 * the pipeline (batch) and report through the same list. */
#ifndef DP_CONTEXT_H
#define DP_CONTEXT_H

#include "base/diag.h"

/* The context's diagnostics list; borrowed, lives as long as ctx. */
dp_diags *dp_context_diags(dp_context *ctx);

#endif
