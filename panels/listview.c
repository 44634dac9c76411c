#include "panels/listview.h"

#include <stdio.h>
#include <string.h>

#include "panels/notice.h"

void listview_init(struct listview *lv, struct table *t)
{
	lv->table = t;
	lv->filter = NULL;
	lv->pick = (struct sortpick){0};
	lv->env = NULL;
}

enum panel_rc listview_key(struct listview *lv, int key)
{
	if (!lv->table)
		return PANEL_IGNORED;
	if (lv->pick.active) {
		sortpick_key(&lv->pick, lv->table, key);
		return PANEL_HANDLED;
	}
	if (key == 's')
		return sortpick_open(&lv->pick, lv->table) ? PANEL_HANDLED : PANEL_IGNORED;
	if (!table_key(lv->table, key))
		return PANEL_IGNORED;
	if ((key == 'n' || key == 'N') && lv->env && lv->env->notify) {
		char msg[64];
		lv->env->notify(lv->env->app, table_match_position(lv->table, msg, sizeof msg));
	}
	return PANEL_HANDLED;
}

int listview_modal(const struct listview *lv)
{
	return lv->pick.active;
}

void listview_fini(struct listview *lv)
{
	table_free(&lv->table);
	filter_free(&lv->filter);
}

int listview_filter(struct listview *lv, const char *pattern, struct err *e)
{
	if (!pattern || !*pattern) {
		table_set_filter(lv->table, NULL, TABLE_FILTER_HIDE);
		filter_free(&lv->filter);
		table_recalc(lv->table);
		return 0;
	}
	struct filter_error fe = {0};
	struct filter *f = filter_new(pattern, &fe);
	if (!f)
		return err_set(e, ERR_PARSE, "%s", fe.msg[0] ? fe.msg : "invalid pattern");
	table_set_filter(lv->table, f, TABLE_FILTER_HIDE);
	filter_free(&lv->filter);
	lv->filter = f;
	table_recalc(lv->table);
	return 0;
}

const char *listview_pattern(const struct listview *lv)
{
	return lv->filter ? filter_pattern(lv->filter) : "";
}

void listview_status(const struct listview *lv, char *buf, size_t n)
{
	char pos[64], count[96];
	if (!lv->table) {
		if (n)
			buf[0] = '\0';
		return;
	}
	table_position(lv->table, pos, sizeof pos);
	if (lv->filter)
		snprintf(buf, n, "%s · %s", table_status(lv->table, count, sizeof count), pos);
	else
		snprintf(buf, n, "%s", pos);
}

void listview_draw(const struct listview *lv, WINDOW *w, int top, const struct theme *t)
{
	int h = getmaxy(w) - top, wd = getmaxx(w);
	if (h <= 0 || !lv->table)
		return;
	table_draw(lv->table, w, top, 0, h, wd, t);
	sortpick_draw(&lv->pick, lv->table, w, top + 1, 1, h - 1, wd - 2, t);
}

void listview_layout(struct listview *lv, const struct panel_env *env, int top)
{
	lv->env = env;
	if (lv->table && env->rows - top > 0)
		table_set_size(lv->table, env->rows - top, env->cols);
}

enum panel_rc listview_click(struct listview *lv, int top, int y)
{
	if (!lv->table || y < top)
		return PANEL_IGNORED;
	return table_click(lv->table, y - top) ? PANEL_HANDLED : PANEL_IGNORED;
}

void listview_prompt_draw(WINDOW *w, const struct theme *t, const char *label,
                          const struct prompt *p)
{
	int y = getmaxy(w) - 1, width = getmaxx(w), lab = (int)strlen(label);
	notice_line(w, y, 0, t, ROLE_PROMPT, label);
	if (width <= lab + 2)
		return;
	WINDOW *sub = derwin(w, 1, width - lab, y, lab);
	if (!sub)
		return;
	prompt_draw(p, sub, 0, width - lab, t);
	delwin(sub);
}

void listview_prompt_cursor(const struct panel_env *env, const char *label, const struct prompt *p,
                            int *y, int *x)
{
	int lab = (int)strlen(label);
	*y = env->rows - 1;
	*x = lab + prompt_cursor_x(p, env->cols - lab);
}
