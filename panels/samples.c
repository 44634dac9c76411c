/* samples: the Samples panel (see samples.h): the list and its modes — the full view of one
 * sample, the group-by picker and table, the export prompt and its overwrite question. */
#include "panels/samples.h"

#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "clients/config.h"
#include "clients/jsonw.h"
#include "clients/samples_export.h"
#include "panels/listview.h"
#include "panels/notice.h"
#include "panels/samples_data.h"
#include "panels/samples_group.h"
#include "panels/samples_view.h"
#include "tui/widgets/prompt.h"
#include "tui/widgets/text.h"

#define EXPORT_LABEL "export to: "

enum { C_TIME, C_MODEL, C_VER, C_PRED, C_LABEL, C_SCORE, C_ERROR, C_FEAT };
enum samples_mode { M_LIST, M_FULL, M_PICK, M_GROUP, M_CONFIRM };

struct samples_panel {
	struct samples_data d;
	struct listview lv;
	enum samples_mode mode;
	struct samples_view view;
	struct samples_group group;
	struct samples_group_pick pick;
	struct prompt prompt; /* the export path */
	char path[PROMPT_MAX];
	char msg[768];
	enum role msg_role;
};

static const char *samples_clean(const char *v, char *buf, size_t n)
{
	return v && *v ? text_sanitize(v, strlen(v), buf, n) : NULL;
}

static const char *samples_time(const struct sample *x, char *buf, size_t n)
{
	if (x->time_ms <= 0)
		return samples_clean(x->time, buf, n);
	time_t t = (time_t)(x->time_ms / 1000);
	struct tm tm;
	if (!localtime_r(&t, &tm) || !strftime(buf, n, "%H:%M:%S", &tm))
		return NULL;
	return buf;
}

static const char *samples_cell(void *ctx, size_t row, int col, char *buf, size_t n)
{
	const struct samples_panel *s = ctx;
	const struct sample *x = s->d.rows[row];
	if (x->bad)
		return col == C_TIME    ? "not JSON"
		       : col == C_ERROR ? text_sanitize(x->raw, x->raw_len, buf, n)
		                        : NULL;
	switch (col) {
	case C_TIME:
		return samples_time(x, buf, n);
	case C_MODEL:
		return samples_clean(x->model, buf, n);
	case C_VER:
		return samples_clean(x->version, buf, n);
	case C_PRED:
		return samples_clean(x->prediction, buf, n);
	case C_LABEL:
		return samples_clean(x->label, buf, n);
	case C_SCORE:
		if (!x->has_score || isnan(x->score))
			return NULL;
		snprintf(buf, n, "%.2f", x->score);
		return buf;
	case C_ERROR:
		return samples_clean(x->error, buf, n);
	default:
		return samples_clean(kvlist_get(&x->features, s->d.feats[col - C_FEAT]), buf, n);
	}
}

static double samples_num(void *ctx, size_t row, int col)
{
	const struct samples_panel *s = ctx;
	const struct sample *x = s->d.rows[row];
	if (col == C_TIME)
		return (double)x->time_ms;
	if (col == C_SCORE)
		return x->has_score ? x->score : NAN;
	const char *v = col >= C_FEAT ? kvlist_get(&x->features, s->d.feats[col - C_FEAT]) : NULL;
	char *end;
	double d = v ? strtod(v, &end) : NAN;
	return v && *v && !*end ? d : NAN;
}

static const char *samples_haystack(void *ctx, size_t row, size_t *len)
{
	const struct samples_panel *s = ctx;
	*len = s->d.rows[row]->raw_len;
	return s->d.rows[row]->raw;
}

static enum role samples_role(void *ctx, size_t row)
{
	const struct samples_panel *s = ctx;
	const struct sample *x = s->d.rows[row];
	return x->bad ? ROLE_ERROR : x->error[0] ? ROLE_WARN : ROLE_NORMAL;
}

