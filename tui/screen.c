#include "tui/screen.h"

#include <stdio.h>
#include <string.h>
#include <time.h>

#include "panels/action.h"
#include "panels/action_draw.h"
#include "panels/action_keys.h"
#include "tui/app.h"
#include "tui/keys.h"
#include "tui/widgets/text.h"

/* A line built from left to right in pieces of one role each, clipped to the window. */
struct line {
	WINDOW *w;
	const struct theme *t;
	attr_t base;
	enum role bar; /* the bar drawn on (ROLE_HEADER, ROLE_DANGER), else ROLE_NORMAL */
	int x, width;
};

static void put(struct line *l, enum role r, const char *s)
{
	if (l->x >= l->width)
		return;
	char buf[512];
	enum text_ellipsis el = text_locale_utf8() ? TEXT_ELLIPSIS_UTF8 : TEXT_ELLIPSIS_TILDE;
	int used = text_ellipsize(buf, sizeof buf, s, l->width - l->x, el);
	attr_t at = theme_attr_on(l->t, r, l->bar);
	wattrset(l->w, r == ROLE_NORMAL ? l->base : (at | (l->base & A_REVERSE)));
	mvwaddstr(l->w, 0, l->x, buf);
	l->x += used;
}

static void fill(WINDOW *w, attr_t at)
{
	wattrset(w, at);
	wbkgdset(w, ' ' | at);
	werase(w);
}

void screen_layout(struct screen *s, int rows, int cols)
{
	screen_fini(s);
	if (rows < 4)
		rows = 4;
	if (cols < 10)
		cols = 10;
	s->rows = rows;
	s->cols = cols;
	s->header = newwin(1, cols, 0, 0);
	s->tabs = newwin(1, cols, 1, 0);
	if (s->framed && rows >= 6 && cols >= 12) {
		s->frame = newwin(rows - 3, cols, 2, 0);
		s->body = newwin(rows - 5, cols - 2, 3, 1);
	} else {
		s->body = newwin(rows - 3, cols, 2, 0);
	}
	s->footer = newwin(1, cols, rows - 1, 0);
	keypad(s->footer, TRUE); /* keys are read through the footer: it is always refreshed */
	nodelay(s->footer, TRUE);
}

void screen_fini(struct screen *s)
{
	WINDOW **w[] = {&s->header, &s->tabs, &s->body, &s->footer, &s->frame};
	for (size_t i = 0; i < 5; i++)
		if (*w[i]) {
			delwin(*w[i]);
			*w[i] = NULL;
		}
}

static const char *short_name(enum source_id s)
{
	static const char *const n[SRC_COUNT] = {"mlf", "prom", "scr", "am", "ks", "smp"};
	return n[s];
}

static enum role health_role(enum source_health h)
{
	switch (h) {
	case HEALTH_OK:
		return ROLE_OK;
	case HEALTH_SLOW:
		return ROLE_WARN;
	case HEALTH_DOWN:
		return ROLE_CRIT;
	default:
		return ROLE_MUTED;
	}
}

/* "mlflow ● 4s", "prometheus ○ off", "kserve ● down 30s" at a level of detail (0 most). */
static void source_badge(struct line *l, const struct app *a, enum source_id s, int detail)
{
	const struct source_status *st = sched_source(a->sched, s);
	char buf[64], age[16] = "";
	const char *dot = a->utf8 ? (st->health == HEALTH_OFF ? "○" : "●")
	                          : (st->health == HEALTH_OFF ? "o" : "*");
	int full = detail < 1 || (detail < 2 && st->health != HEALTH_OFF);
	snprintf(buf, sizeof buf, "%s ", full ? sched_source_name(s) : short_name(s));
	put(l, ROLE_NORMAL, buf);
	put(l, health_role(st->health), dot);
	if (st->last_ok_ms > 0)
		text_age(age, sizeof age, panel_age_now(&a->env) - st->last_ok_ms);
	const char *word = st->health == HEALTH_OFF       ? "off"
	                   : st->health == HEALTH_DOWN    ? "down"
	                   : st->health == HEALTH_SLOW    ? "slow"
	                   : st->health == HEALTH_PENDING ? "…"
	                                                  : "";
	int64_t wait = sched_source_wait_in(a->sched, s);
	if (wait > 0 && st->health == HEALTH_DOWN) { /* it asked to wait: "wait 1m58s" */
		word = "wait";
		text_duration(age, sizeof age, (wait + 999) / 1000 * 1000);
	}
	if (detail < 3) {
		snprintf(buf, sizeof buf, "%s%s%s%s", *word ? " " : "", word,
		         age[0] && st->health != HEALTH_OFF ? " " : "",
		         st->health != HEALTH_OFF ? age : "");
		put(l, health_role(st->health) == ROLE_OK ? ROLE_NORMAL : health_role(st->health),
		    buf);
	}
	put(l, ROLE_NORMAL, "  ");
}

