/*
 * Pages → PDF through libharu: page content (boxes, glyph runs through
 * our CID fonts), link annotations, the outline, document information.
 * The file is written beside its destination and renamed into place only
 * when complete.
 */
#include "pdf_write.h"

#include <errno.h>
#include <pthread.h>
#include <stdatomic.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include <hpdf.h>

#include "base/buf.h"
#include "base/file.h"
#include "base/status.h"
#include "base/vec.h"
#include "cidfont.h"
#include "hpdf_ext.h"
#include "metadata.h"
#include "objstm.h"
#include "pdf_image.h"
#include "tags.h"

typedef struct writer {
    dp_diags *d;
    const char *path;
    HPDF_Doc pdf;
    HPDF_Page *pages;
    dp_cidfont *fonts[DP_FONT_MAX];
    int owned[DP_FONT_MAX]; /* fonts[i] was created for slot i (others share it) */
    HPDF_Image *images; /* pages->images as XObjects, made on first use */
    int failed;
    size_t mark_hint; /* where mark_by_id found the last link target */
    int pdfa; /* PDF/A: a trailer /ID, strict stream ends */
    dp_tagger *tags; /* PDF/UA: content marked, the structure written; or NULL */
} writer;

static void on_hpdf_error(HPDF_STATUS error, HPDF_STATUS detail, void *ud)
{
    writer *w = ud;
    if (!w->failed)
        dp_error(w->d, w->path, 0, "PDF library error 0x%04X (detail %u)",
                 (unsigned)error, (unsigned)detail);
    w->failed = 1;
}

static dp_status draw_boxes(writer *w, HPDF_Page page, const dp_page *pg, size_t index)
{
    /* rules, bars, shading, leaders: decoration, one artifact */
    dp_status status = DP_OK;
    if (w->tags && pg->nboxes &&
        (status = dp_tagger_mark(w->tags, page, index, DP_TAG_LAYOUT, 0)) != DP_OK)
        return status;
    for (size_t i = 0; i < pg->nboxes; i++) {
        const dp_box *b = &pg->boxes[i];
        switch (b->kind) {
        case DP_BOX_FILL:
            dp_hpdf_set_color(page, b->color, 0);
            HPDF_Page_Rectangle(page, (HPDF_REAL)b->x, (HPDF_REAL)b->y,
                                (HPDF_REAL)b->w, (HPDF_REAL)b->h);
            HPDF_Page_Fill(page);
            break;
        case DP_BOX_STROKE:
            dp_hpdf_set_color(page, b->color, 1);
            HPDF_Page_SetLineWidth(page, (HPDF_REAL)b->line_width);
            HPDF_Page_Rectangle(page, (HPDF_REAL)b->x, (HPDF_REAL)b->y,
                                (HPDF_REAL)b->w, (HPDF_REAL)b->h);
            HPDF_Page_Stroke(page);
            break;
        case DP_BOX_LINE:
        case DP_BOX_DOTS:
            dp_hpdf_set_color(page, b->color, 1);
            HPDF_Page_SetLineWidth(page, (HPDF_REAL)b->line_width);
            if (b->kind == DP_BOX_DOTS) {
                /* near-round dots: short dashes with round caps */
                HPDF_UINT16 dash[] = {1, 3}; /* libharu refuses 0-length dashes */
                HPDF_Page_SetLineCap(page, HPDF_ROUND_END);
                HPDF_Page_SetDash(page, dash, 2, 0);
            }
            HPDF_Page_MoveTo(page, (HPDF_REAL)b->x, (HPDF_REAL)b->y);
            HPDF_Page_LineTo(page, (HPDF_REAL)(b->x + b->w), (HPDF_REAL)(b->y + b->h));
            HPDF_Page_Stroke(page);
            if (b->kind == DP_BOX_DOTS) {
                HPDF_Page_SetDash(page, NULL, 0, 0);
                HPDF_Page_SetLineCap(page, HPDF_BUTT_END);
            }
            break;
        }
    }
    if (w->tags && (status = dp_tagger_close(w->tags, page)) != DP_OK)
        return status;
    return w->failed ? DP_ERR : DP_OK;
}

