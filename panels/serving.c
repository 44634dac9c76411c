/* serving: live serving per deployment and version. One line per version of each deployment
 * (KServe InferenceService, or a model seen in the metrics): its traffic share and revision,
 * requests per second, error %, p50 / p95 / p99 latency against the model's SLOs, a p99
 * sparkline, and its registry version and aliases. Enter opens the canary view of the deployment
 * under the cursor (panels/serving_canary), m its model in Registry, f its failed samples.
 * Data: panels/serving_src (cache first, then polled); lines: panels/serving_view. */
#include "panels/serving.h"

#include "clients/jsonw.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "clients/config.h"
#include "panels/action.h"
#include "panels/notice.h"
#include "panels/partage.h"
#include "panels/serving_canary.h"
#include "panels/serving_src.h"
#include "panels/serving_view.h"

static const unsigned needs = (1u << SRC_PROMETHEUS) | (1u << SRC_KSERVE);

struct serving {
	const struct panel_env *env;
	struct serving_src src;
	struct serving_deps deps;
	struct serving_revs revs; /* what each revision was rolled out as, learned */
	struct serving_view view;
	double window_s;
	int in_canary;
	char canary[128]; /* the deployment of the canary view */
};

static void serving_rebuild(struct serving *s)
{
	char name[128] = "";
	const struct serving_dep *cur = serving_view_cursor(&s->view);
	if (cur)
		snprintf(name, sizeof name, "%s", cur->name);
	serving_data_build(&s->deps, s->env->cfg, s->src.isvcs, &s->src.table, s->src.reg.versions,
	                   s->src.reg.models, &s->revs, NULL);
	serving_view_set(&s->view, &s->deps, name);
}

static void serving_changed(void *ud)
{
	struct serving *s = ud;
	if (!s->src.same)
		serving_rebuild(s);
	s->env->changed(s->env->app);
}

static int serving_create(struct panel *p, struct err *e)
{
	struct serving *s = calloc(1, sizeof *s);
	if (!s)
		return err_set(e, ERR_NOMEM, "out of memory");
	s->env = p->env;
	p->state = s;
	s->window_s = serving_window_s(config_query(p->env->cfg, "window"));
	int rc = serving_view_init(&s->view, !p->env->utf8, e);
	s->view.lv.env = p->env; /* for the messages of n/N (its rows are drawn by the view) */
	if (rc == 0)
		rc = serving_src_init(&s->src, p->env, serving_changed, s, e);
	if (rc == 0) {
		s->view.metrics = serving_src_has_metrics(&s->src);
		serving_rebuild(s);
	}
	return rc;
}

static void serving_destroy(struct panel *p)
{
	struct serving *s = p->state;
	if (!s)
		return;
	serving_src_fini(&s->src);
	serving_view_fini(&s->view);
	serving_deps_fini(&s->deps);
	serving_revs_fini(&s->revs);
	free(s);
	p->state = NULL;
}

static int serving_active(const struct serving *s)
{
	return s && (serving_src_has_metrics(&s->src) || s->src.kserve);
}

static void serving_schedule(struct panel *p, struct sched *sched)
{
	struct serving *s = p->state;
	if (serving_active(s))
		serving_src_schedule(&s->src, sched);
}

/* ---- the status line ---- */

/* The part whose error is shown, -1 when none failed. */
static int shown_error(const struct serving *s)
{
	for (int p = 0; p < SV_PARTS; p++)
		if (s->src.part[p].error[0])
			return p;
	return -1;
}

static int64_t data_time(const struct serving *s, int *cached)
{
	return partage_time(s->src.part, SV_PARTS, cached);
}

static enum role age_text(const struct serving *s, char *buf, size_t n)
{
	return partage_text(s->src.part, SV_PARTS, shown_error(s) >= 0, panel_age_now(s->env),
	                    "waiting for the sources", buf, n);
}

static const char *shown_notice(const struct serving *s)
{
	for (int p = 0; shown_error(s) < 0 && p < SV_PARTS; p++)
		if (s->src.part[p].notice[0])
			return s->src.part[p].notice;
	return NULL;
}

static int top_lines(const struct serving *s)
{
	return shown_error(s) >= 0 || shown_notice(s) ? 2 : 1;
}

