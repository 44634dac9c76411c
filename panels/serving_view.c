#include "panels/serving_view.h"

#include "clients/jsonw.h"

#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "tui/widgets/chart.h"

enum { C_DEP, C_SPLIT, C_VER, C_RPS, C_ERR, C_P50, C_P95, C_P99, C_TREND, C_REG, C_REV, C_COUNT };

static const struct table_col cols[C_COUNT] = {
    {"DEPLOYMENT", 10, 24, TEXT_LEFT, TABLE_SORT_TEXT},
    {"SPLIT stable|canary", 19, 30, TEXT_LEFT, TABLE_SORT_NONE},
    {"VER", 3, 5, TEXT_LEFT, TABLE_SORT_TEXT},
    {"RPS", 6, 8, TEXT_RIGHT, TABLE_SORT_NUM},
    {"ERR %", 5, 7, TEXT_RIGHT, TABLE_SORT_NUM},
    {"p50 ms", 6, 7, TEXT_RIGHT, TABLE_SORT_NUM},
    {"p95 ms", 6, 7, TEXT_RIGHT, TABLE_SORT_NUM},
    {"p99 ms", 6, 7, TEXT_RIGHT, TABLE_SORT_NUM},
    {"p99, last 30 min", 16, 18, TEXT_LEFT, TABLE_SORT_NONE},
    {"REGISTRY", 14, 18, TEXT_LEFT, TABLE_SORT_TEXT},
    {"REVISION", 8, 0, TEXT_LEFT, TABLE_SORT_TEXT},
};

static const int col_fig[C_COUNT] = {
    [C_DEP] = -1,           [C_SPLIT] = -1,         [C_VER] = -1,
    [C_REG] = -1,           [C_RPS] = PROM_FIG_RPS, [C_ERR] = PROM_FIG_ERROR_RATIO,
    [C_P50] = PROM_FIG_P50, [C_P95] = PROM_FIG_P95, [C_P99] = PROM_FIG_P99,
    [C_TREND] = -1,         [C_REV] = -1,
};

static const char *clean(const char *s, char *buf, size_t n)
{
	return s && *s ? text_sanitize(s, strlen(s), buf, n) : NULL;
}

static const char *dash(const struct serving_view *v)
{
	return v->ascii ? "-" : "–";
}

/* A figure in its unit: rps as is, the error ratio in %, latencies in ms; "▲" past the SLO. */
static const char *figure(const struct serving_view *v, const struct serving_dep *d,
                          const struct serving_line *l, int f, char *buf, size_t n)
{
	double x = l->value[f];
	if (isnan(x))
		return dash(v);
	const char *mark = serving_slo_breach(d, l, f) == 1 ? (v->ascii ? "^" : "▲") : "";
	if (f == PROM_FIG_RPS)
		snprintf(buf, n, "%.1f", x);
	else if (f == PROM_FIG_ERROR_RATIO)
		snprintf(buf, n, "%.1f%s", x * 100, mark);
	else
		snprintf(buf, n, "%.0f%s", x * 1000, mark);
	return buf;
}

/* "██████████████████░░ 90|10", "████████████████████ 100", "–" without KServe. */
static const char *split_bar(const struct serving_view *v, const struct serving_dep *d, char *buf,
                             size_t n)
{
	const struct serving_line *c = serving_canary_line(d), *s = serving_stable_line(d);
	if (!d->isvc || !s || s->percent < 0)
		return dash(v);
	int cp = c && c->percent > 0 ? c->percent : 0, sp = s->percent, w = 12, full = sp * w / 100;
	size_t off = 0;
	for (int i = 0; i < w && off + 4 < n; i++)
		off += (size_t)snprintf(buf + off, n - off, "%s",
		                        i < full ? (v->ascii ? "#" : "█") : (v->ascii ? "." : "░"));
	if (cp)
		snprintf(buf + off, n - off, " %d|%d", sp, cp);
	else
		snprintf(buf + off, n - off, " %d", sp);
	return buf;
}

/* The p99 column covers the last 30 min (its title) in TREND_CELLS cells of equal time, each the
 * worst p99 of its stretch. Cells are aligned to whole stretches of the clock and end at the
 * newest point, so that the line moves one cell per stretch, not at every refresh. */
