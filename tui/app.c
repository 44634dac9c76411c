#include "tui/app.h"

#include <errno.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "clients/cache.h"
#include "clients/http.h"
#include "clients/probe.h"
#include "panels/action.h"
#include "panels/action_keys.h"
#include "panels/alerts.h"
#include "panels/serving.h"
#include "tui/cmdline.h"
#include "tui/keys.h"
#include "tui/widgets/text.h"

static void env_changed(void *ud)
{
	struct app *a = ud;
	a->panels[a->current].dirty = 1;
	for (int i = 0; i < PANELS_COUNT; i++)
		a->panels[i].dirty = 1;
}

static void env_notify(void *ud, const char *msg)
{
	app_message(ud, 0, "%s", msg);
}

static void env_open(void *ud, const char *name, const char *arg)
{
	struct app *a = ud;
	int i = panels_find(name);
	if (i < 0)
		return;
	a->current = i;
	if (arg && a->panels[i].ops->focus)
		a->panels[i].ops->focus(&a->panels[i], arg);
	a->panels[i].dirty = 1;
}

/* The user's themes, then those next to the binary (the build tree), then those of the prefix
 * it is installed in (BIN/../share/mltop/themes: /usr/local or a package's /usr), then /usr's. */
const char *const *app_theme_dirs(const struct app *a)
{
	static char exe_themes[1024], prefix_themes[1024];
	static const char *dirs[5];
	char exe[900];
	ssize_t n = readlink("/proc/self/exe", exe, sizeof exe - 1);
	exe_themes[0] = '\0';
	if (n > 0) {
		exe[n] = '\0';
		char *slash = strrchr(exe, '/');
		if (slash)
			*slash = '\0';
		snprintf(exe_themes, sizeof exe_themes, "%s/themes", exe);
		snprintf(prefix_themes, sizeof prefix_themes, "%s/../share/mltop/themes", exe);
	}
	int i = 0;
	dirs[i++] = config_themes_dir(a->cfg);
	if (exe_themes[0]) {
		dirs[i++] = exe_themes;
		dirs[i++] = prefix_themes;
	}
	dirs[i++] = "/usr/share/mltop/themes";
	dirs[i] = NULL;
	return dirs;
}

/* The write dialog's data: the Serving panel's deployments and the Alerts panel's alerts. */
static void action_data_of(void *ud, struct action_data *out)
{
	struct app *a = ud;
	int sv = panels_find("serving"), al = panels_find("alerts");
	if (sv >= 0 && a->panels[sv].state)
		serving_action_data(&a->panels[sv], out);
	if (al >= 0 && a->panels[al].state)
		out->alerts = alerts_view_of(&a->panels[al]);
}

/* After a write the Serving panel polls at once, so that the new split shows at its next
 * answer. */
static void action_refresh(void *ud)
{
	struct app *a = ud;
	int sv = panels_find("serving");
	if (sv >= 0 && a->panels[sv].state)
		serving_refresh(&a->panels[sv]);
}

static unsigned configured_sources(const struct context *ctx)
{
	unsigned bits = 0;
	for (int s = 0; s < SRC_COUNT; s++)
		if (s == SRC_SAMPLES ? ctx->samples != NULL : ctx->src[s].url != NULL)
			bits |= 1u << s;
	return bits;
}

static void session_stop(struct app *a)
{
	for (int i = 0; i < PANELS_COUNT; i++) {
		struct panel *p = &a->panels[i];
		if (p->ops && p->ops->destroy)
			p->ops->destroy(p);
		memset(p, 0, sizeof *p);
	}
	action_free(&a->action);
	a->env.action = NULL;
	probe_free(&a->probe);
	sched_free(&a->sched);
	http_free(&a->http);
}

