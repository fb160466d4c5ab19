/*
 * Tests of the archived plain-text importer. Fixtures in
 * tests/data/import/ are our own invented digests; every produced
 * document is validated against src/input/digest.rng.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include <cmocka.h>
#include <libxml/parser.h>
#include <libxml/relaxng.h>
#include <libxml/tree.h>
#include <libxml/xpath.h>

#include "base/buf.h"
#include "base/diag.h"
#include "base/status.h"
#include "base/utf8.h"
#include "input/text_import.h"

#define FIX(name) DP_TEST_DATA "/import/" name
#define SENTINEL "<!-- kept -->"

/* ---- helpers ---- */

static void load(const char *path, dp_buf *b)
{
    dp_buf_init(b);
    assert_int_equal(dp_buf_read_file(b, path, DP_MAX_INPUT_BYTES), DP_OK);
}

typedef struct run {
    dp_buf in, out;
    dp_diags d;
    dp_text_import_stats stats;
    dp_status status;
} run;

static void run_data(run *r, const char *name, const char *data, size_t len,
                     int verbose)
{
    dp_buf_init(&r->out);
    dp_diags_init(&r->d);
    memset(&r->stats, 0, sizeof r->stats);
    assert_int_equal(dp_buf_adds(&r->out, SENTINEL), DP_OK);
    r->status = dp_text_import(&r->d, name, data, len, verbose, &r->out,
                               &r->stats);
}

/* Imports caller-owned bytes; r->in stays empty. */
static void run_raw(run *r, const char *name, const char *data, size_t len,
                    int verbose)
{
    dp_buf_init(&r->in);
    run_data(r, name, data, len, verbose);
}

static void run_file(run *r, const char *path, int verbose)
{
    load(path, &r->in);
    run_data(r, path, r->in.data, r->in.len, verbose);
}

static void run_text(run *r, const char *text, int verbose)
{
    dp_buf_init(&r->in);
    assert_int_equal(dp_buf_adds(&r->in, text), DP_OK);
    run_data(r, "inline.txt", r->in.data, r->in.len, verbose);
}

static void run_dispose(run *r)
{
    dp_buf_dispose(&r->in);
    dp_buf_dispose(&r->out);
    dp_diags_dispose(&r->d);
}

/* The produced XML without the sentinel the output buffer started with. */
static const char *xml_of(const run *r)
{
    assert_true(r->out.len > strlen(SENTINEL));
    assert_memory_equal(r->out.data, SENTINEL, strlen(SENTINEL));
    return r->out.data + strlen(SENTINEL);
}

static void assert_unchanged(const run *r)
{
    assert_int_equal(r->out.len, strlen(SENTINEL));
    assert_string_equal(r->out.data, SENTINEL);
}

static size_t count_sev(const dp_diags *d, dp_severity sev)
{
    size_t n = 0;
    for (size_t i = 0; i < d->count; i++)
        n += d->items[i].severity == sev;
    return n;
}

/* Finds a diagnostic of severity sev on line whose message holds text. */
static int has_diag(const dp_diags *d, dp_severity sev, long line,
                    const char *text)
{
    for (size_t i = 0; i < d->count; i++)
        if (d->items[i].severity == sev && d->items[i].line == line &&
            strstr(d->items[i].message, text))
            return 1;
    return 0;
}

static void dump_diags(const dp_diags *d)
{
    for (size_t i = 0; i < d->count; i++)
        print_message("  %ld: %d %s\n", d->items[i].line,
                      (int)d->items[i].severity, d->items[i].message);
}

#define assert_diag(r, sev, line, text)                                     \
    do {                                                                    \
        if (!has_diag(&(r)->d, (sev), (line), (text))) {                    \
            dump_diags(&(r)->d);                                            \
            fail_msg("no diagnostic \"%s\" on line %ld", (text),            \
                     (long)(line));                                         \
        }                                                                   \
    } while (0)

/* 1-based line of the first line of text that contains needle. */
static long line_of(const char *text, const char *needle)
{
    const char *p = strstr(text, needle);
    assert_non_null(p);
    return dp_utf8_line_of(text, (size_t)(p - text));
}

static xmlRelaxNGPtr schema;

static int setup_schema(void **state)
{
    xmlRelaxNGParserCtxtPtr pc =
        xmlRelaxNGNewParserCtxt(DP_SOURCE_DIR "/src/input/digest.rng");
    schema = xmlRelaxNGParse(pc);
    xmlRelaxNGFreeParserCtxt(pc);
    return schema ? 0 : -1;
}

static int teardown_schema(void **state)
{
    xmlRelaxNGFree(schema);
    xmlCleanupParser();
    return 0;
}

/* Parses and validates the XML; the caller frees the document. */
static xmlDocPtr valid_doc(const char *xml)
{
    xmlDocPtr doc = xmlReadMemory(xml, (int)strlen(xml), "import.xml", NULL,
                                  XML_PARSE_NONET);
    assert_non_null(doc);
    xmlRelaxNGValidCtxtPtr vc = xmlRelaxNGNewValidCtxt(schema);
    int rc = xmlRelaxNGValidateDoc(vc, doc);
    xmlRelaxNGFreeValidCtxt(vc);
    if (rc != 0)
        print_message("%s\n", xml);
    assert_int_equal(rc, 0);
    return doc;
}

/* String value of an XPath expression (copied into buf). */
static const char *xp(xmlDocPtr doc, const char *expr, char *buf, size_t cap)
{
    xmlXPathContextPtr ctx = xmlXPathNewContext(doc);
    xmlXPathObjectPtr o = xmlXPathEvalExpression((const xmlChar *)expr, ctx);
    assert_non_null(o);
    xmlChar *s = xmlXPathCastToString(o);
    snprintf(buf, cap, "%s", (const char *)s);
    xmlFree(s);
    xmlXPathFreeObject(o);
    xmlXPathFreeContext(ctx);
    return buf;
}

static double xpn(xmlDocPtr doc, const char *expr)
{
    xmlXPathContextPtr ctx = xmlXPathNewContext(doc);
    xmlXPathObjectPtr o = xmlXPathEvalExpression((const xmlChar *)expr, ctx);
    assert_non_null(o);
    double v = xmlXPathCastToNumber(o);
    xmlXPathFreeObject(o);
    xmlXPathFreeContext(ctx);
    return v;
}

#define assert_xp(doc, expr, want)                                          \
    do {                                                                    \
        char xb_[4096];                                                     \
        assert_string_equal(xp((doc), (expr), xb_, sizeof xb_), (want));    \
    } while (0)

static int max_depth(xmlNodePtr n, int depth)
{
    int best = depth;
    for (xmlNodePtr c = n->children; c; c = c->next)
        if (c->type == XML_ELEMENT_NODE) {
            int d = max_depth(c, depth + 1);
            if (d > best)
                best = d;
        }
    return best;
}

