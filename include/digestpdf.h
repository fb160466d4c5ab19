/*
 * digestpdf — compile digests (XML or archived text) into typeset,
 * bookmarked Japanese PDF.
 *
 * This is the library's only public header. Every call that can fail
 * returns a dp_status; the human-readable detail (file, line, message)
 * is appended to the context's diagnostics, which the caller reads with
 * dp_diag_count() / dp_diag_at().
 */
#ifndef DIGESTPDF_H
#define DIGESTPDF_H

#include <stddef.h>

#ifdef __cplusplus
extern "C" {
#endif

/* The one place the version is set (CMakeLists.txt reads it from here). */
#define DP_VERSION_STRING "0.1.0"

/* Marks the library's public functions: the shared library exports these
 * and nothing else (it is built with -fvisibility=hidden). */
#if defined(__GNUC__) || defined(__clang__)
#define DP_EXTERN __attribute__((visibility("default")))
#else
#define DP_EXTERN
#endif

/* Status codes: DP_OK is 0, every failure is negative. */
typedef enum dp_status {
    DP_OK = 0,
    DP_ERR = -1,    /* generic failure; see diagnostics */
    DP_ENOMEM = -2, /* out of memory */
    DP_EIO = -3,    /* a file could not be read or written */
    DP_EINPUT = -4, /* the input document is invalid */
    DP_EFONT = -5,  /* a font could not be loaded or used */
    DP_ELIMIT = -6  /* a safety limit was exceeded */
} dp_status;

/* Returns a static English name for a status ("input error", ...). */
DP_EXTERN const char *dp_status_str(dp_status status);

typedef enum dp_severity {
    DP_DIAG_ERROR,
    DP_DIAG_WARNING,
    DP_DIAG_NOTE
} dp_severity;

/* One diagnostic. file may be NULL (no file involved); line is 0 when
 * unknown. All strings are owned by the context. */
typedef struct dp_diag {
    dp_severity severity;
    const char *file;
    long line;
    const char *message;
} dp_diag;

/* The context carries diagnostics and the fixed facts of a run. */
typedef struct dp_context dp_context;

/* Creates a context; free it with dp_context_free(). Returns DP_ENOMEM
 * on failure, with *out set to NULL. */
DP_EXTERN dp_status dp_context_new(dp_context **out);

/* Frees the context and every diagnostic it holds. NULL is a no-op. */
DP_EXTERN void dp_context_free(dp_context *ctx);

/* Diagnostics collected so far. The pointer is borrowed: valid until the
 * next call that adds diagnostics, dp_diag_clear() or dp_context_free(). */
DP_EXTERN size_t dp_diag_count(const dp_context *ctx);
DP_EXTERN const dp_diag *dp_diag_at(const dp_context *ctx, size_t index);
DP_EXTERN size_t dp_diag_errors(const dp_context *ctx);
DP_EXTERN void dp_diag_clear(dp_context *ctx);

/* A stage of dp_build() that can be written as text (--dump=...). */
typedef enum dp_dump {
    DP_DUMP_NONE = 0,
    DP_DUMP_MODEL, /* the document tree */
    DP_DUMP_LINES, /* every paragraph's lines: breaks, ratios, glue */
    DP_DUMP_PAGES  /* every page's boxes and lines with positions */
} dp_dump;

/* Receives len bytes of output; returns 0, or non-zero to stop. */
typedef int (*dp_write_fn)(void *user, const char *data, size_t len);

/* Receives a path (borrowed: copy it to keep it). */
typedef void (*dp_path_fn)(void *user, const char *path);

/* Options for dp_build(). Initialise with DP_BUILD_OPTIONS_INIT so that
 * fields added later keep their defaults. */
typedef struct dp_build_options {
    int version;            /* DP_BUILD_OPTIONS_VERSION */
    const char *style_path; /* NULL: the built-in default style; a file, or
                               a name looked up in style_dirs */
    const char *input_name; /* name used in messages for stdin input; NULL: path */
    int verbose;            /* non-zero: notes about dropped text etc. */
    size_t max_bytes;       /* 0: no limit; else the largest PDF to write */
    int threads;            /* 0: up to 2 where the machine has them; 1: the
                               calling thread only (batch workers); since
                               version 2. The PDF is the same either way. */
    /* Since version 3: */
    const char *root;       /* figures and logos are read only from inside
                               this folder; NULL: the input file's folder
                               (for a style's logo, the style's folder) */
    dp_dump dump;           /* DP_DUMP_NONE, or a stage to write as text */
    dp_write_fn dump_write; /* receives the dump; NULL: nothing is dumped */
    void *dump_user;        /* passed to dump_write */
    const char *pdf_standard; /* a comma-separated list: "ua-1,a-2u" (NULL:
                                 the default: tagged PDF/UA-1 and PDF/A-2u),
                                 "a-2u", "a-2b", "ua-1", "ua-1,a-2b", or
                                 "none" (untagged, no claim). Under ua-1 a
                                 figure needs alt text or a caption */
    const char *const *style_dirs; /* where style names are looked up
                                      (see dp_style_find); NULL: nowhere */
    dp_path_fn on_read;     /* told the path of every file the build reads
                               (digest, style, images): what a watcher
                               watches; may be NULL */
    void *on_read_user;     /* passed to on_read */
    const char *source_date_epoch; /* seconds since 1970 as text (what the
                               SOURCE_DATE_EPOCH convention gives): the
                               PDF's dates, in UTC; NULL, or a value a PDF
                               date cannot hold: the digest's published
                               date. The library reads no environment. */
} dp_build_options;

#define DP_BUILD_OPTIONS_VERSION 3
#define DP_BUILD_OPTIONS_INIT                                                 \
    {DP_BUILD_OPTIONS_VERSION, NULL, NULL, 0, 0, 0, NULL, DP_DUMP_NONE, NULL, \
     NULL, NULL, NULL, NULL, NULL, NULL}

/* Summary of a finished build, filled by dp_build() when non-NULL. */
typedef struct dp_build_result {
    int pages;
    size_t bytes;
    int articles;
} dp_build_result;

/*
 * Compiles a digest into a PDF. The input is digest XML, or an archived
 * plain-text digest when the path ends in ".txt" (imported in memory).
 * With max_bytes set, a PDF that would be larger is built again with
 * smaller choices (Latin from the Japanese fonts, then one Japanese font
 * for headings too), each noted; if it is still too large the build
 * fails with DP_ELIMIT and writes nothing.
 * The PDF is written to a temporary file beside pdf_path and renamed into
 * place only when complete: on failure no file is left at pdf_path. An
 * existing pdf_path must be a regular file (or a symbolic link to one,
 * whose target is replaced and the link kept); "-" writes the PDF to
 * standard output. With opts->dump and dump_write set, the stage's text
 * is handed to dump_write once the build has succeeded; pdf_path may then
 * be NULL (no PDF is written). result may be NULL.
 */
DP_EXTERN dp_status dp_build(dp_context *ctx, const char *in_path,
                             const char *pdf_path, const dp_build_options *opts,
                             dp_build_result *result);

/* Checks a pdf_standard value (see dp_build_options) without building:
 * DP_OK, or DP_EINPUT with a diagnostic saying what is wrong (an unknown
 * name, a list that contradicts itself). NULL is the default and valid. */
DP_EXTERN dp_status dp_pdf_standard_check(dp_context *ctx, const char *list);

/* Reads and validates a digest (schema and semantic checks) without
 * laying it out. */
DP_EXTERN dp_status dp_validate(dp_context *ctx, const char *in_path);

/*
 * Resolves a style argument: an existing file is used as is; a bare name
 * ("compact") is looked up as NAME.style in each folder of dirs (a
 * NULL-terminated list; NULL searches nothing), first match wins. Writes
 * the path to out (cap bytes). Returns DP_EIO when neither exists,
 * DP_ELIMIT when the path does not fit in out. The library reads no
 * environment: the program says where its styles are (the digestpdf
 * command: $DIGESTPDF_STYLES, else the user's and the installed folders).
 */
DP_EXTERN dp_status dp_style_find(const char *name_or_path,
                                  const char *const *dirs, char *out, size_t cap);

/* Options for dp_import(). */
typedef struct dp_import_options {
    int version;      /* DP_IMPORT_OPTIONS_VERSION */
    int verbose;      /* list dropped page chrome as notes */
    const char *input_name; /* name used in messages; NULL: path */
} dp_import_options;

#define DP_IMPORT_OPTIONS_VERSION 1
#define DP_IMPORT_OPTIONS_INIT {DP_IMPORT_OPTIONS_VERSION, 0, NULL}

/* Summary of an import. */
typedef struct dp_import_result {
    int sections;
    int articles;
    int warnings;
} dp_import_result;

/*
 * Imports an archived plain-text digest and writes digest XML to
 * xml_path ("-" for standard output; NULL writes nothing, which checks
 * the input only). in_path "-" reads standard input. result may be NULL.
 */
DP_EXTERN dp_status dp_import(dp_context *ctx, const char *in_path,
                              const char *xml_path, const dp_import_options *opts,
                              dp_import_result *result);

/* ---- What goes out with the PDF ------------------------------------- */

typedef enum dp_summary_format {
    DP_SUMMARY_TEXT,
    DP_SUMMARY_MARKDOWN,
    DP_SUMMARY_HTML
} dp_summary_format;

/*
 * Reads and validates a digest (the same errors as dp_validate) and writes
 * what belongs in the body of the mail that distributes its PDF: series,
 * title, dates, the number of articles per issuing body, and the titles
 * of the new articles grouped by issuing body, with their links. The text
 * goes to write(user, ...) in pieces; a non-zero return from write stops
 * with DP_EIO.
 */
DP_EXTERN dp_status dp_summary(dp_context *ctx, const char *in_path,
                               dp_summary_format format, dp_write_fn write,
                               void *user);

/* Non-zero when s is one mail address, "local@domain" or
 * "Display Name <local@domain>" (no control characters, no comma outside
 * a quoted name). */
DP_EXTERN int dp_mail_address_valid(const char *s);

/* Options for dp_mail(). Strings are borrowed. */
typedef struct dp_mail_options {
    int version;               /* DP_MAIL_OPTIONS_VERSION */
    const char *from;          /* "addr@host" or "Name <addr@host>" */
    const char *const *to;     /* NULL-terminated; at least one */
    const char *const *cc;     /* NULL-terminated; may be NULL */
    const char *subject;       /* NULL: the digest's title */
    long long date;            /* the Date header, seconds since 1970 (the
                                  library reads no clock) */
} dp_mail_options;

#define DP_MAIL_OPTIONS_VERSION 1
#define DP_MAIL_OPTIONS_INIT {DP_MAIL_OPTIONS_VERSION, NULL, NULL, NULL, NULL, 0}

/*
 * Builds the digest's PDF (with build, as dp_build does; NULL for the
 * defaults) and writes to eml_path ("-": standard output) a complete
 * RFC 5322 message ready for `sendmail -t`: the summary as text/plain and
 * text/html, the PDF attached under the digest's title. Nothing is left
 * at eml_path on failure. DP_EINPUT for a malformed address (with a
 * diagnostic naming it). result (may be NULL) describes the PDF.
 */
DP_EXTERN dp_status dp_mail(dp_context *ctx, const char *in_path,
                            const char *eml_path, const dp_build_options *build,
                            const dp_mail_options *mail, dp_build_result *result);

/* ---- Batch conversion ------------------------------------------------ */

/* How one file of a batch ended. */
typedef enum dp_batch_status {
    DP_BATCH_OK,      /* converted */
    DP_BATCH_SKIPPED, /* the PDF is up to date (see dp_batch) */
    DP_BATCH_FAILED,  /* invalid or unreadable input, unwritable output */
    DP_BATCH_CRASHED, /* the worker died (signal) without a result */
    DP_BATCH_TIMEOUT  /* the worker took longer than the time limit and
                         was killed (counted as failed) */
} dp_batch_status;

/* Returns "ok", "skipped", "failed", "crashed" or "timeout" (static). */
DP_EXTERN const char *dp_batch_status_str(dp_batch_status status);

/* One finished file, passed to dp_batch_options.on_file. Every pointer
 * is borrowed and valid only during the callback. */
typedef struct dp_batch_file {
    const char *input;   /* input path: input_dir/relative */
    const char *output;  /* PDF path: output_dir/relative.pdf */
    dp_batch_status status;
    int pages;
    size_t bytes;
    double ms;           /* wall time of the worker, 0 when skipped */
    int warnings;
    const char *error;   /* first error ("FILE:LINE: message"); NULL if none */
    /* Since version 3 of dp_batch_options: where the batch stands, for a
     * client's progress display (the library draws nothing). */
    int done;            /* files finished so far, this one included */
    int total;           /* as dp_batch_result.total */
    int failed;          /* of done, those that failed */
    double elapsed;      /* seconds since dp_batch started */
    double left;         /* estimated seconds until the last file is done;
                            negative while unknown (no file built yet) */
} dp_batch_file;

typedef void (*dp_batch_file_fn)(void *user, const dp_batch_file *file);

/* Options for dp_batch(). Initialise with DP_BATCH_OPTIONS_INIT so that
 * fields added later keep their defaults. Strings are borrowed. */
typedef struct dp_batch_options {
    int version;             /* DP_BATCH_OPTIONS_VERSION */
    const char *input_dir;   /* walked recursively for *.xml and *.txt */
    const char *output_dir;  /* created when missing */
    const char *style_path;  /* NULL: the built-in default style */
    const char *report_path; /* JSON Lines report, written through a
                                temporary file; NULL: none. Refused when
                                it lies inside input_dir or is not a
                                regular file. */
    int jobs;                /* worker processes; 0: online cores */
    int shard_index;         /* K of --shard K/N (1-based); 0: no shards */
    int shard_count;         /* N of --shard K/N; 0: no shards */
    int force;               /* rebuild even when up to date */
    int fail_fast;           /* start no file after the first failure */
    int progress;            /* before version 3, the library drew a
                                progress bar on stderr; now ignored: a
                                client draws one from on_file */
    dp_batch_file_fn on_file; /* called in order of completion; may be NULL */
    void *user;              /* passed to on_file */
    /* Since version 2: */
    const char *root;        /* as dp_build_options.root; NULL: each input's
                                folder */
    double timeout;          /* seconds a worker may take before it is
                                killed and its file reported "timeout";
                                0: DP_BATCH_DEFAULT_TIMEOUT */
    const char *pdf_standard; /* as dp_build_options.pdf_standard */
    const char *const *style_dirs; /* as dp_build_options.style_dirs */
    /* Since version 4: */
    const char *source_date_epoch; /* as dp_build_options.source_date_epoch;
                                      the manifest records it */
    const char *test_crash_on; /* testing aid: a worker whose input path
                                  contains this text aborts; NULL: none */
    const char *test_hang_on;  /* testing aid: ... hangs until killed */
} dp_batch_options;

#define DP_BATCH_DEFAULT_TIMEOUT 120.0
#define DP_BATCH_OPTIONS_VERSION 4
#define DP_BATCH_OPTIONS_INIT                                                 \
    {DP_BATCH_OPTIONS_VERSION, NULL, NULL, NULL, NULL, 0, 0, 0, 0, 0, -1,     \
     NULL, NULL, NULL, 0, NULL, NULL, NULL, NULL, NULL}

/* Counts of a batch, filled by dp_batch(). */
typedef struct dp_batch_result {
    int total;       /* inputs in this run (this shard) */
    int converted;
    int skipped;     /* up to date */
    int failed;      /* including crashed and unreadable sub-folders */
    int crashed;
    int not_started; /* left out after a signal or --fail-fast */
    int interrupted; /* the signal (SIGINT, SIGTERM) that stopped it, or 0 */
    int pages;       /* of the converted PDFs */
    double seconds;  /* wall time */
} dp_batch_result;

/*
 * Converts every *.xml and *.txt digest under input_dir (recursively,
 * in sorted order; hidden entries, symbolic links to folders and
 * *.expected.txt are left out) into a PDF at the same relative path
 * under output_dir, running up to `jobs` worker processes. Each file is
 * built in its own forked process, so a crash is that file's failure.
 *
 * A PDF is skipped when it exists and the manifest in output_dir
 * (.digestpdf-manifest, or .digestpdf-manifest-K-of-N for a shard)
 * records the same input content, style content, font files (path,
 * size, mtime), source_date_epoch and program version. Stale temporary
 * files of this run's outputs are removed first; a killed batch leaves
 * only complete PDFs. A file whose input is invalid, crashes its worker
 * or is gone leaves no PDF (an older one at its path is removed); when
 * only the writing fails (a full disk) or the worker is stopped by the
 * time limit, an older PDF stays, no longer recorded in the manifest.
 * At most as many workers run as the limit on open files allows. The
 * workers are forked from the calling process: call dp_batch from a
 * single-threaded program. (Folders are walked whatever their names.)
 *
 * SIGINT and SIGTERM are caught while dp_batch runs: no new file is
 * started, the files in progress finish, and result->interrupted holds
 * the signal; a second signal kills the workers. The previous handlers
 * are restored on return.
 *
 * Returns DP_OK when the batch ran, even if files failed (see result);
 * a negative status, with diagnostics, when it could not run: bad
 * options (DP_EINPUT, also for an invalid style), an unreadable input
 * folder, an unwritable output folder or report, or another batch
 * running with the same manifest (DP_EIO; such a batch writes nothing).
 * Per-file errors are not diagnostics: they go to on_file and the
 * report. result may be NULL.
 */
DP_EXTERN dp_status dp_batch(dp_context *ctx, const dp_batch_options *opts,
                             dp_batch_result *result);

#ifdef __cplusplus
}
#endif

#endif