static const struct table_col samples_fixed[C_FEAT] = {
    {"TIME", 8, 10, TEXT_LEFT, TABLE_SORT_NUM},   {"MODEL", 5, 20, TEXT_LEFT, TABLE_SORT_TEXT},
    {"VER", 3, 8, TEXT_LEFT, TABLE_SORT_TEXT},    {"PRED", 4, 12, TEXT_LEFT, TABLE_SORT_TEXT},
    {"LABEL", 5, 12, TEXT_LEFT, TABLE_SORT_TEXT}, {"SCORE", 5, 5, TEXT_RIGHT, TABLE_SORT_NUM},
    {"ERROR", 5, 28, TEXT_LEFT, TABLE_SORT_TEXT},
};

/* The columns: the fixed ones, then the input fields most samples carry. */
static int samples_columns(struct samples_panel *s)
{
	struct table_col cols[C_FEAT + SAMPLES_DATA_FEATURES];
	char titles[SAMPLES_DATA_FEATURES][64];
	memcpy(cols, samples_fixed, sizeof samples_fixed);
	for (int i = 0; i < s->d.nfeat; i++) {
		text_sanitize(s->d.feats[i], strlen(s->d.feats[i]), titles[i], sizeof titles[i]);
		cols[C_FEAT + i] = (struct table_col){titles[i], 4, 24, TEXT_LEFT, TABLE_SORT_NUM};
	}
	if (s->d.nfeat)
		cols[C_FEAT + s->d.nfeat - 1].max_w = 0;
	return table_set_cols(s->lv.table, cols, C_FEAT + s->d.nfeat);
}

static int samples_create(struct panel *p, struct err *e)
{
	struct samples_panel *s = calloc(1, sizeof *s);
	if (!s)
		return err_set(e, ERR_NOMEM, "out of memory");
	struct table_source src = {.ctx = s,
	                           .cell = samples_cell,
	                           .num = samples_num,
	                           .haystack = samples_haystack,
	                           .role = samples_role};
	struct table *t = table_new(samples_fixed, C_FEAT, &src);
	if (!t) {
		free(s);
		return err_set(e, ERR_NOMEM, "out of memory");
	}
	table_set_ascii(t, !p->env->utf8);
	table_set_natural(t, C_TIME, true);
	listview_init(&s->lv, t);
	samples_view_init(&s->view, !p->env->utf8);
	samples_data_init(&s->d, p->env);
	p->state = s;
	return 0;
}

static void samples_destroy(struct panel *p)
{
	struct samples_panel *s = p->state;
	samples_data_fini(&s->d);
	listview_fini(&s->lv);
	samples_view_fini(&s->view);
	free(s);
	p->state = NULL;
}

static void samples_schedule(struct panel *p, struct sched *sched)
{
	struct samples_panel *s = p->state;
	samples_data_schedule(&s->d, sched);
}

static unsigned samples_polls(const struct panel *p)
{
	const struct samples_panel *s = p->state;
	return s && s->d.src ? 1u << SRC_SAMPLES : 0;
}

static int samples_busy(const struct panel *p)
{
	const struct samples_panel *s = p->state;
	return s && samples_data_busy(&s->d);
}

/* The rows of the view (the filter applied), in the order shown; malloc'd. */
static const struct sample **samples_filtered(const struct samples_panel *s, size_t *n)
{
	size_t count = table_count(s->lv.table), row;
	const struct sample **v = malloc((count ? count : 1) * sizeof *v);
	*n = 0;
	for (size_t i = 0; v && table_row_at(s->lv.table, i, &row); i++)
		v[(*n)++] = s->d.rows[row];
	return v;
}

static int samples_top(const struct samples_panel *s)
{
	return 1 + (samples_data_error(&s->d)[0] || s->msg[0]);
}

/* The rows and the table again from the data. A change of focus frees the ring the rows point
 * into (a run's eval table): it calls this at once, so no key that comes before the loop's next
 * recalc (an export, Enter) reads a row that is gone. */
static void samples_sync(struct samples_panel *s, const struct panel_env *env)
{
	int rc = samples_data_rebuild(&s->d);
	if (rc == 2)
		samples_columns(s);
	if (rc != 0)
		table_set_rows(s->lv.table, rc < 0 ? 0 : s->d.nrows);
	listview_layout(&s->lv, env, samples_top(s) + (s->prompt.active ? 1 : 0));
	table_recalc(s->lv.table);
}

