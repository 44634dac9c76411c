/* mltop-sim: the MLflow tracking world — experiments and runs, deterministic from the seed.
 * Runs are stored compactly (a few dozen bytes each); their names, params, tags, datasets and
 * metric histories are derived from (seed, run) on demand, so that --scale 100000 starts fast. */
#ifndef MLTOP_SIM_MLFLOW_WORLD_H
#define MLTOP_SIM_MLFLOW_WORLD_H

#include <stddef.h>
#include <stdint.h>

#include "sim/sim.h"

#define MLFLOW_WORLD_MAX_EXP   5
#define MLFLOW_WORLD_MAX_KEYS  10
#define MLFLOW_WORLD_MAX_TAGS  10
#define MLFLOW_WORLD_VALUE_MAX 160

enum mlflow_status { MLFLOW_RUNNING, MLFLOW_FINISHED, MLFLOW_FAILED, MLFLOW_KILLED };

struct mlflow_metric_def {
	const char *key;
	int rising;         /* 1: higher is better (auc), 0: a loss */
	double start;       /* value at step 0 */
	double best, worst; /* range of the final value */
};

struct mlflow_exp {
	char id[8];
	const char *name;
	const char *description;
	const char *team;
	const char *dataset; /* training dataset name */
	const char *source;  /* mlflow.source.name */
	const char *table;   /* eval table flavour: "churn", "fraud", "ranking" */
	int deleted;
	int64_t creation_time, last_update_time;
	const struct mlflow_metric_def *metrics; /* MLFLOW_WORLD_MAX_KEYS of them */
	int first_run, nruns;                    /* runs[first_run .. first_run + nruns) */
	char own_name[24];                       /* the name of an extra experiment */
};

struct mlflow_run {
	char run_id[33];
	unsigned char exp;      /* index into mlflow_world.exps */
	unsigned char status;   /* enum mlflow_status */
	signed char nan_metric; /* a metric whose last value is NaN, or -1 */
	int planned;            /* steps the curve is shaped for */
	int nsteps;             /* steps logged (RUNNING: grows with the clock) */
	int interval_ms;        /* world time between steps */
	uint64_t seed;
	int64_t start_time, end_time; /* end_time 0 while running */
};

struct mlflow_kv {
	const char *key;
	char value[MLFLOW_WORLD_VALUE_MAX];
};

struct mlflow_world {
	uint64_t seed;
	int scale;             /* 0: the normal world */
	int nmetrics, nparams; /* per run */
	int nexps;
	long nextra;             /* --experiments */
	struct mlflow_exp *exps; /* MLFLOW_WORLD_MAX_EXP and the extra ones (--experiments) */
	int nruns;
	struct mlflow_run *runs;
	int *by_id;        /* run indexes sorted by run_id */
	int running;       /* the RUNNING run's index, or -1 */
	int64_t anchor_ms; /* the world's "now" at start, rounded to the hour */
	int64_t now_ms;
};

extern struct mlflow_world mlflow_world;

int mlflow_world_init(const struct sim_opts *opts, int64_t start_ms);
void mlflow_world_free(void);
/* Advances the RUNNING run to now. */
void mlflow_world_tick(int64_t now_ms);

const struct mlflow_exp *mlflow_world_exp_by_id(const char *id);
const struct mlflow_exp *mlflow_world_exp_by_name(const char *name);
int mlflow_world_exp_index(const struct mlflow_exp *e);
const struct mlflow_run *mlflow_world_run(const char *run_id);

const char *mlflow_world_status_name(int status);
void mlflow_world_run_name(const struct mlflow_run *r, char *buf, size_t len);
const char *mlflow_world_user(const struct mlflow_run *r);
void mlflow_world_artifact_uri(const struct mlflow_run *r, char *buf, size_t len);
/* Fills out[] (at most MLFLOW_WORLD_MAX_KEYS / _TAGS); returns the count. */
int mlflow_world_params(const struct mlflow_run *r, struct mlflow_kv *out);
int mlflow_world_tags(const struct mlflow_run *r, struct mlflow_kv *out);
/* The value of metric m at a step (may be NaN), and its timestamp. */
double mlflow_world_metric(const struct mlflow_run *r, int m, int step);
int64_t mlflow_world_metric_ts(const struct mlflow_run *r, int m, int step);
/* The index of a metric key for the run's experiment, or -1. */
int mlflow_world_metric_index(const struct mlflow_run *r, const char *key);
/* The run's model quality in [0, 1] (drives metrics and eval tables). */
double mlflow_world_quality(const struct mlflow_run *r);
/* The training dataset's digest (8 hex digits) and date, shared by runs of the same data. */
void mlflow_world_dataset(const struct mlflow_run *r, int eval, char *digest, size_t dlen,
                          char *date, size_t datelen);

#endif
