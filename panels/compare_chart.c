/* compare_chart: the metric curves of the Compare view. */
#include "panels/compare_chart.h"

#include "clients/clock.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "tui/widgets/cell.h"
#include "tui/widgets/text.h"

void compare_chart_init(struct compare_chart *ch, struct mlflow *client, void (*changed)(void *ud),
                        void *ud)
{
	memset(ch, 0, sizeof(*ch));
	ch->client = client;
	ch->changed = changed;
	ch->ud = ud;
}

void compare_chart_cache(struct compare_chart *ch, mlflow_get_fn get, void *ud,
                         int64_t (*now_ms)(void))
{
	ch->get = get;
	ch->get_ud = ud;
	ch->now_ms = now_ms;
}

static int64_t chart_now(const struct compare_chart *ch)
{
	if (ch->now_ms)
		return ch->now_ms();
	return clock_wall_ms();
}

void compare_chart_cancel(struct compare_chart *ch)
{
	if (ch->op && ch->client)
		mlflow_cancel(ch->client, ch->op);
	ch->op = 0;
}

void compare_chart_fini(struct compare_chart *ch)
{
	compare_chart_cancel(ch);
	mlflow_history_free(&ch->hist);
	chart_grid_fini(&ch->grid);
	free(ch->metric);
	ch->metric = NULL;
}

static void on_history(void *ud, struct mlflow_event *ev)
{
	struct compare_chart *ch = ud;

	if (!ev->done || ev->op != ch->op)
		return; /* progress, or the answer of an operation given up */
	ch->op = 0;
	if (ev->rc < 0) {
		snprintf(ch->err, sizeof(ch->err), "%s history: %s", ch->metric ? ch->metric : "",
		         ev->err ? ev->err->msg : "failed");
	} else {
		mlflow_history_free(&ch->hist);
		ch->hist = ev->history;
		ev->history = NULL;
		ch->err[0] = '\0';
		ch->cached = 0;
		ch->data_ms = chart_now(ch);
	}
	if (ch->changed)
		ch->changed(ch->ud);
}

/* The curves the client filed for these runs, shown until the answer comes (none: nothing). */
static void restore(struct compare_chart *ch, char *const *ids, size_t n)
{
	int64_t when = 0;

	ch->cached = 0;
	if (!ch->get ||
	    mlflow_restore_history(ch->get, ch->get_ud, (const char *const *)ids, n, ch->metric,
	                           &ch->hist, &when, NULL) < 0 ||
	    !ch->hist)
		return;
	ch->cached = 1;
	ch->data_ms = when;
}

int compare_chart_fetch(struct compare_chart *ch, const char *metric, char *const *ids, size_t n,
                        int max_points, int keep, struct err *e)
{
	struct err local;
	char *copy = strdup(metric);
	long op;

	if (!copy)
		return err_set(e, ERR_NOMEM, "compare: out of memory");
	compare_chart_cancel(ch);
	if (!keep || !ch->metric || strcmp(ch->metric, metric) != 0)
		mlflow_history_free(&ch->hist);
	free(ch->metric);
	ch->metric = copy;
	ch->err[0] = '\0';
	if (!ch->client)
		return err_set(e, ERR_CONFIG, "no MLflow tracking server: no curves");
	if (!ch->hist)
		restore(ch, ids, n);
	op = mlflow_history(ch->client, (const char *const *)ids, n, metric, max_points, on_history,
	                    ch, &local);
	if (op <= 0) {
		snprintf(ch->err, sizeof(ch->err), "%s history: %s", metric, local.msg);
		return err_set(e, local.code ? local.code : ERR_STATE, "%s", ch->err);
	}
	ch->op = op;
	return 0;
}

/* Where the elapsed time of a run counts from: its start, else its earliest point. */
static int64_t origin_ms(const struct mlflow_series *hs, int64_t start_ms)
{
	int64_t o = start_ms;
	size_t i;

	for (i = 0; !start_ms && i < hs->n; i++)
		if (i == 0 || hs->points[i].timestamp < o)
			o = hs->points[i].timestamp;
	return o;
}

/* x of a point in seconds (wall time, since origin) or steps. */
static double x_of(const struct compare_chart *ch, const struct mlflow_point *p, int64_t origin)
{
	if (ch->x_mode == COMPARE_X_TIME)
		return (double)p->timestamp / 1000.0;
	if (ch->x_mode == COMPARE_X_ELAPSED)
		return (double)(p->timestamp - origin) / 1000.0;
	return (double)p->step;
}

/* The x and y arrays of the series of one run (NULL arrays when it has no points). */
static int series_of(const struct compare_chart *ch, const char *id, int64_t start_ms,
                     struct chart_series *s, double **xs, double **ys)
{
	const struct mlflow_series *hs = ch->hist ? mlflow_history_find(ch->hist, id) : NULL;
	size_t i, n = hs ? hs->n : 0;
	int64_t origin;

