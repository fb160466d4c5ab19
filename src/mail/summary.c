/*
 * The summary of a digest for the body of its distribution mail, as plain
 * text, Markdown or HTML. Japanese digests get Japanese labels and dates
 * (2026年1月6日); others English ones and ISO dates.
 */
#include "mail.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

typedef struct labels {
    const char *published, *updated, *articles, *by_body, *new_articles, *body,
        *count, *fresh;
} labels;

static const labels ja = {"発行日", "更新日", "掲載記事", "発行機関別の掲載件数",
                          "新着記事", "発行機関", "件数", "新着"};
static const labels en = {"Published", "Updated", "Articles", "Articles by issuing body",
                          "New articles", "Issuing body", "Articles", "New"};

typedef struct writer {
    dp_buf *out;
    dp_summary_format format;
    int japanese;
    dp_status status;
} writer;

static void put(writer *w, const char *s)
{
    if (w->status == DP_OK)
        w->status = dp_buf_adds(w->out, s);
}

__attribute__((format(printf, 2, 3))) static void putf(writer *w, const char *fmt, ...)
{
    va_list ap;
    va_start(ap, fmt);
    char tmp[256];
    // NOLINTNEXTLINE(clang-analyzer-valist.Uninitialized): va_start is just above; clang 14's checker loses it on some paths
    int n = vsnprintf(tmp, sizeof tmp, fmt, ap);
    va_end(ap);
    if (n >= 0 && (size_t)n < sizeof tmp)
        put(w, tmp);
    else if (w->status == DP_OK)
        w->status = DP_ELIMIT;
}

/* Text from the digest, escaped for the format: HTML entities, Markdown's
 * punctuation; control characters never reach the output. */
static void put_text(writer *w, const char *s)
{
    if (!s)
        return;
    if (w->format == DP_SUMMARY_HTML) {
        if (w->status == DP_OK)
            w->status = dp_buf_add_xml(w->out, s, strlen(s));
        return;
    }
    for (; *s && w->status == DP_OK; s++) {
        unsigned char c = (unsigned char)*s;
        if (c < 0x20 || c == 0x7F) {
            w->status = dp_buf_addc(w->out, ' ');
            continue;
        }
        if (w->format == DP_SUMMARY_MARKDOWN && strchr("\\`*_[]<>#|", c))
            w->status = dp_buf_addc(w->out, '\\');
        if (w->status == DP_OK)
            w->status = dp_buf_addc(w->out, (char)c);
    }
}

/* Only links a mail reader should offer: http, https, mailto. */
static int safe_href(const char *h)
{
    return h && (!strncmp(h, "https://", 8) || !strncmp(h, "http://", 7) ||
                 !strncmp(h, "mailto:", 7)) && !strpbrk(h, " \t\r\n\"<>");
}

/* "2026-01-06" as 2026年1月6日 in Japanese; as written otherwise. */
static void put_date(writer *w, const char *iso)
{
    /* YYYY-MM-DD, then possibly a time or a zone */
    if (w->japanese && iso && strlen(iso) >= 10 && iso[4] == '-' && iso[7] == '-') {
        char *end;
        long y = strtol(iso, &end, 10), m = strtol(iso + 5, NULL, 10),
             d = strtol(iso + 8, NULL, 10);
        if (end == iso + 4 && y > 0 && m >= 1 && m <= 12 && d >= 1 && d <= 31) {
            putf(w, "%ld年%ld月%ld日", y, m, d);
            return;
        }
    }
    put_text(w, iso);
}

static void put_count(writer *w, int n, int fresh)
{
    if (w->japanese)
        fresh > 0 ? putf(w, "%d件（うち新着%d件）", n, fresh) : putf(w, "%d件", n);
    else
        fresh > 0 ? putf(w, "%d (%d new)", n, fresh) : putf(w, "%d", n);
}

static int new_in(const dp_section *s)
{
    int n = 0;
    for (const dp_article *a = s->articles; a; a = a->next)
        n += a->is_new != 0;
    return n;
}

