/* hook: an action hook (promote_cmd, canary_cmd, rollback_cmd of the configuration) run as a
 * child process without a shell and without blocking.
 *
 * The command line of the configuration is split into argv by hook_split, a small shell-like
 * splitter: words separated by blanks, 'single quotes' taken literally, "double quotes" with \"
 * and \\ escapes, a backslash outside quotes escaping the next character; nothing is expanded
 * ($, `, *, ~ are plain characters) and nothing of the action is ever put into a command string:
 * the action reaches the hook through its environment (MLTOP_MODEL, MLTOP_VERSION,
 * MLTOP_PERCENT, MLTOP_CONTEXT, built by the caller), to which PATH and HOME are added.
 *
 * hook_start forks and execve()s argv[0] (looked up in PATH when it has no '/'), its stdout and
 * stderr into one pipe; hook_poll (from the event loop) reads what came, reaps the child with
 * WNOHANG and enforces the timeout: SIGTERM to the hook's process group, then SIGKILL after a
 * grace period. The first HOOK_OUTPUT_MAX bytes of output are kept (for the audit), the rest
 * counted. */
#ifndef MLTOP_HOOK_H
#define MLTOP_HOOK_H

#include <stddef.h>

#include "clients/err.h"

#define HOOK_OUTPUT_MAX (64 * 1024)
#define HOOK_TIMEOUT_MS 60000 /* the default hook_timeout */
#define HOOK_GRACE_MS   2000  /* between SIGTERM and SIGKILL */

/* Splits cmd into a NULL-terminated argv (malloc'd; free with hook_argv_free). ERR_CONFIG for an
 * unterminated quote, a trailing backslash or an empty command. */
int hook_split(const char *cmd, char ***argv, struct err *e);
void hook_argv_free(char ***argv);

struct hook;

/* Starts argv with env (NULL-terminated "NAME=value" strings; PATH and HOME of mltop's own
 * environment are added). timeout_ms <= 0: HOOK_TIMEOUT_MS. NULL with e filled when it cannot
 * start (ERR_CONFIG: argv[0] not found or not executable; ERR_IO: pipe or fork failed). */
struct hook *hook_start(const char *const *argv, const char *const *env, long timeout_ms,
                        struct err *e);
/* Moves the hook forward without blocking; 1 while it runs, 0 once it has ended. */
int hook_poll(struct hook *h);
/* Waits (polling every few ms) until it ends; for tests and the command line. */
void hook_wait(struct hook *h);

/* Once ended: its exit status (0..255), 128 + the signal that ended it, or -1. */
int hook_exit_code(const struct hook *h);
int hook_timed_out(const struct hook *h); /* 1 when ended by the timeout */
/* The output kept (NUL-terminated; not sanitized) and its length. */
const char *hook_output(const struct hook *h, size_t *len);
size_t hook_output_dropped(const struct hook *h); /* bytes beyond HOOK_OUTPUT_MAX */
/* One line for the audit and the screen: "exit 0", "exit 3", "killed by signal 9 after the
 * 5 s timeout", with ", 12345 bytes of output not kept" when some were dropped. */
void hook_describe(const struct hook *h, char *buf, size_t n);

/* Kills a hook still running (SIGKILL to its group), reaps it and frees. */
void hook_free(struct hook **h);

#endif
