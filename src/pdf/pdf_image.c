#include "pdf_image.h"

#include <stdlib.h>

#include <hpdf_doc.h>
#include <hpdf_objects.h>
#include <hpdf_streams.h>

#include "deflate.h"
#include "hpdf_ext.h"

/* An image dictionary with its stream holding bytes[0..len). */
static HPDF_Dict image_dict(HPDF_Doc pdf, const dp_image *img, const char *space,
                            const unsigned char *bytes, size_t len)
{
    HPDF_Dict d = HPDF_DictStream_New(pdf->mmgr, pdf->xref);
    if (!d)
        return NULL;
    d->header.obj_class |= HPDF_OSUBCLASS_XOBJECT;
    if (HPDF_Dict_AddName(d, "Type", "XObject") != HPDF_OK ||
        HPDF_Dict_AddName(d, "Subtype", "Image") != HPDF_OK ||
        HPDF_Dict_AddNumber(d, "Width", img->width) != HPDF_OK ||
        HPDF_Dict_AddNumber(d, "Height", img->height) != HPDF_OK ||
        HPDF_Dict_AddName(d, "ColorSpace", space) != HPDF_OK ||
        HPDF_Dict_AddNumber(d, "BitsPerComponent", 8) != HPDF_OK ||
        HPDF_Stream_Write(d->stream, bytes, (HPDF_UINT)len) != HPDF_OK)
        return NULL;
    return d;
}

static const char *space_of(int channels)
{
    return channels == 1 ? "DeviceGray" : channels == 3 ? "DeviceRGB" : "DeviceCMYK";
}

static HPDF_Image jpeg_new(HPDF_Doc pdf, const dp_image *img)
{
    HPDF_Dict d = image_dict(pdf, img, space_of(img->channels), img->jpeg, img->jpeg_len);
    if (!d)
        return NULL;
    d->filter = HPDF_STREAM_FILTER_DCT_DECODE;
    if (img->jpeg_inverted) {
        HPDF_Array decode = HPDF_Array_New(pdf->mmgr);
        if (!decode || HPDF_Dict_Add(d, "Decode", decode) != HPDF_OK)
            return NULL;
        for (int i = 0; i < 4; i++)
            if (HPDF_Array_AddNumber(decode, 1) != HPDF_OK ||
                HPDF_Array_AddNumber(decode, 0) != HPDF_OK)
                return NULL;
    }
    return d;
}

static HPDF_Image png_new(HPDF_Doc pdf, const dp_image *img)
{
    size_t pixels = (size_t)img->width * (size_t)img->height;
    dp_deflate_job jobs[2] = {{img->samples, pixels * (size_t)img->channels, NULL, 0},
                              {img->alpha, pixels, NULL, 0}};
    size_t n = img->alpha ? 2 : 1;
    /* one thread: pages are drawn while the font builder has the other */
    if (dp_deflate_run(jobs, n, 1, DP_DEFLATE_STREAMS) != DP_OK)
        return NULL;
    HPDF_Dict d = image_dict(pdf, img, space_of(img->channels), jobs[0].out,
                             jobs[0].out_len);
    HPDF_Dict mask = NULL;
    if (d && img->alpha) {
        mask = image_dict(pdf, img, "DeviceGray", jobs[1].out, jobs[1].out_len);
        if (!mask || HPDF_Dict_Add(d, "SMask", mask) != HPDF_OK)
            d = NULL;
        else
            dp_hpdf_mark_deflated(mask);
    }
    if (d)
        dp_hpdf_mark_deflated(d);
    for (size_t i = 0; i < n; i++)
        free(jobs[i].out);
    return d;
}

HPDF_Image dp_pdf_image_new(HPDF_Doc pdf, const dp_image *img)
{
    return img->type == DP_IMAGE_JPEG ? jpeg_new(pdf, img) : png_new(pdf, img);
}
