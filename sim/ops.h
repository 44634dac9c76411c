/* ops.h: small helpers shared by the ops side of mltop-sim (serving, metrics, kserve, alerts,
 * samples): a growing text buffer, RFC3339 times, and the world's random stream. */
#ifndef MLTOP_SIM_OPS_H
#define MLTOP_SIM_OPS_H

#include <stddef.h>
#include <stdint.h>

#include "sim/rng.h"
#include "sim/sim.h"

/* A growing NUL-terminated text buffer; ops_buf_printf aborts the process on out-of-memory (the
 * simulator has nothing better to do then). */
struct ops_buf {
	char *s;
	size_t len, cap;
};
void ops_buf_printf(struct ops_buf *b, const char *fmt, ...) __attribute__((format(printf, 2, 3)));
void ops_buf_append(struct ops_buf *b, const char *s, size_t n);
/* Hands the text to resp (which frees it) with the given status and content type. */
void ops_buf_respond(struct ops_buf *b, struct sim_resp *resp, int status, const char *ctype);

/* An empty answer: no body and no Content-Type (as Alertmanager sends on 200 POST/DELETE). */
void ops_resp_empty(struct sim_resp *resp, int status);

/* Alertmanager's validation error body {"code":code,"message":msg}. */
void ops_resp_am_error(struct sim_resp *resp, int status, int code, const char *msg);

/* "2026-11-29T04:15:48.205Z" (out must hold 32 bytes). */
void ops_time_fmt(int64_t ms, char *out);
/* RFC3339 with optional fraction and Z or +hh:mm, or a plain number of Unix seconds.
 * Returns 0 and sets *ms, or -1. */
int ops_time_parse(const char *s, int64_t *ms);
/* Adds key: ops_time_fmt(ms) to a cJSON object (void * keeps cJSON out of this header). */
void ops_json_time(void *obj, const char *key, int64_t ms);

/* The world's random stream (seeded by --seed); only used under the world lock. */
struct rng *ops_rng(void);

#endif
