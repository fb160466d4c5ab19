#include "fonts.h"
#include "font_face.h"
#include "shape_simple.h"

#include <hb-ot.h>

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <unistd.h>

#include "base/file.h"
#include "base/status.h"

static void font_free(dp_font *f)
{
    if (!f)
        return;
    dp_shape_simple_dispose(f);
    pthread_mutex_destroy(&f->simple_lock);
    hb_font_destroy(f->font);
    hb_face_destroy(f->face);
    hb_blob_destroy(f->blob);
    free(f->path);
    free(f);
}

void dp_fontset_dispose(dp_fontset *fs)
{
    for (int i = 0; i < fs->n; i++) {
        int shared = 0; /* freed with an earlier slot */
        for (int k = 0; k < i && !shared; k++)
            shared = fs->fonts[k] == fs->fonts[i];
        if (!shared)
            font_free(fs->fonts[i]);
    }
    for (int r = 0; r < DP_ROLE_COUNT; r++)
        free(fs->picked[r]);
    memset(fs, 0, sizeof *fs);
}

const char *dp_font_path(const dp_font *font)
{
    return font->path;
}

/* The mapping of a font file, unmapped when HarfBuzz drops its blob. */
typedef struct font_map {
    void *data;
    size_t size;
} font_map;

static void unmap_font(void *user)
{
    font_map *m = user;
    munmap(m->data, m->size);
    free(m);
}

/* "FILE#N" names face N of a collection (.ttc, .otc): the file name is
 * cut at a final '#' followed by 1 to 5 digits (*index 0 when there is
 * none). -1 when the file name would be empty or too long. */
static int split_face(const char *spec, char *file, size_t cap, unsigned *index)
{
    const char *hash = strrchr(spec, '#');
    size_t digits = hash ? strspn(hash + 1, "0123456789") : 0;
    size_t len = strlen(spec);
    *index = 0;
    if (hash && hash > spec && digits > 0 && digits <= 5 && hash + 1 + digits == spec + len) {
        *index = (unsigned)strtoul(hash + 1, NULL, 10);
        len = (size_t)(hash - spec);
    }
    if (len == 0 || len >= cap)
        return -1;
    memcpy(file, spec, len);
    file[len] = '\0';
    return 0;
}

/* Loads spec (a path, or FILE#N for face N of a collection) into slot i
 * of fs, or points the slot at an earlier slot's font when that is the
 * same face of the same file. */
