/* Packing libharu's output into object streams with a cross-reference
 * stream: every object still found where the xref stream says, streams
 * copied as they were, several object streams for many objects, poppler
 * reads the result, and input of another shape is refused untouched. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <cmocka.h>
#include <libdeflate.h>

#include "base/buf.h"
#include "pdf/hpdf_private.h"
#include "pdf/objstm.h"

/* A document with `pages` pages (a line drawn on each) and `entries`
 * outline entries, as libharu writes it. */
static uint8_t *make_pdf(int pages, int entries, HPDF_UINT32 *len)
{
    HPDF_Doc pdf = HPDF_New(NULL, NULL);
    assert_non_null(pdf);
    HPDF_SetCompressionMode(pdf, HPDF_COMP_ALL);
    HPDF_Page first = NULL;
    for (int i = 0; i < pages; i++) {
        HPDF_Page p = HPDF_AddPage(pdf);
        if (!first)
            first = p;
        HPDF_Page_MoveTo(p, 10, 10 + i);
        HPDF_Page_LineTo(p, 100, 100);
        HPDF_Page_Stroke(p);
    }
    for (int i = 0; i < entries; i++) {
        char title[32];
        snprintf(title, sizeof title, "entry %d", i);
        HPDF_Outline o = HPDF_CreateOutline(pdf, NULL, title, NULL);
        HPDF_Outline_SetDestination(o, HPDF_Page_CreateDestination(first));
    }
    HPDF_SetInfoAttr(pdf, HPDF_INFO_TITLE, "packed");
    /* a stream whose dictionary holds a string: copied as it is */
    HPDF_Dict odd = HPDF_DictStream_New(pdf->mmgr, pdf->xref);
    assert_non_null(odd);
    assert_int_equal(HPDF_Dict_Add(odd, "Note", HPDF_String_New(pdf->mmgr, "a (b) >> c", NULL)),
                     HPDF_OK);
    assert_int_equal(HPDF_Stream_WriteStr(odd->stream, "kept"), HPDF_OK);
    assert_int_equal(HPDF_Dict_Add(pdf->catalog, "Odd", odd), HPDF_OK);
    assert_int_equal(HPDF_SaveToStream(pdf), HPDF_OK);
    *len = HPDF_GetStreamSize(pdf);
    uint8_t *bytes = malloc(*len);
    assert_int_equal(HPDF_GetContents(pdf, bytes, len), HPDF_OK);
    HPDF_Free(pdf);
    return bytes;
}

static const char *find(const char *from, const char *to, const char *needle)
{
    size_t n = strlen(needle);
    for (const char *p = from; p + n <= to; p++)
        if (memcmp(p, needle, n) == 0)
            return p;
    return NULL;
}

static size_t count(const dp_buf *b, const char *needle)
{
    size_t n = 0;
    for (const char *p = b->data; (p = find(p, b->data + b->len, needle)); p++)
        n++;
    return n;
}

static uint64_t be(const uint8_t *p, int n)
{
    uint64_t v = 0;
    for (int i = 0; i < n; i++)
        v = v << 8 | p[i];
    return v;
}

/* Inflates the stream whose dictionary starts at dict. */
static size_t inflate_at(const char *dict, const char *end, uint8_t *out, size_t cap)
{
    const char *s = find(dict, end, ">>stream");
    if (!s)
        s = find(dict, end, ">>\nstream"); /* as libharu writes it */
    assert_non_null(s);
    s = find(s, end, "stream") + 6;
    s += *s == '\r' ? 2 : 1; /* CR LF or LF */
    const char *e = find(s, end, "\nendstream");
    assert_non_null(e);
    struct libdeflate_decompressor *d = libdeflate_alloc_decompressor();
    size_t got = 0;
    assert_int_equal(libdeflate_zlib_decompress(d, s, (size_t)(e - s), out, cap, &got),
                     LIBDEFLATE_SUCCESS);
    libdeflate_free_decompressor(d);
    return got;
}

