/* cmdline: the : commands (:experiments … :audit, :ctx NAME, :theme NAME, :help, :q) and their
 * Tab completion. */
#ifndef MLTOP_CMDLINE_H
#define MLTOP_CMDLINE_H

#include "clients/err.h"

struct app;

/* Runs one command line; an unknown command or a bad argument fills e for the prompt. */
int cmdline_run(struct app *a, const char *line, struct err *e);

/* Candidates for the whole line (prompt_complete_fn): commands, then context or theme names. */
int cmdline_complete(void *app, const char *line, char **out, int max);

#endif
