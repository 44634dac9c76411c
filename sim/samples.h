/* samples.h: failed samples (errored or misclassified predictions) produced by the traffic, kept in
 * a bounded ring per deployment and served as JSON Lines:
 *
 *   GET /samples?model=&version=&feature=&since=&limit=
 *
 * One JSON object per line, oldest first, the newest `limit` (default 100, at most 1000) that
 * match: {"id","time","model","version","input":{feature:value...},"prediction","label","score",
 * "error"}; prediction and score are null for errored requests, error is null for wrong
 * predictions. feature=F keeps the samples whose F lies outside the reference range (where drift
 * shows); since= is RFC3339 or Unix seconds (exclusive). Content-Type application/x-ndjson. */
#ifndef MLTOP_SIM_SAMPLES_H
#define MLTOP_SIM_SAMPLES_H

#include <stdint.h>

#include "sim/serving.h"
#include "sim/sim.h"

#define SAMPLES_RING 1000

struct samples_rec {
	int64_t ms;
	uint64_t seq;
	int version;
	double input[SERVING_MAX_FEATURES]; /* a category's index for FEATURE_CAT */
	int code;                           /* 200, or the 5xx of an errored request */
	int predicted_pos, label_pos;
	double score; /* the model's probability of the positive class */
};

void samples_init(void);
/* n more failed samples (mltop-sim --samples N), spread over the hour before end_ms across the
 * deployments and their versions, served with the others. 0, or -1 when out of memory. */
int samples_bulk(long n, uint64_t seed, int64_t end_ms);
/* Stores one sample of deployment dep (its seq is assigned here). */
void samples_add(int dep, const struct samples_rec *rec);
/* The number of samples kept for deployment dep. */
int samples_count(int dep);
int samples_route(const struct sim_req *req, struct sim_resp *resp);

#endif
