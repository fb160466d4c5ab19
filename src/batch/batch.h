/*
 * Batch conversion (dp_batch in include/digestpdf.h): helpers for walking
 * the input tree, shard selection and the JSON Lines report. They are
 * internal; they are declared here so the unit tests can reach them.
 * What the batch's files share among themselves is in batch/internal.h.
 */
#ifndef DP_BATCH_BATCH_H
#define DP_BATCH_BATCH_H

#include <stddef.h>

#include "base/buf.h"
#include "base/diag.h"

/* Appends s as a JSON string (quotes included). Control characters are
 * escaped; bytes that are not valid UTF-8 become U+FFFD so the line is
 * always valid JSON. */
dp_status dp_batch_json_string(dp_buf *b, const char *s);

/* Non-zero when the input at index (0-based, in sorted order) belongs to
 * shard k of n (1 <= k <= n): index % n == k - 1. */
int dp_batch_in_shard(size_t index, int k, int n);

/* "a/b.xml" -> "a/b.pdf" (the suffix .xml or .txt replaced); malloc'd,
 * NULL when out of memory. */
char *dp_batch_output_rel(const char *rel);

/* Non-zero for a name the batch converts: *.xml or *.txt, but not
 * *.expected.txt. */
int dp_batch_is_input_name(const char *name);

/*
 * Lists the digests under dir (relative paths, sorted by strcmp) into
 * *rels (malloc'd array of malloc'd strings; free with
 * dp_batch_free_list). Hidden entries are left out, symbolic links to
 * folders are not followed, and the folder `skip` (may be NULL; e.g. the
 * output folder inside the input folder) is not entered. A sub-folder
 * that cannot be read is an error diagnostic and counted in
 * *unreadable; the listing goes on. DP_EIO when dir itself cannot be
 * read.
 */
dp_status dp_batch_list_inputs(dp_diags *d, const char *dir, const char *skip,
                               char ***rels, size_t *n, int *unreadable);
void dp_batch_free_list(char **rels, size_t n);

#endif
