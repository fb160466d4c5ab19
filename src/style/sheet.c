#include "sheet.h"

#include <ctype.h>
#include <errno.h>
#include <math.h>
#include <stddef.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#include "base/buf.h"
#include "base/file.h"
#include "base/utf8.h"
#include "fontname.h"

#define MM (72.0 / 25.4)

void dp_style_defaults(dp_style *s)
{
    memset(s, 0, sizeof *s);
    s->page_w = 210 * MM;
    s->page_h = 297 * MM;
    s->margin_t = 22 * MM;
    s->margin_b = 20 * MM;
    s->margin_l = s->margin_r = 20 * MM;
    snprintf(s->font_body, sizeof s->font_body, "%s",
             "/usr/share/fonts/opentype/ipaexfont-mincho/ipaexm.ttf");
    snprintf(s->font_heading, sizeof s->font_heading, "%s",
             "/usr/share/fonts/opentype/ipaexfont-gothic/ipaexg.ttf");
    snprintf(s->font_latin, sizeof s->font_latin, "%s",
             "/usr/share/fonts/truetype/liberation2/LiberationSerif-Regular.ttf");
    snprintf(s->font_latin_heading, sizeof s->font_latin_heading, "%s",
             "/usr/share/fonts/truetype/liberation2/LiberationSans-Regular.ttf");
    snprintf(s->font_fallback[0], sizeof s->font_fallback[0], "%s",
             "/usr/share/fonts/truetype/dejavu/DejaVuSans.ttf");
    snprintf(s->font_fallback[1], sizeof s->font_fallback[1], "%s",
             "/usr/share/fonts/truetype/ipamj/ipamjm.ttf");
    s->n_fallback = 2;
    s->body_size = 10.5;
    s->body_leading = 1.75;
    s->title_size = 13;
    s->heading_size = 11;
    s->section_size = 16;
    s->cover_title_size = 22;
    s->toc_size = 10;
    s->header_size = 8;
    s->para_space = 0.5;
    s->color_text = 0x1a1a1a;
    s->color_accent = 0x1f4e79;
    s->color_muted = 0x666666;
    s->color_link = 0x1f4e79;
    snprintf(s->header_left, sizeof s->header_left, "{series}");
    snprintf(s->header_right, sizeof s->header_right, "{section}");
    snprintf(s->footer_center, sizeof s->footer_center, "{page} / {pages}");
    s->hanging = 0;
    s->cover = 1;
    s->cover_logo[0] = '\0';
    static const char *const marks[4] = {"•", "◦", "▪", "–"};
    for (int i = 0; i < 4; i++)
        snprintf(s->bullets[i], sizeof s->bullets[i], "%s", marks[i]);
    s->toc = 1;
    snprintf(s->link_schemes, sizeof s->link_schemes, "http https mailto ");
    s->color_rule = 0xbbbbbb;
    s->color_leader = 0x888888;
    s->color_table_head = 0xe8eef5;
    s->color_table_rule = 0x999999;
    s->color_glance = 0xeef2f7;
    s->color_badge = 0xffffff;
    s->rule_width = 0.4;
    s->rule_cover = 0.6;
    s->rule_glance = 0.5;
    s->rule_table = 0.5;
    s->leader_width = 0.9;
    s->section_space = 2;
    s->article_space = 1.6;
    s->heading_space = 0.8;
    s->toc_leading = 1.7;
    s->cover_top = 0.14;
    s->new_once = 1;
    static const struct { size_t off; const char *text; } labels[] = {
        {offsetof(dp_style_labels, contents), "目次"},
        {offsetof(dp_style_labels, summary), "概要"},
        {offsetof(dp_style_labels, issued), "発行日"},
        {offsetof(dp_style_labels, updated), "更新日"},
        {offsetof(dp_style_labels, articles), "掲載記事"},
        {offsetof(dp_style_labels, publisher), "発行"},
        {offsetof(dp_style_labels, count), "{articles}件（うち新着{new}件）"},
        {offsetof(dp_style_labels, count_cover), "{articles}件（うち新着{new}件）・{bodies}機関"},
        {offsetof(dp_style_labels, count_all), "{articles}件（すべて新着）"},
        {offsetof(dp_style_labels, count_cover_all), "{articles}件（すべて新着）・{bodies}機関"},
        {offsetof(dp_style_labels, date), "{year}年{month}月{day}日"},
        {offsetof(dp_style_labels, join), "　"},
        {offsetof(dp_style_labels, glance), "発行機関別の掲載件数"},
        {offsetof(dp_style_labels, glance_body), "発行機関"},
        {offsetof(dp_style_labels, glance_articles), "記事"},
        {offsetof(dp_style_labels, glance_new), "うち新着"},
        {offsetof(dp_style_labels, badge), "NEW"},
        {offsetof(dp_style_labels, badge_spoken), "新着"},
    };
    for (size_t i = 0; i < sizeof labels / sizeof *labels; i++)
        snprintf((char *)&s->label + labels[i].off, DP_STYLE_LABEL, "%s", labels[i].text);
}

