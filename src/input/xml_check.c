/*
 * Digest XML checks before the model is built, each with the line it
 * found: our own byte checks (UTF-8, NUL, DOCTYPE), libxml2's errors
 * rephrased in the digest's terms, required elements, and the RELAX NG
 * grammar compiled into the program (once per process when preloaded).
 */
#include "xml_reader.h"

#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <libxml/relaxng.h>
#include <libxml/xmlerror.h>

#include "base/status.h"
#include "base/utf8.h"
#include "xml_read.h"

extern const unsigned char dp_digest_rng[];
extern const size_t dp_digest_rng_len;

/* True when a and b differ by one edit or one swap of neighbours. */
static int near_miss(const char *a, const char *b)
{
    size_t la = strlen(a), lb = strlen(b);
    if (strcmp(a, b) == 0 || (la > lb ? la - lb : lb - la) > 1)
        return 0;
    size_t i = 0;
    while (i < la && i < lb && a[i] == b[i])
        i++;
    if (la == lb)
        return strcmp(a + i + 1, b + i + 1) == 0 ||
               (i + 1 < la && a[i] == b[i + 1] && a[i + 1] == b[i] &&
                strcmp(a + i + 2, b + i + 2) == 0);
    return la > lb ? strcmp(a + i + 1, b + i) == 0 : strcmp(a + i, b + i + 1) == 0;
}

void dp_xml_on_error(void *ud, xmlErrorPtr err)
{
    reader *r = ud;
    if (!err || err->level == XML_ERR_NONE || err->level == XML_ERR_WARNING)
        return;
    /* libxml2 ran out of memory: not the input's fault (DP_ENOMEM) */
    if (err->code == XML_ERR_NO_MEMORY)
        r->oom = 1;
    /* The first error is the one to fix; what follows it is mostly the
     * parser or validator losing its way. */
    if (r->failed)
        return;
    char msg[512];
    snprintf(msg, sizeof msg, "%s", err->message ? err->message : "XML error");
    size_t n = strlen(msg);
    while (n && (msg[n - 1] == '\n' || msg[n - 1] == ' '))
        msg[--n] = '\0';
    /* Say what is wrong in the digest's own terms, with a hint for a
     * misspelt element name. */
    char bad[64];
    static const char deep[] = "Excessive depth in document: ";
    if (strncmp(msg, deep, sizeof deep - 1) == 0) {
        /* libxml2's own cap, met before ours on absurd nesting; its text
         * names a parser option the user cannot set */
        long levels = strtol(msg + sizeof deep - 1, NULL, 10);
        snprintf(msg, sizeof msg, "nesting depth over %ld levels", levels);
    } else if (sscanf(msg, "Did not expect element %63s there", bad) == 1) {
        static const char *const known[] = {
            "digest", "meta", "series", "title", "subtitle", "published",
            "updated", "publisher", "summary", "section", "article", "p",
            "heading", "list", "item", "quote", "table", "row", "cell",
            "figure", "caption", "em", "strong", "a", "br", "ruby", "rt", "span"};
        const char *best = NULL;
        for (size_t i = 0; i < sizeof known / sizeof *known; i++)
            if (near_miss(bad, known[i]))
                best = known[i];
        if (best)
            snprintf(msg, sizeof msg,
                     "element \"%s\" is not allowed here; did you mean \"%s\"?",
                     bad, best);
        else
            snprintf(msg, sizeof msg, "element \"%s\" is not allowed here", bad);
    }
    long line = err->line;
    if (line <= 0 && err->node)
        line = xmlGetLineNo((xmlNodePtr)err->node);
    dp_error(r->d, r->file, line > 0 ? line : 0, "%s", msg);
    r->failed = 1;
}

/* Byte-level checks that give clearer messages than the parser would, and
 * refuse DTDs outright: digests need none, and without them no entity
 * (external or recursive) can exist. */
dp_status dp_xml_precheck(reader *r, const char *data, size_t len)
{
    if (len == 0) {
        dp_error(r->d, r->file, 0, "the file is empty");
        return DP_EINPUT;
    }
    const char *nul = memchr(data, '\0', len);
    if (nul) {
        dp_error(r->d, r->file, dp_utf8_line_of(data, (size_t)(nul - data)),
                 "NUL byte in input: not a text file");
        return DP_EINPUT;
    }
    size_t bad = dp_utf8_check(data, len);
    if (bad < len) {
        dp_error(r->d, r->file, dp_utf8_line_of(data, bad),
                 "invalid UTF-8 byte sequence (byte 0x%02X at offset %zu)",
                 (unsigned char)data[bad], bad);
        return DP_EINPUT;
    }
    for (const char *p = data; (p = memchr(p, '<', len - (size_t)(p - data)));
         p++) {
        if ((size_t)(data + len - p) >= 9 && memcmp(p, "<!DOCTYPE", 9) == 0) {
            dp_error(r->d, r->file, dp_utf8_line_of(data, (size_t)(p - data)),
                     "DOCTYPE declarations are not allowed (DTDs and entities "
                     "are disabled for safety)");
            return DP_EINPUT;
        }
    }
    return DP_OK;
}

