/*
 * What a PDF says about itself: the Info dictionary, the XMP packet, and
 * for PDF/A-2 (ISO 19005-2) what that standard adds: pdfaid in the XMP,
 * the catalog's /Lang, an sRGB output intent, printable annotations and
 * a trailer /ID derived from the file's content. Info and XMP are written
 * from the same values, so they always agree.
 */
#ifndef DP_PDF_METADATA_H
#define DP_PDF_METADATA_H

#include <stddef.h>
#include <stdint.h>

#include <hpdf.h>

#include "base/buf.h"
#include "base/diag.h"
#include "layout/pages.h"

/* The standards a file claims to meet (dp_pages.pdf_standard): a PDF/A
 * part (the low bits) and the PDF/UA flag. */
typedef enum dp_pdf_standard {
    DP_PDF_A2U = 0,   /* PDF/A-2u: archivable, every character mapped to Unicode */
    DP_PDF_A2B = 1,   /* PDF/A-2b: archivable, looks the same everywhere */
    DP_PDF_PLAIN = 2, /* no PDF/A claim */
    DP_PDF_UA = 4     /* flag: PDF/UA-1 (ISO 14289-1), tagged for assistive technology */
} dp_pdf_standard;

#define DP_PDF_A_MASK 3

/* The default when no standard is asked for: PDF/UA-1 and PDF/A-2u. */
#define DP_PDF_DEFAULT ((dp_pdf_standard)(DP_PDF_A2U | DP_PDF_UA))

/* Whether standard claims PDF/A (either conformance), PDF/UA. */
static inline int dp_pdf_is_a(int standard)
{
    return (standard & DP_PDF_A_MASK) != DP_PDF_PLAIN;
}

static inline int dp_pdf_is_ua(int standard)
{
    return (standard & DP_PDF_UA) != 0;
}

/*
 * Parses a --pdf-standard list: entries "ua-1", "a-2u", "a-2b", "none",
 * separated by commas (NULL: the default, ua-1,a-2u). "none" stands
 * alone; a-2u and a-2b exclude each other. DP_EINPUT with an error
 * naming the option otherwise.
 */
dp_status dp_pdf_standard_parse(dp_diags *d, const char *list, dp_pdf_standard *out);

/* "ua-1,a-2u", "ua-1,a-2b", "ua-1", "a-2u", "a-2b" or "none" (static). */
const char *dp_pdf_standard_name(dp_pdf_standard standard);

/* A PDF date taken from sde (a SOURCE_DATE_EPOCH value, seconds since
 * 1970 as text; UTC) when it is one a PDF date can hold, else from the
 * digest's published date (an xsd:date, its time zone kept; none means
 * UTC). Never the clock, never the environment. */
typedef struct dp_pdf_date {
    int year, month, day, hour, minute, second;
    char zone;              /* 'Z', '+' or '-' */
    int zone_hour, zone_minute;
} dp_pdf_date;

void dp_pdf_date_of(const char *published, const char *sde, dp_pdf_date *out);

/* The date as XMP writes it: "2026-01-06T00:00:00+09:00" (out: 32 bytes). */
void dp_pdf_date_xmp(const dp_pdf_date *date, char out[32]);

/*
 * Writes the Info dictionary and the XMP packet for pages->pdf_standard
 * (pdfaid for PDF/A, pdfuaid and its extension schema for PDF/UA), the
 * catalog /Lang (pages->lang) for either; for PDF/A /OutputIntents with
 * an sRGB profile and the Print flag on every annotation made so far
 * (call after the last one). Returns DP_OK or DP_ERR/DP_ENOMEM.
 */
dp_status dp_pdf_metadata(HPDF_Doc pdf, const dp_pages *pages);

/*
 * Adds a trailer /ID to raw, a whole file: one as libharu writes it
 * (classic xref table and trailer) or packed (dp_objstm_pack: the /ID
 * goes into its cross-reference stream's dictionary). Both parts are the
 * MD5 of the file's bytes before the /ID, so equal files get equal
 * identifiers and any change gives a new one. No offset changes (the
 * trailer, or the cross-reference stream, comes last). DP_ERR when there
 * is no trailer.
 */
dp_status dp_pdf_add_id(dp_buf *raw);

/* MD5 (RFC 1321) of data[0..len) into out. */
void dp_pdf_md5(const void *data, size_t len, uint8_t out[16]);

/* An sRGB IEC 61966-2.1 display profile (ICC version 2.1), computed from
 * the standard's primaries, white point and transfer function. Appends
 * it to out. */
dp_status dp_pdf_srgb_profile(dp_buf *out);

#endif