/* Images were decoded and checked at layout: each becomes one XObject. */
static dp_status draw_pictures(writer *w, const dp_pages *P, HPDF_Page page,
                               const dp_page *pg, size_t index)
{
    for (size_t i = 0; i < pg->npictures; i++) {
        const dp_picture *pic = &pg->pictures[i];
        if (pic->image < 0 || (size_t)pic->image >= P->nimages)
            return DP_ERR;
        if (!w->images) {
            // NOLINTNEXTLINE(bugprone-sizeof-expression): HPDF_Image is a handle (a pointer)
            w->images = calloc(P->nimages, sizeof *w->images);
            if (!w->images)
                return DP_ENOMEM;
        }
        HPDF_Image img = w->images[pic->image];
        if (!img) {
            img = dp_pdf_image_new(w->pdf, &P->images[pic->image].image);
            if (!img)
                return w->failed ? DP_ERR : DP_ENOMEM;
            w->images[pic->image] = img;
        }
        dp_status status;
        if (w->tags && (status = dp_tagger_mark(w->tags, page, index, pic->tag, pic->seq)) != DP_OK)
            return status;
        HPDF_Page_DrawImage(page, img, (HPDF_REAL)pic->x, (HPDF_REAL)pic->y,
                            (HPDF_REAL)pic->w, (HPDF_REAL)pic->h);
        if (w->tags && (status = dp_tagger_close(w->tags, page)) != DP_OK)
            return status;
    }
    return w->failed ? DP_ERR : DP_OK;
}

static dp_status draw_runs(writer *w, HPDF_Page page, const dp_page *pg, size_t index)
{
    dp_status status = DP_OK;
    if (pg->nruns == 0)
        return DP_OK;
    HPDF_Page_BeginText(page);
    /* state is set only when it changes: smaller streams, faster deflate */
    uint32_t color = 0xFFFFFFFFu;
    int font = -1;
    double size = -1;
    const char *names[DP_FONT_MAX] = {0}; /* each font's resource name on this page */
    for (size_t i = 0; i < pg->nruns && status == DP_OK; i++) {
        const dp_run *r = &pg->runs[i];
        /* consecutive runs of one element share a marked-content sequence */
        if (w->tags)
            status = dp_tagger_mark(w->tags, page, index, r->tag, r->seq);
        if (status != DP_OK)
            break;
        if (r->color != color) {
            if (dp_hpdf_set_color(page, r->color, 0) != DP_OK)
                status = DP_ERR;
            color = r->color;
        }
        dp_cidfont *f = w->fonts[r->font];
        if (r->font != font || r->size != size) {
            if (dp_hpdf_set_font(page, dp_cidfont_handle(f), &names[r->font], r->size) !=
                DP_OK)
                status = DP_ERR;
            font = r->font;
            size = r->size;
        }
        if (status == DP_OK && r->actual)
            status = dp_cidfont_actual_text(f, page, r->actual);
        if (status == DP_OK)
            status = dp_cidfont_show(f, page, r->size, r->y, r->gids, r->x,
                                     r->text, r->text_len, r->n);
        if (status == DP_OK && r->actual)
            status = dp_cidfont_actual_text(f, page, NULL);
    }
    if (w->tags && status == DP_OK)
        status = dp_tagger_close(w->tags, page);
    HPDF_Page_EndText(page);
    if (status == DP_OK && w->failed)
        status = DP_ERR;
    return status;
}

static HPDF_Destination dest_for(writer *w, const dp_pages *P, const dp_mark *m)
{
    HPDF_Destination dst = HPDF_Page_CreateDestination(w->pages[m->page]);
    /* FitH keeps the target's top edge at the window top; libharu's XYZ
     * refuses the "keep the zoom" value 0. */
    if (dst)
        HPDF_Destination_SetFitH(dst, (HPDF_REAL)(m->y + 6 < P->height ? m->y + 6 : P->height));
    return dst;
}

/* Link targets mostly come in document order (the contents), so the
 * search starts after the last hit and wraps: linear overall, where a
 * search from the start made the contents quadratic in the articles. */
static const dp_mark *mark_by_id(const dp_pages *P, const char *id, size_t *hint)
{
    for (size_t k = 0; k < P->nmarks; k++) {
        size_t i = (*hint + k) % P->nmarks;
        if (P->marks[i].level >= 0 && strcmp(P->marks[i].id, id) == 0) {
            *hint = i;
            return &P->marks[i];
        }
    }
    return NULL;
}

