/*
 * Text import, first stage: the archive decoded to UTF-8 (Shift_JIS and
 * EUC-JP converted, a BOM dropped) and cut into lines with their
 * indentation; what each line is (page chrome, ~NEW~ marker, contents
 * start, bullet, numbered item, sub-heading, date); the warnings.
 */
#include "input/text_import_int.h"

#include <errno.h>
#include <iconv.h>
#include <stdarg.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "base/url.h"
#include "base/utf8.h"

/* ---- diagnostics ---- */

void dp_ti_warn(importer *m, long line_no, const char *fmt, ...)
{
    va_list ap;
    va_start(ap, fmt);
    dp_diags_vadd(m->d, DP_DIAG_WARNING, m->file, line_no, fmt, ap);
    va_end(ap);
    m->warnings++;
}

/* Length of s cut to at most max bytes on a character boundary, so quoted
 * text in a message stays valid UTF-8. */
int dp_ti_clip(const char *s, size_t len, size_t max)
{
    if (len <= max)
        return (int)len;
    size_t n = max;
    while (n > 0 && ((unsigned char)s[n] & 0xC0) == 0x80)
        n--;
    return (int)n;
}


/* ---- small string helpers ---- */

int dp_ti_span_eq(span a, const char *s, size_t len)
{
    return a.len == len && memcmp(a.s, s, len) == 0;
}

int dp_ti_has_prefix(const char *s, size_t len, const char *p)
{
    size_t n = strlen(p);
    return len >= n && memcmp(s, p, n) == 0;
}

int dp_ti_has_suffix(const char *s, size_t len, const char *p)
{
    size_t n = strlen(p);
    return len >= n && memcmp(s + len - n, p, n) == 0;
}

/* Bytes of a separator (ASCII space or U+3000) at s, 0 if none. */
size_t dp_ti_sep_len(const char *s, size_t len)
{
    if (len >= 1 && s[0] == ' ')
        return 1;
    if (len >= 3 && memcmp(s, "\xE3\x80\x80", 3) == 0)
        return 3;
    return 0;
}

span dp_ti_skip_seps(span t)
{
    size_t n;
    while ((n = dp_ti_sep_len(t.s, t.len)) > 0) {
        t.s += n;
        t.len -= n;
    }
    return t;
}

/* ---- line classification ---- */

static const char *const chrome_lines[] = {
    "印刷", "このページを印刷する", "ページTOPへ", "ページトップへ",
    "ページの先頭へ", "ページの先頭へ戻る", "トップへ戻る", "TOPへ戻る",
    "Back to Top", "BACK TO TOP", "PAGE TOP", "ツイート", "シェア",
};

int dp_ti_is_chrome(const line *l)
{
    if (l->indent != 0)
        return 0;
    for (size_t i = 0; i < sizeof chrome_lines / sizeof *chrome_lines; i++)
        if (strlen(chrome_lines[i]) == l->len &&
            memcmp(l->s, chrome_lines[i], l->len) == 0)
            return 1;
    return dp_ti_has_suffix(l->s, l->len, "サムネイル");
}

int dp_ti_is_new_marker(const line *l)
{
    /* "~NEW~", also with full-width tildes (U+FF5E) */
    return (l->len == 5 && memcmp(l->s, "~NEW~", 5) == 0) ||
           (l->len == 9 && memcmp(l->s, "\xEF\xBD\x9ENEW\xEF\xBD\x9E", 9) == 0);
}

/* "~NEW~ AGENCY TITLE" on one line: the heading after the marker. */
int dp_ti_new_marker_heading(const line *l, line *h)
{
    size_t n = dp_ti_has_prefix(l->s, l->len, "~NEW~") ? 5
             : dp_ti_has_prefix(l->s, l->len, "\xEF\xBD\x9ENEW\xEF\xBD\x9E") ? 9 : 0;
    if (!n || n >= l->len || !dp_ti_sep_len(l->s + n, l->len - n))
        return 0;
    span t = dp_ti_skip_seps((span){l->s + n, l->len - n});
    *h = *l;
    h->s = t.s;
    h->len = (uint32_t)t.len;
    h->indent = 0;
    return 1;
}

int dp_ti_is_toc_start(const line *l)
{
    return l->indent == 0 && dp_ti_has_prefix(l->s, l->len, "【もくじ】");
}

