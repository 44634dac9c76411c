/* compare: the Compare view of the Experiments tab: a title line, the params table, the metrics
 * table and the curves of one metric, laid out in the body window (the tables take at most ~40 %
 * of the height each while the chart is shown; a small window drops the chart first). */
#include "panels/compare.h"

#include "panels/mlsrc.h"

#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "panels/compare_chart.h"
#include "clients/config.h"
#include "panels/compare_view.h"
#include "tui/widgets/cell.h"
#include "tui/widgets/text.h"

#define CHART_MIN_ROWS  8 /* below this the chart is left out */
#define CHART_MIN_COLS  24
#define TABLE_SHARE_PCT 40 /* of the body height, per table, while the chart is shown */
#define MAX_POINTS      1000
#define REFRESH_MS      5000 /* curves of running runs, when the context sets no refresh */
#define STATUS_METRIC_W 24   /* columns of the metric's name in the footer's status */

struct compare_layout {
	int p_y, p_h; /* params table: heading and rows */
	int m_y, m_h; /* metrics table */
	int c_y, c_h; /* chart; c_h 0: not shown */
	struct compare_cols cols;
};

struct compare {
	const struct panel_env *env;
	struct mlflow *client;
	size_t n;         /* runs compared, 0 until compare_set succeeds */
	int64_t fetch_ms; /* when the charted history was last asked for */
	struct compare_tables tab;
	int diff_only;
	size_t baseline; /* run index */
	size_t runcur;   /* run under the column cursor */
	size_t cursor;   /* row cursor over the params view, then the metrics */
	size_t p_top, m_top;
	char *metric; /* the charted metric key, NULL: none */
	struct compare_chart chart;
	struct compare_layout lay;
};

static void compare_changed(void *ud)
{
	struct compare *c = ud;

	if (c->env->changed)
		c->env->changed(c->env->app);
}

struct compare *compare_new(const struct panel_env *env, struct mlflow *client)
{
	struct compare *c = calloc(1, sizeof(*c));

	if (!c)
		return NULL;
	c->env = env;
	c->client = client;
	compare_chart_init(&c->chart, client, compare_changed, c);
	compare_chart_cache(&c->chart, mlsrc_get, (void *)env, env->now_ms);
	return c;
}

void compare_free(struct compare **c)
{
	if (!c || !*c)
		return;
	compare_chart_fini(&(*c)->chart);
	compare_tables_fini(&(*c)->tab);
	free((*c)->metric);
	free(*c);
	*c = NULL;
}

/* The index of run id among the new tables' runs, or fallback. */
static size_t run_index(const struct compare_tables *t, const char *id, size_t fallback)
{
	size_t i;

	for (i = 0; id && i < t->nruns; i++)
		if (strcmp(t->id[i], id) == 0)
			return i;
	return fallback < t->nruns ? fallback : 0;
}

/* Fetches the charted metric's history; keep: a refresh, the old curves stay until it comes. */
static void fetch(struct compare *c, int keep)
{
	c->fetch_ms = c->env->now_ms ? c->env->now_ms() : 0;
	if (!c->metric)
		compare_chart_cancel(&c->chart);
	else
		compare_chart_fetch(&c->chart, c->metric, c->tab.id, c->tab.nruns, MAX_POINTS, keep,
		                    NULL); /* a failure is kept in the chart and shown there */
}

/* A refresh of the curves of running runs: at most once a refresh interval, and never over a
 * fetch still in flight (the store may be refreshed page by page, faster than that). */
static int refresh_due(const struct compare *c)
{
	int64_t every =
	    c->env->ctx && c->env->ctx->refresh_ms > 0 ? c->env->ctx->refresh_ms : REFRESH_MS;

	if (c->chart.op)
		return 0;
	return !c->env->now_ms || c->env->now_ms() - c->fetch_ms >= every;
}

