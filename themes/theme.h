/* theme: colour roles by name, loaded from themes/NAME.ini, resolved to curses attributes for the
 * terminal at hand (256 colours, 16 colours, or monochrome). Panels and widgets name roles only. */
#ifndef MLTOP_THEME_H
#define MLTOP_THEME_H

#include <curses.h>

#include "clients/err.h"

enum role {
	ROLE_NORMAL,
	ROLE_HEADER,     /* the top bar */
	ROLE_TAB,        /* an inactive tab */
	ROLE_TAB_ACTIVE, /* the current tab */
	ROLE_COLHEAD,    /* table column headings */
	ROLE_SELECTED,   /* the cursor row */
	ROLE_MARKED,     /* rows marked with Space */
	ROLE_MATCH,      /* filter matches inside a cell */
	ROLE_OK,
	ROLE_WARN,
	ROLE_CRIT,
	ROLE_CANARY,
	ROLE_MUTED,   /* secondary text, silenced alerts, stale data */
	ROLE_ACCENT,  /* titles, the best value in a compare table */
	ROLE_BORDER,  /* frames, chart axes */
	ROLE_DANGER,  /* a production context: header and frames */
	ROLE_FOOTER,  /* the key line at the bottom */
	ROLE_PROMPT,  /* the / and : line */
	ROLE_ERROR,   /* error lines in panels and prompts */
	ROLE_SERIES1, /* chart series, stable per run: SERIES1 + (i % 8) */
	ROLE_SERIES2,
	ROLE_SERIES3,
	ROLE_SERIES4,
	ROLE_SERIES5,
	ROLE_SERIES6,
	ROLE_SERIES7,
	ROLE_SERIES8,
	ROLE_COUNT
};

/* One role as a theme file sets it: colours are xterm-256 numbers, -1 for the terminal's default.
 */
struct theme_role {
	short fg, bg;
	attr_t attrs; /* A_BOLD, A_DIM, A_REVERSE, A_UNDERLINE */
	int set;
};

struct theme {
	char name[64];
	int mono; /* draw with attributes only */
	struct theme_role role[ROLE_COUNT];
	attr_t attr[ROLE_COUNT]; /* resolved by theme_apply */
	/* The status roles (ok … accent) drawn on the header's and the danger banner's background:
	 * their foreground with the bar's background, so that a badge leaves no hole in the bar. */
	attr_t on_bar[2][ROLE_ACCENT - ROLE_OK + 1];
};

/* Loads theme NAME: the file NAME.ini from the first directory of dirs (NULL-terminated) that has
 * it, else the built-in "default" or "mono". The result is unresolved: call theme_apply after
 * curses is up. Errors name the file and line. */
int theme_load(struct theme *t, const char *name, const char *const *dirs, struct err *e);

/* Resolves roles to attributes for a terminal with `colours` colours; no_color forces mono. */
void theme_apply(struct theme *t, int colours, int no_color);

/* Theme names found in dirs plus the built-ins, for :theme completion. Fills up to max names
 * (malloc'd, caller frees each) and returns how many. */
int theme_list(const char *const *dirs, char **names, int max);

/* The curses attribute (colour pair and A_BOLD/A_REVERSE/…) of a role. Works with theme NULL
 * (monochrome defaults), so widgets can be drawn in tests without a theme. */
attr_t theme_attr(const struct theme *t, enum role r);

/* Role r drawn on the bar of role bar (ROLE_HEADER or ROLE_DANGER): r's foreground on the bar's
 * background for the status roles, else theme_attr(t, r). */
attr_t theme_attr_on(const struct theme *t, enum role r, enum role bar);

#endif
