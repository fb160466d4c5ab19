/*
 * Font values of a style: a file path (FILE#N for face N of a
 * collection) or a fontconfig pattern naming an installed family, with
 * optional properties ("Noto Serif CJK JP", "Noto Sans CJK JP:bold",
 * "IPAexMincho"). Patterns are resolved here, when the style is read, to
 * the FILE#N of the face fontconfig picks, so that the font stage only
 * ever sees files. fontconfig's configuration and cache are loaded once
 * per process, on first use.
 */
#ifndef DP_STYLE_FONTNAME_H
#define DP_STYLE_FONTNAME_H

#include <stddef.h>

/* Whether value is a file path rather than a pattern: it has a '/' or
 * ends (before an optional #N) in .ttf, .otf, .ttc or .otc. */
int dp_fontname_is_path(const char *value);

/*
 * Resolves pattern into out (cap bytes): the face's file, with "#N"
 * when it is face N > 0 of a collection. NULL on success; else a message
 * saying why (a family fontconfig does not have, with the closest
 * installed family names; a weight or slant the family lacks; a
 * variable font's named instance), valid until the next call on this
 * thread. fontconfig's substitution of another family is refused: one
 * of the matched face's family names must be the one asked for.
 */
const char *dp_fontname_resolve(const char *pattern, char *out, size_t cap);

#endif
