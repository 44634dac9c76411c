/* screen: a headless curses screen for tests. screen_open makes a terminal of a fixed size on
 * /dev/null (TERM=xterm-256color, C.UTF-8), so widgets and panels can draw into stdscr; the rows
 * are read back as UTF-8 text and compared with golden files under tests/golden/. */
#ifndef MLTOP_TEST_SCREEN_H
#define MLTOP_TEST_SCREEN_H

#include <curses.h>

/* Opens a cols x rows screen and makes it current. Returns 0 or -1. Close it with screen_close
 * before opening another. */
int screen_open(int cols, int rows);
void screen_close(void);

/* The rows of win as UTF-8 lines, trailing spaces trimmed, each ending in "\n" (malloc'd; the
 * caller frees it). Wide characters are read once, not once per cell. */
char *screen_dump(WINDOW *win);

/* A panel recalculated and drawn on the whole stdscr (without a theme), then screen_dump. */
struct panel;
char *screen_panel(struct panel *p);

/* The attributes (colour pair included) of the cell at (y, x) of win. */
attr_t screen_attr(WINDOW *win, int y, int x);

/* Compares text with tests/golden/NAME.txt: 0 when equal. When they differ (or the file is
 * missing) prints the differing lines to stderr and returns -1, unless UPDATE_GOLDEN=1, which
 * rewrites the file and returns 0. MLTOP_SRCDIR, when set, is the tree the path is relative to. */
int screen_golden(const char *name, const char *text);

#endif
