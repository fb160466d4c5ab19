/*
 * The public entry points: each runs the stages in order and owns the
 * intermediate results.
 *
 *   read (XML, or text import → XML) → model → style → fonts
 *     → paginate (shape, break lines) → write PDF
 */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "digestpdf.h"

#include "base/buf.h"
#include "base/diag.h"
#include "base/file.h"
#include "base/status.h"
#include "context.h"
#include "input/text_import.h"
#include "input/xml_read.h"
#include "layout/paginate.h"
#include "pdf/metadata.h"
#include "pdf/pdf_write.h"
#include "style/sheet.h"
#include "text/fonts.h"

struct dp_context {
    dp_diags diags;
};

const char *dp_status_str(dp_status status)
{
    switch (status) {
    case DP_OK: return "ok";
    case DP_ERR: return "failed";
    case DP_ENOMEM: return "out of memory";
    case DP_EIO: return "input/output error";
    case DP_EINPUT: return "invalid input";
    case DP_EFONT: return "font error";
    case DP_ELIMIT: return "limit exceeded";
    }
    return "unknown status";
}

dp_status dp_context_new(dp_context **out)
{
    *out = calloc(1, sizeof **out);
    if (!*out)
        return DP_ENOMEM;
    dp_diags_init(&(*out)->diags);
    return DP_OK;
}

void dp_context_free(dp_context *ctx)
{
    if (!ctx)
        return;
    dp_diags_dispose(&ctx->diags);
    free(ctx);
}

dp_diags *dp_context_diags(dp_context *ctx)
{
    return &ctx->diags;
}

size_t dp_diag_count(const dp_context *ctx)
{
    return ctx->diags.count;
}

const dp_diag *dp_diag_at(const dp_context *ctx, size_t index)
{
    return index < ctx->diags.count ? &ctx->diags.items[index] : NULL;
}

size_t dp_diag_errors(const dp_context *ctx)
{
    return ctx->diags.errors;
}

void dp_diag_clear(dp_context *ctx)
{
    dp_diags_dispose(&ctx->diags);
    dp_diags_init(&ctx->diags);
}

dp_status dp_style_find(const char *name, const char *const *dirs, char *out,
                        size_t cap)
{
    /* stat, not open: a FIFO named here must not block; reading the
     * style refuses what is not a regular file */
    struct stat st;
    if (stat(name, &st) == 0)
        return snprintf(out, cap, "%s", name) < (int)cap ? DP_OK : DP_ELIMIT;
    if (strchr(name, '/') || !*name)
        return DP_EIO;
    for (size_t i = 0; dirs && dirs[i]; i++) {
        if (snprintf(out, cap, "%s/%s.style", dirs[i], name) >= (int)cap)
            return DP_ELIMIT;
        if (stat(out, &st) == 0)
            return DP_OK;
    }
    return DP_EIO;
}

/* "A, B" for messages about where a style was looked for. */
const char *dp_style_dirs_text(const char *const *dirs, char *out, size_t cap)
{
    size_t n = 0;
    out[0] = '\0';
    for (size_t i = 0; dirs && dirs[i] && n < cap; i++) {
        int k = snprintf(out + n, cap - n, "%s%s", i ? ", " : "", dirs[i]);
        if (k < 0)
            break;
        n += (size_t)k;
    }
    if (!out[0])
        snprintf(out, cap, "no style folder");
    return out;
}

static int ends_with(const char *s, const char *suffix)
{
    size_t n = strlen(s), k = strlen(suffix);
    return n >= k && strcmp(s + n - k, suffix) == 0;
}

/* Reads a digest: standard input for "-", else a regular file opened
 * without blocking (a FIFO or device is refused, not waited on). */
static dp_status read_input(dp_diags *d, const char *path, const char *name,
                            dp_buf *data)
{
    const char *why = "cannot read the file";
    dp_status status = strcmp(path, "-") == 0
                           ? dp_buf_read_file(data, path, DP_MAX_INPUT_BYTES)
                           : dp_file_read(data, path, NULL, DP_MAX_INPUT_BYTES, NULL, &why);
    if (status == DP_EIO)
        dp_error(d, name, 0, "cannot read: %s", strerror(errno));
    else if (status == DP_ELIMIT)
        dp_error(d, name, 0, "input larger than the %zu MB limit",
                 DP_MAX_INPUT_BYTES >> 20);
    else if (status < 0)
        dp_error(d, name, 0, "cannot read: %s", why);
    return status;
}

/* Refuses an output path that may not be written (an existing device,
 * FIFO, folder, ...) before any work is done. */