static int session_start(struct app *a, struct err *e)
{
	a->http = http_new(e);
	if (!a->http)
		return ERR_NOMEM;
	a->sched = sched_new(NULL, a->now_ms, (uint32_t)getpid());
	unsigned configured = configured_sources(a->ctx);
	for (int s = 0; s < SRC_COUNT; s++)
		sched_source_configure(a->sched, (enum source_id)s, !!(configured & (1u << s)));
	int rows = a->env.rows, cols = a->env.cols;
	a->env = (struct panel_env){
	    .rows = rows,
	    .cols = cols,
	    .sched = a->sched,
	    .http = a->http,
	    .cache = a->cache,
	    .cfg = a->cfg,
	    .ctx = a->ctx,
	    .now_ms = a->now_ms,
	    .utf8 = a->utf8,
	    .top_level = a->snapshot,
	    .chart_mode = (int)config_general(a->cfg)->chart,
	    .app = a,
	    .changed = env_changed,
	    .open = env_open,
	    .notify = env_notify,
	};
	struct action_hooks hooks = {.data = action_data_of, .reread = action_refresh, .ud = a};
	a->action = action_new(&a->env, &hooks, e);
	if (!a->action)
		return ERR_NOMEM;
	a->env.action = a->action;
	unsigned polled = 0;
	for (int i = 0; i < PANELS_COUNT; i++) {
		struct panel *p = &a->panels[i];
		p->ops = panels_table[i];
		p->env = &a->env;
		p->dirty = 1;
		if (p->ops->create && p->ops->create(p, e) < 0)
			return e ? e->code : ERR_STATE;
		if (p->ops->schedule)
			p->ops->schedule(p, a->sched);
		if (p->ops->polls)
			polled |= p->ops->polls(p);
		if (a->filter[i][0] && p->ops->filter)
			p->ops->filter(p, a->filter[i], NULL);
	}
	a->probe = probe_new(a->http, a->sched, a->ctx, polled, a->ctx->refresh_ms);
	a->redraw = 1;
	return 0;
}

int app_set_theme(struct app *a, const char *name, struct err *e)
{
	struct theme t;
	if (theme_load(&t, name, app_theme_dirs(a), e) < 0)
		return ERR_CONFIG;
	a->theme = t;
	if (!a->snapshot)
		theme_apply(&a->theme, a->colours, a->no_color);
	a->redraw = 1;
	return 0;
}

/* Nothing written is kept when the cache is in memory or read-only: a->cache_problem says why,
 * and that there is no audit log ("" when the cache file is in use). */
static void app_cache_problem(struct app *a, const char *open_err)
{
	const char *path = config_general(a->cfg)->cache, *why = NULL;
	char reason[256] = "";
	struct stat st;
	a->cache_problem[0] = '\0';
	if (a->cache && cache_persistent(a->cache))
		return;
	if (!path)
		path = "-";
	snprintf(reason, sizeof reason, "%s",
	         open_err                 ? open_err
	         : cache_notice(a->cache) ? cache_notice(a->cache)
	                                  : "");
	char *cut = strstr(reason, ": nothing is kept after exit");
	if (cut)
		*cut = '\0';
	char lead[300];
	snprintf(lead, sizeof lead, "cannot open cache %s: ", path);
	why = strncmp(reason, lead, strlen(lead)) == 0 ? reason + strlen(lead) : reason;
	int found = stat(path, &st) == 0;
	if (found && S_ISDIR(st.st_mode))
		why = "is a directory";
	else if (!found && errno != ENOENT)
		why = strerror(errno);
	else if (strcmp(path, ":memory:") == 0 || !*why)
		why = "in memory";
	snprintf(a->cache_problem, sizeof a->cache_problem,
	         "cache %s: %s: nothing is kept after exit, and no audit log is kept", path, why);
}

static void app_cache_notice(struct app *a);

