/* Reading digest XML: the model it builds and every way input is refused. */

#define _GNU_SOURCE
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include <cmocka.h>

#include "base/buf.h"
#include "input/xml_read.h"

static dp_status read_str(const char *xml, dp_doc **doc, dp_diags *d)
{
    dp_diags_init(d);
    return dp_xml_read(doc, d, "t.xml", xml, strlen(xml));
}

#define HEAD "<?xml version=\"1.0\"?>\n<digest version=\"1\">\n<meta><title>T</title><published>2026-01-02</published></meta>\n"

static void test_xml_read_builds_model(void **state)
{
    (void)state;
    const char *xml = HEAD
        "<section name=\"サンプル庁\">\n"
        "<article new=\"true\" id=\"x1\"><title>見出し <em>強調</em></title>\n"
        "<list type=\"decimal\" start=\"3\"><item>一つ目<list><item>入れ子</item></list></item></list>\n"
        "<heading>小見出し</heading><p>本文です。\n  続き</p>\n"
        "</article></section>\n<section name=\"二\"><article><title>B</title></article></section></digest>\n";
    dp_doc *doc;
    dp_diags d;
    assert_int_equal(read_str(xml, &doc, &d), DP_OK);
    assert_string_equal(doc->title, "T");
    assert_string_equal(doc->published, "2026-01-02");
    assert_int_equal(doc->n_sections, 2);
    assert_int_equal(doc->n_articles, 2);
    assert_int_equal(doc->n_new, 1);
    dp_section *s = doc->sections;
    assert_string_equal(s->name, "サンプル庁");
    assert_string_equal(s->id, "s1");
    dp_article *a = s->articles;
    assert_string_equal(a->id, "x1");
    assert_int_equal(a->line, 5);
    assert_true(a->is_new);
    assert_string_equal(dp_inline_plain(doc, a->title), "見出し 強調");
    dp_block *list = a->body;
    assert_int_equal(list->kind, DP_BLK_LIST);
    assert_int_equal(list->list_type, DP_LIST_DECIMAL);
    assert_int_equal(list->start, 3);
    assert_int_equal(list->child->kind, DP_BLK_ITEM);
    assert_string_equal(dp_inline_plain(doc, list->child->text), "一つ目");
    assert_int_equal(list->child->child->kind, DP_BLK_LIST);
    dp_block *h = list->next;
    assert_int_equal(h->kind, DP_BLK_HEADING);
    assert_string_equal(h->id, "x1-h1");
    /* a line break between two CJK characters is no space */
    assert_string_equal(dp_inline_plain(doc, h->next->text), "本文です。続き");
    assert_string_equal(doc->sections->next->articles->id, "s2-a1");
    dp_doc_free(doc);
    dp_diags_dispose(&d);
}

static void test_xml_read_collapses_latin_whitespace(void **state)
{
    (void)state;
    const char *xml = HEAD "<section name=\"s\"><article><title>t</title>"
        "<p xml:lang=\"en\">  two\n   words  </p></article></section></digest>";
    dp_doc *doc;
    dp_diags d;
    assert_int_equal(read_str(xml, &doc, &d), DP_OK);
    dp_block *p = doc->sections->articles->body;
    assert_string_equal(dp_inline_plain(doc, p->text), "two words");
    assert_string_equal(p->lang, "en");
    dp_doc_free(doc);
    dp_diags_dispose(&d);
}

static void test_xml_read_duplicate_id(void **state)
{
    (void)state;
    const char *xml = HEAD "<section name=\"s\" id=\"a\"><article id=\"b\"><title>t</title></article>\n"
        "<article id=\"c\"><title>t</title><heading id=\"b\">h</heading></article></section></digest>";
    dp_doc *doc;
    dp_diags d;
    dp_status st = read_str(xml, &doc, &d);
    assert_int_equal(st, DP_EINPUT);
    assert_null(doc);
    assert_true(d.count >= 1);
    assert_non_null(strstr(d.items[0].message, "\"b\""));
    dp_diags_dispose(&d);
}

/* Derived ids take the whole article id (two ids sharing a long prefix
 * stay apart, a Japanese id is never cut inside a character) and never
 * take an id the source gave elsewhere. */
