/* alerts: the Alerts panel — the active alerts of Alertmanager grouped by model and version,
 * silenced and inhibited ones dimmed with who silenced them and until when; `x` silences the
 * selected alert's labels (duration, comment, the matchers shown before it is sent), `X` expires
 * its silence; the drift table of the drift alerts below; Enter opens the Samples panel on the
 * alert's model, version and feature. The data is in alerts_data.c, the source (polls, cache,
 * writes) in alerts_src.c, the tables in alerts_draw.c. */
#include "panels/alerts.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "clients/config.h"
#include "clients/jsonw.h"
#include "panels/alerts_data.h"
#include "panels/alerts_draw.h"
#include "panels/alerts_json.h"
#include "panels/alerts_prom.h"
#include "panels/alerts_src.h"
#include "panels/notice.h"
#include "tui/widgets/prompt.h"
#include "tui/widgets/text.h"

static const unsigned needs = 1u << SRC_ALERTMANAGER;

enum dialog { DLG_NONE, DLG_DURATION, DLG_COMMENT, DLG_CONFIRM, DLG_EXPIRE };

struct alerts {
	const struct panel_env *env;
	struct alerts_src src;
	struct alerts_prom prom; /* the drift scores, when Prometheus is configured */
	struct alerts_view all;  /* every active alert */
	struct alerts_view view; /* those the / filter lets through, as shown */
	struct filter *filter;   /* owned; NULL: none */
	struct alerts_drift drift;
	size_t cur, top;
	char cur_fp[64]; /* the fingerprint under the cursor, kept across refreshes */
	int show_drift;
	int dlg; /* enum dialog */
	struct prompt prompt;
	struct prompt_history hist;
	char target_fp[64]; /* the alert being silenced, or whose silence is expired */
	char silence_id[64];
	int64_t dur_ms;
	char dur_text[32];
	char comment[PROMPT_MAX];
	char dlg_err[256];
};

/* ---- the rows ---- */

static const struct alerts_row *row_by_fp(const struct alerts_view *v, const char *fp, size_t *at)
{
	for (size_t i = 0; fp[0] && i < v->n; i++)
		if (!strcmp(v->rows[i].a->fingerprint, fp)) {
			if (at)
				*at = i;
			return &v->rows[i];
		}
	return NULL;
}

static const struct alerts_row *current(const struct alerts *s)
{
	return s->cur < s->view.n ? &s->view.rows[s->cur] : NULL;
}

static void keep_cursor(struct alerts *s)
{
	const struct alerts_row *r = current(s);
	snprintf(s->cur_fp, sizeof s->cur_fp, "%s", r ? r->a->fingerprint : "");
}

/* The rows shown from all the rows, through the / filter; the cursor stays on its alert. */
static void refilter(struct alerts *s)
{
	size_t at = 0;
	alerts_data_filter(&s->view, &s->all, s->filter);
	if (row_by_fp(&s->view, s->cur_fp, &at))
		s->cur = at;
	else if (s->cur >= s->view.n)
		s->cur = s->view.n ? s->view.n - 1 : 0;
}

/* New data from the source: the rows are rebuilt at once (the old lists are freed after). */
static void rebuild(struct alerts *s)
{
	alerts_data_build(&s->all, s->src.alerts, s->src.silences);
	alerts_drift_free(&s->drift);
	if (alerts_prom_drift(&s->prom, &s->drift) <= 0) {
		alerts_drift_free(&s->drift);
		alerts_drift_from_alerts(&s->drift, &s->all);
	}
	refilter(s);
}

static void on_src_changed(void *ud)
{
	struct alerts *s = ud;
	rebuild(s);
	s->env->changed(s->env->app);
}

static int alerts_create(struct panel *p, struct err *e)
{
	struct alerts *s = calloc(1, sizeof *s);
	if (!s)
		return err_set(e, ERR_NOMEM, "out of memory");
	s->env = p->env;
	s->show_drift = 1;
	p->state = s;
	alerts_src_init(&s->src, p->env, on_src_changed, s); /* a failure is shown in the panel */
	alerts_prom_init(&s->prom, p->env, on_src_changed, s);
	rebuild(s);
	return 0;
}

