/* experiments: the Experiments panel — experiments list → runs table → run detail, and the
 * Compare view of the marked runs (panels/compare.h), all inside the Experiments tab. The loads
 * are in panels/exp_src.c, the views in exp_list.c, runs_view.c, runs_picker.c, run_detail.c. */
#include "panels/experiments.h"

#include "clients/jsonw.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "panels/exp_src.h"
#include "panels/mlsrc.h"
#include "panels/notice.h"
#include "tui/widgets/text.h"

static const unsigned needs = 1u << SRC_MLFLOW;

#define FILTER_LABEL "server filter "
/* Nothing of this server is in the cache (another server's data is never shown instead). */
#define NOT_CACHED "Not cached for this server"

static int experiments_create(struct panel *p, struct err *e)
{
	struct experiments *s = calloc(1, sizeof *s);
	if (!s)
		return err_set(e, ERR_NOMEM, "out of memory");
	p->state = s;
	if (exp_src_init(s, p->env, e) < 0) {
		exp_src_fini(s);
		free(s);
		p->state = NULL;
		return e ? e->code : ERR_NOMEM;
	}
	return 0;
}

static void experiments_destroy(struct panel *p)
{
	struct experiments *s = p->state;
	if (!s)
		return;
	exp_src_fini(s);
	free(s);
	p->state = NULL;
}

/* The experiment last opened in this context is opened again at start, from the cache first:
 * the operator finds the runs where they left them. It is kept per MLflow server: an id of one
 * server means nothing on another. */
#define LAST_OPEN_KEY "experiments/open"

/* The value is "id<TAB>name", as long as the name is. */
static void remember_open(const struct experiments *s, const char *id, const char *name)
{
	const struct panel_env *env = s->env;
	char server[CACHE_SERVER_MAX];
	struct cache_scope sc;
	if (mlsrc_scope(env, "ui", server, sizeof server, &sc) < 0)
		return;
	const char *shown = name ? name : id;
	size_t ni = strlen(id), nn = strlen(shown);
	char *v = malloc(ni + nn + 2);
	if (!v)
		return;
	memcpy(v, id, ni);
	v[ni] = '\t';
	memcpy(v + ni + 1, shown, nn + 1);
	struct err e;
	cache_put(env->cache, &sc, LAST_OPEN_KEY, v, ni + 1 + nn, env->now_ms(), &e);
	free(v);
}

static void forget_open(const struct experiments *s)
{
	char server[CACHE_SERVER_MAX];
	struct cache_scope sc;
	struct err e;
	if (mlsrc_scope(s->env, "ui", server, sizeof server, &sc) == 0)
		cache_delete_prefix(s->env->cache, &sc, LAST_OPEN_KEY, &e);
}

/* Without a client there is nothing to reopen (the panel says MLflow is not there); a value that
 * is not "id<TAB>name" with an id that fits is left alone. */
static void reopen_last(struct experiments *s)
{
	const struct panel_env *env = s->env;
	char *v = NULL, server[CACHE_SERVER_MAX];
	size_t len;
	int64_t at;
	struct cache_scope sc;
	struct err e;
	if (!s->client || env->top_level ||
	    mlsrc_scope(env, "ui", server, sizeof server, &sc) < 0 ||
	    cache_get(env->cache, &sc, LAST_OPEN_KEY, &v, &len, &at, &e) != 0)
		return;
	char *tab = strchr(v, '\t');
	if (tab) {
		*tab = '\0';
		if (*v && strlen(v) < sizeof s->exp_id) {
			exp_src_open(s, v, tab + 1);
			s->reopened = 1;
		}
	}
	free(v);
}

/* Once the server's list came: an experiment reopened at start that is not in it any more (deleted,
 * or another server) is left for the list, and forgotten. */
