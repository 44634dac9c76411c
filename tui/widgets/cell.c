/* cell: clipped, aligned, highlighted text in a cell of a curses window. */
#include "tui/widgets/cell.h"

#include <string.h>

void cell_put(WINDOW *win, const char *s, size_t n, attr_t attr)
{
	if (!n)
		return;
	wattrset(win, (int)attr);
	waddnstr(win, s, (int)n);
}

void cell_fill(WINDOW *win, int y, int x, int w, attr_t attr)
{
	static const char sp[] = "                                                                ";

	wmove(win, y, x);
	while (w > 0) {
		int k = w < (int)sizeof(sp) - 1 ? w : (int)sizeof(sp) - 1;
		cell_put(win, sp, (size_t)k, attr);
		w -= k;
	}
}

int cell_draw(WINDOW *win, int y, int x, int width, const char *s, enum text_align align,
              enum text_ellipsis e, attr_t base, attr_t hl, const struct filter_span *spans,
              int nspans)
{
	size_t len = strlen(s), keep, pos = 0, a, b;
	bool ell;
	int used = text_clip(s, len, width, e, &keep, &ell), gap = width - used, k;
	const char *es = text_ellipsis_str(e);

	wmove(win, y, x + (align == TEXT_RIGHT ? gap : align == TEXT_CENTER ? gap / 2 : 0));
	for (k = 0; k < nspans && pos < keep; k++) {
		a = spans[k].start < keep ? spans[k].start : keep;
		b = spans[k].end < keep ? spans[k].end : keep;
		if (a < pos)
			a = pos;
		if (a > pos)
			cell_put(win, s + pos, a - pos, base);
		if (b > a)
			cell_put(win, s + a, b - a, hl);
		pos = b > pos ? b : pos;
	}
	cell_put(win, s + pos, keep - pos, base);
	if (ell)
		cell_put(win, es, strlen(es), base);
	return used;
}
