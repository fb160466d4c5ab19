/*
 * Text import, second stage: the structure read from the lines in one
 * pass. The header (series, title, dates, chrome), the table of contents
 * under 【もくじ】, then one block per article, its heading matched
 * against the contents and its body of "•" / "1." items, "▼"
 * sub-headings and plain lines; wrapped lines are joined to the block
 * before them. Known sections and contents entries are kept in string
 * tables.
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
dp_status dp_ti_reserve(void **items, size_t *cap, size_t count, size_t size)
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
    dp_status status = dp_ti_reserve((void **)&m->sects, &m->sects_cap, m->nsects,
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
        if (need_sep && !dp_ti_sep_len(t.s + n, t.len - n))
            continue;
        if (tab_find(&m->sect_tab, t.s, n) != SIZE_MAX) {
            sect->s = t.s;
            sect->len = n;
            found = 1;
        }
    }
    return found;
}

/* ---- header and table of contents ---- */

size_t dp_ti_next_content(const importer *m, size_t i)
{
    while (i < m->nlines && m->lines[i].len == 0)
        i++;
    return i;
}

static void note_chrome(importer *m, const line *l)
{
    if (m->verbose)
        dp_note(m->d, m->file, l->no, "dropped page chrome \"%.*s\"",
                dp_ti_clip(l->s, l->len, 120), l->s);
}

