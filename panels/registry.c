/* registry: the MLflow model registry. Registered models (name, versions, aliases, champion,
 * last update, description) → Enter → the versions of one model (status, stage, aliases, source
 * run and its key metric, created, description) → Enter → that run in the Experiments panel.
 * Data comes from panels/registry_src (cache first, then polled); the two tables are
 * panels/registry_models and panels/registry_versions. */
#include "panels/registry.h"

#include "clients/jsonw.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "panels/action.h"
#include "panels/notice.h"
#include "panels/partage.h"
#include "panels/registry_data.h"
#include "panels/registry_models.h"
#include "panels/registry_src.h"
#include "panels/registry_versions.h"

static const unsigned needs = 1u << SRC_MLFLOW;

struct registry {
	const struct panel_env *env;
	struct registry_src src;
	struct registry_models models;
	struct registry_versions versions;
	int in_versions;       /* showing the versions of versions.model */
	char want_version[64]; /* from a focus: the version to put the cursor on once it is in */
};

/* The views follow the source's lists at once, so that no view ever points at a freed one. */
static void registry_rebuild(struct registry *s)
{
	registry_models_set(&s->models, s->src.models, s->src.versions);
	if (!s->in_versions)
		return;
	registry_versions_set(&s->versions, s->env->cfg, s->src.models, s->src.versions,
	                      s->src.runs);
	if (s->want_version[0] && registry_versions_select(&s->versions, s->want_version))
		s->want_version[0] = '\0';
}

static void registry_src_changed(void *ud)
{
	struct registry *s = ud;
	registry_rebuild(s);
	s->env->changed(s->env->app);
}

static int registry_create(struct panel *p, struct err *e)
{
	struct registry *s = calloc(1, sizeof *s);
	if (!s)
		return err_set(e, ERR_NOMEM, "out of memory");
	s->env = p->env;
	p->state = s;
	int ascii = !p->env->utf8;
	int rc = registry_models_init(&s->models, ascii, e);
	if (rc == 0)
		rc = registry_versions_init(&s->versions, ascii, e);
	if (rc == 0)
		rc = registry_src_init(&s->src, p->env, registry_src_changed, s, e);
	if (rc == 0)
		registry_rebuild(s);
	return rc;
}

static void registry_destroy(struct panel *p)
{
	struct registry *s = p->state;
	if (!s)
		return;
	registry_src_fini(&s->src);
	registry_models_fini(&s->models);
	registry_versions_fini(&s->versions);
	free(s);
	p->state = NULL;
}

static void registry_schedule(struct panel *p, struct sched *sched)
{
	struct registry *s = p->state;
	registry_src_schedule(&s->src, sched);
}

/* ---- the status line: the data's age, stale or not, and the last error ---- */

/* The part whose state the current view shows first: its error, else its age. */
static const struct registry_part_state *shown_error(const struct registry *s)
{
	int last = s->in_versions ? REG_RUNS : REG_VERSIONS;
	for (int p = 0; p <= last; p++)
		if (s->src.part[p].error[0])
			return &s->src.part[p];
	return NULL;
}

/* The oldest fetch time among the parts shown, and whether any of them is from the cache. */
static int64_t data_time(const struct registry *s, int *cached)
{
	return partage_time(s->src.part, (s->in_versions ? REG_RUNS : REG_VERSIONS) + 1, cached);
}

/* "updated 4s ago", "cached 3m ago", "waiting for MLflow"; the role says how fresh. */
static enum role age_text(const struct registry *s, char *buf, size_t n)
{
	return partage_text(s->src.part, (s->in_versions ? REG_RUNS : REG_VERSIONS) + 1,
	                    shown_error(s) != NULL, s->env->now_ms(), "waiting for MLflow", buf, n);
}

/* Lines above the table: the title line, and the error line when there is one. */
/* The first notice of a part shown (a load cut short), when no error is. */
static const char *shown_notice(const struct registry *s)
{
	int last = s->in_versions ? REG_RUNS : REG_VERSIONS;
	for (int p = 0; !shown_error(s) && p <= last; p++)
		if (s->src.part[p].notice[0])
			return s->src.part[p].notice;
	return NULL;
}

static int top_lines(const struct registry *s)
{
	return shown_error(s) || shown_notice(s) ? 2 : 1;
}

static void registry_recalc(struct panel *p)
{
	struct registry *s = p->state;
	int64_t now = p->env->now_ms();
	s->models.now_ms = now;
	s->versions.now_ms = now;
	struct listview *lv = s->in_versions ? &s->versions.lv : &s->models.lv;
	listview_layout(lv, p->env, top_lines(s));
	table_recalc(lv->table);
}