static void reopen_check(struct experiments *s)
{
	if (!s->reopened || !s->exps.loaded)
		return;
	s->reopened = 0;
	if (s->exps.err[0] || !s->list.exps || s->level != EXP_RUNS ||
	    mlflow_experiments_find(s->list.exps, s->exp_id))
		return;
	s->level = EXP_LIST;
	forget_open(s);
	char id[256], msg[320];
	text_sanitize(s->exp_id, strlen(s->exp_id), id, sizeof id);
	snprintf(msg, sizeof msg, "experiment %s is no longer in MLflow", id);
	s->env->notify(s->env->app, msg);
}

static void experiments_schedule(struct panel *p, struct sched *sched)
{
	exp_src_schedule(p->state, sched);
	reopen_last(p->state);
}

/* Lines above a list: the title line, and the error line when there is one. */
static int top_lines(const struct experiments *s)
{
	const struct exp_age *a = s->level == EXP_LIST ? &s->exps : &s->rs;
	return 1 + (a->err[0] != '\0' || a->note[0] != '\0') +
	       (s->level != EXP_LIST && s->filter_err[0] != '\0');
}

static void experiments_recalc(struct panel *p)
{
	struct experiments *s = p->state;
	const struct panel_env *env = p->env;
	if (!s)
		return;
	if (!env->first_frame_pending)
		exp_src_restore(s, 8); /* the cached runs, about a page per frame */
	reopen_check(s);
	int top = top_lines(s);
	switch (s->level) {
	case EXP_LIST:
		listview_layout(&s->list.lv, env, top);
		table_recalc(s->list.lv.table);
		break;
	case EXP_RUNS: {
		s->runs.now_ms = env->now_ms();
		s->runs.picker.rows = env->rows - 1;
		listview_layout(&s->runs.lv, env, top + (s->prompt.active ? 1 : 0));
		table_recalc(s->runs.lv.table);
		if (s->select_run[0] && runs_view_select(&s->runs, s->select_run))
			s->select_run[0] = '\0';
		break;
	}
	case EXP_DETAIL:
		run_detail_recalc(s->detail);
		break;
	case EXP_COMPARE:
		compare_recalc(s->cmp);
		break;
	}
}

/* "updated 4s ago", "cached 3m ago", "stale: data 3m old". */
static void age_text(const struct experiments *s, const struct exp_age *a, char *buf, size_t n)
{
	char age[16];
	if (a->ms <= 0) {
		snprintf(buf, n, "%s", a->err[0] ? "no data" : "loading …");
		return;
	}
	text_age(age, sizeof age, s->env->now_ms() - a->ms);
	snprintf(buf, n, "%s %s%s",
	         a->err[0]   ? "stale: data"
	         : a->cached ? "cached"
	                     : "updated",
	         age, a->err[0] ? " old" : " ago");
}

static void draw_head(const struct experiments *s, WINDOW *w, const struct theme *t,
                      const struct exp_age *a, const char *title)
{
	char age[64], line[1024];
	age_text(s, a, age, sizeof age);
	snprintf(line, sizeof line, "%s · %s", title, age);
	notice_line(w, 0, 1, t, ROLE_ACCENT, line);
	if (a->err[0])
		notice_line(w, 1, 1, t, ROLE_ERROR, a->err);
	else if (a->note[0])
		notice_line(w, 1, 1, t, ROLE_WARN, a->note);
}

static void draw_list(const struct experiments *s, WINDOW *w, const struct theme *t)
{
	char title[64];
	size_t n = s->list.exps ? s->list.exps->n : 0;
	snprintf(title, sizeof title, "Experiments · %zu", n);
	draw_head(s, w, t, &s->exps, title);
	if (!s->list.exps) {
		notice_line(w, top_lines(s) + 1, 1, t, ROLE_MUTED,
		            s->exps.err[0] ? NOT_CACHED ", and MLflow did not answer."
		                           : NOT_CACHED " · Loading the experiments from MLflow …");
		return;
	}
	listview_draw(&s->list.lv, w, top_lines(s), t);
}

static void draw_prompt(const struct experiments *s, WINDOW *w, const struct theme *t)
{
	listview_prompt_draw(w, t, FILTER_LABEL, &s->prompt);
}