static void test_xml_read_derived_ids_unique(void **state)
{
    (void)state;
    const char *xml = HEAD "<section name=\"s\">"
        "<article id=\"announcement-2026-01-05-ministry-of-economy-a\"><title>t</title>"
        "<heading>h</heading></article>\n"
        "<article id=\"announcement-2026-01-05-ministry-of-economy-b\"><title>t</title>"
        "<heading>h</heading></article>\n"
        "<article id=\"国立研究開発法人新エネルギー産業\"><title>t</title>"
        "<heading>h</heading></article>\n"
        "<article id=\"s1-a5\"><title>t</title><heading id=\"s1-a5-h1-x\">h</heading></article>\n"
        "<article><title>t</title><heading>h</heading></article>\n"
        "</section><section name=\"u\" id=\"s1-a5-2-h1\"/></digest>";
    dp_doc *doc;
    dp_diags d;
    dp_status st = read_str(xml, &doc, &d);
    assert_int_equal(st, DP_OK);
    const dp_article *a = doc->sections->articles;
    assert_string_equal(a->body->id, "announcement-2026-01-05-ministry-of-economy-a-h1");
    assert_string_equal(a->next->body->id, "announcement-2026-01-05-ministry-of-economy-b-h1");
    assert_string_equal(a->next->next->body->id, "国立研究開発法人新エネルギー産業-h1");
    /* the fifth article's "s1-a5" is the fourth's given id, and its
     * heading's "s1-a5-2-h1" the second section's */
    const dp_article *e = a->next->next->next->next;
    assert_string_equal(e->id, "s1-a5-2");
    assert_string_equal(e->body->id, "s1-a5-2-h1-2");
    dp_doc_free(doc);
    dp_diags_dispose(&d);
}

/* Every file in tests/data/invalid is refused with its expected line and
 * message (tests/data/invalid/EXPECTED). */
static void test_xml_read_invalid_inputs(void **state)
{
    (void)state;
    FILE *f = fopen(DP_TEST_DATA "/invalid/EXPECTED", "r");
    assert_non_null(f);
    char line[512];
    int n = 0;
    while (fgets(line, sizeof line, f)) {
        char name[128], frag[256];
        long want;
        if (sscanf(line, "%127[^\t]\t%ld\t%255[^\n]", name, &want, frag) != 3)
            continue;
        char path[512];
        snprintf(path, sizeof path, DP_TEST_DATA "/invalid/%s", name);
        dp_buf b;
        dp_buf_init(&b);
        assert_int_equal(dp_buf_read_file(&b, path, 1 << 24), DP_OK);
        dp_diags d;
        dp_diags_init(&d);
        dp_doc *doc = (dp_doc *)1;
        dp_status st = dp_xml_read(&doc, &d, path, b.data, b.len);
        if (st == DP_OK || doc != NULL || d.count == 0) {
            print_error("%s: accepted\n", name);
            fail();
        }
        const dp_diag *g = &d.items[0];
        if (g->line != want || !strcasestr(g->message, frag)) {
            print_error("%s: got %ld: %s; want %ld: ...%s...\n", name, g->line,
                        g->message, want, frag);
            fail();
        }
        assert_int_equal(g->severity, DP_DIAG_ERROR);
        assert_string_equal(g->file, path);
        dp_diags_dispose(&d);
        dp_buf_dispose(&b);
        n++;
    }
    fclose(f);
    assert_true(n >= 11);
}

/* The external entity's target is never read. */
static void test_xml_read_no_external_entity(void **state)
{
    (void)state;
    const char *xml = "<?xml version=\"1.0\"?><!DOCTYPE d [<!ENTITY x SYSTEM \"file:///etc/hostname\">]>"
                      "<digest version=\"1\">&x;</digest>";
    dp_doc *doc;
    dp_diags d;
    assert_int_equal(read_str(xml, &doc, &d), DP_EINPUT);
    assert_int_equal(d.count, 1);
    dp_diags_dispose(&d);
}

static void test_xml_read_valid_fixtures(void **state)
{
    (void)state;
    const char *names[] = {"minimal.xml", "no-sections.xml", "long-token.xml",
                           "missing-glyph.xml", "non-bmp.xml", "mixed.xml",
                           "format-1-1.xml"};
    for (size_t i = 0; i < sizeof names / sizeof *names; i++) {
        char path[512];
        snprintf(path, sizeof path, DP_TEST_DATA "/valid/%s", names[i]);
        dp_buf b;
        dp_buf_init(&b);
        assert_int_equal(dp_buf_read_file(&b, path, 1 << 24), DP_OK);
        dp_diags d;
        dp_diags_init(&d);
        dp_doc *doc;
        dp_status st = dp_xml_read(&doc, &d, path, b.data, b.len);
        if (st != DP_OK)
            print_error("%s: %s\n", names[i], d.count ? d.items[0].message : "?");
        assert_int_equal(st, DP_OK);
        dp_doc_free(doc);
        dp_diags_dispose(&d);
        dp_buf_dispose(&b);
    }
}

