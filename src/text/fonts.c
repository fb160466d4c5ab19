#include "fonts.h"

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

void dp_fontset_dispose(dp_fontset *fs)
{
    for (int i = 0; i < fs->n; i++) {
        dp_font *f = &fs->fonts[i];
        hb_font_destroy(f->font);
        hb_face_destroy(f->face);
        hb_blob_destroy(f->blob);
        free(f->path);
    }
    memset(fs, 0, sizeof *fs);
}

static dp_status load_one(dp_font *f, dp_diags *d, const char *origin,
                          const char *path)
{
    FILE *probe = fopen(path, "rb");
    if (!probe) {
        dp_error(d, origin, 0, "cannot open font %s: %s", path, strerror(errno));
        return DP_EFONT;
    }
    fclose(probe);
    f->blob = hb_blob_create_from_file_or_fail(path);
    if (!f->blob) {
        dp_error(d, origin, 0, "cannot read font %s", path);
        return DP_EFONT;
    }
    f->face = hb_face_create(f->blob, 0);
    if (hb_face_get_glyph_count(f->face) == 0) {
        dp_error(d, origin, 0, "%s is not a usable font file", path);
        return DP_EFONT;
    }
    f->upem = hb_face_get_upem(f->face);
    f->font = hb_font_create(f->face);
    hb_font_set_scale(f->font, (int)f->upem, (int)f->upem);
    hb_font_extents_t ext;
    hb_font_get_h_extents(f->font, &ext);
    f->ascender = (double)ext.ascender / f->upem;
    f->descender = (double)ext.descender / f->upem;
    f->path = strdup(path);
    return f->path ? DP_OK : DP_ENOMEM;
}

dp_status dp_fontset_load(dp_fontset *fs, dp_diags *d, const char *origin,
                          const char *const *paths, int n)
{
    memset(fs, 0, sizeof *fs);
    if (n > DP_FONT_MAX)
        n = DP_FONT_MAX;
    for (int i = 0; i < n; i++) {
        fs->n = i + 1;
        dp_status status = load_one(&fs->fonts[i], d, origin, paths[i]);
        if (status < 0) {
            dp_fontset_dispose(fs);
            return status;
        }
    }
    return DP_OK;
}

int dp_fontset_pick(const dp_fontset *fs, int primary, uint32_t cp)
{
    hb_codepoint_t g;
    if (hb_font_get_nominal_glyph(fs->fonts[primary].font, cp, &g))
        return primary;
    for (int i = DP_FONT_FALLBACK; i < fs->n; i++)
        if (i != primary && hb_font_get_nominal_glyph(fs->fonts[i].font, cp, &g))
            return i;
    for (int i = 0; i < DP_FONT_FALLBACK && i < fs->n; i++)
        if (i != primary && hb_font_get_nominal_glyph(fs->fonts[i].font, cp, &g))
            return i;
    return -1;
}