static dp_status load_one(dp_fontset *fs, int i, dp_diags *d, const char *origin,
                          const char *spec)
{
    char path[4096];
    unsigned index;
    if (split_face(spec, path, sizeof path, &index) < 0) {
        dp_error(d, origin, 0, "cannot open font %s: the path is too long", spec);
        return DP_EFONT;
    }
    /* opened like every input (no blocking on a FIFO, regular files
     * only, size from fstat), then mapped: pages of a large fallback
     * font are read only when its glyphs are */
    int fd;
    size_t size;
    dp_file_id id;
    const char *why = "cannot open the file";
    dp_status st = dp_file_open(path, NULL, DP_MAX_FONT_BYTES, &fd, &size, &id, &why);
    if (st < 0) {
        dp_error(d, origin, 0, "cannot open font %s: %s", path,
                 st == DP_EIO && errno != ENOENT ? strerror(errno) : why);
        return DP_EFONT;
    }
    for (int k = 0; k < i; k++) {
        const dp_font *o = fs->fonts[k];
        if (o && o->id.dev == id.dev && o->id.ino == id.ino && o->index == index) {
            close(fd);
            fs->fonts[i] = fs->fonts[k];
            return DP_OK;
        }
    }
    dp_font *f = calloc(1, sizeof *f);
    if (!f) {
        close(fd);
        return DP_ENOMEM;
    }
    pthread_mutex_init(&f->simple_lock, NULL);
    fs->fonts[i] = f;
    f->id = id;
    f->index = index;
    font_map *m = size ? malloc(sizeof *m) : NULL;
    void *data = m ? mmap(NULL, size, PROT_READ, MAP_PRIVATE, fd, 0) : MAP_FAILED;
    close(fd);
    if (data == MAP_FAILED) {
        free(m);
        dp_error(d, origin, 0, "cannot read font %s", path);
        return DP_EFONT;
    }
    m->data = data;
    m->size = size;
    f->blob = hb_blob_create_or_fail(data, (unsigned)size, HB_MEMORY_MODE_READONLY_MAY_MAKE_WRITABLE,
                                     m, unmap_font);
    if (!f->blob) {
        dp_error(d, origin, 0, "cannot read font %s", path);
        return DP_EFONT;
    }
    unsigned faces = hb_face_count(f->blob);
    if (index > 0 && faces > 0 && index >= faces) {
        dp_error(d, origin, 0, "font %s: the file has %u face%s (#0 to #%u), not #%u",
                 spec, faces, faces == 1 ? "" : "s", faces ? faces - 1 : 0, index);
        return DP_EFONT;
    }
    f->face = hb_face_create(f->blob, f->index);
    if (hb_face_get_glyph_count(f->face) == 0) {
        dp_error(d, origin, 0, "%s is not a usable font file", path);
        return DP_EFONT;
    }
    /* shaped and embedded at its default instance, a variable font would
     * not look like the instance the style meant */
    if (hb_ot_var_has_data(f->face)) {
        dp_error(d, origin, 0, "font %s is a variable font, which digestpdf cannot "
                 "embed; name a static instance (a font file of one weight)", spec);
        return DP_EFONT;
    }
    f->upem = hb_face_get_upem(f->face);
    f->font = hb_font_create(f->face);
    hb_font_set_scale(f->font, (int)f->upem, (int)f->upem);
    hb_font_extents_t ext;
    hb_font_get_h_extents(f->font, &ext);
    f->ascender = (double)ext.ascender / f->upem;
    f->descender = (double)ext.descender / f->upem;
    f->path = strdup(spec);
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
        if (!paths[i] || !paths[i][0])
            continue; /* an empty slot */
        dp_status status = load_one(fs, i, d, origin, paths[i]);
        if (status < 0) {
            dp_fontset_dispose(fs);
            return status;
        }
    }
    return DP_OK;
}

/* Latin script set in the Latin font: letters, digits and ASCII
 * punctuation. × and ÷ stay Japanese (full width in JIS X 0208). */
static int is_latin_script(uint32_t c)
{
    return (c >= 0x21 && c <= 0x7E) || c == 0x20 ||
           (c >= 0xC0 && c <= 0x24F && c != 0xD7 && c != 0xF7);
}

static int has(const dp_font *f, uint32_t cp)
{
    hb_codepoint_t g;
    return f && hb_font_get_nominal_glyph(f->font, cp, &g);
}

void dp_fontset_set_roles(dp_fontset *fs, const dp_font_roles *roles)
{
    fs->roles = *roles;
    fs->has_roles = 1;
    for (int r = 0; r < DP_ROLE_COUNT; r++) { /* answers may change */
        free(fs->picked[r]);
        fs->picked[r] = NULL;
    }
}

/* The bold face of base role (0 body, 1 heading), or -1. */
static int bold_slot(const dp_fontset *fs, int base)
{
    int b = fs->has_roles ? fs->roles.bold[base] : -1;
    return b >= 0 && b < fs->n && fs->fonts[b] ? b : -1;
}

int dp_fontset_role_slot(const dp_fontset *fs, int role)
{
    if (role == DP_ROLE_BODY_BOLD || role == DP_ROLE_HEADING_BOLD) {
        int b = bold_slot(fs, role - DP_ROLE_BODY_BOLD);
        return b >= 0 ? b : role - DP_ROLE_BODY_BOLD;
    }
    return role == DP_FONT_HEADING ? DP_FONT_HEADING : DP_FONT_BODY;
}

int dp_fontset_strong_role(const dp_fontset *fs, int role)
{
    int base = role == DP_FONT_HEADING || role == DP_ROLE_HEADING_BOLD;
    if (bold_slot(fs, base) >= 0)
        return base ? DP_ROLE_HEADING_BOLD : DP_ROLE_BODY_BOLD;
    return DP_FONT_HEADING;
}