static void alerts_destroy(struct panel *p)
{
	struct alerts *s = p->state;
	if (!s)
		return;
	alerts_src_fini(&s->src);
	alerts_prom_fini(&s->prom);
	alerts_data_free(&s->view);
	alerts_data_free(&s->all);
	filter_free(&s->filter);
	alerts_drift_free(&s->drift);
	prompt_history_free(&s->hist);
	free(s);
	p->state = NULL;
}

static void alerts_schedule(struct panel *p, struct sched *sched)
{
	struct alerts *s = p->state;
	if (!s)
		return;
	alerts_src_schedule(&s->src, sched);
	if (s->src.am)
		alerts_prom_schedule(&s->prom, sched);
}

/* ---- layout ---- */

static int dialog_lines(const struct alerts *s)
{
	return s->dlg == DLG_NONE ? 0 : s->dlg == DLG_CONFIRM ? 3 : 2;
}

static int drift_lines(const struct alerts *s, int rows)
{
	return s->show_drift ? alerts_draw_drift_height(&s->drift, rows / 3) : 0;
}

/* Lines of the alerts list (the column heads included). */
static int list_lines(const struct alerts *s, int rows)
{
	int d = drift_lines(s, rows);
	return rows - 2 - dialog_lines(s) - (d ? d + 1 : 0);
}

static void alerts_recalc(struct panel *p)
{
	struct alerts *s = p->state;
	if (!s)
		return;
	int vis = list_lines(s, p->env->rows) - 1;
	if (vis < 1)
		vis = 1;
	if (s->cur < s->top)
		s->top = s->cur;
	if (s->cur >= s->top + (size_t)vis)
		s->top = s->cur - (size_t)vis + 1;
}

/* ---- drawing ---- */

static void draw_title(const struct alerts *s, WINDOW *w, const struct theme *t)
{
	const struct alerts_part_state *ps = &s->src.part[ALERTS_PART_ALERTS];
	char line[512], age[32], n1[32], n2[32], n3[32];
	size_t muted = 0;
	for (size_t i = 0; i < s->all.n; i++)
		muted += s->all.rows[i].silenced || s->all.rows[i].inhibited;
	int len = snprintf(line, sizeof line, "Alerts · %s active · %s critical firing",
	                   text_thousands(n1, sizeof n1, (long long)s->all.n),
	                   text_thousands(n2, sizeof n2, alerts_data_firing_crit(&s->all)));
	if (muted)
		len +=
		    snprintf(line + len, sizeof line - (size_t)len, " · %s silenced or inhibited",
		             text_thousands(n3, sizeof n3, (long long)muted));
	if (ps->fetched_ms > 0)
		snprintf(line + len, sizeof line - (size_t)len, " · %s %s ago",
		         ps->cached ? "cached" : "updated",
		         text_age(age, sizeof age, s->env->now_ms() - ps->fetched_ms));
	notice_line(w, 0, 1, t, ROLE_ACCENT, line);
	const char *err = alerts_src_error(&s->src);
	if (err[0]) {
		snprintf(line, sizeof line, "%s%s", err,
		         ps->fetched_ms > 0 ? " · the alerts shown are stale" : "");
		notice_line(w, 1, 1, t, ROLE_ERROR, line);
	} else if (s->src.alerts && s->src.alerts->skipped) {
		snprintf(
		    line, sizeof line,
		    "Alertmanager: %zu element(s) of the answer were not alerts and are left out",
		    s->src.alerts->skipped);
		notice_line(w, 1, 1, t, ROLE_WARN, line);
	} else if (s->prom.error[0]) {
		snprintf(line, sizeof line, "%s · drift scores %s", s->prom.error,
		         s->drift.from_prom ? "shown are stale" : "from the alerts");
		notice_line(w, 1, 1, t, ROLE_ERROR, line);
	}
}

