/* prom_req: what the Prometheus client sends and how an answer becomes serving figures. Shared
 * by clients/prom.c (fetching) and its restore from the cache, and testable alone. */
#ifndef MLTOP_PROM_REQ_H
#define MLTOP_PROM_REQ_H

#include <stddef.h>
#include <stdint.h>

#include "clients/prom_decode.h"
#include "clients/prom_table.h"

struct config;

/* A query longer than this (URL-encoded) is sent as a POST form instead of a GET. */
#define PROM_GET_MAX 1800

/* One request: a GET of url, or a POST of form (x-www-form-urlencoded) to url when form is
 * set. Strings are malloc'd. */
struct prom_http {
	char *url;
	char *form;
};

/* /api/v1/query (range 0: at the server's now) or /api/v1/query_range from start_s to end_s
 * every step_s seconds. base is the server's URL without a trailing '/'. Returns 0 or
 * ERR_NOMEM. */
int prom_req_build(const char *base, const char *query, int range, double start_s, double end_s,
                   double step_s, struct prom_http *out);
void prom_http_fini(struct prom_http *h);

/* The cache key of a figure's answer: "query/rps", "range/p95". Static strings. */
const char *prom_req_key(int range, enum prom_fig f);

/* The six queries of the config (its [queries] templates with the labels, the window and the
 * namespace filled in), into out[PROM_NFIG] (caller frees each). Returns 0 or ERR_NOMEM. */
int prom_req_queries(const struct config *cfg, const char *namespace, char *out[PROM_NFIG]);

/* Puts an answer of figure f into t: an instant answer (a vector, or a matrix's last samples)
 * sets value[f] of each (model, version) it names and NaN for the rows it does not; a range
 * answer replaces spark[f]. Series without the model label are skipped; a missing version label
 * is "". Several series of one row (drift: one per feature) give their highest value. Returns
 * the number of series used, or ERR_NOMEM. */
int prom_req_apply(struct prom_table *t, enum prom_fig f, int range, const struct prom_result *r,
                   const char *model_label, const char *version_label);

#endif
