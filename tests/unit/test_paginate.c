/* Pagination decisions: marks, contents numbers, keeps, widows and
 * orphans, running headers and footers. */
#include <math.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>

#include "base/buf.h"
#include "input/xml_read.h"
#include "layout/paginate.h"

typedef struct fixture {
    dp_style st;
    dp_fontset fs;
    dp_diags d;
} fixture;

static int setup(void **state)
{
    static fixture f;
    dp_style_defaults(&f.st);
    dp_diags_init(&f.d);
    const char *paths[] = {f.st.font_body, f.st.font_heading, f.st.font_latin,
                           f.st.font_latin_heading, f.st.font_fallback[0]};
    if (dp_fontset_load(&f.fs, &f.d, "test", paths, 5) != DP_OK)
        return -1;
    *state = &f;
    return 0;
}

static int teardown(void **state)
{
    fixture *f = *state;
    dp_fontset_dispose(&f->fs);
    dp_diags_dispose(&f->d);
    return 0;
}

static dp_pages *layout(fixture *f, const char *xml, dp_doc **doc)
{
    assert_int_equal(dp_xml_read(doc, &f->d, "t.xml", xml, strlen(xml)), DP_OK);
    dp_pages *pages;
    assert_int_equal(dp_paginate(&pages, &f->d, *doc, &f->st, &f->fs, NULL), DP_OK);
    return pages;
}

/* The text of a run (its clusters joined). */
static void run_text(const dp_run *r, char *out, size_t cap)
{
    size_t o = 0;
    for (size_t i = 0; i < r->n && r->text[i]; i++) {
        if (o + r->text_len[i] + 1 >= cap)
            break;
        memcpy(out + o, r->text[i], r->text_len[i]);
        o += r->text_len[i];
    }
    out[o] = '\0';
}

static int page_has_text(const dp_page *pg, const char *s)
{
    char buf[4096];
    for (size_t i = 0; i < pg->nruns; i++) {
        run_text(&pg->runs[i], buf, sizeof buf);
        if (strstr(buf, s))
            return 1;
    }
    return 0;
}

#define HEAD "<?xml version=\"1.0\"?><digest version=\"1\"><meta><series>見本</series><title>表題</title><published>2026-01-02</published></meta>"

static void append_articles(dp_buf *b, int sections, int articles, int items)
{
    for (int s = 0; s < sections; s++) {
        dp_buf_printf(b, "<section name=\"機関%d\">", s + 1);
        for (int a = 0; a < articles; a++) {
            dp_buf_printf(b, "<article><title>記事%d-%d</title><heading>小見出し</heading><list>", s + 1, a + 1);
            for (int i = 0; i < items; i++)
                dp_buf_adds(b, "<item>これは箇条書きの項目です。内容を確認してください。</item>");
            dp_buf_adds(b, "</list></article>");
        }
        dp_buf_adds(b, "</section>");
    }
}

static void test_paginate_marks_and_contents(void **state)
{
    fixture *f = *state;
    dp_buf b;
    dp_buf_init(&b);
    enum { SECTIONS = 2, ARTICLES = 6 };
    dp_buf_adds(&b, HEAD);
    append_articles(&b, SECTIONS, ARTICLES, 12);
    dp_buf_adds(&b, "</digest>");
    dp_doc *doc;
    dp_pages *P = layout(f, b.data, &doc);
    /* a mark per section, per article and per article's one heading, in
     * document order (where they fall: tests/golden/keeps.pages) */
    assert_int_equal(P->nmarks, SECTIONS + 2 * SECTIONS * ARTICLES);
    assert_int_equal(P->marks[0].level, 0);
    assert_string_equal(P->marks[0].id, "s1");
    assert_int_equal(P->marks[1].level, 1);
    assert_string_equal(P->marks[1].id, "s1-a1");
    assert_int_equal(P->marks[2].level, 2);
    assert_string_equal(P->marks[2].id, "s1-a1-h1");
    int prev_page = 0;
    for (size_t i = 0; i < P->nmarks; i++) {
        assert_true(P->marks[i].page >= P->first_body_page);
        assert_true(P->marks[i].page >= prev_page);
        prev_page = P->marks[i].page;
    }
    /* the contents (page 2) links every issuing body and article to its
     * mark and prints its body page number */
    assert_int_equal(P->first_body_page, 2);
    const dp_page *toc = &P->pages[1];
    int links = 0;
    for (size_t i = 0; i < toc->nlinks; i++) {
        const dp_link *l = &toc->links[i];
        assert_null(l->uri);
        links++;
        const dp_mark *m = NULL;
        for (size_t k = 0; k < P->nmarks; k++)
            if (!strcmp(P->marks[k].id, l->dest))
                m = &P->marks[k];
        assert_non_null(m);
        char num[16], buf[64];
        snprintf(num, sizeof num, "%d", m->page - P->first_body_page + 1);
        /* a run on the link's baseline band holds that number */
        int found = 0;
        for (size_t r = 0; r < toc->nruns; r++) {
            const dp_run *run = &toc->runs[r];
            if (run->y < l->y0 || run->y > l->y1 || run->x[0] < 400)
                continue;
            run_text(run, buf, sizeof buf);
            found |= strcmp(buf, num) == 0;
        }
        assert_true(found);
    }
    assert_int_equal(links, SECTIONS + SECTIONS * ARTICLES);
    /* footers: n / N on body pages, roman numerals before */
    char want[32];
    int body = (int)P->n - P->first_body_page;
    for (int p = P->first_body_page; p < (int)P->n; p++) {
        snprintf(want, sizeof want, "%d / %d", p - P->first_body_page + 1, body);
        assert_true(page_has_text(&P->pages[p], want));
        assert_true(page_has_text(&P->pages[p], "見本")); /* header: series */
    }
    /* the cover carries no page number; the contents are ii */
    assert_false(page_has_text(&P->pages[0], "i"));
    assert_true(page_has_text(&P->pages[1], "ii"));
    dp_pages_free(P);
    dp_doc_free(doc);
    dp_buf_dispose(&b);
}

