#include "hpdf_ext.h"

#include <stdint.h>
#include <stdlib.h>
#include <string.h>

/* libharu's internal headers: see hpdf_ext.h for why. */
#include <hpdf_catalog.h>
#include <hpdf_doc.h>
#include <hpdf_objects.h>
#include <hpdf_outline.h>
#include <hpdf_streams.h>

#include "base/status.h"
#include "base/utf8.h"

HPDF_Outline dp_hpdf_outline_new(HPDF_Doc pdf, HPDF_Outline parent,
                                 const char *title, HPDF_Encoder utf8)
{
    HPDF_Outline o = HPDF_CreateOutline(pdf, parent, "", utf8);
    if (!o)
        return NULL;
    size_t len = strlen(title);
    unsigned char *u16 = malloc(2 + len * 4);
    if (!u16)
        return NULL;
    size_t n = 0;
    u16[n++] = 0xFE; /* byte order mark: a UTF-16BE text string */
    u16[n++] = 0xFF;
    for (size_t i = 0; i < len;) {
        uint32_t cp;
        size_t k = dp_utf8_decode(title + i, len - i, &cp);
        if (k == 0) {
            cp = 0xFFFD;
            k = 1;
        }
        i += k;
        if (cp >= 0x10000) {
            uint32_t v = cp - 0x10000;
            uint32_t hi = 0xD800 + (v >> 10), lo = 0xDC00 + (v & 0x3FF);
            u16[n++] = (unsigned char)(hi >> 8);
            u16[n++] = (unsigned char)hi;
            u16[n++] = (unsigned char)(lo >> 8);
            u16[n++] = (unsigned char)lo;
        } else {
            u16[n++] = (unsigned char)(cp >> 8);
            u16[n++] = (unsigned char)cp;
        }
    }
    HPDF_Binary bin = HPDF_Binary_New(pdf->mmgr, u16, (HPDF_UINT)n);
    free(u16);
    if (!bin || HPDF_Dict_Add(o, "Title", bin) != HPDF_OK)
        return NULL;
    return o;
}

int dp_hpdf_finish_catalog(HPDF_Doc pdf, HPDF_Page first_page)
{
    HPDF_Dict prefs = HPDF_Dict_New(pdf->mmgr);
    if (!prefs || HPDF_Dict_AddBoolean(prefs, "DisplayDocTitle", HPDF_TRUE) != HPDF_OK ||
        HPDF_Dict_Add(pdf->catalog, "ViewerPreferences", prefs) != HPDF_OK)
        return DP_ERR;
    if (first_page) {
        HPDF_Destination dst = HPDF_Page_CreateDestination(first_page);
        if (!dst || HPDF_Destination_SetFitH(dst, HPDF_Page_GetHeight(first_page)) != HPDF_OK ||
            HPDF_SetOpenAction(pdf, dst) != HPDF_OK)
            return DP_ERR;
    }
    return DP_OK;
}

int dp_hpdf_set_metadata(HPDF_Doc pdf, const char *xmp, size_t len)
{
    /* uncompressed, as XMP readers that scan the file expect */
    HPDF_Dict meta = HPDF_DictStream_New(pdf->mmgr, pdf->xref);
    if (!meta || HPDF_Dict_AddName(meta, "Type", "Metadata") != HPDF_OK ||
        HPDF_Dict_AddName(meta, "Subtype", "XML") != HPDF_OK ||
        HPDF_Stream_Write(meta->stream, (const HPDF_BYTE *)xmp, (HPDF_UINT)len) != HPDF_OK ||
        HPDF_Dict_Add(pdf->catalog, "Metadata", meta) != HPDF_OK)
        return DP_ERR;
    return DP_OK;
}