static dp_status check_output(dp_diags *d, const char *path)
{
    const char *why;
    dp_status status = dp_file_out_check(path, &why);
    if (status == DP_EIO)
        dp_error(d, path, 0, "%s: %s", why, strerror(errno));
    else if (status < 0)
        dp_error(d, path, 0, "cannot write output: %s", why);
    return status < 0 ? DP_EIO : DP_OK;
}

/* True when a and b name the same existing file: writing the output
 * there would destroy an input (build x.xml -o x.xml). */
static int same_file(const char *a, const char *b)
{
    struct stat sa, sb;
    return a && b && strcmp(a, "-") != 0 && strcmp(b, "-") != 0 && stat(a, &sa) == 0 && stat(b, &sb) == 0 &&
           sa.st_dev == sb.st_dev && sa.st_ino == sb.st_ino;
}

static dp_status refuse_overwrite(dp_diags *d, const char *out, const char *in)
{
    dp_error(d, out, 0, "the output is the input file %s; refusing to overwrite it", in);
    return DP_EIO;
}

/* Reads a digest, importing archived text in memory. */
static dp_status load_doc(dp_diags *d, const char *path, const char *name,
                          int verbose, dp_doc **doc)
{
    dp_buf data, xml;
    dp_buf_init(&data);
    dp_buf_init(&xml);
    dp_status status = read_input(d, path, name, &data);
    if (status == DP_OK) {
        if (ends_with(path, ".txt")) {
            status = dp_text_import(d, name, data.data, data.len, verbose, &xml, NULL);
            if (status == DP_OK)
                status = dp_xml_read(doc, d, name, xml.data, xml.len);
        } else {
            status = dp_xml_read(doc, d, name, data.data, data.len);
        }
    }
    dp_buf_dispose(&data);
    dp_buf_dispose(&xml);
    return status;
}

dp_status dp_pdf_standard_check(dp_context *ctx, const char *list)
{
    dp_pdf_standard standard;
    return dp_pdf_standard_parse(&ctx->diags, list, &standard);
}

dp_status dp_validate(dp_context *ctx, const char *in_path)
{
    dp_doc *doc = NULL;
    dp_status status = load_doc(&ctx->diags, in_path, in_path, 0, &doc);
    dp_doc_free(doc);
    return status;
}

/* The folder of path ("." when it names none), malloc'd; NULL when out
 * of memory. */
static char *folder_of(const char *path)
{
    const char *slash = strrchr(path, '/');
    if (!slash)
        return strdup(".");
    size_t n = slash == path ? 1 : (size_t)(slash - path);
    char *dir = malloc(n + 1);
    if (dir) {
        memcpy(dir, path, n);
        dir[n] = '\0';
    }
    return dir;
}

/* Hands a stage's text to the caller's writer. */
static dp_status write_dump(dp_diags *d, const dp_build_options *opts, const dp_buf *text)
{
    if (text->len && opts->dump_write(opts->dump_user, text->data, text->len) != 0) {
        dp_error(d, "<dump>", 0, "writing the dump failed");
        return DP_EIO;
    }
    return DP_OK;
}

/* What a batch loads once before it forks its workers: the style as
 * dp_build would load it for the same options, the fonts it names and
 * (process-wide) the compiled grammar. The diagnostics of loading are
 * kept to be given to each build as if it had loaded them itself. */
struct dp_warm {
    dp_style style;
    char style_path[1024]; /* as found; "" without a style */
    dp_diags style_diags;
    dp_fontset fonts;
    dp_diags font_diags;
};

/* The most font slots a style fills. */
#define STYLE_FONTS (DP_FONT_FALLBACK + 3 * DP_STYLE_MAX_FALLBACK + 2)

/* The font files a style names, in dp_fontset_load's order: body,
 * heading, Latin, fallbacks, then the bold faces and the fallbacks of
 * each kind of role, which roles names; returns their count (trailing
 * empty slots left out). */
static int style_fonts(const dp_style *style, const char *paths[STYLE_FONTS],
                       dp_font_roles *roles)
{
    int n = 0;
    memset(roles, 0, sizeof *roles);
    paths[n++] = style->font_body;
    paths[n++] = style->font_heading;
    paths[n++] = style->font_latin;
    paths[n++] = style->font_latin_heading;
    for (int i = 0; i < style->n_fallback; i++)
        paths[n++] = style->font_fallback[i];
    roles->nfallback = style->n_fallback;
    roles->bold[0] = n;
    paths[n++] = style->font_body_bold;
    roles->bold[1] = n;
    paths[n++] = style->font_heading_bold;
    roles->kind_first[0] = n;
    roles->kind_n[0] = style->n_fallback_serif;
    for (int i = 0; i < style->n_fallback_serif; i++)
        paths[n++] = style->font_fallback_serif[i];
    roles->kind_first[1] = n;
    roles->kind_n[1] = style->n_fallback_sans;
    for (int i = 0; i < style->n_fallback_sans; i++)
        paths[n++] = style->font_fallback_sans[i];
    while (n > 4 && !paths[n - 1][0])
        n--;
    return n;
}

