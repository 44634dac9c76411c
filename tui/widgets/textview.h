/* textview: a scrolling page of lines (a run in full, a sample in full), each line in a colour
 * role, with a search like less's: a PCRE2 pattern (as the / filter takes it) highlights its
 * matches, jumps to the first line that matches from the top of the page, and n / N go to the
 * next and previous matching line. Lines are sanitized as they are added: nothing in them can
 * drive the terminal. */
#ifndef MLTOP_TEXTVIEW_H
#define MLTOP_TEXTVIEW_H

#include <curses.h>
#include <stdbool.h>
#include <stddef.h>

#include "themes/theme.h"
#include "tui/widgets/filter.h"

#define TEXTVIEW_LINE 320 /* bytes of one line, sanitized */

struct textview_line {
	enum role role;
	char text[TEXTVIEW_LINE];
};

struct textview {
	struct textview_line *lines; /* owned */
	size_t n, cap, top;
	int h;                 /* lines shown: set by the owner before keys (the body's height) */
	struct filter *search; /* owned; NULL: no search */
	int ascii;             /* a locale without UTF-8 */
};

void textview_init(struct textview *tv, int ascii);
void textview_fini(struct textview *tv);
/* Empties the page (the search and the scroll stay: the page is rebuilt as data comes). */
void textview_clear(struct textview *tv);
void textview_add(struct textview *tv, enum role r, const char *fmt, ...)
    __attribute__((format(printf, 3, 4)));
/* Keeps top within the page after a rebuild or a resize. */
void textview_clamp(struct textview *tv);

/* Searches pattern ("" clears); the page moves to the first matching line from the top shown.
 * On an invalid pattern returns -1 with PCRE2's message in msg and keeps the old search. */
int textview_search(struct textview *tv, const char *pattern, char *msg, size_t msgsz);
const char *textview_pattern(const struct textview *tv); /* "" for none */

/* j/k, arrows, PgUp/PgDn, Space, g/G, Home/End, n/N. Returns whether the key was the view's. */
bool textview_key(struct textview *tv, int key);
void textview_draw(const struct textview *tv, WINDOW *w, const struct theme *t);
/* "line 12 of 80", and "· 3 lines match" with a search. */
void textview_status(const struct textview *tv, char *buf, size_t n);

#endif
