#include "panels/runs_picker.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "panels/notice.h"
#include "tui/widgets/text.h"

static int checked(const struct runs_key *cur, size_t ncur, int kind, const char *name)
{
	for (size_t i = 0; i < ncur; i++)
		if (cur[i].kind == kind && strcmp(cur[i].name, name) == 0)
			return 1;
	return 0;
}

int runs_picker_open(struct runs_picker *p, const struct runstore *s, const struct runs_key *cur,
                     size_t ncur)
{
	runs_picker_close(p);
	const uint32_t *mids = NULL, *pids = NULL;
	size_t nm = s ? runstore_keys(s, RUNSTORE_METRIC, &mids) : 0;
	size_t np = s ? runstore_keys(s, RUNSTORE_PARAM, &pids) : 0;
	size_t n = nm + np;
	p->items = calloc(n ? n : 1, sizeof *p->items);
	p->on = calloc(n ? n : 1, sizeof *p->on);
	if (!p->items || !p->on) {
		runs_picker_close(p);
		return ERR_NOMEM;
	}
	for (size_t i = 0; i < n; i++) {
		int kind = i < nm ? RUNSTORE_METRIC : RUNSTORE_PARAM;
		const char *name = runstore_key_name(s, i < nm ? mids[i] : pids[i - nm]);
		p->items[i].kind = kind;
		snprintf(p->items[i].name, sizeof p->items[i].name, "%s", name ? name : "");
		p->on[i] = checked(cur, ncur, kind, p->items[i].name);
	}
	p->n = n;
	p->active = 1;
	return 0;
}

void runs_picker_close(struct runs_picker *p)
{
	free(p->items);
	free(p->on);
	p->items = NULL;
	p->on = NULL;
	p->n = p->cursor = p->top = 0;
	p->active = 0;
}

static void picker_move(struct runs_picker *p, long by)
{
	if (!p->n)
		return;
	long c = (long)p->cursor + by;
	if (c < 0)
		c = 0;
	if (c >= (long)p->n)
		c = (long)p->n - 1;
	p->cursor = (size_t)c;
	int rows = p->rows > 0 ? p->rows : 1;
	if (p->cursor < p->top)
		p->top = p->cursor;
	if (p->cursor >= p->top + (size_t)rows)
		p->top = p->cursor - (size_t)rows + 1;
}

enum panel_rc runs_picker_key(struct runs_picker *p, int key)
{
	long page = p->rows > 1 ? p->rows - 1 : 1;
	switch (panel_key_is_enter(key) ? '\n' : key) {
	case PANEL_KEY_ESC:
	case 'q':
		p->applied = 0;
		p->active = 0;
		return PANEL_BACK;
	case '\n':
		p->applied = 1;
		p->active = 0;
		return PANEL_BACK;
	case ' ':
		if (p->n)
			p->on[p->cursor] = !p->on[p->cursor];
		picker_move(p, 1);
		break;
	case 'j':
	case KEY_DOWN:
		picker_move(p, 1);
		break;
	case 'k':
	case KEY_UP:
		picker_move(p, -1);
		break;
	case KEY_NPAGE:
		picker_move(p, page);
		break;
	case KEY_PPAGE:
		picker_move(p, -page);
		break;
	case 'g':
	case KEY_HOME:
		picker_move(p, -(long)p->n);
		break;
	case 'G':
	case KEY_END:
		picker_move(p, (long)p->n);
		break;
	default:
		break;
	}
	return PANEL_HANDLED;
}

size_t runs_picker_result(const struct runs_picker *p, struct runs_key *out, size_t max)
{
	size_t k = 0;
	for (size_t i = 0; i < p->n && k < max; i++)
		if (p->on[i])
			out[k++] = p->items[i];
	return k;
}

void runs_picker_draw(const struct runs_picker *p, WINDOW *w, const struct theme *t)
{
	size_t on = 0;
	for (size_t i = 0; i < p->n; i++)
		on += p->on[i];
	char line[512];
	snprintf(line, sizeof line,
	         "Columns · %zu of %zu keys shown · Space toggle · Enter apply · Esc cancel", on,
	         p->n);
	notice_line(w, 0, 1, t, ROLE_ACCENT, line);
	if (!p->n) {
		notice_line(w, 2, 3, t, ROLE_MUTED,
		            "No metric or param has been seen in these runs yet.");
		return;
	}
	int h = getmaxy(w) - 1;
	for (int y = 0; y < h && p->top + (size_t)y < p->n; y++) {
		size_t i = p->top + (size_t)y;
		char name[RUNS_KEY_LEN * 2];
		text_sanitize(p->items[i].name, strlen(p->items[i].name), name, sizeof name);
		snprintf(line, sizeof line, "%s %-6s  %s", p->on[i] ? "[x]" : "[ ]",
		         p->items[i].kind == RUNSTORE_METRIC ? "metric" : "param", name);
		enum role r = i == p->cursor ? ROLE_SELECTED : p->on[i] ? ROLE_NORMAL : ROLE_MUTED;
		if (i == p->cursor) {
			wattrset(w, theme_attr(t, ROLE_SELECTED));
			mvwhline(w, y + 1, 0, ' ', getmaxx(w));
		}
		notice_line(w, y + 1, 1, t, r, line);
	}
	wattrset(w, A_NORMAL);
}
