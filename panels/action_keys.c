#include "panels/action_keys.h"

#include <stdio.h>
#include <string.h>

#include "tui/widgets/text.h"

static int is_esc(wint_t ch, int is_key)
{
	return !is_key && ch == PANEL_KEY_ESC;
}

/* PgUp / PgDn (and j / k where nothing is typed) move the dialog's text. */
static int scroll_key(struct action_ui *a, wint_t ch, int is_key, int typing)
{
	int d = 0;
	if (is_key && (ch == KEY_NPAGE || (!typing && ch == KEY_DOWN)))
		d = is_key && ch == KEY_NPAGE ? 10 : 1;
	else if (is_key && (ch == KEY_PPAGE || (!typing && ch == KEY_UP)))
		d = is_key && ch == KEY_PPAGE ? -10 : -1;
	else if (!typing && !is_key && (ch == 'j' || ch == 'k'))
		d = ch == 'j' ? 1 : -1;
	if (!d)
		return 0;
	a->scroll += d;
	if (a->scroll < 0)
		a->scroll = 0;
	return 1;
}

/* What was typed, without spaces around it. */
static void typed(const struct action_ui *a, char *out, size_t n)
{
	const char *s = a->input.buf;
	while (*s == ' ')
		s++;
	snprintf(out, n, "%s", s);
	for (size_t l = strlen(out); l > 0 && out[l - 1] == ' '; l--)
		out[l - 1] = '\0';
}

static void wrong(struct action_ui *a, const char *fmt, const char *arg)
{
	char raw[512];
	snprintf(raw, sizeof raw, fmt, arg);
	text_sanitize(raw, strlen(raw), a->msg, sizeof a->msg);
	prompt_open(&a->input, ' ', "", NULL);
}

/* Enter on a typed answer: the model's name, `override`, a reason. */
static void answer(struct action_ui *a)
{
	char t[PROMPT_MAX];
	typed(a, t, sizeof t);
	const struct rollout_plan *p = a->plan;
	a->msg[0] = '\0';
	switch (a->ask) {
	case ASK_NAME:
		if (strcmp(t, p->model) == 0)
			action_exec(a);
		else
			wrong(a, "type %s exactly to send it all the traffic (Esc cancels)",
			      p->model);
		break;
	case ASK_OVERRIDE:
		if (strcmp(t, "override") != 0) {
			wrong(a, "%s", "type override to go on despite the alert, or Esc");
			break;
		}
		a->ask = ASK_REASON;
		prompt_open(&a->input, ' ', "", NULL);
		break;
	case ASK_REASON:
		if (!*t) {
			wrong(a, "%s", "a reason is required: it goes to the audit log");
			break;
		}
		snprintf(a->reason, sizeof a->reason, "%s", t);
		a->ask = p->full_traffic ? ASK_NAME : ASK_YES;
		if (a->ask == ASK_NAME)
			prompt_open(&a->input, ' ', "", NULL);
		else
			prompt_close(&a->input);
		break;
	case ASK_YES:
		break;
	}
}

static enum panel_rc confirm_key(struct action_ui *a, wint_t ch, int is_key)
{
	if (a->ask == ASK_YES) {
		if (!is_key && (ch == 'y' || ch == 'Y'))
			action_exec(a);
		else if (!is_key && (ch == 'n' || ch == 'N' || ch == 'q'))
			action_close(a);
		else if (!scroll_key(a, ch, is_key, 0))
			snprintf(a->msg, sizeof a->msg, "y sends it, n or Esc cancels");
		return PANEL_HANDLED;
	}
	if (scroll_key(a, ch, is_key, 1))
		return PANEL_HANDLED;
	if (!is_key && (ch == '\n' || ch == '\r'))
		answer(a);
	else if (is_key && ch == KEY_ENTER)
		answer(a);
	else if (prompt_key(&a->input, ch, is_key) == PROMPT_CANCEL)
		prompt_open(&a->input, ' ', "", NULL); /* Backspace on nothing: still asking */
	return PANEL_HANDLED;
}

static void again(struct action_ui *a, int undo)
{
	struct err e = {0};
	a->mode = ACTION_RUNNING;
	a->undoing = undo;
	a->msg[0] = '\0';
	if ((undo ? rollout_undo(a->r, &e) : rollout_retry(a->r, &e)) < 0) {
		a->mode = ACTION_PARTIAL;
		snprintf(a->msg, sizeof a->msg, "%s", e.msg);
	}
}

