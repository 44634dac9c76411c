/* registry_src: the MLflow data of the Registry panel and how it comes: the registered models
 * (with their aliases, from registered-models/get) and every model version, polled every
 * refresh_ms; and, while a model is open, the source runs of its versions (one runs/search with
 * "attributes.run_id IN (…)" over every experiment, whose ids come from experiments/search).
 * Everything is restored from the cache first and then refreshed in the background. Each part
 * keeps its last error line and when its data was fetched. */
#ifndef MLTOP_REGISTRY_SRC_H
#define MLTOP_REGISTRY_SRC_H

#include <stdint.h>

#include "clients/mlflow.h"
#include "clients/mlflow_types.h"
#include "clients/runstore.h"
#include "panels/panel.h"

enum registry_part { REG_MODELS, REG_VERSIONS, REG_RUNS, REG_PARTS };

struct registry_part_state {
	int job;            /* scheduler job, -1: none */
	uint64_t gen;       /* of the fetch in flight */
	long op;            /* client operation in flight, 0: none */
	int64_t fetched_ms; /* when the data shown was fetched (0: none) */
	int cached;         /* the data shown came from the cache, no answer since */
	int answered;       /* an answer (data or error) came since the start */
	char error[256];    /* the last error, "" after a success */
	char notice[256];   /* the last load stopped early and shows what came: why */
};

struct registry_feed;

struct registry_src {
	const struct panel_env *env;
	struct mlflow *client; /* NULL: MLflow is not configured */
	/* The models and versions are polled once for all the panels of a shell (the same
	 * panel_env) that show them: the feed owns the lists, each source mirrors them and their
	 * states (part[REG_MODELS], part[REG_VERSIONS]) at every answer, before changed(). */
	struct registry_feed *feed;
	const struct mlflow_models *models;
	const struct mlflow_versions *versions; /* every version of every model */
	struct runstore *runs;                  /* source runs of the open model's versions */
	struct runstore *loading;               /* the store a runs/search in flight fills */
	char **exp_ids;                         /* experiment ids for the runs/search */
	size_t nexp;
	char *model;       /* the model open, NULL: none */
	char *runs_filter; /* the run filter of the open model, NULL: no run to fetch */
	struct registry_part_state part[REG_PARTS];
	void (*changed)(void *ud); /* new data, or a new error: called from the client's events */
	void *ud;
};

/* Makes the client (when MLflow is configured) and restores the models and versions from the
 * cache. 0, or ERR_NOMEM. */
int registry_src_init(struct registry_src *s, const struct panel_env *env,
                      void (*changed)(void *ud), void *ud, struct err *e);
void registry_src_fini(struct registry_src *s);

/* Adds the polls of models and versions (every refresh_ms), once for every source of the same
 * panel_env: the first one's call adds them. */
void registry_src_schedule(struct registry_src *s, struct sched *sched);

/* Opens a model (its source runs are restored from the cache and then polled) or closes it
 * (NULL: the runs poll stops). */
void registry_src_open(struct registry_src *s, const char *model);

/* 1 while models or versions (or the runs of the open model) have had no answer yet. */
int registry_src_busy(const struct registry_src *s);

#endif
