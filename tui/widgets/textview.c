#include "tui/widgets/textview.h"

#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "tui/widgets/cell.h"
#include "tui/widgets/text.h"

#define TEXTVIEW_SPANS 16

void textview_init(struct textview *tv, int ascii)
{
	memset(tv, 0, sizeof *tv);
	tv->ascii = ascii;
	tv->h = 1;
}

void textview_fini(struct textview *tv)
{
	free(tv->lines);
	filter_free(&tv->search);
	memset(tv, 0, sizeof *tv);
}

void textview_clear(struct textview *tv)
{
	tv->n = 0;
}

void textview_add(struct textview *tv, enum role r, const char *fmt, ...)
{
	if (tv->n == tv->cap) {
		size_t cap = tv->cap ? tv->cap * 2 : 64;
		struct textview_line *l = realloc(tv->lines, cap * sizeof *l);
		if (!l)
			return;
		tv->lines = l;
		tv->cap = cap;
	}
	struct textview_line *l = &tv->lines[tv->n++];
	char raw[1024];
	va_list ap;
	va_start(ap, fmt);
	vsnprintf(raw, sizeof raw, fmt, ap);
	va_end(ap);
	l->role = r;
	text_sanitize(raw, strlen(raw), l->text, sizeof l->text);
}

static size_t last_top(const struct textview *tv)
{
	size_t h = tv->h > 0 ? (size_t)tv->h : 1;
	return tv->n > h ? tv->n - h : 0;
}

void textview_clamp(struct textview *tv)
{
	if (tv->top > last_top(tv))
		tv->top = last_top(tv);
}

static bool matches(const struct textview *tv, size_t i)
{
	return tv->search && filter_match(tv->search, tv->lines[i].text, strlen(tv->lines[i].text));
}

/* The next (dir > 0) or previous matching line from `from`, or SIZE_MAX. */
static size_t find(const struct textview *tv, size_t from, int dir)
{
	for (size_t i = from; i<tv->n; i = dir> 0 ? i + 1 : i - 1) {
		if (matches(tv, i))
			return i;
		if (dir < 0 && i == 0)
			break;
	}
	return SIZE_MAX;
}

static void show(struct textview *tv, size_t line)
{
	if (line == SIZE_MAX)
		return;
	tv->top = line;
	textview_clamp(tv);
}

int textview_search(struct textview *tv, const char *pattern, char *msg, size_t msgsz)
{
	if (!pattern || !*pattern) {
		filter_free(&tv->search);
		return 0;
	}
	struct filter_error fe = {0};
	struct filter *f = filter_new(pattern, &fe);
	if (!f) {
		snprintf(msg, msgsz, "%s", fe.msg[0] ? fe.msg : "invalid pattern");
		return -1;
	}
	filter_free(&tv->search);
	tv->search = f;
	show(tv, find(tv, tv->top, 1));
	return 0;
}

const char *textview_pattern(const struct textview *tv)
{
	return tv->search ? filter_pattern(tv->search) : "";
}

bool textview_key(struct textview *tv, int key)
{
	size_t h = tv->h > 1 ? (size_t)tv->h - 1 : 1, max = last_top(tv);
	switch (key) {
	case 'j':
	case KEY_DOWN:
		tv->top += tv->top < max;
		return true;
	case 'k':
	case KEY_UP:
		tv->top -= tv->top > 0;
		return true;
	case KEY_NPAGE:
	case ' ':
		tv->top = tv->top + h < max ? tv->top + h : max;
		return true;
	case KEY_PPAGE:
		tv->top = tv->top > h ? tv->top - h : 0;
		return true;
	case 'g':
	case KEY_HOME:
		tv->top = 0;
		return true;
	case 'G':
	case KEY_END:
		tv->top = max;
		return true;
	case 'n':
	case 'N':
		if (!tv->search)
			return false;
		if (key == 'n' || tv->top > 0)
			show(tv,
			     find(tv, key == 'n' ? tv->top + 1 : tv->top - 1, key == 'n' ? 1 : -1));
		return true;
	default:
		return false;
	}
}

void textview_draw(const struct textview *tv, WINDOW *w, const struct theme *t)
{
	int h = getmaxy(w), width = getmaxx(w) - 2;
	attr_t hl = theme_attr(t, ROLE_MATCH);
	for (int y = 0; y < h && tv->top + (size_t)y < tv->n && width > 0; y++) {
		const struct textview_line *l = &tv->lines[tv->top + (size_t)y];
		struct filter_span sp[TEXTVIEW_SPANS];
		int ns = tv->search ? filter_spans(tv->search, l->text, strlen(l->text), sp,
		                                   TEXTVIEW_SPANS)
		                    : 0;
		cell_draw(w, y, 1, width, l->text, TEXT_LEFT,
		          tv->ascii ? TEXT_ELLIPSIS_TILDE : TEXT_ELLIPSIS_UTF8,
		          theme_attr(t, l->role), hl, sp, ns);
	}
}

void textview_status(const struct textview *tv, char *buf, size_t n)
{
	size_t hits = 0;
	for (size_t i = 0; tv->search && i < tv->n; i++)
		hits += matches(tv, i);
	int len = snprintf(buf, n, "line %zu of %zu", tv->n ? tv->top + 1 : 0, tv->n);
	if (tv->search && len >= 0 && (size_t)len < n)
		snprintf(buf + len, n - (size_t)len, " · %zu %s", hits,
		         hits == 1 ? "line matches" : "lines match");
}
