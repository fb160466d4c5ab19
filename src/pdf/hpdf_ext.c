#include "hpdf_ext.h"

#include <math.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "hpdf_private.h" /* libharu internals, version-gated */

#include "base/status.h"
#include "base/utf8.h"
#include "deflate.h"

HPDF_Binary dp_hpdf_text_string(HPDF_Doc pdf, const char *s, size_t len)
{
    unsigned char *u16 = malloc(2 + len * 4);
    if (!u16)
        return NULL;
    size_t n = 0;
    u16[n++] = 0xFE; /* byte order mark: a UTF-16BE text string */
    u16[n++] = 0xFF;
    for (size_t i = 0; i < len;) {
        uint32_t cp;
        size_t k = dp_utf8_decode(s + i, len - i, &cp);
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
    return bin;
}

HPDF_Outline dp_hpdf_outline_new(HPDF_Doc pdf, HPDF_Outline parent, const char *title)
{
    /* (no encoder: the empty title is replaced; libharu's UTF-8 encoder
     * cost more to set up than all the outline) */
    HPDF_Outline o = HPDF_CreateOutline(pdf, parent, "", NULL);
    if (!o)
        return NULL;
    HPDF_Binary bin = dp_hpdf_text_string(pdf, title, strlen(title));
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

/*
 * libharu's memory streams copy a byte at a time (HPDF_MemCpy): every
 * content stream, font program and stream it saves went through that
 * loop, 2 % of a digest's time. These two do what its write and read
 * functions do, block by block, keeping the stream's buffers (buf,
 * buf_siz, w_pos, w_ptr; r_ptr_idx, r_pos, r_ptr) exactly as they would:
 * libharu's own seek, size and buffer access still read them.
 */
static HPDF_STATUS mem_write(HPDF_Stream s, const HPDF_BYTE *p, HPDF_UINT n)
{
    HPDF_MemStreamAttr a = s->attr;
    if (HPDF_Error_GetCode(s->error) != 0)
        return HPDF_THIS_FUNC_WAS_SKIPPED;
    while (n > 0) {
        HPDF_UINT room = a->buf_siz - a->w_pos;
        if (room > 0) {
            HPDF_UINT k = room < n ? room : n;
            memcpy(a->w_ptr, p, k);
            a->w_ptr += k;
            a->w_pos += k;
            p += k;
            n -= k;
            continue;
        }
        a->w_ptr = HPDF_GetMem(s->mmgr, a->buf_siz);
        if (!a->w_ptr)
            return HPDF_Error_GetCode(s->error);
        if (HPDF_List_Add(a->buf, a->w_ptr) != HPDF_OK) {
            HPDF_FreeMem(s->mmgr, a->w_ptr);
            a->w_ptr = NULL;
            return HPDF_Error_GetCode(s->error);
        }
        a->w_pos = 0;
    }
    return HPDF_OK;
}

static HPDF_STATUS mem_read(HPDF_Stream s, HPDF_BYTE *p, HPDF_UINT *size)
{
    HPDF_MemStreamAttr a = s->attr;
    HPDF_UINT want = *size;
    *size = 0;
    while (want > 0) {
        HPDF_UINT last = a->buf->count - 1, have;
        if (a->buf->count == 0)
            return HPDF_STREAM_EOF;
        if (a->r_ptr_idx < last)
            have = a->buf_siz - a->r_pos;
        else if (a->r_ptr_idx == last)
            have = a->w_pos - a->r_pos;
        else
            return HPDF_STREAM_EOF;
        if (!a->r_ptr)
            a->r_ptr = HPDF_List_ItemAt(a->buf, a->r_ptr_idx);
        HPDF_UINT k = have < want ? have : want;
        memcpy(p, a->r_ptr, k);
        p += k;
        *size += k;
        a->r_ptr += k;
        a->r_pos += k;
        want -= k;
        if (want == 0)
            return HPDF_OK;
        if (a->r_ptr_idx == last)
            return HPDF_STREAM_EOF;
        a->r_ptr_idx++;
        a->r_pos = 0;
        a->r_ptr = HPDF_List_ItemAt(a->buf, a->r_ptr_idx);
    }
    return HPDF_OK;
}

void dp_hpdf_fast_stream(HPDF_Stream s)
{
    if (s && s->type == HPDF_STREAM_MEMORY && s->attr) {
        s->write_fn = mem_write;
        s->read_fn = mem_read;
    }
}

HPDF_Dict dp_hpdf_stream_new(HPDF_Doc pdf)
{
    HPDF_Dict d = HPDF_DictStream_New(pdf->mmgr, pdf->xref);
    if (d)
        dp_hpdf_fast_stream(d->stream);
    return d;
}

HPDF_Page dp_hpdf_add_page(HPDF_Doc pdf)
{
    HPDF_Page page = HPDF_AddPage(pdf);
    if (page)
        dp_hpdf_fast_stream(((HPDF_PageAttr)page->attr)->stream);
    return page;
}

/* libharu drops a /Filter entry from a stream it does not filter itself;
 * this hook writes it back as the dictionary is written. */
static HPDF_STATUS write_flate_key(HPDF_Dict dict, HPDF_Stream out)
{
    (void)dict;
    return HPDF_Stream_WriteStr(out, "/Filter /FlateDecode\012");
}

void dp_hpdf_mark_deflated(HPDF_Dict stream)
{
    stream->filter = HPDF_STREAM_FILTER_NONE;
    stream->write_fn = write_flate_key;
}

/* The bytes of a memory stream in one block (malloc'd), or NULL. */
static uint8_t *stream_bytes(HPDF_Stream s, size_t *len)
{
    HPDF_UINT count = HPDF_MemStream_GetBufCount(s);
    uint8_t *all = malloc(s->size ? s->size : 1);
    size_t n = 0;
    for (HPDF_UINT i = 0; all && i < count; i++) {
        HPDF_UINT k = 0;
        HPDF_BYTE *part = HPDF_MemStream_GetBufPtr(s, i, &k);
        if (!part || n + k > s->size) {
            free(all);
            return NULL;
        }
        memcpy(all + n, part, k);
        n += k;
    }
    *len = n;
    return all;
}

/* Streams compressed together: enough to keep two threads busy, few
 * enough that their copies stay small next to a large document. */
enum { BATCH = 64 };

int dp_hpdf_deflate_streams(HPDF_Doc pdf, int threads)
{
    HPDF_List entries = pdf->xref->entries;
    HPDF_Dict dicts[BATCH];
    dp_deflate_job jobs[BATCH];
    uint8_t *copies[BATCH]; /* the jobs' inputs, ours to free */
    int status = DP_OK;
    for (HPDF_UINT i = 0; status == DP_OK && i < entries->count;) {
        size_t n = 0;
        for (; n < BATCH && i < entries->count; i++) {
            HPDF_XrefEntry e = HPDF_List_ItemAt(entries, i);
            HPDF_Obj_Header *h = e ? e->obj : NULL;
            if (!h || (h->obj_class & HPDF_OCLASS_ANY) != HPDF_OCLASS_DICT)
                continue;
            HPDF_Dict d = e->obj;
            if (!d->stream || d->stream->type != HPDF_STREAM_MEMORY ||
                d->filter != HPDF_STREAM_FILTER_FLATE_DECODE || d->write_fn)
                continue;
            memset(&jobs[n], 0, sizeof jobs[n]);
            copies[n] = stream_bytes(d->stream, &jobs[n].in_len);
            if (!copies[n]) {
                status = DP_ENOMEM;
                break;
            }
            jobs[n].in = copies[n];
            dicts[n++] = d;
        }
        if (status == DP_OK)
            status = dp_deflate_run(jobs, n, threads, DP_DEFLATE_STREAMS);
        for (size_t k = 0; k < n; k++) {
            if (status == DP_OK) {
                HPDF_Dict d = dicts[k];
                HPDF_MemStream_FreeData(d->stream);
                if (HPDF_Stream_Write(d->stream, jobs[k].out, (HPDF_UINT)jobs[k].out_len) !=
                    HPDF_OK)
                    status = DP_ENOMEM; /* the document is unusable now: libharu reports it too */
                dp_hpdf_mark_deflated(d);
            }
            free(copies[k]);
            free(jobs[k].out);
        }
    }
    return status;
}

/* v/255 with at most three decimals (enough to give back every 8-bit
 * value). */
static void channel(char *out, unsigned v)
{
    dp_fixed_format(out, ((v & 0xFF) * 1000 + 127) / 255, 3);
}

int dp_hpdf_set_color(HPDF_Page page, uint32_t rgb, int stroke)
{
    HPDF_PageAttr pa = page->attr;
    unsigned r = (rgb >> 16) & 0xFF, g = (rgb >> 8) & 0xFF, b = rgb & 0xFF;
    int grey = r == g && g == b;
    char cr[16], cg[16], cb[16], op[64];
    channel(cr, r);
    if (grey) {
        snprintf(op, sizeof op, "%s %s\012", cr, stroke ? "G" : "g");
    } else {
        channel(cg, g);
        channel(cb, b);
        snprintf(op, sizeof op, "%s %s %s %s\012", cr, cg, cb, stroke ? "RG" : "rg");
    }
    if (HPDF_Stream_WriteStr(pa->stream, op) != HPDF_OK)
        return DP_ERR;
    HPDF_RGBColor c = {(HPDF_REAL)(r / 255.0), (HPDF_REAL)(g / 255.0), (HPDF_REAL)(b / 255.0)};
    if (stroke) {
        pa->gstate->rgb_stroke = c;
        pa->gstate->gray_stroke = c.r;
        pa->gstate->cs_stroke = grey ? HPDF_CS_DEVICE_GRAY : HPDF_CS_DEVICE_RGB;
    } else {
        pa->gstate->rgb_fill = c;
        pa->gstate->gray_fill = c.r;
        pa->gstate->cs_fill = grey ? HPDF_CS_DEVICE_GRAY : HPDF_CS_DEVICE_RGB;
    }
    return DP_OK;
}

/* The buffer a save appends to, and whether it ran out of memory. */
typedef struct save_sink {
    dp_buf *out;
    dp_status status;
} save_sink;

static HPDF_STATUS append_bytes(HPDF_Stream s, const HPDF_BYTE *p, HPDF_UINT n)
{
    save_sink *sink = s->attr;
    dp_status st = dp_buf_add(sink->out, p, n);
    if (st != DP_OK && sink->status == DP_OK)
        sink->status = st;
    return st == DP_OK ? HPDF_OK : HPDF_FAILD_TO_ALLOC_MEM;
}

int dp_hpdf_save(HPDF_Doc pdf, dp_buf *out)
{
    save_sink sink = {out, DP_OK};
    HPDF_Stream s = HPDF_CallbackWriter_New(pdf->mmgr, append_bytes, &sink);
    if (!s)
        return DP_ERR;
    /* what libharu's save does for a document without encryption */
    int ok = HPDF_Stream_WriteStr(s, "%PDF-1.4\012%\267\276\255\252\012") == HPDF_OK &&
             HPDF_Dict_Add(pdf->trailer, "Root", pdf->catalog) == HPDF_OK &&
             (!pdf->info || HPDF_Dict_Add(pdf->trailer, "Info", pdf->info) == HPDF_OK) &&
             HPDF_Xref_WriteToStream(pdf->xref, s, NULL) == HPDF_OK;
    HPDF_Stream_Free(s);
    /* the buffer's failure (DP_ENOMEM, DP_ELIMIT) is ours to report */
    return ok ? DP_OK : sink.status != DP_OK ? sink.status : DP_ERR;
}

int dp_hpdf_set_font(HPDF_Page page, HPDF_Font font, const char **name, double size)
{
    HPDF_PageAttr pa = page->attr;
    if (!*name)
        *name = HPDF_Page_GetLocalFontName(page, font);
    if (!*name || !(size > 0) || size > HPDF_MAX_FONTSIZE)
        return DP_ERR;
    char num[32], op[96];
    dp_fixed_format(num, llround(size * 10000), 4);
    snprintf(op, sizeof op, "/%.40s %s Tf\012", *name, num);
    if (HPDF_Stream_WriteStr(pa->stream, op) != HPDF_OK)
        return DP_ERR;
    pa->gstate->font = font;
    pa->gstate->font_size = (HPDF_REAL)size;
    pa->gstate->writing_mode = ((HPDF_FontAttr)font->attr)->writing_mode;
    return DP_OK;
}

int dp_hpdf_page_write(HPDF_Page page, const char *op)
{
    HPDF_PageAttr pa = page->attr;
    return HPDF_Stream_WriteStr(pa->stream, op) == HPDF_OK ? DP_OK : DP_ERR;
}