static void draw_runs(const struct experiments *s, WINDOW *w, const struct theme *t)
{
	if (s->runs.picker.active) {
		runs_picker_draw(&s->runs.picker, w, t);
		return;
	}
	char title[1024], n[32];
	size_t count = s->store ? runstore_count(s->store) : 0;
	snprintf(title, sizeof title, "Experiments › %s · %s runs%s%s", s->exp_name,
	         text_thousands(n, sizeof n, (long long)count), s->filter[0] ? " · filter " : "",
	         s->filter);
	draw_head(s, w, t, &s->rs, title);
	int top = top_lines(s);
	if (s->filter_err[0])
		notice_line(w, top - 1, 1, t, ROLE_ERROR, s->filter_err);
	if (count == 0) {
		const char *why =
		    s->rs.ms <= 0 && s->rs.err[0]     ? NOT_CACHED ", and MLflow did not answer."
		    : s->rs.ms <= 0                   ? NOT_CACHED " · Loading the runs …"
		    : s->op_runs > 0 || !s->rs.loaded ? "Loading the runs …"
		    : s->filter[0] ? "No run matches the server filter (f to change it)."
		                   : "This experiment has no runs.";
		notice_line(w, top + 1, 1, t, ROLE_MUTED, why);
	} else {
		int h = getmaxy(w) - top - (s->prompt.active ? 1 : 0);
		if (h > 0) {
			table_draw(s->runs.lv.table, w, top, 0, h, getmaxx(w), t);
			sortpick_draw(&s->runs.lv.pick, s->runs.lv.table, w, top + 1, 1, h - 1,
			              getmaxx(w) - 2, t);
		}
	}
	if (s->prompt.active)
		draw_prompt(s, w, t);
}

static void draw_lookup(const struct experiments *s, WINDOW *w, const struct theme *t)
{
	char line[512];
	if (s->lookup_err[0]) {
		notice_line(w, 1, 1, t, ROLE_ERROR, s->lookup_err);
		return;
	}
	snprintf(line, sizeof line, "Looking up run %s in MLflow …", s->want_run);
	notice_line(w, 1, 1, t, ROLE_MUTED, line);
}

static void experiments_draw(const struct panel *p, WINDOW *w, const struct theme *t)
{
	const struct experiments *s = p->state;
	if (!s || !s->client) {
		notice_draw_panel(w, t, "Experiments", needs, p->env);
		if (s && s->client_err[0])
			notice_line(w, getmaxy(w) - 1, 1, t, ROLE_ERROR, s->client_err);
		return;
	}
	switch (s->level) {
	case EXP_LIST:
		draw_list(s, w, t);
		break;
	case EXP_RUNS:
		draw_runs(s, w, t);
		break;
	case EXP_DETAIL:
		if (run_detail_run_id(s->detail)[0])
			run_detail_draw(s->detail, w, t);
		else
			draw_lookup(s, w, t);
		break;
	case EXP_COMPARE:
		compare_draw(s->cmp, w, t);
		break;
	}
}

/* ---- keys ---- */

static enum panel_rc list_key(struct experiments *s, int key)
{
	if (panel_key_is_enter(key)) {
		const struct mlflow_experiment *x = exp_list_current(&s->list);
		if (x && x->id) {
			exp_src_open(s, x->id, x->name);
			remember_open(s, x->id, x->name);
		}
		return PANEL_HANDLED;
	}
	if (key == PANEL_KEY_ESC)
		return PANEL_BACK;
	return listview_key(&s->list.lv, key);
}

static enum panel_rc prompt_key_(struct experiments *s, wint_t ch, int is_key)
{
	switch (prompt_key(&s->prompt, ch, is_key)) {
	case PROMPT_ACCEPT: {
		char filter[PROMPT_MAX];
		snprintf(filter, sizeof filter, "%s", s->prompt.buf);
		prompt_close(&s->prompt);
		exp_src_filter(s, filter);
		break;
	}
	case PROMPT_CANCEL:
		prompt_close(&s->prompt);
		break;
	default:
		break;
	}
	return PANEL_HANDLED;
}

