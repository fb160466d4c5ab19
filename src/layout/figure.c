/*
 * Figures: the image (through image.c) scaled to the measure and the
 * page, kept on one page with its caption.
 */
#include <stdio.h>
#include <string.h>

#include "base/status.h"
#include "base/vec.h"
#include "image.h"
#include "layouter.h"

/* The image's path: relative paths are taken from the digest's folder. */
static const char *image_path(layouter *L, const char *src)
{
    const char *file = L->doc->file, *slash = strrchr(file, '/');
    if (src[0] == '/' || !slash)
        return src;
    char *p = dp_arena_alloc(&L->pages->arena, (size_t)(slash - file) + strlen(src) + 2);
    if (p)
        sprintf(p, "%.*s/%s", (int)(slash - file), file, src);
    return p;
}

/*
 * A figure: the image scaled to its width (96 dpi when none is given),
 * never wider than the measure nor taller than the page, kept on one page
 * with its caption.
 */
dp_status dp_layout_figure(layouter *L, const dp_block *b, double x, double width)
{
    dp_status status = DP_OK;
    const dp_style *st = L->st;
    double size = st->body_size;
    const char *path = image_path(L, b->src);
    DP_CHECK_ALLOC(path);
    int index;
    char why[DP_IMAGE_WHY];
    if (L->on_read)
        L->on_read(L->on_read_user, path);
    status = dp_layout_image(L->pages, path, L->root, &index, why);
    if (status < 0) {
        dp_error(L->d, L->doc->file, b->line, "figure %s: %s", b->src, why);
        if (status == DP_EIO)
            status = DP_EINPUT;
        return status;
    }
    /* what a screen reader says for the image: its alt text, else its
     * caption; PDF/UA wants one of them */
    const char *caption = b->text ? dp_inline_plain((dp_doc *)L->doc, b->text) : "";
    DP_CHECK_ALLOC(caption);
    const char *alt = b->alt && *b->alt ? b->alt : *caption ? caption : NULL;
    if (!alt && L->ua) {
        dp_error(L->d, L->doc->file, b->line,
                 "figure %s has no text for readers who cannot see it: "
                 "add alt=\"…\" or build with --pdf-standard a-2u", b->src);
        return DP_EINPUT;
    }
    const dp_image *info = &L->pages->images[index].image;
    double w = b->width_pt > 0 ? b->width_pt
             : b->width_pt < 0 ? width * -b->width_pt / 100
             : info->width * 0.75; /* 96 dpi */
    if (w > width)
        w = width;
    double h = w * info->height / info->width;
    double room = (L->bottom - L->top) * 0.8;
    if (h > room) { /* a tall image shrinks to fit the page */
        h = room;
        w = h * info->width / info->height;
    }
    /* lay out the caption first to keep it with the image */
    double cap_h = 0;
    text_style cs = {DP_FONT_BODY, size * 0.9, st->color_muted};
    if (b->text) {
        L->nspans = 0;
        DP_TRY(dp_layout_flatten(L, b->text, cs, NULL));
        DP_TRY(dp_layout_set_text(L, width, width, 1));
        cap_h = (double)L->lines.n * pitch_of(L, cs.size);
    }
    DP_TRY(dp_layout_need_space(L, h + size * 0.5 + cap_h));
    dp_page *pg = &L->pages->pages[L->page];
    if (DP_VEC_GROW(pg->pictures, pg->npictures, pg->cappictures) < 0)
        return DP_ENOMEM;
    DP_TRY(dp_layout_struct_begin(L, DP_ROLE_FIGURE));
    L->pages->elems[L->cur].alt = alt ? alt : "";
    pg->pictures[pg->npictures++] = (dp_picture){path, (int)info->type, index,
        x + (width - w) / 2, pdf_y(L, L->y + h), w, h, L->cur, L->seq++};
    dp_layout_struct_end(L);
    L->y += h + size * 0.5;
    if (b->text) {
        DP_TRY(dp_layout_struct_begin(L, DP_ROLE_CAPTION));
        L->center_width = width; /* centred, as the image is */
        DP_TRY(dp_layout_place_lines(L, x, 0, pitch_of(L, cs.size), NULL, NULL));
        dp_layout_struct_end(L);
    }
done:
    return status;
}
