/*
 * The text form of the line-breaking stage (`--dump=lines`): for every
 * paragraph, each line with where and why it breaks, how far it was
 * squeezed or stretched and by which glue. It reads only the shaped
 * paragraph and its lines, never the page.
 */
#include "lines.h"

#include <math.h>

#include "base/status.h"
#include "breaks.h"

static const char *const glue_names[DP_GLUE_N] = {"space", "punct", "stop", "waou", "plain"};

/* How the line [first, end) ends: at the paragraph's end, at a forced
 * break, at a break opportunity, or cut inside a token too long for the
 * line (no opportunity there). */
static const char *line_end(const dp_para *p, const dp_line *ln)
{
    if (ln->end >= p->n)
        return "end";
    switch (p->units[ln->end - 1].brk) {
    case DP_BREAK_MANDATORY: return "forced";
    case DP_BREAK_ALLOWED: return "allowed";
    default: return "cut";
    }
}

static dp_status add_pt(dp_buf *out, const char *key, double v)
{
    dp_status status = dp_buf_adds(out, key);
    if (status == DP_OK)
        status = dp_buf_add_round(out, v, 2);
    return status;
}

dp_status dp_lines_dump(dp_buf *out, const dp_para *p, const dp_lines *l)
{
    dp_status status = DP_OK;
    long src = p->nspans ? p->spans[0].line : 0;
    DP_TRY(dp_buf_printf(out, "para line=%ld units=%zu lines=%zu\n", src, p->n, l->n));
    for (size_t i = 0; i < l->n; i++) {
        const dp_line *ln = &l->items[i];
        DP_TRY(dp_buf_printf(out, "  %zu [%zu,%zu)", i + 1, ln->first, ln->end));
        DP_TRY(add_pt(out, " w=", ln->width));
        DP_TRY(dp_buf_printf(out, " %s%s%s", line_end(p, ln),
                             ln->justified ? " justified" : "", ln->hang ? " hang" : ""));
        DP_TRY(add_pt(out, " adjust=", ln->adjust));
        DP_TRY(dp_buf_adds(out, " ratio="));
        DP_TRY(dp_buf_add_round(out, ln->ratio, 3));
        for (int g = 0; g < DP_GLUE_N; g++) {
            if (ln->glue_nat[g] == 0 && ln->glue_adj[g] == 0)
                continue;
            DP_TRY(dp_buf_printf(out, " %s=", glue_names[g]));
            DP_TRY(dp_buf_add_round(out, ln->glue_nat[g], 2));
            long long adj = llround(ln->glue_adj[g] * 100);
            DP_TRY(dp_buf_adds(out, adj < 0 ? "-" : "+"));
            DP_TRY(dp_buf_add_fixed(out, adj < 0 ? -adj : adj, 2));
        }
        DP_TRY(dp_buf_addc(out, ' '));
        /* the text as drawn: unit texts joined (a forced break is "\n") */
        dp_buf text;
        dp_buf_init(&text);
        for (size_t u = ln->first; u < ln->end && status == DP_OK; u++)
            status = dp_buf_add(&text, p->units[u].text, p->units[u].text_len);
        if (status == DP_OK)
            status = dp_buf_add_quoted(out, text.data ? text.data : "", text.len);
        dp_buf_dispose(&text);
        if (status < 0)
            goto done;
        DP_TRY(dp_buf_addc(out, '\n'));
    }
done:
    return status;
}
