#include "panels/samples_view.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "tui/widgets/text.h"

#define VIEW_INDENT 2

/* One drawn line: text[0..len) (sanitized again by the view) at indent columns. */
static int view_push(struct samples_view *v, const char *text, size_t len, int indent,
                     enum role role)
{
	size_t n = v->tv.n;
	textview_add(&v->tv, role, "%*s%.*s", indent, "", (int)len, text);
	return v->tv.n > n ? 0 : -1;
}

/* How much of s[0..n) goes on a line of room columns: up to the last blank that fits when there
 * is one in its second half, else all that fits (at least one character). */
static size_t view_break(const char *s, size_t n, int room)
{
	size_t take = text_fit(s, n, room, NULL);
	if (take == 0)
		return n;
	if (take == n)
		return take;
	for (size_t i = take; i > take / 2; i--)
		if (s[i - 1] == ' ')
			return i;
	return take;
}

/* One logical line, wrapped at the width: the continuation lines start under the value (after
 * "key": ) when that leaves room, else one level deeper. */
static int view_wrap(struct samples_view *v, const char *text, size_t len, int indent,
                     enum role role)
{
	char *s = text_sanitize(text, len, NULL, 0);
	if (!s)
		return -1;
	size_t n = strlen(s), at = 0;
	const char *colon = strstr(s, "\": ");
	int cont = colon ? indent + text_nwidth(s, (size_t)(colon - s) + 3) : indent + VIEW_INDENT;
	int rc = 0, ind = indent;
	if (v->width - cont < 20)
		cont = indent + VIEW_INDENT;
	do {
		int room = v->width - ind > 8 ? v->width - ind : 8;
		size_t take = view_break(s + at, n - at, room);
		rc = view_push(v, s + at, take, ind,
		               role); /* already clean: a second pass is a no-op */
		at += take;
		while (at < n && s[at] == ' ')
			at++;
		ind = cont;
	} while (rc == 0 && at < n);
	free(s);
	return rc;
}

struct view_pp {
	struct samples_view *v;
	char *line;
	size_t len;
	int depth, rc;
};

static void pp_flush(struct view_pp *p)
{
	if (p->len && p->rc == 0)
		p->rc = view_wrap(p->v, p->line, p->len, p->depth * VIEW_INDENT, ROLE_NORMAL);
	p->len = 0;
}

static void pp_put(struct view_pp *p, const char *s, size_t n)
{
	memcpy(p->line + p->len, s, n);
	p->len += n;
}

/* The length of the JSON string starting at s (its quotes included). */
static size_t pp_string(const char *s, size_t n)
{
	size_t i = 1;
	while (i < n && s[i] != '"')
		i += s[i] == '\\' ? 2 : 1;
	return i < n ? i + 1 : n;
}

/* After an opening bracket at s[i]: 1 when the next non-blank is its closer ({} or []). */
static int pp_empty(const char *s, size_t n, size_t i)
{
	size_t j = i + 1;
	while (j < n && (s[j] == ' ' || s[j] == '\t'))
		j++;
	return j < n && (s[j] == '}' || s[j] == ']');
}

static void pp_char(struct view_pp *p, const char *s, size_t n, size_t *i)
{
	char c = s[*i];
	if (c == '{' || c == '[') {
		if (pp_empty(s, n, *i)) {
			pp_put(p, c == '{' ? "{}" : "[]", 2);
			while (s[*i] != '}' && s[*i] != ']')
				(*i)++;
			return;
		}
		pp_put(p, &c, 1);
		pp_flush(p);
		p->depth++;
	} else if (c == '}' || c == ']') {
		pp_flush(p);
		p->depth -= p->depth > 0;
		pp_put(p, &c, 1);
	} else if (c == ',') {
		pp_put(p, ",", 1);
		pp_flush(p);
	} else if (c == ':') {
		pp_put(p, ": ", 2);
	} else if (c != ' ' && c != '\t') {
		pp_put(p, &c, 1);
	}
}

/* The raw JSON text pretty-printed, one line per member or element. */
static int view_pretty(struct samples_view *v, const char *s, size_t n)
{
	struct view_pp p = {v, malloc(2 * n + 4), 0, 0, 0};
	if (!p.line)
		return -1;
	for (size_t i = 0; i < n && p.rc == 0; i++) {
		if (s[i] == '"') {
			size_t k = pp_string(s + i, n - i);
			pp_put(&p, s + i, k);
			i += k - 1;
		} else {
			pp_char(&p, s, n, &i);
		}
	}
	pp_flush(&p);
	free(p.line);
	return p.rc;
}

void samples_view_init(struct samples_view *v, int ascii)
{
	textview_init(&v->tv, ascii);
	v->width = 0;
}

void samples_view_fini(struct samples_view *v)
{
	textview_fini(&v->tv);
}

int samples_view_build(struct samples_view *v, const struct sample *x, int width)
{
	static const char head[] = "one failed sample in full (Esc back)";
	textview_clear(&v->tv);
	v->tv.top = 0;
	v->width = width > 20 ? width - 2 : 20;
	if (view_push(v, head, sizeof head - 1, 0, ROLE_ACCENT) < 0)
		return -1;
	if (!x)
		return 0;
	if (x->bad) {
		static const char bad[] = "not JSON: the line as received";
		if (view_push(v, bad, sizeof bad - 1, 0, ROLE_ERROR) < 0)
			return -1;
		return view_wrap(v, x->raw, x->raw_len, VIEW_INDENT, ROLE_NORMAL);
	}
	return view_pretty(v, x->raw, x->raw_len);
}

enum panel_rc samples_view_key(struct samples_view *v, int key, int rows)
{
	v->tv.h = rows > 0 ? rows : 1;
	return textview_key(&v->tv, key) ? PANEL_HANDLED : PANEL_IGNORED;
}

void samples_view_draw(const struct samples_view *v, WINDOW *w, const struct theme *t)
{
	textview_draw(&v->tv, w, t);
}
