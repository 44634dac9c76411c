#include "tui/widgets/sortpick.h"

#include <ctype.h>
#include <stdio.h>
#include <string.h>

#include "tui/widgets/text.h"

static bool sortable(const struct table *t, int col)
{
	const struct table_col *c = table_col_at(t, col);
	return c && c->sort != TABLE_SORT_NONE;
}

/* The next sortable column from pos in direction dir (wrapping), or pos when there is none. */
static int step(const struct table *t, int pos, int dir)
{
	int n = table_ncols(t);
	for (int i = 1; i <= n; i++) {
		int c = ((pos + dir * i) % n + n) % n;
		if (sortable(t, c))
			return c;
	}
	return pos;
}

bool sortpick_open(struct sortpick *sp, const struct table *t)
{
	int n = table_ncols(t), cur = table_sort_col(t);
	sp->active = false;
	if (n <= 0)
		return false;
	sp->pos = sortable(t, cur) ? cur : step(t, n - 1, 1);
	sp->active = sortable(t, sp->pos);
	return sp->active;
}

static void jump_letter(struct sortpick *sp, const struct table *t, int key)
{
	int n = table_ncols(t);
	for (int i = 1; i <= n; i++) {
		int c = (sp->pos + i) % n;
		const struct table_col *col = table_col_at(t, c);
		if (sortable(t, c) && tolower((unsigned char)col->title[0]) == tolower(key)) {
			sp->pos = c;
			return;
		}
	}
}

void sortpick_key(struct sortpick *sp, struct table *t, int key)
{
	if (key == 'j' || key == KEY_DOWN || key == '\t') {
		sp->pos = step(t, sp->pos, 1);
	} else if (key == 'k' || key == KEY_UP || key == KEY_BTAB) {
		sp->pos = step(t, sp->pos, -1);
	} else if (key == '\n' || key == '\r' || key == KEY_ENTER || key == ' ') {
		bool rev;
		if (sp->pos == table_sort_col(t))
			rev = !table_sort_reverse(t);
		else
			rev = table_col_at(t, sp->pos)->sort == TABLE_SORT_NUM;
		table_sort_to(t, sp->pos, rev);
		sp->active = false;
	} else if (key == 27 || key == 'q' || key == 's') {
		sp->active = false;
	} else if (key > 0 && key < 128 && isalpha(key)) {
		jump_letter(sp, t, key);
	}
}

/* "auc ▼" for the sort in force, the title alone for the others. */
static void label(const struct table *t, int col, bool ascii, char *buf, size_t n)
{
	const char *arrow = "";
	if (col == table_sort_col(t))
		arrow = table_sort_reverse(t) ? (ascii ? " v" : " \xE2\x96\xBC")
		                              : (ascii ? " ^" : " \xE2\x96\xB2");
	snprintf(buf, n, "%s%s", table_col_at(t, col)->title, arrow);
}

void sortpick_draw(const struct sortpick *sp, const struct table *t, WINDOW *win, int y, int x,
                   int h, int w, const struct theme *th)
{
	if (!sp->active)
		return;
	bool ascii = !text_locale_utf8();
	int n = table_ncols(t), rows = 0, width = 22;
	char buf[160];
	for (int c = 0; c < n; c++)
		if (sortable(t, c)) {
			label(t, c, ascii, buf, sizeof buf);
			int cw = text_width(buf) + 6;
			width = cw > width ? cw : width;
			rows++;
		}
	if (width > w)
		width = w;
	int bh = rows + 2 < h ? rows + 2 : h;
	if (bh < 3 || width < 8)
		return;
	WINDOW *box_w = derwin(win, bh, width, y, x);
	if (!box_w)
		return;
	wattrset(box_w, theme_attr(th, ROLE_NORMAL));
	werase(box_w);
	wattrset(box_w, theme_attr(th, ROLE_BORDER));
	box(box_w, 0, 0);
	wattrset(box_w, theme_attr(th, ROLE_ACCENT));
	mvwaddnstr(box_w, 0, 2, " sort by ", width - 4);
	int line = 1;
	for (int c = 0; c < n && line < bh - 1; c++) {
		if (!sortable(t, c))
			continue;
		label(t, c, ascii, buf, sizeof buf);
		char shown[200];
		text_pad(shown, sizeof shown, buf, width - 4, TEXT_LEFT,
		         ascii ? TEXT_ELLIPSIS_TILDE : TEXT_ELLIPSIS_UTF8);
		wattrset(box_w, theme_attr(th, c == sp->pos ? ROLE_SELECTED : ROLE_NORMAL));
		mvwaddstr(box_w, line++, 2, shown);
	}
	wattrset(box_w, A_NORMAL);
	delwin(box_w);
}