int app_init(struct app *a, struct config *cfg, int64_t (*now_ms)(void), struct err *e)
{
	a->cfg = cfg;
	a->now_ms = now_ms;
	a->current = 0;
	a->snapshot = config_args(cfg)->snapshot;
	const struct config_general *g = config_general(cfg);
	a->no_color = g->no_color;
	a->utf8 = text_locale_utf8();
	const char *theme = g->theme ? g->theme : "default";
	if (theme_load(&a->theme, theme, app_theme_dirs(a), e) < 0) {
		char origin[600], why[ERR_MSG_MAX];
		if (e && config_theme_origin(cfg, origin, sizeof origin)) {
			snprintf(why, sizeof why, "%s", e->msg);
			err_set(e, ERR_CONFIG, "%s: theme: %s", origin, why);
		}
		return ERR_CONFIG;
	}
	a->ctx = config_context_resolve(cfg, NULL, e);
	if (!a->ctx)
		return ERR_CONFIG;
	struct err ce;
	a->cache = cache_open(g->cache, &ce);
	if (a->cache)
		cache_set_limit(
		    a->cache, (int64_t)((g->cache_max_mb < 1e9 ? g->cache_max_mb : 1e9) * 1048576),
		    NULL);
	app_cache_problem(a, a->cache ? NULL : ce.msg);
	if (a->cache_problem[0]) {
		app_message(a, 1, "%s", a->cache_problem);
		cache_notice_clear(a->cache); /* said, in the words of the problem */
	} else {
		app_cache_notice(a);
	}
	for (size_t i = 0; i < config_warning_count(cfg); i++)
		app_message(a, 1, "%s", config_warning(cfg, i));
	a->prompt.complete = cmdline_complete;
	a->prompt.complete_ud = a;
	return session_start(a, e);
}

int app_switch_context(struct app *a, const char *name, struct err *e)
{
	if (action_in_flight(a->action)) /* its requests and audit rows belong to this context */
		return err_set(e, ERR_STATE,
		               "an action is being written: switch when it has ended");
	struct context *next = config_context_resolve(a->cfg, name, e);
	if (!next)
		return ERR_CONFIG;
	session_stop(a);
	config_context_free(&a->ctx);
	a->ctx = next;
	a->demo_label = NULL;
	return session_start(a, e);
}

void app_fini(struct app *a)
{
	session_stop(a);
	config_context_free(&a->ctx);
	cache_close(&a->cache);
	prompt_history_free(&a->hist_filter);
	prompt_history_free(&a->hist_cmd);
}

void app_message(struct app *a, int error, const char *fmt, ...)
{
	char raw[256];
	va_list ap;
	va_start(ap, fmt);
	vsnprintf(raw, sizeof raw, fmt, ap);
	va_end(ap);
	text_sanitize(raw, strlen(raw), a->message, sizeof a->message);
	a->message_error = error;
	a->message_until = a->now_ms() + (error ? 8000 : 4000);
}

void app_resize(struct app *a, int rows, int cols)
{
	a->env.rows = rows;
	a->env.cols = cols;
	for (int i = 0; i < PANELS_COUNT; i++)
		a->panels[i].dirty = 1;
}

/* Shows on the message line what the cache has to say (a write failed, the cap was hit, the
 * file was rebuilt), once per time it happens. */
static void app_cache_notice(struct app *a)
{
	const char *n = cache_notice(a->cache);
	if (!n)
		return;
	app_message(a, 1, "%s", n);
	cache_notice_clear(a->cache);
}

void app_recalc(struct app *a)
{
	app_cache_notice(
	    a); /* a write that failed (disk full) or hit the cap since the last frame */
	for (int i = 0; i < PANELS_COUNT; i++) {
		struct panel *p = &a->panels[i];
		if (p->ops->more && p->ops->more(p))
			p->dirty = 1;
		if (p->dirty && p->ops->recalc)
			p->ops->recalc(p);
	}
}

/* The / filter, applied as it is typed; an invalid regex keeps the previous filter. */
static void filter_apply(struct app *a, const char *pattern)
{
	struct panel *p = &a->panels[a->current];
	struct err e = {0};
	if (p->ops->filter(p, pattern, &e) < 0) {
		prompt_set_error(&a->prompt, e.msg);
		return;
	}
	snprintf(a->filter[a->current], sizeof a->filter[0], "%s", pattern);
	p->dirty = 1;
}

