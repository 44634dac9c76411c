/* opsfx: what the tests of the ops clients (Alertmanager, KServe, samples) share: driving the
 * http pool until a callback has run, and a fake http_resp for the error formatters. */
#ifndef MLTOP_OPSFX_H
#define MLTOP_OPSFX_H

#include <stddef.h>
#include <stdint.h>

#include "clients/http.h"

/* Runs http_perform / http_wait until *count reaches want or limit_ms passes; returns *count. */
int opsfx_run(struct http *h, const int *count, int want, int limit_ms);

/* A finished transfer with status, content type (NULL: none) and body (NULL: empty). */
struct http_resp opsfx_resp(long status, const char *content_type, const char *body);

/* Writes text to path (replacing it); aborts the test on failure. */
void opsfx_write(const char *path, const char *text);
/* Appends text to path. */
void opsfx_append(const char *path, const char *text);

#endif
