/* httperr: one line for an HTTP error answer, shared by every backend.
 *   JSON error body    -> "MLflow 400 INVALID_PARAMETER_VALUE: Invalid value 0 for parameter …"
 *   HTML or plain text -> "MLflow 502 Bad Gateway: nginx" (tags stripped, at most ~100 chars)
 *   no answer at all   -> "MLflow: connection refused …"
 * JSON error shapes understood: MLflow {error_code, message}, Prometheus {errorType, error},
 * Kubernetes Status {reason, message}, and any object with a string message, error or detail. */
#ifndef MLTOP_HTTPERR_H
#define MLTOP_HTTPERR_H

#include <stddef.h>

#include "clients/err.h"

struct http_resp;

#define HTTPERR_EXCERPT_MAX 100

/* Writes the line into buf (always NUL-terminated) and returns buf. source is the label
 * ("MLflow", "Prometheus"); content_type may be NULL or ""; body need not be NUL-terminated. */
char *httperr_format(char *buf, size_t size, const char *source, long status,
                     const char *content_type, const char *body, size_t len);

/* The same for a finished transfer (a transport failure, a body over the cap, or an error
 * status), into e, with the wait a 429 or 503 asked for in e->retry_after_ms. Returns ERR_NET,
 * ERR_TOO_BIG or ERR_HTTP. */
int httperr_set(struct err *e, const char *source, const struct http_resp *r);

/* The visible text of a body (HTML tags, scripts and styles dropped, control characters and
 * runs of whitespace as one space), cut at HTTPERR_EXCERPT_MAX bytes with an ellipsis; text that
 * only repeats the status line is left out. Returns buf ("" for an empty body). */
char *httperr_excerpt(char *buf, size_t size, long status, const char *body, size_t len);

#endif