/* Enter keeps the prompt open, with the error, on a pattern that does not compile; Esc puts back
 * the filter that was in force when the prompt opened. */
static void prompt_filter_key(struct app *a, enum prompt_rc rc)
{
	switch (rc) {
	case PROMPT_CHANGED:
		filter_apply(a, a->prompt.buf);
		break;
	case PROMPT_ACCEPT:
		filter_apply(a, a->prompt.buf);
		if (a->prompt.error[0] == '\0') {
			prompt_history_add(&a->hist_filter, a->prompt.buf);
			prompt_close(&a->prompt);
		}
		break;
	case PROMPT_CANCEL:
		filter_apply(a, a->filter_before);
		prompt_close(&a->prompt);
		break;
	case PROMPT_IDLE:
		break;
	}
}

static void prompt_command_key(struct app *a, enum prompt_rc rc)
{
	if (rc == PROMPT_CANCEL) {
		prompt_close(&a->prompt);
		return;
	}
	if (rc != PROMPT_ACCEPT)
		return;
	struct err e = {0};
	char line[PROMPT_MAX];
	snprintf(line, sizeof line, "%s", a->prompt.buf);
	prompt_history_add(&a->hist_cmd, line);
	prompt_close(&a->prompt); /* also on an error: the next keys must not go to a stale line */
	if (cmdline_run(a, line, &e) < 0)
		app_message(a, 1, "%s", e.msg);
}

static void open_filter(struct app *a)
{
	struct panel *p = &a->panels[a->current];
	if (!p->ops->filter) {
		app_message(a, 0, "%s has no list to filter", p->ops->title);
		return;
	}
	snprintf(a->filter_before, sizeof a->filter_before, "%s", app_filter_text(a));
	prompt_open(&a->prompt, '/', a->filter_before, &a->hist_filter);
}

const char *app_filter_text(const struct app *a)
{
	const struct panel *p = &a->panels[a->current];
	if (!p->ops->filter)
		return "";
	return p->ops->filter_text ? p->ops->filter_text(p) : a->filter[a->current];
}

void app_quit(struct app *a)
{
	if (!action_in_flight(a->action)) {
		a->quit = 1;
		return;
	}
	char label[256];
	action_label(a->action, label, sizeof label, 0);
	a->quit_ask = 1;
	app_message(a, 1, "%s is being written: quit now anyway? y quits, any other key stays",
	            label);
}

/* The keys that go to a question before anything else: "quit now anyway?" while it shows (y
 * quits, anything else stays), then the write dialog. Returns 1 when the key was theirs. */
static int modal_key(struct app *a, wint_t ch, int is_key)
{
	if (a->quit_ask && a->now_ms() < a->message_until) {
		a->quit_ask = 0;
		a->message_until = 0;
		if (!is_key && (ch == 'y' || ch == 'Y'))
			a->quit = 1;
		return 1;
	}
	a->quit_ask = 0;
	if (!action_modal(a->action))
		return 0;
	action_keys_key(a->action, ch, is_key);
	a->panels[a->current].dirty = 1;
	return 1;
}

static void global_action(struct app *a, enum action act)
{
	switch (act) {
	case ACT_QUIT:
		app_quit(a);
		break;
	case ACT_HELP:
		a->help = 1;
		break;
	case ACT_COMMAND:
		prompt_open(&a->prompt, ':', NULL, &a->hist_cmd);
		break;
	case ACT_FILTER:
		open_filter(a);
		break;
	case ACT_REFRESH:
		sched_refresh(a->sched, -1);
		app_message(a, 0, "refreshing every source");
		break;
	case ACT_NEXT_TAB:
	case ACT_PREV_TAB:
		a->current =
		    (a->current + (act == ACT_NEXT_TAB ? 1 : PANELS_COUNT - 1)) % PANELS_COUNT;
		break;
	case ACT_TAB1:
	case ACT_TAB2:
	case ACT_TAB3:
	case ACT_TAB4:
	case ACT_TAB5:
	case ACT_TAB6:
		a->current = (int)(act - ACT_TAB1);
		break;
	case ACT_REDRAW:
		a->redraw = 1;
		break;
	case ACT_BACK:
	case ACT_NONE:
		break;
	}
	a->panels[a->current].dirty = 1;
}