static int serving_out_of_slo(const struct serving *s)
{
	int n = 0;
	for (size_t i = 0; i < s->deps.n; i++)
		n += s->deps.v[i].out_of_slo;
	return n;
}

/* Every part that failed, in one line: "kserve down: KServe 502 Bad Gateway · scrape down: ..."
 * (the metrics and KServe fail on their own, and each needs saying). */
static void error_line(const struct serving *s, char *line, size_t n)
{
	char msg[400];
	size_t at = 0;
	line[0] = '\0';
	for (int p = 0; p < SV_PARTS && at < n; p++) {
		const char *e = s->src.part[p].error;
		if (!e[0])
			continue;
		text_sanitize(e, strlen(e), msg, sizeof msg);
		int k =
		    snprintf(line + at, n - at, "%s%s down: %s",
		             at ? (s->env->utf8 ? " · " : " - ") : "", s->src.part_name[p], msg);
		at = k < 0 ? n : at + (size_t)k;
	}
}

static void draw_title(const struct serving *s, WINDOW *w, const struct theme *t)
{
	char title[256], age[128], line[1000], msg[400];
	int bad = serving_out_of_slo(s);
	snprintf(title, sizeof title, "Serving %s %zu deployment%s%s", s->env->utf8 ? "›" : ">",
	         s->deps.n, s->deps.n == 1 ? "" : "s", bad ? "" : "");
	if (bad)
		snprintf(title + strlen(title), sizeof title - strlen(title), " %s %d out of SLO",
		         s->env->utf8 ? "·" : "-", bad);
	enum role r = age_text(s, age, sizeof age);
	int cols = getmaxx(w), aw = (int)strlen(age) + 1;
	notice_line(w, 0, 1, t, ROLE_ACCENT, title);
	notice_line(w, 0, cols - aw > 0 ? cols - aw : 0, t, r, age);
	if (shown_error(s) >= 0) {
		error_line(s, line, sizeof line);
		notice_line(w, 1, 1, t, ROLE_ERROR, line);
	} else if (shown_notice(s)) {
		const char *n = shown_notice(s);
		text_sanitize(n, strlen(n), msg, sizeof msg);
		notice_line(w, 1, 1, t, ROLE_WARN, msg);
	}
}

static void serving_recalc(struct panel *p)
{
	struct serving *s = p->state;
	if (!s)
		return;
	int top = top_lines(s);
	if (p->env->rows - top > 0)
		table_set_size(s->view.lines, p->env->rows - top, p->env->cols);
	serving_view_relayout(&s->view);
}

static const struct serving_dep *dep_named(const struct serving *s, const char *name)
{
	for (size_t i = 0; i < s->deps.n; i++)
		if (strcmp(s->deps.v[i].name, name) == 0)
			return &s->deps.v[i];
	return NULL;
}

static void serving_draw(const struct panel *p, WINDOW *w, const struct theme *t)
{
	const struct serving *s = p->state;
	if (!serving_active(s)) {
		unsigned n = needs;
		if (notice_configured(p->env, SRC_SCRAPE)) /* scraping stands in for Prometheus */
			n = (n & ~(1u << SRC_PROMETHEUS)) | (1u << SRC_SCRAPE);
		notice_draw_panel(w, t, "Serving", n, p->env);
		return;
	}
	if (s->in_canary) {
		const struct serving_dep *d = dep_named(s, s->canary);
		if (d)
			serving_canary_draw(w, 0, t, d, s->window_s, p->env->utf8);
		else
			notice_line(w, 0, 1, t, ROLE_MUTED, "This deployment is gone.");
		return;
	}
	draw_title(s, w, t);
	if (!s->deps.n) {
		notice_line(w, top_lines(s) + 1, 1, t, ROLE_MUTED,
		            shown_error(s) >= 0
		                ? "Nothing cached, and the sources did not answer."
		                : "No deployment yet: waiting for KServe and the metrics.");
		return;
	}
	serving_view_draw(&s->view, w, top_lines(s), t);
}

/* ---- keys ---- */

static int is_enter(int key)
{
	return key == '\n' || key == '\r' || key == KEY_ENTER;
}

/* m: "model=NAME" for Registry (the registered model); f: "model=NAME version=V" for Samples,
 * as the samples name them: the model and version labels of the metrics ("v5"), of the canary
 * when there is one, else of the stable version. */
