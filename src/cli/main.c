/*
 * The digestpdf command: parses arguments, calls the library, prints
 * diagnostics as FILE:LINE: message and maps the result to an exit code
 * (0 ok, 1 the input or its output failed, 2 bad usage).
 */
// NOLINTNEXTLINE(bugprone-reserved-identifier,cert-dcl37-c,cert-dcl51-cpp): the feature-test macro glibc defines for sbrk and madvise
#define _DEFAULT_SOURCE /* sbrk, madvise: see tune_memory() */
#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <math.h>
#include <stdarg.h>
#include <malloc.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <sys/mman.h>
#include <sys/stat.h>
#include <unistd.h>

#include "digestpdf.h"
#include "cli.h"
#include "progress.h"
#include "locate.h"

static const char usage[] =
    "usage: digestpdf <command> [options]\n"
    "\n"
    "Commands:\n"
    "  build INPUT -o OUTPUT.pdf [--style STYLE] [--max-size SIZE] [--root DIR]\n"
    "        [--pdf-standard LIST] [-v]\n"
    "        compile a digest (XML, or archived text *.txt) into a PDF\n"
    "  build INPUT --dump=model|lines|pages [-o OUTPUT.pdf] [--style STYLE]\n"
    "        write a stage as text to standard output (the document tree,\n"
    "        every paragraph's lines, or the laid-out pages); a PDF only with -o\n"
    "  validate INPUT...\n"
    "        check digests against the schema and rules; write nothing\n"
    "  import INPUT.txt -o OUTPUT.xml [-v]\n"
    "        convert an archived plain-text digest into digest XML\n"
    "        ('-' reads standard input / writes standard output)\n"
    "  import --check INPUT.txt...\n"
    "        report what each archive would produce; write nothing\n"
    "  styles\n"
    "        list the installed styles (use one with --style NAME)\n"
    "  batch IN_DIR -o OUT_DIR [-j N] [--style FILE] [--report FILE.jsonl]\n"
    "        [--shard K/N] [--force] [--keep-going | --fail-fast]\n"
    "        [--timeout SECONDS] [--root DIR] [--pdf-standard LIST] [-v]\n"
    "        convert every *.xml and *.txt under IN_DIR into OUT_DIR (same\n"
    "        relative paths, .pdf); up-to-date PDFs are skipped\n"
    "  watch INPUT -o OUTPUT.pdf [--style STYLE] [--max-size SIZE] [-v]\n"
    "        build, then build again whenever the digest, its style or an\n"
    "        image it uses is saved; a failed build keeps the last good PDF\n"
    "        (Ctrl-C stops, exit 130)\n"
    "  summary INPUT [--format text|markdown|html]\n"
    "        print what belongs in the body of the distribution mail\n"
    "  mail INPUT --from ADDR --to ADDR[,ADDR...] [--cc ADDR[,...]]\n"
    "        [--subject TEXT] [--style STYLE] [--max-size SIZE] -o MESSAGE.eml\n"
    "        build the PDF and write the whole mail that carries it, ready\n"
    "        for sendmail -t\n"
    "\n"
    "Options:\n"
    "  -o, --output FILE   where to write the result\n"
    "  -s, --style STYLE   a style file, or the name of an installed style\n"
    "                      (default: the built-in default style)\n"
    "  --max-size SIZE     build: fail rather than write a PDF larger than SIZE\n"
    "                      (e.g. 2MB, 500KB); smaller choices are tried first\n"
    "  --root DIR          build: read figures and the style's logo only from\n"
    "                      inside DIR (default: the input's folder; the\n"
    "                      logo: the style's folder)\n"
    "  --pdf-standard LIST the standards the PDF meets, comma-separated:\n"
    "                      ua-1 (PDF/UA-1, tagged for screen readers), a-2u\n"
    "                      or a-2b (PDF/A-2), or none (a plain PDF); the\n"
    "                      default is ua-1,a-2u\n"
    "  -v, --verbose       also print notes (dropped page chrome, ...)\n"
    "  --diagnostic-format human|json\n"
    "                      how problems are printed: FILE:LINE: severity:\n"
    "                      message (human, the default), or one JSON object\n"
    "                      per line {\"file\",\"line\",\"column\",\"severity\",\n"
    "                      \"message\"} (json); for every command\n"
    "  -h, --help          show this help\n"
    "  -V, --version       show the version\n"
    "\n"
    "Batch options:\n"
    "  -j, --jobs N        files converted at once (default: online cores)\n"
    "  --report FILE       one JSON object per file (JSON Lines)\n"
    "  --shard K/N         only the K-th of N slices of the sorted inputs\n"
    "  --force             rebuild even up-to-date PDFs\n"
    "  --keep-going        go on after a failed file (the default)\n"
    "  --fail-fast         start no new file after the first failure\n"
    "  --timeout SECONDS   stop a file that takes longer (default 120);\n"
    "                      it is reported as \"timeout\" and the batch goes on\n"
    "  --root DIR          figures and logos may be read from inside DIR\n"
    "                      (default: each input's folder)\n"
    "\n"
    "Exit status: 0 success, 1 invalid input or failed output, 2 bad usage.\n"
    "batch: 0 every file converted or up to date, 1 some files failed,\n"
    "2 the batch could not run, 130/143 stopped by SIGINT/SIGTERM.\n";