static enum panel_rc planner_key(struct action_ui *a, wint_t ch, int is_key)
{
	struct action_planner *pl = &a->planner;
	int enter = (!is_key && (ch == '\n' || ch == '\r')) || (is_key && ch == KEY_ENTER);
	if (enter && pl->cur < pl->n) {
		char model[128], version[64];
		snprintf(model, sizeof model, "%s", pl->model);
		snprintf(version, sizeof version, "%s", pl->v[pl->cur].version);
		a->mode = ACTION_CLOSED;
		action_planner_fini(pl);
		action_start(a, ROLLOUT_ROLLBACK, model, version, -1);
		return PANEL_HANDLED;
	}
	int down = (is_key && ch == KEY_DOWN) || (!is_key && ch == 'j');
	int up = (is_key && ch == KEY_UP) || (!is_key && ch == 'k');
	if (down && pl->cur + 1 < pl->n)
		pl->cur++;
	if (up && pl->cur > 0)
		pl->cur--;
	return PANEL_HANDLED;
}

static enum panel_rc ended_key(struct action_ui *a, wint_t ch, int is_key)
{
	if (a->mode == ACTION_PARTIAL && !is_key && ch == 'u' && !action_wrote(a)) {
		snprintf(a->msg, sizeof a->msg, "nothing to undo: nothing was written");
		return PANEL_HANDLED;
	}
	if (a->mode == ACTION_PARTIAL && !is_key && (ch == 'r' || ch == 'u')) {
		again(a, ch == 'u');
		return PANEL_HANDLED;
	}
	int enter =
	    (!is_key && (ch == '\n' || ch == '\r' || ch == 'q')) || (is_key && ch == KEY_ENTER);
	if (enter && a->mode != ACTION_PARTIAL)
		action_close(a);
	else
		scroll_key(a, ch, is_key, 0);
	return PANEL_HANDLED;
}

enum panel_rc action_keys_key(struct action_ui *a, wint_t ch, int is_key)
{
	if (!action_modal(a))
		return PANEL_IGNORED;
	if (is_esc(ch, is_key)) {
		if (a->mode == ACTION_RUNNING)
			a->hidden = 1; /* it goes on; the header says so */
		else
			action_close(a);
		return PANEL_HANDLED;
	}
	switch (a->mode) {
	case ACTION_CONFIRM:
		action_alerts_now(a); /* a key answers what is asked now */
		return confirm_key(a, ch, is_key);
	case ACTION_PLANNER:
		return planner_key(a, ch, is_key);
	case ACTION_RUNNING:
	case ACTION_READING:
		scroll_key(a, ch, is_key, 0);
		return PANEL_HANDLED;
	default:
		return ended_key(a, ch, is_key);
	}
}

static const struct keyhint yes_keys[] = {
    {"y", "send it", 1}, {"n Esc", "cancel", 1}, {"PgUp PgDn", "scroll", 1}, {NULL, NULL, 0}};
static const struct keyhint typed_keys[] = {
    {"Enter", "confirm what is typed", 1}, {"Esc", "cancel", 1}, {NULL, NULL, 0}};
static const struct keyhint running_keys[] = {{"Esc", "hide (it goes on; the header shows it)", 1},
                                              {NULL, NULL, 0}};
static const struct keyhint partial_keys[] = {{"r", "retry the steps not done", 1},
                                              {"u", "undo the steps done", 1},
                                              {"Esc", "close", 1},
                                              {NULL, NULL, 0}};
static const struct keyhint unwritten_keys[] = {
    {"r", "retry", 1}, {"Esc", "close", 1}, {NULL, NULL, 0}};
static const struct keyhint planner_keys[] = {{"Enter", "plan the rollback to it", 1},
                                              {"j/k", "move", 1},
                                              {"Esc", "close", 1},
                                              {NULL, NULL, 0}};
static const struct keyhint close_keys[] = {
    {"Esc Enter", "close", 1}, {"j/k", "scroll", 0}, {NULL, NULL, 0}};

const struct keyhint *action_keys_hints(const struct action_ui *a)
{
	switch (a->mode) {
	case ACTION_CONFIRM:
		return a->ask == ASK_YES ? yes_keys : typed_keys;
	case ACTION_RUNNING:
	case ACTION_READING:
		return running_keys;
	case ACTION_PARTIAL:
		return action_wrote(a) ? partial_keys : unwritten_keys;
	case ACTION_PLANNER:
		return planner_keys;
	default:
		return close_keys;
	}
}