static enum panel_rc picker_key(struct experiments *s, int key)
{
	if (runs_picker_key(&s->runs.picker, key) == PANEL_BACK) {
		if (s->runs.picker.applied) {
			struct runs_key keys[RUNS_VIEW_MAX_KEYS];
			size_t n = runs_picker_result(&s->runs.picker, keys, RUNS_VIEW_MAX_KEYS);
			runs_view_set_keys(&s->runs, keys, n);
		}
		runs_picker_close(&s->runs.picker);
	}
	return PANEL_HANDLED;
}

static enum panel_rc runs_key(struct experiments *s, int key)
{
	if (s->prompt.active)
		return prompt_key_(s, (wint_t)key, key >= KEY_MIN);
	if (s->runs.picker.active)
		return picker_key(s, key);
	struct err e = {0};
	const struct mlflow_run *r;
	switch (key) {
	case PANEL_KEY_ESC:
	case KEY_LEFT:
		s->level = EXP_LIST;
		forget_open(s);
		return PANEL_HANDLED;
	case 'f': /* after a refusal, the refused text, to mend; else the filter in force */
		prompt_open(&s->prompt, ' ', s->filter_err[0] ? s->refused : s->filter, &s->hist);
		return PANEL_HANDLED;
	case 'o':
		if (runs_picker_open(&s->runs.picker, s->store, s->runs.keys, s->runs.nkeys) < 0)
			s->env->notify(s->env->app, "out of memory");
		return PANEL_HANDLED;
	case 'c':
		if (exp_src_compare(s, &e) < 0)
			s->env->notify(s->env->app, e.msg);
		return PANEL_HANDLED;
	default:
		break;
	}
	if (panel_key_is_enter(key)) {
		if ((r = runs_view_current(&s->runs))) {
			run_detail_open(s->detail, s->store, r);
			s->detail_lookup = 0;
			s->level = EXP_DETAIL;
		}
		return PANEL_HANDLED;
	}
	return listview_key(&s->runs.lv, key);
}

static enum panel_rc experiments_key(struct panel *p, int key)
{
	struct experiments *s = p->state;
	if (!s || !s->client)
		return PANEL_IGNORED;
	if (s->level == EXP_LIST && listview_modal(&s->list.lv))
		return listview_key(&s->list.lv, key);
	if (s->level == EXP_RUNS && listview_modal(&s->runs.lv))
		return listview_key(&s->runs.lv, key);
	switch (s->level) {
	case EXP_LIST:
		return list_key(s, key);
	case EXP_RUNS:
		return runs_key(s, key);
	case EXP_DETAIL: {
		enum panel_rc rc = run_detail_run_id(s->detail)[0] ? run_detail_key(s->detail, key)
		                   : key == PANEL_KEY_ESC          ? PANEL_BACK
		                                                   : PANEL_IGNORED;
		if (rc != PANEL_BACK)
			return rc;
		if (s->detail_lookup || s->want_run[0]) {
			exp_src_leave_lookup(s);
			if (s->back_to[0]) { /* Esc goes back where the operator came from */
				char back[sizeof s->back_to];
				snprintf(back, sizeof back, "%s", s->back_to);
				s->back_to[0] = '\0';
				s->env->open(s->env->app, back, NULL);
			}
		} else {
			run_detail_close(s->detail);
			s->level = EXP_RUNS;
		}
		return PANEL_HANDLED;
	}
	case EXP_COMPARE: {
		enum panel_rc rc = compare_key(s->cmp, key);
		if (rc != PANEL_BACK)
			return rc;
		s->level = EXP_RUNS;
		return PANEL_HANDLED;
	}
	}
	return PANEL_IGNORED;
}

/* ---- hints, filter, status, focus ---- */

static const struct keyhint list_keys[] = {
    {"Enter", "open", 1},
    LISTVIEW_HINTS,
    {NULL, NULL, 0},
};