static dp_status links(writer *w, const dp_pages *P, size_t i)
{
    const dp_page *pg = &P->pages[i];
    HPDF_Page page = w->pages[i];
    for (size_t k = 0; k < pg->nlinks; k++) {
        const dp_link *l = &pg->links[k];
        HPDF_Rect rect = {(HPDF_REAL)l->x0, (HPDF_REAL)l->y0, (HPDF_REAL)l->x1,
                          (HPDF_REAL)l->y1};
        HPDF_Annotation a = NULL;
        const char *what = l->uri; /* what a reader is told the link leads to */
        if (l->uri) {
            a = HPDF_Page_CreateURILinkAnnot(page, rect, l->uri);
        } else {
            const dp_mark *m = mark_by_id(P, l->dest, &w->mark_hint);
            if (!m)
                continue;
            a = HPDF_Page_CreateLinkAnnot(page, rect, dest_for(w, P, m));
            what = m->title;
        }
        if (a)
            HPDF_LinkAnnot_SetBorderStyle(a, 0, 0, 0);
        if (a && w->tags) {
            dp_status status = dp_tagger_annot(w->tags, w->pdf, a, i, l->tag, l->seq, what);
            if (status != DP_OK)
                return status;
        }
    }
    return w->failed ? DP_ERR : DP_OK;
}

static dp_status outline(writer *w, const dp_pages *P)
{
    HPDF_Outline parents[3] = {NULL, NULL, NULL};
    for (size_t i = 0; i < P->nmarks; i++) {
        const dp_mark *m = &P->marks[i];
        if (m->level < 0 || m->level > 2)
            continue;
        HPDF_Outline parent = m->level == 0 ? NULL : parents[m->level - 1];
        if (m->level > 0 && !parent)
            continue;
        HPDF_Outline o = dp_hpdf_outline_new(w->pdf, parent, m->title);
        if (!o) /* libharu reports its own failures through on_hpdf_error */
            return w->failed ? DP_ERR : DP_ENOMEM;
        HPDF_Outline_SetDestination(o, dest_for(w, P, m));
        /* the pane opens on the first level (sections) only */
        HPDF_Outline_SetOpened(o, HPDF_FALSE);
        parents[m->level] = o;
        for (int k = m->level + 1; k < 3; k++)
            parents[k] = NULL;
    }
    return w->failed ? DP_ERR : DP_OK;
}

/* The fonts to embed, most glyphs first: their programs are built on
 * two threads while the pages are drawn, the largest started first. */
typedef struct font_jobs {
    dp_cidfont *fonts[DP_FONT_MAX];
    int n;
    atomic_int planned;         /* fonts[0..planned) have their plan */
    atomic_flag claimed[DP_FONT_MAX];     /* taken by one of the threads */
} font_jobs;

/* Opens the fonts some run uses, each file once (a style may name one
 * font in several roles), declares every glyph each will draw, and
 * orders them for building, most glyphs first. One pass over the runs. */
static dp_status open_fonts(writer *w, const dp_pages *P, font_jobs *q)
{
    dp_status status = DP_OK;
    for (size_t i = 0; i < P->n; i++) {
        const dp_page *pg = &P->pages[i];
        for (size_t r = 0; r < pg->nruns; r++) {
            int f = pg->runs[r].font;
            for (int k = 0; k < P->nfonts && !w->fonts[f]; k++)
                if (w->owned[k] && P->fonts[k] == P->fonts[f])
                    w->fonts[f] = w->fonts[k];
            if (!w->fonts[f]) {
                DP_TRY(dp_cidfont_new(&w->fonts[f], w->pdf, P->fonts[f], w->d));
                w->owned[f] = 1;
            }
            DP_TRY(dp_cidfont_use(w->fonts[f], pg->runs[r].gids, pg->runs[r].n));
        }
    }
    q->n = 0;
    atomic_init(&q->planned, 0);
    for (int i = 0; i < P->nfonts; i++) {
        if (!w->owned[i])
            continue;
        int k = q->n++;
        while (k > 0 && dp_cidfont_used(q->fonts[k - 1]) < dp_cidfont_used(w->fonts[i])) {
            q->fonts[k] = q->fonts[k - 1];
            k--;
        }
        q->fonts[k] = w->fonts[i];
    }
    for (int k = 0; k < DP_FONT_MAX; k++)
        atomic_flag_clear(&q->claimed[k]);
done:
    return status;
}

