/* audit: every action taken from this machine (canary, promote, rollback, silences), from the
 * audit log in the cache: when, who, context, action, model, from → to, percent, phase, result and
 * the backends' answers. Enter shows one entry in full. */
#include "panels/audit.h"

#include "clients/jsonw.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "clients/cache_audit.h"
#include "panels/listview.h"
#include "panels/notice.h"

enum { C_WHEN, C_WHO, C_CTX, C_ACTION, C_MODEL, C_CHANGE, C_PCT, C_PHASE, C_RESULT, C_DETAIL };

struct audit {
	struct listview lv;
	struct audit_row *rows;
	size_t n;
	int64_t newest_id; /* reload when the log has grown */
	int detail;        /* showing one entry in full */
	char error[256];
};

static const char *str(const char *s)
{
	return s ? s : "";
}

static const char *clean(const char *v, char *buf, size_t n)
{
	return v ? text_sanitize(v, strlen(v), buf, n) : NULL;
}

static const char *audit_cell(void *ctx, size_t row, int col, char *buf, size_t n)
{
	const struct audit *s = ctx;
	const struct audit_row *r = &s->rows[row];
	time_t t = (time_t)(r->ts_ms / 1000);
	switch (col) {
	case C_WHEN:
		strftime(buf, n, "%Y-%m-%d %H:%M:%S", localtime(&t));
		return buf;
	case C_WHO: {
		char who[256];
		snprintf(who, sizeof who, "%s%s%s", str(r->user), r->host ? "@" : "", str(r->host));
		return clean(who, buf, n);
	}
	case C_CTX:
		return clean(r->context, buf, n);
	case C_ACTION:
		return clean(r->action, buf, n);
	case C_MODEL:
		return clean(r->model, buf, n);
	case C_CHANGE: {
		char change[256];
		snprintf(change, sizeof change, "%s → %s", r->from_version ? r->from_version : "-",
		         r->to_version ? r->to_version : "-");
		return clean(change, buf, n);
	}
	case C_PCT:
		if (r->percent < 0)
			return NULL;
		snprintf(buf, n, "%d %%", r->percent);
		return buf;
	case C_PHASE:
		return clean(r->phase, buf, n);
	case C_RESULT:
		return clean(r->result, buf, n);
	default:
		return clean(r->detail, buf, n);
	}
}

static double audit_num(void *ctx, size_t row, int col)
{
	const struct audit *s = ctx;
	return col == C_PCT ? (double)s->rows[row].percent : (double)s->rows[row].ts_ms;
}

static enum role audit_role(void *ctx, size_t row)
{
	const struct audit *s = ctx;
	const char *r = s->rows[row].result;
	if (r && (strcmp(r, "failed") == 0 || strcmp(r, "partial") == 0))
		return ROLE_CRIT;
	if (r && strcmp(r, "refused") == 0)
		return ROLE_WARN;
	return ROLE_NORMAL;
}

static const struct table_col audit_cols[] = {
    {"WHEN", 19, 19, TEXT_LEFT, TABLE_SORT_NUM},
    {"WHO", 8, 24, TEXT_LEFT, TABLE_SORT_TEXT},
    {"CONTEXT", 7, 16, TEXT_LEFT, TABLE_SORT_TEXT},
    {"ACTION", 6, 10, TEXT_LEFT, TABLE_SORT_TEXT},
    {"MODEL", 5, 24, TEXT_LEFT, TABLE_SORT_TEXT},
    {"FROM → TO", 9, 14, TEXT_LEFT, TABLE_SORT_TEXT},
    {"%", 5, 5, TEXT_RIGHT, TABLE_SORT_NUM},
    {"PHASE", 6, 6, TEXT_LEFT, TABLE_SORT_TEXT},
    {"RESULT", 7, 8, TEXT_LEFT, TABLE_SORT_TEXT},
    {"DETAIL", 10, 0, TEXT_LEFT, TABLE_SORT_TEXT},
};