static void draw_dialog(const struct alerts *s, WINDOW *w, const struct theme *t)
{
	int y = getmaxy(w) - dialog_lines(s), width = getmaxx(w);
	char line[2048], m[1024];
	const struct alerts_row *r = row_by_fp(&s->all, s->target_fp, NULL);
	if (r)
		alerts_src_matchers_text(r->a, m, sizeof m);
	else
		snprintf(m, sizeof m, "(the alert has resolved)");
	switch (s->dlg) {
	case DLG_DURATION:
	case DLG_COMMENT: {
		const char *lab = s->dlg == DLG_DURATION ? "silence for (2h, 30m; Enter: 1h) "
		                                         : "comment (required) ";
		snprintf(line, sizeof line, "silence %s", m);
		notice_line(w, y, 1, t, s->dlg_err[0] ? ROLE_ERROR : ROLE_MUTED,
		            s->dlg_err[0] ? s->dlg_err : line);
		notice_line(w, y + 1, 0, t, ROLE_PROMPT, lab);
		int lw = (int)strlen(lab);
		WINDOW *sub = width > lw + 2 ? derwin(w, 1, width - lw, y + 1, lw) : NULL;
		if (sub) {
			prompt_draw(&s->prompt, sub, 0, width - lw, t);
			delwin(sub);
		}
		break;
	}
	case DLG_CONFIRM:
		snprintf(line, sizeof line, "Silence %s", m);
		notice_line(w, y, 1, t, ROLE_ACCENT, line);
		snprintf(line, sizeof line, "for %s by %s: %s", s->dur_text,
		         alerts_src_user(&s->src), s->comment);
		notice_line(w, y + 1, 1, t, ROLE_NORMAL, line);
		notice_line(w, y + 2, 1, t, ROLE_PROMPT, "y/Enter send · n/Esc cancel");
		break;
	case DLG_EXPIRE:
		snprintf(line, sizeof line, "Expire silence %s of %s?", s->silence_id, m);
		notice_line(w, y, 1, t, ROLE_ACCENT, line);
		notice_line(w, y + 1, 1, t, ROLE_PROMPT, "y/Enter expire · n/Esc cancel");
		break;
	default:
		break;
	}
}

static void draw_empty(const struct alerts *s, WINDOW *w, const struct theme *t)
{
	const struct alerts_part_state *ps = &s->src.part[ALERTS_PART_ALERTS];
	const char *why = ps->fetched_ms <= 0 && ps->error[0]
	                      ? "Not cached for this server, and Alertmanager did not answer."
	                  : ps->fetched_ms <= 0 ? "Loading the alerts …"
	                  : s->all.n            ? "No alert matches the filter."
	                                        : "No active alerts.";
	notice_line(w, 3, 1, t, ROLE_MUTED, why);
}

static void alerts_draw(const struct panel *p, WINDOW *w, const struct theme *t)
{
	const struct alerts *s = p->state;
	if (!s || !s->src.am) {
		notice_draw_panel(w, t, "Alerts", needs, p->env);
		if (s && s->src.client_err[0])
			notice_line(w, getmaxy(w) - 1, 1, t, ROLE_ERROR, s->src.client_err);
		return;
	}
	int rows = getmaxy(w), lh = list_lines(s, rows), dh = drift_lines(s, rows);
	draw_title(s, w, t);
	if (!s->view.n)
		draw_empty(s, w, t);
	else {
		struct alerts_draw_in in = {&s->view,         s->cur,       s->top,
		                            p->env->now_ms(), p->env->utf8, s->filter};
		alerts_draw_list(w, 2, lh, t, &in);
	}
	int used = s->view.n ? 1 + (int)(s->view.n - s->top) : 3; /* heads and rows, or a notice */
	if (used > lh)
		used = lh;
	if (dh)
		alerts_draw_drift(w, 2 + used + 1, dh, t, &s->drift, p->env->utf8);
	if (s->dlg != DLG_NONE)
		draw_dialog(s, w, t);
}

/* ---- the silence dialog ---- */

static void dialog_close(struct alerts *s)
{
	if (s->prompt.active)
		prompt_close(&s->prompt);
	s->dlg = DLG_NONE;
	s->dlg_err[0] = '\0';
}

/* The row under the cursor as the target of a write, or NULL (read-only: said why). */
static const struct alerts_row *write_target(struct alerts *s)
{
	const struct alerts_row *r = current(s);
	if (r && s->env->ctx->readonly) {
		s->env->notify(s->env->app, "read-only context: silences cannot be changed");
		return NULL;
	}
	if (r)
		snprintf(s->target_fp, sizeof s->target_fp, "%s", r->a->fingerprint);
	return r;
}

static void start_silence(struct alerts *s)
{
	if (!write_target(s))
		return;
	s->dlg = DLG_DURATION;
	s->dlg_err[0] = '\0';
	prompt_open(&s->prompt, ' ', "", NULL);
}