#define TREND_MS 1800000
enum { TREND_CELLS = 16 };

static void trend_cells(const struct prom_spark *s, double *cell)
{
	const int64_t w = TREND_MS / TREND_CELLS;
	int64_t last = s->pts[s->n - 1].ts_ms / w;
	for (int i = 0; i < TREND_CELLS; i++)
		cell[i] = NAN;
	for (size_t i = s->n; i-- > 0;) {
		int64_t back = last - s->pts[i].ts_ms / w;
		if (back >= TREND_CELLS)
			break;
		double *c = &cell[TREND_CELLS - 1 - back];
		if (!isnan(s->pts[i].v) && (isnan(*c) || s->pts[i].v > *c))
			*c = s->pts[i].v;
	}
}

/* The scale spans at least half the highest cell, so that a wobble of a few percent stays
 * within one block (a steady line sits at ▄), and a doubling still spans them all. */
static const char *trend(const struct serving_view *v, const struct serving_line *l, char *buf,
                         size_t n)
{
	const struct prom_spark *s = l->spark ? &l->spark[PROM_FIG_P99] : NULL;
	if (!s || !s->n)
		return NULL;
	double cell[TREND_CELLS], lo = INFINITY, hi = -INFINITY;
	trend_cells(s, cell);
	for (int i = 0; i < TREND_CELLS; i++) {
		if (!isnan(cell[i])) {
			lo = fmin(lo, cell[i]);
			hi = fmax(hi, cell[i]);
		}
	}
	if (hi > 0 && hi - lo < hi / 2) {
		lo = (hi + lo) / 2 - hi / 2 * 3 / 7;
		hi = lo + hi / 2;
	}
	chart_sparkline_scaled(buf, n, cell, TREND_CELLS, TREND_CELLS, lo, hi, v->ascii);
	return buf;
}

/* The state line: not Ready (False), Ready Unknown with why, or no metrics. */
static const char *state_cell(const struct serving_view *v, const struct serving_dep *d, int col,
                              char *buf, size_t n)
{
	char raw[600];
	int why = d->ready != 1 && d->why[0];
	if (col == C_DEP && !d->n)
		return clean(d->name, buf, n);
	if (col == C_DEP && why)
		return d->ready == 0 ? (v->ascii ? "  x not Ready" : "  ✗ not Ready")
		                     : (v->ascii ? "  ? Ready Unknown" : "  … Ready Unknown");
	if (col == C_DEP)
		return "  no metrics";
	if (col == C_VER && !d->n)
		return d->ready == 0 ? (v->ascii ? "x" : "✗") : dash(v);
	if (col != C_SPLIT)
		return NULL;
	if (why)
		return clean(d->why, buf, n);
	snprintf(raw, sizeof raw, "no metrics: no series of model=%s", d->model);
	return clean(raw, buf, n);
}

/* The SPLIT cell of a line under the first: what keeps a new revision from its share. */
static const char *pending_split(const struct serving_line *l)
{
	if (l->state == SERVING_LINE_STARTING)
		return "starting: 0 %";
	return l->state == SERVING_LINE_FAILED ? "failed: no traffic" : NULL;
}

/* "churn-classifier-predictor-00002 10 % canary", "… 0 % starting (not ready yet)". */
static const char *revision_cell(const struct serving_dep *d, const struct serving_line *l,
                                 char *buf, size_t n)
{
	char raw[300];
	if (l->state == SERVING_LINE_STARTING)
		snprintf(raw, sizeof raw, "%s %d %% starting (not ready yet)", l->revision,
		         l->percent);
	else if (l->state == SERVING_LINE_FAILED)
		snprintf(raw, sizeof raw, "%s %d %% failed: never got traffic", l->revision,
		         l->percent);
	else if (d->raw && l->percent >= 0)
		snprintf(raw, sizeof raw, "raw deployment %d %%", l->percent);
	else if (l->revision[0])
		snprintf(raw, sizeof raw, "%s %d %%%s", l->revision, l->percent,
		         l->canary ? " canary" : "");
	else
		return l->canary ? "canary" : NULL;
	return clean(raw, buf, n);
}

