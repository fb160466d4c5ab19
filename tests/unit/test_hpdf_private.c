/* libharu's internal fields that the writer uses (src/pdf/hpdf_private.h),
 * each checked against what the library itself does with it: if a field
 * moved or changed meaning, one of these fails before a PDF is damaged. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <string.h>

#include <cmocka.h>

#include "base/buf.h"
#include "pdf/hpdf_ext.h"
#include "pdf/hpdf_private.h"

static HPDF_Doc new_doc(void)
{
    HPDF_Doc pdf = HPDF_New(NULL, NULL);
    assert_non_null(pdf);
    HPDF_SetCompressionMode(pdf, HPDF_COMP_NONE);
    return pdf;
}

static void save(HPDF_Doc pdf, dp_buf *out)
{
    dp_buf_init(out);
    assert_int_equal(dp_hpdf_save(pdf, out), DP_OK);
}

static void test_hpdf_private_version(void **state)
{
    (void)state;
    assert_int_equal(HPDF_VERSION_ID, 20300);
    assert_string_equal(HPDF_VERSION_TEXT, "2.3.0");
}

static void test_hpdf_private_doc_fields(void **state)
{
    (void)state;
    HPDF_Doc pdf = new_doc();
    /* the catalog, trailer and xref are the objects HPDF_New made */
    assert_non_null(pdf->mmgr);
    assert_non_null(pdf->xref);
    assert_non_null(pdf->catalog);
    assert_non_null(pdf->trailer);
    assert_ptr_equal(HPDF_Dict_GetItem(pdf->catalog, "Type", HPDF_OCLASS_NAME) != NULL, 1);
    /* the Info dictionary is the one the attributes go into */
    assert_int_equal(HPDF_SetInfoAttr(pdf, HPDF_INFO_AUTHOR, "x"), HPDF_OK);
    assert_non_null(pdf->info);
    assert_non_null(HPDF_Dict_GetItem(pdf->info, "Author", HPDF_OCLASS_STRING));
    /* every indirect object is an entry of the xref */
    HPDF_UINT before = pdf->xref->entries->count;
    HPDF_Dict d = HPDF_Dict_New(pdf->mmgr);
    assert_int_equal(HPDF_Xref_Add(pdf->xref, d), HPDF_OK);
    assert_int_equal(pdf->xref->entries->count, before + 1);
    HPDF_XrefEntry e = HPDF_List_ItemAt(pdf->xref->entries, before);
    assert_ptr_equal(e->obj, d);
    /* a catalog entry added through the field is in the saved file */
    assert_int_equal(HPDF_Dict_AddName(pdf->catalog, "PinnedKey", "PinnedValue"), HPDF_OK);
    dp_buf out;
    save(pdf, &out);
    assert_non_null(strstr(out.data, "/PinnedKey /PinnedValue"));
    assert_non_null(strstr(out.data, "/Info"));
    dp_buf_dispose(&out);
    HPDF_Free(pdf);
}