/* ---- header, chrome, TOC, sections ---- */

static void test_text_import_header_meta(void **state)
{
    run r;
    run_file(&r, FIX("basic.txt"), 0);
    assert_int_equal(r.status, DP_OK);
    xmlDocPtr doc = valid_doc(xml_of(&r));
    assert_xp(doc, "string(/digest/meta/series)", "くらしの安全ダイジェスト");
    assert_xp(doc, "string(/digest/meta/title)",
              "【週末の公表情報まとめ】みなと市危機管理局・架空県消費生活センター・架空庁");
    assert_xp(doc, "string(/digest/meta/published)", "2026-02-10");
    assert_xp(doc, "string(/digest/meta/updated)", "2026-02-09");
    assert_xp(doc, "string(/digest/@xml:lang)", "ja");
    assert_int_equal((int)xpn(doc, "count(/digest/meta/summary)"), 0);
    /* a clean archive imports without a single warning */
    assert_int_equal(count_sev(&r.d, DP_DIAG_WARNING), 0);
    assert_int_equal(count_sev(&r.d, DP_DIAG_NOTE), 0);
    assert_int_equal(r.stats.sections, 4);
    assert_int_equal(r.stats.articles, 5);
    assert_int_equal(r.stats.warnings, 0);
    xmlFreeDoc(doc);
    run_dispose(&r);
}

static void test_text_import_chrome_dropped_with_notes(void **state)
{
    run r;
    run_file(&r, FIX("basic.txt"), 1);
    assert_int_equal(r.status, DP_OK);
    const char *src = r.in.data;
    assert_diag(&r, DP_DIAG_NOTE, line_of(src, "印刷"), "印刷");
    assert_diag(&r, DP_DIAG_NOTE, line_of(src, "ダイジェストサムネイル"),
                "サムネイル");
    assert_diag(&r, DP_DIAG_NOTE, line_of(src, "ページTOPへ"), "ページTOPへ");
    assert_diag(&r, DP_DIAG_NOTE, line_of(src, "Back to Top"), "Back to Top");
    const char *xml = xml_of(&r);
    assert_null(strstr(xml, "印刷"));
    assert_null(strstr(xml, "サムネイル"));
    assert_null(strstr(xml, "TOP"));
    assert_null(strstr(xml, "Back to Top"));
    assert_null(strstr(xml, "もくじ"));
    assert_int_equal(count_sev(&r.d, DP_DIAG_WARNING), 0);
    run_dispose(&r);
}

static void test_text_import_sections_and_titles(void **state)
{
    run r;
    run_file(&r, FIX("basic.txt"), 0);
    xmlDocPtr doc = valid_doc(xml_of(&r));
    assert_int_equal((int)xpn(doc, "count(//section)"), 4);
    assert_xp(doc, "string(//section[1]/@name)", "みなと市危機管理局");
    assert_xp(doc, "string(//section[2]/@name)", "架空県消費生活センター");
    assert_xp(doc, "string(//section[3]/@name)", "架空庁 統計局");
    assert_xp(doc, "string(//section[4]/@name)", "架空庁");
    assert_int_equal((int)xpn(doc, "count(//section[1]/article)"), 2);
    assert_xp(doc, "string(//section[1]/article[2]/title)",
              "防災アプリ「みなとアラート」の提供開始");
    assert_xp(doc, "string(//section[4]/article/title)",
              "「Open Data Week 2026」開催のお知らせ");
    /* ~NEW~ -> new="true"; the unmarked article has no new attribute */
    assert_int_equal((int)xpn(doc, "count(//article[@new='true'])"), 4);
    assert_int_equal((int)xpn(doc, "count(//section[3]/article[@new])"), 0);
    xmlFreeDoc(doc);
    run_dispose(&r);
}

/* A heading without ~NEW~ that the TOC lists is an article; the longest
 * section name prefixing it is its agency. */
static void test_text_import_heading_without_marker_via_toc(void **state)
{
    run r;
    run_file(&r, FIX("basic.txt"), 0);
    xmlDocPtr doc = valid_doc(xml_of(&r));
    assert_xp(doc, "string(//section[@name='架空庁 統計局']/article/title)",
              "家計調査の結果(速報)");
    xmlFreeDoc(doc);
    run_dispose(&r);
}

static void test_text_import_longest_agency_prefix(void **state)
{
    run r;
    run_file(&r, FIX("toc-mismatch.txt"), 0);
    assert_int_equal(r.status, DP_OK);
    xmlDocPtr doc = valid_doc(xml_of(&r));
    /* "架空庁 統計局 物価指数の公表" is not in the TOC: both "架空庁" and
     * "架空庁 統計局" prefix it, the longer wins */
    assert_xp(doc, "string(//article[title='物価指数の公表']/../@name)",
              "架空庁 統計局");
    xmlFreeDoc(doc);
    run_dispose(&r);
}

static void test_text_import_toc_missing_in_body(void **state)
{
    run r;
    run_file(&r, FIX("toc-mismatch.txt"), 0);
    long toc = line_of(r.in.data, "本文にない記事");
    assert_diag(&r, DP_DIAG_WARNING, toc, "missing from the body");
    assert_diag(&r, DP_DIAG_WARNING, toc, "本文にない記事");
    run_dispose(&r);
}

static void test_text_import_toc_not_listed(void **state)
{
    run r;
    run_file(&r, FIX("toc-mismatch.txt"), 0);
    long body = line_of(r.in.data, "架空庁 統計局 物価指数の公表");
    assert_diag(&r, DP_DIAG_WARNING, body, "not listed in the contents");
    run_dispose(&r);
}

static void test_text_import_toc_title_differs_names_both_lines(void **state)
{
    run r;
    run_file(&r, FIX("toc-mismatch.txt"), 0);
    long toc = line_of(r.in.data, "目次に載った題名");
    long body = line_of(r.in.data, "本文で変わった題名");
    char want[64];
    snprintf(want, sizeof want, "contents entry at line %ld", toc);
    assert_diag(&r, DP_DIAG_WARNING, body, want);
    /* paired, so neither is reported again on its own */
    assert_int_equal(count_sev(&r.d, DP_DIAG_WARNING), 4);
    run_dispose(&r);
}

static void test_text_import_new_count_mismatch(void **state)
{
    run r;
    run_file(&r, FIX("toc-mismatch.txt"), 0);
    assert_diag(&r, DP_DIAG_WARNING, 0, "announces 3 new articles, 4 are");
    assert_int_equal(r.stats.warnings, 4);
    run_dispose(&r);
}

/* ---- body structure ---- */

