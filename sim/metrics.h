/* metrics.h: GET /metrics, the serving world in the Prometheus text format 0.0.4:
 * model_requests_total{model,version,code} counters, the model_request_duration_seconds histogram,
 * and the drift gauges of docs/wire-formats.md, Prometheus: serving metrics
 * (model_feature_drift_score, _pvalue, _detected, model_dataset_drift_share,
 * model_prediction_drift_score, model_drift_last_run_timestamp_seconds). A version appears once
 * it has served traffic; its drift gauges only while the drift monitor has recent traffic to
 * compare. */
#ifndef MLTOP_SIM_METRICS_H
#define MLTOP_SIM_METRICS_H

#include "sim/sim.h"

int metrics_route(const struct sim_req *req, struct sim_resp *resp);

#endif
