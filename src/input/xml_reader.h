/*
 * What the two halves of digest XML reading share: the reader's state,
 * and the checks that run before the model is built (xml_check.c: byte
 * checks, libxml2's errors in the digest's own terms, required elements,
 * the RELAX NG grammar). Internal to src/input/.
 */
#ifndef DP_INPUT_XML_READER_H
#define DP_INPUT_XML_READER_H

#include <stddef.h>

#include <libxml/parser.h>

#include "base/diag.h"
#include "model/doc.h"

typedef struct reader {
    dp_doc *doc;
    dp_diags *d;
    const char *file;
    int failed; /* an error was reported while building */
    int oom;
    int v11; /* version="1.1": figure/@alt and <span> allowed */
} reader;

/* Byte-level checks (empty, NUL, UTF-8, DOCTYPE) with the line of the
 * first problem: DP_EINPUT, or DP_OK. */
dp_status dp_xml_precheck(reader *r, const char *data, size_t len);

/* libxml2's structured error handler; ud is the reader. Reports the first
 * error only, and notes libxml2's own out-of-memory in r->oom. */
void dp_xml_on_error(void *ud, xmlErrorPtr err);

/* Required elements, then the grammar (the preloaded one when there is
 * one). DP_EINPUT with the error reported, DP_ENOMEM, or DP_OK. */
dp_status dp_xml_validate(reader *r, xmlDocPtr xdoc);

#endif