static void samples_recalc(struct panel *p)
{
	samples_sync(p->state, p->env);
}

/* ---- drawing ---- */

/* "Samples · model churn · 1,840 samples · /var/log/failed.jsonl" and the data's age. */
static void draw_title(const struct samples_panel *s, const struct panel_env *env, WINDOW *w,
                       const struct theme *t)
{
	char focus[1024] = "", clean[1024], title[1536], age[64] = "", when[32];
	samples_focus_text(&s->d.focus, focus, sizeof focus);
	text_sanitize(focus, strlen(focus), clean, sizeof clean);
	const char *src = s->d.focus.run[0] ? "MLflow eval table" : env->ctx->samples;
	char where[512];
	text_sanitize(src ? src : "", src ? strlen(src) : 0, where, sizeof where);
	snprintf(title, sizeof title, "Samples%s%s · %s", clean[0] ? " · focus: " : "", clean,
	         where);
	notice_line(w, 0, 1, t, clean[0] ? ROLE_ACCENT : ROLE_NORMAL, title);
	enum role r = ROLE_MUTED;
	if (s->d.data_ms > 0) {
		text_age(when, sizeof when, env->now_ms() - s->d.data_ms);
		int stale = s->d.err[0] != '\0';
		snprintf(age, sizeof age, "%s %s ago",
		         stale         ? "stale: data from"
		         : s->d.cached ? "cached"
		                       : "updated",
		         when);
		r = stale ? ROLE_WARN : ROLE_MUTED;
	}
	int cols = getmaxx(w), aw = text_width(age) + 1;
	if (age[0] && cols - aw > text_width(title) + 2)
		notice_line(w, 0, cols - aw, t, r, age);
}

static void draw_list(const struct samples_panel *s, const struct panel_env *env, WINDOW *w,
                      const struct theme *t)
{
	const char *err = samples_data_error(&s->d);
	draw_title(s, env, w, t);
	if (err[0] || s->msg[0]) {
		char clean[1024];
		const char *m = s->msg[0] ? s->msg : err;
		text_sanitize(m, strlen(m), clean, sizeof clean);
		notice_line(w, 1, 1, t, s->msg[0] ? s->msg_role : ROLE_ERROR, clean);
	}
	int top = samples_top(s);
	if (s->d.nrows == 0 && !err[0])
		notice_line(w, top + 1, 1, t, ROLE_MUTED,
		            samples_data_busy(&s->d) ? "loading samples …"
		            : samples_focus_any(&s->d.focus)
		                ? "No failed sample matches the focus (Esc clears it)."
		                : "No failed sample yet.");
	else
		listview_draw(&s->lv, w, top, t);
}

static void samples_draw(const struct panel *p, WINDOW *w, const struct theme *t)
{
	const struct samples_panel *s = p->state;
	if (!s->d.src && !s->d.focus.run[0]) {
		notice_draw_panel(w, t, "Samples", 1u << SRC_SAMPLES, p->env);
		return;
	}
	switch (s->mode) {
	case M_FULL:
		samples_view_draw(&s->view, w, t);
		return;
	case M_PICK:
		samples_group_pick_draw(&s->pick, w, t);
		return;
	case M_GROUP:
		samples_group_draw(&s->group, w, p->env->utf8, t);
		return;
	default:
		draw_list(s, p->env, w, t);
		if (s->prompt.active)
			listview_prompt_draw(w, t, EXPORT_LABEL, &s->prompt);
	}
}

/* ---- keys ---- */

static void samples_say(struct samples_panel *s, const struct panel_env *env, enum role r,
                        const char *msg)
{
	snprintf(s->msg, sizeof s->msg, "%s", msg);
	s->msg_role = r;
	if (env->notify)
		env->notify(env->app, msg);
}