static int cmp_str(const void *a, const void *b)
{
    return strcmp(*(char *const *)a, *(char *const *)b);
}

typedef struct args {
    const char *output, *style;
    const char *root; /* build --root */
    const char **inputs; /* room for every argument: none is dropped */
    int ninputs;
    int verbose, check;
    size_t max_bytes;
    const char *pdf_standard;
    dp_dump dump;
} args;

/* "2MB", "500KB", "1.5M", "300000": bytes, or 0 when not a size (also
 * "nan", "inf", negative, hexadecimal or out of range). */
size_t parse_size(const char *s)
{
    char *end;
    if (!(s[0] >= '0' && s[0] <= '9') || strchr(s, 'x') || strchr(s, 'X'))
        return 0;
    double v = strtod(s, &end);
    if (end == s || !isfinite(v) || v <= 0 || v > 1e15)
        return 0;
    if (!strcasecmp(end, "k") || !strcasecmp(end, "kb"))
        v *= 1024;
    else if (!strcasecmp(end, "m") || !strcasecmp(end, "mb"))
        v *= 1024 * 1024;
    else if (*end)
        return 0;
    return v >= 1 ? (size_t)v : 0;
}

/* Returns 0, or 2 after printing a usage error. */
static int parse(int argc, char **argv, args *a)
{
    memset(a, 0, sizeof *a);
    a->inputs = calloc((size_t)argc, sizeof *a->inputs);
    if (!a->inputs) {
        cli_error("out of memory");
        return 2;
    }
    for (int i = 2; i < argc; i++) {
        const char *s = argv[i];
        if (!strcmp(s, "-o") || !strcmp(s, "--output") || !strcmp(s, "-s") ||
            !strcmp(s, "--style")) {
            if (i + 1 >= argc) {
                cli_error("%s needs a value", s);
                return 2;
            }
            if (s[1] == 'o' || !strcmp(s, "--output"))
                a->output = argv[++i];
            else
                a->style = argv[++i];
        } else if (!strcmp(s, "--max-size")) {
            if (i + 1 >= argc) {
                cli_error("--max-size needs a size such as 2MB");
                return 2;
            }
            if (!(a->max_bytes = parse_size(argv[i + 1]))) {
                cli_error("--max-size: \"%s\" is not a size such as 2MB "
                            "or 500KB", argv[i + 1]);
                return 2;
            }
            i++;
        } else if (!strcmp(s, "--root") && !strcmp(argv[1], "build")) {
            if (i + 1 >= argc || !*argv[i + 1]) {
                cli_error("--root needs a folder");
                return 2;
            }
            a->root = argv[++i];
        } else if (!strcmp(s, "--pdf-standard")) {
            if (i + 1 >= argc) {
                cli_error("--pdf-standard needs a value such as a-2u");
                return 2;
            }
            a->pdf_standard = argv[++i];
        } else if (!strncmp(s, "--dump", 6) && (s[6] == '=' || s[6] == '\0')) {
            const char *v = s[6] == '=' ? s + 7 : i + 1 < argc ? argv[++i] : "";
            a->dump = !strcmp(v, "model") ? DP_DUMP_MODEL
                    : !strcmp(v, "lines") ? DP_DUMP_LINES
                    : !strcmp(v, "pages") ? DP_DUMP_PAGES : DP_DUMP_NONE;
            if (a->dump == DP_DUMP_NONE) {
                cli_error("--dump needs model, lines or pages");
                return 2;
            }
        } else if (!strcmp(s, "-v") || !strcmp(s, "--verbose")) {
            a->verbose = 1;
        } else if (!strcmp(s, "--check")) {
            a->check = 1;
        } else if (s[0] == '-' && s[1] != '\0') {
            cli_error("unknown option %s (see --help)", s);
            return 2;
        } else {
            a->inputs[a->ninputs++] = s;
        }
    }
    return 0;
}