static int any_insecure(const struct context *c)
{
	for (int s = 0; s < SRC_COUNT; s++)
		if (c->src[s].url && c->src[s].auth.insecure)
			return 1;
	return 0;
}

static int header_width(struct app *a, int detail)
{
	WINDOW *scratch = newpad(1, 1024);
	struct line l = {.w = scratch, .t = &a->theme, .x = 0, .width = 1024};
	for (int s = 0; s < SRC_COUNT; s++)
		source_badge(&l, a, (enum source_id)s, detail);
	delwin(scratch);
	return l.x;
}

static void draw_header(struct screen *sc, struct app *a)
{
	const struct context *c = a->ctx;
	attr_t base = theme_attr(&a->theme, c->danger ? ROLE_DANGER : ROLE_HEADER);
	fill(sc->header, base);
	struct line l = {.w = sc->header,
	                 .t = &a->theme,
	                 .base = base,
	                 .bar = c->danger ? ROLE_DANGER : ROLE_HEADER,
	                 .width = sc->cols};
	char buf[128];
	snprintf(buf, sizeof buf, " mltop  ctx %s%s  ", a->demo_label ? a->demo_label : c->name,
	         c->danger ? (a->utf8 ? " ▲" : " !") : "");
	put(&l, ROLE_NORMAL, buf);
	char right[64] = "";
	if (!a->snapshot) {
		time_t now = time(NULL);
		strftime(right, sizeof right, "%H:%M:%S ", localtime(&now));
	}
	int room = sc->cols - l.x - (int)strlen(right) - (c->readonly ? 11 : 0) -
	           (action_in_flight(a->action) ? 48 : 0) - (any_insecure(c) ? 16 : 0) -
	           (a->cache_problem[0] ? 14 : 0);
	int detail = 0;
	while (detail < 3 && header_width(a, detail) > room)
		detail++;
	for (int s = 0; s < SRC_COUNT; s++)
		source_badge(&l, a, (enum source_id)s, detail);
	if (any_insecure(c))
		put(&l, ROLE_WARN, "TLS-UNVERIFIED  ");
	if (c->readonly)
		put(&l, ROLE_ACCENT, "READ-ONLY  ");
	if (action_in_flight(a->action)) {
		char label[200];
		action_label(a->action, label, sizeof label, 1);
		snprintf(buf, sizeof buf, "WRITING %s  ", label);
		put(&l, ROLE_WARN, buf);
	}
	if (a->cache_problem[0]) /* nothing is kept, not even the audit log */
		put(&l, ROLE_WARN, "NO-AUDIT-LOG  ");
	int rx = sc->cols - (int)strlen(right);
	if (rx > l.x) {
		l.x = rx;
		put(&l, ROLE_NORMAL, right);
	}
	wnoutrefresh(sc->header);
}

static void draw_tabs(struct screen *sc, struct app *a)
{
	fill(sc->tabs, theme_attr(&a->theme, ROLE_TAB));
	struct line l = {.w = sc->tabs,
	                 .t = &a->theme,
	                 .base = theme_attr(&a->theme, ROLE_TAB),
	                 .width = sc->cols};
	int full = 0;
	for (int i = 0; i < PANELS_COUNT; i++)
		full += (int)strlen(panels_table[i]->title) + 5;
	for (int i = 0; i < PANELS_COUNT; i++) {
		const struct panel *p = &a->panels[i];
		char buf[64], badge[16] = "";
		int n = p->ops->badge ? p->ops->badge(p) : 0;
		if (n > 0)
			snprintf(badge, sizeof badge, " (%d)", n);
		if (full <= sc->cols)
			snprintf(buf, sizeof buf, " %d %s%s ", i + 1, p->ops->title, badge);
		else if (sc->cols >= 48)
			snprintf(buf, sizeof buf, " %d %.3s%s ", i + 1, p->ops->title, badge);
		else
			snprintf(buf, sizeof buf, "%d", i + 1);
		a->tab_x[i] = l.x;
		put(&l, i == a->current ? ROLE_TAB_ACTIVE : ROLE_NORMAL, buf);
		put(&l, ROLE_NORMAL, " ");
	}
	a->tab_x[PANELS_COUNT] = l.x;
	wnoutrefresh(sc->tabs);
}

