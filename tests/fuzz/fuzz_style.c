/* libFuzzer: the style parser on arbitrary text. */
#include <stdint.h>
#include <stdlib.h>

#include "base/diag.h"
#include "style/sheet.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    dp_diags d;
    dp_diags_init(&d);
    dp_style s;
    dp_style_defaults(&s);
    dp_status st = dp_style_parse(&s, &d, "fuzz/dir/x.style", (const char *)data, size);
    if (st != DP_OK && d.errors == 0)
        abort(); /* a refused style must say why */
    dp_diags_dispose(&d);
    return 0;
}