/* An article title is never the last thing on a page: body text follows
 * it on the same page. */
static void test_paginate_title_kept_with_text(void **state)
{
    fixture *f = *state;
    int at_bottom = 0; /* titles in the lower part of a page that has a next */
    for (int items = 3; items < 30; items += 2) {
        dp_buf b;
        dp_buf_init(&b);
        dp_buf_adds(&b, HEAD);
        append_articles(&b, 1, 5, items);
        dp_buf_adds(&b, "</digest>");
        dp_doc *doc;
        dp_pages *P = layout(f, b.data, &doc);
        int titles = 0;
        for (size_t i = 0; i < P->nmarks; i++) {
            const dp_mark *m = &P->marks[i];
            if (m->level != 1)
                continue;
            titles++;
            const dp_page *pg = &P->pages[m->page];
            int below = 0;
            for (size_t r = 0; r < pg->nruns; r++)
                if (pg->runs[r].y < m->y - 40 && pg->runs[r].y > 60)
                    below++;
            if (below < 2)
                print_error("items=%d article %s alone at page %d bottom\n",
                            items, m->id, m->page);
            assert_true(below >= 2);
            /* the title's page ends with text, not with the title */
            at_bottom += m->page + 1 < (int)P->n && m->y < 300;
        }
        assert_int_equal(titles, 5); /* every article was looked at */
        dp_pages_free(P);
        dp_doc_free(doc);
        dp_buf_dispose(&b);
    }
    assert_true(at_bottom > 0); /* some title did fall near a page end */
}

/* No page holds a single line of a long paragraph (widow or orphan),
 * wherever the paragraph happens to fall. */
static void test_paginate_no_widows_or_orphans(void **state)
{
    fixture *f = *state;
    int split = 0; /* layouts where the paragraph runs over a page break */
    for (int lead = 0; lead < 40; lead++) {
        dp_buf b;
        dp_buf_init(&b);
        dp_buf_adds(&b, HEAD "<section name=\"機関\"><article><title>題</title>");
        for (int i = 0; i < lead; i++)
            dp_buf_adds(&b, "<p>前置き</p>");
        dp_buf_adds(&b, "<p>");
        for (int i = 0; i < 47 * 12; i++)
            dp_buf_adds(&b, "永");
        dp_buf_adds(&b, "</p></article></section></digest>");
        dp_doc *doc;
        dp_pages *P = layout(f, b.data, &doc);
        int total = 0, pages = 0;
        for (size_t p = 0; p < P->n; p++) {
            int lines = 0;
            const dp_page *pg = &P->pages[p];
            for (size_t r = 0; r < pg->nruns; r++)
                lines += pg->runs[r].n > 0 && pg->runs[r].text[0] &&
                         !strncmp(pg->runs[r].text[0], "永", 3);
            if (lines == 1)
                print_error("lead=%d: page %zu holds one line\n", lead, p);
            assert_true(lines != 1);
            total += lines;
            pages += lines > 0;
        }
        /* 564 characters at 44 a line: 13 lines, all drawn */
        assert_int_equal(total, 13);
        split += pages > 1;
        dp_pages_free(P);
        dp_doc_free(doc);
        dp_buf_dispose(&b);
    }
    assert_true(split > 0); /* widow and orphan control had work to do */
}

