/* registry_versions: the versions table of one registered model — version, status, stage,
 * aliases, source run (its name), the run's key metric (named in the column title), created
 * (age), description — and the header line above it ("churn-classifier · champion v3 ·
 * challenger v5 · 5 versions · "weekly churn model""). */
#ifndef MLTOP_REGISTRY_VERSIONS_H
#define MLTOP_REGISTRY_VERSIONS_H

#include <stdint.h>

#include "clients/config.h"
#include "clients/mlflow_types.h"
#include "clients/runstore.h"
#include "panels/listview.h"

struct registry_versions {
	struct listview lv;
	char *model;                              /* the model shown (owned), NULL: none */
	const struct mlflow_registered_model *m;  /* its entry in the models list, or NULL */
	const struct mlflow_model_version **rows; /* its versions (owned array, borrowed items) */
	size_t n;
	const struct runstore *runs; /* source runs (borrowed), or NULL */
	char metric[128];            /* the key metric, "" when none */
	uint32_t metric_key;         /* its id in runs */
	int64_t now_ms;              /* for the ages, set at each recalc */
	int ascii;
};

int registry_versions_init(struct registry_versions *v, int ascii, struct err *e);
void registry_versions_fini(struct registry_versions *v);

/* Shows the model `name` (copied; NULL: none); the cursor goes to the newest version. */
int registry_versions_open(struct registry_versions *v, const char *name);

/* New data (any may be NULL): the rows follow; the cursor stays on the same version. The key
 * metric is chosen again (registry_key_metric) and named in the column title. */
void registry_versions_set(struct registry_versions *v, const struct config *cfg,
                           const struct mlflow_models *models, const struct mlflow_versions *all,
                           const struct runstore *runs);

/* The version under the cursor, or NULL. */
const struct mlflow_model_version *registry_versions_cursor(const struct registry_versions *v);

/* Puts the cursor on a version; returns whether it is in the view. */
int registry_versions_select(struct registry_versions *v, const char *version);

/* The header line: the model, its aliases ("champion v3"), the number of versions and its
 * description in quotes; unsanitized (notice_line sanitizes). Returns buf. */
char *registry_versions_header(const struct registry_versions *v, char *buf, size_t n);

#endif
