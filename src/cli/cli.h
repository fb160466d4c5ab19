/* What the digestpdf command's files share. */
#ifndef DP_CLI_CLI_H
#define DP_CLI_CLI_H

#include <stddef.h>
#include <stdio.h>

#include "digestpdf.h"

/* Non-zero after --diagnostic-format json: every report is a JSON line. */
extern int cli_json;

/* Prints and clears ctx's diagnostics (notes only when verbose); returns
 * the number of errors printed. */
int print_diags(dp_context *ctx, int verbose);

/* One report: severity "error", "warning" or "note"; file may be NULL,
 * line 0 when unknown. */
void report(const char *severity, const char *file, long line, const char *fmt, ...)
    __attribute__((format(printf, 4, 5)));
/* A usage or command error with no file ("digestpdf: error: ..."). */
void cli_error(const char *fmt, ...) __attribute__((format(printf, 1, 2)));
/* A progress note about file (NULL: none). */
void cli_note(const char *file, const char *fmt, ...) __attribute__((format(printf, 2, 3)));
/* One line of text to out (newline added), escaped for a terminal. */
void say(FILE *out, const char *fmt, ...);

/* "2MB", "500KB", "1.5M", "300000": bytes, or 0 when not a size. */
size_t parse_size(const char *s);

/* The summary and mail commands (mailcmd.c): parse argv[2..] themselves,
 * return the exit status. */
int cmd_summary(dp_context *ctx, int argc, char **argv);
int cmd_mail(dp_context *ctx, int argc, char **argv);

/* The watch command (watch.c): returns 130 / 143 when stopped by SIGINT /
 * SIGTERM, 1 when the input's folder cannot be watched, 2 bad usage. */
int cmd_watch(dp_context *ctx, int argc, char **argv);

#endif