static void test_text_import_nested_lists(void **state)
{
    run r;
    run_file(&r, FIX("basic.txt"), 0);
    xmlDocPtr doc = valid_doc(xml_of(&r));
    const char *a1 = "//section[1]/article[1]";
    char e[256];
    snprintf(e, sizeof e, "count(%s/list[@type='bullet']/item)", a1);
    assert_int_equal((int)xpn(doc, e), 4);
    snprintf(e, sizeof e, "string(%s/list/item[2]/list/item[2]/list/item)", a1);
    assert_xp(doc, e, "手回し充電式のものがあると、長時間の停電でも安心です。");
    snprintf(e, sizeof e, "count(%s/list/item[3]/list[@type='decimal']/item)", a1);
    assert_int_equal((int)xpn(doc, e), 3);
    /* four levels deep in the consumer-centre article */
    assert_xp(doc, "string(//section[2]/article/list/item[2]/list/item/list/item)",
              "「お試し」のつもりで化粧品を注文したが、2回目以降は1回あたり8,980円の支払いが必要だった。");
    xmlFreeDoc(doc);
    run_dispose(&r);
}

static void test_text_import_decimal_start_and_sibling_lists(void **state)
{
    run r;
    run_file(&r, FIX("basic.txt"), 0);
    xmlDocPtr doc = valid_doc(xml_of(&r));
    const char *item = "//section[3]/article/list/item[2]";
    char e[256];
    snprintf(e, sizeof e, "count(%s/list)", item);
    assert_int_equal((int)xpn(doc, e), 2);
    snprintf(e, sizeof e, "string(%s/list[1]/@type)", item);
    assert_xp(doc, e, "decimal");
    snprintf(e, sizeof e, "string(%s/list[1]/@start)", item);
    assert_xp(doc, e, "3");
    snprintf(e, sizeof e, "string(%s/list[2]/@type)", item);
    assert_xp(doc, e, "bullet");
    xmlFreeDoc(doc);
    run_dispose(&r);
}

static void test_text_import_subheadings(void **state)
{
    run r;
    run_file(&r, FIX("basic.txt"), 0);
    xmlDocPtr doc = valid_doc(xml_of(&r));
    const char *a = "//section[1]/article[2]";
    char e[256];
    snprintf(e, sizeof e, "string(%s/heading[1])", a);
    assert_xp(doc, e, "アプリの概要");
    snprintf(e, sizeof e, "string(%s/heading[2])", a);
    assert_xp(doc, e, "利用方法");
    snprintf(e, sizeof e, "name(%s/*[2])", a);
    assert_xp(doc, e, "heading");
    snprintf(e, sizeof e, "name(%s/*[3])", a);
    assert_xp(doc, e, "list");
    assert_null(strstr(xml_of(&r), "▼"));
    xmlFreeDoc(doc);
    run_dispose(&r);
}

static void test_text_import_continuation_joins(void **state)
{
    run r;
    run_file(&r, FIX("basic.txt"), 0);
    xmlDocPtr doc = valid_doc(xml_of(&r));
    /* CJK wrap: joined without a space */
    assert_xp(doc, "string(//section[1]/article[2]/list[1]/item[1])",
              "避難情報や気象警報を、スマートフォンへプッシュ通知でお知らせします。"
              "通知は日本語と英語に対応しており、設定画面で切り替えられます。");
    /* Latin wrap: one space */
    assert_xp(doc, "string(//section[1]/article[2]/list[1]/item[2])",
              "The app also delivers alerts in plain English for residents and "
              "visitors who do not read Japanese.");
    xmlFreeDoc(doc);
    run_dispose(&r);
}

static void test_text_import_continuation_after_list_and_blank(void **state)
{
    run r;
    run_file(&r, FIX("irregular.txt"), 0);
    assert_int_equal(r.status, DP_OK);
    const char *src = r.in.data;
    xmlDocPtr doc = valid_doc(xml_of(&r));
    const char *a = "//article[title='改行が崩れたお知らせ']";
    char e[256];
    snprintf(e, sizeof e, "string(%s/list/item[1])", a);
    assert_xp(doc, e, "町の窓口で受け付けた内容は次のとおりです。住民の皆様からの要望として、"
                      "道路の補修が挙げられました。");
    /* text under a nested list goes back to its item as a paragraph */
    snprintf(e, sizeof e, "string(%s/list/item[2]/p)", a);
    assert_xp(doc, e, "など、多くの声が集まりました。");
    assert_diag(&r, DP_DIAG_WARNING, line_of(src, "など、多くの声"),
                "after a nested list");
    snprintf(e, sizeof e, "string(%s/list/item[3]/p)", a);
    assert_xp(doc, e, "期限を過ぎた回答も受け付けます。");
    assert_diag(&r, DP_DIAG_WARNING, line_of(src, "期限を過ぎた"),
                "after a blank line");
    /* indented text after a sub-heading: a paragraph, wraps joined */
    snprintf(e, sizeof e, "string(%s/p)", a);
    assert_xp(doc, e, "参考資料は町の窓口で閲覧できます。閲覧には予約が必要です。");
    assert_diag(&r, DP_DIAG_WARNING, line_of(src, "参考資料は"),
                "outside a list");
    xmlFreeDoc(doc);
    run_dispose(&r);
}

static void test_text_import_irregular_indentation(void **state)
{
    run r;
    run_file(&r, FIX("irregular.txt"), 0);
    const char *src = r.in.data;
    xmlDocPtr doc = valid_doc(xml_of(&r));
    const char *a = "//article[title='字下げが乱れたお知らせ']";
    char e[256];
    /* a jump of three levels nests one level deeper */
    assert_diag(&r, DP_DIAG_WARNING, line_of(src, "二階層とばした"), "jumps");
    snprintf(e, sizeof e, "string(%s/list/item[1]/list/item)", a);
    assert_xp(doc, e, "二階層とばした項目");
    /* three spaces: back to level 1 */
    assert_diag(&r, DP_DIAG_WARNING, line_of(src, "奇数の字下げ"),
                "odd indentation");
    snprintf(e, sizeof e, "string(%s/list/item[2])", a);
    assert_xp(doc, e, "奇数の字下げの項目");
    /* no indentation at all: level 1 */
    assert_diag(&r, DP_DIAG_WARNING, line_of(src, "• 字下げのない"),
                "unindented");
    snprintf(e, sizeof e, "string(%s/list/item[3])", a);
    assert_xp(doc, e, "字下げのない項目");
    /* 1. 2. 4.: a new list starting at 4 */
    assert_diag(&r, DP_DIAG_WARNING, line_of(src, "4. 郵送"), "numbering jumps");
    snprintf(e, sizeof e, "string(%s/list/item[4]/list[2]/@start)", a);
    assert_xp(doc, e, "4");
    snprintf(e, sizeof e, "string(%s/list/item[4]/list[3]/@type)", a);
    assert_xp(doc, e, "bullet");
    xmlFreeDoc(doc);
    run_dispose(&r);
}