static int write_stdout(void *user, const char *data, size_t len)
{
    (void)user;
    return fwrite(data, 1, len, stdout) != len || fflush(stdout) != 0;
}

static int cmd_build(dp_context *ctx, const args *a)
{
    if (a->ninputs != 1 || (!a->output && !a->dump)) {
        cli_error("build needs one INPUT and -o OUTPUT.pdf "
                        "(or --dump=STAGE)");
        return 2;
    }
    if (dp_pdf_standard_check(ctx, a->pdf_standard) != DP_OK) {
        print_diags(ctx, a->verbose);
        return 2;
    }
    dp_build_options opts = DP_BUILD_OPTIONS_INIT;
    opts.source_date_epoch = dp_cli_source_date_epoch();
    opts.dump = a->dump;
    opts.dump_write = a->dump ? write_stdout : NULL;
    opts.style_path = a->style;
    opts.style_dirs = dp_cli_style_dirs();
    opts.verbose = a->verbose;
    opts.max_bytes = a->max_bytes;
    opts.root = a->root;
    opts.pdf_standard = a->pdf_standard;
    dp_build_result res = {0};
    dp_status st = dp_build(ctx, a->inputs[0], a->output, &opts, &res);
    print_diags(ctx, a->verbose);
    if (st != DP_OK) {
        cli_note(a->inputs[0], "%s (%s)", a->output ? "no PDF written" : "no dump written",
                 dp_status_str(st));
        return 1;
    }
    if (a->verbose)
        cli_note(a->output, "%d pages, %zu bytes, %d articles", res.pages, res.bytes,
                 res.articles);
    return 0;
}

static int cmd_validate(dp_context *ctx, const args *a)
{
    if (a->ninputs == 0) {
        cli_error("validate needs at least one INPUT");
        return 2;
    }
    int rc = 0;
    for (int i = 0; i < a->ninputs; i++) {
        dp_status st = dp_validate(ctx, a->inputs[i]);
        print_diags(ctx, a->verbose);
        if (st != DP_OK)
            rc = 1;
        else if (a->verbose)
            cli_note(a->inputs[i], "valid");
    }
    return rc;
}

static int cmd_import(dp_context *ctx, const args *a)
{
    if (a->ninputs == 0 || (!a->check && (a->ninputs != 1 || !a->output))) {
        cli_error("import needs INPUT.txt -o OUTPUT.xml, "
                        "or --check INPUT.txt...");
        return 2;
    }
    dp_import_options opts = DP_IMPORT_OPTIONS_INIT;
    opts.verbose = a->verbose;
    int rc = 0;
    for (int i = 0; i < a->ninputs; i++) {
        dp_import_result res = {0};
        dp_status st = dp_import(ctx, a->inputs[i], a->check ? NULL : a->output,
                                 &opts, &res);
        print_diags(ctx, a->verbose);
        if (st != DP_OK) {
            cli_note(a->inputs[i], "not imported (%s)", dp_status_str(st));
            rc = 1;
        } else if (a->check) {
            say(stdout, "%s: %d sections, %d articles, %d warnings", a->inputs[i],
                   res.sections, res.articles, res.warnings);
        }
    }
    return rc;
}

/* Lists the *.style files of every style folder with the first line of
 * their description ("# digestpdf style: NAME — what it is for"); a name
 * in an earlier folder hides the same name in a later one. */
