/* metrics.c: the /metrics exposition of the serving world. */
#include "sim/metrics.h"

#include <string.h>

#include "sim/ops.h"
#include "sim/serving.h"

#define METRICS_CTYPE "text/plain; version=0.0.4; charset=utf-8"
#define PSI_DRIFT     0.2
#define PVALUE_DRIFT  0.05

typedef void (*metrics_series_fn)(struct ops_buf *b, const struct serving_dep *d,
                                  const struct serving_version *v);

static int metrics_has_traffic(const struct serving_version *v)
{
	for (int c = 0; c < SERVING_NCODES; c++)
		if (v->req[c])
			return 1;
	return 0;
}

static void metrics_requests(struct ops_buf *b, const struct serving_dep *d,
                             const struct serving_version *v)
{
	if (!metrics_has_traffic(v))
		return;
	for (int c = 0; c < SERVING_NCODES; c++)
		ops_buf_printf(
		    b, "model_requests_total{model=\"%s\",version=\"%s\",code=\"%s\"} %llu\n",
		    d->name, v->name, serving_codes[c], (unsigned long long)v->req[c]);
}

static void metrics_duration(struct ops_buf *b, const struct serving_dep *d,
                             const struct serving_version *v)
{
	unsigned long long cum = 0;

	if (!metrics_has_traffic(v))
		return;
	for (int k = 0; k < SERVING_NBUCKETS; k++) {
		cum += v->bucket[k];
		ops_buf_printf(b,
		               "model_request_duration_seconds_bucket{model=\"%s\",version=\"%s\","
		               "le=\"%s\"} %llu\n",
		               d->name, v->name, serving_bucket_le_str[k], cum);
	}
	ops_buf_printf(b, "model_request_duration_seconds_sum{model=\"%s\",version=\"%s\"} %.6f\n",
	               d->name, v->name, v->sum_s);
	ops_buf_printf(b,
	               "model_request_duration_seconds_count{model=\"%s\",version=\"%s\"} %llu\n",
	               d->name, v->name, cum);
}

/* One line per feature (and method) of a drift gauge; which says what value to print. */
enum metrics_drift_kind { DRIFT_SCORE, DRIFT_PVALUE, DRIFT_DETECTED };

static void metrics_feature_line(struct ops_buf *b, const char *name, const struct serving_dep *d,
                                 const struct serving_version *v, int f, const char *method,
                                 double value)
{
	ops_buf_printf(b, "%s{model=\"%s\",version=\"%s\",feature=\"%s\",method=\"%s\"} %.6g\n",
	               name, d->name, v->name, d->features[f].name, method, value);
}

static void metrics_feature_gauge(struct ops_buf *b, const char *name, const struct serving_dep *d,
                                  const struct serving_version *v, enum metrics_drift_kind kind)
{
	for (int f = 0; f < d->n_features && v->has_drift; f++) {
		double psi = v->drift_psi[f], p = v->drift_pvalue[f];

		/* psi for every feature (it has no p-value) */
		if (kind != DRIFT_PVALUE)
			metrics_feature_line(b, name, d, v, f, "psi",
			                     kind == DRIFT_SCORE ? psi : psi >= PSI_DRIFT);
		/* the KS test for numeric features */
		if (d->features[f].kind == FEATURE_CAT)
			continue;
		metrics_feature_line(b, name, d, v, f, "ks",
		                     kind == DRIFT_SCORE    ? v->drift_ks[f]
		                     : kind == DRIFT_PVALUE ? p
		                                            : p < PVALUE_DRIFT);
	}
}

static void metrics_drift_score(struct ops_buf *b, const struct serving_dep *d,
                                const struct serving_version *v)
{
	metrics_feature_gauge(b, "model_feature_drift_score", d, v, DRIFT_SCORE);
}

