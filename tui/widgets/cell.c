/* cell: clipped, aligned, highlighted text in a cell of a curses window. */
#include "tui/widgets/cell.h"

#include <stdint.h>
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

/* cell_put for a terminal without UTF-8: each non-ASCII character becomes a '?' a column it
 * was measured at, so the layout holds. */
static void put_ascii(WINDOW *win, const char *s, size_t n, attr_t attr)
{
	char buf[128];
	size_t i = 0, k = 0;
	uint32_t cp;
	int w;

	while (i < n) {
		if ((unsigned char)s[i] < 0x80) {
			buf[k++] = s[i++];
		} else {
			i += text_decode(s + i, n - i, &cp);
			for (w = text_cpwidth(cp); w > 0; w--)
				buf[k++] = '?';
		}
		if (k >= sizeof(buf) - 2 || i == n) {
			cell_put(win, buf, k, attr);
			k = 0;
		}
	}
}

int cell_draw(WINDOW *win, int y, int x, int width, const char *s, enum text_align align,
              enum text_ellipsis e, attr_t base, attr_t hl, const struct filter_span *spans,
              int nspans)
{
	void (*put)(WINDOW *, const char *, size_t, attr_t) =
	    e == TEXT_ELLIPSIS_UTF8 ? cell_put : put_ascii;
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
			put(win, s + pos, a - pos, base);
		if (b > a)
			put(win, s + a, b - a, hl);
		pos = b > pos ? b : pos;
	}
	put(win, s + pos, keep - pos, base);
	if (ell)
		cell_put(win, es, strlen(es), base);
	return used;
}

/* Grows columns into the spare width: bounded ones up to max first, then flex ones evenly. */
static void spread(struct cell_cols *L, const int *max, int n, int extra)
{
	int i, nflex = 0, k = 0, g, total;

	for (i = 0; i < n && extra > 0; i++) {
		if (max[i] > L->w[i]) {
			g = max[i] - L->w[i] < extra ? max[i] - L->w[i] : extra;
			L->w[i] += g;
			extra -= g;
		}
	}
	for (i = 0; i < n; i++)
		nflex += max[i] == 0;
	for (i = 0, total = extra; i < n && nflex; i++) {
		if (max[i] == 0) {
			L->w[i] += total * (k + 1) / nflex - total * k / nflex;
			k++;
		}
	}
}

void cell_columns(struct cell_cols *L, const int *min, const int *max, int n, int x0, int width,
                  int frozen, int skip)
{
	int i, x = x0, total = x0 - 1;

	for (i = 0; i < n; i++) {
		L->w[i] = min[i];
		total += L->w[i] + 1;
	}
	L->overflow = total > width;
	L->more_right = false;
	if (!L->overflow)
		spread(L, max, n, width - total);
	else if (skip > 0)
		skip = skip < n - frozen - 1 ? skip : n - frozen - 1;
	for (i = 0; i < n; i++) {
		L->x[i] = -1;
		if (L->overflow && i >= frozen && i < frozen + skip)
			continue;
		if (x >= width) {
			L->more_right = true;
			continue;
		}
		L->x[i] = x;
		if (x + L->w[i] > width) {
			L->w[i] = width - x;
			L->more_right = true;
		}
		x += L->w[i] + 1;
	}
}
