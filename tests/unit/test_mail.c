/* The distribution mail: addresses, the summary's escaping, header
 * encoding and folding, the attachment's name. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <string.h>

#include <cmocka.h>

#include "input/xml_read.h"
#include "mail/mail.h"

static dp_doc *read_doc(const char *xml)
{
    dp_diags d;
    dp_diags_init(&d);
    dp_doc *doc = NULL;
    assert_int_equal(dp_xml_read(&doc, &d, "t.xml", xml, strlen(xml)), DP_OK);
    dp_diags_dispose(&d);
    return doc;
}

static const char hostile[] =
    "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n"
    "<digest version=\"1\" xml:lang=\"ja\"><meta><title>&lt;script&gt;x*y_[z]</title>"
    "<published>2026-03-01</published></meta>\n"
    "<section name=\"A|B\"><article new=\"true\" href=\"javascript:alert(1)\">"
    "<title>&lt;b&gt;危険&lt;/b&gt;</title><p>x</p></article>"
    "<article new=\"true\" href=\"https://example.org/a b\"><title>t2</title><p>x</p></article>"
    "<article href=\"https://example.org/old\"><title>old</title><p>x</p></article>"
    "</section></digest>\n";

static void test_mail_addresses(void **state)
{
    (void)state;
    assert_true(dp_mail_address_ok("a@example.org"));
    assert_true(dp_mail_address_ok("first.last+tag@mail.example.org"));
    assert_true(dp_mail_address_ok("広報室 <koho@example.go.jp>"));
    assert_true(dp_mail_address_ok("\"Doe, Jane\" <j@example.org>"));
    assert_false(dp_mail_address_ok(""));
    assert_false(dp_mail_address_ok("not an address"));
    assert_false(dp_mail_address_ok("a@@example.org"));
    assert_false(dp_mail_address_ok(".a@example.org"));
    assert_false(dp_mail_address_ok("a..b@example.org"));
    assert_false(dp_mail_address_ok("a@example..org"));
    assert_false(dp_mail_address_ok("a@-example.org"));
    assert_false(dp_mail_address_ok("Doe, Jane <j@example.org>")); /* unquoted comma */
    assert_false(dp_mail_address_ok("a@example.org\r\nBcc: x@evil.example"));
    assert_false(dp_mail_address_ok("x <a@example.org> y"));
    assert_false(dp_mail_address_ok("x <a@example.org"));
}

static void test_mail_summary_escapes_and_links(void **state)
{
    (void)state;
    dp_doc *doc = read_doc(hostile);
    dp_buf b;
    dp_buf_init(&b);
    assert_int_equal(dp_mail_summary(&b, doc, DP_SUMMARY_HTML), DP_OK);
    assert_null(strstr(b.data, "<script>"));
    assert_non_null(strstr(b.data, "&lt;script&gt;"));
    assert_non_null(strstr(b.data, "&lt;b&gt;危険&lt;/b&gt;"));
    assert_null(strstr(b.data, "javascript:")); /* not a link, not shown */
    assert_null(strstr(b.data, "href=\"https://example.org/a b\"")); /* a space: no link */
    assert_null(strstr(b.data, ">old<"));      /* not new: not listed */
    dp_buf_reset(&b);
    assert_int_equal(dp_mail_summary(&b, doc, DP_SUMMARY_MARKDOWN), DP_OK);
    assert_non_null(strstr(b.data, "# \\<script\\>x\\*y\\_\\[z\\]"));
    assert_non_null(strstr(b.data, "| A\\|B | 3 | 2 |"));
    dp_buf_reset(&b);
    assert_int_equal(dp_mail_summary(&b, doc, DP_SUMMARY_TEXT), DP_OK);
    assert_non_null(strstr(b.data, "発行日: 2026年3月1日"));
    assert_non_null(strstr(b.data, "掲載記事: 3件（うち新着2件）"));
    assert_null(strstr(b.data, "javascript"));
    dp_buf_dispose(&b);
    dp_doc_free(doc);
}

static void test_mail_compose_headers(void **state)
{
    (void)state;
    dp_doc *doc = read_doc(hostile);
    const char *to[] = {"a@example.org", NULL};
    const unsigned char pdf[] = "%PDF-1.5 tiny";
    dp_mail_message m = {"広報室 <koho@example.go.jp>", to, NULL,
                         "件名がとても長い場合でも七十八文字を超えない行に折り返して符号化語に分けて書き出されること", 0,
                         pdf, sizeof pdf - 1, NULL};
    dp_buf b;
    dp_buf_init(&b);
    const char *why = NULL;
    assert_int_equal(dp_mail_compose(&b, doc, &m, &why), DP_OK);
    /* every line within 78 characters, every line ending in CRLF */
    size_t start = 0;
    for (size_t i = 0; i < b.len; i++) {
        if (b.data[i] == '\n') {
            assert_true(i > 0 && b.data[i - 1] == '\r');
            assert_true(i - 1 - start <= 78);
            start = i + 1;
        }
    }
    assert_non_null(strstr(b.data, "Subject: =?UTF-8?B?"));
    assert_non_null(strstr(b.data, "\r\n =?UTF-8?B?")); /* folded */
    assert_non_null(strstr(b.data, "Date: Thu, 01 Jan 1970 00:00:00 +0000\r\n"));
    assert_non_null(strstr(b.data, "@example.go.jp>\r\nMIME-Version: 1.0\r\n"));
    /* characters a file name cannot hold (< > * here) become "_" */
    assert_non_null(strstr(b.data, "filename*0*=UTF-8''_script_x_y_%5Bz%5D.pdf\r\n"));
    dp_buf_dispose(&b);

    /* a CR LF in an address is refused, never written */
    const char *bad[] = {"a@example.org\r\nBcc: x@evil.example", NULL};
    m.to = bad;
    dp_buf_init(&b);
    assert_int_equal(dp_mail_compose(&b, doc, &m, &why), DP_EINPUT);
    assert_ptr_equal(why, bad[0]);
    assert_int_equal(b.len, 0);
    dp_buf_dispose(&b);
    dp_doc_free(doc);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_mail_addresses),
        cmocka_unit_test(test_mail_summary_escapes_and_links),
        cmocka_unit_test(test_mail_compose_headers),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