/* "• " (U+2022), or on an indented line "・ " (U+30FB and a space): the
 * bullet of archives in Shift_JIS / EUC-JP, which have no U+2022.
 * Returns the item text after the marker. */
int dp_ti_bullet_text(const line *l, span *text)
{
    span t = {l->s + 3, l->len >= 3 ? l->len - 3 : 0};
    if (dp_ti_has_prefix(l->s, l->len, "\xE2\x80\xA2") ||
        (l->indent > 0 && dp_ti_has_prefix(l->s, l->len, "\xE3\x83\xBB") &&
         dp_ti_sep_len(t.s, t.len))) {
        *text = dp_ti_skip_seps(t);
        return 1;
    }
    return 0;
}

/* "12. ": returns the number and the item text. */
int dp_ti_number_text(const line *l, long *num, span *text)
{
    size_t i = 0;
    long v = 0;
    while (i < l->len && i < 9 && l->s[i] >= '0' && l->s[i] <= '9')
        v = v * 10 + (l->s[i++] - '0');
    if (i == 0 || i >= l->len || l->s[i] != '.')
        return 0;
    i++;
    if (i < l->len && !dp_ti_sep_len(l->s + i, l->len - i))
        return 0; /* "2.5%" is text, not an item */
    span t = {l->s + i, l->len - i};
    *num = v;
    *text = dp_ti_skip_seps(t);
    return 1;
}

/* "▼ text" (U+25BC). */
int dp_ti_subhead_text(const line *l, span *text)
{
    if (!dp_ti_has_prefix(l->s, l->len, "\xE2\x96\xBC"))
        return 0;
    span t = {l->s + 3, l->len - 3};
    *text = dp_ti_skip_seps(t);
    return 1;
}

/* ---- dates ---- */

static int days_in(int y, int mo)
{
    static const int d[] = {31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31};
    if (mo == 2 && ((y % 4 == 0 && y % 100 != 0) || y % 400 == 0))
        return 29;
    return d[mo - 1];
}

static size_t read_int(const char *s, size_t len, size_t i, int maxdig, int *v)
{
    int n = 0, val = 0;
    while (i < len && n < maxdig && s[i] >= '0' && s[i] <= '9') {
        val = val * 10 + (s[i] - '0');
        i++;
        n++;
    }
    *v = val;
    return n ? i : 0;
}

/*
 * Parses a date at s: "2026.01.06", "2026/1/6", "2026-01-06" or
 * "2026年1月6日". Returns the bytes used (0: not a date) and writes ISO
 * "YYYY-MM-DD" to iso.
 */
size_t dp_ti_parse_date(const char *s, size_t len, char iso[11])
{
    int y, mo, dd;
    size_t i = read_int(s, len, 0, 4, &y);
    if (i != 4)
        return 0;
    int kanji = dp_ti_has_prefix(s + i, len - i, "年");
    if (kanji)
        i += 3;
    else if (i < len && (s[i] == '.' || s[i] == '/' || s[i] == '-'))
        i++;
    else
        return 0;
    size_t j = read_int(s, len, i, 2, &mo);
    if (!j)
        return 0;
    i = j;
    if (kanji && dp_ti_has_prefix(s + i, len - i, "月"))
        i += 3;
    else if (!kanji && i < len && (s[i] == '.' || s[i] == '/' || s[i] == '-'))
        i++;
    else
        return 0;
    j = read_int(s, len, i, 2, &dd);
    if (!j)
        return 0;
    i = j;
    if (kanji) {
        if (!dp_ti_has_prefix(s + i, len - i, "日"))
            return 0;
        i += 3;
    }
    if (y < 1 || mo < 1 || mo > 12 || dd < 1 || dd > days_in(y, mo))
        return 0;
    char tmp[32];
    snprintf(tmp, sizeof tmp, "%04d-%02d-%02d", y, mo, dd);
    memcpy(iso, tmp, 11);
    return i;
}

