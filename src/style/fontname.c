#define _DEFAULT_SOURCE /* realpath, strncasecmp */
#include "fontname.h"

#include <ctype.h>
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include <fontconfig/fontconfig.h>

/*
 * Two fontconfig configurations. The system's whole configuration takes
 * some 12 ms to parse, most of it rules for substituting other families,
 * which digestpdf refuses anyway; the quick one names only the standard
 * font folders and their caches and loads in about 1 ms, once per
 * process (a batch loads it in the parent, before it forks its workers).
 * Families are looked up there first; one not found there is looked up
 * in the whole configuration (fonts in folders the user's configuration
 * adds), which also gives the closest names. That one is loaded for the
 * look-up and destroyed after it: fontconfig 2.14 loses track of a
 * little of its memory when a configuration parsed from the system's
 * files is kept to the end of the process.
 */
static const char quick_conf[] =
    "<?xml version=\"1.0\"?><fontconfig>"
    "<dir>/usr/share/fonts</dir><dir>/usr/local/share/fonts</dir>"
    "<dir prefix=\"xdg\">fonts</dir><dir>~/.fonts</dir>"
    "<cachedir>/var/cache/fontconfig</cachedir><cachedir prefix=\"xdg\">fontconfig</cachedir>"
    "<cachedir>~/.fontconfig</cachedir>"
    "</fontconfig>";
static pthread_once_t quick_once = PTHREAD_ONCE_INIT;
static FcConfig *quick;

static void load_quick(void)
{
    quick = FcConfigCreate();
    if (quick && (!FcConfigParseAndLoadFromMemory(quick, (const FcChar8 *)quick_conf, FcFalse) ||
                  !FcConfigBuildFonts(quick))) {
        FcConfigDestroy(quick);
        quick = NULL;
    }
}

static _Thread_local char message[1024];

int dp_fontname_is_path(const char *v)
{
    if (strchr(v, '/'))
        return 1;
    size_t n = strlen(v);
    const char *hash = strrchr(v, '#');
    if (hash && hash[1] && strspn(hash + 1, "0123456789") == strlen(hash + 1))
        n = (size_t)(hash - v);
    static const char *const ext[] = {".ttf", ".otf", ".ttc", ".otc"};
    for (size_t i = 0; i < sizeof ext / sizeof *ext; i++) {
        if (n >= 4 && strncasecmp(v + n - 4, ext[i], 4) == 0)
            return 1;
    }
    return 0;
}

/* A number property (fontconfig keeps weights as integers or doubles). */
static int get_number(FcPattern *p, const char *object, double *out)
{
    int i;
    if (FcPatternGetInteger(p, object, 0, &i) == FcResultMatch) {
        *out = i;
        return 1;
    }
    return FcPatternGetDouble(p, object, 0, out) == FcResultMatch;
}

/* Names compared as fontconfig does: case and blanks do not count. */
static void fold(const char *s, char *out, size_t cap)
{
    size_t o = 0;
    for (; *s && o + 1 < cap; s++) {
        if (*s != ' ')
            out[o++] = (char)tolower((unsigned char)*s);
    }
    out[o] = '\0';
}

/* Levenshtein distance, on at most 63 bytes of each. */
static int distance(const char *a, const char *b)
{
    int la = (int)strlen(a), lb = (int)strlen(b);
    if (la > 63)
        la = 63;
    if (lb > 63)
        lb = 63;
    int row[64];
    for (int j = 0; j <= lb; j++)
        row[j] = j;
    for (int i = 1; i <= la; i++) {
        int diag = row[0];
        row[0] = i;
        for (int j = 1; j <= lb; j++) {
            int up = row[j];
            int best = diag + (a[i - 1] != b[j - 1]);
            if (up + 1 < best)
                best = up + 1;
            if (row[j - 1] + 1 < best)
                best = row[j - 1] + 1;
            row[j] = best;
            diag = up;
        }
    }
    return row[lb];
}

/* Appends to message the three installed family names closest to want
 * (a name containing it, or contained in it, counts as close). */