typedef enum { T_LENGTH, T_NUMBER, T_COLOR, T_PATH, T_OPTPATH, T_PATHS, T_MARKS, T_TEXT, T_BOOL,
               T_PAGESIZE, T_MARGINS, T_SCHEMES } key_type;

typedef struct key_def {
    const char *name;
    key_type type;
    size_t off;
    double min, max; /* numbers and lengths, in pt */
} key_def;

#define F(field) offsetof(dp_style, field)
static const key_def keys[] = {
    {"page.size", T_PAGESIZE, 0, 0, 0},
    {"page.margins", T_MARGINS, 0, 0, 0},
    {"font.body", T_PATH, F(font_body), 0, 0},
    {"font.heading", T_PATH, F(font_heading), 0, 0},
    {"font.latin", T_OPTPATH, F(font_latin), 0, 0},
    {"font.latin.heading", T_OPTPATH, F(font_latin_heading), 0, 0},
    {"font.fallback", T_PATHS, 0, 0, 0},
    {"font.body.bold", T_OPTPATH, F(font_body_bold), 0, 0},
    {"font.heading.bold", T_OPTPATH, F(font_heading_bold), 0, 0},
    {"font.fallback.serif", T_PATHS, F(font_fallback_serif), 0, 0},
    {"font.fallback.sans", T_PATHS, F(font_fallback_sans), 0, 0},
    {"heading.bold", T_BOOL, F(heading_bold), 0, 0},
    {"body.size", T_LENGTH, F(body_size), 5, 30},
    {"body.leading", T_NUMBER, F(body_leading), 1.0, 3.0},
    {"block.space", T_NUMBER, F(para_space), 0, 3.0},
    {"title.size", T_LENGTH, F(title_size), 5, 40},
    {"heading.size", T_LENGTH, F(heading_size), 5, 40},
    {"section.size", T_LENGTH, F(section_size), 5, 48},
    {"cover.title.size", T_LENGTH, F(cover_title_size), 8, 72},
    {"toc.size", T_LENGTH, F(toc_size), 5, 30},
    {"header.size", T_LENGTH, F(header_size), 4, 20},
    {"color.text", T_COLOR, F(color_text), 0, 0},
    {"color.accent", T_COLOR, F(color_accent), 0, 0},
    {"color.muted", T_COLOR, F(color_muted), 0, 0},
    {"color.link", T_COLOR, F(color_link), 0, 0},
    {"header.left", T_TEXT, F(header_left), 0, 0},
    {"header.right", T_TEXT, F(header_right), 0, 0},
    {"footer.center", T_TEXT, F(footer_center), 0, 0},
    {"punctuation.hanging", T_BOOL, F(hanging), 0, 0},
    {"cover", T_BOOL, F(cover), 0, 0},
    {"cover.logo", T_OPTPATH, F(cover_logo), 0, 0},
    {"list.bullets", T_MARKS, 0, 0, 0},
    {"toc", T_BOOL, F(toc), 0, 0},
    {"link.schemes", T_SCHEMES, 0, 0, 0},
    {"color.rule", T_COLOR, F(color_rule), 0, 0},
    {"color.leader", T_COLOR, F(color_leader), 0, 0},
    {"color.table.head", T_COLOR, F(color_table_head), 0, 0},
    {"color.table.rule", T_COLOR, F(color_table_rule), 0, 0},
    {"color.glance", T_COLOR, F(color_glance), 0, 0},
    {"color.badge", T_COLOR, F(color_badge), 0, 0},
    {"rule.width", T_LENGTH, F(rule_width), 0, 5},
    {"rule.cover", T_LENGTH, F(rule_cover), 0, 5},
    {"rule.glance", T_LENGTH, F(rule_glance), 0, 5},
    {"rule.table", T_LENGTH, F(rule_table), 0, 5},
    {"toc.leader.width", T_LENGTH, F(leader_width), 0.1, 5},
    {"section.space", T_NUMBER, F(section_space), 0, 10},
    {"article.space", T_NUMBER, F(article_space), 0, 10},
    {"heading.space", T_NUMBER, F(heading_space), 0, 10},
    {"toc.leading", T_NUMBER, F(toc_leading), 1.0, 4.0},
    {"cover.top", T_NUMBER, F(cover_top), 0, 0.5},
    {"new.once", T_BOOL, F(new_once), 0, 0},
    {"cover.band", T_BOOL, F(cover_band), 0, 0},
};
#undef F

