#include "tui/term.h"

#include <curses.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "tui/widgets/text.h"

volatile sig_atomic_t term_quit_signal;

static SCREEN *screen;
static FILE *null_io; /* the headless screen's input and output */
static int active;

static void on_quit(int sig)
{
	term_quit_signal = sig;
}

/* A crash: give the terminal back before dying, so the operator's shell is usable. */
static void on_fatal(int sig)
{
	if (active)
		endwin();
	signal(sig, SIG_DFL);
	raise(sig);
}

static void install_signals(void)
{
	struct sigaction sa;
	memset(&sa, 0, sizeof sa);
	sa.sa_handler = on_quit;
	sigemptyset(&sa.sa_mask);
	sigaction(SIGINT, &sa, NULL);
	sigaction(SIGTERM, &sa, NULL);
	sigaction(SIGHUP, &sa, NULL);
	sa.sa_handler = on_fatal;
	sa.sa_flags = SA_RESETHAND;
	sigaction(SIGSEGV, &sa, NULL);
	sigaction(SIGBUS, &sa, NULL);
	sigaction(SIGABRT, &sa, NULL);
	sigaction(SIGFPE, &sa, NULL);
	signal(SIGPIPE, SIG_IGN);
}

static void setup_modes(void)
{
	cbreak();
	noecho();
	nonl();
	intrflush(stdscr, FALSE);
	keypad(stdscr, TRUE);
	nodelay(stdscr, TRUE);
	set_escdelay(25);
	curs_set(0);
	if (has_colors()) {
		start_color();
		use_default_colors();
	}
	term_mouse(1);
}

void term_mouse(int on)
{
	/* No click resolution by curses (it would delay every press): double clicks are told by
	 * the shell from two presses on one line. The wheel comes as buttons 4 and 5. */
	mousemask(on ? BUTTON1_PRESSED | BUTTON4_PRESSED | BUTTON5_PRESSED : 0, NULL);
	mouseinterval(0);
}

int term_init(void)
{
	install_signals();
	const char *term = getenv("TERM");
	if (!term || !*term || strcmp(term, "dumb") == 0) {
		/* A dumb terminal cannot address the screen: use the plainest one that can. */
		setenv("TERM", "vt100", 1);
	}
	screen = newterm(NULL, stdout, stdin);
	if (!screen) {
		char shown[128]; /* $TERM is the environment's: shown, never obeyed */
		text_sanitize(term ? term : "", term ? strlen(term) : 0, shown, sizeof shown);
		fprintf(stderr, "mltop: cannot use the terminal '%s' (try TERM=xterm)\n", shown);
		setenv("TERM", "vt100", 1);
		screen = newterm(NULL, stdout, stdin);
		if (!screen)
			return -1;
	}
	set_term(screen);
	active = 1;
	setup_modes();
	return 0;
}

int term_init_headless(int cols, int rows)
{
	null_io = fopen("/dev/null", "r+");
	if (!null_io)
		return -1;
	char lines[16], columns[16];
	snprintf(lines, sizeof lines, "%d", rows);
	snprintf(columns, sizeof columns, "%d", cols);
	setenv("LINES", lines, 1);
	setenv("COLUMNS", columns, 1);
	use_env(TRUE);
	screen = newterm("xterm-256color", null_io, null_io);
	if (!screen)
		screen = newterm("vt100", null_io, null_io);
	if (!screen)
		return -1;
	set_term(screen);
	resizeterm(rows, cols);
	setup_modes();
	return 0;
}

void term_fini(void)
{
	if (!screen)
		return;
	if (active) {
		curs_set(1);
		endwin();
	}
	active = 0;
	delscreen(screen);
	screen = NULL;
	if (null_io)
		fclose(null_io);
	null_io = NULL;
}

int term_colours(void)
{
	return has_colors() ? COLORS : 0;
}
