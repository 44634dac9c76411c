/* prompt: the one-line editor behind / (filter) and : (command line), with history (Up/Down),
 * Tab completion, and an error shown in place (an invalid regex, an unknown command). */
#ifndef MLTOP_PROMPT_H
#define MLTOP_PROMPT_H

#include <curses.h>
#include <stddef.h>
#include <wchar.h>

#include "themes/theme.h"

#define PROMPT_MAX     512
#define PROMPT_HISTORY 64

struct prompt_history {
	char *line[PROMPT_HISTORY]; /* oldest first, owned */
	int n;
};

/* Completion: fills up to max candidates for the whole line (malloc'd; the prompt frees them). */
typedef int (*prompt_complete_fn)(void *ud, const char *line, char **out, int max);

struct prompt {
	int active;
	char kind;            /* '/' or ':' */
	char buf[PROMPT_MAX]; /* UTF-8 */
	size_t len, cur;      /* bytes */
	char error[256];      /* shown after the text; cleared by the next edit */
	char hint[256];       /* completion candidates, shown after the text */
	struct prompt_history *hist;
	int hpos; /* index into hist while browsing; hist->n when editing */
	prompt_complete_fn complete;
	void *complete_ud;
};

enum prompt_rc {
	PROMPT_IDLE,    /* nothing to do (cursor moved, completion shown) */
	PROMPT_CHANGED, /* the text changed (a live filter re-applies it) */
	PROMPT_ACCEPT,  /* Enter: the caller reads buf and closes */
	PROMPT_CANCEL,  /* Esc, or Backspace on an empty line */
};

void prompt_open(struct prompt *p, char kind, const char *initial, struct prompt_history *h);
void prompt_close(struct prompt *p); /* adds the line to the history when accepted */
/* One key from wget_wch: is_key is 1 for KEY_* codes, 0 for characters. */
enum prompt_rc prompt_key(struct prompt *p, wint_t ch, int is_key);
void prompt_set_error(struct prompt *p, const char *msg);
void prompt_draw(const struct prompt *p, WINDOW *w, int y, int width, const struct theme *t);
/* The column of the cursor when the prompt is drawn width columns wide (for curs_set/wmove). */
int prompt_cursor_x(const struct prompt *p, int width);
void prompt_history_add(struct prompt_history *h, const char *line);
void prompt_history_free(struct prompt_history *h);

#endif
