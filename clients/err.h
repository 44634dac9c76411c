/* err: an error message the UI can show, filled by functions that fail. */
#ifndef MLTOP_ERR_H
#define MLTOP_ERR_H

#include <stddef.h>

#define ERR_MSG_MAX 512

/* Functions return 0 or a negative code and take an optional struct err (NULL is fine). */
struct err {
	int code;                 /* negative errno-like code, or 0 */
	char msg[ERR_MSG_MAX];    /* one line, plain ASCII/UTF-8, no trailing newline */
	long long retry_after_ms; /* a server asked to wait this long before trying again (0: no) */
};

enum {
	ERR_OK = 0,
	ERR_NOMEM = -1,
	ERR_IO = -2,
	ERR_PARSE = -3,   /* a body or file that is not what it should be */
	ERR_HTTP = -4,    /* a server answered with an error status */
	ERR_NET = -5,     /* connection, DNS, timeout, reset */
	ERR_CONFIG = -6,  /* bad configuration or command line */
	ERR_STATE = -7,   /* the state changed under us, or a call out of order */
	ERR_TOO_BIG = -8, /* a body over the size cap */
	ERR_ARG = -9,     /* a call with a missing or impossible argument (a bug of the caller) */
};

/* Sets e (when not NULL) and returns code, so callers can write `return err_set(e, ...)`.
 * It clears retry_after_ms: only the one who read the answer sets it. */
int err_set(struct err *e, int code, const char *fmt, ...) __attribute__((format(printf, 3, 4)));
void err_clear(struct err *e);

#endif
