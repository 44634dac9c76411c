/* audit: every action taken from this machine (canary, promote, rollback, silences), from the
 * audit log in the cache: when, who, context, action, model, from → to, percent, phase, result,
 * HTTP status and the backends' answers. The log's hash chain is verified when it is read, and
 * the first line says whether it holds. Enter shows one entry in full. */
#include "panels/audit.h"

#include "clients/jsonw.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "clients/cache_audit.h"
#include "panels/audit_detail.h"
#include "panels/listview.h"
#include "panels/notice.h"

enum {
	C_WHEN,
	C_WHO,
	C_CTX,
	C_ACTION,
	C_MODEL,
	C_CHANGE,
	C_PCT,
	C_PHASE,
	C_RESULT,
	C_HTTP,
	C_DETAIL
};

#define AUDIT_TOP 1 /* the chain's line above the list */

struct audit {
	struct listview lv;
	struct audit_row *rows;
	double *when; /* each row's place in (time, id) order: WHEN's sort key */
	size_t n;
	int64_t newest_id; /* reload when the log has grown */
	int follow;        /* the cursor was on the top row: it stays on the top row */
	struct cache_audit_report chain; /* verified at each reload */
	int detail;                      /* showing one entry in full, in tv */
	struct textview tv;
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
	case C_HTTP:
		if (!r->http_status)
			return NULL;
		snprintf(buf, n, "%ld", r->http_status);
		return buf;
	default:
		return clean(r->detail, buf, n);
	}
}

static double audit_num(void *ctx, size_t row, int col)
{
	const struct audit *s = ctx;
	const struct audit_row *r = &s->rows[row];
	return col == C_PCT    ? (double)r->percent
	       : col == C_HTTP ? (double)r->http_status
	       : s->when       ? s->when[row]
	                       : (double)r->ts_ms;
}

static enum role audit_role(void *ctx, size_t row)
{
	const struct audit *s = ctx;
	const char *r = s->rows[row].result;
	if (s->chain.bad_id && s->rows[row].id == s->chain.bad_id)
		return ROLE_CRIT;
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
    {"HTTP", 4, 4, TEXT_RIGHT, TABLE_SORT_NUM},
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
	textview_init(&s->tv, !p->env->utf8);
	s->newest_id = -1;
	p->state = s;
	return 0;
}

static void audit_destroy(struct panel *p)
{
	struct audit *s = p->state;
	listview_fini(&s->lv);
	textview_fini(&s->tv);
	cache_audit_rows_free(&s->rows, s->n);
	free(s->when);
	free(s);
	p->state = NULL;
}

static int by_time_id(const void *a, const void *b)
{
	const struct audit_row *x = *(const struct audit_row *const *)a;
	const struct audit_row *y = *(const struct audit_row *const *)b;
	if (x->ts_ms != y->ts_ms)
		return x->ts_ms < y->ts_ms ? -1 : 1;
	return (x->id > y->id) - (x->id < y->id);
}

/* WHEN sorts by time, and rows of the same millisecond by id: the order they were written in. */
static void audit_rank(struct audit *s)
{
	free(s->when);
	s->when = calloc(s->n ? s->n : 1, sizeof *s->when);
	const struct audit_row **by = calloc(s->n ? s->n : 1, sizeof *by);
	if (!s->when || !by) {
		free(s->when);
		s->when = NULL; /* by time alone */
		free(by);
		return;
	}
	for (size_t i = 0; i < s->n; i++)
		by[i] = &s->rows[i];
	qsort(by, s->n, sizeof *by, by_time_id);
	for (size_t i = 0; i < s->n; i++)
		s->when[by[i] - s->rows] = (double)i;
	free(by);
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
	size_t cur, top;
	s->follow =
	    !table_cursor(s->lv.table, &cur) || (table_row_at(s->lv.table, 0, &top) && top == cur);
	cache_audit_rows_free(&s->rows, s->n);
	s->n = 0;
	/* the whole log: the chain is verified over every row (in place: the table keeps its own
	 * order) */
	if (cache_audit_fetch(c, NULL, 0, &s->rows, &s->n, &e) < 0) {
		table_set_rows(s->lv.table, 0); /* the old rows are gone */
		snprintf(s->error, sizeof s->error, "audit log: %s", e.msg);
		return;
	}
	cache_audit_verify_rows(s->rows, s->n, &s->chain);
	audit_rank(s);
	table_set_rows(s->lv.table, s->n);
	s->error[0] = '\0';
	s->newest_id = id;
}

