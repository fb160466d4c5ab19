/*
 * What a batch tells about each file: the JSON Lines report, the counts
 * of the result and the caller's per-file callback (through which a
 * client such as the CLI draws its progress; the library draws nothing).
 */
// NOLINTNEXTLINE(bugprone-reserved-identifier,cert-dcl37-c,cert-dcl51-cpp): the feature-test macro glibc defines for realpath, strndup and kill
#define _DEFAULT_SOURCE
#include "batch/internal.h"

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "base/file.h"
#include "base/utf8.h"


dp_status dp_batch_json_string(dp_buf *b, const char *s)
{
    dp_status status = DP_OK;
    size_t len = strlen(s);
    DP_TRY(dp_buf_addc(b, '"'));
    for (size_t i = 0; i < len;) {
        unsigned char c = (unsigned char)s[i];
        if (c >= 0x80) {
            uint32_t cp;
            size_t k = dp_utf8_decode(s + i, len - i, &cp);
            if (k == 0) {
                DP_TRY(dp_buf_adds(b, "\\ufffd"));
                i++;
            } else {
                DP_TRY(dp_buf_add(b, s + i, k));
                i += k;
            }
            continue;
        }
        switch (c) {
        case '"': DP_TRY(dp_buf_adds(b, "\\\"")); break;
        case '\\': DP_TRY(dp_buf_adds(b, "\\\\")); break;
        case '\n': DP_TRY(dp_buf_adds(b, "\\n")); break;
        case '\r': DP_TRY(dp_buf_adds(b, "\\r")); break;
        case '\t': DP_TRY(dp_buf_adds(b, "\\t")); break;
        case '\b': DP_TRY(dp_buf_adds(b, "\\b")); break;
        case '\f': DP_TRY(dp_buf_adds(b, "\\f")); break;
        default:
            if (c < 0x20 || c == 0x7f)
                DP_TRY(dp_buf_printf(b, "\\u%04x", c));
            else
                DP_TRY(dp_buf_addc(b, (char)c));
        }
        i++;
    }
    DP_TRY(dp_buf_addc(b, '"'));
done:
    return status;
}

static void report_file(batch *b, const job *j, double ms, int warnings)
{
    if (b->report) {
        dp_buf line;
        dp_buf_init(&line);
        dp_status status = DP_OK;
        DP_TRY(dp_buf_adds(&line, "{\"path\":"));
        DP_TRY(dp_batch_json_string(&line, j->in_path));
        DP_TRY(dp_buf_adds(&line, ",\"output\":"));
        DP_TRY(dp_batch_json_string(&line, j->out_path));
        DP_TRY(dp_buf_printf(&line, ",\"status\":\"%s\",\"pages\":%d,\"bytes\":%lld,"
                                    "\"ms\":%.1f,\"warnings\":%d,\"error\":",
                             dp_batch_status_str(j->status), j->pages, j->bytes,
                             ms, warnings));
        if (j->error)
            DP_TRY(dp_batch_json_string(&line, j->error));
        else
            DP_TRY(dp_buf_adds(&line, "null"));
        DP_TRY(dp_buf_adds(&line, "}\n"));
        /* one line per flush, so a killed batch leaves whole lines */
        fwrite(line.data, 1, line.len, b->report);
        fflush(b->report);
    done:
        dp_buf_dispose(&line);
    }
    if (b->o->on_file) {
        dp_batch_file f = {j->in_path, j->out_path, j->status, j->pages,
                           (size_t)j->bytes, ms, warnings, j->error,
                           0, 0, 0, 0, -1};
        double now = dp_batch_now_ms();
        f.done = b->r->converted + b->r->skipped + b->r->failed;
        f.total = b->r->total;
        f.failed = b->r->failed;
        f.elapsed = (now - b->t0) / 1e3;
        /* from the files that went to a worker so far */
        if (b->built > 0)
            f.left = (now - b->build_t0) / b->built * (b->to_build - b->built) / 1e3;
        b->o->on_file(b->o->user, &f);
    }
}

void dp_batch_finish_job(batch *b, job *j, dp_batch_status st, double ms, int warnings)
{
    j->status = st;
    j->finished = 1;
    switch (st) {
    case DP_BATCH_OK:
        b->r->converted++;
        b->r->pages += j->pages;
        break;
    case DP_BATCH_SKIPPED:
        b->r->skipped++;
        break;
    case DP_BATCH_CRASHED:
        b->r->crashed++;
        /* fall through */
    case DP_BATCH_TIMEOUT: /* fall through */
    case DP_BATCH_FAILED:
        b->r->failed++;
        b->failed_seen = 1;
        break;
    }
    if (st != DP_BATCH_SKIPPED && b->build_t0 > 0)
        b->built++; /* for the estimate: files that went to a worker */
    report_file(b, j, ms, warnings);
}

const char *dp_batch_status_str(dp_batch_status status)
{
    switch (status) {
    case DP_BATCH_OK: return "ok";
    case DP_BATCH_SKIPPED: return "skipped";
    case DP_BATCH_FAILED: return "failed";
    case DP_BATCH_CRASHED: return "crashed";
    case DP_BATCH_TIMEOUT: return "timeout";
    }
    return "unknown";
}

/* Refuses a report path that cannot be written or lies inside the input
 * folder (where it would overwrite an input or become one), before the
 * batch writes anything. */
dp_status dp_batch_check_report(dp_diags *d, const dp_batch_options *o)
{
    const char *why;
    dp_status status = dp_file_out_check(o->report_path, &why);
    if (status < 0) {
        dp_error(d, o->report_path, 0, "cannot write the report: %s",
                 status == DP_EIO ? strerror(errno) : why);
        return DP_EIO;
    }
    if (strcmp(o->report_path, "-") == 0)
        return DP_OK;
    /* as written, and once links are resolved: the report itself when it
     * exists (a link is written through), else its folder */
    int inside = dp_file_in_root(o->input_dir, o->report_path);
    char *in_real = realpath(o->input_dir, NULL);
    const char *slash = strrchr(o->report_path, '/');
    char *dir = slash ? strndup(o->report_path, (size_t)(slash - o->report_path + 1))
                      : strdup(".");
    char *real = realpath(o->report_path, NULL);
    if (!real && dir)
        real = realpath(dir, NULL);
    if (inside != 1 && in_real && real)
        inside = dp_file_in_root(in_real, real);
    free(in_real);
    free(dir);
    free(real);
    if (inside < 0)
        return DP_ENOMEM;
    if (inside) {
        dp_error(d, o->report_path, 0,
                 "the report would lie inside the input folder %s; write it elsewhere",
                 o->input_dir);
        return DP_EIO;
    }
    return DP_OK;
}
