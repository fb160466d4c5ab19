/* Reading digest XML: parse (no DTD, no entities, no network), validate
 * against the built-in RELAX NG grammar, and build the document model. */
#ifndef DP_INPUT_XML_READ_H
#define DP_INPUT_XML_READ_H

#include <stddef.h>

#include "base/diag.h"
#include "model/doc.h"

/*
 * Reads digest XML data[0..len); file names the source in messages.
 * On success *out is a new document (free with dp_doc_free()). On
 * failure *out is NULL, the status is DP_EINPUT (invalid document),
 * DP_ELIMIT (a cap was hit) or DP_ENOMEM, and every problem found is in
 * d as FILE:LINE errors.
 */
dp_status dp_xml_read(dp_doc **out, dp_diags *d, const char *file,
                      const char *data, size_t len);

/*
 * Compiles the grammar once for every later dp_xml_read of this process
 * (and of processes forked from it), which then only validate against it.
 * DP_ENOMEM when it cannot be compiled; reading then compiles its own as
 * before. Not thread-safe: call it before reading starts.
 * dp_xml_grammar_release frees it again.
 */
dp_status dp_xml_grammar_preload(void);
void dp_xml_grammar_release(void);

#endif