/* Builds the programs of the planned fonts no thread has taken yet. */
static void build_pending(font_jobs *q)
{
    for (int k = 0; k < q->n && k < atomic_load(&q->planned); k++)
        if (!atomic_flag_test_and_set(&q->claimed[k]))
            dp_cidfont_build(q->fonts[k]);
}

static void *builder_main(void *arg)
{
    build_pending(arg);
    return NULL;
}

/* Serializes the document, packs it into object streams and writes it
 * through dp_file_out (a temporary file beside path, renamed into place
 * when complete; "-" is standard output). Nothing is left behind on
 * failure. */
static dp_status save(writer *w, const char *path, size_t max_bytes, size_t *bytes_out)
{
    dp_status status = DP_OK;
    dp_diags *d = w->d;
    dp_buf raw, packed; /* the file as libharu writes it, and compacted */
    dp_buf_init(&raw);
    dp_buf_init(&packed);
    raw.max = packed.max = SIZE_MAX;
    const char *why = NULL;
    /* a path that cannot be written is refused before the work */
    status = dp_file_out_check(path, &why);
    if (status < 0)
        goto failed;

    status = dp_hpdf_save(w->pdf, &raw);
    if (status == DP_ENOMEM && !w->failed)
        goto done;
    if (status != DP_OK || w->failed) {
        dp_error(d, path, 0, "writing the PDF failed");
        status = DP_ERR;
        goto done;
    }
    dp_status packing = dp_objstm_pack_ex((const uint8_t *)raw.data, raw.len, &packed,
                                          w->pdfa ? DP_OBJSTM_STRICT_EOL : 0);
    if (packing == DP_ENOMEM) {
        status = DP_ENOMEM;
        goto done;
    }
    if (packing != DP_OK) /* a file libharu wrote in another shape: keep it */
        dp_warn(d, path, 0, "written as PDF 1.4 without object streams");
    /* the identifier of the file as written (the packed file is the
     * smaller one to hash) */
    if (w->pdfa && (status = dp_pdf_add_id(packing == DP_OK ? &packed : &raw)) != DP_OK)
        goto done;
    const void *bytes = packing == DP_OK ? packed.data : raw.data;
    size_t size = packing == DP_OK ? packed.len : raw.len;
    if (bytes_out)
        *bytes_out = size;
    if (max_bytes && size > max_bytes) {
        status = DP_ELIMIT; /* the caller decides what to say */
        goto done;
    }
    dp_file_out out;
    status = dp_file_out_open(&out, path, &why);
    if (status == DP_OK) {
        status = dp_file_out_write(&out, bytes, size, &why);
        if (status == DP_OK)
            status = dp_file_out_commit(&out, &why);
        else
            dp_file_out_abort(&out);
    }
failed:
    if (status == DP_ENOMEM)
        goto done;
    if (status < 0) {
        if (status == DP_EIO)
            dp_error(d, path, 0, "%s: %s", why, strerror(errno));
        else
            dp_error(d, path, 0, "cannot write output: %s", why);
        status = DP_EIO;
    }
done:
    dp_buf_dispose(&raw);
    dp_buf_dispose(&packed);
    return status;
}

/* Compresses every stream not compressed yet; DP_ENOMEM with a message. */
static dp_status deflate_streams(writer *w, int threads)
{
    if (dp_hpdf_deflate_streams(w->pdf, threads) == DP_OK)
        return DP_OK;
    dp_error(w->d, w->path, 0, "out of memory compressing the PDF streams");
    return DP_ENOMEM;
}

/* The writer in order (fonts planned, pages drawn with their links, the
 * structure tree, page labels, outline, metadata, streams deflated, font
 * programs, save); kept whole because its cleanup releases what each step
 * made. */