static int audit_create(struct panel *p, struct err *e)
{
	struct audit *s = calloc(1, sizeof *s);
	if (!s)
		return err_set(e, ERR_NOMEM, "out of memory");
	struct table_source src = {
	    .ctx = s, .cell = audit_cell, .num = audit_num, .role = audit_role};
	struct table *t = table_new(audit_cols, sizeof audit_cols / sizeof audit_cols[0], &src);
	if (!t) {
		free(s);
		return err_set(e, ERR_NOMEM, "out of memory");
	}
	table_set_ascii(t, !p->env->utf8);
	table_set_sort(t, 0, true); /* WHEN, the newest first */
	listview_init(&s->lv, t);
	s->newest_id = -1;
	p->state = s;
	return 0;
}

static void audit_destroy(struct panel *p)
{
	struct audit *s = p->state;
	listview_fini(&s->lv);
	cache_audit_rows_free(&s->rows, s->n);
	free(s);
	p->state = NULL;
}

static int newest(void *ud, const struct audit_row *r)
{
	*(int64_t *)ud = r->id;
	return 1;
}

/* Reloads the log only when it has grown (a cheap query of the newest id). */
static void audit_reload(struct audit *s, struct cache *c)
{
	int64_t id = 0;
	struct err e = {0};
	if (cache_audit_list(c, NULL, 1, newest, &id, &e) < 0) {
		snprintf(s->error, sizeof s->error, "audit log: %s", e.msg);
		return;
	}
	if (id == s->newest_id)
		return;
	cache_audit_rows_free(&s->rows, s->n);
	s->n = 0;
	if (cache_audit_fetch(c, NULL, 100000, &s->rows, &s->n, &e) < 0) {
		snprintf(s->error, sizeof s->error, "audit log: %s", e.msg);
		return;
	}
	s->error[0] = '\0';
	s->newest_id = id;
	table_set_rows(s->lv.table, s->n);
}

static void audit_recalc(struct panel *p)
{
	struct audit *s = p->state;
	if (p->env->cache)
		audit_reload(s, p->env->cache);
	listview_layout(&s->lv, p->env, 0);
	table_recalc(s->lv.table);
}

static void draw_detail(const struct audit *s, WINDOW *w, const struct theme *t)
{
	size_t row;
	if (!table_cursor(s->lv.table, &row))
		return;
	static const char *const names[] = {"when",      "who",     "context", "action", "model",
	                                    "from → to", "percent", "phase",   "result"};
	char buf[256];
	int y = 1;
	for (int c = C_WHEN; c < C_DETAIL; c++) {
		const char *v = audit_cell((void *)s, row, c, buf, sizeof buf);
		char line[512];
		snprintf(line, sizeof line, "%-10s %s", names[c], v ? v : "");
		notice_line(w, y++, 1, t, c == C_RESULT ? audit_role((void *)s, row) : ROLE_NORMAL,
		            line);
	}
	notice_line(w, ++y, 1, t, ROLE_ACCENT, "backend answers");
	const char *d = s->rows[row].detail ? s->rows[row].detail : "";
	while (*d && ++y < getmaxy(w)) {
		size_t len = strcspn(d, "\n");
		char line[1024];
		snprintf(line, sizeof line, "%.*s", (int)len, d);
		notice_line(w, y, 3, t, ROLE_NORMAL, line);
		d += len + (d[len] == '\n');
	}
}

static void audit_draw(const struct panel *p, WINDOW *w, const struct theme *t)
{
	const struct audit *s = p->state;
	if (!p->env->cache) {
		notice_line(w, 1, 1, t, ROLE_ERROR,
		            "The audit log needs the cache, which could not be opened");
		notice_line(w, 2, 3, t, ROLE_NORMAL,
		            "set its path with --cache FILE or cache = FILE in [general]");
		return;
	}
	if (s->detail) {
		draw_detail(s, w, t);
		return;
	}
	if (s->error[0])
		notice_line(w, 0, 1, t, ROLE_ERROR, s->error);
	if (s->n == 0) {
		notice_line(w, 1, 1, t, ROLE_MUTED,
		            "No action has been taken from this machine yet.");
		notice_line(w, 2, 1, t, ROLE_MUTED,
		            "Every promote, canary, rollback and silence will be written here, "
		            "before and after.");
		return;
	}
	listview_draw(&s->lv, w, 0, t);
}