static int same_runs(const struct compare_tables *old, const struct mlflow_run *const *runs,
                     size_t n)
{
	size_t i;

	if (old->nruns != n)
		return 0;
	for (i = 0; i < n; i++)
		if (!runs[i]->id || strcmp(old->id[i], runs[i]->id) != 0)
			return 0;
	return 1;
}

/* Picks the metric to chart: the one charted before when the runs still have it, else the first. */
static int choose_metric(struct compare *c)
{
	const char *key = NULL;
	char *copy;

	if (c->metric && compare_tables_metric(&c->tab, c->metric) >= 0)
		return 0;
	if (c->tab.nm)
		key = c->tab.m[0].key;
	copy = key ? strdup(key) : NULL;
	if (key && !copy)
		return -1;
	free(c->metric);
	c->metric = copy;
	return 1;
}

int compare_set(struct compare *c, const struct runstore *store,
                const struct mlflow_run *const *runs, size_t n, struct err *e)
{
	char *base_id = NULL, *cur_id = NULL;
	int same, any_running = 0, changed, rc;
	size_t i;

	if (n < COMPARE_MIN_RUNS || n > COMPARE_MAX_RUNS)
		return err_set(e, ERR_STATE, "compare takes %d to %d runs, %zu marked",
		               COMPARE_MIN_RUNS, COMPARE_MAX_RUNS, n);
	same = same_runs(&c->tab, runs, n);
	if (c->tab.nruns) {
		base_id = strdup(c->tab.id[c->baseline]);
		cur_id = strdup(c->tab.id[c->runcur]);
	}
	rc = compare_tables_build(&c->tab, store, runs, n, c->env->cfg, e);
	if (rc == 0) {
		c->n = n;
		c->baseline = run_index(&c->tab, base_id, 0);
		c->runcur = run_index(&c->tab, cur_id, c->baseline);
		compare_tables_filter(&c->tab, c->diff_only);
		for (i = 0; i < n; i++)
			any_running |= runs[i]->status == RUN_STATUS_RUNNING;
		changed = choose_metric(c);
		if (changed < 0)
			rc = err_set(e, ERR_NOMEM, "compare: out of memory");
		else if (changed || !same)
			fetch(c, 0);
		else if ((any_running || c->chart.err[0]) && refresh_due(c)) /* grown or failed */
			fetch(c, 1);
	} else {
		c->n = 0;
		compare_chart_cancel(&c->chart);
	}
	free(base_id);
	free(cur_id);
	compare_recalc(c);
	return rc;
}

/* Heights of the tables and the chart in the body (line 0 is the title). */
static void layout_rows(struct compare *c, int rows)
{
	struct compare_layout *L = &c->lay;
	int avail = rows > 1 ? rows - 1 : 0;
	int need_p = 1 + (c->tab.npview ? (int)c->tab.npview : 1);
	int ml = c->lay.cols.mlines > 1 ? c->lay.cols.mlines : 1;
	int need_m = 1 + (c->tab.nm ? (int)c->tab.nm * ml : 1);
	int chart = c->tab.nm && c->env->cols >= CHART_MIN_COLS && avail - 4 >= CHART_MIN_ROWS;
	int cap = chart ? rows * TABLE_SHARE_PCT / 100 : avail;
	/* two-line metric rows may take a line of the chart's least, for a whole row */
	int budget = chart ? avail - CHART_MIN_ROWS + (ml - 1) : avail;

	if (cap < 1 + ml)
		cap = 1 + ml; /* the heading and a whole row */
	L->m_h = need_m < cap ? need_m : cap;
	if (L->m_h > budget - (need_p < 2 ? need_p : 2))
		L->m_h = budget - (need_p < 2 ? need_p : 2);
	if (L->m_h > 1 && c->tab.nm)
		L->m_h -= (L->m_h - 1) % ml; /* no half row: the line goes to the next part */
	if (L->m_h < 0)
		L->m_h = 0;
	L->p_h = need_p < cap ? need_p : cap;
	if (L->p_h > budget - L->m_h)
		L->p_h = budget - L->m_h;
	if (L->p_h < 0)
		L->p_h = 0;
	L->p_y = 1;
	L->m_y = L->p_y + L->p_h;
	L->c_y = L->m_y + L->m_h;
	L->c_h = chart ? avail - L->p_h - L->m_h : 0;
}