static void test_paginate_no_sections_is_title_page_only(void **state)
{
    fixture *f = *state;
    dp_doc *doc;
    dp_pages *P = layout(f, HEAD "</digest>", &doc);
    assert_int_equal(P->n, 1);
    assert_true(page_has_text(&P->pages[0], "表題"));
    dp_pages_free(P);
    dp_doc_free(doc);
}

/* A URL inside text gets a link rectangle over exactly that text. */
static void test_paginate_link_rectangle(void **state)
{
    fixture *f = *state;
    dp_doc *doc;
    dp_pages *P = layout(f, HEAD "<section name=\"s\"><article><title>t</title>"
        "<p>詳細は<a href=\"https://example.org/x\">こちら</a>へ</p></article></section></digest>", &doc);
    const dp_page *pg = &P->pages[P->first_body_page];
    int n = 0;
    for (size_t i = 0; i < pg->nlinks; i++) {
        if (!pg->links[i].uri)
            continue;
        n++;
        assert_string_equal(pg->links[i].uri, "https://example.org/x");
        /* 3 full-width characters at 10.5 pt */
        assert_true(fabs(pg->links[i].x1 - pg->links[i].x0 - 31.5) < 0.5);
    }
    assert_int_equal(n, 1);
    dp_pages_free(P);
    dp_doc_free(doc);
}

/* Tables: columns sized from content, header rows repeated on each page
 * a table continues on, never wider than the measure. */
static void test_paginate_table_header_repeats(void **state)
{
    fixture *f = *state;
    dp_buf b;
    dp_buf_init(&b);
    dp_buf_adds(&b, HEAD "<section name=\"s\"><article><title>t</title><table>"
                "<row header=\"true\"><cell>番号</cell><cell>見出し列</cell></row>");
    for (int i = 0; i < 120; i++)
        dp_buf_printf(&b, "<row><cell>%d</cell><cell>長めの説明文が入るセルです。</cell></row>", i);
    dp_buf_adds(&b, "</table></article></section></digest>");
    dp_doc *doc;
    dp_pages *P = layout(f, b.data, &doc);
    int pages_with_rows = 0;
    for (size_t p = (size_t)P->first_body_page; p < P->n; p++) {
        const dp_page *pg = &P->pages[p];
        if (!page_has_text(pg, "長めの説明文"))
            continue;
        pages_with_rows++;
        assert_true(page_has_text(pg, "見出し列")); /* header on every page */
        for (size_t k = 0; k < pg->nboxes; k++)
            if (pg->boxes[k].kind == DP_BOX_STROKE)
                assert_true(pg->boxes[k].x + pg->boxes[k].w <= P->width - f->st.margin_r + 0.01);
    }
    assert_true(pages_with_rows >= 3);
    /* the number column is narrower than the text column */
    const dp_page *pg = &P->pages[P->first_body_page];
    double w0 = 0, w1 = 0;
    for (size_t k = 0; k < pg->nboxes; k++)
        if (pg->boxes[k].kind == DP_BOX_STROKE) {
            if (w0 == 0)
                w0 = pg->boxes[k].w;
            else if (w1 == 0)
                w1 = pg->boxes[k].w;
        }
    assert_true(w0 > 0 && w1 > 0 && w0 < w1 / 2);
    dp_pages_free(P);
    dp_doc_free(doc);
    dp_buf_dispose(&b);

    /* 40 columns: all inside the measure */
    dp_buf_init(&b);
    dp_buf_adds(&b, HEAD "<section name=\"s\"><article><title>t</title><table><row>");
    for (int i = 0; i < 40; i++)
        dp_buf_printf(&b, "<cell>列%d の内容</cell>", i);
    dp_buf_adds(&b, "</row></table></article></section></digest>");
    P = layout(f, b.data, &doc);
    pg = &P->pages[P->first_body_page];
    double right = 0;
    for (size_t k = 0; k < pg->nboxes; k++)
        if (pg->boxes[k].kind == DP_BOX_STROKE && pg->boxes[k].x + pg->boxes[k].w > right)
            right = pg->boxes[k].x + pg->boxes[k].w;
    assert_true(right <= P->width - f->st.margin_r + 0.01);
    int cells = 0;
    for (size_t k = 0; k < pg->nboxes; k++)
        cells += pg->boxes[k].kind == DP_BOX_STROKE;
    assert_int_equal(cells, 40);
    dp_pages_free(P);
    dp_doc_free(doc);
    dp_buf_dispose(&b);
}