static void metrics_drift_pvalue(struct ops_buf *b, const struct serving_dep *d,
                                 const struct serving_version *v)
{
	metrics_feature_gauge(b, "model_feature_drift_pvalue", d, v, DRIFT_PVALUE);
}

static void metrics_drift_detected(struct ops_buf *b, const struct serving_dep *d,
                                   const struct serving_version *v)
{
	metrics_feature_gauge(b, "model_feature_drift_detected", d, v, DRIFT_DETECTED);
}

static void metrics_dataset_share(struct ops_buf *b, const struct serving_dep *d,
                                  const struct serving_version *v)
{
	int n = 0;

	if (!v->has_drift)
		return;
	for (int f = 0; f < d->n_features; f++)
		n += v->drift_psi[f] >= PSI_DRIFT;
	ops_buf_printf(b, "model_dataset_drift_share{model=\"%s\",version=\"%s\"} %.4f\n", d->name,
	               v->name, (double)n / d->n_features);
}

static void metrics_prediction_drift(struct ops_buf *b, const struct serving_dep *d,
                                     const struct serving_version *v)
{
	if (v->has_drift)
		ops_buf_printf(b,
		               "model_prediction_drift_score{model=\"%s\",version=\"%s\","
		               "method=\"psi\"} %.4f\n",
		               d->name, v->name, v->drift_pred);
}

static void metrics_last_run(struct ops_buf *b, const struct serving_dep *d,
                             const struct serving_version *v)
{
	if (v->drift_run_ms > 0)
		ops_buf_printf(
		    b,
		    "model_drift_last_run_timestamp_seconds{model=\"%s\",version=\"%s\"} "
		    "%.3f\n",
		    d->name, v->name, (double)v->drift_run_ms / 1000.0);
}

struct metrics_family {
	const char *name, *type, *help;
	metrics_series_fn fn;
};

static const struct metrics_family metrics_families[] = {
    {"model_requests_total", "counter", "Prediction requests by model version and HTTP code.",
     metrics_requests},
    {"model_request_duration_seconds", "histogram", "Prediction latency in seconds.",
     metrics_duration},
    {"model_feature_drift_score", "gauge",
     "Drift of one input feature against the reference window, by method (psi, ks).",
     metrics_drift_score},
    {"model_feature_drift_pvalue", "gauge", "p-value of the test-based drift methods (ks).",
     metrics_drift_pvalue},
    {"model_feature_drift_detected", "gauge", "1 when the drift detector flags the feature.",
     metrics_drift_detected},
    {"model_dataset_drift_share", "gauge", "Share of the features flagged as drifted.",
     metrics_dataset_share},
    {"model_prediction_drift_score", "gauge", "Drift of the predictions (psi).",
     metrics_prediction_drift},
    {"model_drift_last_run_timestamp_seconds", "gauge",
     "Unix time of the drift monitor's last run.", metrics_last_run},
};

static void metrics_render(struct ops_buf *b)
{
	for (size_t i = 0; i < sizeof(metrics_families) / sizeof(metrics_families[0]); i++) {
		const struct metrics_family *m = &metrics_families[i];
		ops_buf_printf(b, "# HELP %s %s\n# TYPE %s %s\n", m->name, m->help, m->name,
		               m->type);
		for (int di = 0; di < serving_dep_count(); di++) {
			const struct serving_dep *d = serving_dep_at(di);
			for (int vi = 0; vi < d->n_versions; vi++)
				m->fn(b, d, &d->v[vi]);
		}
	}
}

int metrics_route(const struct sim_req *req, struct sim_resp *resp)
{
	struct ops_buf b = {0};

	if (strcmp(req->path, "/metrics") != 0)
		return 0;
	if (strcmp(req->method, "GET") != 0) {
		sim_resp_text(resp, 405, "text/plain; charset=utf-8", "method not allowed\n");
		return 1;
	}
	metrics_render(&b);
	ops_buf_respond(&b, resp, 200, METRICS_CTYPE);
	return 1;
}
