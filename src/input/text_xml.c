/*
 * Text import, third stage: digest XML. The body is written as it is read
 * (a stack of open lists, the text of the newest block kept pending so
 * wrapped lines can still be joined to it); meta is written last because
 * lines found before the first article land in its summary.
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

/* ---- inline writer ---- */

/* Escaped text with http(s) URLs turned into <a href>. */
dp_status dp_ti_put_inline(dp_buf *o, const char *s, size_t len)
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
    DP_TRY(dp_ti_put_inline(&m->body, m->pend.data ? m->pend.data : "", m->pend.len));
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
dp_status dp_ti_join_pending(importer *m, span t)
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

dp_status dp_ti_set_pending(importer *m, int kind, span t)
{
    dp_buf_reset(&m->pend);
    m->pend_kind = kind;
    return dp_buf_add(&m->pend, t.s, t.len);
}

dp_status dp_ti_close_list(importer *m)
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

dp_status dp_ti_close_lists(importer *m, int to)
{
    dp_status status = DP_OK;
    DP_TRY(flush(m));
    while (m->depth > to)
        DP_TRY(dp_ti_close_list(m));
done:
    return status;
}

dp_status dp_ti_open_item(importer *m, span text, long line_no)
{
    dp_status status = DP_OK;
    DP_TRY(nl(&m->body, list_depth(m->depth) + 1));
    DP_TRY(dp_buf_adds(&m->body, "<item>"));
    m->stack[m->depth - 1].item_line = line_no;
    DP_TRY(dp_ti_set_pending(m, PEND_ITEM, text));
done:
    return status;
}

/* Opens a list at level depth+1: in the article, or as a block of the
 * open item (then without whitespace, since an item is mixed content). */
dp_status dp_ti_open_list(importer *m, int type, long start)
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
dp_status dp_ti_article_block(importer *m, const char *tag, span text,
                               int pend)
{
    dp_status status = DP_OK;
    DP_TRY(dp_ti_close_lists(m, 0));
    DP_TRY(nl(&m->body, 3));
    DP_TRY(dp_buf_printf(&m->body, "<%s>", tag));
    if (pend) {
        DP_TRY(dp_ti_set_pending(m, PEND_P, text));
    } else {
        DP_TRY(dp_ti_put_inline(&m->body, text.s, text.len));
        DP_TRY(dp_buf_printf(&m->body, "</%s>", tag));
    }
done:
    return status;
}

dp_status dp_ti_close_article(importer *m)
{
    dp_status status = DP_OK;
    if (!m->article_open)
        return DP_OK;
    DP_TRY(dp_ti_close_lists(m, 0));
    DP_TRY(nl(&m->body, 2));
    DP_TRY(dp_buf_adds(&m->body, "</article>"));
    m->article_open = 0;
done:
    return status;
}

dp_status dp_ti_open_article(importer *m, span section, span title, int is_new,
                              long line_no, size_t toc_idx)
{
    dp_status status = DP_OK;
    DP_TRY(dp_ti_close_article(m));
    if (!m->cur_section.len || !dp_ti_span_eq(m->cur_section, section.s, section.len)) {
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
    DP_TRY(dp_ti_put_inline(&m->body, title.s, title.len));
    DP_TRY(dp_buf_adds(&m->body, "</title>"));
    m->article_open = 1;
    m->new_out += is_new != 0;
    DP_TRY(dp_ti_reserve((void **)&m->arts, &m->arts_cap, m->narts, sizeof *m->arts));
    m->arts[m->narts].section = section;
    m->arts[m->narts].title = title;
    m->arts[m->narts].line = line_no;
    m->arts[m->narts].toc = toc_idx;
    m->narts++;
done:
    return status;
}

dp_status dp_ti_write_meta(importer *m, dp_buf *o)
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