/* Labels: the texts the layout draws, with the {fields} each may hold. */
typedef struct label_def {
    const char *name;
    size_t off;
    const char *fields; /* "" for none */
} label_def;

#define L_(field) offsetof(dp_style, label.field)
static const label_def label_keys[] = {
    {"label.contents", L_(contents), ""},
    {"label.summary", L_(summary), ""},
    {"label.issued", L_(issued), ""},
    {"label.updated", L_(updated), ""},
    {"label.articles", L_(articles), ""},
    {"label.publisher", L_(publisher), ""},
    {"label.count", L_(count), "{articles} {new}"},
    {"label.count.cover", L_(count_cover), "{articles} {new} {bodies}"},
    {"label.count.all", L_(count_all), "{articles}"},
    {"label.count.cover.all", L_(count_cover_all), "{articles} {bodies}"},
    {"label.date", L_(date), "{year} {month} {day} {mm} {dd}"},
    {"label.period", L_(period), "{year} {month} {day} {mm} {dd}"},
    {"label.join", L_(join), ""},
    {"label.glance", L_(glance), ""},
    {"label.glance.body", L_(glance_body), ""},
    {"label.glance.articles", L_(glance_articles), ""},
    {"label.glance.new", L_(glance_new), ""},
    {"label.badge", L_(badge), ""},
    {"label.badge.spoken", L_(badge_spoken), ""},
};
#undef L_

/* A length with unit: 10.5pt, 20mm, 2cm, 1in. Returns 0 on success. */
static int parse_length(const char *v, double *out)
{
    char *end;
    errno = 0;
    double x = strtod(v, &end);
    /* strtod reads "nan" and "inf": NaN passes every range check */
    if (end == v || errno || !isfinite(x))
        return -1;
    while (*end == ' ')
        end++;
    if (strcmp(end, "pt") == 0) *out = x;
    else if (strcmp(end, "mm") == 0) *out = x * MM;
    else if (strcmp(end, "cm") == 0) *out = x * MM * 10;
    else if (strcmp(end, "in") == 0) *out = x * 72;
    else return -1;
    return 0;
}

static int resolve_path(char *dst, size_t cap, const char *file, const char *v)
{
    if (v[0] == '/' || !file || !strchr(file, '/'))
        return snprintf(dst, cap, "%s", v) >= (int)cap ? -1 : 0;
    int dir = (int)(strrchr(file, '/') - file);
    return snprintf(dst, cap, "%.*s/%s", dir, file, v) >= (int)cap ? -1 : 0;
}

/* A font named by the style is refused here, naming the style line,
 * when it exists but is no regular file (/dev/zero, a FIFO: reading it
 * would never end) or is larger than any font; stat never blocks. A
 * missing file is reported when the fonts are loaded. */
static int font_file_ok(const char *path, const char **why)
{
    struct stat st;
    if (stat(path, &st) != 0)
        return 0;
    if (!S_ISREG(st.st_mode)) {
        *why = S_ISDIR(st.st_mode) ? "the font is a folder, not a file"
                                   : "the font is not a regular file (a device, FIFO or socket)";
        return -1;
    }
    if ((unsigned long long)st.st_size > DP_MAX_FONT_BYTES) {
        *why = "the font file is larger than the 256 MB limit";
        return -1;
    }
    return 0;
}

