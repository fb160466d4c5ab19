/*
 * digestpdf summary and digestpdf mail: the text that goes in the body of
 * the distribution mail, and the whole message with the PDF attached.
 */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "cli.h"
#include "locate.h"

static int write_stdout(void *user, const char *data, size_t len)
{
    (void)user;
    return fwrite(data, 1, len, stdout) != len || fflush(stdout) != 0;
}

int cmd_summary(dp_context *ctx, int argc, char **argv)
{
    const char *input = NULL;
    dp_summary_format format = DP_SUMMARY_TEXT;
    for (int i = 2; i < argc; i++) {
        const char *s = argv[i];
        if (!strcmp(s, "--format") && i + 1 < argc) {
            const char *f = argv[++i];
            if (!strcmp(f, "text"))
                format = DP_SUMMARY_TEXT;
            else if (!strcmp(f, "markdown"))
                format = DP_SUMMARY_MARKDOWN;
            else if (!strcmp(f, "html"))
                format = DP_SUMMARY_HTML;
            else {
                cli_error("--format %s: use text, markdown or html", f);
                return 2;
            }
        } else if (s[0] == '-' && s[1]) {
            cli_error("summary: unknown option %s (see --help)", s);
            return 2;
        } else if (!input) {
            input = s;
        } else {
            cli_error("summary takes one INPUT");
            return 2;
        }
    }
    if (!input) {
        cli_error("summary needs an INPUT");
        return 2;
    }
    dp_status st = dp_summary(ctx, input, format, write_stdout, NULL);
    print_diags(ctx, 0);
    return st == DP_OK ? 0 : 1;
}

/* Splits a comma-separated address list into list (NULL-terminated, at
 * most cap - 1 entries); commas inside a quoted display name stay. The
 * strings point into s, which is modified. Returns the count, -1 when
 * there are too many. */
static int split_list(char *s, const char **list, int cap, int n)
{
    char *start = s;
    int quoted = 0;
    for (char *p = s;; p++) {
        if (*p == '"')
            quoted = !quoted;
        if ((*p == ',' && !quoted) || *p == '\0') {
            int end = *p == '\0';
            *p = '\0';
            while (*start == ' ')
                start++;
            if (*start) {
                if (n + 1 >= cap)
                    return -1;
                list[n++] = start;
            }
            if (end)
                break;
            start = p + 1;
        }
    }
    list[n] = NULL;
    return n;
}

/* The Date header: SOURCE_DATE_EPOCH when set (reproducible messages),
 * else now. */
static long long mail_date(void)
{
    const char *e = dp_cli_source_date_epoch();
    if (e && *e) {
        char *end;
        errno = 0;
        long long v = strtoll(e, &end, 10);
        if (!errno && !*end && v >= 0)
            return v;
    }
    return (long long)time(NULL);
}

int cmd_mail(dp_context *ctx, int argc, char **argv)
{
    enum { MAX_ADDR = 256 };
    static const char *to[MAX_ADDR], *cc[MAX_ADDR];
    int nto = 0, ncc = 0;
    const char *input = NULL, *output = NULL;
    dp_build_options build = DP_BUILD_OPTIONS_INIT;
    build.source_date_epoch = dp_cli_source_date_epoch();
    build.style_dirs = dp_cli_style_dirs();
    dp_mail_options mail = DP_MAIL_OPTIONS_INIT;
    for (int i = 2; i < argc; i++) {
        const char *s = argv[i];
        int has = i + 1 < argc;
        const char *v = has ? argv[i + 1] : NULL;
        if ((!strcmp(s, "--from") || !strcmp(s, "--to") || !strcmp(s, "--cc") ||
             !strcmp(s, "--subject") || !strcmp(s, "-o") || !strcmp(s, "--output") ||
             !strcmp(s, "-s") || !strcmp(s, "--style") || !strcmp(s, "--max-size")) &&
            !has) {
            cli_error("%s needs a value", s);
            return 2;
        }
        if (!strcmp(s, "--from")) {
            if (!dp_mail_address_valid(v)) {
                cli_error("--from %s: not a mail address", v);
                return 2;
            }
            mail.from = v;
            i++;
        } else if (!strcmp(s, "--to") || !strcmp(s, "--cc")) {
            int is_to = !strcmp(s, "--to");
            char *copy = argv[i + 1]; /* split in place: argv is ours */
            int n = split_list(copy, is_to ? to : cc, MAX_ADDR, is_to ? nto : ncc);
            if (n < 0) {
                cli_error("%s: more than %d addresses", s, MAX_ADDR - 1);
                return 2;
            }
            for (int k = is_to ? nto : ncc; k < n; k++)
                if (!dp_mail_address_valid((is_to ? to : cc)[k])) {
                    cli_error("%s %s: not a mail address", s,
                            (is_to ? to : cc)[k]);
                    return 2;
                }
            *(is_to ? &nto : &ncc) = n;
            i++;
        } else if (!strcmp(s, "--subject")) {
            mail.subject = v;
            i++;
        } else if (!strcmp(s, "-o") || !strcmp(s, "--output")) {
            output = v;
            i++;
        } else if (!strcmp(s, "-s") || !strcmp(s, "--style")) {
            build.style_path = v;
            i++;
        } else if (!strcmp(s, "--max-size")) {
            if (!(build.max_bytes = parse_size(v))) {
                cli_error("--max-size %s: not a size such as 2MB", v);
                return 2;
            }
            i++;
        } else if (s[0] == '-' && s[1]) {
            cli_error("mail: unknown option %s (see --help)", s);
            return 2;
        } else if (!input) {
            input = s;
        } else {
            cli_error("mail takes one INPUT");
            return 2;
        }
    }
    if (!input || !output) {
        cli_error("mail needs INPUT and -o MESSAGE.eml");
        return 2;
    }
    if (!mail.from) {
        cli_error("mail needs --from ADDR");
        return 2;
    }
    if (nto == 0) {
        cli_error("mail needs at least one recipient (--to ADDR)");
        return 2;
    }
    mail.to = to;
    mail.cc = ncc ? cc : NULL;
    mail.date = mail_date();
    dp_build_result res = {0};
    dp_status st = dp_mail(ctx, input, output, &build, &mail, &res);
    print_diags(ctx, 0);
    if (st != DP_OK) {
        cli_note(input, "no message written (%s)", dp_status_str(st));
        return 1;
    }
    return 0;
}
