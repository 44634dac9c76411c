#include "panels/serving_data.h"

#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "panels/registry_data.h"

struct serving_build {
	struct serving_deps *out;
	const struct config *cfg;
	const struct prom_table *t;
	const struct mlflow_versions *versions;
	const struct mlflow_models *models;
};

void serving_deps_fini(struct serving_deps *d)
{
	for (size_t i = 0; i < d->n; i++)
		free(d->v[i].lines);
	free(d->v);
	d->v = NULL;
	d->n = 0;
}

double serving_window_s(const char *window)
{
	char *end = NULL;
	double v = window ? strtod(window, &end) : 0;
	if (!end || end == window || !(v > 0))
		return 300;
	if (*end == 'm')
		return v * 60;
	if (*end == 'h')
		return v * 3600;
	return *end == 's' || *end == '\0' ? v : 300;
}

/* The [model.NAME] of a deployment: the one whose deployment names it, else NAME itself. */
static void serving_model_of(const struct config *cfg, const char *dep, struct config_model *out)
{
	size_t n = cfg ? config_model_count(cfg) : 0;
	for (size_t i = 0; i < n; i++) {
		const struct config_model *m = config_model_at(cfg, i);
		if (m->deployment && strcmp(m->deployment, dep) == 0) {
			*out = *m;
			return;
		}
	}
	const struct config_model *m = cfg ? config_model_find(cfg, dep) : NULL;
	if (m)
		*out = *m;
	else
		config_model_defaults(out, dep);
}

static struct serving_dep *serving_dep_add(struct serving_build *b, const char *name)
{
	struct serving_deps *o = b->out;
	struct serving_dep *v = realloc(o->v, (o->n + 1) * sizeof *v);
	if (!v)
		return NULL;
	o->v = v;
	struct serving_dep *d = &v[o->n++];
	memset(d, 0, sizeof *d);
	struct config_model m;
	serving_model_of(b->cfg, name, &m);
	snprintf(d->name, sizeof d->name, "%s", name);
	snprintf(d->model, sizeof d->model, "%s", m.name ? m.name : name);
	snprintf(d->registered, sizeof d->registered, "%s", m.registered ? m.registered : name);
	d->slo_p99_ms = m.slo_p99_ms;
	d->slo_error_pct = m.slo_error_pct;
	d->p95_tol = m.canary_p95_tol;
	d->ready = -1;
	return d;
}

static struct serving_line *serving_line_add(struct serving_dep *d, const char *version)
{
	struct serving_line *l = realloc(d->lines, (d->n + 1) * sizeof *l);
	if (!l)
		return NULL;
	d->lines = l;
	l = &l[d->n++];
	memset(l, 0, sizeof *l);
	snprintf(l->version, sizeof l->version, "%s", version);
	l->percent = -1;
	for (int f = 0; f < PROM_NFIG; f++)
		l->value[f] = NAN;
	return l;
}

/* "v5" and "5" are version 5. */
static const char *serving_num(const char *v)
{
	return (v[0] == 'v' || v[0] == 'V') && v[1] >= '0' && v[1] <= '9' ? v + 1 : v;
}

static const struct mlflow_registered_model *serving_model(const struct serving_build *b,
                                                           const char *name)
{
	for (size_t i = 0; b->models && i < b->models->n; i++)
		if (b->models->items[i].name && strcmp(b->models->items[i].name, name) == 0)
			return &b->models->items[i];
	return NULL;
}

static void serving_join_reg(const struct serving_build *b, const struct serving_dep *d,
                             struct serving_line *l)
{
	const struct mlflow_versions *all = b->versions;
	for (size_t i = 0; all && i < all->n; i++) {
		const struct mlflow_model_version *v = &all->items[i];
		if (!v->name || !v->version || strcmp(v->name, d->registered) != 0 ||
		    strcmp(v->version, serving_num(l->version)) != 0)
			continue;
		snprintf(l->reg, sizeof l->reg, "%s", v->version);
		registry_version_aliases(serving_model(b, d->registered), v, l->aliases,
		                         sizeof l->aliases);
		return;
	}
}

