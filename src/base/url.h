/* Bare URLs in text: the one detector the importer (which writes them as
 * <a href>) and the layout (which links them in plain text) share, so
 * both agree on where a URL ends. */
#ifndef DP_BASE_URL_H
#define DP_BASE_URL_H

#include <stddef.h>

/*
 * Length of the http:// or https:// URL that starts at s[0..len), or 0
 * when none does (or nothing follows the scheme). The URL is made of the
 * characters RFC 3986 allows outside brackets; a '%' not followed by two
 * hex digits ends it (it would make an invalid URI); final sentence
 * punctuation (. , ; : ! ? ') and a closing parenthesis the URL did not
 * open belong to the text around it.
 */
size_t dp_url_length(const char *s, size_t len);

#endif
