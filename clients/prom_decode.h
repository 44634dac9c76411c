/* prom_decode: the answers of the Prometheus HTTP API (/api/v1/query and /api/v1/query_range)
 * decoded into plain C structs, with no I/O, so that they can be tested and fuzzed alone.
 *
 * A success ({"status":"success","data":{"resultType":…,"result":…}}) gives a vector (one sample
 * per series), a matrix (several per series), a scalar or a string. Sample values come as
 * strings ("0.25", "NaN", "+Inf", "-Inf") and timestamps as float seconds; warnings are kept.
 * An error gives one line in e: the server's errorType and error when it sent JSON ("Prometheus
 * 400 bad_data: invalid parameter \"query\": …", "Prometheus 422 execution: …", "Prometheus 503
 * timeout: …"), else the status and an excerpt of the page. A 503 that is not JSON is Prometheus
 * starting up (replaying its WAL): r->starting is set, so that it is shown as "starting", not as
 * a failure of the query. */
#ifndef MLTOP_PROM_DECODE_H
#define MLTOP_PROM_DECODE_H

#include <stddef.h>

#include "clients/err.h"

enum prom_rtype { PROM_RNONE, PROM_VECTOR, PROM_MATRIX, PROM_SCALAR, PROM_STRING };

#define PROM_MAX_SERIES   100000 /* series of one answer; more are left out (r->truncated) */
#define PROM_MAX_SAMPLES  11000  /* samples of one series (the server's own limit) */
#define PROM_MAX_WARNINGS 16

struct prom_label {
	char *name, *value;
};

struct prom_sample {
	double t; /* seconds since the epoch */
	double v;
};

struct prom_series {
	struct prom_label *labels;
	size_t nlabels;
	struct prom_sample *samples; /* one for a vector, oldest first for a matrix */
	size_t n;
};

struct prom_result {
	enum prom_rtype type;
	struct prom_series *series; /* vector and matrix */
	size_t n;
	struct prom_sample scalar; /* scalar (and the time of a string) */
	char *string;              /* string */
	char **warnings;
	size_t nwarnings;
	int truncated; /* series or samples over the bounds were left out */
	int starting;  /* a 503 without JSON: the server is not ready yet */
	long status;
};

/* Decodes one answer of HTTP status status (content_type may be NULL). Returns 0 with r filled
 * (free with prom_result_fini), ERR_HTTP for an error answer (r->starting may be set), ERR_PARSE
 * for a body that is not a Prometheus answer, ERR_NOMEM. r is always safe to fini. */
int prom_decode(long status, const char *content_type, const char *body, size_t len,
                struct prom_result *r, struct err *e);
void prom_result_fini(struct prom_result *r);

/* The value of the label name of s, or NULL. */
const char *prom_series_label(const struct prom_series *s, const char *name);

#endif
