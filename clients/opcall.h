/* opcall: one request and its one answer, for the clients of the ops backends (Alertmanager,
 * KServe, failed samples over HTTP) on the shared clients/http.h pool. It builds the URL from
 * the client's base, sends with the client's auth, turns a failure (no answer, a body over the
 * cap, a status outside 2xx) into one line through the client's error formatter, and hands a
 * 2xx body to the client's decoder; a body the decoder took is then handed to put under the
 * call's cache key, so that a panel can draw the last answer at start. Nothing here blocks. */
#ifndef MLTOP_OPCALL_H
#define MLTOP_OPCALL_H

#include <stddef.h>
#include <stdint.h>

#include "clients/err.h"
#include "clients/http.h"

/* Receives a successful body and its cache key; body is valid during the call only. */
typedef void (*opcall_put_fn)(void *ud, const char *key, const char *body, size_t len,
                              int64_t fetched_ms);

/* Writes the one line of a failed answer into e and returns its negative code. */
typedef int (*opcall_errfmt_fn)(struct err *e, const struct http_resp *r);

/* What every ops client shares: set by the client at creation, then read-only except auth. */
struct opcall_base {
	struct http *http;
	char *base;            /* without a trailing '/'; owned */
	struct http_auth auth; /* its strings are borrowed */
	int64_t (*now_ms)(void);
	long timeout_ms;
	size_t max_body;
	opcall_put_fn put;
	void *put_ud;
	opcall_errfmt_fn errfmt;
	struct opcall *calls;
	long next_id;
};

/* The end of a call. ok 1: a 2xx answer (resp->body is the data); 0: err says why. */
struct opcall_result {
	long id;
	int ok;
	const struct http_resp *resp;
	struct err *err;
	int64_t fetched_ms;
};

/* Called once per call (never from opcall_start). With ok 1 it decodes the body and returns 0
 * when the body is good data (it is then filed under the call's key) or a negative code with
 * err filled. The return value is ignored when ok is 0. */
typedef int (*opcall_done_fn)(void *ud, struct opcall_result *r);

struct opcall_req {
	const char *method;       /* NULL: GET */
	const char *path;         /* with the query string; appended to the base */
	const char *body;         /* NULL: none */
	const char *content_type; /* NULL: application/json with a body */
	const char *key;          /* cache key of the answer, or NULL: not filed */
	void (*drop)(void *ud);   /* called instead of done when the call is cancelled; or NULL */
};

/* What a client's config gives its base (every field may be 0 / NULL). */
struct opcall_settings {
	const struct http_auth *auth; /* copied; its strings are borrowed */
	int64_t (*now_ms)(void);
	long timeout_ms;
	size_t max_body;
	opcall_put_fn put;
	void *put_ud;
};

/* Copies url (http:// or https://; trailing '/' dropped) and the settings. ERR_CONFIG names
 * what for. */
int opcall_base_init(struct opcall_base *b, struct http *http, const char *url, const char *what,
                     const struct opcall_settings *s, opcall_errfmt_fn errfmt, struct err *e);
/* Cancels every call (no callback) and frees what the base owns. */
void opcall_base_fini(struct opcall_base *b);

/* Starts a call; returns its id (> 0) or a negative code with e filled. */
long opcall_start(struct opcall_base *b, const struct opcall_req *req, opcall_done_fn done,
                  void *ud, struct err *e);
/* Drops a call without its callback (its drop hook runs); safe from inside any callback. */
void opcall_cancel(struct opcall_base *b, long id);
int opcall_busy(const struct opcall_base *b); /* calls in flight */

/* The wall clock in ms (the default of now_ms). */

#endif
