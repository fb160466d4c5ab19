/* libFuzzer: the archived-text importer on arbitrary bytes. What it
 * produces must be digest XML that the reader accepts or refuses with a
 * message: never a crash in either. */
#include <stdint.h>
#include <stdlib.h>

#include "base/buf.h"
#include "base/diag.h"
#include "input/text_import.h"
#include "input/xml_read.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    dp_diags d;
    dp_diags_init(&d);
    dp_buf xml;
    dp_buf_init(&xml);
    dp_text_import_stats stats;
    dp_status st = dp_text_import(&d, "fuzz.txt", (const char *)data, size,
                                  (int)(size & 1), &xml, &stats);
    if (st != DP_OK && d.errors == 0)
        abort(); /* a refused archive must say why */
    if (st == DP_OK) {
        dp_doc *doc = NULL;
        if (dp_xml_read(&doc, &d, "fuzz.xml", xml.data ? xml.data : "", xml.len) == DP_OK &&
            !doc)
            abort();
        dp_doc_free(doc);
    }
    dp_buf_dispose(&xml);
    dp_diags_dispose(&d);
    return 0;
}
