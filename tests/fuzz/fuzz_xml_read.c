/* libFuzzer: the XML reader and validator on arbitrary bytes. Every input
 * must give either a document or a status with at least one error. */
#include <stdint.h>
#include <stdlib.h>

#include "base/diag.h"
#include "input/xml_read.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    dp_diags d;
    dp_diags_init(&d);
    dp_doc *doc = NULL;
    dp_status st = dp_xml_read(&doc, &d, "fuzz.xml", (const char *)data, size);
    if (st == DP_OK && !doc)
        abort(); /* success must give a document */
    if (st != DP_OK && (doc || d.errors == 0))
        abort(); /* failure must leave no document and say why */
    dp_doc_free(doc);
    dp_diags_dispose(&d);
    return 0;
}
