/* Bare URL detection shared by the importer and the layout. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <string.h>

#include <cmocka.h>

#include "base/url.h"

static size_t len_of(const char *s)
{
    return dp_url_length(s, strlen(s));
}

static void test_url_ends(void **state)
{
    (void)state;
    assert_int_equal(len_of("https://example.org/a?b=c&d=e#f rest"), 31);
    assert_int_equal(len_of("http://example.org/path."), 23);
    assert_int_equal(len_of("https://example.org/x, と"), 21);
    /* a parenthesis the URL opened is its own, one it did not is not */
    assert_int_equal(len_of("https://en.wikipedia.org/wiki/A_(b))"), 35);
    assert_int_equal(len_of("https://example.org/x)"), 21);
    /* Japanese text ends a URL; so do < > " and a stray % */
    assert_int_equal(len_of("https://example.org/検索"), 20);
    assert_int_equal(len_of("https://example.org/<b>"), 20);
    assert_int_equal(len_of("https://example.org/%E6%a"), 23);
    assert_int_equal(len_of("https://example.org/100%"), 23);
}

static void test_url_none(void **state)
{
    (void)state;
    assert_int_equal(len_of("https://"), 0);
    assert_int_equal(len_of("https://."), 0);
    assert_int_equal(len_of("ftp://example.org/"), 0);
    assert_int_equal(len_of("javascript:alert(1)"), 0);
    assert_int_equal(len_of("http:/example.org"), 0);
    assert_int_equal(dp_url_length("https://example.org", 7), 0);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_url_ends),
        cmocka_unit_test(test_url_none),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
