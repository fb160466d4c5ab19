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

#endif
