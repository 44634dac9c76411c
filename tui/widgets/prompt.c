#include "tui/widgets/prompt.h"

#include <limits.h>
#include <stdlib.h>
#include <string.h>

#include "tui/widgets/text.h"

void prompt_open(struct prompt *p, char kind, const char *initial, struct prompt_history *h)
{
	prompt_complete_fn fn = p->complete;
	void *ud = p->complete_ud;
	memset(p, 0, sizeof *p);
	p->complete = fn;
	p->complete_ud = ud;
	p->active = 1;
	p->kind = kind;
	p->hist = h;
	p->hpos = h ? h->n : 0;
	if (initial) {
		snprintf(p->buf, sizeof p->buf, "%s", initial);
		p->len = p->cur = strlen(p->buf);
	}
}

void prompt_close(struct prompt *p)
{
	p->active = 0;
}

void prompt_history_add(struct prompt_history *h, const char *line)
{
	if (!h || !*line)
		return;
	if (h->n > 0 && strcmp(h->line[h->n - 1], line) == 0)
		return;
	if (h->n == PROMPT_HISTORY) {
		free(h->line[0]);
		memmove(h->line, h->line + 1, (PROMPT_HISTORY - 1) * sizeof h->line[0]);
		h->n--;
	}
	h->line[h->n++] = strdup(line);
}

void prompt_history_free(struct prompt_history *h)
{
	for (int i = 0; i < h->n; i++)
		free(h->line[i]);
	h->n = 0;
}

void prompt_set_error(struct prompt *p, const char *msg)
{
	snprintf(p->error, sizeof p->error, "%s", msg ? msg : "");
}

static void set_text(struct prompt *p, const char *s)
{
	snprintf(p->buf, sizeof p->buf, "%s", s);
	p->len = p->cur = strlen(p->buf);
}

/* Byte offset of the code point before / after `at`. */
static size_t prev_cp(const struct prompt *p, size_t at)
{
	while (at > 0 && ((unsigned char)p->buf[--at] & 0xC0) == 0x80)
		;
	return at;
}

static size_t next_cp(const struct prompt *p, size_t at)
{
	if (at < p->len)
		at++;
	while (at < p->len && ((unsigned char)p->buf[at] & 0xC0) == 0x80)
		at++;
	return at;
}

static void delete_range(struct prompt *p, size_t from, size_t to)
{
	memmove(p->buf + from, p->buf + to, p->len - to + 1);
	p->len -= to - from;
	p->cur = from;
}

static int insert_char(struct prompt *p, wint_t ch)
{
	char enc[MB_LEN_MAX];
	mbstate_t st;
	memset(&st, 0, sizeof st);
	size_t n = wcrtomb(enc, (wchar_t)ch, &st);
	if (n == (size_t)-1 || n == 0 || p->len + n >= sizeof p->buf)
		return 0;
	memmove(p->buf + p->cur + n, p->buf + p->cur, p->len - p->cur + 1);
	memcpy(p->buf + p->cur, enc, n);
	p->len += n;
	p->cur += n;
	return 1;
}

static void history_move(struct prompt *p, int dir)
{
	if (!p->hist || p->hist->n == 0)
		return;
	int to = p->hpos + dir;
	if (to < 0 || to > p->hist->n)
		return;
	p->hpos = to;
	set_text(p, to == p->hist->n ? "" : p->hist->line[to]);
}

static size_t common_prefix(char **c, int n)
{
	size_t len = strlen(c[0]);
	for (int i = 1; i < n; i++) {
		size_t j = 0;
		while (j < len && c[i][j] == c[0][j])
			j++;
		len = j;
	}
	return len;
}

/* Tab: one candidate completes the line; several complete their common prefix and are listed. */
static enum prompt_rc complete(struct prompt *p)
{
	char *cand[64];
	int n = p->complete ? p->complete(p->complete_ud, p->buf, cand, 64) : 0;
	if (n <= 0) {
		snprintf(p->hint, sizeof p->hint, "no completion");
		return PROMPT_IDLE;
	}
	size_t pre = common_prefix(cand, n);
	char line[PROMPT_MAX];
	snprintf(line, sizeof line, "%.*s%s", (int)pre, cand[0], n == 1 ? " " : "");
	p->hint[0] = '\0';
	for (int i = 0; n > 1 && i < n; i++) {
		size_t used = strlen(p->hint);
		snprintf(p->hint + used, sizeof p->hint - used, "%s%s", i ? "  " : "", cand[i]);
	}
	for (int i = 0; i < n; i++)
		free(cand[i]);
	if (strlen(line) > p->len) {
		set_text(p, line);
		return PROMPT_CHANGED;
	}
	return PROMPT_IDLE;
}