static void test_hpdf_private_page_fields(void **state)
{
    (void)state;
    HPDF_Doc pdf = new_doc();
    HPDF_Page page = HPDF_AddPage(pdf);
    HPDF_PageAttr pa = page->attr;
    assert_non_null(pa->stream);
    assert_int_equal(pa->gmode, HPDF_GMODE_PAGE_DESCRIPTION);
    HPDF_Font font = HPDF_GetFont(pdf, "Helvetica", NULL);
    assert_int_equal(HPDF_Page_BeginText(page), HPDF_OK);
    assert_int_equal(pa->gmode, HPDF_GMODE_TEXT_OBJECT);
    assert_int_equal(HPDF_Page_SetFontAndSize(page, font, 12), HPDF_OK);
    assert_ptr_equal(pa->gstate->font, font);
    assert_true(pa->gstate->font_size > 11.99f && pa->gstate->font_size < 12.01f);
    assert_int_equal(pa->gstate->writing_mode, ((HPDF_FontAttr)font->attr)->writing_mode);
    assert_int_equal(HPDF_Page_EndText(page), HPDF_OK);
    assert_int_equal(HPDF_Page_SetRGBFill(page, 1, 0, 0), HPDF_OK);
    assert_true(pa->gstate->rgb_fill.r > 0.99f && pa->gstate->rgb_fill.g < 0.01f);
    assert_int_equal(HPDF_Page_SetRGBStroke(page, 0, 0, 1), HPDF_OK);
    assert_true(pa->gstate->rgb_stroke.b > 0.99f);
    /* bytes written to the stream field are the page's content */
    assert_int_equal(HPDF_Stream_WriteStr(pa->stream, "% pinned content\n"), HPDF_OK);
    assert_true(pa->stream->size > 0);
    assert_int_equal(pa->stream->type, HPDF_STREAM_MEMORY);
    dp_buf out;
    save(pdf, &out);
    assert_non_null(strstr(out.data, "% pinned content"));
    dp_buf_dispose(&out);
    HPDF_Free(pdf);
}

static void test_hpdf_private_font_attr(void **state)
{
    (void)state;
    HPDF_Doc pdf = new_doc();
    HPDF_Font font = HPDF_GetFont(pdf, "Helvetica", NULL);
    assert_int_equal(font->header.obj_class, HPDF_OCLASS_DICT | HPDF_OSUBCLASS_FONT);
    HPDF_FontAttr attr = font->attr;
    assert_int_equal(attr->type, HPDF_FONT_TYPE1);
    assert_int_equal(attr->writing_mode, HPDF_WMODE_HORIZONTAL);
    assert_ptr_equal(attr->xref, pdf->xref);
    assert_non_null(attr->fontdef);
    assert_string_equal(attr->fontdef->base_font, "Helvetica");
    assert_ptr_equal(attr->fontdef->mmgr, pdf->mmgr);
    HPDF_Free(pdf);
}

static void test_hpdf_private_stream_filter_hook(void **state)
{
    (void)state;
    HPDF_Doc pdf = new_doc();
    HPDF_Dict s = HPDF_DictStream_New(pdf->mmgr, pdf->xref);
    assert_non_null(s);
    assert_non_null(s->stream);
    assert_int_equal(s->filter, HPDF_STREAM_FILTER_NONE);
    assert_null(s->write_fn);
    assert_int_equal(HPDF_Stream_WriteStr(s->stream, "already-deflated"), HPDF_OK);
    dp_hpdf_mark_deflated(s); /* sets filter and write_fn */
    assert_int_equal(s->filter, HPDF_STREAM_FILTER_NONE);
    assert_non_null(s->write_fn);
    assert_int_equal(HPDF_Dict_AddName(pdf->catalog, "Pin", "Pin"), HPDF_OK);
    assert_int_equal(HPDF_Dict_Add(pdf->catalog, "PinStream", s), HPDF_OK);
    dp_buf out;
    save(pdf, &out);
    /* the bytes are copied as they are, and the dictionary names the filter */
    char *at = strstr(out.data, "already-deflated");
    assert_non_null(at);
    assert_non_null(strstr(out.data, "/Filter /FlateDecode"));
    dp_buf_dispose(&out);
    HPDF_Free(pdf);
}

/* The block-copying memory stream keeps libharu's buffers as libharu's
 * own functions would: the same buffers and fill for the same writes, and
 * the same bytes read back in pieces, also after a seek. */
