#include "panels/action_draw.h"

#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "panels/action_live.h"
#include "panels/notice.h"
#include "panels/serving_canary.h"
#include "tui/widgets/text.h"

#define LINE_MAX_BYTES 700

#define LABEL_COLS 10 /* the column of labels: "1 KServe", "Rollback", "Now", "Alerts" */

struct dline {
	enum role role;
	char label[24]; /* drawn in the label column, "" for none */
	int indent;     /* from the text column */
	char text[LINE_MAX_BYTES];
};

/* The dialog's text, built whole, then drawn from the scroll offset. */
struct lines {
	struct dline *v;
	int n, cap;
};

/* A line of the dialog: label (ours, or "" for none), then the text, sanitized. */
static void __attribute__((format(printf, 5, 6)))
add(struct lines *l, enum role r, const char *label, int indent, const char *fmt, ...)
{
	if (l->n >= l->cap)
		return;
	struct dline *d = &l->v[l->n++];
	char raw[LINE_MAX_BYTES];
	va_list ap;
	va_start(ap, fmt);
	vsnprintf(raw, sizeof raw, fmt, ap);
	va_end(ap);
	d->role = r;
	snprintf(d->label, sizeof d->label, "%s", label);
	d->indent = indent;
	text_sanitize(raw, strlen(raw), d->text, sizeof d->text);
}

static const char *nz(const char *s)
{
	return s ? s : "";
}

/* The first line of a backend's answer. */
static void first_line(const char *s, char *out, size_t n)
{
	s = nz(s);
	snprintf(out, n, "%.*s", (int)strcspn(s, "\r\n"), s);
}

static const char *state_word(const struct rollout_step *s, char *buf, size_t n)
{
	char first[256];
	switch (s->state) {
	case ROLLOUT_PENDING:
		return "pending";
	case ROLLOUT_RUNNING:
		return "running";
	case ROLLOUT_SKIPPED:
		return "not run";
	case ROLLOUT_DONE:
		if (s->http_status)
			snprintf(buf, n, "done %ld", s->http_status);
		else
			snprintf(buf, n, "done");
		return buf;
	case ROLLOUT_FAILED:
		first_line(s->answer, first, sizeof first);
		if (s->http_status)
			snprintf(buf, n, "failed %ld: %s", s->http_status, first);
		else
			snprintf(buf, n, "failed (exit %d): %s", s->exit_code, first);
		return buf;
	}
	return "";
}

static enum role state_role(enum rollout_step_state s)
{
	return s == ROLLOUT_DONE      ? ROLE_OK
	       : s == ROLLOUT_FAILED  ? ROLE_CRIT
	       : s == ROLLOUT_RUNNING ? ROLE_ACCENT
	                              : ROLE_MUTED;
}

/* A hook's argv as one line. */
static void argv_line(char *const *argv, char *out, size_t n)
{
	size_t at = 0;
	out[0] = '\0';
	for (size_t i = 0; argv && argv[i] && at < n; i++) {
		int w = snprintf(out + at, n - at, "%s%s", i ? " " : "", argv[i]);
		at += w > 0 ? (size_t)w : 0;
	}
}

/* "PATCH /apis/…" or a hook's "run ARGV". */
static void request_line(const struct rollout_step *s, char *out, size_t n)
{
	char argv[LINE_MAX_BYTES];
	if (s->backend == ROLLOUT_HOOK) {
		argv_line(s->argv, argv, sizeof argv);
		snprintf(out, n, "run %s", argv);
	} else {
		snprintf(out, n, "%s %s", nz(s->method), nz(s->path));
	}
}

/* A step of the plan: its backend and summary (with its state once the plan runs), the exact
 * request and body, and the state it expects before the first write (until it runs). */
static void step_lines(struct lines *l, const struct rollout_step *s, size_t i, int progress)
{
	char label[24], word[320], req[LINE_MAX_BYTES];
	snprintf(label, sizeof label, "%zu %s", i + 1, rollout_backend_name(s->backend));
	if (progress)
		add(l, state_role(s->state), label, 0, "[%s] %s", state_word(s, word, sizeof word),
		    nz(s->summary));
	else
		add(l, ROLE_NORMAL, label, 0, "%s", nz(s->summary));
	request_line(s, req, sizeof req);
	add(l, ROLE_MUTED, "", 0, "%s", req);
	if (s->body)
		add(l, ROLE_MUTED, "", 0, "%s", s->body);
	if (s->expect && *s->expect && !progress) /* an empty one: nothing to say */
		add(l, ROLE_MUTED, "", 0, "expects %s", s->expect);
}

