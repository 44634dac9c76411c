/* audit_cli: `mltop --audit [--json | --verify]`, the audit log on stdout for people and
 * scripts, read from the cache file (--cache, else the configuration's). */
#ifndef MLTOP_AUDIT_CLI_H
#define MLTOP_AUDIT_CLI_H

#include <stdio.h>

#include "clients/config.h"

/* `mltop --audit …`: the cache's path from the configuration (--cache, [general] cache, the
 * default), and --context taken as a name in the log (a context the configuration no longer has
 * still has its rows). Returns the exit status: 0, 1 (a broken chain, or the log could not be
 * read), 2 (the cache could not be opened). */
int audit_cli_main(const struct config_args *args);

#endif
