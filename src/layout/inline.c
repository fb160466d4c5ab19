/*
 * Inline content to spans (dp_layout_flatten()): emphasis and strong as
 * colour and face, ruby readings, <br>, and links — <a href> with the
 * style's allowed schemes and percent-encoding, bare http(s) URLs in text
 * found with base/url.h's detector (the one the importer uses). Every
 * href is checked once, with its warning, before layout starts.
 */
#include <stdio.h>
#include <string.h>
#include <strings.h>

#include "base/status.h"
#include "base/url.h"
#include "layouter.h"

static int looks_like_url(const char *s, size_t n)
{
    return (n > 7 && !strncmp(s, "http://", 7)) || (n > 8 && !strncmp(s, "https://", 8));
}

/* A link target longer than this is drawn as text: no reader needs it
 * and libharu refuses strings over 64 KB. */
#define MAX_HREF_BYTES 4096

/* Whether href's scheme is one the style allows (link.schemes). */
static int scheme_allowed(const dp_style *st, const char *href, size_t len)
{
    size_t n = 0;
    while (n < len && href[n] != ':' && n < 64)
        n++;
    if (n == 0 || n >= len || href[n] != ':')
        return 0; /* no scheme: a relative reference has no base here */
    for (const char *p = st->link_schemes; *p;) {
        const char *e = strchr(p, ' ');
        if (!e)
            break;
        if ((size_t)(e - p) == n && strncasecmp(p, href, n) == 0)
            return 1;
        p = e + 1;
    }
    return 0;
}

/* The URI a link action gets for href (in the pages' arena): characters
 * outside printable ASCII percent-encoded, as a URI must be written; NULL
 * when href is not made a link (a warning naming line says why) or out
 * of memory (*status). quiet: no warning (bare URLs found in text). */
const char *dp_layout_link_uri(layouter *L, const char *href, size_t len, long line,
                               int quiet, dp_status *status)
{
    *status = DP_OK;
    if (len == 0) {
        if (!quiet)
            dp_warn(L->d, L->doc->file, line, "link with an empty href; drawn as text");
        return NULL;
    }
    if (!scheme_allowed(L->st, href, len)) {
        if (!quiet) {
            size_t n = 0;
            while (n < len && n < 32 && href[n] != ':' && (unsigned char)href[n] >= 0x20 &&
                   (unsigned char)href[n] < 0x7F)
                n++;
            dp_warn(L->d, L->doc->file, line,
                    n < len && href[n] == ':'
                        ? "link scheme \"%.*s:\" is not allowed (link.schemes); drawn as text"
                        : "link href \"%.*s...\" has no scheme; drawn as text",
                    (int)n, href);
        }
        return NULL;
    }
    size_t out = 0;
    for (size_t i = 0; i < len; i++) {
        unsigned char c = (unsigned char)href[i];
        out += c <= 0x20 || c >= 0x7F || strchr("\"<>\\^`{|}", c) ? 3 : 1;
    }
    if (out > MAX_HREF_BYTES) {
        if (!quiet)
            dp_warn(L->d, L->doc->file, line,
                    "link href of %zu bytes is over the %d-byte limit; drawn as text",
                    out, MAX_HREF_BYTES);
        return NULL;
    }
    char *uri = dp_arena_alloc(&L->pages->arena, out + 1);
    if (!uri) {
        *status = DP_ENOMEM;
        return NULL;
    }
    size_t o = 0;
    for (size_t i = 0; i < len; i++) {
        unsigned char c = (unsigned char)href[i];
        if (c <= 0x20 || c >= 0x7F || strchr("\"<>\\^`{|}", c)) {
            snprintf(uri + o, 4, "%%%02X", c);
            o += 3;
        } else {
            uri[o++] = (char)c;
        }
    }
    uri[o] = '\0';
    return uri;
}

/* Every <a href> of the document checked once, with its warning, before
 * any is laid out: table cells are flattened several times, and dp_layout_flatten()
 * makes the URI again quietly (the document is not changed: a build may
 * lay it out more than once). */
static dp_status check_inline_links(layouter *L, const dp_inline *in)
{
    dp_status status = DP_OK;
    for (; in; in = in->next) {
        if (in->kind == DP_INL_LINK && in->href) {
            dp_layout_link_uri(L, in->href, strlen(in->href), in->line, 0, &status);
            if (status < 0)
                return status;
        }
        DP_TRY(check_inline_links(L, in->child));
    }
done:
    return status;
}

static dp_status check_block_links(layouter *L, const dp_block *b)
{
    dp_status status = DP_OK;
    for (; b; b = b->next) {
        DP_TRY(check_inline_links(L, b->text));
        DP_TRY(check_block_links(L, b->child));
    }
done:
    return status;
}

