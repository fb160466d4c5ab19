/*
 * How the digestpdf command reports: every diagnostic, usage error and note
 * goes through here, as a human line (FILE:LINE: severity: message) or,
 * with --diagnostic-format json, as one JSON object per line
 * ({"file","line","column","severity","message"}). Text from input (file
 * names, messages quoting the digest) is escaped in both, so input cannot
 * drive the terminal or disguise a line.
 */
#include <stdarg.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "cli.h"

int cli_json;

/* Length of the valid UTF-8 sequence at p (at most n bytes) and its code
 * point, or 0 when it is not one (overlong, surrogate, truncated). */
static int utf8_at(const unsigned char *p, size_t n, uint32_t *cp)
{
    int len = p[0] >= 0xF0 && p[0] <= 0xF4 ? 4 : p[0] >= 0xE0 ? 3 : p[0] >= 0xC2 ? 2 : 0;
    if (len == 0 || (size_t)len > n || (len == 3 && p[0] > 0xEF))
        return 0;
    uint32_t c = p[0] & (0x7F >> len);
    for (int i = 1; i < len; i++) {
        if ((p[i] & 0xC0) != 0x80)
            return 0;
        c = c << 6 | (p[i] & 0x3F);
    }
    if ((len == 3 && c < 0x800) || (len == 4 && (c < 0x10000 || c > 0x10FFFF)) ||
        (c >= 0xD800 && c <= 0xDFFF))
        return 0;
    *cp = c;
    return len;
}

/* Characters that are written escaped: C1 controls, line separators and
 * the bidirectional marks, embeddings, overrides and isolates. */
static int disguising(uint32_t cp)
{
    return (cp >= 0x80 && cp <= 0x9F) || cp == 0x61C || cp == 0x200E || cp == 0x200F ||
           (cp >= 0x2028 && cp <= 0x202E) || (cp >= 0x2066 && cp <= 0x2069);
}

/* Writes s escaped: for humans C0 controls, DEL and bytes that are not
 * UTF-8 as \xHH and the disguising characters as \uHHHH; for JSON as a
 * string body (quotes and backslashes escaped, controls and disguising
 * characters as \u00HH / \uHHHH, invalid bytes as U+FFFD). */
static void put_escaped(FILE *out, const char *s, int json)
{
    const unsigned char *p = (const unsigned char *)s, *end = p + strlen(s);
    while (p < end) {
        uint32_t cp = *p;
        int len = cp < 0x80 ? 1 : utf8_at(p, (size_t)(end - p), &cp);
        if (len == 0) {
            fputs(json ? "\\ufffd" : "", out);
            if (!json)
                fprintf(out, "\\x%02x", *p);
            len = 1;
        } else if (cp < 0x20 || cp == 0x7F) {
            fprintf(out, json ? "\\u%04x" : "\\x%02x", (unsigned)cp);
        } else if (disguising(cp)) {
            fprintf(out, "\\u%04x", (unsigned)cp);
        } else if (json && (cp == '"' || cp == '\\')) {
            putc('\\', out);
            putc((int)cp, out);
        } else {
            fwrite(p, 1, (size_t)len, out);
        }
        p += len;
    }
}

void say(FILE *out, const char *fmt, ...)
{
    char small[1024];
    va_list ap;
    va_start(ap, fmt);
    // NOLINTNEXTLINE(clang-analyzer-valist.Uninitialized): va_start is just above; clang 14's checker loses it on some paths
    int n = vsnprintf(small, sizeof small, fmt, ap);
    va_end(ap);
    if (n < 0)
        return;
    if ((size_t)n < sizeof small) {
        put_escaped(out, small, 0);
        putc('\n', out);
        return;
    }
    char *heap = malloc((size_t)n + 1);
    if (!heap)
        return;
    va_start(ap, fmt);
    vsnprintf(heap, (size_t)n + 1, fmt, ap);
    va_end(ap);
    put_escaped(out, heap, 0);
    putc('\n', out);
    free(heap);
}

static void vreport(const char *severity, const char *file, long line, const char *fmt,
                    va_list ap)
{
    char small[1024], *heap = NULL;
    va_list again;
    va_copy(again, ap);
    // NOLINTNEXTLINE(clang-analyzer-valist.Uninitialized): va_start is just above; clang 14's checker loses it on some paths
    int n = vsnprintf(small, sizeof small, fmt, ap);
    if (n >= 0 && (size_t)n >= sizeof small && (heap = malloc((size_t)n + 1)) != NULL)
        vsnprintf(heap, (size_t)n + 1, fmt, again);
    va_end(again);
    if (n < 0 || ((size_t)n >= sizeof small && !heap))
        return;
    const char *msg = heap ? heap : small;
    if (cli_json) {
        fputs("{\"file\":", stderr);
        if (file) {
            putc('"', stderr);
            put_escaped(stderr, file, 1);
            putc('"', stderr);
        } else {
            fputs("null", stderr);
        }
        fprintf(stderr, ",\"line\":%ld,\"column\":null,\"severity\":\"%s\",\"message\":\"",
                line > 0 ? line : 0, severity);
        put_escaped(stderr, msg, 1);
        fputs("\"}\n", stderr);
    } else if (file && line > 0) {
        say(stderr, "%s:%ld: %s: %s", file, line, severity, msg);
    } else if (file) {
        say(stderr, "%s: %s: %s", file, severity, msg);
    } else {
        say(stderr, "digestpdf: %s: %s", severity, msg);
    }
    free(heap);
}

void report(const char *severity, const char *file, long line, const char *fmt, ...)
{
    va_list ap;
    va_start(ap, fmt);
    vreport(severity, file, line, fmt, ap);
    va_end(ap);
}

void cli_error(const char *fmt, ...)
{
    va_list ap;
    va_start(ap, fmt);
    vreport("error", NULL, 0, fmt, ap);
    va_end(ap);
}

void cli_note(const char *file, const char *fmt, ...)
{
    va_list ap;
    va_start(ap, fmt);
    vreport("note", file, 0, fmt, ap);
    va_end(ap);
}

int print_diags(dp_context *ctx, int verbose)
{
    int errors = 0;
    for (size_t i = 0; i < dp_diag_count(ctx); i++) {
        const dp_diag *g = dp_diag_at(ctx, i);
        if (g->severity == DP_DIAG_NOTE && !verbose)
            continue;
        const char *sev = g->severity == DP_DIAG_ERROR ? "error"
                        : g->severity == DP_DIAG_WARNING ? "warning" : "note";
        errors += g->severity == DP_DIAG_ERROR;
        report(sev, g->file, g->line, "%s", g->message);
    }
    dp_diag_clear(ctx);
    return errors;
}