/* The plan that undoes it: a summary and the request of each step, a line each. */
static void rollback_lines(struct lines *l, const struct rollout_plan *inv)
{
	char req[LINE_MAX_BYTES];
	if (inv->n == 0)
		add(l, ROLE_MUTED, "Rollback", 0, "nothing to undo");
	for (size_t i = 0; i < inv->n; i++) {
		const struct rollout_step *s = &inv->steps[i];
		request_line(s, req, sizeof req);
		add(l, ROLE_NORMAL, i ? "" : "Rollback", 0, "%zu %s", i + 1, nz(s->summary));
		add(l, ROLE_MUTED, "", 0, "%s  %s", req, nz(s->body));
	}
}

static void plan_lines(struct lines *l, const struct action_ui *a, int progress)
{
	const struct rollout_plan *p = a->plan;
	if (a->undoing)
		add(l, ROLE_ACCENT, "Undo", 0, "the steps that undo what was done:");
	for (size_t i = 0; i < p->n; i++)
		step_lines(l, &p->steps[i], i, progress);
	if (p->inverse && !a->undoing)
		rollback_lines(l, p->inverse);
}

static void version_line(struct lines *l, const char *label, const struct serving_dep *d,
                         const char *role, const char *version)
{
	char fig[256];
	if (!version)
		return;
	action_live_figures(action_live_line(d, version), fig, sizeof fig);
	add(l, ROLE_NORMAL, label, 0, "v%-4s %-5s %s",
	    version[0] == 'v' || version[0] == 'V' ? version + 1 : version, role, fig);
}

static void live_lines(struct lines *l, const struct rollout_plan *p, const struct action_data *d)
{
	const struct serving_dep *dep = action_live_dep(d->deps, p->model);
	version_line(l, "Now", dep, "from", p->from_version);
	version_line(l, p->from_version ? "" : "Now", dep, "to", p->to_version);
	struct canary_result r;
	if (dep && serving_canary_judge(dep, d->window_s > 0 ? d->window_s : 300, &r) == 0) {
		enum role role = r.overall == CANARY_WORSE    ? ROLE_CRIT
		                 : r.overall == CANARY_BETTER ? ROLE_OK
		                                              : ROLE_NORMAL;
		add(l, role, "Canary", 0, "%s (errors %s, latency %s)",
		    canary_verdict_name(r.overall), canary_verdict_name(r.errors),
		    canary_verdict_name(r.latency));
	} else {
		add(l, ROLE_MUTED, "Canary", 0, "none running");
	}
}

static void alert_lines(struct lines *l, const struct rollout_plan *p, const struct action_data *d)
{
	const struct alerts_row *rows[8];
	const struct serving_dep *dep = action_live_dep(d->deps, p->model);
	size_t n = action_live_alerts(d->alerts, dep, p->model, p->to_version, rows, 8);
	if (!d->alerts)
		add(l, ROLE_MUTED, "Alerts", 0, "not known: no alerts read");
	else if (n == 0)
		add(l, ROLE_OK, "Alerts", 0, "none firing for v%s", nz(p->to_version));
	for (size_t i = 0; i < n && i < 8; i++)
		add(l, rows[i]->sev == ALERTS_SEV_CRIT ? ROLE_CRIT : ROLE_WARN, i ? "" : "Alerts",
		    0, "%-9s %s  %s  %s", nz(rows[i]->severity), nz(rows[i]->name),
		    nz(rows[i]->feature), rows[i]->value);
	if (n > 8)
		add(l, ROLE_MUTED, "", 0, "and %zu more", n - 8);
}