/* The registry version whose source is the storageUri, or NULL. */
static const char *serving_reg_of_uri(const struct serving_build *b, const struct serving_dep *d)
{
	const struct mlflow_versions *all = b->versions;
	for (size_t i = 0; all && d->storage_uri[0] && i < all->n; i++) {
		const struct mlflow_model_version *v = &all->items[i];
		if (v->name && v->source && v->version && strcmp(v->name, d->registered) == 0 &&
		    strcmp(v->source, d->storage_uri) == 0)
			return v->version;
	}
	return NULL;
}

/* The metric rows of the deployment's model become lines (rows of an InferenceService without
 * traffic are left out: versions that served once and serve no more). */
/* The first row of model in t (rows are sorted by model, then version), t->n when none. */
static size_t serving_first_row(const struct prom_table *t, const char *model)
{
	size_t lo = 0, hi = t->n;
	while (lo < hi) {
		size_t mid = lo + (hi - lo) / 2;
		if (strcmp(t->rows[mid].model, model) < 0)
			lo = mid + 1;
		else
			hi = mid;
	}
	return lo;
}

static int serving_add_metrics(const struct serving_build *b, struct serving_dep *d)
{
	const struct prom_table *t = b->t;
	for (size_t i = t ? serving_first_row(t, d->model) : 0; t && i < t->n; i++) {
		const struct prom_row *r = &t->rows[i];
		if (strcmp(r->model, d->model) != 0)
			break;
		d->metrics = 1;
		double rps = r->value[PROM_FIG_RPS];
		if (d->isvc && !(rps > 0))
			continue;
		struct serving_line *l = serving_line_add(d, r->version);
		if (!l)
			return ERR_NOMEM;
		memcpy(l->value, r->value, sizeof l->value);
		l->spark = r->spark;
		l->metrics = 1;
	}
	return 0;
}

static struct serving_line *serving_line_find(struct serving_dep *d, const char *num)
{
	for (size_t i = 0; num && i < d->n; i++)
		if (strcmp(serving_num(d->lines[i].version), num) == 0)
			return &d->lines[i];
	return NULL;
}

static void serving_set_rev(struct serving_line *l, const struct kserve_traffic *tr)
{
	snprintf(l->revision, sizeof l->revision, "%s", tr->revision_name);
	l->percent = tr->percent >= 0 ? (int)tr->percent : -1;
}

/* The latest revision serves the storageUri's version; the previous one the other version
 * with traffic (the busiest). */
static int serving_add_split(const struct serving_build *b, struct serving_dep *d,
                             const struct kserve_isvc *s)
{
	const struct kserve_traffic *latest = kserve_traffic_latest(s),
	                            *prev = kserve_traffic_prev(s);
	const char *num = serving_reg_of_uri(b, d);
	struct serving_line *ll = serving_line_find(d, num);
	if (latest && !ll && num) {
		char name[40];
		snprintf(name, sizeof name, "v%s", num);
		if (!(ll = serving_line_add(d, name)))
			return ERR_NOMEM;
	}
	if (latest && !ll && d->n == 1 && !prev)
		ll = &d->lines[0];
	if (latest && ll)
		serving_set_rev(ll, latest);
	struct serving_line *pl = NULL;
	for (size_t i = 0; prev && i < d->n; i++)
		if (&d->lines[i] != ll && !d->lines[i].revision[0] &&
		    (!pl || d->lines[i].value[PROM_FIG_RPS] > pl->value[PROM_FIG_RPS]))
			pl = &d->lines[i];
	if (pl)
		serving_set_rev(pl, prev);
	if (ll && pl && pl->percent > 0 && ll->percent >= 0 && ll->percent < 100)
		ll->canary = 1;
	return 0;
}