static void closest_families(FcConfig *config, const char *want)
{
    enum { N = 3 };
    char best[N][128];
    int score[N];
    int nbest = 0;
    char fw[128];
    fold(want, fw, sizeof fw);
    FcPattern *all = FcPatternCreate();
    FcObjectSet *os = FcObjectSetBuild(FC_FAMILY, (char *)NULL);
    FcFontSet *set = all && os ? FcFontList(config, all, os) : NULL;
    for (int i = 0; set && i < set->nfont; i++) {
        FcChar8 *fam;
        for (int k = 0; FcPatternGetString(set->fonts[i], FC_FAMILY, k, &fam) == FcResultMatch;
             k++) {
            char ff[128];
            fold((const char *)fam, ff, sizeof ff);
            int d = distance(fw, ff);
            if (ff[0] && fw[0] && (strstr(ff, fw) || strstr(fw, ff)))
                d = d < 2 ? d : 2;
            int dup = 0;
            for (int b = 0; b < nbest && !dup; b++)
                dup = strcmp(best[b], (const char *)fam) == 0;
            if (dup)
                continue;
            int at = nbest < N ? nbest : N;
            while (at > 0 && score[at - 1] > d)
                at--;
            if (at >= N)
                continue;
            int last = nbest < N ? nbest : N - 1;
            for (int b = last; b > at; b--) {
                memcpy(best[b], best[b - 1], sizeof best[b]);
                score[b] = score[b - 1];
            }
            snprintf(best[at], sizeof best[at], "%s", (const char *)fam);
            score[at] = d;
            if (nbest < N)
                nbest++;
        }
    }
    if (set)
        FcFontSetDestroy(set);
    if (os)
        FcObjectSetDestroy(os);
    if (all)
        FcPatternDestroy(all);
    size_t len = strlen(message);
    for (int b = 0; b < nbest && len < sizeof message; b++) {
        snprintf(message + len, sizeof message - len, "%s\"%s\"", b ? ", " : "; closest installed: ",
                 best[b]);
        len = strlen(message);
    }
}

/* Appends the styles family has ("Regular, Bold") to message. */
static void family_styles(FcConfig *config, const char *family)
{
    FcPattern *p = FcPatternCreate();
    FcObjectSet *os = FcObjectSetBuild(FC_STYLE, (char *)NULL);
    FcFontSet *set = NULL;
    if (p && os && FcPatternAddString(p, FC_FAMILY, (const FcChar8 *)family))
        set = FcFontList(config, p, os);
    size_t len = strlen(message);
    for (int i = 0; set && i < set->nfont && len < sizeof message; i++) {
        FcChar8 *st;
        if (FcPatternGetString(set->fonts[i], FC_STYLE, 0, &st) == FcResultMatch) {
            snprintf(message + len, sizeof message - len, "%s%s", i ? ", " : "; it has: ",
                     (const char *)st);
            len = strlen(message);
        }
    }
    if (set)
        FcFontSetDestroy(set);
    if (os)
        FcObjectSetDestroy(os);
    if (p)
        FcPatternDestroy(p);
}

/* Resolves pattern with config: 0, or -1 with message set; *absent
 * when the family is not in config. */