/* Every entry of the xref stream checked against the file. */
static void check_xref(const dp_buf *b, size_t *in_streams, size_t *objstms, size_t *lengths)
{
    size_t freed = 0;
    const char *end = b->data + b->len;
    const char *sx = NULL;
    for (const char *p = b->data; (p = find(p, end, "startxref\n")); p++)
        sx = p;
    assert_non_null(sx);
    size_t at = strtoul(sx + 10, NULL, 10);
    assert_true(at < b->len);
    const char *x = b->data + at;
    unsigned self = (unsigned)strtoul(x, NULL, 10);
    assert_non_null(find(x, end, "/Type/XRef"));
    assert_non_null(find(x, end, "/W[1 4 2]"));
    assert_non_null(find(x, end, "/Root "));
    const char *sz = find(x, end, "/Size ");
    size_t size = strtoul(sz + 6, NULL, 10);
    assert_int_equal(size, self + 1);

    uint8_t *rows = malloc(size * 7 + 16);
    assert_int_equal(inflate_at(x, end, rows, size * 7 + 16), size * 7);
    *in_streams = *objstms = 0;
    assert_int_equal(rows[0], 0); /* object 0: the free list's head */
    for (size_t i = 1; i < size; i++) {
        const uint8_t *r = rows + i * 7;
        if (r[0] == 1) {
            char head[32];
            snprintf(head, sizeof head, "%zu 0 obj\n", i);
            uint64_t off = be(r + 1, 4);
            assert_true(off + strlen(head) <= b->len);
            assert_memory_equal(b->data + off, head, strlen(head));
            if (find(b->data + off, b->data + off + 64, "/Type/ObjStm"))
                (*objstms)++;
        } else if (r[0] == 0) {
            /* a stream's length object, now written in the stream */
            freed++;
        } else {
            assert_int_equal(r[0], 2);
            /* its object stream lists it at that index */
            const uint8_t *sr = rows + be(r + 1, 4) * 7;
            assert_int_equal(sr[0], 1);
            const char *stm = b->data + be(sr + 1, 4);
            uint8_t *data = malloc(1 << 20);
            size_t got = inflate_at(stm, end, data, 1 << 20);
            data[got] = '\0';
            const char *q = (const char *)data;
            for (uint64_t k = 0; k <= be(r + 5, 2); k++) {
                char *next;
                unsigned long num = strtoul(q, &next, 10);
                strtoul(next, &next, 10);
                q = next;
                if (k == be(r + 5, 2))
                    assert_int_equal(num, i);
            }
            free(data);
            (*in_streams)++;
        }
    }
    free(rows);
    *lengths = freed;
}

static void test_pack(void **state)
{
    (void)state;
    HPDF_UINT32 len;
    uint8_t *raw = make_pdf(3, 4, &len);
    dp_buf b;
    dp_buf_init(&b);
    assert_int_equal(dp_objstm_pack(raw, len, &b), DP_OK);
    assert_memory_equal(b.data, "%PDF-1.5\n", 9);
    assert_true(b.len < len);
    assert_int_equal(count(&b, "\nxref\n"), 0);
    size_t packed, stms, lengths;
    check_xref(&b, &packed, &stms, &lengths);
    assert_int_equal(stms, 1);
    /* each page's stream carries its length itself, in a compact dictionary */
    assert_int_equal(lengths, 3);
    assert_int_equal(count(&b, "<</Length "), 3);
    assert_int_equal(count(&b, "0 R/Filter"), 0);
    assert_true(packed >= 3 + 4 + 3); /* pages, outline entries, catalog... */
    /* the stream with a string keeps libharu's dictionary and its length
     * object; the page streams' dictionaries are compacted */
    assert_int_equal(count(&b, "/Note (a \\050b\\051 \\076\\076 c)"), 1);
    assert_int_equal(count(&b, "stream\r\nkept\nendstream"), 1);
    /* the three page contents were copied as they were: still deflated */
    assert_int_equal(count(&b, "FlateDecode"), 3 + 2); /* and ours: ObjStm, XRef */

    /* poppler reads it */
    const char *dir = getenv("TMPDIR");
    char path[256], cmd[400];
    snprintf(path, sizeof path, "%s/objstm-%d.pdf", dir && *dir ? dir : "/tmp", (int)getpid());
    FILE *f = fopen(path, "wb");
    assert_non_null(f);
    assert_int_equal(fwrite(b.data, 1, b.len, f), b.len);
    fclose(f);
    snprintf(cmd, sizeof cmd, "pdfinfo '%s' 2>&1 | grep -q '^Pages: *3$'", path);
    assert_int_equal(system(cmd), 0);
    snprintf(cmd, sizeof cmd, "pdfinfo '%s' 2>&1 | grep -q '^Title: *packed$'", path);
    assert_int_equal(system(cmd), 0);
    remove(path);
    dp_buf_dispose(&b);
    free(raw);
}

/* More objects than one object stream holds: several, all reachable. */
static void test_many_objects(void **state)
{
    (void)state;
    HPDF_UINT32 len;
    uint8_t *raw = make_pdf(2, 1200, &len);
    dp_buf b;
    dp_buf_init(&b);
    assert_int_equal(dp_objstm_pack(raw, len, &b), DP_OK);
    size_t packed, stms, lengths;
    check_xref(&b, &packed, &stms, &lengths);
    assert_true(packed > 1200 * 2); /* entries and their destinations */
    assert_true(stms >= (packed + 511) / 512);
    dp_buf_dispose(&b);
    free(raw);
}

