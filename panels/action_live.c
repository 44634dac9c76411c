#include "panels/action_live.h"

#include <math.h>
#include <stdio.h>
#include <string.h>

static const char *bare_version(const char *v)
{
	return (v[0] == 'v' || v[0] == 'V') && v[1] >= '0' && v[1] <= '9' ? v + 1 : v;
}

int action_live_same_version(const char *a, const char *b)
{
	return a && b && *a && *b && strcmp(bare_version(a), bare_version(b)) == 0;
}

const struct serving_dep *action_live_dep(const struct serving_deps *deps, const char *model)
{
	for (size_t i = 0; deps && model && i < deps->n; i++)
		if (!strcmp(deps->v[i].registered, model) || !strcmp(deps->v[i].name, model))
			return &deps->v[i];
	return NULL;
}

const struct serving_line *action_live_line(const struct serving_dep *d, const char *version)
{
	for (size_t i = 0; d && version && i < d->n; i++) {
		const struct serving_line *l = &d->lines[i];
		if (action_live_same_version(l->reg, version) ||
		    action_live_same_version(l->version, version))
			return l;
	}
	return NULL;
}

/* " · name N unit" when v is a number. */
static size_t figure(char *buf, size_t n, size_t at, const char *name, double v, double scale,
                     const char *fmt)
{
	if (at >= n || isnan(v))
		return at;
	int w = snprintf(buf + at, n - at, "%s%s ", at ? " · " : "", name);
	if (w > 0 && (size_t)w < n - at)
		at += (size_t)w;
	w = snprintf(buf + at, n - at, fmt, v * scale);
	return w > 0 ? at + (size_t)w : at;
}

void action_live_figures(const struct serving_line *l, char *buf, size_t n)
{
	snprintf(buf, n, "no live figures");
	if (!l)
		return;
	size_t at = 0;
	buf[0] = '\0';
	if (l->percent >= 0)
		at = (size_t)snprintf(buf, n, "%d %% of traffic", l->percent);
	at = figure(buf, n, at, "rps", l->value[PROM_FIG_RPS], 1, "%.1f");
	at = figure(buf, n, at, "errors", l->value[PROM_FIG_ERROR_RATIO], 100, "%.2f %%");
	at = figure(buf, n, at, "p95", l->value[PROM_FIG_P95], 1000, "%.0f ms");
	at = figure(buf, n, at, "p99", l->value[PROM_FIG_P99], 1000, "%.0f ms");
	if (at == 0)
		snprintf(buf, n, "no live figures");
}

static int same(const char *a, const char *b)
{
	return a && b && *a && !strcmp(a, b);
}

static int row_is_for(const struct alerts_row *r, const struct serving_dep *d, const char *model,
                      const char *version)
{
	if (r->silenced || r->inhibited || !r->model || !r->version)
		return 0;
	int m =
	    same(r->model, model) || (d && (same(r->model, d->model) || same(r->model, d->name) ||
	                                    same(r->model, d->registered)));
	return m && action_live_same_version(r->version, version);
}

size_t action_live_alerts(const struct alerts_view *v, const struct serving_dep *d,
                          const char *model, const char *version, const struct alerts_row **out,
                          size_t max)
{
	size_t k = 0;
	for (size_t i = 0; v && version && i < v->n; i++) {
		if (!row_is_for(&v->rows[i], d, model, version))
			continue;
		if (k < max)
			out[k] = &v->rows[i];
		k++;
	}
	return k;
}

int action_live_blocked(const struct alerts_view *v, const struct serving_dep *d, const char *model,
                        const char *version)
{
	for (size_t i = 0; v && version && i < v->n; i++)
		if (v->rows[i].sev == ALERTS_SEV_CRIT && row_is_for(&v->rows[i], d, model, version))
			return 1;
	return 0;
}