static void draw_title(const struct registry *s, WINDOW *w, const struct theme *t)
{
	char title[1024], age[128];
	if (s->in_versions) {
		registry_versions_header(&s->versions, title, sizeof title);
	} else {
		size_t n = s->src.models ? s->src.models->n : 0;
		snprintf(title, sizeof title, "Registry %s %zu registered model%s",
		         s->env->utf8 ? "›" : ">", n, n == 1 ? "" : "s");
	}
	enum role r = age_text(s, age, sizeof age);
	int cols = getmaxx(w), aw = (int)strlen(age) + 1;
	WINDOW *tw = cols - aw - 2 > 0 ? derwin(w, 1, cols - aw - 2, 0, 0) : NULL;
	notice_line(tw ? tw : w, 0, 1, t, ROLE_ACCENT, title);
	if (tw)
		delwin(tw);
	notice_line(w, 0, cols - aw > 0 ? cols - aw : 0, t, r, age);
	const struct registry_part_state *err = shown_error(s);
	if (err) {
		char line[384];
		snprintf(line, sizeof line, "mlflow down: %s", err->error);
		notice_line(w, 1, 1, t, ROLE_ERROR, line);
	} else if (shown_notice(s)) {
		notice_line(w, 1, 1, t, ROLE_WARN, shown_notice(s));
	}
}

static void draw_empty(const struct registry *s, WINDOW *w, int y, const struct theme *t)
{
	int loaded = s->in_versions ? s->src.versions != NULL : s->src.models != NULL;
	if (!loaded) { /* nothing of this server's is cached (nor another's shown instead) */
		notice_line(w, y + 1, 1, t, ROLE_MUTED,
		            shown_error(s)
		                ? "Not cached for this server, and MLflow did not answer."
		                : "Not cached for this server · Loading the registry from "
		                  "MLflow...");
		return;
	}
	if (s->in_versions)
		notice_line(w, y + 1, 1, t, ROLE_MUTED, "This model has no version yet.");
	else
		notice_line(w, y + 1, 1, t, ROLE_MUTED,
		            "No registered model: register one with mlflow.register_model().");
}

static void registry_draw(const struct panel *p, WINDOW *w, const struct theme *t)
{
	const struct registry *s = p->state;
	if (!s || !s->src.client) {
		notice_draw_panel(w, t, "Registry", needs, p->env);
		return;
	}
	draw_title(s, w, t);
	int top = top_lines(s);
	const struct listview *lv = s->in_versions ? &s->versions.lv : &s->models.lv;
	size_t rows = s->in_versions ? s->versions.n : (s->src.models ? s->src.models->n : 0);
	if (rows == 0) {
		draw_empty(s, w, top, t);
		return;
	}
	listview_draw(lv, w, top, t);
}

/* ---- keys ---- */

static void open_model(struct registry *s, const char *name)
{
	s->in_versions = 1;
	registry_versions_open(&s->versions, name);
	registry_src_open(&s->src, name);
	registry_rebuild(s);
}

static void close_model(struct registry *s)
{
	s->in_versions = 0;
	s->want_version[0] = '\0';
	registry_src_open(&s->src, NULL);
	registry_versions_open(&s->versions, NULL);
}

static void open_run(struct registry *s)
{
	const struct mlflow_model_version *v = registry_versions_cursor(&s->versions);
	if (!v)
		return;
	if (!v->run_id || !*v->run_id) {
		s->env->notify(s->env->app, "this version has no source run in MLflow");
		return;
	}
	char arg[256];
	snprintf(arg, sizeof arg, "run=%s from=registry", v->run_id);
	s->env->open(s->env->app, "experiments", arg);
}

/* C or + canary the version under the cursor (or step the running canary), P promote it, R roll
 * the model back, A abort a half-done action; on the models list, of the model under the cursor
 * (C then canaries its newest version that does not serve). */
static int write_key(struct registry *s, int key)
{
	if (!key || !strchr("CP+RA", key))
		return 0;
	struct action_ui *a = s->env->action;
	const struct mlflow_registered_model *m = registry_models_cursor(&s->models);
	const struct mlflow_model_version *v =
	    s->in_versions ? registry_versions_cursor(&s->versions) : NULL;
	const char *model = s->in_versions ? s->versions.model : m ? m->name : NULL;
	const char *version = v ? v->version : NULL;
	if (!a)
		return 1;
	if (key == 'C' || key == '+')
		action_canary(a, model, key == 'C' ? version : NULL);
	else if (key == 'R')
		action_rollback(a, model);
	else if (key == 'A')
		action_start(a, ROLLOUT_ABORT, model, NULL, -1);
	else if (!version && !s->env->ctx->readonly)
		s->env->notify(s->env->app, "P promotes a version: Enter opens the versions");
	else
		action_start(a, ROLLOUT_PROMOTE, model, version, -1);
	return 1;
}

static enum panel_rc registry_key(struct panel *p, int key)
{
	struct registry *s = p->state;
	if (!s || !s->src.client)
		return PANEL_IGNORED;
	struct listview *lv = s->in_versions ? &s->versions.lv : &s->models.lv;
	if (listview_modal(lv))
		return listview_key(lv, key);
	if (write_key(s, key))
		return PANEL_HANDLED;
	if (s->in_versions) {
		if (key == PANEL_KEY_ESC || key == KEY_BACKSPACE) {
			close_model(s);
			return PANEL_HANDLED;
		}
		if (panel_key_is_enter(key)) {
			open_run(s);
			return PANEL_HANDLED;
		}
		return listview_key(&s->versions.lv, key);
	}
	if (panel_key_is_enter(key)) {
		const struct mlflow_registered_model *m = registry_models_cursor(&s->models);
		if (m && m->name)
			open_model(s, m->name);
		return PANEL_HANDLED;
	}
	if (key == PANEL_KEY_ESC)
		return PANEL_BACK;
	return listview_key(&s->models.lv, key);
}

