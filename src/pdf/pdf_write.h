/* Writing pages as a PDF file. */
#ifndef DP_PDF_PDF_WRITE_H
#define DP_PDF_PDF_WRITE_H

#include <stddef.h>

#include "base/diag.h"
#include "layout/pages.h"

/*
 * Writes pages to path: fonts embedded as subsets, outline from the
 * marks, links, document information. The file appears at path only when
 * complete (temporary file + rename); on failure nothing is left behind
 * and d says why. bytes_out (may be NULL) receives the file size. With
 * max_bytes non-zero, a larger result is discarded and DP_ELIMIT returned
 * without a diagnostic (*bytes_out still tells the size). threads: how
 * many threads may work at once (the font programs are built while the
 * pages are drawn, the streams compressed side by side); 1 or less: the
 * calling thread only. The bytes written do not depend on it.
 */
dp_status dp_pdf_write(const dp_pages *pages, dp_diags *d, const char *path,
                       size_t max_bytes, int threads, size_t *bytes_out);

#endif
