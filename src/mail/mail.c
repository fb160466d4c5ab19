/*
 * The public entry points for what goes out with the PDF: dp_summary and
 * dp_mail (include/digestpdf.h). dp_mail builds the PDF with dp_build
 * into a private temporary file beside the message, reads it back and
 * writes the message.
 */
#define _DEFAULT_SOURCE /* mkstemp */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "digestpdf.h"

#include "base/buf.h"
#include "base/file.h"
#include "context.h"
#include "mail.h"

dp_status dp_summary(dp_context *ctx, const char *in_path, dp_summary_format format,
                     dp_write_fn write, void *user)
{
    dp_doc *doc = NULL;
    dp_buf out;
    dp_buf_init(&out);
    dp_status status = dp_load_doc(ctx, in_path, &doc);
    if (status == DP_OK)
        status = dp_mail_summary(&out, doc, format);
    if (status == DP_OK && write(user, out.data, out.len) != 0) {
        dp_error(dp_context_diags(ctx), NULL, 0, "cannot write the summary");
        status = DP_EIO;
    }
    dp_buf_dispose(&out);
    dp_doc_free(doc);
    return status;
}

int dp_mail_address_valid(const char *s)
{
    return dp_mail_address_ok(s);
}

/* Writes data to path as every output is written (dp_file_out: a
 * temporary file renamed into place when complete; "-" is standard
 * output). */
static dp_status write_whole(dp_diags *d, const char *path, const dp_buf *data)
{
    dp_file_out out;
    const char *why = NULL;
    dp_status status = dp_file_out_open(&out, path, &why);
    if (status == DP_OK) {
        status = dp_file_out_write(&out, data->data, data->len, &why);
        if (status == DP_OK)
            status = dp_file_out_commit(&out, &why);
        else
            dp_file_out_abort(&out);
    }
    if (status < 0)
        dp_error(d, path, 0, "cannot write the message: %s", why ? why : strerror(errno));
    return status;
}

/* Every address of the options, before anything is built. */
static dp_status check_addresses(dp_diags *d, const dp_mail_options *mail)
{
    if (!dp_mail_address_ok(mail->from)) {
        dp_error(d, NULL, 0, "From: not a mail address: %s", mail->from ? mail->from : "");
        return DP_EINPUT;
    }
    if (!mail->to || !mail->to[0]) {
        dp_error(d, NULL, 0, "the mail has no recipient");
        return DP_EINPUT;
    }
    for (size_t i = 0; mail->to[i]; i++)
        if (!dp_mail_address_ok(mail->to[i])) {
            dp_error(d, NULL, 0, "To: not a mail address: %s", mail->to[i]);
            return DP_EINPUT;
        }
    for (size_t i = 0; mail->cc && mail->cc[i]; i++)
        if (!dp_mail_address_ok(mail->cc[i])) {
            dp_error(d, NULL, 0, "Cc: not a mail address: %s", mail->cc[i]);
            return DP_EINPUT;
        }
    return DP_OK;
}

dp_status dp_mail(dp_context *ctx, const char *in_path, const char *eml_path,
                  const dp_build_options *build, const dp_mail_options *mail,
                  dp_build_result *result)
{
    dp_diags *d = dp_context_diags(ctx);
    if (!mail || mail->version != DP_MAIL_OPTIONS_VERSION) {
        dp_error(d, NULL, 0, "mail options version not supported");
        return DP_EINPUT;
    }
    dp_status status = check_addresses(d, mail);
    if (status < 0)
        return status;
    dp_doc *doc = NULL;
    dp_buf pdf, msg;
    dp_buf_init(&pdf);
    dp_buf_init(&msg);
    int tmp_made = 0;
    /* the PDF is built beside the message (the library reads no TMPDIR) */
    const char *slash = strcmp(eml_path, "-") ? strrchr(eml_path, '/') : NULL;
    int dir_len = slash ? (int)(slash - eml_path) + 1 : 0;
    size_t cap = (size_t)dir_len + 32;
    char *tmp = malloc(cap);
    DP_CHECK_ALLOC(tmp);
    snprintf(tmp, cap, "%.*s.digestpdf-mail-XXXXXX", dir_len, eml_path);
    int fd = mkstemp(tmp);
    if (fd < 0) {
        dp_error(d, tmp, 0, "cannot create a temporary file: %s", strerror(errno));
        status = DP_EIO;
        goto done;
    }
    close(fd);
    tmp_made = 1;
    DP_TRY(dp_build(ctx, in_path, tmp, build, result));
    const char *why = NULL;
    status = dp_file_read(&pdf, tmp, NULL, (size_t)1 << 31, NULL, &why);
    if (status < 0) {
        dp_error(d, tmp, 0, "cannot read the PDF back: %s", why);
        goto done;
    }
    DP_TRY(dp_load_doc(ctx, in_path, &doc));
    dp_mail_message m = {mail->from, mail->to, mail->cc, mail->subject, mail->date,
                         (const unsigned char *)pdf.data, pdf.len, NULL};
    status = dp_mail_compose(&msg, doc, &m, &why);
    if (status == DP_EINPUT)
        dp_error(d, NULL, 0, "cannot write the mail: %s", why);
    if (status < 0)
        goto done;
    status = write_whole(d, eml_path, &msg);
done:
    if (tmp_made)
        unlink(tmp);
    free(tmp);
    dp_doc_free(doc);
    dp_buf_dispose(&pdf);
    dp_buf_dispose(&msg);
    return status;
}