static const struct keyhint models_keys[] = {
    {"Enter", "open versions", 1},
    {"C +", "canary the newest version / step it", 0},
    {"R", "roll back", 1},
    {"A", "abort a half-done action", 0},
    LISTVIEW_HINTS,
    {NULL, NULL, 0},
};

static const struct keyhint versions_keys[] = {
    {"Enter", "open run", 1}, {"Esc", "back", 1}, ACTION_WRITE_HINTS,
    LISTVIEW_HINTS,           {NULL, NULL, 0},
};

static const struct keyhint *registry_hints(const struct panel *p)
{
	static const struct keyhint none[] = {{NULL, NULL, 0}};
	const struct registry *s = p->state;
	if (!s || !s->src.client)
		return none; /* the notice has no key */
	static struct keyhint readable[24];
	return action_hints_readable(p->env, s->in_versions ? versions_keys : models_keys, readable,
	                             24);
}

static int registry_filter(struct panel *p, const char *pattern, struct err *e)
{
	struct registry *s = p->state;
	return listview_filter(s->in_versions ? &s->versions.lv : &s->models.lv, pattern, e);
}

/* --snapshot --json: the registered models (a snapshot starts at the models list). */
static void registry_json(const struct panel *p, struct jsonw *w)
{
	const struct registry *s = p->state;
	if (!s || !s->src.client) {
		jsonw_str(w, "error", "MLflow is not configured");
		return;
	}
	int cached;
	int64_t t = data_time(s, &cached);
	const struct registry_part_state *err = shown_error(s);
	jsonw_time(w, "fetched", t);
	jsonw_bool(w, "cached", cached);
	jsonw_str(w, "error", err ? err->error : NULL);
	jsonw_str(w, "notice", shown_notice(s));
	registry_models_json(&s->models, w);
}

/* A click selects the row under it in the models or the versions list. */
static enum panel_rc registry_click(struct panel *p, int y, int x)
{
	struct registry *s = p->state;
	(void)x;
	if (!s || !s->src.client)
		return PANEL_IGNORED;
	return listview_click(s->in_versions ? &s->versions.lv : &s->models.lv, top_lines(s), y);
}

static const char *registry_filter_text(const struct panel *p)
{
	const struct registry *s = p->state;
	if (!s)
		return "";
	const struct listview *lv = s->in_versions ? &s->versions.lv : &s->models.lv;
	return listview_modal(lv) ? "" : listview_pattern(lv); /* the picker has its own Esc */
}

static void registry_status(const struct panel *p, char *buf, size_t n)
{
	const struct registry *s = p->state;
	if (!s || !s->src.client) {
		if (n)
			buf[0] = '\0';
		return;
	}
	listview_status(s->in_versions ? &s->versions.lv : &s->models.lv, buf, n);
}

/* "model=NAME" opens that model's versions; "version=V" then puts the cursor on it. */
static void registry_focus(struct panel *p, const char *arg)
{
	struct registry *s = p->state;
	char model[512] = "", version[64] = "";
	const char *m = strstr(arg, "model="), *v = strstr(arg, "version=");
	if (m)
		snprintf(model, sizeof model, "%.*s", (int)strcspn(m + 6, " "), m + 6);
	if (v)
		snprintf(version, sizeof version, "%.*s", (int)strcspn(v + 8, " "), v + 8);
	if (!s || !s->src.client || !model[0])
		return;
	registry_models_select(&s->models, model);
	if (!s->in_versions || !s->versions.model || strcmp(s->versions.model, model) != 0) {
		close_model(s);
		open_model(s, model);
	}
	if (version[0] && !registry_versions_select(&s->versions, version))
		snprintf(s->want_version, sizeof s->want_version, "%s", version);
}

static unsigned registry_polls(const struct panel *p)
{
	const struct registry *s = p->state;
	return s && s->src.client ? needs : 0;
}

static int registry_busy(const struct panel *p)
{
	const struct registry *s = p->state;
	return s && registry_src_busy(&s->src);
}

const struct panel_ops registry_ops = {
    .name = "registry",
    .title = "Registry",
    .create = registry_create,
    .destroy = registry_destroy,
    .schedule = registry_schedule,
    .recalc = registry_recalc,
    .draw = registry_draw,
    .key = registry_key,
    .hints = registry_hints,
    .filter = registry_filter,
    .filter_text = registry_filter_text,
    .click = registry_click,
    .json = registry_json,
    .status = registry_status,
    .focus = registry_focus,
    .polls = registry_polls,
    .busy = registry_busy,
};