static int pick(const dp_fontset *fs, int role, uint32_t cp)
{
    int base = role == DP_FONT_HEADING || role == DP_ROLE_HEADING_BOLD;
    int own = dp_fontset_role_slot(fs, role);
    int latin = DP_FONT_LATIN + base;
    /* a bold face sets its own Latin (the Latin fonts are regular) */
    if (own == base && is_latin_script(cp) && latin < fs->n && has(fs->fonts[latin], cp))
        return latin;
    if (has(fs->fonts[own], cp))
        return own;
    if (fs->has_roles) {
        const dp_font_roles *r = &fs->roles;
        for (int i = r->kind_first[base]; i < r->kind_first[base] + r->kind_n[base]; i++)
            if (i >= 0 && i < fs->n && has(fs->fonts[i], cp))
                return i;
        for (int i = DP_FONT_FALLBACK; i < DP_FONT_FALLBACK + r->nfallback && i < fs->n; i++)
            if (has(fs->fonts[i], cp))
                return i;
    } else {
        for (int i = DP_FONT_FALLBACK; i < fs->n; i++)
            if (has(fs->fonts[i], cp))
                return i;
    }
    for (int i = 0; i < DP_FONT_FALLBACK && i < fs->n; i++)
        if (has(fs->fonts[i], cp))
            return i;
    for (int b = 0; b < 2; b++)
        if (bold_slot(fs, b) >= 0 && has(fs->fonts[bold_slot(fs, b)], cp))
            return bold_slot(fs, b);
    return -1;
}

int dp_fontset_pick(dp_fontset *fs, int role, uint32_t cp)
{
    if (cp > 0xFFFF || role < 0 || role >= DP_ROLE_COUNT)
        return pick(fs, role, cp);
    if (!fs->picked[role]) /* the answer is looked up once per character */
        fs->picked[role] = calloc(0x10000, 1);
    if (!fs->picked[role])
        return pick(fs, role, cp);
    int8_t *slot = &fs->picked[role][cp];
    if (*slot == 0)
        *slot = (int8_t)(pick(fs, role, cp) + 2);
    return *slot - 2;
}

static int has_variation(const dp_fontset *fs, int i, uint32_t cp, uint32_t vs)
{
    hb_codepoint_t g;
    return i >= 0 && i < fs->n && fs->fonts[i] &&
           hb_font_get_variation_glyph(fs->fonts[i]->font, cp, vs, &g);
}

int dp_fontset_pick_variation(const dp_fontset *fs, int role, uint32_t cp,
                              uint32_t vs)
{
    int base = role == DP_FONT_HEADING || role == DP_ROLE_HEADING_BOLD;
    int own = dp_fontset_role_slot(fs, role);
    if (has_variation(fs, own, cp, vs))
        return own;
    if (fs->has_roles) {
        const dp_font_roles *r = &fs->roles;
        for (int i = r->kind_first[base]; i < r->kind_first[base] + r->kind_n[base]; i++)
            if (has_variation(fs, i, cp, vs))
                return i;
        for (int i = DP_FONT_FALLBACK; i < DP_FONT_FALLBACK + r->nfallback; i++)
            if (has_variation(fs, i, cp, vs))
                return i;
        return -1;
    }
    for (int i = DP_FONT_FALLBACK; i < fs->n; i++)
        if (has_variation(fs, i, cp, vs))
            return i;
    return -1;
}

void dp_fontset_warm(dp_fontset *fs)
{
    /* a little of each script the digests use: kanji, kana, Latin,
     * digits, a ligature candidate */
    static const char sample[] = "\xe6\x97\xa5\xe6\x9c\xac\xe8\xaa\x9e\xe3\x81\x8b"
                                 "\xe3\x81\xaa\xe3\x82\xab\xe3\x83\x8a\xe3\x80\x82"
                                 "Latin 0123, fi.";
    hb_buffer_t *buf = hb_buffer_create();
    for (int i = 0; i < DP_FONT_MAX; i++) {
        if (!fs->fonts[i])
            continue;
        hb_buffer_clear_contents(buf);
        hb_buffer_add_utf8(buf, sample, -1, 0, -1);
        hb_buffer_guess_segment_properties(buf);
        hb_shape(fs->fonts[i]->font, buf, NULL, 0);
    }
    hb_buffer_destroy(buf);
}