static const char *line_cell(const struct serving_view *v, const struct serving_dep *d, int li,
                             int col, char *buf, size_t n)
{
	const struct serving_line *l = &d->lines[li];
	char raw[300];
	if (col_fig[col] >= 0)
		return figure(v, d, l, col_fig[col], buf, n);
	switch (col) {
	case C_DEP:
		return li == 0 ? clean(d->name, buf, n) : NULL;
	case C_SPLIT:
		return li == 0 ? split_bar(v, d, buf, n) : pending_split(l);
	case C_VER:
		return l->version[0] ? clean(l->version, buf, n) : "?";
	case C_REG:
		if (!l->reg[0])
			return dash(v);
		snprintf(raw, sizeof raw, "v%s%s%s", l->reg, l->aliases[0] ? " " : "", l->aliases);
		return clean(raw, buf, n);
	case C_TREND:
		return trend(v, l, buf, n);
	default:
		return revision_cell(d, l, buf, n);
	}
}

static const char *lines_cell(void *ctx, size_t row, int col, char *buf, size_t n)
{
	const struct serving_view *v = ctx;
	const struct serving_row *r = &v->rows[row];
	const struct serving_dep *d = &v->deps->v[r->dep];
	if (r->line == SERVING_ROW_RAW)
		return col == C_DEP     ? "  raw deployment"
		       : col == C_SPLIT ? "canaries not supported"
		                        : NULL;
	return r->line < 0 ? state_cell(v, d, col, buf, n) : line_cell(v, d, r->line, col, buf, n);
}

static enum role lines_role(void *ctx, size_t row)
{
	const struct serving_view *v = ctx;
	const struct serving_row *r = &v->rows[row];
	const struct serving_dep *d = &v->deps->v[r->dep];
	if (r->line == SERVING_ROW_RAW)
		return ROLE_MUTED;
	if (r->line < 0)
		return d->ready == 0 ? ROLE_CRIT : ROLE_WARN;
	const struct serving_line *l = &d->lines[r->line];
	if (l->state != SERVING_LINE_SERVING)
		return l->state == SERVING_LINE_FAILED ? ROLE_CRIT : ROLE_MUTED;
	if (serving_slo_breach(d, l, PROM_FIG_ERROR_RATIO) == 1 ||
	    serving_slo_breach(d, l, PROM_FIG_P99) == 1)
		return ROLE_CRIT;
	return l->canary ? ROLE_CANARY : ROLE_NORMAL;
}

/* ---- the deployments' table: one row per deployment, figures summed or at their worst ---- */

static const char *deps_cell(void *ctx, size_t row, int col, char *buf, size_t n)
{
	const struct serving_view *v = ctx;
	const struct serving_dep *d = &v->deps->v[row];
	if (col == C_DEP)
		return clean(d->name, buf, n);
	return d->n ? line_cell(v, d, 0, col, buf, n) : NULL;
}

static double deps_num(void *ctx, size_t row, int col)
{
	const struct serving_view *v = ctx;
	const struct serving_dep *d = &v->deps->v[row];
	int f = col_fig[col];
	double acc = NAN;
	for (size_t i = 0; f >= 0 && i < d->n; i++) {
		double x = d->lines[i].value[f];
		if (isnan(x))
			continue;
		acc = isnan(acc) ? x : f == PROM_FIG_RPS ? acc + x : fmax(acc, x);
	}
	return acc;
}

static const char *deps_hay(void *ctx, size_t row, size_t *len)
{
	const struct serving_view *v = ctx;
	const char *h = row < v->nhay && v->hay[row] ? v->hay[row] : "";
	*len = strlen(h);
	return h;
}

int serving_view_init(struct serving_view *v, int ascii, struct err *e)
{
	memset(v, 0, sizeof *v);
	v->ascii = ascii;
	struct table_source ds = {
	    .ctx = v, .cell = deps_cell, .num = deps_num, .haystack = deps_hay};
	struct table_source ls = {.ctx = v, .cell = lines_cell, .role = lines_role};
	struct table *dt = table_new(cols, C_COUNT, &ds);
	v->lines = table_new(cols, C_COUNT, &ls);
	if (!dt || !v->lines) {
		table_free(&dt);
		table_free(&v->lines);
		return err_set(e, ERR_NOMEM, "out of memory");
	}
	table_set_ascii(v->lines, ascii);
	table_set_hide_empty(v->lines, C_REV, true);
	table_set_sort(dt, C_DEP, false);
	listview_init(&v->lv, dt);
	return 0;
}

