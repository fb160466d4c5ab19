/* UTF-8 decoding, encoding and validation. */
#ifndef DP_BASE_UTF8_H
#define DP_BASE_UTF8_H

#include <stddef.h>
#include <stdint.h>

/*
 * Decodes one code point at s[0..len). Returns the number of bytes used
 * (1..4) and stores the code point in *cp; returns 0 for an invalid or
 * truncated sequence (overlong forms and surrogates are invalid).
 */
size_t dp_utf8_decode(const char *s, size_t len, uint32_t *cp);

/* Encodes cp into out (4 bytes room); returns the length, 0 if invalid. */
size_t dp_utf8_encode(uint32_t cp, char *out);

/* Returns the byte offset of the first invalid sequence, or len when the
 * whole buffer is valid UTF-8. */
size_t dp_utf8_check(const char *s, size_t len);

/* 1-based line number of byte offset off in s (counts '\n'). */
long dp_utf8_line_of(const char *s, size_t off);

#endif
