/* panelh: the harness of the panel tests. A panel made on a panel_env of its own (a scheduler
 * and an HTTP pool on a fake clock, a context made by hand or resolved from a config file and
 * a command line), the loop run until the panel's load is in, keys and text fed, the panel drawn
 * into the curses screen and dumped as text (tests/unit/screen.h). The callbacks record what the
 * panel asked of the shell: how often it changed, the panel it opened, its last message.
 *
 *	struct panelh h;
 *	panelh_init(&h, cache, 120, 40);        h.ctx.src[SRC_MLFLOW].url = url; …
 *	panelh_create(&h, &registry_ops, NULL);  h.p.ops->schedule(&h.p, h.sched);
 *	panelh_settle(&h);
 *	char *screen = panelh_draw(&h);          panelh_key(&h, '\n'); …
 *	panelh_stop(&h);
 */
#ifndef MLTOP_TEST_PANELH_H
#define MLTOP_TEST_PANELH_H

#include <stdint.h>

#include "clients/cache.h"
#include "clients/config.h"
#include "clients/http.h"
#include "clients/sched.h"
#include "panels/panel.h"

/* The panels' clock (env.now_ms): tests set and move it. */
extern int64_t panelh_clock_ms;
int64_t panelh_now(void);
/* A monotonic clock in ms, for the tests' own deadlines. */
int64_t panelh_mono_ms(void);

struct panelh {
	struct sched *sched;
	struct http *http;
	struct config *cfg;   /* panelh_config's, else NULL */
	struct context *rctx; /* resolved from cfg, else NULL */
	struct context ctx;   /* the context made by hand (env.ctx unless rctx) */
	char url[128];        /* storage for a hand-made context's URL */
	struct panel_env env;
	struct panel p; /* the panel of panelh_create */
	int changed;    /* env.changed calls */
	char opened[512];
	char notified[512];
};

/* A scheduler (seed 7), an HTTP pool and the env (cache may be NULL) with a hand-made context
 * named "test" refreshed every 5 s. */
void panelh_init(struct panelh *h, struct cache *cache, int cols, int rows);
/* The context from a config instead: the file holds ini (NULL: none), then the command line
 * argv (NULL-terminated, without the program name). */
void panelh_config(struct panelh *h, const char *ini, const char *const *argv);
/* Creates the panel (create must succeed); focus: its argument, or NULL. Its polls are added
 * by the test (h.p.ops->schedule), which may first look at what the cache gave. */
void panelh_create(struct panelh *h, const struct panel_ops *ops, const char *focus);
void panelh_stop(struct panelh *h);

/* One turn of the loop: due polls started, transfers moved (waiting up to 20 ms). */
void panelh_step(struct panelh *h);
/* Turns of the loop for ms of real time. */
void panelh_pump(struct panelh *h, int ms);
/* Turns until the panel is no longer busy (15 s at most: the test fails past it). */
void panelh_settle(struct panelh *h);
/* Turns (every poll refreshed) until the drawing shows text (present 1) or no longer does. */
void panelh_wait_screen(struct panelh *h, const char *text, int present);

/* Recalc, then the panel drawn into stdscr and dumped (the caller frees). */
char *panelh_draw(struct panelh *h);
/* A key to the panel, then recalc. */
enum panel_rc panelh_key(struct panelh *h, int k);
/* Text to the panel's own editor, one character at a time. */
void panelh_type(struct panelh *h, const char *s);
/* The help of key k in the panel's hints, NULL when absent. */
const char *panelh_hint(const struct panelh *h, const char *k);
/* The row of the first line of dump holding text, or -1. */
int panelh_line_of(const char *dump, const char *text);

#endif