/* Whether a global key row lists key (a label such as "/" or "Esc"; labels hold one or more keys
 * separated by spaces). */
static int global_lists(const char *key)
{
	size_t n, len = strlen(key);
	const struct key_binding *k = keys_table(&n);
	for (size_t i = 0; i < n; i++)
		for (const char *w = k[i].label; w && *w; w += strspn(w, " ")) {
			size_t wl = strcspn(w, " ");
			if (wl == len && strncmp(w, key, len) == 0)
				return 1;
			w += wl;
		}
	return 0;
}

/* One footer hint: " key word ". */
struct hint {
	char key[32];
	const char *word;
};

static int hint_width(const struct hint *h)
{
	return 1 + text_width(h->key) + 1 + text_width(h->word) + 1;
}

static void put_hint(struct line *l, const struct hint *h)
{
	char buf[160];
	snprintf(buf, sizeof buf, " %s", h->key);
	put(l, ROLE_ACCENT, buf);
	snprintf(buf, sizeof buf, " %s ", h->word);
	put(l, ROLE_NORMAL, buf);
}

/* The global footer keys: `? help` and `q quit` are essential (kept whatever else is cut), the
 * others are shown when there is room. Fills up to max hints, returns how many. */
static int global_hints(struct hint *out, int max, int essential)
{
	size_t n;
	const struct key_binding *k = keys_table(&n);
	int m = 0;
	for (size_t i = 0; i < n && m < max; i++) {
		int ess = k[i].act == ACT_HELP || k[i].act == ACT_QUIT;
		if (!k[i].footer || ess != essential)
			continue;
		snprintf(out[m].key, sizeof out[m].key, "%.*s", (int)strcspn(k[i].label, " "),
		         k[i].label);
		out[m].word = k[i].act == ACT_COMMAND  ? "command"
		              : k[i].act == ACT_FILTER ? "filter"
		              : k[i].act == ACT_HELP   ? "help"
		                                       : k[i].help;
		m++;
	}
	return m;
}

/* Whether the shell's own footer hints name key ("/", "?"). */
static int shown_by_shell(const char *key, const struct hint *a, int na, const struct hint *b,
                          int nb)
{
	for (int i = 0; i < na; i++)
		if (strcmp(a[i].key, key) == 0)
			return 1;
	for (int i = 0; i < nb; i++)
		if (strcmp(b[i].key, key) == 0)
			return 1;
	return 0;
}

/* The panel's hints while they fit whole, then the optional global ones that fit, then the
 * essential ones, which always have their room. */
static void draw_hints(struct line *l, const struct app *a)
{
	struct hint ess[4], opt[8];
	int modal =
	    action_modal(a->action); /* the dialog takes every key: only its own are shown */
	int ne = modal ? 0 : global_hints(ess, 4, 1), no = modal ? 0 : global_hints(opt, 8, 0);
	int room = l->width - l->x;
	for (int i = 0; i < ne; i++)
		room -= hint_width(&ess[i]);
	const struct panel *p = &a->panels[a->current];
	const struct keyhint *hints =
	    action_modal(a->action) ? action_keys_hints(a->action) : p->ops->hints(p);
	for (const struct keyhint *h = hints; h && h->key; h++) {
		struct hint x = {.word = h->help};
		snprintf(x.key, sizeof x.key, "%s", h->key);
		if (!h->footer || shown_by_shell(h->key, ess, ne, opt, no) || hint_width(&x) > room)
			continue; /* a global key is shown once, by the shell */
		room -= hint_width(&x);
		put_hint(l, &x);
	}
	for (int i = 0; i < no; i++)
		if (hint_width(&opt[i]) <= room) {
			room -= hint_width(&opt[i]);
			put_hint(l, &opt[i]);
		}
	for (int i = 0; i < ne; i++)
		put_hint(l, &ess[i]);
}

