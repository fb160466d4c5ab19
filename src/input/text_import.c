/*
 * Archived plain-text digest -> digest XML v1.
 *
 * The archive is text captured from the publishing web page: a header
 * (series, title, dates, page chrome), a table of contents under
 * 【もくじ】, then one block per article: an optional ~NEW~ marker, the
 * heading "AGENCY TITLE" and a body of indented "•" / "1." items, "▼"
 * sub-headings and plain lines.
 *
 * The work is one pass over the lines after decoding. The body is
 * written as it is read (a stack of open lists, the text of the newest
 * block kept pending so wrapped lines can still be joined to it); meta
 * is written last because lines found before the first article land in
 * its summary. Everything goes to local buffers that are appended to the
 * caller's buffer only on success.
 */
#include "input/text_import.h"

#include <errno.h>
#include <iconv.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "base/status.h"
#include "base/url.h"
#include "base/utf8.h"

/* A list level holds one <list> and its open <item>: two elements per
 * level below digest/section/article. This keeps the deepest element (a
 * link in a paragraph of the deepest item) within DP_MAX_DEPTH. */
#define MAX_LEVEL ((DP_MAX_DEPTH - 5) / 2)

enum { LIST_BULLET, LIST_DECIMAL };
enum { PEND_NONE, PEND_ITEM, PEND_P };

/* One line of the decoded text; kept small, there is one per line. */
typedef struct line {
    const char *s; /* after the indentation */
    uint32_t len;  /* without trailing whitespace and CR */
    int32_t indent; /* leading spaces (a tab counts as two) */
    uint32_t no;   /* 1-based */
} line;

typedef struct span {
    const char *s;
    size_t len;
} span;

/* Open-addressing table from a string to an index; no removal. */
typedef struct strtab {
    struct slot { const char *s; size_t len; size_t val; int used; } *slots;
    size_t cap, count;
} strtab;

typedef struct toc_entry {
    span section, full, title;
    long line;
    long matched_line; /* 0 while no body article matched it */
    size_t next_dup;   /* next entry with the same full text, or SIZE_MAX */
    /* on the first entry of a text only: its last duplicate and the first
     * one no article has matched yet (keeps repeats linear) */
    size_t last_dup, free_dup;
} toc_entry;

typedef struct body_article {
    span section, title;
    long line;
    size_t toc; /* SIZE_MAX when not in the TOC, TOC_REPEAT when listed but
                   already matched by an earlier article */
} body_article;

#define TOC_REPEAT (SIZE_MAX - 1)

typedef struct level {
    int type;
    long next; /* expected next number of a decimal list */
    long item_line;
} level;

/* The state of one import. Every span points into the decoded text, which
 * outlives it; the arrays, tables and buffers are owned and freed at the
 * end of dp_text_import(). */
typedef struct importer {
    dp_diags *d;
    const char *file;
    int verbose;
    int warnings;

    line *lines;
    size_t nlines;

    /* meta */
    span series, title;
    char published[11], updated[11];
    long new_claimed; /* N of 新着N記事, -1 if absent */
    dp_buf summary;   /* inline content of lines before the first article */

    /* known sections and the table of contents */
    span *sects;
    size_t nsects, sects_cap, max_sect_len;
    strtab sect_tab;
    toc_entry *toc;
    size_t ntoc, toc_cap;
    strtab toc_tab;
    int have_toc;

    body_article *arts;
    size_t narts, arts_cap;

    /* body writer */
    dp_buf body;
    span cur_section; /* the open <section>, len 0 when none */
    int article_open;
    level stack[MAX_LEVEL];
    int depth;
    dp_buf pend;
    int pend_kind;
    int sections_out, new_out;
    long last_text_line; /* line of the newest content text */
    span last_text;
} importer;

/* ---- diagnostics ---- */

static void warn(importer *m, long line_no, const char *fmt, ...)
    __attribute__((format(printf, 3, 4)));

static void warn(importer *m, long line_no, const char *fmt, ...)
{
    va_list ap;
    va_start(ap, fmt);
    dp_diags_vadd(m->d, DP_DIAG_WARNING, m->file, line_no, fmt, ap);
    va_end(ap);
    m->warnings++;
}

/* Length of s cut to at most max bytes on a character boundary, so quoted
 * text in a message stays valid UTF-8. */
static int clip(const char *s, size_t len, size_t max)
{
    if (len <= max)
        return (int)len;
    size_t n = max;
    while (n > 0 && ((unsigned char)s[n] & 0xC0) == 0x80)
        n--;
    return (int)n;
}

#define CLIP(sp) clip((sp).s, (sp).len, 120), (sp).s

/* ---- small string helpers ---- */

static int span_eq(span a, const char *s, size_t len)
{
    return a.len == len && memcmp(a.s, s, len) == 0;
}

static int has_prefix(const char *s, size_t len, const char *p)
{
    size_t n = strlen(p);
    return len >= n && memcmp(s, p, n) == 0;
}

static int has_suffix(const char *s, size_t len, const char *p)
{
    size_t n = strlen(p);
    return len >= n && memcmp(s + len - n, p, n) == 0;
}

/* Bytes of a separator (ASCII space or U+3000) at s, 0 if none. */
static size_t sep_len(const char *s, size_t len)
{
    if (len >= 1 && s[0] == ' ')
        return 1;
    if (len >= 3 && memcmp(s, "\xE3\x80\x80", 3) == 0)
        return 3;
    return 0;
}

static span skip_seps(span t)
{
    size_t n;
    while ((n = sep_len(t.s, t.len)) > 0) {
        t.s += n;
        t.len -= n;
    }
    return t;
}

