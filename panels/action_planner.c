#include "panels/action_planner.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "clients/cache_audit.h"
#include "panels/action_figs.h"
#include "panels/action_live.h"
#include "panels/notice.h"
#include "tui/widgets/text.h"

#define PLANNER_MAX 64

void action_planner_fini(struct action_planner *pl)
{
	free(pl->v);
	memset(pl, 0, sizeof *pl);
}

static int is_promotion(const struct audit_row *r, const char *model)
{
	return r->action && !strcmp(r->action, "promote") && r->model && !strcmp(r->model, model) &&
	       r->to_version && r->phase && !strcmp(r->phase, "after") &&
	       (!r->result || !strcmp(r->result, "ok"));
}

/* The rows are newest first: a champion served from its promotion until the next one. */
static void from_audit(struct action_planner *pl, const struct audit_row *rows, size_t n,
                       const char *current)
{
	int64_t newer = 0; /* when the champion after the one read took over */
	char last[64] = "";
	int seen = 0; /* promotions read: the first is the champion now when current is unknown */
	for (size_t i = 0; i < n && pl->n < PLANNER_MAX; i++) {
		const struct audit_row *r = &rows[i];
		if (!is_promotion(r, pl->model))
			continue;
		if (!strcmp(last, r->to_version)) { /* another step of the same promotion */
			if (pl->n && !strcmp(pl->v[pl->n - 1].version, last))
				pl->v[pl->n - 1].since_ms = r->ts_ms;
			newer = r->ts_ms;
			continue;
		}
		snprintf(last, sizeof last, "%s", r->to_version);
		int64_t until = newer;
		newer = r->ts_ms;
		if (action_live_same_version(r->to_version, current) || (++seen == 1 && !current))
			continue;
		struct action_champion *c = &pl->v[pl->n++];
		snprintf(c->version, sizeof c->version, "%s", r->to_version);
		c->since_ms = r->ts_ms;
		c->until_ms = until;
		snprintf(c->note, sizeof c->note, "promoted by %s@%s", r->user ? r->user : "?",
		         r->host ? r->host : "?");
	}
}

static int by_version_desc(const void *x, const void *y)
{
	const struct action_champion *a = x, *b = y;
	long va = atol(a->version), vb = atol(b->version);
	return va < vb ? 1 : va > vb ? -1 : 0;
}

static void from_registry(struct action_planner *pl, const struct mlflow_versions *vs,
                          const char *current)
{
	for (size_t i = 0; vs && i < vs->n && pl->n < PLANNER_MAX; i++) {
		const struct mlflow_model_version *v = &vs->items[i];
		if (!v->name || strcmp(v->name, pl->model) || !v->version ||
		    action_live_same_version(v->version, current))
			continue;
		struct action_champion *c = &pl->v[pl->n++];
		snprintf(c->version, sizeof c->version, "%s", v->version);
		c->since_ms = v->creation_timestamp;
		size_t at = (size_t)snprintf(c->note, sizeof c->note, "registered, stage %s",
		                             v->current_stage ? v->current_stage : "None");
		for (size_t k = 0; k < v->naliases && at < sizeof c->note; k++)
			at += (size_t)snprintf(c->note + at, sizeof c->note - at, "%s%s",
			                       k ? ", " : " · ", v->aliases[k]);
	}
	qsort(pl->v, pl->n, sizeof *pl->v, by_version_desc);
}

int action_planner_load(struct action_planner *pl, struct cache *cache, const char *ctx,
                        const char *model, const struct mlflow_versions *versions,
                        const char *current)
{
	action_planner_fini(pl);
	snprintf(pl->model, sizeof pl->model, "%s", model ? model : "");
	pl->v = calloc(PLANNER_MAX, sizeof *pl->v);
	if (!pl->v)
		return ERR_NOMEM;
	struct audit_row *rows = NULL;
	size_t n = 0;
	if (cache && cache_audit_fetch(cache, ctx, 5000, &rows, &n, NULL) == 0) {
		from_audit(pl, rows, n, current);
		cache_audit_rows_free(&rows, n);
	}
	pl->from_audit = pl->n > 0;
	if (!pl->n)
		from_registry(pl, versions, current);
	for (size_t i = 0; i < pl->n; i++)
		if (action_figs_last(cache, ctx, pl->model, pl->v[i].version, &pl->v[i].figs,
		                     &pl->v[i].figs_ms) != 0)
			pl->v[i].figs_ms = 0;
	return (int)pl->n;
}

static void when(const struct action_champion *c, int from_audit, int64_t now_ms, char *buf,
                 size_t n)
{
	char age[32] = "?", dur[32] = "?";
	if (c->since_ms > 0)
		text_age(age, sizeof age, now_ms - c->since_ms);
	if (!from_audit) {
		snprintf(buf, n, "registered %s ago", age);
		return;
	}
	if (c->since_ms > 0 && c->until_ms > c->since_ms)
		text_duration(dur, sizeof dur, c->until_ms - c->since_ms);
	snprintf(buf, n, "promoted %s ago, served %s", age, dur);
}

/* "serving now: 12.3 rps · …" from the live data, else "last seen 3d ago: …" from the cache. */
static void figures_text(const struct action_champion *c, const struct serving_line *live,
                         int64_t now_ms, char *out, size_t n)
{
	char fig[256], age[32];
	if (live) {
		action_live_figures(live, fig, sizeof fig);
		snprintf(out, n, "now: %s", fig);
	} else if (c->figs_ms > 0) {
		action_live_figures(&c->figs, fig, sizeof fig);
		text_age(age, sizeof age, now_ms - c->figs_ms);
		snprintf(out, n, "last seen %s ago: %s", age, fig);
	} else {
		snprintf(out, n, "no live figures known");
	}
}

void action_planner_draw(const struct action_planner *pl, WINDOW *w, int y, int h,
                         const struct theme *t, const struct serving_deps *deps, int64_t now_ms)
{
	const struct serving_dep *dep = action_live_dep(deps, pl->model);
	char line[700], at[96];
	notice_line(w, y, 0, t, ROLE_MUTED,
	            pl->from_audit ? "from the audit log (promotions written with mltop):"
	                           : "from the registry (no promotion in the audit log):");
	size_t per = 2, room = h > 1 ? (size_t)(h - 1) / per : 0;
	size_t top = pl->cur >= room && room ? pl->cur - room + 1 : 0;
	for (size_t i = top; i < pl->n && (i - top) < room; i++) {
		const struct action_champion *c = &pl->v[i];
		int row = y + 1 + (int)((i - top) * per);
		when(c, pl->from_audit, now_ms, at, sizeof at);
		snprintf(line, sizeof line, "%s v%s  %s  · %s", i == pl->cur ? ">" : " ",
		         c->version, at, c->note);
		notice_line(w, row, 0, t, i == pl->cur ? ROLE_SELECTED : ROLE_NORMAL, line);
		figures_text(c, action_live_line(dep, c->version), now_ms, line, sizeof line);
		notice_line(w, row + 1, 4, t, ROLE_MUTED, line);
	}
}