/* Bare URLs become links; long ones break after a separator. */
static void test_paginate_bare_url(void **state)
{
    fixture *f = *state;
    dp_doc *doc;
    dp_pages *P = layout(f, HEAD "<section name=\"s\"><article><title>t</title>"
        "<p>詳細は https://example.org/a/b?c=d をご覧ください。</p></article></section></digest>", &doc);
    const dp_page *pg = &P->pages[P->first_body_page];
    int n = 0;
    for (size_t i = 0; i < pg->nlinks; i++)
        if (pg->links[i].uri) {
            assert_string_equal(pg->links[i].uri, "https://example.org/a/b?c=d");
            n++;
        }
    assert_int_equal(n, 1);
    dp_pages_free(P);
    dp_doc_free(doc);
}

/* Ruby: the reading is drawn above its base, at half the size. */
static void test_paginate_ruby_above_base(void **state)
{
    fixture *f = *state;
    dp_doc *doc;
    dp_pages *P = layout(f, HEAD "<section name=\"s\"><article><title>t</title>"
        "<p><ruby>漢字<rt>かんじ</rt></ruby>の例</p></article></section></digest>", &doc);
    const dp_page *pg = &P->pages[P->first_body_page];
    const dp_run *base = NULL, *reading = NULL;
    char buf[64];
    for (size_t r = 0; r < pg->nruns; r++) {
        run_text(&pg->runs[r], buf, sizeof buf);
        if (strstr(buf, "漢字"))
            base = &pg->runs[r];
        if (!strcmp(buf, "かんじ"))
            reading = &pg->runs[r];
    }
    assert_non_null(base);
    assert_non_null(reading);
    assert_true(reading->y > base->y);
    assert_true(reading->size < base->size * 0.6);
    /* centred over the two base characters */
    double mid_base = (base->x[0] + base->x[1] + base->size) / 2;
    double mid_read = (reading->x[0] + reading->x[2] + reading->size) / 2;
    assert_true(mid_base - mid_read < 0.5 && mid_read - mid_base < 0.5);
    dp_pages_free(P);
    dp_doc_free(doc);
}

/* A list item's marker comes right before its text in the page's runs
 * (reading order), also when the item starts a new page. */
static void test_paginate_marker_before_item(void **state)
{
    fixture *f = *state;
    dp_buf b;
    dp_buf_init(&b);
    dp_buf_adds(&b, HEAD "<section name=\"s\"><article><title>t</title><list>");
    for (int i = 0; i < 80; i++)
        dp_buf_printf(&b, "<item>項目%03dの本文はここまで。二行目に続く長さのある文を置いて折り返しを確かめる。</item>", i);
    dp_buf_adds(&b, "</list></article></section></digest>");
    dp_doc *doc;
    dp_pages *P = layout(f, b.data, &doc);
    assert_true(P->n > (size_t)P->first_body_page + 1); /* the list runs over a page */
    char buf[256];
    int seen = 0;
    for (size_t p = (size_t)P->first_body_page; p < P->n; p++) {
        const dp_page *pg = &P->pages[p];
        for (size_t r = 0; r + 1 < pg->nruns; r++) {
            run_text(&pg->runs[r], buf, sizeof buf);
            if (strcmp(buf, "•") != 0)
                continue;
            run_text(&pg->runs[r + 1], buf, sizeof buf);
            assert_memory_equal(buf, "項目", strlen("項目"));
            assert_true(fabs(pg->runs[r].y - pg->runs[r + 1].y) < 0.5);
            seen++;
        }
    }
    assert_int_equal(seen, 80);
    dp_pages_free(P);
    dp_doc_free(doc);
    dp_buf_dispose(&b);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_paginate_marks_and_contents),
        cmocka_unit_test(test_paginate_marker_before_item),
        cmocka_unit_test(test_paginate_title_kept_with_text),
        cmocka_unit_test(test_paginate_no_widows_or_orphans),
        cmocka_unit_test(test_paginate_no_sections_is_title_page_only),
        cmocka_unit_test(test_paginate_link_rectangle),
        cmocka_unit_test(test_paginate_table_header_repeats),
        cmocka_unit_test(test_paginate_bare_url),
        cmocka_unit_test(test_paginate_ruby_above_base),
    };
    return cmocka_run_group_tests(tests, setup, teardown);
}
