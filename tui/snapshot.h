/* snapshot: `mltop --snapshot` — every panel drawn once, through the same draw code, on a
 * headless screen after the first poll of every configured source (or a timeout), and printed as
 * plain text, each panel under a line with its name. */
#ifndef MLTOP_SNAPSHOT_H
#define MLTOP_SNAPSHOT_H

#include <stdint.h>
#include <stdio.h>

struct app;

/* Prints to out. Returns 0 when every configured source answered, 1 when one failed or did not
 * answer within timeout_ms. */
int snapshot_run(struct app *a, int cols, int rows, int64_t timeout_ms, FILE *out);

#endif
