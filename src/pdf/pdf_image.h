/*
 * Image XObjects from decoded images (src/image): PNG samples as 8-bit
 * grey or RGB with an /SMask for alpha, both deflated by dp_deflate_run();
 * JPEG bytes as they are, with /DCTDecode. Built with libharu's object
 * API, as the CID fonts are.
 */
#ifndef DP_PDF_PDF_IMAGE_H
#define DP_PDF_PDF_IMAGE_H

#include <hpdf.h>

#include "image/image.h"

/* A new image XObject in pdf showing img (borrowed: its bytes are copied,
 * compressed, into the document), ready for HPDF_Page_DrawImage. NULL
 * when out of memory or when libharu fails (its error handler has been
 * called then). */
HPDF_Image dp_pdf_image_new(HPDF_Doc pdf, const dp_image *img);

#endif