static void test_text_import_particle_split_item(void **state)
{
    run r;
    run_file(&r, FIX("irregular.txt"), 0);
    long l = line_of(r.in.data, "• が寄せられた");
    assert_diag(&r, DP_DIAG_WARNING, l, "particle");
    xmlDocPtr doc = valid_doc(xml_of(&r));
    /* kept as an item: the text stays as captured */
    assert_int_equal((int)xpn(doc, "count(//item[.='が寄せられた。'])"), 1);
    xmlFreeDoc(doc);
    run_dispose(&r);
}

static void test_text_import_unknown_lines_become_paragraphs(void **state)
{
    run r;
    run_file(&r, FIX("notoc.txt"), 0);
    assert_int_equal(r.status, DP_OK);
    const char *src = r.in.data;
    xmlDocPtr doc = valid_doc(xml_of(&r));
    assert_diag(&r, DP_DIAG_WARNING, line_of(src, "【別表】"), "paragraph");
    assert_xp(doc, "string(//article[1]/p)",
              "【別表】 改定後の料金表は市役所で配布しています。");
    /* the list after the paragraph is a new list, nothing is lost */
    assert_int_equal((int)xpn(doc, "count(//article[1]/list)"), 2);
    /* a line starting with the agency but no separator is text */
    assert_diag(&r, DP_DIAG_WARNING, line_of(src, "ひかり市は、"), "paragraph");
    assert_xp(doc, "string(//article[2]/p)",
              "ひかり市は、工事期間中の迂回路を案内しています。");
    /* before the first article: the summary */
    assert_diag(&r, DP_DIAG_WARNING, line_of(src, "この号から"), "summary");
    assert_xp(doc, "string(/digest/meta/summary)",
              "この号から、目次のない形式で掲載しています。");
    xmlFreeDoc(doc);
    run_dispose(&r);
}

static void test_text_import_heading_by_agency_without_toc(void **state)
{
    run r;
    run_file(&r, FIX("notoc.txt"), 0);
    const char *src = r.in.data;
    assert_diag(&r, DP_DIAG_WARNING, line_of(src, "ひかり市 水道料金"),
                "guessed from the heading");
    assert_diag(&r, DP_DIAG_WARNING, line_of(src, "ひかり市 下水道"),
                "article heading");
    xmlDocPtr doc = valid_doc(xml_of(&r));
    assert_int_equal((int)xpn(doc, "count(//section)"), 1);
    assert_xp(doc, "string(//article[2]/title)", "下水道工事のお知らせ");
    assert_int_equal((int)xpn(doc, "count(//article[2]/@new)"), 0);
    xmlFreeDoc(doc);
    run_dispose(&r);
}

/* ---- text fidelity ---- */

static void test_text_import_escaping_urls(void **state)
{
    run r;
    run_file(&r, FIX("basic.txt"), 0);
    const char *xml = xml_of(&r);
    /* the closing parenthesis and 。 stay outside the link */
    assert_non_null(strstr(xml,
        "(<a href=\"https://www.example.jp/minato/bousai/teiden.html\">"
        "https://www.example.jp/minato/bousai/teiden.html</a>)。"));
    assert_non_null(strstr(xml,
        "<a href=\"https://www.example.jp/minato/\">https://www.example.jp/minato/</a> をご覧"));
    assert_non_null(strstr(xml,
        "<a href=\"https://example.go.jp/opendata/week2026?lang=ja&amp;ref=digest\">"));
    assert_non_null(strstr(xml, "記号&lt;&gt;&amp;&quot;&apos;もそのまま"));
    xmlDocPtr doc = valid_doc(xml);
    assert_int_equal((int)xpn(doc, "count(//a)"), 3);
    xmlFreeDoc(doc);
    run_dispose(&r);
}

static void test_text_import_url_edges(void **state)
{
    run r;
    run_text(&r, "リンク通信\n\n【リンクの号】架空庁\n\n2026.10.06\n\n~NEW~\n架空庁 リンクの記事\n"
                 "  • 案内(https://example.jp/a_(b)/c)。\n"
                 "  • 末尾の記号 http://example.jp/x?y=1, と http://example.jp/%zz です。\n"
                 "  • http:// だけでは リンクになりません。\n", 0);
    assert_int_equal(r.status, DP_OK);
    const char *xml = xml_of(&r);
    assert_non_null(strstr(xml, "(<a href=\"https://example.jp/a_(b)/c\">https://example.jp/a_(b)/c</a>)。"));
    assert_non_null(strstr(xml, "<a href=\"http://example.jp/x?y=1\">http://example.jp/x?y=1</a>, と"));
    assert_non_null(strstr(xml, "<a href=\"http://example.jp/\">http://example.jp/</a>%zz"));
    assert_non_null(strstr(xml, "<item>http:// だけでは"));
    xmlDocPtr doc = valid_doc(xml);
    assert_int_equal((int)xpn(doc, "count(//a)"), 3);
    xmlFreeDoc(doc);
    run_dispose(&r);
}

static void test_text_import_width_nonbmp_latin_untouched(void **state)
{
    run r;
    run_file(&r, FIX("basic.txt"), 0);
    const char *xml = xml_of(&r);
    assert_non_null(strstr(xml, "𠮷田町・𠮷川町にお住まいの方"));
    assert_non_null(strstr(xml, "全角英数字ＡＢＣ１２３と半角ABC123"));
    assert_non_null(strstr(xml, "「Open Data Week 2026」"));
    assert_int_equal(dp_utf8_check(xml, strlen(xml)), strlen(xml));
    run_dispose(&r);
}

/* Appends the non-whitespace characters of s[0..len) to out. */
static void add_dense(dp_buf *out, const char *s, size_t len)
{
    size_t i = 0;
    while (i < len) {
        uint32_t cp;
        size_t n = dp_utf8_decode(s + i, len - i, &cp);
        assert_true(n > 0);
        if (cp != ' ' && cp != '\t' && cp != '\r' && cp != '\n' && cp != 0x3000)
            assert_int_equal(dp_buf_add(out, s + i, n), DP_OK);
        i += n;
    }
}

static int starts(const char *s, const char *p)
{
    return strncmp(s, p, strlen(p)) == 0;
}

/*
 * Every non-whitespace character of the body, from the first ~NEW~ on,
 * minus chrome, markers and the agency prefix of heading lines, equals
 * the text content of the articles: a dropped, duplicated or reordered
 * line changes the string.
 */