static void head(writer *w, dp_doc *doc, const labels *L)
{
    const char *title = doc->title ? doc->title : "";
    switch (w->format) {
    case DP_SUMMARY_HTML:
        put(w, "<!DOCTYPE html>\n<html lang=\"");
        put_text(w, doc->lang);
        put(w, "\">\n<head><meta charset=\"utf-8\"><title>");
        put_text(w, title);
        put(w, "</title></head>\n<body>\n");
        if (doc->series) {
            put(w, "<p>");
            put_text(w, doc->series);
            put(w, "</p>\n");
        }
        put(w, "<h1>");
        put_text(w, title);
        put(w, "</h1>\n");
        if (doc->subtitle) {
            put(w, "<p>");
            put_text(w, doc->subtitle);
            put(w, "</p>\n");
        }
        put(w, "<ul>\n<li>");
        put(w, L->published);
        put(w, ": ");
        put_date(w, doc->published);
        put(w, "</li>\n");
        if (doc->updated) {
            put(w, "<li>");
            put(w, L->updated);
            put(w, ": ");
            put_date(w, doc->updated);
            put(w, "</li>\n");
        }
        put(w, "<li>");
        put(w, L->articles);
        put(w, ": ");
        put_count(w, doc->n_articles, doc->n_new);
        put(w, "</li>\n</ul>\n");
        break;
    case DP_SUMMARY_MARKDOWN:
    case DP_SUMMARY_TEXT: {
        int md = w->format == DP_SUMMARY_MARKDOWN;
        if (doc->series) {
            put(w, md ? "**" : "");
            put_text(w, doc->series);
            put(w, md ? "**\n\n" : "\n");
        }
        put(w, md ? "# " : "");
        put_text(w, title);
        put(w, "\n");
        if (doc->subtitle) {
            put(w, md ? "\n" : "");
            put_text(w, doc->subtitle);
            put(w, "\n");
        }
        put(w, "\n");
        const char *item = md ? "- " : "";
        putf(w, "%s%s: ", item, L->published);
        put_date(w, doc->published);
        put(w, "\n");
        if (doc->updated) {
            putf(w, "%s%s: ", item, L->updated);
            put_date(w, doc->updated);
            put(w, "\n");
        }
        putf(w, "%s%s: ", item, L->articles);
        put_count(w, doc->n_articles, doc->n_new);
        put(w, "\n");
        break;
    }
    }
}

static void counts(writer *w, const dp_doc *doc, const labels *L)
{
    switch (w->format) {
    case DP_SUMMARY_HTML:
        putf(w, "<h2>%s</h2>\n<table>\n<tr><th>%s</th><th>%s</th><th>%s</th></tr>\n",
             L->by_body, L->body, L->count, L->fresh);
        for (const dp_section *s = doc->sections; s; s = s->next) {
            put(w, "<tr><td>");
            put_text(w, s->name);
            putf(w, "</td><td>%d</td><td>%d</td></tr>\n", s->n_articles, new_in(s));
        }
        put(w, "</table>\n");
        break;
    case DP_SUMMARY_MARKDOWN:
        putf(w, "\n## %s\n\n| %s | %s | %s |\n| --- | ---: | ---: |\n", L->by_body,
             L->body, L->count, L->fresh);
        for (const dp_section *s = doc->sections; s; s = s->next) {
            put(w, "| ");
            put_text(w, s->name);
            putf(w, " | %d | %d |\n", s->n_articles, new_in(s));
        }
        break;
    case DP_SUMMARY_TEXT:
        putf(w, "\n%s\n", L->by_body);
        for (const dp_section *s = doc->sections; s; s = s->next) {
            put(w, "  ");
            put_text(w, s->name);
            put(w, w->japanese ? "　" : ": ");
            put_count(w, s->n_articles, new_in(s));
            put(w, "\n");
        }
        break;
    }
}

static void new_articles(writer *w, dp_doc *doc, const labels *L)
{
    if (doc->n_new == 0)
        return;
    int html = w->format == DP_SUMMARY_HTML, md = w->format == DP_SUMMARY_MARKDOWN;
    putf(w, html ? "<h2>%s</h2>\n" : md ? "\n## %s\n" : "\n%s\n", L->new_articles);
    for (const dp_section *s = doc->sections; s && w->status == DP_OK; s = s->next) {
        if (!new_in(s))
            continue;
        put(w, html ? "<h3>" : md ? "\n### " : w->japanese ? "\n【" : "\n[");
        put_text(w, s->name);
        put(w, html ? "</h3>\n<ul>\n" : md ? "\n\n" : w->japanese ? "】\n" : "]\n");
        for (const dp_article *a = s->articles; a && w->status == DP_OK; a = a->next) {
            if (!a->is_new)
                continue;
            const char *title = dp_inline_plain(doc, a->title);
            if (!title) {
                w->status = DP_ENOMEM;
                break;
            }
            int link = safe_href(a->href);
            if (html) {
                put(w, "<li>");
                if (link) {
                    put(w, "<a href=\"");
                    put_text(w, a->href);
                    put(w, "\">");
                }
                put_text(w, title);
                put(w, link ? "</a></li>\n" : "</li>\n");
            } else if (md) {
                put(w, link ? "- [" : "- ");
                put_text(w, title);
                if (link) {
                    put(w, "](<");
                    put(w, a->href); /* checked: no space, < or > */
                    put(w, ">)");
                }
                put(w, "\n");
            } else {
                put(w, w->japanese ? "  ・" : "  - ");
                put_text(w, title);
                put(w, "\n");
                if (link) {
                    put(w, "    ");
                    put_text(w, a->href);
                    put(w, "\n");
                }
            }
        }
        if (html)
            put(w, "</ul>\n");
    }
}

dp_status dp_mail_summary(dp_buf *out, dp_doc *doc, dp_summary_format format)
{
    writer w = {out, format, doc->lang && !strncmp(doc->lang, "ja", 2), DP_OK};
    const labels *L = w.japanese ? &ja : &en;
    head(&w, doc, L);
    counts(&w, doc, L);
    new_articles(&w, doc, L);
    if (format == DP_SUMMARY_HTML)
        put(&w, "</body>\n</html>\n");
    return w.status;
}