static enum panel_rc audit_key(struct panel *p, int key)
{
	struct audit *s = p->state;
	if (listview_modal(&s->lv))
		return listview_key(&s->lv, key);
	if (s->detail) {
		if (key == PANEL_KEY_ESC || key == 'q' || key == KEY_LEFT) {
			s->detail = 0;
			return PANEL_HANDLED;
		}
		return key == 'q' ? PANEL_HANDLED : PANEL_IGNORED;
	}
	if (panel_key_is_enter(key) && s->n > 0) {
		s->detail = 1;
		return PANEL_HANDLED;
	}
	if (key == PANEL_KEY_ESC)
		return PANEL_BACK;
	return listview_key(&s->lv, key);
}

static enum panel_rc audit_click(struct panel *p, int y, int x)
{
	struct audit *s = p->state;
	(void)x;
	return s->detail ? PANEL_IGNORED : listview_click(&s->lv, 0, y);
}

static const struct keyhint audit_keys[] = {
    {"Enter", "show the entry in full", 1},
    LISTVIEW_HINTS,
    {NULL, NULL, 0},
};

static const struct keyhint *audit_hints(const struct panel *p)
{
	(void)p;
	return audit_keys;
}

/* --snapshot --json: the entries in the order shown, newest first. */
static void audit_json(const struct panel *p, struct jsonw *w)
{
	const struct audit *s = p->state;
	size_t row;
	jsonw_str(w, "error", s && s->error[0] ? s->error : NULL);
	jsonw_arr_begin(w, "rows");
	for (size_t i = 0; s && table_row_at(s->lv.table, i, &row); i++) {
		const struct audit_row *r = &s->rows[row];
		jsonw_obj_begin(w, NULL);
		jsonw_int(w, "id", r->id);
		jsonw_time(w, "time", r->ts_ms);
		jsonw_str(w, "user", r->user);
		jsonw_str(w, "host", r->host);
		jsonw_str(w, "context", r->context);
		jsonw_str(w, "action", r->action);
		jsonw_str(w, "model", r->model);
		jsonw_str(w, "from", r->from_version);
		jsonw_str(w, "to", r->to_version);
		if (r->percent >= 0)
			jsonw_int(w, "percent", r->percent);
		else
			jsonw_null(w, "percent");
		jsonw_str(w, "phase", r->phase);
		jsonw_str(w, "result", r->result);
		jsonw_str(w, "detail", r->detail);
		jsonw_obj_end(w);
	}
	jsonw_arr_end(w);
}

static const char *audit_filter_text(const struct panel *p)
{
	const struct audit *s = p->state;
	return !s || listview_modal(&s->lv) ? "" : listview_pattern(&s->lv);
}

static int audit_filter(struct panel *p, const char *pattern, struct err *e)
{
	struct audit *s = p->state;
	return listview_filter(&s->lv, pattern, e);
}

static void audit_status(const struct panel *p, char *buf, size_t n)
{
	const struct audit *s = p->state;
	listview_status(&s->lv, buf, n);
}

const struct panel_ops audit_ops = {
    .name = "audit",
    .title = "Audit",
    .create = audit_create,
    .destroy = audit_destroy,
    .recalc = audit_recalc,
    .draw = audit_draw,
    .key = audit_key,
    .hints = audit_hints,
    .filter = audit_filter,
    .filter_text = audit_filter_text,
    .json = audit_json,
    .status = audit_status,
    .click = audit_click,
};
