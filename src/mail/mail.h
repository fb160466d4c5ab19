/*
 * What goes out with the PDF: the summary that belongs in the body of the
 * distribution mail (series, title, dates, counts per issuing body, the new
 * articles with their links), and the whole RFC 5322 / MIME message that
 * carries it and the PDF. Both are plain functions of the document model
 * (and the PDF's bytes): no file, no clock, so equal input gives equal
 * bytes.
 */
#ifndef DP_MAIL_MAIL_H
#define DP_MAIL_MAIL_H

#include <stddef.h>

#include "base/buf.h"
#include "model/doc.h"

/* Appends doc's summary to out in format (DP_SUMMARY_TEXT, _MARKDOWN,
 * _HTML). DP_ENOMEM or DP_ELIMIT from the buffer. */
dp_status dp_mail_summary(dp_buf *out, dp_doc *doc, dp_summary_format format);

/* Whether s is one mail address, "local@domain" or "Name <local@domain>":
 * no control characters, no comma, a dot-atom or quoted local part and a
 * domain of letters, digits, hyphens and dots. */
int dp_mail_address_ok(const char *s);

/* A message as digestpdf writes it. Every string is borrowed. */
typedef struct dp_mail_message {
    const char *from;
    const char *const *to; /* NULL-terminated, at least one */
    const char *const *cc; /* NULL-terminated, may be NULL */
    const char *subject;   /* NULL: the digest's title */
    long long date;        /* seconds since 1970 (the Date header, UTC) */
    const unsigned char *pdf;
    size_t pdf_len;
    const char *pdf_name;  /* attachment file name, may be Japanese;
                              NULL: the digest's title + ".pdf" */
} dp_mail_message;

/*
 * Appends the whole message to out: headers (From, To, Cc, Subject as
 * RFC 2047 encoded words where needed, Date, Message-ID, MIME-Version),
 * then multipart/mixed of a multipart/alternative summary (text/plain and
 * text/html, UTF-8, base64) and the PDF as application/pdf with its name
 * per RFC 2231 (and RFC 2047 for older readers). Lines end in CRLF and
 * stay within 78 characters. The boundary and Message-ID derive from the
 * content. DP_EINPUT (with a message in *why) for an address that
 * dp_mail_address_ok refuses; DP_ENOMEM, DP_ELIMIT from the buffer.
 */
dp_status dp_mail_compose(dp_buf *out, dp_doc *doc, const dp_mail_message *m,
                          const char **why);

#endif