static void open_other(struct serving *s, int key)
{
	const struct serving_dep *d =
	    s->in_canary ? dep_named(s, s->canary) : serving_view_cursor(&s->view);
	char arg[512];
	if (!d)
		return;
	if (key == 'm') {
		snprintf(arg, sizeof arg, "model=%s", d->registered);
		s->env->open(s->env->app, "registry", arg);
		return;
	}
	const struct serving_line *l = serving_canary_line(d);
	if (!l)
		l = serving_stable_line(d);
	if (l && l->version[0])
		snprintf(arg, sizeof arg, "model=%s version=%s", d->model, l->version);
	else
		snprintf(arg, sizeof arg, "model=%s", d->model);
	s->env->open(s->env->app, "samples", arg);
}

/* C or + canary (or step the running canary), P promote its canary, R roll back, A abort,
 * on the deployment under the cursor or of the canary view. */
static int write_key(struct serving *s, int key)
{
	if (!strchr("CP+RA", key) || !key)
		return 0;
	const struct serving_dep *d =
	    s->in_canary ? dep_named(s, s->canary) : serving_view_cursor(&s->view);
	struct action_ui *a = s->env->action;
	if (!a)
		return 1;
	const char *model = d ? d->registered : NULL;
	const struct serving_line *c = d ? serving_canary_line(d) : NULL;
	if (key == 'C' || key == '+')
		action_canary(a, model, NULL);
	else if (key == 'R')
		action_rollback(a, model);
	else if (key == 'A')
		action_start(a, ROLLOUT_ABORT, model, NULL, -1);
	else if (!c || !c->reg[0])
		s->env->notify(s->env->app,
		               s->env->ctx->readonly
		                   ? "read-only: writes are off"
		                   : "no canary to promote here: P on a version in Registry");
	else
		action_start(a, ROLLOUT_PROMOTE, model, c->reg, -1);
	return 1;
}

static enum panel_rc serving_key(struct panel *p, int key)
{
	struct serving *s = p->state;
	if (!serving_active(s))
		return PANEL_IGNORED;
	if (!s->in_canary && listview_modal(&s->view.lv))
		return serving_view_key(&s->view, key);
	if (key == 'm' || key == 'f') {
		open_other(s, key);
		return PANEL_HANDLED;
	}
	if (write_key(s, key))
		return PANEL_HANDLED;
	if (s->in_canary) {
		if (key == 27 || key == KEY_BACKSPACE) {
			s->in_canary = 0;
			return PANEL_HANDLED;
		}
		return PANEL_IGNORED;
	}
	if (is_enter(key)) {
		const struct serving_dep *d = serving_view_cursor(&s->view);
		if (d) {
			snprintf(s->canary, sizeof s->canary, "%s", d->name);
			s->in_canary = 1;
		}
		return PANEL_HANDLED;
	}
	if (key == 27)
		return PANEL_BACK;
	return serving_view_key(&s->view, key);
}

static const struct keyhint list_keys[] = {
    {"Enter", "canary view", 1},
    {"m", "model in Registry", 1},
    {"f", "failed samples", 1},
    ACTION_WRITE_HINTS,
    LISTVIEW_HINTS,
    {NULL, NULL, 0},
};

static const struct keyhint canary_keys[] = {
    {"Esc", "back", 1},
    {"m", "model in Registry", 1},
    {"f", "failed samples", 1},
    ACTION_WRITE_HINTS,
    {NULL, NULL, 0},
};

static const struct keyhint *serving_hints(const struct panel *p)
{
	static const struct keyhint none[] = {{NULL, NULL, 0}};
	const struct serving *s = p->state;
	if (!serving_active(s))
		return none;
	static struct keyhint readable[24];
	return action_hints_readable(p->env, s->in_canary ? canary_keys : list_keys, readable, 24);
}

static int serving_filter(struct panel *p, const char *pattern, struct err *e)
{
	struct serving *s = p->state;
	int rc = listview_filter(&s->view.lv, pattern, e);
	serving_view_relayout(&s->view);
	return rc;
}

static const char *serving_filter_text(const struct panel *p)
{
	const struct serving *s = p->state;
	if (!s || listview_modal(&s->view.lv))
		return "";
	return listview_pattern(&s->view.lv);
}