/* Who the audit log will name, or that it is not kept. */
static void audit_line(struct lines *l, const struct action_ui *a)
{
	struct cache *c = a->env->cache;
	if (c && cache_persistent(c))
		add(l, ROLE_MUTED, "Audit", 0, "a row before and after each step, as %s@%s",
		    a->user, a->host);
	else
		add(l, ROLE_WARN, "Audit", 0,
		    "NOT KEPT: the cache is in memory or cannot be written");
}

static void body_lines(struct lines *l, const struct action_ui *a)
{
	const struct rollout_plan *p = a->plan;
	struct action_data d;
	if (a->mode == ACTION_READING) {
		add(l, ROLE_MUTED, "", 0, "reading the state of %s…", a->model);
		return;
	}
	if (a->mode == ACTION_NOPLAN) {
		add(l, ROLE_ERROR, "No plan", 0, "%s", a->why);
		return;
	}
	if (a->mode == ACTION_REFUSED) {
		add(l, ROLE_CRIT, "Refused", 0, "%s: nothing was written",
		    a->unread ? "the state could not be read again"
		              : "the state changed since the plan");
		add(l, ROLE_NORMAL, "", 0, "%s", a->changed);
	}
	if (!p)
		return;
	plan_lines(l, a, a->mode != ACTION_CONFIRM);
	action_data_now(a, &d);
	live_lines(l, p, &d);
	alert_lines(l, p, &d);
	if (a->mode == ACTION_CONFIRM)
		audit_line(l, a);
}

static const char *ask_text(const struct action_ui *a)
{
	switch (a->mode) {
	case ACTION_CONFIRM:
		return a->ask == ASK_NAME       ? "all the traffic moves: type the model's name: "
		       : a->ask == ASK_OVERRIDE ? "a critical alert fires for the target: type "
		                                  "override to go on anyway: "
		       : a->ask == ASK_REASON   ? "the reason (kept in the audit log): "
		                                : "y sends it · n or Esc cancels";
	case ACTION_READING:
		return "Esc cancels";
	case ACTION_RUNNING:
		return "writing… Esc hides this; the header shows it until it ends";
	case ACTION_DONE:
		return "done: every step written · Esc closes";
	case ACTION_REFUSED:
		return "nothing was written · Esc closes";
	case ACTION_PARTIAL:
		return !action_wrote(a) ? "nothing was written · r retries · Esc closes"
		                        : "stopped part-way · r retries the steps not done · u "
		                          "undoes those done · Esc";
	case ACTION_PLANNER:
		return "Enter plans the rollback to the version under the cursor · Esc closes";
	default:
		return "Esc closes";
	}
}

/* The last two lines: a message (a wrong answer, why it stopped, the override reason) and what
 * the operator is asked, with the text typed so far. */
static void draw_ask(const struct action_ui *a, WINDOW *w, int y, const struct theme *t)
{
	char line[LINE_MAX_BYTES];
	int width = getmaxx(w);
	enum role r = ROLE_ERROR;
	if (a->msg[0])
		snprintf(line, sizeof line, "%s", a->msg);
	else if (a->mode == ACTION_PARTIAL)
		snprintf(line, sizeof line, "failed: %s", a->why);
	else if (a->reason[0] && a->mode == ACTION_CONFIRM) {
		snprintf(line, sizeof line, "override: %s", a->reason);
		r = ROLE_WARN;
	} else
		line[0] = '\0';
	notice_line(w, y, 0, t, r, line);
	const char *ask = ask_text(a);
	notice_line(w, y + 1, 0, t, ROLE_PROMPT, ask);
	int lw = text_width(ask);
	if (a->mode != ACTION_CONFIRM || a->ask == ASK_YES || width - lw < 4)
		return;
	WINDOW *sub = derwin(w, 1, width - lw, y + 1, lw);
	if (sub) {
		prompt_draw(&a->input, sub, 0, width - lw, t);
		delwin(sub);
	}
}

static void draw_lines(const struct lines *l, int scroll, WINDOW *w, int h, const struct theme *t)
{
	if (scroll > l->n - h)
		scroll = l->n - h;
	if (scroll < 0)
		scroll = 0;
	for (int y = 0; y < h && scroll + y < l->n; y++) {
		const struct dline *d = &l->v[scroll + y];
		notice_line(w, y, 0, t, ROLE_ACCENT, d->label);
		notice_line(w, y, LABEL_COLS + d->indent, t, d->role, d->text);
	}
	if (scroll + h < l->n)
		notice_line(w, h - 1, getmaxx(w) - 12, t, ROLE_MUTED, "↓ PgDn more");
}

