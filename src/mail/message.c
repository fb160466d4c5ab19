/*
 * The distribution mail as one RFC 5322 message: headers with RFC 2047
 * encoded words where the text is not ASCII, a multipart/alternative
 * summary (text and HTML) and the PDF, every body in base64 so no line
 * passes 76 characters whatever the text. Boundaries and the Message-ID
 * are hashes of the content, so the same input gives the same message.
 */
#include "mail.h"

#include <stdint.h>
#include <stdio.h>
#include <string.h>
#include <time.h>

#include "base/utf8.h"

#define CRLF "\r\n"

/* ---- hashing (for names that must be unique, not secret) ---- */

static uint64_t fnv1a(uint64_t h, const void *data, size_t len)
{
    const unsigned char *p = data;
    for (size_t i = 0; i < len; i++) {
        h ^= p[i];
        h *= 0x100000001b3ULL;
    }
    return h;
}

/* ---- addresses ---- */

static int atext(unsigned char c)
{
    return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') ||
           strchr("!#$%&'*+/=?^_`{|}~-", c) != NULL;
}

/* local@domain, exactly len bytes. */
static int addr_spec_ok(const char *s, size_t len)
{
    const char *at = memchr(s, '@', len);
    if (!at || at == s || at + 1 == s + len)
        return 0;
    size_t i = 0, n = (size_t)(at - s);
    if (s[0] == '.' || s[n - 1] == '.')
        return 0;
    for (i = 0; i < n; i++)
        if (!(atext((unsigned char)s[i]) || (s[i] == '.' && s[i + 1] != '.')))
            return 0;
    const char *d = at + 1;
    size_t m = len - n - 1;
    if (d[0] == '.' || d[0] == '-' || d[m - 1] == '.' || d[m - 1] == '-')
        return 0;
    for (i = 0; i < m; i++) {
        unsigned char c = (unsigned char)d[i];
        int ok = (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') ||
                 (c >= '0' && c <= '9') || c == '-' || (c == '.' && d[i + 1] != '.');
        if (!ok)
            return 0;
    }
    return 1;
}

/* Splits "Name <addr>" (name may be empty or quoted) or "addr". */
static int split_address(const char *s, const char **name, size_t *name_len,
                         const char **addr, size_t *addr_len)
{
    size_t len = strlen(s);
    for (size_t i = 0; i < len; i++)
        if ((unsigned char)s[i] < 0x20 || s[i] == 0x7F)
            return 0;
    const char *lt = strchr(s, '<');
    if (!lt) {
        *name = s;
        *name_len = 0;
        *addr = s;
        *addr_len = len;
        return addr_spec_ok(s, len);
    }
    const char *gt = strchr(lt, '>');
    if (!gt || gt[1] != '\0' || strchr(lt + 1, '<'))
        return 0;
    *name = s;
    *name_len = (size_t)(lt - s);
    while (*name_len && s[*name_len - 1] == ' ')
        (*name_len)--;
    *addr = lt + 1;
    *addr_len = (size_t)(gt - lt - 1);
    /* a display name may hold anything printable but the characters that
     * would end it: unquoted ',', ';', '"' */
    const char *nm = *name;
    size_t nl = *name_len;
    if (nl >= 2 && nm[0] == '"' && nm[nl - 1] == '"') {
        for (size_t i = 1; i + 1 < nl; i++)
            if (nm[i] == '"' || nm[i] == '\\')
                return 0;
    } else {
        for (size_t i = 0; i < nl; i++)
            if (strchr(",;\"\\>", nm[i]))
                return 0;
    }
    return dp_utf8_check(nm, nl) == nl && addr_spec_ok(*addr, *addr_len);
}

int dp_mail_address_ok(const char *s)
{
    const char *n, *a;
    size_t nl, al;
    return s && *s && split_address(s, &n, &nl, &a, &al);
}

/* ---- encoders ---- */

static const char b64[] =
    "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/";

/* Base64 of data; with wrap, lines of 76 characters ending in CRLF. */
static dp_status add_base64(dp_buf *out, const unsigned char *p, size_t len, int wrap)
{
    char line[80];
    size_t n = 0;
    dp_status status = DP_OK;
    for (size_t i = 0; i < len && status == DP_OK; i += 3) {
        uint32_t v = (uint32_t)p[i] << 16;
        if (i + 1 < len)
            v |= (uint32_t)p[i + 1] << 8;
        if (i + 2 < len)
            v |= p[i + 2];
        line[n++] = b64[v >> 18 & 63];
        line[n++] = b64[v >> 12 & 63];
        line[n++] = i + 1 < len ? b64[v >> 6 & 63] : '=';
        line[n++] = i + 2 < len ? b64[v & 63] : '=';
        if (n == 76 || i + 3 >= len) {
            status = dp_buf_add(out, line, n);
            if (status == DP_OK && wrap)
                status = dp_buf_adds(out, CRLF);
            n = 0;
        }
    }
    return status;
}

static int plain_ascii(const char *s, size_t len)
{
    for (size_t i = 0; i < len; i++)
        if ((unsigned char)s[i] < 0x20 || (unsigned char)s[i] > 0x7E)
            return 0;
    return !strstr(s, "=?");
}

/*
 * Header text: as it is when it is plain ASCII, else RFC 2047 encoded
 * words of at most 42 bytes of UTF-8 each (56 base64 characters, 68 with
 * the frame), cut between characters, folded onto continuation lines.
 * *col is the current line length, updated.
 */
static dp_status add_header_text(dp_buf *out, const char *s, size_t len, size_t *col)
{
    dp_status status = DP_OK;
    if (plain_ascii(s, len)) {
        /* fold at spaces when a line would pass 78 */
        size_t i = 0;
        while (i < len && status == DP_OK) {
            size_t j = i;
            while (j < len && s[j] != ' ')
                j++;
            size_t word = j - i;
            if (i > 0 && *col + word + 1 > 78) {
                status = dp_buf_adds(out, CRLF " ");
                *col = 1;
            } else if (i > 0) {
                status = dp_buf_addc(out, ' ');
                (*col)++;
            }
            if (status == DP_OK)
                status = dp_buf_add(out, s + i, word);
            *col += word;
            i = j + 1;
        }
        return status;
    }
    size_t i = 0;
    int first = 1;
    while (i < len && status == DP_OK) {
        size_t j = i;
        while (j < len) {
            size_t k = j + 1;
            while (k < len && ((unsigned char)s[k] & 0xC0) == 0x80)
                k++;
            if (k - i > 42)
                break;
            j = k;
        }
        if (j == i) /* one character over 42 bytes cannot be */
            j = len;
        if (!first || *col + 12 + (j - i + 2) / 3 * 4 > 78) {
            if (!first || *col > 1) {
                status = dp_buf_adds(out, CRLF " ");
                *col = 1;
            }
        }
        if (status == DP_OK)
            status = dp_buf_adds(out, "=?UTF-8?B?");
        if (status == DP_OK)
            status = add_base64(out, (const unsigned char *)s + i, j - i, 0);
        if (status == DP_OK)
            status = dp_buf_adds(out, "?=");
        *col += 12 + (j - i + 2) / 3 * 4;
        first = 0;
        i = j;
    }
    return status;
}

static dp_status add_header(dp_buf *out, const char *name, const char *value)
{
    size_t col = strlen(name) + 2;
    dp_status status = dp_buf_printf(out, "%s: ", name);
    if (status == DP_OK)
        status = add_header_text(out, value, strlen(value), &col);
    if (status == DP_OK)
        status = dp_buf_adds(out, CRLF);
    return status;
}

/* One address: the display name encoded when it is not plain ASCII. */
static dp_status add_address(dp_buf *out, const char *s, size_t *col)
{
    const char *name, *addr;
    size_t nl, al;
    split_address(s, &name, &nl, &addr, &al);
    dp_status status = DP_OK;
    if (nl) {
        if (nl >= 2 && name[0] == '"')
            status = dp_buf_add(out, name, nl);
        else if (plain_ascii(name, nl)) {
            status = dp_buf_addc(out, '"');
            if (status == DP_OK)
                status = dp_buf_add(out, name, nl);
            if (status == DP_OK)
                status = dp_buf_addc(out, '"');
        } else {
            status = add_header_text(out, name, nl, col);
        }
        if (status == DP_OK)
            status = dp_buf_adds(out, " <");
    } else {
        status = dp_buf_addc(out, '<');
    }
    if (status == DP_OK)
        status = dp_buf_add(out, addr, al);
    if (status == DP_OK)
        status = dp_buf_addc(out, '>');
    *col = 78; /* the next address starts a line of its own */
    return status;
}

static dp_status add_addresses(dp_buf *out, const char *field, const char *const *list)
{
    size_t col = strlen(field) + 2;
    dp_status status = dp_buf_printf(out, "%s: ", field);
    for (size_t i = 0; list[i] && status == DP_OK; i++) {
        if (i)
            status = dp_buf_adds(out, "," CRLF " ");
        col = i ? 1 : col;
        if (status == DP_OK)
            status = add_address(out, list[i], &col);
    }
    if (status == DP_OK)
        status = dp_buf_adds(out, CRLF);
    return status;
}

/* RFC 2231 attr-char: sent as it is inside filename*=. */
static int attr_char(unsigned char c)
{
    return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') ||
           strchr("!#$&+-.^_`|~", c) != NULL;
}

/* Content-Disposition with the file name per RFC 2231, in numbered
 * continuations of at most ~60 characters. */
static dp_status add_disposition(dp_buf *out, const char *name)
{
    dp_status status = dp_buf_adds(out, "Content-Disposition: attachment");
    size_t len = strlen(name), i = 0;
    int part = 0;
    while (i < len && status == DP_OK) {
        status = dp_buf_printf(out, ";" CRLF " filename*%d*=%s", part,
                               part == 0 ? "UTF-8''" : "");
        size_t col = 0;
        while (i < len && col < 54 && status == DP_OK) {
            /* keep a character's bytes together */
            size_t k = i + 1;
            while (k < len && ((unsigned char)name[k] & 0xC0) == 0x80)
                k++;
            for (; i < k && status == DP_OK; i++) {
                unsigned char c = (unsigned char)name[i];
                if (attr_char(c)) {
                    status = dp_buf_addc(out, (char)c);
                    col++;
                } else {
                    status = dp_buf_printf(out, "%%%02X", c);
                    col += 3;
                }
            }
        }
        part++;
    }
    if (status == DP_OK)
        status = dp_buf_adds(out, CRLF);
    return status;
}

/* The attachment's name: the title without characters a file name cannot
 * hold, at most 60 characters, then ".pdf". */
static dp_status pdf_name(dp_buf *out, const char *title)
{
    size_t chars = 0;
    dp_status status = DP_OK;
    for (const char *p = title; *p && chars < 60 && status == DP_OK; chars++) {
        size_t k = 1;
        while (p[k] && ((unsigned char)p[k] & 0xC0) == 0x80)
            k++;
        unsigned char c = (unsigned char)*p;
        if (c < 0x20 || c == 0x7F || strchr("/\\:*?\"<>|", c))
            status = dp_buf_addc(out, '_');
        else
            status = dp_buf_add(out, p, k);
        p += k;
    }
    if (status == DP_OK && out->len == 0)
        status = dp_buf_adds(out, "digest");
    if (status == DP_OK)
        status = dp_buf_adds(out, ".pdf");
    return status;
}

static const char *const days[] = {"Sun", "Mon", "Tue", "Wed", "Thu", "Fri", "Sat"};
static const char *const months[] = {"Jan", "Feb", "Mar", "Apr", "May", "Jun",
                                     "Jul", "Aug", "Sep", "Oct", "Nov", "Dec"};

/* The message from top to bottom (headers, the alternative text parts,
 * the PDF attachment); long because every header and boundary is written
 * in place, in the order it appears. */
dp_status dp_mail_compose(dp_buf *out, dp_doc *doc, const dp_mail_message *m,
                          const char **why)
{
    *why = NULL;
    if (!dp_mail_address_ok(m->from)) {
        *why = m->from;
        return DP_EINPUT;
    }
    for (size_t i = 0; m->to && m->to[i]; i++)
        if (!dp_mail_address_ok(m->to[i])) {
            *why = m->to[i];
            return DP_EINPUT;
        }
    for (size_t i = 0; m->cc && m->cc[i]; i++)
        if (!dp_mail_address_ok(m->cc[i])) {
            *why = m->cc[i];
            return DP_EINPUT;
        }
    if (!m->to || !m->to[0]) {
        *why = "no recipient";
        return DP_EINPUT;
    }

    dp_buf text, html, name;
    dp_buf_init(&text);
    dp_buf_init(&html);
    dp_buf_init(&name);
    const char *subject = m->subject ? m->subject : doc->title ? doc->title : "";
    dp_status status = dp_mail_summary(&text, doc, DP_SUMMARY_TEXT);
    if (status == DP_OK)
        status = dp_mail_summary(&html, doc, DP_SUMMARY_HTML);
    if (status == DP_OK)
        status = m->pdf_name ? dp_buf_adds(&name, m->pdf_name)
                             : pdf_name(&name, doc->title ? doc->title : "");
    if (status < 0)
        goto done;

    uint64_t h1 = fnv1a(0xcbf29ce484222325ULL, m->pdf, m->pdf_len);
    h1 = fnv1a(h1, text.data, text.len);
    h1 = fnv1a(h1, subject, strlen(subject));
    uint64_t h2 = fnv1a(h1 ^ 0x9e3779b97f4a7c15ULL, &m->date, sizeof m->date);
    for (size_t i = 0; m->to[i]; i++)
        h2 = fnv1a(h2, m->to[i], strlen(m->to[i]));
    char id[40];
    snprintf(id, sizeof id, "%016llx%016llx", (unsigned long long)h1,
             (unsigned long long)h2);
    const char *fa;
    const char *fn;
    size_t fnl, fal;
    split_address(m->from, &fn, &fnl, &fa, &fal);
    const char *domain = memchr(fa, '@', fal);
    int domain_len = (int)(fal - (size_t)(domain - fa) - 1);

    time_t t = (time_t)m->date;
    struct tm tm;
    if (!gmtime_r(&t, &tm)) {
        *why = "a date the mail cannot carry";
        status = DP_EINPUT;
        goto done;
    }

    const char *cc_none[] = {NULL};
    status = add_addresses(out, "From", (const char *const[]){m->from, NULL});
    if (status == DP_OK)
        status = add_addresses(out, "To", m->to);
    if (status == DP_OK && m->cc && m->cc[0])
        status = add_addresses(out, "Cc", m->cc ? m->cc : cc_none);
    if (status == DP_OK)
        status = add_header(out, "Subject", subject);
    if (status == DP_OK)
        status = dp_buf_printf(out,
                               "Date: %s, %02d %s %04d %02d:%02d:%02d +0000" CRLF
                               "Message-ID: <%s@%.*s>" CRLF "MIME-Version: 1.0" CRLF
                               "Content-Type: multipart/mixed;" CRLF " boundary=\"=_dp_m_%s\"" CRLF
                               CRLF "This is a MIME message." CRLF CRLF
                               "--=_dp_m_%s" CRLF
                               "Content-Type: multipart/alternative;" CRLF " boundary=\"=_dp_a_%s\"" CRLF
                               CRLF "--=_dp_a_%s" CRLF
                               "Content-Type: text/plain; charset=UTF-8" CRLF
                               "Content-Transfer-Encoding: base64" CRLF CRLF,
                               days[tm.tm_wday], tm.tm_mday, months[tm.tm_mon],
                               tm.tm_year + 1900, tm.tm_hour, tm.tm_min, tm.tm_sec, id,
                               domain_len, domain + 1, id, id, id, id);
    if (status == DP_OK)
        status = add_base64(out, (const unsigned char *)text.data, text.len, 1);
    if (status == DP_OK)
        status = dp_buf_printf(out,
                               "--=_dp_a_%s" CRLF
                               "Content-Type: text/html; charset=UTF-8" CRLF
                               "Content-Transfer-Encoding: base64" CRLF CRLF,
                               id);
    if (status == DP_OK)
        status = add_base64(out, (const unsigned char *)html.data, html.len, 1);
    if (status == DP_OK)
        status = dp_buf_printf(out,
                               "--=_dp_a_%s--" CRLF CRLF "--=_dp_m_%s" CRLF
                               "Content-Type: application/pdf;" CRLF " name=",
                               id, id);
    if (status == DP_OK) {
        size_t col = 7;
        if (plain_ascii(name.data, name.len)) {
            status = dp_buf_addc(out, '"');
            if (status == DP_OK)
                status = dp_buf_add(out, name.data, name.len);
            if (status == DP_OK)
                status = dp_buf_addc(out, '"');
        } else {
            status = dp_buf_addc(out, '"');
            if (status == DP_OK)
                status = add_header_text(out, name.data, name.len, &col);
            if (status == DP_OK)
                status = dp_buf_addc(out, '"');
        }
    }
    if (status == DP_OK)
        status = dp_buf_adds(out, CRLF);
    if (status == DP_OK)
        status = add_disposition(out, name.data);
    if (status == DP_OK)
        status = dp_buf_adds(out, "Content-Transfer-Encoding: base64" CRLF CRLF);
    if (status == DP_OK)
        status = add_base64(out, m->pdf, m->pdf_len, 1);
    if (status == DP_OK)
        status = dp_buf_printf(out, "--=_dp_m_%s--" CRLF, id);
done:
    dp_buf_dispose(&text);
    dp_buf_dispose(&html);
    dp_buf_dispose(&name);
    return status;
}