static void hay_free(struct serving_view *v)
{
	for (size_t i = 0; v->hay && i < v->nhay; i++)
		free(v->hay[i]);
	free(v->hay);
	v->hay = NULL;
	v->nhay = 0;
}

void serving_view_fini(struct serving_view *v)
{
	hay_free(v);
	listview_fini(&v->lv);
	table_free(&v->lines);
	free(v->rows);
	v->rows = NULL;
}

static int row_add(struct serving_view *v, size_t dep, int line)
{
	if (v->n == v->cap) {
		size_t cap = v->cap ? v->cap * 2 : 32;
		struct serving_row *r = realloc(v->rows, cap * sizeof *r);
		if (!r)
			return -1;
		v->rows = r;
		v->cap = cap;
	}
	v->rows[v->n++] = (struct serving_row){dep, line};
	return 0;
}

/* The row of (dep, line) in the rows, else the first row of dep; -1 when none. */
static long row_of(const struct serving_view *v, size_t dep, int line)
{
	long first = -1;
	for (size_t i = 0; i < v->n; i++) {
		if (v->rows[i].dep != dep)
			continue;
		if (v->rows[i].line == line)
			return (long)i;
		if (first < 0)
			first = (long)i;
	}
	return first;
}

void serving_view_relayout(struct serving_view *v)
{
	size_t di, row;
	struct serving_row keep = {(size_t)-1, 0};
	if (table_cursor(v->lines, &row) && row < v->n && v->deps && v->rows[row].dep < v->deps->n)
		keep = v->rows[row];
	table_recalc(v->lv.table);
	v->n = 0;
	for (size_t pos = 0; v->deps && table_row_at(v->lv.table, pos, &di); pos++) {
		const struct serving_dep *d = &v->deps->v[di];
		for (size_t i = 0; i < d->n; i++)
			row_add(v, di, (int)i);
		if (d->ready == 0 || (d->ready < 0 && d->why[0]) || (v->metrics && !d->metrics) ||
		    !d->n)
			row_add(v, di, SERVING_ROW_STATE);
		if (d->raw)
			row_add(v, di, SERVING_ROW_RAW);
	}
	table_set_rows(v->lines, v->n);
	table_set_natural(v->lines, table_sort_col(v->lv.table), table_sort_reverse(v->lv.table));
	table_recalc(v->lines);
	long at = keep.dep != (size_t)-1 ? row_of(v, keep.dep, keep.line) : -1;
	if (at >= 0)
		table_select_row(v->lines, (size_t)at);
}

static char *hay_of(const struct serving_dep *d)
{
	size_t cap = strlen(d->name) + strlen(d->why) + 8 + d->n * 200, off = 0;
	char *h = malloc(cap);
	if (!h)
		return NULL;
	off += (size_t)snprintf(h, cap, "%s\t%s", d->name, d->why);
	for (size_t i = 0; i < d->n && off < cap; i++)
		off += (size_t)snprintf(h + off, cap - off, "\t%.60s v%.30s %.100s",
		                        d->lines[i].version, d->lines[i].reg, d->lines[i].aliases);
	return h;
}

void serving_view_set(struct serving_view *v, const struct serving_deps *deps, const char *name)
{
	hay_free(v);
	v->deps = deps;
	if (deps->n && (v->hay = calloc(deps->n, sizeof *v->hay)))
		v->nhay = deps->n;
	for (size_t i = 0; i < v->nhay; i++)
		v->hay[i] = hay_of(&deps->v[i]);
	table_set_rows(v->lv.table, deps->n);
	serving_view_relayout(v);
	if (name && name[0])
		serving_view_select(v, name);
}

const struct serving_dep *serving_view_cursor(const struct serving_view *v)
{
	size_t row;
	if (!v->deps || !table_cursor(v->lines, &row) || row >= v->n)
		return NULL;
	return &v->deps->v[v->rows[row].dep];
}

int serving_view_select(struct serving_view *v, const char *name)
{
	for (size_t i = 0; v->deps && i < v->n; i++)
		if (strcmp(v->deps->v[v->rows[i].dep].name, name) == 0)
			return table_select_row(v->lines, i);
	return 0;
}

