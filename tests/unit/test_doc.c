/* The document model: creation, plain text of inlines, derived ids, and
 * its text dump. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>

#include "input/xml_read.h"
#include "model/doc.h"

static dp_inline *text(dp_doc *doc, const char *s)
{
    dp_inline *in = dp_arena_alloc(&doc->arena, sizeof *in);
    assert_non_null(in);
    in->kind = DP_INL_TEXT;
    in->text = s;
    in->len = strlen(s);
    in->lang = "ja";
    return in;
}

static dp_inline *node(dp_doc *doc, dp_inline_kind kind, dp_inline *child)
{
    dp_inline *in = dp_arena_alloc(&doc->arena, sizeof *in);
    assert_non_null(in);
    in->kind = kind;
    in->child = child;
    in->lang = "ja";
    return in;
}

static void test_doc_new(void **state)
{
    (void)state;
    char name[] = "in.xml";
    dp_doc *doc = dp_doc_new(name);
    assert_non_null(doc);
    name[0] = 'X'; /* the document keeps its own copy */
    assert_string_equal(doc->file, "in.xml");
    assert_string_equal(doc->lang, "ja");
    assert_null(doc->sections);
    assert_int_equal(doc->n_articles, 0);
    dp_doc_free(doc);
    doc = dp_doc_new(NULL);
    assert_string_equal(doc->file, "<input>");
    dp_doc_free(doc);
    dp_doc_free(NULL);
}

static void test_doc_inline_plain(void **state)
{
    (void)state;
    dp_doc *doc = dp_doc_new("t");
    /* 前<em>強<strong>調</strong></em><br/><ruby>漢字<rt>かんじ</rt></ruby><a>先</a> */
    dp_inline *a = text(doc, "前");
    dp_inline *strong = node(doc, DP_INL_STRONG, text(doc, "調"));
    dp_inline *em_text = text(doc, "強");
    em_text->next = strong;
    dp_inline *em = node(doc, DP_INL_EM, em_text);
    dp_inline *br = node(doc, DP_INL_BR, NULL);
    dp_inline *ruby = node(doc, DP_INL_RUBY, text(doc, "漢字"));
    ruby->rt = "かんじ";
    dp_inline *link = node(doc, DP_INL_LINK, text(doc, "先"));
    link->href = "https://example.org/";
    a->next = em;
    em->next = br;
    br->next = ruby;
    ruby->next = link;
    /* markup dropped, a break is a space, the ruby base kept without its reading */
    assert_string_equal(dp_inline_plain(doc, a), "前強調 漢字先");
    assert_string_equal(dp_inline_plain(doc, NULL), "");
    dp_doc_free(doc);
}