/* Loads the fonts style names into fs. */
static dp_status load_style_fonts(dp_fontset *fs, dp_diags *d, const char *origin,
                                  const dp_style *style)
{
    const char *paths[STYLE_FONTS];
    dp_font_roles roles;
    int n = style_fonts(style, paths, &roles);
    dp_status status = dp_fontset_load(fs, d, origin, paths, n);
    if (status == DP_OK)
        dp_fontset_set_roles(fs, &roles);
    return status;
}

static void replay(dp_diags *d, const dp_diags *from)
{
    for (size_t i = 0; i < from->count; i++) {
        const dp_diag *g = &from->items[i];
        dp_diags_add(d, g->severity, g->file, g->line, "%s", g->message);
    }
}

void dp_warm_free(dp_warm *w)
{
    if (!w)
        return;
    dp_fontset_dispose(&w->fonts);
    dp_diags_dispose(&w->style_diags);
    dp_diags_dispose(&w->font_diags);
    dp_xml_grammar_release();
    free(w);
}

dp_status dp_warm_new(const dp_build_options *opts, dp_warm **out)
{
    *out = NULL;
    dp_warm *w = calloc(1, sizeof *w);
    if (!w)
        return DP_ENOMEM;
    dp_diags_init(&w->style_diags);
    dp_diags_init(&w->font_diags);
    dp_style_defaults(&w->style);
    dp_status status = DP_OK;
    if (opts->style_path) {
        const char *const *dirs = opts->version >= 3 ? opts->style_dirs : NULL;
        if (dp_style_find(opts->style_path, dirs, w->style_path, sizeof w->style_path) !=
            DP_OK) {
            status = DP_EIO;
            goto done;
        }
        DP_TRY(dp_style_load(&w->style, &w->style_diags, w->style_path));
    }
    DP_TRY(load_style_fonts(&w->fonts, &w->font_diags,
                            opts->style_path ? opts->style_path : "default style", &w->style));
    if (w->style_diags.errors || w->font_diags.errors) {
        status = DP_ERR;
        goto done;
    }
    dp_fontset_warm(&w->fonts);
    /* without it each build compiles its own: slower, not wrong */
    (void)dp_xml_grammar_preload();
done:
    if (status < 0) {
        dp_warm_free(w);
        return status;
    }
    *out = w;
    return DP_OK;
}

static dp_status build(dp_context *ctx, const char *in_path, const char *pdf_path,
                       const dp_build_options *opts, dp_warm *warm,
                       dp_build_result *result);

dp_status dp_build(dp_context *ctx, const char *in_path, const char *pdf_path,
                   const dp_build_options *opts, dp_build_result *result)
{
    return build(ctx, in_path, pdf_path, opts, NULL, result);
}

dp_status dp_build_warm(dp_context *ctx, dp_warm *warm, const char *in_path,
                        const char *pdf_path, const dp_build_options *opts,
                        dp_build_result *result)
{
    return build(ctx, in_path, pdf_path, opts, warm, result);
}

/* The whole pipeline of one build (read, style, fonts, layout, dumps, PDF
 * with its size-limit retries); kept whole because its cleanup owns every
 * stage's result. */
