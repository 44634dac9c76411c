/* exp_fixture: the Experiments panel in a test, as the shell drives it — a config for an MLflow
 * URL (or none), the scheduler, HTTP and an optional cache, the clock frozen at FIXED_MS, and
 * helpers that pump the loop until the panel is idle, press keys and dump the body as text. Used
 * by test_panel_experiments_sim.c and test_panel_experiments_crash.c. */
#ifndef MLTOP_TESTS_EXP_FIXTURE_H
#define MLTOP_TESTS_EXP_FIXTURE_H

#include <stddef.h>
#include <stdint.h>

#include "clients/cache.h"
#include "clients/config.h"
#include "clients/http.h"
#include "clients/sched.h"
#include "panels/exp_src.h"
#include "panels/experiments.h"

#define FIXED_MS   1790000000000LL /* the simulator's world clock and ours */
#define FIXED_TEXT "1790000000000"
#define ROWS       37 /* the body of a 120x40 screen */
#define COLS       120

struct fx {
	struct http *http;
	struct sched *sched;
	struct config *cfg;
	struct context *ctx;
	struct cache *cache;
	struct panel_env env;
	struct panel p;
	char note[512]; /* the last notice */
	int notes;
	char opened[128]; /* the last panel the panel asked the shell to open */
};

/* Creates and schedules the panel; url NULL: no MLflow on the command line. */
void fx_start(struct fx *f, const char *url, struct cache *cache);
void fx_stop(struct fx *f);
struct experiments *fx_state(struct fx *f);
/* Runs the loop (polls, transfers, recalc) until the panel is idle, within a deadline. */
void fx_pump(struct fx *f);
void fx_key(struct fx *f, int k);
void fx_type(struct fx *f, const char *s);
char *fx_dump(struct fx *f); /* the body as text, malloc'd */
void fx_status(struct fx *f, char *buf, size_t n);
/* The list, then the runs of churn-weekly (id 1), loaded. */
void fx_open_churn(struct fx *f);

/* A fresh cache file at a mkstemp template path, and its removal (with -wal and -shm). */
struct cache *fx_cache_fresh(char *path);
void fx_cache_gone(struct cache **c, const char *path);

#endif