/* Keeps the cursor row visible in its table: top is the first row shown of vis rows. */
static size_t scroll_to(size_t top, size_t row, int rows, size_t count)
{
	size_t vis = rows > 0 ? (size_t)rows : 1;

	if (row < top)
		top = row;
	else if (row >= top + vis)
		top = row - vis + 1;
	if (count > vis && top > count - vis)
		top = count - vis;
	if (count <= vis)
		top = 0;
	return top;
}

static int metric_rows(const struct compare *c)
{
	return compare_cols_metric_rows(&c->lay.cols, c->lay.m_h);
}

void compare_recalc(struct compare *c)
{
	size_t total = c->tab.npview + c->tab.nm;
	struct compare_chart_view cv;

	if (c->cursor >= total)
		c->cursor = total ? total - 1 : 0;
	compare_cols_layout(&c->lay.cols, &c->tab, c->env->cols, c->runcur, c->baseline);
	layout_rows(c, c->env->rows);
	if (c->cursor < c->tab.npview)
		c->p_top = scroll_to(c->p_top, c->cursor, c->lay.p_h - 1, c->tab.npview);
	else
		c->m_top =
		    scroll_to(c->m_top, c->cursor - c->tab.npview, metric_rows(c), c->tab.nm);
	c->p_top = scroll_to(c->p_top, c->p_top, c->lay.p_h - 1, c->tab.npview);
	c->m_top = scroll_to(c->m_top, c->m_top, metric_rows(c), c->tab.nm);
	cv = (struct compare_chart_view){
	    .w = c->env->cols - c->lay.cols.x0,
	    .h = c->lay.c_h,
	    .mode = c->env->utf8 ? c->env->chart_mode : CHART_ASCII,
	    .names = (const char *const *)c->tab.name,
	    .ids = c->tab.id,
	    .start_ms = c->tab.start_ms,
	    .n = c->tab.nruns,
	};
	compare_chart_render(&c->chart, &cv); /* out of memory: the chart stays blank */
}

/* Appends "what 3–10 of 42" (compact: "what 3–10/42") to buf when only part of count items is
 * shown from top. */
static void range_note(char *buf, size_t n, const char *what, size_t top, long vis, size_t count,
                       int utf8, int compact)
{
	size_t len = strlen(buf);

	if (vis < 0)
		vis = 0;
	if ((size_t)vis >= count || len >= n)
		return;
	snprintf(buf + len, n - len, "%s%s %zu%s%zu%s%zu", len ? (utf8 ? " · " : " - ") : "", what,
	         vis ? top + 1 : 0, utf8 ? "–" : "-", top + (size_t)vis, compact ? "/" : " of ",
	         count);
}

/* What the tables do not show: form 0 in words, 1 compact, 2 compact without the params, 3
 * compact with the runs only. */
static void title_note(const struct compare *c, char *buf, size_t n, int form)
{
	const struct compare_layout *L = &c->lay;
	int u = c->env->utf8;

	buf[0] = '\0';
	if (!c->n)
		return;
	if (form < 2)
		range_note(buf, n, "params", c->p_top, L->p_h - 1, c->tab.npview, u, form > 0);
	if (form < 3)
		range_note(buf, n, "metrics", c->m_top, metric_rows(c), c->tab.nm, u, form > 0);
	range_note(buf, n, "runs", L->cols.first, (long)L->cols.nvis, c->tab.nruns, u, form > 0);
}

/* "compare 3 runs · baseline NAME · diff only [d] ON", a shorter form when narrow, and at the
 * right, in muted, what the tables do not show (rows scrolled away, runs off to the side), in
 * fewer words when narrow. */
