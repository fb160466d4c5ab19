/*
 * Styles: the look of a PDF (page, fonts, sizes, colours, header and
 * footer). A style file is line-oriented `key = value` text so every
 * error can name its line; keys not given keep the built-in defaults,
 * which are the look of styles/default.style.
 */
#ifndef DP_STYLE_SHEET_H
#define DP_STYLE_SHEET_H

#include <stdint.h>

#include "base/buf.h"
#include "base/diag.h"

#define DP_STYLE_MAX_FALLBACK 4
/* Bytes of a label or label template, with its NUL. */
#define DP_STYLE_LABEL 128

/* The fixed words of the front matter and the body, each a template
 * whose {fields} are filled in when it is drawn (see dp_style_fill()). */
typedef struct dp_style_labels {
    char contents[DP_STYLE_LABEL];     /* the contents' heading */
    char summary[DP_STYLE_LABEL];      /* the summary's heading on the cover */
    char issued[DP_STYLE_LABEL];       /* before the publication date */
    char updated[DP_STYLE_LABEL];      /* before the update date */
    char articles[DP_STYLE_LABEL];     /* before the article count */
    char publisher[DP_STYLE_LABEL];    /* before the publisher */
    char count[DP_STYLE_LABEL];        /* {articles} {new}: the title block's count */
    char count_cover[DP_STYLE_LABEL];  /* {articles} {new} {bodies}: the cover's */
    char count_all[DP_STYLE_LABEL];    /* the same when every article is new */
    char count_cover_all[DP_STYLE_LABEL];
    char date[DP_STYLE_LABEL];         /* {year} {month} {day} {mm} {dd} */
    char period[DP_STYLE_LABEL];       /* the cover's issue line, a date
                                          template too; "" = none */
    char join[DP_STYLE_LABEL];         /* between the title block's items */
    char glance[DP_STYLE_LABEL];       /* the at-a-glance table's heading */
    char glance_body[DP_STYLE_LABEL];  /* the at-a-glance table's columns */
    char glance_articles[DP_STYLE_LABEL];
    char glance_new[DP_STYLE_LABEL];
    char badge[DP_STYLE_LABEL];        /* the badge of a new article */
    char badge_spoken[DP_STYLE_LABEL]; /* what the badge reads as (tagged PDF) */
} dp_style_labels;

typedef struct dp_style {
    double page_w, page_h;                 /* pt */
    double margin_t, margin_r, margin_b, margin_l;
    char font_body[512], font_heading[512];
    char font_latin[512], font_latin_heading[512]; /* "" = none */
    char font_fallback[DP_STYLE_MAX_FALLBACK][512];
    int n_fallback;
    char font_body_bold[512], font_heading_bold[512]; /* "" = none */
    int heading_bold;                      /* headings in font_heading_bold */
    /* fallbacks tried before font_fallback: for body (serif) text and
     * for heading (sans) text */
    char font_fallback_serif[DP_STYLE_MAX_FALLBACK][512];
    char font_fallback_sans[DP_STYLE_MAX_FALLBACK][512];
    int n_fallback_serif, n_fallback_sans;
    double body_size, body_leading;        /* leading = line pitch / size */
    double title_size, heading_size, section_size, cover_title_size;
    double toc_size, header_size;
    double para_space;                     /* space between blocks, in em */
    uint32_t color_text, color_accent, color_muted, color_link;
    char header_left[128], header_right[128], footer_center[128];
    int hanging;                           /* hang 、。 into the margin */
    int cover;                             /* a cover page before the TOC */
    char cover_logo[512];                  /* image on the cover, "" = none */
    char bullets[4][16];                   /* bullet marks per list level */
    int toc;                               /* a table of contents */
    char link_schemes[256];                /* URI schemes that become link
                                              actions: lower case, each
                                              followed by one space */
    /* the finer points of the look: rules, fills, the space above
     * headings (in body sizes) and the contents' pitch (in toc sizes) */
    uint32_t color_rule, color_leader, color_table_head, color_table_rule;
    uint32_t color_glance, color_badge;
    double rule_width, rule_cover, rule_glance, rule_table, leader_width;
    double section_space, article_space, heading_space, toc_leading;
    double cover_top;                      /* the cover's title, as a fraction
                                              of the text area's height */
    int cover_band;                        /* the cover's head on an accent band */
    int new_once;                          /* every article new: said once in
                                              the count, no badges */
    dp_style_labels label;
} dp_style;

/* Fills s with the built-in defaults. Cannot fail. */
void dp_style_defaults(dp_style *s);

/*
 * Reads a style file over the defaults in s. Errors (unknown key, bad
 * value, unreadable file) go to d as FILE:LINE messages; all lines are
 * checked before returning DP_EINPUT (or DP_EIO if unreadable). Relative
 * font paths are resolved against the style file's folder.
 */
dp_status dp_style_load(dp_style *s, dp_diags *d, const char *path);

/*
 * Expands a label template: each {name} of names[] becomes values[i] (the
 * template was checked when the style was read, so any other brace is
 * copied as it is). Appends to out; DP_ENOMEM when out cannot grow.
 */
dp_status dp_style_fill(dp_buf *out, const char *tmpl, const char *const *names,
                        const char *const *values, size_t n);

/* Parses style text; file is used in messages and to resolve paths. */
dp_status dp_style_parse(dp_style *s, dp_diags *d, const char *file,
                         const char *text, size_t len);

#endif
