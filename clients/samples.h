/* samples: the source of failed samples of a context: a JSON Lines file followed as it grows
 * (clients/samples_follow.h) or an HTTP URL polled (each poll asks for what is newer than the
 * newest sample kept, `since=<RFC 3339>`, and lines already kept are not kept twice), into one
 * bounded struct samples (clients/samples_parse.h). MLflow eval tables are added with
 * clients/samples_eval.h.
 *
 * How a panel uses it (the Samples panel):
 *   - src = samples_src_new(http, &cfg) with cfg.target = ctx->samples;
 *   - at start, for a URL: cache_get(scope "samples", SAMPLES_CACHE_KEY) and
 *     samples_src_restore(src, body, len): the newest samples of the last run, at once;
 *   - a sched job calls samples_src_poll: a file is read at once (the callback runs before the
 *     call returns, which returns 0); a URL answers later from http_perform (op id > 0). Either
 *     way the event says how many samples came, or err's one line; then
 *     sched_done(…, ev->rc == 0, …) and draw samples_src_samples(src) newest first.
 *   - after a URL poll that added samples, the newest SAMPLES_CACHE_LINES raw lines are handed
 *     to put under SAMPLES_CACHE_KEY (nothing is cached for a local file). */
#ifndef MLTOP_SAMPLES_H
#define MLTOP_SAMPLES_H

#include <stddef.h>
#include <stdint.h>

#include "clients/err.h"
#include "clients/opcall.h"
#include "clients/samples_parse.h"

struct http;
struct http_auth;

#define SAMPLES_CACHE_KEY   "samples"
#define SAMPLES_CACHE_LINES 500

struct samples_config {
	const char *target; /* http(s):// URL, or a file path */
	const struct http_auth *auth;
	int64_t (*now_ms)(void);
	long timeout_ms;
	size_t max_body;
	size_t cap; /* samples kept; 0: SAMPLES_CAP_DEFAULT */
	opcall_put_fn put;
	void *put_ud;
};

struct samples_event {
	long op;               /* 0 for a file */
	int rc;                /* 0 or a negative code */
	const struct err *err; /* rc < 0: the one line ("samples: /var/log/x: waiting for the
	                        * file", "samples 503 Service Unavailable: …") */
	long http_status;      /* 0 for a file */
	int64_t latency_ms;
	long added; /* samples kept by this poll */
	int more;   /* a file poll stopped at its chunk: poll again now (sched_refresh) */
};

typedef void (*samples_event_fn)(void *ud, struct samples_event *ev);

struct samples_src;

struct samples_src *samples_src_new(struct http *http, const struct samples_config *cfg,
                                    struct err *e);
void samples_src_free(struct samples_src **s); /* not from a callback */
int samples_src_is_file(const struct samples_src *s);
struct samples *samples_src_samples(struct samples_src *s);
/* The file follower (rotations, truncations), or NULL for a URL. */
const struct samples_follow *samples_src_follow(const struct samples_src *s);

/* One poll; see above. Returns 0 (file: done), an op id > 0 (URL), or < 0 when it could not
 * start (no callback then). A URL poll while one is in flight is refused with ERR_STATE. */
long samples_src_poll(struct samples_src *s, samples_event_fn fn, void *ud, struct err *e);

/* Adds the lines of a body filed under SAMPLES_CACHE_KEY (they count as seen). */
long samples_src_restore(struct samples_src *s, const char *body, size_t len);

#endif