static void title(const struct action_ui *a, char *buf, size_t n)
{
	char label[300];
	if (a->mode == ACTION_PLANNER) {
		char m[200];
		text_sanitize(a->model, strlen(a->model), m, sizeof m);
		snprintf(buf, n, " Roll back %s: the previous champions ", m);
		return;
	}
	action_label(a, label, sizeof label, 0);
	if (!a->undoing && label[0] >= 'a' && label[0] <= 'z')
		label[0] = (char)(label[0] - 'a' + 'A'); /* "Canary churn …" */
	/* An undo's plan is named for where it goes back to ("canary … at 10 %"): the title says
	 * first that it is an undo, so the way back of a promotion is not read as a new canary. */
	snprintf(buf, n, " %s%s%s ", a->undoing ? "Undo, back to: " : "", label,
	         a->env->ctx->danger ? "  · PRODUCTION" : "");
}

/* Where the dialog goes in a body of rows x cols: its frame, and inside it the text (with the
 * last two lines for the message and the question). */
struct geometry {
	int y0, x0, bh, bw; /* the frame */
	int in_h, in_w;     /* the text inside, from (y0 + 1, x0 + 2); 0 when there is no room */
};

static void geometry(int rows, int cols, struct geometry *g)
{
	g->x0 = cols >= 40 ? 2 : 0;
	g->y0 = rows >= 12 ? 1 : 0;
	g->bh = rows - 2 * g->y0;
	g->bw = cols - 2 * g->x0;
	int room = g->bh > 4 && g->bw > 6;
	g->in_h = room ? g->bh - 2 : 0;
	g->in_w = room ? g->bw - 4 : 0;
}

static void draw_inside(const struct action_ui *a, WINDOW *in, const struct theme *t)
{
	int h = getmaxy(in) - 2;
	if (a->mode == ACTION_PLANNER) {
		struct action_data d;
		action_data_now(a, &d);
		action_planner_draw(&a->planner, in, 0, h, t, d.deps, a->env->now_ms());
	} else {
		struct lines l = {.v = calloc(400, sizeof *l.v), .cap = 400};
		if (l.v)
			body_lines(&l, a);
		draw_lines(&l, a->scroll, in, h, t);
		free(l.v);
	}
	draw_ask(a, in, h, t);
}

void action_draw(const struct action_ui *a, WINDOW *w, const struct theme *t)
{
	if (!action_modal(a))
		return;
	struct geometry g;
	geometry(getmaxy(w), getmaxx(w), &g);
	WINDOW *box_w = derwin(w, g.bh, g.bw, g.y0, g.x0);
	if (!box_w)
		return;
	wattrset(box_w, theme_attr(t, ROLE_NORMAL));
	werase(box_w);
	wattrset(box_w, theme_attr(t, a->env->ctx->danger ? ROLE_DANGER : ROLE_BORDER));
	box(box_w, 0, 0);
	char head[400];
	title(a, head, sizeof head);
	notice_line(box_w, 0, 2, t, ROLE_ACCENT, head);
	WINDOW *in = g.in_h ? derwin(box_w, g.in_h, g.in_w, 1, 2) : NULL;
	if (in) {
		draw_inside(a, in, t);
		delwin(in);
	}
	delwin(box_w);
	wattrset(w, A_NORMAL);
}

int action_draw_cursor(const struct action_ui *a, int rows, int cols, int *y, int *x)
{
	if (!action_modal(a) || a->mode != ACTION_CONFIRM || a->ask == ASK_YES)
		return 0;
	struct geometry g;
	geometry(rows, cols, &g);
	int lw = text_width(ask_text(a));
	if (!g.in_h || g.in_w - lw < 4)
		return 0;
	*y = g.y0 + 1 + g.in_h - 1;
	*x = g.x0 + 2 + lw + prompt_cursor_x(&a->input, g.in_w - lw);
	return 1;
}
