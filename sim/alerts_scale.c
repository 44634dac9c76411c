/* alerts_scale.c: the --alerts N alerts. */
#include "sim/alerts_scale.h"

#include <cjson/cJSON.h>
#include <stdio.h>

#include "sim/alerts.h"

#define SCALE_FEATURES 10
#define SCALE_YEAR_MS  (365LL * 24 * 3600 * 1000)

static void alerts_scale_one(long i, int64_t now)
{
	cJSON *l = cJSON_CreateObject(), *a = cJSON_CreateObject();
	char model[32], version[8], feature[16], value[16], summary[128];
	double psi = 0.1 + (double)(i % 30) / 100.0;
	int crit = i % 7 == 0;

	snprintf(model, sizeof(model), "bench-model-%03ld", i / (2 * SCALE_FEATURES));
	snprintf(version, sizeof(version), "v%ld", 1 + (i / SCALE_FEATURES) % 2);
	snprintf(feature, sizeof(feature), "feature_%02ld", i % SCALE_FEATURES);
	snprintf(value, sizeof(value), "%.2f", psi);
	snprintf(summary, sizeof(summary), "PSI %.2f on %s (%s/%s)", psi, feature, model, version);
	cJSON_AddStringToObject(l, "alertname", "ModelFeatureDrift");
	cJSON_AddStringToObject(l, "model", model);
	cJSON_AddStringToObject(l, "version", version);
	cJSON_AddStringToObject(l, "feature", feature);
	cJSON_AddStringToObject(l, "drift_metric", "psi");
	cJSON_AddStringToObject(l, "severity", crit ? "critical" : "warning");
	cJSON_AddStringToObject(l, "namespace", "bench");
	cJSON_AddStringToObject(a, "summary", summary);
	cJSON_AddStringToObject(a, "value", value);
	cJSON_AddStringToObject(a, "threshold", crit ? "0.25" : "0.2");
	alerts_put(l, a, NULL, now - (i % 120) * 60000LL, now + SCALE_YEAR_MS, 0, now);
	cJSON_Delete(l);
	cJSON_Delete(a);
}

void alerts_scale_raise(long n, int64_t now)
{
	for (long i = 0; i < n; i++)
		alerts_scale_one(i, now);
}