/* The last characters of s that fit in cols columns. */
static const char *tail_cols(const char *s, int cols)
{
	size_t len = strlen(s), off = 0;
	while (off < len && text_width(s + off) > cols) {
		uint32_t cp;
		size_t step = text_decode(s + off, len - off, &cp);
		off += step ? step : 1;
	}
	return s + off;
}

/* The right of the footer: the / filter in force, whole when it fits in max columns, else its
 * head and tail around an ellipsis, then the panel's status ("1 of 4 match"). */
static void filter_status(char *out, size_t n, const char *pattern, const char *count, int max)
{
	if (!*pattern) {
		snprintf(out, n, "%s", count);
		return;
	}
	char shown[PROMPT_MAX];
	int w = text_width(pattern);
	if (w + 1 <= max || max < 12) {
		snprintf(shown, sizeof shown, "%s", pattern);
	} else {
		char head[PROMPT_MAX];
		int keep = (max - 2) / 2;
		enum text_ellipsis el =
		    text_locale_utf8() ? TEXT_ELLIPSIS_UTF8 : TEXT_ELLIPSIS_TILDE;
		text_ellipsize(head, sizeof head, pattern, keep + 1, el);
		snprintf(shown, sizeof shown, "%s%s", head, tail_cols(pattern, keep - 1));
	}
	snprintf(out, n, *count ? "/%s  %s" : "/%s", shown, count);
}

/* The width the essential hints (`? help`, `q quit`) take. */
static int essential_width(void)
{
	struct hint ess[4];
	int n = global_hints(ess, 4, 1), w = 0;
	for (int i = 0; i < n; i++)
		w += hint_width(&ess[i]);
	return w;
}

/* The right of a footer cols wide, leaving the essential hints their room and reserve columns
 * for a message: the pattern and the whole status when they fit, else the status's last part
 * ("row 1 of 3" of "3 of 4 match · row 1 of 3"), else the pattern alone, head and tail around
 * an ellipsis. */
static void fit_status(char *out, size_t n, const char *pattern, const char *count, int cols,
                       int reserve)
{
	const char *dot = strstr(count, " · ");
	int max = cols - essential_width() - 2 - reserve;
	filter_status(out, n, pattern, count, cols / 2);
	if (text_width(out) <= max)
		return;
	if (dot && *pattern) {
		filter_status(out, n, pattern, dot + strlen(" · "), max);
		if (text_width(out) <= max)
			return;
	}
	if (*pattern)
		filter_status(out, n, pattern, "", max - 1);
}

static void draw_footer(struct screen *sc, struct app *a)
{
	attr_t base = theme_attr(&a->theme, ROLE_FOOTER);
	fill(sc->footer, base);
	if (a->prompt.active) {
		prompt_draw(&a->prompt, sc->footer, 0, sc->cols, &a->theme);
		wnoutrefresh(sc->footer);
		return;
	}
	struct line l = {.w = sc->footer, .t = &a->theme, .base = base, .width = sc->cols};
	const struct panel *p = &a->panels[a->current];
	char status[PROMPT_MAX + 160] = "", count[128] = "";
	if (p->ops->status)
		p->ops->status(p, count, sizeof count);
	int msg = a->message[0] && a->now_ms() < a->message_until;
	int msg_w = msg ? text_width(a->message) + 2 : 0;
	fit_status(status, sizeof status, app_filter_text(a), count, sc->cols,
	           msg_w < sc->cols / 3 ? msg_w : sc->cols / 3);
	int status_w = text_width(status);
	l.width = sc->cols - (status_w ? status_w + 2 : 0);
	if (msg) {
		/* the message, then `? help` and `q quit`, which it never covers */
		struct hint ess[4];
		int ne = global_hints(ess, 4, 1), room = l.width;
		l.width -= essential_width() + 1;
		put(&l, a->message_error ? ROLE_ERROR : ROLE_ACCENT, " ");
		put(&l, a->message_error ? ROLE_ERROR : ROLE_ACCENT, a->message);
		l.width = room;
		l.x++;
		for (int i = 0; i < ne; i++)
			put_hint(&l, &ess[i]);
	} else {
		draw_hints(&l, a);
	}
	if (status_w) {
		l.width = sc->cols;
		l.x = sc->cols - status_w - 1;
		put(&l, ROLE_NORMAL, status);
	}
	wnoutrefresh(sc->footer);
}