static void serving_status(const struct panel *p, char *buf, size_t n)
{
	const struct serving *s = p->state;
	if (!serving_active(s) || s->in_canary) {
		if (n)
			buf[0] = '\0';
		return;
	}
	char pos[64], count[96];
	table_position(s->view.lines, pos, sizeof pos);
	if (s->view.lv.filter)
		snprintf(buf, n, "%s · %s", table_status(s->view.lv.table, count, sizeof count),
		         pos);
	else
		snprintf(buf, n, "%zu deployments · %s", s->deps.n, pos);
}

/* "model=NAME" (a registered model or a deployment) puts the cursor on its deployment. */
static void serving_focus(struct panel *p, const char *arg)
{
	struct serving *s = p->state;
	const char *m = strstr(arg, "model=");
	char model[256];
	if (!s || !m)
		return;
	snprintf(model, sizeof model, "%.*s", (int)strcspn(m + 6, " "), m + 6);
	s->in_canary = 0;
	for (size_t i = 0; i < s->deps.n; i++)
		if (!strcmp(s->deps.v[i].registered, model) || !strcmp(s->deps.v[i].name, model)) {
			serving_view_select(&s->view, s->deps.v[i].name);
			return;
		}
}

static int serving_badge(const struct panel *p)
{
	const struct serving *s = p->state;
	return s ? serving_out_of_slo(s) : 0;
}

static unsigned serving_polls(const struct panel *p)
{
	const struct serving *s = p->state;
	unsigned n = 0;
	if (!serving_active(s))
		return 0;
	if (s->src.prom)
		n |= 1u << SRC_PROMETHEUS;
	if (s->src.scrape)
		n |= 1u << SRC_SCRAPE;
	if (s->src.kserve)
		n |= 1u << SRC_KSERVE;
	if (s->src.reg.client)
		n |= 1u << SRC_MLFLOW;
	return n;
}

static int serving_busy(const struct panel *p)
{
	const struct serving *s = p->state;
	return serving_active(s) && serving_src_busy(&s->src);
}

static enum panel_rc serving_click(struct panel *p, int y, int x)
{
	struct serving *s = p->state;
	(void)x;
	if (!serving_active(s) || s->in_canary || y < top_lines(s))
		return PANEL_IGNORED;
	return table_click(s->view.lines, y - top_lines(s)) ? PANEL_HANDLED : PANEL_IGNORED;
}

static void serving_json(const struct panel *p, struct jsonw *w)
{
	const struct serving *s = p->state;
	if (!serving_active(s)) {
		jsonw_str(w, "error",
		          "neither Prometheus, a scrape target nor KServe is configured");
		return;
	}
	int cached;
	int64_t t = data_time(s, &cached);
	int err = shown_error(s);
	jsonw_time(w, "fetched", t);
	jsonw_bool(w, "cached", cached);
	jsonw_str(w, "error", err >= 0 ? s->src.part[err].error : NULL);
	jsonw_str(w, "notice", shown_notice(s));
	jsonw_int(w, "out_of_slo", serving_out_of_slo(s));
	serving_view_json(&s->view, w);
}

const struct panel_ops serving_ops = {
    .name = "serving",
    .title = "Serving",
    .create = serving_create,
    .destroy = serving_destroy,
    .schedule = serving_schedule,
    .recalc = serving_recalc,
    .draw = serving_draw,
    .key = serving_key,
    .hints = serving_hints,
    .filter = serving_filter,
    .filter_text = serving_filter_text,
    .status = serving_status,
    .focus = serving_focus,
    .badge = serving_badge,
    .polls = serving_polls,
    .busy = serving_busy,
    .click = serving_click,
    .json = serving_json,
};

void serving_action_data(const struct panel *p, struct action_data *out)
{
	const struct serving *s = p->state;
	if (!s)
		return;
	out->deps = &s->deps;
	out->window_s = s->window_s;
	out->versions = s->src.reg.versions;
}

void serving_refresh(struct panel *p)
{
	struct serving *s = p->state;
	if (!s)
		return;
	for (int i = 0; i < SV_PARTS; i++)
		if (s->src.part[i].job >= 0)
			sched_refresh(s->env->sched, s->src.part[i].job);
	for (int i = 0; i < REG_PARTS; i++)
		if (s->src.reg.part[i].job >= 0)
			sched_refresh(s->env->sched, s->src.reg.part[i].job);
}
