/* prom_drift: the drift score of every (model, version, feature) from Prometheus in one instant
 * query (the [queries] drift template, aggregated by model, version, feature and method), for the
 * drift table of the Alerts panel. The Serving panel's client (clients/prom.h) keeps only the
 * highest score per version; this one keeps each feature.
 *
 * How a panel uses it: prom_drift_new with the drift query (prom_req_queries' PROM_FIG_DRIFT)
 * and put on the panel's cache scope; at start prom_drift_parse on the cached body of
 * PROM_DRIFT_KEY; a sched job calls prom_drift_fetch, whose event carries the cells (take them by
 * setting the field to NULL) or err's one line. Strings come from the server: sanitize them. */
#ifndef MLTOP_PROM_DRIFT_H
#define MLTOP_PROM_DRIFT_H

#include <stddef.h>
#include <stdint.h>

#include "clients/err.h"
#include "clients/opcall.h"

struct http;
struct http_auth;

#define PROM_DRIFT_KEY "query/drift-features"

struct prom_drift_cell {
	char *model, *version, *feature, *method; /* never NULL; "" when the label is absent */
	double score;
};

struct prom_drift_list {
	struct prom_drift_cell *v;
	size_t n;
};

struct prom_drift_config {
	const char *base_url;         /* http(s)://host[:port][/prefix] */
	const struct http_auth *auth; /* borrowed; NULL: none */
	int64_t (*now_ms)(void);      /* NULL: the wall clock */
	const char *query;            /* PromQL (copied) */
	const char *model_label;      /* NULL: "model" */
	const char *version_label;    /* NULL: "version" */
	opcall_put_fn put;            /* the good body under PROM_DRIFT_KEY; NULL: not filed */
	void *put_ud;
};

struct prom_drift_event {
	long op;
	int rc;                /* 0 or a negative code */
	const struct err *err; /* rc < 0: the one line */
	int64_t latency_ms;
	struct prom_drift_list *cells; /* rc 0; take it by setting the field to NULL */
};

typedef void (*prom_drift_fn)(void *ud, struct prom_drift_event *ev);

struct prom_drift;

struct prom_drift *prom_drift_new(struct http *http, const struct prom_drift_config *cfg,
                                  struct err *e);
void prom_drift_free(struct prom_drift **d); /* cancels what is in flight, without an event */
long prom_drift_fetch(struct prom_drift *d, prom_drift_fn fn, void *ud, struct err *e);

/* The cells of an /api/v1/query answer body (a vector; series without the model label or with
 * a value that is not finite are left out). 0, ERR_PARSE or ERR_NOMEM. */
int prom_drift_parse(const char *body, size_t len, const char *model_label,
                     const char *version_label, struct prom_drift_list *out, struct err *e);
void prom_drift_list_free(struct prom_drift_list **l);

#endif