dp_status dp_layout_check_links(layouter *L)
{
    dp_status status = DP_OK;
    DP_TRY(check_inline_links(L, L->doc->summary));
    for (const dp_section *s = L->doc->sections; s; s = s->next)
        for (const dp_article *a = s->articles; a; a = a->next) {
            DP_TRY(check_inline_links(L, a->title));
            DP_TRY(check_inline_links(L, a->subtitle));
            DP_TRY(check_block_links(L, a->body));
        }
done:
    return status;
}

/* Plain text, with bare http(s) URLs turned into links. */
static dp_status text_with_urls(layouter *L, const dp_inline *in, text_style ts)
{
    dp_status status = DP_OK;
    const char *s = in->text;
    size_t n = in->len, start = 0;
    for (size_t i = 0; i + 7 < n; i++) {
        if (s[i] != 'h')
            continue;
        size_t k = dp_url_length(s + i, n - i);
        if (k == 0)
            continue;
        const char *href = dp_layout_link_uri(L, s + i, k, in->line, 1, &status);
        if (status < 0)
            goto done;
        if (!href)
            continue; /* a scheme the style does not allow */
        DP_TRY(dp_layout_push_span(L, s + start, i - start, ts.font, ts.size, ts.color,
                                   NULL, in->lang, in->line));
        DP_TRY(dp_layout_push_span(L, s + i, k, ts.font, ts.size, L->st->color_link, href,
                                   in->lang, in->line));
        L->spans[L->nspans - 1].url = 1;
        start = i + k;
        i = start - 1;
    }
    DP_TRY(dp_layout_push_span(L, s + start, n - start, ts.font, ts.size, ts.color, NULL,
                               in->lang, in->line));
done:
    return status;
}

dp_status dp_layout_flatten(layouter *L, const dp_inline *in, text_style ts,
                            const char *href)
{
    dp_status status = DP_OK;
    for (; in; in = in->next) {
        switch (in->kind) {
        case DP_INL_TEXT:
            if (href) {
                DP_TRY(dp_layout_push_span(L, in->text, in->len, ts.font, ts.size,
                                           L->st->color_link, href, in->lang, in->line));
                L->spans[L->nspans - 1].url = looks_like_url(in->text, in->len);
            } else {
                DP_TRY(text_with_urls(L, in, ts));
            }
            break;
        case DP_INL_EM: {
            /* Japanese practice: sesame dots (傍点) above the emphasised
             * letters, drawn by dp_layout_emit_units(); colour is left to
             * links. Emphasis with no Japanese letter is set in the
             * heading (Gothic, sans) face instead. */
            size_t first = L->nspans;
            DP_TRY(dp_layout_flatten(L, in->child, ts, href));
            for (size_t k = first; k < L->nspans; k++) {
                dp_span *sp = &L->spans[k];
                int ja = 0;
                for (size_t i = 0; i < sp->len && !ja; i++)
                    ja = (unsigned char)sp->text[i] >= 0xE3 && (unsigned char)sp->text[i] <= 0xE9;
                if (ja)
                    sp->emph = 1;
                else
                    sp->font = DP_FONT_HEADING;
            }
            break;
        }
        case DP_INL_STRONG: {
            text_style s = ts;
            s.font = dp_fontset_strong_role(L->fs, ts.font);
            DP_TRY(dp_layout_flatten(L, in->child, s, href));
            break;
        }
        case DP_INL_LINK: { /* dp_layout_check_links() warned about a refused href */
            const char *uri = in->href ? dp_layout_link_uri(L, in->href, strlen(in->href),
                                                            in->line, 1, &status) : NULL;
            if (status < 0)
                goto done;
            DP_TRY(dp_layout_flatten(L, in->child, ts, uri ? uri : href));
            break;
        }
        case DP_INL_SPAN: /* set as its text; the children carry its language */
            DP_TRY(dp_layout_flatten(L, in->child, ts, href));
            break;
        case DP_INL_BR:
            DP_TRY(dp_layout_push_span(L, "\n", 1, ts.font, ts.size, ts.color, NULL,
                                       in->lang, in->line));
            break;
        case DP_INL_RUBY: {
            /* the base text carries its reading; dp_layout_emit_units() sets it above */
            size_t first = L->nspans;
            DP_TRY(dp_layout_flatten(L, in->child, ts, href));
            for (size_t k = first; k < L->nspans; k++)
                L->spans[k].ruby = in->rt && *in->rt ? in->rt : NULL;
            break;
        }
        }
    }
done:
    return status;
}

int dp_layout_heading_role(const layouter *L)
{
    return L->st->heading_bold ? dp_fontset_strong_role(L->fs, DP_FONT_HEADING)
                               : DP_FONT_HEADING;
}