static void serving_conditions(struct serving_dep *d, const struct kserve_isvc *s)
{
	const struct kserve_condition *c = kserve_condition(s, "Ready");
	if (!c)
		return;
	d->ready = strcmp(c->status, "True") == 0;
	if (!d->ready)
		snprintf(d->why, sizeof d->why, "%s%s%s", c->reason, c->reason[0] ? ": " : "",
		         c->message);
}

static void serving_slo_mark(struct serving_dep *d)
{
	for (size_t i = 0; i < d->n; i++)
		if (serving_slo_breach(d, &d->lines[i], PROM_FIG_ERROR_RATIO) == 1 ||
		    serving_slo_breach(d, &d->lines[i], PROM_FIG_P99) == 1)
			d->out_of_slo = 1;
}

static int serving_finish(const struct serving_build *b, struct serving_dep *d)
{
	for (size_t i = 0; i < d->n; i++)
		serving_join_reg(b, d, &d->lines[i]);
	serving_slo_mark(d);
	return 0;
}

static int serving_add_isvc(struct serving_build *b, const struct kserve_isvc *s)
{
	struct serving_dep *d = serving_dep_add(b, s->name);
	if (!d)
		return ERR_NOMEM;
	d->isvc = 1;
	snprintf(d->storage_uri, sizeof d->storage_uri, "%s", s->storage_uri);
	serving_conditions(d, s);
	int rc = serving_add_metrics(b, d);
	if (rc == 0)
		rc = serving_add_split(b, d, s);
	return rc < 0 ? rc : serving_finish(b, d);
}

static int serving_claimed(const struct serving_deps *o, size_t n, const char *model)
{
	for (size_t i = 0; i < n; i++)
		if (strcmp(o->v[i].model, model) == 0)
			return 1;
	return 0;
}

int serving_data_build(struct serving_deps *out, const struct config *cfg,
                       const struct kserve_isvcs *isvcs, const struct prom_table *t,
                       const struct mlflow_versions *versions, const struct mlflow_models *models,
                       struct err *e)
{
	struct serving_build b = {out, cfg, t, versions, models};
	int rc = 0;
	serving_deps_fini(out);
	for (size_t i = 0; rc == 0 && isvcs && i < isvcs->n; i++)
		rc = serving_add_isvc(&b, &isvcs->v[i]);
	size_t nisvc = out->n;
	for (size_t i = 0; rc == 0 && t && i < t->n; i++) {
		if ((i && strcmp(t->rows[i].model, t->rows[i - 1].model) == 0) ||
		    serving_claimed(out, nisvc, t->rows[i].model))
			continue; /* a model's rows are together: one deployment */
		struct serving_dep *d = serving_dep_add(&b, t->rows[i].model);
		rc = d ? serving_add_metrics(&b, d) : ERR_NOMEM;
		if (rc == 0)
			rc = serving_finish(&b, d);
	}
	return rc < 0 ? err_set(e, rc, "out of memory") : 0;
}

int serving_slo_breach(const struct serving_dep *d, const struct serving_line *l, int f)
{
	double v = l->value[f];
	if (isnan(v))
		return -1;
	if (f == PROM_FIG_ERROR_RATIO && d->slo_error_pct >= 0)
		return v * 100 > d->slo_error_pct;
	if (f == PROM_FIG_P99 && d->slo_p99_ms >= 0)
		return v * 1000 > d->slo_p99_ms;
	return -1;
}

const struct serving_line *serving_canary_line(const struct serving_dep *d)
{
	for (size_t i = 0; i < d->n; i++)
		if (d->lines[i].canary)
			return &d->lines[i];
	return NULL;
}

const struct serving_line *serving_stable_line(const struct serving_dep *d)
{
	const struct serving_line *c = serving_canary_line(d), *best = NULL;
	for (size_t i = 0; i < d->n; i++) {
		const struct serving_line *l = &d->lines[i];
		if (l != c && (!best || l->percent > best->percent))
			best = l;
	}
	return best;
}