/* Format 1.1: <span xml:lang> as an inline holding its language (its
 * text in that language), figure/@alt; both refused where the document
 * says version="1", which stays valid without them. */
static void test_xml_read_format_1_1(void **state)
{
    (void)state;
    const char *xml =
        "<?xml version=\"1.0\"?>\n<digest version=\"1.1\">\n"
        "<meta><title>T</title><published>2026-01-02</published></meta>\n"
        "<section name=\"S\"><article><title>A</title>\n"
        "<p>前<span xml:lang=\"en\">Open <em>Data</em></span>後</p>\n"
        "<figure src=\"x.png\" alt=\"棒グラフ &amp; 表\"/>\n"
        "</article></section></digest>\n";
    dp_doc *doc;
    dp_diags d;
    assert_int_equal(read_str(xml, &doc, &d), DP_OK);
    dp_block *p = doc->sections->articles->body;
    assert_int_equal(p->kind, DP_BLK_P);
    dp_inline *span = p->text->next;
    assert_int_equal(span->kind, DP_INL_SPAN);
    assert_string_equal(span->lang, "en");
    assert_int_equal(span->line, 5);
    assert_int_equal(span->child->kind, DP_INL_TEXT);
    assert_string_equal(span->child->lang, "en");
    assert_string_equal(span->child->next->child->lang, "en"); /* inside em */
    assert_string_equal(p->text->lang, "ja");
    assert_string_equal(span->next->lang, "ja");
    assert_string_equal(dp_inline_plain(doc, p->text), "前Open Data後");
    assert_int_equal(p->next->kind, DP_BLK_FIGURE);
    assert_string_equal(p->next->alt, "棒グラフ & 表");
    dp_doc_free(doc);
    dp_diags_dispose(&d);

    /* the same in a version 1 document: an error naming the line */
    char *v1 = strdup(xml);
    memcpy(strstr(v1, "version=\"1.1\""), "version=\"1\"  ", 13);
    assert_int_equal(read_str(v1, &doc, &d), DP_EINPUT);
    assert_int_equal(d.items[0].line, 5);
    assert_non_null(strstr(d.items[0].message, "<span> is digest format 1.1"));
    dp_diags_dispose(&d);
    char *alt_only = strdup(v1);
    char *sp = strstr(alt_only, "<p>");
    memcpy(sp, "<p/>", 4);
    memset(sp + 4, ' ', (size_t)(strstr(sp, "</p>") + 4 - (sp + 4)));
    assert_int_equal(read_str(alt_only, &doc, &d), DP_EINPUT);
    assert_int_equal(d.items[0].line, 6);
    assert_non_null(strstr(d.items[0].message, "figure/@alt is digest format 1.1"));
    dp_diags_dispose(&d);
    /* a span needs its language; version 2 does not exist */
    assert_int_equal(read_str(HEAD "<section name=\"S\"><article><title><span>x</span></title>"
                                   "</article></section></digest>", &doc, &d), DP_EINPUT);
    dp_diags_dispose(&d);
    char *v2 = strdup(xml);
    memcpy(strstr(v2, "version=\"1.1\""), "version=\"2.1\"", 13);
    assert_int_equal(read_str(v2, &doc, &d), DP_EINPUT);
    dp_diags_dispose(&d);
    free(v1);
    free(v2);
    free(alt_only);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_xml_read_builds_model),
        cmocka_unit_test(test_xml_read_collapses_latin_whitespace),
        cmocka_unit_test(test_xml_read_duplicate_id),
        cmocka_unit_test(test_xml_read_derived_ids_unique),
        cmocka_unit_test(test_xml_read_invalid_inputs),
        cmocka_unit_test(test_xml_read_no_external_entity),
        cmocka_unit_test(test_xml_read_valid_fixtures),
        cmocka_unit_test(test_xml_read_format_1_1),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
