/* alerts_world.c: the world's own alerts: drift, error ratio and latency per model version. */
#include "sim/alerts_world.h"

#include <cjson/cJSON.h>
#include <stdio.h>

#include "sim/alerts.h"
#include "sim/serving.h"

#define WORLD_MAX_RAISED (SERVING_MAX_DEPS * SERVING_MAX_VERSIONS * (SERVING_MAX_FEATURES + 2))

struct world_raised {
	cJSON *labels[WORLD_MAX_RAISED];
	int n;
};

static cJSON *world_labels(const char *alertname, const struct serving_dep *d,
                           const struct serving_version *v, const char *severity)
{
	cJSON *l = cJSON_CreateObject();

	cJSON_AddStringToObject(l, "alertname", alertname);
	cJSON_AddStringToObject(l, "model", d->name);
	cJSON_AddStringToObject(l, "namespace", SERVING_NS);
	cJSON_AddStringToObject(l, "severity", severity);
	cJSON_AddStringToObject(l, "version", v->name);
	return l;
}

static void world_raise(struct world_raised *r, cJSON *labels, const char *summary,
                        const char *value, const char *threshold, const char *runbook, int64_t t)
{
	cJSON *a = cJSON_CreateObject();
	char url[128];

	snprintf(url, sizeof(url), "https://runbooks.example.com/mltop/%s", runbook);
	cJSON_AddStringToObject(a, "summary", summary);
	cJSON_AddStringToObject(a, "description", summary);
	cJSON_AddStringToObject(a, "value", value);
	cJSON_AddStringToObject(a, "threshold", threshold);
	cJSON_AddStringToObject(a, "runbook_url", url);
	alerts_put(labels, a, NULL, t, t + ALERTS_RESOLVE_TIMEOUT_MS, 1, t);
	cJSON_Delete(a);
	if (r->n < WORLD_MAX_RAISED)
		r->labels[r->n++] = labels;
	else
		cJSON_Delete(labels);
}

static void world_drift(struct world_raised *r, const struct serving_dep *d,
                        const struct serving_version *v, int64_t t)
{
	char summary[256], value[32];

	for (int f = 0; f < d->n_features && v->has_drift; f++) {
		double psi = v->drift_psi[f];
		int crit = psi > ALERTS_DRIFT_CRIT;
		cJSON *l;

		if (psi <= ALERTS_DRIFT_WARN)
			continue;
		l = world_labels("ModelFeatureDrift", d, v, crit ? "critical" : "warning");
		cJSON_AddStringToObject(l, "feature", d->features[f].name);
		cJSON_AddStringToObject(l, "drift_metric", "psi");
		snprintf(summary, sizeof(summary), "PSI %.2f on %s (%s/%s)", psi,
		         d->features[f].name, d->name, v->name);
		snprintf(value, sizeof(value), "%.2f", psi);
		world_raise(r, l, summary, value, crit ? "0.25" : "0.2", "model-feature-drift", t);
	}
}

static void world_version(struct world_raised *r, const struct serving_dep *d,
                          const struct serving_version *v, int64_t t)
{
	double err = serving_window_error_ratio(v, t), p99 = serving_window_p99(v, t);
	char summary[256], value[32], slo[32];

	if (serving_window_requests(v, t) < ALERTS_MIN_REQUESTS)
		return;
	if (err > ALERTS_ERROR_RATIO) {
		snprintf(summary, sizeof(summary), "5xx ratio %.1f %% on %s/%s", err * 100, d->name,
		         v->name);
		snprintf(value, sizeof(value), "%.1f %%", err * 100);
		world_raise(r, world_labels("ModelHighErrorRate", d, v, "critical"), summary, value,
		            "5 %", "model-high-error-rate", t);
	}
	if (p99 > SERVING_SLO_P99_S) {
		snprintf(slo, sizeof(slo), "%.0f ms", SERVING_SLO_P99_S * 1000);
		snprintf(summary, sizeof(summary), "p99 %.0f ms on %s/%s (SLO %s)", p99 * 1000,
		         d->name, v->name, slo);
		snprintf(value, sizeof(value), "%.0f ms", p99 * 1000);
		world_raise(r, world_labels("ModelHighLatency", d, v, "warning"), summary, value,
		            slo, "model-high-latency", t);
	}
	world_drift(r, d, v, t);
}

static int world_keep(const void *labels, void *ud)
{
	const struct world_raised *r = ud;

	for (int i = 0; i < r->n; i++)
		if (cJSON_Compare(labels, r->labels[i], 1))
			return 1;
	return 0;
}

void alerts_world_eval(int64_t t)
{
	struct world_raised r = {.n = 0};

	for (int i = 0; i < serving_dep_count() && i < SERVING_MAX_DEPS; i++) {
		const struct serving_dep *d = serving_dep_at(i);
		for (int j = 0; j < d->n_versions; j++)
			world_version(&r, d, &d->v[j], t);
	}
	alerts_resolve_world(t, world_keep, &r);
	for (int i = 0; i < r.n; i++)
		cJSON_Delete(r.labels[i]);
}
