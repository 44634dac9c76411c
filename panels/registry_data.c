#include "panels/registry_data.h"

#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "tui/widgets/text.h"

/* Appends s to buf (n bytes, NUL-terminated), keeping what fits. */
static void append(char *buf, size_t n, const char *s)
{
	size_t len = strlen(buf);
	if (len + 1 < n)
		snprintf(buf + len, n - len, "%s", s);
}

static const char *str(const char *s)
{
	return s ? s : "";
}

char *registry_alias_summary(const struct mlflow_registered_model *m, const char *arrow, char *buf,
                             size_t n)
{
	if (!n)
		return buf;
	buf[0] = '\0';
	for (size_t i = 0; m && i < m->naliases; i++) {
		if (!m->aliases[i].alias)
			continue;
		if (buf[0])
			append(buf, n, " ");
		append(buf, n, m->aliases[i].alias);
		append(buf, n, arrow);
		append(buf, n, str(m->aliases[i].version));
	}
	return buf;
}

/* Versions are numbers sent as strings: compare them as numbers. */
static long version_num(const char *v)
{
	return v ? strtol(v, NULL, 10) : 0;
}

const char *registry_champion(const struct mlflow_registered_model *m)
{
	if (!m)
		return NULL;
	const char *c = mlflow_model_alias(m, "champion");
	if (c)
		return c;
	for (size_t i = 0; i < m->nlatest; i++) {
		const struct mlflow_model_version *v = &m->latest_versions[i];
		if (v->current_stage && strcmp(v->current_stage, "Production") == 0 && v->version &&
		    (!c || version_num(v->version) > version_num(c)))
			c = v->version;
	}
	return c;
}

static int same(const char *a, const char *b)
{
	return a && b && strcmp(a, b) == 0;
}

char *registry_version_aliases(const struct mlflow_registered_model *m,
                               const struct mlflow_model_version *v, char *buf, size_t n)
{
	if (!n)
		return buf;
	buf[0] = '\0';
	if (m && (m->have_aliases || m->naliases)) {
		for (size_t i = 0; i < m->naliases; i++) {
			if (!m->aliases[i].alias || !same(m->aliases[i].version, v->version))
				continue;
			if (buf[0])
				append(buf, n, ", ");
			append(buf, n, m->aliases[i].alias);
		}
		return buf;
	}
	for (size_t i = 0; i < v->naliases; i++) {
		if (!v->aliases[i])
			continue;
		if (buf[0])
			append(buf, n, ", ");
		append(buf, n, v->aliases[i]);
	}
	return buf;
}

int registry_version_has_alias(const struct mlflow_registered_model *m,
                               const struct mlflow_model_version *v, const char *alias)
{
	if (m && (m->have_aliases || m->naliases))
		return same(mlflow_model_alias(m, alias), v->version);
	for (size_t i = 0; i < v->naliases; i++)
		if (same(v->aliases[i], alias))
			return 1;
	return 0;
}

long registry_versions_of(const struct mlflow_versions *all, const char *name,
                          const struct mlflow_model_version ***out)
{
	*out = NULL;
	size_t n = 0;
	for (size_t i = 0; all && i < all->n; i++)
		n += same(all->items[i].name, name);
	if (!n)
		return 0;
	*out = malloc(n * sizeof **out);
	if (!*out)
		return -1;
	n = 0;
	for (size_t i = 0; i < all->n; i++)
		if (same(all->items[i].name, name))
			(*out)[n++] = &all->items[i];
	return (long)n;
}

static const struct mlflow_models *cmp_models; /* qsort has no context argument */

static int by_name(const void *a, const void *b)
{
	const char *x = str(cmp_models->items[*(const size_t *)a].name);
	const char *y = str(cmp_models->items[*(const size_t *)b].name);
	return strcmp(x, y);
}

/* The index (into idx, sorted by name) of the model called name, or -1. */
static long find_sorted(const struct mlflow_models *models, const size_t *idx, const char *name)
{
	size_t lo = 0, hi = models->n;
	while (lo < hi) {
		size_t mid = lo + (hi - lo) / 2;
		int c = strcmp(str(models->items[idx[mid]].name), name);
		if (c == 0)
			return (long)idx[mid];
		if (c < 0)
			lo = mid + 1;
		else
			hi = mid;
	}
	return -1;
}