/* "更新日:2026年2月9日 新着3記事" */
int dp_ti_parse_updated(const line *l, char iso[11], long *claimed)
{
    span t = {l->s, l->len};
    if (!dp_ti_has_prefix(t.s, t.len, "更新日"))
        return 0;
    t.s += 9;
    t.len -= 9;
    if (dp_ti_has_prefix(t.s, t.len, "\xEF\xBC\x9A")) { /* U+FF1A */
        t.s += 3;
        t.len -= 3;
    } else if (t.len && t.s[0] == ':') {
        t.s++;
        t.len--;
    }
    t = dp_ti_skip_seps(t);
    size_t n = dp_ti_parse_date(t.s, t.len, iso);
    if (!n)
        return 0;
    t.s += n;
    t.len -= n;
    t = dp_ti_skip_seps(t);
    *claimed = -1;
    if (dp_ti_has_prefix(t.s, t.len, "新着")) {
        int v;
        size_t k = read_int(t.s, t.len, 6, 6, &v);
        if (k && dp_ti_has_suffix(t.s, t.len, "記事"))
            *claimed = v;
    }
    return 1;
}

/* ---- decoding ---- */

/* Converts src from enc to UTF-8 into out; on failure returns the offset
 * of the first undecodable byte in *bad. */
static dp_status convert(const char *enc, const char *src, size_t len,
                         dp_buf *out, size_t *bad)
{
    dp_status status = DP_OK;
    iconv_t cd = iconv_open("UTF-8", enc);
    if (cd == (iconv_t)-1)
        return DP_ERR;
    char *in = (char *)src;
    size_t inleft = len;
    char chunk[16384];
    while (inleft > 0) {
        char *o = chunk;
        size_t oleft = sizeof chunk;
        size_t r = iconv(cd, &in, &inleft, &o, &oleft);
        DP_TRY(dp_buf_add(out, chunk, sizeof chunk - oleft));
        if (r == (size_t)-1 && errno != E2BIG) {
            *bad = (size_t)(in - src);
            status = DP_EINPUT;
            goto done;
        }
    }
done:
    iconv_close(cd);
    return status;
}

/*
 * Finds the text to parse: BOM removed, legacy encodings converted into
 * conv. Rejects binary and undecodable input with an error naming the
 * line. (Long, and kept whole: the guesses between truncated UTF-8,
 * binary data, Shift_JIS and EUC-JP build on each other in order.)
 */