static dp_status add_toc_entry(importer *m, span section, span full, long no)
{
    dp_status status = dp_ti_reserve((void **)&m->toc, &m->toc_cap, m->ntoc,
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
        e->title = dp_ti_skip_seps((span){full.s + section.len, full.len - section.len});
    } else if (match_section(m, full, 0, &sect)) {
        e->section = sect;
        e->title = dp_ti_skip_seps((span){full.s + sect.len, full.len - sect.len});
        if (section.len)
            dp_ti_warn(m, no, "contents entry under \"%.*s\" names \"%.*s\"",
                 CLIP(section), CLIP(sect));
    } else {
        e->section = section;
        e->title = full;
        if (!section.len)
            dp_ti_warn(m, no, "contents entry before any section name");
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
dp_status dp_ti_parse_toc(importer *m, size_t *pi)
{
    dp_status status = DP_OK;
    size_t i = *pi + 1;
    long first = m->lines[*pi].no;
    span section = {NULL, 0};
    m->have_toc = 1;
    for (;;) {
        i = dp_ti_next_content(m, i);
        if (i >= m->nlines)
            break;
        const line *l = &m->lines[i];
        span text;
        if (dp_ti_is_chrome(l)) {
            note_chrome(m, l);
            i++;
            continue;
        }
        line same;
        if (dp_ti_is_new_marker(l) || dp_ti_new_marker_heading(l, &same))
            break;
        if (l->indent > 0 && dp_ti_bullet_text(l, &text)) {
            DP_TRY(add_toc_entry(m, section, text, l->no));
            i++;
            continue;
        }
        if (l->indent > 0 || dp_ti_is_toc_start(l))
            break;
        /* An unindented line is a section name when entries follow it;
         * otherwise the body has begun (a heading without ~NEW~). */
        span t = {l->s, l->len};
        if (tab_find(&m->toc_tab, t.s, t.len) != SIZE_MAX)
            break;
        size_t j = dp_ti_next_content(m, i + 1);
        span dummy;
        if (j < m->nlines && m->lines[j].indent > 0 &&
            dp_ti_bullet_text(&m->lines[j], &dummy)) {
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
dp_status dp_ti_parse_header(importer *m, size_t *pi)
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
        if (dp_ti_is_chrome(l)) {
            note_chrome(m, l);
            continue;
        }
        line same;
        if (dp_ti_is_toc_start(l) || dp_ti_is_new_marker(l) || dp_ti_new_marker_heading(l, &same))
            break;
        if (!m->published[0] && dp_ti_parse_date(l->s, l->len, iso) == l->len) {
            memcpy(m->published, iso, sizeof iso);
            continue;
        }
        if (!m->updated[0] && dp_ti_parse_updated(l, iso, &claimed)) {
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
        dp_ti_warn(m, first_no, "only one header line: taken as the title, no "
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
            dp_ti_warn(m, l->no, "article \"%.*s\" appears again (contents line %ld)",
                 CLIP(*title), e->line);
            *toc_idx = TOC_REPEAT;
        }
        if (section->len)
            return 1;
    }
    span sect;
    if (match_section(m, t, !marked, &sect)) {
        *section = sect;
        *title = dp_ti_skip_seps((span){t.s + sect.len, t.len - sect.len});
        return 1;
    }
    if (!marked)
        return 0;
    /* A marked heading whose agency is unknown: the text before the first
     * separator is the best guess. */
    for (size_t n = 1; n < t.len; n++) {
        if (dp_ti_sep_len(t.s + n, t.len - n)) {
            *section = (span){t.s, n};
            *title = dp_ti_skip_seps((span){t.s + n, t.len - n});
            dp_ti_warn(m, l->no, "agency \"%.*s\" guessed from the heading%s",
                 CLIP(*section), m->have_toc ? " (not in the contents)" : "");
            return 1;
        }
    }
    *title = t;
    if (m->cur_section.len) {
        *section = m->cur_section;
        dp_ti_warn(m, l->no, "heading names no agency: kept in section \"%.*s\"",
             CLIP(*section));
    } else {
        *section = t;
        dp_ti_warn(m, l->no, "heading names no agency: used as its own section");
    }
    return 1;
}

static int ends_sentence(span t)
{
    static const char *const ends[] = {"。", "．", ".", "!", "?", "！", "？",
                                       "」", "）", ")", "』", "】", ":", "\xEF\xBC\x9A"};
    for (size_t i = 0; i < sizeof ends / sizeof *ends; i++)
        if (dp_ti_has_suffix(t.s, t.len, ends[i]))
            return 1;
    return 0;
}

/* An item that opens with a case particle continues the line before it:
 * a wrap the capture turned into a new item. */
static int starts_with_particle(span t)
{
    return dp_ti_has_prefix(t.s, t.len, "が") || dp_ti_has_prefix(t.s, t.len, "を");
}

static dp_status body_item(importer *m, const line *l, int type, long num,
                           span text)
{
    dp_status status = DP_OK;
    int lvl;
    if (l->indent % 2) {
        lvl = l->indent / 2 > 0 ? l->indent / 2 : 1;
        dp_ti_warn(m, l->no, "odd indentation (%d spaces): item placed at level %d",
             l->indent, lvl);
    } else {
        lvl = l->indent / 2;
        if (lvl == 0) {
            lvl = 1;
            dp_ti_warn(m, l->no, "unindented list item: placed at level 1");
        }
    }
    if (lvl > m->depth + 1) {
        dp_ti_warn(m, l->no, "item jumps from level %d to %d: nested at level %d",
             m->depth, lvl, m->depth + 1);
        lvl = m->depth + 1;
    }
    if (lvl > MAX_LEVEL) {
        dp_ti_warn(m, l->no, "list nesting deeper than %d levels: flattened to "
             "level %d", MAX_LEVEL, MAX_LEVEL);
        lvl = MAX_LEVEL;
    }
    if (starts_with_particle(text) && m->last_text.len &&
        !ends_sentence(m->last_text))
        dp_ti_warn(m, l->no, "item starts with a particle after the unfinished "
             "line %ld: probably one sentence split by the capture; kept as "
             "an item", m->last_text_line);
    DP_TRY(dp_ti_close_lists(m, lvl));
    if (m->depth == lvl) {
        level *top = &m->stack[lvl - 1];
        if (top->type == type && (type == LIST_BULLET || num == top->next)) {
            DP_TRY(dp_buf_adds(&m->body, "</item>"));
            top->next = num + 1;
            DP_TRY(dp_ti_open_item(m, text, l->no));
            goto done;
        }
        if (top->type == type && num != 1)
            dp_ti_warn(m, l->no, "numbering jumps from %ld to %ld: a new list "
                 "starting at %ld", top->next - 1, num, num);
        DP_TRY(dp_ti_close_list(m));
    }
    DP_TRY(dp_ti_open_list(m, type, type == LIST_DECIMAL ? num : 1));
    DP_TRY(dp_ti_open_item(m, text, l->no));
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
            DP_TRY(dp_ti_join_pending(m, t));
        } else {
            dp_ti_warn(m, l->no, "indented line outside a list: kept as a paragraph");
            DP_TRY(dp_ti_article_block(m, "p", t, 1));
        }
        goto done;
    }
    int k = (l->indent - 1) / 2;
    if (k < 1)
        k = 1;
    if (k > m->depth)
        k = m->depth;
    if (k == m->depth && m->pend_kind != PEND_NONE && !after_blank) {
        DP_TRY(dp_ti_join_pending(m, t));
        goto done;
    }
    /* After a blank line or a nested list: a paragraph of that item. */
    DP_TRY(dp_ti_close_lists(m, k));
    dp_ti_warn(m, l->no, "line without a marker after %s: kept as a paragraph of "
         "the item at line %ld", after_blank ? "a blank line" : "a nested list",
         m->stack[k - 1].item_line);
    DP_TRY(dp_buf_adds(&m->body, "<p>"));
    DP_TRY(dp_ti_set_pending(m, PEND_P, t));
done:
    return status;
}

/* Lines before the first article: kept in the summary so nothing is
 * lost. */
static dp_status summary_line(importer *m, const line *l)
{
    dp_status status = DP_OK;
    dp_ti_warn(m, l->no, "text before the first article: kept in the summary");
    if (m->summary.len)
        DP_TRY(dp_buf_adds(&m->summary, "<br/>"));
    DP_TRY(dp_ti_put_inline(&m->summary, l->s, l->len));
done:
    return status;
}

dp_status dp_ti_parse_body(importer *m, size_t i)
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
        if (dp_ti_is_chrome(l)) {
            note_chrome(m, l);
            continue;
        }
        line same;
        int inline_heading = dp_ti_new_marker_heading(l, &same);
        if (inline_heading || dp_ti_is_new_marker(l)) {
            size_t j = inline_heading ? i : dp_ti_next_content(m, i + 1);
            if (j >= m->nlines) {
                dp_error(m->d, m->file, l->no,
                         "the file ends after the ~NEW~ marker: truncated");
                status = DP_EINPUT;
                goto done;
            }
            const line *h = inline_heading ? &same : &m->lines[j];
            span sect, title;
            size_t toc_idx;
            if (dp_ti_is_new_marker(h)) {
                dp_ti_warn(m, l->no, "~NEW~ marker without a heading: ignored");
                continue;
            }
            if (dp_ti_is_chrome(h)) {
                dp_error(m->d, m->file, l->no, "the ~NEW~ marker is followed "
                         "by the end of the page: truncated");
                status = DP_EINPUT;
                goto done;
            }
            if (h->indent)
                dp_ti_warn(m, h->no, "indented article heading");
            resolve_heading(m, h, 1, &sect, &title, &toc_idx);
            if (!title.len)
                dp_ti_warn(m, h->no, "article heading names only its agency: empty "
                     "title");
            DP_TRY(add_section(m, sect));
            DP_TRY(dp_ti_open_article(m, sect, title, 1, h->no, toc_idx));
            m->last_text = (span){NULL, 0};
            i = j;
            after_blank = 0;
            continue;
        }
        if (l->indent == 0 && !dp_ti_bullet_text(l, &text) &&
            !dp_ti_number_text(l, &num, &text) && !dp_ti_subhead_text(l, &text)) {
            span sect, title;
            size_t toc_idx;
            if (resolve_heading(m, l, 0, &sect, &title, &toc_idx)) {
                if (toc_idx == SIZE_MAX && !m->have_toc)
                    dp_ti_warn(m, l->no, "line taken as an article heading "
                         "(it starts with the agency \"%.*s\")", CLIP(sect));
                DP_TRY(dp_ti_open_article(m, sect, title, 0, l->no, toc_idx));
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
        if (dp_ti_bullet_text(l, &text)) {
            DP_TRY(body_item(m, l, LIST_BULLET, 0, text));
        } else if (dp_ti_number_text(l, &num, &text)) {
            DP_TRY(body_item(m, l, LIST_DECIMAL, num, text));
        } else if (dp_ti_subhead_text(l, &text)) {
            if (l->indent)
                dp_ti_warn(m, l->no, "indented ▼ sub-heading: placed at article level");
            DP_TRY(dp_ti_article_block(m, "heading", text, 0));
        } else if (l->indent > 0) {
            DP_TRY(body_continuation(m, l, after_blank));
        } else {
            dp_ti_warn(m, l->no, "unrecognised line: kept as a paragraph");
            DP_TRY(dp_ti_article_block(m, "p", (span){l->s, l->len}, 1));
        }
        m->last_text = (span){l->s, l->len};
        m->last_text_line = l->no;
        after_blank = 0;
    }
    DP_TRY(dp_ti_close_article(m));
done:
    return status;
}

/* Warns about articles in the TOC but not the body, and the reverse.
 * An unlisted article and an unmatched entry of the same section that
 * sit between the same matched neighbours are paired (a title that
 * changed) and both lines are named. */
dp_status dp_ti_check_toc(importer *m)
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
                                !dp_ti_span_eq(m->toc[k].section, b->section.s,
                                         b->section.len)))
            k++;
        if (k < lim) {
            m->toc[k].matched_line = b->line;
            dp_ti_warn(m, b->line, "article heading \"%.*s\" differs from its "
                 "contents entry at line %ld (\"%.*s\")", CLIP(b->title),
                 m->toc[k].line, CLIP(m->toc[k].title));
            tk = k + 1;
        } else {
            dp_ti_warn(m, b->line, "article \"%.*s\" (line %ld) is not listed in "
                 "the contents", CLIP(b->title), b->line);
        }
    }
    for (size_t k = 0; k < m->ntoc; k++)
        if (!m->toc[k].matched_line)
            dp_ti_warn(m, m->toc[k].line, "article \"%.*s\" listed in the contents "
                 "(line %ld) is missing from the body", CLIP(m->toc[k].title),
                 m->toc[k].line);
    free(bound);
    return DP_OK;
}