static void help_row(WINDOW *w, int *y, int x, const struct theme *t, const char *key,
                     const char *help)
{
	if (*y >= getmaxy(w) - 1)
		return;
	wattrset(w, theme_attr(t, ROLE_ACCENT));
	mvwprintw(w, *y, x, "%-12.12s", key);
	wattrset(w, theme_attr(t, ROLE_NORMAL));
	char buf[256];
	text_ellipsize(buf, sizeof buf, help, getmaxx(w) - x - 15,
	               text_locale_utf8() ? TEXT_ELLIPSIS_UTF8 : TEXT_ELLIPSIS_TILDE);
	mvwaddstr(w, *y, x + 13, buf);
	(*y)++;
}

/* ? : the keys of the current panel, then the global ones, from the same tables as the footer;
 * each key once (a panel's row for a global key is left to the global row). */
static void draw_help(struct screen *sc, struct app *a)
{
	WINDOW *w = sc->body;
	const struct theme *t = &a->theme;
	werase(w);
	wattrset(w, theme_attr(t, ROLE_BORDER));
	box(w, 0, 0);
	const struct panel *p = &a->panels[a->current];
	char title[96];
	snprintf(title, sizeof title, " Keys · %s  (any key closes) ", p->ops->title);
	wattrset(w, theme_attr(t, ROLE_ACCENT));
	mvwaddnstr(w, 0, 2, title, getmaxx(w) - 4);
	int y = 1;
	for (const struct keyhint *h = p->ops->hints(p); h && h->key; h++)
		if (!global_lists(h->key))
			help_row(w, &y, 2, t, h->key, h->help);
	if (y > 1)
		y++;
	size_t n;
	const struct key_binding *k = keys_table(&n);
	for (size_t i = 0; i < n; i++)
		if (k[i].label)
			help_row(w, &y, 2, t, k[i].label, k[i].help);
	wattrset(w, A_NORMAL);
	wnoutrefresh(w);
}

/* The red frame of a production context, its banner on the top line. */
static void draw_frame(struct screen *sc, struct app *a)
{
	if (!sc->frame)
		return;
	char banner[200], name[128];
	text_sanitize(a->ctx->name, strlen(a->ctx->name), name, sizeof name);
	fill(sc->frame, theme_attr(&a->theme, ROLE_NORMAL));
	wattrset(sc->frame, theme_attr(&a->theme, ROLE_DANGER));
	box(sc->frame, 0, 0);
	snprintf(banner, sizeof banner, " PRODUCTION %s context %s ", a->utf8 ? "—" : "-", name);
	struct line l = {.w = sc->frame,
	                 .t = &a->theme,
	                 .base = theme_attr(&a->theme, ROLE_DANGER),
	                 .bar = ROLE_DANGER,
	                 .x = 2,
	                 .width = sc->cols - 2};
	put(&l, ROLE_NORMAL, banner);
	wnoutrefresh(sc->frame);
}

void screen_draw(struct screen *sc, struct app *a, int force)
{
	struct panel *p = &a->panels[a->current];
	draw_header(sc, a);
	draw_tabs(sc, a);
	if (force)
		draw_frame(sc, a);
	if (a->help) {
		draw_help(sc, a);
	} else if (force || p->dirty) {
		wattrset(sc->body, A_NORMAL);
		werase(sc->body);
		p->ops->draw(p, sc->body, &a->theme);
		action_draw(a->action, sc->body, &a->theme);
		wnoutrefresh(sc->body);
	}
	p->dirty = 0;
	draw_footer(sc, a);
	if (a->prompt.active)
		wnoutrefresh(sc->footer); /* the cursor ends in the prompt */
}

int screen_cursor(struct screen *sc, struct app *a)
{
	if (a->prompt.active)
		return 1;
	const struct panel *p = &a->panels[a->current];
	int y, x;
	if (a->help)
		return 0;
	if (action_modal(a->action)) { /* the dialog's question, not the panel's editor */
		if (!action_draw_cursor(a->action, getmaxy(sc->body), getmaxx(sc->body), &y, &x))
			return 0;
	} else if (!p->ops->cursor || !p->ops->cursor(p, &y, &x)) {
		return 0;
	}
	wmove(sc->body, y, x);
	wnoutrefresh(sc->body); /* the cursor ends in the panel's editor */
	return 1;
}