static const struct keyhint runs_keys[] = {
    {"Enter", "open", 1}, {"Space", "mark", 1}, {"c", "compare", 1}, {"f", "server filter", 1},
    {"o", "columns", 1},  LISTVIEW_HINTS,       {"Esc", "back", 1},  {NULL, NULL, 0},
};

static const struct keyhint prompt_keys[] = {
    {"Enter", "load the runs with this filter", 1},
    {"Esc", "cancel", 1},
    {"Up/Down", "history", 0},
    {NULL, NULL, 0},
};

static const struct keyhint picker_keys[] = {
    {"Space", "toggle the column", 1},
    {"Enter", "apply", 1},
    {"Esc", "cancel", 1},
    {"j/k", "move", 0},
    {NULL, NULL, 0},
};

static const struct keyhint none_keys[] = {{NULL, NULL, 0}};

static const struct keyhint *experiments_hints(const struct panel *p)
{
	const struct experiments *s = p->state;
	if (!s || !s->client)
		return none_keys;
	switch (s->level) {
	case EXP_LIST:
		return list_keys;
	case EXP_RUNS:
		return s->prompt.active        ? prompt_keys
		       : s->runs.picker.active ? picker_keys
		                               : runs_keys;
	case EXP_DETAIL:
		return run_detail_hints(s->detail);
	case EXP_COMPARE:
		return compare_hints(s->cmp);
	}
	return none_keys;
}

static int experiments_filter(struct panel *p, const char *pattern, struct err *e)
{
	struct experiments *s = p->state;
	if (!s)
		return 0;
	switch (s->level) {
	case EXP_LIST:
		return listview_filter(&s->list.lv, pattern, e);
	case EXP_RUNS:
		return listview_filter(&s->runs.lv, pattern, e);
	case EXP_DETAIL: /* the run's text, searched as less does */
		if (run_detail_run_id(s->detail)[0])
			return run_detail_search(s->detail, pattern, e);
		/* fall through */
	default:
		if (!pattern || !*pattern)
			return 0;
		return err_set(e, ERR_STATE, "no list to filter here (Esc back to the runs)");
	}
}

static const char *experiments_filter_text(const struct panel *p)
{
	const struct experiments *s = p->state;
	if (!s || s->runs.picker.active || listview_modal(&s->list.lv) ||
	    listview_modal(&s->runs.lv))
		return ""; /* the pickers have their own Esc */
	return s->level == EXP_LIST     ? listview_pattern(&s->list.lv)
	       : s->level == EXP_RUNS   ? listview_pattern(&s->runs.lv)
	       : s->level == EXP_DETAIL ? run_detail_pattern(s->detail)
	                                : "";
}

/* The server filter's editor: every key while it is open, wide characters included. */
static int experiments_cursor(const struct panel *p, int *y, int *x)
{
	const struct experiments *s = p->state;
	if (!s || !s->prompt.active)
		return 0;
	listview_prompt_cursor(p->env, FILTER_LABEL, &s->prompt, y, x);
	return 1;
}

static enum panel_rc experiments_text(struct panel *p, wint_t ch, int is_key)
{
	return prompt_key_(p->state, ch, is_key);
}

/* --snapshot --json: the experiments list (a snapshot starts every panel at its top). */
static void experiments_json(const struct panel *p, struct jsonw *w)
{
	const struct experiments *s = p->state;
	if (!s || !s->client) {
		jsonw_str(w, "error",
		          s && s->client_err[0] ? s->client_err : "MLflow is not configured");
		return;
	}
	jsonw_time(w, "fetched", s->exps.ms);
	jsonw_bool(w, "cached", s->exps.cached);
	jsonw_str(w, "error", s->exps.err[0] ? s->exps.err : NULL);
	jsonw_str(w, "notice", s->exps.note[0] ? s->exps.note : NULL);
	exp_list_json(&s->list, w);
}