	s->n = 0;
	*xs = *ys = NULL;
	if (n == 0)
		return 0;
	*xs = malloc(n * sizeof(double));
	*ys = malloc(n * sizeof(double));
	if (!*xs || !*ys)
		return -1;
	origin = origin_ms(hs, start_ms);
	for (i = 0; i < n; i++) {
		(*xs)[i] = x_of(ch, &hs->points[i], origin);
		(*ys)[i] = hs->points[i].value;
	}
	s->x = *xs;
	s->y = *ys;
	s->n = n;
	return 0;
}

/* The line below the curves: the error, or the age of curves from the cache. */
static int note_lines(const struct compare_chart *ch)
{
	return ch->err[0] || ch->cached ? 1 : 0;
}

int compare_chart_render(struct compare_chart *ch, const struct compare_chart_view *v)
{
	static const char *const by[COMPARE_X_COUNT] = {"step", "time", "time since start"};
	static const char *const unit[COMPARE_X_COUNT] = {"step", NULL, "since start"};
	struct chart_series s[CHART_MAX_SERIES] = {{0}};
	double *xs[CHART_MAX_SERIES] = {0}, *ys[CHART_MAX_SERIES] = {0};
	char title[160];
	size_t i, n = v->n < CHART_MAX_SERIES ? v->n : CHART_MAX_SERIES;
	int rc = -1, xm = ch->x_mode >= 0 && ch->x_mode < COMPARE_X_COUNT ? ch->x_mode : 0;
	struct chart_opts o = {
	    .mode = (enum chart_mode)v->mode,
	    .log_y = ch->log_y != 0,
	    .x_time = xm == COMPARE_X_TIME,
	    .x_elapsed = xm == COMPARE_X_ELAPSED,
	    .title = title,
	    .x_unit = unit[xm],
	};

	ch->rendered = 0;
	if (!ch->hist || v->w < 12 || v->h - note_lines(ch) < 4)
		return 0;
	text_sanitize(ch->metric ? ch->metric : "", ch->metric ? strlen(ch->metric) : 0, title,
	              sizeof(title) - 32);
	snprintf(title + strlen(title), 32, " by %s%s", by[xm], ch->log_y ? " (log)" : "");
	for (i = 0; i < n; i++) {
		s[i].name = v->names[i];
		if (series_of(ch, v->ids[i], v->start_ms ? v->start_ms[i] : 0, &s[i], &xs[i],
		              &ys[i]) < 0)
			goto out;
	}
	/* a failed refresh keeps the last curves, with the error on the line below */
	if (chart_render(&ch->grid, v->w, v->h - note_lines(ch), s, (int)n, &o) < 0)
		goto out;
	ch->rendered = 1;
	rc = 0;
out:
	for (i = 0; i < n; i++) {
		free(xs[i]);
		free(ys[i]);
	}
	return rc;
}

/* "cached 3m ago"; with an error, "stale: data 3m old · " before it when curves are kept. */
static void note(const struct compare_chart *ch, char *buf, size_t n, int utf8)
{
	char age[16];

	text_age(age, sizeof(age), chart_now(ch) - ch->data_ms);
	if (!ch->err[0])
		snprintf(buf, n, "cached %s ago", age);
	else if (ch->hist)
		snprintf(buf, n, "stale: data %s old%s%s", age, utf8 ? " · " : " - ", ch->err);
	else
		snprintf(buf, n, "%s", ch->err);
}

void compare_chart_draw(const struct compare_chart *ch, WINDOW *win, int y, int x, int h, int w,
                        int utf8, const struct theme *t)
{
	enum text_ellipsis el = utf8 ? TEXT_ELLIPSIS_UTF8 : TEXT_ELLIPSIS_TILDE;
	char msg[ERR_MSG_MAX + 64], clean[ERR_MSG_MAX + 64];
	int line = y;

	if (h <= 0 || w <= 0)
		return;
	if (ch->rendered && ch->grid.w <= w && ch->grid.h <= h) {
		chart_draw(&ch->grid, win, y, x, t);
		line += ch->grid.h;
	}
	if (line >= y + h)
		return;
	if (ch->err[0] || (ch->rendered && ch->cached)) {
		note(ch, msg, sizeof(msg), utf8);
		text_sanitize(msg, strlen(msg), clean, sizeof(clean));
		cell_draw(win, line, x, w, clean, TEXT_LEFT, el,
		          theme_attr(t, ch->err[0] ? ROLE_ERROR : ROLE_WARN), 0, NULL, 0);
		return;
	}
	if (!ch->client)
		snprintf(msg, sizeof(msg), "no MLflow tracking server: no curves");
	else if (!ch->metric)
		snprintf(msg, sizeof(msg), "no metric to chart");
	else if (ch->op)
		snprintf(msg, sizeof(msg), "loading %s history%s", ch->metric, utf8 ? "…" : "...");
	else
		snprintf(msg, sizeof(msg), "no %s history", ch->metric);
	text_sanitize(msg, strlen(msg), clean, sizeof(clean));
	cell_draw(win, line, x, w, clean, TEXT_LEFT, el, theme_attr(t, ROLE_MUTED), 0, NULL, 0);
}