static xmlNodePtr first_element(xmlNodePtr n)
{
    for (n = n ? n->children : NULL; n; n = n->next)
        if (n->type == XML_ELEMENT_NODE)
            return n;
    return NULL;
}

static int has_child(xmlNodePtr n, const char *name)
{
    for (n = n->children; n; n = n->next)
        if (n->type == XML_ELEMENT_NODE && strcmp((const char *)n->name, name) == 0)
            return 1;
    return 0;
}

/* Required elements, checked before the grammar so that the message
 * names what is missing rather than what the validator met instead. */
static int check_required(reader *r, xmlNodePtr root)
{
    if (!root || strcmp((const char *)root->name, "digest") != 0)
        return 0; /* the grammar reports a wrong root */
    for (xmlNodePtr n = root->children; n; n = n->next) {
        if (n->type != XML_ELEMENT_NODE)
            continue;
        if (strcmp((const char *)n->name, "meta") == 0) {
            static const char *const req[] = {"title", "published"};
            for (int i = 0; i < 2; i++)
                if (!has_child(n, req[i])) {
                    dp_error(r->d, r->file, xmlGetLineNo(n),
                             "<meta> has no <%s> (required)", req[i]);
                    return -1;
                }
        } else if (strcmp((const char *)n->name, "section") == 0) {
            for (xmlNodePtr a = n->children; a; a = a->next) {
                if (a->type != XML_ELEMENT_NODE || strcmp((const char *)a->name, "article") != 0)
                    continue;
                xmlNodePtr t = first_element(a);
                if (!t || strcmp((const char *)t->name, "title") != 0) {
                    dp_error(r->d, r->file, xmlGetLineNo(t ? t : a),
                             "<article> has no <title> (required as its first element)");
                    return -1;
                }
            }
        }
    }
    return 0;
}

/* The grammar compiled once by dp_xml_grammar_preload (a batch does so
 * before it forks its workers); NULL: each validation compiles its own. */
static xmlRelaxNGPtr preloaded;

dp_status dp_xml_validate(reader *r, xmlDocPtr xdoc)
{
    if (check_required(r, xmlDocGetRootElement(xdoc)) < 0)
        return DP_EINPUT;

    dp_status status = DP_OK;
    xmlRelaxNGParserCtxtPtr pctx = NULL;
    xmlRelaxNGPtr schema = preloaded;
    if (!schema) {
        pctx = xmlRelaxNGNewMemParserCtxt((const char *)dp_digest_rng,
                                          (int)dp_digest_rng_len);
        schema = pctx ? xmlRelaxNGParse(pctx) : NULL;
    }
    xmlRelaxNGValidCtxtPtr vctx = schema ? xmlRelaxNGNewValidCtxt(schema) : NULL;
    if (!vctx) {
        /* the grammar is compiled in and loads whenever memory allows */
        status = DP_ENOMEM;
        goto done;
    }
    xmlRelaxNGSetValidStructuredErrors(vctx, dp_xml_on_error, r);
    if (xmlRelaxNGValidateDoc(vctx, xdoc) != 0) {
        if (r->oom) {
            status = DP_ENOMEM;
            goto done;
        }
        if (!r->failed)
            dp_error(r->d, r->file, 0, "the document does not match the digest grammar");
        status = DP_EINPUT;
    }
done:
    xmlRelaxNGFreeValidCtxt(vctx);
    if (schema != preloaded)
        xmlRelaxNGFree(schema);
    xmlRelaxNGFreeParserCtxt(pctx);
    return status;
}

dp_status dp_xml_grammar_preload(void)
{
    if (preloaded)
        return DP_OK;
    xmlRelaxNGParserCtxtPtr pctx = xmlRelaxNGNewMemParserCtxt(
        (const char *)dp_digest_rng, (int)dp_digest_rng_len);
    preloaded = pctx ? xmlRelaxNGParse(pctx) : NULL;
    xmlRelaxNGFreeParserCtxt(pctx);
    return preloaded ? DP_OK : DP_ENOMEM;
}

void dp_xml_grammar_release(void)
{
    xmlRelaxNGFree(preloaded);
    preloaded = NULL;
}
