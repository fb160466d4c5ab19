/* libFuzzer: the style parser on arbitrary text. */
#include <math.h>
#include <stdint.h>
#include <string.h>
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
    if (st == DP_OK) {
        /* an accepted style must give a usable page: finite numbers, a
         * positive measure, terminated strings */
        const double v[] = {s.page_w, s.page_h, s.margin_t, s.margin_r,
                            s.margin_b, s.margin_l, s.body_size, s.body_leading,
                            s.title_size, s.heading_size, s.section_size,
                            s.cover_title_size, s.toc_size, s.header_size,
                            s.para_space};
        for (size_t i = 0; i < sizeof v / sizeof *v; i++)
            if (!isfinite(v[i]) || v[i] < 0)
                abort();
        if (s.page_w - s.margin_l - s.margin_r <= 0 ||
            s.page_h - s.margin_t - s.margin_b <= 0)
            abort();
        if (!memchr(s.header_left, 0, sizeof s.header_left) ||
            !memchr(s.font_body, 0, sizeof s.font_body))
            abort();
    }
    dp_diags_dispose(&d);
    return 0;
}