/* ---- string table ---- */

static uint64_t hash(const char *s, size_t len)
{
    uint64_t h = 1469598103934665603u;
    for (size_t i = 0; i < len; i++) {
        h ^= (unsigned char)s[i];
        h *= 1099511628211u;
    }
    return h;
}

static size_t tab_find(const strtab *t, const char *s, size_t len)
{
    if (!t->cap)
        return SIZE_MAX;
    size_t i = (size_t)hash(s, len) & (t->cap - 1);
    while (t->slots[i].used) {
        if (t->slots[i].len == len && memcmp(t->slots[i].s, s, len) == 0)
            return t->slots[i].val;
        i = (i + 1) & (t->cap - 1);
    }
    return SIZE_MAX;
}

/* Adds s -> val unless s is present. */
static dp_status tab_add(strtab *t, const char *s, size_t len, size_t val)
{
    if ((t->count + 1) * 2 > t->cap) {
        size_t cap = t->cap ? t->cap * 2 : 64;
        struct slot *slots = calloc(cap, sizeof *slots);
        if (!slots)
            return DP_ENOMEM;
        for (size_t i = 0; i < t->cap; i++) {
            if (!t->slots[i].used)
                continue;
            size_t j = (size_t)hash(t->slots[i].s, t->slots[i].len) & (cap - 1);
            while (slots[j].used)
                j = (j + 1) & (cap - 1);
            slots[j] = t->slots[i];
        }
        free(t->slots);
        t->slots = slots;
        t->cap = cap;
    }
    size_t i = (size_t)hash(s, len) & (t->cap - 1);
    while (t->slots[i].used) {
        if (t->slots[i].len == len && memcmp(t->slots[i].s, s, len) == 0)
            return DP_OK;
        i = (i + 1) & (t->cap - 1);
    }
    t->slots[i].s = s;
    t->slots[i].len = len;
    t->slots[i].val = val;
    t->slots[i].used = 1;
    t->count++;
    return DP_OK;
}

/* Grows a malloc'd array so that one more element fits. */
static dp_status reserve(void **items, size_t *cap, size_t count, size_t size)
{
    if (count < *cap)
        return DP_OK;
    size_t n = *cap ? *cap * 2 : 32;
    void *p = realloc(*items, n * size);
    if (!p)
        return DP_ENOMEM;
    *items = p;
    *cap = n;
    return DP_OK;
}

static dp_status add_section(importer *m, span name)
{
    if (tab_find(&m->sect_tab, name.s, name.len) != SIZE_MAX)
        return DP_OK;
    dp_status status = reserve((void **)&m->sects, &m->sects_cap, m->nsects,
                               sizeof *m->sects);
    if (status < 0)
        return status;
    m->sects[m->nsects] = name;
    status = tab_add(&m->sect_tab, name.s, name.len, m->nsects);
    if (status < 0)
        return status;
    m->nsects++;
    if (name.len > m->max_sect_len)
        m->max_sect_len = name.len;
    return DP_OK;
}

/*
 * The longest known section name that prefixes t. With need_sep the name
 * must be followed by a separator (so "架空庁は、…" is not a heading).
 * Only prefixes up to the longest name are tried, which keeps this
 * linear in the line length.
 */
static int match_section(const importer *m, span t, int need_sep, span *sect)
{
    size_t lim = m->max_sect_len < t.len ? m->max_sect_len : t.len;
    int found = 0;
    for (size_t n = 1; n <= lim; n++) {
        if (n < t.len && ((unsigned char)t.s[n] & 0xC0) == 0x80)
            continue; /* not a character boundary */
        if (need_sep && !sep_len(t.s + n, t.len - n))
            continue;
        if (tab_find(&m->sect_tab, t.s, n) != SIZE_MAX) {
            sect->s = t.s;
            sect->len = n;
            found = 1;
        }
    }
    return found;
}

/* ---- line classification ---- */

static const char *const chrome_lines[] = {
    "印刷", "このページを印刷する", "ページTOPへ", "ページトップへ",
    "ページの先頭へ", "ページの先頭へ戻る", "トップへ戻る", "TOPへ戻る",
    "Back to Top", "BACK TO TOP", "PAGE TOP", "ツイート", "シェア",
};

static int is_chrome(const line *l)
{
    if (l->indent != 0)
        return 0;
    for (size_t i = 0; i < sizeof chrome_lines / sizeof *chrome_lines; i++)
        if (strlen(chrome_lines[i]) == l->len &&
            memcmp(l->s, chrome_lines[i], l->len) == 0)
            return 1;
    return has_suffix(l->s, l->len, "サムネイル");
}

static int is_new_marker(const line *l)
{
    /* "~NEW~", also with full-width tildes (U+FF5E) */
    return (l->len == 5 && memcmp(l->s, "~NEW~", 5) == 0) ||
           (l->len == 9 && memcmp(l->s, "\xEF\xBD\x9ENEW\xEF\xBD\x9E", 9) == 0);
}

/* "~NEW~ AGENCY TITLE" on one line: the heading after the marker. */
static int new_marker_heading(const line *l, line *h)
{
    size_t n = has_prefix(l->s, l->len, "~NEW~") ? 5
             : has_prefix(l->s, l->len, "\xEF\xBD\x9ENEW\xEF\xBD\x9E") ? 9 : 0;
    if (!n || n >= l->len || !sep_len(l->s + n, l->len - n))
        return 0;
    span t = skip_seps((span){l->s + n, l->len - n});
    *h = *l;
    h->s = t.s;
    h->len = (uint32_t)t.len;
    h->indent = 0;
    return 1;
}

