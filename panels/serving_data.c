#include "panels/serving_data.h"

#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "panels/registry_data.h"

struct serving_build {
	struct serving_deps *out;
	struct serving_revs *revs;
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

/* The registry version whose source is uri, or NULL. */
static const char *serving_reg_of_uri(const struct serving_build *b, const struct serving_dep *d,
                                      const char *uri)
{
	const struct mlflow_versions *all = b->versions;
	for (size_t i = 0; all && uri && uri[0] && i < all->n; i++) {
		const struct mlflow_model_version *v = &all->items[i];
		if (v->name && v->source && v->version && strcmp(v->name, d->registered) == 0 &&
		    strcmp(v->source, uri) == 0)
			return v->version;
	}
	return NULL;
}

/* The storageUri revision rev of d was rolled out as: as learned, else NULL. */
static const char *serving_rev_uri(const struct serving_build *b, const struct serving_dep *d,
                                   const char *rev)
{
	return serving_revs_uri(b->revs, d->uid, rev);
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

/* The revision the spec's storageUri was rolled out as: latestCreatedRevision, else (a status
 * without it) the latest traffic entry's. "" when neither is known. */
static const char *serving_created(const struct kserve_isvc *s)
{
	const struct kserve_traffic *l = kserve_traffic_latest(s);
	return s->latest_created[0] ? s->latest_created : l ? l->revision_name : "";
}

/* The share of revision rev: the sum of the traffic entries naming it (while a new revision is
 * not ready, both entries name the old one); -1 when no entry names it. */
static int serving_rev_percent(const struct kserve_isvc *s, const char *rev)
{
	int sum = -1;
	for (size_t i = 0; i < s->ntraffic; i++) {
		const struct kserve_traffic *t = &s->traffic[i];
		if (strcmp(t->revision_name, rev) != 0)
			continue;
		sum = sum < 0 ? 0 : sum;
		sum += t->percent > 100 ? 100 : t->percent > 0 ? (int)t->percent : 0;
	}
	return sum;
}

/* Whether the new revision failed: Ready or LatestDeploymentReady False, or the model blocked
 * by a failed load. */
static int serving_rev_failed(const struct kserve_isvc *s)
{
	const struct kserve_condition *r = kserve_condition(s, "Ready"),
	                              *l = kserve_condition(s, "LatestDeploymentReady");
	return strcmp(s->transition_status, "BlockedByFailedLoad") == 0 ||
	       (r && strcmp(r->status, "False") == 0) || (l && strcmp(l->status, "False") == 0);
}

/* The index of the line of registry version num (added when missing); with num NULL, the one
 * line of the metrics when take_only, else a line of a version not known. -1: out of memory. */
static long serving_line_of(struct serving_dep *d, const char *num, int take_only)
{
	struct serving_line *l = serving_line_find(d, num);
	char name[40] = "";
	if (l)
		return l - d->lines;
	if (!num && take_only && d->n == 1)
		return 0;
	if (num)
		snprintf(name, sizeof name, "v%s", num);
	return serving_line_add(d, name) ? (long)d->n - 1 : -1;
}

/* Raw deployment mode: no traffic in the status, the storageUri's version takes it all. */
static int serving_add_raw(const struct serving_build *b, struct serving_dep *d)
{
	long i = serving_line_of(d, serving_reg_of_uri(b, d, d->storage_uri), 1);
	if (i < 0)
		return ERR_NOMEM;
	d->lines[i].percent = 100;
	d->raw = 1;
	return 0;
}

/* The created revision serves the storageUri's version; until it is ready it has no traffic:
 * starting, or failed. 0 or ERR_NOMEM. */
static int serving_add_created(const struct serving_build *b, struct serving_dep *d,
                               const struct kserve_isvc *s, const char *created)
{
	int pct = serving_rev_percent(s, created);
	int pending = pct < 0 && strcmp(created, s->latest_ready) != 0;
	if (!created[0] || (pct < 0 && !pending))
		return 0;
	const char *uri = serving_rev_uri(b, d, created);
	long i =
	    serving_line_of(d, serving_reg_of_uri(b, d, uri ? uri : d->storage_uri), pct >= 100);
	if (i < 0)
		return ERR_NOMEM;
	struct serving_line *l = &d->lines[i];
	snprintf(l->revision, sizeof l->revision, "%s", created);
	l->percent = pct < 0 ? 0 : pct;
	if (pending)
		l->state = serving_rev_failed(s) ? SERVING_LINE_FAILED : SERVING_LINE_STARTING;
	return 0;
}

/* The busiest line no revision claimed yet, else a new line of a version not known. */
static long serving_unclaimed(struct serving_dep *d)
{
	long best = -1;
	for (size_t i = 0; i < d->n; i++)
		if (!d->lines[i].revision[0] &&
		    (best < 0 ||
		     d->lines[i].value[PROM_FIG_RPS] > d->lines[best].value[PROM_FIG_RPS]))
			best = (long)i;
	return best >= 0 ? best : serving_line_of(d, NULL, 0);
}

/* Whether rev has a line already (the created one counts as placed). */
static int serving_placed(const struct serving_dep *d, const char *rev, const char *created)
{
	int placed = strcmp(rev, created) == 0;
	for (size_t k = 0; k < d->n && !placed; k++)
		placed = strcmp(d->lines[k].revision, rev) == 0;
	return placed;
}

/* The next other revision to place: the one with the largest share not placed yet, among those
 * whose version was learned (learned) or all; NULL when none is left. */
static const char *serving_next_other(const struct serving_build *b, const struct serving_dep *d,
                                      const struct kserve_isvc *s, const char *created, int learned)
{
	const char *best = NULL;
	int best_pct = -2;
	for (size_t i = 0; i < s->ntraffic; i++) {
		const char *rev = s->traffic[i].revision_name;
		int pct = serving_rev_percent(s, rev);
		if (serving_placed(d, rev, created) || pct <= best_pct ||
		    (learned && !serving_reg_of_uri(b, d, serving_rev_uri(b, d, rev))))
			continue;
		best = rev;
		best_pct = pct;
	}
	return best;
}

/* The line of another revision: of the version it was rolled out as when that was learned (a
 * line of its own when another revision has that version's), else the busiest no revision
 * claimed. -1: out of memory. */
static long serving_line_of_rev(const struct serving_build *b, struct serving_dep *d,
                                const char *rev)
{
	const char *num = serving_reg_of_uri(b, d, serving_rev_uri(b, d, rev));
	struct serving_line *l = serving_line_find(d, num);
	char name[40];
	if (l && !l->revision[0])
		return l - d->lines;
	if (!num)
		return serving_unclaimed(d);
	snprintf(name, sizeof name, "v%s", num);
	return serving_line_add(d, name) ? (long)d->n - 1 : -1;
}

/* The other revisions with traffic: first those whose version was learned, then the others on
 * the versions with traffic no revision claimed, rank for rank: the largest share the busiest
 * version. */
static int serving_add_others(const struct serving_build *b, struct serving_dep *d,
                              const struct kserve_isvc *s, const char *created)
{
	for (int learned = 1; learned >= 0; learned--) {
		const char *rev;
		while ((rev = serving_next_other(b, d, s, created, learned))) {
			long li = serving_line_of_rev(b, d, rev);
			if (li < 0)
				return ERR_NOMEM;
			snprintf(d->lines[li].revision, sizeof d->lines[li].revision, "%s", rev);
			d->lines[li].percent = serving_rev_percent(s, rev);
		}
	}
	return 0;
}

/* The canary is the latest entry's revision while the prev entry names another revision and
 * some other line keeps traffic. */
static void serving_mark_canary(struct serving_dep *d, const struct kserve_isvc *s)
{
	const struct kserve_traffic *latest = kserve_traffic_latest(s),
	                            *prev = kserve_traffic_prev(s);
	struct serving_line *cl = NULL;
	int others = 0;
	if (!latest || !prev || strcmp(latest->revision_name, prev->revision_name) == 0)
		return;
	for (size_t i = 0; i < d->n; i++)
		if (strcmp(d->lines[i].revision, latest->revision_name) == 0)
			cl = &d->lines[i];
	for (size_t i = 0; i < d->n; i++)
		others |= &d->lines[i] != cl && d->lines[i].percent > 0;
	if (cl && others && cl->percent < 100)
		cl->canary = 1;
}

/* Versions by revision name: the created revision serves the storageUri's version, the others
 * the versions with traffic. */
static int serving_add_split(const struct serving_build *b, struct serving_dep *d,
                             const struct kserve_isvc *s)
{
	const char *created = serving_created(s);
	if (strcmp(s->deployment_mode, "RawDeployment") == 0)
		return serving_add_raw(b, d);
	if (serving_add_created(b, d, s, created) < 0 || serving_add_others(b, d, s, created) < 0)
		return ERR_NOMEM;
	serving_mark_canary(d, s);
	return 0;
}

static void serving_conditions(struct serving_dep *d, const struct kserve_isvc *s)
{
	const struct kserve_condition *c = kserve_condition(s, "Ready");
	if (!c)
		return;
	d->ready = strcmp(c->status, "True") == 0 ? 1 : strcmp(c->status, "False") == 0 ? 0 : -1;
	if (d->ready == 1)
		return;
	if (c->reason[0] || c->message[0])
		snprintf(d->why, sizeof d->why, "%s%s%s", c->reason,
		         c->reason[0] && c->message[0] ? ": " : "", c->message);
	else if (d->ready == 0)
		snprintf(d->why, sizeof d->why, "Ready is False");
	else if (strcmp(s->latest_created, s->latest_ready) != 0)
		snprintf(d->why, sizeof d->why, "new revision not ready yet");
	else
		snprintf(d->why, sizeof d->why, "Ready unknown");
}

static void serving_slo_mark(struct serving_dep *d)
{
	for (size_t i = 0; i < d->n; i++)
		if (serving_slo_breach(d, &d->lines[i], PROM_FIG_ERROR_RATIO) == 1 ||
		    serving_slo_breach(d, &d->lines[i], PROM_FIG_P99) == 1)
			d->out_of_slo = 1;
}

/* The lines that serve first (the split bar is drawn on the first), then the new revision's. */
static void serving_pending_last(struct serving_dep *d)
{
	for (size_t i = 0, end = d->n; i < end;) {
		if (d->lines[i].state == SERVING_LINE_SERVING) {
			i++;
			continue;
		}
		struct serving_line l = d->lines[i];
		memmove(&d->lines[i], &d->lines[i + 1], (d->n - i - 1) * sizeof l);
		d->lines[d->n - 1] = l;
		end--;
	}
}

static int serving_finish(const struct serving_build *b, struct serving_dep *d)
{
	serving_pending_last(d);
	for (size_t i = 0; i < d->n; i++)
		serving_join_reg(b, d, &d->lines[i]);
	serving_slo_mark(d);
	return 0;
}

/* A created revision that is ready and serves was rolled out as the spec's storageUri. */
static int serving_learn(const struct serving_build *b, const struct kserve_isvc *s)
{
	const char *created = serving_created(s);
	if (!b->revs || strcmp(created, s->latest_ready) != 0 ||
	    serving_rev_percent(s, created) < 0)
		return 0;
	return serving_revs_learn(b->revs, s->uid[0] ? s->uid : s->name, created, s->storage_uri);
}

static int serving_add_isvc(struct serving_build *b, const struct kserve_isvc *s)
{
	struct serving_dep *d = serving_dep_add(b, s->name);
	if (!d)
		return ERR_NOMEM;
	d->isvc = 1;
	snprintf(d->uid, sizeof d->uid, "%s", s->uid[0] ? s->uid : s->name);
	snprintf(d->storage_uri, sizeof d->storage_uri, "%s", s->storage_uri);
	serving_conditions(d, s);
	int rc = serving_add_metrics(b, d);
	if (rc == 0)
		rc = serving_add_split(b, d, s);
	if (rc == 0)
		rc = serving_learn(b, s);
	return rc < 0 ? rc : serving_finish(b, d);
}

/* The models of the deployments of InferenceServices, sorted, to look up those of the metrics'
 * rows: at 500 deployments, one search each instead of 500 comparisons. */
struct serving_claims {
	char (*v)[SERVING_MODEL_MAX];
	size_t n;
};

static int serving_cmp_model(const void *x, const void *y)
{
	return strcmp(x, y);
}

/* The models of the first n deployments (copied: the deployments move as more are added); v NULL
 * when out of memory. */
static struct serving_claims serving_claims(const struct serving_deps *o, size_t n)
{
	struct serving_claims c = {n ? malloc(n * sizeof *c.v) : NULL, n};
	for (size_t i = 0; c.v && i < n; i++)
		memcpy(c.v[i], o->v[i].model, sizeof c.v[i]);
	if (c.v)
		qsort(c.v, n, sizeof *c.v, serving_cmp_model);
	return c;
}

/* 1 when one of the first c->n deployments serves model; without the list (out of memory), by
 * looking at each. */
static int serving_claimed(const struct serving_deps *o, const struct serving_claims *c,
                           const char *model)
{
	if (c->v)
		return bsearch(model, c->v, c->n, sizeof *c->v, serving_cmp_model) != NULL;
	for (size_t i = 0; i < c->n; i++)
		if (strcmp(o->v[i].model, model) == 0)
			return 1;
	return 0;
}

int serving_data_build(struct serving_deps *out, const struct config *cfg,
                       const struct kserve_isvcs *isvcs, const struct prom_table *t,
                       const struct mlflow_versions *versions, const struct mlflow_models *models,
                       struct serving_revs *revs, struct err *e)
{
	struct serving_build b = {out, revs, cfg, t, versions, models};
	int rc = 0;
	serving_deps_fini(out);
	for (size_t i = 0; rc == 0 && isvcs && i < isvcs->n; i++)
		rc = serving_add_isvc(&b, &isvcs->v[i]);
	struct serving_claims claimed = serving_claims(out, out->n);
	for (size_t i = 0; rc == 0 && t && i < t->n; i++) {
		if ((i && strcmp(t->rows[i].model, t->rows[i - 1].model) == 0) ||
		    serving_claimed(out, &claimed, t->rows[i].model))
			continue; /* a model's rows are together: one deployment */
		struct serving_dep *d = serving_dep_add(&b, t->rows[i].model);
		rc = d ? serving_add_metrics(&b, d) : ERR_NOMEM;
		if (rc == 0)
			rc = serving_finish(&b, d);
	}
	free(claimed.v);
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