static dp_status build(dp_context *ctx, const char *in_path, const char *pdf_path,
                       const dp_build_options *opts, dp_warm *warm,
                       dp_build_result *result)
{
    dp_build_options defaults = DP_BUILD_OPTIONS_INIT;
    if (!opts)
        opts = &defaults;
    dp_diags *d = &ctx->diags;
    const char *name = opts->input_name ? opts->input_name : in_path;
    dp_status status = DP_OK;
    dp_doc *doc = NULL;
    dp_pages *pages = NULL;
    dp_fontset fonts = {0};
    dp_style style;
    size_t bytes = 0;
    /* figures are read from inside root, the style's logo from inside
     * logo_root: --root, else the input's (the style's) folder */
    char *root = NULL, *logo_root = NULL;
    /* a stage's text (--dump); without pdf_path no PDF is written */
    dp_dump dump = opts->version >= 3 && opts->dump_write ? opts->dump : DP_DUMP_NONE;
    dp_buf text;
    dp_buf_init(&text);
    if (!pdf_path && dump == DP_DUMP_NONE) {
        dp_error(d, name, 0, "no output: give a PDF path or a stage to dump");
        return DP_ERR;
    }

    int threads = opts->version >= 2 ? opts->threads : 0;
    if (threads <= 0) {
        long cpus = sysconf(_SC_NPROCESSORS_ONLN);
        threads = cpus >= 2 ? 2 : 1;
    }

    dp_pdf_standard standard = DP_PDF_DEFAULT;
    if (opts->version >= 3 &&
        dp_pdf_standard_parse(d, opts->pdf_standard, &standard) != DP_OK)
        return DP_EINPUT;
    if (same_file(in_path, pdf_path))
        return refuse_overwrite(d, pdf_path, in_path);
    if (same_file(opts->style_path, pdf_path))
        return refuse_overwrite(d, pdf_path, opts->style_path);
    if (pdf_path)
        DP_TRY(check_output(d, pdf_path));
    dp_style_defaults(&style);
    char style_path[1024];
    if (warm) {
        /* what the style block below would have done, done once */
        memcpy(style_path, warm->style_path, sizeof style_path);
        if (opts->style_path && opts->version >= 3 && opts->on_read)
            opts->on_read(opts->on_read_user, style_path);
        replay(d, &warm->style_diags);
        style = warm->style;
    } else if (opts->style_path) {
        const char *const *dirs = opts->version >= 3 ? opts->style_dirs : NULL;
        if (dp_style_find(opts->style_path, dirs, style_path, sizeof style_path) !=
            DP_OK) {
            char where[1024];
            dp_error(d, opts->style_path, 0,
                     "no such style file, nor a style of that name in %s",
                     dp_style_dirs_text(dirs, where, sizeof where));
            status = DP_EIO;
            goto done;
        }
        if (opts->version >= 3 && opts->on_read)
            opts->on_read(opts->on_read_user, style_path);
        DP_TRY(dp_style_load(&style, d, style_path));
    }
    if (opts->version >= 3 && opts->on_read && strcmp(in_path, "-") != 0)
        opts->on_read(opts->on_read_user, in_path);
    const char *given_root = opts->version >= 3 ? opts->root : NULL;
    struct stat root_st;
    if (given_root && (stat(given_root, &root_st) != 0 || !S_ISDIR(root_st.st_mode))) {
        dp_error(d, given_root, 0, "the root folder (--root) is not a folder");
        status = DP_EIO;
        goto done;
    }
    root = given_root ? strdup(given_root) : folder_of(in_path);
    logo_root = given_root || !opts->style_path ? strdup(root ? root : ".")
                                                : folder_of(style_path);
    DP_CHECK_ALLOC(root);
    DP_CHECK_ALLOC(logo_root);
    DP_TRY(load_doc(d, in_path, name, opts->verbose, &doc));
    // NOLINTNEXTLINE(clang-analyzer-core.NullDereference): dp_xml_read sets *out whenever it returns DP_OK
    if (doc->n_sections == 0)
        dp_warn(d, name, 0, "the digest has no sections: the PDF holds the title page only");

    /* Under a size limit, each retry drops one font the reader can do
     * without: the Latin fonts, then the separate heading font. */
    int layout = pdf_path || dump != DP_DUMP_MODEL; /* the model alone needs none */
    for (int attempt = 0; layout; attempt++) {
        if (attempt == 1) {
            style.font_latin[0] = style.font_latin_heading[0] = '\0';
            dp_note(d, name, 0, "over %zu KB: Latin text set in the Japanese fonts",
                    opts->max_bytes >> 10);
        } else if (attempt == 2) {
            /* one face: bold faces go too (strong text takes the heading
             * font, now the body's) */
            memcpy(style.font_heading, style.font_body, sizeof style.font_heading);
            style.font_body_bold[0] = style.font_heading_bold[0] = '\0';
            dp_note(d, name, 0, "over %zu KB: headings set in the body font",
                    opts->max_bytes >> 10);
        }
        /* a warm build's first attempt uses the fonts loaded for it;
         * the retries change the style, so they load their own */
        dp_fontset *fs = warm && attempt == 0 ? &warm->fonts : &fonts;
        if (fs == &fonts) {
            DP_TRY(load_style_fonts(&fonts, d,
                                    opts->style_path ? opts->style_path : "default style",
                                    &style));
        } else {
            replay(d, &warm->font_diags);
        }
        dp_buf_reset(&text);
        dp_paginate_setup setup = {0};
        setup.root = root;
        setup.logo_root = logo_root;
        setup.lines_dump = dump == DP_DUMP_LINES ? &text : NULL;
        setup.on_read = opts->version >= 3 ? opts->on_read : NULL;
        setup.on_read_user = opts->on_read_user;
        setup.ua = dp_pdf_is_ua((int)standard);
        DP_TRY(dp_paginate(&pages, d, doc, &style, fs, &setup));
        pages->lang = doc->lang;
        pages->source_date_epoch = opts->version >= 3 ? opts->source_date_epoch : NULL;
        pages->pdf_standard = (int)standard;
        if (!pdf_path)
            break;
        status = dp_pdf_write(pages, d, pdf_path, opts->max_bytes, threads, &bytes);
        if (status != DP_ELIMIT || !opts->max_bytes)
            break;
        dp_pages_free(pages);
        pages = NULL;
        dp_fontset_dispose(&fonts);
        if (attempt == 2) {
            dp_error(d, pdf_path, 0,
                     "the PDF would be %zu KB, over the limit of %zu KB even with "
                     "its smaller choices; try --style compact",
                     bytes >> 10, opts->max_bytes >> 10);
            goto done;
        }
    }
    if (status < 0)
        goto done;
    if (dump == DP_DUMP_MODEL || dump == DP_DUMP_PAGES) {
        dp_buf_reset(&text);
        DP_TRY(dump == DP_DUMP_MODEL ? dp_doc_dump(&text, doc) : dp_pages_dump(&text, pages));
    }
    if (dump != DP_DUMP_NONE && (status = write_dump(d, opts, &text)) < 0) {
        if (pdf_path)
            remove(pdf_path); /* a failed build leaves no PDF */
        goto done;
    }
    if (result) {
        result->pages = pages ? (int)pages->n : 0;
        result->bytes = bytes;
        result->articles = doc->n_articles;
    }
done:
    free(root);
    free(logo_root);
    dp_buf_dispose(&text);
    dp_pages_free(pages);
    dp_fontset_dispose(&fonts);
    dp_doc_free(doc);
    return status;
}

