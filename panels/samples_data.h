/* samples_data: what the Samples panel shows, apart from how: the context's samples source
 * polled through the scheduler (a file at once, a URL's answer filed in the cache and read back
 * at the next start), the eval table of a run when the focus names one, the focus, and the rows
 * after it (newest first) with the input fields most of them carry. */
#ifndef MLTOP_SAMPLES_DATA_H
#define MLTOP_SAMPLES_DATA_H

#include <stddef.h>
#include <stdint.h>

#include "clients/samples.h"
#include "panels/panel.h"
#include "panels/samples_focus.h"

#define SAMPLES_DATA_FEATURES 6 /* input fields shown as columns, at most */

struct mlflow;

struct samples_data {
	const struct panel_env *env;
	struct samples_src *src; /* NULL: no samples source configured */
	int job;                 /* -1: none */
	uint64_t gen;
	int answered; /* a poll ended (well or not) */
	char err[512];
	int64_t data_ms; /* when data last came (the cache's time after a restore) */
	int cached;      /* the data came from the cache, no answer since */
	struct samples_focus focus;
	struct samples *eval; /* the focused run's failing eval rows */
	struct mlflow *ml;
	long eval_op;
	char eval_err[512];
	int eval_loaded;
	const struct sample **rows; /* after the focus, newest first */
	size_t nrows, cap;
	char feats[SAMPLES_DATA_FEATURES][64];
	int nfeat;
	int stale; /* the ring changed: rebuild */
};

void samples_data_init(struct samples_data *d, const struct panel_env *env);
void samples_data_fini(struct samples_data *d);
void samples_data_schedule(struct samples_data *d, struct sched *s);
/* Sets the focus from a focus argument (samples_focus.h) and starts what it needs. */
void samples_data_focus(struct samples_data *d, const char *arg);
void samples_data_unfocus(struct samples_data *d);
/* Rebuilds rows when stale: returns 0 when they were not, 1 when they were, 2 when the input
 * field columns changed too, -1 out of memory. */
int samples_data_rebuild(struct samples_data *d);
/* The ring the rows come from (the eval table's under a run focus), or NULL. */
const struct samples *samples_data_ring(const struct samples_data *d);
/* The error to show ("" none): the eval table's under a run focus, else the source's. */
const char *samples_data_error(const struct samples_data *d);
int samples_data_busy(const struct samples_data *d);

#endif
