#include "clients/config_query.h"

#include <stdlib.h>
#include <string.h>

#include "clients/config.h"
#include "clients/config_ini.h"

static const char *const config_query_names[CONFIG_NQUERIES] = {
    "rps",        "error_ratio",    "p50",           "p95",          "p99",
    "drift",      "model_label",    "version_label", "window",       "requests_metric",
    "code_label", "latency_metric", "drift_metric",  "errors_metric"};

#define CONFIG_BY "{model_label}, {version_label}"
#define CONFIG_LAT(q)                                                                              \
	"histogram_quantile(" q ", sum by (le, " CONFIG_BY ") "                                    \
	"(rate(model_request_duration_seconds_bucket[{window}])))"

/* The serving queries of the metric names of the simulator and of the drift exporter
 * convention: each is one query for every deployment at once, aggregated by model and version
 * (a query per deployment would grow with their number). */
static const char *const config_query_defaults[CONFIG_NQUERIES] = {
    "sum by (" CONFIG_BY ") (rate(model_requests_total[{window}]))",
    "sum by (" CONFIG_BY ") (rate(model_requests_total{code=~\"5..\"}[{window}])) "
    "/ sum by (" CONFIG_BY ") (rate(model_requests_total[{window}]))",
    CONFIG_LAT("0.50"),
    CONFIG_LAT("0.95"),
    CONFIG_LAT("0.99"),
    "max by (" CONFIG_BY ", feature, method) (model_feature_drift_score)",
    "model",
    "version",
    "5m",
    "model_requests_total",
    "code",
    "model_request_duration_seconds",
    "model_feature_drift_score",
    "", /* errors_metric: none; requests_metric counts failures too */
};

const char *config_query_default(int i)
{
	return i >= 0 && i < CONFIG_NQUERIES ? config_query_defaults[i] : NULL;
}

const char *config_query(const struct config *cfg, const char *name)
{
	for (int i = 0; name && i < CONFIG_NQUERIES; i++)
		if (strcmp(config_query_names[i], name) == 0)
			return cfg->queries[i];
	return NULL;
}

/* Appends s escaped for a PromQL double-quoted string to out (NULL: count only). */
static size_t config_promql_escape(char *out, const char *s)
{
	size_t n = 0;
	for (; s && *s; s++) {
		const char *rep = *s == '"'    ? "\\\""
		                  : *s == '\\' ? "\\\\"
		                  : *s == '\n' ? "\\n"
		                               : NULL;
		size_t k = rep ? 2 : 1;
		if (out)
			memcpy(out + n, rep ? rep : s, k);
		n += k;
	}
	return n;
}

/* The value of the placeholder at t ("{model}"…) and whether it is a string literal's; NULL when
 * t does not start with one. *len is the placeholder's length. */
static const char *config_placeholder(const char *t, const struct config_query_vars *v, size_t *len,
                                      int *literal)
{
	const struct {
		const char *name;
		const char *value;
		int literal;
	} ph[] = {
	    {"{model}", v->model, 1},
	    {"{version}", v->version, 1},
	    {"{namespace}", v->namespace, 1},
	    {"{window}", v->window, 0},
	    {"{model_label}", v->model_label, 0},
	    {"{version_label}", v->version_label, 0},
	};
	for (size_t i = 0; i < sizeof ph / sizeof ph[0]; i++) {
		*len = strlen(ph[i].name);
		if (strncmp(t, ph[i].name, *len) == 0) {
			*literal = ph[i].literal;
			return ph[i].value ? ph[i].value : "";
		}
	}
	return NULL;
}

static size_t config_expand_into(char *out, const char *t, const struct config_query_vars *v)
{
	size_t n = 0, len;
	int literal;
	while (*t) {
		const char *val = *t == '{' ? config_placeholder(t, v, &len, &literal) : NULL;
		if (val) {
			if (literal)
				n += config_promql_escape(out ? out + n : NULL, val);
			else if (out)
				memcpy(out + n, val, strlen(val));
			n += literal ? 0 : strlen(val);
			t += len;
			continue;
		}
		if (out)
			out[n] = *t;
		n++;
		t++;
	}
	if (out)
		out[n] = '\0';
	return n;
}

char *config_query_fill(const char *tmpl, const struct config_query_vars *v)
{
	if (!tmpl)
		return NULL;
	char *out = malloc(config_expand_into(NULL, tmpl, v) + 1);
	if (out)
		config_expand_into(out, tmpl, v);
	return out;
}

char *config_query_expand(const char *tmpl, const char *model, const char *version)
{
	struct config_query_vars v = {.model = model, .version = version};
	return config_query_fill(tmpl, &v);
}