dp_status dp_import(dp_context *ctx, const char *in_path, const char *xml_path,
                    const dp_import_options *opts, dp_import_result *result)
{
    dp_import_options defaults = DP_IMPORT_OPTIONS_INIT;
    if (!opts)
        opts = &defaults;
    dp_diags *d = &ctx->diags;
    const char *name = opts->input_name ? opts->input_name
                     : strcmp(in_path, "-") == 0 ? "<stdin>" : in_path;
    dp_buf data, xml;
    dp_buf_init(&data);
    dp_buf_init(&xml);
    dp_text_import_stats stats = {0};
    dp_status status = DP_OK;
    if (xml_path)
        DP_TRY(check_output(d, xml_path));
    DP_TRY(read_input(d, in_path, name, &data));
    DP_TRY(dp_text_import(d, name, data.data, data.len, opts->verbose, &xml, &stats));
    if (result) {
        result->sections = stats.sections;
        result->articles = stats.articles;
        result->warnings = stats.warnings;
    }
    if (!xml_path)
        goto done;
    if (same_file(in_path, xml_path)) {
        status = refuse_overwrite(d, xml_path, in_path);
        goto done;
    }
    if (strcmp(xml_path, "-") == 0) {
        if (fwrite(xml.data, 1, xml.len, stdout) != xml.len || fflush(stdout) != 0) {
            dp_error(d, "<stdout>", 0, "write failed: %s", strerror(errno));
            status = DP_EIO;
        }
        goto done;
    }
    dp_file_out out;
    const char *why;
    status = dp_file_out_open(&out, xml_path, &why);
    if (status == DP_OK) {
        status = dp_file_out_write(&out, xml.data, xml.len, &why);
        if (status == DP_OK)
            status = dp_file_out_commit(&out, &why);
        else
            dp_file_out_abort(&out);
    }
    if (status == DP_EIO)
        dp_error(d, xml_path, 0, "%s: %s", why, strerror(errno));
    else if (status < 0 && status != DP_ENOMEM)
        dp_error(d, xml_path, 0, "cannot write output: %s", why);
    if (status < 0 && status != DP_ENOMEM)
        status = DP_EIO;
done:
    dp_buf_dispose(&data);
    dp_buf_dispose(&xml);
    return status;
}

dp_status dp_load_doc(dp_context *ctx, const char *path, dp_doc **out)
{
    *out = NULL;
    return load_doc(&ctx->diags, path, path, 0, out);
}