/* A click selects the row under it in the experiments or the runs list. */
static enum panel_rc experiments_click(struct panel *p, int y, int x)
{
	struct experiments *s = p->state;
	(void)x;
	if (!s || !s->client || s->prompt.active || s->runs.picker.active)
		return PANEL_IGNORED;
	if (s->level == EXP_LIST)
		return listview_click(&s->list.lv, top_lines(s), y);
	if (s->level == EXP_RUNS)
		return listview_click(&s->runs.lv, top_lines(s), y);
	return PANEL_IGNORED;
}

static int experiments_more(const struct panel *p)
{
	const struct experiments *s = p->state;
	return s && s->restoring;
}

/* "row 5 of 70 runs", or the list's filter status when a filter is in force. */
static void count_status(const struct listview *lv, const char *what, size_t n, char *buf,
                         size_t bufsz)
{
	char num[32], pos[64];
	size_t row;
	if (lv->filter)
		listview_status(lv, buf, bufsz);
	else if (!n || !table_cursor(lv->table, &row))
		snprintf(buf, bufsz, "%s %s", what, text_thousands(num, sizeof num, (long long)n));
	else
		snprintf(buf, bufsz, "%s %s", table_position(lv->table, pos, sizeof pos), what);
}

static void experiments_status(const struct panel *p, char *buf, size_t n)
{
	const struct experiments *s = p->state;
	char num[32];
	if (n)
		buf[0] = '\0';
	if (!s || !s->client)
		return;
	switch (s->level) {
	case EXP_LIST:
		if (s->list.exps)
			count_status(&s->list.lv, "experiments", s->list.exps->n, buf, n);
		else if (s->op_exps > 0)
			snprintf(buf, n, "experiments …");
		break;
	case EXP_RUNS:
		if (s->op_runs > 0 && s->loud)
			snprintf(buf, n, "runs %s …",
			         text_thousands(num, sizeof num, (long long)s->progress));
		else if (s->store)
			count_status(&s->runs.lv, "runs", runstore_count(s->store), buf, n);
		break;
	case EXP_DETAIL:
		run_detail_status(s->detail, buf, n);
		break;
	case EXP_COMPARE:
		compare_status(s->cmp, buf, n);
		break;
	}
}

static void experiments_focus(struct panel *p, const char *arg)
{
	struct experiments *s = p->state;
	if (!s || !s->client || !arg)
		return;
	if (strncmp(arg, "run=", 4) == 0 && arg[4]) {
		char id[64];
		snprintf(id, sizeof id, "%.*s", (int)strcspn(arg + 4, " "), arg + 4);
		const char *from = strstr(arg, " from=");
		snprintf(s->back_to, sizeof s->back_to, "%.*s",
		         from ? (int)strcspn(from + 6, " ") : 0, from ? from + 6 : "");
		if (s->prompt.active)
			prompt_close(&s->prompt);
		runs_picker_close(&s->runs.picker);
		exp_src_focus_run(s, id);
	}
}

static unsigned experiments_polls(const struct panel *p)
{
	const struct experiments *s = p->state;
	return s && s->client ? needs : 0;
}

static int experiments_busy(const struct panel *p)
{
	const struct experiments *s = p->state;
	if (!s || !s->client)
		return 0;
	if (!s->exps.loaded)
		return 1;
	if (s->level == EXP_RUNS)
		return !s->rs.loaded;
	if (s->level == EXP_DETAIL)
		return s->op_lookup > 0 || run_detail_busy(s->detail);
	return 0;
}

const struct panel_ops experiments_ops = {
    .name = "experiments",
    .title = "Experiments",
    .create = experiments_create,
    .destroy = experiments_destroy,
    .schedule = experiments_schedule,
    .recalc = experiments_recalc,
    .draw = experiments_draw,
    .key = experiments_key,
    .hints = experiments_hints,
    .filter = experiments_filter,
    .status = experiments_status,
    .focus = experiments_focus,
    .polls = experiments_polls,
    .busy = experiments_busy,
    .text = experiments_text,
    .cursor = experiments_cursor,
    .filter_text = experiments_filter_text,
    .more = experiments_more,
    .click = experiments_click,
    .json = experiments_json,
};