static int resolve(FcConfig *config, const char *pattern, char *out, size_t cap, int *absent)
{
    int result = -1;
    FcPattern *want = NULL, *query = NULL, *match = NULL;
    *absent = 0;
    /* the family is everything before the first ':' (it may hold '-',
     * which fontconfig's own syntax would read as a size), the
     * properties after it are in fontconfig's syntax (":bold") */
    char name[256];
    const char *colon = strchr(pattern, ':');
    size_t flen = colon ? (size_t)(colon - pattern) : strlen(pattern);
    while (flen && pattern[flen - 1] == ' ')
        flen--;
    if (flen >= sizeof name)
        flen = 0;
    memcpy(name, pattern, flen);
    name[flen] = '\0';
    want = FcNameParse((const FcChar8 *)(colon ? colon : ""));
    FcChar8 *family = (FcChar8 *)name;
    if (want && flen)
        FcPatternDel(want, FC_FAMILY);
    if (!want || !flen || !FcPatternAddString(want, FC_FAMILY, family)) {
        snprintf(message, sizeof message,
                 "expected a font file path or a family name such as \"Noto Serif CJK JP\"");
        goto done;
    }
    query = FcPatternDuplicate(want);
    if (!query) {
        snprintf(message, sizeof message, "out of memory");
        goto done;
    }
    FcConfigSubstitute(config, query, FcMatchPattern);
    FcDefaultSubstitute(query);
    FcResult res;
    match = FcFontMatch(config, query, &res);
    int same = 0;
    FcChar8 *got;
    char fw[128], fg[128];
    fold((const char *)family, fw, sizeof fw);
    for (int k = 0; match && !same &&
                    FcPatternGetString(match, FC_FAMILY, k, &got) == FcResultMatch;
         k++) {
        fold((const char *)got, fg, sizeof fg);
        same = strcmp(fg, fw) == 0;
    }
    if (!same) {
        snprintf(message, sizeof message, "no installed font family \"%s\"",
                 (const char *)family);
        closest_families(config, (const char *)family);
        *absent = 1;
        goto done;
    }
    FcChar8 *file;
    int index = 0;
    FcBool variable = FcFalse;
    if (FcPatternGetString(match, FC_FILE, 0, &file) != FcResultMatch) {
        snprintf(message, sizeof message, "fontconfig gave no file for \"%s\"", pattern);
        goto done;
    }
    (void)FcPatternGetInteger(match, FC_INDEX, 0, &index);
    /* a weight, slant or width asked for and not there: fontconfig gives
     * the nearest face (marked to be emboldened or slanted by a
     * renderer), which is not what the style says; the face's own
     * properties are compared */
    static const char *const props[] = {FC_WEIGHT, FC_SLANT, FC_WIDTH};
    FcPattern *face = FcPatternBuild(NULL, FC_FILE, FcTypeString, file, FC_INDEX, FcTypeInteger,
                                     index, (char *)NULL);
    FcObjectSet *os = FcObjectSetBuild(FC_WEIGHT, FC_SLANT, FC_WIDTH, (char *)NULL);
    FcFontSet *own = face && os ? FcFontList(config, face, os) : NULL;
    int lacks = -1;
    for (size_t i = 0; own && own->nfont > 0 && lacks < 0 && i < sizeof props / sizeof *props;
         i++) {
        double a, b;
        if (get_number(want, props[i], &a) && get_number(own->fonts[0], props[i], &b) && a != b)
            lacks = (int)i;
    }
    if (own)
        FcFontSetDestroy(own);
    if (os)
        FcObjectSetDestroy(os);
    if (face)
        FcPatternDestroy(face);
    if (lacks >= 0) {
        snprintf(message, sizeof message, "font family \"%s\" has no face of the %s asked for",
                 (const char *)family, props[lacks]);
        family_styles(config, (const char *)family);
        goto done;
    }
    (void)FcPatternGetBool(match, FC_VARIABLE, 0, &variable);
    if (variable || index < 0 || index > 0xFFFF) {
        snprintf(message, sizeof message,
                 "\"%s\" is a variable font, which digestpdf cannot embed; name a static "
                 "instance", pattern);
        goto done;
    }
    /* the file itself, not a link to it (Debian's fonts-japanese-*.ttf
     * alternatives point at the IPAex files): what a font is called in
     * messages and dumps does not depend on which name fontconfig met
     * first */
    char *real = realpath((const char *)file, NULL);
    const char *path = real ? real : (const char *)file;
    int n = index > 0 ? snprintf(out, cap, "%s#%d", path, index) : snprintf(out, cap, "%s", path);
    free(real);
    if (n < 0 || (size_t)n >= cap) {
        snprintf(message, sizeof message, "path too long");
        goto done;
    }
    result = 0;
done:
    if (match)
        FcPatternDestroy(match);
    if (query)
        FcPatternDestroy(query);
    if (want)
        FcPatternDestroy(want);
    return result;
}

const char *dp_fontname_resolve(const char *pattern, char *out, size_t cap)
{
    int absent = 1;
    pthread_once(&quick_once, load_quick);
    if (quick && resolve(quick, pattern, out, cap, &absent) == 0)
        return NULL;
    if (!absent)
        return message;
    FcConfig *full = FcInitLoadConfigAndFonts();
    if (!full) {
        snprintf(message, sizeof message, "fontconfig could not load its configuration");
        return message;
    }
    int r = resolve(full, pattern, out, cap, &absent);
    FcConfigDestroy(full);
    return r == 0 ? NULL : message;
}
