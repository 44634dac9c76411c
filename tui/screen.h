/* screen: the layout (header, tabs, body, footer) and the drawing of everything that is not a
 * panel's body: source health in the header, the tabs, the footer's keys or prompt or message,
 * and the ? help generated from the key tables. */
#ifndef MLTOP_SCREEN_H
#define MLTOP_SCREEN_H

#include <curses.h>

struct app;

struct screen {
	WINDOW *header, *tabs, *body, *footer;
	WINDOW *frame; /* framed: the red frame around the body, with its banner */
	int rows, cols;
	int framed; /* set before screen_layout: a production context (danger = true) */
};

/* (Re)creates the windows for a terminal of rows x cols (any size, even 20x8 or smaller); when
 * framed, the body sits inside a frame one cell wide. */
void screen_layout(struct screen *s, int rows, int cols);
void screen_fini(struct screen *s);

/* Draws what changed into the windows (wnoutrefresh); the caller calls doupdate. force: all. */
void screen_draw(struct screen *s, struct app *a, int force);

/* Places the terminal cursor where an editor is open (the prompt, or a panel's own) and returns
 * 1; returns 0 when none is, and the cursor should be hidden. Call after screen_draw. */
int screen_cursor(struct screen *s, struct app *a);

#endif