static int cmd_styles(void)
{
    const char *const *dirs = dp_cli_style_dirs();
    if (!dirs[0]) {
        cli_error("no styles folder found (set DIGESTPDF_STYLES)");
        return 1;
    }
    for (size_t d = 0; dirs[d]; d++) {
        DIR *dh = opendir(dirs[d]);
        if (!dh)
            continue;
        char *names[256] = {0};
        int n = 0;
        struct dirent *e;
        while ((e = readdir(dh)) && n < 256) {
            size_t len = strlen(e->d_name);
            if (len > 6 && e->d_name[0] != '.' && !strcmp(e->d_name + len - 6, ".style"))
                names[n++] = strndup(e->d_name, len - 6);
        }
        closedir(dh);
        qsort(names, (size_t)n, sizeof *names, cmp_str);
        printf("Styles in %s:\n", dirs[d]);
        for (int i = 0; i < n; i++) {
            char path[4096], line[512] = "";
            int hidden = 0;
            for (size_t k = 0; k < d && !hidden; k++) {
                snprintf(path, sizeof path, "%s/%s.style", dirs[k], names[i]);
                hidden = access(path, F_OK) == 0;
            }
            snprintf(path, sizeof path, "%s/%s.style", dirs[d], names[i]);
            /* no blocking on a FIFO named *.style, regular files only */
            int fd = open(path, O_RDONLY | O_NONBLOCK | O_CLOEXEC);
            struct stat st;
            if (fd >= 0 && (fstat(fd, &st) != 0 || !S_ISREG(st.st_mode))) {
                close(fd);
                fd = -1;
            }
            FILE *f = fd >= 0 ? fdopen(fd, "r") : NULL;
            if (fd >= 0 && !f)
                close(fd);
            if (f) {
                if (!fgets(line, sizeof line, f))
                    line[0] = '\0';
                fclose(f);
            }
            line[strcspn(line, "\n")] = '\0';
            const char *dash = strstr(line, "— ");
            printf("  %-12s %s%s\n", names[i], dash ? dash + strlen("— ") : "",
                   hidden ? " (hidden by the one above)" : "");
            free(names[i]);
        }
    }
    return 0;
}

typedef struct batch_ui {
    int verbose;
    cli_progress bar;
} batch_ui;

/* A failed file of a batch: its first error comes as one line, "FILE:LINE:
 * error: message" (or "FILE: error: message"), split here again so that
 * --diagnostic-format json gets its fields. */
static void report_batch_error(const dp_batch_file *f)
{
    const char *e = f->error;
    const char *mark = e ? strstr(e, ": error: ") : NULL;
    if (!mark) {
        report("error", f->input, 0, "%s", e ? e : dp_batch_status_str(f->status));
        return;
    }
    const char *colon = NULL; /* FILE:LINE when the part after the last ':' is a number */
    for (const char *p = mark - 1; p > e && *p >= '0' && *p <= '9'; p--)
        if (p[-1] == ':')
            colon = p - 1;
    long line = colon ? strtol(colon + 1, NULL, 10) : 0;
    int file_len = (int)((colon ? colon : mark) - e);
    char file[4096];
    snprintf(file, sizeof file, "%.*s", file_len, e);
    report("error", file, line, "%s", mark + strlen(": error: "));
}

static void batch_file_done(void *user, const dp_batch_file *f)
{
    batch_ui *ui = user;
    int failed = f->status == DP_BATCH_FAILED || f->status == DP_BATCH_CRASHED ||
                 f->status == DP_BATCH_TIMEOUT;
    if (failed || ui->verbose)
        cli_progress_clear(&ui->bar);
    if (failed)
        report_batch_error(f);
    else if (ui->verbose && f->status == DP_BATCH_SKIPPED)
        cli_note(f->output, "up to date");
    else if (ui->verbose)
        cli_note(f->output, "%d pages, %zu bytes, %d warnings, %.0f ms", f->pages,
                 f->bytes, f->warnings, f->ms);
    /* every built file redraws; skipped ones (many, quickly) at most ten
     * times a second */
    cli_progress_draw(&ui->bar, f, f->status != DP_BATCH_SKIPPED || f->done == f->total);
}

/* "K/N" with 1 <= K <= N; 0 when well-formed. */
static int parse_shard(const char *s, int *k, int *n)
{
    char *end;
    errno = 0;
    long a = strtol(s, &end, 10);
    if (errno || end == s || *end != '/')
        return -1;
    const char *t = end + 1;
    long b = strtol(t, &end, 10);
    if (errno || end == t || *end || a < 1 || b < a || b > 1000000)
        return -1;
    *k = (int)a;
    *n = (int)b;
    return 0;
}

