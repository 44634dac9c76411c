/* http: asynchronous HTTP on one curl multi handle, driven from the one event loop.
 * Nothing here blocks: http_start queues a transfer, http_perform moves all transfers forward and
 * calls each finished transfer's callback, http_wait sleeps in curl_multi_poll (with stdin). */
#ifndef MLTOP_HTTP_H
#define MLTOP_HTTP_H

#include <stddef.h>
#include <stdint.h>

#include "clients/err.h"

/* Credentials and TLS for one source. Secrets stay in memory only: never logged or drawn. */
struct http_auth {
	const char *bearer_token; /* "Authorization: Bearer …", or NULL */
	const char *username;     /* basic auth when username is set */
	const char *password;
	const char *ca_file; /* extra CA bundle, or NULL */
	int insecure;        /* 1: do not verify TLS (the header says so) */
};

struct http_req {
	const char *method;           /* "GET" (default when NULL), "POST", "PATCH", "DELETE" */
	const char *url;              /* absolute http:// or https:// URL */
	const char *body;             /* request body or NULL; copied by http_start */
	size_t body_len;              /* 0: strlen(body) */
	const char *content_type;     /* default "application/json" when body is set */
	const struct http_auth *auth; /* NULL: none */
	long connect_timeout_ms;      /* 0: 3,000 */
	long timeout_ms;              /* 0: 15,000 (the whole transfer) */
	size_t max_body;              /* 0: 64 MiB; a larger body fails with too_big */
};

/* A transfer failed when error[0] != '\0' (refused, timed out, reset, too big, …): then the body
 * is empty, and status is 0 and content_type "" except for too_big (the status and headers came,
 * the body was cut off). Otherwise status is whatever the server answered, 4xx and 5xx included
 * (their body is handed back: HTML error pages, plain-text 401s). */
struct http_resp {
	long status;            /* HTTP status; 0 when no answer came (see error) */
	char content_type[128]; /* "" when none */
	const char *body;       /* NUL-terminated; valid only during the callback */
	size_t len;
	int too_big;     /* the body passed max_body: transfer aborted, body empty */
	int curl_code;   /* CURLcode, 0 on success */
	char error[256]; /* one line for a transport failure ("connection refused …") */
	int64_t elapsed_ms;
	/* 429 or 503 with Retry-After (delta-seconds or an HTTP-date): how long the server asked
	 * to wait, at most HTTP_RETRY_AFTER_MAX_MS; 0 when it did not ask. */
	int64_t retry_after_ms;
};

#define HTTP_RETRY_AFTER_MAX_MS 300000

typedef void (*http_done_fn)(void *ud, const struct http_resp *resp);

struct http;

/* libcurl is set up at the first request or wakeup, not here: a start from the cache draws its
 * first frame before the network costs anything. */
struct http *http_new(struct err *e);
void http_free(struct http **h); /* cancels what is in flight without calling back; not from a
                                  * callback */

/* Queues a request; done is called exactly once from http_perform (never from http_start).
 * Returns a request id > 0, or a negative code with e filled. */
long http_start(struct http *h, const struct http_req *req, http_done_fn done, void *ud,
                struct err *e);
void http_cancel(struct http *h, long id); /* done is not called */

/* Moves transfers forward and calls back the finished ones. Returns how many are in flight. */
int http_perform(struct http *h);
int http_inflight(const struct http *h);

/* Waits for network activity, activity on extra_fd (stdin; -1 for none) or timeout_ms.
 * *extra_ready is set to 1 when extra_fd is readable or hung up. Returns the number of ready
 * descriptors curl saw (>= 0), or a negative code. */
int http_wait(struct http *h, int extra_fd, int timeout_ms, int *extra_ready);

/* URL-encodes s into a new string (caller frees). */
char *http_escape(const char *s);

#endif
