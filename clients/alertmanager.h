/* alertmanager: the asynchronous Alertmanager API v2 client (0.25) on the shared http pool:
 * the alerts (with filter matchers and the active / silenced / inhibited flags), as a list or
 * as the route groups them, the silences,
 * creating a silence and expiring one. Decoding is clients/alertmanager_parse.h.
 *
 * How a panel uses it (the Alerts panel):
 *   - at start, draw from the cache: cache_get(scope "alertmanager", key) with the key of
 *     alertmanager_alerts_key / ALERTMANAGER_SILENCES_KEY, then alertmanager_parse_alerts /
 *     alertmanager_parse_silences on the body (its fetch time gives the age);
 *   - a sched job per list calls alertmanager_alerts / alertmanager_silences; the final event
 *     carries the list (take it by setting the field to NULL) or err's one line, and the body
 *     is filed through put once the event returns (set put to a cache_put on the panel's scope);
 *     sched_done_retry(…, ev->rc == 0, ev->latency_ms, msg, err->retry_after_ms);
 *   - `x`: alertmanager_silence_create with the alert's labels as equal matchers (see
 *     alertmanager_matchers_from_labels), starts now, ends now + the duration asked, createdBy
 *     user@host, the comment typed; the event carries the new id; then refresh both lists.
 *   - `X`: alertmanager_silence_expire(id); refresh both lists.
 * Each call returns an op id (> 0) at once and calls back exactly once from http_perform, unless
 * cancelled (alertmanager_cancel, or alertmanager_free: no callback). */
#ifndef MLTOP_ALERTMANAGER_H
#define MLTOP_ALERTMANAGER_H

#include <stddef.h>
#include <stdint.h>

#include "clients/alertmanager_parse.h"
#include "clients/err.h"
#include "clients/opcall.h"

struct http;
struct http_auth;

struct alertmanager_config {
	const char *base_url;         /* http(s)://host:port[/route-prefix] */
	const struct http_auth *auth; /* bearer or basic, CA; borrowed; NULL: none */
	int64_t (*now_ms)(void);      /* NULL: the wall clock */
	long timeout_ms;              /* 0: the http default */
	size_t max_body;              /* 0: the http default */
	opcall_put_fn put;            /* every good list body with its key; NULL: not filed */
	void *put_ud;
	int readonly; /* 1: creating and expiring silences is refused (ERR_STATE) */
};

enum alertmanager_kind {
	ALERTMANAGER_ALERTS,
	ALERTMANAGER_GROUPS,
	ALERTMANAGER_SILENCES,
	ALERTMANAGER_SILENCE_CREATE,
	ALERTMANAGER_SILENCE_EXPIRE
};

struct alertmanager_event {
	long op;
	int kind;              /* enum alertmanager_kind */
	int rc;                /* 0 or a negative code */
	const struct err *err; /* rc < 0: the one line to show */
	long http_status;      /* 0 when no answer came */
	int64_t latency_ms;
	/* rc 0: the result; take a list by setting the field to NULL, else it is freed after */
	struct am_alerts *alerts;     /* ALERTS */
	struct am_groups *groups;     /* GROUPS */
	struct am_silences *silences; /* SILENCES */
	char silence_id[64];          /* SILENCE_CREATE: the new (or kept) id */
};

typedef void (*alertmanager_event_fn)(void *ud, struct alertmanager_event *ev);

/* A flag: left out of the query (the server's default, true), or sent as false / true. */
enum am_flag { AM_FLAG_DEFAULT, AM_FLAG_FALSE, AM_FLAG_TRUE };

struct am_alerts_query {
	const char *const *filters; /* matchers, one per filter parameter: name="v", name=~"re",
	                             * name!="v", name!~"re" (no braces); AND-ed by the server */
	size_t nfilters;
	int active, silenced, inhibited; /* enum am_flag */
	const char *receiver;            /* a regex (anchored by the server), or NULL */
};

struct am_silence_new {
	const struct am_matcher *matchers; /* at least one */
	size_t nmatchers;
	int64_t starts_ms, ends_ms; /* ends after starts */
	const char *created_by;     /* required by the server */
	const char *comment;        /* required by the server, may not be empty here */
	const char *id;             /* update of this silence, or NULL: a new one */
};

struct alertmanager;

struct alertmanager *alertmanager_new(struct http *http, const struct alertmanager_config *cfg,
                                      struct err *e);
void alertmanager_free(struct alertmanager **a); /* not from a callback */
void alertmanager_cancel(struct alertmanager *a, long op);
int alertmanager_busy(const struct alertmanager *a);

long alertmanager_alerts(struct alertmanager *a, const struct am_alerts_query *q,
                         alertmanager_event_fn fn, void *ud, struct err *e);
/* The same alerts as the route groups them (GET /api/v2/alerts/groups, the same query). */
long alertmanager_groups(struct alertmanager *a, const struct am_alerts_query *q,
                         alertmanager_event_fn fn, void *ud, struct err *e);
/* filters: the silences' own matchers to match exactly (NULL, 0: every silence). */
long alertmanager_silences(struct alertmanager *a, const char *const *filters, size_t nfilters,
                           alertmanager_event_fn fn, void *ud, struct err *e);
long alertmanager_silence_create(struct alertmanager *a, const struct am_silence_new *s,
                                 alertmanager_event_fn fn, void *ud, struct err *e);
long alertmanager_silence_expire(struct alertmanager *a, const char *id, alertmanager_event_fn fn,
                                 void *ud, struct err *e);

/* The path and query of GET alerts ("/api/v2/alerts?filter=…&silenced=false"), which is also
 * its cache key; malloc'd, NULL when out of memory. */
char *alertmanager_alerts_key(const struct am_alerts_query *q);
char *alertmanager_groups_key(const struct am_alerts_query *q); /* "/api/v2/alerts/groups?…" */
#define ALERTMANAGER_SILENCES_KEY "/api/v2/silences"

/* The body of POST /api/v2/silences; malloc'd, NULL with e filled when s is not valid (no
 * matcher, an empty name, ends not after starts, no creator or comment) or out of memory. */
char *alertmanager_silence_body(const struct am_silence_new *s, struct err *e);

/* One equal, non-regex matcher per label of l (into m, at most max); returns how many. */
size_t alertmanager_matchers_from_labels(const struct kvlist *l, struct am_matcher *m, size_t max);

#endif