/* batch has options of its own, so it parses its arguments itself. */
static int cmd_batch(dp_context *ctx, int argc, char **argv)
{
    dp_batch_options o = DP_BATCH_OPTIONS_INIT;
    o.source_date_epoch = dp_cli_source_date_epoch();
    o.test_crash_on = dp_cli_test_crash_on();
    o.test_hang_on = dp_cli_test_hang_on();
    o.style_dirs = dp_cli_style_dirs();
    batch_ui ui = {0, {0, 0, 0}};
    ui.bar.on = isatty(STDERR_FILENO) && !cli_json; /* JSON lines only, for tools */
    for (int i = 2; i < argc; i++) {
        const char *s = argv[i], *v = NULL;
        if (!strncmp(s, "-j", 2) && s[2] >= '0' && s[2] <= '9') {
            v = s + 2; /* -jN */
            s = "-j";
        } else if (!strcmp(s, "-o") || !strcmp(s, "--output") ||
                   !strcmp(s, "-s") || !strcmp(s, "--style") ||
                   !strcmp(s, "-j") || !strcmp(s, "--jobs") ||
                   !strcmp(s, "--report") || !strcmp(s, "--shard") ||
                   !strcmp(s, "--timeout") || !strcmp(s, "--root") ||
                   !strcmp(s, "--pdf-standard")) {
            if (i + 1 >= argc || !argv[i + 1]) {
                cli_error("%s needs a value", s);
                return 2;
            }
            v = argv[++i];
            if (!v)
                return 2;
        }
        if (!strcmp(s, "-o") || !strcmp(s, "--output")) {
            o.output_dir = v;
        } else if (!strcmp(s, "-s") || !strcmp(s, "--style")) {
            o.style_path = v;
        } else if (!strcmp(s, "--report")) {
            o.report_path = v;
        } else if (!strcmp(s, "--pdf-standard")) {
            if (dp_pdf_standard_check(ctx, v) != DP_OK) {
                print_diags(ctx, 0);
                return 2;
            }
            o.pdf_standard = v;
        } else if (!strcmp(s, "-j") || !strcmp(s, "--jobs")) {
            char *end = NULL;
            long j = v ? strtol(v, &end, 10) : 0;
            if (!v || end == v || *end || j < 1 || j > 1024) {
                cli_error("-j needs a number from 1 to 1024");
                return 2;
            }
            o.jobs = (int)j;
        } else if (!strcmp(s, "--shard")) {
            if (!v || parse_shard(v, &o.shard_index, &o.shard_count) != 0) {
                cli_error("--shard needs K/N with 1 <= K <= N");
                return 2;
            }
        } else if (!strcmp(s, "--timeout")) {
            char *end = NULL;
            double secs = v ? strtod(v, &end) : 0;
            /* (!(x > 0) also refuses NaN) */
            if (!v || end == v || *end || !(secs > 0) || secs > 1e7) {
                cli_error("--timeout needs a number of seconds "
                            "greater than 0, not \"%s\"", v);
                return 2;
            }
            o.timeout = secs;
        } else if (!strcmp(s, "--root")) {
            o.root = v;
        } else if (!strcmp(s, "--force")) {
            o.force = 1;
        } else if (!strcmp(s, "--keep-going")) {
            o.fail_fast = 0;
        } else if (!strcmp(s, "--fail-fast")) {
            o.fail_fast = 1;
        } else if (!strcmp(s, "-v") || !strcmp(s, "--verbose")) {
            ui.verbose = 1;
        } else if (s[0] == '-' && s[1] != '\0') {
            cli_error("unknown option %s (see --help)", s);
            return 2;
        } else if (!o.input_dir) {
            o.input_dir = s;
        } else {
            cli_error("batch takes one input folder");
            return 2;
        }
    }
    if (!o.input_dir || !o.output_dir) {
        cli_error("batch needs IN_DIR and -o OUT_DIR");
        return 2;
    }
    o.on_file = batch_file_done;
    o.user = &ui;
    int verbose = ui.verbose;
    dp_batch_result r = {0};
    dp_status st = dp_batch(ctx, &o, &r);
    cli_progress_clear(&ui.bar);
    print_diags(ctx, verbose);
    if (st != DP_OK) {
        cli_error("the batch could not run (%s)", dp_status_str(st));
        return 2;
    }
    if (verbose || r.interrupted || r.failed || isatty(2))
        cli_note(NULL, "%d files: %d converted, %d up to date, %d failed"
                        " (%d crashed), %d not started, %.1f s",
                r.total, r.converted, r.skipped, r.failed, r.crashed,
                r.not_started, r.seconds);
    if (r.interrupted)
        return 128 + r.interrupted;
    return r.failed ? 1 : 0;
}

/*
 * A compile touches some 20 MB of fresh memory, and on the virtual
 * machines we run on each 4 KB page fault costs microseconds: they were
 * a third of a whole compile. So the heap grows in one large step, is
 * never given back while we run, and asks for transparent huge pages
 * (2 MB per fault where the kernel allows it, "madvise" mode). All
 * threads share it. Process-wide choices: the CLI makes them, the
 * library does not.
 */
static void *heap_head; /* the heap below the first 2 MB boundary */

