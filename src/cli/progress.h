/* The batch's progress bar on standard error, drawn by the command from
 * the library's per-file callback (dp_batch_file's done/total/left). */
#ifndef DP_CLI_PROGRESS_H
#define DP_CLI_PROGRESS_H

#include "digestpdf.h"

typedef struct cli_progress {
    int on;     /* draw at all (standard error is a terminal) */
    int shown;  /* a bar is on the screen now */
    double last; /* when it was last drawn, ms */
} cli_progress;

/* Erases the bar, so that a message can be printed on a clean line. */
void cli_progress_clear(cli_progress *p);
/* Draws the bar for the state after file f; at most ten times a second
 * unless force. */
void cli_progress_draw(cli_progress *p, const dp_batch_file *f, int force);

#endif