/* Header and footer texts may only use the fields the paginator fills. */
static int fields_known(const char *v)
{
    static const char *const names[] = {"{series}", "{title}", "{section}",
                                        "{page}", "{pages}", "{date}"};
    for (const char *p = strchr(v, '{'); p; p = strchr(p + 1, '{')) {
        int ok = 0;
        for (size_t i = 0; i < sizeof names / sizeof *names && !ok; i++)
            ok = strncmp(p, names[i], strlen(names[i])) == 0;
        if (!ok)
            return 0;
    }
    return 1;
}

/* A label's {fields} must be among allowed ("{a} {b}"); a brace that
 * opens no field is an error too, so a typing slip shows at once. */
static int label_fields_ok(const char *v, const char *allowed)
{
    for (const char *p = strchr(v, '{'); p; p = strchr(p + 1, '{')) {
        const char *e = strchr(p, '}');
        if (!e)
            return 0;
        size_t n = (size_t)(e - p + 1);
        int ok = 0;
        for (const char *a = strchr(allowed, '{'); a && !ok; a = strchr(a + 1, '{'))
            ok = strncmp(a, p, n) == 0;
        if (!ok)
            return 0;
    }
    return 1;
}

dp_status dp_style_fill(dp_buf *out, const char *tmpl, const char *const *names,
                        const char *const *values, size_t n)
{
    dp_status status = DP_OK;
    const char *p = tmpl;
    while (*p) {
        const char *b = strchr(p, '{');
        if (!b)
            return dp_buf_adds(out, p);
        DP_TRY(dp_buf_add(out, p, (size_t)(b - p)));
        size_t i = 0, len = 0;
        for (; i < n; i++) {
            len = strlen(names[i]);
            if (strncmp(b + 1, names[i], len) == 0 && b[1 + len] == '}')
                break;
        }
        if (i < n) {
            DP_TRY(dp_buf_adds(out, values[i]));
            p = b + len + 2;
        } else {
            DP_TRY(dp_buf_addc(out, '{'));
            p = b + 1;
        }
    }
done:
    return status;
}

/* A label in double quotes keeps the spaces at its ends (" · "). */
static int set_label(dp_style *s, const label_def *k, const char *v, const char **why)
{
    char unq[DP_STYLE_LABEL];
    size_t n = strlen(v);
    if (n >= 2 && v[0] == '"' && v[n - 1] == '"' && n - 2 < sizeof unq) {
        memcpy(unq, v + 1, n - 2);
        unq[n - 2] = '\0';
        v = unq;
    }
    if (strlen(v) >= DP_STYLE_LABEL) {
        *why = "text too long (at most 127 bytes)";
        return -1;
    }
    if (!label_fields_ok(v, k->fields)) {
        *why = k->fields[0] ? "unknown field or unclosed {" : "this label takes no {field}";
        return -1;
    }
    snprintf((char *)s + k->off, DP_STYLE_LABEL, "%s", v);
    return 0;
}

/* One case per value type, each parsing and checking its text; long only
 * because there are many types, and a flat switch reads best. */