static void tune_memory(void)
{
    const size_t pad = (size_t)32 << 20, huge = (size_t)2 << 20;
    mallopt(M_ARENA_MAX, 1);
    mallopt(M_MMAP_THRESHOLD, 32 << 20); /* glibc's largest */
    mallopt(M_TRIM_THRESHOLD, 256 << 20);
    mallopt(M_TOP_PAD, (int)pad);
    char *volatile probe = malloc(1 << 20); /* grows the heap by 1 MB + the pad */
    free(probe);
    char *end = sbrk(0);
    if (end == (char *)-1)
        return;
    char *next = malloc(64); /* where the free space starts */
    if (!next)
        return;
    uintptr_t at = (uintptr_t)next;
    free(next);
    uintptr_t from = (at + huge - 1) & ~(uintptr_t)(huge - 1);
    if (from + huge > (uintptr_t)end)
        return;
    /* Only whole aligned 2 MB blocks can be huge pages, and only if no
     * 4 KB page was touched in them first: advise, then take the space
     * below the first boundary (never touched, so it costs nothing) so
     * that everything else is allocated above it. */
    madvise((void *)from, (uintptr_t)end - from, MADV_HUGEPAGE);
    if (from - at > 256)
        heap_head = malloc(from - at - 64);
}

int main(int argc, char **argv)
{
    tune_memory();
    /* --diagnostic-format applies to every command: taken out of argv
     * here so that no command's own parser sees it */
    int kept = 1;
    for (int i = 1; i < argc; i++) {
        const char *s = argv[i], *v = NULL;
        if (!strncmp(s, "--diagnostic-format=", 20))
            v = s + 20;
        else if (!strcmp(s, "--diagnostic-format") && i + 1 < argc)
            v = argv[++i];
        else if (!strcmp(s, "--diagnostic-format"))
            v = "";
        if (!v) {
            argv[kept++] = argv[i];
            continue;
        }
        if (strcmp(v, "json") != 0 && strcmp(v, "human") != 0) {
            cli_error("--diagnostic-format %s: use human or json", v);
            return 2;
        }
        cli_json = !strcmp(v, "json");
    }
    argc = kept; /* the commands read argv[0..argc) only */
    for (int i = 1; i < argc; i++)
        if (!argv[i]) /* cannot happen; says so to the static analyser */
            return 2;
    if (argc < 2) {
        fputs(usage, stderr);
        return 2;
    }
    const char *cmd = argv[1];
    if (!strcmp(cmd, "-h") || !strcmp(cmd, "--help") || !strcmp(cmd, "help")) {
        fputs(usage, stdout);
        return 0;
    }
    if (!strcmp(cmd, "-V") || !strcmp(cmd, "--version")) {
        printf("digestpdf %s\n", DP_VERSION_STRING);
        return 0;
    }
    if (!strcmp(cmd, "styles"))
        return cmd_styles();
    static args a; /* large: not on the stack; zeroed */
    for (int i = 2; i < argc; i++) {
        if (!strcmp(argv[i], "-h") || !strcmp(argv[i], "--help")) {
            fputs(usage, stdout);
            return 0;
        }
    }
    int own_args = !strcmp(cmd, "batch") || !strcmp(cmd, "summary") ||
                   !strcmp(cmd, "mail") || !strcmp(cmd, "watch");
    if (!own_args && parse(argc, argv, &a) != 0)
        return 2;
    dp_context *ctx = NULL;
    if (dp_context_new(&ctx) != DP_OK) {
        cli_error("out of memory");
        return 1;
    }
    int rc;
    if (!strcmp(cmd, "build"))
        rc = cmd_build(ctx, &a);
    else if (!strcmp(cmd, "validate"))
        rc = cmd_validate(ctx, &a);
    else if (!strcmp(cmd, "import"))
        rc = cmd_import(ctx, &a);
    else if (!strcmp(cmd, "batch"))
        rc = cmd_batch(ctx, argc, argv);
    else if (!strcmp(cmd, "watch"))
        rc = cmd_watch(ctx, argc, argv);
    else if (!strcmp(cmd, "summary"))
        rc = cmd_summary(ctx, argc, argv);
    else if (!strcmp(cmd, "mail"))
        rc = cmd_mail(ctx, argc, argv);
    else {
        cli_error("unknown command \"%s\" (see --help)", cmd);
        rc = 2;
    }
    dp_context_free(ctx);
    free(a.inputs);
    free(heap_head);
    return rc;
}
