/*
 * What libharu 2.3.0 cannot do through its public API, done through its
 * installed internal headers: outline titles beyond the BMP and catalog
 * entries it has no setter for. The CID font objects (cidfont.c) are the
 * other user of those internals.
 */
#ifndef DP_PDF_HPDF_EXT_H
#define DP_PDF_HPDF_EXT_H

#include <stddef.h>

#include <hpdf.h>

/* An outline entry whose /Title is UTF-16BE written by us, so that
 * characters beyond the BMP survive. NULL on failure. */
HPDF_Outline dp_hpdf_outline_new(HPDF_Doc pdf, HPDF_Outline parent,
                                 const char *title_utf8, HPDF_Encoder utf8);

/* Viewer settings: show the document title in the window bar; open at
 * first_page fitting the width (when non-NULL). */
int dp_hpdf_finish_catalog(HPDF_Doc pdf, HPDF_Page first_page);

/* The document's XMP metadata: an uncompressed /Metadata stream in the
 * catalog holding xmp[0..len). Returns DP_OK or DP_ERR. */
int dp_hpdf_set_metadata(HPDF_Doc pdf, const char *xmp, size_t len);

#endif