dp_status dp_ti_decode(importer *m, const char *data, size_t len,
                        dp_buf *conv, const char **text, size_t *tlen)
{
    if (len >= 3 && memcmp(data, "\xEF\xBB\xBF", 3) == 0) {
        data += 3;
        len -= 3;
    }
    const char *nul = memchr(data, '\0', len);
    if (nul) {
        dp_error(m->d, m->file, dp_utf8_line_of(data, (size_t)(nul - data)),
                 "binary data (a NUL byte), not a text digest");
        return DP_EINPUT;
    }
    size_t bad = dp_utf8_check(data, len);
    if (bad == len) {
        *text = data;
        *tlen = len;
    } else {
        /* A UTF-8 file cut inside its last character was truncated, not
         * written in another encoding. */
        uint32_t cp;
        unsigned char c = (unsigned char)data[bad];
        size_t want = c >= 0xF0 ? 4 : c >= 0xE0 ? 3 : c >= 0xC0 ? 2 : 0;
        int tail_ok = want && len - bad < want;
        for (size_t i = bad + 1; tail_ok && i < len; i++)
            tail_ok = ((unsigned char)data[i] & 0xC0) == 0x80;
        int seen_utf8 = 0; /* evidence that the file is UTF-8 at all */
        for (size_t i = 0; i < bad && !seen_utf8; i++)
            seen_utf8 = (unsigned char)data[i] >= 0x80;
        if (tail_ok && seen_utf8 &&
            dp_utf8_decode(data + bad, len - bad, &cp) == 0) {
            dp_error(m->d, m->file, dp_utf8_line_of(data, bad),
                     "the file ends inside a UTF-8 character: truncated");
            return DP_EINPUT;
        }
        /* Shift_JIS and EUC-JP text stops being valid UTF-8 at its first
         * characters. Many good UTF-8 characters first mean a UTF-8 file
         * with a damaged byte: converting it would turn it into nonsense. */
        size_t multi = 0;
        for (size_t i = 0; i < bad; i++)
            multi += ((unsigned char)data[i] & 0xC0) == 0xC0;
        if (multi >= 8) {
            dp_error(m->d, m->file, dp_utf8_line_of(data, bad),
                     "invalid UTF-8 (byte 0x%02X) in a UTF-8 file",
                     (unsigned char)data[bad]);
            return DP_EINPUT;
        }
        /* EUC-JP never uses bytes 0x80-0xA0 except its shifts 0x8E/0x8F;
         * Shift_JIS lead bytes mostly live there. Try the likelier one
         * first, then the other. */
        int sjis_first = 0;
        for (size_t i = 0; i < len && !sjis_first; i++) {
            unsigned char b = (unsigned char)data[i];
            if (b >= 0x80 && b <= 0xA0 && b != 0x8E && b != 0x8F)
                sjis_first = 1;
        }
        const char *encs[2] = {sjis_first ? "CP932" : "EUC-JP",
                               sjis_first ? "EUC-JP" : "CP932"};
        const char *names[2] = {sjis_first ? "Shift_JIS (CP932)" : "EUC-JP",
                                sjis_first ? "EUC-JP" : "Shift_JIS (CP932)"};
        int ok = -1;
        size_t first_bad = bad; /* where the likelier encoding failed */
        for (int k = 0; k < 2 && ok < 0; k++) {
            size_t where = bad;
            dp_buf_reset(conv);
            dp_status st = convert(encs[k], data, len, conv, &where);
            if (st == DP_ENOMEM || st == DP_ELIMIT)
                return st;
            if (st == DP_OK)
                ok = k;
            else if (k == 0 && where < len)
                first_bad = where;
        }
        if (ok < 0) {
            dp_error(m->d, m->file, dp_utf8_line_of(data, first_bad),
                     "undecodable byte 0x%02X: the file is not text in "
                     "UTF-8, Shift_JIS or EUC-JP",
                     (unsigned char)data[first_bad]);
            return DP_EINPUT;
        }
        if (m->verbose)
            dp_note(m->d, m->file, 0, "decoded from %s", names[ok]);
        *text = conv->data ? conv->data : "";
        *tlen = conv->len;
    }
    /* XML cannot carry C0 controls (other than tab and line ends) or
     * U+FFFE/U+FFFF: such a file is binary, not a digest. */
    for (size_t i = 0; i < *tlen; i++) {
        unsigned char c = (unsigned char)(*text)[i];
        if (c < 0x20 && c != '\t' && c != '\n' && c != '\r') {
            dp_error(m->d, m->file, dp_utf8_line_of(*text, i),
                     "binary data (control character 0x%02X), not a text "
                     "digest", c);
            return DP_EINPUT;
        }
        if (c == 0xEF && i + 2 < *tlen &&
            (unsigned char)(*text)[i + 1] == 0xBF &&
            ((unsigned char)(*text)[i + 2] & 0xFE) == 0xBE) {
            dp_error(m->d, m->file, dp_utf8_line_of(*text, i),
                     "binary data (noncharacter U+FFF%c), not a text digest",
                     (*text)[i + 2] & 1 ? 'F' : 'E');
            return DP_EINPUT;
        }
    }
    return DP_OK;
}

/* Where the line starting at start ends: the next LF, CR LF or lone CR
 * (old Mac archives end lines with CR alone), or len. */
static size_t line_end(const char *text, size_t start, size_t len)
{
    size_t i = start;
    while (i < len && text[i] != '\n' && text[i] != '\r')
        i++;
    return i;
}

dp_status dp_ti_split_lines(importer *m, const char *text, size_t len)
{
    size_t n = 1;
    for (size_t i = 0; i < len; i++)
        if (text[i] == '\n' || (text[i] == '\r' && (i + 1 == len || text[i + 1] != '\n')))
            n++;
    m->lines = calloc(n, sizeof *m->lines);
    if (!m->lines)
        return DP_ENOMEM;
    size_t start = 0, k = 0;
    while (start <= len && k < n) {
        size_t end = line_end(text, start, len);
        line *l = &m->lines[k];
        l->no = (uint32_t)(k + 1);
        size_t i = start;
        while (i < end && (text[i] == ' ' || text[i] == '\t')) {
            if (l->indent < INT32_MAX - 2)
                l->indent += text[i] == '\t' ? 2 : 1;
            i++;
        }
        size_t e = end;
        while (e > i && (text[e - 1] == ' ' || text[e - 1] == '\t' ||
                         text[e - 1] == '\r'))
            e--;
        l->s = text + i;
        l->len = (uint32_t)(e - i);
        if (l->len == 0)
            l->indent = 0;
        k++;
        start = end + (end + 1 < len && text[end] == '\r' && text[end + 1] == '\n' ? 2 : 1);
    }
    m->nlines = k;
    return DP_OK;
}
