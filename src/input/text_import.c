/*
 * Archived plain-text digest -> digest XML v1.
 *
 * The archive is text captured from the publishing web page: a header
 * (series, title, dates, page chrome), a table of contents under
 * 【もくじ】, then one block per article: an optional ~NEW~ marker, the
 * heading "AGENCY TITLE" and a body of indented "•" / "1." items, "▼"
 * sub-headings and plain lines.
 *
 * The work is one pass over the lines after decoding. The body is
 * written as it is read (a stack of open lists, the text of the newest
 * block kept pending so wrapped lines can still be joined to it); meta
 * is written last because lines found before the first article land in
 * its summary. Everything goes to local buffers that are appended to the
 * caller's buffer only on success.
 */
#include "input/text_import_int.h"

#include <errno.h>
#include <iconv.h>
#include <stdarg.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "base/url.h"
#include "base/utf8.h"

/* The stages in order, each with its checks; long because its cleanup
 * owns every buffer of the import. */
dp_status dp_text_import(dp_diags *d, const char *file, const char *data,
                         size_t len, int verbose, dp_buf *xml_out,
                         dp_text_import_stats *stats)
{
    dp_status status = DP_OK;
    importer m;
    dp_buf conv, out;
    memset(&m, 0, sizeof m);
    m.d = d;
    m.file = file;
    m.verbose = verbose;
    m.new_claimed = -1;
    dp_buf_init(&m.summary);
    dp_buf_init(&m.body);
    dp_buf_init(&m.pend);
    dp_buf_init(&conv);
    dp_buf_init(&out);
    const char *text;
    size_t tlen;

    if (len > DP_MAX_INPUT_BYTES) {
        dp_error(d, file, 0, "input of %zu bytes is over the limit of %zu",
                 len, DP_MAX_INPUT_BYTES);
        status = DP_ELIMIT;
        goto done;
    }
    if (!data)
        len = 0;
    DP_TRY(dp_ti_decode(&m, data ? data : "", len, &conv, &text, &tlen));
    DP_TRY(dp_ti_split_lines(&m, text, tlen));
    size_t first = dp_ti_next_content(&m, 0);
    if (first >= m.nlines) {
        dp_error(d, file, 1, "empty file: no digest");
        status = DP_EINPUT;
        goto done;
    }

    size_t i;
    DP_TRY(dp_ti_parse_header(&m, &i));
    if (i < m.nlines && dp_ti_is_toc_start(&m.lines[i]))
        DP_TRY(dp_ti_parse_toc(&m, &i));
    /* errors about what is missing name the last line that exists */
    long last_no = m.lines[m.nlines - 1].no;
    for (size_t k = m.nlines; k-- > 0;)
        if (m.lines[k].len) {
            last_no = m.lines[k].no;
            break;
        }
    if (!m.title.len) {
        dp_error(d, file, i < m.nlines ? m.lines[i].no : last_no,
                 "no digest title before this line");
        status = DP_EINPUT;
        goto done;
    }
    if (!m.published[0]) {
        if (!m.updated[0]) {
            dp_error(d, file, i < m.nlines ? m.lines[i].no : last_no,
                     "no publication date (YYYY.MM.DD) in the header");
            status = DP_EINPUT;
            goto done;
        }
        memcpy(m.published, m.updated, sizeof m.published);
        dp_ti_warn(&m, 0, "no publication date: the update date is used");
    }
    DP_TRY(dp_ti_parse_body(&m, i));
    if (m.narts == 0) {
        if (m.ntoc)
            dp_error(d, file, last_no, "no article found, though the contents "
                     "list %zu: the file is truncated", m.ntoc);
        else
            dp_error(d, file, last_no, "no recognisable article in the file");
        status = DP_EINPUT;
        goto done;
    }
    DP_TRY(dp_ti_check_toc(&m));
    if (m.new_claimed >= 0 && m.new_claimed != m.new_out)
        dp_ti_warn(&m, 0, "the update line announces %ld new articles, %d are "
             "marked ~NEW~", m.new_claimed, m.new_out);

    DP_TRY(dp_ti_write_meta(&m, &out));
    DP_TRY(dp_buf_add(&out, m.body.data ? m.body.data : "", m.body.len));
    if (m.cur_section.len)
        DP_TRY(dp_buf_adds(&out, "\n </section>"));
    DP_TRY(dp_buf_adds(&out, "\n</digest>\n"));
    DP_TRY(dp_buf_add(xml_out, out.data, out.len));
    if (stats) {
        stats->sections = m.sections_out;
        stats->articles = (int)m.narts;
        stats->warnings = m.warnings;
    }
done:
    if (status == DP_ENOMEM)
        dp_error(d, file, 0, "out of memory while importing");
    else if (status == DP_ELIMIT && len <= DP_MAX_INPUT_BYTES)
        dp_error(d, file, 0, "the converted digest is over the size limit");
    free(m.lines);
    free(m.sects);
    free(m.sect_tab.slots);
    free(m.toc);
    free(m.toc_tab.slots);
    free(m.arts);
    dp_buf_dispose(&m.summary);
    dp_buf_dispose(&m.body);
    dp_buf_dispose(&m.pend);
    dp_buf_dispose(&conv);
    dp_buf_dispose(&out);
    return status;
}