static void start_expire(struct alerts *s)
{
	const struct alerts_row *r = write_target(s);
	if (!r)
		return;
	if (!r->a->silenced_by.n) {
		s->env->notify(s->env->app, "this alert is not silenced");
		return;
	}
	snprintf(s->silence_id, sizeof s->silence_id, "%s",
	         r->sil ? r->sil->id : r->a->silenced_by.v[0]);
	s->dlg = DLG_EXPIRE;
}

/* Enter in the duration or the comment prompt. */
static void prompt_accept(struct alerts *s)
{
	char text[PROMPT_MAX];
	snprintf(text, sizeof text, "%s", s->prompt.buf);
	if (s->dlg == DLG_DURATION) {
		int64_t ms = alerts_parse_duration(text);
		if (ms < 0) {
			snprintf(s->dlg_err, sizeof s->dlg_err,
			         "not a duration: write 2h, 30m, 1h30m or 1d");
			return;
		}
		s->dur_ms = ms;
		text_duration(s->dur_text, sizeof s->dur_text, ms);
		prompt_close(&s->prompt);
		prompt_open(&s->prompt, ' ', "", NULL);
		s->dlg = DLG_COMMENT;
		s->dlg_err[0] = '\0';
		return;
	}
	if (!text[strspn(text, " ")]) {
		snprintf(s->dlg_err, sizeof s->dlg_err, "a comment is required");
		return;
	}
	snprintf(s->comment, sizeof s->comment, "%s", text);
	prompt_close(&s->prompt);
	s->dlg = DLG_CONFIRM;
	s->dlg_err[0] = '\0';
}

static enum panel_rc dialog_text(struct alerts *s, wint_t ch, int is_key)
{
	switch (prompt_key(&s->prompt, ch, is_key)) {
	case PROMPT_ACCEPT:
		prompt_accept(s);
		break;
	case PROMPT_CANCEL:
		dialog_close(s);
		break;
	default:
		s->dlg_err[0] = '\0';
		break;
	}
	return PANEL_HANDLED;
}

static void confirm(struct alerts *s)
{
	struct err e = {0};
	const struct alerts_row *r = row_by_fp(&s->all, s->target_fp, NULL);
	int dlg = s->dlg;
	dialog_close(s);
	if (!r) {
		s->env->notify(s->env->app, "the alert has resolved; nothing sent");
		return;
	}
	int rc = dlg == DLG_CONFIRM ? alerts_src_silence(&s->src, r->a, s->dur_ms, s->comment, &e)
	                            : alerts_src_expire(&s->src, s->silence_id, r->model, &e);
	s->env->notify(s->env->app, rc < 0               ? e.msg
	                            : dlg == DLG_CONFIRM ? "creating the silence …"
	                                                 : "expiring the silence …");
}

static enum panel_rc dialog_key(struct alerts *s, int key)
{
	if (key == 'y' || key == 'Y' || panel_key_is_enter(key))
		confirm(s);
	else if (key == 'n' || key == 'N' || key == PANEL_KEY_ESC)
		dialog_close(s);
	return PANEL_HANDLED;
}

/* ---- keys ---- */

/* A value fit for the focus argument: no space, no control character. */
static int plain(const char *v)
{
	for (const unsigned char *p = (const unsigned char *)v; *p; p++)
		if (*p <= ' ' || *p == 0x7f)
			return 0;
	return 1;
}

/* Enter: the Samples panel on "model=NAME version=V feature=F" (feature only when the alert has
 * one; a label that holds a space or a control character is left out). */
static void open_samples(struct alerts *s)
{
	const struct alerts_row *r = current(s);
	char arg[1024];
	size_t n = 0;
	if (!r)
		return;
	const char *keys[] = {"model", "version", "feature"};
	const char *vals[] = {r->model, r->version, r->feature};
	arg[0] = '\0';
	for (int i = 0; i < 3; i++)
		if (vals[i][0] && plain(vals[i]) && n < sizeof arg)
			n += (size_t)snprintf(arg + n, sizeof arg - n, "%s%s=%s", n ? " " : "",
			                      keys[i], vals[i]);
	s->env->open(s->env->app, "samples", arg);
}