/* n / N under a filter: from the deployment under the cursor to the next / previous one that
 * matches (the deployments' table knows the matches and says "match 2 of 3"). */
static enum panel_rc serving_view_match(struct serving_view *v, int key)
{
	size_t row, di;
	if (table_cursor(v->lines, &row) && row < v->n)
		table_select_row(v->lv.table, v->rows[row].dep);
	enum panel_rc rc = listview_key(&v->lv, key);
	if (rc == PANEL_HANDLED && table_cursor(v->lv.table, &di)) {
		long at = row_of(v, di, 0);
		if (at >= 0)
			table_select_row(v->lines, (size_t)at);
	}
	return rc;
}

enum panel_rc serving_view_key(struct serving_view *v, int key)
{
	if ((key == 'n' || key == 'N') && listview_pattern(&v->lv)[0])
		return serving_view_match(v, key);
	if (listview_modal(&v->lv) || key == 's' || key == 'S' || key == '<' || key == '>') {
		enum panel_rc rc = listview_key(&v->lv, key);
		serving_view_relayout(v);
		return rc;
	}
	return table_key(v->lines, key) ? PANEL_HANDLED : PANEL_IGNORED;
}

void serving_view_draw(const struct serving_view *v, WINDOW *w, int top, const struct theme *t)
{
	int h = getmaxy(w) - top, wd = getmaxx(w);
	if (h <= 0)
		return;
	table_draw(v->lines, w, top, 0, h, wd, t);
	sortpick_draw(&v->lv.pick, v->lv.table, w, top + 1, 1, h - 1, wd - 2, t);
}

static void json_line(struct jsonw *w, const struct serving_line *l)
{
	jsonw_obj_begin(w, NULL);
	static const char *const states[] = {"serving", "starting", "failed"};
	jsonw_str(w, "version", l->version[0] ? l->version : NULL);
	jsonw_str(w, "registry_version", l->reg[0] ? l->reg : NULL);
	jsonw_str(w, "aliases", l->aliases[0] ? l->aliases : NULL);
	jsonw_str(w, "revision", l->revision[0] ? l->revision : NULL);
	if (l->percent >= 0)
		jsonw_int(w, "percent", l->percent);
	else
		jsonw_null(w, "percent");
	jsonw_bool(w, "canary", l->canary);
	jsonw_str(w, "state", states[l->state]);
	jsonw_num(w, "rps", l->value[PROM_FIG_RPS]);
	jsonw_num(w, "error_ratio", l->value[PROM_FIG_ERROR_RATIO]);
	jsonw_num(w, "p50_ms", l->value[PROM_FIG_P50] * 1000);
	jsonw_num(w, "p95_ms", l->value[PROM_FIG_P95] * 1000);
	jsonw_num(w, "p99_ms", l->value[PROM_FIG_P99] * 1000);
	jsonw_num(w, "drift", l->value[PROM_FIG_DRIFT]);
	jsonw_obj_end(w);
}

void serving_view_json(const struct serving_view *v, struct jsonw *w)
{
	size_t di;
	jsonw_arr_begin(w, "rows");
	for (size_t pos = 0; v->deps && table_row_at(v->lv.table, pos, &di); pos++) {
		const struct serving_dep *d = &v->deps->v[di];
		jsonw_obj_begin(w, NULL);
		jsonw_str(w, "deployment", d->name);
		jsonw_str(w, "model", d->registered);
		jsonw_str(w, "storage_uri", d->storage_uri[0] ? d->storage_uri : NULL);
		if (d->ready < 0)
			jsonw_null(w, "ready");
		else
			jsonw_bool(w, "ready", d->ready);
		jsonw_str(w, "not_ready", d->ready != 1 && d->why[0] ? d->why : NULL);
		jsonw_bool(w, "raw_deployment", d->raw);
		jsonw_bool(w, "metrics", d->metrics);
		jsonw_bool(w, "out_of_slo", d->out_of_slo);
		jsonw_arr_begin(w, "versions");
		for (size_t i = 0; i < d->n; i++)
			json_line(w, &d->lines[i]);
		jsonw_arr_end(w);
		jsonw_obj_end(w);
	}
	jsonw_arr_end(w);
}