/* Input of another shape: refused, the output buffer left as it was. */
static void test_refused(void **state)
{
    (void)state;
    HPDF_UINT32 len;
    uint8_t *raw = make_pdf(1, 0, &len);
    dp_buf b;
    dp_buf_init(&b);
    assert_int_equal(dp_buf_adds(&b, "kept"), DP_OK);
    /* cut before the table */
    const char *x = find((const char *)raw, (const char *)raw + len, "\nxref");
    assert_non_null(x);
    assert_int_equal(dp_objstm_pack(raw, (size_t)(x - (const char *)raw), &b), DP_ERR);
    assert_int_equal(b.len, 4);
    assert_string_equal(b.data, "kept");
    /* a table that points into the middle of an object */
    uint8_t *bad = malloc(len);
    memcpy(bad, raw, len);
    char *e = (char *)find((const char *)bad, (const char *)bad + len, " 00000 n");
    assert_non_null(e);
    e = (char *)find(e + 1, (const char *)bad + len, " 00000 n"); /* object 1 */
    e[-1] = e[-1] == '9' ? '8' : '9';
    assert_int_equal(dp_objstm_pack(bad, len, &b), DP_ERR);
    assert_int_equal(b.len, 4);
    /* nothing at all */
    assert_int_equal(dp_objstm_pack((const uint8_t *)"", 0, &b), DP_ERR);
    dp_buf_dispose(&b);
    free(bad);
    free(raw);
}

/* Stream data ending in CR: under DP_OBJSTM_STRICT_EOL a CR LF follows
 * it (PDF/A reads CR LF before endstream as the end-of-line marker), in
 * compacted streams and in those copied as libharu wrote them; without
 * the flag the bytes stay as they were. */
static void test_strict_eol(void **state)
{
    (void)state;
    HPDF_Doc pdf = HPDF_New(NULL, NULL);
    assert_non_null(pdf);
    HPDF_AddPage(pdf);
    HPDF_Dict plain = HPDF_DictStream_New(pdf->mmgr, pdf->xref);
    HPDF_Dict odd = HPDF_DictStream_New(pdf->mmgr, pdf->xref);
    assert_non_null(plain);
    assert_non_null(odd);
    assert_int_equal(HPDF_Dict_Add(odd, "Note", HPDF_String_New(pdf->mmgr, "n", NULL)), HPDF_OK);
    assert_int_equal(HPDF_Stream_WriteStr(plain->stream, "one\r"), HPDF_OK);
    assert_int_equal(HPDF_Stream_WriteStr(odd->stream, "two\r"), HPDF_OK);
    assert_int_equal(HPDF_Dict_Add(pdf->catalog, "A", plain), HPDF_OK);
    assert_int_equal(HPDF_Dict_Add(pdf->catalog, "B", odd), HPDF_OK);
    assert_int_equal(HPDF_SaveToStream(pdf), HPDF_OK);
    HPDF_UINT32 len = HPDF_GetStreamSize(pdf);
    uint8_t *raw = malloc(len);
    assert_int_equal(HPDF_GetContents(pdf, raw, &len), HPDF_OK);
    HPDF_Free(pdf);

    dp_buf strict, loose;
    dp_buf_init(&strict);
    dp_buf_init(&loose);
    assert_int_equal(dp_objstm_pack_ex(raw, len, &strict, DP_OBJSTM_STRICT_EOL), DP_OK);
    assert_int_equal(dp_objstm_pack_ex(raw, len, &loose, 0), DP_OK);
    assert_int_equal(count(&strict, "<</Length 4>>stream\none\r\r\nendstream"), 1);
    assert_int_equal(count(&strict, "two\r\r\nendstream"), 1);
    assert_int_equal(count(&loose, "\r\r\nendstream"), 0);
    assert_int_equal(count(&loose, "<</Length 4>>stream\none\r\nendstream"), 1);
    assert_int_equal(strict.len, loose.len + 2);
    size_t packed, stms, lengths;
    check_xref(&strict, &packed, &stms, &lengths); /* offsets still right */
    dp_buf_dispose(&strict);
    dp_buf_dispose(&loose);
    free(raw);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_pack),
        cmocka_unit_test(test_many_objects),
        cmocka_unit_test(test_refused),
        cmocka_unit_test(test_strict_eol),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