static int is_toc_start(const line *l)
{
    return l->indent == 0 && has_prefix(l->s, l->len, "【もくじ】");
}

/* "• " (U+2022), or on an indented line "・ " (U+30FB and a space): the
 * bullet of archives in Shift_JIS / EUC-JP, which have no U+2022.
 * Returns the item text after the marker. */
static int bullet_text(const line *l, span *text)
{
    span t = {l->s + 3, l->len >= 3 ? l->len - 3 : 0};
    if (has_prefix(l->s, l->len, "\xE2\x80\xA2") ||
        (l->indent > 0 && has_prefix(l->s, l->len, "\xE3\x83\xBB") &&
         sep_len(t.s, t.len))) {
        *text = skip_seps(t);
        return 1;
    }
    return 0;
}

/* "12. ": returns the number and the item text. */
static int number_text(const line *l, long *num, span *text)
{
    size_t i = 0;
    long v = 0;
    while (i < l->len && i < 9 && l->s[i] >= '0' && l->s[i] <= '9')
        v = v * 10 + (l->s[i++] - '0');
    if (i == 0 || i >= l->len || l->s[i] != '.')
        return 0;
    i++;
    if (i < l->len && !sep_len(l->s + i, l->len - i))
        return 0; /* "2.5%" is text, not an item */
    span t = {l->s + i, l->len - i};
    *num = v;
    *text = skip_seps(t);
    return 1;
}