static void cursor_move(struct alerts *s, long d)
{
	long n = (long)s->view.n, c = (long)s->cur + d;
	if (!n)
		return;
	s->cur = (size_t)(c < 0 ? 0 : c >= n ? n - 1 : c);
	keep_cursor(s);
}

/* n / N: the next or previous match of the / filter, round the end of the list. */
static enum panel_rc next_match(struct alerts *s, long d)
{
	if (!s->filter || filter_all(s->filter) || !s->view.n)
		return PANEL_IGNORED;
	s->cur = (s->cur + (d > 0 ? 1 : s->view.n - 1)) % s->view.n;
	keep_cursor(s);
	return PANEL_HANDLED;
}

static enum panel_rc alerts_key(struct panel *p, int key)
{
	struct alerts *s = p->state;
	if (!s || !s->src.am)
		return PANEL_IGNORED;
	long page = list_lines(s, p->env->rows) - 1;
	if (s->dlg == DLG_CONFIRM || s->dlg == DLG_EXPIRE)
		return dialog_key(s, key);
	if (s->dlg != DLG_NONE)
		return dialog_text(s, (wint_t)key, key >= KEY_MIN);
	if (panel_key_is_enter(key)) {
		open_samples(s);
		return PANEL_HANDLED;
	}
	switch (key) {
	case 'j':
	case KEY_DOWN:
		cursor_move(s, 1);
		break;
	case 'k':
	case KEY_UP:
		cursor_move(s, -1);
		break;
	case KEY_NPAGE:
		cursor_move(s, page > 1 ? page : 1);
		break;
	case KEY_PPAGE:
		cursor_move(s, page > 1 ? -page : -1);
		break;
	case 'g':
	case KEY_HOME:
		cursor_move(s, -(long)s->view.n);
		break;
	case 'G':
	case KEY_END:
		cursor_move(s, (long)s->view.n);
		break;
	case 'd':
		s->show_drift = !s->show_drift;
		break;
	case 'x':
		start_silence(s);
		break;
	case 'X':
		start_expire(s);
		break;
	case 'n':
	case 'N':
		return next_match(s, key == 'n' ? 1 : -1);
	case PANEL_KEY_ESC:
		return PANEL_BACK;
	default:
		return PANEL_IGNORED;
	}
	return PANEL_HANDLED;
}

static enum panel_rc alerts_text(struct panel *p, wint_t ch, int is_key)
{
	return dialog_text(p->state, ch, is_key);
}

static int alerts_cursor(const struct panel *p, int *y, int *x)
{
	const struct alerts *s = p->state;
	if (!s || (s->dlg != DLG_DURATION && s->dlg != DLG_COMMENT))
		return 0;
	int lw = s->dlg == DLG_DURATION ? (int)strlen("silence for (2h, 30m; Enter: 1h) ")
	                                : (int)strlen("comment (required) ");
	*y = p->env->rows - 1;
	*x = lw + prompt_cursor_x(&s->prompt, p->env->cols - lw);
	return 1;
}

static enum panel_rc alerts_click(struct panel *p, int y, int x)
{
	struct alerts *s = p->state;
	(void)x;
	if (!s || !s->src.am || s->dlg != DLG_NONE)
		return PANEL_IGNORED;
	long row = (long)s->top + y - 3; /* the title, the error line, the column heads */
	if (y < 3 || row >= (long)s->view.n || y >= 2 + list_lines(s, p->env->rows))
		return PANEL_IGNORED;
	s->cur = (size_t)row;
	keep_cursor(s);
	return PANEL_HANDLED;
}

/* ---- hints, status, badge, json ---- */

static const struct keyhint rw_keys[] = {
    {"Enter", "failed samples", 1},      {"x", "silence", 1},
    {"X", "expire silence", 1},          {"d", "drift table", 1},
    {"n/N", "next / previous match", 0}, {NULL, NULL, 0},
};

static const struct keyhint ro_keys[] = {
    {"Enter", "failed samples", 1},
    {"d", "drift table", 1},
    {"n/N", "next / previous match", 0},
    {NULL, NULL, 0},
};

static const struct keyhint prompt_keys[] = {
    {"Enter", "next", 1}, {"Esc", "cancel", 1}, {NULL, NULL, 0}};

static const struct keyhint confirm_keys[] = {
    {"y/Enter", "send", 1}, {"n/Esc", "cancel", 1}, {NULL, NULL, 0}};

