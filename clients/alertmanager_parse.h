/* alertmanager_parse: the decoders of Alertmanager API v2 (0.25) bodies into plain C structs
 * the caller owns: GET /api/v2/alerts, GET /api/v2/silences (and one silence), the answer of
 * POST /api/v2/silences, and the error bodies (a bare JSON string, a {code, message} object, or
 * nothing). No I/O: a panel restoring from the cache and the fuzzers call them directly.
 *
 * Strings are copied into the list's arena as the server sent them (never NULL, "" when
 * absent); whoever draws them sanitizes them. Times are Unix ms, 0 when absent or unreadable. */
#ifndef MLTOP_ALERTMANAGER_PARSE_H
#define MLTOP_ALERTMANAGER_PARSE_H

#include <stddef.h>
#include <stdint.h>

#include "clients/err.h"
#include "clients/kvlist.h"

struct http_resp;

enum am_state { AM_STATE_UNKNOWN, AM_STATE_ACTIVE, AM_STATE_SUPPRESSED, AM_STATE_UNPROCESSED };

struct am_alert {
	struct kvlist labels;      /* alertname, model, version, feature, severity, … */
	struct kvlist annotations; /* summary, description, value, threshold, … */
	int64_t starts_ms, ends_ms, updated_ms;
	int state;                   /* enum am_state */
	const char *state_text;      /* status.state as sent */
	struct strlist silenced_by;  /* silence ids */
	struct strlist inhibited_by; /* fingerprints of the inhibiting alerts */
	const char *fingerprint;
	const char *generator_url;
};

struct am_alerts {
	struct arena *arena;
	struct am_alert *v;
	size_t n;
	size_t skipped; /* elements that were not alert objects, members of the wrong type */
};

/* GET /api/v2/alerts/groups: the alerts as the route groups them (by its group_by labels). */
struct am_group {
	struct kvlist labels; /* exactly the route's group_by labels */
	const char *receiver;
	struct am_alert *alerts;
	size_t nalerts;
};

struct am_groups {
	struct arena *arena;
	struct am_group *v;
	size_t n;
	size_t skipped;
};

enum am_silence_state {
	AM_SILENCE_UNKNOWN,
	AM_SILENCE_ACTIVE,
	AM_SILENCE_PENDING,
	AM_SILENCE_EXPIRED
};

struct am_matcher {
	const char *name;
	const char *value;
	int is_regex;
	int is_equal; /* 0: != or !~; absent means 1 */
};

struct am_silence {
	const char *id;
	int state; /* enum am_silence_state */
	const char *state_text;
	int64_t starts_ms, ends_ms, updated_ms;
	const char *created_by;
	const char *comment;
	struct am_matcher *matchers;
	size_t nmatchers;
};

struct am_silences {
	struct arena *arena;
	struct am_silence *v;
	size_t n;
	size_t skipped;
};

/* _new returns an empty list (NULL when out of memory); _free frees it and sets it NULL. */
struct am_alerts *am_alerts_new(void);
void am_alerts_free(struct am_alerts **l);
struct am_groups *am_groups_new(void);
void am_groups_free(struct am_groups **l);
struct am_silences *am_silences_new(void);
void am_silences_free(struct am_silences **l);

/* Appends the alerts of a GET /api/v2/alerts body (a JSON array) to out. ERR_PARSE when the
 * body is not JSON or not an array; elements that are not objects are skipped and counted. */
int alertmanager_parse_alerts(const char *body, size_t len, struct am_alerts *out, struct err *e);
/* Appends the groups of a GET /api/v2/alerts/groups body (a JSON array) to out. */
int alertmanager_parse_groups(const char *body, size_t len, struct am_groups *out, struct err *e);
/* Appends the silences of GET /api/v2/silences (an array) or of GET /api/v2/silence/{id} (one
 * object) to out. */
int alertmanager_parse_silences(const char *body, size_t len, struct am_silences *out,
                                struct err *e);
/* The id of {"silenceID": "…"} into id (NUL-terminated, cut at size). ERR_PARSE without one. */
int alertmanager_parse_silence_id(const char *body, size_t len, char *id, size_t size,
                                  struct err *e);

/* The one line of a failed answer into e ("Alertmanager 500 Internal Server Error: silence not
 * found", "Alertmanager 422 Unprocessable Entity: comment in body is required", "Alertmanager
 * 404 Not Found", "Alertmanager: connection refused …"), branching on the first non-blank byte
 * of the body. Returns the negative code (clients/httperr.h). */
int alertmanager_error(struct err *e, const struct http_resp *r);

/* The silence of that id in l (to say who silenced an alert and until when, from its
 * silenced_by), or NULL. */
const struct am_silence *am_silences_find(const struct am_silences *l, const char *id);

#endif