static void test_hpdf_private_fast_stream(void **state)
{
    (void)state;
    HPDF_Doc pdf = HPDF_New(NULL, NULL);
    assert_non_null(pdf);
    HPDF_Stream ours = HPDF_MemStream_New(pdf->mmgr, 100);
    HPDF_Stream theirs = HPDF_MemStream_New(pdf->mmgr, 100);
    assert_non_null(ours);
    assert_non_null(theirs);
    dp_hpdf_fast_stream(ours);
    assert_true(ours->write_fn != theirs->write_fn);
    assert_true(ours->read_fn != theirs->read_fn);
    HPDF_BYTE data[1000];
    for (size_t i = 0; i < sizeof data; i++)
        data[i] = (HPDF_BYTE)(i * 7 + 3);
    /* writes that end inside a buffer, on its end, and span several */
    static const HPDF_UINT sizes[] = {1, 99, 100, 0, 37, 250, 13, 300, 187};
    size_t at = 0;
    for (size_t k = 0; k < sizeof sizes / sizeof *sizes; k++) {
        assert_int_equal(HPDF_Stream_Write(ours, data + at, sizes[k]), HPDF_OK);
        assert_int_equal(HPDF_Stream_Write(theirs, data + at, sizes[k]), HPDF_OK);
        at += sizes[k];
        HPDF_MemStreamAttr a = ours->attr, b = theirs->attr;
        assert_int_equal(ours->size, theirs->size);
        assert_int_equal(a->buf->count, b->buf->count);
        assert_int_equal(a->w_pos, b->w_pos);
    }
    assert_int_equal(at, 987); /* the last buffer part full */
    for (HPDF_UINT i = 0; i < HPDF_MemStream_GetBufCount(theirs); i++) {
        HPDF_UINT la = 0, lb = 0;
        HPDF_BYTE *pa = HPDF_MemStream_GetBufPtr(ours, i, &la);
        HPDF_BYTE *pb = HPDF_MemStream_GetBufPtr(theirs, i, &lb);
        assert_int_equal(la, lb);
        assert_memory_equal(pa, pb, la);
    }
    /* read in pieces that cross buffers, from the start and after a seek */
    static const HPDF_INT from[] = {0, 150};
    for (size_t f = 0; f < 2; f++) {
        assert_int_equal(HPDF_Stream_Seek(ours, from[f], HPDF_SEEK_SET), HPDF_OK);
        assert_int_equal(HPDF_Stream_Seek(theirs, from[f], HPDF_SEEK_SET), HPDF_OK);
        for (;;) {
            HPDF_BYTE x[64], y[64];
            HPDF_UINT nx = 64, ny = 64;
            HPDF_STATUS sx = HPDF_Stream_Read(ours, x, &nx);
            HPDF_STATUS sy = HPDF_Stream_Read(theirs, y, &ny);
            assert_int_equal(sx, sy);
            assert_int_equal(nx, ny);
            assert_memory_equal(x, y, nx);
            if (sx != HPDF_OK)
                break;
        }
        assert_int_equal(HPDF_Stream_Tell(ours), HPDF_Stream_Tell(theirs));
    }
    /* a stream whose document has failed writes nothing, as libharu's */
    HPDF_SetError(ours->error, HPDF_INVALID_OBJECT, 0);
    assert_int_equal(ours->write_fn(ours, data, 10), HPDF_THIS_FUNC_WAS_SKIPPED);
    assert_int_equal(theirs->write_fn(theirs, data, 10), HPDF_THIS_FUNC_WAS_SKIPPED);
    HPDF_ResetError(pdf);
    /* only memory streams change */
    HPDF_Stream other = HPDF_CallbackWriter_New(pdf->mmgr, theirs->write_fn, NULL);
    assert_non_null(other);
    HPDF_Stream_Write_Func before = other->write_fn;
    dp_hpdf_fast_stream(other);
    assert_true(other->write_fn == before);
    HPDF_Stream_Free(other);
    HPDF_Stream_Free(ours);
    HPDF_Stream_Free(theirs);
    HPDF_Free(pdf);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_hpdf_private_version),
        cmocka_unit_test(test_hpdf_private_doc_fields),
        cmocka_unit_test(test_hpdf_private_page_fields),
        cmocka_unit_test(test_hpdf_private_font_attr),
        cmocka_unit_test(test_hpdf_private_stream_filter_hook),
        cmocka_unit_test(test_hpdf_private_fast_stream),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
