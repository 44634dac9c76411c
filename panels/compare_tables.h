/* compare_tables: the params and metrics tables of the Compare view, built from 2–8 runs of a run
 * store: one row per param key (and the data and code versions) with its value in each run, one
 * row per metric key with the last value in each run, its direction (lower or higher is better),
 * the best run, and the delta of each run against a baseline run. No curses here: the rows hold
 * sanitized text and numbers; compare_view.h draws them. */
#ifndef MLTOP_COMPARE_TABLES_H
#define MLTOP_COMPARE_TABLES_H

#include <stddef.h>
#include <stdint.h>

#include "clients/err.h"
#include "clients/runstore.h"

#define COMPARE_MAX_RUNS 8

struct config;

/* A metric's direction: by config_metric_direction when the config names the metric, else -1
 * (lower is better) for names with a token of loss, error, rmse, mae, mse, mape, logloss,
 * perplexity, latency, … and +1 for the rest. cfg may be NULL. */
int compare_direction(const struct config *cfg, const char *metric);

/* The index of the best finite value of v[0..n) for dir (-1 lower, +1 higher is better), the first
 * of equals; -1 when none is finite (NaN and ±Inf are not candidates). */
int compare_best(const double *v, size_t n, int dir);

/* What a delta means for dir: */
enum compare_verdict {
	COMPARE_SAME,   /* equal to the baseline */
	COMPARE_BETTER, /* better than the baseline */
	COMPARE_WORSE,
	COMPARE_NONE, /* v or base is not finite: no delta */
};

/* v - base in *delta and its verdict for dir. */
enum compare_verdict compare_delta(double v, double base, int dir, double *delta);

/* Significant digits of values and of deltas at full precision; a narrow column shows fewer. */
#define COMPARE_VALUE_DIGITS 4
#define COMPARE_DELTA_DIGITS 3

/* A metric value in digits significant digits (1..COMPARE_VALUE_DIGITS): "0.912", "182.4",
 * "1.235e+07", "NaN", "-Inf"; returns buf. */
char *compare_fmt_value(char *buf, size_t n, double v, int digits);
/* A delta with its sign in digits significant digits: "+0.022", "-0.009", "+0"; returns buf. */
char *compare_fmt_delta(char *buf, size_t n, double d, int digits);

enum compare_prow_kind {
	COMPARE_ROW_GIT,     /* mlflow.source.git.commit */
	COMPARE_ROW_DATASET, /* the first dataset input: name@digest */
	COMPARE_ROW_PARAM,
};

/* One params row: sanitized label and values (NULL: the run lacks it). */
struct compare_prow {
	int kind; /* enum compare_prow_kind */
	char *label;
	char *val[COMPARE_MAX_RUNS];
	int differs; /* the runs do not all have the same value (a missing one counts) */
	/* The dataset row, for cells too narrow for name@digest: the runs' datasets have one
	   name (same_name), and their digests, which differ, start with the same `shared` bytes. */
	int same_name;
	size_t shared;
};

/* One metrics row: the last value per run (have[i] 0: the run lacks the metric). */
struct compare_mrow {
	char *key;   /* the metric key as MLflow knows it (for get-history), not sanitized */
	char *label; /* sanitized */
	int dir;     /* -1 lower is better, +1 higher */
	double v[COMPARE_MAX_RUNS];
	unsigned char have[COMPARE_MAX_RUNS];
	int best; /* index of the best run, -1: none */
};

struct compare_tables {
	size_t nruns;
	char *name[COMPARE_MAX_RUNS];       /* sanitized run names (the id's start when unnamed) */
	char *id[COMPARE_MAX_RUNS];         /* run ids as sent by the server */
	int64_t start_ms[COMPARE_MAX_RUNS]; /* when each run started, 0: unknown */
	struct compare_prow *p;
	size_t np;
	size_t *pview; /* the params rows shown (all, or those that differ) */
	size_t npview;
	struct compare_mrow *m;
	size_t nm;
};

/* Builds the tables of runs[0..n) (n 1..COMPARE_MAX_RUNS) into t (zeroed or built before: it
 * is rebuilt), with the view of every params row. Returns 0, or ERR_NOMEM with e (t is then
 * empty but valid). */
int compare_tables_build(struct compare_tables *t, const struct runstore *s,
                         const struct mlflow_run *const *runs, size_t n, const struct config *cfg,
                         struct err *e);
void compare_tables_fini(struct compare_tables *t);

/* Sets the params view: every row, or with diff_only the rows whose values differ. */
void compare_tables_filter(struct compare_tables *t, int diff_only);

/* The metrics row of key, or -1. */
int compare_tables_metric(const struct compare_tables *t, const char *key);

#endif