static void test_doc_derive_ids(void **state)
{
    (void)state;
    dp_doc *doc = dp_doc_new("t");
    dp_section *s1 = dp_arena_alloc(&doc->arena, sizeof *s1);
    dp_section *s2 = dp_arena_alloc(&doc->arena, sizeof *s2);
    s2->id = "given";
    s1->next = s2;
    doc->sections = s1;
    dp_article *a1 = dp_arena_alloc(&doc->arena, sizeof *a1);
    dp_article *a2 = dp_arena_alloc(&doc->arena, sizeof *a2);
    a2->id = "mine";
    a1->next = a2;
    s1->articles = a1;
    dp_article *a3 = dp_arena_alloc(&doc->arena, sizeof *a3);
    s2->articles = a3;
    /* a1: heading, list > item > heading (nested headings count too),
     * heading with an id of its own */
    dp_block *h1 = dp_arena_alloc(&doc->arena, sizeof *h1);
    dp_block *list = dp_arena_alloc(&doc->arena, sizeof *list);
    dp_block *item = dp_arena_alloc(&doc->arena, sizeof *item);
    dp_block *h2 = dp_arena_alloc(&doc->arena, sizeof *h2);
    dp_block *h3 = dp_arena_alloc(&doc->arena, sizeof *h3);
    h1->kind = h2->kind = h3->kind = DP_BLK_HEADING;
    list->kind = DP_BLK_LIST;
    item->kind = DP_BLK_ITEM;
    h3->id = "kept";
    h1->next = list;
    list->child = item;
    item->child = h2;
    list->next = h3;
    a1->body = h1;
    dp_block *h4 = dp_arena_alloc(&doc->arena, sizeof *h4);
    h4->kind = DP_BLK_HEADING;
    a2->body = h4;
    assert_int_equal(dp_doc_derive_ids(doc), 0);
    assert_string_equal(s1->id, "s1");
    assert_string_equal(s2->id, "given");
    assert_string_equal(a1->id, "s1-a1");
    assert_string_equal(a2->id, "mine");
    assert_string_equal(a3->id, "s2-a1"); /* numbered by position, not by id */
    assert_string_equal(h1->id, "s1-a1-h1");
    assert_string_equal(h2->id, "s1-a1-h2");
    assert_string_equal(h3->id, "kept");
    assert_string_equal(h4->id, "mine-h1");
    /* a very long article id is kept whole in its headings' ids (a cut
     * one could collide with another article's) */
    char longid[100];
    memset(longid, 'x', sizeof longid - 1);
    longid[sizeof longid - 1] = '\0';
    a2->id = longid;
    h4->id = NULL;
    assert_int_equal(dp_doc_derive_ids(doc), 0);
    assert_int_equal(strlen(h4->id), strlen(longid) + strlen("-h1"));
    dp_doc_free(doc);
}

/* The model dump of a read document: every node with its source line,
 * attributes and text, and nothing of where the file lies. */
static void test_doc_dump(void **state)
{
    (void)state;
    const char *xml =
        "<?xml version=\"1.0\"?>\n"
        "<digest version=\"1\"><meta><series>S</series><title>T</title>\n"
        "<published>2026-01-02</published></meta>\n"
        "<section name=\"機関\"><article new=\"true\" xml:lang=\"en\"><title>A \"q\"</title>\n"
        "<list type=\"paren\" start=\"3\"><item>one<em>two</em></item></list>\n"
        "<table><row header=\"true\"><cell span=\"2\">c</cell></row></table>\n"
        "</article></section></digest>\n";
    dp_diags d;
    dp_diags_init(&d);
    dp_doc *doc = NULL;
    assert_int_equal(dp_xml_read(&doc, &d, "/some/where/t.xml", xml, strlen(xml)), DP_OK);
    dp_buf b;
    dp_buf_init(&b);
    assert_int_equal(dp_doc_dump(&b, doc), DP_OK);
    const char *want =
        "digest lang=\"ja\" sections=1 articles=1 new=1\n"
        "  meta series=\"S\" title=\"T\" published=\"2026-01-02\"\n"
        "  section @4 id=\"s1\" name=\"機関\" articles=1\n"
        "    article @4 id=\"s1-a1\" new lang=\"en\"\n"
        "      title\n"
        "        text @4 \"A \\\"q\\\"\"\n"
        "      body\n"
        "        list @5 type=paren start=3\n"
        "          item @5\n"
        "            text @5 \"one\"\n"
        "            em @5\n"
        "              text @5 \"two\"\n"
        "        table @6\n"
        "          row @6 header\n"
        "            cell @6 span=2\n"
        "              text @6 \"c\"\n";
    if (strcmp(b.data, want) != 0)
        print_error("got:\n%s", b.data);
    assert_string_equal(b.data, want);
    assert_null(strstr(b.data, "/some/where"));
    dp_buf_dispose(&b);
    dp_doc_free(doc);
    dp_diags_dispose(&d);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_doc_new),
        cmocka_unit_test(test_doc_inline_plain),
        cmocka_unit_test(test_doc_derive_ids),
        cmocka_unit_test(test_doc_dump),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