/* "▼ text" (U+25BC). */
static int subhead_text(const line *l, span *text)
{
    if (!has_prefix(l->s, l->len, "\xE2\x96\xBC"))
        return 0;
    span t = {l->s + 3, l->len - 3};
    *text = skip_seps(t);
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
static size_t parse_date(const char *s, size_t len, char iso[11])
{
    int y, mo, dd;
    size_t i = read_int(s, len, 0, 4, &y);
    if (i != 4)
        return 0;
    int kanji = has_prefix(s + i, len - i, "年");
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
    if (kanji && has_prefix(s + i, len - i, "月"))
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
        if (!has_prefix(s + i, len - i, "日"))
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
static int parse_updated(const line *l, char iso[11], long *claimed)
{
    span t = {l->s, l->len};
    if (!has_prefix(t.s, t.len, "更新日"))
        return 0;
    t.s += 9;
    t.len -= 9;
    if (has_prefix(t.s, t.len, "\xEF\xBC\x9A")) { /* U+FF1A */
        t.s += 3;
        t.len -= 3;
    } else if (t.len && t.s[0] == ':') {
        t.s++;
        t.len--;
    }
    t = skip_seps(t);
    size_t n = parse_date(t.s, t.len, iso);
    if (!n)
        return 0;
    t.s += n;
    t.len -= n;
    t = skip_seps(t);
    *claimed = -1;
    if (has_prefix(t.s, t.len, "新着")) {
        int v;
        size_t k = read_int(t.s, t.len, 6, 6, &v);
        if (k && has_suffix(t.s, t.len, "記事"))
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
 * line.
 */
static dp_status decode(importer *m, const char *data, size_t len,
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

static dp_status split_lines(importer *m, const char *text, size_t len)
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

/* ---- inline writer ---- */

/* Escaped text with http(s) URLs turned into <a href>. */
static dp_status put_inline(dp_buf *o, const char *s, size_t len)
{
    dp_status status = DP_OK;
    size_t start = 0;
    for (size_t i = 0; i < len; i++) {
        if (s[i] != 'h')
            continue;
        size_t n = dp_url_length(s + i, len - i);
        if (!n)
            continue;
        DP_TRY(dp_buf_add_xml(o, s + start, i - start));
        DP_TRY(dp_buf_adds(o, "<a href=\""));
        DP_TRY(dp_buf_add_xml(o, s + i, n));
        DP_TRY(dp_buf_adds(o, "\">"));
        DP_TRY(dp_buf_add_xml(o, s + i, n));
        DP_TRY(dp_buf_adds(o, "</a>"));
        i += n - 1;
        start = i + 1;
    }
    DP_TRY(dp_buf_add_xml(o, s + start, len - start));
done:
    return status;
}

static dp_status nl(dp_buf *o, int depth)
{
    dp_status status = dp_buf_addc(o, '\n');
    for (int i = 0; i < depth && status == DP_OK; i++)
        status = dp_buf_addc(o, ' ');
    return status;
}

/* ---- body writer ---- */

/* Indentation of the <list> at level k (1-based) inside an article. */
static int list_depth(int k)
{
    return 3 + 2 * (k - 1);
}

static dp_status flush(importer *m)
{
    dp_status status = DP_OK;
    if (m->pend_kind == PEND_NONE)
        return DP_OK;
    DP_TRY(put_inline(&m->body, m->pend.data ? m->pend.data : "", m->pend.len));
    if (m->pend_kind == PEND_P)
        DP_TRY(dp_buf_adds(&m->body, "</p>"));
    dp_buf_reset(&m->pend);
    m->pend_kind = PEND_NONE;
done:
    return status;
}

/* Appends a wrapped line to the pending text. A captured wrap lost its
 * break: nothing is inserted between CJK text, one space between two
 * pieces of Latin text. */
static dp_status join_pending(importer *m, span t)
{
    if (m->pend.len && t.len) {
        unsigned char a = (unsigned char)m->pend.data[m->pend.len - 1];
        unsigned char b = (unsigned char)t.s[0];
        if (a < 0x80 && a != ' ' && b < 0x80 && b != ' ') {
            dp_status status = dp_buf_addc(&m->pend, ' ');
            if (status < 0)
                return status;
        }
    }
    return dp_buf_add(&m->pend, t.s, t.len);
}

static dp_status set_pending(importer *m, int kind, span t)
{
    dp_buf_reset(&m->pend);
    m->pend_kind = kind;
    return dp_buf_add(&m->pend, t.s, t.len);
}

static dp_status close_list(importer *m)
{
    dp_status status = DP_OK;
    DP_TRY(flush(m));
    DP_TRY(dp_buf_adds(&m->body, "</item>"));
    DP_TRY(nl(&m->body, list_depth(m->depth)));
    DP_TRY(dp_buf_adds(&m->body, "</list>"));
    m->depth--;
done:
    return status;
}

static dp_status close_lists(importer *m, int to)
{
    dp_status status = DP_OK;
    DP_TRY(flush(m));
    while (m->depth > to)
        DP_TRY(close_list(m));
done:
    return status;
}

static dp_status open_item(importer *m, span text, long line_no)
{
    dp_status status = DP_OK;
    DP_TRY(nl(&m->body, list_depth(m->depth) + 1));
    DP_TRY(dp_buf_adds(&m->body, "<item>"));
    m->stack[m->depth - 1].item_line = line_no;
    DP_TRY(set_pending(m, PEND_ITEM, text));
done:
    return status;
}

/* Opens a list at level depth+1: in the article, or as a block of the
 * open item (then without whitespace, since an item is mixed content). */
static dp_status open_list(importer *m, int type, long start)
{
    dp_status status = DP_OK;
    DP_TRY(flush(m));
    if (m->depth == 0)
        DP_TRY(nl(&m->body, 3));
    if (type == LIST_BULLET)
        DP_TRY(dp_buf_adds(&m->body, "<list type=\"bullet\">"));
    else if (start == 1)
        DP_TRY(dp_buf_adds(&m->body, "<list type=\"decimal\">"));
    else
        DP_TRY(dp_buf_printf(&m->body, "<list type=\"decimal\" start=\"%ld\">",
                             start));
    m->depth++;
    m->stack[m->depth - 1].type = type;
    m->stack[m->depth - 1].next = start + 1;
done:
    return status;
}

/* A block (p or heading) in the article, after every list is closed. */
static dp_status article_block(importer *m, const char *tag, span text,
                               int pend)
{
    dp_status status = DP_OK;
    DP_TRY(close_lists(m, 0));
    DP_TRY(nl(&m->body, 3));
    DP_TRY(dp_buf_printf(&m->body, "<%s>", tag));
    if (pend) {
        DP_TRY(set_pending(m, PEND_P, text));
    } else {
        DP_TRY(put_inline(&m->body, text.s, text.len));
        DP_TRY(dp_buf_printf(&m->body, "</%s>", tag));
    }
done:
    return status;
}

static dp_status close_article(importer *m)
{
    dp_status status = DP_OK;
    if (!m->article_open)
        return DP_OK;
    DP_TRY(close_lists(m, 0));
    DP_TRY(nl(&m->body, 2));
    DP_TRY(dp_buf_adds(&m->body, "</article>"));
    m->article_open = 0;
done:
    return status;
}

static dp_status open_article(importer *m, span section, span title, int is_new,
                              long line_no, size_t toc_idx)
{
    dp_status status = DP_OK;
    DP_TRY(close_article(m));
    if (!m->cur_section.len || !span_eq(m->cur_section, section.s, section.len)) {
        if (m->cur_section.len) {
            DP_TRY(nl(&m->body, 1));
            DP_TRY(dp_buf_adds(&m->body, "</section>"));
        }
        DP_TRY(nl(&m->body, 1));
        DP_TRY(dp_buf_adds(&m->body, "<section name=\""));
        DP_TRY(dp_buf_add_xml(&m->body, section.s, section.len));
        DP_TRY(dp_buf_adds(&m->body, "\">"));
        m->cur_section = section;
        m->sections_out++;
    }
    DP_TRY(nl(&m->body, 2));
    DP_TRY(dp_buf_adds(&m->body, is_new ? "<article new=\"true\">" : "<article>"));
    DP_TRY(nl(&m->body, 3));
    DP_TRY(dp_buf_adds(&m->body, "<title>"));
    DP_TRY(put_inline(&m->body, title.s, title.len));
    DP_TRY(dp_buf_adds(&m->body, "</title>"));
    m->article_open = 1;
    m->new_out += is_new != 0;
    DP_TRY(reserve((void **)&m->arts, &m->arts_cap, m->narts, sizeof *m->arts));
    m->arts[m->narts].section = section;
    m->arts[m->narts].title = title;
    m->arts[m->narts].line = line_no;
    m->arts[m->narts].toc = toc_idx;
    m->narts++;
done:
    return status;
}

/* ---- header and table of contents ---- */

static size_t next_content(const importer *m, size_t i)
{
    while (i < m->nlines && m->lines[i].len == 0)
        i++;
    return i;
}

static void note_chrome(importer *m, const line *l)
{
    if (m->verbose)
        dp_note(m->d, m->file, l->no, "dropped page chrome \"%.*s\"",
                clip(l->s, l->len, 120), l->s);
}

static dp_status add_toc_entry(importer *m, span section, span full, long no)
{
    dp_status status = reserve((void **)&m->toc, &m->toc_cap, m->ntoc,
                               sizeof *m->toc);
    if (status < 0)
        return status;
    toc_entry *e = &m->toc[m->ntoc];
    memset(e, 0, sizeof *e);
    e->full = full;
    e->line = no;
    e->next_dup = SIZE_MAX;
    span sect;
    if (section.len && full.len > section.len &&
        memcmp(full.s, section.s, section.len) == 0) {
        e->section = section;
        e->title = skip_seps((span){full.s + section.len, full.len - section.len});
    } else if (match_section(m, full, 0, &sect)) {
        e->section = sect;
        e->title = skip_seps((span){full.s + sect.len, full.len - sect.len});
        if (section.len)
            warn(m, no, "contents entry under \"%.*s\" names \"%.*s\"",
                 CLIP(section), CLIP(sect));
    } else {
        e->section = section;
        e->title = full;
        if (!section.len)
            warn(m, no, "contents entry before any section name");
    }
    e->last_dup = e->free_dup = m->ntoc;
    size_t first = tab_find(&m->toc_tab, full.s, full.len);
    if (first != SIZE_MAX) {
        m->toc[m->toc[first].last_dup].next_dup = m->ntoc;
        m->toc[first].last_dup = m->ntoc;
    } else {
        status = tab_add(&m->toc_tab, full.s, full.len, m->ntoc);
        if (status < 0)
            return status;
    }
    m->ntoc++;
    return DP_OK;
}

/* Reads the TOC starting after the 【もくじ】 line at i; returns the index
 * of the first line after it. */
static dp_status parse_toc(importer *m, size_t *pi)
{
    dp_status status = DP_OK;
    size_t i = *pi + 1;
    long first = m->lines[*pi].no;
    span section = {NULL, 0};
    m->have_toc = 1;
    for (;;) {
        i = next_content(m, i);
        if (i >= m->nlines)
            break;
        const line *l = &m->lines[i];
        span text;
        if (is_chrome(l)) {
            note_chrome(m, l);
            i++;
            continue;
        }
        line same;
        if (is_new_marker(l) || new_marker_heading(l, &same))
            break;
        if (l->indent > 0 && bullet_text(l, &text)) {
            DP_TRY(add_toc_entry(m, section, text, l->no));
            i++;
            continue;
        }
        if (l->indent > 0 || is_toc_start(l))
            break;
        /* An unindented line is a section name when entries follow it;
         * otherwise the body has begun (a heading without ~NEW~). */
        span t = {l->s, l->len};
        if (tab_find(&m->toc_tab, t.s, t.len) != SIZE_MAX)
            break;
        size_t j = next_content(m, i + 1);
        span dummy;
        if (j < m->nlines && m->lines[j].indent > 0 &&
            bullet_text(&m->lines[j], &dummy)) {
            section = t;
            DP_TRY(add_section(m, t));
            i++;
            continue;
        }
        break;
    }
    if (m->verbose)
        dp_note(m->d, m->file, first,
                "table of contents (%zu entries) used to recognise articles, "
                "not copied", m->ntoc);
    *pi = i;
done:
    return status;
}

static dp_status summary_line(importer *m, const line *l);

/* Reads series, title, dates and chrome; stops at the TOC or body. Extra
 * text lines before the date go to the summary. */
static dp_status parse_header(importer *m, size_t *pi)
{
    dp_status status = DP_OK;
    size_t i = 0;
    int texts = 0;
    long first_no = 0;
    for (; i < m->nlines; i++) {
        const line *l = &m->lines[i];
        char iso[11];
        long claimed;
        if (l->len == 0)
            continue;
        if (is_chrome(l)) {
            note_chrome(m, l);
            continue;
        }
        line same;
        if (is_toc_start(l) || is_new_marker(l) || new_marker_heading(l, &same))
            break;
        if (!m->published[0] && parse_date(l->s, l->len, iso) == l->len) {
            memcpy(m->published, iso, sizeof iso);
            continue;
        }
        if (!m->updated[0] && parse_updated(l, iso, &claimed)) {
            memcpy(m->updated, iso, sizeof iso);
            m->new_claimed = claimed;
            continue;
        }
        /* Series then title; after the date, text belongs to the body. */
        if (m->published[0] || l->indent > 0)
            break;
        if (texts == 0) {
            m->series = (span){l->s, l->len};
            first_no = l->no;
        } else if (texts == 1) {
            m->title = (span){l->s, l->len};
        } else {
            DP_TRY(summary_line(m, l));
        }
        texts++;
    }
    if (texts == 1) {
        m->title = m->series;
        m->series = (span){NULL, 0};
        warn(m, first_no, "only one header line: taken as the title, no "
             "series");
    }
done:
    *pi = i;
    return status;
}

/* ---- body ---- */

/* Resolves an article heading line into section and title: by its TOC
 * entry, else by the longest known agency prefix. Without ~NEW~ (marked
 * 0) that prefix must end at a separator, and no guess is made: returns
 * 0 when the line is not a heading. */
static int resolve_heading(importer *m, const line *l, int marked,
                           span *section, span *title, size_t *toc_idx)
{
    span t = {l->s, l->len};
    *toc_idx = SIZE_MAX;
    size_t k = tab_find(&m->toc_tab, t.s, t.len);
    if (k != SIZE_MAX) {
        size_t first = k;
        k = m->toc[first].free_dup;
        if (k != SIZE_MAX)
            m->toc[first].free_dup = m->toc[k].next_dup;
        const toc_entry *e = &m->toc[k != SIZE_MAX ? k : first];
        *section = e->section;
        *title = (span){t.s + (e->title.s - e->full.s), e->title.len};
        if (k != SIZE_MAX) {
            m->toc[k].matched_line = l->no;
            *toc_idx = k;
        } else {
            warn(m, l->no, "article \"%.*s\" appears again (contents line %ld)",
                 CLIP(*title), e->line);
            *toc_idx = TOC_REPEAT;
        }
        if (section->len)
            return 1;
    }
    span sect;
    if (match_section(m, t, !marked, &sect)) {
        *section = sect;
        *title = skip_seps((span){t.s + sect.len, t.len - sect.len});
        return 1;
    }
    if (!marked)
        return 0;
    /* A marked heading whose agency is unknown: the text before the first
     * separator is the best guess. */
    for (size_t n = 1; n < t.len; n++) {
        if (sep_len(t.s + n, t.len - n)) {
            *section = (span){t.s, n};
            *title = skip_seps((span){t.s + n, t.len - n});
            warn(m, l->no, "agency \"%.*s\" guessed from the heading%s",
                 CLIP(*section), m->have_toc ? " (not in the contents)" : "");
            return 1;
        }
    }
    *title = t;
    if (m->cur_section.len) {
        *section = m->cur_section;
        warn(m, l->no, "heading names no agency: kept in section \"%.*s\"",
             CLIP(*section));
    } else {
        *section = t;
        warn(m, l->no, "heading names no agency: used as its own section");
    }
    return 1;
}

static int ends_sentence(span t)
{
    static const char *const ends[] = {"。", "．", ".", "!", "?", "！", "？",
                                       "」", "）", ")", "』", "】", ":", "\xEF\xBC\x9A"};
    for (size_t i = 0; i < sizeof ends / sizeof *ends; i++)
        if (has_suffix(t.s, t.len, ends[i]))
            return 1;
    return 0;
}

/* An item that opens with a case particle continues the line before it:
 * a wrap the capture turned into a new item. */
static int starts_with_particle(span t)
{
    return has_prefix(t.s, t.len, "が") || has_prefix(t.s, t.len, "を");
}

static dp_status body_item(importer *m, const line *l, int type, long num,
                           span text)
{
    dp_status status = DP_OK;
    int lvl;
    if (l->indent % 2) {
        lvl = l->indent / 2 > 0 ? l->indent / 2 : 1;
        warn(m, l->no, "odd indentation (%d spaces): item placed at level %d",
             l->indent, lvl);
    } else {
        lvl = l->indent / 2;
        if (lvl == 0) {
            lvl = 1;
            warn(m, l->no, "unindented list item: placed at level 1");
        }
    }
    if (lvl > m->depth + 1) {
        warn(m, l->no, "item jumps from level %d to %d: nested at level %d",
             m->depth, lvl, m->depth + 1);
        lvl = m->depth + 1;
    }
    if (lvl > MAX_LEVEL) {
        warn(m, l->no, "list nesting deeper than %d levels: flattened to "
             "level %d", MAX_LEVEL, MAX_LEVEL);
        lvl = MAX_LEVEL;
    }
    if (starts_with_particle(text) && m->last_text.len &&
        !ends_sentence(m->last_text))
        warn(m, l->no, "item starts with a particle after the unfinished "
             "line %ld: probably one sentence split by the capture; kept as "
             "an item", m->last_text_line);
    DP_TRY(close_lists(m, lvl));
    if (m->depth == lvl) {
        level *top = &m->stack[lvl - 1];
        if (top->type == type && (type == LIST_BULLET || num == top->next)) {
            DP_TRY(dp_buf_adds(&m->body, "</item>"));
            top->next = num + 1;
            DP_TRY(open_item(m, text, l->no));
            goto done;
        }
        if (top->type == type && num != 1)
            warn(m, l->no, "numbering jumps from %ld to %ld: a new list "
                 "starting at %ld", top->next - 1, num, num);
        DP_TRY(close_list(m));
    }
    DP_TRY(open_list(m, type, type == LIST_DECIMAL ? num : 1));
    DP_TRY(open_item(m, text, l->no));
done:
    return status;
}

/* An indented line without a marker: normally a wrapped line of the item
 * whose text column it sits in. */
static dp_status body_continuation(importer *m, const line *l, int after_blank)
{
    dp_status status = DP_OK;
    span t = {l->s, l->len};
    if (m->depth == 0) {
        if (m->pend_kind == PEND_P && !after_blank) {
            DP_TRY(join_pending(m, t));
        } else {
            warn(m, l->no, "indented line outside a list: kept as a paragraph");
            DP_TRY(article_block(m, "p", t, 1));
        }
        goto done;
    }
    int k = (l->indent - 1) / 2;
    if (k < 1)
        k = 1;
    if (k > m->depth)
        k = m->depth;
    if (k == m->depth && m->pend_kind != PEND_NONE && !after_blank) {
        DP_TRY(join_pending(m, t));
        goto done;
    }
    /* After a blank line or a nested list: a paragraph of that item. */
    DP_TRY(close_lists(m, k));
    warn(m, l->no, "line without a marker after %s: kept as a paragraph of "
         "the item at line %ld", after_blank ? "a blank line" : "a nested list",
         m->stack[k - 1].item_line);
    DP_TRY(dp_buf_adds(&m->body, "<p>"));
    DP_TRY(set_pending(m, PEND_P, t));
done:
    return status;
}

/* Lines before the first article: kept in the summary so nothing is
 * lost. */
static dp_status summary_line(importer *m, const line *l)
{
    dp_status status = DP_OK;
    warn(m, l->no, "text before the first article: kept in the summary");
    if (m->summary.len)
        DP_TRY(dp_buf_adds(&m->summary, "<br/>"));
    DP_TRY(put_inline(&m->summary, l->s, l->len));
done:
    return status;
}

static dp_status parse_body(importer *m, size_t i)
{
    dp_status status = DP_OK;
    int after_blank = 0;
    for (; i < m->nlines; i++) {
        const line *l = &m->lines[i];
        span text;
        long num;
        if (l->len == 0) {
            after_blank = 1;
            continue;
        }
        if (is_chrome(l)) {
            note_chrome(m, l);
            continue;
        }
        line same;
        int inline_heading = new_marker_heading(l, &same);
        if (inline_heading || is_new_marker(l)) {
            size_t j = inline_heading ? i : next_content(m, i + 1);
            if (j >= m->nlines) {
                dp_error(m->d, m->file, l->no,
                         "the file ends after the ~NEW~ marker: truncated");
                status = DP_EINPUT;
                goto done;
            }
            const line *h = inline_heading ? &same : &m->lines[j];
            span sect, title;
            size_t toc_idx;
            if (is_new_marker(h)) {
                warn(m, l->no, "~NEW~ marker without a heading: ignored");
                continue;
            }
            if (is_chrome(h)) {
                dp_error(m->d, m->file, l->no, "the ~NEW~ marker is followed "
                         "by the end of the page: truncated");
                status = DP_EINPUT;
                goto done;
            }
            if (h->indent)
                warn(m, h->no, "indented article heading");
            resolve_heading(m, h, 1, &sect, &title, &toc_idx);
            if (!title.len)
                warn(m, h->no, "article heading names only its agency: empty "
                     "title");
            DP_TRY(add_section(m, sect));
            DP_TRY(open_article(m, sect, title, 1, h->no, toc_idx));
            m->last_text = (span){NULL, 0};
            i = j;
            after_blank = 0;
            continue;
        }
        if (l->indent == 0 && !bullet_text(l, &text) &&
            !number_text(l, &num, &text) && !subhead_text(l, &text)) {
            span sect, title;
            size_t toc_idx;
            if (resolve_heading(m, l, 0, &sect, &title, &toc_idx)) {
                if (toc_idx == SIZE_MAX && !m->have_toc)
                    warn(m, l->no, "line taken as an article heading "
                         "(it starts with the agency \"%.*s\")", CLIP(sect));
                DP_TRY(open_article(m, sect, title, 0, l->no, toc_idx));
                m->last_text = (span){NULL, 0};
                after_blank = 0;
                continue;
            }
            if (tab_find(&m->sect_tab, l->s, l->len) != SIZE_MAX) {
                /* A bare agency name: the page's section heading. Later
                 * headings say their agency themselves. */
                if (m->verbose)
                    dp_note(m->d, m->file, l->no, "section name line");
                continue;
            }
        }
        if (!m->article_open) {
            DP_TRY(summary_line(m, l));
            continue;
        }
        if (bullet_text(l, &text)) {
            DP_TRY(body_item(m, l, LIST_BULLET, 0, text));
        } else if (number_text(l, &num, &text)) {
            DP_TRY(body_item(m, l, LIST_DECIMAL, num, text));
        } else if (subhead_text(l, &text)) {
            if (l->indent)
                warn(m, l->no, "indented ▼ sub-heading: placed at article level");
            DP_TRY(article_block(m, "heading", text, 0));
        } else if (l->indent > 0) {
            DP_TRY(body_continuation(m, l, after_blank));
        } else {
            warn(m, l->no, "unrecognised line: kept as a paragraph");
            DP_TRY(article_block(m, "p", (span){l->s, l->len}, 1));
        }
        m->last_text = (span){l->s, l->len};
        m->last_text_line = l->no;
        after_blank = 0;
    }
    DP_TRY(close_article(m));
done:
    return status;
}

/* Warns about articles in the TOC but not the body, and the reverse.
 * An unlisted article and an unmatched entry of the same section that
 * sit between the same matched neighbours are paired (a title that
 * changed) and both lines are named. */
static dp_status check_toc(importer *m)
{
    if (!m->have_toc)
        return DP_OK;
    /* bound[a]: TOC index of the next matched article after a */
    size_t *bound = malloc((m->narts + 1) * sizeof *bound);
    if (!bound)
        return DP_ENOMEM;
    bound[m->narts] = m->ntoc;
    for (size_t a = m->narts; a-- > 0;)
        bound[a] = m->arts[a].toc < TOC_REPEAT ? m->arts[a].toc : bound[a + 1];
    size_t tk = 0;
    for (size_t a = 0; a < m->narts; a++) {
        body_article *b = &m->arts[a];
        if (b->toc == TOC_REPEAT)
            continue; /* reported when it was read */
        if (b->toc != SIZE_MAX) {
            if (b->toc >= tk)
                tk = b->toc + 1;
            continue;
        }
        /* a changed title sits near its entry: a bounded look keeps
         * this linear however long the contents are */
        size_t k = tk, lim = tk + 64 < bound[a] ? tk + 64 : bound[a];
        while (k < lim && (m->toc[k].matched_line ||
                                !span_eq(m->toc[k].section, b->section.s,
                                         b->section.len)))
            k++;
        if (k < lim) {
            m->toc[k].matched_line = b->line;
            warn(m, b->line, "article heading \"%.*s\" differs from its "
                 "contents entry at line %ld (\"%.*s\")", CLIP(b->title),
                 m->toc[k].line, CLIP(m->toc[k].title));
            tk = k + 1;
        } else {
            warn(m, b->line, "article \"%.*s\" (line %ld) is not listed in "
                 "the contents", CLIP(b->title), b->line);
        }
    }
    for (size_t k = 0; k < m->ntoc; k++)
        if (!m->toc[k].matched_line)
            warn(m, m->toc[k].line, "article \"%.*s\" listed in the contents "
                 "(line %ld) is missing from the body", CLIP(m->toc[k].title),
                 m->toc[k].line);
    free(bound);
    return DP_OK;
}

static dp_status write_meta(importer *m, dp_buf *o)
{
    dp_status status = DP_OK;
    DP_TRY(dp_buf_adds(o, "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n"
                          "<digest version=\"1\" xml:lang=\"ja\">\n <meta>"));
    if (m->series.len) {
        DP_TRY(dp_buf_adds(o, "\n  <series>"));
        DP_TRY(dp_buf_add_xml(o, m->series.s, m->series.len));
        DP_TRY(dp_buf_adds(o, "</series>"));
    }
    DP_TRY(dp_buf_adds(o, "\n  <title>"));
    DP_TRY(dp_buf_add_xml(o, m->title.s, m->title.len));
    DP_TRY(dp_buf_printf(o, "</title>\n  <published>%s</published>",
                         m->published));
    if (m->updated[0])
        DP_TRY(dp_buf_printf(o, "\n  <updated>%s</updated>", m->updated));
    if (m->summary.len) {
        DP_TRY(dp_buf_adds(o, "\n  <summary>"));
        DP_TRY(dp_buf_add(o, m->summary.data, m->summary.len));
        DP_TRY(dp_buf_adds(o, "</summary>"));
    }
    DP_TRY(dp_buf_adds(o, "\n </meta>"));
done:
    return status;
}

dp_status dp_text_import(dp_diags *d, const char *file, const char *data,
                         size_t len, int verbose, dp_buf *xml_out,
                         dp_text_import_stats *stats)
{
    dp_status status = DP_OK;
    importer m;
    dp_buf conv, out;
    memset(&m, 0, sizeof m);
    m.d = d;
    m.file = file;
    m.verbose = verbose;
    m.new_claimed = -1;
    dp_buf_init(&m.summary);
    dp_buf_init(&m.body);
    dp_buf_init(&m.pend);
    dp_buf_init(&conv);
    dp_buf_init(&out);
    const char *text;
    size_t tlen;

    if (len > DP_MAX_INPUT_BYTES) {
        dp_error(d, file, 0, "input of %zu bytes is over the limit of %zu",
                 len, DP_MAX_INPUT_BYTES);
        status = DP_ELIMIT;
        goto done;
    }
    if (!data)
        len = 0;
    DP_TRY(decode(&m, data ? data : "", len, &conv, &text, &tlen));
    DP_TRY(split_lines(&m, text, tlen));
    size_t first = next_content(&m, 0);
    if (first >= m.nlines) {
        dp_error(d, file, 1, "empty file: no digest");
        status = DP_EINPUT;
        goto done;
    }

    size_t i;
    DP_TRY(parse_header(&m, &i));
    if (i < m.nlines && is_toc_start(&m.lines[i]))
        DP_TRY(parse_toc(&m, &i));
    /* errors about what is missing name the last line that exists */
    long last_no = m.lines[m.nlines - 1].no;
    for (size_t k = m.nlines; k-- > 0;)
        if (m.lines[k].len) {
            last_no = m.lines[k].no;
            break;
        }
    if (!m.title.len) {
        dp_error(d, file, i < m.nlines ? m.lines[i].no : last_no,
                 "no digest title before this line");
        status = DP_EINPUT;
        goto done;
    }
    if (!m.published[0]) {
        if (!m.updated[0]) {
            dp_error(d, file, i < m.nlines ? m.lines[i].no : last_no,
                     "no publication date (YYYY.MM.DD) in the header");
            status = DP_EINPUT;
            goto done;
        }
        memcpy(m.published, m.updated, sizeof m.published);
        warn(&m, 0, "no publication date: the update date is used");
    }
    DP_TRY(parse_body(&m, i));
    if (m.narts == 0) {
        if (m.ntoc)
            dp_error(d, file, last_no, "no article found, though the contents "
                     "list %zu: the file is truncated", m.ntoc);
        else
            dp_error(d, file, last_no, "no recognisable article in the file");
        status = DP_EINPUT;
        goto done;
    }
    DP_TRY(check_toc(&m));
    if (m.new_claimed >= 0 && m.new_claimed != m.new_out)
        warn(&m, 0, "the update line announces %ld new articles, %d are "
             "marked ~NEW~", m.new_claimed, m.new_out);

    DP_TRY(write_meta(&m, &out));
    DP_TRY(dp_buf_add(&out, m.body.data ? m.body.data : "", m.body.len));
    if (m.cur_section.len)
        DP_TRY(dp_buf_adds(&out, "\n </section>"));
    DP_TRY(dp_buf_adds(&out, "\n</digest>\n"));
    DP_TRY(dp_buf_add(xml_out, out.data, out.len));
    if (stats) {
        stats->sections = m.sections_out;
        stats->articles = (int)m.narts;
        stats->warnings = m.warnings;
    }
done:
    if (status == DP_ENOMEM)
        dp_error(d, file, 0, "out of memory while importing");
    else if (status == DP_ELIMIT && len <= DP_MAX_INPUT_BYTES)
        dp_error(d, file, 0, "the converted digest is over the size limit");
    free(m.lines);
    free(m.sects);
    free(m.sect_tab.slots);
    free(m.toc);
    free(m.toc_tab.slots);
    free(m.arts);
    dp_buf_dispose(&m.summary);
    dp_buf_dispose(&m.body);
    dp_buf_dispose(&m.pend);
    dp_buf_dispose(&conv);
    dp_buf_dispose(&out);
    return status;
}