static void test_text_import_fidelity(void **state)
{
    static const char *const agencies[] = {
        "架空県消費生活センター ", "みなと市危機管理局 ", "架空庁 統計局 ", "架空庁 "};
    run r;
    run_file(&r, FIX("basic.txt"), 0);
    assert_int_equal(r.status, DP_OK);
    dp_buf want, got;
    dp_buf_init(&want);
    dp_buf_init(&got);
    const char *p = strstr(r.in.data, "\n~NEW~\n");
    assert_non_null(p);
    while (*p) {
        const char *e = strchr(p, '\n');
        size_t n = e ? (size_t)(e - p) : strlen(p);
        char ln[2048];
        assert_true(n < sizeof ln);
        memcpy(ln, p, n);
        ln[n] = '\0';
        p += n + (e != NULL);
        const char *t = ln;
        while (*t == ' ')
            t++;
        if (!strcmp(t, "~NEW~") || !strcmp(t, "ページTOPへ") ||
            !strcmp(t, "Back to Top"))
            continue;
        if (t == ln) {
            for (size_t k = 0; k < sizeof agencies / sizeof *agencies; k++)
                if (starts(t, agencies[k])) {
                    t += strlen(agencies[k]);
                    break;
                }
        }
        if (starts(t, "• "))
            t += strlen("• ");
        else if (starts(t, "▼ "))
            t += strlen("▼ ");
        else if (t[0] >= '0' && t[0] <= '9' && t[1] == '.' && t[2] == ' ')
            t += 3;
        add_dense(&want, t, strlen(t));
    }
    xmlDocPtr doc = valid_doc(xml_of(&r));
    xmlXPathContextPtr ctx = xmlXPathNewContext(doc);
    xmlXPathObjectPtr o = xmlXPathEvalExpression((const xmlChar *)"//article", ctx);
    assert_non_null(o->nodesetval);
    assert_int_equal(o->nodesetval->nodeNr, 5);
    for (int i = 0; i < o->nodesetval->nodeNr; i++) {
        xmlChar *c = xmlNodeGetContent(o->nodesetval->nodeTab[i]);
        add_dense(&got, (const char *)c, strlen((const char *)c));
        xmlFree(c);
    }
    assert_true(want.len > 1000);
    assert_string_equal(got.data, want.data);
    xmlXPathFreeObject(o);
    xmlXPathFreeContext(ctx);
    xmlFreeDoc(doc);
    dp_buf_dispose(&want);
    dp_buf_dispose(&got);
    run_dispose(&r);
}

static void test_text_import_deterministic(void **state)
{
    run a, b;
    run_file(&a, FIX("basic.txt"), 1);
    run_file(&b, FIX("basic.txt"), 1);
    assert_int_equal(a.out.len, b.out.len);
    assert_memory_equal(a.out.data, b.out.data, a.out.len);
    assert_int_equal(a.d.count, b.d.count);
    run_dispose(&a);
    run_dispose(&b);
}

/* Indentation only where it is not mixed content: no whitespace-only text
 * in any item, title or paragraph. */
static void test_text_import_no_whitespace_in_mixed_content(void **state)
{
    run r;
    run_file(&r, FIX("basic.txt"), 0);
    xmlDocPtr doc = valid_doc(xml_of(&r));
    assert_int_equal((int)xpn(doc, "count((//item|//p|//title|//heading)"
                                   "/text()[normalize-space(.)=''])"), 0);
    xmlFreeDoc(doc);
    run_dispose(&r);
}

/* ---- encodings ---- */

static void assert_same_as_utf8(const char *path, const char *enc_name)
{
    run u, x;
    run_file(&u, FIX("legacy.txt"), 0);
    run_file(&x, path, 1);
    assert_int_equal(u.status, DP_OK);
    assert_int_equal(x.status, DP_OK);
    assert_true(dp_utf8_check(x.in.data, x.in.len) < x.in.len);
    assert_string_equal(xml_of(&x), xml_of(&u));
    assert_diag(&x, DP_DIAG_NOTE, 0, enc_name);
    xmlDocPtr doc = valid_doc(xml_of(&x));
    assert_int_equal((int)xpn(doc, "count(//article)"), 2);
    assert_xp(doc, "string(//article[1]/list/item[2]/list/item[2]/list/item)",
              "ヘルメットの着用をお願いします。");
    xmlFreeDoc(doc);
    run_dispose(&u);
    run_dispose(&x);
}

static void test_text_import_shift_jis(void **state)
{
    assert_same_as_utf8(FIX("legacy-sjis.txt"), "Shift_JIS");
}

static void test_text_import_euc_jp(void **state)
{
    assert_same_as_utf8(FIX("legacy-eucjp.txt"), "EUC-JP");
}

static void test_text_import_legacy_bullet_and_halfwidth_kana(void **state)
{
    run r;
    run_file(&r, FIX("legacy.txt"), 0);
    assert_int_equal(count_sev(&r.d, DP_DIAG_WARNING), 0);
    assert_non_null(strstr(xml_of(&r), "<item>ｶﾀｶﾅ(半角)の表記"));
    run_dispose(&r);
}

static void test_text_import_bom_crlf(void **state)
{
    run a, b;
    run_file(&a, FIX("basic.txt"), 0);
    run_file(&b, FIX("bom-crlf.txt"), 0);
    assert_int_equal(b.status, DP_OK);
    assert_memory_equal(b.in.data, "\xEF\xBB\xBF", 3);
    assert_non_null(strstr(b.in.data, "\r\n"));
    assert_string_equal(xml_of(&b), xml_of(&a));
    assert_null(strchr(xml_of(&b), '\r'));
    run_dispose(&a);
    run_dispose(&b);
}

/* ---- errors: status, message with line, output untouched ---- */

static void assert_input_error(run *r, long line, const char *text)
{
    assert_int_equal(r->status, DP_EINPUT);
    assert_unchanged(r);
    assert_true(r->d.errors >= 1);
    assert_diag(r, DP_DIAG_ERROR, line, text);
    for (size_t i = 0; i < r->d.count; i++)
        if (r->d.items[i].severity == DP_DIAG_ERROR)
            assert_non_null(r->d.items[i].file);
}

static void test_text_import_error_empty(void **state)
{
    run r;
    run_file(&r, FIX("empty.txt"), 0);
    assert_input_error(&r, 1, "empty");
    assert_string_equal(r.d.items[0].file, FIX("empty.txt"));
    run_dispose(&r);
    run_text(&r, "\n  \n\t\n", 0);
    assert_input_error(&r, 1, "empty");
    run_dispose(&r);
}

static void test_text_import_error_binary(void **state)
{
    run r;
    run_file(&r, FIX("binary.bin"), 0);
    assert_input_error(&r, 4, "binary");
    run_dispose(&r);
    run_text(&r, "たしかめ通信\n\x01\x02\x03\n", 0);
    assert_input_error(&r, 2, "control character");
    run_dispose(&r);
}

