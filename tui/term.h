/* term: the terminal — ncurses set up for a real tty or headless (snapshot), torn down on every
 * exit path (normal, SIGINT/SIGTERM/SIGHUP, a crash), Ctrl-Z handled by ncurses' own SIGTSTP. */
#ifndef MLTOP_TERM_H
#define MLTOP_TERM_H

#include <signal.h>

/* Set by the signal handlers; the loop reads them. */
extern volatile sig_atomic_t term_quit_signal; /* SIGINT, SIGTERM, SIGHUP: the signal number */

/* A real terminal on stdin/stdout. Returns 0, or -1 with a message on stderr (TERM unknown). */
int term_init(void);
/* A headless screen of cols x rows on /dev/null, for --snapshot and tests. */
int term_init_headless(int cols, int rows);
void term_fini(void);
int term_colours(void);
/* Mouse reporting (clicks and the wheel) on or off; off leaves selection to the terminal. */
void term_mouse(int on);

#endif