static enum prompt_rc edit_key(struct prompt *p, wint_t ch)
{
	switch (ch) {
	case KEY_BACKSPACE:
	case 127:
	case 8:
		if (p->len == 0)
			return PROMPT_CANCEL;
		if (p->cur == 0)
			return PROMPT_IDLE;
		delete_range(p, prev_cp(p, p->cur), p->cur);
		return PROMPT_CHANGED;
	case KEY_DC:
	case 4: /* Ctrl-D */
		if (p->cur == p->len)
			return PROMPT_IDLE;
		delete_range(p, p->cur, next_cp(p, p->cur));
		return PROMPT_CHANGED;
	case 21: /* Ctrl-U */
		delete_range(p, 0, p->cur);
		return PROMPT_CHANGED;
	case 11: /* Ctrl-K */
		p->buf[p->cur] = '\0';
		p->len = p->cur;
		return PROMPT_CHANGED;
	case 23: { /* Ctrl-W: the word before the cursor */
		size_t at = p->cur;
		while (at > 0 && p->buf[at - 1] == ' ')
			at--;
		while (at > 0 && p->buf[at - 1] != ' ')
			at--;
		delete_range(p, at, p->cur);
		return PROMPT_CHANGED;
	}
	default:
		return PROMPT_IDLE;
	}
}

static enum prompt_rc move_key(struct prompt *p, wint_t ch)
{
	switch (ch) {
	case KEY_LEFT:
	case 2: /* Ctrl-B */
		p->cur = prev_cp(p, p->cur);
		break;
	case KEY_RIGHT:
	case 6: /* Ctrl-F */
		p->cur = next_cp(p, p->cur);
		break;
	case KEY_HOME:
	case 1: /* Ctrl-A */
		p->cur = 0;
		break;
	case KEY_END:
	case 5: /* Ctrl-E */
		p->cur = p->len;
		break;
	case KEY_UP:
	case 16: /* Ctrl-P */
		history_move(p, -1);
		return PROMPT_CHANGED;
	case KEY_DOWN:
	case 14: /* Ctrl-N */
		history_move(p, +1);
		return PROMPT_CHANGED;
	default:
		return edit_key(p, ch);
	}
	return PROMPT_IDLE;
}

enum prompt_rc prompt_key(struct prompt *p, wint_t ch, int is_key)
{
	p->error[0] = '\0';
	if (!is_key && (ch == '\n' || ch == '\r'))
		return PROMPT_ACCEPT;
	if (is_key && ch == KEY_ENTER)
		return PROMPT_ACCEPT;
	if (!is_key && ch == 27)
		return PROMPT_CANCEL;
	if (!is_key && ch == '\t') {
		if (p->kind == ':')
			return complete(p);
		return PROMPT_IDLE;
	}
	p->hint[0] = '\0';
	if (is_key || ch < 32 || ch == 127)
		return move_key(p, ch);
	return insert_char(p, ch) ? PROMPT_CHANGED : PROMPT_IDLE;
}

static enum text_ellipsis ellipsis_mode(void)
{
	return text_locale_utf8() ? TEXT_ELLIPSIS_UTF8 : TEXT_ELLIPSIS_TILDE;
}

/* Where the shown text starts: scrolled so that the cursor stays visible in width columns. */
static size_t scroll_from(const struct prompt *p, int width)
{
	size_t from = 0;
	while (text_nwidth(p->buf + from, p->cur - from) > width - 3 && from < p->cur)
		from = next_cp(p, from);
	return from;
}

int prompt_cursor_x(const struct prompt *p, int width)
{
	size_t from = scroll_from(p, width);
	return 1 + text_nwidth(p->buf + from, p->cur - from);
}

void prompt_draw(const struct prompt *p, WINDOW *w, int y, int width, const struct theme *t)
{
	attr_t base = theme_attr(t, ROLE_PROMPT);
	wattrset(w, base);
	wmove(w, y, 0);
	for (int i = 0; i < width; i++)
		waddch(w, ' ');
	char head[2] = {p->kind, 0};
	mvwaddstr(w, y, 0, head);
	int avail = width - 2;
	size_t from = scroll_from(p, width);
	char shown[PROMPT_MAX * 2];
	int used = 1 + text_ellipsize(shown, sizeof shown, p->buf + from, avail, ellipsis_mode());
	mvwaddstr(w, y, 1, shown);
	const char *tail = p->error[0] ? p->error : p->hint;
	if (*tail && used + 3 < width) {
		wattrset(w, theme_attr(t, p->error[0] ? ROLE_ERROR : ROLE_MUTED) | base);
		char clipped[512];
		text_ellipsize(clipped, sizeof clipped, tail, width - used - 3, ellipsis_mode());
		mvwaddstr(w, y, used + 2, clipped);
	}
	wattrset(w, A_NORMAL);
	wmove(w, y, prompt_cursor_x(p, width));
}
