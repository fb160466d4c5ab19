/* Where the digestpdf command finds its styles. */
#ifndef DP_CLI_LOCATE_H
#define DP_CLI_LOCATE_H

/*
 * The style folders, searched in this order: $DIGESTPDF_STYLES alone when
 * set; else the user's ($XDG_CONFIG_HOME/digestpdf/styles, by default
 * ~/.config/digestpdf/styles), then the installed ones found from the
 * program's own location (PREFIX/share/digestpdf/styles, or a build
 * tree's share/digestpdf/styles). Folders that do not exist are left out.
 * NULL-terminated, static storage, worked out on the first call.
 */
const char *const *dp_cli_style_dirs(void);

/* SOURCE_DATE_EPOCH as the environment gives it, or NULL: the library
 * checks the value (and ignores one a PDF date cannot hold). */
const char *dp_cli_source_date_epoch(void);

/* The batch's testing aids, DP_BATCH_TEST_CRASH and DP_BATCH_TEST_HANG
 * (see dp_batch_options), or NULL. */
const char *dp_cli_test_crash_on(void);
const char *dp_cli_test_hang_on(void);

#endif