static void draw_title(const struct compare *c, WINDOW *w, const struct theme *t)
{
	const char *sep = c->env->utf8 ? " · " : " - ";
	enum text_ellipsis el = c->env->utf8 ? TEXT_ELLIPSIS_UTF8 : TEXT_ELLIPSIS_TILDE;
	const char *base = c->tab.nruns ? c->tab.name[c->baseline] : "-";
	int x0 = c->lay.cols.x0, width = getmaxx(w) - 2 * x0, used, nw = 0, form;
	char line[512], brief[512], note[160] = "";

	snprintf(brief, sizeof(brief), "%zu runs%sbase %s%sdiff %s", c->n, sep, base, sep,
	         c->diff_only ? "ON" : "OFF");
	for (form = 0; form < 4; form++) {
		title_note(c, note, sizeof(note), form);
		nw = text_width(note);
		if (!nw || text_width(brief) + 2 + nw <= width)
			break;
	}
	snprintf(line, sizeof(line), "compare %zu runs%sbaseline %s%sdiff only [d] %s", c->n, sep,
	         base, sep, c->diff_only ? "ON" : "OFF");
	if (text_width(line) + (nw ? nw + 2 : 0) > width)
		snprintf(line, sizeof(line), "%s", brief);
	used =
	    cell_draw(w, 0, x0, width, line, TEXT_LEFT, el, theme_attr(t, ROLE_ACCENT), 0, NULL, 0);
	if (nw && used + 2 + nw <= width)
		cell_draw(w, 0, x0 + width - nw, nw, note, TEXT_LEFT, el, theme_attr(t, ROLE_MUTED),
		          0, NULL, 0);
}

void compare_draw(const struct compare *c, WINDOW *w, const struct theme *t)
{
	const struct compare_layout *L = &c->lay;
	struct compare_view v = {
	    .t = &c->tab,
	    .cols = L->cols,
	    .baseline = c->baseline,
	    .runcur = c->runcur,
	    .utf8 = c->env->utf8,
	    .theme = t,
	};
	long pc = c->cursor < c->tab.npview ? (long)c->cursor : -1;
	long mc = c->cursor >= c->tab.npview ? (long)(c->cursor - c->tab.npview) : -1;

	werase(w);
	if (getmaxy(w) < 1 || getmaxx(w) < 1)
		return;
	draw_title(c, w, t);
	if (c->n == 0)
		return;
	compare_view_params(&v, w, L->p_y, L->p_h, c->p_top, pc);
	compare_view_metrics(&v, w, L->m_y, L->m_h, c->m_top, mc,
	                     compare_tables_metric(&c->tab, c->metric));
	if (L->c_h > 0 && L->c_y + L->c_h <= getmaxy(w))
		compare_chart_draw(&c->chart, w, L->c_y, L->cols.x0, L->c_h,
		                   getmaxx(w) - L->cols.x0, c->env->utf8, t);
	wattrset(w, A_NORMAL);
}

/* Charts metric row i. */
static void chart_metric(struct compare *c, size_t i)
{
	char *copy;

	if (i >= c->tab.nm || (c->metric && strcmp(c->metric, c->tab.m[i].key) == 0))
		return;
	copy = strdup(c->tab.m[i].key);
	if (!copy)
		return;
	free(c->metric);
	c->metric = copy;
	fetch(c, 0);
}

static void cycle_metric(struct compare *c, int step)
{
	int i = compare_tables_metric(&c->tab, c->metric), n = (int)c->tab.nm;

	if (n == 0)
		return;
	i = i < 0 ? 0 : ((i + step) % n + n) % n;
	chart_metric(c, (size_t)i);
}

static void move_cursor(struct compare *c, long delta)
{
	long total = (long)(c->tab.npview + c->tab.nm), pos = (long)c->cursor + delta;

	if (pos >= total)
		pos = total - 1;
	if (pos < 0)
		pos = 0;
	c->cursor = (size_t)pos;
}

static int page(const struct compare *c)
{
	int rows = c->cursor < c->tab.npview ? c->lay.p_h - 1 : metric_rows(c);

	return rows > 1 ? rows : 1;
}