static void samples_export_now(struct samples_panel *s, const struct panel_env *env)
{
	size_t n = 0;
	const struct sample **v = samples_filtered(s, &n);
	struct err e = {0};
	char msg[sizeof s->msg], count[32];
	long rc = v ? samples_export(s->path, v, n, &e) : err_set(&e, ERR_NOMEM, "out of memory");
	free(v);
	if (rc < 0) {
		samples_say(s, env, ROLE_ERROR, e.msg);
		return;
	}
	text_thousands(count, sizeof count, rc);
	snprintf(msg, sizeof msg, "exported %s sample%s to %s", count, rc == 1 ? "" : "s", s->path);
	samples_say(s, env, ROLE_OK, msg);
}

static void samples_export_ask(struct samples_panel *s, const struct panel_env *env)
{
	char msg[sizeof s->msg];
	if (!samples_export_exists(s->path)) {
		samples_export_now(s, env);
		return;
	}
	snprintf(msg, sizeof msg, "%s exists: overwrite it? y/n", s->path);
	samples_say(s, env, ROLE_WARN, msg);
	s->mode = M_CONFIRM;
}

static enum panel_rc samples_text(struct panel *p, wint_t ch, int is_key)
{
	struct samples_panel *s = p->state;
	enum prompt_rc rc = prompt_key(&s->prompt, ch, is_key);
	if (rc == PROMPT_ACCEPT)
		snprintf(s->path, sizeof s->path, "%s", s->prompt.buf);
	if (rc == PROMPT_ACCEPT || rc == PROMPT_CANCEL)
		prompt_close(&s->prompt);
	if (rc == PROMPT_ACCEPT)
		samples_export_ask(s, p->env);
	return PANEL_HANDLED;
}

static int samples_cursor(const struct panel *p, int *y, int *x)
{
	const struct samples_panel *s = p->state;
	if (!s || !s->prompt.active)
		return 0;
	listview_prompt_cursor(p->env, EXPORT_LABEL, &s->prompt, y, x);
	return 1;
}

static void samples_open_group(struct samples_panel *s, const char *field)
{
	size_t n = 0;
	const struct sample **v = samples_filtered(s, &n);
	if (v && samples_group_build(&s->group, v, n, field) == 0)
		s->mode = M_GROUP;
	free(v);
}

static enum panel_rc samples_mode_key(struct samples_panel *s, const struct panel_env *env, int key)
{
	const char *field = NULL;
	int rc;
	switch (s->mode) {
	case M_FULL:
		if (key == PANEL_KEY_ESC || key == 'q' || key == KEY_LEFT)
			s->mode = M_LIST;
		else
			return samples_view_key(&s->view, key, env->rows);
		return PANEL_HANDLED;
	case M_PICK:
		rc = samples_group_pick_key(&s->pick, key, &field);
		if (rc > 0)
			samples_open_group(s, field);
		else if (rc < 0)
			s->mode = M_LIST;
		return PANEL_HANDLED;
	case M_GROUP:
		if (key == 'g')
			s->mode = s->pick.n ? (s->pick.active = 1, M_PICK) : M_LIST;
		else if (key == PANEL_KEY_ESC || key == 'q' || key == KEY_LEFT)
			s->mode = M_LIST;
		else
			return PANEL_IGNORED;
		return PANEL_HANDLED;
	default: /* M_CONFIRM */
		s->mode = M_LIST;
		if (key == 'y' || key == 'Y')
			samples_export_now(s, env);
		else
			samples_say(s, env, ROLE_MUTED,
			            "export cancelled: the file is kept as it was");
		return PANEL_HANDLED;
	}
}