static void test_text_import_error_undecodable(void **state)
{
    run r;
    run_file(&r, FIX("undecodable.bin"), 0);
    assert_input_error(&r, 2, "not text in UTF-8, Shift_JIS or EUC-JP");
    run_dispose(&r);
    /* Shift_JIS with one bad byte far down: the line of that byte */
    dp_buf b;
    load(FIX("legacy-sjis.txt"), &b);
    size_t at = b.len - 20;
    while (b.data[at] != '\n')
        at--;
    b.data[at + 1] = (char)0xFF; /* start of the last line but one */
    long line = dp_utf8_line_of(b.data, at + 1);
    run_raw(&r, "bad-sjis.txt", b.data, b.len, 0);
    assert_input_error(&r, line, "undecodable byte 0xFF");
    run_dispose(&r);
    dp_buf_dispose(&b);
    run_text(&r, "たしかめ通信\n\xEF\xBF\xBF\n", 0);
    assert_input_error(&r, 2, "U+FFFF");
    run_dispose(&r);
}

/* A damaged byte inside a UTF-8 file is not taken for Shift_JIS. */
static void test_text_import_error_damaged_utf8(void **state)
{
    dp_buf b;
    load(FIX("basic.txt"), &b);
    char *p = strstr(b.data, "携帯ラジオ");
    assert_non_null(p);
    p[1] = (char)0xC0;
    long line = dp_utf8_line_of(b.data, (size_t)(p - b.data));
    run r;
    run_raw(&r, "damaged.txt", b.data, b.len, 0);
    assert_input_error(&r, line, "invalid UTF-8");
    run_dispose(&r);
    dp_buf_dispose(&b);
}

static void test_text_import_error_no_article(void **state)
{
    run r;
    run_file(&r, FIX("no-article.txt"), 0);
    assert_input_error(&r, 8, "no recognisable article");
    run_dispose(&r);
}

static void test_text_import_error_truncated(void **state)
{
    run r;
    /* contents but no body */
    run_file(&r, FIX("toc-only.txt"), 0);
    assert_input_error(&r, 11, "truncated");
    run_dispose(&r);
    /* ends right after a ~NEW~ marker */
    run_file(&r, FIX("truncated-marker.txt"), 0);
    assert_input_error(&r, 12, "truncated");
    run_dispose(&r);
    /* cut inside a UTF-8 character */
    dp_buf full;
    load(FIX("basic.txt"), &full);
    const char *cut = strstr(full.data, "冬季の停電");
    size_t at = (size_t)(cut - full.data) + 1; /* inside 冬 */
    long line = dp_utf8_line_of(full.data, at);
    run_raw(&r, "cut.txt", full.data, at, 0);
    assert_input_error(&r, line, "truncated");
    run_dispose(&r);
    dp_buf_dispose(&full);
}

static void test_text_import_error_header(void **state)
{
    run r;
    run_file(&r, FIX("no-date.txt"), 0);
    assert_input_error(&r, 5, "no publication date");
    run_dispose(&r);
    run_text(&r, "2026.06.01\n\n~NEW~\n架空庁 題名\n  • 本文\n", 0);
    assert_input_error(&r, 3, "no digest title");
    run_dispose(&r);
}

static void test_text_import_updated_only_date(void **state)
{
    run r;
    run_file(&r, FIX("only-updated.txt"), 0);
    assert_int_equal(r.status, DP_OK);
    assert_diag(&r, DP_DIAG_WARNING, 0, "no publication date");
    xmlDocPtr doc = valid_doc(xml_of(&r));
    assert_xp(doc, "string(//published)", "2026-06-02");
    xmlFreeDoc(doc);
    run_dispose(&r);
}

/* ---- caps and speed ---- */

static void test_text_import_size_limit(void **state)
{
    run r;
    static const char small[] = "たしかめ通信\n";
    /* only the length is looked at before rejecting */
    run_raw(&r, "huge.txt", small, DP_MAX_INPUT_BYTES + 1, 0);
    assert_int_equal(r.status, DP_ELIMIT);
    assert_unchanged(&r);
    assert_int_equal(r.d.errors, 1);
    run_dispose(&r);
}

/* The caller's buffer cap holds: DP_ELIMIT, and nothing half-written. */
static void test_text_import_output_limit(void **state)
{
    run r;
    load(FIX("basic.txt"), &r.in);
    dp_buf_init(&r.out);
    dp_diags_init(&r.d);
    r.out.max = 1000;
    assert_int_equal(dp_buf_adds(&r.out, SENTINEL), DP_OK);
    r.status = dp_text_import(&r.d, "basic.txt", r.in.data, r.in.len, 0, &r.out,
                              NULL);
    assert_int_equal(r.status, DP_ELIMIT);
    assert_unchanged(&r);
    assert_diag(&r, DP_DIAG_ERROR, 0, "over the size limit");
    run_dispose(&r);
}

static void test_text_import_depth_flattened(void **state)
{
    dp_buf t;
    dp_buf_init(&t);
    assert_int_equal(dp_buf_adds(&t, "深さの検証\n\n【深い入れ子】架空庁\n\n2026.07.01\n\n"
                                     "~NEW~\n架空庁 深い入れ子の記事\n"), DP_OK);
    long first_line = 9;
    for (int k = 1; k <= 70; k++) {
        for (int s = 0; s < 2 * k; s++)
            assert_int_equal(dp_buf_addc(&t, ' '), DP_OK);
        assert_int_equal(dp_buf_printf(&t, "• 第%d階層 https://example.jp/%d\n", k, k),
                         DP_OK);
    }
    run r;
    run_raw(&r, "deep.txt", t.data, t.len, 0);
    assert_int_equal(r.status, DP_OK);
    /* levels up to 29 are kept; the first deeper line is flattened */
    assert_diag(&r, DP_DIAG_WARNING, first_line + 29, "flattened");
    assert_false(has_diag(&r.d, DP_DIAG_WARNING, first_line + 28, "flattened"));
    xmlDocPtr doc = valid_doc(xml_of(&r));
    assert_true(max_depth(xmlDocGetRootElement(doc), 1) <= DP_MAX_DEPTH);
    assert_int_equal((int)xpn(doc, "count(//item)"), 70);
    xmlFreeDoc(doc);
    run_dispose(&r);
    dp_buf_dispose(&t);
}

static double now_ms(void)
{
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return ts.tv_sec * 1e3 + ts.tv_nsec / 1e6;
}

/* Large inputs import completely. Their times are printed for a look;
 * the speed goals live in bench/ (bench/run.sh --import), not in tests
 * that a busy machine could fail. */