static void audit_recalc(struct panel *p)
{
	struct audit *s = p->state;
	if (p->env->cache)
		audit_reload(s, p->env->cache);
	listview_layout(&s->lv, p->env, AUDIT_TOP);
	table_recalc(s->lv.table);
	size_t top;
	if (s->follow && table_row_at(s->lv.table, 0, &top)) /* a new entry comes in at the top */
		table_select_row(s->lv.table, top);
	s->follow = 0;
	s->tv.h = p->env->rows > 0 ? p->env->rows : 1;
	textview_clamp(&s->tv);
}

/* Enter: the row under the cursor in full. */
static void audit_open_detail(struct audit *s, const struct panel_env *env)
{
	size_t row;
	if (!table_cursor(s->lv.table, &row))
		return;
	const struct audit_row *r = &s->rows[row];
	audit_detail_build(&s->tv, r, env->cols, s->chain.bad_id && r->id == s->chain.bad_id);
	s->tv.h = env->rows > 0 ? env->rows : 1;
	s->detail = 1;
}

/* The chain's line: verified, or where it breaks (in red). */
static void audit_draw_chain(const struct audit *s, WINDOW *w, const struct theme *t)
{
	char line[300];
	if (s->error[0]) {
		notice_line(w, 0, 1, t, ROLE_ERROR, s->error);
		return;
	}
	if (s->chain.why == CACHE_AUDIT_INTACT)
		snprintf(line, sizeof line, "chain verified (%zu row%s)", s->chain.rows,
		         s->chain.rows == 1 ? "" : "s");
	else
		snprintf(line, sizeof line, "%s", s->chain.text + strlen("audit "));
	notice_line(w, 0, 1, t, s->chain.why == CACHE_AUDIT_INTACT ? ROLE_OK : ROLE_CRIT, line);
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
		textview_draw(&s->tv, w, t);
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
	audit_draw_chain(s, w, t);
	listview_draw(&s->lv, w, AUDIT_TOP, t);
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
		s->tv.h = p->env->rows > 0 ? p->env->rows : 1;
		return textview_key(&s->tv, key) ? PANEL_HANDLED : PANEL_IGNORED;
	}
	if (panel_key_is_enter(key) && s->n > 0) {
		audit_open_detail(s, p->env);
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
	return s->detail ? PANEL_IGNORED : listview_click(&s->lv, AUDIT_TOP, y);
}

static const struct keyhint audit_keys[] = {
    {"Enter", "show the entry in full", 1},
    {"/", "filter the entries", 0},
    LISTVIEW_HINTS,
    {NULL, NULL, 0},
};

static const struct keyhint audit_detail_keys[] = {
    {"Esc", "back to the log", 1},
    {"j/k", "scroll", 1},
    {"/", "search the text", 0},
    {"n/N", "next / previous match", 0},
    {"PgUp/PgDn", "page", 0},
    {"g/G", "top / bottom", 0},
    {NULL, NULL, 0},
};

static const struct keyhint *audit_hints(const struct panel *p)
{
	const struct audit *s = p->state;
	return s && s->detail ? audit_detail_keys : audit_keys;
}

/* --snapshot --json: the chain's verification, and the entries in the order shown, newest
 * first. */
static void audit_json(const struct panel *p, struct jsonw *w)
{
	const struct audit *s = p->state;
	size_t row;
	jsonw_str(w, "error", s && s->error[0] ? s->error : NULL);
	jsonw_obj_begin(w, "chain");
	jsonw_bool(w, "verified", s && s->chain.why == CACHE_AUDIT_INTACT);
	jsonw_int(w, "rows", s ? (long long)s->chain.rows : 0);
	if (s && s->chain.bad_id)
		jsonw_int(w, "broken_at", s->chain.bad_id);
	else
		jsonw_null(w, "broken_at");
	jsonw_str(w, "why", s ? cache_audit_break_name(s->chain.why) : NULL);
	jsonw_obj_end(w);
	jsonw_arr_begin(w, "rows");
	for (size_t i = 0; s && table_row_at(s->lv.table, i, &row); i++)
		cache_audit_json_row(w, &s->rows[row]);
	jsonw_arr_end(w);
}

static const char *audit_filter_text(const struct panel *p)
{
	const struct audit *s = p->state;
	if (s && s->detail)
		return textview_pattern(&s->tv);
	return !s || listview_modal(&s->lv) ? "" : listview_pattern(&s->lv);
}

/* / filters the entries, or searches the entry shown in full. */
static int audit_filter(struct panel *p, const char *pattern, struct err *e)
{
	struct audit *s = p->state;
	char msg[256];
	if (!s->detail)
		return listview_filter(&s->lv, pattern, e);
	if (textview_search(&s->tv, pattern, msg, sizeof msg) < 0)
		return err_set(e, ERR_PARSE, "%s", msg);
	return 0;
}

static void audit_status(const struct panel *p, char *buf, size_t n)
{
	const struct audit *s = p->state;
	if (s->detail)
		textview_status(&s->tv, buf, n);
	else
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