dp_status dp_pdf_write(const dp_pages *P, dp_diags *d, const char *path,
                       size_t max_bytes, int threads, size_t *bytes_out)
{
    dp_status status = DP_OK;
    writer w = {0};
    w.d = d;
    w.path = path;
    w.pdfa = dp_pdf_is_a(P->pdf_standard);
    if (dp_pdf_is_ua(P->pdf_standard)) {
        w.tags = dp_tagger_new(P);
        if (!w.tags)
            return DP_ENOMEM;
    }
    pthread_t builder;
    int building = 0; /* builder runs builder_main() */
    font_jobs jobs;
    jobs.n = 0;

    w.pdf = HPDF_New(on_hpdf_error, &w);
    if (!w.pdf) {
        dp_tagger_free(w.tags);
        return DP_ENOMEM;
    }
    HPDF_SetCompressionMode(w.pdf, HPDF_COMP_ALL);
    HPDF_UseUTFEncodings(w.pdf);
    HPDF_SetPageMode(w.pdf, HPDF_PAGE_MODE_USE_OUTLINE);

    /* the codes in the content streams are the subsets' glyph ids: every
     * glyph is declared and each subset planned before drawing; the
     * largest font's program is started as soon as it is planned */
    DP_TRY(open_fonts(&w, P, &jobs));
    for (int k = 0; k < jobs.n; k++) {
        DP_TRY(dp_cidfont_plan(jobs.fonts[k]));
        atomic_store(&jobs.planned, k + 1);
        if (k == 0 && threads > 1)
            building = pthread_create(&builder, NULL, builder_main, &jobs) == 0;
    }

    // NOLINTNEXTLINE(bugprone-sizeof-expression): HPDF_Page is a handle (a pointer): an array of handles is meant
    w.pages = calloc(P->n ? P->n : 1, sizeof *w.pages);
    DP_CHECK_ALLOC(w.pages);
    for (size_t i = 0; i < P->n; i++) {
        HPDF_Page page = dp_hpdf_add_page(w.pdf);
        if (!page) {
            status = DP_ERR;
            goto done;
        }
        HPDF_Page_SetWidth(page, (HPDF_REAL)P->width);
        HPDF_Page_SetHeight(page, (HPDF_REAL)P->height);
        w.pages[i] = page;
        DP_TRY(draw_boxes(&w, page, &P->pages[i], i));
        DP_TRY(draw_pictures(&w, P, page, &P->pages[i], i));
        DP_TRY(draw_runs(&w, page, &P->pages[i], i));
    }
    for (size_t i = 0; i < P->n; i++)
        DP_TRY(links(&w, P, i));
    if (w.tags) {
        status = dp_tagger_finish(w.tags, w.pdf, w.pages);
        if (status == DP_ERR && !w.failed) /* a limit libharu set without a word */
            dp_error(d, path, 0, "the structure tree could not be written "
                                 "(PDF library error 0x%04X)", (unsigned)HPDF_GetError(w.pdf));
        if (status < 0)
            goto done;
    }
    /* page labels: front matter i, ii, …; the body from 1 */
    if (P->first_body_page > 0)
        HPDF_AddPageLabel(w.pdf, 0, HPDF_PAGE_NUM_STYLE_LOWER_ROMAN, 1, "");
    if ((size_t)P->first_body_page < P->n)
        HPDF_AddPageLabel(w.pdf, (HPDF_UINT)P->first_body_page,
                          HPDF_PAGE_NUM_STYLE_DECIMAL, 1, "");
    DP_TRY(outline(&w, P));
    DP_TRY(dp_pdf_metadata(w.pdf, P));
    DP_TRY(dp_hpdf_finish_catalog(w.pdf, P->first_body_page < (int)P->n
                                             ? w.pages[0] : NULL));
    /* the page contents are compressed now, in the builder's shadow; the
     * font dictionaries' streams after they are made */
    DP_TRY(deflate_streams(&w, building ? 1 : threads));
    build_pending(&jobs); /* what the builder has not started */
    if (building) {
        pthread_join(builder, NULL);
        building = 0;
    }
    for (int i = 0; i < P->nfonts; i++)
        if (w.owned[i])
            DP_TRY(dp_cidfont_finish(w.fonts[i]));
    if (w.failed) {
        status = DP_ERR;
        goto done;
    }
    DP_TRY(deflate_streams(&w, threads));
    status = save(&w, path, max_bytes, bytes_out);
done:
    if (building)
        pthread_join(builder, NULL);
    for (int i = 0; i < DP_FONT_MAX; i++)
        if (w.owned[i])
            dp_cidfont_free(w.fonts[i]);
    HPDF_Free(w.pdf);
    dp_tagger_free(w.tags);
    free(w.pages);
    free(w.images);
    return status;
}