static double time_copies(const dp_buf *basic, int copies, size_t *bytes)
{
    const char *body = strstr(basic->data, "\n~NEW~\n");
    const char *end = strstr(basic->data, "\nページTOPへ");
    dp_buf t;
    dp_buf_init(&t);
    assert_int_equal(dp_buf_add(&t, basic->data, (size_t)(end - basic->data)), DP_OK);
    for (int i = 1; i < copies; i++)
        assert_int_equal(dp_buf_add(&t, body, (size_t)(end - body)), DP_OK);
    assert_int_equal(dp_buf_adds(&t, end), DP_OK);
    *bytes = t.len;
    run r;
    double best = 1e9;
    for (int rep = 0; rep < 3; rep++) {
        double t0 = now_ms();
        run_raw(&r, "big.txt", t.data, t.len, 0);
        double dt = now_ms() - t0;
        assert_int_equal(r.status, DP_OK);
        run_dispose(&r);
        if (dt < best)
            best = dt;
    }
    dp_buf_dispose(&t);
    return best;
}

static void test_text_import_large_inputs(void **state)
{
    dp_buf basic;
    load(FIX("basic.txt"), &basic);
    size_t small_bytes, big_bytes;
    double small = time_copies(&basic, 55, &small_bytes);
    double big = time_copies(&basic, 55 * 30, &big_bytes);
    print_message("%zu bytes: %.2f ms; %zu bytes: %.2f ms\n", small_bytes,
                  small, big_bytes, big);
    assert_true(small_bytes > 140000);
    assert_true(big_bytes > 30 * 140000);
    dp_buf_dispose(&basic);
}

/* Thousands of articles sharing one title, each listed in the contents:
 * matching stays linear (no walk along the duplicates per article). */
static void test_text_import_repeated_titles_linear(void **state)
{
    enum { N = 20000 };
    dp_buf t;
    dp_buf_init(&t);
    assert_int_equal(dp_buf_adds(&t, "繰り返し通信\n\n【同じ題名の号】架空庁\n\n"
                                     "2026.08.01\n\n【もくじ】\n\n架空庁\n"), DP_OK);
    for (int i = 0; i < N; i++)
        assert_int_equal(dp_buf_adds(&t, "  • 架空庁 同じ題名のお知らせ\n"), DP_OK);
    assert_int_equal(dp_buf_adds(&t, "\n"), DP_OK);
    for (int i = 0; i < N; i++)
        assert_int_equal(dp_buf_printf(&t, "~NEW~\n架空庁 同じ題名のお知らせ\n  • 本文%d\n\n", i),
                         DP_OK);
    run r;
    double t0 = now_ms();
    run_raw(&r, "repeat.txt", t.data, t.len, 0);
    double dt = now_ms() - t0;
    print_message("%d repeated articles: %.2f ms\n", N, dt);
    assert_int_equal(r.status, DP_OK);
    assert_int_equal(r.stats.articles, N);
    assert_int_equal(count_sev(&r.d, DP_DIAG_WARNING), 0);
    run_dispose(&r);
    dp_buf_dispose(&t);
}

static void test_text_import_repeated_article_and_marker(void **state)
{
    run r;
    run_text(&r, "重複通信\n\n【重複のある号】架空庁\n\n2026.09.02\n\n【もくじ】\n\n"
                 "架空庁\n  • 架空庁 一度だけ載る記事\n\n"
                 "~NEW~\n~NEW~\n架空庁 一度だけ載る記事\n  • 一回目。\n\n"
                 "~NEW~\n架空庁 一度だけ載る記事\n  • 二回目。\n", 0);
    assert_int_equal(r.status, DP_OK);
    assert_diag(&r, DP_DIAG_WARNING, 12, "without a heading");
    assert_diag(&r, DP_DIAG_WARNING, 18, "appears again (contents line 10)");
    /* nothing else: the repeat is not also "not listed" or "differs" */
    assert_int_equal(count_sev(&r.d, DP_DIAG_WARNING), 2);
    xmlDocPtr doc = valid_doc(xml_of(&r));
    assert_int_equal((int)xpn(doc, "count(//article)"), 2);
    xmlFreeDoc(doc);
    run_dispose(&r);
    /* a marker followed by the page end: cut off */
    run_text(&r, "切断通信\n\n【切れた号】架空庁\n\n2026.09.03\n\n"
                 "~NEW~\n架空庁 一つ目\n  • 本文。\n\n~NEW~\n\nページTOPへ\n", 0);
    assert_input_error(&r, 11, "truncated");
    run_dispose(&r);
}

/* The remaining guesses of the header, the contents and the headings. */
static void test_text_import_header_toc_heading_guesses(void **state)
{
    run r;
    run_text(&r, "【見出しだけの号】架空庁\n\n2026.10.01\n\n【もくじ】\n"
                 "  • 架空庁 節の前の記事\n"
                 "みずほ町\n  • みずほ町 町の記事\n"
                 "架空庁\n  • 架空庁 通常の記事\n  • みずほ町 まぎれた記事\n\n"
                 "~NEW~\n  架空庁 通常の記事\n  • 本文。\n    ▼ 字下げされた小見出し\n\n"
                 "~NEW~\n題名だけの見出し\n  • 本文。\n", 0);
    assert_int_equal(r.status, DP_OK);
    assert_diag(&r, DP_DIAG_WARNING, 1, "only one header line");
    assert_diag(&r, DP_DIAG_WARNING, 6, "before any section name");
    assert_diag(&r, DP_DIAG_WARNING, 11, "names \"みずほ町\"");
    assert_diag(&r, DP_DIAG_WARNING, 14, "indented article heading");
    assert_diag(&r, DP_DIAG_WARNING, 16, "indented ▼ sub-heading");
    assert_diag(&r, DP_DIAG_WARNING, 19, "kept in section \"架空庁\"");
    xmlDocPtr doc = valid_doc(xml_of(&r));
    assert_int_equal((int)xpn(doc, "count(/digest/meta/series)"), 0);
    assert_xp(doc, "string(/digest/meta/title)", "【見出しだけの号】架空庁");
    assert_xp(doc, "string(//article[1]/heading)", "字下げされた小見出し");
    assert_xp(doc, "string(//section/article[2]/title)", "題名だけの見出し");
    xmlFreeDoc(doc);
    run_dispose(&r);

    run_text(&r, "見出し通信\n\n【機関名のない号】\n\n2026.10.02\n\n"
                 "~NEW~\n機関名のない見出し\n  • 本文。\n", 0);
    assert_int_equal(r.status, DP_OK);
    assert_diag(&r, DP_DIAG_WARNING, 8, "used as its own section");
    doc = valid_doc(xml_of(&r));
    assert_xp(doc, "string(//section/@name)", "機関名のない見出し");
    xmlFreeDoc(doc);
    run_dispose(&r);

    /* a heading that is only the agency */
    run_text(&r, "題名なし通信\n\n【題名のない号】架空庁\n\n2026.10.04\n\n【もくじ】\n\n"
                 "架空庁\n  • 架空庁 ある記事\n\n~NEW~\n架空庁 ある記事\n  • 本文。\n\n"
                 "~NEW~\n架空庁\n  • 題名のない記事の本文。\n", 0);
    assert_int_equal(r.status, DP_OK);
    assert_diag(&r, DP_DIAG_WARNING, 17, "empty title");
    doc = valid_doc(xml_of(&r));
    assert_xp(doc, "string(//article[2]/title)", "");
    assert_xp(doc, "string(//article[2]/list/item)", "題名のない記事の本文。");
    xmlFreeDoc(doc);
    run_dispose(&r);

    /* the marker and the heading on one line */
    run_text(&r, "一行通信\n\n【一行の見出しの号】架空庁\n\n2026.10.05\n\n【もくじ】\n\n"
                 "架空庁\n  • 架空庁 一行の見出し\n\n~NEW~ 架空庁 一行の見出し\n  • 本文。\n", 0);
    assert_int_equal(r.status, DP_OK);
    assert_int_equal(count_sev(&r.d, DP_DIAG_WARNING), 0);
    doc = valid_doc(xml_of(&r));
    assert_xp(doc, "string(//article[@new='true']/title)", "一行の見出し");
    xmlFreeDoc(doc);
    run_dispose(&r);

    /* an extra header line before the date: kept in the summary */
    run_text(&r, "追加行通信\n\n【追加行のある号】架空庁\n副題のような一行\n2026.10.03\n\n"
                 "~NEW~\n架空庁 記事\n  • 本文。\n", 0);
    assert_int_equal(r.status, DP_OK);
    assert_diag(&r, DP_DIAG_WARNING, 4, "summary");
    doc = valid_doc(xml_of(&r));
    assert_xp(doc, "string(//summary)", "副題のような一行");
    assert_xp(doc, "string(//published)", "2026-10-03");
    xmlFreeDoc(doc);
    run_dispose(&r);
}