static enum panel_rc samples_list_key(struct samples_panel *s, const struct panel_env *env, int key)
{
	size_t row, n = 0;
	if (panel_key_is_enter(key)) {
		if (!table_cursor(s->lv.table, &row) ||
		    samples_view_build(&s->view, s->d.rows[row], env->cols) < 0)
			return PANEL_HANDLED;
		s->mode = M_FULL;
		return PANEL_HANDLED;
	}
	if (key == 'g') {
		const struct sample **v = samples_filtered(s, &n);
		if (v && samples_group_pick_open(&s->pick, v, n))
			s->mode = M_PICK;
		free(v);
		return PANEL_HANDLED;
	}
	if (key == 'e') {
		char path[PROMPT_MAX];
		samples_export_default_path(env->now_ms(), path, sizeof path);
		prompt_open(&s->prompt, ' ', path, NULL);
		return PANEL_HANDLED;
	}
	if (key == PANEL_KEY_ESC && (s->msg[0] || samples_focus_any(&s->d.focus))) {
		if (!s->msg[0]) {
			samples_data_unfocus(&s->d);
			samples_sync(s, env);
		}
		s->msg[0] = '\0';
		return PANEL_HANDLED;
	}
	return key == PANEL_KEY_ESC ? PANEL_BACK : listview_key(&s->lv, key);
}

static enum panel_rc samples_key(struct panel *p, int key)
{
	struct samples_panel *s = p->state;
	if (listview_modal(&s->lv))
		return listview_key(&s->lv, key);
	if (s->mode != M_LIST)
		return samples_mode_key(s, p->env, key);
	if (!s->d.src && !s->d.focus.run[0])
		return key == PANEL_KEY_ESC ? PANEL_BACK : PANEL_IGNORED;
	return samples_list_key(s, p->env, key);
}

static enum panel_rc samples_click(struct panel *p, int y, int x)
{
	struct samples_panel *s = p->state;
	(void)x;
	return s->mode == M_LIST ? listview_click(&s->lv, samples_top(s), y) : PANEL_IGNORED;
}

static void samples_focus_op(struct panel *p, const char *arg)
{
	struct samples_panel *s = p->state;
	samples_data_focus(&s->d, arg);
	s->mode = M_LIST;
	s->msg[0] = '\0';
	samples_sync(s, p->env);
	p->dirty = 1;
}

/* ---- hints, status, filter, --snapshot --json ---- */

static const struct keyhint list_keys[] = {
    {"Enter", "show in full", 1},
    {"g", "group by a field", 1},
    {"e", "export JSON Lines", 1},
    {"/", "regex over every field", 1},
    {"Esc", "clear the focus", 0},
    LISTVIEW_HINTS,
    {NULL, NULL, 0},
};
static const struct keyhint full_keys[] = {
    {"Esc", "back to the list", 1},      {"j/k", "scroll", 1},       {"/", "search the sample", 0},
    {"n/N", "next / previous match", 0}, {"g/G", "top / bottom", 0}, {NULL, NULL, 0}};
static const struct keyhint pick_keys[] = {
    {"Enter", "group by this field", 1}, {"j/k", "move", 1}, {"Esc", "back", 1}, {NULL, NULL, 0}};
static const struct keyhint group_keys[] = {
    {"g", "another field", 1}, {"Esc", "back to the list", 1}, {NULL, NULL, 0}};
static const struct keyhint confirm_keys[] = {
    {"y", "overwrite", 1}, {"n", "keep the file", 1}, {NULL, NULL, 0}};

static const struct keyhint *samples_hints(const struct panel *p)
{
	const struct samples_panel *s = p->state;
	static const struct keyhint *const by_mode[] = {list_keys, full_keys, pick_keys, group_keys,
	                                                confirm_keys};
	static const struct keyhint none[] = {{NULL, NULL, 0}};
	if (!s || (!s->d.src && !s->d.focus.run[0]))
		return none; /* nothing to show: the panel says which source it needs */
	return by_mode[s->mode];
}

/* "212 of 1,840 match · row 3 · 2 bad lines". */
static void samples_status(const struct panel *p, char *buf, size_t n)
{
	const struct samples_panel *s = p->state;
	const struct samples *r = samples_data_ring(&s->d);
	char count[32];
	if (!s->d.src && !s->d.focus.run[0]) {
		if (n)
			buf[0] = '\0';
		return;
	}
	if (s->mode == M_FULL) {
		textview_status(&s->view.tv, buf, n);
		return;
	}
	listview_status(&s->lv, buf, n);
	if (r && samples_bad(r)) {
		size_t at = strlen(buf);
		text_thousands(count, sizeof count, (long long)samples_bad(r));
		snprintf(buf + at, n - at, " · %s bad line%s", count,
		         samples_bad(r) == 1 ? "" : "s");
	}
}