int registry_version_counts(const struct mlflow_models *models, const struct mlflow_versions *all,
                            size_t *counts)
{
	if (!models || !models->n)
		return 0;
	memset(counts, 0, models->n * sizeof *counts);
	size_t *idx = malloc(models->n * sizeof *idx);
	if (!idx)
		return -1;
	for (size_t i = 0; i < models->n; i++)
		idx[i] = i;
	cmp_models = models;
	qsort(idx, models->n, sizeof *idx, by_name);
	for (size_t i = 0; all && i < all->n; i++) {
		long m = all->items[i].name ? find_sorted(models, idx, all->items[i].name) : -1;
		if (m >= 0)
			counts[m]++;
	}
	free(idx);
	return 0;
}

static const struct config_model *config_model_for(const struct config *cfg, const char *model)
{
	for (size_t i = 0; cfg && i < config_model_count(cfg); i++) {
		const struct config_model *c = config_model_at(cfg, i);
		if (same(c->registered, model))
			return c;
	}
	return cfg ? config_model_find(cfg, model) : NULL;
}

/* Whether one of the versions' source runs has the metric. */
static int runs_have(const struct runstore *runs, const char *metric,
                     const struct mlflow_model_version *const *v, size_t n)
{
	uint32_t key = runs ? runstore_key_id(runs, metric) : RUNSTORE_NO_KEY;
	if (key == RUNSTORE_NO_KEY)
		return 0;
	for (size_t i = 0; i < n; i++) {
		const struct mlflow_run *r =
		    v[i]->run_id ? runstore_find(runs, v[i]->run_id) : NULL;
		if (r && runstore_metric(r, key))
			return 1;
	}
	return 0;
}

const char *registry_key_metric(const struct config *cfg, const char *model,
                                const struct runstore *runs,
                                const struct mlflow_model_version *const *v, size_t n)
{
	static const char *const usual[] = {"auc", "accuracy", "f1", "rmse"};
	const struct config_model *c = model ? config_model_for(cfg, model) : NULL;
	if (c && c->metric && *c->metric)
		return c->metric;
	for (size_t i = 0; i < sizeof usual / sizeof usual[0]; i++)
		if (runs_have(runs, usual[i], v, n))
			return usual[i];
	return NULL;
}

/* Whether v[i]'s run id already appears among v[0..i). */
static int seen_before(const struct mlflow_model_version *const *v, size_t i)
{
	for (size_t j = 0; j < i; j++)
		if (same(v[j]->run_id, v[i]->run_id))
			return 1;
	return 0;
}

static int usable_id(const char *id)
{
	return id && *id && !strchr(id, '\'') && !strchr(id, '\\');
}

char *registry_runs_filter(const struct mlflow_model_version *const *v, size_t n)
{
	size_t len = sizeof "attributes.run_id IN ()";
	for (size_t i = 0; i < n; i++)
		if (usable_id(v[i]->run_id))
			len += strlen(v[i]->run_id) + 4;
	char *f = malloc(len);
	if (!f)
		return NULL;
	strcpy(f, "attributes.run_id IN (");
	size_t used = 0;
	for (size_t i = 0; i < n; i++) {
		if (!usable_id(v[i]->run_id) || seen_before(v, i))
			continue;
		if (used++)
			strcat(f, ", ");
		strcat(f, "'");
		strcat(f, v[i]->run_id);
		strcat(f, "'");
	}
	strcat(f, ")");
	if (!used) {
		free(f);
		return NULL;
	}
	return f;
}

size_t registry_lineage(const struct mlflow_versions *all, const char *run_id,
                        const struct mlflow_model_version **out, size_t max)
{
	size_t n = 0;
	for (size_t i = 0; all && run_id && i < all->n; i++) {
		if (!same(all->items[i].run_id, run_id))
			continue;
		if (n < max)
			out[n] = &all->items[i];
		n++;
	}
	return n;
}

char *registry_metric_format(double v, char *buf, size_t n)
{
	if (text_nonfinite(v))
		snprintf(buf, n, "%s", text_nonfinite(v));
	else if (fabs(v) < 10)
		snprintf(buf, n, "%.3f", v);
	else if (fabs(v) < 100000)
		snprintf(buf, n, "%.2f", v);
	else
		snprintf(buf, n, "%.3g", v);
	return buf;
}

const char *registry_clean(const char *s, char *buf, size_t n)
{
	if (!s || !*s || !n)
		return NULL;
	char line[1024];
	size_t len = 0;
	for (; s[len] && len + 1 < sizeof line; len++)
		line[len] = s[len] == '\n' || s[len] == '\r' || s[len] == '\t' ? ' ' : s[len];
	line[len] = '\0';
	return text_sanitize(line, len, buf, n);
}

const char *registry_age(int64_t ts_ms, int64_t now_ms, char *buf, size_t n)
{
	if (ts_ms <= 0)
		return NULL;
	char age[32];
	snprintf(buf, n, "%s ago", text_age(age, sizeof age, now_ms - ts_ms));
	return buf;
}
