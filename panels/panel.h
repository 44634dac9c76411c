/* panel: the interface between the shell (tui/) and each panel. A panel is a const table of
 * functions (htop's PanelClass, tmux's window_mode) and a state of its own. The shell hands a panel
 * everything it may use in a struct panel_env; a panel never includes the shell's headers.
 *
 * Data flow: schedule() adds the panel's polls to the scheduler; each poll starts a client call;
 * the client's callback stores the answer in the panel and calls env->changed(), and the shell
 * then runs recalc() (filter, sort: no curses) and draw() (const: drawing changes nothing). */
#ifndef MLTOP_PANEL_H
#define MLTOP_PANEL_H

#include <curses.h>
#include <stdint.h>

#include "clients/err.h"
#include "clients/sched.h"
#include "themes/theme.h"

struct http;
struct cache;
struct jsonw;
struct config;
struct context;
struct action_ui;

/* What the shell lends a panel. Owned by the shell, valid for the panel's life. */
struct panel_env {
	struct sched *sched;
	struct http *http;
	struct cache *cache; /* may be NULL when the cache could not be opened */
	const struct config *cfg;
	const struct context *ctx; /* the resolved current context */
	int64_t (*now_ms)(void);
	/* The shell's last one-second tick (0: none): ages ("updated 4s ago") are counted at it,
	 * so that they move on once a second, not back and forth at each answer of each source. */
	int64_t tick_ms;
	int chart_mode; /* CHART_BRAILLE, CHART_BLOCK or CHART_ASCII (widgets/chart.h) */
	int utf8;       /* the locale can show UTF-8 */
	int rows, cols; /* the size of the body window the panel draws in */
	/* 1: every panel starts at its top level and reopens nothing of an earlier session
	 * (--snapshot, whose output must not depend on what was open last). */
	int top_level;
	/* The writes to production of the context (panels/action.h): the write keys start them. */
	struct action_ui *action;
	/* 1 until the first frame of an interactive session is on the screen: work the first frame
	 * does not need (the rest of a cached experiment, page by page) waits for it. */
	int first_frame_pending;
	/* Callbacks into the shell; app is their first argument. */
	void *app;
	void (*changed)(void *app); /* data changed: recalc and redraw */
	void (*open)(void *app, const char *panel,
	             const char *arg);              /* switch panel, with a focus */
	void (*notify)(void *app, const char *msg); /* a one-line message in the footer */
};

#define PANEL_KEY_ESC 27

/* The time ages are counted at: the last tick, else now. */
static inline int64_t panel_age_now(const struct panel_env *env)
{
	return env->tick_ms ? env->tick_ms : env->now_ms();
}

/* Enter as terminals send it: CR, LF or the keypad's Enter. */
static inline int panel_key_is_enter(int key)
{
	return key == '\n' || key == '\r' || key == KEY_ENTER;
}

enum panel_rc {
	PANEL_IGNORED, /* not a key of this panel: the shell tries its global keys */
	PANEL_HANDLED,
	PANEL_BACK, /* Esc at the panel's top level: nothing more to close */
};

/* One key of a panel, for the footer and the ? help. */
struct keyhint {
	const char *key;  /* as shown: "Enter", "f", "Space" */
	const char *help; /* "open", "server filter" */
	int footer;       /* 1: worth a place on the footer line */
};

struct panel {
	const struct panel_ops *ops;
	const struct panel_env *env;
	void *state;
	int dirty; /* needs recalc + redraw */
};

struct panel_ops {
	const char *name;  /* "experiments": the :command and the snapshot heading */
	const char *title; /* "Experiments": the tab */
	int (*create)(struct panel *p, struct err *e);
	void (*destroy)(struct panel *p);
	void (*schedule)(struct panel *p, struct sched *s); /* add the panel's polls */
	void (*recalc)(struct panel *p);
	void (*draw)(const struct panel *p, WINDOW *w, const struct theme *t);
	enum panel_rc (*key)(struct panel *p, int key);
	/* Keys of the panel's current view, terminated by {NULL}. */
	const struct keyhint *(*hints)(const struct panel *p);
	/* The / filter: compile and apply pattern ("" clears); on error keep the old filter and
	 * fill e with a message for the prompt. NULL: the panel has no list to filter. */
	int (*filter)(struct panel *p, const char *pattern, struct err *e);
	/* Optional: text for the right of the footer ("runs 3,000 / 12,418", "212 of 1,840 match").
	 */
	void (*status)(const struct panel *p, char *buf, size_t n);
	/* Optional: opened from another panel with an argument ("model=churn version=5"). */
	void (*focus)(struct panel *p, const char *arg);
	/* Optional: a badge for the tab (e.g. the number of firing alerts), 0 for none. */
	int (*badge)(const struct panel *p);
	/* Optional: the sources this panel polls itself, as bits (1u << SRC_…). The shell probes
	 * the health of the configured sources that no panel polls. */
	unsigned (*polls)(const struct panel *p);
	/* Optional, for a panel with a one-line editor of its own (e.g. the server filter): while
	 * cursor() returns 1 the shell sends every key here, wide characters included (is_key: a
	 * KEY_* code), and puts the terminal cursor at (*y, *x) of the body. */
	enum panel_rc (*text)(struct panel *p, wint_t ch, int is_key);
	int (*cursor)(const struct panel *p, int *y, int *x);
	/* Optional: the / pattern in force in the panel's current view ("" for none), which the
	 * shell offers for editing when / is pressed. */
	const char *(*filter_text)(const struct panel *p);
	/* Optional: 1 while the panel has work to do at once (cached pages still to read): the
	 * loop then does not sleep before the next recalc. */
	int (*more)(const struct panel *p);
	/* Optional: a mouse click at (y, x) of the body window. */
	enum panel_rc (*click)(struct panel *p, int y, int x);
	/* Optional: 1 while the panel's first load is still coming in (--snapshot waits for it). */
	int (*busy)(const struct panel *p);
	/* Optional, for --snapshot --json: the panel's data as members of the object the shell has
	 * opened for it ("rows": [...] with numbers as numbers and times as RFC 3339, plus what the
	 * panel shows about its source: its error, the age of its data). */
	void (*json)(const struct panel *p, struct jsonw *w);
};

#endif