#define DOUBLE_CLICK_MS 500
#define WHEEL_LINES     3

/* The wheel moves the list of the current panel as the arrow keys do. */
static void wheel(struct app *a, int down)
{
	struct panel *p = &a->panels[a->current];
	for (int i = 0; i < WHEEL_LINES && p->ops->key; i++)
		if (p->ops->key(p, down ? KEY_DOWN : KEY_UP) == PANEL_IGNORED)
			break;
	p->dirty = 1;
}

/* A press on the body selects the row under it; a second press on the same line soon after
 * opens it, as Enter does. */
static void body_press(struct app *a, int y, int x)
{
	struct panel *p = &a->panels[a->current];
	int top = a->body_y ? a->body_y : 2;
	if (y < top || y >= top + a->env.rows || !p->ops->click)
		return;
	int64_t now = a->now_ms();
	int dbl = a->click_ms && y == a->click_y && now - a->click_ms <= DOUBLE_CLICK_MS;
	a->click_ms = dbl ? 0 : now;
	a->click_y = y;
	if (p->ops->click(p, y - top, x - a->body_x) != PANEL_HANDLED)
		return;
	p->dirty = 1;
	if (dbl && p->ops->key)
		p->ops->key(p, '\n');
}

/* Clicks select tabs (line 1) and rows (the body, from line 2), a double click opens, the wheel
 * scrolls, where the terminal reports them. */
static void mouse(struct app *a)
{
	MEVENT ev;
	if (getmouse(&ev) != OK || a->prompt.active || a->help || action_modal(a->action))
		return; /* nothing behind a dialog is chosen by a click */
	if (ev.bstate & (BUTTON4_PRESSED | BUTTON5_PRESSED)) {
		wheel(a, (ev.bstate & BUTTON5_PRESSED) != 0);
		return;
	}
	if (!(ev.bstate & (BUTTON1_PRESSED | BUTTON1_CLICKED)))
		return;
	if (ev.y == 1) {
		for (int i = 0; i < PANELS_COUNT; i++)
			if (ev.x >= a->tab_x[i] && ev.x < a->tab_x[i + 1])
				a->current = i;
		a->panels[a->current].dirty = 1;
		return;
	}
	body_press(a, ev.y, ev.x);
}

void app_key(struct app *a, wint_t ch, int is_key)
{
	if (is_key && ch == KEY_RESIZE) {
		a->redraw = 1;
		return;
	}
	if (is_key && ch == KEY_MOUSE) {
		mouse(a);
		return;
	}
	if (a->prompt.active) {
		enum prompt_rc rc = prompt_key(&a->prompt, ch, is_key);
		if (a->prompt.kind == '/')
			prompt_filter_key(a, rc);
		else
			prompt_command_key(a, rc);
		return;
	}
	if (a->help) {
		a->help = 0;
		a->redraw = 1;
		return;
	}
	if (modal_key(a, ch, is_key))
		return;
	struct panel *p = &a->panels[a->current];
	int cy, cx;
	if (p->ops->text && p->ops->cursor && p->ops->cursor(p, &cy, &cx)) {
		p->ops->text(p, ch, is_key);
		p->dirty = 1;
		return;
	}
	int key = (int)ch;
	if (!is_key && ch >= 256)
		return; /* a wide character outside a prompt: no key of ours, and it would alias
		           KEY_* */
	if (key == PANEL_KEY_ESC && !is_key && app_filter_text(a)[0]) {
		filter_apply(a,
		             ""); /* Esc on a filtered list clears the filter; the next goes back */
		app_message(a, 0, "filter cleared");
		return;
	}
	if (p->ops->key) {
		enum panel_rc rc = p->ops->key(p, key);
		if (rc != PANEL_IGNORED) {
			p->dirty = 1;
			return;
		}
	}
	global_action(a, keys_action(key));
}
