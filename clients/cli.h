/* cli: the command line of mltop (config_usage, `mltop --help`) parsed with getopt_long into a
 * struct config_args (clients/config.h), and the value checks it shares with the configuration
 * file. main uses it through config_args_parse / config_usage. */
#ifndef MLTOP_CLI_H
#define MLTOP_CLI_H

#include <stddef.h>
#include <stdint.h>
#include <stdio.h>

#include "clients/config.h"
#include "clients/err.h"

int cli_parse(struct config_args *a, int argc, char **argv, struct err *e);
void cli_args_fini(struct config_args *a);
const char *cli_usage(void);
/* A copy of src that outlives argv: its strings are packed into one block, *text, which the
 * caller owns and frees (free) after cli_args_fini(dst). 0 or ERR_NOMEM (dst then empty). */
int cli_args_copy(struct config_args *dst, const struct config_args *src, char **text);
/* config_args_scrape_only's body. */
int cli_args_scrape_only(struct config_args *a, const char *url);

/* 0 for an http:// or https:// URL with a host and no user:password@; else < 0 for
 * cli_url_problem, which says what is wrong without repeating the URL (it may hold a secret). */
int cli_check_url(const char *url);
const char *cli_url_problem(int rc);
/* Seconds (fractions allowed, 0.1 to 86400) into milliseconds; 0 or -1. */
int cli_parse_seconds(const char *s, int64_t *ms);
/* 1 when ns is a Kubernetes namespace name (RFC 1123 label). */
int cli_valid_namespace(const char *ns);
/* true/yes/on/1 and false/no/off/0, any case; 0 or -1. */
int cli_parse_bool(const char *v, int *out);

/* Small string helpers of the configuration code. */
char *cli_fmt(const char *fmt, ...) __attribute__((format(printf, 1, 2))); /* malloc'd */
int cli_strv_add(char ***v, size_t *n, const char *s);                     /* copies s */
void cli_strv_free(char ***v, size_t *n);
char *cli_url_dup(const char *url); /* a copy without trailing slashes */
char *cli_home_dir(void);           /* $HOME, else the passwd entry */

/* Reads a whole regular file of at most cap bytes into *buf (malloc'd, NUL-terminated; *len
 * without the NUL) and its permission bits into *mode (may be NULL). Anything else (a FIFO, a
 * device such as /dev/zero, a directory, a file over cap) is refused without blocking and
 * without reading it. Returns 0, or a negative errno (-ENOENT for a missing file) with e
 * filled: "PATH: not a regular file", "PATH: larger than 64 KiB", "PATH: <strerror>". */
int cli_read_file(const char *path, size_t cap, char **buf, size_t *len, unsigned *mode,
                  struct err *e);

/* Trims the whitespace around buf[0..len) in place, wipes the bytes left over (a secret must not
 * stay in memory) and ends the text with a NUL; returns the new length. */
size_t cli_trim_wipe(char *buf, size_t len);

/* config_describe's body: it only needs the public API of clients/config.h. */
int cli_describe(const struct config *cfg, const struct context *ctx, const char *cache_problem,
                 FILE *out);

#endif