static void test_text_import_indented_header_date(void **state)
{
    run r;
    run_text(&r, "字下げ通信\n\n【日付が字下げされた号】架空庁\n\n  2026.09.01\n\n"
                 "~NEW~\n架空庁 お知らせ\n  • 本文です。\n", 0);
    assert_int_equal(r.status, DP_OK);
    xmlDocPtr doc = valid_doc(xml_of(&r));
    assert_xp(doc, "string(//published)", "2026-09-01");
    xmlFreeDoc(doc);
    run_dispose(&r);
}

/* Old archives end lines with CR alone: they import exactly like the
 * same file with LF or CR LF line ends. */
static void test_text_import_cr_only_lines(void **state)
{
    (void)state;
    run lf, cr, crlf;
    run_file(&lf, FIX("basic.txt"), 0);
    assert_int_equal(lf.status, DP_OK);
    dp_buf a, b;
    dp_buf_init(&a);
    dp_buf_init(&b);
    for (size_t i = 0; i < lf.in.len; i++) {
        char c = lf.in.data[i];
        assert_int_equal(dp_buf_addc(&a, c == '\n' ? '\r' : c), DP_OK);
        if (c == '\n')
            assert_int_equal(dp_buf_addc(&b, '\r'), DP_OK);
        assert_int_equal(dp_buf_addc(&b, c), DP_OK);
    }
    run_raw(&cr, FIX("basic.txt"), a.data, a.len, 0);
    run_raw(&crlf, FIX("basic.txt"), b.data, b.len, 0);
    assert_int_equal(cr.status, DP_OK);
    assert_int_equal(crlf.status, DP_OK);
    assert_int_equal(cr.out.len, lf.out.len);
    assert_memory_equal(cr.out.data, lf.out.data, lf.out.len);
    assert_int_equal(crlf.out.len, lf.out.len);
    assert_memory_equal(crlf.out.data, lf.out.data, lf.out.len);
    assert_int_equal(cr.stats.articles, lf.stats.articles);
    dp_buf_dispose(&a);
    dp_buf_dispose(&b);
    run_dispose(&lf);
    run_dispose(&cr);
    run_dispose(&crlf);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_text_import_header_meta),
        cmocka_unit_test(test_text_import_chrome_dropped_with_notes),
        cmocka_unit_test(test_text_import_sections_and_titles),
        cmocka_unit_test(test_text_import_heading_without_marker_via_toc),
        cmocka_unit_test(test_text_import_longest_agency_prefix),
        cmocka_unit_test(test_text_import_toc_missing_in_body),
        cmocka_unit_test(test_text_import_toc_not_listed),
        cmocka_unit_test(test_text_import_toc_title_differs_names_both_lines),
        cmocka_unit_test(test_text_import_new_count_mismatch),
        cmocka_unit_test(test_text_import_nested_lists),
        cmocka_unit_test(test_text_import_decimal_start_and_sibling_lists),
        cmocka_unit_test(test_text_import_subheadings),
        cmocka_unit_test(test_text_import_continuation_joins),
        cmocka_unit_test(test_text_import_continuation_after_list_and_blank),
        cmocka_unit_test(test_text_import_irregular_indentation),
        cmocka_unit_test(test_text_import_particle_split_item),
        cmocka_unit_test(test_text_import_unknown_lines_become_paragraphs),
        cmocka_unit_test(test_text_import_heading_by_agency_without_toc),
        cmocka_unit_test(test_text_import_escaping_urls),
        cmocka_unit_test(test_text_import_url_edges),
        cmocka_unit_test(test_text_import_width_nonbmp_latin_untouched),
        cmocka_unit_test(test_text_import_fidelity),
        cmocka_unit_test(test_text_import_deterministic),
        cmocka_unit_test(test_text_import_no_whitespace_in_mixed_content),
        cmocka_unit_test(test_text_import_shift_jis),
        cmocka_unit_test(test_text_import_euc_jp),
        cmocka_unit_test(test_text_import_legacy_bullet_and_halfwidth_kana),
        cmocka_unit_test(test_text_import_bom_crlf),
        cmocka_unit_test(test_text_import_error_empty),
        cmocka_unit_test(test_text_import_error_binary),
        cmocka_unit_test(test_text_import_error_undecodable),
        cmocka_unit_test(test_text_import_error_damaged_utf8),
        cmocka_unit_test(test_text_import_error_no_article),
        cmocka_unit_test(test_text_import_error_truncated),
        cmocka_unit_test(test_text_import_error_header),
        cmocka_unit_test(test_text_import_updated_only_date),
        cmocka_unit_test(test_text_import_size_limit),
        cmocka_unit_test(test_text_import_output_limit),
        cmocka_unit_test(test_text_import_depth_flattened),
        cmocka_unit_test(test_text_import_large_inputs),
        cmocka_unit_test(test_text_import_repeated_titles_linear),
        cmocka_unit_test(test_text_import_indented_header_date),
        cmocka_unit_test(test_text_import_header_toc_heading_guesses),
        cmocka_unit_test(test_text_import_repeated_article_and_marker),
        cmocka_unit_test(test_text_import_cr_only_lines),
    };
    return cmocka_run_group_tests(tests, setup_schema, teardown_schema);
}
