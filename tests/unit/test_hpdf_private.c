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

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_hpdf_private_version),
        cmocka_unit_test(test_hpdf_private_doc_fields),
        cmocka_unit_test(test_hpdf_private_page_fields),
        cmocka_unit_test(test_hpdf_private_font_attr),
        cmocka_unit_test(test_hpdf_private_stream_filter_hook),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