static int set_value(dp_style *s, const key_def *k, const char *file,
                     const char *v, const char **why)
{
    char *base = (char *)s;
    switch (k->type) {
    case T_LENGTH: {
        double x;
        if (parse_length(v, &x) < 0) {
            *why = "expected a length such as 10.5pt or 20mm";
            return -1;
        }
        if (x < k->min || x > k->max) {
            *why = "length out of range";
            return -1;
        }
        *(double *)(base + k->off) = x;
        return 0;
    }
    case T_NUMBER: {
        char *end;
        double x = strtod(v, &end);
        if (end == v || *end || !isfinite(x)) {
            *why = "expected a number";
            return -1;
        }
        if (x < k->min || x > k->max) {
            *why = "number out of range";
            return -1;
        }
        *(double *)(base + k->off) = x;
        return 0;
    }
    case T_COLOR: {
        if (v[0] != '#' || strlen(v) != 7 ||
            strspn(v + 1, "0123456789abcdefABCDEF") != 6) {
            *why = "expected a colour #rrggbb";
            return -1;
        }
        unsigned c = (unsigned)strtoul(v + 1, NULL, 16);
        *(uint32_t *)(base + k->off) = c;
        return 0;
    }
    case T_OPTPATH:
        if (strcmp(v, "none") == 0) {
            *(base + k->off) = '\0';
            return 0;
        }
        /* fall through */
    case T_PATH:
        if (!*v) {
            *why = "expected a font file path";
            return -1;
        }
        if (strncmp(k->name, "font.", 5) == 0 && !dp_fontname_is_path(v)) {
            const char *no = dp_fontname_resolve(v, base + k->off, 512);
            if (no) {
                *why = no;
                return -1;
            }
            return font_file_ok(base + k->off, why);
        }
        if (resolve_path(base + k->off, 512, file, v) < 0) {
            *why = "path too long";
            return -1;
        }
        if (strncmp(k->name, "font.", 5) == 0)
            return font_file_ok(base + k->off, why);
        return 0;
    case T_PATHS: {
        /* font.fallback, or a list of one kind of role */
        char(*list)[512] = s->font_fallback;
        int *count = &s->n_fallback;
        if (k->off == offsetof(dp_style, font_fallback_serif)) {
            list = s->font_fallback_serif;
            count = &s->n_fallback_serif;
        } else if (k->off == offsetof(dp_style, font_fallback_sans)) {
            list = s->font_fallback_sans;
            count = &s->n_fallback_sans;
        }
        *count = 0;
        if (strcmp(v, "none") == 0)
            return 0;
        char tmp[2048];
        snprintf(tmp, sizeof tmp, "%s", v);
        for (char *save = NULL, *p = strtok_r(tmp, ",", &save); p;
             p = strtok_r(NULL, ",", &save)) {
            while (*p == ' ')
                p++;
            size_t n = strlen(p);
            while (n && p[n - 1] == ' ')
                p[--n] = '\0';
            if (!n)
                continue;
            if (*count == DP_STYLE_MAX_FALLBACK) {
                *why = "too many fallback fonts (at most 4)";
                return -1;
            }
            const char *no = dp_fontname_is_path(p)
                                 ? NULL
                                 : dp_fontname_resolve(p, list[*count], 512);
            if (no) {
                *why = no;
                return -1;
            }
            if (dp_fontname_is_path(p) &&
                resolve_path(list[*count], 512, file, p) < 0) {
                *why = "path too long";
                return -1;
            }
            if (font_file_ok(list[*count], why) < 0)
                return -1;
            (*count)++;
        }
        return 0;
    }
    case T_TEXT:
        if (strlen(v) >= 128) {
            *why = "text too long (at most 127 bytes)";
            return -1;
        }
        if (!fields_known(v)) {
            *why = "unknown field: use {series} {title} {section} {page} {pages} {date}";
            return -1;
        }
        snprintf(base + k->off, 128, "%s", v);
        return 0;
    case T_BOOL:
        if (strcmp(v, "true") == 0 || strcmp(v, "yes") == 0)
            *(int *)(base + k->off) = 1;
        else if (strcmp(v, "false") == 0 || strcmp(v, "no") == 0)
            *(int *)(base + k->off) = 0;
        else {
            *why = "expected true or false";
            return -1;
        }
        return 0;
    case T_MARKS: {
        char tmp[256];
        snprintf(tmp, sizeof tmp, "%s", v);
        int n = 0;
        char marks[4][16];
        for (char *save = NULL, *p = strtok_r(tmp, " ", &save); p;
             p = strtok_r(NULL, " ", &save)) {
            if (n == 4 || strlen(p) >= sizeof marks[0]) {
                *why = "expected 1 to 4 marks separated by spaces";
                return -1;
            }
            snprintf(marks[n++], sizeof marks[0], "%s", p);
        }
        if (n == 0) {
            *why = "expected 1 to 4 marks separated by spaces";
            return -1;
        }
        for (int i = 0; i < 4; i++) /* fewer marks than levels repeat */
            snprintf(s->bullets[i], sizeof s->bullets[i], "%s", marks[i % n]);
        return 0;
    }
    case T_SCHEMES: {
        /* RFC 3986 schemes: a letter, then letters, digits, + - . */
        char tmp[256], out[256];
        size_t o = 0;
        snprintf(tmp, sizeof tmp, "%s", v);
        for (char *save = NULL, *p = strtok_r(tmp, " ", &save); p;
             p = strtok_r(NULL, " ", &save)) {
            size_t n = strlen(p);
            if (n && p[n - 1] == ':')
                p[--n] = '\0';
            int ok = n > 0 && isalpha((unsigned char)p[0]);
            for (size_t i = 0; ok && i < n; i++)
                ok = isalnum((unsigned char)p[i]) || strchr("+-.", p[i]);
            if (!ok) {
                *why = "expected URI schemes separated by spaces, such as http https mailto";
                return -1;
            }
            if (o + n + 1 >= sizeof out) {
                *why = "too many schemes";
                return -1;
            }
            for (size_t i = 0; i < n; i++)
                out[o++] = (char)tolower((unsigned char)p[i]);
            out[o++] = ' ';
        }
        out[o] = '\0';
        /* "none": no link actions at all */
        if (strcmp(out, "none ") == 0)
            out[0] = '\0';
        else if (o == 0) {
            *why = "expected URI schemes separated by spaces, or none";
            return -1;
        }
        memcpy(s->link_schemes, out, o + 1);
        return 0;
    }
    case T_PAGESIZE: {
        static const struct { const char *name; double w, h; } sizes[] = {
            {"A4", 210, 297}, {"A5", 148, 210}, {"B5", 182, 257},
            {"Letter", 215.9, 279.4}};
        for (size_t i = 0; i < sizeof sizes / sizeof *sizes; i++) {
            if (strcmp(v, sizes[i].name) == 0) {
                s->page_w = sizes[i].w * MM;
                s->page_h = sizes[i].h * MM;
                return 0;
            }
        }
        *why = "expected A4, A5, B5 or Letter";
        return -1;
    }
    case T_MARGINS: {
        double m[4];
        char tmp[256];
        snprintf(tmp, sizeof tmp, "%s", v);
        int n = 0;
        for (char *save = NULL, *p = strtok_r(tmp, " ", &save); p;
             p = strtok_r(NULL, " ", &save)) {
            if (n == 4 || parse_length(p, &m[n]) < 0 || m[n] < 0 || m[n] > 200) {
                *why = "expected 1 to 4 lengths (top right bottom left)";
                return -1;
            }
            n++;
        }
        if (n == 0) {
            *why = "expected 1 to 4 lengths (top right bottom left)";
            return -1;
        }
        if (n == 1) m[1] = m[2] = m[3] = m[0];
        if (n == 2) { m[2] = m[0]; m[3] = m[1]; }
        if (n == 3) m[3] = m[1];
        s->margin_t = m[0];
        s->margin_r = m[1];
        s->margin_b = m[2];
        s->margin_l = m[3];
        return 0;
    }
    }
    return -1;
}