static const struct keyhint none_keys[] = {{NULL, NULL, 0}};

static const struct keyhint *alerts_hints(const struct panel *p)
{
	const struct alerts *s = p->state;
	if (!s || !s->src.am)
		return none_keys;
	if (s->dlg == DLG_CONFIRM || s->dlg == DLG_EXPIRE)
		return confirm_keys;
	if (s->dlg != DLG_NONE)
		return prompt_keys;
	return p->env->ctx->readonly ? ro_keys : rw_keys;
}

static void alerts_status(const struct panel *p, char *buf, size_t n)
{
	const struct alerts *s = p->state;
	char a[32], b[32];
	if (!n)
		return;
	buf[0] = '\0';
	if (!s)
		return;
	int len = 0;
	if (s->filter && !filter_all(s->filter))
		len = snprintf(
		    buf, n, "%s of %s match%s", text_thousands(a, sizeof a, (long long)s->view.n),
		    text_thousands(b, sizeof b, (long long)s->all.n), s->view.n ? " · " : "");
	if (s->view.n && len >= 0 && (size_t)len < n)
		snprintf(buf + len, n - (size_t)len, "alert %s of %s",
		         text_thousands(a, sizeof a, (long long)s->cur + 1),
		         text_thousands(b, sizeof b, (long long)s->view.n));
}

/* The / filter over the alerts: a pattern that does not compile leaves the old one. */
static int alerts_filter(struct panel *p, const char *pattern, struct err *e)
{
	struct alerts *s = p->state;
	struct filter *f = NULL;
	if (!s)
		return 0;
	if (pattern && *pattern) {
		struct filter_error fe = {0};
		if (!(f = filter_new(pattern, &fe)))
			return err_set(e, ERR_PARSE, "%s", fe.msg[0] ? fe.msg : "invalid pattern");
	}
	filter_free(&s->filter);
	s->filter = f;
	refilter(s);
	return 0;
}

static const char *alerts_filter_text(const struct panel *p)
{
	const struct alerts *s = p->state;
	return s && s->filter ? filter_pattern(s->filter) : "";
}

static int alerts_badge(const struct panel *p)
{
	const struct alerts *s = p->state;
	return s ? alerts_data_firing_crit(&s->all) : 0;
}

static void alerts_json(const struct panel *p, struct jsonw *w)
{
	const struct alerts *s = p->state;
	if (!s || !s->src.am) {
		jsonw_str(w, "error",
		          s && s->src.client_err[0] ? s->src.client_err
		                                    : "Alertmanager is not configured");
		return;
	}
	const struct alerts_part_state *ps = &s->src.part[ALERTS_PART_ALERTS];
	const char *err = alerts_src_error(&s->src);
	jsonw_time(w, "fetched", ps->fetched_ms);
	jsonw_bool(w, "cached", ps->cached);
	jsonw_str(w, "error", err[0] ? err : NULL);
	jsonw_int(w, "firing_critical", alerts_data_firing_crit(&s->all));
	alerts_json_rows(&s->view, w);
	alerts_json_drift(&s->drift, w);
}

static unsigned alerts_polls(const struct panel *p)
{
	const struct alerts *s = p->state;
	return s && s->src.am ? needs | (s->prom.client ? 1u << SRC_PROMETHEUS : 0) : 0;
}

static int alerts_busy(const struct panel *p)
{
	const struct alerts *s = p->state;
	return s && (alerts_src_busy(&s->src) || (s->src.am && alerts_prom_busy(&s->prom)));
}

const struct panel_ops alerts_ops = {
    .name = "alerts",
    .title = "Alerts",
    .create = alerts_create,
    .destroy = alerts_destroy,
    .schedule = alerts_schedule,
    .recalc = alerts_recalc,
    .draw = alerts_draw,
    .key = alerts_key,
    .hints = alerts_hints,
    .filter = alerts_filter,
    .filter_text = alerts_filter_text,
    .status = alerts_status,
    .badge = alerts_badge,
    .polls = alerts_polls,
    .busy = alerts_busy,
    .text = alerts_text,
    .cursor = alerts_cursor,
    .click = alerts_click,
    .json = alerts_json,
};

const struct alerts_view *alerts_view_of(const struct panel *p)
{
	const struct alerts *s = p->state;
	return s ? &s->view : NULL;
}