/* Keys that change what is shown; returns 0 for a key that is not one of them. */
static int view_key(struct compare *c, int key)
{
	switch (key) {
	case 'd':
		c->diff_only = !c->diff_only;
		compare_tables_filter(&c->tab, c->diff_only);
		c->cursor = 0;
		c->p_top = 0;
		return 1;
	case 'b':
		c->baseline = c->runcur;
		return 1;
	case KEY_LEFT:
		c->runcur = c->runcur > 0 ? c->runcur - 1 : c->runcur;
		return 1;
	case KEY_RIGHT:
		c->runcur = c->runcur + 1 < c->tab.nruns ? c->runcur + 1 : c->runcur;
		return 1;
	case 'm':
	case 'M':
		cycle_metric(c, key == 'm' ? 1 : -1);
		return 1;
	case 'x':
		c->chart.x_mode = (c->chart.x_mode + 1) % COMPARE_X_COUNT;
		return 1;
	case 'l':
		c->chart.log_y = !c->chart.log_y;
		return 1;
	case '\n': /* Enter, however the terminal sends it (compare_key) */
		if (c->cursor >= c->tab.npview)
			chart_metric(c, c->cursor - c->tab.npview);
		return 1;
	}
	return 0;
}

static int move_key(struct compare *c, int key)
{
	switch (key) {
	case 'j':
	case KEY_DOWN:
		move_cursor(c, 1);
		return 1;
	case 'k':
	case KEY_UP:
		move_cursor(c, -1);
		return 1;
	case KEY_NPAGE:
		move_cursor(c, page(c));
		return 1;
	case KEY_PPAGE:
		move_cursor(c, -page(c));
		return 1;
	case 'g':
	case KEY_HOME:
		c->cursor = 0;
		return 1;
	case 'G':
	case KEY_END:
		move_cursor(c, (long)(c->tab.npview + c->tab.nm));
		return 1;
	}
	return 0;
}

enum panel_rc compare_key(struct compare *c, int key)
{
	if (key == PANEL_KEY_ESC)
		return PANEL_BACK;
	if (panel_key_is_enter(key))
		key = '\n';
	if (c->n == 0 || !(view_key(c, key) || move_key(c, key)))
		return PANEL_IGNORED;
	compare_recalc(c);
	return PANEL_HANDLED;
}

/* The run cursor's key, as the terminal can show it. */
#define COMPARE_HINTS(runkeys)                                                                     \
	{                                                                                          \
		{"d", "diff only", 1}, {runkeys, "run", 1}, {"b", "baseline = cursor run", 1},     \
		    {"m/M", "next/previous metric", 1},                                            \
		    {"Enter", "chart the metric under the cursor", 0}, {"x", "x axis", 1},         \
		    {"l", "log y", 1}, {"j/k", "scroll", 0}, {"PgUp/PgDn", "page", 0},             \
		    {"g/G", "top, bottom", 0}, {"Esc", "back", 1}, {NULL, NULL, 0},                \
	}

static const struct keyhint compare_keyhints_utf8[] = COMPARE_HINTS("←/→");
static const struct keyhint compare_keyhints_ascii[] = COMPARE_HINTS("Left/Right");

const struct keyhint *compare_hints(const struct compare *c)
{
	return c->env->utf8 ? compare_keyhints_utf8 : compare_keyhints_ascii;
}

void compare_status(const struct compare *c, char *buf, size_t n)
{
	char clean[128], metric[128];

	if (!n)
		return;
	if (!c->metric) {
		snprintf(buf, n, "%zu runs", c->n);
		return;
	}
	text_sanitize(c->metric, strlen(c->metric), clean, sizeof(clean));
	text_ellipsize(metric, sizeof(metric), clean, STATUS_METRIC_W,
	               c->env->utf8 ? TEXT_ELLIPSIS_UTF8 : TEXT_ELLIPSIS_TILDE);
	snprintf(buf, n, "%zu runs %s %s", c->n, c->env->utf8 ? "·" : "-", metric);
}