/* Line by line (line checks, key = value, labels and their fields, other
 * keys by type), then the checks across keys (the page's room); one
 * function because the line being read names every error. */
dp_status dp_style_parse(dp_style *s, dp_diags *d, const char *file,
                         const char *text, size_t len)
{
    dp_status status = DP_OK;
    long lineno = 0, geometry_line = 0; /* the last page.* or header.size line */
    size_t i = 0;
    while (i < len) {
        size_t e = i;
        while (e < len && text[e] != '\n')
            e++;
        lineno++;
        char line[2048];
        size_t n = e - i;
        if (n >= sizeof line) {
            dp_error(d, file, lineno, "line too long");
            status = DP_EINPUT;
            i = e + 1;
            continue;
        }
        /* header and footer texts are drawn: they must be real text */
        if (memchr(text + i, '\0', n) || dp_utf8_check(text + i, n) < n) {
            dp_error(d, file, lineno, "NUL byte or invalid UTF-8");
            status = DP_EINPUT;
            i = e + 1;
            continue;
        }
        memcpy(line, text + i, n);
        line[n] = '\0';
        i = e + 1;
        char *p = line;
        while (*p == ' ' || *p == '\t' || *p == '\r')
            p++;
        n = strlen(p);
        while (n && (p[n - 1] == ' ' || p[n - 1] == '\t' || p[n - 1] == '\r'))
            p[--n] = '\0';
        if (!*p || *p == '#') /* blank line or comment */
            continue;
        char *eq = strchr(p, '=');
        if (!eq) {
            dp_error(d, file, lineno, "expected \"key = value\"");
            status = DP_EINPUT;
            continue;
        }
        char *key = p, *val = eq + 1;
        *eq = '\0';
        size_t kn = strlen(key);
        while (kn && (key[kn - 1] == ' ' || key[kn - 1] == '\t'))
            key[--kn] = '\0';
        while (*val == ' ' || *val == '\t')
            val++;
        const key_def *k = NULL;
        for (size_t j = 0; j < sizeof keys / sizeof *keys; j++)
            if (strcmp(keys[j].name, key) == 0)
                k = &keys[j];
        const label_def *lk = NULL;
        for (size_t j = 0; !k && j < sizeof label_keys / sizeof *label_keys; j++)
            if (strcmp(label_keys[j].name, key) == 0)
                lk = &label_keys[j];
        if (lk) {
            const char *why = "bad value";
            if (set_label(s, lk, val, &why) < 0) {
                if (lk->fields[0])
                    dp_error(d, file, lineno, "%s: %s; its fields are %s (got \"%s\")", key,
                             why, lk->fields, val);
                else
                    dp_error(d, file, lineno, "%s: %s (got \"%s\")", key, why, val);
                status = DP_EINPUT;
            }
            continue;
        }
        if (!k) {
            dp_error(d, file, lineno, "unknown style key \"%s\"", key);
            status = DP_EINPUT;
            continue;
        }
        const char *why = "bad value";
        if (k->type == T_PAGESIZE || k->type == T_MARGINS || k->off == offsetof(dp_style, header_size))
            geometry_line = lineno;
        if (set_value(s, k, file, val, &why) < 0) {
            dp_error(d, file, lineno, "%s: %s (got \"%s\")", key, why, val);
            status = DP_EINPUT;
        }
    }
    if (status == DP_OK &&
        (s->margin_l + s->margin_r > s->page_w - 72 ||
         s->margin_t + s->margin_b > s->page_h - 144)) {
        dp_error(d, file, geometry_line, "margins leave too little room on the page");
        status = DP_EINPUT;
    }
    /* The running header sits in the top margin, its baseline 1.6
     * header sizes above the text area and its letters 0.88 size tall;
     * the footer (1.1 header sizes, descending 0.12 em) has its baseline
     * 3.2 header sizes below the text area. Both must be on the page. */
    double hs = s->header_size;
    if (status == DP_OK && (s->header_left[0] || s->header_right[0]) &&
        s->margin_t < hs * 2.5) {
        dp_error(d, file, geometry_line,
                 "the running header does not fit on the page: a top margin of "
                 "%.1fpt holds a header.size of at most %.1fpt", s->margin_t,
                 s->margin_t / 2.5);
        status = DP_EINPUT;
    }
    if (status == DP_OK && (s->footer_center[0] || s->cover || s->toc) &&
        s->margin_b < hs * 3.35) {
        dp_error(d, file, geometry_line,
                 "the footer (page numbers) does not fit on the page: a bottom "
                 "margin of %.1fpt holds a header.size of at most %.1fpt",
                 s->margin_b, s->margin_b / 3.35);
        status = DP_EINPUT;
    }
    return status;
}

dp_status dp_style_load(dp_style *s, dp_diags *d, const char *path)
{
    dp_buf b;
    dp_buf_init(&b);
    const char *why = "cannot read the file";
    dp_status status = dp_file_read(&b, path, NULL, 1 << 20, NULL, &why);
    if (status == DP_EIO) {
        dp_error(d, path, 0, "cannot read style file: %s", strerror(errno));
    } else if (status == DP_ELIMIT) {
        dp_error(d, path, 0, "style file too large");
    } else if (status == DP_EINPUT) {
        dp_error(d, path, 0, "cannot read style file: %s", why);
    } else if (status == DP_OK) {
        status = dp_style_parse(s, d, path, b.data, b.len);
    }
    dp_buf_dispose(&b);
    return status;
}