static int samples_filter(struct panel *p, const char *pattern, struct err *e)
{
	struct samples_panel *s = p->state;
	char msg[256];
	if (s->mode != M_FULL)
		return listview_filter(&s->lv, pattern, e);
	if (textview_search(&s->view.tv, pattern, msg, sizeof msg) < 0)
		return err_set(e, ERR_PARSE, "%s", msg);
	return 0;
}

static const char *samples_filter_text(const struct panel *p)
{
	const struct samples_panel *s = p->state;
	if (s && s->mode == M_FULL)
		return textview_pattern(&s->view.tv);
	return !s || s->mode != M_LIST || listview_modal(&s->lv) ? "" : listview_pattern(&s->lv);
}

/* A field's text as a JSON number when the whole of it is one, else as a string. */
static void json_value(struct jsonw *w, const char *key, const char *v)
{
	char *end;
	double d = v && *v ? strtod(v, &end) : 0;
	if (v && *v && !*end && isfinite(d) && strspn(v, "0123456789+-.eE") == strlen(v))
		jsonw_num(w, key, d);
	else
		jsonw_str(w, key, v);
}

static void json_sample(struct jsonw *w, const struct sample *x)
{
	jsonw_obj_begin(w, NULL);
	jsonw_bool(w, "bad", x->bad);
	if (x->bad) {
		jsonw_str(w, "raw", x->raw);
		jsonw_obj_end(w);
		return;
	}
	if (x->time_ms > 0)
		jsonw_time(w, "time", x->time_ms);
	else
		jsonw_str(w, "time", x->time[0] ? x->time : NULL);
	jsonw_str(w, "model", x->model);
	jsonw_str(w, "version", x->version);
	jsonw_str(w, "prediction", x->prediction[0] ? x->prediction : NULL);
	jsonw_str(w, "label", x->label[0] ? x->label : NULL);
	jsonw_num(w, "score", x->has_score ? x->score : NAN);
	jsonw_str(w, "error", x->error[0] ? x->error : NULL);
	jsonw_obj_begin(w, "input");
	for (size_t k = 0; k < x->features.n; k++)
		json_value(w, x->features.v[k].name, x->features.v[k].value);
	jsonw_obj_end(w);
	jsonw_obj_end(w);
}

/* --snapshot --json: the samples of the view (focus and filter applied), newest first. */
static void samples_json(const struct panel *p, struct jsonw *w)
{
	const struct samples_panel *s = p->state;
	const struct samples *r = s ? samples_data_ring(&s->d) : NULL;
	const char *err = s ? samples_data_error(&s->d) : "";
	size_t row;
	jsonw_str(w, "error", err[0] ? err : !s || !r ? "samples are not configured" : NULL);
	jsonw_time(w, "fetched", s ? s->d.data_ms : 0);
	jsonw_bool(w, "cached", s && s->d.cached);
	jsonw_int(w, "bad_lines", r ? (long long)samples_bad(r) : 0);
	jsonw_arr_begin(w, "rows");
	for (size_t i = 0; s && table_row_at(s->lv.table, i, &row); i++)
		json_sample(w, s->d.rows[row]);
	jsonw_arr_end(w);
}

const struct panel_ops samples_ops = {
    .name = "samples",
    .title = "Samples",
    .create = samples_create,
    .destroy = samples_destroy,
    .schedule = samples_schedule,
    .recalc = samples_recalc,
    .draw = samples_draw,
    .key = samples_key,
    .hints = samples_hints,
    .filter = samples_filter,
    .status = samples_status,
    .focus = samples_focus_op,
    .polls = samples_polls,
    .text = samples_text,
    .cursor = samples_cursor,
    .filter_text = samples_filter_text,
    .click = samples_click,
    .busy = samples_busy,
    .json = samples_json,
};
