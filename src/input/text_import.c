/* Placeholder until the importer lands. */
#include "text_import.h"

dp_status dp_text_import(dp_diags *d, const char *file, const char *data,
                         size_t len, int verbose, dp_buf *xml_out,
                         dp_text_import_stats *stats)
{
    (void)data; (void)len; (void)verbose; (void)xml_out; (void)stats;
    dp_error(d, file, 0, "importing archived text is not available");
    return DP_EINPUT;
}
