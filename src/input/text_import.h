/*
 * Import of archived plain-text digests (text captured from the
 * publishing web page) into digest XML v1.
 */
#ifndef DP_INPUT_TEXT_IMPORT_H
#define DP_INPUT_TEXT_IMPORT_H

#include <stddef.h>

#include "base/buf.h"
#include "base/diag.h"

typedef struct dp_text_import_stats {
    int sections, articles, warnings;
} dp_text_import_stats;

/*
 * Converts the archived digest data[0..len) read from file (used in
 * messages) into digest XML appended to xml_out. Input in Shift_JIS or
 * EUC-JP is converted; a UTF-8 BOM and CRLF line ends are accepted.
 * Warnings (guesses, TOC mismatches, repaired indentation) and, with
 * verbose, notes about dropped page chrome go to d with their line.
 * Returns DP_EINPUT (with an error in d) for input that holds no digest;
 * xml_out is then left unchanged. stats may be NULL.
 */
dp_status dp_text_import(dp_diags *d, const char *file, const char *data,
                         size_t len, int verbose, dp_buf *xml_out,
                         dp_text_import_stats *stats);

#endif
