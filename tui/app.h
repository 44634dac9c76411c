/* app: the application's state — configuration, the current context and its session (http,
 * scheduler, cache, panels), focus, the prompt, the help overlay, messages — and the key dispatch.
 * It draws through tui/screen and is driven by tui/loop. */
#ifndef MLTOP_APP_H
#define MLTOP_APP_H

#include <stdint.h>
#include <sys/types.h>

#include "clients/config.h"
#include "panels/panel.h"
#include "panels/panels.h"
#include "tui/widgets/prompt.h"

struct probe;
struct action_ui;

struct app {
	struct config *cfg;
	struct context *ctx;
	struct theme theme;
	int colours, no_color, utf8;
	int64_t (*now_ms)(void);

	/* The session of the current context: rebuilt by :ctx. */
	struct http *http;
	struct sched *sched;
	struct cache *cache;
	struct probe *probe;
	struct action_ui *action; /* the writes to production (panels/action.h) */
	struct panel_env env;
	struct panel panels[PANELS_COUNT];
	int current;

	/* Interaction. */
	int help;
	struct prompt prompt;
	struct prompt_history hist_filter, hist_cmd;
	char filter[PANELS_COUNT][PROMPT_MAX]; /* the / filter in force, per panel */
	char filter_before[PROMPT_MAX];        /* the one in force when / opened: Esc restores it */
	char message[256];
	int message_error;
	int64_t message_until;
	int quit;
	int quit_ask;                /* q while an action is written: the next key answers */
	int redraw;                  /* everything, from scratch (resize, Ctrl-L, theme) */
	int snapshot;                /* headless: no clock in the header */
	int json;                    /* the snapshot as JSON */
	int tab_x[PANELS_COUNT + 1]; /* where each tab starts on the tab line, as last drawn */
	int64_t click_ms;            /* the last press on the body, for double clicks */
	int body_y, body_x;          /* where the body starts on the screen (a frame moves it) */
	int click_y;
	const char *demo_label; /* "demo" when the sources are the bundled simulator */
	/* "cache PATH: WHY: no audit log is kept" when nothing written is kept (the cache is in
	 * memory or read-only), "" when the file is in use */
	char cache_problem[400];
};

/* Sets the app up from a loaded config and starts the session of the default context. */
int app_init(struct app *a, struct config *cfg, int64_t (*now_ms)(void), struct err *e);
void app_fini(struct app *a);

/* Rebuilds the session for context name; on error the current one stays. */
int app_switch_context(struct app *a, const char *name, struct err *e);
int app_set_theme(struct app *a, const char *name, struct err *e);

/* The / filter in force on the current panel's current list ("" none). */
const char *app_filter_text(const struct app *a);

/* Quits, or asks first while an action is being written. */
void app_quit(struct app *a);

/* One key from wget_wch. */
void app_key(struct app *a, wint_t ch, int is_key);

/* The body is now rows x cols: the panels are told and redrawn. */
void app_resize(struct app *a, int rows, int cols);

/* Recalc the dirty panels (no curses). */
void app_recalc(struct app *a);

/* A one-line message on the footer for a few seconds. */
void app_message(struct app *a, int error, const char *fmt, ...)
    __attribute__((format(printf, 3, 4)));

/* Theme directories, NULL-terminated (config dir, next to the binary, system). */
const char *const *app_theme_dirs(const struct app *a);

#endif
